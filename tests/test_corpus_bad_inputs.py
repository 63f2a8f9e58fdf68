"""One bad input never stops a corpus run: bad files, rows and records are stored as failures, the good ones are kept.

The inputs are real files that fail for root too: dangling and looping symbolic links, a FIFO, a folder named like a
file, malformed JSONL lines, a CSV row that is not UTF-8, a corrupt Parquet file, a WARC that breaks part-way.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from pathlib import Path

import orjson
import pytest

from unspun.corpus import engines, exports, readers
from unspun.corpus.store import UNREAD, Failure, Store
from unspun.errors import InputMissingError

FAST = ["--model", "fast", "--stages", "techniques"]
PARAGRAPH = ("The corrupt regime lied again and again, and everyone knows it. Only a fool would believe their "
             "promises. Officials said the figures were accurate, but critics called them a disgrace.")
HTML = ("<!doctype html><html><head><title>Big news</title></head><body><article><h1>Big news</h1>"
        + "<p>The minister said the plan would work. Critics called it a disgrace and a betrayal of voters.</p>" * 5
        + "</article></body></html>")


def article(i: int) -> str:
    return f"Story {i}. {PARAGRAPH} Item number {i}."


def quoted(i: int) -> bytes:
    """The article as one CSV cell (it holds commas)."""
    return b'"' + article(i).encode() + b'"'


def warc_bytes(urls: list[str]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url in urls:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(HTML.encode()),
                                                      http_headers=headers))
    return buf.getvalue()


# --- the readers: every bad input is one bad record with its reason, never an exception -----------------------
def test_folder_keeps_unreadable_entries_as_bad_records(tmp_path: Path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(article(1), encoding="utf-8")
    (folder / "b.txt").symlink_to(tmp_path / "gone.txt")  # dangling
    (folder / "c.html").symlink_to(folder / "c.html")  # a loop
    os.mkfifo(folder / "d.txt")  # reading it would block forever: it must never be opened
    (folder / "e.txt").mkdir()  # a folder named like a file is a folder: searched, not read
    (folder / "e.txt" / "f.txt").write_text(article(2), encoding="utf-8")
    recs = list(readers.read([str(folder)]))
    got = {Path(r.source).relative_to(folder).as_posix(): r.error for r in recs}
    assert got.keys() == {"a.txt", "b.txt", "c.html", "d.txt", "e.txt/f.txt"}
    assert got["a.txt"] is None and got["e.txt/f.txt"] is None
    assert got["b.txt"] == "cannot read (No such file or directory)"
    assert got["c.html"] == "cannot read (Too many levels of symbolic links)"
    assert got["d.txt"] == "not a regular file"
    assert all(r.input_format == UNREAD and r.content == "" for r in recs if r.error)
    assert readers.count([str(folder)]) == 5
    # named on the command line, an existing but unreadable path is read (and fails); a missing one is exit 66
    [rec] = readers.read([str(folder / "b.txt")])
    assert rec.error == "cannot read (No such file or directory)"
    with pytest.raises(InputMissingError):
        readers.expand([str(tmp_path / "gone.txt")])


def test_table_files_fail_per_row_or_per_file(tmp_path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = tmp_path / "rows.csv"
    rows.write_bytes(b"text,site\r\n" + quoted(1) + b",a.com\r\nbad \xff\xfe bytes,a.com\r\n"
                     + quoted(2) + b",a.com\r\n")
    recs = list(readers.read([str(rows)]))
    assert [(r.source, r.error) for r in recs] == [(f"{rows}:2", None), (f"{rows}:3", "not valid UTF-8"), (f"{rows}:4", None)]
    assert "bad \ufffd\ufffd bytes" in recs[1].content
    extra = tmp_path / "extra.csv"  # bad bytes in a column that is not used (and beyond the header) do no harm
    extra.write_bytes(b"text,s\xe9,site\r\n" + quoted(1) + b",\xff,a\r\nok,b,\xe9,c\xff\r\n")
    recs = list(readers.read([str(extra)]))
    assert [(r.error, r.site) for r in recs] == [(None, "a"), ("not valid UTF-8", None)]
    assert recs[1].content == '{"text":"ok","s\ufffd":"b","site":"\ufffd","None":["c\ufffd"]}'
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1 not really a parquet file")
    [rec] = readers.read([str(corrupt)])
    assert rec.source == str(corrupt) and rec.error.startswith("cannot read (ArrowInvalid: ")
    assert readers.count([str(corrupt)]) == 1  # counting does not raise either
    nulls = tmp_path / "nulls.parquet"
    pq.write_table(pa.table({"text": ["A.", None]}), nulls)
    recs = list(readers.read([str(nulls)]))
    assert recs[0].error is None and "neither" in recs[1].error and recs[1].source == f"{nulls}:2"
    crawl = tmp_path / "crawl.warc.gz"  # one good record, then a broken gzip member
    crawl.write_bytes(warc_bytes(["https://paper.com/a"]) + b"\x1f\x8b\x08\x00" + b"junk" * 10)
    recs = list(readers.read([str(crawl)]))
    assert recs[0].url == "https://paper.com/a" and recs[0].error is None
    assert recs[1].source == str(crawl) and "ArchiveLoadFailed" in recs[1].error and recs[1].error.endswith("after 1 records")


def test_reread_finds_a_fixed_row_again(tmp_path: Path):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(orjson.dumps({"text": article(1)}) + b"\n{broken\n")
    bad = list(readers.read([str(path)]))[1]
    assert bad.error.startswith("not valid JSON")
    path.write_bytes(orjson.dumps({"text": article(1)}) + b"\n" + orjson.dumps({"text": article(2)}) + b"\n")
    [again] = readers.reread(bad.source)
    assert again.error is None and again.content == article(2)
    path.unlink()
    [gone] = readers.reread(bad.source)
    assert gone.source == bad.source and gone.error == "cannot read (No such file or directory)"
    [whole] = readers.reread(str(tmp_path / "also-gone.txt"))
    assert whole.error == "cannot read (No such file or directory)"


def test_bad_records_become_failures_with_a_stable_id(tmp_path: Path):
    options = engines.resolve_options("fast", None, [])  # no stage: no model is loaded
    an = engines.Analyzer(options, frozenset())
    one = an.one(readers.bad("x.jsonl:3", "not valid JSON (boom)", b"{boom"))
    two = an.one(readers.bad("y.jsonl:3", "not valid JSON (boom)", b"{boom"))
    assert isinstance(one, Failure) and one.input_format == UNREAD and one.error == "not valid JSON (boom)"
    assert one.raw == "{boom" and one.source_value == "x.jsonl:3"
    assert one.id != two.id and one.id == an.one(readers.bad("x.jsonl:3", "other reason")).id  # keyed by the source
    store = Store(f"sqlite:///{tmp_path / 'u.db'}")
    summary = engines.run_local([(None, readers.bad("x.jsonl:3", "not valid JSON (boom)"))], store, options, workers=1)
    assert summary.failed == 1 and store.count("error") == 1
    [(fid, failure)] = store.failures()
    assert fid == one.id and failure.input_format == UNREAD and failure.error == "not valid JSON (boom)"
    store.close()


# --- the CLI, end to end with the real pipeline and a real SQLite store -----------------------------------------
def test_analyze_stores_every_good_document_and_every_failure(tmp_path: Path, run_cli):
    cli = functools.partial(run_cli, text=True, env={"HF_HUB_OFFLINE": "1"})  # in this process: models load once
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(article(1), encoding="utf-8")
    (folder / "b.txt").symlink_to(tmp_path / "later.txt")  # dangling now, fixed before the retry
    (folder / "c.txt").write_text(article(2), encoding="utf-8")
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_bytes(orjson.dumps({"text": article(3), "site": "j.org"}) + b"\n{not json\n"
                      + orjson.dumps({"text": article(4), "site": "j.org"}) + b"\n")
    table = tmp_path / "rows.csv"
    table.write_bytes(b"text,site\n" + quoted(5) + b",c.org\n\xff\xfe not UTF-8,c.org\n")
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1 garbage, not a parquet file")
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    db = f"sqlite:///{tmp_path / 'u.db'}"
    args = ["corpus", "analyze", str(loop), str(folder), str(jsonl), str(table), str(corrupt), "--db", db, "--workers", "1",
            *FAST]

    run = cli(*args)
    assert run.returncode == 0, run.stderr
    assert "analysed 5" in run.stderr and "failed 5" in run.stderr and "Traceback" not in run.stderr
    assert f"failed: {folder / 'b.txt'}: cannot read (No such file or directory)" in run.stderr
    store = Store(db)
    assert store.count("ok") == 5 and store.count("error") == 5
    reasons = {f.source_value: f.error for _, f in store.failures()}
    assert reasons == {
        str(loop): "cannot read (Too many levels of symbolic links)",
        str(folder / "b.txt"): "cannot read (No such file or directory)",
        f"{jsonl}:2": reasons[f"{jsonl}:2"],
        f"{table}:3": "not valid UTF-8",
        str(corrupt): reasons[str(corrupt)],
    }
    assert reasons[f"{jsonl}:2"].startswith("not valid JSON") and "ArrowInvalid" in reasons[str(corrupt)]

    # a re-run gets past the bad line: the good ones are skipped, each failure is stored again in its own row
    strict = cli(*args, "--strict")
    assert strict.returncode == 65, strict.stderr
    assert "skipped 5" in strict.stderr and "failed 5" in strict.stderr
    assert store.count("ok") == 5 and store.count("error") == 5

    stats = cli("corpus", "stats", "--db", db)
    assert stats.returncode == 0 and "5 failed documents are not counted" in stats.stderr

    # fixed inputs are read again by `corpus retry`; the others stay failed, each once
    (tmp_path / "later.txt").write_text(article(6), encoding="utf-8")
    jsonl.write_bytes(orjson.dumps({"text": article(3), "site": "j.org"}) + b"\n"
                      + orjson.dumps({"text": article(7), "site": "j.org"}) + b"\n"
                      + orjson.dumps({"text": article(4), "site": "j.org"}) + b"\n")
    retry = cli("corpus", "retry", "--db", db, "--workers", "1")
    assert retry.returncode == 0, retry.stderr
    assert store.count("ok") == 7 and store.count("error") == 3
    assert {f.source_value for _, f in store.failures()} == {str(loop), f"{table}:3", str(corrupt)}
    with store.connect() as conn:
        import sqlalchemy as sa

        fixed = conn.execute(sa.text("select site, source_value from documents where status = 'ok' and source_value like :s"),
                             {"s": f"{jsonl}:2"}).all()
    assert fixed == [("j.org", f"{jsonl}:2")]
    store.close()


# --- CSV exports do not carry formulas into spreadsheets ---------------------------------------------------------
def test_csv_export_escapes_formula_cells(tmp_path: Path):
    from test_store import TEXT, make_doc

    store = Store(f"sqlite:///{tmp_path / 'u.db'}")
    doc = make_doc(site="=HYPERLINK(\"http://evil.example\",\"x\")")
    doc.metadata.title = "+cmd|' /C calc'!A0"
    doc.metadata.author = "@SUM(1+1)"
    doc.metadata.url = "-2+3"
    store.save(doc)
    tab = make_doc(text="\tTabbed start. " + TEXT, site="\rcr.org")
    store.save(tab)
    exports.export_tables(store, "csv", tmp_path / "csv")
    exports.export_tables(store, "jsonl", tmp_path / "jsonl")
    with open(tmp_path / "csv" / "documents.csv", encoding="utf-8", newline="") as fh:
        docs = list(csv.DictReader(fh))
    first = next(d for d in docs if "HYPERLINK" in d["site"])
    assert first["site"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert first["title"] == "'+cmd|' /C calc'!A0" and first["author"] == "'@SUM(1+1)" and first["url"] == "'-2+3"
    second = next(d for d in docs if d is not first)
    assert second["site"] == "'\rcr.org" and second["text"].startswith("'\tTabbed start.")
    assert first["options"].startswith("{") and first["words"].isdigit()  # other cells are untouched
    with open(tmp_path / "csv" / "spans.csv", encoding="utf-8", newline="") as fh:
        spans = list(csv.DictReader(fh))
    assert spans and all(not s[k].startswith(exports.FORMULA_START) for s in spans for k in s)
    # JSONL (and Parquet) keep the values exactly
    exact = [orjson.loads(line) for line in (tmp_path / "jsonl" / "documents.jsonl").read_bytes().splitlines()]
    assert {d["site"] for d in exact} == {"=HYPERLINK(\"http://evil.example\",\"x\")", "\rcr.org"}
    store.close()

    from unspun.cli.corpus import stats_csv

    data = {"by": "site", "rows": [{"group": "=1+1", "documents": 1, "words": 10, "rate_per_1000_words": -1.5,
                                    "quotes": 0, "claims": 0, "asserted_claims": 0, "techniques": {}}]}
    row = list(csv.reader(io.StringIO(stats_csv(data))))[1]
    assert row[0] == "'=1+1" and row[3] == "-1.5"  # numbers are numbers, not text: left alone


def test_an_input_that_failed_and_now_reads_replaces_its_failure_row(tmp_path: Path):
    options = engines.resolve_options("fast", None, [])  # no stage: no model is loaded
    store = Store(f"sqlite:///{tmp_path / 'u.db'}")
    path = tmp_path / "late.txt"
    [gone] = readers.reread(str(path))  # the file is not there yet: a failure keyed by its path
    summary = engines.run_local([(None, gone)], store, options, workers=1)
    assert summary.failed == 1 and store.count("error") == 1
    path.write_text("The harbour reopened on Monday after a week of repairs, the port authority said.", encoding="utf-8")
    [record] = readers.reread(str(path))
    summary = engines.run_local([(None, record)], store, options, workers=1)
    assert summary.failed == 0 and store.count("ok") == 1
    assert store.count("error") == 0 and store.failures() == []
    store.close()
