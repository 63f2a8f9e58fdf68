"""Writing output files so that a failed run never leaves a half-written or clobbered file.

The data goes to a temporary file in the target's folder, is flushed to disk, then renamed over the target:
a crash or a full disk leaves the previous file intact.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from unspun.errors import OutputError


@contextmanager
def open_atomic(path: str | os.PathLike, mode: str = "wb", **kw) -> Iterator[IO]:
    """A file object for `path` that replaces it only once fully written and synced; OutputError otherwise."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"{target}: is a directory")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, mode, **kw) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise OutputError(f"{target}: cannot write output ({reason})") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    with open_atomic(path) as fh:
        fh.write(data)
