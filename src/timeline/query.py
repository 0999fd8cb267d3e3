"""Reading events back: one set of filters for the dashboard, the exports and notebooks.

    from timeline.query import open_store
    store = open_store("var/timeline.db")
    for event in store.events(outlets=["CNN"], since="2024-06-01", min_outlets=2):
        print(event.value, event.place_name, event.sentence)
    frame = store.dataframe(query="missile")   # needs pandas, which timeline does not require
"""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from . import store as store_module


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. Empty fields do not filter."""

    outlets: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    places: tuple[str, ...] = ()  # place names: the event's location or a place its sentence names
    query: str = ""  # full-text search of the sentence: words, "a phrase", OR, -excluded (fts_query)
    min_outlets: int = 0  # events whose story is told by at least this many outlets
    event_types: tuple[str, ...] = ()  # extract.event_types.EVENT_TYPES
    # With both `since` and `until`: also the events whose dates are vaguer than that span (a
    # year-long "in 2024" when one day is asked for). Without it they are left out.
    vaguer: bool = False

    @classmethod
    def of(cls, outlets=(), since=None, until=None, places=(), query="", min_outlets=0,
           event_types=(), vaguer=False) -> "Filters":
        return cls(tuple(outlets or ()), _date(since), _date(until), tuple(places or ()),
                   (query or "").strip(), int(min_outlets or 0), tuple(event_types or ()), bool(vaguer))

    def span_days(self) -> int | None:
        """Days from `since` to `until`, both counted, when both are given."""
        return (self.until - self.since).days + 1 if self.since and self.until else None

    def describe(self) -> str:
        """The filters in words, for a briefing image's caption."""
        parts = []
        if self.outlets:
            parts.append("outlets: " + ", ".join(self.outlets))
        if self.since or self.until:
            parts.append(f"dates: {self.since or '…'} to {self.until or '…'}"
                         + (" (and vaguer dates)" if self.vaguer and self.span_days() else ""))
        if self.places:
            parts.append("places: " + ", ".join(self.places))
        if self.query:
            parts.append(f"text: “{self.query}”")
        if self.min_outlets > 1:
            parts.append(f"told by ≥ {self.min_outlets} outlets")
        if self.event_types:
            parts.append("types: " + ", ".join(self.event_types))
        return "; ".join(parts) or "all events"


@dataclass(frozen=True)
class EventRow:
    """One event as the views and exports see it, with its article and story."""

    seq: int
    id: str
    article: str
    outlet: str | None
    title: str | None
    url: str | None
    published: str | None
    sentence: str
    sentence_start: int
    date_text: str
    date_start: int  # offsets into the article text
    date_end: int
    value: str | None
    start: str | None
    end: str | None
    precision: str
    place_name: str | None
    place_country: str | None
    place_kind: str | None
    lat: float | None
    lon: float | None
    place_text: str | None
    place_start: int | None
    place_end: int | None
    place_inferred: bool
    story_id: str | None
    story_outlets: int
    disagreement: str | None
    label: str = ""
    event_type: str = "other"
    story_label: str | None = None
    corrected: bool = False  # the analyst changed or confirmed something of it (corrections.py)
    author: str | None = None  # the article's byline, when its page gave one
    named_places: tuple[tuple[str, int, int], ...] = field(default=())  # (text, start, end)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["named_places"] = [list(p) for p in self.named_places]
        return d


EVENT_COLUMNS = """
SELECT e.seq, e.id, a.file, a.outlet, a.title, a.url, a.published, e.sentence, e.sentence_start,
       e.date_text, e.date_start, e.date_end, e.value, e.start, e."end", e.precision,
       p.name, p.country, p.kind, p.lat, p.lon, e.place_text, e.place_start, e.place_end,
       coalesce(e.place_inferred, 0), e.story_id, coalesce(s.outlets, 1), s.disagreement,
       e.label, e.event_type, s.label, e.corrected, a.author
"""
# The tables a query may name: e(vents), a(rticles), p(laces: the location), s(tories).
_JOINS = {"a": "JOIN articles a ON a.id = e.article_id",
          "p": "LEFT JOIN places p ON p.id = e.place_id",
          "s": "LEFT JOIN stories s ON s.id = e.story_id"}


def source(filters: Filters, *also: str) -> str:
    """FROM events, joined only to the tables the filters (and the caller, `also`) name: each
    join costs a lookup per event, a third of a query's time over 100,000 events."""
    need = set(also)
    if filters.outlets:
        need.add("a")
    if filters.places:
        need.add("p")
    if filters.min_outlets > 1:
        need.add("s")
    return "\nFROM events e\n" + "".join(_JOINS[t] + "\n" for t in "aps" if t in need)


FROM = source(Filters(), "a", "p", "s")


def where(filters: Filters, nocase=None, text=None) -> tuple[str, list]:
    """The SQL condition and parameters of `filters` over the tables of FROM. The archive's
    DuckDB gives its own `nocase(expression)` (SQLite's COLLATE NOCASE by default) and
    `text(fts) -> (sql, params)` (an FTS5 query of fts_query; SQLite's FTS5 index by default)."""
    nocase = nocase or (lambda expression: f"{expression} COLLATE NOCASE")
    text = text or _fts_condition
    clauses, params = ["e.rejected = 0"], []  # an event the analyst rejected is no event
    if filters.outlets:
        named = [o for o in filters.outlets if o != UNKNOWN_OUTLET]
        parts = []
        if named:  # as the user writes it: "cnn" is CNN
            parts.append(f"{nocase('a.outlet')} IN ({','.join([nocase('?')] * len(named))})")
            params += named
        if UNKNOWN_OUTLET in filters.outlets:
            parts.append("a.outlet IS NULL")
        clauses.append("(" + " OR ".join(parts) + ")")
    if filters.since:
        clauses.append('e."end" >= ?')
        params.append(filters.since.isoformat())
    if filters.until:
        clauses.append("e.start <= ?")
        params.append(filters.until.isoformat())
    if filters.span_days() and not filters.vaguer:
        clauses.append("e.days <= ?")
        params.append(filters.span_days())
    if filters.event_types:
        clauses.append(f"e.event_type IN ({','.join('?' * len(filters.event_types))})")
        params += list(filters.event_types)
    if filters.places:
        marks = ",".join([nocase("?")] * len(filters.places))
        clauses.append(f"({nocase('p.name')} IN ({marks}) OR e.seq IN (SELECT ep.event_seq FROM event_places ep "
                       f"JOIN places q ON q.id = ep.place_id WHERE {nocase('q.name')} IN ({marks})))")
        params += list(filters.places) * 2
    if filters.query:
        wanted, unwanted = fts_query(filters.query)
        if wanted:
            sql, words = text(wanted)
            clauses.append(sql)
            params += words
        if unwanted:
            sql, words = text(unwanted)
            clauses.append(f"NOT ({sql})")
            params += words
    if filters.min_outlets > 1:
        clauses.append("coalesce(s.outlets, 1) >= ?")
        params.append(filters.min_outlets)
    return " WHERE " + " AND ".join(clauses), params


def _fts_condition(fts: str) -> tuple[str, list]:
    return "e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)", [fts]


UNKNOWN_OUTLET = "(unknown outlet)"


_SEARCH_TERMS = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fts_query(text: str) -> tuple[str, str]:
    """A search as users write it, as two FTS5 queries: what must match and what must not.
    Words must all appear (each a prefix: "missile" finds "missiles"); "a phrase" in quotes
    appears as written; OR between two terms takes either; -word or -"a phrase" excludes.
    Only words reach FTS5: its own syntax in the user's text is inert."""
    wanted: list[str] = []
    unwanted: list[str] = []
    join_next = False
    for m in _SEARCH_TERMS.finditer(text):
        negative, phrase, bare = m.group(1), m.group(2), m.group(3)
        if bare == "OR":
            join_next = bool(wanted)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negative, bare = "-", bare[1:]
        words = re.findall(r"\w+", phrase if phrase is not None else bare)
        if not words:
            continue
        if phrase is not None:
            term = '"' + " ".join(words) + '"'
        else:
            term = " AND ".join('"' + w + '"*' for w in words)
        if negative:
            unwanted.append(term)
        elif join_next:
            wanted[-1] = f"({wanted[-1]}) OR ({term})"
        else:
            wanted.append(term)
        join_next = False
    return " AND ".join(f"({t})" for t in wanted), " OR ".join(f"({t})" for t in unwanted)


def query_events(conn: sqlite3.Connection, filters: Filters = Filters(), limit: int | None = None,
                 seq: int | None = None, story: str | None = None) -> list[EventRow]:
    """Events matching `filters` in date order (undated last); `seq` picks one event, `story`
    the events of one story."""
    sql, params = where(filters)
    if seq is not None:
        sql += (" AND " if sql else " WHERE ") + "e.seq = ?"
        params.append(int(seq))
    if story is not None:
        sql += (" AND " if sql else " WHERE ") + "e.story_id = ?"
        params.append(story)
    rows = conn.execute(EVENT_COLUMNS + FROM + sql + ' ORDER BY e.start IS NULL, e.start, e.seq'
                        + (f" LIMIT {int(limit)}" if limit else ""), params).fetchall()
    named: dict[int, list] = {}
    if rows:
        seqs = [r[0] for r in rows]
        for chunk in range(0, len(seqs), 900):
            part = seqs[chunk:chunk + 900]
            for seq, text, start, end in conn.execute(
                    f'SELECT event_seq, text, start, "end" FROM event_places WHERE event_seq IN '
                    f'({",".join("?" * len(part))}) ORDER BY start', part):
                named.setdefault(seq, []).append((text, start, end))
    return [EventRow(*row[:24], bool(row[24]), *row[25:31], bool(row[31]), row[32],
                     named_places=tuple(named.get(row[0], ()))) for row in rows]


def outlet_counts(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """(outlet, events) for every outlet, unknown outlets under one name."""
    return [(r[0] or UNKNOWN_OUTLET, r[1]) for r in conn.execute(
        "SELECT a.outlet, count(*) FROM events e JOIN articles a ON a.id = e.article_id "
        "GROUP BY a.outlet ORDER BY count(*) DESC, a.outlet")]


def place_names(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT p.name FROM places p JOIN events e ON e.place_id = p.id ORDER BY p.name")]


def story_rows(conn: sqlite3.Connection, story_ids: list[str]) -> list[dict]:
    """Each story asked for (an id of the stories table, or "e:<seq>", as the timeline's rows
    name an event not yet grouped) with its label, date, type, place, outlets and `members`
    (EventRows)."""
    out = []
    for story_id in story_ids:
        if story_id.startswith("e:") and story_id[2:].isdigit():
            members = query_events(conn, seq=int(story_id[2:]))
            row = None
        else:
            row = conn.execute('SELECT s.*, p.name AS place FROM stories s LEFT JOIN places p ON p.id = s.place_id '
                               'WHERE s.id = ?', (story_id,)).fetchone()
            members = query_events(conn, story=story_id)
        if not members:
            continue
        lead = next((m for m in members if row is not None and m.seq == row["lead_seq"]), members[0])
        out.append({"id": story_id, "label": row["label"] if row else lead.label,
                    "event_type": row["event_type"] if row else lead.event_type,
                    "start": lead.start, "end": lead.end, "precision": lead.precision,
                    "place": (row["place"] if row else lead.place_name) or "", "outlets": row["outlets"] if row else 1,
                    "disagreement": row["disagreement"] if row else None, "members": members})
    return out


def story_sources(conn: sqlite3.Connection, story_id: str) -> list[dict]:
    """Every source of a story: outlet, article, title, URL, date words and sentence."""
    return [dict(r) for r in conn.execute(
        "SELECT a.outlet, a.file, a.title, a.url, e.date_text, e.value, e.sentence "
        "FROM events e JOIN articles a ON a.id = e.article_id WHERE e.story_id = ? ORDER BY e.seq",
        (story_id,))]


class Store:
    """A read-only view of an event store, for notebooks and scripts."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.conn = store_module.connect(self.path, readonly=True)

    def events(self, **filters) -> list[EventRow]:
        return query_events(self.conn, Filters.of(**filters))

    def stories(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM stories ORDER BY outlets DESC, start")]

    def dataframe(self, **filters):
        """The events as a pandas DataFrame (pandas is optional: install it to use this)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Store.dataframe needs pandas: pip install pandas") from None
        return pd.DataFrame([e.as_dict() for e in self.events(**filters)],
                            columns=[f.name for f in fields(EventRow)])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_store(path: str | Path) -> Store:
    return Store(path)


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
