"""Shared test helpers: paths to the examples and to the research data (which may be absent)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from pgcluster import db_url, pg_cluster, pg_url  # noqa: F401  (throwaway PostgreSQL for the store tests)

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def shared_data() -> Path:
    """The research data folder: $UNSPUN_SHARED_DATA, default ../shared/data beside the repository."""
    return Path(os.environ.get("UNSPUN_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()


def require_shared(*parts: str) -> Path:
    path = shared_data().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"research data not found at {path} (set UNSPUN_SHARED_DATA); skipping")
    return path


def read_original(path: Path) -> str:
    """Read a text file exactly as INTERFACES.md says unspun reads it."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def assert_offsets(doc_json: dict) -> None:
    """Every item with start/end (and every nested mention) has text == doc.text[start:end]."""
    text = doc_json["text"]
    for kind in ("removed", "embedded_posts", "links", "techniques", "quotes", "claims", "sources", "actors"):
        ids = [item["id"] for item in doc_json[kind]]
        assert len(ids) == len(set(ids)), f"duplicate ids in {kind}"
        for item in doc_json[kind]:
            if "start" in item:
                assert 0 <= item["start"] < item["end"] <= len(text), item
                assert text[item["start"]:item["end"]] == item["text"], item
            for nested in ("mentions", "labels", "evidence"):
                for m in item.get(nested, []):
                    assert text[m["start"]:m["end"]] == m["text"], m


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


class CliResult(NamedTuple):
    """What one in-process run of the CLI gave: the exit code and what it wrote (bytes, or str with text=True)."""

    returncode: int
    stdout: bytes | str
    stderr: bytes | str


@pytest.fixture
def run_cli(capsysbinary: pytest.CaptureFixture):
    """Run `unspun ARGS...` in this process through `unspun.cli.main()` (the real exit codes and one-line errors).

    run_cli(*args, stdin=b"...", env={...}, text=False) -> CliResult(returncode, stdout, stderr). stdin (default: empty)
    is given as a stream with a `.buffer`; env entries are set for this call only; UNSPUN_DEBUG is unset unless env
    sets it. Models stay loaded between calls, which is the point: a subprocess reloads them every time. Use a real
    subprocess only where the process itself is under test (signals, pipes, hangs, the `python -m unspun` entry).
    """
    from unspun import cli

    def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, text: bool = False) -> CliResult:
        capsysbinary.readouterr()  # drop whatever was captured before this call
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(sys, "argv", ["unspun", *args])
            mp.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8"))
            mp.delenv("UNSPUN_DEBUG", raising=False)
            for key, value in (env or {}).items():
                mp.setenv(key, value)
            try:
                cli.main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
        out, err = capsysbinary.readouterr()
        if text:
            return CliResult(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
        return CliResult(code, out, err)

    return run


# --- no hidden skips ---------------------------------------------------------------------------------------------
# CI sets UNSPUN_FAIL_ON_SKIP=1: there every service, browser and data set is installed, so a skip means a test that
# should have run did not. UNSPUN_ALLOWED_SKIPS (a regular expression) names the reasons that are expected in that
# run (the torch-only tests before the train extra is installed). The skip count and reasons always print (-ra).
_SKIPS: list[tuple[str, str]] = []


def pytest_runtest_logreport(report) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _SKIPS.append((report.nodeid, reason))


def pytest_sessionfinish(session, exitstatus) -> None:
    if os.environ.get("UNSPUN_FAIL_ON_SKIP") != "1":
        return
    import re

    allowed = re.compile(os.environ.get("UNSPUN_ALLOWED_SKIPS") or r"(?!)")
    unexpected = [(node, why) for node, why in _SKIPS if not allowed.search(why)]
    if unexpected:
        print(f"\n{len(unexpected)} test(s) skipped that must run here (UNSPUN_FAIL_ON_SKIP=1):")
        for node, why in unexpected:
            print(f"  {node}: {why}")
        session.exitstatus = 1
