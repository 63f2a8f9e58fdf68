"""`unspun corpus ...`: analyse many articles into a store, then statistics, exports and the Label Studio round trip."""

from __future__ import annotations

import csv
import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from unspun.errors import UsageError
from unspun.pipeline import TaxonomyName
from unspun.runtime.models import DEFAULT_MODEL, ModelName

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]})

DbOption = Annotated[Optional[str], typer.Option("--db", help="Database URL (sqlite:///file.db, postgresql+psycopg://...) "
                                                 "or an SQLite file path. Default: $UNSPUN_DB, else unspun.db in your data folder.")]


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class GroupBy(str, Enum):
    site = "site"
    month = "month"
    week = "week"


class StatsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(str, Enum):
    parquet = "parquet"
    jsonl = "jsonl"
    csv = "csv"
    labelstudio = "labelstudio"


def _console():
    from rich.console import Console

    return Console(stderr=True)


class _Progress:
    """A rich progress bar on stderr: done/total, documents per second and ETA (the total may be unknown)."""

    def __init__(self, total: int | None, label: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
        from rich.text import Text

        class Speed(ProgressColumn):
            def render(self, task) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:.2f} docs/s" if speed else "- docs/s")

        self.progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), Speed(), TimeElapsedColumn(),
                                 TextColumn("ETA"), TimeRemainingColumn(), console=_console(), transient=False,
                                 disable=not sys.stderr.isatty())
        self.task = self.progress.add_task(label, total=total)

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()

    def advance(self, n: int) -> None:
        self.progress.advance(self.task, n)


def _run(items, total, store, options, *, engine: Engine, workers, ray_address, reanalyze, batch_size, max_bytes,
         parquet=None, label="analysing"):
    from unspun.corpus import engines

    with _Progress(total, label) as bar:
        if engine is Engine.ray:
            summary = engines.run_ray(items, store, options, workers=workers, address=ray_address, reanalyze=reanalyze,
                                      batch_size=batch_size, max_bytes=max_bytes, parquet=parquet, on_result=bar.advance)
        else:
            if parquet is not None:
                raise UsageError("--parquet needs --engine ray; the local engine writes to the store")
            summary = engines.run_local(items, store, options, workers=workers, reanalyze=reanalyze,
                                        batch_size=batch_size, max_bytes=max_bytes, on_result=bar.advance)
    console = _console()
    console.print(summary.line())
    for err in summary.errors[:5]:
        console.print(f"  failed: {err}", markup=False, highlight=False, soft_wrap=True)
    if summary.failed > 5:
        console.print(f"  ... and {summary.failed - 5} more")
    if summary.failed:
        console.print("  (failed documents are kept in the store with their error; `unspun corpus retry` runs them again)",
                      markup=False, highlight=False, soft_wrap=True)
    return summary


@app.command()
def analyze(
    inputs: Annotated[list[str], typer.Argument(metavar="INPUT...", help="Folders or globs of .txt/.html, .jsonl, .csv, .parquet, .warc[.gz].")],
    db: DbOption = None,
    engine: Annotated[Engine, typer.Option("--engine", help="local: a process pool; ray: Ray Data on a local or remote cluster.")] = Engine.local,
    ray_address: Annotated[Optional[str], typer.Option("--ray-address", "--address", help="Join this Ray cluster (auto, ray://host:10001); default: start a local one.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Worker processes or Ray actors (default: all cores).")] = None,
    model: Annotated[ModelName, typer.Option("--model", help="Technique model.")] = ModelName(DEFAULT_MODEL),
    min_score: Annotated[Optional[float], typer.Option("--min-score", min=0.0, max=1.0, help="Drop detections below this.")] = None,
    stages: Annotated[Optional[str], typer.Option("--stages", help="Comma-separated stages (plus what they need); default all.")] = None,
    taxonomy: Annotated[TaxonomyName, typer.Option("--taxonomy", help="Technique scheme: ptc14 (PTC's 14) or semeval23 (SemEval-2023's 23).")] = TaxonomyName.ptc14,
    reanalyze: Annotated[bool, typer.Option("--reanalyze", help="Analyse again documents the store already holds.")] = False,
    site: Annotated[Optional[str], typer.Option("--site", help="Use this site for every input (else from the input, or the URL's host).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents written per transaction.")] = 32,
    parquet: Annotated[Optional[Path], typer.Option("--parquet", help="With --engine ray: write results as Parquet to this folder instead of the store.")] = None,
    max_bytes: Annotated[Optional[int], typer.Option("--max-bytes", min=1, help="Per-document input size limit.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 65 when any file, row or document failed (they are stored either way).")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Analyse many articles into the store. Re-running skips what is already there (same text, site, model, options).

    A bad file, row or record never stops the run: it is stored as a failed document with its reason, and the
    exit code is 0 (65 with --strict when anything failed).
    """
    from unspun.corpus import engines, readers
    from unspun.corpus.store import Store

    options = engines.resolve_options(model.value, min_score, [s for s in stages.split(",") if s.strip()] if stages else None,
                                      taxonomy.value)
    readers.expand(inputs)  # fail early (exit 66) on a missing input
    store = None if parquet is not None else Store(db)
    total = readers.count(inputs)
    items = ((None, r) for r in readers.read(inputs, site=site))
    summary = _run(items, total, store, options, engine=engine, workers=workers, ray_address=ray_address,
                   reanalyze=reanalyze, batch_size=batch_size, max_bytes=max_bytes, parquet=parquet)
    if strict and summary.failed:
        raise typer.Exit(65)


@app.command()
def retry(
    db: DbOption = None,
    engine: Annotated[Engine, typer.Option("--engine")] = Engine.local,
    ray_address: Annotated[Optional[str], typer.Option("--ray-address", "--address")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1)] = None,
    max_bytes: Annotated[Optional[int], typer.Option("--max-bytes", min=1)] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Run the failed documents again, with the options they were first run with.

    A file or row that could not be read is read again from where it came from (it may have been fixed since).
    """
    from itertools import chain

    from unspun.corpus import engines
    from unspun.corpus.readers import Record
    from unspun.corpus.store import UNREAD, Store

    store = Store(db)
    failures = store.failures()
    if not failures:
        _console().print("no failed documents")
        return
    by_options: dict[str, list] = {}
    gone: list[str] = []  # unread failures whose input now holds no article at all
    for fid, f in failures:
        opts = engines.resolve_options(f.options.get("model"), f.options.get("min_score"), f.options.get("stages"),
                                       f.options.get("taxonomy"))
        group = by_options.setdefault(repr(sorted(opts.items())), [opts, [], []])
        if f.input_format == UNREAD and f.source_value:
            group[2].append(_reread(fid, f, gone))
            continue
        record = Record(content=f.raw, input_format=f.input_format, source=f.source_value or fid, url=f.url, site=f.site,
                        date=f.date, title=f.title, external_id=f.external_id)
        group[1].append((fid, record))
    for opts, items, rereads in by_options.values():
        # retried rows are analysed again (forced); other records of a re-read file are skipped when already stored
        _run(chain(items, *rereads), None if rereads else len(items), store, opts, engine=engine, workers=workers,
             ray_address=ray_address, reanalyze=False, batch_size=32, max_bytes=max_bytes, label="retrying")
    for fid in gone:
        store.delete(fid)
    if gone:
        _console().print(f"removed {len(gone)} failed input(s) that now hold no article", markup=False, highlight=False)


def _reread(fid: str, failure, gone: list[str]):
    """The records of a failed read, read again: the first one replaces the failed row."""
    from unspun.corpus import readers

    n = 0
    for record in readers.reread(failure.source_value):
        if failure.site:  # a bad input has a site only when the first run was given --site: apply it again
            record.site = failure.site
        yield (fid if n == 0 else None), record
        n += 1
    if n == 0:
        gone.append(fid)


@app.command()
def stats(
    db: DbOption = None,
    by: Annotated[GroupBy, typer.Option("--by", help="Group rows by site, month or ISO week.")] = GroupBy.site,
    site: Annotated[Optional[list[str]], typer.Option("--site", help="Only these sites (repeat).")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only documents dated on or after (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Only documents dated on or before (YYYY-MM-DD).")] = None,
    keyword: Annotated[Optional[str], typer.Option("--keyword", help="Only documents whose text contains this (case-insensitive).")] = None,
    compare: Annotated[Optional[tuple[str, str]], typer.Option("--compare", metavar="SITE_A SITE_B", help="Two sites side by side.")] = None,
    taxonomy: Annotated[Optional[TaxonomyName], typer.Option("--taxonomy", help="Only documents analysed under this taxonomy (default: the corpus' only one, else ptc14); the two are never mixed.")] = None,
    fmt: Annotated[StatsFormat, typer.Option("--format", "-f", help="table (terminal), json or csv.")] = StatsFormat.table,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Technique rates per 1,000 words (and quotes, claims) by site or over time. Output goes to stdout."""
    import orjson

    from unspun.corpus import stats as corpus_stats
    from unspun.corpus.store import Store

    store = Store(db)
    chosen = taxonomy.value if taxonomy is not None else None
    name, mixed = corpus_stats.resolve_taxonomy(store, chosen)
    if mixed and chosen is None and fmt is StatsFormat.table:
        _console().print(f"this corpus holds analyses under more than one taxonomy; showing {name} "
                         "(choose with --taxonomy)", markup=False, highlight=False, soft_wrap=True)
    if compare:
        data = corpus_stats.compare(store, compare[0], compare[1], since=since, until=until, keyword=keyword,
                                    taxonomy=chosen)
        if fmt is StatsFormat.json:
            sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
        elif fmt is StatsFormat.csv:
            sys.stdout.write(_compare_csv(data))
        else:
            _compare_table(data)
        return
    data = corpus_stats.compute(store, by.value, sites=site, since=since, until=until, keyword=keyword, taxonomy=chosen)
    if fmt is StatsFormat.json:
        sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    elif fmt is StatsFormat.csv:
        sys.stdout.write(stats_csv(data))
    else:
        _stats_table(data, store, site)
        failed = store.count("error")
        if failed:
            _console().print(f"{failed} failed documents are not counted (`unspun corpus retry` runs them again)",
                             markup=False, highlight=False, soft_wrap=True)


def stats_csv(data: dict) -> str:
    """The stats table flattened: one row per group, one column per technique (every one of the taxonomy's 14 or 23)."""
    from unspun.taxonomy import get

    names = get(data.get("taxonomy")).names
    names = list(names) + sorted({n for r in data["rows"] for n in r["techniques"]} - set(names))
    buf = io.StringIO()
    w = _SafeWriter(buf)
    w.writerow([data["by"], "documents", "words", "rate_per_1000_words", "quotes", "claims", "asserted_claims", *names])
    for r in data["rows"]:
        w.writerow([r["group"], r["documents"], r["words"], r["rate_per_1000_words"], r["quotes"], r["claims"],
                    r["asserted_claims"], *[r["techniques"].get(n, 0) for n in names]])
    return buf.getvalue()


class _SafeWriter:
    """A csv writer whose text cells a spreadsheet will not run as formulas (site names come from the input)."""

    def __init__(self, buf: io.StringIO) -> None:
        self.writer = csv.writer(buf, lineterminator="\n")

    def writerow(self, row: list) -> None:
        from unspun.corpus.exports import csv_safe

        self.writer.writerow([csv_safe(v) for v in row])


def _compare_csv(data: dict) -> str:
    buf = io.StringIO()
    w = _SafeWriter(buf)
    a, b = data["sites"]
    w.writerow(["technique", a, b, f"{a}_rate_per_1000_words", f"{b}_rate_per_1000_words"])
    for t in data["techniques"]:
        w.writerow([t["technique"], t["a"], t["b"], t["a_rate_per_1000_words"], t["b_rate_per_1000_words"]])
    return buf.getvalue()


def _stats_table(data: dict, store, sites) -> None:
    from rich.console import Console
    from rich.table import Table

    from unspun.corpus import stats as corpus_stats

    console = Console()
    rows = data["rows"]
    if not rows:
        console.print("no analysed documents match")
        return
    table = Table(title=f"Techniques per 1,000 words, by {data['by']} ({data.get('taxonomy', 'ptc14')})")
    for col in (data["by"], "docs", "words", "rate/1k", "quotes", "claims", "asserted", "top techniques"):
        table.add_column(col, justify="left" if col in (data["by"], "top techniques") else "right")
    for r in rows:
        top = sorted(r["techniques"].items(), key=lambda kv: -kv[1])[:3]
        table.add_row(r["group"], str(r["documents"]), f"{r['words']:,}", f"{r['rate_per_1000_words']:.2f}", str(r["quotes"]),
                      str(r["claims"]), str(r["asserted_claims"]), ", ".join(f"{k} {v}" for k, v in top))
    console.print(table)
    one_site = sites[0] if sites and len(sites) == 1 else None
    speakers = corpus_stats.top_speakers(store, one_site, 10)
    sources = corpus_stats.top_sources(store, one_site, 10)
    if speakers:
        t = Table(title="Top quoted speakers")
        t.add_column("speaker"), t.add_column("quotes", justify="right"), t.add_column("documents", justify="right")
        for s in speakers:
            t.add_row(s["name"], str(s["quotes"]), str(s["documents"]))
        console.print(t)
    if sources:
        t = Table(title="Top sources")
        t.add_column("source"), t.add_column("type"), t.add_column("documents", justify="right")
        for s in sources:
            t.add_row(s["name"], s["type"] or "", str(s["documents"]))
        console.print(t)


def _compare_table(data: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    a, b = data["sites"]
    table = Table(title=f"{a} vs {b}: techniques per 1,000 words")
    table.add_column("technique")
    table.add_column(a, justify="right")
    table.add_column(b, justify="right")
    for row_name, key in (("documents", "documents"), ("words", "words"), ("all techniques", "rate_per_1000_words")):
        table.add_row(row_name, str(data["rows"][0][key]), str(data["rows"][1][key]))
    for t in data["techniques"]:
        table.add_row(t["technique"], f"{t['a_rate_per_1000_words']:.2f}", f"{t['b_rate_per_1000_words']:.2f}")
    Console().print(table)


@app.command()
def export(
    db: DbOption = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="parquet, jsonl, csv, or labelstudio (tasks.json).")] = ExportFormat.parquet,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder (created if needed).")] = Path("export"),
    site: Annotated[Optional[list[str]], typer.Option("--site", help="Only these sites (repeat).")] = None,
    taxonomy: Annotated[Optional[TaxonomyName], typer.Option("--taxonomy", help="labelstudio: the documents (and label set) of this taxonomy; default: the corpus' only one, else ptc14. Tables carry a taxonomy column instead.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Write documents.<ext> and spans.<ext> (or tasks.json for Label Studio) into a folder."""
    from unspun.corpus import exports
    from unspun.corpus.store import Store

    counts = exports.export_tables(Store(db), fmt.value, output, sites=site,
                                   taxonomy=taxonomy.value if taxonomy is not None else None)
    _console().print(", ".join(f"{v} {k}" for k, v in counts.items()) + f" written to {output}")


@app.command("import-labelstudio")
def import_labelstudio(
    file: Annotated[Path, typer.Argument(help="A Label Studio JSON export (tasks with annotations).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder for the PTC training files.")],
    use_predictions: Annotated[bool, typer.Option("--use-predictions", help="Also take tasks nobody annotated, with the model's pre-annotations.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Write Label Studio annotations in the PTC training format (train-articles/ plus SI and TC label files)."""
    from unspun.corpus import exports

    counts = exports.import_labelstudio(file, output, use_predictions=use_predictions)
    _console().print(f"{counts['articles']} articles with {counts['spans']} technique spans written to {output}"
                     + (f" ({counts['skipped']} tasks without annotations left out)" if counts["skipped"] else ""))


@app.command()
def delete(
    db: DbOption = None,
    doc_id: Annotated[Optional[str], typer.Option("--id", help="Delete this document.")] = None,
    site: Annotated[Optional[str], typer.Option("--site", help="Delete every document of this site.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Delete one document (--id) or a whole site (--site) from the store."""
    from unspun.corpus.store import Store
    from unspun.errors import InputMissingError

    if (doc_id is None) == (site is None):
        raise UsageError("give exactly one of --id or --site")
    store = Store(db)
    if doc_id is not None:
        if not store.delete(doc_id):
            raise InputMissingError(f"no document with id {doc_id}")
        _console().print(f"deleted {doc_id}")
    else:
        _console().print(f"deleted {store.delete_site(site)} documents of {site}")
