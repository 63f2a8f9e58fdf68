"""`unspun eval claims` on a small hand-made data folder in the real formats (no research data needed)."""

from __future__ import annotations

import csv
import json

from unspun.datasets.checkworthy import CT19_TEST_DEBATES, split

FACTUAL = "Unemployment rose to {} percent in March, the highest level since 19{}."
CHATTY = "Thank you, {}, it is great to be here tonight, number {}."


def make_data(root):
    rows = [{"sentence_id": i, "label": i % 2, "text": (FACTUAL if i % 2 else CHATTY).format(i, i % 90 + 10)}
            for i in range(1, 121)]
    (root / "claimbuster/two_class").mkdir(parents=True)
    (root / "claimbuster/two_class/train.json").write_text(json.dumps(rows))
    (root / "claimbuster/two_class/DERIVED-pool-minus-holdout.json").write_text(json.dumps(rows))
    (root / "clef19").mkdir()
    with open(root / "clef19/CT19-T1-Training.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["line_number", "speaker", "text", "label", "file_name"])
        for k, debate in enumerate((CT19_TEST_DEBATES[0], CT19_TEST_DEBATES[-1], "20170315_nashville.tsv")):
            for n in range(1, 9):
                label = int(n % 4 == 0)
                w.writerow([n, "X", (FACTUAL if label else CHATTY).format(n + 10 * k, n + 40), label, debate])
    return root


def test_split_of_the_small_folder(tmp_path):
    s = split(make_data(tmp_path))
    assert s.test and s.val and len(s.ct19_test) == 16 and {r.group for r in s.ct19_test} == {CT19_TEST_DEBATES[0], CT19_TEST_DEBATES[-1]}


def test_eval_claims_json(tmp_path, run_cli):
    data = make_data(tmp_path)
    proc = run_cli("eval", "claims", "--data", str(data), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    scores = json.loads(proc.stdout)
    assert set(scores) == {"val", "test", "ct19"}
    for key in ("precision", "recall", "f1", "ap"):
        assert 0.0 <= scores["test"][key] <= 1.0
    assert set(scores["ct19"]["per_debate"]) == {CT19_TEST_DEBATES[0], CT19_TEST_DEBATES[-1]}
    assert scores["test"]["ap"] > 0.9  # factual numbers vs. small talk: the shipped model must rank these


def test_eval_claims_missing_data_is_exit_66(tmp_path, run_cli):
    proc = run_cli("eval", "claims", "--data", str(tmp_path))
    assert proc.returncode == 66 and "not found" in proc.stderr.decode()
