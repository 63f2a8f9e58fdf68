"""Atomic output: the target is replaced whole or left as it was."""

import os

import pytest

from unspun.errors import OutputError
from unspun.outfile import write_atomic


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "out.json"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp files left behind


def test_missing_folder_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(tmp_path / "nope" / "out.json", b"x")


def test_directory_target_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="directory"):
        write_atomic(tmp_path, b"x")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_read_only_folder_keeps_previous_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(OutputError):
            write_atomic(target, b"new")
    finally:
        tmp_path.chmod(0o700)
    assert target.read_bytes() == b"old"
