"""One way through (issue 19): `ingest.load` reads every input and sets site and language; `pipeline.run` runs a
plain tuple of stage modules; the corpus engine extracts each HTML page once; "site" has one normaliser."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from unspun import ingest, pipeline
from unspun.errors import UsageError
from unspun.ingest.site import site_of

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PAGE = (EXAMPLES / "saved-page.html").read_text(encoding="utf-8")
TEXT = "The mayor said on Monday that the bridge would reopen. Critics called the plan a shameful waste of money."


def test_site_has_one_rule():
    assert site_of("https://www.Example.com/a?b=1") == "example.com"
    assert site_of("http://example.com:8080/") == "example.com"
    assert site_of("https://news.www.bbc.co.uk/x") == "news.www.bbc.co.uk"  # only a leading www. goes
    assert site_of("https://wwwexample.org/") == "wwwexample.org"
    assert site_of(None) is None and site_of("") is None and site_of("not a url") is None


def test_every_site_comes_from_the_one_rule():
    """The corpus readers, HTML ingest and ingest.load all use `ingest.site`; nobody else reads a host."""
    from unspun.corpus import readers
    from unspun.ingest import html, site
    from unspun.stages import sources

    assert readers.site_of is site_of and html.page_site is site.page_site and sources.link_domain is site.link_domain
    src = Path(ingest.__file__).resolve().parent.parent
    readers_of_hosts = sorted(str(p.relative_to(src)) for p in src.rglob("*.py")
                              if ".hostname" in p.read_text(encoding="utf-8"))
    # the URL fetcher checks hosts for safety and the sources stage compares link domains (`site.link_domain`):
    # neither names the site
    assert set(readers_of_hosts) <= {"ingest/html.py", "ingest/site.py", "ingest/url.py", "stages/sources.py"}


def test_load_sets_site_and_language():
    doc = ingest.load(TEXT, kind="text")
    assert doc.source_type == "text" and doc.metadata.language == "en" and doc.metadata.site is None
    assert ingest.load(TEXT, kind="text", url="https://www.paper.com/story").metadata.site == "paper.com"
    assert ingest.load(TEXT, kind="text", site="The Paper", url="https://www.paper.com/").metadata.site == "The Paper"
    page = ingest.load(PAGE.encode(), kind="html", url="https://www.valley-ledger.example/story")
    assert page.metadata.site == "The Valley Ledger" and page.metadata.url == "https://www.valley-ledger.example/story"
    assert page.options == {} and page.techniques == []  # ingest only reads; the stages have not run


def test_kinds_are_decided_in_ingest():
    assert ingest.kind_of(Path("a.txt")) == "path" and ingest.kind_of(b"x") == "text"
    assert ingest.kind_of(" https://example.com/a ") == "url" and ingest.kind_of("https://a b") == "text"
    assert ingest.kind_of("<p>hi <body>") == "html" and ingest.kind_of("<p>hi</p>") == "text"
    with pytest.raises(TypeError):
        ingest.kind_of(3)
    path = EXAMPLES / "saved-page.html"
    assert ingest.load(str(path), kind="argument").source_type == "path"
    assert ingest.load(path, "text", kind="path").text == path.read_text(encoding="utf-8")  # as text, on request
    with pytest.raises(UsageError, match="input format"):
        ingest.load(path, "pdf", kind="path")
    with pytest.raises(UsageError, match="input kind"):
        ingest.load(TEXT, kind="telepathy")


def test_run_is_a_plain_tuple_of_stage_modules():
    assert pipeline.ORDER == ("techniques", "quotes", "claims", "sources", "actors")
    for stage in pipeline.STAGES:
        assert inspect.ismodule(stage) and stage.__name__ == f"unspun.stages.{stage.NAME}"
        assert callable(stage.run) and all(r in pipeline.ORDER[: pipeline.ORDER.index(stage.NAME)] for r in stage.REQUIRES)
    tree = ast.parse(Path(pipeline.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "importlib" not in imported


def test_load_then_run_is_the_api():
    doc = pipeline.run(ingest.load(TEXT, kind="text"), pipeline.options(["quotes"], "fast"))
    same = pipeline.analyze_text(TEXT, stages=["quotes"], model="fast")
    assert doc.to_dict() == same.to_dict() and doc.quotes


def test_the_corpus_engine_extracts_a_page_once(monkeypatch):
    from unspun.corpus import engines
    from unspun.corpus.readers import Record
    from unspun.corpus.store import Analysed
    from unspun.ingest import html

    calls = []
    real = html.from_html
    monkeypatch.setattr(html, "from_html", lambda *a, **k: calls.append(1) or real(*a, **k))
    analyzer = engines.Analyzer(engines.resolve_options("fast", None, ["quotes"]), frozenset())
    calls.clear()  # the warm-up analyses text
    out = analyzer.one(Record(content=PAGE, input_format="html", source="page.html", url="https://www.ledger.example/a"))
    assert isinstance(out, Analysed) and len(calls) == 1
    assert out.site == "The Valley Ledger" and out.doc.metadata.url == "https://www.ledger.example/a"
