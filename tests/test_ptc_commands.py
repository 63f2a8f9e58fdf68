"""`unspun ptc predict|classify` on a folder of articles, in the task's formats, and `eval ptc` on the output."""

import json

import pytest

from conftest import EXAMPLES


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for k, name in enumerate(["opinion-loaded.txt", "wire-report.txt", "scraped-screenshots.txt"]):
        (folder / f"article{1000 + k}.txt").write_bytes((EXAMPLES / name).read_bytes())
    return folder


def read_rows(path):
    return [line.split("\t") for line in path.read_text().splitlines() if line]


def test_predict_writes_rows_with_raw_offsets(articles, tmp_path, run_cli):
    out = tmp_path / "pred.txt"
    proc = run_cli("ptc", "predict", str(articles), "-o", str(out), "--model", "fast")
    assert proc.returncode == 0, proc.stderr.decode()
    rows = read_rows(out)
    assert rows
    for article_id, technique, start, end in rows:
        text = (articles / f"article{article_id}.txt").read_text(encoding="utf-8")
        assert article_id in {"1000", "1001", "1002"}
        assert 0 <= int(start) < int(end) <= len(text)


def test_classify_fills_the_template_and_varies_repeated_spans(articles, tmp_path, run_cli):
    template = tmp_path / "template.txt"
    template.write_text("1000\t?\t0\t10\n1000\t?\t0\t10\n1001\t?\t5\t40\n")
    out = tmp_path / "tc.txt"
    proc = run_cli("ptc", "classify", str(template), str(articles), "-o", str(out), "--model", "fast")
    assert proc.returncode == 0, proc.stderr.decode()
    rows = read_rows(out)
    assert [(r[0], r[2], r[3]) for r in rows] == [("1000", "0", "10"), ("1000", "0", "10"), ("1001", "5", "40")]
    assert rows[0][1] != rows[1][1], "a repeated span gets distinct techniques, best first"


def test_eval_scores_a_prediction_file(articles, tmp_path, run_cli):
    # A hand-written `ptc predict` file, so the scores can be worked out (rules: unspun.evaluation.ptc_scorer).
    out = tmp_path / "pred.txt"
    out.write_text("1000\tLoaded_Language\t0\t5\n1000\tDoubt\t2\t8\n1000\tDoubt\t20\t30\n")
    gold_si = tmp_path / "si.txt"
    gold_tc = tmp_path / "tc.txt"
    gold_si.write_text("1000\t0\t10\n")
    gold_tc.write_text("1000\tLoaded_Language\t0\t10\n")
    proc = run_cli("eval", "ptc", "--articles", str(articles), "--gold-si", str(gold_si), "--gold-tc", str(gold_tc),
               "--pred", str(out), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    scores = json.loads(proc.stdout)
    assert set(scores) == {"si", "full"}
    # SI ignores techniques: [0,5) and [2,8) overlap and merge into [0,8); S = {[0,8), [20,30)}, T = {[0,10)}.
    #   P = 1/2 * (8/8 + 0) = 0.5;  R = 1/1 * 8/10 = 0.8;  F1 = 2 * 0.5 * 0.8 / 1.3 = 8/13
    assert (scores["si"]["precision"], scores["si"]["recall"], scores["si"]["f1"]) == pytest.approx((0.5, 0.8, 8 / 13))
    # Full task: spans merge per technique, so S = {LL [0,5), Doubt [2,8), Doubt [20,30)}; only LL [0,5) meets the
    # gold LL [0,10).  P = 1/3 * 5/5 = 1/3;  R = 5/10 = 0.5;  F1 = 2 * (1/3) * (1/2) / (5/6) = 0.4
    full = scores["full"]
    assert (full["precision"], full["recall"], full["f1"]) == pytest.approx((1 / 3, 0.5, 0.4))


def test_bad_inputs(tmp_path, run_cli):
    assert run_cli("ptc", "predict", str(tmp_path / "nope"), "-o", str(tmp_path / "x")).returncode == 66
    (tmp_path / "empty").mkdir()
    assert run_cli("ptc", "predict", str(tmp_path / "empty"), "-o", str(tmp_path / "x")).returncode == 65
