"""The `unspun` command line (typer). Exit codes follow sysexits (INTERFACES.md); logs and progress go to stderr.

No error prints a traceback unless `--debug` is given (or UNSPUN_DEBUG=1).
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
import webbrowser
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from unspun.errors import UnspunError, UsageError
from unspun.pipeline import TaxonomyName
from unspun.runtime.models import DEFAULT_MODEL, ModelName
from unspun.version import __version__


def _flags_show_no_value() -> None:
    """Help lists a flag (`--offline`, `--debug`, `--help`) with no value placeholder, as it takes none.

    typer 0.29's rich help panel prints every option's type, flags included (`--offline <bool>`), where its plain
    help and click skip flags and counters; this teaches the rich panel the same rule, for every command at once.
    """
    try:
        from typer.core import TyperOption
    except ImportError:  # another typer layout: nothing to correct
        return
    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, "flags_show_no_value", False):
        return

    def display_type_rich(self, ctx):
        if getattr(self, "is_flag", False) or getattr(self, "count", False):
            return None
        return shown(self, ctx)

    display_type_rich.flags_show_no_value = True
    TyperOption.display_type_rich = display_type_rich


_flags_show_no_value()

app = typer.Typer(
    name="unspun",
    help="Show how a news or opinion article argues: techniques, quotes, sources, claims and actors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    md = "md"
    tsv = "tsv"
    html = "html"


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    html = "html"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"unspun {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """unspun: shows how a news or opinion article argues."""


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _resolve_format(fmt: Optional[OutputFormat], output: Optional[Path]) -> str:
    from unspun.render import EXTENSIONS

    if fmt is not None:
        return fmt.value
    if output is not None:
        found = EXTENSIONS.get(output.suffix.lower())
        if found is None:
            raise UsageError(f"cannot tell the format from '{output.name}'; give --format json|jsonl|md|tsv|html")
        return found
    return "summary" if sys.stdout.isatty() else "json"


@app.command()
def analyze(
    inputs: Annotated[list[str], typer.Argument(metavar="INPUT...", help="A file, an http(s) URL, or - for stdin. May repeat.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout (atomically).")] = None,
    fmt: Annotated[
        Optional[OutputFormat],
        typer.Option("--format", "-f", help="Output format. Default: from -o's extension, else a summary on a terminal, else json."),
    ] = None,
    model: Annotated[ModelName, typer.Option("--model", help="Technique model: fast or accurate.")] = ModelName(DEFAULT_MODEL),
    min_score: Annotated[
        Optional[float], typer.Option("--min-score", min=0.0, max=1.0, help="Drop detections scored below this (default: the model's own).")
    ] = None,
    stages: Annotated[Optional[str], typer.Option("--stages", help="Comma-separated stages to run (plus what they need).")] = None,
    taxonomy: Annotated[
        TaxonomyName,
        typer.Option("--taxonomy", help="Technique scheme: ptc14 (PTC's 14, SemEval-2020) or semeval23 (SemEval-2023's 23)."),
    ] = TaxonomyName.ptc14,
    input_format: Annotated[InputFormat, typer.Option("--input-format", help="How to read INPUT.")] = InputFormat.auto,
    offline: Annotated[bool, typer.Option("--offline", help="Never fetch URLs.")] = False,
    open_: Annotated[bool, typer.Option("--open", help="Open the written output in a browser or viewer.")] = False,
    max_bytes: Annotated[
        Optional[int], typer.Option("--max-bytes", min=1, help="Input size limit in bytes (default 10 MB, or UNSPUN_MAX_BYTES).")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds allowed for fetching a URL.")] = 20.0,
    time_limit: Annotated[
        Optional[float],
        typer.Option("--time-limit", help="Seconds allowed to analyse one document (default 600, or UNSPUN_TIME_LIMIT; 0 = none)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Analyse one or more articles and write a report (JSON by default when piped)."""
    from unspun.outfile import write_atomic
    from unspun.render import render

    from unspun import ingest, pipeline

    out_format = _resolve_format(fmt, output)
    options = pipeline.options([s for s in stages.split(",") if s.strip()] if stages is not None else None,
                               model.value, min_score, taxonomy.value)
    docs = []
    progress = None
    if len(inputs) > 1 and sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=_stderr_console(), transient=True)
        task = progress.add_task("analyse", total=len(inputs))
        progress.start()
    try:
        for source in inputs:
            doc = ingest.load(source, input_format.value, max_bytes, kind="argument", offline=offline, timeout=timeout)
            docs.append(pipeline.run(doc, options, time_limit=time_limit))
            if progress is not None:
                progress.advance(task)
    finally:
        if progress is not None:
            progress.stop()

    if out_format == "summary":
        from unspun.render import terminal

        terminal.show(docs)
        return
    data = render(docs, out_format, as_list=len(inputs) > 1)
    if output is None and open_:
        fd, name = tempfile.mkstemp(prefix="unspun-", suffix=f".{out_format}")
        os.close(fd)
        output = Path(name)
    if output is not None:
        write_atomic(output, data)
        if open_:
            webbrowser.open(output.resolve().as_uri())
    else:
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            sys.stderr.close()


def _mount_subcommands() -> None:
    from unspun.cli.claims import app as claims_app
    from unspun.cli.corpus import app as corpus_app
    from unspun.cli.eval import app as eval_app
    from unspun.cli.ptc import app as ptc_app
    from unspun.cli.semeval23 import app as semeval23_app
    from unspun.cli.train import app as train_app

    app.add_typer(ptc_app, name="ptc", help="PTC (SemEval-2020 Task 11) predictions in the task's file formats.")
    app.add_typer(semeval23_app, name="semeval23", help="SemEval-2023 Task 3 (subtask 3) paragraph predictions in the task's file format.")
    app.add_typer(eval_app, name="eval", help="Score predictions or the shipped models against gold labels.")
    app.add_typer(claims_app, name="claims", help="Score sentences for check-worthiness (ID<TAB>SENTENCE lines).")
    app.add_typer(corpus_app, name="corpus", help="Analyse many articles into a database; statistics, exports, Label Studio.")
    app.add_typer(train_app, name="train", help="Train unspun's models (needs the train extra: pip install 'unspun\\[train]').")
    from unspun.cli.serve import serve

    app.command("serve")(serve)


_mount_subcommands()


def main() -> None:
    """Console entry point: runs the app and maps errors to exit codes and one-line messages."""
    debug = "--debug" in sys.argv[1:] or os.environ.get("UNSPUN_DEBUG") == "1"
    try:
        app(prog_name="unspun")  # standalone mode: typer prints usage errors and exits 2 itself
    except UnspunError as exc:
        if debug:
            traceback.print_exc()
        print(f"unspun: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("unspun: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line, trace only on request
        if debug:
            traceback.print_exc()
        print(f"unspun: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)", file=sys.stderr)
        sys.exit(70)
