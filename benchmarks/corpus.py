"""Corpus-scale speed: engine throughput (local pool and local Ray), database write rate, and stats at 100k documents.

    python benchmarks/corpus.py [--docs 40] [--model fast] [--stages techniques] [--stats-docs 100000] [--json]
                                [--skip-ray] [--skip-postgres] [--input FOLDER]

The figures:

1. **single process**: documents/s of `unspun.pipeline.analyze_text` in this process with one inference thread
   (`UNSPUN_THREADS=1`): the per-core baseline.
2. **local engine** at 1 and 2 workers (`unspun.corpus.engines.run_local`, writing to a temporary SQLite store):
   `wall` counts everything (spawning the workers, loading the models once per worker, writing);
   `steady` is the rate between the first and the last result, i.e. after start-up. Per-core efficiency is
   steady docs/s per worker divided by the single-process rate; parallel efficiency is rate(2) / (2 x rate(1)).
3. **ray engine** at 1 and 2 actors on a local Ray cluster (started once; its start-up is not counted). Ray Data
   hands results back in bursts, so only wall rates (actor start-up and model loading included) are reported.
4. **database writes**: documents/s and spans/s of `Store.write` in batches of 32 (one transaction each) for SQLite
   and for PostgreSQL (a throwaway cluster as in the tests, when the `postgresql` binaries are installed).
5. **stats at scale**: `--stats-docs` synthetic documents (~10 technique spans, 1 quote, 1 source and 1 actor label
   each) bulk-loaded into SQLite, then the time of `stats.compute` by site, month and week, a keyword filter,
   `compare`, and `top_speakers`.

Inputs are N synthetic articles made from `examples/*.txt` (each with a distinct line, so each is its own document),
or the .txt/.html files of `--input`. The load average is printed: figures taken while other work competes for the
CPU are lower than the machine can do.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("UNSPUN_THREADS", "1")


def articles(n: int, folder: str | None) -> list:
    from unspun.corpus.readers import Record, read

    if folder:
        recs = list(read([folder]))[:n]
        return [(None, r) for r in recs]
    bodies = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*.txt"))]
    return [(None, Record(content=f"{bodies[i % len(bodies)]}\nBenchmark article {i}.\n", input_format="text",
                          source=f"bench:{i}", site=f"site{i % 3}.org")) for i in range(n)]


def single_process(items, options) -> float:
    from unspun import pipeline

    kw = {"stages": options["stages"], "model": options["model"], "min_score": options["min_score"]}
    pipeline.analyze_text("Warm up the models.", **kw)
    t = time.perf_counter()
    for _, r in items:
        content = r.content.decode() if isinstance(r.content, bytes) else r.content
        if r.input_format == "html":
            pipeline.analyze_html(content, **kw)
        else:
            pipeline.analyze_text(content, **kw)
    return len(items) / (time.perf_counter() - t)


def timed_run(fn, n: int) -> dict:
    stamps: list[float] = []
    t0 = time.perf_counter()
    summary = fn(lambda k: stamps.extend([time.perf_counter()] * k))
    wall = time.perf_counter() - t0
    steady = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 and stamps[-1] > stamps[0] else float("nan")
    assert summary.analysed == n, summary.line()
    return {"wall_docs_s": n / wall, "steady_docs_s": steady, "wall_s": wall}


def engines_bench(items, options, use_ray: bool) -> dict:
    from unspun.corpus import engines
    from unspun.corpus.store import Store

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for w in (1, 2):
            store = Store(f"sqlite:///{tmp}/local{w}.db")
            out[f"local_{w}"] = timed_run(lambda cb: engines.run_local(items, store, options, workers=w, on_result=cb),
                                          len(items))
            store.close()
        if use_ray:
            import ray

            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=256 * 1024 * 1024)
            try:
                for w in (1, 2):
                    store = Store(f"sqlite:///{tmp}/ray{w}.db")
                    out[f"ray_{w}"] = timed_run(
                        lambda cb: engines.run_ray(items, store, options, workers=w, on_result=cb), len(items))
                    store.close()
            finally:
                ray.shutdown()
    return out


def synthetic_doc(i: int, rng: random.Random):
    from unspun.document import Actor, ActorLabel, Document, Metadata, Quote, Source, Technique
    from unspun.taxonomy import TECHNIQUES

    words = " ".join(rng.choice(("regime", "people", "minister", "said", "the", "plan", "will", "fail", "truth", "economy"))
                     for _ in range(300))
    text = f"Article {i}. {words}."
    day = datetime(2023, 1, 1) + timedelta(days=i % 700)
    doc = Document(text=text, metadata=Metadata(title=f"Article {i}", site=f"site{i % 20}.org", date=day.date().isoformat()))
    doc.options = {"model": "fast", "min_score": 0.5, "stages": ["techniques"]}
    for k in range(10):
        s = rng.randrange(0, len(text) - 20)
        t = rng.choice(TECHNIQUES)
        doc.add(Technique, s, s + 12, technique=t.name, score=0.7, definition_id=t.id)
    doc.add(Quote, 0, 8, kind="direct", speaker=f"Speaker {i % 50}")
    doc.add(Source, name=f"Source {i % 40}", type="outlet", mentions=[doc.span(0, 7)])
    doc.add(Actor, name=f"Actor {i % 30}", type="person", mentions=[doc.span(0, 7)],
            labels=[ActorLabel(0, 7, text[:7], "Loaded_Language")])
    return doc


def write_bench(url: str, n: int = 2000) -> dict:
    from unspun.corpus.store import Analysed, Store

    rng = random.Random(1)
    docs = [synthetic_doc(i, rng) for i in range(n)]
    store = Store(url)
    t = time.perf_counter()
    for i in range(0, n, 32):
        store.write([(None, Analysed(d)) for d in docs[i:i + 32]])
    secs = time.perf_counter() - t
    spans = sum(sum(1 for _ in d.items()) + 1 for d in docs)  # +1: the actor label row
    store.close()
    return {"docs_s": n / secs, "spans_s": spans / secs, "docs": n}


def stats_bench(n: int, tmp: str) -> dict:
    """Bulk-load n synthetic documents (rows built directly, as Store.write would) and time the statistics."""
    from unspun.corpus import stats
    from unspun.corpus.schema import documents, spans, technique_counts
    from unspun.corpus.store import Store, content_hash, document_id, normalize_date, span_records, technique_count_rows

    store = Store(f"sqlite:///{tmp}/stats.db")
    rng = random.Random(2)
    now = datetime.now(timezone.utc)
    t = time.perf_counter()
    chunk = 5000
    for base in range(0, n, chunk):
        doc_rows, span_rows, count_rows = [], [], []
        for i in range(base, min(n, base + chunk)):
            d = synthetic_doc(i, rng)
            iso, month, week = normalize_date(d.metadata.date)
            h = content_hash(d.text)
            doc_rows.append({"pk": i + 1, "id": document_id(h, d.metadata.site), "site": d.metadata.site, "date": iso,
                             "month": month, "week": week, "title": d.metadata.title, "content_hash": h, "status": "ok",
                             "model_name": "fast", "words": len(d.text.split()), "n_techniques": len(d.techniques),
                             "n_quotes": 1, "n_claims": 0, "n_asserted_claims": 0, "created_at": now, "text": d.text,
                             "document": d.to_json().decode()})
            srows = span_records(d)
            span_rows += [dict(r, doc_pk=i + 1) for r in srows]
            count_rows += technique_count_rows({"x": doc_rows[-1]}, {"x": srows}, {"x": i + 1})
        with store.engine.begin() as conn:
            conn.execute(documents.insert(), doc_rows)
            conn.execute(spans.insert(), span_rows)
            conn.execute(technique_counts.insert(), count_rows)
    load_s = time.perf_counter() - t
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    timings = {}
    for name, fn in (
        ("by_site", lambda: stats.compute(store, "site")),
        ("by_month", lambda: stats.compute(store, "month")),
        ("by_week", lambda: stats.compute(store, "week")),
        ("two_sites_date_range", lambda: stats.compute(store, "month", sites=["site1.org", "site2.org"], since="2023-06-01", until="2023-12-31")),
        ("keyword", lambda: stats.compute(store, "site", keyword="Article 777")),
        ("compare", lambda: stats.compare(store, "site1.org", "site2.org")),
        ("top_speakers", lambda: stats.top_speakers(store)),
        ("actor_labels", lambda: stats.actor_labels(store)),
    ):
        fn()  # warm the page cache once, as a dashboard that is being used would be
        t = time.perf_counter()
        fn()
        timings[name] = time.perf_counter() - t
    store.close()
    size_mb = os.path.getsize(f"{tmp}/stats.db") / 1e6
    return {"docs": n, "load_s": load_s, "db_mb": size_mb, "seconds": timings}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--input")
    ap.add_argument("--model", default="fast")
    ap.add_argument("--stages", default="techniques")
    ap.add_argument("--stats-docs", type=int, default=100_000)
    ap.add_argument("--write-docs", type=int, default=2000)
    ap.add_argument("--skip-ray", action="store_true")
    ap.add_argument("--skip-postgres", action="store_true")
    ap.add_argument("--skip-engines", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from unspun.corpus import engines

    options = engines.resolve_options(args.model, None, args.stages.split(","))
    result: dict = {"cpus": os.cpu_count(), "load_average_start": os.getloadavg(), "docs": args.docs, "options": options}
    if not args.skip_engines:
        items = articles(args.docs, args.input)
        result["single_process_docs_s"] = single_process(items, options)
        result.update(engines_bench(items, options, use_ray=not args.skip_ray))
        base = result["single_process_docs_s"]
        for eng in ("local", "ray"):
            if f"{eng}_1" in result:
                # Ray hands results back in bursts, so its "steady" rate is not meaningful: use wall rates for it
                key = "steady_docs_s" if eng == "local" else "wall_docs_s"
                one, two = result[f"{eng}_1"][key], result[f"{eng}_2"][key]
                result[f"{eng}_per_core_vs_single_process"] = {1: one / base, 2: two / 2 / base}
                result[f"{eng}_parallel_efficiency_1_to_2"] = two / (2 * one)
                if eng == "ray":
                    for w in (1, 2):
                        result[f"ray_{w}"].pop("steady_docs_s", None)
    with tempfile.TemporaryDirectory() as tmp:
        result["write_sqlite"] = write_bench(f"sqlite:///{tmp}/w.db", args.write_docs)
        if not args.skip_postgres:
            sys.path.insert(0, str(REPO / "tests"))
            try:
                from pgcluster import Cluster

                import pytest  # noqa: F401  (pgcluster skips through pytest when binaries are missing)

                cluster = Cluster()
                try:
                    result["write_postgres"] = write_bench(cluster.new_database(), args.write_docs)
                finally:
                    cluster.stop()
            except BaseException as exc:  # pytest's Skipped is a BaseException
                result["write_postgres"] = f"not measured: {exc}"
        if args.stats_docs:
            result["stats"] = stats_bench(args.stats_docs, tmp)
    result["load_average_end"] = os.getloadavg()
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return
    print(json.dumps(result, indent=2, default=lambda o: round(o, 3) if isinstance(o, float) else str(o)))


if __name__ == "__main__":
    main()
