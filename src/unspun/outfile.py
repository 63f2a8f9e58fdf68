"""Writing output files so that a failed run never leaves a half-written or clobbered file.

The data goes to a temporary file in the target's folder, is flushed to disk, then renamed over the target:
a crash or a full disk leaves the previous file intact.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from unspun.errors import OutputError


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"{target}: is a directory")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
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
