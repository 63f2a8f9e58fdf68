"""Exports (Parquet, JSONL, CSV) and the Label Studio round trip back into the PTC training format."""

from __future__ import annotations

import csv

import orjson
import pytest

from test_store import make_doc

from unspun.corpus import exports
from unspun.corpus.store import Store
from unspun.document import Technique
from unspun.errors import InputDataError
from unspun.datasets import ptc


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'u.db'}")
    s.save(make_doc(site="a.com"))
    emoji = make_doc(text="Wow 😀 the corrupt regime is back, said nobody. \"We will lie,\" they said. Experts say so year.",
                     site="b.org")
    s.save(emoji)
    yield s
    s.close()


def test_parquet_jsonl_csv_tables(store, tmp_path):
    import pyarrow.parquet as pq

    for fmt in ("parquet", "jsonl", "csv"):
        out = tmp_path / fmt
        counts = exports.export_tables(store, fmt, out)
        assert counts == {"documents": 2, "spans": 12}
        if fmt == "parquet":
            docs = pq.read_table(out / "documents.parquet").to_pylist()
            spans = pq.read_table(out / "spans.parquet").to_pylist()
        elif fmt == "jsonl":
            docs = [orjson.loads(line) for line in (out / "documents.jsonl").read_bytes().splitlines()]
            spans = [orjson.loads(line) for line in (out / "spans.jsonl").read_bytes().splitlines()]
        else:
            with open(out / "documents.csv", encoding="utf-8", newline="") as fh:
                docs = list(csv.DictReader(fh))
            with open(out / "spans.csv", encoding="utf-8", newline="") as fh:
                spans = list(csv.DictReader(fh))
        assert {d["site"] for d in docs} == {"a.com", "b.org"}
        by_id = {d["id"]: d for d in docs}
        for s in spans:
            if s["kind"] in ("techniques", "quotes", "claims", "actor_labels"):
                text = by_id[s["document_id"]]["text"]
                assert text[int(s["start"]):int(s["end"])] == s["text"]  # offsets survive every format
        assert {s["kind"] for s in spans} == {"techniques", "quotes", "claims", "actors", "actor_labels"}
    only = exports.export_tables(store, "jsonl", tmp_path / "only", sites=["a.com"])
    assert only == {"documents": 1, "spans": 6}


def test_labelstudio_round_trip_to_ptc(store, tmp_path):
    out = tmp_path / "ls"
    assert exports.export_tables(store, "labelstudio", out) == {"tasks": 2}
    tasks = orjson.loads((out / "tasks.json").read_bytes())
    assert "<Label value=\"Loaded_Language\"" in (out / "label_config.xml").read_text()
    emoji_task = next(t for t in tasks if "😀" in t["data"]["text"])
    text = emoji_task["data"]["text"]
    result = emoji_task["predictions"][0]["result"]
    assert len(result) == 2 and result[0]["value"]["labels"] == ["Loaded_Language"]
    # Label Studio counts UTF-16 units: the emoji before the span shifts it by one
    py_start = text.index("corrupt regime")
    assert result[0]["value"]["start"] == py_start + 1
    # a reviewer fixes the first task: keeps one span, drops another, adds Doubt; the second task stays unreviewed
    plain_task = next(t for t in tasks if t is not emoji_task)
    emoji_task["annotations"] = [{"id": 1, "result": [result[0], {
        "type": "labels", "from_name": "label", "to_name": "text",
        "value": {"start": 0, "end": 6, "text": "Wow 😀", "labels": ["Doubt"]}}]}]
    export_file = tmp_path / "ls-export.json"
    export_file.write_bytes(orjson.dumps(tasks))
    counts = exports.import_labelstudio(export_file, tmp_path / "ptc")
    assert counts == {"articles": 1, "spans": 2, "skipped": 1}
    articles_dir, si, tc = ptc.locate(tmp_path / "ptc")
    articles = ptc.load_articles(articles_dir)
    assert list(articles.values()) == [text]
    [(art_id, labels)] = ptc.load_techniques(tc).items()
    assert labels == [("Doubt", 0, 5), ("Loaded_Language", py_start, py_start + len("corrupt regime"))]
    assert ptc.load_spans(si)[art_id] == [(0, 5), (py_start, py_start + 14)]
    assert (tmp_path / "ptc" / "ids.tsv").read_text().split("\t")[0] == art_id
    # with --use-predictions the unreviewed task comes along with the model's spans
    counts = exports.import_labelstudio(export_file, tmp_path / "ptc2", use_predictions=True)
    assert counts["articles"] == 2
    _, _, tc2 = ptc.locate(tmp_path / "ptc2")
    plain_labels = ptc.load_techniques(tc2)[str(plain_task["id"])]
    assert {t for t, _, _ in plain_labels} == {"Loaded_Language", "Name_Calling,Labeling"}


def test_import_rejects_bad_files(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    with pytest.raises(InputDataError):
        exports.import_labelstudio(bad, tmp_path / "o")
    bad.write_text('[{"id": 1, "data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", '
                   '"value": {"start": 0, "end": 2, "labels": ["Made_Up"]}}]}]}]')
    with pytest.raises(InputDataError, match="unknown technique"):
        exports.import_labelstudio(bad, tmp_path / "o")


def test_utf16_offsets():
    assert exports.utf16_offsets("a😀b") == [0, 1, 3, 4]  # the emoji is two UTF-16 units
    assert exports.utf16_offsets("abc") == [0, 1, 2, 3]


def test_labelstudio_task_carries_technique_items_only():
    doc = make_doc()  # two techniques on one span, a quote, a claim and an actor with a label
    assert doc.quotes and doc.claims and doc.actors[0].labels
    task = exports.to_labelstudio_task("d1", doc, 7)
    result = task["predictions"][0]["result"]
    s = doc.text.index("corrupt regime")
    assert all(isinstance(t, Technique) for t in doc.techniques)
    assert [(r["id"], r["value"]["labels"], r["value"]["start"], r["value"]["end"], r["score"]) for r in result] == [
        ("d1-t0", ["Loaded_Language"], s, s + 14, 0.9),
        ("d1-t1", ["Name_Calling,Labeling"], s, s + 14, 0.7),
    ]
    assert task["id"] == 7 and task["predictions"][0]["score"] == 0.9  # the best technique score
    assert task["predictions"][0]["model_version"] == "m 1"
