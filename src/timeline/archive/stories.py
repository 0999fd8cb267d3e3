"""Stories of an archive: corroborate.group's stories, computed in blocks out of DuckDB.

    from timeline.archive.stories import regroup_archive
    regroup_archive("var/archive")   # the number of stories; a new generation replaces the old

group() holds every event in Python and pairs those that share a distinctive word. Here the
events stay in DuckDB and only integers (a parent per event) and one pair of events at a time
come to Python. The steps, each giving what group() gives:

1. Members: the events not rejected, in *ingest order*: SQLite's is the order of its rowids; an
   archive's, which parts written on many machines must agree on, is (article published, oldest
   first, undated last; article file; article id; date_start in the article). A story's id is
   "s-" + its first member's event id in that order, its lead breaks ties by it, and it is the
   order group() would see: ingested into SQLite in that order, the two stores give the same
   stories (tests/test_archive_stories.py).
2. Words: each sentence's stems, numbers and its label's (corroborate.stems, numbers), in
   batches of BATCH events; each word's rarity `ln(1 + n / df)` over all members, in DuckDB.
3. Copies (the same stems, dates, countries and type: syndicated copies) join their first.
4. Blocks: a candidate pair shares a word that at most MAX_POSTING copies' representatives use,
   which is group()'s own rule (_candidate_pairs): each block is one word's posting of at most
   MAX_POSTING members, so pairs grow with the events, not with their square. A block's pairs
   are narrowed in DuckDB by what group() requires of a pair before it weighs words: dates that
   meet or a number in common (the "same claim" across dates), countries that meet (or one
   side without any), compatible types and figures, two articles. A pure date-window or
   country block would lose pairs group() joins: the same claim told with other dates, and
   events without a place, which meet every country.
5. Each pair left is judged by corroborate.joined (group()'s own test of a pair); joined pairs and copies
   are unions of a union-find over integers; each story of more than one member is built as a
   corroborate.Story, so its lead, type, place and outlets are group()'s.
6. The analyst's detach and merge corrections (corrections.parquet, carried by `timeline archive
   import`) are applied to the stories they name by corrections.apply_story_corrections.

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
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .. import corroborate
from ..corroborate import MAX_POSTING, Member, Story
from . import schema
from .read import check_archive, done_parts, generation, open_archive
from .write import _write_atomically, write_table

BATCH = 50_000  # events whose words are read in one go (about 30 MB of sentences)
# DuckDB's share of memory while grouping: past it, its tables spill to a scratch folder. Its
# default (80% of the machine) would let the grouping take what an ingest beside it needs.
MEMORY_LIMIT = os.environ.get("TIMELINE_REGROUP_MEMORY", "2GB")

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
        con.execute(f"SET temp_directory = '{scratch}'")
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
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
    counted = {}
    _members(con)
    n = counted["members"] = con.execute("SELECT count(*) FROM _m").fetchall()[0][0]
    _words(con, n)
    parent = np.arange(n, dtype=np.int64)
    counted["representatives"] = _copies(con, parent)
    counted["candidate_pairs"], counted["pairs_judged"], claims = _pairs(con, parent)
    counted["joined"] = claims["joined"]
    roots = _roots(parent)
    con.register("_roots_arrow", pa.table({"rank": np.arange(n, dtype=np.int64), "root": roots}))
    con.execute("CREATE TABLE _c AS SELECT rank, min(rank) OVER (PARTITION BY root) AS first, "
                "count(*) OVER (PARTITION BY root) AS size FROM _roots_arrow")
    con.unregister("_roots_arrow")
    notes = defaultdict(dict)  # a dict as an ordered set, as group() keeps them
    for a, b in claims["claims"]:
        notes[int(roots[a.seq])][f"{corroborate._source(a)} says {corroborate._when(a)}; "
                                 f"{corroborate._source(b)} says {corroborate._when(b)}"] = None
    counted["stories"] = _write_generation(con, root, parts, notes, roots)
    return counted


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


def _words(con, n: int) -> None:
    """Step 2: stems and numbers of sentence and label, in batches; the rarity of each stem."""
    con.execute("CREATE TABLE _w (rank BIGINT, stems VARCHAR[], label_stems VARCHAR[], numbers VARCHAR[], "
                "label_numbers VARCHAR[])")
    for low in range(0, n, BATCH):
        rows = con.execute("SELECT rank, sentence, label FROM _m WHERE rank >= ? AND rank < ? ORDER BY rank",
                           [low, low + BATCH]).fetchall()
        ranks, st, ls, nu, ln = [], [], [], [], []
        for rank, sentence, label in rows:
            words = corroborate.stems(sentence)
            figures = corroborate.numbers(sentence)
            ranks.append(rank)
            st.append(sorted(words))
            ls.append(sorted(corroborate.stems(label) if label else words))
            nu.append(sorted(figures))
            ln.append(sorted(corroborate.numbers(label) if label else figures))
        batch = pa.table({"rank": pa.array(ranks, pa.int64()), "stems": st, "label_stems": ls,
                          "numbers": nu, "label_numbers": ln})
        con.register("_batch", batch)
        con.execute("INSERT INTO _w SELECT * FROM _batch")
        con.unregister("_batch")
    con.execute(f"""CREATE TABLE _weight AS SELECT stem, ln(1 + {int(n)}::DOUBLE / count(*)) AS weight
        FROM (SELECT unnest(stems) AS stem FROM _w) GROUP BY stem""")


def _copies(con, parent: np.ndarray) -> int:
    """Step 3: identical reports join their first; the representatives, with their copies'
    articles, are what pairs are made of. Returns their number."""
    con.execute("""CREATE TABLE _f AS
        SELECT m.*, w.stems, w.label_stems, w.numbers, w.label_numbers, coalesce(c.countries, []) AS countries,
               min(m.rank) OVER (PARTITION BY w.stems, m.start, m."end", coalesce(c.countries, []), m.event_type) AS rep
        FROM _m m JOIN _w w USING (rank) LEFT JOIN _countries c USING (rank)""")
    copies = con.execute("SELECT rank, rep FROM _f WHERE rank <> rep").fetchnumpy()
    parent[copies["rank"]] = copies["rep"]  # reps are roots: nothing joined them yet
    con.execute("""CREATE TABLE _rw AS SELECT rank, list(w.weight ORDER BY s.i) AS weights
        FROM (SELECT rank, unnest(stems) AS stem, unnest(range(len(stems))) AS i FROM _f WHERE rank = rep) s
        JOIN _weight w USING (stem) GROUP BY rank""")
    con.execute("""CREATE TABLE _r AS
        SELECT f.*, a.articles, a.one_article, coalesce(rw.weights, []) AS weights
        FROM _f f JOIN (SELECT rep, count(DISTINCT article) AS articles, min(article) AS one_article
                        FROM _f GROUP BY rep) a ON a.rep = f.rank LEFT JOIN _rw rw USING (rank)""")
    return con.execute("SELECT count(*) FROM _r").fetchall()[0][0]


_PAIR_COLUMNS = ("rank", "id", "article", "file", "outlet", "start", "end", "sentence", "label", "event_type",
                 "precision", "date_text", "place_id", "place_inferred", "spot_lat", "spot_lon", "days",
                 "stems", "label_stems", "numbers", "label_numbers", "countries", "weights")


def _pairs(con, parent: np.ndarray) -> tuple[int, int, dict]:
    """Steps 4 and 5: the pairs of each block, narrowed in DuckDB, judged by `joined`."""
    con.execute(f"""CREATE TABLE _blocks AS
        SELECT stem, rank FROM (SELECT rank, unnest(stems) AS stem FROM _r)
        QUALIFY count(*) OVER (PARTITION BY stem) BETWEEN 2 AND {MAX_POSTING}""")
    con.execute("CREATE TABLE _cand AS SELECT DISTINCT x.rank AS a, y.rank AS b FROM _blocks x "
                "JOIN _blocks y ON x.stem = y.stem AND x.rank < y.rank")
    candidates = con.execute("SELECT count(*) FROM _cand").fetchall()[0][0]
    # What group() requires of a pair before it weighs their words (its first tests, in SQL).
    con.execute("""CREATE TABLE _narrowed AS SELECT c.a, c.b FROM _cand c JOIN _r x ON x.rank = c.a JOIN _r y ON y.rank = c.b
        WHERE NOT (x.articles = 1 AND y.articles = 1 AND x.one_article = y.one_article)
          AND (len(x.countries) = 0 OR len(y.countries) = 0 OR list_has_any(x.countries, y.countries))
          AND (len(x.label_numbers) = 0 OR len(y.label_numbers) = 0 OR list_has_any(x.label_numbers, y.label_numbers))
          AND (x.event_type = y.event_type OR x.event_type = 'other' OR y.event_type = 'other')
          AND ((x.start IS NOT NULL AND y.start IS NOT NULL AND x.start <= y."end" AND y.start <= x."end")
               OR (x.event_type = y.event_type AND list_has_any(x.numbers, y.numbers)))
        ORDER BY c.a, c.b""")
    judged = con.execute("SELECT count(*) FROM _narrowed").fetchall()[0][0]
    columns = ", ".join(f'{side}."{c}" AS {side}_{c}' for side in "xy" for c in _PAIR_COLUMNS)
    found = {"joined": 0, "claims": []}
    width = len(_PAIR_COLUMNS)
    reader = con.sql(f"SELECT {columns} FROM _narrowed c JOIN _r x ON x.rank = c.a JOIN _r y ON y.rank = c.b "
                     "ORDER BY c.a, c.b").to_arrow_reader(BATCH)
    for batch in reader:
        for row in zip(*(col.to_pylist() for col in batch.columns)):
            a, b = _member(row[:width]), _member(row[width:])
            weight = dict(zip(row[width - 6], row[width - 1]))  # x's stems and weights
            weight.update(zip(row[2 * width - 6], row[2 * width - 1]))
            a.weight = sum(weight[w] for w in a.stems)
            b.weight = sum(weight[w] for w in b.stems)
            join, claim = corroborate.joined(a, b, weight)
            if join:
                _union(parent, a.seq, b.seq)
                found["joined"] += 1
                if claim:
                    found["claims"].append((a, b))
    return candidates, judged, found


def _member(row) -> Member:
    """A corroborate.Member of a row of _PAIR_COLUMNS (or its prefix): its seq is its rank."""
    (rank, event_id, article, file, outlet, start, end, sentence, label, event_type, precision, date_text,
     place_id, place_inferred, lat, lon, days, *words) = row
    m = Member(rank, event_id, article, file, outlet, start, end, sentence, frozenset(words[4] if len(words) > 4 else ()),
               label, event_type, precision, date_text, place_id, bool(place_inferred),
               (lat, lon) if lat is not None else None)
    if words:
        m.stems, m.label_stems, m.numbers, m.label_numbers = (frozenset(w) for w in words[:4])
    m.days = days
    return m


def _union(parent: np.ndarray, a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[ra] = rb


def _find(parent: np.ndarray, x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = int(parent[x])
    return x


def _roots(parent: np.ndarray) -> np.ndarray:
    """Every member's root, by pointer jumping over the whole array (a few passes)."""
    roots = parent.copy()
    while True:
        jumped = roots[roots]
        if np.array_equal(jumped, roots):
            return roots
        roots = jumped


_MULTI = pa.schema([("id", pa.string()), ("outlets", pa.int32()), ("sources", pa.int32()), ("start", pa.string()),
                    ("end", pa.string()), ("disagreement", pa.string()), ("label", pa.string()),
                    ("event_type", pa.string()), ("precision", pa.string()), ("date_text", pa.string()),
                    ("place_id", pa.int64()), ("lead_rank", pa.int64())])
_STORY_OF = pa.schema([("rank", pa.int64()), ("story_id", pa.string())])


def _write_generation(con, root: Path, parts: list[str], notes: dict, roots: np.ndarray) -> int:
    """Step 6 and the files: stories, events and parts of a new generation, then the pointer.
    Stories of more than one member go to DuckDB BATCH at a time, as they are made."""
    gen = f"{_now_stamp()}-{uuid.uuid4().hex[:8]}"
    folder = root / "stories" / gen
    folder.mkdir(parents=True)
    corrections = _story_corrections(con, root)
    held: list[Story] = []  # the stories corrections name, written once corrected
    rows, members = [], []
    con.execute("CREATE TABLE _multi (id VARCHAR, outlets INTEGER, sources INTEGER, start VARCHAR, \"end\" VARCHAR, "
                "disagreement VARCHAR, label VARCHAR, event_type VARCHAR, precision VARCHAR, date_text VARCHAR, "
                "place_id BIGINT, lead_rank BIGINT)")
    con.execute("CREATE TABLE _story_of_rank (rank BIGINT, story_id VARCHAR)")

    writer = con.cursor()  # the reader below holds `con`'s result open; tables are shared

    def flush() -> None:
        for table, arrow_schema, data in (("_multi", _MULTI, rows), ("_story_of_rank", _STORY_OF, members)):
            if data:
                writer.register("_flush", pa.Table.from_pylist([dict(zip(arrow_schema.names, r)) for r in data],
                                                               schema=arrow_schema))
                writer.execute(f"INSERT INTO {table} SELECT * FROM _flush")
                writer.unregister("_flush")
                data.clear()

    def add(story: Story) -> None:
        lead = story.lead  # its seq is a rank so far: the archive's seq replaces it below
        rows.append((story.id, story.outlets, len(story.members), lead.start, lead.end, story.disagreement,
                     lead.label, story.event_type, lead.precision, lead.date_text, story.place_id, lead.seq))
        members.extend((m.seq, story.id) for m in story.members if story.id != "s-" + m.id)

    named = corrections.named if corrections else set()
    reader = con.sql(f"""SELECT {', '.join('f."' + c + '"' for c in _PAIR_COLUMNS[:-1])}, c.first
        FROM _c c JOIN _f f USING (rank) WHERE c.size > 1 OR c.rank IN (SELECT unnest(?::BIGINT[]))
        ORDER BY c.first, c.rank""", params=[sorted(named)]).to_arrow_reader(BATCH)
    current, first = [], None
    for batch in reader:
        for row in zip(*(col.to_pylist() for col in batch.columns)):
            if row[-1] != first and current:
                _story(current, notes, roots, named, held, add)
                current = []
            first = row[-1]
            current.append(_member(row[:-1]))
        if len(rows) >= BATCH:
            flush()
    if current:
        _story(current, notes, roots, named, held, add)
    if held:
        for story in corrections.apply(held):
            add(story)
    flush()
    writer.close()
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


def _story(members: list[Member], notes: dict, roots, named: set, held: list, add) -> None:
    members.sort(key=lambda m: m.seq)
    note = notes.get(int(roots[members[0].seq]))
    story = Story("s-" + members[0].id, members, "; ".join(note) if note else None)
    if named and any(m.seq in named for m in members):
        held.append(story)
    else:
        add(story)


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
