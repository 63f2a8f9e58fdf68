"""Faults outside unspun's control: a full disk while writing output, a missing or corrupt model file.

The disk-full case runs on a real 64 KiB tmpfs that the test mounts (it needs root; it skips with a clear
message where mounting is not permitted). The database case stops a real, throwaway Postgres in the middle of
`unspun corpus analyze` and starts it again.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from unspun import cli
from unspun.errors import ModelError
from unspun.runtime import models


@pytest.fixture
def small_disk(tmp_path: Path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command here; cannot test a full disk")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", f"unspun-{uuid.uuid4().hex[:8]}", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here ({done.stderr.strip()}); cannot test a full disk")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_disk_full_keeps_the_previous_output(
    small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    previous = b'{"previous": "report"}\n'
    out = small_disk / "report.json"
    out.write_bytes(previous)
    article = tmp_path / "long.txt"  # ~200 KB of JSON output: more than the 64 KiB disk holds
    article.write_text("The council voted on the budget after a long debate about the schools. " * 2500, encoding="utf-8")
    code, err = _run_cli(["analyze", str(article), "--stages", "", "-o", str(out)], monkeypatch, capsys)
    assert code == 74, err
    assert "disk full" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert out.read_bytes() == previous  # the old report is untouched
    assert sorted(p.name for p in small_disk.iterdir()) == ["report.json"]  # no temp file left behind
    # and with room to spare the same command works
    small = tmp_path / "short.txt"
    small.write_text("The council voted on the budget after a long debate.", encoding="utf-8")
    code, err = _run_cli(["analyze", str(small), "--stages", "", "-o", str(out)], monkeypatch, capsys)
    assert code == 0, err
    assert json.loads(out.read_bytes())["text"].startswith("The council")


@pytest.fixture
def fast_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of the shipped fast model that the test may break; the stage loads from it."""
    shutil.copytree(models.technique_dir("fast"), tmp_path / "fast")
    monkeypatch.setattr(models, "MODELS_DIR", tmp_path)
    models.load_techniques.cache_clear()
    yield tmp_path / "fast"
    models.load_techniques.cache_clear()


def _run_cli(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["unspun", *args])
    with pytest.raises(SystemExit) as info:
        cli.main()
    return int(info.value.code or 0), capsys.readouterr().err


FILES = ["encoder.int8.onnx", "heads.npz", "tokenizer.json", "config.json"]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("fault", ["missing", "corrupt", "truncated"])
def test_model_file_fault_names_the_file_and_the_fix(
    name: str, fault: str, fast_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    target = fast_copy / name
    if fault == "missing":
        target.unlink()
    elif fault == "corrupt":
        target.write_bytes(b"\x00garbage\xff" * 10)
    else:
        data = target.read_bytes()
        target.write_bytes(data[: len(data) // 2])
    article = tmp_path / "a.txt"
    article.write_text("The corrupt regime lied again and again, a shameful disgrace.", encoding="utf-8")
    code, err = _run_cli(["analyze", str(article), "--model", "fast", "-f", "json"], monkeypatch, capsys)
    assert code == 78, err
    assert name in err, f"the message must name the broken file: {err}"
    assert "reinstall" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(ModelError):
        models.load_techniques("fast")


def test_model_error_is_not_cached_as_success(fast_copy: Path) -> None:
    (fast_copy / "heads.npz").rename(fast_copy / "heads.bak")
    with pytest.raises(ModelError):
        models.load_techniques("fast")
    (fast_copy / "heads.bak").rename(fast_copy / "heads.npz")  # restored: the next load works
    model, info = models.load_techniques("fast")
    assert info["sha256"] and os.path.basename(str(fast_copy)) == "fast"


# --- the database goes away in the middle of a corpus run -------------------------------------------------------
TOPICS = ["budget", "schools", "hospital", "bridge", "election", "river", "housing", "police", "tax", "airport"]


def _article(i: int) -> tuple[str, str]:
    topic = TOPICS[i % len(TOPICS)]
    title = f"Council row over the {topic}, report {i}"
    return title, (f"{title}\n\nThe corrupt mayor lied again about the {topic}, and everyone knows it. "
                   f"\"This is a disgrace,\" said Maria Lopez, a local teacher. Officials said spending on the {topic} "
                   f"rose by {i + 3} percent last year, according to the city audit. Only a fool would believe their "
                   f"promises about item {i}.\n")


def _pg(url: str, **kw):
    import psycopg

    port, dbname = url.rsplit(":", 1)[1].split("/", 1)
    return psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname={dbname} connect_timeout=10", **kw)


def _group_alive(pgid: int, wait: float = 5.0) -> bool:
    """Whether any process of the group (the CLI's pool workers) still runs after `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        if time.monotonic() > deadline:
            return True
        time.sleep(0.1)


def _stored(url: str) -> list[tuple]:
    """(title, content hash) of every document row, after checking that each row is complete.

    Complete means: status ok with its Document JSON, one `spans` row per item of that Document (per kind), the
    counters on the row equal to the stored spans, and `technique_counts` summing to the technique spans.
    """
    from unspun.corpus.store import span_records
    from unspun.document import Document

    with _pg(url) as conn:
        orphans = conn.execute("select count(*) from spans where doc_pk not in (select pk from documents)").fetchone()[0]
        assert orphans == 0
        rows = conn.execute(
            "select d.pk, d.title, d.content_hash, d.status, d.document, d.n_techniques, d.n_quotes, d.n_claims,"
            " (select coalesce(sum(n), 0) from technique_counts t where t.doc_pk = d.pk) from documents d").fetchall()
        kinds = {}
        for pk, kind, n in conn.execute("select doc_pk, kind, count(*) from spans group by doc_pk, kind"):
            kinds.setdefault(pk, {})[kind] = n
    out = []
    for pk, title, chash, status, data, n_tech, n_quotes, n_claims, counted in rows:
        assert status == "ok" and data, f"{title}: {status}, document JSON {'present' if data else 'missing'}"
        doc = Document.from_json(data)
        expected: dict[str, int] = {}
        for r in span_records(doc):
            expected[r["kind"]] = expected.get(r["kind"], 0) + 1
        got = kinds.get(pk, {})
        assert got == expected, f"{title}: spans stored {got}, the Document has {expected}"
        assert (n_tech, n_quotes, n_claims) == (got.get("techniques", 0), got.get("quotes", 0), got.get("claims", 0))
        assert counted == n_tech, f"{title}: technique_counts sum to {counted}, not {n_tech}"
        assert expected, f"{title}: an analysis with no spans at all cannot show a partial write"
        out.append((title, chash))
    return out


def test_database_outage_mid_batch_exits_75_keeps_no_partial_rows_and_resumes(tmp_path: Path) -> None:
    """Postgres stops while a batch is half written: exit 75 with one line, whole batches only, and a re-run resumes.

    The test holds a SHARE lock on `spans` before stopping the server, so the writer is caught after inserting a
    batch's document rows and before their spans: the outage lands inside the batch every time, not by luck.
    """
    from pgcluster import Cluster

    n = 30
    folder = tmp_path / "articles"
    folder.mkdir()
    titles = []
    for i in range(n):
        title, text = _article(i)
        titles.append(title)
        (folder / f"a{i:03d}.txt").write_text(text, encoding="utf-8")
    cluster = Cluster()  # its own server: stopping it must not disturb the session's shared one
    try:
        url = cluster.new_database()
        cmd = [sys.executable, "-m", "unspun", "corpus", "analyze", str(folder), "--db", url, "--model", "fast",
               "--workers", "1", "--batch-size", "4", "--site", "t.org"]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            committed = 0
            deadline = time.monotonic() + 300
            while committed < 4 and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.3)
                try:
                    with _pg(url) as conn:
                        committed = conn.execute("select count(*) from documents").fetchone()[0]
                except Exception:  # the schema may not exist yet
                    committed = 0
            assert proc.poll() is None and committed >= 4, f"no batch written in time: {committed}"
            lock = _pg(url)
            lock.execute("lock table spans in share mode")  # the next batch's span insert now waits
            waiting = 0
            while not waiting and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
                waiting = lock.execute("select count(*) from pg_stat_activity where datname = current_database()"
                                       " and wait_event_type = 'Lock'").fetchone()[0]
            assert waiting, "the writer never reached the spans insert"
            committed = lock.execute("select count(*) from documents").fetchone()[0]
            assert committed < n, "the run ended before the outage"
            cluster.halt()
            lock.close()
            try:  # a hang guard only: it must give up (exit 75 below), not retry forever
                _, err = proc.communicate(timeout=300)
            except subprocess.TimeoutExpired:
                pytest.fail("`unspun corpus analyze` kept running after the database went away")
            assert not _group_alive(proc.pid), "a worker process outlived the run"
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        assert proc.returncode == 75, err
        assert "Traceback" not in err
        errors = [line for line in err.splitlines() if "error" in line.lower()]
        assert len(errors) == 1 and errors[0].startswith("unspun: error: database unreachable: "), err
        assert url.split("@", 1)[1] in errors[0]  # it names the database

        cluster.start()
        before = _stored(url)
        assert len(before) == committed, f"{len(before)} rows after the outage, {committed} committed before it"

        again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stderr
        assert f"analysed {n - committed}, skipped {committed} (already in the store), failed 0" in again.stderr
        after = _stored(url)
        assert sorted(t for t, _ in after) == sorted(titles)  # each article exactly once
        assert len({h for _, h in after}) == n
    finally:
        cluster.stop()


def test_database_that_never_answers_gives_up_in_bounded_time(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """A host that accepts the TCP connection but never speaks (a hung server, a half-open tunnel): exit 75, not a hang.

    libpq has no connect timeout of its own, so without the store's default this run waits forever. The test checks
    what happened, not how long it took: the store's timeout reached the driver, the client gave up on a connection
    the server still held open (by its own timeout), and the command exited 75 with one line.
    """
    import socket
    import threading

    import psycopg

    from unspun.corpus import store as store_mod

    monkeypatch.setattr(store_mod, "CONNECT_TIMEOUT_S", 2)  # the default, made short: the code reads it per Store
    asked: list[object] = []
    real_connect = psycopg.connect

    def connect(*args, **kwargs):
        asked.append(kwargs.get("connect_timeout"))
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(psycopg, "connect", connect)
    seen = {"connected": threading.Event(), "spoke": threading.Event()}
    held: list[socket.socket] = []

    def never_answer(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        held.append(conn)  # kept open, never answered, until the test ends
        seen["connected"].set()
        conn.settimeout(120)  # a hang guard for this thread only
        try:
            if conn.recv(4096):  # the client's startup (or SSL) request
                seen["spoke"].set()
        except OSError:
            pass

    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["code"], outcome["err"] = _run_cli(["corpus", "stats", "--db", url], monkeypatch, capsys)
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcome["error"] = exc

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nobody ever answers
        server = threading.Thread(target=never_answer, args=(silent,), daemon=True)
        server.start()
        url = f"postgresql+psycopg://postgres@127.0.0.1:{silent.getsockname()[1]}/x"
        cli_thread = threading.Thread(target=run, daemon=True)
        cli_thread.start()
        cli_thread.join(120)  # a hang guard, not the assertion
        if cli_thread.is_alive():
            pytest.fail("`unspun corpus stats` hung on a database that never answers")
        server.join(30)
        for conn in held:
            conn.close()
    assert "error" not in outcome, outcome.get("error")
    code, err = outcome["code"], outcome["err"]
    assert code == 75, err
    assert err.startswith("unspun: error: database unreachable: ") and "timeout" in err, err
    assert len(err.strip().splitlines()) == 1
    assert asked and set(asked) == {2}, asked  # the store's timeout reached the driver, as configured
    # it reached the silent server and asked, and what ended the wait was the driver's own timeout (the message
    # above), not a refused or closed connection: the server held it open to the end
    assert seen["connected"].is_set() and seen["spoke"].is_set()
