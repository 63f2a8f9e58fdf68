"""Output files: a regular file is replaced whole or left as it was; anything else is written in place."""

import errno
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import EXAMPLES
from unspun import outfile
from unspun.errors import OutputError
from unspun.outfile import open_atomic, write_atomic

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, symlinks and device nodes as tested here are POSIX")


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "out.json"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp files left behind


def test_text_mode_passes_its_arguments(tmp_path):
    target = tmp_path / "out.tsv"
    with open_atomic(target, "w", encoding="utf-8", newline="") as fh:
        fh.write("a\tb\r\ncafé\n")
    assert target.read_bytes() == "a\tb\r\ncafé\n".encode("utf-8")


def test_missing_folder_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(tmp_path / "nope" / "out.json", b"x")


def test_parent_that_is_a_file_is_an_output_error(tmp_path):
    # fails for root too (ENOTDIR), unlike a read-only folder
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(tmp_path / "file" / "out.json", b"x")


def test_directory_target_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="directory"):
        write_atomic(tmp_path, b"x")


def test_failed_replace_keeps_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    # A full disk at the last step: simulated, so that it fails the same way for root (as CI runs) and for anyone else.
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outfile.os, "replace", full)
    with pytest.raises(OutputError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_failure_while_writing_keeps_previous_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with open_atomic(target) as fh:
            fh.write(b"half")
            raise RuntimeError("the renderer broke")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# --- modes: like any tool's output, not always 0600 -------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("mask,expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_file_follows_the_umask(tmp_path, mask, expected):
    old = os.umask(mask)
    try:
        write_atomic(tmp_path / "out.json", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == expected


@posix_only
def test_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    target.chmod(0o640)
    old = os.umask(0o077)
    try:
        write_atomic(target, b"new")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


# --- what is not a regular file is written in place -------------------------------------------------------------


class FifoReader:
    """Reads a FIFO to its end in a thread. If nothing ever opens the FIFO for writing (it was replaced instead),
    `result()` unblocks the thread through a second name of the same FIFO and reports what arrived: nothing."""

    def __init__(self, fifo: Path):
        self.spare = fifo.with_name(fifo.name + ".spare")
        os.link(fifo, self.spare)  # another name for the same FIFO, which survives the path being replaced
        self.data = None
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        with open(self.spare, "rb") as fh:
            self.data = fh.read()

    def result(self, timeout: float = 30.0) -> bytes | None:
        self.thread.join(timeout)
        if self.thread.is_alive():
            try:
                os.close(os.open(self.spare, os.O_WRONLY | os.O_NONBLOCK))  # wake the reader: writer opened and left
            except OSError:
                pass
            self.thread.join(5)
        return self.data


@posix_only
def test_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    payload = b"0123456789abcdef" * 20000  # more than a pipe holds: the writer must wait for the reader
    write_atomic(fifo, payload)
    assert reader.result() == payload
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@posix_only
def test_symlink_to_a_file_replaces_the_file_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


@posix_only
def test_relative_and_dangling_symlinks_write_where_they_point(tmp_path):
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(Path("sub") / "new.json")  # relative, and nothing there yet
    write_atomic(link, b"data")
    assert link.is_symlink()
    assert (tmp_path / "sub" / "new.json").read_bytes() == b"data"


@posix_only
def test_symlink_to_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.json"
    link.symlink_to(fifo)
    reader = FifoReader(fifo)
    write_atomic(link, b'{"ok": true}')
    assert reader.result() == b'{"ok": true}'
    assert link.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)


@posix_only
def test_character_device_is_written_in_place(tmp_path):
    # a null device made in the test's own folder, never under /dev
    dev = tmp_path / "null"
    try:
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here ({exc.strerror}); needs root or CAP_MKNOD")
    try:
        os.close(os.open(dev, os.O_WRONLY))
    except OSError as exc:
        pytest.skip(f"device nodes cannot be opened in {tmp_path} (nodev mount?): {exc.strerror}")
    before = dev.lstat()
    write_atomic(dev, b"x" * 100000)
    after = dev.lstat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


# /dev/stdout itself is never written by these tests: an output module that replaced it would break the machine
# (as root). A link of our own to /proc/self/fd/1 is the same thing, and /dev/fd/1 cannot be replaced.


def test_standard_streams_are_descriptors():
    assert outfile._own_descriptor("/dev/stdout") == 1 and outfile._own_descriptor("/dev/stderr") == 2


@posix_only
def test_links_to_this_process_stdout_write_to_it(tmp_path):
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    code = (
        "import sys; from unspun.outfile import write_atomic; "
        f"print('before', flush=True); write_atomic({str(link)!r}, b'via a link\\n'); "
        "write_atomic('/dev/fd/1', b'via dev fd\\n')"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b"before\nvia a link\nvia dev fd\n"
    assert link.is_symlink()


@posix_only
def test_stdout_redirected_to_a_file_is_appended_to_not_replaced(tmp_path):
    out = tmp_path / "log.txt"
    out.write_bytes(b"earlier\n")
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    code = f"from unspun.outfile import write_atomic; write_atomic({str(link)!r}, b'later\\n')"
    with open(out, "ab") as fh:  # like a shell's >>
        proc = subprocess.run([sys.executable, "-c", code], stdout=fh, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.read_bytes() == b"earlier\nlater\n"


@posix_only
def test_cli_writes_json_to_a_fifo(tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "unspun", "analyze", str(EXAMPLES / "wire-report.txt"), "--stages", "", "-o", str(fifo)],
        capture_output=True, timeout=120, env={**os.environ, "UNSPUN_DEBUG": ""},
    )
    assert proc.returncode == 0, proc.stderr.decode()
    data = reader.result()
    assert data, "the reader got nothing"
    assert json.loads(data)["schema"] == "unspun/1"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
