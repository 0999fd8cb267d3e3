"""Where the dashboard's data come from: one object the callbacks ask, so that the same layout,
callbacks and figures serve a SQLite store (SqliteBackend, here) or an archive of Parquet parts
(archive.serve.ArchiveBackend, aggregated in DuckDB).

A backend answers, for a set of filters: `timeline(filters, group_by, view)`, `histogram`,
`places`, `undrawn` (dashboard/data.py's dicts and lists); `story_rows(ids)` (query.story_rows's,
of the ids of a timeline's rows) and `data_as_of()`, for the briefing image; `choices()`: the outlets with their
events, the place names and the status line; `provenance(key, filters, on_map)`: the sources
panel of what was clicked; `stamp()`: a text that changes when the data do (the callbacks
cache per stamp). `editable`: whether corrections and the review queue are offered (they write
to a SQLite store); `reader()` opens such a store.
"""
from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from .. import store
from ..query import outlet_counts, place_names, story_rows
from . import data


class SqliteBackend:
    editable = True

    def __init__(self, db: Path | None = None, conn: sqlite3.Connection | None = None):
        """Of the store `db` (a connection of its own per request), or of an open `conn`."""
        self.db = Path(db) if db is not None else None
        self._conn = conn

    @contextlib.contextmanager
    def reader(self):
        """A read-only connection of its own for each request (or the one given)."""
        if self._conn is not None:
            yield self._conn
            return
        conn = store.connect(self.db, readonly=True)
        try:
            yield conn
        finally:
            conn.close()

    def stamp(self) -> str:
        with self.reader() as conn:
            return f"{store.meta(conn, 'data_as_of')}|{store.meta(conn, 'stories_dirty')}"

    def timeline(self, filters, group_by: str, view: str) -> dict:
        with self.reader() as conn:
            return data.timeline(conn, filters, group_by, view)

    def histogram(self, filters) -> list[dict]:
        with self.reader() as conn:
            return data.histogram(conn, filters)

    def places(self, filters) -> list[dict]:
        with self.reader() as conn:
            return data.places(conn, filters)

    def story_rows(self, ids: list[str]) -> list[dict]:
        with self.reader() as conn:
            return story_rows(conn, ids)

    def data_as_of(self) -> str | None:
        with self.reader() as conn:
            return store.meta(conn, "data_as_of")

    def undrawn(self, filters) -> dict:
        with self.reader() as conn:
            return data.undated_without_place(conn, filters)

    def choices(self) -> tuple[list[tuple[str, int]], list[str], str]:
        from .callbacks import _status

        with self.reader() as conn:
            return outlet_counts(conn), place_names(conn), _status(conn)

    def provenance(self, key, filters, on_map: bool = False) -> list:
        from .callbacks import provenance_for

        with self.reader() as conn:
            return provenance_for(conn, key, filters, on_map=on_map)
