"""A corpus that holds analyses under both taxonomies: statistics, exports and the skip key never mix the two."""

from __future__ import annotations

import json

import orjson
import sqlalchemy as sa

from test_store import make_doc

from unspun.corpus import exports, stats
from unspun.corpus.store import Store, options_key
from unspun.document import Technique


def semeval23_doc(site="c.net", date="2024-03-07"):
    doc = make_doc(text=make_doc().text + " Told under the other scheme.", site=site, date=date)
    doc.techniques = []
    s = doc.text.index("corrupt regime")
    doc.add(Technique, s, s + 14, technique="Loaded_Language", score=0.8, definition_id="s23_loaded_language")
    doc.add(Technique, s, s + 14, technique="Name_Calling-Labeling", score=0.6, definition_id="s23_name_calling_labeling")
    doc.add(Technique, s, s + 7, technique="Doubt", score=0.5, definition_id="s23_doubt")
    doc.taxonomy = "semeval23"
    doc.options = dict(doc.options, taxonomy="semeval23")
    return doc


def test_statistics_keep_to_one_taxonomy(db_url):
    store = Store(db_url)
    store.save(make_doc(site="a.com"))
    only_ptc = stats.compute(store, "site")
    assert only_ptc["taxonomy"] == "ptc14"
    store.save(semeval23_doc(site="a.com"))
    store.save(semeval23_doc(site="c.net"))
    assert set(stats.taxonomies(store)) == {"ptc14", "semeval23"}

    ptc = stats.compute(store, "site")  # both present: the default is ptc14, and only its documents count
    assert ptc["taxonomy"] == "ptc14"
    assert ptc["rows"] == only_ptc["rows"]
    s23 = stats.compute(store, "site", taxonomy="semeval23")
    assert s23["taxonomy"] == "semeval23"
    rows = {r["group"]: r for r in s23["rows"]}
    assert set(rows) == {"a.com", "c.net"}
    assert rows["a.com"]["documents"] == 1
    assert rows["a.com"]["techniques"] == {"Doubt": 1, "Loaded_Language": 1, "Name_Calling-Labeling": 1}
    assert "Name_Calling,Labeling" not in json.dumps(s23)
    cmp = stats.compare(store, "a.com", "c.net", taxonomy="semeval23")
    assert cmp["taxonomy"] == "semeval23" and {t["technique"] for t in cmp["techniques"]} == {
        "Doubt", "Loaded_Language", "Name_Calling-Labeling"}
    # "Doubt" of the 23 is not "Doubt" of the 14
    docs, total = stats.documents(store, technique="Loaded_Language")
    assert total == 1
    docs, total = stats.documents(store, technique="Loaded_Language", taxonomy="semeval23")
    assert total == 2
    assert stats.overall(store, "semeval23")["documents"] == 2 and stats.overall(store)["documents"] == 3
    # a corpus analysed under semeval23 alone reports it without being asked
    store.delete_site("a.com")
    assert stats.compute(store, "site")["taxonomy"] == "semeval23"
    store.close()


def test_exports_carry_the_taxonomy(db_url, tmp_path):
    store = Store(db_url)
    store.save(make_doc(site="a.com"))
    store.save(semeval23_doc())
    exports.export_tables(store, "jsonl", tmp_path / "t")
    docs = [orjson.loads(line) for line in (tmp_path / "t" / "documents.jsonl").read_bytes().splitlines()]
    assert sorted(d["taxonomy"] for d in docs) == ["ptc14", "semeval23"]
    spans = [orjson.loads(line) for line in (tmp_path / "t" / "spans.jsonl").read_bytes().splitlines()]
    for s in spans:
        if s["kind"] == "techniques" and s["label"] == "Name_Calling-Labeling":
            assert s["taxonomy"] == "semeval23"
    # Label Studio: one project, one label set
    assert exports.export_tables(store, "labelstudio", tmp_path / "ls", taxonomy="semeval23") == {"tasks": 1}
    config = (tmp_path / "ls" / "label_config.xml").read_text()
    assert 'value="Name_Calling-Labeling"' in config and 'value="Name_Calling,Labeling"' not in config
    assert exports.export_tables(store, "labelstudio", tmp_path / "ls14") == {"tasks": 1}
    assert 'value="Name_Calling,Labeling"' in (tmp_path / "ls14" / "label_config.xml").read_text()
    store.close()


def test_the_skip_key_and_the_stored_column(db_url):
    base = {"model": "fast", "min_score": None, "stages": ["techniques"]}
    assert options_key(base) == options_key(dict(base, taxonomy="ptc14"))  # old keys unchanged
    assert options_key(base) != options_key(dict(base, taxonomy="semeval23"))
    store = Store(db_url)
    doc_id = store.save(semeval23_doc())
    assert store.info(doc_id)["taxonomy"] == "semeval23"
    assert store.get(doc_id).taxonomy == "semeval23"
    from unspun.corpus.schema import technique_counts

    with store.connect() as conn:
        assert {r[0] for r in conn.execute(sa.select(technique_counts.c.taxonomy))} == {"semeval23"}
    store.close()
