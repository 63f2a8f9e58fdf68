"""The fuzz seed corpus through the real pipeline, and the limits fuzzing forces: size, nesting depth, time.

Each seed must give a sound Document or a documented one-line error. The hostile seeds must end in their own
clear error: 100,000-level nesting is refused before parsing, a 50 MB line is over the size limit, and a document
that takes too long stops at the per-document time limit.
"""

from __future__ import annotations

import importlib.util
import time

import pytest

import unspun
from conftest import REPO
from unspun import limits, pipeline
from unspun.errors import InputDataError, TimeLimitError, UnspunError
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
    _outcome(data, name, stages=[])


@pytest.mark.parametrize(("name", "data"), HAND, ids=[n for n, _ in HAND])
def test_hand_written_seeds_full_pipeline(name: str, data: bytes) -> None:
    result = _outcome(data, name, model="fast")
    if name in ("wire-story.html", "plain-article.txt", "rtl-combining-emoji.html", "broken-tags.html"):
        assert isinstance(result, unspun.Document), result  # real-looking articles must be analysed


def test_encoding_mismatches_keep_the_article() -> None:
    # Whatever the declaration says, a page whose bytes are UTF-8 must come out with the accented words intact.
    for name, data in seeds.encoding_mismatches():
        if name.endswith("-as-utf-8.html") and "utf-16" not in name:
            doc = _outcome(data, name, stages=[])
            assert isinstance(doc, unspun.Document) and "Café" in doc.text, name


@pytest.mark.parametrize(("name", "data"), list(seeds.deep_nesting()), ids=[n for n, _ in seeds.deep_nesting()])
def test_deep_nesting_is_refused_before_parsing(name: str, data: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(InputDataError) as info:
        unspun.analyze_html(data, stages=[])
    if name == "nest-300.html":  # past the parser's depth but under the refusal limit: the message says why
        assert "parser reads only 255" in str(info.value)
    else:
        assert "nests elements more than 1,000 levels deep" in str(info.value)
        assert time.monotonic() - started < 1.0  # refused by the cheap pre-check, not after parsing
    assert info.value.exit_code == 65


@pytest.mark.parametrize(("name", "data"), list(seeds.huge_attributes()), ids=[n for n, _ in seeds.huge_attributes()])
def test_huge_attributes(name: str, data: bytes) -> None:
    _outcome(data, name, stages=[])


def test_too_many_attributes_are_refused_before_parsing() -> None:
    started = time.monotonic()
    page = b"<html><body><article " + b" ".join(b"a%d=1" % i for i in range(100_000)) + b"><p>" + b"word " * 50 + b"</article>"
    with pytest.raises(InputDataError, match="more than 1,000 attributes"):
        unspun.analyze_html(page, stages=[])
    assert time.monotonic() - started < 1.0
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


def test_fifty_megabyte_line() -> None:
    line = seeds.big_line()
    with pytest.raises(InputDataError, match="over the limit of 10,485,760"):
        pipeline.analyze_bytes(line, input_format="text", stages=[])
    doc = pipeline.analyze_bytes(line, input_format="text", stages=[], max_bytes=len(line))
    assert len(doc.text) == len(line) and violations(doc) == []
    started = time.monotonic()
    with pytest.raises(TimeLimitError, match="longer than the limit of 2 s"):
        pipeline.analyze_bytes(line, input_format="text", model="fast", max_bytes=len(line), time_limit=2)
    assert time.monotonic() - started < 8


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
