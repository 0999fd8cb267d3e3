"""What each view needs from the store, as plain lists and dicts (one SQL query each).

With many events the timeline is aggregated: above MAX_POINTS events, each row shows how many
events start in each week (or month) instead of one mark per event, so an update stays small
and fast.
"""
from __future__ import annotations

import datetime as dt
import sqlite3

from ..query import FROM, UNKNOWN_OUTLET, Filters, source, where

MAX_POINTS = 1500
MAX_ROWS = 30  # timeline rows shown; the rest are summed into one "other" row
MAX_WEEKLY_DAYS = 2 * 366  # counts per week up to two years of events, per month beyond
HOVER_CHARS = 180


LANE_EXPRESSIONS = {  # what a lane of the timeline is, over events e, articles a, places p
    "type": "e.event_type",
    "outlet": f"coalesce(a.outlet, '{UNKNOWN_OUTLET}')",
    "place": "coalesce(p.name, '(no place)')",
}
LANE_KEYS = {"type": "e.event_type", "outlet": "a.outlet", "place": "e.place_id"}  # plain columns


def timeline(conn: sqlite3.Connection, filters: Filters, group_by: str, view: str = "stories") -> dict:
    """{"mode": "stories" | "events", "rows": [...]}: one row per story (or event) to draw, or,
    past MAX_POINTS of them, counts per lane and week (per month when the events cover more
    than two years): {"mode": "weeks" | "months", "rows": [...]}."""
    group_by = group_by if group_by in LANE_EXPRESSIONS else "type"
    sql, params = where(filters)
    sql += (" AND " if sql else " WHERE ") + "e.start IS NOT NULL"
    if view == "stories":
        # Counted only up to MAX_POINTS + 1: past that the timeline shows counts, and counting
        # every distinct story of 100,000 events cost a third of a filter change.
        total = conn.execute("SELECT count(*) FROM (SELECT DISTINCT coalesce(e.story_id, e.seq)" + source(filters)
                             + sql + f" LIMIT {MAX_POINTS + 1})", params).fetchone()[0]
        if total <= MAX_POINTS:
            return {"mode": "stories", "total": total, "rows": _story_rows(conn, filters, sql, params, group_by)}
    else:
        total = conn.execute("SELECT count(*)" + source(filters) + sql, params).fetchone()[0]
        if total <= MAX_POINTS:
            return {"mode": "events", "total": total, "rows": _event_rows(conn, sql, params, group_by)}
    return _counts(conn, filters, sql, params, group_by, total)


def _story_rows(conn, filters: Filters, sql: str, params: list, group_by: str) -> list[dict]:
    """The stories with an event that matches the filters, drawn at the story's own date (its
    lead's) with its label, type, place and outlets."""
    lane = {"type": "coalesce(s.event_type, le.event_type)", "place": "coalesce(p.name, '(no place)')",
            "outlet": "CASE WHEN coalesce(s.outlets, 1) > 1 THEN '(several outlets)' ELSE m.one_outlet END"}[group_by]
    rows = conn.execute(
        "WITH m AS (SELECT coalesce(e.story_id, 'e:' || e.seq) AS id, count(*) AS n, min(e.seq) AS first_seq, "
        f"min(coalesce(a.outlet, '{UNKNOWN_OUTLET}')) AS one_outlet" + source(filters, "a") + sql
        + " GROUP BY 1) "
        f"SELECT 's:' || m.id AS key, m.id AS story, {lane} AS row, coalesce(s.start, le.start) AS start, "
        'coalesce(s."end", le."end") AS "end", coalesce(s.precision, le.precision) AS precision, '
        "coalesce(s.label, le.label) AS label, coalesce(s.event_type, le.event_type) AS event_type, "
        "coalesce(s.date_text, le.date_text) AS date_text, coalesce(s.outlets, 1) AS outlets, "
        "coalesce(s.sources, 1) AS n, s.disagreement, coalesce(p.name, '') AS place "
        "FROM m LEFT JOIN stories s ON s.id = m.id "
        "JOIN events le ON le.seq = coalesce(s.lead_seq, m.first_seq) "
        "LEFT JOIN places p ON p.id = coalesce(s.place_id, le.place_id) "
        "WHERE coalesce(s.start, le.start) IS NOT NULL ORDER BY 4, 1", params)
    return [dict(r) for r in rows]


def _event_rows(conn, sql: str, params: list, group_by: str) -> list[dict]:
    rows = conn.execute(
        f"SELECT 'e:' || e.seq AS key, e.seq, {LANE_EXPRESSIONS[group_by]} AS row, e.start, e.\"end\", e.precision, "
        f"e.value, e.date_text, e.label, e.event_type, coalesce(p.name, '') AS place, "
        f"coalesce(a.outlet, '{UNKNOWN_OUTLET}') AS outlet, "
        f"substr(e.sentence, 1, {HOVER_CHARS}) AS sentence, length(e.sentence) > {HOVER_CHARS} AS cut, "
        f"coalesce(s.outlets, 1) AS outlets, s.disagreement" + FROM + sql + " ORDER BY e.start, e.seq", params)
    return [dict(r) for r in rows]


def _counts(conn, filters: Filters, sql: str, params: list, group_by: str, total: int) -> dict:
    first, last = conn.execute("SELECT min(e.start), max(e.start)" + source(filters) + sql, params).fetchone()
    weekly = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days <= MAX_WEEKLY_DAYS
    period = "date(e.start, 'weekday 0', '-6 days')" if weekly else "substr(e.start, 1, 7) || '-01'"
    # Grouped by a plain column (the outlet, the type or the place's id: no join to places):
    # first the busiest MAX_ROWS lanes, then counts per lane and period, the rest as "(other)".
    key = LANE_KEYS[group_by]
    grouped = source(filters, "a") if group_by == "outlet" else source(filters)
    top = [r[0] for r in conn.execute(f"SELECT {key}, count(*) AS n" + grouped + sql
                                      + f" GROUP BY {key} ORDER BY n DESC, {key} LIMIT {MAX_ROWS}", params)]
    names = _row_names(conn, group_by, top)
    known = [k for k in top if k is not None]
    # No key (no outlet, no place) is a lane of its own when it is among the busiest, else "(other)":
    # it was a second "(other)" row of the same period.
    no_key = "NULL" if None in top else "'(other)'"
    bucket = (f"CASE WHEN {key} IS NULL THEN {no_key} WHEN {key} IN ({','.join('?' * len(known))}) THEN {key} "
              "ELSE '(other)' END") if known else no_key
    counts = conn.execute(f"SELECT {bucket} AS row, {period} AS period, count(*)" + grouped + sql
                          + " GROUP BY 1, 2 ORDER BY 2", known + params).fetchall()
    rows = [{"row": names.get(k, "(other)"), "period": when, "n": n} for k, when, n in counts]
    return {"mode": "weeks" if weekly else "months", "total": total, "rows": rows}


def _row_names(conn, group_by: str, keys) -> dict:
    if group_by == "type":
        return {k: k for k in keys}
    if group_by != "place":
        return {k: k or UNKNOWN_OUTLET for k in keys}
    ids = [k for k in keys if k is not None]
    names = {None: "(no place)"}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        names.update(conn.execute(f"SELECT id, name FROM places WHERE id IN ({','.join('?' * len(part))})", part).fetchall())
    return names


MONTH_DAYS = 31  # events dated this precisely count in the month they start
MAX_SPREAD_MONTHS = 120  # vaguer ones are spread over their months, up to a decade


def histogram(conn: sqlite3.Connection, filters: Filters) -> list[dict]:
    """Per month: `n` events dated within a month or more precisely (counted in the month they
    start), and `vague`, the events of vaguer dates (a year, a season, a range) spread evenly
    over the months of their span, so that "in 2024" is not counted in January. Spans longer
    than MAX_SPREAD_MONTHS (a century) are left out of the histogram."""
    sql, params = where(filters)
    sql += (" AND " if sql else " WHERE ") + "e.start IS NOT NULL"
    months: dict[str, list[float]] = {}
    for month, n in conn.execute(
            "SELECT substr(e.start, 1, 7) || '-01' AS month, count(*)" + source(filters) + sql
            + f" AND coalesce(e.days, 1) <= {MONTH_DAYS} GROUP BY month", params):
        months.setdefault(month, [0, 0.0])[0] = n
    for start, end, n in conn.execute(
            'SELECT e.start, e."end", count(*)' + source(filters) + sql
            + f' AND e.days > {MONTH_DAYS} GROUP BY e.start, e."end"', params):
        spread = _months_between(start, end)
        if len(spread) <= MAX_SPREAD_MONTHS:
            for month in spread:
                months.setdefault(month, [0, 0.0])[1] += n / len(spread)
    return [{"month": m, "n": v[0], "vague": v[1]} for m, v in sorted(months.items())]


def _months_between(start: str, end: str) -> list[str]:
    y, m = int(start[:4]), int(start[5:7])
    last = (int(end[:4]), int(end[5:7]))
    out = []
    while (y, m) <= last and len(out) <= MAX_SPREAD_MONTHS:
        out.append(f"{y:04d}-{m:02d}-01")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def places(conn: sqlite3.Connection, filters: Filters) -> list[dict]:
    """One row per place where events happened: its events, stories and distinct outlets (all
    articles of no known outlet are one). A city and a region of the same name and country are
    one place, drawn at the more precise point."""
    sql, params = where(filters)
    sql += (" AND " if sql else " WHERE ") + "p.id IS NOT NULL"
    rank = "min(CASE p.kind WHEN 'facility' THEN 0 WHEN 'city' THEN 1 WHEN 'region' THEN 2 ELSE 3 END)"
    return [dict(r) for r in conn.execute(
        f"SELECT p.name, p.country, {rank} AS rank, p.kind, p.lat, p.lon, count(*) AS events, "
        "count(DISTINCT coalesce(e.story_id, e.seq)) AS stories, "
        "count(DISTINCT coalesce(a.outlet, '')) AS outlets, "
        "sum(e.start IS NULL) AS undated" + source(filters, "a", "p") + sql
        + " GROUP BY p.name, p.country ORDER BY events DESC, p.name", params)]


def undated_without_place(conn: sqlite3.Connection, filters: Filters) -> dict:
    """How many events match, and how many of them one view cannot draw: no date (map only)
    or no place (timeline only). One query: the selection line needs all three."""
    sql, params = where(filters)
    row = conn.execute("SELECT count(*), sum(e.start IS NULL), sum(e.place_id IS NULL)" + source(filters) + sql,
                       params).fetchone()
    return {"events": row[0], "undated": row[1] or 0, "unplaced": row[2] or 0}
