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
