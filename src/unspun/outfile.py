"""Writing output files: a failed run never leaves a half-written or clobbered file, and never destroys a non-file.

What `path` is decides how it is written:

- a regular file, or a path that does not exist yet: the data goes to a temporary file in the same folder, is flushed to
  disk, then renamed over the target, so a crash or a full disk leaves the previous file intact. A new file gets the
  mode any tool's output gets (0666 less the umask); a replaced file keeps its mode (and, where allowed, its owner);
- a symlink: it is followed, and what it points to is written as above (a regular file behind it is replaced
  atomically, the link stays);
- anything else (a FIFO, a character or block device, a terminal, `/dev/stdout` or `/dev/fd/N`): it is opened and
  written in place, as `cat > PATH` would. Renaming a file over it would destroy it and leave the reader with nothing.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from unspun.errors import OutputError

# Paths that name one of this process's open descriptors: the data goes to that descriptor, as the shell set it up.
_FD_PATH = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")
_STD_PATHS = {"/dev/stdout": 1, "/dev/stderr": 2}
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _reason(exc: OSError) -> str:
    return "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))


def _own_descriptor(path: str) -> int | None:
    """The descriptor that `path` is, or links to: /dev/stdout, /dev/stderr, /dev/fd/N or /proc/self/fd/N; else None."""
    if os.name != "posix":
        return None
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on symlinks followed
        if current in _STD_PATHS:
            return _STD_PATHS[current]
        found = _FD_PATH.match(current)
        if found:
            return int(found.group(1))
        try:
            link = os.readlink(current)
        except OSError:
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return None


@contextmanager
def open_atomic(path: str | os.PathLike, mode: str = "wb", **kw) -> Iterator[IO]:
    """A file object for `path`: a regular file is replaced only once fully written and synced, anything else is written
    in place (see the module's doc). Any failure is an OutputError naming the path."""
    target = Path(path)
    try:
        fd = _own_descriptor(os.fspath(target))
        if fd is not None:
            with os.fdopen(os.dup(fd), mode, **kw) as fh:
                yield fh
                fh.flush()
            return
        try:
            info = target.stat()  # follows symlinks
        except FileNotFoundError:
            info = None  # a new file, or a dangling symlink: created where it points
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{target}: is a directory")
        if info is not None and not stat.S_ISREG(info.st_mode):
            with open(target, mode, **kw) as fh:  # a FIFO, a device, a terminal: write in place
                yield fh
                fh.flush()
            return
    except OSError as exc:
        raise OutputError(f"{target}: cannot write output ({_reason(exc)})") from None

    tmp_name = None
    try:
        # through a symlink, what it points to is replaced and the link stays
        real = Path(os.path.realpath(target)) if target.is_symlink() else target
        folder = real.parent if str(real.parent) else Path(".")
        for _ in range(100):
            candidate = folder / f".{real.name[:200]}.{secrets.token_hex(4)}.tmp"
            try:
                tmp_fd = os.open(candidate, _TEMP_FLAGS, 0o666)  # the kernel applies the umask, as for any new file
            except FileExistsError:
                continue
            tmp_name = candidate
            break
        else:
            raise OSError(errno.EEXIST, "no free temporary name")
        with os.fdopen(tmp_fd, mode, **kw) as fh:
            if info is not None:
                _keep_owner_and_mode(tmp_name, info)
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, real)
        tmp_name = None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write output ({_reason(exc)})") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _keep_owner_and_mode(tmp_name: Path, info: os.stat_result) -> None:
    """Give the replacement the replaced file's owner (where allowed), then its mode (chown clears set-id bits)."""
    if hasattr(os, "chown"):
        try:
            os.chown(tmp_name, info.st_uid, info.st_gid)
        except OSError:
            pass
    os.chmod(tmp_name, stat.S_IMODE(info.st_mode))


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    with open_atomic(path) as fh:
        fh.write(data)
