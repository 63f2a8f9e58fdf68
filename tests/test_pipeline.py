"""The Python API: explicit entry points, the dispatching `analyze`, options and stage resolution."""

from pathlib import Path

import pytest

import unspun
from conftest import EXAMPLES, read_original
from unspun import pipeline
from unspun.errors import InputDataError, UrlRefusedError, UsageError


def test_analyze_path_reads_the_file():
    doc = unspun.analyze(EXAMPLES / "wire-report.txt")
    assert doc.source_type == "path" and doc.text == read_original(EXAMPLES / "wire-report.txt")


def test_plain_string_is_never_opened_as_a_path():
    doc = unspun.analyze(str(EXAMPLES / "wire-report.txt"))
    assert doc.source_type == "text" and doc.text == str(EXAMPLES / "wire-report.txt")


def test_html_string_is_read_as_html():
    html = (EXAMPLES / "saved-page.html").read_text(encoding="utf-8")
    doc = unspun.analyze(html)
    assert doc.source_type == "html" and doc.text.startswith("Water board")
    # a string that starts with "<" but has no <html or <body is text
    assert unspun.analyze("<b>Bold</b> claims were made by the mayor on Monday.").source_type == "text"


def test_url_string_is_fetched_and_respects_offline():
    with pytest.raises(UrlRefusedError, match="offline"):
        unspun.analyze("https://example.org/article", offline=True)
    # a URL-like string with whitespace is text
    assert unspun.analyze("https://example.org/a is a site we mention").source_type == "text"


def test_bytes_are_utf8_text():
    doc = unspun.analyze_text("Café owners protested.".encode())
    assert doc.text == "Café owners protested."
    with pytest.raises(InputDataError, match="UTF-8"):
        unspun.analyze_text(b"caf\xe9")


def test_bom_and_crlf_are_kept():
    text = "\ufeffFirst line.\r\nSecond line.\r\n"
    assert unspun.analyze_text(text).text == text


def test_options_are_recorded():
    doc = unspun.analyze_text("The plan will fail, the mayor said on Monday.", model="fast", min_score=0.4)
    assert doc.options == {"model": "fast", "min_score": 0.4, "stages": pipeline.resolve_stages(None)}


def test_bad_options_are_usage_errors():
    with pytest.raises(UsageError, match="model"):
        unspun.analyze_text("Some text here.", model="huge")
    with pytest.raises(UsageError, match="min-score"):
        unspun.analyze_text("Some text here.", min_score=1.5)
    with pytest.raises(UsageError, match="unknown stage"):
        unspun.analyze_text("Some text here.", stages=["nonsense"])
    with pytest.raises(UsageError, match="input format"):
        unspun.analyze_file(EXAMPLES / "wire-report.txt", input_format="pdf")


def test_stage_resolution_adds_requirements_in_order(monkeypatch):
    assert pipeline.resolve_stages(["sources"]) == ["quotes", "claims", "sources"]
    assert pipeline.resolve_stages(["actors", "techniques"]) == ["techniques", "quotes", "actors"]
    assert pipeline.resolve_stages(None) == list(pipeline.ORDER)


def test_stage_not_built_yet_is_a_usage_error(monkeypatch):
    monkeypatch.setattr(pipeline, "STAGES", ())
    with pytest.raises(UsageError, match="not available"):
        pipeline.resolve_stages(["quotes"])


def test_analyze_rejects_other_types():
    with pytest.raises(TypeError):
        unspun.analyze(42)


def test_file_dispatch_by_suffix(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes((EXAMPLES / "saved-page.html").read_bytes())
    assert unspun.analyze_file(p).text.startswith("Water board")
    assert unspun.analyze(Path(p)).links


def test_the_parse_overlapping_the_technique_stage_changes_nothing(monkeypatch):
    # with a spare core the spaCy parse runs on a background thread during the technique stage (`nlp.prefetch`);
    # with none (corpus workers) it runs in line: every span, score and label must come out the same
    from unspun.runtime import nlp

    text = (EXAMPLES / "opinion-loaded.txt").read_text(encoding="utf-8")
    results = []
    for threads in ("2", "1"):
        monkeypatch.setenv("UNSPUN_THREADS", threads)
        nlp.clear()
        results.append(pipeline.analyze_text(text, model="fast").to_dict())
        assert not nlp._pending  # nothing left waiting
    assert results[0] == results[1]
    assert results[0]["quotes"] and results[0]["claims"] and results[0]["techniques"]


def test_numpy_blas_runs_on_one_thread_during_an_analysis_and_is_restored(monkeypatch):
    # OpenBLAS's spinning workers took a fifth of the CPU from spaCy and the encoders (runtime/threads.py)
    from threadpoolctl import threadpool_info, threadpool_limits

    from unspun.stages import sources

    def blas_threads() -> list[int]:
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]

    seen = []
    real = sources.run
    monkeypatch.setattr(sources, "run", lambda doc: (seen.append(blas_threads()), real(doc)))
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        pipeline.analyze_text("The mayor said the bridge would reopen in May.", model="fast")
        assert blas_threads() == before  # the caller's setting is back
    assert seen and seen[0] and all(n == 1 for n in seen[0])


def test_analyses_in_several_threads_share_one_blas_limit():
    # the first to enter sets it, the last to leave restores it, whatever order they finish in
    import threading

    from threadpoolctl import threadpool_info, threadpool_limits

    from unspun.runtime.threads import one_blas_thread

    def blas_threads() -> set[int]:
        return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}

    inside, release = threading.Event(), threading.Event()

    def long_one():
        with one_blas_thread():
            inside.set()
            release.wait(10)

    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        worker = threading.Thread(target=long_one)
        worker.start()
        inside.wait(10)
        with one_blas_thread():  # a short analysis beside it
            assert blas_threads() == {1}
        assert blas_threads() == {1}  # the long one still runs: the limit holds
        release.set()
        worker.join(10)
        assert blas_threads() == before
