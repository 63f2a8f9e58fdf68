"""Worker processes that exit when their parent is gone.

A parent killed outright (SIGKILL, the OOM killer) runs no shutdown code, and a pool worker waiting on its task
queue never sees the queue close, so it would live on holding a copy of the models (300-500 MB). Each worker of
the server and of `corpus analyze` calls `exit_with_parent()` when it starts.
"""

from __future__ import annotations

import os
import threading
import time


def _watch(parent: int, every_s: float) -> None:
    while os.getppid() == parent:
        time.sleep(every_s)
    os._exit(0)


def exit_with_parent(parent: int, every_s: float = 1.0) -> None:
    """End this process within `every_s` seconds of the death of `parent` (the PID that started the pool, passed in:
    by the time a worker runs its initializer, after its imports, the parent may already be gone)."""
    if os.getppid() != parent:
        os._exit(0)
    threading.Thread(target=_watch, args=(parent, every_s), daemon=True, name="unspun-parent-watch").start()
