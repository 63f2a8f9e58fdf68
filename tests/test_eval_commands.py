"""`unspun eval ptc` (the typer sub-app in unspun.cli.eval).

The corpus test reads the research-licensed PTC data at run time from `$UNSPUN_SHARED_DATA` (default
`../shared/data`, relative to the repository root) and skips when it is absent. Other tests use invented files.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspun.errors import InputDataError, InputMissingError, ModelError
from unspun.cli.eval import app

REPO_ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def shared_data() -> Path:
    root = Path(os.environ.get("UNSPUN_SHARED_DATA", "../shared/data"))
    return root if root.is_absolute() else (REPO_ROOT / root).resolve()


def _invoke(*args: str):
    return runner.invoke(app, ["ptc", *args])


def test_gold_against_itself_scores_one_on_ptc():
    data = shared_data()
    articles = data / "ptc" / "train" / "train-articles"
    si = data / "ptc" / "train-v2-labels" / "train-task-si.labels"
    tc = data / "ptc" / "train-v2-labels" / "train-task-flc-tc.labels"
    missing = [str(p) for p in (articles, si, tc) if not p.exists()]
    if missing:
        pytest.skip(f"PTC shared data not found (set UNSPUN_SHARED_DATA); missing: {', '.join(missing)}")
    result = _invoke(
        "--articles", str(articles), "--gold-si", str(si), "--gold-tc", str(tc),
        "--pred", str(tc), "--pred-tc", str(tc), "--json",
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert list(scores) == ["si", "tc", "full"]
    for task in ("si", "tc", "full"):
        assert scores[task] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}, task

    # the per-article label folders work as gold too, and the table output goes to stdout
    result = _invoke(
        "--articles", str(articles),
        "--gold-si", str(si.parent / "train-labels-task-si"),
        "--gold-tc", str(tc.parent / "train-labels-task-flc-tc"),
        "--pred-tc", str(tc),
    )
    assert result.exit_code == 0, result.output
    assert "TC" in result.stdout and "1.0000" in result.stdout


@pytest.fixture()
def tiny(tmp_path):
    """An invented two-article corpus."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "article1.txt").write_text("Alpha beta gamma delta.\n", encoding="utf-8")
    (articles / "article2.txt").write_text("Epsilon zeta eta.\n", encoding="utf-8")
    si = tmp_path / "gold-si.labels"
    si.write_text("1\t0\t10\n2\t0\t7\n", encoding="utf-8")
    tc = tmp_path / "gold-tc.labels"
    tc.write_text("1\tDoubt\t0\t10\n1\tLoaded_Language\t0\t10\n2\tSlogans\t0\t7\n", encoding="utf-8")
    return tmp_path, articles, si, tc


def test_only_computed_keys(tiny):
    tmp_path, articles, si, tc = tiny
    pred = tmp_path / "pred.txt"
    # article 1: [0,5) of gold [0,10) as Doubt; article 2: exact, wrong technique
    pred.write_text("1\tDoubt\t0\t5\n2\tDoubt\t0\t7\n", encoding="utf-8")
    result = _invoke(
        "--articles", str(articles), "--gold-si", str(si), "--gold-tc", str(tc), "--pred", str(pred), "--json"
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert list(scores) == ["si", "full"]
    # SI: P = (5/5 + 7/7)/2 = 1, R = (5/10 + 7/7)/2 = 0.75
    assert scores["si"]["precision"] == pytest.approx(1.0)
    assert scores["si"]["recall"] == pytest.approx(0.75)
    # full: only the Doubt pair of article 1 counts; P = (5/5 + 0)/2 = 0.5, R = (5/10)/3 = 1/6 (|T| = 3 spans)
    assert scores["full"]["precision"] == pytest.approx(0.5)
    assert scores["full"]["recall"] == pytest.approx(1 / 6)


def test_missing_and_bad_inputs_raise_unspun_errors(tiny):
    tmp_path, articles, si, tc = tiny
    nope = str(tmp_path / "nope")
    result = _invoke("--articles", str(articles), "--gold-si", nope, "--gold-tc", str(tc), "--pred", str(tc))
    assert isinstance(result.exception, InputMissingError)
    result = _invoke("--articles", nope, "--gold-si", str(si), "--gold-tc", str(tc), "--pred", str(tc))
    assert isinstance(result.exception, InputMissingError)
    bad = tmp_path / "bad.txt"
    bad.write_text("1\tDoubt\t0\n", encoding="utf-8")
    result = _invoke("--articles", str(articles), "--gold-si", str(si), "--gold-tc", str(tc), "--pred", str(bad))
    assert isinstance(result.exception, InputDataError)
    beyond = tmp_path / "beyond.txt"
    beyond.write_text("2\tDoubt\t0\t500\n", encoding="utf-8")
    result = _invoke("--articles", str(articles), "--gold-si", str(si), "--gold-tc", str(tc), "--pred", str(beyond))
    assert isinstance(result.exception, InputDataError)


def test_without_predictions_needs_the_technique_model(tiny, monkeypatch):
    _, articles, si, tc = tiny
    monkeypatch.setitem(sys.modules, "unspun.stages.techniques", None)  # makes the import fail
    result = _invoke("--articles", str(articles), "--gold-si", str(si), "--gold-tc", str(tc))
    assert isinstance(result.exception, ModelError)
    assert "no technique model" in str(result.exception)


def test_bootstrap_adds_an_interval_to_each_f1(tiny):
    tmp_path, articles, si, tc = tiny
    pred = tmp_path / "pred.txt"
    pred.write_text("1\tDoubt\t0\t5\n2\tDoubt\t0\t7\n", encoding="utf-8")
    args = ["--articles", str(articles), "--gold-si", str(si), "--gold-tc", str(tc), "--pred", str(pred)]
    result = _invoke(*args, "--json", "--bootstrap", "200")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    for key in ("si", "full"):
        lo, hi = scores[key]["f1_ci95"]
        assert lo <= scores[key]["f1"] <= hi
    # SI per article: article 2 alone scores 1, article 1 alone P 1, R 0.5; both extremes occur among 200 resamples
    assert scores["si"]["f1_ci95"][1] == pytest.approx(1.0)
    assert scores["si"]["f1_ci95"][0] == pytest.approx(2 / 3)
    table = _invoke(*args, "--bootstrap", "50")
    assert table.exit_code == 0 and "95% CI" in table.stdout
    plain = json.loads(_invoke(*args, "--json").stdout)
    assert "f1_ci95" not in plain["si"]
