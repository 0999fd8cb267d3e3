"""Reading stored articles again: with a newer extractor, or after the curated files changed.

Every article in the store carries the stamp of what read it (`extractor_stamp`: a hash of the
extraction code and of the data files it reads, gazetteer and lexicons). Ingest reads again the
articles whose stamp is not today's, from the text it stored, and replaces their events; the
analyst's corrections are applied again to the new events (store.write_extraction). Nothing
is read twice that has not changed.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import sqlite3
from pathlib import Path

from . import store
from .model import Article
from .paths import DATA_DIR

_PACKAGE = Path(__file__).resolve().parent
# What reading an article depends on: the code of extraction and geocoding, and their data.
_CODE = ("extract", "geocode", "model.py")
_DATA = ("gazetteer", "lexicon")


@functools.cache
def extractor_stamp(data_dir: Path = DATA_DIR) -> str:
    """A hash of the extraction code and the curated data files: it changes when either does."""
    h = hashlib.sha256()
    files = []
    for name in _CODE:
        path = _PACKAGE / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    for name in _DATA:
        files += sorted(p for p in (data_dir / name).rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in files:
        h.update(str(path.relative_to(path.parents[1])).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class Stale:
    """The stored articles read by another extractor (all of them with `force`): how many, and
    each as extraction takes it (a long one in pieces), read from the store one at a time."""

    def __init__(self, conn: sqlite3.Connection, force: bool = False):
        self.conn = conn
        self.ids = [r[0] for r in conn.execute(
            "SELECT id FROM articles" + ("" if force else " WHERE extractor IS NULL OR extractor != ?"),
            () if force else (extractor_stamp(),))]

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        from .pieces import pieces_of

        for article_id in self.ids:
            r = self.conn.execute("SELECT file, outlet, title, url, published, author, " + store.TEXT_COLUMNS
                                  + " FROM articles WHERE id = ?", (article_id,)).fetchone()
            if r is not None:
                yield from pieces_of(Article(file=r[0], text=store.article_text(r[6], r[7]), outlet=r[1], title=r[2],
                                             url=r[3], published=dt.date.fromisoformat(r[4]) if r[4] else None,
                                             author=r[5]))


def stale_articles(conn: sqlite3.Connection, force: bool = False) -> Stale:
    return Stale(conn, force)


def event_states(conn: sqlite3.Connection, article_id: str) -> set[tuple]:
    """What each event of an article says, to count how many a new reading changed."""
    return set(conn.execute('SELECT id, label, event_type, value, precision, place_id, rejected FROM events '
                            'WHERE article_id = ?', (article_id,)).fetchall())


def reread(conn: sqlite3.Connection, extractions, on_error=None) -> tuple[int, int]:
    """Store each new extraction of a stored article in place of the old one: (articles read
    again, events that changed: added, gone or saying something else)."""
    articles = changed = 0
    before: dict[str, set] = {}
    for written in store.write_all(conn, extractions, extractor_stamp(), again=True,
                                   before=lambda article_id: before.__setitem__(article_id, event_states(conn, article_id))):
        if isinstance(written, str):
            if on_error:
                on_error(written)
            continue
        article_id = written[0]
        after = event_states(conn, article_id)
        articles += 1
        changed += len({state[0] for state in before.pop(article_id) ^ after})  # by event id: added, gone or other
    return articles, changed
