"""Engines with the real pipeline (fast model, techniques stage) and a real store: skip, failures, retry, Ray."""

from __future__ import annotations

import pytest

from unspun.corpus import engines, readers
from unspun.corpus.readers import Record
from unspun.corpus.store import Analysed, Failure, Store, content_hash, document_id

# BODY is two sentences; on so little text the small model's scores sit just under its default threshold, and these
# tests are about the engines, so they ask for every detection scored 0.05 or more.
OPTS = {"model": "fast", "min_score": 0.05, "stages": ["techniques"]}
BODY = "The corrupt regime lied again and again. Everyone knows the truth, and only a fool would believe them."


def records(n: int, site: str = "s.org") -> list[tuple[None, Record]]:
    return [(None, Record(content=f"Article {i}. {BODY}", input_format="text", source=f"mem:{i}", site=site,
                          date=f"2024-01-{i + 1:02d}", title=f"Title {i}", external_id=str(i))) for i in range(n)]


@pytest.fixture(scope="module")
def options():
    return engines.resolve_options(OPTS["model"], OPTS["min_score"], OPTS["stages"])


def test_analyzer_in_process(options):
    an = engines.Analyzer(options, frozenset())
    rec = records(1)[0][1]
    out = an.one(rec)
    assert isinstance(out, Analysed)
    assert out.doc.metadata.title == "Title 0" and out.doc.metadata.site == "s.org" and out.doc.metadata.date == "2024-01-01"
    assert out.doc.techniques and out.options_key == engines.run_key(options)[2]
    doc_id = document_id(content_hash(out.doc.text), "s.org")
    assert isinstance(engines.Analyzer(options, frozenset({doc_id}), None).one(rec), engines.Skipped)
    # forced (a retry) analyses even when the id is known
    assert isinstance(engines.Analyzer(options, frozenset({doc_id}), None).one(rec, force=True), Analysed)
    bad = an.one(Record(content=b"\xff\xfe bad", input_format="text", source="bad.txt", site="s.org"))
    assert isinstance(bad, Failure) and "UTF-8" in bad.error
    no_article = an.one(Record(content="<html><body><p>hi</p></body></html>", input_format="html", source="x.html"))
    assert isinstance(no_article, Failure) and "no article" in no_article.error


def test_local_pool_skips_on_rerun_and_retries_failures(tmp_path, options):
    store = Store(f"sqlite:///{tmp_path / 'u.db'}")
    items = records(5) + [(None, Record(content="   ", input_format="text", source="empty.txt", site="s.org"))]
    seen = []
    summary = engines.run_local(items, store, options, workers=2, batch_size=2, on_result=seen.append)
    assert (summary.analysed, summary.failed, summary.skipped) == (5, 1, 0)
    assert sum(seen) == 6
    assert store.count("ok") == 5 and store.count("error") == 1
    [(fid, failure)] = store.failures()
    assert "empty" in failure.error
    again = engines.run_local(items, store, options, workers=1)
    assert (again.analysed, again.skipped, again.failed) == (0, 5, 1)
    assert store.count() == 6
    # --reanalyze analyses everything again, still one row per document
    forced = engines.run_local(records(5), store, options, workers=1, reanalyze=True)
    assert forced.analysed == 5 and store.count() == 6
    # a retry that now succeeds replaces the failed row
    fixed = Record(content="Now it has text to analyse.", input_format="text", source="empty.txt", site="s.org")
    engines.run_local([(fid, fixed)], store, options, workers=1)
    assert store.count("error") == 0 and store.count("ok") == 6
    store.close()


def test_missing_model_stops_the_run(tmp_path, options, monkeypatch):
    from unspun.errors import ModelError
    from unspun.runtime import models

    monkeypatch.setattr(models, "MODELS_DIR", tmp_path / "no-models")
    models.load_techniques.cache_clear()
    try:
        with pytest.raises(ModelError):
            engines.Analyzer(options, frozenset())
    finally:
        models.load_techniques.cache_clear()


def test_ray_local_cluster_writes_store_and_parquet(tmp_path, options):
    ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install 'unspun[ray]')")
    # one local cluster for the three runs (run_ray leaves a cluster it did not start running)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=256 * 1024 * 1024)
    try:
        _ray_runs(tmp_path, options)
    finally:
        ray.shutdown()


def _ray_runs(tmp_path, options):
    store = Store(f"sqlite:///{tmp_path / 'u.db'}")
    # an input the reader could not read (a malformed JSONL line) flows through Ray as a failure, like any other
    unread = (None, readers.bad("rows.jsonl:2", "not valid JSON (boom)", b"{boom"))
    items = records(4) + [(None, Record(content="", input_format="text", source="empty.txt", site="s.org")), unread]
    summary = engines.run_ray(items, store, options, workers=2, batch_size=2)
    assert (summary.analysed, summary.failed) == (4, 2)
    assert store.count("ok") == 4 and store.count("error") == 2
    assert {f.source_value: f.error for _, f in store.failures()}["rows.jsonl:2"] == "not valid JSON (boom)"
    again = engines.run_ray(records(4), store, options, workers=1)
    assert again.skipped == 4 and store.count() == 6

    import pyarrow.parquet as pq

    out = tmp_path / "out"
    summary = engines.run_ray(records(3) + [unread], None, options, workers=1, parquet=out)
    table = pq.read_table(out)
    assert (summary.analysed, summary.failed) == (3, 1) and table.num_rows == 4
    rows = sorted(table.select(["status", "error", "document"]).to_pylist(), key=lambda r: r["status"])
    assert [r["status"] for r in rows] == ["error", "ok", "ok", "ok"] and all(r["document"] for r in rows[1:])
    assert rows[0]["error"] == "not valid JSON (boom)"
    store.close()
