"""Article dumps: JSON Lines and CSV files of one article per record, as scrapers and news APIs
deliver them.

A record holds `text` (or `html`, a saved page) and any of `file` (its name in the store),
`outlet`, `title`, `url`, `published`. `fields` maps these names to a dump's own columns
(`{"text": "body", "published": "date"}`). A bad record gives one line naming the dump and the
record number; the other records are read.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Iterator

from .errors import ArticleError

DUMP_SUFFIXES = (".jsonl", ".ndjson", ".csv")
FIELDS = ("text", "html", "file", "outlet", "title", "url", "published")
NAME_FALLBACKS = ("id", "guid", "uuid")  # what a dump without `file` often has instead


def is_dump(path: Path) -> bool:
    return path.suffix.lower() in DUMP_SUFFIXES


def parse_fields(value: str) -> dict[str, str]:
    """`text=body,published=date` -> {"text": "body", "published": "date"}. Raises ValueError."""
    mapping = {}
    for pair in filter(None, (p.strip() for p in value.split(","))):
        ours, sep, theirs = pair.partition("=")
        ours, theirs = ours.strip(), theirs.strip()
        if not sep or not theirs:
            raise ValueError(f"expected FIELD=COLUMN, got {pair!r}")
        if ours not in FIELDS:
            raise ValueError(f"unknown field {ours!r} (fields: {', '.join(FIELDS)})")
        mapping[ours] = theirs
    return mapping


def records(path: Path, fields: dict[str, str] | None = None) -> Iterator[tuple[int, dict | None, str | None]]:
    """(record number, {field: value} or None, error or None) for each record of a dump, read as
    it goes: a dump of a million articles is never held whole."""
    columns = {name: (fields or {}).get(name, name) for name in FIELDS}
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as e:
        raise ArticleError(f"{path}: cannot be read ({e.strerror or e})") from None
    with handle:
        try:
            raw = csv_rows(handle) if path.suffix.lower() == ".csv" else json_rows(handle)
            for n, row, error in raw:
                if error:
                    yield n, None, f"{path}: record {n}: {error}"
                    continue
                record, error = record_of(row, columns)
                yield n, record, f"{path}: record {n}: {error}" if error else None
        except UnicodeDecodeError as e:
            raise ArticleError(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None
        except csv.Error as e:
            raise ArticleError(f"{path}: not a CSV file ({e})") from None


def json_rows(handle):
    n = 0
    for line in handle:
        if not line.strip():
            continue
        n += 1
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            yield n, None, f"not valid JSON ({e.msg} at column {e.colno})"
            continue
        yield (n, row, None) if isinstance(row, dict) else (n, None, f"expected a JSON object, got {type(row).__name__}")


def csv_rows(handle):
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # an article's text is one cell
    reader = csv.DictReader(handle)
    if not reader.fieldnames:
        return
    for n, row in enumerate(reader, 1):
        if None in row:
            yield n, None, f"{len(reader.fieldnames) + len(row[None])} cells under {len(reader.fieldnames)} columns"
        else:
            yield n, row, None


def record_of(row: dict, columns: dict[str, str]) -> tuple[dict | None, str | None]:
    record = {}
    for name, column in columns.items():
        value = row.get(column)
        if value is None and name == "file":
            value = next((row[k] for k in NAME_FALLBACKS if row.get(k) not in (None, "")), None)
            value = None if value is None else str(value)
        if value is not None and not isinstance(value, str):
            return None, f"{column} must be text, got {type(value).__name__}"
        record[name] = value.strip() if name not in ("text", "html") and value else value or None
    if not (record["text"] or "").strip() and not (record["html"] or "").strip():
        wanted = " or ".join(dict.fromkeys((columns["text"], columns["html"])))
        return None, f"no article text (no {wanted} field, or an empty one)"
    return record, None
