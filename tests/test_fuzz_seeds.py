"""The fuzz seed corpus through the real pipeline, and the limits fuzzing forces: size, nesting depth, time.

Each seed must give a sound Document or a documented one-line error, and the well-formed seeds (the hand-written
pages and every small generated seed but the ones named in EXPECTED_ERRORS) must give a Document: a regression
that refused every input would otherwise pass. The hostile seeds must end in their own clear error: 100,000-level
nesting and 100,000 attributes are refused before the HTML parser is called, a 50 MB line is over the size limit,
and a document that takes too long stops at the per-document time limit. No test here bounds wall-clock time
(that belongs in benchmarks/): "before parsing" is checked by making the parser fail the test if it is called.
"""

from __future__ import annotations

import importlib
import importlib.util
import time

import pytest

import unspun
from conftest import REPO
from unspun import limits, pipeline
from unspun.errors import InputDataError, TimeLimitError, UnspunError
from unspun.ingest import html as html_ingest
from unspun.ingest import nesting
from unspun.invariants import violations


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"fuzz_{name}", REPO / "fuzz" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


seeds = _load("seeds")
SMALL = list(seeds.small_seeds())
HAND = list(seeds.hand_written())


# The small seeds that must end in an error, and what the error says; every other small seed must be analysed.
EXPECTED_ERRORS = {"nest-300.html": "parser reads only 255"}  # past lxml's depth limit: no article text reaches it


def _fmt(name: str) -> str:
    return "html" if name.endswith(".html") else "text"


def _outcome(data: bytes, name: str, **kwargs) -> unspun.Document | UnspunError:
    try:
        doc = pipeline.analyze_bytes(data, input_format=_fmt(name), **kwargs)
    except UnspunError as exc:
        assert str(exc) and "\n" not in str(exc)
        return exc
    assert violations(doc) == [], name
    return doc


def test_seed_corpus_is_varied() -> None:
    names = {name for name, _ in seeds.all_seeds()}
    assert len(HAND) >= 8 and len(names) > 200
    assert any(n.startswith("enc-xml-decl-utf-16-as-latin-1") for n in names)


@pytest.mark.parametrize(("name", "data"), SMALL, ids=[n for n, _ in SMALL])
def test_small_seeds_ingest(name: str, data: bytes) -> None:
    result = _outcome(data, name, stages=[])
    if name in EXPECTED_ERRORS:
        assert isinstance(result, InputDataError) and EXPECTED_ERRORS[name] in str(result), result
    else:  # hand-written pages and every declared/actual encoding pairing hold a real article
        assert isinstance(result, unspun.Document), result
        assert result.text.strip()


@pytest.mark.parametrize(("name", "data"), HAND, ids=[n for n, _ in HAND])
def test_hand_written_seeds_full_pipeline(name: str, data: bytes) -> None:
    result = _outcome(data, name, model="fast")
    assert isinstance(result, unspun.Document), result  # every hand-written seed is a real-looking article
    assert result.options["stages"] == pipeline.resolve_stages(None)


def refuse_parser(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the HTML parser (trafilatura, called through html_ingest._extract) fail the test if it is called; the
    returned list records the length of every page it was given."""
    calls: list[int] = []

    def refuse(html, url):
        calls.append(len(html))
        raise AssertionError("the HTML parser was called")

    monkeypatch.setattr(html_ingest, "_extract", refuse)
    return calls


def test_encoding_mismatches_keep_the_article() -> None:
    # Whatever the declaration says, a page whose bytes are UTF-8 must come out with the accented words intact.
    for name, data in seeds.encoding_mismatches():
        if name.endswith("-as-utf-8.html") and "utf-16" not in name:
            doc = _outcome(data, name, stages=[])
            assert isinstance(doc, unspun.Document) and "Café" in doc.text, name


@pytest.mark.parametrize(("name", "data"), list(seeds.deep_nesting()), ids=[n for n, _ in seeds.deep_nesting()])
def test_deep_nesting_is_refused_before_parsing(name: str, data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    if name == "nest-300.html":  # past the parser's depth but under the refusal limit: parsed, and the message says why
        with pytest.raises(InputDataError) as info:
            unspun.analyze_html(data, stages=[])
        assert "parser reads only 255" in str(info.value)
    else:
        calls = refuse_parser(monkeypatch)
        with pytest.raises(InputDataError) as info:
            unspun.analyze_html(data, stages=[])
        assert "nests elements more than 1,000 levels deep" in str(info.value)
        assert calls == []  # refused by the cheap pre-check: the parser never saw the page
    assert info.value.exit_code == 65


# What each huge-attribute seed must give: a Document (None), or an error that says this.
HUGE_ATTRIBUTES = {
    "attr-5mb-value.html": None,
    "attr-100k-attrs.html": "more than 1,000 attributes",
    "attr-unterminated.html": "no article text found",  # the unterminated value swallows the rest of the page
}


@pytest.mark.parametrize(("name", "data"), list(seeds.huge_attributes()), ids=[n for n, _ in seeds.huge_attributes()])
def test_huge_attributes(name: str, data: bytes) -> None:
    result = _outcome(data, name, stages=[])
    if HUGE_ATTRIBUTES[name] is None:
        assert isinstance(result, unspun.Document) and "São Paulo" in result.text, result
    else:
        assert isinstance(result, InputDataError) and HUGE_ATTRIBUTES[name] in str(result), result


def test_too_many_attributes_are_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    parser_calls = refuse_parser(monkeypatch)
    page = b"<html><body><article " + b" ".join(b"a%d=1" % i for i in range(100_000)) + b"><p>" + b"word " * 50 + b"</article>"
    with pytest.raises(InputDataError, match="more than 1,000 attributes"):
        unspun.analyze_html(page, stages=[])
    assert parser_calls == []  # refused by the cheap pre-check: the parser never saw the page
    at_limit = b" ".join(b"a%d=1" % i for i in range(1_000))
    ok = b"<html><body><article " + at_limit + b"><p>" + b"word " * 50 + b"</article>"
    with pytest.raises(AssertionError, match="parser was called"):  # at the limit the page does reach the parser
        unspun.analyze_html(ok, stages=[])
    assert parser_calls == [len(ok)]
    links = b"<html><body><article>" + b"<a href='/x?a=1&b=2' class=c id=d>link</a> word " * 2000 + b"</article>"
    assert nesting.max_attributes(links) == 5  # per tag: 3 attributes and the 2 "=" of the query string


def test_nesting_estimate_does_not_overcount_real_html() -> None:
    page = "<html><body><ul>" + "<li><p>item <b>x</b> <br> <img src=a>" * 5000 + "</ul>" + "<p>para" * 5000 + "</body></html>"
    assert nesting.depth(page) <= 6
    assert nesting.depth("<div><script>" + "<div>" * 5000 + "</script></div>") == 1
    assert nesting.depth("<div><!--" + "<div>" * 5000 + "--></div>") == 1
    assert nesting.depth("<div>" * 10 + "</div>" * 10 + "<div>" * 10) == 10
    assert nesting.depth("<a" * 100_000 + ">") == 1
    assert nesting.depth(b"<div>" * 5000, stop_at=100) == 101  # stops early


def test_fifty_megabyte_line(monkeypatch: pytest.MonkeyPatch) -> None:
    line = seeds.big_line()
    with pytest.raises(InputDataError, match="over the limit of 10,485,760"):
        pipeline.analyze_bytes(line, input_format="text", stages=[])
    doc = pipeline.analyze_bytes(line, input_format="text", stages=[], max_bytes=len(line))
    assert len(doc.text) == len(line) and violations(doc) == []
    later: list[str] = []  # the stages after the first: the limit must stop the work before they run
    for stage in pipeline.STAGES[1:]:
        monkeypatch.setattr(stage, "run", lambda doc, name=stage.NAME: later.append(name))
    with pytest.raises(TimeLimitError, match="longer than the limit of 2 s"):
        pipeline.analyze_bytes(line, input_format="text", model="fast", max_bytes=len(line), time_limit=2)
    assert later == []


def test_time_limit_stops_a_long_document() -> None:
    text = "The corrupt regime lied again and again, a shameful disgrace to all of us. " * 2000
    unspun.analyze_text("Load the model first so the limit measures analysis only.", model="fast")
    with pytest.raises(TimeLimitError) as info:
        unspun.analyze_text(text, model="fast", time_limit=0.05)
    assert info.value.exit_code == 65 and "0.05 s per document" in str(info.value)


def test_time_limit_env_and_nesting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNSPUN_TIME_LIMIT", "0")
    assert limits.time_limit() is None and limits.time_limit(5) == 5
    monkeypatch.setenv("UNSPUN_TIME_LIMIT", "7.5")
    assert limits.time_limit() == 7.5
    monkeypatch.delenv("UNSPUN_TIME_LIMIT")
    assert limits.time_limit() == limits.DEFAULT_TIME_LIMIT
    with limits.deadline(0.01):
        with limits.deadline(100):  # an inner, longer limit does not extend the outer one
            time.sleep(0.02)
            with pytest.raises(TimeLimitError):
                limits.check_time()
    limits.check_time()  # no deadline outside
