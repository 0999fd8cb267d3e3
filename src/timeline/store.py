"""The event store: one SQLite file (WAL mode), written one article per transaction.

Articles are keyed by a hash of their text and of the source that tells it (outlet and link), so
re-ingesting the same words adds nothing, while a syndicated copy under another outlet is another
source; an article file whose text changed replaces its own events. A run killed at any moment leaves whole
articles only, and a flag (`stories_dirty`) makes the next run regroup the stories. A text of
tens of megabytes is written from its pieces (PieceWriter), still in one transaction.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import StoreError
from .model import Extraction, Place

SCHEMA_VERSION = 4
BUSY_TIMEOUT_MS = 60_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,            -- hash of the text
    file TEXT NOT NULL,
    outlet TEXT, title TEXT, url TEXT, published TEXT,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    extractor TEXT,                 -- the extractor and curated files it was read by (reread.extractor_stamp)
    author TEXT,                    -- a saved page's byline
    -- The text of an article of tens of megabytes, as UTF-8 bytes written piece by piece
    -- (PieceWriter; `text` is then ''). Last, so that SQLite never holds the whole value.
    long_text BLOB
);
CREATE INDEX IF NOT EXISTS articles_file ON articles(file);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
-- Outlets are matched as users write them ("cnn" is CNN): an index of that collation serves it.
CREATE INDEX IF NOT EXISTS articles_outlet_nocase ON articles(outlet COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL, country TEXT NOT NULL, kind TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL,
    UNIQUE (name, country, kind, lat, lon)
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,        -- the rowid: ingest order, and the full-text index's key
    id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence TEXT NOT NULL, sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL,
    date_text TEXT NOT NULL, date_start INTEGER NOT NULL, date_end INTEGER NOT NULL,
    value TEXT, start TEXT, "end" TEXT, precision TEXT NOT NULL,
    place_id INTEGER REFERENCES places(id),      -- where it happened (location)
    place_text TEXT, place_start INTEGER, place_end INTEGER, place_inferred INTEGER,
    story_id TEXT,
    label TEXT NOT NULL DEFAULT '', event_type TEXT NOT NULL DEFAULT 'other',
    days INTEGER,                   -- length of the date interval: the "vaguer dates" filter
    -- The analyst's corrections (table corrections) applied: the extracted values stay in
    -- `extracted` (JSON) while a correction changes them; a rejected event is no event.
    corrected INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0, extracted TEXT
);
-- Each index of the views ends in `rejected`, which every query of them tests (query.where):
-- without it, grouping by place read every row instead of the index alone (135 ms to 329 ms).
DROP INDEX IF EXISTS events_dates;
CREATE INDEX IF NOT EXISTS events_dates_r ON events(start, "end", rejected);
CREATE INDEX IF NOT EXISTS events_article ON events(article_id);
-- (place, start) rather than place alone: the timeline grouped by place then reads the index only.
DROP INDEX IF EXISTS events_place;
DROP INDEX IF EXISTS events_place_start;
CREATE INDEX IF NOT EXISTS events_place_start_r ON events(place_id, start, rejected);
CREATE INDEX IF NOT EXISTS events_story ON events(story_id);
CREATE INDEX IF NOT EXISTS events_type ON events(event_type);
CREATE TABLE IF NOT EXISTS event_places (      -- places named in an event's sentence
    event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
    place_id INTEGER NOT NULL REFERENCES places(id),
    text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS event_places_event ON event_places(event_seq);
CREATE INDEX IF NOT EXISTS event_places_place ON event_places(place_id);
CREATE TABLE IF NOT EXISTS mentions (          -- every place named anywhere in an article
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    place_id INTEGER NOT NULL REFERENCES places(id),
    text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS mentions_place ON mentions(place_id);
CREATE TABLE IF NOT EXISTS stories (   -- derived from the events: rebuilt by ingest.regroup_stories
    id TEXT PRIMARY KEY,
    outlets INTEGER NOT NULL, sources INTEGER NOT NULL,
    start TEXT, "end" TEXT, disagreement TEXT,
    label TEXT NOT NULL DEFAULT '', event_type TEXT NOT NULL DEFAULT 'other',
    precision TEXT, date_text TEXT, place_id INTEGER REFERENCES places(id), lead_seq INTEGER
);
CREATE TABLE IF NOT EXISTS corrections (     -- the analyst's word, kept for good (corrections.py)
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,       -- the same correction twice (an import repeated) is one row
    kind TEXT NOT NULL,             -- place, date, label, type, reject, confirm, detach, merge, rule
    anchor TEXT NOT NULL,           -- JSON: the article and the words it corrects (and, to merge, a second)
    was TEXT, value TEXT,           -- JSON
    reviewer TEXT, created_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(
    sentence, content='events', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, sentence) VALUES (new.seq, new.sentence);
END;
CREATE TRIGGER IF NOT EXISTS events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, sentence) VALUES ('delete', old.seq, old.sentence);
END;
"""


@dataclass(frozen=True)
class WriteResult:
    status: str  # "added", "replaced" or "unchanged"
    events: int


def connect(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """Open (and create) the store. Readers use a read-only connection; writers wait for each
    other up to BUSY_TIMEOUT_MS instead of failing on a locked database."""
    path = Path(path)
    try:
        if readonly:
            if not path.exists():
                raise StoreError(f"{path}: no event store here (run `timeline ingest` first)")
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            _retry(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = NORMAL")
            _retry(lambda: _migrate(conn))
            _retry(lambda: conn.executescript(SCHEMA))
            if conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone() is None:
                _retry(lambda: conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),)))
        return conn
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{path}: not a usable event store ({e})") from None


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring an older store to this schema, one step at a time."""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
    if not columns:
        return  # a new store: SCHEMA makes it whole
    if "label" not in columns:
        _migrate_1_to_2(conn)
    # Schema 2 to 3: room for the analyst's corrections, and the stamp of what read an article;
    # 3 to 4: the text of a long article written in pieces.
    missing = [(table, column, kind) for table, column, kind in _ADDED_IN_3 + _ADDED_IN_4
               if column not in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}]
    if missing:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table, column, kind in missing:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


_ADDED_IN_4 = (("articles", "long_text", "BLOB"),)
_ADDED_IN_3 = (("events", "corrected", "INTEGER NOT NULL DEFAULT 0"), ("events", "rejected", "INTEGER NOT NULL DEFAULT 0"),
               ("events", "extracted", "TEXT"), ("articles", "extractor", "TEXT"), ("articles", "author", "TEXT"))


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Schema 1 to 2: events gain their label, type and length (made from the stored sentence
    and date words, as extraction makes them), stories are rebuilt."""
    from .extract.event_types import event_type
    from .extract.labels import make_label

    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("ALTER TABLE events ADD COLUMN label TEXT NOT NULL DEFAULT ''")
        conn.execute("ALTER TABLE events ADD COLUMN event_type TEXT NOT NULL DEFAULT 'other'")
        conn.execute("ALTER TABLE events ADD COLUMN days INTEGER")
        rows = conn.execute('SELECT seq, sentence, sentence_start, date_start, date_end, start, "end" FROM events').fetchall()
        updates = []
        for seq, sentence, base, d0, d1, start, end in rows:
            label = make_label(sentence, (d0 - base, d1 - base))
            updates.append((label, event_type(sentence, label), interval_days(start, end), seq))
        conn.executemany("UPDATE events SET label = ?, event_type = ?, days = ? WHERE seq = ?", updates)
        conn.execute("DROP TABLE IF EXISTS stories")
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('stories_dirty', '1')")
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', '2')")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def interval_days(start, end) -> int | None:
    """Days from `start` to `end`, both counted (ISO dates or date objects); None when undated."""
    if not start:
        return None
    start = dt.date.fromisoformat(start) if isinstance(start, str) else start
    end = dt.date.fromisoformat(end) if isinstance(end, str) else end
    return (end - start).days + 1


def _retry(action, attempts: int = 20):
    """Run a write, retrying while another writer holds the lock past the busy timeout."""
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def write_extraction(conn: sqlite3.Connection, extraction: Extraction, extractor: str | None = None,
                     again: bool = False) -> WriteResult:
    """Store one article and everything extracted from it, in one transaction, and apply the
    analyst's corrections to it. `again`: the article is stored already and was read anew (a
    newer extractor): its events are replaced. `extractor` is the stamp of what read it."""
    return _retry(lambda: _write(conn, extraction, extractor, again))


def _write(conn, extraction: Extraction, extractor: str | None, again: bool) -> WriteResult:
    article = extraction.article
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not again and _stored(conn, article.source_id):
            conn.execute("ROLLBACK")
            return WriteResult("unchanged", 0)
        old = _drop_old(conn, article.file, article.source_id)
        _insert_article(conn, article, article.source_id, article.text, extractor)
        _insert_rows(conn, article.source_id, extraction, {})
        _finish(conn, article.source_id)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return WriteResult("reread" if again else "replaced" if old else "added", len(extraction.events))


class PieceWriter:
    """One long article stored from its pieces' extractions as they come, in one transaction:
    its text is written into a blob piece by piece (never joined in memory: a 100 MB text
    bound as one value costs three copies of it), its events and places row by row. SQLite
    spills the transaction's pages to the write-ahead log, so memory stays that of a piece; a
    run killed halfway leaves nothing of the article. The text of an article written so is
    stored as UTF-8 bytes in `long_text` (bound as one value, or in a column before others,
    SQLite would hold it whole: 100 MB, three times): read it with `article_text`."""

    def __init__(self, conn: sqlite3.Connection, first, extractor: str | None, again: bool = False):
        self.conn, self.whole, self.next_index, self.events, self.again = conn, first.whole, 0, 0, again
        self.place_ids: dict[tuple, int] = {}
        conn.execute("BEGIN IMMEDIATE")
        try:
            self.unchanged = not again and _stored(conn, first.whole)
            if self.unchanged:
                return
            self.replaced = bool(_drop_old(conn, first.file, first.whole))
            _insert_article(conn, first, first.whole, "", extractor, long_bytes=first.nbytes)
            self.rowid = conn.execute("SELECT rowid FROM articles WHERE id = ?", (first.whole,)).fetchone()[0]
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def add(self, extraction: Extraction) -> WriteResult | None:
        """Store the next piece (its spans already into the whole text); the WriteResult once
        the last piece is in. A piece out of order (one before it failed) abandons the article."""
        piece = extraction.article
        if self.unchanged or piece.index != self.next_index:
            self.abandon()
            return WriteResult("unchanged", 0) if self.unchanged else None
        try:
            with self.conn.blobopen("articles", "long_text", self.rowid) as blob:
                blob.seek(piece.byte_offset)
                blob.write(piece.text.encode("utf-8"))
            _insert_rows(self.conn, self.whole, extraction, self.place_ids)
            self.events += len(extraction.events)
            self.next_index += 1
            if self.next_index < piece.count:
                return None
            _finish(self.conn, self.whole)
            self.conn.execute("COMMIT")
        except BaseException:
            self.abandon()
            raise
        return WriteResult("reread" if self.again else "replaced" if self.replaced else "added", self.events)

    @property
    def abandoned(self) -> bool:
        return not self.conn.in_transaction

    def abandon(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


def write_all(conn: sqlite3.Connection, extractions, extractor: str | None = None, again: bool = False,
              before=None):
    """Store extractions as they come: (article id, WriteResult) for each article stored, or
    the one-line error of one that failed. The pieces of a long article (pieces.Piece) are
    written one by one into one article; a failed piece fails its article alone. `before(id)`
    is called before an article is written (to note what it said)."""
    from .pieces import Piece, shifted

    writer = None
    for extraction in extractions:
        if isinstance(extraction, str):
            yield extraction
            continue
        article = extraction.article
        if not isinstance(article, Piece):
            if writer:
                writer = writer.abandon()  # its last pieces never came
            if before:
                before(article.source_id)
            yield article.source_id, _retry(lambda: _write(conn, extraction, extractor, again))
            continue
        if article.index == 0:
            if writer:
                writer.abandon()
            if before:
                before(article.whole)
            writer = PieceWriter(conn, article, extractor, again)
        elif writer is None:
            continue  # an earlier piece of it failed
        result = writer.add(shifted(extraction))
        if result is not None or writer.abandoned:
            writer = None
        if result is not None:
            yield article.whole, result
    if writer:
        writer.abandon()


TEXT_COLUMNS = "text, long_text"  # what to select for `article_text`


def article_text(text: str, long_text: bytes | None) -> str:
    """An article's stored text, from its two columns: a long one is in `long_text`, as UTF-8."""
    return long_text.decode("utf-8") if long_text is not None else text


def _stored(conn, article_id: str) -> bool:
    return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None


def _drop_old(conn, file: str, article_id: str) -> list[str]:
    """The same file with new words (or the same article read again): its old rows go."""
    old = [r[0] for r in conn.execute("SELECT id FROM articles WHERE file = ? OR id = ?", (file, article_id))]
    for old_id in old:
        conn.execute("DELETE FROM event_places WHERE event_seq IN (SELECT seq FROM events WHERE article_id = ?)", (old_id,))
        conn.execute("DELETE FROM events WHERE article_id = ?", (old_id,))
        conn.execute("DELETE FROM mentions WHERE article_id = ?", (old_id,))
        conn.execute("DELETE FROM articles WHERE id = ?", (old_id,))
    return old


def _insert_article(conn, article, article_id: str, text: str, extractor: str | None,
                    long_bytes: int | None = None) -> None:
    conn.execute(
        "INSERT INTO articles (id, file, outlet, title, url, published, text, ingested_at, extractor, author, "
        "long_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + ("zeroblob(?)" if long_bytes is not None else "?") + ")",
        (article_id, article.file, article.outlet, article.title, article.url,
         article.published.isoformat() if article.published else None, text,
         dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), extractor, article.author, long_bytes))


def _insert_rows(conn, article_id: str, extraction: Extraction, place_ids: dict) -> None:
    """The mentions, events and event places of one extraction (or one piece's)."""
    for mention in extraction.mentions:
        conn.execute("INSERT INTO mentions VALUES (?, ?, ?, ?, ?)",
                     (article_id, _place_id(conn, mention, place_ids), mention.text, *mention.span))
    for event in extraction.events:
        d, loc = event.date, event.location
        cur = conn.execute(
            'INSERT INTO events (id, article_id, sentence, sentence_start, sentence_end, date_text, '
            'date_start, date_end, value, start, "end", precision, place_id, place_text, place_start, '
            'place_end, place_inferred, label, event_type, days) '
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            (event.id, article_id, event.sentence, *event.sentence_span, d.text, *d.span, d.value,
             d.start.isoformat() if d.start else None, d.end.isoformat() if d.end else None,
             d.precision, _place_id(conn, loc, place_ids) if loc else None,
             loc.text if loc else None, loc.span[0] if loc else None, loc.span[1] if loc else None,
             int(loc.inferred) if loc else None, event.label, event.event_type,
             interval_days(d.start, d.end)))
        for place in event.places:
            conn.execute("INSERT INTO event_places VALUES (?, ?, ?, ?, ?)",
                         (cur.lastrowid, _place_id(conn, place, place_ids), place.text, *place.span))


def _finish(conn, article_id: str) -> None:
    """The analyst's corrections applied to the new rows; the stories need regrouping."""
    from .corrections import apply_corrections

    apply_corrections(conn, article_id)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('stories_dirty', '1')")
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('data_as_of', ?)",
                 (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),))


def place_id(conn, place: Place, cache: dict | None = None) -> int:
    """The id of a place (name, country, kind, point) in the places table, added when new."""
    return _place_id(conn, place, {} if cache is None else cache)


def _place_id(conn, place: Place, cache: dict) -> int:
    key = (place.name, place.country, place.kind, place.lat, place.lon)
    if key not in cache:
        conn.execute("INSERT OR IGNORE INTO places (name, country, kind, lat, lon) VALUES (?, ?, ?, ?, ?)", key)
        cache[key] = conn.execute(
            "SELECT id FROM places WHERE name=? AND country=? AND kind=? AND lat=? AND lon=?", key).fetchone()[0]
    return cache[key]


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "events", "places", "mentions", "stories")}


def meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None
