"""Callbacks: they unpack inputs and call the pure functions of state, figures and provenance,
and ask the backend (backend.py: a SQLite store or an archive) for the data."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import sqlite3
import threading

from dash import Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from .. import store
from ..corrections import count as corrections_count
from ..corrections import history
from ..extract.date_values import month_value
from ..extract.event_types import EVENT_TYPES
from ..geocode.gazetteer import default_gazetteer
from ..query import query_events, story_rows, story_sources
from . import figures, ids, review_ui
from ..ingest import plural
from .provenance import MAX_STORIES, provenance_panel, story_list
from .state import GROUP_CHOICES, VIEW_CHOICES, ViewState, from_query, iso_day
from .timeline_figure import timeline_figure

# Each control, by the ViewState field it sets.
CONTROLS = {"outlets": (ids.OUTLETS, "value"), "since": (ids.DATES, "start_date"),
            "until": (ids.DATES, "end_date"), "places": (ids.PLACES, "value"), "query": (ids.QUERY, "value"),
            "min_outlets": (ids.MIN_OUTLETS, "value"), "group_by": (ids.GROUP_BY, "value"),
            "view": (ids.VIEW, "value"), "event_types": (ids.TYPES, "value"), "vaguer": (ids.VAGUER, "value"),
            "title": (ids.TITLE, "value"), "subtitle": (ids.SUBTITLE, "value")}


def state_from_dict(d: dict | None) -> ViewState:
    if not d:
        return ViewState()
    fields = {f.name for f in dataclasses.fields(ViewState)}
    return ViewState(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items() if k in fields})


def controls_of(state: ViewState) -> dict:
    """The value each control shows for `state`."""
    values = {field: getattr(state, field) for field in CONTROLS}
    values.update(outlets=list(state.outlets), places=list(state.places), event_types=list(state.event_types),
                  since=state.since or None, until=state.until or None, min_outlets=max(1, state.min_outlets),
                  vaguer=["vaguer"] if state.vaguer else [])
    return values


def span_of(selected: dict | None) -> tuple[str, str] | None:
    """The time span of a box drag on the timeline, as ISO days (a click selects no span)."""
    if not selected:
        return None
    xs = (selected.get("range") or {}).get("x") or (selected.get("range") or {}).get("x2")
    if not xs:
        return None
    return str(min(xs))[:10], str(max(xs))[:10]


def month_of(click: dict | None) -> tuple[str, str] | None:
    """The whole month of a clicked histogram bar, as ISO days; None for any other click."""
    key = _clicked(click)
    if not (isinstance(key, str) and key.startswith("m:")):
        return None
    first = dt.date.fromisoformat(key[2:12])
    last = month_value(first.year, first.month)[1]
    return first.isoformat(), last.isoformat()


def picked_of(selected: dict | None) -> tuple[str, ...]:
    """Place names of the points boxed or lassoed on the map (aggregated cells are no place)."""
    if not selected:
        return ()
    return tuple(dict.fromkeys(p["customdata"] for p in selected.get("points", [])
                               if p.get("customdata") and not str(p["customdata"]).startswith("cell:")))


def zoom_of(relayout: dict | None, current):
    """The timeline's x range after a zoom or pan: (from, to); None after Autoscale; `current`
    when the relayout did not touch the x axis."""
    if not relayout:
        return current
    if relayout.get("xaxis.autorange"):
        return None
    if "xaxis.range[0]" in relayout:
        return str(relayout["xaxis.range[0]"])[:19], str(relayout["xaxis.range[1]"])[:19]
    if "xaxis.range" in relayout:
        return tuple(str(x)[:19] for x in relayout["xaxis.range"])
    return current


def next_state(trigger: str | None, current: ViewState, search: str | None, controls: dict,
               timeline_selected=None, map_selected=None, timeline_click=None) -> ViewState:
    """The view state after one interaction (pure: tested without a browser). Clicks on marks
    read (the provenance callback answers them) and leave the state as it is; a drag on the
    timeline selects a span, a click on a histogram bar its month; a box on the map picks places."""
    if trigger in (None, ids.URL):
        return from_query(search)
    if trigger == ids.CLEAR:
        return dataclasses.replace(current, span_from="", span_to="", picked=())
    if trigger == "timeline-select":
        span = span_of(timeline_selected)
        return dataclasses.replace(current, span_from=span[0], span_to=span[1]) if span else current
    if trigger == "timeline-click":
        span = month_of(timeline_click)
        return dataclasses.replace(current, span_from=span[0], span_to=span[1]) if span else current
    if trigger == ids.MAP:
        picked = picked_of(map_selected)
        return dataclasses.replace(current, picked=picked) if picked else current
    c = controls
    min_outlets = int(c.get("min_outlets") or 1)
    return dataclasses.replace(
        current, outlets=tuple(c.get("outlets") or ()), since=(c.get("since") or "")[:10],
        until=(c.get("until") or "")[:10], places=tuple(c.get("places") or ()),
        query=(c.get("query") or "").strip()[:200], min_outlets=min_outlets if min_outlets > 1 else 0,
        group_by=c.get("group_by") if c.get("group_by") in GROUP_CHOICES else "type",
        view=c.get("view") if c.get("view") in VIEW_CHOICES else "stories",
        event_types=tuple(t for t in (c.get("event_types") or ()) if t in EVENT_TYPES),
        vaguer=bool(c.get("vaguer")), title=(c.get("title") or "")[:200], subtitle=(c.get("subtitle") or "")[:200])


def register(app, backend) -> None:
    # One callback turns any change of the controls, the selections or the URL into the new
    # view state and draws it: one round trip per change (a second callback that drew from the
    # stored state cost another 15-25 ms).
    @app.callback(
        output=dict(url=Output(ids.URL, "search"), state=Output(ids.STATE, "data"), zoom=Output(ids.ZOOM, "data"),
                    map_view=Output(ids.MAP_VIEW, "data"),
                    controls={k: Output(*v) for k, v in CONTROLS.items()},
                    timeline=Output(ids.TIMELINE, "figure"), map=Output(ids.MAP, "figure"),
                    selection=Output(ids.SELECTION, "children")),
        inputs=dict(search=Input(ids.URL, "search"), controls={k: Input(*v) for k, v in CONTROLS.items()},
                    timeline_selected=Input(ids.TIMELINE, "selectedData"),
                    timeline_click=Input(ids.TIMELINE, "clickData"),
                    relayout=Input(ids.TIMELINE, "relayoutData"), map_selected=Input(ids.MAP, "selectedData"),
                    map_relayout=Input(ids.MAP, "relayoutData"),
                    clear=Input(ids.CLEAR, "n_clicks"), width=Input(ids.WIDTH, "data"),
                    changes=Input(ids.CHANGES, "data"),
                    current=State(ids.STATE, "data"), zoom=State(ids.ZOOM, "data"),
                    map_view=State(ids.MAP_VIEW, "data"), map_shown=State(ids.MAP, "figure")))
    def sync(search, controls, timeline_selected, timeline_click, relayout, map_selected, map_relayout, clear, width,
             changes, current, zoom, map_view, map_shown):
        trigger = ctx.triggered_id
        prop = (ctx.triggered[0]["prop_id"].split(".")[-1] if ctx.triggered else "")
        if trigger == ids.TIMELINE:
            trigger = {"selectedData": "timeline-select", "clickData": "timeline-click"}.get(prop, "timeline-zoom")
        if trigger == ids.MAP and prop == "relayoutData":
            view = figures.zoomed_view(map_relayout, ((map_shown or {}).get("layout") or {}).get("geo"))
            if view is None:
                raise PreventUpdate  # a relayout that is no zoom
            state = state_from_dict(current)
            return dict(url=no_update, state=no_update, zoom=no_update, map_view=view,
                        controls={k: no_update for k in CONTROLS},
                        timeline=no_update, map=render_map(state, width, view), selection=no_update)
        state = next_state(trigger, state_from_dict(current), search, controls,
                           timeline_selected, map_selected, timeline_click)
        if trigger == "timeline-zoom":
            new_zoom = zoom_of(relayout, zoom)
            if new_zoom == zoom or new_zoom == (tuple(zoom) if zoom else None):
                raise PreventUpdate  # a relayout that is no zoom (autosize, a drag's dragmode)
            zoom = new_zoom
        elif trigger in (None, ids.URL):
            zoom = None
        if trigger == "timeline-click" and state == state_from_dict(current):
            raise PreventUpdate  # a click on a mark reads its sources: the views stay as they are
        if trigger == ids.URL and current and dataclasses.replace(state, opened="") == \
                dataclasses.replace(state_from_dict(current), opened=""):
            raise PreventUpdate  # only the open sources changed (provenance put them in the URL)
        url = no_update if trigger in (None, ids.URL) else state.to_query()
        timeline, map_figure, selection = render(state, width, zoom)
        # Any other change frames the map on what it now shows.
        return dict(url=url, state=dataclasses.asdict(state), zoom=zoom, map_view=None, controls=controls_of(state),
                    timeline=timeline, map=map_figure, selection=selection)

    def cached(fetch):
        """`fetch(*args)` remembered per state of the data (`stamp`): they change only at ingest."""
        @functools.lru_cache(maxsize=64)
        def run(stamp: str, *args):
            return fetch(*args)
        return run

    timeline_data, histogram_data = cached(backend.timeline), cached(backend.histogram)
    places_data = cached(backend.places)
    undrawn_data = cached(backend.undrawn)
    current_stamp = backend.stamp

    def warm_up() -> None:
        """Compute the default view once at start, so that the first page load finds it ready;
        then its other lanes and views, the first thing a reader changes."""
        state, stamp = ViewState(), current_stamp()
        timeline_data(stamp, state.for_timeline(), state.group_by, state.view)
        histogram_data(stamp, state.for_timeline())
        places_data(stamp, state.for_map())
        undrawn_data(stamp, state.filters())
        for group_by in GROUP_CHOICES:
            for view in VIEW_CHOICES:
                timeline_data(stamp, state.for_timeline(), group_by, view)

    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()

    @app.callback(Output(ids.OUTLETS, "options"), Output(ids.PLACES, "options"), Output(ids.STATUS, "children"),
                  Input(ids.URL, "pathname"), Input(ids.CHANGES, "data"))
    def choices(_path, _changes):
        """What there is to choose from: sent once per page load, not with every update."""
        outlets, names, status = backend.choices()
        return ([{"label": f" {name} ({n:,})", "value": name} for name, n in outlets],
                [{"label": n, "value": n} for n in names], status)

    # The graph's width in pixels, read by the page, so that labels are laid out for it: at load
    # here, and after a resize of the window by assets/resize.js (the same measure).
    app.clientside_callback("function(_) { return window.timelineWidth(); }",
                            Output(ids.WIDTH, "data"), Input(ids.URL, "pathname"))

    def render_map(state: ViewState, width, view=None, stamp: str | None = None) -> dict:
        places = places_data(stamp or current_stamp(), state.for_map())
        width = _plot_width(width)
        return figures.map_figure(places, state.picked, width=int(width * MAP_SHARE) if width else None, view=view)

    def render(state: ViewState, width, zoom) -> tuple:
        """The timeline and map figures and the selection line of a view state."""
        stamp = current_stamp()
        timeline = timeline_data(stamp, state.for_timeline(), state.group_by, state.view)
        hist = histogram_data(stamp, state.for_timeline())
        undrawn = undrawn_data(stamp, state.filters())
        shown = undrawn["events"]
        span = (state.span_from, state.span_to) if state.span_from else None
        return (timeline_figure(timeline, hist, state.group_by, span, width=_plot_width(width),
                                xrange=tuple(zoom) if zoom else None),
                render_map(state, width, stamp=stamp), _selection_line(state, shown, undrawn, timeline))

    @app.callback(Output(ids.PROVENANCE, "children"), Output(ids.PROV_KEY, "data"),
                  Output(ids.URL, "search", allow_duplicate=True),
                  Input(ids.TIMELINE, "clickData"), Input(ids.MAP, "clickData"), Input(ids.CHANGES, "data"),
                  Input(ids.URL, "pathname"), State(ids.URL, "search"), State(ids.STATE, "data"),
                  State(ids.PROV_KEY, "data"), prevent_initial_call="initial_duplicate")
    def provenance(timeline_click, map_click, changes, _path, search, state_dict, shown):
        """The sources of what was clicked (kept in the URL, so that a reload opens them again);
        after a correction, the event corrected (or, after a rejection or a confirmation, what
        was shown)."""
        state = state_from_dict(state_dict) if state_dict else from_query(search)
        trigger = ctx.triggered_id
        url = no_update
        if trigger == ids.TIMELINE and timeline_click:
            if str(_clicked(timeline_click)).startswith("m:"):
                raise PreventUpdate  # a histogram bar selects its month (sync); it has no sources
            shown = {"key": _clicked(timeline_click), "map": False}
        elif trigger == ids.MAP and map_click:
            shown = {"key": _clicked(map_click), "map": True}
        elif trigger == ids.CHANGES and isinstance(changes, dict) and changes.get("seq") is not None:
            shown = {"key": f"e:{changes['seq']}", "map": False}
        elif trigger in (None, ids.URL):  # the page loads: the sources its URL had open
            opened = from_query(search).opened
            if not opened or (shown and shown["key"] == opened):
                raise PreventUpdate
            shown = {"key": opened, "map": not opened.startswith(("s:", "e:", "c:", "m:"))}
            state = from_query(search)
        elif trigger != ids.CHANGES or not shown:
            return provenance_panel("", [], None), None, no_update
        if trigger in (ids.TIMELINE, ids.MAP) and isinstance(shown["key"], (str, int)):
            url = dataclasses.replace(state, opened=str(shown["key"])[:200]).to_query()
        filters = state.for_map() if shown["map"] else state.for_timeline()
        return backend.provenance(shown["key"], filters, on_map=shown["map"]), shown, url

    @app.callback(Output(ids.DOWNLOAD, "data"), Input(ids.EXPORT_BUTTON, "n_clicks"),
                  State(ids.EXPORT_FORMAT, "value"), State(ids.STATE, "data"), prevent_initial_call=True)
    def export_image(_clicks, fmt, state_dict):
        """The briefing image of the view, from a store or an archive."""
        from .briefing import keep_browser_alive, render_briefing

        keep_browser_alive()  # the first image starts the browser; the next ones reuse it
        content = render_briefing(backend, state_from_dict(state_dict), fmt)
        return {"content": base64.b64encode(content).decode(), "base64": True,
                "filename": f"timeline-briefing.{fmt}", "type": _MIME[fmt]}

    if backend.editable:
        review_ui.register(app, backend.db, backend.reader, default_gazetteer)  # corrections and review


MAP_SHARE = 0.6  # of the page's width: the map, beside the sources (assets/style.css, .where-row)


def _plot_width(width) -> int | None:
    """The width figures are laid out for: the page's measure of the timeline, less its panel's
    padding; None (the figures' default) before the page has said."""
    return int(width) - 24 if isinstance(width, (int, float)) and width > 300 else None


def provenance_for(conn: sqlite3.Connection, key, filters, on_map: bool = False) -> list:
    """The sources behind what was clicked: a story, an event, a place, a cell or a bubble."""
    if not isinstance(key, (str, int)) or key == "":
        return provenance_panel("", [], None)
    key = str(key)
    said = history(conn)
    if key.startswith("s:"):
        return stories_panel(conn, [key[2:]], said=said)
    if key.startswith("e:") and key[2:].isdigit():
        return provenance_panel("Event", query_events(conn, filters, seq=int(key[2:])),
                                lambda story: story_sources(conn, story), said)
    if key.startswith("c:"):  # a bubble of counts: lane | first day | last day
        lane, first, last = (key[2:].split("|") + ["", ""])[:3]
        events = query_events(conn, dataclasses.replace(filters, since=iso_day(first), until=iso_day(last), vaguer=True))
        events = [e for e in events if lane in (e.outlet or "(unknown outlet)", e.place_name or "(no place)",
                                                e.event_type, "(other)")]
        return provenance_panel(f"{plural(len(events), 'event')}, {first} to {last}", events,
                                lambda story: story_sources(conn, story), said)
    if key.startswith("cell:"):
        lat0, lon0, lat1, lon1 = (float(x) for x in key[5:].split(","))
        events = [e for e in query_events(conn, filters)
                  if e.lat is not None and lat0 <= e.lat < lat1 and lon0 <= e.lon < lon1]
        return provenance_panel(f"{plural(len(events), 'event')} in this area", events,
                                lambda story: story_sources(conn, story), said)
    events = query_events(conn, dataclasses.replace(filters, places=(key,)))
    at_place = [e for e in events if e.place_name == key] or events
    stories = list(dict.fromkeys(e.story_id or f"e:{e.seq}" for e in at_place))
    return stories_panel(conn, stories, title=f"At {key}: {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}",
                         said=said)


def stories_panel(conn: sqlite3.Connection, story_ids: list[str], title: str | None = None,
                  said: dict | None = None) -> list:
    rows = story_rows(conn, story_ids[:MAX_STORIES])
    return story_list(title, rows, more=len(story_ids) - MAX_STORIES, said=said)


_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def _clicked(click: dict):
    points = (click or {}).get("points") or []
    return points[0].get("customdata") if points else None


def _status(conn: sqlite3.Connection) -> str:
    c = store.counts(conn)
    as_of = store.meta(conn, "data_as_of")
    told = conn.execute("SELECT count(*) FROM stories WHERE outlets > 1").fetchone()[0]
    return (f"{plural(c['stories'], 'story', 'stories')} ({told:,} told by several outlets) · "
            f"{plural(c['events'], 'event')} · {plural(c['articles'], 'article')} · {plural(c['places'], 'place')} · "
            + (f"{plural(corrections_count(conn), 'correction')} · " if corrections_count(conn) else "")
            + (f"data as of {as_of.replace('T', ' ')[:16]} UTC" if as_of else
               "no articles yet: add some with timeline ingest PATH (files, folders, .jsonl or .csv "
               "dumps, or the pages that timeline fetch URL saves) and reload"))


def _selection_line(state: ViewState, shown: int, undrawn: dict, timeline: dict) -> list:
    what = (f"{plural(timeline.get('total', 0), 'story', 'stories')} from " if timeline.get("mode") == "stories" else "")
    parts = [html.Span(f"{what}{plural(shown, 'event')} match the filters ({state.filters().describe()}).")]
    if undrawn["undated"]:
        parts.append(html.Span(f" {undrawn['undated']:,} without a resolved date are on the map only.", className="hint"))
    if undrawn["unplaced"]:
        parts.append(html.Span(f" {undrawn['unplaced']:,} without a place are on the timeline only.", className="hint"))
    if state.span_from:
        parts.append(html.Span(f" Map: {state.span_from} to {state.span_to}.", className="chip"))
    if state.picked:
        parts.append(html.Span(" Timeline: " + ", ".join(state.picked) + ".", className="chip"))
    if not state.span_from and not state.picked:
        parts.append(html.Span(" Click a mark or a place to read its sources; drag across the timeline to "
                               "choose a span, or box places on the map.", className="hint"))
    return parts
