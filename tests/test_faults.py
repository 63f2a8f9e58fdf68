"""Faults outside unspun's control: a full disk while writing output, a missing or corrupt model file.

The disk-full case runs on a real 64 KiB tmpfs that the test mounts (it needs root; it skips with a clear
message where mounting is not permitted). The database case belongs with the corpus store's throwaway Postgres.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from unspun import cli
from unspun.errors import ModelError
from unspun.stages import techniques as stage


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


def test_disk_full_keeps_the_previous_output(small_disk: Path, tmp_path: Path) -> None:
    previous = b'{"previous": "report"}\n'
    out = small_disk / "report.json"
    out.write_bytes(previous)
    article = tmp_path / "long.txt"  # ~200 KB of JSON output: more than the 64 KiB disk holds
    article.write_text("The council voted on the budget after a long debate about the schools. " * 2500, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "unspun", "analyze", str(article), "--stages", "", "-o", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 74, run.stderr
    assert "disk full" in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert out.read_bytes() == previous  # the old report is untouched
    assert sorted(p.name for p in small_disk.iterdir()) == ["report.json"]  # no temp file left behind
    # and with room to spare the same command works
    small = tmp_path / "short.txt"
    small.write_text("The council voted on the budget after a long debate.", encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "unspun", "analyze", str(small), "--stages", "", "-o", str(out)],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(out.read_bytes())["text"].startswith("The council")


@pytest.fixture
def fast_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of the shipped fast model that the test may break; the stage loads from it."""
    shutil.copytree(stage.model_dir("fast"), tmp_path / "fast")
    monkeypatch.setattr(stage, "MODELS_DIR", tmp_path)
    stage.load.cache_clear()
    yield tmp_path / "fast"
    stage.load.cache_clear()


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
        stage.load("fast")


def test_model_error_is_not_cached_as_success(fast_copy: Path) -> None:
    (fast_copy / "heads.npz").rename(fast_copy / "heads.bak")
    with pytest.raises(ModelError):
        stage.load("fast")
    (fast_copy / "heads.bak").rename(fast_copy / "heads.npz")  # restored: the next load works
    model, info = stage.load("fast")
    assert info["sha256"] and os.path.basename(str(fast_copy)) == "fast"
