"""`unspun corpus ...` end to end: in this process (run_cli) where only the output is checked, in subprocesses for a real
SIGKILL halfway through a run and a re-run, and for pool workers outliving a killed driver."""

from __future__ import annotations

import csv
import functools
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa

from unspun.corpus.store import Store

FAST = ["--model", "fast", "--stages", "techniques"]
PARAGRAPH = ("The corrupt regime lied again and again, and everyone knows it. Only a fool would believe their "
             "promises. Officials said the figures were accurate, but critics called them a disgrace.")


def unspun(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "unspun", *args], capture_output=True, text=True, timeout=900, **kw)


def make_folder(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(f"Story {i}\n\n{PARAGRAPH} Item number {i}.\n", encoding="utf-8")
    return folder


def row_counts(url: str) -> tuple[int, int]:
    store = Store(url)
    with store.connect() as conn:
        total = conn.execute(sa.text("select count(*) from documents")).scalar_one()
        distinct = conn.execute(sa.text("select count(distinct content_hash) from documents")).scalar_one()
    store.close()
    return total, distinct


def test_kill_and_resume_leaves_every_document_exactly_once(db_url, tmp_path):
    n = 80  # enough that a slow poll under load still finds the run part-way through
    folder = make_folder(tmp_path / "articles", n)
    args = ["corpus", "analyze", str(folder), "--db", db_url, "--workers", "1", "--batch-size", "2", "--site", "t.org", *FAST]
    proc = subprocess.Popen([sys.executable, "-m", "unspun", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)  # its own process group: the kill takes the pool workers too
    deadline = time.time() + 600
    written = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
        try:
            written = row_counts(db_url)[0]
        except Exception:  # the schema may not exist yet
            written = 0
        if written >= 4:
            break
    assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read().decode()[-500:]}"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = row_counts(db_url)[0]
    assert 0 < before < n, before
    done = unspun(*args)
    assert done.returncode == 0, done.stderr
    assert f"skipped {before}" in done.stderr
    assert row_counts(db_url) == (n, n)


def test_cli_stats_export_delete_and_errors(tmp_path, run_cli):
    cli = functools.partial(run_cli, text=True)  # in this process: the models load once
    db = f"sqlite:///{tmp_path / 'u.db'}"
    folder = make_folder(tmp_path / "a", 2)
    (folder / "empty.txt").write_text("  \n")
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_bytes(orjson.dumps({"text": PARAGRAPH, "site": "other.net", "date": "2024-06-01"}) + b"\n")
    run = cli("corpus", "analyze", str(folder), str(jsonl), "--db", db, "--workers", "1", *FAST, "--site", "")
    assert run.returncode == 0, run.stderr
    assert "analysed 3" in run.stderr and "failed 1" in run.stderr and run.stdout == ""

    stats = cli("corpus", "stats", "--db", db, "--format", "json")
    assert stats.returncode == 0, stats.stderr
    data = orjson.loads(stats.stdout)
    assert data["by"] == "site" and {r["group"] for r in data["rows"]} == {"unknown", "other.net"}
    assert set(data["rows"][0]) == {"group", "documents", "words", "techniques", "rate_per_1000_words", "quotes", "claims",
                                    "asserted_claims"}
    months = orjson.loads(cli("corpus", "stats", "--db", db, "--by", "month", "--format", "json").stdout)
    assert "2024-06" in {r["group"] for r in months["rows"]}
    table = list(csv.reader(io.StringIO(cli("corpus", "stats", "--db", db, "--format", "csv").stdout)))
    assert table[0][:4] == ["site", "documents", "words", "rate_per_1000_words"] and "Loaded_Language" in table[0]
    assert len(table) == 3
    cmp = orjson.loads(cli("corpus", "stats", "--db", db, "--compare", "other.net", "unknown", "--format", "json").stdout)
    assert cmp["sites"] == ["other.net", "unknown"]
    assert cli("corpus", "stats", "--db", db).returncode == 0

    out = tmp_path / "export"
    exp = cli("corpus", "export", "--db", db, "--format", "jsonl", "-o", str(out))
    assert exp.returncode == 0, exp.stderr
    assert len((out / "documents.jsonl").read_bytes().splitlines()) == 4  # the failed one is exported with its status
    ls = cli("corpus", "export", "--db", db, "--format", "labelstudio", "-o", str(out))
    assert ls.returncode == 0 and len(orjson.loads((out / "tasks.json").read_bytes())) == 3
    back = cli("corpus", "import-labelstudio", str(out / "tasks.json"), "-o", str(tmp_path / "ptc"), "--use-predictions")
    assert back.returncode == 0, back.stderr
    assert len(list((tmp_path / "ptc" / "train-articles").glob("article*.txt"))) == 3

    retry = cli("corpus", "retry", "--db", db, "--workers", "1")
    assert retry.returncode == 0 and "failed 1" in retry.stderr  # still empty: still failing, still stored
    assert Store(db).count("error") == 1

    assert cli("corpus", "delete", "--db", db, "--site", "other.net").returncode == 0
    assert Store(db).count() == 3
    missing = cli("corpus", "delete", "--db", db, "--id", "nope")
    assert missing.returncode == 66
    assert cli("corpus", "delete", "--db", db).returncode == 2

    bad_db = cli("corpus", "stats", "--db", "postgresql+psycopg://u:pw@127.0.0.1:1/x")
    assert bad_db.returncode == 75 and "Traceback" not in bad_db.stderr and "pw" not in bad_db.stderr
    assert len(bad_db.stderr.strip().splitlines()) == 1
    assert cli("corpus", "analyze", str(tmp_path / "nope"), "--db", db).returncode == 66


def _children(pid: int) -> set[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return {int(c) for t in tasks for c in (t / "children").read_text().split()}
    except OSError:
        return set()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_exit_when_the_run_is_killed_outright(tmp_path):
    """SIGKILL to the driver only (as the OOM killer does): its pool workers notice and exit, not linger with models."""
    if not Path("/proc/self/task").exists():
        pytest.skip("needs Linux /proc")
    folder = make_folder(tmp_path / "articles", 200)
    db = f"sqlite:///{tmp_path / 'k.db'}"
    proc = subprocess.Popen([sys.executable, "-m", "unspun", "corpus", "analyze", str(folder), "--db", db,
                             "--workers", "2", *FAST], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.time() + 300
    while time.time() < deadline and len(workers) < 2 and proc.poll() is None:
        time.sleep(0.2)
        workers = {c for c in _children(proc.pid) if b"spawn_main" in _cmdline(c)}
    assert proc.poll() is None and workers, "the run never started its workers"
    proc.kill()
    proc.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers), f"workers {workers} outlived their killed driver"
