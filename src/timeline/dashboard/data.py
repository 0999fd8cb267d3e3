"""What each view needs from the store, as plain lists and dicts (one SQL query each).

With many events the timeline is aggregated: above MAX_POINTS events, each row shows how many
events start in each week instead of one mark per event, so an update stays small and fast.
"""
from __future__ import annotations

import sqlite3

from ..query import FROM, UNKNOWN_OUTLET, Filters, where

MAX_POINTS = 3000
MAX_ROWS = 30  # timeline rows shown; the rest are summed into one "other" row
HOVER_CHARS = 180


def _group_expr(group_by: str) -> str:
    return "coalesce(p.name, '(no place)')" if group_by == "place" else f"coalesce(a.outlet, '{UNKNOWN_OUTLET}')"


def count(conn: sqlite3.Connection, filters: Filters) -> int:
    sql, params = where(filters)
    return conn.execute("SELECT count(*)" + FROM + sql, params).fetchone()[0]


def timeline(conn: sqlite3.Connection, filters: Filters, group_by: str) -> dict:
    """{"mode": "events", "rows": [...]} or, past MAX_POINTS, {"mode": "weeks", "rows": [...]}."""
    sql, params = where(filters)
    sql += (" AND " if sql else " WHERE ") + "e.start IS NOT NULL"
    group = _group_expr(group_by)
    total = conn.execute("SELECT count(*)" + FROM + sql, params).fetchone()[0]
    if total <= MAX_POINTS:
        rows = conn.execute(
            f"SELECT e.seq, {group} AS row, e.start, e.\"end\", e.precision, e.value, e.date_text, "
            f"coalesce(p.name, '') AS place, coalesce(a.outlet, '{UNKNOWN_OUTLET}') AS outlet, "
            f"substr(e.sentence, 1, {HOVER_CHARS}) AS sentence, length(e.sentence) > {HOVER_CHARS} AS cut, "
            f"coalesce(s.outlets, 1) AS outlets" + FROM + sql + " ORDER BY e.start, e.seq", params)
        return {"mode": "events", "total": total, "rows": [dict(r) for r in rows]}
    top = [r[0] for r in conn.execute(
        f"SELECT {group} AS row, count(*) AS n" + FROM + sql + f" GROUP BY row ORDER BY n DESC LIMIT {MAX_ROWS}", params)]
    marks = ",".join("?" * len(top))
    rows = conn.execute(
        f"SELECT CASE WHEN {group} IN ({marks}) THEN {group} ELSE '(other)' END AS row, "
        "date(e.start, 'weekday 0', '-6 days') AS week, count(*) AS n" + FROM + sql
        + " GROUP BY row, week ORDER BY week", top + params)
    return {"mode": "weeks", "total": total, "rows": [dict(r) for r in rows]}


def histogram(conn: sqlite3.Connection, filters: Filters) -> list[dict]:
    """Events per month of their start."""
    sql, params = where(filters)
    sql += (" AND " if sql else " WHERE ") + "e.start IS NOT NULL"
    return [dict(r) for r in conn.execute(
        "SELECT substr(e.start, 1, 7) || '-01' AS month, count(*) AS n" + FROM + sql
        + " GROUP BY month ORDER BY month", params)]


def places(conn: sqlite3.Connection, filters: Filters) -> list[dict]:
    """One row per place where events happened: its events and distinct outlets."""
    sql, params = where(filters)
    sql += (" AND " if sql else " WHERE ") + "p.id IS NOT NULL"
    return [dict(r) for r in conn.execute(
        "SELECT p.name, p.country, p.kind, p.lat, p.lon, count(*) AS events, "
        "count(DISTINCT coalesce(a.outlet, a.file)) AS outlets, "
        "sum(e.start IS NULL) AS undated" + FROM + sql
        + " GROUP BY p.id ORDER BY events DESC, p.name", params)]


def undated_without_place(conn: sqlite3.Connection, filters: Filters) -> dict:
    """How many events neither view can draw: no date (map only) or no place (timeline only)."""
    sql, params = where(filters)
    row = conn.execute("SELECT sum(e.start IS NULL), sum(e.place_id IS NULL)" + FROM + sql, params).fetchone()
    return {"undated": row[0] or 0, "unplaced": row[1] or 0}
