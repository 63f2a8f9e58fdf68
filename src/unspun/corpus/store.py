"""The store: analysed documents and their spans in SQLite (default, zero setup) or Postgres.

One `Store` serves both `unspun corpus` and `unspun serve`. Opening it upgrades the schema to the newest
Alembic revision. A document's id is derived from its content hash (over the extracted text) and its site,
so saving the same article again replaces the earlier analysis instead of adding a duplicate; batches are
written in one transaction each, so a killed run loses at most the batch it was writing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa

from unspun.corpus.schema import documents, spans, technique_counts
from unspun.document import KINDS, Document
from unspun.errors import DatabaseError, UsageError
from unspun.version import __version__

ENV_DB = "UNSPUN_DB"
# the input format of a failure whose input could not even be read (a bad file, JSONL line, CSV row): its `raw` is
# what was read, if anything, and `corpus retry` reads its source again instead of analysing `raw`
UNREAD = "unread"
# libpq waits forever by default for a server that accepts the connection but never answers (a hung host, a
# half-open tunnel); a `connect_timeout` in the URL overrides this
CONNECT_TIMEOUT_S = 10


def default_url() -> str:
    """`$UNSPUN_DB`, else an SQLite file in the user's data folder (created on first use)."""
    import os

    env = os.environ.get(ENV_DB)
    if env:
        return env
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("unspun", appauthor=False))
    return f"sqlite:///{folder / 'unspun.db'}"


def normalize_url(url: str | None) -> str:
    """A database URL; a bare path means an SQLite file, and `postgresql://` means the psycopg 3 driver."""
    if url is None or not url.strip():
        return default_url()
    url = url.strip()
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def content_hash(text: str) -> str:
    """sha256 over the extracted text (UTF-8; lone surrogates kept), the key for idempotent re-runs."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def document_id(chash: str, site: str | None) -> str:
    """The stable id of a (content hash, site) pair: the same article from the same site is one row."""
    return hashlib.sha256(f"{chash}\x00{site or ''}".encode()).hexdigest()[:20]


def options_key(options: dict[str, Any]) -> str:
    """A short key for the options that change an analysis (model, min_score, stages, taxonomy).

    The taxonomy enters only when it is not the default (ptc14), so analyses stored before taxonomies existed keep
    their key, and one under semeval23 never counts as already done under ptc14 (or replaces it)."""
    canon = {"model": options.get("model"), "min_score": options.get("min_score"), "stages": list(options.get("stages") or [])}
    if options.get("taxonomy") not in (None, "ptc14"):
        canon["taxonomy"] = options["taxonomy"]
    return hashlib.sha256(orjson.dumps(canon, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def normalize_date(value: str | None) -> tuple[str | None, str | None, str | None]:
    """(iso date, YYYY-MM, ISO week) from a date string, or Nones when it cannot be read."""
    if not value:
        return None, None, None
    raw = str(value).strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        from email.utils import parsedate_to_datetime

        for fmt in ("%Y/%m/%d", "%d.%m.%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y"):
            try:
                parsed = datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
        if parsed is None:
            try:
                parsed = parsedate_to_datetime(raw)
            except (TypeError, ValueError, IndexError):
                return raw[:32], None, None
    day: _date = parsed.date()
    iso_year, iso_week, _ = day.isocalendar()
    return day.isoformat(), f"{day.year:04d}-{day.month:02d}", f"{iso_year:04d}-W{iso_week:02d}"


@dataclass(slots=True)
class Analysed:
    """An analysed Document on its way into the store, with what the Document itself does not carry."""

    doc: Document
    site: str | None = None
    external_id: str | None = None
    options_key: str | None = None  # the key of the options as requested (the default min_score is filled in later)
    doc_id: str | None = None  # store under this id instead of the (content hash, site) one (the server keeps variants)


@dataclass(slots=True)
class Failure:
    """A document that could not be analysed: stored with its error so it is never silently dropped."""

    error: str
    raw: str
    input_format: str  # text | html
    site: str | None = None
    url: str | None = None
    title: str | None = None
    date: str | None = None
    external_id: str | None = None
    source_value: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    text: str | None = None  # the extracted text, when extraction worked and a stage failed

    @property
    def id(self) -> str:
        if self.input_format == UNREAD:  # one row per bad input, found again by a re-run: keyed by where it came from
            basis = f"{UNREAD}:{self.source_value}"
        else:
            basis = self.text if self.text is not None else f"raw:{self.input_format}:{self.raw}"
        return document_id(content_hash(basis), self.site)


def _pg_text(value: str | None) -> str | None:
    """Postgres text cannot hold NUL; the exact text stays in the Document JSON."""
    return value.replace("\x00", "\ufffd") if value is not None and "\x00" in value else value


class Store:
    """Documents and spans in a SQL database (SQLAlchemy 2). `url=None` means the default SQLite file."""

    def __init__(self, url: str | None = None, *, upgrade: bool = True) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        self.is_postgres = self.url.startswith("postgresql")
        try:
            if self.is_sqlite:
                self._prepare_sqlite_path()
                self.engine = sa.create_engine(self.url, connect_args={"timeout": 60})
                sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            else:
                timeout = {"connect_timeout": CONNECT_TIMEOUT_S} if self.is_postgres and "connect_timeout=" not in self.url else {}
                self.engine = sa.create_engine(self.url, pool_pre_ping=True, connect_args=timeout)
        except sa.exc.ArgumentError as exc:
            raise UsageError(f"bad database URL {redact(self.url)!r}: {exc}") from None
        except ImportError as exc:
            raise DatabaseError(f"{redact(self.url)}: database driver missing ({exc}); for Postgres: pip install 'unspun[postgres]'") from None
        if upgrade:
            self.guard(self._upgrade)

    # --- opening ----------------------------------------------------------------------------------
    @property
    def in_memory(self) -> bool:
        """An in-memory SQLite database lives in this process only: another process (a server worker) cannot reach it."""
        database = self.engine.url.database
        return self.is_sqlite and (not database or database == ":memory:" or "mode=memory" in self.url)

    def _prepare_sqlite_path(self) -> None:
        path = self.url.split(":///", 1)[1] if ":///" in self.url else ""
        if path and path != ":memory:" and not path.startswith("file:"):
            try:
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"{redact(self.url)}: cannot create the database folder ({exc.strerror})") from None

    def guard(self, fn, *args, **kwargs):
        """Run `fn`, turning driver errors into one-line DatabaseErrors (exit 75)."""
        try:
            return fn(*args, **kwargs)
        except sa.exc.SQLAlchemyError as exc:
            raise self.db_error(exc) from None

    def db_error(self, exc: Exception) -> DatabaseError:
        """A one-line DatabaseError for a driver error, with the URL's password hidden."""
        orig = getattr(exc, "orig", None)
        lines = (str(orig) if orig else str(exc)).strip().splitlines() or [type(exc).__name__]
        what = "database unreachable" if isinstance(exc, sa.exc.OperationalError) else "database error"
        return DatabaseError(f"{what}: {redact(self.url)}: {lines[0]}")

    def _upgrade(self) -> None:
        """Bring the schema to Alembic's head (a no-op when it is already there)."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with self.engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing ----------------------------------------------------------------------------------
    def save(self, doc: Document, *, site: str | None = None, external_id: str | None = None,
             doc_id: str | None = None) -> str:
        """Store an analysed Document (replacing an earlier analysis of the same text and site, or the one stored
        under `doc_id` when given); return its id."""
        return self.write([(None, Analysed(doc, site, external_id, doc_id=doc_id))])[0]

    def write(self, results: Sequence[tuple[str | None, Analysed | Failure]]) -> list[str]:
        """Write a batch in ONE transaction and return the ids: each item is (id it replaces or None, outcome).

        A row with the same id is replaced (spans included); a retried failure names its old row to drop.
        The same article twice in one batch: the last one wins.
        """
        now = datetime.now(timezone.utc)
        rows: dict[str, dict[str, Any]] = {}
        span_rows: dict[str, list[dict[str, Any]]] = {}
        replaces = []
        ids = []
        for old, item in results:
            if isinstance(item, Failure):
                row, srows = self._failure_row(item, now), []
            else:
                row, srows = self._document_rows(item, now)
            rows[row["id"]] = row
            span_rows[row["id"]] = srows
            ids.append(row["id"])
            if old and old != row["id"]:
                replaces.append(old)
        if rows:
            self.guard(self._write, rows, span_rows, replaces=replaces)
        return ids

    def _write(self, rows: dict[str, dict[str, Any]], span_rows: dict[str, list[dict[str, Any]]], *, replaces: Iterable[str] = ()) -> None:
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    doomed = list(rows) + [r for r in replaces if r not in rows]
                    for chunk in _chunks(doomed, 500):
                        conn.execute(documents.delete().where(documents.c.id.in_(chunk)))
                    # an input that failed before (a file that could not be read, a page that could not be
                    # extracted) and is analysed now: its failure row, keyed by what it was then, goes
                    read_now = [r["source_value"] for r in rows.values() if r["status"] == "ok" and r["source_value"]]
                    for chunk in _chunks(read_now, 500):
                        conn.execute(documents.delete().where(documents.c.status == "error",
                                                              documents.c.source_value.in_(chunk)))
                    pks = {}
                    for doc_id, row in rows.items():
                        pks[doc_id] = conn.execute(documents.insert().values(**row).returning(documents.c.pk)).scalar_one()
                    flat = [dict(s, doc_pk=pks[doc_id]) for doc_id, ss in span_rows.items() for s in ss]
                    if flat:
                        conn.execute(spans.insert(), flat)
                    counts = technique_count_rows(rows, span_rows, pks)
                    if counts:
                        conn.execute(technique_counts.insert(), counts)
                return
            except sa.exc.IntegrityError:  # a concurrent writer inserted the same id first: try again
                if attempt == 2:
                    raise

    def _text(self, value: str | None) -> str | None:
        return _pg_text(value) if self.is_postgres else value

    def _document_rows(self, item: Analysed, now: datetime):
        doc, external_id = item.doc, item.external_id
        site = item.site or doc.metadata.site
        if site and not doc.metadata.site:
            doc.metadata.site = site
        chash = content_hash(doc.text)
        doc_id = item.doc_id or document_id(chash, site)
        iso, month, week = normalize_date(doc.metadata.date)
        counts = {name: len(getattr(doc, name)) for name in KINDS}
        asserted = sum(1 for c in doc.claims if c.sourcing == "asserted")
        tech_model = doc.models.get("techniques", {})
        row = {
            "id": doc_id, "external_id": external_id, "site": site, "date": iso, "month": month, "week": week,
            "title": self._text(doc.metadata.title), "author": self._text(doc.metadata.author), "url": doc.metadata.url,
            "language": doc.metadata.language, "source_type": doc.source_type, "source_value": self._text(doc.source_value),
            "content_hash": chash, "status": "ok", "error": None, "unspun_version": doc.unspun_version,
            "model_name": doc.options.get("model"), "model_version": tech_model.get("version"),
            "options_key": item.options_key or options_key(doc.options),
            "models": doc.models, "options": doc.options,
            "words": len(doc.text.split()), "n_techniques": counts["techniques"], "n_quotes": counts["quotes"],
            "n_claims": counts["claims"], "n_asserted_claims": asserted, "created_at": now, "taxonomy": doc.taxonomy,
            "input_format": None, "raw": None, "text": self._text(doc.text),
            "document": doc.to_json().decode(),
        }
        return row, [dict(r, text=self._text(r["text"]), name=self._text(r["name"])) for r in span_records(doc)]

    def _failure_row(self, f: Failure, now: datetime) -> dict[str, Any]:
        iso, month, week = normalize_date(f.date)
        text = f.text if f.text is not None else ""
        return {
            "id": f.id, "external_id": f.external_id, "site": f.site, "date": iso, "month": month, "week": week,
            "title": self._text(f.title), "author": None, "url": f.url, "language": None, "source_type": f.input_format,
            "source_value": self._text(f.source_value), "content_hash": content_hash(text if f.text is not None else f.raw),
            "status": "error", "error": self._text(f.error), "unspun_version": __version__,
            "model_name": f.options.get("model"), "model_version": None, "options_key": options_key(f.options),
            "models": {}, "options": f.options, "words": len(text.split()), "n_techniques": 0, "n_quotes": 0,
            "n_claims": 0, "n_asserted_claims": 0, "created_at": now, "taxonomy": f.options.get("taxonomy") or "ptc14",
            "input_format": f.input_format,
            "raw": self._text(f.raw), "text": self._text(f.text), "document": None,
        }

    def delete(self, doc_id: str) -> bool:
        """Remove a document and its spans; False when there was none."""
        def run() -> bool:
            with self.engine.begin() as conn:
                return conn.execute(documents.delete().where(documents.c.id == doc_id)).rowcount > 0

        return self.guard(run)

    def delete_site(self, site: str) -> int:
        """Remove every document of a site; returns how many."""
        def run() -> int:
            with self.engine.begin() as conn:
                return conn.execute(documents.delete().where(documents.c.site == site)).rowcount

        return self.guard(run)

    # --- reading ----------------------------------------------------------------------------------
    def get(self, doc_id: str) -> Document | None:
        """The stored Document (exactly as analysed), or None (also for a failed document)."""
        def run():
            with self.engine.connect() as conn:
                return conn.execute(sa.select(documents.c.document).where(documents.c.id == doc_id)).scalar_one_or_none()

        data = self.guard(run)
        return Document.from_json(data) if data else None

    def info(self, doc_id: str) -> dict[str, Any] | None:
        """The row's metadata (status, error, site, model, ...) without the text and JSON."""
        cols = [c for c in documents.c if c.name not in ("text", "document", "raw", "pk")]

        def run():
            with self.engine.connect() as conn:
                return conn.execute(sa.select(*cols).where(documents.c.id == doc_id)).mappings().first()

        row = self.guard(run)
        if row is None:
            return None
        out = dict(row)
        out["created_at"] = _iso(out["created_at"])
        return out

    def recent(self, limit: int = 20, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """The newest documents, as ({id, title, site, created_at, counts}, ...), and how many there are in all."""
        def run():
            with self.engine.connect() as conn:
                total = conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()
                rows = conn.execute(
                    sa.select(documents.c.pk, documents.c.id, documents.c.title, documents.c.site, documents.c.created_at,
                              documents.c.status)
                    .order_by(documents.c.created_at.desc(), documents.c.pk.desc()).limit(limit).offset(offset)
                ).all()
                return total, rows, self._counts(conn, [r.pk for r in rows])

        total, rows, counts = self.guard(run)
        items = [
            {"id": r.id, "title": r.title, "site": r.site, "created_at": _iso(r.created_at),
             "counts": counts.get(r.pk, {}), "status": r.status}
            for r in rows
        ]
        return items, total

    def _counts(self, conn, pks: list[int]) -> dict[int, dict[str, int]]:
        out: dict[int, dict[str, int]] = {pk: {name: 0 for name in KINDS} for pk in pks}
        if pks:
            q = (sa.select(spans.c.doc_pk, spans.c.kind, sa.func.count()).where(spans.c.doc_pk.in_(pks))
                 .where(spans.c.kind.in_(list(KINDS))).group_by(spans.c.doc_pk, spans.c.kind))
            for pk, kind, n in conn.execute(q):
                out[pk][kind] = n
        return out

    def count(self, status: str | None = None) -> int:
        def run():
            q = sa.select(sa.func.count()).select_from(documents)
            if status:
                q = q.where(documents.c.status == status)
            with self.engine.connect() as conn:
                return conn.execute(q).scalar_one()

        return self.guard(run)

    def done_ids(self, model_name: str, model_version: str | None, opts_key: str) -> set[str]:
        """Ids already analysed OK with this model name, model version and options: a re-run skips them."""
        def run():
            q = sa.select(documents.c.id).where(
                documents.c.status == "ok", documents.c.model_name == model_name, documents.c.options_key == opts_key)
            q = q.where(documents.c.model_version == model_version) if model_version is not None else q
            with self.engine.connect() as conn:
                return {r[0] for r in conn.execute(q)}

        return self.guard(run)

    def failures(self) -> list[tuple[str, Failure]]:
        """Every failed document as (id, Failure), to run again."""
        c = documents.c

        def run():
            q = sa.select(c.id, c.error, c.raw, c.input_format, c.site, c.url, c.title, c.date, c.external_id,
                          c.source_value, c.options).where(c.status == "error").order_by(c.pk)
            with self.engine.connect() as conn:
                return conn.execute(q).all()

        return [
            (r.id, Failure(error=r.error or "", raw=r.raw or "", input_format=r.input_format or "text", site=r.site, url=r.url,
                           title=r.title, date=r.date, external_id=r.external_id, source_value=r.source_value,
                           options=dict(r.options or {})))
            for r in self.guard(run)
        ]

    def connect(self):
        """A raw SQLAlchemy connection (for statistics and exports)."""
        return self.engine.connect()


def span_records(doc: Document) -> list[dict[str, Any]]:
    """One row per item of every list (plus one per actor label), with the columns of the `spans` table."""
    out: list[dict[str, Any]] = []
    for kind, item in doc.items():
        data = orjson.loads(orjson.dumps(item))
        start, end = data.pop("start", None), data.pop("end", None)
        text = data.pop("text", None)
        item_id = data.pop("id")
        score = getattr(item, "score", None)
        name = getattr(item, "speaker", None) if kind in ("quotes", "views") else getattr(item, "name", None)
        if kind == "claims":
            data.pop("checkworthy", None)
        elif kind == "techniques":
            data.pop("score", None)
            data.pop("technique", None)
        out.append({"kind": kind, "item_id": item_id, "label": item.label, "name": name, "start": start, "end": end,
                    "score": float(score) if score is not None else None, "text": text, "extra": data})
        if kind == "actors":
            for label in item.labels:
                out.append({"kind": "actor_labels", "item_id": item_id, "label": label.technique, "name": item.name,
                            "start": label.start, "end": label.end, "score": None, "text": label.text, "extra": None})
    return out


def technique_count_rows(rows: dict[str, dict[str, Any]], span_rows: dict[str, list[dict[str, Any]]],
                         pks: dict[str, int]) -> list[dict[str, Any]]:
    """Rows of `technique_counts`: per document and technique, the count and the document's grouping keys."""
    from collections import Counter

    out = []
    for doc_id, ss in span_rows.items():
        row = rows[doc_id]
        for technique, n in Counter(s["label"] for s in ss if s["kind"] == "techniques" and s["label"]).items():
            out.append({"doc_pk": pks[doc_id], "technique": technique, "n": n, "site": row["site"], "date": row["date"],
                        "month": row["month"], "week": row["week"], "taxonomy": row.get("taxonomy") or "ptc14"})
    return out


def _chunks(seq: list, n: int):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat()
    return str(value)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    """WAL lets readers (the web UI) work while a corpus run writes; foreign keys make span deletes cascade."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
