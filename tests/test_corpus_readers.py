"""Batch readers: folders, globs, JSONL, CSV, Parquet and WARC, on real files written here."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson
import pytest

from unspun.corpus import readers
from unspun.errors import InputMissingError

HTML = ("<!doctype html><html><head><title>Big news</title></head><body><article><h1>Big news</h1>"
        + "<p>The minister said the plan would work. Critics called it a disgrace and a betrayal of voters.</p>" * 5
        + "</article></body></html>")


def test_folder_and_glob(tmp_path: Path):
    (tmp_path / "a.txt").write_text("First article.\r\nKeeps CRLF.", encoding="utf-8", newline="")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored")
    recs = list(readers.read([str(tmp_path)]))
    assert [Path(r.source).name for r in recs] == ["a.txt", "b.html"]
    assert recs[0].input_format == "text" and recs[0].content == b"First article.\r\nKeeps CRLF."
    assert recs[1].input_format == "html" and recs[0].source_type == "path"
    globbed = list(readers.read([str(tmp_path / "**" / "*.html")]))
    assert len(globbed) == 1 and globbed[0].input_format == "html"
    assert readers.count([str(tmp_path)]) == 2
    forced = list(readers.read([str(tmp_path / "a.txt")], site="mysite.org"))
    assert forced[0].site == "mysite.org"


def test_missing_inputs_are_exit_66(tmp_path: Path):
    with pytest.raises(InputMissingError):
        readers.expand([str(tmp_path / "nope.txt")])
    with pytest.raises(InputMissingError):
        readers.expand([str(tmp_path / "*.none")])


def test_jsonl_rows(tmp_path: Path):
    path = tmp_path / "in.jsonl"
    rows = [
        {"text": "Plain text body.", "url": "https://www.example.com/a", "date": "2024-01-02", "title": "T1", "id": 7},
        {"html": HTML, "url": "https://news.org/b", "site": "News Org"},
    ]
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n\n")
    recs = list(readers.read([str(path)]))
    assert len(recs) == 2 and readers.count([str(path)]) == 2
    assert recs[0].site == "example.com" and recs[0].external_id == "7" and recs[0].title == "T1" and recs[0].date == "2024-01-02"
    assert recs[0].input_format == "text" and recs[0].source == f"{path}:1"
    assert recs[1].input_format == "html" and recs[1].site == "News Org"
    # a bad line is a bad record with its reason, between the good ones: it never stops the reading
    path.write_bytes(b'{"url": "x"}\n{not json\n' + orjson.dumps(rows[0]) + b'\n[1, 2]\n{"text": "caf\xe9"}\n')
    recs = list(readers.read([str(path)]))
    assert [(r.source, r.error is None) for r in recs] == [(f"{path}:{n}", n == 3) for n in range(1, 6)]
    assert "neither" in recs[0].error and recs[0].input_format == readers.UNREAD and recs[0].content == '{"url": "x"}'
    assert recs[1].error.startswith("not valid JSON") and recs[1].content == "{not json"
    assert recs[3].error == "each line must be a JSON object"
    assert recs[4].error.startswith("not valid JSON") and recs[4].content == '{"text": "caf\ufffd"}'


def test_csv_rows(tmp_path: Path):
    path = tmp_path / "in.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "text", "site", "date", "extra"])
        w.writerow(["1", "One", "Line one.\nLine two, with a comma.", "a.com", "2024-05-01", "x"])
        w.writerow(["2", "Two", "Second.", "", "", ""])
    recs = list(readers.read([str(path)]))
    assert recs[0].content == "Line one.\nLine two, with a comma." and recs[0].site == "a.com"
    assert recs[1].site is None and recs[1].date is None and recs[1].external_id == "2"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    [rec] = readers.read([str(bad)])
    assert rec.source == str(bad) and "'text' or an 'html' column" in rec.error


def test_parquet_rows(tmp_path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": ["A.", "B."], "site": ["s1", None], "url": [None, "https://c.net/x"], "n": [1, 2]}), path)
    recs = list(readers.read([str(path)]))
    assert [r.content for r in recs] == ["A.", "B."]
    assert recs[0].site == "s1" and recs[1].site == "c.net"
    assert readers.count([str(path)]) == 2


def test_warc_html_responses_become_articles(tmp_path: Path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, body in (("https://www.paper.com/story", "text/html; charset=utf-8", HTML.encode()),
                                 ("https://www.paper.com/logo.png", "image/png", b"\x89PNG")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                            warc_headers_dict={"WARC-Date": "2024-02-03T04:05:06Z"})
            writer.write_record(rec)
        writer.write_record(writer.create_warc_record("https://www.paper.com/story", "request", payload=io.BytesIO(b"GET /")))
    recs = list(readers.read([str(path)]))
    assert len(recs) == 1
    rec = recs[0]
    assert rec.input_format == "html" and rec.url == "https://www.paper.com/story" and rec.site == "paper.com"
    assert rec.date == "2024-02-03T04:05:06Z" and rec.content == HTML.encode()
