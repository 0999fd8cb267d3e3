"""Briefing images: the current view (timeline, map, the filters in words, the sources and
"data as of") as one PNG, SVG or PDF, drawn by kaleido with the local base map."""
from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import plotly.io as pio

from .. import store
from ..errors import ExportError
from ..paths import TOPOJSON_DIR
from ..query import Filters
from . import data, figures
from .state import ViewState

WIDTH, HEIGHT = 1400, 1100


def _configure_kaleido() -> None:
    """Point kaleido at the system's Chromium and plotly at the local base map (no network)."""
    if not os.environ.get("BROWSER_PATH"):
        for name in ("chromium", "chromium-browser", "google-chrome"):
            found = shutil.which(name)
            if found:
                os.environ["BROWSER_PATH"] = found
                break
    pio.defaults.topojson = TOPOJSON_DIR.resolve().as_uri() + "/"


def briefing_figure(conn: sqlite3.Connection, state: ViewState) -> dict:
    """The timeline (with its histogram) above the map, a caption of filters, sources and date."""
    timeline_filters, map_filters = state.for_timeline(), state.for_map()
    timeline = data.timeline(conn, timeline_filters, state.group_by)
    hist = data.histogram(conn, timeline_filters)
    places = data.places(conn, map_filters)
    traces, notes, layout, names = [], [], {}, []
    if timeline["rows"]:
        timeline_data, names = figures.timeline_traces(timeline, hist, hist_axis="y2", events_axis="y")
        traces += timeline_data
        focus = figures.focus_range(hist)
        layout.update(figures.timeline_axes(names, events_domain=(0.5, 0.86), hist_domain=(0.88, 0.98),
                                            focus=focus))
        if focus:
            notes.append(figures.corner_note(f"{figures.outside(hist, focus):,} events start outside the span shown",
                                             left=True, y=0.98))
    else:
        notes.append(_note("No dated events match these filters.", 0.5, 0.75))
    if places:
        map_data, coloraxis = figures.map_traces(places, state.picked)
        traces += map_data
        layout["geo"] = {**figures.GEO, "domain": {"x": [0, 1], "y": [0, 0.45]}}
        layout["coloraxis"] = coloraxis
    else:
        notes.append(_note("No placed events match these filters.", 0.5, 0.25))
    outlets = [f"{name} ({n})" for name, n in _outlets(conn, timeline_filters)]
    as_of = (store.meta(conn, "data_as_of") or "unknown").replace("T", " ")[:16]
    selection = []
    if state.span_from:
        selection.append(f"map: {state.span_from} to {state.span_to}")
    if state.picked:
        selection.append("timeline: " + ", ".join(state.picked))
    subtitle = state.filters().describe() + (" · selected " + "; ".join(selection) if selection else "")
    notes.append({"text": figures._html_text("Sources: " + (", ".join(outlets) or "none"))
                  + f"<br>Data as of {as_of} UTC", "x": 0, "y": -0.05, "xref": "paper", "yref": "paper",
                  "showarrow": False, "xanchor": "left", "align": "left", "font": {"size": 11, "color": "#52606d"}})
    layout.update({
        "template": "plotly_white", "width": WIDTH, "height": HEIGHT, "font": figures.FONT, "showlegend": False,
        "barmode": "overlay", "annotations": notes, "margin": dict(l=max(20, figures.row_label_margin(names)), r=20, t=90, b=70),
        "title": {"text": f"<b>Timeline and places</b><br><span style='font-size:13px'>"
                          f"{figures._html_text(subtitle)}</span>", "x": 0.01, "y": 0.98}})
    return {"data": traces, "layout": layout}


def _note(text: str, x: float, y: float) -> dict:
    return {"text": text, "x": x, "y": y, "xref": "paper", "yref": "paper", "showarrow": False}


def _outlets(conn, filters: Filters) -> list[tuple[str, int]]:
    from ..query import FROM, UNKNOWN_OUTLET, where

    sql, params = where(filters)
    return [(r[0] or UNKNOWN_OUTLET, r[1]) for r in conn.execute(
        "SELECT a.outlet, count(*)" + FROM + sql + " GROUP BY a.outlet ORDER BY count(*) DESC", params)]


def render_briefing(conn: sqlite3.Connection, state: ViewState, fmt: str) -> bytes:
    if fmt not in ("png", "svg", "pdf"):
        raise ExportError(f"unknown image format {fmt!r} (choose png, svg or pdf)")
    _configure_kaleido()
    try:
        return pio.to_image(briefing_figure(conn, state), format=fmt, width=WIDTH, height=HEIGHT)
    except Exception as e:  # kaleido without a browser, or a browser that fails to start
        raise ExportError(f"cannot draw the {fmt.upper()} image: {e} "
                          "(kaleido needs Chromium: apt-get install chromium)") from None


def write_briefing(conn: sqlite3.Connection, filters: Filters, fmt: str, path: Path) -> None:
    state = ViewState(outlets=filters.outlets, since=filters.since.isoformat() if filters.since else "",
                      until=filters.until.isoformat() if filters.until else "", places=filters.places,
                      query=filters.query, min_outlets=filters.min_outlets)
    content = render_briefing(conn, state, fmt)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)
