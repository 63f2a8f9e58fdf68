"""The `unspun` command: formats, stdin, exit codes and one-line errors.

Run in this process through `unspun.cli.main()` (the run_cli fixture), so the models load once; test_version runs the
real `python -m unspun` in a subprocess, so the entry point stays covered.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time

import pytest

from conftest import EXAMPLES, assert_offsets, read_original


def run(*args: str) -> subprocess.CompletedProcess:
    """The real entry point in a subprocess."""
    return subprocess.run([sys.executable, "-m", "unspun", *args], capture_output=True, env={**os.environ, "UNSPUN_DEBUG": ""},
                          timeout=120)


def assert_clean_error(proc, code: int, words: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert words in err
    assert proc.stdout == b""


def test_version():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.decode().startswith("unspun ")


def test_analyze_text_file_json_offsets_index_the_file(run_cli):
    path = EXAMPLES / "opinion-loaded.txt"
    proc = run_cli("analyze", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "unspun/1"
    assert doc["text"] == read_original(path)
    assert doc["source"] == {"type": "path", "value": str(path)}
    assert doc["metadata"]["language"] == "en"
    assert_offsets(doc)


def test_scrape_example_lists_junk_and_posts_with_original_offsets(run_cli):
    path = EXAMPLES / "scraped-screenshots.txt"
    original = read_original(path)
    proc = run_cli("analyze", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    reasons = {r["reason"] for r in doc["removed"]}
    assert {"image-filename", "layout-widget", "share-buttons"} <= reasons
    assert doc["embedded_posts"], "screenshot captions naming accounts are embedded posts"
    for item in doc["removed"] + doc["embedded_posts"]:
        assert original[item["start"]:item["end"]] == item["text"]
    assert any(p["platform"] == "twitter" for p in doc["embedded_posts"])


def test_html_example_and_input_format_override(tmp_path, run_cli):
    proc = run_cli("analyze", str(EXAMPLES / "saved-page.html"), "-f", "json")
    doc = json.loads(proc.stdout)
    assert doc["metadata"]["site"] == "The Valley Ledger" and doc["links"]
    assert_offsets(doc)
    # the same bytes under a .txt name are text unless --input-format html says otherwise
    copy = tmp_path / "page.txt"
    copy.write_bytes((EXAMPLES / "saved-page.html").read_bytes())
    as_text = json.loads(run_cli("analyze", str(copy), "-f", "json").stdout)
    assert as_text["text"].startswith("<!DOCTYPE html>")
    as_html = json.loads(run_cli("analyze", str(copy), "-f", "json", "--input-format", "html").stdout)
    assert as_html["text"] == doc["text"]


def test_stdin_text_and_html(run_cli):
    text = "The mayor said the plan would cut costs by a third.\r\nCritics disagreed.\n".encode()
    doc = json.loads(run_cli("analyze", "-", stdin=text).stdout)
    assert doc["text"] == text.decode() and doc["source"] == {"type": "text", "value": "-"}
    html = (EXAMPLES / "saved-page.html").read_bytes()
    doc = json.loads(run_cli("analyze", "-", stdin=html).stdout)
    assert doc["source"]["type"] == "html" and doc["text"].startswith("Water board")


def test_several_inputs_json_list_and_jsonl(run_cli):
    a, b = str(EXAMPLES / "wire-report.txt"), str(EXAMPLES / "opinion-loaded.txt")
    docs = json.loads(run_cli("analyze", a, b, "-f", "json").stdout)
    assert [d["source"]["value"] for d in docs] == [a, b]
    lines = run_cli("analyze", a, b, "-f", "jsonl").stdout.decode().splitlines()
    assert [json.loads(line)["source"]["value"] for line in lines] == [a, b]


def test_tsv_and_markdown(tmp_path, run_cli):
    path = EXAMPLES / "scraped-screenshots.txt"
    tsv = run_cli("analyze", str(path), "-f", "tsv").stdout.decode()
    header, *rows = tsv.rstrip("\n").split("\n")
    assert header == "doc\tkind\tid\tstart\tend\tlabel\tscore\ttext"
    assert rows and all(len(r.split("\t")) == 8 for r in rows)
    assert any(r.split("\t")[1] == "removed" and r.split("\t")[5] == "image-filename" for r in rows)
    out = tmp_path / "report.md"
    proc = run_cli("analyze", str(path), "-o", str(out))  # format from the extension
    assert proc.returncode == 0 and proc.stdout == b""
    md = out.read_text()
    assert md.startswith("# ") and "Removed as scrape junk" in md and "Embedded posts" in md


def test_format_from_unknown_extension_is_usage_error(tmp_path, run_cli):
    proc = run_cli("analyze", str(EXAMPLES / "wire-report.txt"), "-o", str(tmp_path / "x.pdf"))
    assert proc.returncode == 2 and "format" in proc.stderr.decode()


def test_unknown_option_and_stage_are_usage_errors(run_cli):
    assert run_cli("analyze", str(EXAMPLES / "wire-report.txt"), "--format", "pdf").returncode == 2
    proc = run_cli("analyze", str(EXAMPLES / "wire-report.txt"), "--stages", "nonsense")
    assert_clean_error(proc, 2, "unknown stage")


def test_non_english_is_analysed_with_a_warning(tmp_path, run_cli):
    p = tmp_path / "de.txt"
    p.write_text("Die Regierung hat am Dienstag neue Maßnahmen angekündigt, um die Inflation zu bremsen. "
                 "Kritiker sagen, das reiche nicht aus.", encoding="utf-8")
    proc = run_cli("analyze", str(p), "-f", "json")
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert doc["metadata"]["language"] == "de"
    assert any("de" in w for w in doc["warnings"])


# --- bad input: one line, the right exit code, no traceback, nothing written to -o --------------------


@pytest.mark.parametrize(
    "content,words",
    [
        (b"", "bad.txt: the file is empty"),
        (b"   \n\t  \n", "bad.txt: the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x01", "bad.txt: looks like a binary file (a PNG image)"),
        (b"caf\xe9 au lait", "bad.txt: input is not valid UTF-8"),
    ],
)
def test_bad_text_is_exit_65(tmp_path, content, words, run_cli):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    out = tmp_path / "out.json"
    proc = run_cli("analyze", str(p), "-o", str(out))
    assert_clean_error(proc, 65, words)
    assert not out.exists()
    assert ("iconv" in proc.stderr.decode()) == (b"caf" in content)  # the iconv hint only for text in another encoding


def test_fifty_megabyte_file_is_refused(tmp_path, run_cli):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    assert_clean_error(run_cli("analyze", str(p)), 65, "over the limit")


def test_max_bytes_flag_and_env(tmp_path, run_cli):
    p = tmp_path / "a.txt"
    p.write_text("A short article about the harbour. " * 20)
    assert_clean_error(run_cli("analyze", str(p), "--max-bytes", "100"), 65, "over the limit")
    assert_clean_error(run_cli("analyze", str(p), env={"UNSPUN_MAX_BYTES": "100"}), 65, "over the limit")
    assert run_cli("analyze", str(p), "--max-bytes", "100000").returncode == 0


def test_html_without_article_is_exit_65(tmp_path, run_cli):
    p = tmp_path / "empty.html"
    p.write_text("<html><head><title>Nothing</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    assert_clean_error(run_cli("analyze", str(p)), 65, "no article")


def test_directory_and_missing_are_exit_66(tmp_path, run_cli):
    assert_clean_error(run_cli("analyze", str(tmp_path)), 66, "directory")
    assert_clean_error(run_cli("analyze", str(tmp_path / "nope.txt")), 66, "no such file")


def test_unwritable_output_is_exit_74(tmp_path, run_cli):
    proc = run_cli("analyze", str(EXAMPLES / "wire-report.txt"), "-o", str(tmp_path / "missing" / "out.json"))
    assert proc.returncode == 74 and "Traceback" not in proc.stderr.decode()


def test_failed_run_keeps_previous_output(tmp_path, run_cli):
    out = tmp_path / "out.json"
    out.write_text("previous")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert run_cli("analyze", str(bad), "-o", str(out)).returncode == 65
    assert out.read_text() == "previous"


def test_unsafe_and_malformed_urls_are_exit_77(run_cli):
    assert_clean_error(run_cli("analyze", "http://127.0.0.1:9/article"), 77, "")
    assert_clean_error(run_cli("analyze", "http://169.254.169.254/latest/meta-data"), 77, "")
    assert_clean_error(run_cli("analyze", "http://"), 77, "")
    assert_clean_error(run_cli("analyze", "https://example.org/a", "--offline"), 77, "offline")


class _Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        time.sleep(5)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_url_that_times_out_is_exit_69(run_cli):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/slow"
        proc = run_cli("analyze", url, "--timeout", "1", env={"UNSPUN_ALLOW_PRIVATE_URLS": "1"})
        assert_clean_error(proc, 69, "timed out")
    finally:
        server.shutdown()


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/article.html":
            body, kind = (EXAMPLES / "saved-page.html").read_bytes(), "text/html; charset=utf-8"
        elif self.path == "/article.txt":
            body, kind = (EXAMPLES / "wire-report.txt").read_bytes(), "text/plain; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_url_input_html_and_text(run_cli):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    env = {"UNSPUN_ALLOW_PRIVATE_URLS": "1"}
    try:
        doc = json.loads(run_cli("analyze", f"{base}/article.html", "-f", "json", env=env).stdout)
        assert doc["source"] == {"type": "url", "value": f"{base}/article.html"}
        assert doc["text"].startswith("Water board") and doc["links"]
        doc = json.loads(run_cli("analyze", f"{base}/article.txt", "-f", "json", env=env).stdout)
        assert doc["text"] == read_original(EXAMPLES / "wire-report.txt")
        assert_clean_error(run_cli("analyze", f"{base}/missing", env=env), 69, "404")
    finally:
        server.shutdown()


def test_debug_shows_traceback(tmp_path, run_cli):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"")
    proc = run_cli("--debug", "analyze", str(p))
    assert proc.returncode == 65 and "Traceback" in proc.stderr.decode()


# --- help: a flag takes no value, so help shows none -------------------------------------------------------------


def _all_commands():
    import typer.main

    from unspun.cli import app

    def walk(cmd, path):
        yield path, cmd
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    return app, list(walk(typer.main.get_command(app), []))


def test_help_shows_flags_without_a_value_placeholder():
    import re

    from typer.testing import CliRunner

    app, commands = _all_commands()
    assert len(commands) > 10  # the whole tree: analyze, serve, ptc, eval, claims, corpus, train and their commands
    runner = CliRunner()
    seen_flags = 0
    for path, cmd in commands:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
        assert result.exit_code == 0, (path, result.output)
        out = result.output
        assert "<bool>" not in out and "BOOLEAN" not in out, (path, out)
        for param in cmd.params:
            if param.param_type_name != "option" or param.hidden:
                continue
            for opt in param.opts:
                if not opt.startswith("--"):
                    continue
                # the option's row in the options table: its names, short names, then the value placeholder or the help
                names = rf"^\W*(?:--[\w-]+,)*{re.escape(opt)}(?:,--[\w-]+)*[ \t]+(?:-\w(?:,-\w)*[ \t]+)?"
                row = re.search(names + r"(\S+)", out, re.MULTILINE)
                assert row, (path, opt, out)
                if getattr(param, "is_flag", False):
                    seen_flags += 1
                    assert not row.group(1).startswith("<"), (path, opt, row.group(0))
                elif param.metavar is None:
                    # an option that takes a value still shows what kind of value
                    assert row.group(1).startswith("<"), (path, opt, row.group(0))
    assert seen_flags >= 10
