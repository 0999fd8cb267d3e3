"""Stories of an archive: corroborate.group's stories, computed in blocks out of DuckDB.

    from timeline.archive.stories import regroup_archive
    regroup_archive("var/archive")   # the number of stories; a new generation replaces the old

The blocked grouping is timeline.grouping's (the SQLite store's too, past a few thousand
events): the events stay in DuckDB, words are weighed by their rarity over every member, copies
join their first, a candidate pair shares a word that at most MAX_POSTING members use (group()'s
own rule, so pairs grow with the events, not with their square: a pure date-window or country
block would lose pairs group() joins, the same claim told with other dates and events without a
place), and corroborate.joined judges each pair. This module gives it the archive's members and
writes what it finds:

1. Members: the events not rejected, in *ingest order*: SQLite's is the order of its rowids; an
   archive's, which parts written on many machines must agree on, is ORDER (article published,
   oldest first, undated last; article file; article id; date_start in the article). A story's
   id is "s-" + its first member's event id in that order, its lead breaks ties by it, and it is
   the order group() would see: ingested into SQLite in that order, the two stores give the same
   stories (tests/test_archive_stories.py).
2. The analyst's detach and merge corrections (corrections.parquet, carried by `timeline archive
   import`) are applied to the stories they name by corrections.apply_story_corrections.
3. A generation: the stories file, a copy of the events with their story ids, the parts grouped,
   then the pointer (stories/current.json) renamed into place.

The stories of one disagreement note more than one claim in the order their pairs were judged
(by the members' order); group() notes them in the order of its word index, which varies with
Python's string hashing from run to run.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .. import grouping
from ..corroborate import Story
from . import schema
from .read import check_archive, done_parts, generation, open_archive
from .write import _write_atomically, write_table

# Ingest order (step 1): the same key wherever an archive is read.
ORDER = 'a.published NULLS LAST, a.file, e.article_id, e.date_start, e.seq'


def regroup_archive(root, stats: dict | None = None) -> int:
    """Group every event of the archive into stories and write them as a new generation, which
    replaces the old one whole (readers see the old or the new). Returns the number of stories.
    `stats`, when given, receives the counts of each step: members, representatives,
    candidate_pairs (pairs sharing a block), pairs_judged (those corroborate.joined judged), joined."""
    root = check_archive(root)
    parts = sorted(done_parts(root))
    scratch = tempfile.mkdtemp(prefix="timeline-regroup-")
    con = open_archive(root)
    try:
        # The work tables in a database file, not in memory: DuckDB can then evict them to disk.
        con.execute(f"ATTACH '{scratch}/regroup.duckdb' AS work")
        con.execute("USE work")
        con.execute(f"SET temp_directory = '{scratch}'")
        con.execute(f"SET memory_limit = '{grouping.MEMORY_LIMIT}'")
        con.execute("SET enable_progress_bar = false")
        counted = _regroup(con, root, parts)
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)
    if stats is not None:
        stats.update(counted)
    return counted["stories"]


def up_to_date(root) -> bool:
    """Has the latest generation grouped every part done (so that regrouping would change nothing
    but for new corrections)?"""
    root = check_archive(root)
    gen = generation(root)
    if gen is None or not (root / "stories" / gen / "parts.parquet").exists():
        return False
    grouped = set(pq.read_table(root / "stories" / gen / "parts.parquet").column("part").to_pylist())
    return grouped == done_parts(root)


def _regroup(con, root: Path, parts: list[str]) -> dict:
    _members(con)
    blocks = grouping.group_in_blocks(con)
    return {**blocks.counts, "stories": _write_generation(con, root, parts, blocks)}


def _members(con) -> None:
    """Step 1: the members, numbered by rank in ingest order, with what group() reads of each."""
    con.execute(f"""CREATE TABLE _m AS
        SELECT (row_number() OVER (ORDER BY {ORDER}) - 1)::BIGINT AS rank, e.seq, e.id, e.article_id AS article,
               a.file, a.outlet, e.start, e."end", e.sentence, e.label, e.event_type, e.precision, e.date_text,
               e.place_id, coalesce(e.place_inferred, 0) <> 0 AS place_inferred,
               CASE WHEN p.kind IN ('city', 'facility') AND coalesce(e.place_inferred, 0) = 0 THEN p.lat END AS spot_lat,
               CASE WHEN p.kind IN ('city', 'facility') AND coalesce(e.place_inferred, 0) = 0 THEN p.lon END AS spot_lon,
               coalesce(date_diff('day', e.start::DATE, e."end"::DATE) + 1, 0)::INTEGER AS days
        FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN places p ON p.id = e.place_id
        WHERE e.rejected = 0 ORDER BY rank""")
    # Countries: the location's and those of every place the sentence names (ingest._members).
    con.execute("""CREATE TABLE _countries AS SELECT rank, list(DISTINCT country ORDER BY country) AS countries
        FROM (SELECT m.rank, p.country FROM _m m JOIN places p ON p.id = m.place_id
              UNION SELECT m.rank, p.country FROM _m m JOIN event_places ep ON ep.event_seq = m.seq
                    JOIN places p ON p.id = ep.place_id) GROUP BY rank""")


_MULTI = pa.schema([("id", pa.string()), ("outlets", pa.int32()), ("sources", pa.int32()), ("start", pa.string()),
                    ("end", pa.string()), ("disagreement", pa.string()), ("label", pa.string()),
                    ("event_type", pa.string()), ("precision", pa.string()), ("date_text", pa.string()),
                    ("place_id", pa.int64()), ("lead_rank", pa.int64())])
_STORY_OF = pa.schema([("rank", pa.int64()), ("story_id", pa.string())])


def _write_generation(con, root: Path, parts: list[str], blocks: grouping.Grouping) -> int:
    """Step 6 and the files: stories, events and parts of a new generation, then the pointer.
    Stories of more than one member are made in DuckDB (grouping.story_table) but for the few
    the analyst's corrections name, which are corrected in Python."""
    gen = f"{_now_stamp()}-{uuid.uuid4().hex[:8]}"
    folder = root / "stories" / gen
    folder.mkdir(parents=True)
    corrections = _story_corrections(con, root)
    named = corrections.named if corrections else set()
    grouping.story_table(con, blocks, skip=sorted(named))
    con.execute("""CREATE TABLE _multi AS SELECT id, outlets::INTEGER AS outlets, sources::INTEGER AS sources, start,
        "end", disagreement, label, event_type, precision, date_text, place_id, lead_rank FROM _story""")
    con.execute("""CREATE TABLE _story_of_rank AS SELECT c.rank, s.id AS story_id FROM _c c JOIN _story s USING (first)
        JOIN _m m USING (rank) WHERE s.id <> 's-' || m.id""")
    if named:
        rows, members = [], []
        for story in corrections.apply(list(grouping.stories(con, blocks, only=sorted(named)))):
            rows.append(story.row())  # the lead's seq is a rank so far: _m's seq replaces it below
            members.extend((m.seq, story.id) for m in story.members if story.id != "s-" + m.id)
        for table, arrow_schema, data in (("_multi", _MULTI, rows), ("_story_of_rank", _STORY_OF, members)):
            con.register("_held", pa.Table.from_pylist([dict(zip(arrow_schema.names, r)) for r in data],
                                                       schema=arrow_schema))
            con.execute(f"INSERT INTO {table} SELECT * FROM _held")
            con.unregister("_held")
    con.register("_named", pa.table({"rank": pa.array(sorted(named), pa.int64())}))
    tmp = folder / f".stories.{uuid.uuid4().hex}.tmp"
    con.execute(f"""COPY (
        SELECT s.id, s.outlets, s.sources, s.start, s."end", s.disagreement, s.label, s.event_type, s.precision,
               s.date_text, s.place_id, f.seq AS lead_seq FROM _multi s JOIN _m f ON f.rank = s.lead_rank
        UNION ALL
        SELECT 's-' || f.id, 1::INTEGER, 1::INTEGER, f.start, f."end", NULL::VARCHAR, f.label, f.event_type, f.precision,
               f.date_text, f.place_id, f.seq FROM _c c JOIN _m f USING (rank)
        WHERE c.size = 1 AND c.rank NOT IN (SELECT rank FROM _named)) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)""")
    os.replace(tmp, folder / "stories.parquet")
    con.unregister("_named")
    _copy_events(con, folder)
    write_table(folder / "parts.parquet", pa.table({"part": pa.array(parts, pa.string())}, schema=schema.STORY_PARTS))
    previous = generation(root)
    _write_atomically(root / "stories" / schema.STORIES_POINTER, json.dumps({"generation": gen}))
    for stale in _generations(root):  # the one before stays for readers opened on it; a killed run's go
        if stale not in (gen, previous):
            shutil.rmtree(root / "stories" / stale, ignore_errors=True)
    return pq.ParquetFile(folder / "stories.parquet").metadata.num_rows


def _copy_events(con, folder: Path) -> None:
    """The generation's copy of the events, each with its story id (none for a rejected one), by
    month of its article and sorted by start within it."""
    con.execute("CREATE TABLE _story_of AS SELECT f.seq, m.story_id FROM _story_of_rank m JOIN _m f USING (rank)")
    columns = ", ".join('CASE WHEN e.rejected = 0 THEN coalesce(s.story_id, \'s-\' || e.id) END AS story_id'
                        if c == "story_id" else f'e."{c}"' for c in schema.EVENTS.names)
    tmp = folder / f".events.{uuid.uuid4().hex}.tmp"
    con.execute(f"""COPY (SELECT {columns},
            CASE WHEN length(a.published) >= 7 THEN substr(a.published, 1, 7) ELSE '{schema.UNKNOWN_MONTH}' END AS month
        FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN _story_of s ON s.seq = e.seq
        ORDER BY month, e.start NULLS LAST, e.seq)
        TO '{tmp}' (FORMAT parquet, PARTITION_BY (month), COMPRESSION zstd, ROW_GROUP_SIZE 122880)""")
    tmp.mkdir(exist_ok=True)  # no events: no file, but the generation has its (empty) copy
    os.replace(tmp, folder / "events")


def _generations(root: Path) -> list[str]:
    """The generation folders, oldest first (their names begin with the time written)."""
    folder = root / "stories"
    return sorted(n for n in os.listdir(folder) if (folder / n).is_dir()) if folder.is_dir() else []


def _now_stamp() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")


class _StoryCorrections:
    """The analyst's detach and merge corrections of an archive, applied as SQLite applies them
    (corrections.apply_story_corrections) to a small in-memory store of the events they may name."""

    def __init__(self, conn: sqlite3.Connection, named: set[int]):
        self.conn, self.named = conn, named

    def apply(self, stories: list[Story]) -> list[Story]:
        from ..corrections import apply_story_corrections

        return apply_story_corrections(self.conn, stories)


def _story_corrections(con, root: Path) -> _StoryCorrections | None:
    path = root / schema.CORRECTIONS_FILE
    if not path.exists():
        return None
    from ..corrections import find_event
    from ..store import SCHEMA

    rows = [r for r in pq.read_table(path).to_pylist() if r["kind"] in ("detach", "merge")]
    if not rows:
        return None
    anchors = []
    for r in rows:
        anchor = json.loads(r["anchor"])
        anchors += [anchor] + ([anchor["other"]] if r["kind"] == "merge" and anchor.get("other") else [])
    keys = sorted({(a.get("date_text"), a.get("file")) for a in anchors})
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.executescript(SCHEMA)
    con.register("_keys", pa.table({"date_text": [k[0] for k in keys], "file": [k[1] for k in keys]}))
    # Every event an anchor may name (find_event looks at those of its date words and file),
    # rejected ones too; seq is the member's rank (a rejected event has none: negative).
    found = con.execute("""SELECT coalesce(m.rank, -row_number() OVER ()), e.id, e.article_id, e.sentence,
            e.sentence_start, e.sentence_end, e.date_text, e.date_start, e.date_end, e.precision, e.place_text,
            a.file, a.text
        FROM events e JOIN articles a ON a.id = e.article_id SEMI JOIN _keys k ON k.date_text = e.date_text AND k.file = a.file
        LEFT JOIN _m m ON m.seq = e.seq""").fetchall()
    con.unregister("_keys")
    for rank, event_id, article, sentence, s0, s1, date_text, d0, d1, precision, place_text, file, text in found:
        conn.execute("INSERT OR IGNORE INTO articles (id, file, text, ingested_at) VALUES (?, ?, ?, '')", (article, file, text))
        conn.execute("INSERT INTO events (seq, id, article_id, sentence, sentence_start, sentence_end, date_text, "
                     "date_start, date_end, precision, place_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (rank, event_id, article, sentence, s0, s1, date_text, d0, d1, precision, place_text))
    for r in rows:
        conn.execute("INSERT INTO corrections (id, key, kind, anchor, was, value, reviewer, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", tuple(r[f] for f in schema.CORRECTIONS.names))
    named = {seq for seq in (find_event(conn, a) for a in anchors) if seq is not None and seq >= 0}
    return _StoryCorrections(conn, named)
