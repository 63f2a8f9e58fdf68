"""Corpus statistics (SQL aggregation) on SQLite and a real PostgreSQL, with documents whose counts we control."""

from __future__ import annotations

import pytest

from test_store import make_doc

from unspun.corpus import stats
from unspun.corpus.store import Store
from unspun.document import Document, Metadata, Quote, Source
from unspun.errors import UsageError


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    # a.com: two documents in March 2024 (weeks 10 and 13); b.org: one in April, one undated
    s.save(make_doc(site="a.com", date="2024-03-05"))
    s.save(make_doc(text=make_doc().text + " Extra words here.", site="a.com", date="2024-03-28"))
    s.save(Document(text="Plain calm report about the weather today with no drama at all.",
                    metadata=Metadata(site="b.org", date="2024-04-02")))
    c = make_doc(text=make_doc().text + " Another ending.", site="b.org", date=None)
    c.add(Quote, 0, 3, kind="indirect", speaker="John Roe")
    c.add(Source, name="Reuters", type="outlet", mentions=[c.span(0, 3)])
    s.save(c)
    yield s
    s.close()


def by_group(data):
    return {r["group"]: r for r in data["rows"]}


def test_compute_by_site(store):
    data = stats.compute(store, "site")
    assert data["by"] == "site"
    rows = by_group(data)
    assert set(rows) == {"a.com", "b.org"}
    a = rows["a.com"]
    assert a["documents"] == 2 and a["quotes"] == 2 and a["claims"] == 2 and a["asserted_claims"] == 2
    assert a["techniques"] == {"Loaded_Language": 2, "Name_Calling,Labeling": 2}
    assert a["words"] == 28 + 31
    assert a["rate_per_1000_words"] == round(1000 * 4 / 59, 3)
    assert set(a) == {"group", "documents", "words", "techniques", "rate_per_1000_words", "quotes", "claims", "asserted_claims"}
    b = rows["b.org"]
    assert b["documents"] == 2 and b["quotes"] == 2 and b["techniques"]["Loaded_Language"] == 1


def test_compute_over_time_and_filters(store):
    months = by_group(stats.compute(store, "month"))
    assert list(months) == ["2024-03", "2024-04", "unknown"]
    assert months["2024-03"]["documents"] == 2
    weeks = by_group(stats.compute(store, "week"))
    assert list(weeks) == ["2024-W10", "2024-W13", "2024-W14", "unknown"]
    only = stats.compute(store, "site", sites=["b.org"])
    assert [r["group"] for r in only["rows"]] == ["b.org"]
    ranged = by_group(stats.compute(store, "site", since="2024-03-10", until="2024-04-02"))
    assert ranged["a.com"]["documents"] == 1 and ranged["b.org"]["documents"] == 1
    kw = by_group(stats.compute(store, "site", keyword="WEATHER"))
    assert list(kw) == ["b.org"] and kw["b.org"]["documents"] == 1 and kw["b.org"]["rate_per_1000_words"] == 0.0
    assert stats.compute(store, "site", keyword="100%_")["rows"] == []  # LIKE wildcards are literal
    with pytest.raises(UsageError):
        stats.compute(store, "year")
    with pytest.raises(UsageError):
        stats.compute(store, "site", since="last tuesday")


def test_compare_two_sites(store):
    data = stats.compare(store, "a.com", "b.org")
    assert data["sites"] == ["a.com", "b.org"]
    assert [r["group"] for r in data["rows"]] == ["a.com", "b.org"]
    ll = next(t for t in data["techniques"] if t["technique"] == "Loaded_Language")
    assert ll["a"] == 2 and ll["b"] == 1
    assert ll["a_rate_per_1000_words"] == round(1000 * 2 / 59, 3)
    missing = stats.compare(store, "a.com", "nowhere.net")
    assert missing["rows"][1]["documents"] == 0


def test_top_speakers_sources_and_actor_labels(store):
    speakers = stats.top_speakers(store)
    assert speakers[0] == {"name": "Jane Doe", "quotes": 3, "documents": 3}
    assert {"name": "John Roe", "quotes": 1, "documents": 1} in speakers
    assert stats.top_speakers(store, site="a.com") == [{"name": "Jane Doe", "quotes": 2, "documents": 2}]
    assert stats.top_sources(store) == [{"name": "Reuters", "type": "outlet", "documents": 1}]
    assert stats.top_sources(store, site="a.com") == []
    labels = stats.actor_labels(store)
    assert labels == [{"actor": "regime", "label": "corrupt regime", "technique": "Loaded_Language", "count": 3, "documents": 3}]


def test_documents_behind_a_chart_point(store):
    items, total = stats.documents(store, by="site", group="a.com", technique="Loaded_Language")
    assert total == 2 and {i["site"] for i in items} == {"a.com"}
    items, total = stats.documents(store, by="month", group="unknown")
    assert total == 1 and items[0]["date"] is None
    _, total = stats.documents(store, speaker="John Roe")
    assert total == 1
    _, total = stats.documents(store, source="Reuters", sites=["a.com"])
    assert total == 0
