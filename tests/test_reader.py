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


# --- files that are not UTF-8 text: one message each, naming the file ------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.mark.parametrize(
    "content,words",
    [
        (b"", "the file is empty"),
        (b" \r\n\t\n", "the file is empty apart from whitespace"),
        ("\u3000\u3000\n".encode(), "empty or only whitespace"),  # Unicode whitespace: caught once decoded
        (PNG, "looks like a binary file (a PNG image), not text or HTML"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a binary file (a PDF document)"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "looks like a binary file (a ZIP archive"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "looks like a binary file (a WebP image)"),
        (bytes(range(256)) * 4, "looks like a binary file (NUL bytes)"),
        (b"Headline\n\x00\xff\x00 some bytes", "looks like a binary file (NUL bytes)"),
    ],
)
def test_empty_and_binary_files_are_named(tmp_path, content, words):
    from unspun import analyze_file

    p = tmp_path / "article.txt"
    p.write_bytes(content)
    with pytest.raises(InputDataError) as caught:
        analyze_file(p, stages=[])
    message = str(caught.value)
    assert message.startswith(f"{p}: ") and words in message
    assert "iconv" not in message
    assert caught.value.exit_code == 65


@pytest.mark.parametrize("input_format", ["auto", "html", "text"])
def test_binary_or_empty_file_named_html_is_refused_the_same(tmp_path, input_format):
    from unspun import analyze_file

    page = tmp_path / "page.html"
    page.write_bytes(PNG)
    with pytest.raises(InputDataError) as caught:
        analyze_file(page, input_format=input_format, stages=[])
    assert str(caught.value).startswith(f"{page}: looks like a binary file (a PNG image)")
    page.write_bytes(b"")
    with pytest.raises(InputDataError) as caught:
        analyze_file(page, input_format=input_format, stages=[])
    assert str(caught.value) == f"{page}: the file is empty"


@pytest.mark.parametrize(
    "content,words",
    [
        ("café au lait".encode("latin-1"), "not valid UTF-8 (byte 3: b'\\xe9'); convert it first, e.g. with iconv"),
        ("Le café.".encode("utf-16"), "UTF-16 text, not UTF-8; convert it first, e.g. with iconv -f UTF-16 "),
        ("The council met.".encode("utf-16-le"), "looks like UTF-16LE text, not UTF-8; convert it first"),
        ("The council met.".encode("utf-16-be"), "iconv -f UTF-16BE -t UTF-8"),
    ],
)
def test_text_in_another_encoding_gets_the_iconv_hint(tmp_path, content, words):
    from unspun import analyze_file

    p = tmp_path / "article.txt"
    p.write_bytes(content)
    with pytest.raises(InputDataError) as caught:
        analyze_file(p, stages=[])
    message = str(caught.value)
    assert message.startswith(f"{p}: ") and words in message and "binary" not in message


def test_bytes_without_a_name_say_binary_too():
    from unspun import analyze_text

    with pytest.raises(InputDataError, match=r"binary file \(a PNG image\), not text or HTML"):
        analyze_text(PNG, stages=[])
    with pytest.raises(InputDataError, match="iconv"):
        analyze_text("café".encode("latin-1"), stages=[])


def test_a_few_stray_nuls_in_utf8_text_are_still_text(tmp_path):
    from unspun import analyze_file

    p = tmp_path / "article.txt"
    p.write_bytes(b"The council met on Tuesday.\x00 It approved the budget.\n")
    doc = analyze_file(p, stages=[])
    assert doc.text == "The council met on Tuesday.\x00 It approved the budget.\n"
