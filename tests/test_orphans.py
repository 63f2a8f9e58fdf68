"""`unspun.orphans.exit_with_parent`: a worker whose parent is gone ends itself. The pools that use it are tested
end to end in tests/test_server_work.py and tests/test_corpus_cli.py (SIGKILL to the parent)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os, sys
from unspun.orphans import exit_with_parent
exit_with_parent({parent})
print("still running")
"""


def test_a_worker_whose_parent_is_already_gone_exits_at_once() -> None:
    # PID 1 is never this script's parent: as if the parent died before the worker's initializer ran
    run = subprocess.run([sys.executable, "-c", SCRIPT.format(parent=1)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "still running" not in run.stdout


def test_a_worker_with_its_parent_goes_on() -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT.format(parent="os.getppid()")], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and "still running" in run.stdout
