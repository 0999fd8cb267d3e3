"""Stories of many events in bounded memory: corroborate.group's stories, computed in blocks in
DuckDB (which spills to disk past its memory limit) instead of with every event in Python.

group() holds every event, its words and its candidate pairs in Python: about 5 kB an event, so
a store of 50,000 articles needed gigabytes. Here the events stay in DuckDB and only integers
(a parent per event) and one pair of events at a time come to Python. The caller fills two
tables of a DuckDB connection and calls `group_in_blocks`:

    _m          rank (0.. in ingest order), seq, id, article, file, outlet, start, "end", sentence,
                label, event_type, precision, date_text, place_id, place_inferred, spot_lat,
                spot_lon (a named city's or site's point, else NULL), days
    _countries  rank, countries (the sorted countries of the location and of every place named)

The steps, each giving what group() gives:
1. Words: each sentence's stems and numbers and its label's (corroborate.stems, numbers), in
   batches; each stem's rarity `ln(1 + n / df)` over all members.
2. Copies (the same stems, dates, countries and type: syndicated copies) join their first.
3. Blocks: a candidate pair shares a word that at most MAX_POSTING representatives use, which is
   group()'s own rule (corroborate._candidate_pairs), so pairs grow with the events, not with
   their square. A block's pairs are narrowed in DuckDB by what corroborate.joined requires
   before it weighs words: two articles, countries that meet, compatible types and figures,
   dates that meet or a number in common (the same claim across dates).
4. Each pair left is judged by corroborate.joined; joined pairs and copies are unions of a
   union-find over integers.

`story_table()` then makes one row per story of more than one member, with the lead, type,
place and outlets that corroborate.Story gives (in SQL: its members stay in DuckDB), `singles()`
yields the rest as rows, and `stories()` the few the analyst's corrections name as
corroborate.Story, to be corrected in Python.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from . import corroborate
from .corroborate import MAX_POSTING, Member, Story

# Rows that come to Python at once: each is a few kB once its words are Python objects.
BATCH = 10_000  # members whose words are made in one go, or read back into stories
PAIR_SLICE = 5_000  # pairs (two members' rows each) judged in one go
PAIRS_PER_SLICE = 2_000_000  # candidate pairs (counted with repeats) made distinct in one go
# DuckDB's share of memory while grouping: past it, its tables spill to a scratch folder. Its
# default (80% of the machine) would take what an ingest beside it needs, and it fills what it
# is given: at 430,000 events the grouping's process peaked at 566 MB with 256MB on two threads,
# 431-459 with 160MB on one, against 358 MB at 85,000 events. Too little fails: 96MB did.
MEMORY_LIMIT = os.environ.get("TIMELINE_REGROUP_MEMORY", "160MB")
# One thread: each of DuckDB's keeps its own hash tables and sort runs within that share. With
# two, 160MB failed once in three runs at 430,000 events (128MB too); with one, 128MB passed
# twice. The judging of pairs, in Python, is most of the time either way.
THREADS = 1

MEMBER_COLUMNS = ("rank", "seq", "id", "article", "file", "outlet", "start", "end", "sentence", "label",
                  "event_type", "precision", "date_text", "place_id", "place_inferred", "spot_lat", "spot_lon",
                  "days")
_PAIR_COLUMNS = (*MEMBER_COLUMNS, "stems", "label_stems", "numbers", "label_numbers", "countries", "weights")


@dataclass
class Grouping:
    """The union-find of every member (by rank) and what the pairs said."""

    roots: np.ndarray
    notes: dict[int, dict[str, None]] = field(default_factory=dict)  # root -> the disagreements, in order
    counts: dict[str, int] = field(default_factory=dict)


def group_in_blocks(con) -> Grouping:
    n = con.execute("SELECT count(*) FROM _m").fetchall()[0][0]
    _words(con, n)
    parent = np.arange(n, dtype=np.int64)
    counts = {"members": n, "representatives": _copies(con, parent)}
    counts["candidate_pairs"], counts["pairs_judged"], joined, claims = _pairs(con, parent)
    counts["joined"] = joined
    roots = _roots(parent)
    con.register("_roots_arrow", pa.table({"rank": np.arange(n, dtype=np.int64), "root": roots}))
    con.execute("CREATE TABLE _c AS SELECT rank, min(rank) OVER (PARTITION BY root) AS first, "
                "count(*) OVER (PARTITION BY root) AS size FROM _roots_arrow")
    con.unregister("_roots_arrow")
    notes: dict[int, dict[str, None]] = defaultdict(dict)  # a dict as an ordered set, as group() keeps them
    for rank, note in claims:
        notes[int(roots[rank])][note] = None
    return Grouping(roots, notes, counts)


def story_table(con, grouping: Grouping, skip: list[int] = ()) -> None:
    """Table _story: each story of more than one member (but those with a member whose rank is in
    `skip`), one row each, with corroborate.Story's id, outlets, sources, type, place and
    disagreement and its lead's rank and words; made in DuckDB, as Story's properties make them
    in Python. A story's members never come to Python: chained reports make stories of tens of
    thousands of members (30,000 in 427,000 synthetic events), and as Members they held 200 MB.
    The story of each member is _c's `first` (the rank of its first member)."""
    notes = [(root, "; ".join(note)) for root, note in grouping.notes.items() if note]
    con.register("_notes_arrow", pa.table({"root": pa.array([r for r, _ in notes], pa.int64()),
                                           "note": pa.array([n for _, n in notes], pa.string())}))
    con.execute("""CREATE OR REPLACE TABLE _sm AS
        SELECT c.first, c.rank, f.outlet, f.label_stems, f.event_type, f.place_id, f.place_inferred, f.days
        FROM _c c JOIN _f f USING (rank)
        WHERE c.size > 1 AND c.first NOT IN (SELECT first FROM _c WHERE rank IN (SELECT unnest(?::BIGINT[])))""",
                [sorted(skip)])
    # Story.lead: the most precise date, then the label sharing most words with the others'
    # labels (each of its stems counts the other members that have it), a named outlet, the first.
    con.execute("""CREATE OR REPLACE TABLE _lead AS
        WITH words AS (SELECT first, rank, unnest(label_stems) AS stem FROM _sm),
             shared AS (SELECT first, stem, count(*) - 1 AS others FROM words GROUP BY ALL),
             score AS (SELECT w.rank, sum(s.others) AS shared FROM words w JOIN shared s USING (first, stem) GROUP BY ALL)
        SELECT first, rank AS lead_rank, event_type AS lead_type FROM (
            SELECT m.first, m.rank, m.event_type, row_number() OVER (PARTITION BY m.first ORDER BY
                CASE WHEN m.days = 0 THEN 1000000000 ELSE m.days END, -coalesce(s.shared, 0), m.outlet IS NULL, m.rank) AS r
            FROM _sm m LEFT JOIN score s USING (rank)) WHERE r = 1""")
    # Story.event_type: the type most members give, the lead's on a tie, else the first told;
    # Story.place_id: where most put it, named places before inferred ones, else the first told.
    con.execute("""CREATE OR REPLACE TABLE _story AS
        WITH types AS (SELECT first, event_type, count(*) AS n, min(rank) AS first_at FROM _sm GROUP BY ALL),
             kind AS (SELECT first, arg_max(event_type, [n, (event_type = lead_type)::BIGINT, -first_at]) AS event_type
                      FROM types JOIN _lead USING (first) GROUP BY first),
             spots AS (SELECT first, place_id, NOT place_inferred AS named, count(*) AS n, min(rank) AS first_at
                       FROM _sm WHERE place_id IS NOT NULL GROUP BY ALL),
             spot AS (SELECT first, arg_max(place_id, [named::BIGINT, n, -first_at]) AS place_id FROM spots GROUP BY first),
             sizes AS (SELECT first, count(*) AS sources,
                              count(DISTINCT nullif(outlet, '')) + max((coalesce(outlet, '') = '')::INTEGER) AS outlets
                       FROM _sm GROUP BY first)
        SELECT z.first, 's-' || f.id AS id, z.outlets, z.sources, lf.start, lf."end", n.note AS disagreement,
               lf.label, k.event_type, lf.precision, lf.date_text, p.place_id, l.lead_rank, lf.seq AS lead_seq
        FROM sizes z JOIN _lead l USING (first) JOIN kind k USING (first) LEFT JOIN spot p USING (first)
        JOIN _m f ON f.rank = z.first JOIN _m lf ON lf.rank = l.lead_rank
        LEFT JOIN (SELECT c.first, n.note FROM _notes_arrow n JOIN _c c ON c.rank = n.root) n USING (first)""")
    con.unregister("_notes_arrow")
    con.execute("DROP TABLE _sm")
    con.execute("DROP TABLE _lead")


def stories(con, grouping: Grouping, only: list[int]):
    """The stories with a member whose rank is in `only` (those the analyst's corrections name),
    as corroborate.Story whose members' `seq` is their rank, in the order of their first."""
    if not only:
        return
    reader = con.sql(f"""SELECT {', '.join('f."' + c + '"' for c in _PAIR_COLUMNS[:-1])}, c.first
        FROM _c c JOIN _f f USING (rank)
        WHERE c.first IN (SELECT first FROM _c WHERE rank IN (SELECT unnest(?::BIGINT[])))
        ORDER BY c.first, c.rank""", params=[sorted(only)]).to_arrow_reader(BATCH)
    current, first = [], None
    for batch in reader:
        for row in zip(*(col.to_pylist() for col in batch.columns)):
            if row[-1] != first and current:
                yield _story(current, grouping)
                current = []
            first = row[-1]
            current.append(member(row[:-1]))
    if current:
        yield _story(current, grouping)


def singles(con, skip: list[int] = ()):
    """The members that are a story alone (but those in `skip`), as rows of _m's columns."""
    reader = con.sql(f"""SELECT {', '.join('m."' + c + '"' for c in MEMBER_COLUMNS)} FROM _c c JOIN _m m USING (rank)
        WHERE c.size = 1 AND c.rank NOT IN (SELECT unnest(?::BIGINT[])) ORDER BY c.rank""",
                     params=[sorted(skip)]).to_arrow_reader(BATCH)
    for batch in reader:
        yield from (dict(zip(MEMBER_COLUMNS, row)) for row in zip(*(col.to_pylist() for col in batch.columns)))


def member(row) -> Member:
    """A corroborate.Member of a row of _PAIR_COLUMNS (or its prefix): its seq is its rank."""
    (rank, _seq, event_id, article, file, outlet, start, end, sentence, label, event_type, precision, date_text,
     place_id, place_inferred, lat, lon, days, *words) = row
    m = Member(rank, event_id, article, file, outlet, start, end, sentence, frozenset(words[4] if len(words) > 4 else ()),
               label, event_type, precision, date_text, place_id, bool(place_inferred),
               (lat, lon) if lat is not None else None)
    if words:
        m.stems, m.label_stems, m.numbers, m.label_numbers = (frozenset(w) for w in words[:4])
    m.days = days
    return m


def _story(members: list[Member], grouping: Grouping) -> Story:
    members.sort(key=lambda m: m.seq)
    note = grouping.notes.get(int(grouping.roots[members[0].seq]))
    return Story("s-" + members[0].id, members, "; ".join(note) if note else None)


def _words(con, n: int) -> None:
    """Step 1: stems and numbers of sentence and label, in batches; the rarity of each stem."""
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
        con.register("_batch", pa.table({"rank": pa.array(ranks, pa.int64()), "stems": st, "label_stems": ls,
                                         "numbers": nu, "label_numbers": ln}))
        con.execute("INSERT INTO _w SELECT * FROM _batch")
        con.unregister("_batch")
    con.execute(f"""CREATE TABLE _weight AS SELECT stem, ln(1 + {int(n)}::DOUBLE / count(*)) AS weight
        FROM (SELECT unnest(stems) AS stem FROM _w) GROUP BY stem""")


def _copies(con, parent: np.ndarray) -> int:
    """Step 2: identical reports join their first; the representatives, with their copies'
    articles, are what pairs are made of. Returns their number."""
    # A copy's key is hashed: a window partitioned by the lists themselves (stems, countries)
    # ran out of 192 MB at 430,000 events, one over integers does not. Only the reports whose
    # hash's first report is another (few) are then checked against it on the whole key, so two
    # reports whose keys only share a hash are never joined (they stay apart, each a
    # representative), and no join holds every report's key.
    con.execute("""CREATE TABLE _h AS SELECT rank, min(rank) OVER (PARTITION BY h) AS first FROM (
            SELECT m.rank, hash(w.stems, m.start, m."end", coalesce(c.countries, []), m.event_type) AS h
            FROM _m m JOIN _w w USING (rank) LEFT JOIN _countries c USING (rank))""")
    con.execute("""CREATE TABLE _rep AS SELECT h.rank, h.first AS rep FROM _h h
        JOIN _m mx ON mx.rank = h.rank JOIN _m my ON my.rank = h.first
        JOIN _w wx ON wx.rank = h.rank JOIN _w wy ON wy.rank = h.first
        LEFT JOIN _countries cx ON cx.rank = h.rank LEFT JOIN _countries cy ON cy.rank = h.first
        WHERE h.rank <> h.first AND wx.stems = wy.stems AND mx.start IS NOT DISTINCT FROM my.start
          AND mx."end" IS NOT DISTINCT FROM my."end" AND mx.event_type = my.event_type
          AND coalesce(cx.countries, []) = coalesce(cy.countries, [])""")
    con.execute("DROP TABLE _h")
    # Without the sentences (their words are in stems; nothing after reads them): _f and _r
    # are sorted and joined whole, and the sentences were most of their bytes.
    con.execute("""CREATE TABLE _f AS
        SELECT m.* REPLACE ('' AS sentence), w.stems, w.label_stems, w.numbers, w.label_numbers,
               coalesce(c.countries, []) AS countries, coalesce(r.rep, m.rank) AS rep
        FROM _m m JOIN _w w USING (rank) LEFT JOIN _countries c USING (rank) LEFT JOIN _rep r USING (rank)""")
    con.execute("DROP TABLE _rep")
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


def _pairs(con, parent: np.ndarray) -> tuple[int, int, int, list]:
    """Steps 3 and 4: the pairs of each block, narrowed in DuckDB, judged by corroborate.joined.
    Returns (candidate pairs, pairs judged, pairs joined, [(rank, note)] of those joined as
    the same claim across dates)."""
    # A GROUP BY and a join, not a window over the stems: DuckDB spills those to disk in parts.
    con.execute(f"""CREATE TABLE _blocks AS WITH words AS (SELECT rank, unnest(stems) AS stem FROM _r)
        SELECT stem, rank FROM words JOIN (SELECT stem FROM words GROUP BY stem
                                           HAVING count(*) BETWEEN 2 AND {MAX_POSTING}) USING (stem)""")
    # Each pair once, however many words its two share, made distinct in slices of its first
    # member: the DISTINCT of all at once grew its hash table past DuckDB's share (it asked for
    # 64 MiB more at 85,000 events, in 160MB). A pair is in one slice only, so each is distinct.
    (bound,) = con.execute("SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM (SELECT count(*) AS n FROM _blocks "
                           "GROUP BY stem)").fetchall()[0]
    slices = max(1, -(-int(bound) // PAIRS_PER_SLICE))
    con.execute("CREATE TABLE _cand (a BIGINT, b BIGINT)")
    for part in range(slices):
        con.execute("INSERT INTO _cand SELECT DISTINCT x.rank AS a, y.rank AS b FROM _blocks x "
                    f"JOIN _blocks y ON x.stem = y.stem AND x.rank < y.rank WHERE x.rank % {slices} = {part}")
    candidates = con.execute("SELECT count(*) FROM _cand").fetchall()[0][0]
    # What corroborate.joined requires of a pair before it weighs their words, in SQL.
    con.execute("""CREATE TABLE _narrowed AS SELECT row_number() OVER (ORDER BY c.a, c.b) AS i, c.a, c.b
        FROM _cand c JOIN _r x ON x.rank = c.a JOIN _r y ON y.rank = c.b
        WHERE NOT (x.articles = 1 AND y.articles = 1 AND x.one_article = y.one_article)
          AND (len(x.countries) = 0 OR len(y.countries) = 0 OR list_has_any(x.countries, y.countries))
          AND (len(x.label_numbers) = 0 OR len(y.label_numbers) = 0 OR list_has_any(x.label_numbers, y.label_numbers))
          AND (x.event_type = y.event_type OR x.event_type = 'other' OR y.event_type = 'other')
          AND ((x.start IS NOT NULL AND y.start IS NOT NULL AND x.start <= y."end" AND y.start <= x."end")
               OR (x.event_type = y.event_type AND list_has_any(x.numbers, y.numbers)))""")
    judged = con.execute("SELECT count(*) FROM _narrowed").fetchall()[0][0]
    columns = ", ".join(f'{side}."{c}" AS {side}_{c}' for side in "xy" for c in _PAIR_COLUMNS)
    joined, claims = 0, []
    width = len(_PAIR_COLUMNS)
    # In slices of the pairs' order: sorting every wide pair row at once needed more memory
    # than the rest of the grouping together.
    for low in range(1, judged + 1, PAIR_SLICE):
        batch = con.sql(f"SELECT {columns} FROM _narrowed c JOIN _r x ON x.rank = c.a JOIN _r y ON y.rank = c.b "
                        f"WHERE c.i >= {low} AND c.i < {low + PAIR_SLICE} ORDER BY c.i").to_arrow_table()
        for row in zip(*(col.to_pylist() for col in batch.columns)):
            a, b = member(row[:width]), member(row[width:])
            weight = dict(zip(row[width - 6], row[width - 1]))  # x's stems and weights
            weight.update(zip(row[2 * width - 6], row[2 * width - 1]))
            a.weight = sum(weight[w] for w in a.stems)
            b.weight = sum(weight[w] for w in b.stems)
            join, across_dates = corroborate.joined(a, b, weight)
            if join:
                _union(parent, a.seq, b.seq)
                joined += 1
                if across_dates:  # the note, not the members: there may be many
                    claims.append((a.seq, corroborate.disagreement(a, b)))
    return candidates, judged, joined, claims


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
