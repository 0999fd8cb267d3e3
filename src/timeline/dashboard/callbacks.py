"""Callbacks: they unpack inputs and call the pure functions of state, data, figures and
provenance. Every request opens its own read-only connection to the store."""
from __future__ import annotations

import base64
import contextlib
import dataclasses
import functools
import sqlite3
import threading
from pathlib import Path

from dash import Input, Output, State, ctx, html, no_update

from .. import store
from ..query import outlet_counts, place_names, query_events, story_sources
from . import data, figures, ids
from .provenance import provenance_panel
from .state import ViewState, from_query

CONTROLS = [(ids.OUTLETS, "value"), (ids.DATES, "start_date"), (ids.DATES, "end_date"),
            (ids.PLACES, "value"), (ids.QUERY, "value"), (ids.MIN_OUTLETS, "value"), (ids.GROUP_BY, "value")]


def state_from_dict(d: dict | None) -> ViewState:
    if not d:
        return ViewState()
    fields = {f.name for f in dataclasses.fields(ViewState)}
    return ViewState(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items() if k in fields})


def controls_of(state: ViewState) -> list:
    return [list(state.outlets), state.since or None, state.until or None, list(state.places),
            state.query, max(1, state.min_outlets), state.group_by]


def span_of(selected: dict | None) -> tuple[str, str] | None:
    """The time span of a box selection on the timeline, as ISO days."""
    if not selected:
        return None
    xs = (selected.get("range") or {}).get("x") or (selected.get("range") or {}).get("x2")
    if not xs:
        points = [p.get("base", p.get("x")) for p in selected.get("points", []) if p.get("x")]
        xs = [min(points), max(points)] if points else None
    if not xs:
        return None
    return str(min(xs))[:10], str(max(xs))[:10]


def picked_of(selected: dict | None) -> tuple[str, ...]:
    """Place names of the points selected (clicked, boxed or lassoed) on the map."""
    if not selected:
        return ()
    return tuple(dict.fromkeys(p["customdata"] for p in selected.get("points", []) if p.get("customdata")))


def next_state(trigger: str | None, current: ViewState, search: str | None, controls: list,
               timeline_selected, map_selected, map_click) -> ViewState:
    """The view state after one interaction (pure: tested without a browser)."""
    if trigger in (None, ids.URL):
        return from_query(search)
    if trigger == ids.CLEAR:
        return dataclasses.replace(current, span_from="", span_to="", picked=())
    if trigger == ids.TIMELINE:
        span = span_of(timeline_selected)
        return dataclasses.replace(current, span_from=span[0], span_to=span[1]) if span else current
    if trigger == ids.MAP:
        picked = picked_of(map_selected) or picked_of(map_click)
        return dataclasses.replace(current, picked=picked) if picked else current
    outlets, since, until, places, query, min_outlets, group_by = controls
    return dataclasses.replace(
        current, outlets=tuple(outlets or ()), since=(since or "")[:10], until=(until or "")[:10],
        places=tuple(places or ()), query=(query or "").strip()[:200],
        min_outlets=int(min_outlets or 1) if (min_outlets or 1) > 1 else 0,
        group_by=group_by if group_by in ("outlet", "place") else "outlet")


def register(app, db: Path) -> None:
    @contextlib.contextmanager
    def reader():
        conn = store.connect(db, readonly=True)
        try:
            yield conn
        finally:
            conn.close()

    # One callback turns any change of the controls, the selections or the URL into the new
    # view state and draws it: one round trip per change (a second callback that drew from the
    # stored state cost another 15-25 ms).
    @app.callback(
        Output(ids.URL, "search"), Output(ids.STATE, "data"),
        *[Output(i, p) for i, p in CONTROLS],
        Output(ids.TIMELINE, "figure"), Output(ids.MAP, "figure"), Output(ids.SELECTION, "children"),
        Input(ids.URL, "search"), *[Input(i, p) for i, p in CONTROLS],
        Input(ids.TIMELINE, "selectedData"), Input(ids.MAP, "selectedData"), Input(ids.MAP, "clickData"),
        Input(ids.CLEAR, "n_clicks"), State(ids.STATE, "data"))
    def sync(search, *args):
        controls, (timeline_selected, map_selected, map_click, _clear, current) = list(args[:7]), args[7:]
        trigger = ctx.triggered_id
        state = next_state(trigger, state_from_dict(current), search, controls,
                           timeline_selected, map_selected, map_click)
        url = no_update if trigger in (None, ids.URL) else state.to_query()
        return [url, dataclasses.asdict(state), *controls_of(state), *render(state)]

    def cached(fetch):
        """`fetch(conn, *args)` remembered per store state (`stamp`): the data change only at ingest."""
        @functools.lru_cache(maxsize=64)
        def run(stamp: str, *args):
            with reader() as conn:
                return fetch(conn, *args)
        return run

    timeline_data, histogram_data = cached(data.timeline), cached(data.histogram)
    places_data, count_data = cached(data.places), cached(data.count)
    undrawn_data = cached(data.undated_without_place)

    def current_stamp() -> str:
        with reader() as conn:
            return f"{store.meta(conn, 'data_as_of')}|{store.meta(conn, 'stories_dirty')}"

    def warm_up() -> None:
        """Compute the default view once at start, so that the first page load finds it ready."""
        state, stamp = ViewState(), current_stamp()
        timeline_data(stamp, state.for_timeline(), state.group_by)
        histogram_data(stamp, state.for_timeline())
        places_data(stamp, state.for_map())
        count_data(stamp, state.filters())
        undrawn_data(stamp, state.filters())

    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()

    @app.callback(Output(ids.OUTLETS, "options"), Output(ids.PLACES, "options"), Output(ids.STATUS, "children"),
                  Input(ids.URL, "pathname"))
    def choices(_path):
        """What there is to choose from: sent once per page load, not with every update."""
        with reader() as conn:
            return ([{"label": f" {name} ({n})", "value": name} for name, n in outlet_counts(conn)],
                    [{"label": n, "value": n} for n in place_names(conn)], _status(conn))

    def render(state: ViewState) -> tuple:
        """The timeline and map figures and the selection line of a view state."""
        stamp = current_stamp()
        timeline = timeline_data(stamp, state.for_timeline(), state.group_by)
        hist = histogram_data(stamp, state.for_timeline())
        places, shown = places_data(stamp, state.for_map()), count_data(stamp, state.filters())
        undrawn = undrawn_data(stamp, state.filters())
        span = (state.span_from, state.span_to) if state.span_from else None
        return (figures.timeline_figure(timeline, hist, state.group_by, span),
                figures.map_figure(places, state.picked), _selection_line(state, shown, undrawn))

    @app.callback(Output(ids.PROVENANCE, "children"),
                  Input(ids.TIMELINE, "clickData"), Input(ids.MAP, "clickData"), State(ids.STATE, "data"))
    def provenance(timeline_click, map_click, state_dict):
        state = state_from_dict(state_dict)
        with reader() as conn:
            if ctx.triggered_id == ids.TIMELINE and timeline_click:
                seq = _clicked(timeline_click)
                events = query_events(conn, state.for_timeline(), seq=seq) if isinstance(seq, int) else []
                title = "Event"
            elif ctx.triggered_id == ids.MAP and map_click:
                name = _clicked(map_click)
                events = query_events(conn, dataclasses.replace(state.for_map(), places=(name,))) if name else []
                events = [e for e in events if e.place_name == name] or events
                title = f"Events at {name}"
            else:
                return provenance_panel("", [], None)
            return provenance_panel(title, events, lambda story: story_sources(conn, story))

    @app.callback(Output(ids.DOWNLOAD, "data"), Input(ids.EXPORT_BUTTON, "n_clicks"),
                  State(ids.EXPORT_FORMAT, "value"), State(ids.STATE, "data"), prevent_initial_call=True)
    def export_image(_clicks, fmt, state_dict):
        from .briefing import render_briefing

        state = state_from_dict(state_dict)
        with reader() as conn:
            content = render_briefing(conn, state, fmt)
        return {"content": base64.b64encode(content).decode(), "base64": True,
                "filename": f"timeline-briefing.{fmt}", "type": _MIME[fmt]}


_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def _clicked(click: dict):
    points = (click or {}).get("points") or []
    return points[0].get("customdata") if points else None


def _status(conn: sqlite3.Connection) -> str:
    c = store.counts(conn)
    as_of = store.meta(conn, "data_as_of") or "never"
    return (f"{c['events']:,} events · {c['articles']:,} articles · {c['places']:,} places · "
            f"data as of {as_of.replace('T', ' ')[:16]} UTC")


def _selection_line(state: ViewState, shown: int, undrawn: dict) -> list:
    parts = [html.Span(f"{shown:,} events match the filters ({state.filters().describe()}).")]
    if undrawn["undated"]:
        parts.append(html.Span(f" {undrawn['undated']:,} without a resolved date are on the map only.", className="hint"))
    if undrawn["unplaced"]:
        parts.append(html.Span(f" {undrawn['unplaced']:,} without a place are on the timeline only.", className="hint"))
    if state.span_from:
        parts.append(html.Span(f" Map: {state.span_from} to {state.span_to}.", className="chip"))
    if state.picked:
        parts.append(html.Span(" Timeline: " + ", ".join(state.picked) + ".", className="chip"))
    if not state.span_from and not state.picked:
        parts.append(html.Span(" Drag across the timeline to choose a span; click or box places on the map.",
                               className="hint"))
    return parts
