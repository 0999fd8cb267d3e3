"""Briefing images: the current view (timeline, map, the filters in words, the sources and
"data as of") as one PNG, SVG or PDF, drawn by kaleido with the local base map."""
from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

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


def briefing_figure(conn: sqlite3.Connection, state: ViewState) -> go.Figure:
    timeline_filters, map_filters = state.for_timeline(), state.for_map()
    timeline = data.timeline(conn, timeline_filters, state.group_by)
    hist = data.histogram(conn, timeline_filters)
    places = data.places(conn, map_filters)
    fig = make_subplots(rows=3, cols=1, row_heights=[0.08, 0.42, 0.5], vertical_spacing=0.05,
                        specs=[[{"type": "xy"}], [{"type": "xy"}], [{"type": "geo"}]])
    if timeline["rows"]:
        figures.add_timeline(fig, timeline, hist, hist_row=1, events_row=2)
        fig.update_xaxes(matches="x2", row=1, col=1)
    else:
        fig.add_annotation(text="No dated events match these filters.", x=0.5, y=0.75, xref="paper",
                           yref="paper", showarrow=False)
    if places:
        figures.add_map(fig, places, state.picked, row=3, col=1)
    else:
        fig.add_annotation(text="No placed events match these filters.", x=0.5, y=0.25, xref="paper",
                           yref="paper", showarrow=False)
    outlets = [f"{name} ({n})" for name, n in _outlets(conn, timeline_filters)]
    as_of = (store.meta(conn, "data_as_of") or "unknown").replace("T", " ")[:16]
    selection = []
    if state.span_from:
        selection.append(f"map: {state.span_from} to {state.span_to}")
    if state.picked:
        selection.append("timeline: " + ", ".join(state.picked))
    subtitle = state.filters().describe() + (" · selected " + "; ".join(selection) if selection else "")
    fig.update_layout(
        template="plotly_white", width=WIDTH, height=HEIGHT, font=figures.FONT, showlegend=False,
        title=dict(text=f"<b>Timeline and places</b><br><span style='font-size:13px'>{figures._html_text(subtitle)}</span>",
                   x=0.01, y=0.98),
        margin=dict(l=20, r=20, t=90, b=70))
    fig.add_annotation(
        text=figures._html_text("Sources: " + (", ".join(outlets) or "none")) + f"<br>Data as of {as_of} UTC",
        x=0, y=-0.05, xref="paper", yref="paper", showarrow=False, xanchor="left", align="left",
        font=dict(size=11, color="#52606d"))
    return fig


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
