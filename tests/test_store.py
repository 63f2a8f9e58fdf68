"""The store against a real SQLite file and a real PostgreSQL (throwaway cluster, see pgcluster.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from unspun.corpus.store import Analysed, Failure, Store, content_hash, normalize_date, normalize_url
from unspun.document import Actor, ActorLabel, Claim, Document, Metadata, Quote, Technique
from unspun.errors import DatabaseError
from unspun.pipeline import analyze_text

TEXT = (
    "The corrupt regime lied again. \"We will never surrender,\" said Jane Doe, the minister.\n"
    "Experts say the economy grew by 4 percent last year. Everyone knows the truth!"
)


def make_doc(text: str = TEXT, site: str | None = "example.com", date: str | None = "2024-03-05") -> Document:
    """A Document with one item of most kinds, built by hand so the test controls every count."""
    doc = Document(text=text, metadata=Metadata(title="A title", site=site, date=date))
    doc.options = {"model": "fast", "min_score": 0.5, "stages": ["techniques"]}
    doc.models = {"techniques": {"name": "m", "version": "1", "sha256": "ab"}}
    s = text.index("corrupt regime")
    doc.add(Technique, s, s + len("corrupt regime"), technique="Loaded_Language", score=0.9, definition_id="loaded_language")
    doc.add(Technique, s, s + len("corrupt regime"), technique="Name_Calling,Labeling", score=0.7, definition_id="name_calling")
    q = text.index('"We will')
    doc.add(Quote, q, q + len('"We will never surrender,"'), kind="direct", speaker="Jane Doe")
    c = text.index("Experts say")
    doc.add(Claim, c, text.index("year.") + 5, checkworthy=0.8, sourcing="asserted")
    doc.add(Actor, name="regime", type="state", mentions=[doc.span(s + 8, s + 14)],
            labels=[ActorLabel(s, s + 14, text[s:s + 14], "Loaded_Language")])
    return doc


def test_save_get_roundtrip_and_recent(db_url):
    store = Store(db_url)
    doc = make_doc()
    doc_id = store.save(doc)
    again = store.get(doc_id)
    assert again is not None
    assert again.to_json() == doc.to_json()
    items, total = store.recent()
    assert total == 1
    assert items[0]["id"] == doc_id and items[0]["site"] == "example.com" and items[0]["title"] == "A title"
    assert items[0]["counts"]["techniques"] == 2 and items[0]["counts"]["quotes"] == 1 and items[0]["counts"]["actors"] == 1
    assert "T" in items[0]["created_at"]  # ISO timestamp
    info = store.info(doc_id)
    assert info["status"] == "ok" and info["content_hash"] == content_hash(TEXT) and info["date"] == "2024-03-05"
    assert info["month"] == "2024-03" and info["week"] == "2024-W10" and info["n_asserted_claims"] == 1
    store.close()


def test_same_text_and_site_is_one_row(db_url):
    store = Store(db_url)
    first = store.save(make_doc())
    second = store.save(make_doc())
    other_site = store.save(make_doc(site="other.org"))
    assert first == second != other_site
    assert store.count() == 2
    with store.connect() as conn:
        n_spans = conn.execute(sa.text("select count(*) from spans")).scalar_one()
    # 2 techniques + 1 quote + 1 claim + 1 actor + 1 actor label, per document; the replaced analysis left none behind
    assert n_spans == 12
    store.close()


def test_delete_and_cascade(db_url):
    store = Store(db_url)
    a = store.save(make_doc())
    store.save(make_doc(site="other.org"))
    assert store.delete(a) is True
    assert store.delete(a) is False
    assert store.get(a) is None
    with store.connect() as conn:
        assert conn.execute(sa.text("select count(*) from spans")).scalar_one() == 6
    assert store.delete_site("other.org") == 1
    assert store.count() == 0
    store.close()


def test_batch_with_failures_and_done_ids(db_url):
    store = Store(db_url)
    doc = analyze_text(TEXT, stages=["techniques"], model="fast")
    failure = Failure(error="input is empty or only whitespace", raw="   ", input_format="text", site="x.org",
                      options={"model": "fast", "min_score": None, "stages": ["techniques"]})
    ids = store.write([(None, Analysed(doc, "x.org", "ext-1", options_key="k1")), (None, failure)])
    assert len(set(ids)) == 2
    assert store.count("ok") == 1 and store.count("error") == 1
    assert store.done_ids("fast", doc.models["techniques"]["version"], "k1") == {ids[0]}
    assert store.done_ids("fast", "0.0-other", "k1") == set()
    assert store.done_ids("accurate", doc.models["techniques"]["version"], "k1") == set()
    [(fid, f)] = store.failures()
    assert fid == ids[1] and f.error.startswith("input is empty") and f.raw == "   " and f.site == "x.org"
    # a retried failure replaces its row in the same transaction
    fixed = analyze_text("Now there is text.", stages=["techniques"], model="fast")
    store.write([(fid, Analysed(fixed, "x.org"))])
    assert store.count("error") == 0 and store.count() == 2
    assert store.info(ids[0])["external_id"] == "ext-1"
    store.close()


def test_text_with_nul_survives_exactly(db_url):
    store = Store(db_url)
    doc = make_doc(text=TEXT + " tail\x00end")
    doc_id = store.save(doc)
    assert store.get(doc_id).text == doc.text
    store.close()


def test_reopen_is_at_head_and_keeps_data(db_url):
    doc_id = Store(db_url).save(make_doc())
    store = Store(db_url)
    with store.connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar_one() == "0003"
    assert store.get(doc_id) is not None
    store.close()


def test_unreachable_database_is_a_one_line_database_error(tmp_path):
    with pytest.raises(DatabaseError) as err:
        Store("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    message = str(err.value)
    assert "\n" not in message and "secret" not in message and "unreachable" in message
    assert err.value.exit_code == 75
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseError):
        Store(f"sqlite:///{blocker / 'sub' / 'unspun.db'}")


def test_default_url_is_in_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("UNSPUN_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert normalize_url(None) == f"sqlite:///{tmp_path / 'unspun' / 'unspun.db'}"
    store = Store()
    assert (tmp_path / "unspun" / "unspun.db").exists()
    store.close()
    assert normalize_url("corpus.db").startswith("sqlite:////")
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_normalize_date():
    assert normalize_date("2024-01-02T10:00:00Z") == ("2024-01-02", "2024-01", "2024-W01")
    assert normalize_date("Tue, 02 Jan 2024 10:00:00 GMT")[0] == "2024-01-02"
    assert normalize_date("March 5, 2024")[1] == "2024-03"
    assert normalize_date("sometime") == ("sometime", None, None)
    assert normalize_date(None) == (None, None, None)


def test_in_memory_databases_are_told_apart_from_files(tmp_path):
    """The server stores from its worker processes unless the database lives only in its own process."""
    assert Store("sqlite://").in_memory and Store("sqlite:///:memory:").in_memory
    assert not Store(f"sqlite:///{tmp_path / 'u.db'}").in_memory


def test_a_views_span_row_names_whose_view_it_is():
    from unspun.corpus.store import span_records
    from unspun.document import View

    doc = Document(text="The operator plans to add four trains next year.")
    start = doc.text.index("to add")
    doc.add(View, start, len(doc.text), kind="indirect", speaker="Northline", speaker_start=4, speaker_end=12,
            cue="plans", parts=[[start, len(doc.text)]])
    [row] = [r for r in span_records(doc) if r["kind"] == "views"]
    assert row["name"] == "Northline" and row["text"] == "to add four trains next year."
