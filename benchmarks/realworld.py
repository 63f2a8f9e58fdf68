"""The whole pipeline on the hand-annotated real-world dev set, scored by the shared real-world scorer.

    python benchmarks/realworld.py [--model accurate|fast] [--out DIR] [--only NAME ...] [--json]

For each gold file `realworld-dev/gold/<name>.json` (`<name>` is `<stem>.txt`), this analyses the saved web page
`realworld-dev/html/<stem>.html` when there is one, and otherwise the text `realworld-dev/src/<name>` (as the
set's README says: the `.html` for the web pages, the `.txt` for the PTC scrapes), writes each Document as
`<name>.json` (what `unspun analyze --format json` writes) into `--out` (default: a temporary folder), and runs
`score_realworld.py GOLD PRED --json` from the shared tools. It prints the figures: quote precision and recall,
speaker accuracy, source precision and recall, actor precision, label recall, claim recall, sourcing accuracy,
asserted recall, junk recall, technique precision and recall, techniques per 1,000 words on neutral pieces and
content wrongly removed; then how well the `score` of sources and actors separates real items from wrong ones;
the technique figures by part (web pages, PTC scrapes, and those the technique encoders never saw or were trained
on); the same for the techniques a report shows as sure (scored at least the model's `sure_score`, chosen out of
fold on PTC); the share of each technique's rows that lie on an annotated persuasive span; and PTC's own gold
labels of the 11 scrapes scored as if unspun had predicted them (how far two human annotations of the same
articles agree).

The data is read from `$UNSPUN_SHARED_DATA` (default `../shared/data` beside the repository) and the scorer from
`$UNSPUN_SHARED_DATA/../tools/score_realworld.py`. Both are research-only: read at run time, never copied here.
Caution (from the set's README): the 11 PTC scrapes are in the technique models' training data, so the technique
figures are optimistic; judge technique precision and neutral-news false alarms on the 7 web pages.

`score(model=..., out=...)` returns the scorer's dict, so tests can call it (tests/test_quality_research.py).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The figures printed, in order, with their labels (keys of the scorer's --json output).
FIGURES = [
    ("quote_P", "quote precision"),
    ("quote_R", "quote recall"),
    ("quote_F1", "quote F1"),
    ("speaker_acc", "speaker accuracy (matched quotes)"),
    ("quote_row_ok", "quote rows right (quote and speaker)"),
    ("source_P", "source precision"),
    ("source_R", "source recall"),
    ("actor_P", "actor precision"),
    ("actor_R", "actor recall"),
    ("label_R", "label recall"),
    ("claim_R", "claim recall"),
    ("sourcing_acc", "sourcing accuracy (found claims)"),
    ("asserted_R", "asserted recall"),
    ("junk_R", "junk recall"),
    ("tech_P", "technique precision"),
    ("tech_R", "technique recall"),
    ("neutral_tech_per_1k_words", "techniques per 1000 words, neutral pieces"),
    ("content_removed", "article content wrongly removed (count)"),
]


def shared_data() -> Path:
    return Path(os.environ.get("UNSPUN_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()


def dataset() -> Path:
    return shared_data() / "realworld-dev"


def scorer_path() -> Path:
    return shared_data().parent / "tools" / "score_realworld.py"


def inputs(root: Path | None = None) -> list[tuple[str, Path]]:
    """(name, input path) per gold file, in name order: `name` is the gold file name without `.json`, and the input
    is `html/<stem>.html` when that page exists (stem = name without `.txt`), else `src/<name>`."""
    root = root or dataset()
    out = []
    for gold in sorted((root / "gold").glob("*.json")):
        name = gold.name.removesuffix(".json")
        stem = name.removesuffix(".txt")
        html = root / "html" / f"{stem}.html"
        out.append((name, html if html.exists() else root / "src" / name))
    return out


def analyse(out: Path, *, model: str = "accurate", only: list[str] | None = None,
            root: Path | None = None) -> dict[str, float]:
    """Analyse every input into `out/<name>.json`; returns seconds per document. A document that fails is reported
    on stderr and left out (the scorer then lists it as missing)."""
    import unspun
    from unspun.errors import UnspunError

    out.mkdir(parents=True, exist_ok=True)
    seconds = {}
    for name, path in inputs(root):
        if only and name not in only and name.removesuffix(".txt") not in only:
            continue
        t0 = time.perf_counter()
        try:
            doc = unspun.analyze_file(path, model=model)
        except UnspunError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            continue
        seconds[name] = round(time.perf_counter() - t0, 2)
        (out / f"{name}.json").write_bytes(doc.to_json())
    return seconds


def run_scorer(gold: Path, pred: Path) -> dict:
    """`score_realworld.py GOLD PRED --json`, parsed (it prints the JSON, then a one-line summary)."""
    tool = scorer_path()
    if not tool.exists():
        raise FileNotFoundError(f"the real-world scorer is not at {tool} (set UNSPUN_SHARED_DATA)")
    proc = subprocess.run([sys.executable, str(tool), str(gold), str(pred), "--json"],
                          capture_output=True, text=True, check=True)
    result, _ = json.JSONDecoder().raw_decode(proc.stdout.lstrip())
    return result


def _scorer_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("score_realworld", scorer_path())
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)  # type: ignore[union-attr]
    return tool


def technique_precision(gold: Path, pred: Path) -> dict[str, dict[str, float]]:
    """Per technique: how many items unspun reported and the share that lie on an annotated persuasive span, matched
    as the scorer matches them (any overlap with a span found by its `spans_of`). The set labels spans, not
    techniques, so this says how often a row of each technique points at persuasion, not whether its label is right."""
    tool = _scorer_module()
    items: dict[str, list[bool]] = {}
    for gold_file in sorted(gold.glob("*.json")):
        doc_file = pred / gold_file.name
        if not doc_file.exists():
            continue
        doc = json.loads(doc_file.read_text("utf-8"))
        spans = [sp for s in json.loads(gold_file.read_text("utf-8")).get("persuasive_spans", [])
                 for sp in tool.spans_of(doc["text"], s)]
        for t in doc.get("techniques", []):
            items.setdefault(t["technique"], []).append(any(t["start"] < e and s < t["end"] for s, e in spans))
    return {k: {"items": len(v), "on_a_span": round(sum(v) / len(v), 3)}
            for k, v in sorted(items.items(), key=lambda kv: -len(kv[1]))}


def item_score_checks(gold: Path, pred: Path) -> dict[str, dict[str, float]]:
    """How well sources' and actors' `score` separates real items from wrong ones, matched as the scorer matches
    names (its `name_match`): precision of all items, of those scored 0.5 or more, their share, and the Brier score
    against that of always answering the base rate."""
    tool = _scorer_module()
    out = {}
    for kind in ("sources", "actors"):
        pairs = []
        for gold_file in sorted(gold.glob("*.json")):
            doc_file = pred / gold_file.name
            if not doc_file.exists():
                continue
            names = [[g["name"], *g.get("aliases", [])] for g in json.loads(gold_file.read_text("utf-8")).get(kind, [])]
            for item in json.loads(doc_file.read_text("utf-8")).get(kind, []):
                cands = [item.get("name", "")] + [m.get("text", "") for m in item.get("mentions", [])[:3]]
                real = any(tool.name_match(c, n) for n in names for c in cands)
                pairs.append((item.get("score"), real))
        scored = [(p, r) for p, r in pairs if p is not None]
        if not scored:
            continue
        base = sum(r for _, r in scored) / len(scored)
        sure = [r for p, r in scored if p >= 0.5]
        out[kind] = {
            "precision_all": round(base, 3),
            "precision_sure": round(sum(sure) / len(sure), 3) if sure else 0.0,
            "share_sure": round(len(sure) / len(scored), 3),
            "brier": round(sum((p - r) ** 2 for p, r in scored) / len(scored), 3),
            "brier_base_rate": round(sum((base - r) ** 2 for _, r in scored) / len(scored), 3),
        }
    return out


def _ptc_id(name: str) -> str:
    """The PTC article id of a realworld-dev file name ("ptc-article123.txt.json" → "123")."""
    return name.removeprefix("ptc-article").split(".")[0]


def unseen_ptc_ids() -> set[str]:
    """PTC article ids the technique encoders never saw: unspun's dev and validation articles (`ptc_split`), the 111
    every technique decision is chosen on out of fold. Empty when the PTC training articles are absent."""
    from unspun.datasets import ptc_split

    folder = shared_data() / "ptc" / "train" / "train-articles"
    ids = sorted(p.stem.removeprefix("article") for p in folder.glob("article*.txt"))
    if not ids:
        return set()
    _, dev, val = ptc_split.split(ids)
    return set(dev) | set(val)


def split_scores(gold: Path, pred: Path) -> dict[str, dict]:
    """The technique figures of the 7 web pages and of the 11 PTC scrapes apart (the scorer run on each part of the
    gold): the PTC scrapes are in the technique models' training data, so the web pages are the honest part. The
    PTC scrapes are split again into those the technique encoders never saw (unspun's dev and validation articles)
    and those they were trained on."""
    unseen = unseen_ptc_ids()
    parts = (("web", lambda n: not n.startswith("ptc-")), ("ptc", lambda n: n.startswith("ptc-")),
             ("ptc_unseen", lambda n: n.startswith("ptc-") and _ptc_id(n) in unseen),
             ("ptc_seen", lambda n: n.startswith("ptc-") and _ptc_id(n) not in unseen))
    out = {}
    for part, keep in parts:
        names = [f for f in sorted(gold.glob("*.json")) if keep(f.name)]
        if not names:
            continue
        with tempfile.TemporaryDirectory(prefix=f"unspun-realworld-{part}-") as tmp:
            for f in names:
                (Path(tmp) / f.name).symlink_to(f.resolve())
            r = run_scorer(Path(tmp), pred)
        out[part] = {"docs": len(names), **{k: r[k] for k in ("tech_P", "tech_R", "neutral_tech_per_1k_words")}}
    return out


def sure_scores(gold: Path, pred: Path) -> dict | None:
    """The technique figures of the items a report shows as sure: those scored at least the sure score that the
    technique model states (`models.techniques.sure_score`, chosen out of fold on PTC, never here). Each Document
    is copied with its other techniques dropped; None when the model states no sure score."""
    names = [f for f in sorted(gold.glob("*.json")) if (pred / f.name).exists()]
    with tempfile.TemporaryDirectory(prefix="unspun-realworld-sure-") as tmp:
        gold_dir, pred_dir = Path(tmp) / "gold", Path(tmp) / "pred"
        gold_dir.mkdir()
        pred_dir.mkdir()
        sure = None
        for f in names:
            doc = json.loads((pred / f.name).read_text(encoding="utf-8"))
            sure = (doc.get("models", {}).get("techniques") or {}).get("sure_score")
            if sure is None:
                return None
            doc["techniques"] = [t for t in doc["techniques"] if t["score"] >= sure]
            (pred_dir / f.name).write_text(json.dumps(doc), encoding="utf-8")
            (gold_dir / f.name).symlink_to(f.resolve())
        if not names:
            return None
        r = run_scorer(gold_dir, pred_dir)
        web = split_scores(gold_dir, pred_dir).get("web")
    return {"sure_score": sure, **{k: r[k] for k in ("tech_P", "tech_R", "neutral_tech_per_1k_words")},
            "web": web}


def ptc_gold_reference(gold: Path, pred: Path) -> dict | None:
    """PTC's own gold techniques on the 11 PTC scrapes, scored by the same scorer as if unspun had predicted them:
    how far two sets of human annotators agree, and so about the best precision a model trained on PTC can reach
    here. Each Document is copied with its techniques replaced by PTC's labels (the final-release TC file); None when
    the PTC labels are absent or a scrape's text is not its PTC article's."""
    from unspun.datasets import ptc

    try:
        articles_dir, _, tc_file = ptc.locate(shared_data() / "ptc")
    except FileNotFoundError:
        return None
    labels = ptc.load_techniques(tc_file)
    names = [f for f in sorted(gold.glob("*.json")) if f.name.startswith("ptc-") and (pred / f.name).exists()]
    if not names:
        return None
    with tempfile.TemporaryDirectory(prefix="unspun-realworld-ptcgold-") as tmp:
        gold_dir, pred_dir = Path(tmp) / "gold", Path(tmp) / "pred"
        gold_dir.mkdir()
        pred_dir.mkdir()
        for f in names:
            article_id = _ptc_id(f.name)
            doc = json.loads((pred / f.name).read_text(encoding="utf-8"))
            source = articles_dir / f"article{article_id}.txt"
            if not source.exists() or source.read_text(encoding="utf-8") != doc["text"]:
                return None
            doc["techniques"] = [{"id": f"g{i}", "start": s, "end": e, "text": doc["text"][s:e], "technique": t,
                                  "score": 1.0} for i, (t, s, e) in enumerate(labels.get(article_id, []))]
            (pred_dir / f.name).write_text(json.dumps(doc), encoding="utf-8")
            (gold_dir / f.name).symlink_to(f.resolve())
        r = run_scorer(gold_dir, pred_dir)
        by_technique = technique_precision(gold_dir, pred_dir)
    return {"docs": len(names), **{k: r[k] for k in ("tech_P", "tech_R", "neutral_tech_per_1k_words")},
            "technique_precision": by_technique}


def score(model: str = "accurate", out: Path | None = None, only: list[str] | None = None) -> dict:
    """Analyse the set with `model` and score it: the scorer's dict (see FIGURES), plus `seconds` per document.
    With `only` (names or stems), just those documents are analysed and the scorer skips the rest (`missing`)."""
    root = dataset()
    if not (root / "gold").is_dir():
        raise FileNotFoundError(f"realworld-dev not found at {root} (set UNSPUN_SHARED_DATA)")
    with tempfile.TemporaryDirectory(prefix="unspun-realworld-") as tmp:
        pred = Path(out) if out is not None else Path(tmp)
        seconds = analyse(pred, model=model, only=only, root=root)
        result = run_scorer(root / "gold", pred)
        result["item_scores"] = item_score_checks(root / "gold", pred)
        result["parts"] = split_scores(root / "gold", pred)
        result["ptc_gold_reference"] = ptc_gold_reference(root / "gold", pred)
        result["sure"] = sure_scores(root / "gold", pred)
        result["technique_precision"] = technique_precision(root / "gold", pred)
    result["seconds"] = seconds
    result["model"] = model
    return result


def _shares(by_technique: dict) -> str:
    return ", ".join(f"{k} {v['items']} ({v['on_a_span']:.2f})" for k, v in by_technique.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="accurate", choices=["accurate", "fast"])
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the Document JSONs (default: a temporary one)")
    parser.add_argument("--only", nargs="*", default=None, help="analyse only these documents (name or stem)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        result = score(args.model, args.out, args.only)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 66
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"realworld-dev, model {args.model}: {result['docs']} documents"
          + (f" (missing: {', '.join(result['missing'])})" if result.get("missing") else ""))
    for key, label in FIGURES:
        value = result[key]
        print(f"  {label:<45} {value:.3f}" if isinstance(value, float) else f"  {label:<45} {value}")
    for kind, c in result.get("item_scores", {}).items():
        print(f"  {kind + ' scored >= 0.5: precision':<45} {c['precision_sure']:.3f} (all: {c['precision_all']:.3f}, "
              f"share {c['share_sure']:.2f}, Brier {c['brier']:.3f} vs {c['brier_base_rate']:.3f} for the base rate)")
    for part, r in result.get("parts", {}).items():
        label = {"web": "web pages", "ptc": "PTC scrapes", "ptc_unseen": "PTC, encoders never saw",
                 "ptc_seen": "PTC, in training"}[part]
        print(f"  {'techniques, ' + label + ' (' + str(r['docs']) + '): P / R / neutral':<45} {r['tech_P']:.3f} / "
              f"{r['tech_R']:.3f} / {r['neutral_tech_per_1k_words']:.2f} per 1000 words")
    sure = result.get("sure")
    if sure:
        label = f"techniques shown as sure (score >= {sure['sure_score']:.3g}): P / R / neutral"
        print(f"  {label:<45} "
              f"{sure['tech_P']:.3f} / {sure['tech_R']:.3f} / {sure['neutral_tech_per_1k_words']:.2f} per 1000 words"
              + (f" (web pages {sure['web']['tech_P']:.3f} / {sure['web']['tech_R']:.3f})" if sure.get("web") else ""))
    if result.get("technique_precision"):
        print(f"  {'technique items (share on a persuasive span)':<45} {_shares(result['technique_precision'])}")
    ref = result.get("ptc_gold_reference")
    if ref:
        print(f"  {'PTC gold labels on the ' + str(ref['docs']) + ' PTC scrapes: P / R':<45} {ref['tech_P']:.3f} / "
              f"{ref['tech_R']:.3f} (two annotations of the same articles)")
        print(f"  {'  their items (share on a persuasive span)':<45} {_shares(ref['technique_precision'])}")
    print(f"  {'seconds (all documents)':<45} {sum(result['seconds'].values()):.1f}")
    if args.out:
        print(f"Documents in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
