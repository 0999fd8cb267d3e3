"""What each view of the dashboard needs from an archive, aggregated in DuckDB: the same answers
as dashboard/data.py gives over SQLite (timeline rows or counts per lane and period, the
histogram, the places of the map, the counts of the selection line), at 10,000,000 events.

`Frame(con)` loads the events once, from open_archive's views, into one in-memory table `ev`,
with small integer codes beside the text (outlet, type, place, story, the
name and country a map marker stands for) and the week and month each event starts in: a
GROUP BY over SMALLINT codes of 10,000,000 rows takes 30-130 ms on two threads, over the
VARCHARs 400-500 ms, and a join to articles per query 15 s. Rejected events are left out at
load: no view shows them. A story is a 63-bit hash of its id (count(DISTINCT) of a VARCHAR cost
three times an integer's; two of 10,000,000 ids share a hash once in 200,000 archives).

Each set of filters becomes a selection once (`select()`): a condition over the codes, which
DuckDB tests in its scan (30 ms for an outlet over 10,000,000 rows), or, when the condition is
dear (a text search reads every sentence, a place every event's named places), a temporary
table of the codes of the rows it matched, which every view of that state then aggregates:
the sentences are read once per search, not once per view. The last few selections are kept.
Filters of outlets, types and a story's outlets alone are answered from two cubes made at load
(counts by those and the week and month, or the map's marker): some 10^5 cells, not 10^7 rows.
Past MAX_POINTS marks the timeline counts, and names the most-told story of each stretch.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

# The SQLite views' bounds: the same timeline of the same events.
from ..dashboard.data import HOVER_CHARS, MAX_POINTS, MAX_ROWS, MAX_SPREAD_MONTHS, MAX_WEEKLY_DAYS, MONTH_DAYS
from ..query import UNKNOWN_OUTLET, Filters
from . import query as archive_query
from .search import Background, folded_words, text_condition

TOP_SLICES = 8  # counts name the most-told story of each eighth of their time
EXACT_STORIES = 250_000  # selections up to this many events count a place's stories exactly;
# above, by HyperLogLog (about 2% off: the exact count took 650 ms at 10,000,000, the estimate
# 85), or not at all where the counts come from the cubes (stories do not add up over cells)
KEPT_SELECTIONS = 6
# The columns a selection copies: what the aggregates read. Rows drawn one by one (at most
# MAX_POINTS) take their words from ev by seq.
CODED = ("e.seq, e.d0, e.d1, e.days, e.week, e.month, e.type_k, e.outlet_k, e.place_k, e.marker, e.place_pick, "
         "e.story_k, e.story_outlets")
CUBE_OUTLETS = 5  # the cubes count a story's outlets up to this (the dashboard's slider goes to 5)
PICK = 1 << 32  # place_pick = rank * PICK + place_k: its min() is the most precise place of a marker
EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


class Frame:
    """The archive's events in memory, coded for aggregation, and the selections of recent filters."""

    def __init__(self, con, threads: int | None = None, index_words: bool = True):
        self.con = con
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        self._load()
        self.selections: OrderedDict = OrderedDict()
        self._made = 0
        # The word index, built while the dashboard already answers (by scanning, meanwhile).
        self.words = Background(con, "ev", CODED) if index_words else None

    def _load(self) -> None:
        con = self.con
        con.execute("CREATE OR REPLACE TEMP TABLE outlet_code AS SELECT (row_number() OVER (ORDER BY outlet NULLS FIRST) - 1)::SMALLINT AS k, "
                    "outlet AS name FROM (SELECT DISTINCT outlet FROM articles)")  # NULL first, as in SQLite's order
        con.execute("CREATE OR REPLACE TEMP TABLE type_code AS SELECT (row_number() OVER (ORDER BY event_type) - 1)::SMALLINT "
                    "AS k, event_type AS name FROM (SELECT DISTINCT event_type FROM events)")
        # A marker of the map is a name and country (a city and a region of one name are one),
        # drawn at the most precise place of those its events are at, as data.places does.
        con.execute("""CREATE OR REPLACE TEMP TABLE place_code AS SELECT (row_number() OVER (ORDER BY id) - 1)::INTEGER AS k,
            id, name, country, kind, lat, lon,
            CASE kind WHEN 'facility' THEN 0 WHEN 'city' THEN 1 WHEN 'region' THEN 2 ELSE 3 END AS rank,
            (dense_rank() OVER (ORDER BY name, country) - 1)::INTEGER AS marker FROM places""")
        con.execute(f"""CREATE OR REPLACE TABLE ev AS SELECT e.seq, e.id, e.article_id, e.sentence,
            e.sentence_start, e.date_text, e.date_start, e.date_end, e.value, e.start, e."end", e.precision,
            e.place_text, e.place_start, e.place_end, e.place_inferred, e.story_id, e.label, e.event_type,
            e.corrected, e.place_id,
            (e.start::DATE - DATE '1970-01-01')::INTEGER AS d0, (e."end"::DATE - DATE '1970-01-01')::INTEGER AS d1,
            e.days, date_trunc('week', e.start::DATE)::DATE AS week, date_trunc('month', e.start::DATE)::DATE AS month,
            t.k AS type_k, o.k AS outlet_k, p.k AS place_k, p.marker, p.rank::BIGINT * {PICK} + p.k AS place_pick, coalesce(s.outlets, 1)::SMALLINT AS story_outlets,
            s.id IS NOT NULL AS in_stories, {folded_words('e.sentence')} AS words, coalesce(e.story_id, 'e:' || e.seq) AS story_key,
            (hash(coalesce(e.story_id, 'e:' || e.seq)) >> 1)::BIGINT AS story_k
            FROM events e JOIN articles a ON a.id = e.article_id
            JOIN outlet_code o ON o.name IS NOT DISTINCT FROM a.outlet JOIN type_code t ON t.name = e.event_type
            LEFT JOIN place_code p ON p.id = e.place_id LEFT JOIN stories s ON s.id = e.story_id
            WHERE e.rejected = 0""")
        con.execute("CREATE OR REPLACE TEMP TABLE ev_places AS SELECT ep.event_seq AS seq, p.k AS place_k, "
                    'ep.text, ep.start, ep."end" FROM event_places ep JOIN place_code p ON p.id = ep.place_id')
        con.execute("CREATE OR REPLACE TEMP TABLE story AS SELECT * FROM stories")
        # What the sources panel shows of an article (its text stays in the Parquet parts).
        con.execute("CREATE OR REPLACE TEMP TABLE article AS SELECT id, file, outlet, title, url, published, author "
                    "FROM articles")
        self._cubes()
        # Rows looked up by their ids (a story's words, a clicked event's article): without an
        # index, `seq IN (8 values)` scanned all of ev (0.1 s a million events), and a join to
        # story or article hashed all of it.
        con.execute("CREATE INDEX ev_seq ON ev (seq)")
        con.execute("CREATE INDEX story_id ON story (id)")
        con.execute("CREATE INDEX article_id ON article (id)")
        self.outlets = dict(con.execute("SELECT k, name FROM outlet_code").fetchall())
        self.types = dict(con.execute("SELECT k, name FROM type_code").fetchall())
        self.events = con.execute("SELECT count(*) FROM ev").fetchall()[0][0]

    def _cubes(self) -> None:
        """Counts per outlet, type and story's outlets (the filters of most changes): `tcube` by
        week and month (and span, for the vaguer dates), `pcube` by map marker. A filter change
        on those reads some 10^5 cells instead of 10^7 events: 10-40 ms a view, not 100-500."""
        self.con.execute(f"""CREATE OR REPLACE TEMP TABLE tcube AS SELECT outlet_k, type_k,
            least(story_outlets, {CUBE_OUTLETS})::SMALLINT AS story_outlets, week, month,
            CASE WHEN days > {MONTH_DAYS} THEN d0 END AS vd0, CASE WHEN days > {MONTH_DAYS} THEN d1 END AS vd1,
            place_k IS NOT NULL AS placed, count(*) AS n, min(d0) AS d0, max(d0) AS last_d0 FROM ev GROUP BY ALL""")
        self.con.execute(f"""CREATE OR REPLACE TEMP TABLE pcube AS SELECT outlet_k, type_k,
            least(story_outlets, {CUBE_OUTLETS})::SMALLINT AS story_outlets, marker, count(*) AS n,
            count(*) - count(d0) AS undated, min(place_pick) AS place_pick FROM ev WHERE marker IS NOT NULL GROUP BY ALL""")

    # --- selections -------------------------------------------------------------------------

    def select(self, filters: Filters) -> "Selection":
        """The events matching `filters`: a condition over ev, or, when the condition is dear
        (a text search, places named), the table of the rows it matched, made once."""
        key = _key(filters)
        if key in self.selections:
            self.selections.move_to_end(key)
            return self.selections[key]
        if filters.query or filters.places:
            self._made += 1
            name = f"sel_{self._made}"
            rows = self._indexed(filters.query)
            found = Selection(name, "", [])
            if rows is None:
                sql, params = self.where(filters)
                self.con.execute(f"CREATE TEMP TABLE {name} AS SELECT {CODED} FROM ev e WHERE {sql}", params)
            else:  # the words' rows of ev, their coded columns taken, and the other filters applied
                sql, params = self.where(dataclasses.replace(filters, query=""))
                taken = self.words.index.take(rows)
                if not sql:  # the rows taken are the selection: DuckDB reads them where they are
                    self.con.register(name, taken)
                    found.registered = True
                else:
                    self.con.register("_matched", taken)
                    try:
                        self.con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM _matched e WHERE {sql}", params)
                    finally:
                        self.con.unregister("_matched")
        else:
            sql, params = self.where(filters)
            cube = not (filters.since or filters.until) and filters.min_outlets <= CUBE_OUTLETS
            found = Selection("ev", sql, params, cube=cube)
        self.selections[key] = found
        while len(self.selections) > KEPT_SELECTIONS:
            _, old = self.selections.popitem(last=False)
            if old.registered:
                self.con.unregister(old.table)
            elif old.table != "ev":
                self.con.execute(f"DROP TABLE IF EXISTS {old.table}")
        return found

    def _indexed(self, query: str):
        """The rows of ev matching a text search, from the word index when it is ready and
        answers it; else None (the scan answers)."""
        if not query or self.words is None or self.words.index is None:
            return None
        return self.words.index.matches(query)

    def where(self, filters: Filters) -> tuple[str, list]:
        """The condition of `filters` over ev e (query.where's meaning, on the codes)."""
        clauses, params = [], []
        if filters.outlets:
            wanted = {_nocase(o) for o in filters.outlets if o != UNKNOWN_OUTLET}
            codes = [k for k, name in self.outlets.items()
                     if (name is None and UNKNOWN_OUTLET in filters.outlets) or (name is not None and _nocase(name) in wanted)]
            clauses.append(_in("e.outlet_k", codes))
        if filters.since:
            clauses.append("e.d1 >= ?")
            params.append(day_number(filters.since))
        if filters.until:
            clauses.append("e.d0 <= ?")
            params.append(day_number(filters.until))
        if filters.span_days() and not filters.vaguer:
            clauses.append("e.days <= ?")
            params.append(filters.span_days())
        if filters.event_types:
            clauses.append(_in("e.type_k", [k for k, name in self.types.items() if name in filters.event_types]))
        if filters.places:
            marks = ",".join([archive_query.nocase("?")] * len(filters.places))
            codes = [r[0] for r in self.con.execute(
                f"SELECT k FROM place_code WHERE {archive_query.nocase('name')} IN ({marks})", list(filters.places)).fetchall()]
            listed = ",".join(map(str, codes)) or "NULL"
            clauses.append(f"(e.place_k IN ({listed}) OR e.seq IN (SELECT seq FROM ev_places WHERE place_k IN ({listed})))")
        if filters.query:
            sql, words = text_condition(filters.query)
            if sql:
                clauses.append(sql)
                params += words
        if filters.min_outlets > 1:
            clauses.append("e.story_outlets >= ?")
            params.append(filters.min_outlets)
        return " AND ".join(clauses), params

    def by_ids(self, table: str, column: str, ids, columns: str = "*") -> dict:
        """Rows of `table` whose `column` is one of `ids`, by that value: a list of constants,
        which DuckDB looks up in the table's index (a join or IN (subquery) reads all of it)."""
        ids = list(dict.fromkeys(i for i in ids if i is not None))
        if not ids:
            return {}
        listed = ",".join(str(int(i)) if isinstance(i, int) else "'" + _sql_text(i) + "'" for i in ids)
        rows = self.dicts(f"SELECT {column} AS _id, {columns} FROM {table} WHERE {column} IN ({listed})")
        return {r.pop("_id"): r for r in rows}

    def query(self, sql: str, params=()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()

    def dicts(self, sql: str, params=()) -> list[dict]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


@dataclass
class Selection:
    """`FROM table e WHERE where`: the events of one set of filters."""

    table: str
    where: str
    params: list
    cube: bool = False  # the condition names only columns of the cubes (outlet, type, story's outlets)
    registered: bool = False  # `table` is an Arrow table of the word index's rows, not a DuckDB one
    counts: dict | None = None  # undated_without_place's, once asked
    counted: dict = field(default_factory=dict)  # _counts's, by lane

    def sql(self, *also: str, join: str = "", table: str | None = None) -> str:
        """FROM and WHERE, with more conditions (`also`) and tables (`join`) when asked; over
        `table` (a cube) instead of the selection's own when given."""
        conditions = [c for c in (self.where, *also) if c]
        return f"FROM {table or self.table} e {join}" + (" WHERE " + " AND ".join(conditions) if conditions else "")


_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _nocase(text: str) -> str:
    """SQLite's NOCASE: A-Z folded, nothing else (archive.query.nocase, in Python)."""
    return text.translate(_FOLD)


def _in(column: str, codes: list[int]) -> str:
    return f"{column} IN ({','.join(map(str, codes))})" if codes else "false"


def _key(filters: Filters) -> tuple:
    return (tuple(sorted(_nocase(o) for o in filters.outlets)), filters.since, filters.until,
            tuple(sorted(_nocase(p) for p in filters.places)), filters.query, filters.min_outlets,
            tuple(sorted(filters.event_types)), filters.vaguer and bool(filters.span_days()))


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


# --- the views ---------------------------------------------------------------------------------

LANE_KEYS = {"type": "type_k", "outlet": "outlet_k", "place": "place_k"}  # plain columns of ev


def timeline(frame: Frame, filters: Filters, group_by: str, view: str = "stories") -> dict:
    """data.timeline's answer: rows of stories or events to draw, or counts per lane and period."""
    group_by = group_by if group_by in LANE_KEYS else "type"
    sel = frame.select(filters)
    dated = sel.sql("e.d0 IS NOT NULL")
    if view == "stories":
        # Counted only up to MAX_POINTS + 1: past that the timeline shows counts.
        total = frame.query(f"SELECT count(*) FROM (SELECT DISTINCT e.story_k {dated} LIMIT {MAX_POINTS + 1})",
                            sel.params)[0][0]
        if total <= MAX_POINTS:
            return {"mode": "stories", "total": total, "rows": _story_rows(frame, sel, group_by)}
    else:
        total = (frame.query(f"SELECT sum(e.n) {sel.sql('e.d0 IS NOT NULL', table='tcube')}", sel.params)[0][0] or 0
                 if sel.cube else frame.query(f"SELECT count(*) {dated}", sel.params)[0][0])
        if total <= MAX_POINTS:
            return {"mode": "events", "total": total, "rows": _event_rows(frame, sel, group_by)}
    return _counts(frame, sel, group_by, total)


def _story_rows(frame: Frame, sel: Selection, group_by: str) -> list[dict]:
    """The stories with an event that matches, drawn at the story's own date (its lead's)."""
    lane = {"type": "coalesce(s.event_type, le.event_type)", "place": "coalesce(pc.name, '(no place)')",
            "outlet": "CASE WHEN coalesce(s.outlets, 1) > 1 THEN '(several outlets)' ELSE m.one_outlet END"}[group_by]
    # The big tables (ev, story) are narrowed by IN (subquery) before they are joined: DuckDB
    # hashes the right side of a join, and hashing all of ev or story took a second at 10,000,000.
    return frame.dicts(
        f"""WITH g AS (SELECT e.story_k, count(*) AS n, min(e.seq) AS first_seq,
                  min(coalesce(o.name, '{UNKNOWN_OUTLET}')) AS one_outlet
                {sel.sql("e.d0 IS NOT NULL", join="LEFT JOIN outlet_code o ON o.k = e.outlet_k")}
                GROUP BY 1),
            firsts AS (SELECT seq, story_key FROM ev WHERE seq IN (SELECT first_seq FROM g)),
            m AS (SELECT f.story_key AS id, g.* FROM g JOIN firsts f ON f.seq = g.first_seq),
            s AS (SELECT * FROM story WHERE id IN (SELECT id FROM m)),
            le AS (SELECT * FROM ev WHERE seq IN (SELECT coalesce(s.lead_seq, m.first_seq) FROM m LEFT JOIN s ON s.id = m.id))
            SELECT 's:' || m.id AS key, m.id AS story, {lane} AS row, coalesce(s.start, le.start) AS start,
              coalesce(s."end", le."end") AS "end", coalesce(s.precision, le.precision) AS precision,
              coalesce(s.label, le.label) AS label, coalesce(s.event_type, le.event_type) AS event_type,
              coalesce(s.date_text, le.date_text) AS date_text, coalesce(s.outlets, 1) AS outlets,
              coalesce(s.sources, 1) AS n, s.disagreement, coalesce(pc.name, '') AS place
            FROM m LEFT JOIN s ON s.id = m.id
            JOIN le ON le.seq = coalesce(s.lead_seq, m.first_seq)
            LEFT JOIN place_code pc ON pc.id = coalesce(s.place_id, le.place_id)
            WHERE coalesce(s.start, le.start) IS NOT NULL ORDER BY 4, 1""", sel.params)


def _event_rows(frame: Frame, sel: Selection, group_by: str) -> list[dict]:
    lane = {"type": "f.event_type", "outlet": f"coalesce(o.name, '{UNKNOWN_OUTLET}')",
            "place": "coalesce(pc.name, '(no place)')"}[group_by]
    return frame.dicts(
        f"""WITH f AS (SELECT * FROM ev WHERE seq IN (SELECT e.seq {sel.sql("e.d0 IS NOT NULL")})),
            s AS (SELECT id, disagreement FROM story WHERE id IN (SELECT story_id FROM f))
            SELECT 'e:' || f.seq AS key, f.seq, {lane} AS row, f.start, f."end", f.precision,
              f.value, f.date_text, f.label, f.event_type, coalesce(pc.name, '') AS place,
              coalesce(o.name, '{UNKNOWN_OUTLET}') AS outlet, substr(f.sentence, 1, {HOVER_CHARS}) AS sentence,
              (length(f.sentence) > {HOVER_CHARS})::INTEGER AS cut, f.story_outlets AS outlets, s.disagreement
            FROM f LEFT JOIN outlet_code o ON o.k = f.outlet_k
            LEFT JOIN place_code pc ON pc.k = f.place_k LEFT JOIN s ON s.id = f.story_id
            ORDER BY f.start, f.seq""", sel.params)


def _counts(frame: Frame, sel: Selection, group_by: str, total: int) -> dict:
    """Counts per lane and week (per month past two years of events): the busiest MAX_ROWS
    lanes, the rest as "(other)". Lanes of types and outlets are read from tcube when the
    filters allow. Kept with the selection: stories and events give the same counts."""
    if group_by not in sel.counted:
        sel.counted[group_by] = _count_rows(frame, sel, group_by)
    return {**sel.counted[group_by], "total": total}


def _count_rows(frame: Frame, sel: Selection, group_by: str) -> dict:
    key = LANE_KEYS[group_by]
    cube = "tcube" if sel.cube and group_by != "place" else None
    n = "sum(e.n)" if cube else "count(*)"
    first, last = frame.query(f"SELECT min(e.d0), max(e.{'last_d0' if sel.cube else 'd0'}) "
                              f"{sel.sql('e.d0 IS NOT NULL', table='tcube' if sel.cube else None)}", sel.params)[0]
    weekly = last - first <= MAX_WEEKLY_DAYS
    period = "e.week" if weekly else "e.month"
    # One scan: counts per lane and period, then the busiest lanes and "(other)" from those.
    counts = frame.query(
        f"""WITH g AS (SELECT e.{key} AS lane, {period} AS period, {n} AS n {sel.sql('e.d0 IS NOT NULL', table=cube)}
                       GROUP BY 1, 2),
                 top AS (SELECT lane, sum(n) AS n FROM g GROUP BY 1 ORDER BY n DESC, 1 NULLS FIRST LIMIT {MAX_ROWS})
            SELECT CASE WHEN g.lane IS NULL AND NOT (SELECT bool_or(lane IS NULL) FROM top) THEN -1
                        WHEN g.lane IS NULL OR g.lane IN (SELECT lane FROM top) THEN g.lane ELSE -1 END AS lane,
                   g.period, sum(g.n) FROM g GROUP BY 1, 2 ORDER BY 2, 1""", sel.params)
    known = sorted({k for k, _, _ in counts if k is not None and k != -1})
    names = _lane_names(frame, group_by, known)
    rows = [{"row": names.get(k, "(other)"), "period": when.isoformat(), "n": int(c)} for k, when, c in counts]
    lanes = {r["row"] for r in rows}
    top = [t for t in _top_stories(frame, sel, group_by, first, last) if t["row"] in lanes]
    return {"mode": "weeks" if weekly else "months", "rows": rows, "top": top}


def _top_stories(frame: Frame, sel: Selection, group_by: str, first: int, last: int) -> list[dict]:
    """The most-told story of each of TOP_SLICES spans of the time shown (most outlets, then the
    latest), so that counts say what happened: one arg_max per span, not a sort of the stories."""
    width = (last - first) // TOP_SLICES + 1
    seqs = [r[0] for r in frame.query(
        f"SELECT arg_max(e.seq, e.story_outlets::BIGINT * {1 << 32} + e.d0) {sel.sql('e.d0 IS NOT NULL')} "
        f"GROUP BY (e.d0 - {first}) // {width}", sel.params)]
    events = frame.by_ids("ev", "seq", seqs, 'story_key, story_id, label, event_type, start, "end", precision, '
                                           "story_outlets, place_k, outlet_k")
    labels = frame.by_ids("story", "id", [e["story_id"] for e in events.values()], "label")
    places = frame.by_ids("place_code", "k", [e["place_k"] for e in events.values()], "name")
    top = []
    for e in sorted(events.values(), key=lambda e: e["start"]):
        row = {"type": e["event_type"], "place": (places.get(e["place_k"]) or {}).get("name") or "(no place)",
               "outlet": "(several outlets)" if e["story_outlets"] > 1 else (frame.outlets[e["outlet_k"]] or UNKNOWN_OUTLET)}
        top.append({"key": "s:" + e["story_key"], "row": row[group_by], "start": e["start"], "end": e["end"],
                    "precision": e["precision"], "label": (labels.get(e["story_id"]) or {}).get("label") or e["label"],
                    "event_type": e["event_type"], "outlets": e["story_outlets"],
                    "place": (places.get(e["place_k"]) or {}).get("name") or ""})
    return top


def _lane_names(frame: Frame, group_by: str, keys: list[int]) -> dict:
    if group_by == "type":
        return {k: frame.types[k] for k in keys}
    if group_by == "outlet":
        return {k: frame.outlets[k] or UNKNOWN_OUTLET for k in keys} | {None: UNKNOWN_OUTLET}
    names = dict(frame.query(f"SELECT k, name FROM place_code WHERE k IN ({','.join(map(str, keys)) or 'NULL'})"))
    return names | {None: "(no place)"}


def histogram(frame: Frame, filters: Filters) -> list[dict]:
    """data.histogram's answer: per month, the events dated within a month (`n`) and the vaguer
    ones spread evenly over the months of their span (`vague`), in one scan."""
    sel = frame.select(filters)
    months: dict[str, list[float]] = {}
    if sel.cube:
        sql = f"SELECT CASE WHEN e.vd0 IS NULL THEN e.month END, e.vd0, e.vd1, sum(e.n) {sel.sql('e.d0 IS NOT NULL', table='tcube')}"
    else:
        sql = (f"SELECT CASE WHEN coalesce(e.days, 1) <= {MONTH_DAYS} THEN e.month END, "
               f"CASE WHEN e.days > {MONTH_DAYS} THEN e.d0 END, CASE WHEN e.days > {MONTH_DAYS} THEN e.d1 END, "
               f"count(*) {sel.sql('e.d0 IS NOT NULL')}")
    for month, d0, d1, n in frame.query(sql + " GROUP BY 1, 2, 3", sel.params):
        n = int(n)
        if month is not None:
            months.setdefault(month.isoformat(), [0, 0.0])[0] = n
            continue
        spread = _months_between(EPOCH + dt.timedelta(days=d0), EPOCH + dt.timedelta(days=d1))
        if len(spread) <= MAX_SPREAD_MONTHS:
            for m in spread:
                months.setdefault(m, [0, 0.0])[1] += n / len(spread)
    return [{"month": m, "n": v[0], "vague": v[1]} for m, v in sorted(months.items())]


def _months_between(start: dt.date, end: dt.date) -> list[str]:
    y, m = start.year, start.month
    last = (end.year, end.month)
    out = []
    while (y, m) <= last and len(out) <= MAX_SPREAD_MONTHS:
        out.append(f"{y:04d}-{m:02d}-01")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def places(frame: Frame, filters: Filters) -> list[dict]:
    """data.places's answer: one row per marker (name and country) with its events, stories,
    outlets and undated events; `stories_estimated` when the count of stories is HyperLogLog's."""
    sel = frame.select(filters)
    exact = undated_without_place(frame, filters)["events"] <= EXACT_STORIES
    if not exact and sel.cube:  # stories cannot be summed over cells: the markers say events and outlets
        return frame.dicts(
            f"""WITH g AS (SELECT e.marker, min(e.place_pick) AS pick, sum(e.n) AS events,
                      count(DISTINCT e.outlet_k) AS outlets, sum(e.undated) AS undated {sel.sql(table="pcube")} GROUP BY 1)
                SELECT p.name, p.country, p.rank, p.kind, p.lat, p.lon, g.events::BIGINT AS events, NULL AS stories,
                  g.outlets, g.undated::BIGINT AS undated
                FROM g JOIN place_code p ON p.k = g.pick % {PICK} ORDER BY g.events DESC, p.name""", sel.params)
    stories = "count(DISTINCT e.story_k)" if exact else "approx_count_distinct(e.story_k)"
    found = frame.dicts(
        f"""WITH g AS (SELECT e.marker, min(e.place_pick) AS pick, count(*) AS events, {stories} AS stories,
                  count(DISTINCT e.outlet_k) AS outlets, count(*) - count(e.d0) AS undated
                {sel.sql("e.marker IS NOT NULL")} GROUP BY 1)
            SELECT p.name, p.country, p.rank, p.kind, p.lat, p.lon, g.events, g.stories, g.outlets, g.undated
            FROM g JOIN place_code p ON p.k = g.pick % {PICK} ORDER BY g.events DESC, p.name""", sel.params)
    if not exact:
        for p in found:
            p["stories_estimated"] = True
    return found


def undated_without_place(frame: Frame, filters: Filters) -> dict:
    """How many events match, and how many of them one view cannot draw (no date, no place)."""
    sel = frame.select(filters)
    if sel.counts is None:
        sql = ("SELECT sum(e.n), sum(e.n) FILTER (e.d0 IS NOT NULL), sum(e.n) FILTER (e.placed) " + sel.sql(table="tcube")
               if sel.cube else f"SELECT count(*), count(e.d0), count(e.place_k) {sel.sql()}")
        events, dated, placed = (int(x or 0) for x in frame.query(sql, sel.params)[0])
        sel.counts = {"events": events, "undated": events - dated, "unplaced": events - placed}
    return dict(sel.counts)


def outlet_counts(frame: Frame) -> list[tuple[str, int]]:
    """(outlet, events) for every outlet, most first."""
    return [(frame.outlets[k] or UNKNOWN_OUTLET, n) for k, n in frame.query(
        "SELECT outlet_k, count(*) AS n FROM ev GROUP BY 1 ORDER BY n DESC")]


def place_names(frame: Frame) -> list[str]:
    return [r[0] for r in frame.query(
        "SELECT DISTINCT p.name FROM place_code p WHERE p.k IN (SELECT DISTINCT place_k FROM ev) ORDER BY 1")]


def totals(frame: Frame) -> dict:
    """The status line's counts: stories (and those told by several outlets), events, articles, places."""
    stories, told = frame.query("SELECT count(*), count(*) FILTER (WHERE outlets > 1) FROM story")[0]
    alone = frame.query("SELECT count(*) FROM ev WHERE NOT in_stories")[0][0]
    return {"stories": stories + alone, "told": told, "events": frame.events,
            "articles": frame.query("SELECT count(*) FROM articles")[0][0],
            "places": frame.query("SELECT count(*) FROM place_code")[0][0]}
