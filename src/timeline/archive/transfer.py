"""Moving a store between SQLite and an archive: `timeline archive import` and `export`.

Import (SQLite -> archive) copies the rows as they are (the analyst's corrections applied, their
extracted values kept), BATCH articles a part, in rowid order: a part's name is a digest of its
articles' ids, so a re-run writes no part again, and articles the archive holds are skipped. The
corrections table becomes DIR/corrections.parquet (replaced whole, the union of both); then the
stories are grouped again (stories.regroup_archive).

Export (archive -> SQLite) writes each article through store.write_extraction, as ingest does,
so the full-text index, the indexes and the corrections are SQLite's own: an event corrected in
the archive is written with its extracted values and the corrections (exported first) are
applied again. Articles go in the archive's ingest order (stories.ORDER), BATCH at a time; the
stories are then regrouped by ingest.regroup_stories, which gives the archive's stories. A
re-run adds nothing (articles are keyed by their id in both).

Memory is bounded by a batch: neither holds the whole store.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .. import store
from ..model import Article, DateValue, Event, Extraction, Place
from . import TRANSFER_BATCH, schema
from .read import article_ids, check_archive, open_archive
from .write import ensure_archive, part_name, write_part, write_table

BATCH = TRANSFER_BATCH  # see archive/__init__.py


@dataclass
class Moved:
    added: int = 0
    unchanged: int = 0
    events: int = 0
    corrections: int = 0
    stories: int = 0

    def line(self, target) -> str:
        from ..ingest import plural

        return (f"{plural(self.added + self.unchanged, 'article')} ({self.added} added, {self.unchanged} unchanged), "
                f"{plural(self.events, 'event')}, {plural(self.corrections, 'correction')}, "
                f"{plural(self.stories, 'story', 'stories')} -> {target}")


# ---------- SQLite -> archive ----------

def import_store(db, root, batch: int = BATCH) -> Moved:
    """Copy the SQLite store `db` into the archive `root` (created when missing)."""
    db, root = Path(db), Path(root)
    moved = Moved()
    with contextlib.closing(store.connect(db, readonly=True)) as conn:
        ensure_archive(root)
        known = article_ids(root)
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY rowid")]
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            new = [i for i in chunk if i not in known]
            moved.unchanged += len(chunk) - len(new)
            if not new:
                continue
            moved.events += write_part(root, part_name(new), _sqlite_rows(conn, new), len(new))
            moved.added += len(new)
        moved.corrections, new_corrections = _import_corrections(conn, root)
    from .read import counts
    from .stories import regroup_archive, up_to_date

    if moved.added or new_corrections or not up_to_date(root):
        moved.stories = regroup_archive(root)
    else:
        moved.stories = counts(root)["stories"]
    return moved


def _sqlite_rows(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str | None, list[dict]]]:
    """The rows of these articles in the archive's tables, ids made stable (schema.stable_int)."""
    marks = ",".join("?" * len(ids))
    tables: dict[str, dict[str | None, list[dict]]] = {t: {} for t in (*schema.MONTHLY, "places")}
    month_of: dict[str, str] = {}
    # A long text is in `long_text` (store.article_text), in a store of schema 4 on.
    long_text = "long_text" if "long_text" in {r[1] for r in conn.execute("PRAGMA table_info(articles)")} else "NULL"
    for row in conn.execute(f"SELECT {_names(schema.ARTICLES)}, {long_text} FROM articles WHERE id IN ({marks})", ids):
        article = dict(zip(schema.ARTICLES.names, row))
        article["text"] = store.article_text(article["text"], row[-1])
        month_of[article["id"]] = schema.month_of(article["published"])
        tables["articles"].setdefault(month_of[article["id"]], []).append(article)
    places = {}
    for row in conn.execute(
            f"SELECT {_names(schema.PLACES)} FROM places WHERE id IN (SELECT place_id FROM events WHERE article_id IN ({marks}) "
            f"UNION SELECT place_id FROM mentions WHERE article_id IN ({marks}) UNION SELECT ep.place_id FROM event_places ep "
            f"JOIN events e ON e.seq = ep.event_seq WHERE e.article_id IN ({marks}))", ids * 3):
        place = dict(zip(schema.PLACES.names, row))
        places[place["id"]] = place | {"id": schema.stable_int(place["name"], place["country"], place["kind"],
                                                               place["lat"], place["lon"])}
    # Places corrections moved events to (kept in `extracted`) may be places no row names now.
    stable = lambda pid: places[pid]["id"] if pid in places else _stable_place(conn, pid, places)  # noqa: E731
    seqs = {}
    for row in conn.execute(f"SELECT {_names(schema.EVENTS)} FROM events WHERE article_id IN ({marks}) ORDER BY seq", ids):
        event = dict(zip(schema.EVENTS.names, row))
        seqs[event["seq"]] = event["seq"] = schema.stable_int(event["id"])
        event["place_id"] = stable(event["place_id"]) if event["place_id"] is not None else None
        event["story_id"] = None  # the archive's stories are its own (regroup_archive)
        if event["extracted"]:
            extracted = json.loads(event["extracted"])
            if extracted.get("place_id") is not None:
                extracted["place_id"] = stable(extracted["place_id"])
            event["extracted"] = json.dumps(extracted)
        tables["events"].setdefault(month_of[event["article_id"]], []).append(event)
    for row in conn.execute(f"SELECT e.article_id, {_names(schema.EVENT_PLACES, 'ep')} FROM event_places ep "
                            f"JOIN events e ON e.seq = ep.event_seq WHERE e.article_id IN ({marks}) ORDER BY ep.rowid", ids):
        ep = dict(zip(schema.EVENT_PLACES.names, row[1:]))
        ep["event_seq"], ep["place_id"] = seqs[ep["event_seq"]], stable(ep["place_id"])
        tables["event_places"].setdefault(month_of[row[0]], []).append(ep)
    for row in conn.execute(f"SELECT {_names(schema.MENTIONS)} FROM mentions WHERE article_id IN ({marks}) ORDER BY rowid", ids):
        mention = dict(zip(schema.MENTIONS.names, row))
        mention["place_id"] = stable(mention["place_id"])
        tables["mentions"].setdefault(month_of[mention["article_id"]], []).append(mention)
    tables["places"][None] = list(places.values())
    return tables


def _stable_place(conn, pid: int, places: dict) -> int:
    row = conn.execute(f"SELECT {_names(schema.PLACES)} FROM places WHERE id = ?", (pid,)).fetchone()
    place = dict(zip(schema.PLACES.names, row))
    places[pid] = place | {"id": schema.stable_int(place["name"], place["country"], place["kind"], place["lat"], place["lon"])}
    return places[pid]["id"]


def _names(table_schema: pa.Schema, alias: str = "") -> str:
    return ", ".join(f'{alias + "." if alias else ""}"{n}"' for n in table_schema.names)


def _import_corrections(conn: sqlite3.Connection, root: Path) -> tuple[int, int]:
    """The store's corrections added to the archive's (by key): (their number there, added)."""
    rows = {r["key"]: r for r in read_corrections(root)}
    before = len(rows)
    for row in conn.execute(f"SELECT {_names(schema.CORRECTIONS)} FROM corrections ORDER BY id"):
        rows.setdefault(row[1], dict(zip(schema.CORRECTIONS.names, row)))
    ordered = list(rows.values())
    for n, row in enumerate(ordered, 1):  # ids in the order they were made: corrections apply in it
        row["id"] = n
    if len(ordered) > before:
        write_table(root / schema.CORRECTIONS_FILE, pa.Table.from_pylist(ordered, schema=schema.CORRECTIONS))
    return len(ordered), len(ordered) - before


def read_corrections(root: Path) -> list[dict]:
    path = Path(root) / schema.CORRECTIONS_FILE
    return pq.read_table(path).to_pylist() if path.exists() else []


# ---------- archive -> SQLite ----------

def export_store(root, db, batch: int = BATCH) -> Moved:
    """Copy the archive `root` into the SQLite store `db` (created when missing)."""
    from ..ingest import regroup_stories
    from .stories import ORDER

    root = check_archive(root)
    moved = Moved()
    conn = store.connect(Path(db))
    try:
        moved.corrections = _export_corrections(conn, root)
        known = {r[0] for r in conn.execute("SELECT id FROM articles")}
        # Month by month (the order's first key is the publication date, and a month's files are
        # read alone), each month's articles in ingest order.
        for month in months(root):
            con = open_archive(root, months={month})
            try:
                ids = [r[0] for r in con.execute(
                    "SELECT a.id FROM articles a LEFT JOIN (SELECT article_id, min(date_start) AS date_start, min(seq) AS seq "
                    f"FROM events GROUP BY article_id) e ON e.article_id = a.id ORDER BY {ORDER}").fetchall()]
                for start in range(0, len(ids), batch):
                    chunk = [i for i in ids[start:start + batch] if i not in known]
                    moved.unchanged += len(ids[start:start + batch]) - len(chunk)
                    for extraction, extractor in _extractions(con, chunk):
                        result = store.write_extraction(conn, extraction, extractor=extractor)
                        setattr(moved, "unchanged" if result.status == "unchanged" else "added",
                                getattr(moved, "unchanged" if result.status == "unchanged" else "added") + 1)
                        moved.events += result.events
            finally:
                con.close()
        if store.meta(conn, "stories_dirty") != "0":
            regroup_stories(conn)
        moved.stories = store.counts(conn)["stories"]
    finally:
        conn.close()
    return moved


def months(root: Path) -> list[str]:
    """The archive's months, in order; articles without a date ("unknown") last."""
    folder = Path(root) / "articles"
    found = sorted(d[6:] for d in (os.listdir(folder) if folder.is_dir() else []) if d.startswith("month="))
    return sorted(found, key=lambda m: (m == schema.UNKNOWN_MONTH, m))


def _export_corrections(conn: sqlite3.Connection, root: Path) -> int:
    rows = read_corrections(root)
    if rows:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR IGNORE INTO corrections (key, kind, anchor, was, value, reviewer, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [tuple(r[n] for n in schema.CORRECTIONS.names[1:]) for r in sorted(rows, key=lambda r: r["id"])])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return conn.execute("SELECT count(*) FROM corrections").fetchone()[0]


def _extractions(con, ids: list[str]):
    """(Extraction, extractor stamp) of each article, with the values extraction gave (a
    corrected event's `extracted`): store.write_extraction applies the corrections again."""
    if not ids:
        return
    con.register("_batch_ids", pa.table({"id": pa.array(ids, pa.string())}))
    try:
        yield from _extractions_of(con, ids)
    finally:
        con.unregister("_batch_ids")


def _extractions_of(con, ids: list[str]):
    events_of_batch = "SELECT * FROM events WHERE article_id IN (SELECT id FROM _batch_ids)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _batch_events AS {events_of_batch}")
    con.execute("SELECT * FROM places WHERE id IN (SELECT place_id FROM _batch_events "
                "UNION SELECT place_id FROM mentions WHERE article_id IN (SELECT id FROM _batch_ids) UNION SELECT ep.place_id "
                "FROM event_places ep WHERE ep.event_seq IN (SELECT seq FROM _batch_events))")
    places = {r[0]: r for r in con.fetchall()}
    extracted_places = set()
    events: dict[str, list[dict]] = {}
    con.execute(f"SELECT {_names(schema.EVENTS)} FROM _batch_events ORDER BY article_id, date_start, seq")
    for row in con.fetchall():
        event = dict(zip(schema.EVENTS.names, row))
        if event["corrected"] and event["extracted"]:
            extracted = json.loads(event["extracted"])
            event.update({k: extracted.get(k) for k in ("place_id", "place_inferred", "value", "start", "end",
                                                        "precision", "label", "event_type")})
            if event["place_id"] is not None and event["place_id"] not in places:
                extracted_places.add(event["place_id"])
        events.setdefault(event["article_id"], []).append(event)
    if extracted_places:
        con.execute("SELECT * FROM places WHERE list_contains($ids, id)", {"ids": sorted(extracted_places)})
        places.update({r[0]: r for r in con.fetchall()})
    named: dict[int, list[Place]] = {}
    con.execute("SELECT * FROM event_places WHERE event_seq IN (SELECT seq FROM _batch_events) ORDER BY event_seq, start")
    for seq, pid, text, start, end in con.fetchall():
        named.setdefault(seq, []).append(_place(places[pid], text, (start, end)))
    mentions: dict[str, list[Place]] = {}
    con.execute('SELECT * FROM mentions WHERE article_id IN (SELECT id FROM _batch_ids) ORDER BY article_id, start, "end"')
    for article_id, pid, text, start, end in con.fetchall():
        mentions.setdefault(article_id, []).append(_place(places[pid], text, (start, end)))
    con.execute(f"SELECT {_names(schema.ARTICLES)} FROM articles WHERE id IN (SELECT id FROM _batch_ids)")
    order = {i: n for n, i in enumerate(ids)}
    for row in sorted(con.fetchall(), key=lambda r: order[r[0]]):
        a = dict(zip(schema.ARTICLES.names, row))
        article = Article(a["file"], a["text"], a["outlet"], a["title"], a["url"],
                          dt.date.fromisoformat(a["published"][:10]) if a["published"] else None, a["author"])
        built = [_event(e, article, places, named.get(e["seq"], ())) for e in events.get(a["id"], ())]
        yield Extraction(article, tuple(built), tuple(mentions.get(a["id"], ()))), a["extractor"]


def _place(row, text: str, span: tuple[int, int], inferred: bool = False) -> Place:
    _, name, country, kind, lat, lon = row
    return Place(text, span, name, country, lat, lon, kind, inferred)


def _event(e: dict, article: Article, places: dict, named) -> Event:
    date = DateValue(e["date_text"], (e["date_start"], e["date_end"]), e["value"],
                     dt.date.fromisoformat(e["start"]) if e["start"] else None,
                     dt.date.fromisoformat(e["end"]) if e["end"] else None, e["precision"])
    location = None
    if e["place_id"] is not None:
        location = _place(places[e["place_id"]], e["place_text"], (e["place_start"], e["place_end"]),
                          bool(e["place_inferred"]))
    return Event(e["id"], article.file, article.outlet, article.published, e["sentence"],
                 (e["sentence_start"], e["sentence_end"]), date, tuple(named), location, e["label"], e["event_type"])
