"""Reading input bytes: paths, size limits, directories, and the stdin HTML sniffing rule."""

import pytest

from unspun.errors import InputDataError, InputMissingError
from unspun.ingest.reader import is_html_path, looks_like_html, read_path


def test_reads_bytes_exactly(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbfline one\r\nline two\r")
    assert read_path(p, 1000) == b"\xef\xbb\xbfline one\r\nline two\r"


def test_missing_and_directory(tmp_path):
    with pytest.raises(InputMissingError, match="no such file"):
        read_path(tmp_path / "missing.txt", 1000)
    with pytest.raises(InputMissingError, match="directory"):
        read_path(tmp_path, 1000)


def test_over_limit_is_refused_before_reading(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"x" * 2001)
    with pytest.raises(InputDataError, match="over the limit"):
        read_path(p, 2000)


@pytest.mark.parametrize(
    "head,expected",
    [
        (b"<!DOCTYPE html><html>", True),
        (b"  \n\t<html lang='en'>", True),
        (b"<!doctype HTML>", True),
        (b"<p>just a fragment</p>", False),
        (b"The <html> tag is discussed here.", False),
        (b"", False),
    ],
)
def test_stdin_html_rule(head, expected):
    assert looks_like_html(head) is expected


def test_html_suffixes():
    assert is_html_path("a/b.HTML") and is_html_path("x.htm") and not is_html_path("x.txt")
