"""Speed of the whole `analyze` pipeline, and where the time goes, measured in one run.

    python benchmarks/pipeline.py [--model fast|accurate] [--articles DIR] [--limit 60] [--threads 2] [--json]

Each article goes through ingest and every available stage in order (techniques → quotes → claims → sources →
actors), exactly as `unspun analyze` runs them. The figures:

- **articles/s** for the whole pipeline (target: ≥ 4 PTC-length articles/s with the fast model on 2 cores);
- **share of time per stage**, from a second pass over the same articles with each stage timed alone and the spaCy
  parse on its own (it is computed once and shared by the quotes, claims, sources and actors stages; in the first
  pass, as in `analyze`, it runs on a background thread during the technique stage);
- the ratio of pipeline time to the technique encoder alone, which is the floor any pipeline pays;
- the same in CPU seconds of the process (all its threads), which a busy machine disturbs less than wall time
  (compare runs with `--threads 1` when other work shares the cores: then no thread waits for another).

Stage times are measured article by article in one process, so a changing background load hits all alike;
the load average is printed with the figures. Articles default to `$UNSPUN_SHARED_DATA/ptc/train/train-articles`
(UNSPUN_SHARED_DATA defaults to `../shared/data`), else `examples/*.txt`.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import articles  # benchmarks/articles.py: the shared article loader



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="fast", choices=["fast", "accurate"])
    ap.add_argument("--articles")
    ap.add_argument("--limit", type=int, default=60)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    os.environ["UNSPUN_THREADS"] = str(args.threads)

    from unspun import pipeline
    from unspun.ingest import text as text_ingest
    from unspun.runtime import nlp
    from unspun.runtime import models
    from unspun.runtime.threads import one_blas_thread

    texts = articles.load(args.articles, args.limit)
    stages = pipeline.resolve_stages(None)
    modules = {stage.NAME: stage for stage in pipeline.STAGES}
    # warm up: load every model once (not counted; a server or corpus worker pays it once per process)
    warm = pipeline.analyze_text(texts[0], model=args.model)
    del warm
    tm, _ = models.load_techniques(args.model)

    # 1. the pipeline as `analyze` runs it (pipeline.run: the spaCy parse overlaps with the technique stage)
    options = pipeline.options(None, args.model, None)
    nlp.clear()
    t_all, c_all = time.perf_counter(), time.process_time()
    for text in texts:
        pipeline.run(text_ingest.from_text(text, max_bytes=10_000_000), options)
    total, total_cpu = time.perf_counter() - t_all, time.process_time() - c_all

    # 2. where the time goes: the same articles, each stage timed alone, the parse on its own before them, with
    # numpy's BLAS on one thread as pipeline.run holds it
    nlp.clear()
    per_stage = dict.fromkeys(stages, 0.0)
    cpu_stage = dict.fromkeys(stages, 0.0)
    parse_s = encoder_s = ingest_s = parse_cpu = encoder_cpu = 0.0
    with one_blas_thread():
        t_seq, c_seq = time.perf_counter(), time.process_time()
        for text in texts:
            t0 = time.perf_counter()
            doc = text_ingest.from_text(text, max_bytes=10_000_000)
            doc.options = options
            ingest_s += time.perf_counter() - t0
            t0, c0 = time.perf_counter(), time.process_time()
            nlp.parse(doc.text)
            parse_s += time.perf_counter() - t0
            parse_cpu += time.process_time() - c0
            for s in stages:
                t0, c0 = time.perf_counter(), time.process_time()
                modules[s].run(doc)
                per_stage[s] += time.perf_counter() - t0
                cpu_stage[s] += time.process_time() - c0
    seq, seq_cpu = time.perf_counter() - t_seq, time.process_time() - c_seq
    for text in texts:  # the floor: the technique encoder alone, over the same pieces
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in tm.encode_segments(text):
            pass
        encoder_s += time.perf_counter() - t0
        encoder_cpu += time.process_time() - c0
    n = len(texts)
    result = {
        "model": args.model,
        "articles": n,
        "mean_chars": round(sum(map(len, texts)) / n),
        "articles_per_s": round(n / total, 2),
        "seconds": round(total, 2),
        # the stages one after another (no overlap): what each costs
        "sequential_articles_per_s": round(n / seq, 2),
        "share": {"ingest": round(ingest_s / seq, 3), "spacy_parse": round(parse_s / seq, 3),
                  **{s: round(t / seq, 3) for s, t in per_stage.items()}},
        "ratio_pipeline_to_technique_encoder": round(total / encoder_s, 2),
        # CPU seconds of this process (all its threads): steadier than wall time when other work shares the cores
        "cpu_s_per_article": round(total_cpu / n, 3),
        "cpu_share": {"spacy_parse": round(parse_cpu / seq_cpu, 3),
                      **{s: round(t / seq_cpu, 3) for s, t in cpu_stage.items()}},
        "cpu_ratio_pipeline_to_technique_encoder": round(total_cpu / encoder_cpu, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "spacy": nlp.model_info()["version"],
        "target_articles_per_s": 4.0,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{n} articles (mean {result['mean_chars']} chars), model {args.model}, {args.threads} threads")
    print(f"pipeline: {result['articles_per_s']} articles/s (target ≥ 4), {total:.1f} s")
    print(f"stages one after another: {result['sequential_articles_per_s']} articles/s; shares of that time:")
    for k, v in result["share"].items():
        print(f"  {k:<12} {v:6.1%}")
    print(f"pipeline / technique encoder alone: {result['ratio_pipeline_to_technique_encoder']}×")
    print(f"CPU time: {result['cpu_s_per_article']} s/article, "
          f"{result['cpu_ratio_pipeline_to_technique_encoder']}× the technique encoder's; shares (one after another): "
          + ", ".join(f"{k} {v:.1%}" for k, v in result["cpu_share"].items()))
    print(f"load average: {result['load_average']}")


if __name__ == "__main__":
    main()
