"""The PolNeAR reader (brat standoff), on a hand-written article in the corpus layout, and `unspun eval quotes`."""

import json

import pytest

from unspun.datasets.polnear import load_split, read_ann

TEXT = ('Mayor Jane Roe spoke on Monday.\n\n“We will rebuild,” said Roe. “Every school.”\n\n'
        'She said that the budget\nwas fixed.\n')


def _ann() -> str:
    def span(tid, label, *parts):
        ranges = ";".join(f"{s} {e}" for s, e in parts)
        covered = " ".join(TEXT[s:e] for s, e in parts)
        return f"{tid}\t{label} {ranges}\t{covered}"

    q1, q2 = TEXT.index("“We"), TEXT.index("“Every")
    said = TEXT.index("said Roe")
    she = TEXT.index("She")
    content = TEXT.index("the budget")
    return "\n".join([
        span("T1", "Content", (q1, q1 + len("“We will rebuild,”")), (q2, q2 + len("“Every school.”"))),
        span("T2", "Cue", (said, said + 4)),
        span("T3", "Source", (said + 5, said + 8)),
        "E1\tAttribution:T2 Cue:T2 Source:T3 Content:T1",
        span("T4", "Source", (she, she + 3)),
        span("T5", "Cue", (she + 4, she + 8)),
        span("T6", "Content", (content, TEXT.index("fixed") + 5)),
        "E2\tContent:T6 Source:T4 Cue:T5 Attribution:T5",
        "E3\tAttribution:T5",  # no content: skipped
    ]) + "\n"


@pytest.fixture()
def corpus(tmp_path):
    for split in ("train", "dev"):
        (tmp_path / split / "text").mkdir(parents=True)
        (tmp_path / split / "attributions").mkdir(parents=True)
        (tmp_path / split / "text" / "pub_2016-01-01_mayor.txt").write_text(TEXT, encoding="utf-8")
        (tmp_path / split / "attributions" / "pub_2016-01-01_mayor_4e07.ann").write_text(_ann(), encoding="utf-8")
        (tmp_path / split / "attributions" / "pub_2016-01-01_mayor_ef2d.ann").write_text(_ann(), encoding="utf-8")
    return tmp_path


def test_reader_joins_discontinuous_content_and_multiline_spans(corpus):
    atts = read_ann(corpus / "dev" / "attributions" / "pub_2016-01-01_mayor_4e07.ann")
    assert len(atts) == 2
    first, second = atts
    assert [TEXT[s:e] for s, e in first.content] == ["“We will rebuild,”", "“Every school.”"]
    assert TEXT[first.source[0][0]:first.source[0][1]] == "Roe"
    assert TEXT[second.content[0][0]:second.content[0][1]] == "the budget\nwas fixed"


def test_one_annotator_per_article(corpus):
    articles = load_split(corpus, "dev")
    assert len(articles) == 1 and articles[0].annotator == "4e07"
    assert len(load_split(corpus, "dev", one_per_article=False)) == 2


def test_eval_quotes_command(corpus, run_cli):
    out = run_cli("eval", "quotes", "--data", str(corpus), "--json", text=True)
    assert out.returncode == 0, out.stderr
    scores = json.loads(out.stdout)
    # The two gold attributions (one annotator per article) and what the shipped quote stage finds:
    # 1. “We will rebuild,” + “Every school.” (two parts, 33 characters), source "Roe": found with the same two parts
    #    and speaker mention "Roe": overlap 33 of 33, speaker right.
    # 2. "the budget\nwas fixed" (20 characters), source "She": found as "that the budget\nwas fixed" (25 characters)
    #    with speaker mention "She": overlap 20 of max(25, 20) = 0.8 >= 0.5, a match, speaker right.
    # So 2 matches of 2 predicted and 2 gold: P = R = F1 = 1, speaker accuracy 2/2; one direct, one indirect.
    assert scores["content"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "pred": 2, "gold": 2, "matched": 2}
    assert scores["speaker_accuracy"] == 1.0
    assert (scores["direct"]["matched"], scores["indirect"]["matched"]) == (1, 1)


def test_eval_quotes_refuses_a_folder_that_is_not_polnear(tmp_path, run_cli):
    out = run_cli("eval", "quotes", "--data", str(tmp_path), text=True)
    assert out.returncode == 66 and "not a PolNeAR folder" in out.stderr
