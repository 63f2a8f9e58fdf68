"""`unspun claims score` (in this process, through the run_cli fixture): files, stdin, -o, malformed lines and exit codes."""

from __future__ import annotations

import pytest

from unspun.cli.claims import parse_lines
from unspun.errors import InputDataError

GOOD = (
    "a1\tUnemployment rose to 12 percent in March, the highest level since 1983.\n"
    "a2\tThank you all so much, it is great to be here tonight.\n"
    "\n"
    "a3\tA sentence\twith a second tab and \"quotes\" kept as they are.\r\n"
)


def rows(out: bytes) -> list[tuple[str, float]]:
    lines = out.decode().splitlines()
    parsed = [(key, float(value)) for key, value in (line.split("\t") for line in lines)]
    assert all(0.0 <= p <= 1.0 for _, p in parsed)
    return parsed


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "sentences.tsv"
    path.write_bytes(GOOD.encode())
    return path


def test_file_gives_one_score_per_line_in_order(good_file, run_cli):
    proc = run_cli("claims", "score", str(good_file))
    assert proc.returncode == 0, proc.stderr.decode()
    scored = rows(proc.stdout)
    assert [k for k, _ in scored] == ["a1", "a2", "a3"]
    assert scored[0][1] > scored[1][1]


def test_stdin_and_output_file_agree(good_file, tmp_path, run_cli):
    from_file = run_cli("claims", "score", str(good_file)).stdout
    proc = run_cli("claims", "score", "-", stdin=GOOD.encode())
    assert proc.returncode == 0 and proc.stdout == from_file
    out = tmp_path / "scores.tsv"
    proc = run_cli("claims", "score", str(good_file), "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == b"" and out.read_bytes() == from_file


@pytest.mark.parametrize("content, words", [
    (b"a1\tfine sentence.\nno tab on this line\n", "line 2: no tab"),
    (b"\tno id here\n", "line 1: empty ID"),
    (b"a1\t\xff\xfe broken\n", "not valid UTF-8"),
])
def test_malformed_input_is_a_data_error(tmp_path, content, words, run_cli):
    path = tmp_path / "bad.tsv"
    path.write_bytes(content)
    proc = run_cli("claims", "score", str(path))
    err = proc.stderr.decode()
    assert proc.returncode == 65, err
    assert words in err and "Traceback" not in err and proc.stdout == b""


def test_missing_input_and_unwritable_output(tmp_path, good_file, run_cli):
    proc = run_cli("claims", "score", str(tmp_path / "nope.tsv"))
    assert proc.returncode == 66 and "no such file" in proc.stderr.decode()
    proc = run_cli("claims", "score", str(good_file), "-o", str(tmp_path / "missing-dir" / "out.tsv"))
    assert proc.returncode == 74 and "Traceback" not in proc.stderr.decode()


def test_empty_input_prints_nothing(tmp_path, run_cli):
    proc = run_cli("claims", "score", "-", stdin=b"")
    assert proc.returncode == 0 and proc.stdout == b""


def test_parse_lines_splits_on_the_first_tab_only():
    assert parse_lines("\ufeffx\ta\tb\r\ny\t\n", "f") == [("x", "a\tb"), ("y", "")]
    with pytest.raises(InputDataError, match="line 1"):
        parse_lines("nothing", "f")
