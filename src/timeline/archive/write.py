"""Writing one part of an archive: a batch of extractions as Parquet files, atomically.

    from timeline.archive.write import write_batch
    result = write_batch("var/archive", extractions, extractor=extractor_stamp())

The rows are those `store._write` gives SQLite (the same columns), with ids that any machine
computes alike (schema.stable_int). No state outside the call: it runs on a Dask worker as well
as in the CLI, and two processes writing different parts at once do not meet (every file of a
part has the part's own name; the archive's few shared files are written by rename).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import Extraction, Place
from ..store import interval_days
from . import schema


@dataclass(frozen=True)
class BatchResult:
    part: str  # the part's name: a digest of its articles' ids
    added: int  # articles written
    unchanged: int  # articles the archive had already (or the whole batch, when the part was done)
    events: int  # events written


def part_name(article_ids) -> str:
    """The name of the part that holds these articles: the same ids give the same name."""
    key = "\n".join(sorted(set(article_ids)))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


def write_batch(root, extractions: list[Extraction], extractor: str | None = None,
                known: Collection[str] | None = None) -> BatchResult:
    """Write the batch as one part of the archive at `root` (created when missing). A part
    already done writes nothing: all its articles are unchanged. Articles the archive holds
    already are skipped; `known` (ids, e.g. read.article_ids(root) read once by an engine)
    saves looking them up in the archive for each batch. Returns what was written."""
    root = Path(root)
    batch: dict[str, Extraction] = {}
    for extraction in extractions:  # the same article twice in one batch is one article
        batch.setdefault(extraction.article.source_id, extraction)
    part = part_name(batch)
    marker = root / schema.MARKERS / f"{part}.done"
    if marker.exists():
        return BatchResult(part, 0, len(batch), 0)
    ensure_archive(root)
    if known is None:
        from .read import known_ids

        known = known_ids(root, list(batch))
    new = [x for article_id, x in batch.items() if article_id not in known]
    events = write_part(root, part, rows_of(new, extractor), len(new))
    return BatchResult(part, len(new), len(batch) - len(new), events)


def write_part(root: Path, part: str, tables: dict[str, dict[str | None, list[dict]]], articles: int) -> int:
    """Write the rows of each table (by month; None: unpartitioned) as part `part`, each file
    renamed into place, the marker last. Returns the events written."""
    months = sorted({m for rows in tables.values() for m in rows if m is not None})
    for table, by_month in tables.items():
        for month, rows in by_month.items():
            if rows:
                folder = root / table if month is None else root / table / f"month={month}"
                _write_parquet(folder / f"{part}.parquet", rows, schema.TABLES[table])
    events = sum(len(rows) for rows in tables.get("events", {}).values())
    _write_atomically(root / schema.MARKERS / f"{part}.done",
                      json.dumps({"articles": articles, "events": events, "months": months, "written_at": _now()}))
    return events


def ensure_archive(root: Path) -> None:
    """Make `root` an archive folder: its stamp (archive.json) and the markers' folder."""
    stamp = root / "archive.json"
    if stamp.exists():
        try:
            fmt = json.loads(stamp.read_text(encoding="utf-8")).get("format")
        except (ValueError, AttributeError, OSError) as e:
            raise schema.ArchiveError(f"{root}: archive.json is not readable ({e})") from None
        if fmt != schema.FORMAT:
            raise schema.ArchiveError(f"{root}: archive format {fmt!r}, this version reads {schema.FORMAT}")
        return
    if root.exists() and not root.is_dir():
        raise schema.ArchiveError(f"{root}: not a folder")
    (root / schema.MARKERS).mkdir(parents=True, exist_ok=True)
    _write_atomically(stamp, json.dumps({"format": schema.FORMAT}))


def rows_of(extractions: list[Extraction], extractor: str | None) -> dict[str, dict[str | None, list[dict]]]:
    """The rows of each table, by month (None for the unpartitioned places), as store._write
    would insert them."""
    out: dict[str, dict[str | None, list[dict]]] = {t: {} for t in schema.TABLES if t != "stories"}
    places: dict[int, dict] = {}

    def place_id(place: Place) -> int:
        key = (place.name, place.country, place.kind, place.lat, place.lon)
        pid = schema.stable_int(*key)
        places.setdefault(pid, dict(zip(("id", "name", "country", "kind", "lat", "lon"), (pid, *key))))
        return pid

    ingested_at = _now()
    for extraction in extractions:
        article = extraction.article
        published = article.published.isoformat() if article.published else None
        month = schema.month_of(published)
        rows = {t: out[t].setdefault(month, []) for t in schema.MONTHLY}
        rows["articles"].append({
            "id": article.source_id, "file": article.file, "outlet": article.outlet, "title": article.title,
            "url": article.url, "published": published, "text": article.text, "ingested_at": ingested_at,
            "extractor": extractor, "author": article.author})
        for mention in extraction.mentions:
            rows["mentions"].append({"article_id": article.source_id, "place_id": place_id(mention),
                                     "text": mention.text, "start": mention.span[0], "end": mention.span[1]})
        for event in extraction.events:
            d, loc = event.date, event.location
            seq = schema.stable_int(event.id)
            rows["events"].append({
                "seq": seq, "id": event.id, "article_id": article.source_id, "sentence": event.sentence,
                "sentence_start": event.sentence_span[0], "sentence_end": event.sentence_span[1],
                "date_text": d.text, "date_start": d.span[0], "date_end": d.span[1], "value": d.value,
                "start": d.start.isoformat() if d.start else None, "end": d.end.isoformat() if d.end else None,
                "precision": d.precision, "place_id": place_id(loc) if loc else None,
                "place_text": loc.text if loc else None, "place_start": loc.span[0] if loc else None,
                "place_end": loc.span[1] if loc else None, "place_inferred": int(loc.inferred) if loc else None,
                "story_id": None, "label": event.label, "event_type": event.event_type,
                "days": interval_days(d.start, d.end), "corrected": 0, "rejected": 0, "extracted": None})
            for place in event.places:
                rows["event_places"].append({"event_seq": seq, "place_id": place_id(place), "text": place.text,
                                             "start": place.span[0], "end": place.span[1]})
    if places:
        out["places"][None] = list(places.values())
    return {t: {m: rows for m, rows in by_month.items() if rows} for t, by_month in out.items()}


def write_table(path: Path, table: pa.Table) -> None:
    """Write a Parquet file under a temporary name beside `path`, then rename it into place:
    a reader (or a killed writer) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_parquet(path: Path, rows: list[dict], table_schema: pa.Schema) -> None:
    write_table(path, pa.Table.from_pylist(rows, schema=table_schema))


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
