"""Quality gates on the research data: tests that fail when the shipped analysis gets worse.

Each test runs a shipped model on a fixed set of labelled data and asserts a floor a few points under the figure
measured when the gate was set (the measured figure is in the comment beside each floor). The margins absorb the
small differences between CPUs (onnxruntime's int8 kernels round differently on AVX-512 VNNI and AVX2, which moves
PTC F1 by up to about 0.015 on the full validation split), not a real regression. When a change improves a figure,
raise its floor with it.

The data is research-only and is read where it lies (`$UNSPUN_SHARED_DATA`, default `../shared/data`); every test
skips with a message when it is absent. Sets and sizes, chosen so that the whole file runs in about 2-3 minutes
on an idle 2-core machine:

- PTC: all 74 articles of unspun's fixed validation split (`unspun eval ptc --split val`,
  `unspun.datasets.ptc_split`), never used for training or tuning, with `fast` and `accurate`;
- PolNeAR dev: every second one of the 84 articles (42), through the shipped quote stage (`unspun eval quotes`);
- check-worthiness: the held-out ClaimBuster split and the held-out CheckThat! 2019 debates (`unspun eval claims`);
- realworld-dev: the 18 hand-annotated articles through the whole pipeline with `accurate`, scored by the shared
  real-world scorer (`benchmarks/realworld.py`). Its 11 PTC scrapes are in the technique models' training data, so
  the technique figures there are optimistic; the gate only watches them move.

Figures measured on 2026-12-06 (the working tree of that day, a 2-core x86-64 machine). The whole file took 132 s
there with other work competing for the cores.
"""

from __future__ import annotations

import importlib.util

import pytest

from conftest import REPO, require_shared

MARGIN = 0.03  # the usual floor: 3 points under the measured figure


def _check(figures: dict, floors: dict) -> None:
    """Assert every figure is at least its floor; one message lists every figure that fell."""
    print({k: round(figures[k], 4) for k in floors})  # shown with -s, and in the report of a failure
    fell = {k: (round(figures[k], 4), floor) for k, floor in floors.items() if figures[k] < floor}
    assert not fell, f"below the floor (figure, floor): {fell}; all figures: {figures}"


# --- PTC techniques: SI, TC and full-task F1 on the validation split -------------------------------------------------
@pytest.fixture(scope="module")
def ptc_val():
    from unspun.datasets import ptc
    from unspun.datasets.ptc_split import split

    articles_dir, si_file, tc_file = ptc.locate(require_shared("ptc"))
    articles = ptc.load_articles(articles_dir)
    si, tc = ptc.load_spans(si_file), ptc.load_techniques(tc_file)
    val = split(sorted(articles))[2]
    assert len(val) == 74
    texts = {i: articles[i] for i in val}
    gold_si = [(i, s, e) for i in val for s, e in si.get(i, [])]
    gold_tc = [(i, t, s, e) for i in val for t, s, e in tc.get(i, [])]
    return texts, gold_si, gold_tc


# measured on the 74 validation articles with the decisions chosen on dev + val (issue 17; the honest figures are
# the cross-validated ones in the model card, `benchmarks/technique_decisions.py`): fast SI 0.3272, TC 0.6120,
# full 0.1923; accurate SI 0.3525, TC 0.6398, full 0.2230, with the name rule and (accurate) the document gate
# (before them: fast 0.3262, 0.6120, 0.1915; accurate 0.3418, 0.6398, 0.2199; with decisions chosen on dev alone:
# fast 0.3464, 0.6064, 0.1902; accurate 0.3698, 0.6215, 0.2214). SI fell then because the min score is chosen for
# full-task F1. Then the Repetition offset on found spans (`detect_repeat_offset`): fast 0.3257, 0.6120, 0.1936;
# accurate 0.3538, 0.6398, 0.2262. Then whole compounds and abbreviations, no trailing function words, with the
# decisions chosen again (accurate's gate kept): fast 0.3268, 0.6120, 0.1986; accurate 0.3512, 0.6398, 0.2260.
PTC_FLOORS = {
    "fast": {"si": 0.3268 - MARGIN, "tc": 0.6120 - MARGIN, "full": 0.1986 - MARGIN},
    "accurate": {"si": 0.3512 - MARGIN, "tc": 0.6398 - MARGIN, "full": 0.2260 - MARGIN},
}


@pytest.mark.parametrize("model", ["fast", "accurate"])
def test_ptc_validation_f1(ptc_val, model: str) -> None:
    from unspun.evaluation.ptc_scorer import score_full, score_si, score_tc
    from unspun.stages.techniques import run_ptc

    texts, gold_si, gold_tc = ptc_val
    predicted, classified = run_ptc(texts, [(a, s, e) for a, _, s, e in gold_tc], model)
    figures = {"si": score_si(predicted, gold_si).f1, "tc": score_tc(classified, gold_tc).f1,
               "full": score_full(predicted, gold_tc).f1}
    _check(figures, PTC_FLOORS[model])


# --- PolNeAR dev: quote contents and speakers ----------------------------------------------------------------------
def test_polnear_dev_quotes() -> None:
    from unspun.evaluation.quotes import evaluate_stage
    from unspun.datasets.polnear import load_split

    articles = load_split(require_shared("polnear"), "dev")
    assert len(articles) == 84
    sample = articles[::2]  # a fixed half (42 articles, 1,243 gold attributions): all 84 take twice as long
    result = evaluate_stage(sample)
    figures = {"content_f1": result["content"]["f1"], "content_precision": result["content"]["precision"],
               "content_recall": result["content"]["recall"], "speaker_accuracy": result["speaker_accuracy"],
               "direct_f1": result["direct"]["f1"], "indirect_f1": result["indirect"]["f1"]}
    # measured on the 42: content P 0.8305, R 0.6187, F1 0.7091; speaker accuracy 0.8596; direct F1 0.9227,
    # indirect F1 0.6547 (all 84: F1 0.696, speaker accuracy 0.851). Since the quotes stage admits tagger output
    # only from a score of 0.7 (chosen on PolNeAR's tuning split), precision rose from 0.68 and recall fell from 0.72.
    # PolNeAR marks attributions of words and of thoughts alike, so these figures score quotes and views together
    # (all 84, quotes alone: P 0.849, R 0.480, F1 0.614). The speaker as the parse has it (the subject of the cue's
    # verb where the tagger linked an addressee, a medium, a clause about the speaker or another sentence;
    # `unspun.stages.cue_subject`): speaker accuracy on the 42 0.8697 -> 0.8896, content F1 0.706 -> 0.711 (all 84:
    # speaker 0.861 -> 0.886, F1 0.694 -> 0.699, quotes alone F1 0.613 -> 0.621).
    _check(figures, {
        "content_f1": 0.7091 - MARGIN,
        "content_precision": 0.8305 - MARGIN,
        "content_recall": 0.6187 - MARGIN,
        "speaker_accuracy": 0.8896 - MARGIN,
        "direct_f1": 0.9227 - MARGIN,
        "indirect_f1": 0.6547 - MARGIN,
    })


# --- check-worthiness: held-out ClaimBuster and CheckThat! 2019 debates ----------------------------------------------
def test_checkworthy_held_out() -> None:
    from unspun.evaluation.checkworthy_scorer import average_precision, mean_average_precision, prf
    from unspun.runtime.models import load_claims
    from unspun.datasets.checkworthy import split

    splits = split(require_shared("checkworthy"))  # the splits `unspun eval claims` scores (held out from training)
    model, _ = load_claims()
    labels = [r.label for r in splits.test]
    scores = model.scores([r.text for r in splits.test])
    ct19 = splits.ct19_test
    ct19_scores = model.scores([r.text for r in ct19])
    ct19_map, _ = mean_average_precision([r.label for r in ct19], ct19_scores, [r.group for r in ct19])
    figures = {"test_f1": prf(labels, scores, model.threshold)["f1"], "test_ap": average_precision(labels, scores),
               "ct19_map": ct19_map}
    # measured, one sentence per encoder run: ClaimBuster held-out (1,177 sentences, 280 check-worthy) P 0.7867,
    # R 0.8429, F1 0.8138, AP 0.8968; CT19 held-out debates (4,008 sentences, 6 debates) mAP 0.2112 (batched by
    # length, as before 2026-12-06: F1 0.8179, AP 0.8979, mAP 0.213)
    _check(figures, {"test_f1": 0.8138 - MARGIN, "test_ap": 0.8968 - MARGIN, "ct19_map": 0.2112 - MARGIN})


# --- realworld-dev: the whole pipeline on hand-annotated real articles ---------------------------------------------
def _realworld():
    spec = importlib.util.spec_from_file_location("benchmarks_realworld", REPO / "benchmarks" / "realworld.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_realworld_dev() -> None:
    require_shared("realworld-dev", "gold")
    realworld = _realworld()
    if not realworld.scorer_path().exists():
        pytest.skip(f"the real-world scorer is not at {realworld.scorer_path()} (set UNSPUN_SHARED_DATA); skipping")
    r = realworld.score("accurate")
    assert r["docs"] == 18 and r["missing"] == []
    # Small counts (142 gold quotes, 77 sources, 72 labels, 192 claims), so the margins are 4-5 points.
    _check(r, {
        # quotes admitted from a tagger score of 0.7, and attributions of thoughts (knew, believes, decided) kept apart
        # as views: quote precision 0.45 -> 0.60 -> 0.75, recall 0.99 -> 0.91 -> 0.86, on purpose; then speakers in the
        # cue's sentence and line, negated and first-person cues, cited titles (issue 16): P 0.815 -> 0.851, R 0.845 ->
        # 0.817, speaker 0.733 -> 0.825; actors: credited outlets, titles, list examples and places by role dropped,
        # labels through "call X a …", "make her a …" and apposition: P 0.657 -> 0.864, labels 0.25 -> 0.514
        # then quotes end where their marks close, reported speech that gives no words is a view, and speakers are
        # as the parse has them (the cue verb's subject, not its addressee; cue_subject): quote P 0.851 -> 0.911,
        # R 0.817 -> 0.810, speaker 0.825 -> 0.843; then one name one referent (a one-word name NER tagged PERSON once),
        # who was last the subject for "he", coordinated speakers, "<words>, X said." and "As X argues, …" as explicit,
        # "according to" over a report nested in it, no indirect quote hung on a helper verb ("they are [required …]"):
        # P 0.911 -> 0.921, R 0.810 -> 0.859, speaker 0.843 -> 0.905; a statement noun as the mention stands for the
        # name right before it ("Trump tweet sent on …: “…”"): speaker 0.905 -> 0.914
        "quote_P": 0.9211 - 0.04,       # measured 0.9211 (105 of 114 predicted quotes lie in a gold quote)
        "quote_R": 0.8592 - 0.04,       # measured 0.8592 (122 of 142)
        # then "they" after people described in the plural ("when administrators are confronted, they claim"): 0.9238
        "speaker_acc": 0.9238 - 0.04,   # measured 0.9238 (97 of 105 matched quotes)
        # sources: act verbs need a clause, cues that report no speech and the one told make no speaker, links that
        # only name or explain, provenance notes, anaphors merged, hearsay in named speakers' words: P 0.762 -> 0.9175;
        # coordinated sources ("according to WHO and Congo's government"): P 0.9278, R 0.9481 -> 0.961; with the
        # parse's speakers 0.9184 (a true indirect quote by Oswald the gold does not list)
        # then 0.9286 (91 of 98) with the speakers above
        # then 0.9184 (90 of 98): a WHO duplicate merged, and "scientists" (a true speaker the gold lists under the
        # paper) became a source
        "source_P": 0.9184 - 0.04,      # measured 0.9184 (90 of 98; was 93 of 122)
        "source_R": 0.961 - 0.04,       # measured 0.961 (74 of 77)
        # then poll widgets and form fine print are junk, books cited by chapter and verse are no actors, a name NER cut
        # inside its brackets is merged: 0.8661 (207 of 239)
        # then a headline list under a related heading is junk (its teasers named no actors): 0.8697
        "actor_P": 0.8697 - 0.04,       # measured 0.8697
        "actor_R": 0.8341 - 0.04,       # measured 0.8341 (186 of 223)
        # then a label after "serving as" goes to the one who serves: 0.5278 (38 of 72)
        "label_R": 0.5278 - 0.05,       # measured 0.5278 (38 of 72)
        # claims: a line break that reads as a paragraph break ends a sentence; a report sources a sentence only from
        # its main predication; a hedge counts where it qualifies what the sentence states: sourcing 0.791 -> 0.875,
        # asserted recall 0.643 -> 0.765, claim recall 0.823 -> 0.833
        "claim_R": 0.8333 - 0.04,       # measured 0.8333 (160 of 192)
        # then a hedge in an aside the parse misses (an appended noun phrase, an adverbial clause) is not the
        # statement's: sourcing 0.875 -> 0.8875, asserted 0.7652 -> 0.7826; a report in a subordinate part sources
        # nothing whatever cue the tagger linked: 0.8938, 0.7913
        "sourcing_acc": 0.8938 - 0.04,  # measured 0.8938 (143 of 160 found claims)
        "asserted_R": 0.7913 - 0.05,    # measured 0.7913 (91 of 115)
        # techniques: decisions cross-validated over the 111 unseen PTC articles, no function-word spans, Repetition
        # found as a relation (issue 17): precision 0.4298 -> 0.494, recall 0.5268 -> 0.513; then names and titles
        # carry only their own label and the document gate (accurate): precision 0.494, recall 0.513 -> 0.496
        # then cleanup marks "more about" cards (a line that is all one link to the site's own page): 0.4935 -> 0.4967
        # then a Repetition offset on found spans, chosen out of fold on PTC: 0.4967 -> 0.5117, recall 0.496 -> 0.491
        # then spans cover whole compounds ("right-wing") and end on a content word: 0.5117 -> 0.510; then a headline
        # list under a related heading is junk: 0.5134 (web pages 0.273 -> 0.300)
        "tech_P": 0.5134 - 0.05,        # measured 0.5134 (optimistic: PTC scrapes are training data; web pages 0.300)
        "tech_R": 0.491 - 0.05,         # measured 0.491
    })
    # Lower is better for these two. Neutral pieces: measured 2.23 techniques per 1,000 words (11 in 4,923 words;
    # it was 5.89, then 4.67 before the name rule and the document gate); a ceiling 1.5 higher allows about 7 more
    # false alarms. No gold quote or claim was cut as junk (measured 0).
    # Then 1.83 (9 in 4,923 words) once cleanup marks "more about" cards; 2.03 (10) with the Repetition offset;
    # 1.63 (8) once the headline list under an "Editors' Recommendations" heading is junk.
    assert r["neutral_tech_per_1k_words"] <= 1.63 + 1.5, r
    assert r["content_removed"] == 0, r
    # junk recall: 0.82 (27 of 33 gold junk lines: credits, rules, promotions, comment prompts, newsletter boxes,
    # poll blocks; it was 0.0, then 0.27, then 0.48)
    # then a pic.twitter.com link at the end of a post's line: 0.85 (28 of 33)
    # then "more about" cards (a headline-like line that is all one link to the site's own page): 0.91 (30 of 33)
    assert r["junk_R"] >= 0.9091 - 0.05, r
    # the technique figures by part: 7 web pages, 11 PTC scrapes, and those split by whether the technique encoders
    # were trained on them (3 of the 11 are among the 111 unseen articles: precision 0.528 there, 0.518 on the 8 seen)
    parts = r["parts"]
    assert parts["web"]["docs"] == 7 and parts["ptc"]["docs"] == 11
    if realworld.unseen_ptc_ids():  # the PTC training articles are there to say which
        assert parts["ptc_unseen"]["docs"] == 3 and parts["ptc_seen"]["docs"] == 8
    # PTC's own gold labels of the 11 scrapes, scored as predictions: two human annotations agree this far (fixed
    # data, no model: 116 of 199 PTC labels lie on a span this set marks, and they find 103 of its 205)
    ref = r["ptc_gold_reference"]
    if ref is not None:
        assert ref["docs"] == 11 and abs(ref["tech_P"] - 0.5829) < 1e-3 and abs(ref["tech_R"] - 0.5024) < 1e-3, ref
        # by technique: PTC's own Repetition labels lie on a span this set marks a third of the time (unspun's: 0.28)
        assert ref["technique_precision"]["Repetition"] == {"items": 21, "on_a_span": 0.333}, ref
    shares = r["technique_precision"]
    assert shares and all(v["items"] > 0 and 0.0 <= v["on_a_span"] <= 1.0 for v in shares.values()), shares
