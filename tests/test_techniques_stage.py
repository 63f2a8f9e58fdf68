"""The technique stage with the shipped models: valid items, offsets, definitions, evidence, min-score, errors."""

import json
import shutil

import pytest

import unspun
from conftest import EXAMPLES, assert_offsets
from unspun.errors import ModelError
from unspun.runtime import models
from unspun.taxonomy import NAMES, by_id


@pytest.fixture(scope="module")
def opinion():
    return unspun.analyze_file(EXAMPLES / "opinion-loaded.txt", model="fast", stages=["techniques"])


def test_items_are_valid(opinion):
    assert opinion.techniques, "the loaded-language example should have detections"
    for t in opinion.techniques:
        assert t.technique in NAMES
        assert by_id(t.definition_id).name == t.technique
        assert 0.0 <= t.score <= 1.0
        assert t.score >= opinion.options["min_score"]
    assert_offsets(opinion.to_plain())


def test_models_entry_and_options(opinion):
    info = opinion.models["techniques"]
    assert info["name"] and info["version"] and len(info["sha256"]) == 64
    # the score from which an item is more likely right than wrong (out of fold), for renderers to mark the rest
    config = json.loads((models.technique_dir("fast") / "config.json").read_text(encoding="utf-8"))
    assert info["sure_score"] == config["sure_score"] and opinion.options["min_score"] < info["sure_score"] < 1
    assert opinion.options["model"] == "fast" and opinion.options["stages"] == ["techniques"]


def test_min_score_filters():
    low = unspun.analyze_file(EXAMPLES / "opinion-loaded.txt", model="fast", min_score=0.05)
    high = unspun.analyze_file(EXAMPLES / "opinion-loaded.txt", model="fast", min_score=0.9)
    assert len(low.techniques) >= len(high.techniques)
    assert all(t.score >= 0.9 for t in high.techniques)


def test_neutral_report_has_fewer_detections_per_word(opinion):
    wire = unspun.analyze_file(EXAMPLES / "wire-report.txt", model="fast")
    rate = lambda d: len(d.techniques) / len(d.text.split())  # noqa: E731
    assert rate(wire) < rate(opinion)


def test_removed_junk_gets_no_technique():
    doc = unspun.analyze_file(EXAMPLES / "scraped-screenshots.txt", model="fast")
    for t in doc.techniques:
        assert not doc.is_removed(t.start, t.end)


def test_repetition_evidence_points_at_other_occurrences():
    text = ("Enough is enough. The council lied to us. Enough is enough. They want the docks. "
            "Enough is enough, and we will not be silent while our town is sold to strangers.")
    doc = unspun.analyze_text(text, model="fast", min_score=0.0)
    for t in doc.techniques:
        if t.technique == "Repetition":
            for ev in t.evidence:
                assert text[ev.start:ev.end].lower() == t.text.lower()


@pytest.mark.parametrize(
    "text",
    [
        "Word",
        "no punctuation at all just a long stream of words that goes on " * 40,
        "Правительство объявило во вторник о новых мерах. Это позор и предательство!",
        "控制字符\x01\x02 mixed with text \x7f and more text here.",
        "The plan is a disaster.\n" * 10_000,  # 240 KB; the 2 MB case runs on a fake encoder in test_technique_model
    ],
)
def test_stage_survives_odd_text(text):
    doc = unspun.analyze_text(text, model="fast")
    for t in doc.techniques:
        assert 0 <= t.start < t.end <= len(text) and text[t.start:t.end] == t.text


@pytest.fixture
def fast_copy(tmp_path, monkeypatch):
    """A copy of the fast model that the test may break; the stage loads from it."""
    shutil.copytree(models.technique_dir("fast"), tmp_path / "fast")
    monkeypatch.setattr(models, "MODELS_DIR", tmp_path)
    models.load_techniques.cache_clear()
    yield tmp_path / "fast"
    models.load_techniques.cache_clear()


def test_missing_model_file_is_a_model_error(fast_copy):
    (fast_copy / "heads.npz").unlink()
    with pytest.raises(ModelError, match="heads.npz"):
        models.load_techniques("fast")


def test_corrupt_model_file_is_a_model_error(fast_copy):
    config = json.loads((fast_copy / "config.json").read_text())
    (fast_copy / config.get("encoder_file", "encoder.int8.onnx")).write_bytes(b"not an onnx file")
    with pytest.raises(ModelError, match="corrupt"):
        models.load_techniques("fast")


# --- issue 17: no false alarms on ordinary news (hand-written texts, not copies of any data set) --------------------
WIRE = ("BRUSSELS - European Union finance ministers agreed on Tuesday to extend a temporary rule on bank capital by two "
        "years, a spokesman for the bloc's rotating presidency said. The measure, first adopted in 2020, lets lenders "
        "count some state-guaranteed loans toward their reserves. Ministers will review the rule again in March 2027, "
        "the spokesman added. Officials in Germany and the Netherlands had asked for a shorter extension, according to "
        "a document seen by reporters. The European Central Bank declined to comment. Shares of the region's largest "
        "banks rose 0.4 percent in early trading.")
RANT = ("These corrupt, lying bureaucrats in Brussels have betrayed every hard-working family in this country! They are "
        "traitors, parasites feeding on our taxes, and they laugh at you while they do it. Wake up! Our glorious nation "
        "is being destroyed by these globalist thugs. Enough is enough. Enough is enough. Stand up now, before it is too "
        "late and our children inherit nothing but ruins and shame.")
SCIENCE = ("Astronomers have spotted a huge storm raging on a distant gas giant, a team reported on Monday in the journal "
           "Nature Astronomy. The storm, about three times the size of Earth, was first seen in images taken in 2023 and "
           "has lasted at least 18 months. The planet orbits a young star some 130 light-years away. Its winds reach about "
           "2 kilometres a second, the researchers estimated, and the team plans to observe it again next year with the "
           "James Webb Space Telescope. The finding could help scientists understand how weather works on worlds unlike "
           "our own, the lead author said. Critics called the earlier estimate wildly wrong and a disaster for the field.")
TITLES = ("Last week I played A Plague Tale: Innocence and then read Sarah The Implausible, a novel by Mira Holt. Both "
          "appear on the American Library Association's list for 2024, alongside Bombshell Summer.")


def _ungated(name: str):
    """The shipped model with its document gate off (same encoder and heads)."""
    from unspun.runtime.technique_model import TechniqueModel

    tm = models.load_techniques(name)[0]
    return TechniqueModel(tm.encode, tm.heads, {**tm.config, "document_gate": None}, more=tm.members[1:])


@pytest.mark.parametrize("model", ["fast", "accurate"])
def test_a_neutral_wire_paragraph_gets_no_technique_and_a_rant_still_does(model):
    wire = unspun.analyze_text(WIRE, model=model, stages=["techniques"])
    rant = unspun.analyze_text(RANT, model=model, stages=["techniques"])
    assert wire.techniques == []
    assert len(rant.techniques) >= 3
    assert {t.technique for t in rant.techniques} & {"Name_Calling,Labeling", "Loaded_Language"}


@pytest.mark.parametrize("model", ["fast", "accurate"])
def test_the_document_gate_only_lowers_and_leaves_a_rant_alone(model):
    tm = models.load_techniques(model)[0]
    off = _ungated(model)
    for text in (WIRE, SCIENCE, RANT, TITLES):
        gated = {(d.start, d.end, d.technique): d.score for d in tm.predict(text, floor=0.0)}
        plain = {(d.start, d.end, d.technique): d.score for d in off.predict(text, floor=0.0)}
        assert gated.keys() <= plain.keys()
        assert all(score <= plain[key] for key, score in gated.items())  # the gate never raises a score
    rant = {(d.start, d.end, d.technique, d.score) for d in tm.predict(RANT, floor=tm.min_score)}
    assert rant == {(d.start, d.end, d.technique, d.score) for d in off.predict(RANT, floor=tm.min_score)}


@pytest.mark.parametrize("model", ["fast", "accurate"])
def test_names_and_titles_carry_only_their_own_label(model):
    from unspun.runtime.technique_model import name_like

    tm = models.load_techniques(model)[0]
    assert tm.name_labels == {"Name_Calling,Labeling", "Repetition", "Slogans"}
    for d in tm.predict(TITLES, floor=0.0):
        if name_like(TITLES, d.start, d.end):
            assert d.technique in tm.name_labels, (TITLES[d.start : d.end], d.technique)


BOOK = ("Last month the author published his new book, Globalist Thugs: How Corrupt Traitors Destroyed Our Glorious "
        "Nation. It sold 4,000 copies in its first week, the publisher said.")
PROSE = ("Last month the author wrote that globalist thugs and corrupt traitors destroyed our glorious nation. It sold "
         "4,000 copies in its first week, the publisher said.")


@pytest.mark.parametrize("model", ["fast", "accurate"])
def test_no_technique_inside_a_title_of_a_work_though_its_words_get_one_in_prose(model):
    """The issue's rule: never a span inside a title of a work. The same words written as the author's own get a
    technique, so the title, not the words, is what keeps them out."""
    from unspun.runtime.titles import title_share

    tm = models.load_techniques(model)[0]
    assert title_share(BOOK, BOOK.index("Globalist"), BOOK.index(". It")) == 1.0
    assert not [d for d in tm.predict(BOOK, floor=0.0) if title_share(BOOK, d.start, d.end) > 0]
    assert [d for d in tm.predict(PROSE, floor=0.2) if "thugs" in PROSE[d.start : d.end]]
