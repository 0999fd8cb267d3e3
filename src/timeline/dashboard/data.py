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


def _group_expr(group_by: str) -> str:
    return "coalesce(p.name, '(no place)')" if group_by == "place" else f"coalesce(a.outlet, '{UNKNOWN_OUTLET}')"


def count(conn: sqlite3.Connection, filters: Filters) -> int:
    sql, params = where(filters)
    return conn.execute("SELECT count(*)" + source(filters) + sql, params).fetchone()[0]


def timeline(conn: sqlite3.Connection, filters: Filters, group_by: str) -> dict:
    """{"mode": "events", "rows": [...]} or, past MAX_POINTS, counts per row and week (per month
    when the events cover more than two years): {"mode": "weeks" | "months", "rows": [...]}."""
    sql, params = where(filters)
    sql += (" AND " if sql else " WHERE ") + "e.start IS NOT NULL"
    group = _group_expr(group_by)
    total = conn.execute("SELECT count(*)" + source(filters) + sql, params).fetchone()[0]
    grouped = source(filters, "a") if group_by == "outlet" else source(filters)
    if total <= MAX_POINTS:
        rows = conn.execute(
            f"SELECT e.seq, {group} AS row, e.start, e.\"end\", e.precision, e.value, e.date_text, "
            f"coalesce(p.name, '') AS place, coalesce(a.outlet, '{UNKNOWN_OUTLET}') AS outlet, "
            f"substr(e.sentence, 1, {HOVER_CHARS}) AS sentence, length(e.sentence) > {HOVER_CHARS} AS cut, "
            f"coalesce(s.outlets, 1) AS outlets" + FROM + sql + " ORDER BY e.start, e.seq", params)
        return {"mode": "events", "total": total, "rows": [dict(r) for r in rows]}
    first, last = conn.execute("SELECT min(e.start), max(e.start)" + source(filters) + sql, params).fetchone()
    weekly = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days <= MAX_WEEKLY_DAYS
    period = "date(e.start, 'weekday 0', '-6 days')" if weekly else "substr(e.start, 1, 7) || '-01'"
    # Grouped by a plain column (the outlet, or the place's id: no join to places): first the
    # busiest MAX_ROWS rows, then counts per row and period with the rest summed as "(other)".
    key = "e.place_id" if group_by == "place" else "a.outlet"
    top = [r[0] for r in conn.execute(f"SELECT {key}, count(*) AS n" + grouped + sql
                                      + f" GROUP BY {key} ORDER BY n DESC LIMIT {MAX_ROWS}", params)]
    names = _row_names(conn, group_by, top)
    known = [k for k in top if k is not None]
    bucket = (f"CASE WHEN {key} IS NULL THEN NULL WHEN {key} IN ({','.join('?' * len(known))}) THEN {key} "
              "ELSE '(other)' END") if known else "NULL"
    counts = conn.execute(f"SELECT {bucket} AS row, {period} AS period, count(*)" + grouped + sql
                          + " GROUP BY 1, 2 ORDER BY 2", known + params).fetchall()
    rows = [{"row": names.get(k, "(other)"), "period": when, "n": n} for k, when, n in counts]
    return {"mode": "weeks" if weekly else "months", "total": total, "rows": rows}


def _row_names(conn, group_by: str, keys) -> dict:
    if group_by != "place":
        return {k: k or UNKNOWN_OUTLET for k in keys}
    ids = [k for k in keys if k is not None]
    names = {None: "(no place)"}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        names.update(conn.execute(f"SELECT id, name FROM places WHERE id IN ({','.join('?' * len(part))})", part).fetchall())
    return names


def histogram(conn: sqlite3.Connection, filters: Filters) -> list[dict]:
    """Events per month of their start."""
    sql, params = where(filters)
    sql += (" AND " if sql else " WHERE ") + "e.start IS NOT NULL"
    return [dict(r) for r in conn.execute(
        "SELECT substr(e.start, 1, 7) || '-01' AS month, count(*) AS n" + source(filters) + sql
        + " GROUP BY month ORDER BY month", params)]


def places(conn: sqlite3.Connection, filters: Filters) -> list[dict]:
    """One row per place where events happened: its events and distinct outlets."""
    sql, params = where(filters)
    sql += (" AND " if sql else " WHERE ") + "p.id IS NOT NULL"
    return [dict(r) for r in conn.execute(
        "SELECT p.name, p.country, p.kind, p.lat, p.lon, count(*) AS events, "
        "count(DISTINCT coalesce(a.outlet, a.file)) AS outlets, "
        "sum(e.start IS NULL) AS undated" + source(filters, "a", "p") + sql
        + " GROUP BY p.id ORDER BY events DESC, p.name", params)]


def undated_without_place(conn: sqlite3.Connection, filters: Filters) -> dict:
    """How many events neither view can draw: no date (map only) or no place (timeline only)."""
    sql, params = where(filters)
    row = conn.execute("SELECT sum(e.start IS NULL), sum(e.place_id IS NULL)" + source(filters) + sql, params).fetchone()
    return {"undated": row[0] or 0, "unplaced": row[1] or 0}
