"""Exports of the store for pandas, DuckDB and Spark (Parquet, JSONL, CSV), and the Label Studio round trip.

Tables stream from the database in chunks, so an export of a large corpus does not hold it in memory. Each file is
written beside its target and renamed into place, so a failed export never leaves half a file.

Label Studio counts offsets in UTF-16 code units (JavaScript strings); Python and unspun count code points.
`to_labelstudio` and `from_labelstudio` convert both ways, so text with emoji keeps exact offsets.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa

from unspun.corpus.schema import documents as D
from unspun.corpus.schema import spans as S
from unspun.corpus.store import Store
from unspun.errors import InputDataError, InputMissingError, OutputError, UsageError
from unspun.outfile import open_atomic

FORMATS = ("parquet", "jsonl", "csv", "labelstudio")
DOC_COLUMNS = ["id", "external_id", "site", "date", "title", "author", "url", "language", "status", "error",
               "content_hash", "unspun_version", "model_name", "model_version", "words", "n_techniques", "n_quotes",
               "n_claims", "n_asserted_claims", "created_at", "taxonomy", "options", "models", "text"]
# `taxonomy` is the document's (ptc14 | semeval23): a technique row's label is a name of that taxonomy
SPAN_COLUMNS = ["document_id", "taxonomy", "kind", "item_id", "label", "name", "start", "end", "score", "text", "extra"]
JSON_COLUMNS = {"options", "models", "extra"}
CHUNK = 2000
# a spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ TAB or CR gets a leading `'` (OWASP).

    Only CSV is escaped; Parquet and JSONL keep every value exactly.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _out_dir(out: str | os.PathLike) -> Path:
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the output folder ({exc.strerror})") from None
    if not folder.is_dir():
        raise OutputError(f"{folder}: not a folder")
    return folder


def _where(sites: list[str] | None):
    return [D.c.site.in_(sites)] if sites else []


def _doc_rows(store: Store, sites: list[str] | None) -> Iterator[list[dict[str, Any]]]:
    cols = [D.c[name] for name in DOC_COLUMNS]
    q = sa.select(*cols).where(*_where(sites)).order_by(D.c.pk)
    yield from _stream(store, q)


def _span_rows(store: Store, sites: list[str] | None) -> Iterator[list[dict[str, Any]]]:
    cols = [D.c.id.label("document_id"), D.c.taxonomy] + [S.c[name] for name in SPAN_COLUMNS[2:]]
    q = sa.select(*cols).select_from(S.join(D, D.c.pk == S.c.doc_pk)).where(*_where(sites)).order_by(S.c.pk)
    yield from _stream(store, q)


def _stream(store: Store, q) -> Iterator[list[dict[str, Any]]]:
    try:
        with store.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(q)
            for part in result.mappings().partitions(CHUNK):
                yield [_plain({str(k): v for k, v in r.items()}) for r in part]
    except sa.exc.SQLAlchemyError as exc:
        raise store.db_error(exc) from None


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    if row.get("created_at") is not None and not isinstance(row["created_at"], str):
        row["created_at"] = row["created_at"].isoformat()
    return row


def _json_str(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _write_parquet(path: Path, columns: list[str], chunks: Iterator[list[dict[str, Any]]], schema) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 0
    with open_atomic(path) as fh:
        writer = pq.ParquetWriter(fh, schema)
        for rows in chunks:
            for r in rows:
                for c in JSON_COLUMNS & set(columns):
                    r[c] = _json_str(r[c])
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
        writer.close()
    return n


def _schemas():
    import pyarrow as pa

    ints = {"words", "n_techniques", "n_quotes", "n_claims", "n_asserted_claims", "start", "end"}
    doc = pa.schema([(c, pa.int64() if c in ints else pa.string()) for c in DOC_COLUMNS])
    span = pa.schema([(c, pa.float64() if c == "score" else pa.int64() if c in ints else pa.string()) for c in SPAN_COLUMNS])
    return doc, span


def _write_jsonl(path: Path, chunks: Iterator[list[dict[str, Any]]]) -> int:
    n = 0
    with open_atomic(path) as fh:
        for rows in chunks:
            for r in rows:
                fh.write(orjson.dumps(r) + b"\n")
            n += len(rows)
    return n


def _write_csv(path: Path, columns: list[str], chunks: Iterator[list[dict[str, Any]]]) -> int:
    n = 0
    with open_atomic(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for rows in chunks:
            for r in rows:
                for c in JSON_COLUMNS & set(columns):
                    r[c] = _json_str(r[c])
                writer.writerow({k: csv_safe(v) for k, v in r.items()})
            n += len(rows)
    return n


def export_tables(store: Store, fmt: str, out: str | os.PathLike, sites: list[str] | None = None,
                  taxonomy: str | None = None) -> dict[str, int]:
    """Write `documents.<ext>` and `spans.<ext>` into `out`; returns the row counts."""
    folder = _out_dir(out)
    if fmt == "parquet":
        doc_schema, span_schema = _schemas()
        return {"documents": _write_parquet(folder / "documents.parquet", DOC_COLUMNS, _doc_rows(store, sites), doc_schema),
                "spans": _write_parquet(folder / "spans.parquet", SPAN_COLUMNS, _span_rows(store, sites), span_schema)}
    if fmt == "jsonl":
        return {"documents": _write_jsonl(folder / "documents.jsonl", _doc_rows(store, sites)),
                "spans": _write_jsonl(folder / "spans.jsonl", _span_rows(store, sites))}
    if fmt == "csv":
        return {"documents": _write_csv(folder / "documents.csv", DOC_COLUMNS, _doc_rows(store, sites)),
                "spans": _write_csv(folder / "spans.csv", SPAN_COLUMNS, _span_rows(store, sites))}
    if fmt == "labelstudio":
        return {"tasks": export_labelstudio(store, folder, sites, taxonomy)}
    raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")


# --- Label Studio --------------------------------------------------------------------------------------------
def utf16_offsets(text: str) -> list[int]:
    """`out[i]` is the UTF-16 offset of code point `i` (with `out[len(text)]` the total length)."""
    out = [0] * (len(text) + 1)
    pos = 0
    for i, ch in enumerate(text):
        out[i] = pos
        pos += 2 if ord(ch) > 0xFFFF else 1
    out[len(text)] = pos
    return out


def label_config(taxonomy: str | None = None) -> str:
    """The Label Studio labelling config that matches the exported tasks (one label per technique of the taxonomy)."""
    from unspun.taxonomy import get

    labels = "\n".join(f'    <Label value="{t.name}" background="{t.colour}"/>' for t in get(taxonomy).techniques)
    return f'<View>\n  <Labels name="label" toName="text">\n{labels}\n  </Labels>\n  <Text name="text" value="$text"/>\n</View>\n'


def to_labelstudio_task(doc_id: str, doc: Any, number: int) -> dict[str, Any]:
    """One Label Studio task: the text, its metadata, and the technique spans as pre-annotations."""
    u16 = utf16_offsets(doc.text) if any(ord(c) > 0xFFFF for c in doc.text) else None
    result = []
    for t in doc.techniques:
        start, end = (u16[t.start], u16[t.end]) if u16 else (t.start, t.end)
        result.append({"id": f"{doc_id}-{t.id}", "from_name": "label", "to_name": "text", "type": "labels",
                       "origin": "prediction", "score": round(float(t.score), 4),
                       "value": {"start": start, "end": end, "text": t.text, "labels": [t.technique]}})
    model = doc.models.get("techniques", {})
    return {
        "id": number,
        "data": {"text": doc.text, "doc_id": doc_id, "site": doc.metadata.site, "title": doc.metadata.title,
                 "url": doc.metadata.url, "date": doc.metadata.date},
        "predictions": [{"model_version": f"{model.get('name', 'unspun')} {model.get('version', '')}".strip(),
                         "score": round(max((float(t.score) for t in doc.techniques), default=0.0), 4),
                         "result": result}],
    }


def export_labelstudio(store: Store, folder: Path, sites: list[str] | None = None, taxonomy: str | None = None) -> int:
    """`tasks.json` (a list of tasks with pre-annotations) and `label_config.xml` for the project.

    One Label Studio project has one label set, so only documents of one taxonomy go in: `taxonomy`, or the
    corpus' only one, or ptc14 when it holds both (see `stats.resolve_taxonomy`)."""
    from unspun.corpus.stats import resolve_taxonomy
    from unspun.document import Document

    taxonomy, mixed = resolve_taxonomy(store, taxonomy)
    one = [D.c.taxonomy == taxonomy] if mixed else []
    q = sa.select(D.c.id, D.c.document).where(D.c.status == "ok", *_where(sites), *one).order_by(D.c.pk)
    n = 0
    with open_atomic(folder / "tasks.json") as fh:
        fh.write(b"[")
        for rows in _stream(store, q):
            for r in rows:
                n += 1
                task = to_labelstudio_task(r["id"], Document.from_json(r["document"]), n)
                fh.write((b",\n" if n > 1 else b"\n") + orjson.dumps(task))
        fh.write(b"\n]\n")
    with open_atomic(folder / "label_config.xml") as fh:
        fh.write(label_config(taxonomy).encode())
    return n


def _from_utf16(text: str, start: int, end: int) -> tuple[int, int]:
    if not any(ord(c) > 0xFFFF for c in text):
        return start, end
    u16 = utf16_offsets(text)
    back = {v: i for i, v in enumerate(u16)}
    if start not in back or end not in back:
        raise InputDataError(f"span [{start}, {end}) splits a character (UTF-16 offsets)")
    return back[start], back[end]


def _pick_annotation(task: dict[str, Any], use_predictions: bool) -> list[dict[str, Any]] | None:
    """The newest completed, non-cancelled annotation's result; or the first prediction if asked to."""
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if done:
        done.sort(key=lambda a: (a.get("updated_at") or a.get("created_at") or "", a.get("id") or 0))
        return done[-1].get("result") or []
    if use_predictions and task.get("predictions"):
        return task["predictions"][0].get("result") or []
    return None


def import_labelstudio(file: str | os.PathLike, out: str | os.PathLike, *, use_predictions: bool = False) -> dict[str, int]:
    """Write Label Studio annotations in the PTC training layout that `unspun train` reads.

    `out/train-articles/article<ID>.txt`, `out/train-task1-SI.labels`, `out/train-task2-TC.labels`, the same per
    article in `train-labels-task1-span-identification/` and `train-labels-task2-technique-classification/`, and
    `ids.tsv` mapping each article ID to the store's document id. Tasks nobody annotated are left out (unless
    `use_predictions`), so unreviewed model output never becomes training data by accident.
    """
    from unspun.taxonomy import TAXONOMIES

    known = {name for t in TAXONOMIES.values() for name in t.names}  # either scheme; one file keeps to one
    path = Path(file)
    try:
        tasks = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise InputMissingError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputMissingError(f"{path}: is a directory, not a file") from None
    except orjson.JSONDecodeError as exc:
        raise InputDataError(f"{path}: not valid JSON ({exc})") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise InputDataError(f"{path}: expected a Label Studio export (a JSON list of tasks)")
    folder = _out_dir(out)
    arts = folder / "train-articles"
    si_dir = folder / "train-labels-task1-span-identification"
    tc_dir = folder / "train-labels-task2-technique-classification"
    for d in (arts, si_dir, tc_dir):
        d.mkdir(exist_ok=True)
    si_all, tc_all, ids = [], [], []
    n_articles = n_spans = 0
    used: set[str] = set()
    for index, task in enumerate(tasks, 1):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict) or not isinstance(task["data"].get("text"), str):
            raise InputDataError(f"{path}: task {index} has no data.text")
        result = _pick_annotation(task, use_predictions)
        if result is None:
            continue
        text = task["data"]["text"]
        article_id = str(task["id"]) if str(task.get("id", "")).isdigit() else str(index)
        while article_id in used:
            article_id = str(int(article_id) + 1_000_000)
        used.add(article_id)
        rows = set()
        for r in result:
            value = r.get("value") or {}
            if r.get("type") != "labels" or "start" not in value:
                continue
            start, end = _from_utf16(text, int(value["start"]), int(value["end"]))
            for technique in value.get("labels") or []:
                if technique not in known:
                    raise InputDataError(f"{path}: task {task.get('id', index)}: unknown technique {technique!r}")
                if 0 <= start < end <= len(text):
                    rows.add((technique, start, end))
        rows_sorted = sorted(rows, key=lambda x: (x[1], x[2], x[0]))
        tc = [f"{article_id}\t{t}\t{s}\t{e}\n" for t, s, e in rows_sorted]
        si = [f"{article_id}\t{s}\t{e}\n" for s, e in sorted({(s, e) for _, s, e in rows})]
        with open_atomic(arts / f"article{article_id}.txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        with open_atomic(si_dir / f"article{article_id}.task1-SI.labels", "w", encoding="utf-8", newline="") as fh:
            fh.writelines(si)
        with open_atomic(tc_dir / f"article{article_id}.task2-TC.labels", "w", encoding="utf-8", newline="") as fh:
            fh.writelines(tc)
        si_all += si
        tc_all += tc
        ids.append(f"{article_id}\t{task['data'].get('doc_id') or ''}\n")
        n_articles += 1
        n_spans += len(tc)
    for name, lines in (("train-task1-SI.labels", si_all), ("train-task2-TC.labels", tc_all), ("ids.tsv", ids)):
        with open_atomic(folder / name, "w", encoding="utf-8", newline="") as fh:
            fh.writelines(lines)
    return {"articles": n_articles, "spans": n_spans, "skipped": len(tasks) - n_articles}
