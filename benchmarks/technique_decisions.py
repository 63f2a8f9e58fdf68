"""Honest tuning of the technique models' decisions: cross-validated over the 111 PTC articles the encoders never saw.

    python benchmarks/technique_decisions.py --model fast|accurate [--calibration plain,name,head] [--gate search|off|keep]
        [--technique-weights] [--objective full|si] [--member K] [--folds 5] [--rounds 1000] [--write] [--json]

The encoders were trained on 260 PTC articles; the other 111 (unspun's fixed dev 37 + validation 74,
`unspun.datasets.ptc_split`) are unseen. Every decision parameter (temperature, class-prior weight,
Repetition bonus, token threshold, span calibration with its document-level prior, min score, second label) is
chosen by `unspun.training.techniques.tune_decisions` on the 111 articles. To say what those choices are worth on
articles they were not chosen on, the choosing itself is cross-validated: the 111 articles are cut into
`--folds` folds by article (seeded); for each fold the decisions are chosen on the other folds and applied to it.
The pooled out-of-fold predictions give SI, TC and full-task F1 (the official-style scorers in
`unspun.evaluation.ptc_scorer`) with 95% percentile-bootstrap intervals over articles
(`unspun.evaluation.bootstrap`), and TC precision/recall per technique.

Beside them: reported techniques per 1,000 words on PolNeAR dev's 84 news texts (2016 mainstream and partisan
outlets) and on the 111 PTC articles, at the decisions chosen on all 111 (what ships). realworld-dev is never
read here: it is only for measuring (`benchmarks/realworld.py`).

The document gate (`--gate search`, the default; issue 17's false alarms on ordinary news): a prior on every span's
log-odds, weight × min(0, evidence − threshold), where evidence is the mean of the piece's highest 5% token
probabilities (`runtime.technique_model.document_evidence`). It is chosen before the cross-validation
(`training.technique_decisions.choose_gate`), with the other decisions chosen on all 111 without it: of the gates
whose SI and full-task F1 on the 111 (min score re-chosen) stay within 1 point of no gate, the one that reports the
fewest items per 1,000 words on PolNeAR's 840 *train* texts (ordinary 2016 reporting, used as a rate, not as
labels). The cross-validation then chooses every other decision under that gate, fold by fold, and the min score
that ships is again the one with the best full-task F1. `--gate off` gives the figures without a gate. `--gate keep`
holds the gate stored in the model's config (chosen earlier by `--gate search`, whose trials stay recorded) and
chooses everything else again: for a change of span edges, where the search's choice among near-equal gates flips
with small changes of the candidate tables. The encoder
output of the PolNeAR train texts is kept as candidate tables only (no states) in
`build/technique-gate/<model>-polnear-train.pkl`.

`--calibration` lists the span calibrations the tuning chooses among, fold by fold: `plain` (the span's mean token
probability), `name` (plus `name_like`), `density`, and `head`, a span-level head (a ridge logistic model on the
run's pooled encoder states, `training.technique_decisions.fit_span_head`, chosen and scored on cross-fitted
log-odds; measured and not shipped, see the model card). `--member K` scores member K of an ensemble alone (what the
ensemble buys). `--technique-weights` also chooses a weight of at most 1 per technique on found items' scores, in
every fold after the other decisions (`training.technique_decisions.tune_weights`; measured and not shipped).

`--objective` is what the span decisions (token threshold, calibration, Repetition offset, min score) are chosen
for: `full` (the default; full-task F1, SI F1 breaking ties) or `si` (SI F1 first, full-task F1 breaking ties). The
second label is chosen for full-task F1 either way (it cannot change SI).

The sure score (`training.technique_decisions.sure_score`): over every item shown out of fold, the first score
where a monotone fit of "lies on a gold span" reaches one half. Renderers mark items under it as unsure; it
decides nothing about which items are reported.

`--write` stores the decisions chosen on all 111 articles and the sure score in the model's config.json, with the
out-of-fold figures under `scores.cross_validated` and this command under `training.decisions`.

Encoder output is cached in `build/technique-decisions/<model>.pkl` (the ONNX encoder is nearly all the cost);
delete it after changing a model's weights.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "build" / "technique-decisions"


def shared_data() -> Path:
    return Path(os.environ.get("UNSPUN_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load_ptc():
    """(texts of the 111 unseen articles, SI gold, TC gold, the 260 training ids)."""
    from unspun.datasets import ptc
    from unspun.datasets.ptc_split import split

    articles_dir, si_file, tc_file = ptc.locate(shared_data() / "ptc")
    articles = ptc.load_articles(articles_dir)
    train_ids, dev, val = split(sorted(articles))
    held = sorted(dev + val)
    return {i: articles[i] for i in held}, ptc.load_spans(si_file), ptc.load_techniques(tc_file), train_ids


def load_polnear() -> dict[str, str]:
    from unspun.datasets.polnear import load_split

    return {a.stem: a.text for a in load_split(shared_data() / "polnear", "dev")}


def _compact(pieces):
    return [(a, offsets, [s.astype(np.float16) for s in states]) for a, offsets, states in pieces]


def _expand(pieces):
    return [(a, offsets, [s.astype(np.float32) for s in states]) for a, offsets, states in pieces]


def _read_cache(path: Path) -> dict:
    """A pickled cache, or {} when there is none yet (its folder is made so it can be written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return pickle.load(f)


def encoded(model_name: str, model, texts: dict[str, str]) -> dict[str, tuple[str, list]]:
    """{id: (text, pieces)} with the model's encoder output, cached on disk (float16)."""
    path = CACHE / f"{model_name}.pkl"
    cache = _read_cache(path)
    missing = [i for i in texts if i not in cache or cache[i][0] != texts[i]]
    if missing:
        t0 = time.time()
        for k, i in enumerate(missing):
            cache[i] = (texts[i], _compact(list(model.encode_segments(texts[i]))))
            if k % 20 == 19:
                log(f"encoded {k + 1}/{len(missing)}")
        log(f"encoded {len(missing)} texts with {model_name} in {time.time() - t0:.0f}s")
        with path.open("wb") as f:
            pickle.dump(cache, f, protocol=pickle.HIGHEST_PROTOCOL)
    return {i: (cache[i][0], _expand(cache[i][1])) for i in texts}


def load_polnear_train() -> dict[str, str]:
    from unspun.datasets.polnear import load_split

    return {f"polnear-train:{a.stem}": a.text for a in load_split(shared_data() / "polnear", "train")}


def ordinary_tables(model_name: str, model, texts: dict[str, str]) -> tuple[dict, int]:
    """({token threshold: Candidates} over `texts}, their words), from a cache of per-text candidate tables (the
    encoder states are not kept: 840 texts of states would not fit)."""
    from unspun.runtime.technique_model import document_evidence
    from unspun.training import technique_decisions as td

    path = REPO / "build" / "technique-gate" / f"{model_name}-polnear-train.pkl"
    cache = _read_cache(path)
    # older entries were keyed "polnear:<stem>"
    cache = {(k.replace("polnear:", "polnear-train:", 1) if k.startswith("polnear:") else k): v for k, v in cache.items()}
    # entries cached before the span head existed lack its inputs (`Candidates.pooled`): encode them again
    missing = [i for i in texts if i not in cache or cache[i][0] != texts[i]
               or not isinstance(getattr(cache[i][2][td.THRESHOLDS[0]], "pooled", None), np.ndarray)]
    t0 = time.time()
    for k, i in enumerate(missing):
        pieces = list(model.encode_segments(texts[i]))
        probs = [model.si_probs(st).astype(np.float32) for _, off, st in pieces if len(off)]
        cache[i] = (texts[i], probs, {thr: td.candidates(model, {i: (texts[i], pieces)}, [i], thr) for thr in td.THRESHOLDS})
        if k % 50 == 49:
            log(f"encoded {k + 1}/{len(missing)} PolNeAR train texts")
    if missing:
        log(f"encoded {len(missing)} PolNeAR train texts with {model_name} in {time.time() - t0:.0f}s")
        with path.open("wb") as f:
            pickle.dump(cache, f, protocol=pickle.HIGHEST_PROTOCOL)
    tables = {}
    for thr in td.THRESHOLDS:
        parts = []
        for i in sorted(texts):
            text, probs, tabs = cache[i]
            part = tabs[thr]
            part.article = np.array([i] * len(part.article), dtype=object)
            if not isinstance(getattr(part, "evidence", None), np.ndarray) or len(part.evidence) != len(part.article):
                # tables cached before the gate existed: their texts are single pieces (checked), so one value
                assert len(probs) <= 1, i
                part.evidence = np.full(len(part.article), document_evidence(probs[0]) if probs else 0.0)
            parts.append(part)
        tables[thr] = td.Candidates.concat(parts)
    return tables, sum(td.words(t) for t in texts.values())


def rates(rows, texts: dict[str, str]) -> float:
    from unspun.training.technique_decisions import words

    n_words = sum(words(t) for t in texts.values())
    return round(1000 * sum(1 for r in rows if r[0] in texts) / max(n_words, 1), 3)


def evaluate(name: str, k: int, rounds: int, kinds: tuple[str, ...], gate_mode: str = "search",
             member: int | None = None, weights: bool = False, objective: str = "full") -> dict:
    from unspun.runtime.models import load_techniques as load
    from unspun.training import technique_decisions as td
    from unspun.training.techniques import training_log_prior

    model = load(name)[0]
    texts, si, tc, train_ids = load_ptc()
    polnear = {f"polnear:{k}": v for k, v in load_polnear().items()}
    cache = encoded(name, model, {**texts, **polnear})
    if member is not None:  # one member of an ensemble alone: what the ensemble buys (its states are in the cache)
        model.members = [model.members[member]]
        cache = {i: (t, [(a, off, [st[member]]) for a, off, st in pieces]) for i, (t, pieces) in cache.items()}
    held = sorted(texts)
    # the class prior is counted on the 260 training articles (what the encoder saw), never on the 111
    model.log_prior = np.asarray(training_log_prior(tc, set(held), model.techniques), dtype=np.float32)
    t0 = time.time()
    tables, ys = td.build_tables(model, cache, held + sorted(polnear), si)
    ordinary, ordinary_words = ordinary_tables(name if member is None else f"{name}-m{member}", model,
                                               load_polnear_train())
    gate, tried = (0.0, 0.0), []
    if gate_mode == "keep":
        from unspun.runtime.models import technique_dir

        stored = json.loads((technique_dir(name) / "config.json").read_text(encoding="utf-8")).get("document_gate", {})
        gate = (float(stored.get("threshold", 0.0)), float(stored.get("weight", 0.0)))
        log(f"{name}: document gate {gate} kept from the config")
    if gate_mode == "search":
        gold = td.gold_table(model, cache, [(i, t, s, e) for i in held for t, s, e in tc.get(i, [])])
        ungated = td.tune(model, tables, ys, gold, held, si, tc, kinds, objective=objective)
        ungated.detect_repeat_offset = 0.0  # the gate is chosen on span finding alone; the offset is chosen under it
        gate, tried = td.choose_gate(model, ungated, tables, held, si, tc, ordinary, ordinary_words)
        log(f"{name}: document gate {gate} chosen in {time.time() - t0:.0f}s")
    cv = td.cross_validate(model, cache, held, si, tc, k=k, rounds=rounds, kinds=kinds, extra=sorted(polnear),
                           gate=gate, tables=(tables, ys), weights=weights, objective=objective)
    log(f"{name}: cross-validated in {time.time() - t0:.0f}s")
    result = {"model": name, "objective": objective, **cv["figures"]}
    final = cv["final"]
    c = ordinary[final.token_threshold]
    result["per_1000_words"] = {
        "ptc_unseen_out_of_fold": rates(cv["pred"], texts),
        "ptc_unseen": rates(cv["shipped_rows"], texts),
        "polnear_dev": rates(cv["extra_rows"], polnear),
        "polnear_train": td.rate(td.apply(model, final, c, np.ones(len(c.article), dtype=bool)), ordinary_words),
    }
    result["gate_trials"] = tried
    result["gate_kept"] = gate_mode == "keep"
    result["log_prior"] = [round(float(x), 4) for x in model.log_prior]
    return result


def write(name: str, result: dict, command: str) -> None:
    from unspun.runtime.models import technique_dir

    path = technique_dir(name) / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    settings = dict(result["decisions"])
    settings.pop("calibration")
    config.update(settings)
    config["log_prior"] = result["log_prior"]
    config.setdefault("training", {})["decisions"] = command
    earlier_trials = config.get("scores", {}).get("cross_validated", {}).get("document_gate_trials", [])
    config.setdefault("scores", {})["cross_validated"] = {
        k: result[k] for k in ("articles", "folds", "objective", "out_of_fold", "out_of_fold_tc_per_technique",
                               "out_of_fold_items", "per_1000_words")}
    config["scores"]["cross_validated"]["calibration"] = result["decisions"]["calibration"]
    config["scores"]["cross_validated"]["document_gate"] = result["decisions"]["document_gate"]
    config["scores"]["cross_validated"]["document_gate_trials"] = earlier_trials if result.get("gate_kept") else [
        # one line each: threshold, weight: full F1 and SI F1 on the 111 (min score re-chosen), that min score,
        # items per 1,000 words on PolNeAR train (a kept gate keeps the trials of the search that chose it)
        f"{t['threshold']:.2f}, {t['weight']:g}: {t['full_f1']:.4f} {t['si_f1']:.4f} {t['min_score']:.3f} "
        f"{t['ordinary_per_1000_words']:.2f}" for t in result.get("gate_trials", [])]
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="fast", choices=["fast", "accurate"])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--calibration", default="density+name",
                        help="comma-separated span calibrations to choose among: plain, name, density, density+name, head (the span head)")
    parser.add_argument("--gate", default="search", choices=["search", "off", "keep"],
                        help="choose the document gate (default), or run without one")
    parser.add_argument("--member", type=int, help="score one member of an ensemble alone (what the ensemble buys; "
                        "not with --write)")
    parser.add_argument("--technique-weights", action="store_true",
                        help="choose a weight (at most 1) per technique on found items' scores too, in every fold "
                             "(measured, not shipped: see the model card)")
    parser.add_argument("--objective", default="full", choices=["full", "si"],
                        help="what the span decisions (token threshold, calibration, min score) are chosen for: "
                             "full-task F1 then SI F1 (full), or SI F1 then full-task F1 (si)")
    parser.add_argument("--encode-only", action="store_true", help="fill the encoder cache and stop")
    parser.add_argument("--write", action="store_true", help="store the decisions chosen on all 111 in the config")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.encode_only:
        from unspun.runtime.models import load_techniques as load

        texts, *_ = load_ptc()
        encoded(args.model, load(args.model)[0], {**texts, **{f"polnear:{k}": v for k, v in load_polnear().items()}})
        return 0
    kinds = tuple(args.calibration.split(","))
    if args.member is not None and args.write:
        parser.error("--member scores one member alone; it cannot --write the ensemble's decisions")
    result = evaluate(args.model, args.folds, args.rounds, kinds, args.gate, args.member, args.technique_weights,
                      args.objective)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        o = result["out_of_fold"]
        print(f"{args.model}: decisions cross-validated over {result['articles']} unseen PTC articles, {args.folds} folds")
        for task in ("si", "tc", "full"):
            x = o[task]
            print(f"  {task:<5} P {x['precision']:.4f} R {x['recall']:.4f} F1 {x['f1']:.4f} "
                  f"(95% {x['f1_95'][0]:.4f}-{x['f1_95'][1]:.4f})")
        print("  TC per technique (out of fold):")
        for t, x in result["out_of_fold_tc_per_technique"].items():
            print(f"    {t:<40} gold {x['gold']:>4}  P {x['precision']:.3f}  R {x['recall']:.3f}")
        print(f"  per 1,000 words: {json.dumps(result['per_1000_words'])}")
        it = result["out_of_fold_items"]
        print(f"  items shown out of fold: {it['items']}, {it['on_a_span']} of them on a gold span; "
              f"from the sure score {it['sure_score']}: {it['sure_items']}, {it['sure_on_a_span']} on a gold span")
        print(f"  decisions (all {result['articles']}): {json.dumps(result['decisions'])}")
        if result.get("gate_trials"):
            print("  document gates tried (threshold, weight: full F1, SI F1 on the 111, min score, PolNeAR train per 1,000 words):")
            for t in result["gate_trials"]:
                print(f"    {t['threshold']:.2f}, {t['weight']:>4}: {t['full_f1']:.4f} {t['si_f1']:.4f} {t['min_score']:.3f} "
                      f"{t['ordinary_per_1000_words']:.2f}")
    if args.write:
        command = (f"python benchmarks/technique_decisions.py --model {args.model} --calibration {args.calibration}"
                   f" --gate {args.gate}{' --technique-weights' if args.technique_weights else ''}"
                   f"{' --objective si' if args.objective == 'si' else ''} --write")
        write(args.model, result, command)
        log(f"wrote the decisions and figures into the {args.model} config")
    return 0


if __name__ == "__main__":
    sys.exit(main())
