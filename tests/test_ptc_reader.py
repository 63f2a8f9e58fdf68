"""The PTC corpus reader and the by-article splits.

Corpus tests read the research-licensed data at run time from `$UNSPUN_SHARED_DATA` (default `../shared/data`,
relative to the repository root) and skip when it is absent; nothing from the corpus is stored in the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from unspun.taxonomy import NAMES
from unspun.datasets.ptc import kfold, load_articles, load_spans, load_techniques, split_articles

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    root = Path(os.environ.get("UNSPUN_SHARED_DATA", "../shared/data"))
    return root if root.is_absolute() else (REPO_ROOT / root).resolve()


def ptc_paths() -> dict[str, Path]:
    data = shared_data()
    paths = {
        "articles": data / "ptc" / "train" / "train-articles",
        "si": data / "ptc" / "train-v2-labels" / "train-task-si.labels",
        "tc": data / "ptc" / "train-v2-labels" / "train-task-flc-tc.labels",
        "si_dir": data / "ptc" / "train-v2-labels" / "train-labels-task-si",
        "tc_dir": data / "ptc" / "train-v2-labels" / "train-labels-task-flc-tc",
    }
    missing = [str(p) for p in paths.values() if not p.exists()]
    if missing:
        pytest.skip(
            "PTC shared data not found (set UNSPUN_SHARED_DATA to the folder holding ptc/train and "
            f"ptc/train-v2-labels); missing: {', '.join(missing)}"
        )
    return paths


@pytest.fixture(scope="module")
def ptc():
    paths = ptc_paths()
    return {
        "paths": paths,
        "articles": load_articles(paths["articles"]),
        "spans": load_spans(paths["si"]),
        "techniques": load_techniques(paths["tc"]),
    }


# ------------------------------------------------------------------------------------------------------ corpus


def test_371_articles(ptc):
    articles = ptc["articles"]
    assert len(articles) == 371
    assert all(article_id.isdigit() for article_id in articles)
    assert all(text.strip() for text in articles.values())


def test_articles_read_without_newline_translation(ptc):
    path = ptc["paths"]["articles"]
    for article_id, text in list(ptc["articles"].items())[:20]:
        raw = (path / f"article{article_id}.txt").read_bytes()
        assert text == raw.decode("utf-8")


def test_label_counts_and_folder_equivalence(ptc):
    spans, techniques = ptc["spans"], ptc["techniques"]
    assert sum(len(v) for v in spans.values()) == 5468
    assert sum(len(v) for v in techniques.values()) == 6128
    assert load_spans(ptc["paths"]["si_dir"]) == spans
    assert load_techniques(ptc["paths"]["tc_dir"]) == techniques


def test_label_offsets_within_text(ptc):
    articles = ptc["articles"]
    for article_id, spans in ptc["spans"].items():
        text = articles[article_id]
        for start, end in spans:
            assert 0 <= start < end <= len(text), (article_id, start, end)
    for article_id, rows in ptc["techniques"].items():
        text = articles[article_id]
        for technique, start, end in rows:
            assert 0 <= start < end <= len(text), (article_id, start, end)
            assert technique in NAMES
            # the v2 release trimmed spaces and newlines from span edges
            assert text[start] not in " \n" and text[end - 1] not in " \n", (article_id, start, end)


def test_semeval_era_label_files_read_too(ptc):
    old = shared_data() / "ptc" / "train"
    si, tc = old / "train-task1-SI.labels", old / "train-task2-TC.labels"
    if not (si.exists() and tc.exists()):
        pytest.skip(f"SemEval-era label files not found under {old}")
    assert load_spans(si) == ptc["spans"]
    assert sum(len(v) for v in load_techniques(tc).values()) == 6129  # v2 drops one row


def test_split_of_the_corpus(ptc):
    ids = list(ptc["articles"])
    train, val = split_articles(ids)
    assert len(val) == 74  # round(371 * 0.2)
    assert not set(train) & set(val)
    assert set(train) | set(val) == set(ids)
    assert split_articles(reversed(ids)) == (train, val)


# ------------------------------------------------------------------------------------------------------ no data


def test_load_articles_exact_text(tmp_path):
    (tmp_path / "article12.txt").write_bytes("\ufeffTitle\r\n\r\nBody.\rEnd\n".encode("utf-8"))
    (tmp_path / "article3.txt").write_bytes(b"Three")
    (tmp_path / "readme.txt").write_bytes(b"not an article")
    articles = load_articles(tmp_path)
    assert list(articles) == ["3", "12"]
    assert articles["12"] == "\ufeffTitle\r\n\r\nBody.\rEnd\n"
    with pytest.raises(FileNotFoundError):
        load_articles(tmp_path / "missing")


IDS = [str(100 + i) for i in range(23)]


def test_split_articles_disjoint_covering_deterministic():
    train, val = split_articles(IDS, val_fraction=0.2, seed=13)
    assert len(val) == 5  # round(23 * 0.2) = round(4.6)
    assert not set(train) & set(val)
    assert sorted(train + val) == sorted(IDS)
    assert train == sorted(train) and val == sorted(val)
    assert split_articles(list(reversed(IDS)) + IDS[:3], val_fraction=0.2, seed=13) == (train, val)
    assert split_articles(IDS, seed=14) != (train, val)
    assert split_articles(IDS, val_fraction=0.0) == (sorted(IDS), [])
    with pytest.raises(ValueError):
        split_articles(IDS, val_fraction=1.5)


def test_kfold_disjoint_covering_deterministic():
    folds = kfold(IDS, k=5, seed=13)
    assert len(folds) == 5
    vals = [set(val) for _, val in folds]
    assert sorted(len(v) for v in vals) == [4, 4, 5, 5, 5]  # 23 = 5 + 5 + 5 + 4 + 4
    assert set().union(*vals) == set(IDS)
    assert sum(len(v) for v in vals) == len(IDS)
    for train, val in folds:
        assert not set(train) & set(val)
        assert set(train) | set(val) == set(IDS)
    assert kfold(list(reversed(IDS)), k=5, seed=13) == folds
    with pytest.raises(ValueError):
        kfold(IDS, k=1)
    with pytest.raises(ValueError):
        kfold(IDS[:3], k=5)
