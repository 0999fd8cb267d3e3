"""The stories of the SQLite store, rebuilt from its events in one transaction, then the
analyst's word on stories (a member moved out stands alone, two stories merged are one).

A store of up to IN_MEMORY_EVENTS events is grouped by corroborate.group with every event in
Python (about 5 kB each, and no start-up cost: the dashboard regroups after a correction). A
larger one is grouped in blocks in DuckDB (grouping.py), which gives the same stories in
bounded memory: its events are copied in batches into a scratch DuckDB database that spills to
a temporary folder, so an ingest's peak does not grow with the store.
"""
from __future__ import annotations

import sqlite3
import tempfile
from typing import Iterable

from . import store
from .errors import StoreError
from .corrections import apply_story_corrections, find_event
from .corroborate import Member, Story, group

IN_MEMORY_EVENTS = 5_000
BATCH = 20_000  # events copied from SQLite to DuckDB at a time

# What corroboration reads of each event not rejected, in ingest order (the order of seq).
_MEMBERS_SQL = (
    'SELECT e.seq, e.id, e.article_id, a.file, a.outlet, e.start, e."end", e.sentence, '
    "e.label, e.event_type, e.precision, e.date_text, e.place_id, coalesce(e.place_inferred, 0), "
    "p.kind IN ('city', 'facility') AND NOT coalesce(e.place_inferred, 0), p.lat, p.lon "
    "FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN places p ON p.id = e.place_id "
    "WHERE e.rejected = 0 ORDER BY e.seq")
# The countries of each event: its location's and those of every place its sentence names.
_COUNTRIES_SQL = ("SELECT e.seq, p.country FROM events e JOIN places p ON p.id = e.place_id "
                  "UNION SELECT ep.event_seq, p.country FROM event_places ep JOIN places p ON p.id = ep.place_id")


def regroup_stories(conn: sqlite3.Connection) -> int:
    """Recompute every story from the stored events; returns how many there are."""
    events = conn.execute("SELECT count(*) FROM events WHERE rejected = 0").fetchone()[0]
    if events <= IN_MEMORY_EVENTS:
        stories = apply_story_corrections(conn, group(members(conn)))
        return store._retry(lambda: _write(conn, stories))
    import duckdb

    try:
        return _in_blocks(conn)
    except duckdb.OutOfMemoryException as e:  # the stories stay as they were, marked to be grouped again
        raise StoreError(f"stories could not be grouped in {_memory()} ({str(e).splitlines()[0]}); the store is "
                         "as it was, and the next ingest groups them again: set TIMELINE_REGROUP_MEMORY higher") from None


def _memory() -> str:
    from .grouping import MEMORY_LIMIT

    return MEMORY_LIMIT


def members(conn: sqlite3.Connection) -> list[Member]:
    countries: dict[int, set[str]] = {}
    for seq, country in conn.execute(_COUNTRIES_SQL):
        countries.setdefault(seq, set()).add(country)
    return [Member(*row[:8], frozenset(countries.get(row[0], ())), *row[8:13], bool(row[13]),
                   (row[15], row[16]) if row[14] else None) for row in conn.execute(_MEMBERS_SQL)]


_STORY_COLUMNS = ("id", "outlets", "sources", "start", '"end"', "disagreement", "label", "event_type", "precision",
                  "date_text", "place_id", "lead_seq")


def _write(conn: sqlite3.Connection, stories: Iterable[Story | tuple], members: Iterable[tuple] = ()) -> int:
    """Replace the stories table and every event's story id, in one transaction. A story is a
    corroborate.Story, or a row of the stories table (its last column the lead's seq) whose
    other members are given apart (`members`: (story id, seq) pairs)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("UPDATE events SET story_id = NULL WHERE story_id IS NOT NULL")
        conn.execute("DELETE FROM stories")
        count = 0
        insert = (f"INSERT INTO stories ({', '.join(_STORY_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(_STORY_COLUMNS))})")
        for story in stories:
            if isinstance(story, Story):
                row = story.row()
                conn.executemany("UPDATE events SET story_id = ? WHERE seq = ?", [(row[0], m.seq) for m in story.members])
            else:  # its lead (a single's one member) here, any others in `members`
                row = story
                conn.execute("UPDATE events SET story_id = ? WHERE seq = ?", (row[0], row[-1]))
            conn.execute(insert, row)
            count += 1
        conn.executemany("UPDATE events SET story_id = ? WHERE seq = ?", members)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('stories_dirty', '0')")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return count


def _in_blocks(conn: sqlite3.Connection) -> int:
    import duckdb  # here: a desk's store never needs it

    from . import grouping

    with tempfile.TemporaryDirectory(prefix="timeline-regroup-") as scratch:
        # A database file, not an in-memory one: DuckDB can then evict its tables to disk.
        con = duckdb.connect(f"{scratch}/regroup.duckdb", config={
            "memory_limit": grouping.MEMORY_LIMIT, "threads": grouping.THREADS, "temp_directory": scratch,
            "preserve_insertion_order": False})
        con.execute("SET enable_progress_bar = false")  # a connection's own setting, not a global one
        try:
            seq_of_rank = _load(conn, con)
            blocks = grouping.group_in_blocks(con)
            named = _named_events(conn)  # their stories are held until the corrections are applied
            ranks = [r[0] for r in con.execute("SELECT rank FROM _m WHERE seq IN (SELECT unnest(?::BIGINT[]))",
                                               [sorted(named)]).fetchall()] if named else []
            grouping.story_table(con, blocks, skip=ranks)

            def stories():
                held = list(grouping.stories(con, blocks, only=ranks))
                for story in held:
                    for m in story.members:  # ranks follow seq; the store speaks in seqs
                        m.seq = int(seq_of_rank[m.seq])
                yield from apply_story_corrections(conn, held)
                yield from _rows(con, f"SELECT {', '.join(_STORY_COLUMNS)} FROM _story ORDER BY first")
                for row in grouping.singles(con, skip=ranks):
                    yield ("s-" + row["id"], 1, 1, row["start"], row["end"], None, row["label"], row["event_type"],
                           row["precision"], row["date_text"], row["place_id"], row["seq"])

            members = ("SELECT s.id, m.seq FROM _c c JOIN _story s USING (first) JOIN _m m USING (rank) "
                       "WHERE c.rank <> s.lead_rank")
            return store._retry(lambda: _write(conn, stories(), _rows(con, members)))
        finally:
            con.close()


def _rows(con, sql: str):
    """The rows of a DuckDB query, read in batches (a cursor of its own: two are read at once)."""
    from .grouping import BATCH

    cursor = con.cursor()
    for batch in cursor.sql(sql).to_arrow_reader(BATCH):
        yield from zip(*(col.to_pylist() for col in batch.columns))
    cursor.close()


def _load(conn: sqlite3.Connection, con):
    """Copy the members and their countries into DuckDB tables _m and _countries (grouping.py),
    in batches; returns each rank's seq."""
    import pyarrow as pa

    names = ("seq", "id", "article", "file", "outlet", "start", "end", "sentence", "label", "event_type",
             "precision", "date_text", "place_id", "place_inferred", "spot", "lat", "lon")
    # Each batch goes straight into _m in its final form: a table of raw rows sorted by rank
    # afterwards cost twice DuckDB's memory share at 430,000 events.
    con.execute('CREATE TABLE _m (rank BIGINT, seq BIGINT, id VARCHAR, article VARCHAR, file VARCHAR, '
                'outlet VARCHAR, start VARCHAR, "end" VARCHAR, sentence VARCHAR, label VARCHAR, event_type VARCHAR, '
                'precision VARCHAR, date_text VARCHAR, place_id BIGINT, place_inferred BOOLEAN, spot_lat DOUBLE, '
                'spot_lon DOUBLE, days INTEGER)')
    cursor, rank = conn.execute(_MEMBERS_SQL), 0
    while rows := cursor.fetchmany(BATCH):
        columns = {name: [r[i] for r in rows] for i, name in enumerate(names)}
        batch = pa.table({"rank": pa.array(range(rank, rank + len(rows)), pa.int64()),
                          **{n: pa.array(v, pa.int64() if n in ("seq", "place_id", "place_inferred", "spot") else
                                         pa.float64() if n in ("lat", "lon") else pa.string())
                             for n, v in columns.items()}})
        del columns, rows
        con.register("_batch", batch)
        con.execute('''INSERT INTO _m SELECT rank, seq, id, article, file, outlet, start, "end", sentence, label,
            event_type, precision, date_text, place_id, place_inferred <> 0,
            CASE WHEN spot <> 0 THEN lat END, CASE WHEN spot <> 0 THEN lon END,
            coalesce(date_diff('day', start::DATE, "end"::DATE) + 1, 0)::INTEGER FROM _batch''')
        con.unregister("_batch")
        rank += batch.num_rows
    con.execute("CREATE TABLE _sc (seq BIGINT, country VARCHAR)")
    cursor = conn.execute(_COUNTRIES_SQL)
    while rows := cursor.fetchmany(BATCH):
        con.register("_batch", pa.table({"seq": pa.array([r[0] for r in rows], pa.int64()),
                                         "country": pa.array([r[1] for r in rows], pa.string())}))
        con.execute("INSERT INTO _sc SELECT * FROM _batch")
        con.unregister("_batch")
    con.execute("""CREATE TABLE _countries AS SELECT m.rank, list(DISTINCT s.country ORDER BY s.country) AS countries
        FROM _sc s JOIN _m m USING (seq) GROUP BY m.rank""")
    con.execute("DROP TABLE _sc")
    return con.execute("SELECT seq FROM _m ORDER BY rank").fetchnumpy()["seq"]


def _named_events(conn: sqlite3.Connection) -> set[int]:
    """The seqs of the events that the analyst's detach and merge corrections name."""
    import json

    named = set()
    for (anchor,) in conn.execute("SELECT anchor FROM corrections WHERE kind IN ('detach', 'merge')").fetchall():
        anchor = json.loads(anchor)
        for one in (anchor, anchor.get("other")):
            seq = find_event(conn, one) if one else None
            if seq is not None:
                named.add(seq)
    return named
