"""The columns of each archive table: the SQLite store's (store.SCHEMA), with ids that parts
written on different machines agree on (see the package docstring)."""
from __future__ import annotations

import hashlib

import pyarrow as pa

from ..errors import StoreError

FORMAT = 1
UNKNOWN_MONTH = "unknown"  # the partition of articles without a publication date

ARTICLES = pa.schema([
    ("id", pa.string()), ("file", pa.string()), ("outlet", pa.string()), ("title", pa.string()),
    ("url", pa.string()), ("published", pa.string()), ("text", pa.string()),
    ("ingested_at", pa.string()), ("extractor", pa.string()), ("author", pa.string()),
])
PLACES = pa.schema([
    ("id", pa.int64()), ("name", pa.string()), ("country", pa.string()), ("kind", pa.string()),
    ("lat", pa.float64()), ("lon", pa.float64()),
])
EVENTS = pa.schema([
    ("seq", pa.int64()), ("id", pa.string()), ("article_id", pa.string()),
    ("sentence", pa.string()), ("sentence_start", pa.int32()), ("sentence_end", pa.int32()),
    ("date_text", pa.string()), ("date_start", pa.int32()), ("date_end", pa.int32()),
    ("value", pa.string()), ("start", pa.string()), ("end", pa.string()), ("precision", pa.string()),
    ("place_id", pa.int64()), ("place_text", pa.string()), ("place_start", pa.int32()),
    ("place_end", pa.int32()), ("place_inferred", pa.int8()),
    ("story_id", pa.string()), ("label", pa.string()), ("event_type", pa.string()), ("days", pa.int32()),
    ("corrected", pa.int8()), ("rejected", pa.int8()), ("extracted", pa.string()),
])
EVENT_PLACES = pa.schema([
    ("event_seq", pa.int64()), ("place_id", pa.int64()), ("text", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()),
])
MENTIONS = pa.schema([
    ("article_id", pa.string()), ("place_id", pa.int64()), ("text", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()),
])
STORIES = pa.schema([
    ("id", pa.string()), ("outlets", pa.int32()), ("sources", pa.int32()),
    ("start", pa.string()), ("end", pa.string()), ("disagreement", pa.string()),
    ("label", pa.string()), ("event_type", pa.string()), ("precision", pa.string()),
    ("date_text", pa.string()), ("place_id", pa.int64()), ("lead_seq", pa.int64()),
])
# The tables written per part, partitioned by month; places and stories are not.
MONTHLY = {"articles": ARTICLES, "events": EVENTS, "event_places": EVENT_PLACES, "mentions": MENTIONS}
TABLES = {**MONTHLY, "places": PLACES, "stories": STORIES}


def stable_int(*parts) -> int:
    """A positive 63-bit integer from the parts' text: the same parts give it on any machine."""
    key = "\0".join("" if p is None else str(p) for p in parts)
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def month_of(published: str | None) -> str:
    """The partition of an article: YYYY-MM of its ISO publication date."""
    return published[:7] if published and len(published) >= 7 else UNKNOWN_MONTH

# A stories generation (stories.py) beside its stories file and its copy of the events: the
# parts whose events it grouped (events of later parts have no story until the next one).
STORY_PARTS = pa.schema([("part", pa.string())])
# The analyst's corrections, carried across by `timeline archive import/export` (store.SCHEMA's
# table of that name, row for row: DIR/corrections.parquet, replaced whole).
CORRECTIONS = pa.schema([
    ("id", pa.int64()), ("key", pa.string()), ("kind", pa.string()), ("anchor", pa.string()),
    ("was", pa.string()), ("value", pa.string()), ("reviewer", pa.string()), ("created_at", pa.string()),
])

MARKERS = "_parts"  # DIR/_parts/<part>.done
STORIES_POINTER = "current.json"  # DIR/stories/current.json: {"generation": G}
CORRECTIONS_FILE = "corrections.parquet"


class ArchiveError(StoreError):
    """An archive folder that cannot be read or written. The message names the folder."""


def no_archive(root) -> ArchiveError:
    return ArchiveError(f"{root}: no archive here (run `timeline ingest --archive {root}` first)")
