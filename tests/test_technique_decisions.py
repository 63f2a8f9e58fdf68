"""Issue 17: the span filters, the name feature of the span calibration, the Repetition finder, and the decision
tuning (`unspun.training.technique_decisions`) reproducing the run-time decoding. All texts are invented."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.runtime.technique_model import (
    SEGMENT_CHARS,
    TITLE_SHARE,
    TechniqueModel,
    document_evidence,
    function_only,
    name_like,
    repetition_cue,
)
from unspun.runtime.titles import title_share
from unspun.taxonomy import NAMES
from unspun.training import technique_decisions as td

from test_technique_model import FakeEncoder, random_heads  # noqa: E402  (the fake encoder and random heads)


def make_model(bias: float = 0.0, **config) -> TechniqueModel:
    cfg = {"techniques": list(NAMES), "token_threshold": 0.5, "temperature": 1.0, "min_score": 0.3,
           "second_label_prob": 0.2, "span_calibration": [4.0, -2.0], **config}
    return TechniqueModel(FakeEncoder(), random_heads(bias), cfg)


@pytest.mark.parametrize("span", ["a", "The", "it is", "We must", "of the", "they’re", "...", ""])
def test_function_words_alone_are_no_span(span):
    assert function_only(span)


@pytest.mark.parametrize("span", ["so-called experts", "disgraceful", "our glorious nation", "a traitor", "Why?! Lies"])
def test_a_span_with_a_content_word_stays(span):
    assert not function_only(span)


def _name(text: str, span: str, nth: int = 0) -> float:
    start = -1
    for _ in range(nth + 1):
        start = text.index(span, start + 1)
    return name_like(text, start, start + len(span))


def test_titles_and_names_read_as_names():
    text = "Last night we watched Gloomwater, then read a review of My Lonely Harbour by Tessaly Brandt."
    assert _name(text, "Gloomwater") == 1.0  # a (made-up) series title mid-sentence
    assert _name(text, "My Lonely Harbour") == 1.0  # a book title
    assert _name(text, "Lonely") == 1.0  # a word inside a title
    assert _name(text, "Tessaly") == 1.0  # a first name
    state = "Officials of the Federal Republic of Norland met on Tuesday."
    assert _name(state, "Republic of") == 1.0


def test_words_chosen_for_effect_are_not_names():
    text = "These corrupt bureaucrats betrayed us. Shameful! They are TRAITORS and Frauds, said a reader."
    assert _name(text, "corrupt bureaucrats") == 0.0  # lower case
    assert _name(text, "Shameful") == 0.0  # a single word opening a sentence
    assert _name(text, "TRAITORS") == 0.0  # capitals throughout: shouting, not a name
    headline = "Globalist Elites Plot The Great Swindle\nThe plan was unveiled on Monday."
    assert _name(headline, "Great Swindle") == 0.0  # a Title Case headline: capitals say nothing there


def test_repetition_cue_finds_other_occurrences_ignoring_case_and_punctuation():
    text = "Drain the swamp! They promised to drain, the SWAMP. Nobody did it."
    first = text.index("Drain the swamp")
    assert repetition_cue(text, first, first + len("Drain the swamp")) == (False, True)
    second = text.index("drain, the SWAMP")
    assert repetition_cue(text, second, second + len("drain, the SWAMP")) == (True, False)
    lone = text.index("Nobody")
    assert repetition_cue(text, lone, lone + 6) == (False, False)


def test_repetition_cue_matches_whole_words_and_looks_a_bounded_distance():
    text = "The traitorous plan. A traitor spoke."
    start = text.index("traitor ")
    assert repetition_cue(text, start, start + len("traitor")) == (False, False)  # "traitorous" is another word
    far = "witch hunt " + "x " * SEGMENT_CHARS + "witch hunt"
    assert repetition_cue(far, len(far) - 10, len(far)) == (False, False)
    near = "witch hunt and again a witch hunt"
    assert repetition_cue(near, len(near) - 10, len(near)) == (True, False)


def _cue_by_pattern_alone(text: str, start: int, end: int) -> tuple[bool, bool]:
    """The cue as it was before the casefold pre-check: the case-insensitive pattern searched on both sides."""
    words = re.findall(r"[^\W_]+(?:['\u2019][^\W_]+)*", text[start:end])
    if not words or len(" ".join(words)) < 3:
        return False, False
    pattern = re.compile(r"(?<![^\W_])" + r"\W+".join(re.escape(w) for w in words) + r"(?![^\W_])", re.I)
    lo, hi = max(0, start - 2 * SEGMENT_CHARS), end + 2 * SEGMENT_CHARS
    return pattern.search(text, lo, start) is not None, pattern.search(text, end, hi) is not None


# letters whose case-insensitive matches are irregular: dotted and dotless i, sharp s, long s, the Kelvin sign,
# final sigma, a ligature that casefolds to two letters
_TRICKY = "aAiIİıßſsSKkΣσςﬁ "


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_TRICKY + "'’-,.", min_size=1, max_size=40), st.data())
def test_repetition_cue_precheck_changes_no_answer(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert repetition_cue(text, start, end) == _cue_by_pattern_alone(text, start, end)


def test_repetition_cue_sees_case_variants_the_casefold_cannot():
    text = "İstanbul burns. They said istanbul burns again."  # re.I equates İ and i; casefold does not
    second = text.index("istanbul burns")
    assert repetition_cue(text, second, second + len("istanbul burns")) == (True, False)


def test_later_occurrence_bonus_lifts_the_first_occurrence():
    text = "It is a witch hunt. They said it again: a witch hunt."
    first = text.index("witch hunt")
    second = text.index("witch hunt", first + 1)
    spans = [(first, first + 10), (second, second + 10)]
    got = make_model(repeat_bonus_later=50.0).classify(text, spans)
    assert got[0][0][0] == "Repetition"
    plain = make_model()
    assert got[1] == plain.classify(text, spans)[1]  # the later bonus leaves a repeated occurrence alone


def test_the_run_time_drops_function_word_spans():
    text = "The a of the in. " * 30 + "A shameful betrayal of the nation by corrupt elites."
    for bias in (-1.0, 0.0, 2.0):
        model = make_model(bias=bias, token_threshold=0.05, min_score=0.0)
        for d in model.predict(text, floor=0.0):
            assert not function_only(text[d.start : d.end]), d
        keep = make_model(bias=bias, token_threshold=0.05, min_score=0.0, drop_function_only=False)
        if any(function_only(text[d.start : d.end]) for d in keep.predict(text, floor=0.0)):
            return
    pytest.fail("the fake model never proposed a function-word span, so the filter was not exercised")


@pytest.mark.parametrize("offset", [0.0, -3.0])
@pytest.mark.parametrize("name_labels", [None, ["Name_Calling,Labeling", "Repetition", "Slogans"], []])
@pytest.mark.parametrize("gate", [(0.0, 0.0), (0.6, 8.0), (0.9, 40.0)])
@pytest.mark.parametrize("calibration", [(6.0, -3.0), (6.0, -3.0, 1.5, -2.0)])
def test_tuning_tables_reproduce_the_run_time(calibration, gate, name_labels, offset):
    """`apply` over the candidate tables gives exactly the rows that `TechniqueModel.predict` gives, with the
    document gate too, whether the gate comes from the config (what ships) or from `Decisions.set_on` (tuning)."""
    texts = {"1": "They lie and lie again. Our glorious nation, betrayed by Gloomwater elites!\nIt is a disgrace.",
             "2": "A calm report: the council met on Tuesday and approved the budget. Drain the swamp, drain the swamp.",
             "3": "We watched Gloomwater Harbour Nights with the Federal Republic of Norland's Grand Vizier Tessaly.",
             "4": "His new book, Traitors Everywhere: How the Elites Lied, Cheated, and Betrayed Us, sold well. "
                  "The elites lied, cheated and betrayed us."}
    model = make_model(bias=0.5, repeat_bonus=1.0, repeat_bonus_later=0.5, prior_weight=0.5,
                       log_prior=np.linspace(-3, -1, len(NAMES)).tolist(), name_labels=name_labels)
    d = td.Decisions(temperature=1.2, prior_weight=0.5, repeat_bonus=1.0, repeat_bonus_later=0.5, token_threshold=0.4,
                     span_calibration=calibration, min_score=0.1, second_label_prob=0.2, gate_threshold=gate[0],
                     gate_weight=gate[1], detect_repeat_offset=offset)
    d.set_on(model)
    cache = {i: (t, list(model.encode_segments(t))) for i, t in texts.items()}
    table = td.candidates(model, cache, sorted(texts), d.token_threshold)
    assert len(table.article) > 0
    got = sorted(td.apply(model, d, table))
    want = sorted((i, x.technique, x.start, x.end) for i, t in texts.items() for x in model.predict(t, floor=d.min_score))
    assert got == want
    # the config the benchmark writes (`Decisions.settings`) gives the same model
    shipped = make_model(bias=0.5, log_prior=np.linspace(-3, -1, len(NAMES)).tolist(), name_labels=name_labels,
                         **d.settings())
    again = sorted((i, x.technique, x.start, x.end) for i, t in texts.items() for x in shipped.predict(t, floor=d.min_score))
    assert again == want
    if name_labels is not None:  # a name-like span carries only the techniques where the name is the label
        assert table.name.any()
        for i, tech, s, e in got:
            assert tech in name_labels or not name_like(texts[i], s, e)
    for i, _, s, e in got:  # no span mostly inside a title of a work, at the run time and in the tables alike
        assert title_share(texts[i], s, e) < TITLE_SHARE
    if gate[1] and gate[0] > table.evidence.min():
        ungated = td.Decisions(**{**d.__dict__, "gate_weight": 0.0})
        assert len(td.apply(model, ungated, table)) >= len(got)  # a gate only ever removes items


def test_document_evidence_is_the_mean_of_the_strongest_tokens():
    assert document_evidence(np.array([], dtype=np.float32)) == 0.0
    assert document_evidence(np.array([0.2])) == pytest.approx(0.2)
    probs = np.array([0.1] * 95 + [0.9] * 5)
    assert document_evidence(probs) == pytest.approx(0.9)  # the highest 5%
    assert document_evidence(np.array([0.1] * 99 + [0.9])) == pytest.approx((0.9 + 4 * 0.1) / 5)
    assert document_evidence(probs[::-1]) == document_evidence(probs)  # order does not matter


def test_gate_lowers_weak_documents_monotonically_and_leaves_strong_ones():
    model = make_model(span_calibration=[6.0, -3.0], document_gate={"threshold": 0.5, "weight": 10.0})
    evidence = np.linspace(0.0, 1.0, 41)
    p = np.array([model.calibrate_span(0.6, evidence=e) for e in evidence])
    assert np.all(np.diff(p) >= 0)  # more evidence never lowers a span
    plain = make_model(span_calibration=[6.0, -3.0]).calibrate_span(0.6)
    assert np.allclose(p[evidence >= 0.5], plain)  # at or over the threshold the gate is off
    assert p[0] < plain / 20  # a text with no persuasive stretch at all is lowered hard
    for raw in (0.3, 0.5, 0.9):  # and the span's own evidence still orders spans within a text
        assert model.calibrate_span(raw, evidence=0.3) < model.calibrate_span(raw + 0.05, evidence=0.3)
    off = make_model(span_calibration=[6.0, -3.0])
    assert off.gate(0.0) == 0.0 and off.calibrate_span(0.6, evidence=0.0) == plain


def test_choose_gate_keeps_f1_within_the_budget_and_prefers_fewer_ordinary_items():
    """On invented candidates: tuning articles whose true spans sit in strong documents, and ordinary texts whose
    candidates are all weak-document ones. The chosen gate removes ordinary items and costs at most the budget."""
    rng = np.random.default_rng(5)
    model = make_model()
    T = len(NAMES)

    def table(ids, strong, n=30):
        c = td.Candidates()
        for i in ids:
            for k in range(n):
                c.article.append(i)
                c.start.append(10 * k)
                c.end.append(10 * k + 5)
                c.raw.append(float(rng.uniform(0.45, 0.7)))
                c.density.append(0.1)
                c.evidence.append(strong)
                c.name.append(0.0)
                lg = np.zeros((1, T), np.float32)
                lg[0, 8] = 5.0  # Loaded_Language
                c.logits.append(lg)
                c.cue.append((0.0, 0.0))
        return c.freeze()

    ptc = table([f"p{k}" for k in range(6)], 0.8)
    ordinary = table([f"o{k}" for k in range(6)], 0.2)
    si = {f"p{k}": [(10 * j, 10 * j + 5) for j in range(0, 30, 2)] for k in range(6)}
    tc = {i: [(NAMES[8], s, e) for s, e in spans] for i, spans in si.items()}
    d = td.Decisions(token_threshold=0.4, span_calibration=(6.0, -3.0), second_label_prob=1.01)
    gate, tried = td.choose_gate(model, d, {0.4: ptc}, set(si), si, tc, {0.4: ordinary}, 1000)
    base = tried[0]
    assert (base["threshold"], base["weight"]) == (0.0, 0.0)
    chosen = next(t for t in tried if (t["threshold"], t["weight"]) == gate)
    assert chosen["full_f1"] >= base["full_f1"] - td.GATE_BUDGET and chosen["si_f1"] >= base["si_f1"] - td.GATE_BUDGET
    assert chosen["ordinary_per_1000_words"] < base["ordinary_per_1000_words"]
    assert d.gate_weight == 0.0  # the decisions passed in are left alone


def test_fit_logistic_recovers_a_known_rule():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4000, 2))
    p = 1 / (1 + np.exp(-(2.0 * x[:, 0] - 1.0 * x[:, 1] + 0.5)))
    y = (rng.random(4000) < p).astype(float)
    w = td.fit_logistic(x, y)
    np.testing.assert_allclose(w, [2.0, -1.0, 0.5], atol=0.2)
    assert td.calibration_tuple(np.array([2.0, -1.0, 0.5]), "name") == (2.0, 0.5, 0.0, -1.0)
    assert td.calibration_tuple(np.array([2.0, 0.5]), "plain") == (2.0, 0.5)


def test_repetition_offset_applies_to_found_spans_only():
    """`detect_repeat_offset` (issue 17): on PTC's unseen articles, found spans labelled Repetition through the
    Repetition bonus were right 7% of the time, so spans the model finds itself get a tuned offset on that logit;
    spans given to it (`ptc classify`, the TC task the bonus was tuned for) do not."""
    rep = NAMES.index("Repetition")
    model = make_model(repeat_bonus=4.0, detect_repeat_offset=-2.5)
    logits = np.zeros((1, len(NAMES)), dtype=np.float32)
    given, found = model.adjusted(logits, True), model.adjusted(logits, True, found=True)
    assert given[0, rep] == pytest.approx(4.0) and found[0, rep] == pytest.approx(1.5)
    np.testing.assert_allclose(np.delete(given, rep, axis=1), np.delete(found, rep, axis=1))
    assert make_model().detect_repeat_offset == 0.0  # an older config: no offset
    text = "Drain the swamp, they said. Drain the swamp! The swamp must be drained, drain the swamp."
    spans = [(m, m + len("Drain the swamp")) for m in (0, 28)]
    strong = make_model(bias=0.5, repeat_bonus=50.0, detect_repeat_offset=-100.0, token_threshold=0.05)
    assert all(d.technique != "Repetition" for d in strong.predict(text, floor=0.0))
    _, classes = strong.predict_and_classify(text, spans, floor=0.0, detect=False)
    assert classes[1][0][0] == "Repetition"  # a given span that recurs: the bonus still decides


def test_tuning_chooses_an_offset_when_found_repetitions_are_wrong():
    """Every found span is gold Loaded_Language, and a large Repetition bonus labels the recurring ones Repetition:
    `tune_spans` must choose a negative offset (with its min score), after which no found span is Repetition."""
    texts = {"1": "Traitors!\n\nTraitors!\n\nThe council met.\n\nTraitors!\n\nTraitors everywhere!",
             "2": "Drain the swamp.\n\nDrain the swamp.\n\nDrain the swamp now."}  # "Drain the" found thrice
    prior = np.zeros(len(NAMES))
    prior[NAMES.index("Loaded_Language")] = 3.0
    model = make_model(bias=0.5, log_prior=prior.tolist())
    d = td.Decisions(temperature=100.0, prior_weight=1.0, repeat_bonus=5.0, token_threshold=0.5,
                     span_calibration=(1.0, 0.0), second_label_prob=1.01)
    d.set_on(model)
    cache = {i: (t, list(model.encode_segments(t))) for i, t in texts.items()}
    table = td.candidates(model, cache, sorted(texts), 0.5)
    spans = {i: sorted({(int(s), int(e)) for a, s, e in zip(table.article, table.start, table.end) if a == i}) for i in texts}
    assert all(spans.values())
    si = spans
    tc = {i: [("Loaded_Language", s, e) for s, e in v] for i, v in spans.items()}
    tables = {0.5: table}
    ys = {0.5: td.overlaps_gold(table, si)}
    before = td.apply(model, d, table, floor=0.0)
    assert any(t == "Repetition" for _, t, _, _ in before)  # the bonus mislabels the recurring spans
    td.tune_spans(model, d, tables, ys, set(texts), si, tc, ("plain",))
    assert d.detect_repeat_offset in td.DETECT_REPEAT_OFFSETS and d.detect_repeat_offset < 0
    after = td.apply(model, d, table)
    assert after and all(t == "Loaded_Language" for _, t, _, _ in after)
    assert d.settings()["detect_repeat_offset"] == d.detect_repeat_offset


def test_a_kept_gate_keeps_the_trials_of_the_search_that_chose_it(tmp_path, monkeypatch):
    """`benchmarks/technique_decisions.py --gate keep --write` updates every decision and figure but leaves the gate
    and the recorded trials of the search that chose it; `--gate search` replaces the trials."""
    import importlib.util
    import json
    from pathlib import Path

    from unspun.runtime import models

    spec = importlib.util.spec_from_file_location(
        "benchmarks_technique_decisions", Path(__file__).resolve().parent.parent / "benchmarks" / "technique_decisions.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    (tmp_path / "config.json").write_text(json.dumps({
        "min_score": 0.3, "document_gate": {"share": 0.05, "threshold": 0.6, "weight": 2.5},
        "scores": {"cross_validated": {"document_gate_trials": ["0.60, 2.5: 0.2433 0.3643 0.250 10.29"]}}}))
    monkeypatch.setattr(models, "technique_dir", lambda name: tmp_path)
    figures = {"articles": 111, "folds": 5, "objective": "full", "out_of_fold": {}, "out_of_fold_tc_per_technique": {}, "per_1000_words": {},
               "out_of_fold_items": {"items": 10, "on_a_span": 0.5, "sure_score": 0.4, "sure_items": 4, "sure_on_a_span": 0.75},
               "log_prior": [0.0], "decisions": {"min_score": 0.2, "calibration": "name", "sure_score": 0.4,
                                                   "document_gate": {"share": 0.05, "threshold": 0.6, "weight": 2.5}}}
    bench.write("accurate", {**figures, "gate_trials": [], "gate_kept": True}, "kept")
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["min_score"] == 0.2 and config["training"]["decisions"] == "kept" and config["sure_score"] == 0.4
    assert config["scores"]["cross_validated"]["out_of_fold_items"]["sure_on_a_span"] == 0.75
    assert config["scores"]["cross_validated"]["objective"] == "full" and "objective" not in config
    assert config["scores"]["cross_validated"]["document_gate_trials"] == ["0.60, 2.5: 0.2433 0.3643 0.250 10.29"]
    trial = {"threshold": 0.5, "weight": 5.0, "full_f1": 0.24, "si_f1": 0.37, "min_score": 0.2,
             "ordinary_per_1000_words": 9.2}
    bench.write("accurate", {**figures, "gate_trials": [trial], "gate_kept": False}, "searched")
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["scores"]["cross_validated"]["document_gate_trials"] == ["0.50, 5: 0.2400 0.3700 0.200 9.20"]


@pytest.mark.parametrize("gate", [(0.0, 0.0), (0.6, 8.0)])
def test_the_span_head_reproduces_the_run_time(gate):
    """With a span head (issue 17) the tuning tables and the run time give the same rows, and the config the
    benchmark writes loads into the same model; the head, not the calibration, sets the span probability."""
    from test_technique_model import H

    texts = {"1": "They lie and lie again. Our glorious nation, betrayed by Gloomwater elites!\nIt is a disgrace.",
             "2": "A calm report: the council met on Tuesday and approved the budget. Drain the swamp, drain the swamp."}
    rng = np.random.default_rng(11)
    head = (rng.normal(0, 0.5, size=2 + H + 4), 0.3, 100.0)
    model = make_model(bias=0.5, name_labels=["Name_Calling,Labeling", "Repetition", "Slogans"])
    d = td.Decisions(token_threshold=0.4, span_calibration=(1.0, 0.0), min_score=0.05, second_label_prob=0.2,
                     gate_threshold=gate[0], gate_weight=gate[1], calibration="head", span_head=head)
    d.set_on(model)
    cache = {i: (t, list(model.encode_segments(t))) for i, t in texts.items()}
    table = td.candidates(model, cache, sorted(texts), d.token_threshold)
    assert table.pooled.shape == (len(table.article), H + 4)
    got = sorted(td.apply(model, d, table))
    want = sorted((i, x.technique, x.start, x.end) for i, t in texts.items() for x in model.predict(t, floor=d.min_score))
    assert got and got == want
    shipped = make_model(bias=0.5, name_labels=["Name_Calling,Labeling", "Repetition", "Slogans"], **d.settings())
    assert shipped.span_head is not None
    again = sorted((i, x.technique, x.start, x.end) for i, t in texts.items() for x in shipped.predict(t, floor=d.min_score))
    assert again == want
    # the span probability is the head's: a head that rejects everything leaves nothing
    d.span_head = (np.zeros(2 + H + 4), -30.0, 100.0)
    assert td.apply(model, d, table) == []


def test_fit_span_head_chooses_its_ridge_on_articles_it_was_not_fitted_on():
    """The head learns a rule the inputs carry, its cross-fitted log-odds are out of sample (worse than in-sample
    on noise), and with pure noise it chooses the strongest ridge of its grid."""
    rng = np.random.default_rng(5)
    n, k = 3000, 40
    groups = np.array([f"a{i % 60}" for i in range(n)], dtype=object)
    x = rng.normal(size=(n, k))
    y = (rng.random(n) < 1 / (1 + np.exp(-(2.5 * x[:, 0] - 1.5 * x[:, 1])))).astype(float)
    (w, b, l2), z = td.fit_span_head(x, y, groups)
    assert w[0] > 1.0 and w[1] < -0.6 and np.abs(w[2:]).max() < 0.3  # shrunk by the ridge, not turned
    auc = lambda s: np.mean(s[y == 1][:, None] > s[y == 0][None, :])  # noqa: E731
    assert auc(z) > 0.8
    noise = (rng.random(n) < 0.3).astype(float)
    (w2, b2, l2_noise), z2 = td.fit_span_head(x, noise, groups)
    assert l2_noise == max(td.HEAD_L2)
    assert auc(x @ w2 + b2) > auc(z2)  # in-sample looks better than it is; the cross-fitted scores do not


_WEIGHT_TEXTS = {"1": "They lie and lie again. Our glorious nation, betrayed by Gloomwater elites!\nIt is a disgrace.",
                 "2": "A calm report: the council met on Tuesday and approved the budget. Drain the swamp, drain the swamp."}


def _weights_case():
    """A fake model, unweighted decisions set on it, and its candidate table over `_WEIGHT_TEXTS`; the min score is
    high enough that a weight of 0.4 takes any row below it."""
    model = make_model(bias=0.5)
    d = td.Decisions(token_threshold=0.4, span_calibration=(6.0, -3.0), min_score=0.4, second_label_prob=0.2)
    d.set_on(model)
    cache = {i: (t, list(model.encode_segments(t))) for i, t in _WEIGHT_TEXTS.items()}
    return model, d, td.candidates(model, cache, sorted(_WEIGHT_TEXTS), d.token_threshold)


def _most_rows(rows) -> str:
    return max({r[1] for r in rows}, key=lambda t: sum(r[1] == t for r in rows))


def test_technique_weights_reproduce_the_run_time():
    """Per-technique weights on found items' scores (measured, not shipped): the tuning tables and the run time give
    the same rows, and the config the benchmark writes loads into the same model."""
    model, base, table = _weights_case()
    unweighted = sorted(td.apply(model, base, table))
    d = td.Decisions(**{**base.__dict__, "technique_weights": {_most_rows(unweighted): 0.4}})
    d.set_on(model)
    got = sorted(td.apply(model, d, table))
    texts = _WEIGHT_TEXTS
    want = sorted((i, x.technique, x.start, x.end) for i, t in texts.items() for x in model.predict(t, floor=d.min_score))
    assert got == want and len(got) < len(unweighted)  # the weight took some of that technique's rows away
    shipped = make_model(bias=0.5, **d.settings())
    again = sorted((i, x.technique, x.start, x.end) for i, t in texts.items() for x in shipped.predict(t, floor=d.min_score))
    assert again == want
    assert make_model(bias=0.5, **base.settings()).technique_weights == {}  # none written: every weight is 1


def test_tune_weights_drops_a_technique_the_gold_never_has():
    model, d, table = _weights_case()
    tables = {d.token_threshold: table}
    rows = td.apply(model, d, table)
    wrong = _most_rows(rows)
    tc = {}
    for i, t, s, e in rows:  # the gold is every row but those of one technique
        if t != wrong:
            tc.setdefault(i, []).append((t, s, e))
    si = {i: [(s, e) for _, s, e in v] for i, v in tc.items()}
    td.tune_weights(model, d, tables, set(_WEIGHT_TEXTS), si, tc)
    assert set(d.technique_weights.values()) <= set(td.TECHNIQUE_WEIGHTS) - {1.0}
    assert d.technique_weights.get(wrong, 1.0) < 1.0
    after = td.apply(model, d, table)
    assert sum(r[1] == wrong for r in after) < sum(r[1] == wrong for r in rows)
    assert [r for r in rows if r[1] != wrong] == [r for r in after if r[1] != wrong]  # the right rows all stay


def test_the_objective_orders_the_key_so_the_min_score_follows_it():
    """`--objective si` (measured, not shipped) chooses for SI F1 first: here the second row is a right span with a
    wrong technique, so SI wants it and the full task does not."""
    rows = [("1", "Loaded_Language", 0, 5), ("1", "Loaded_Language", 10, 15)]
    scores = np.array([0.9, 0.2])
    gold_si = [("1", 0, 5), ("1", 10, 15)]
    gold_tc = [("1", "Loaded_Language", 0, 5), ("1", "Doubt", 10, 15)]
    strict, loose = td.f1_key(rows, scores, 0.5, gold_si, gold_tc), td.f1_key(rows, scores, 0.1, gold_si, gold_tc)
    assert strict == pytest.approx((2 / 3, 2 / 3)) and loose == pytest.approx((0.5, 1.0))
    assert max([(strict, 0.5), (loose, 0.1)])[1] == 0.5  # full task first: the strict floor
    si = [td.f1_key(rows, scores, f, gold_si, gold_tc, "si") for f in (0.5, 0.1)]
    assert si == [k[::-1] for k in (strict, loose)] and max(zip(si, (0.5, 0.1)))[1] == 0.1
    assert td.Decisions().objective == "full" and "objective" not in td.Decisions().settings()  # not a run-time value


def test_isotonic_fit_pools_adjacent_violators():
    assert td.isotonic(np.array([0, 1, 0, 1, 1])).tolist() == [0.0, 0.5, 0.5, 1.0, 1.0]
    assert td.isotonic(np.array([1, 0, 0])).tolist() == pytest.approx([1 / 3] * 3)
    y = np.random.default_rng(3).integers(0, 2, size=200)
    fit = td.isotonic(y)
    assert np.all(np.diff(fit) >= -1e-12) and fit.mean() == pytest.approx(y.mean())  # monotone, same total


def test_sure_score_is_where_items_become_more_likely_right_than_wrong():
    """Invented items: under 0.4 one in four lies on a gold span, from 0.4 on three in four. The sure score is
    the first score where the monotone fit reaches one half, rounded up to the 0.025 grid."""
    scores = np.round(np.arange(0.2, 0.6, 0.0025), 4)
    right = np.array([(k % 4 == 0) if s < 0.4 else (k % 4 != 3) for k, s in enumerate(scores)], dtype=float)
    assert td.sure_score(scores, right) == 0.4
    assert td.sure_score(scores + 0.011, right) == 0.425  # 0.411 rounds up, never down
    assert td.sure_score(scores[::-1], right[::-1]) == 0.4  # the order of the items does not matter
    assert td.sure_score(scores, np.zeros(len(scores))) is None  # never more likely right than wrong
    assert td.sure_score(np.array([]), np.array([])) is None
    assert td.sure_score(scores, np.ones(len(scores))) == 0.2


def test_overlaps_rows_counts_a_span_on_any_gold_span():
    si = {"1": [(10, 20), (18, 30)], "2": []}
    rows = [("1", "Loaded_Language", 25, 40), ("1", "Doubt", 0, 10), ("2", "Slogans", 0, 5), ("3", "Doubt", 0, 5)]
    assert td.overlaps_rows(rows, si).tolist() == [1.0, 0.0, 0.0, 0.0]
