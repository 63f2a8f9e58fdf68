"""Soft targets from a teacher (`unspun.training.distil`), with the shipped `fast` model as the teacher.

The student's tokenizer here is a plain whitespace one, so the projection teacher tokens → characters → student
tokens is exercised across two different tokenizations, as with an MPNet teacher and a MiniLM student."""

from __future__ import annotations

import numpy as np
import pytest
from tokenizers import Tokenizer, models, pre_tokenizers

from unspun.taxonomy import NAMES
from unspun.training.distil import char_probs, load_teacher, pseudo_article, read_texts, soften, token_targets
from unspun.training.techniques import Article

TEXT = ("The corrupt, lying regime has betrayed every decent citizen of this great nation. "
        "Officials said the budget rose by 2% last year. Wake up, patriots: either we stand now or we lose everything!")


class WhitespaceEncoder:
    """The student side of `pseudo_article`: only `tokenize` is used."""

    def __init__(self) -> None:
        words = sorted(set(TEXT.split()))
        self.tok = Tokenizer(models.WordLevel({w: k for k, w in enumerate(words, 1)} | {"[UNK]": 0}, unk_token="[UNK]"))
        self.tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()

    def tokenize(self, text: str):
        enc = self.tok.encode(text)
        return np.asarray(enc.ids, dtype=np.int64), np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)


@pytest.fixture(scope="module")
def teacher():
    from unspun.runtime.models import technique_dir

    return load_teacher(technique_dir("fast"))


def test_char_probs_cover_the_teachers_tokens(teacher) -> None:
    probs, pieces = char_probs(teacher, TEXT)
    assert probs.shape == (len(TEXT),) and 0.0 <= probs.min() and probs.max() <= 1.0
    for _, offsets, states in pieces:
        for (s, e), q in zip(offsets, teacher.si_probs(states)):
            assert probs[s:e].min() >= q - 1e-6  # the max over the tokens covering each character
    assert probs[TEXT.index("corrupt")] > probs[TEXT.index("budget")]  # loaded wording above plain reporting


def test_token_targets_average_the_characters_of_each_student_token() -> None:
    probs = np.linspace(0, 1, len(TEXT), dtype=np.float32)
    _, offsets = WhitespaceEncoder().tokenize(TEXT)
    targets = token_targets(probs, offsets)
    for (s, e), t in zip(offsets, targets):
        assert t == pytest.approx(float(probs[s:e].mean()), abs=1e-6)


def test_pseudo_article_holds_soft_targets_on_student_tokens(teacher) -> None:
    encoder = WhitespaceEncoder()
    article = pseudo_article("x", TEXT, teacher, encoder, min_span=0.0)
    assert len(article.si) == len(article.ids) == len(TEXT.split())
    assert ((0 <= article.si) & (article.si <= 1)).all() and article.si.max() > 0.2
    assert article.spans, "the teacher found nothing to teach"
    for i, j, dist, feats in article.spans:
        assert 0 <= i <= j < len(article.ids)
        assert dist.shape == (len(NAMES),) and dist.sum() == pytest.approx(1.0, abs=1e-4)
        assert feats.ndim == 1


def test_soften_blends_gold_and_teacher(teacher) -> None:
    encoder = WhitespaceEncoder()
    ids, offsets = encoder.tokenize(TEXT)
    gold_si = np.zeros(len(ids), dtype=np.float32)
    gold_si[1:4] = 1.0
    k = NAMES.index("Name_Calling,Labeling")

    def fresh() -> Article:
        return Article("g", TEXT, ids, offsets, gold_si.copy(), [(1, 3, k, np.zeros(2, dtype=np.float32))])

    same = soften(fresh(), teacher, 1.0)
    assert np.array_equal(same.si, gold_si) and same.spans[0][2].argmax() == k and same.spans[0][2].max() == 1.0
    taught = soften(fresh(), teacher, 0.0)
    probs, _ = char_probs(teacher, TEXT)
    assert np.allclose(taught.si, token_targets(probs, offsets))
    half = soften(fresh(), teacher, 0.5)
    assert np.allclose(half.si, 0.5 * gold_si + 0.5 * taught.si)
    assert half.spans[0][2].sum() == pytest.approx(1.0, abs=1e-4) and half.spans[0][2][k] >= 0.5


def test_read_texts_samples_evenly_across_name_order(tmp_path) -> None:
    for outlet in ("a", "b", "c"):
        sub = tmp_path / outlet
        sub.mkdir()
        for k in range(4):
            (sub / f"{outlet}{k}.txt").write_text(f"text {outlet}{k}", encoding="utf-8")
    (tmp_path / "notes.ann").write_text("not a text", encoding="utf-8")
    assert len(read_texts(tmp_path)) == 12
    picked = read_texts(tmp_path, limit=3)
    assert [text for _, text in picked] == ["text a0", "text b0", "text c0"]  # one per outlet, not a0..a2
    assert picked[0][0] == "extra:a/a0.txt"
    assert len(read_texts(tmp_path, limit=50)) == 12
    with pytest.raises(SystemExit):
        read_texts(tmp_path / "missing")


def test_teacher_labels_are_cached_and_reused(teacher, tmp_path, monkeypatch) -> None:
    """Reruns (another seed or layer count, another machine) read the teacher's labels from the cache; only texts
    missing from it are labelled, and a cache made with other settings is not trusted."""
    from unspun.runtime.models import technique_dir
    from unspun.training import distil

    folder = technique_dir("fast")
    tokenizer = folder / "tokenizer.json"
    cache = tmp_path / "labels.pkl"
    encoder = WhitespaceEncoder()
    texts = [("extra:a.txt", TEXT), ("extra:b.txt", TEXT.upper())]
    first = distil.teacher_labelled(texts, folder, encoder, tokenizer=tokenizer, cache=cache, progress=lambda m: None)
    assert cache.is_file() and [a.id for a in first] == ["extra:a.txt", "extra:b.txt"]

    def no_teacher(_folder):
        raise AssertionError("the teacher was loaded although the cache holds every text")

    monkeypatch.setattr(distil, "load_teacher", no_teacher)
    again = distil.teacher_labelled(texts[::-1], folder, encoder, tokenizer=tokenizer, cache=cache, progress=lambda m: None)
    assert [a.id for a in again] == ["extra:b.txt", "extra:a.txt"]
    np.testing.assert_array_equal(again[1].si, first[0].si)
    assert len(again[1].spans) == len(first[0].spans)

    with pytest.raises(AssertionError, match="teacher was loaded"):  # a new text needs the teacher
        distil.teacher_labelled(texts + [("extra:c.txt", "Another text.")], folder, encoder, tokenizer=tokenizer,
                                cache=cache, progress=lambda m: None)
    with pytest.raises(AssertionError, match="teacher was loaded"):  # another span threshold: labels are stale
        distil.teacher_labelled(texts, folder, encoder, tokenizer=tokenizer, cache=cache, min_span=0.9,
                                progress=lambda m: None)
