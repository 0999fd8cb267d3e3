"""Pure functions from view data (dashboard/data.py) to Plotly figures. Tested directly.

Figures are built as plain dicts in Plotly's JSON form: plotly.graph_objects validates every
array element, which cost more than the database queries for 100,000 events.

The timeline shows precision: a day is a dot; a month, quarter, year or range is a bar across its
span. The map shows one marker per place, sized by its events: cities and facilities as filled
dots, regions as open diamonds, countries (centroids, not places) as open circles. Labels are
given to the busiest places only where they do not collide with a label already placed. Past
MAX_MARKERS places, the quieter ones are summed into grid cells (open squares).
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

FONT = dict(family="Helvetica, Arial, sans-serif", size=12, color="#1f2933")
ACCENT = "#1b5e9c"
GRID = "#eef1f4"
DAY_MS = 86_400_000
KIND_STYLE = {  # marker symbol and legend name of each kind of place
    "point": ("circle", "city or site"),
    "region": ("diamond-open", "region (centre)"),
    "country": ("circle-open", "country (centre)"),
    "cell": ("square-open", "several places"),
}
LABEL_SPACING = 14  # the map's extent over this is the least distance between two labels
MAX_MARKERS = 200
CELL_DEGREES = 5
WIDE_EXTENT = 60  # degrees
GEO = dict(projection=dict(type="natural earth"), fitbounds="locations", resolution=50,
           showcountries=True, countrycolor="#9aa5b1", showland=True, landcolor="#f5f7fa",
           showocean=True, oceancolor="#e4ecf5", showlakes=False, showframe=False,
           coastlinecolor="#9aa5b1")


def empty_figure(message: str, height: int = 300) -> dict:
    return {"data": [], "layout": {
        "template": "plotly_white", "height": height, "font": FONT,
        "xaxis": {"visible": False}, "yaxis": {"visible": False}, "margin": dict(l=20, r=20, t=20, b=20),
        "annotations": [{"text": message, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
                         "showarrow": False, "font": {"size": 15, "color": "#52606d"}}]}}


def timeline_figure(data: dict, hist: list[dict], group_by: str,
                    span: tuple[str, str] | None = None) -> dict:
    """Events on a time axis in rows (by outlet or place), a histogram of events per month above."""
    if not data.get("rows"):
        return empty_figure("No dated events match these filters.")
    traces, names = timeline_traces(data, hist, hist_axis="y2", events_axis="y")
    slots = _row_slots(names)
    layout = {
        "template": "plotly_white", "height": 150 + ROW_PX * slots, "font": FONT,
        "showlegend": False, "dragmode": "select", "selectdirection": "h", "clickmode": "event+select",
        "bargap": 0.15, "barmode": "overlay", "margin": dict(l=row_label_margin(names), r=10, t=10, b=30),
        "hoverlabel": {"align": "left"}, "uirevision": group_by,
        **timeline_axes(names, events_domain=(0, 0.78), hist_domain=(0.82, 1), focus=focus_range(hist)),
    }
    # Rows fill from the top; unused slots stay empty below them.
    layout["yaxis"]["range"] = [len(names) - slots - 0.5, len(names) - 0.5]
    shapes, notes = [], []
    if span and span[0] and span[1]:
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": span[0], "x1": span[1],
                       "y0": 0, "y1": 1, "fillcolor": ACCENT, "opacity": 0.08, "line": {"width": 0}})
    if data["mode"] != "events":
        notes.append(corner_note(f"{data['total']:,} events: {data['mode'][:-1]}ly counts shown"))
    focus = layout["xaxis"].get("range")
    if focus:
        notes.append(corner_note(f"{outside(hist, focus):,} events start outside this span: Autoscale (toolbar) shows all",
                                 left=True))
    layout["shapes"], layout["annotations"] = shapes, notes
    return {"data": traces, "layout": layout}


FOCUS_SHARE = 0.9  # of the events the first view shows, when a few lie far from the rest


def focus_range(hist: list[dict]) -> tuple[str, str] | None:
    """The months that hold the middle FOCUS_SHARE of the events, padded, when the rest lie far
    out: one "since 1979" or "in 1836" would otherwise squeeze a month of news into a sliver.
    None when everything fits (the axis then spans it all); the toolbar's Autoscale shows all."""
    counts = sorted((h["month"], h["n"]) for h in hist)
    total = sum(n for _, n in counts)
    if total < 10:
        return None
    tail, seen, low, high = total * (1 - FOCUS_SHARE) / 2, 0, None, None
    for month, n in counts:
        seen += n
        if low is None and seen > tail:
            low = month
        if seen >= total - tail:
            high = month
            break
    first, last = dt.date.fromisoformat(counts[0][0]), dt.date.fromisoformat(counts[-1][0])
    low, high = dt.date.fromisoformat(low), dt.date.fromisoformat(high) + dt.timedelta(days=31)
    if (last - first).days < 3 * (high - low).days:
        return None
    pad = max(dt.timedelta(days=31), (high - low) / 10)
    return (low - pad).isoformat(), (high + pad).isoformat()


def outside(hist: list[dict], span) -> int:
    """How many events start in the months before or after `span` (a focus_range)."""
    low, high = span[0][:7], span[1][:7]
    return sum(h["n"] for h in hist if not low <= h["month"][:7] <= high)


def corner_note(text: str, left: bool = False, y: float = 1) -> dict:
    """A small note in the top corner of the timeline (top right, or top left)."""
    return {"text": text, "x": 0 if left else 1, "y": y, "xref": "paper", "yref": "paper", "showarrow": False,
            "xanchor": "left" if left else "right", "font": {"size": 11, "color": "#52606d"}}


ROW_PX = 26
ROWS_PER_STEP = 8
MAX_ROW_SLOTS = 48


def _row_slots(names: list[str]) -> int:
    """Rows the timeline makes room for: a multiple of ROWS_PER_STEP. The graph's height changes
    only when the rows pass a step, because a new height makes dash's Graph draw the whole figure
    a second time, after its resize observer fires (170 ms at 100,000 events)."""
    steps = max(1, math.ceil(len(names) / ROWS_PER_STEP))
    return min(MAX_ROW_SLOTS, steps * ROWS_PER_STEP)


def timeline_axes(names: list[str], events_domain, hist_domain, focus: tuple[str, str] | None = None,
                  x="xaxis", y="yaxis", y2="yaxis2") -> dict:
    """Axes for the timeline: events on `y`, the histogram on `y2`, one date axis `x` that shows
    `focus` (focus_range) first, or all when None."""
    anchor = y.replace("axis", "")
    return {
        x: {"type": "date", "showgrid": True, "gridcolor": GRID, "anchor": anchor,
            **({"range": list(focus)} if focus else {})},
        # Row labels get a margin computed here (row_label_margin), not Plotly's automargin,
        # which draws the whole figure a second time after measuring them (170 ms at 100k events).
        y: {"domain": list(events_domain), "categoryorder": "array", "categoryarray": names,
            "tickvals": names, "ticktext": [_short(n) for n in names],
            "type": "category", "showgrid": True, "gridcolor": GRID, "fixedrange": True},
        y2: {"domain": list(hist_domain), "showticklabels": False, "showgrid": False, "fixedrange": True,
             "anchor": x.replace("axis", "")},
    }


ROW_LABEL_CHARS = 32  # longer row names are cut, with an ellipsis; hover shows them whole
CHAR_PX = 7  # width of an average character of FONT, a little generous


def row_label_margin(names: list[str]) -> int:
    """Left margin, in pixels, that fits the longest row label."""
    return 16 + CHAR_PX * max((len(_short(n)) for n in names), default=4)


def _short(name: str) -> str:
    return name if len(name) <= ROW_LABEL_CHARS else name[:ROW_LABEL_CHARS - 1] + "…"


def timeline_traces(data: dict, hist: list[dict], hist_axis: str, events_axis: str, x: str = "x"):
    """The histogram and the events (or periodic counts) as traces; and the row names."""
    rows = data["rows"]
    names = sorted({r["row"] for r in rows}, key=lambda n: (n.startswith("("), n.lower()), reverse=True)
    traces = [{"type": "bar", "x": [h["month"] for h in hist], "y": [h["n"] for h in hist],
               "xaxis": x, "yaxis": hist_axis, "name": "events per month", "marker": {"color": "#9aa5b1"},
               "xperiod": "M1", "xperiodalignment": "start",
               "hovertemplate": "%{x|%b %Y}: %{y} events<extra></extra>"}]
    if data["mode"] == "events":
        traces += _event_traces(rows, events_axis, x)
    else:
        traces.append(_count_trace(rows, data["mode"], events_axis, x))
    return traces, names


def _hover(r: dict) -> str:
    sentence = _html_text(r["sentence"]) + ("…" if r.get("cut") else "")
    return (f"<b>{_html_text(r['date_text'])}</b> ({r['value'] or '?'})<br>{_html_text(r['place'] or 'no place')}"
            f" · {_html_text(r['outlet'])}" + (f" · {r['outlets']} outlets" if r["outlets"] > 1 else "")
            + "<br>" + _wrap(sentence))


def _event_traces(rows: list[dict], y: str, x: str) -> list[dict]:
    days = [r for r in rows if r["precision"] == "day"]
    spans = [r for r in rows if r["precision"] != "day"]
    traces = []
    if spans:
        lanes = span_lanes(spans)
        traces.append({
            "type": "bar", "orientation": "h", "xaxis": x, "yaxis": y, "name": "span",
            "y": [r["row"] for r in spans], "base": [r["start"] for r in spans],
            "x": [_span_ms(r["start"], r["end"]) for r in spans], "customdata": [r["seq"] for r in spans],
            "hovertext": [_hover(r) for r in spans], "hovertemplate": "%{hovertext}<extra></extra>",
            "width": [0.8 / n for _, n in lanes], "offset": [-0.4 + 0.8 * k / n for k, n in lanes],
            "marker": {"color": ACCENT, "opacity": 0.35, "line": {"color": ACCENT, "width": 1}}})
    if days:
        traces.append({
            "type": "scatter", "mode": "markers", "xaxis": x, "yaxis": y, "name": "day",
            "x": [r["start"] for r in days], "y": [r["row"] for r in days],
            "customdata": [r["seq"] for r in days], "hovertext": [_hover(r) for r in days],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": 10, "color": ACCENT, "line": {"color": "white", "width": 1}}})
    return traces


def span_lanes(spans: list[dict]) -> list[tuple[int, int]]:
    """(lane, lanes in its row) for each span, so that overlapping spans of a row stack rather
    than hide one another: each span takes the first lane that is free at its start."""
    lane_ends: dict[str, list[str]] = {}
    lane_of = []
    for r in spans:
        ends = lane_ends.setdefault(r["row"], [])
        for k, end in enumerate(ends):
            if end < r["start"]:
                ends[k] = r["end"]
                lane_of.append(k)
                break
        else:
            ends.append(r["end"])
            lane_of.append(len(ends) - 1)
    return [(k, min(len(lane_ends[r["row"]]), 6)) if k < 6 else (5, 6)
            for k, r in zip(lane_of, spans)]


def _count_trace(rows: list[dict], mode: str, y: str, x: str) -> dict:
    period = "week of %{x|%d %b %Y}" if mode == "weeks" else "%{x|%b %Y}"
    return {"type": "scatter", "mode": "markers", "xaxis": x, "yaxis": y, "name": mode,
            "x": [r["period"] for r in rows], "y": [r["row"] for r in rows], "text": [r["n"] for r in rows],
            "marker": {"size": [min(28, 4 + 3 * math.sqrt(r["n"])) for r in rows], "color": ACCENT, "opacity": 0.6},
            "hovertemplate": "%{y}<br>" + period + ": %{text} events<extra></extra>"}


def _span_ms(start: str, end: str) -> int:
    days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1
    return days * DAY_MS


def map_figure(places: list[dict], picked: tuple[str, ...] = (), height: int = 460) -> dict:
    """One marker per place, sized by events; the kind of place decides the symbol."""
    if not places:
        return empty_figure("No placed events match these filters.", height)
    traces, coloraxis = map_traces(places, picked)
    return {"data": traces, "layout": {
        "template": "plotly_white", "height": height, "font": FONT, "margin": dict(l=0, r=0, t=10, b=0),
        "geo": {**GEO, "resolution": map_resolution(places)}, "coloraxis": coloraxis, "clickmode": "event+select", "dragmode": "select",
        "uirevision": "map", "legend": {"orientation": "h", "y": 0, "x": 0, "bgcolor": "rgba(255,255,255,0.7)"}}}


def map_resolution(places: list[dict]) -> int:
    """The 1:50m coastlines when the places are close together; the 1:110m ones, which draw in
    half the time, when they span continents and the detail would not show."""
    lats = [p["lat"] for p in places]
    lons = [p["lon"] for p in places]
    return 110 if max(max(lats) - min(lats), max(lons) - min(lons)) > WIDE_EXTENT else 50


def map_traces(places: list[dict], picked: tuple[str, ...] = (), geo: str = "geo"):
    """Scattergeo traces (one per kind of place) and the colour axis they share."""
    shown, cells = aggregate_places(places)
    labelled = label_places(shown)
    most = max(p["outlets"] for p in shown + cells)
    traces = []
    for group, (symbol, legend) in KIND_STYLE.items():
        members = cells if group == "cell" else [p for p in shown if _kind_group(p["kind"]) == group]
        if not members:
            continue
        traces.append({
            "type": "scattergeo", "geo": geo, "name": legend, "mode": "markers+text",
            "lat": [p["lat"] for p in members], "lon": [p["lon"] for p in members],
            "customdata": [p["name"] for p in members],
            "text": [p["name"] if p["name"] in labelled else "" for p in members],
            "textposition": [labelled.get(p["name"], "top center") for p in members],
            "textfont": {"size": 11, "color": "#1f2933"},
            "hovertext": [_place_hover(p) for p in members], "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {
                "symbol": symbol, "size": [min(42, 8 + 4 * math.sqrt(p["events"])) for p in members],
                "color": [p["outlets"] for p in members], "coloraxis": "coloraxis", "opacity": 0.85,
                "line": {"width": [3 if p["name"] in picked else (2 if "open" in symbol else 0.5) for p in members],
                         "color": ["#d64545" if p["name"] in picked else "#243b53" for p in members]}}})
    coloraxis = {"colorscale": [[0, "#9fb3c8"], [1, "#0b3c6d"]], "cmin": 1, "cmax": max(2, most),
                 "colorbar": {"title": {"text": "outlets"}, "thickness": 10, "len": 0.5, "dtick": 1}}
    return traces, coloraxis


def aggregate_places(places: list[dict]) -> tuple[list[dict], list[dict]]:
    """The busiest MAX_MARKERS places as they are; the rest summed into grid cells, CELL_DEGREES
    wide, or wider until there are no more than MAX_MARKERS cells: every marker costs the
    browser drawing time, and 1,800 quiet places in 5-degree cells made 1,100 markers. A cell's
    `name` lists no place: it is not selectable as one."""
    ranked = sorted(places, key=lambda p: (-p["events"], p["name"]))
    shown, rest = ranked[:MAX_MARKERS], ranked[MAX_MARKERS:]
    degrees = CELL_DEGREES
    cells = _grid(rest, degrees)
    while len(cells) > MAX_MARKERS:
        degrees *= 2
        cells = _grid(rest, degrees)
    summed = [{"name": "", "country": "", "kind": "cell", "places": len(ps),
               "lat": sum(p["lat"] for p in ps) / len(ps), "lon": sum(p["lon"] for p in ps) / len(ps),
               "events": sum(p["events"] for p in ps), "outlets": max(p["outlets"] for p in ps)}
              for ps in cells]
    return shown, summed


def _grid(places: list[dict], degrees: float) -> list[list[dict]]:
    cells: dict[tuple, list[dict]] = defaultdict(list)
    for p in places:
        cells[(math.floor(p["lat"] / degrees), math.floor(p["lon"] / degrees))].append(p)
    return list(cells.values())


def _kind_group(kind: str) -> str:
    return kind if kind in ("region", "country") else "point"


def _place_hover(p: dict) -> str:
    if p["kind"] == "cell":
        return f"{p['places']} quieter places<br>{p['events']} events"
    kind = {"country": "country (centre of)", "region": "region (centre of)"}.get(p["kind"], p["kind"])
    return (f"<b>{_html_text(p['name'])}</b>, {p['country']} · {kind}<br>{p['events']} events from "
            f"{p['outlets']} outlet{'s' if p['outlets'] != 1 else ''}")


def label_places(places: list[dict]) -> dict[str, str]:
    """Name -> text position of the places to label: the busiest first, each only if no label
    stands too close; labels near the east or west edge lean inwards so they are not cut."""
    if not places:
        return {}
    lats = [p["lat"] for p in places]
    lons = [p["lon"] for p in places]
    extent = max(max(lats) - min(lats), max(lons) - min(lons), 4.0)
    spacing = extent / LABEL_SPACING
    west, east = min(lons), max(lons)
    chosen: list[dict] = []
    for p in sorted(places, key=lambda p: (-p["events"], p["name"])):
        if all(abs(p["lat"] - q["lat"]) > spacing * 0.6 or abs(p["lon"] - q["lon"]) > spacing * 1.5
               for q in chosen):
            chosen.append(p)
    span = max(east - west, 1e-9)
    return {p["name"]: "top left" if (p["lon"] - west) / span > 0.8 and len(places) > 1
            else "top right" if (p["lon"] - west) / span < 0.2 and len(places) > 1 else "top center"
            for p in chosen}


def _html_text(text: str) -> str:
    """Plotly hover text is HTML-like: escape what an article could smuggle in."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wrap(text: str, width: int = 70) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)
