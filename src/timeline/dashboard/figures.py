"""Pure functions from view data (dashboard/data.py) to Plotly figures. Tested directly.

The timeline shows precision: a day is a dot; a month, quarter, year or range is a bar across its
span. The map shows one marker per place, sized by its events: cities and facilities as filled
dots, regions as open diamonds, countries (centroids, not places) as open circles. Labels are
given to the busiest places only where they do not collide with a label already placed.
"""
from __future__ import annotations

import datetime as dt
import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

FONT = dict(family="Helvetica, Arial, sans-serif", size=12, color="#1f2933")
ACCENT = "#1b5e9c"
DAY_MS = 86_400_000
KIND_STYLE = {  # marker symbol and legend name of each kind of place
    "point": ("circle", "city or site"),
    "region": ("diamond-open", "region (centre)"),
    "country": ("circle-open", "country (centre)"),
}
LABEL_SPACING = 14  # the map's extent over this is the least distance between two labels


def empty_figure(message: str, height: int = 300) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font=dict(size=15, color="#52606d"))
    fig.update_layout(template="plotly_white", height=height, font=FONT,
                      xaxis=dict(visible=False), yaxis=dict(visible=False),
                      margin=dict(l=20, r=20, t=20, b=20))
    return fig


def timeline_figure(data: dict, hist: list[dict], group_by: str,
                    span: tuple[str, str] | None = None) -> go.Figure:
    """Events on a time axis in rows (by outlet or place), a histogram of events per month above."""
    rows = data.get("rows") or []
    if not rows:
        return empty_figure("No dated events match these filters.")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.2, 0.8], vertical_spacing=0.04)
    names = add_timeline(fig, data, hist, hist_row=1, events_row=2)
    height = max(320, min(1400, 150 + 26 * len(names)))
    fig.update_layout(template="plotly_white", height=height, font=FONT, showlegend=False,
                      dragmode="select", selectdirection="h", clickmode="event+select",
                      bargap=0.15, margin=dict(l=10, r=10, t=10, b=30), hoverlabel=dict(align="left"),
                      barmode="overlay", uirevision=group_by)
    if span and span[0] and span[1]:
        fig.add_vrect(x0=span[0], x1=span[1], fillcolor=ACCENT, opacity=0.08, line_width=0, row="all", col=1)
    if data["mode"] == "weeks":
        fig.add_annotation(text=f"{data['total']:,} events: weekly counts shown", x=1, y=1.0,
                           xref="paper", yref="paper", showarrow=False, xanchor="right",
                           font=dict(size=11, color="#52606d"))
    return fig


def add_timeline(fig: go.Figure, data: dict, hist: list[dict], hist_row: int, events_row: int) -> list[str]:
    """Add the histogram and the events (or weekly counts) to two rows of `fig`; return row names."""
    rows = data["rows"]
    names = sorted({r["row"] for r in rows}, key=lambda n: (n.startswith("("), n.lower()), reverse=True)
    fig.add_trace(go.Bar(x=[h["month"] for h in hist], y=[h["n"] for h in hist], name="events per month",
                         marker_color="#9aa5b1", xperiod="M1", xperiodalignment="start",
                         hovertemplate="%{x|%b %Y}: %{y} events<extra></extra>"), row=hist_row, col=1)
    if data["mode"] == "events":
        _add_event_traces(fig, rows, events_row)
    else:
        _add_week_trace(fig, rows, events_row)
    fig.update_yaxes(categoryorder="array", categoryarray=names, row=events_row, col=1, automargin=True,
                     showgrid=True, gridcolor="#eef1f4")
    fig.update_yaxes(row=hist_row, col=1, title_text="", showticklabels=False, showgrid=False)
    fig.update_xaxes(type="date", showgrid=True, gridcolor="#eef1f4", row=events_row, col=1)
    fig.update_xaxes(type="date", showticklabels=False, row=hist_row, col=1)
    return names


def _hover(r: dict) -> str:
    sentence = _html_text(r["sentence"]) + ("…" if r.get("cut") else "")
    return (f"<b>{_html_text(r['date_text'])}</b> ({r['value'] or '?'})<br>{_html_text(r['place'] or 'no place')}"
            f" · {_html_text(r['outlet'])}" + (f" · {r['outlets']} outlets" if r["outlets"] > 1 else "")
            + "<br>" + _wrap(sentence))


def _add_event_traces(fig: go.Figure, rows: list[dict], row: int) -> None:
    days = [r for r in rows if r["precision"] == "day"]
    spans = [r for r in rows if r["precision"] != "day"]
    if spans:
        lanes = span_lanes(spans)
        fig.add_trace(go.Bar(
            orientation="h", y=[r["row"] for r in spans], base=[r["start"] for r in spans],
            x=[_span_ms(r["start"], r["end"]) for r in spans], customdata=[r["seq"] for r in spans],
            hovertext=[_hover(r) for r in spans], hovertemplate="%{hovertext}<extra></extra>",
            width=[0.8 / n for _, n in lanes], offset=[-0.4 + 0.8 * k / n for k, n in lanes],
            marker=dict(color=ACCENT, opacity=0.35, line=dict(color=ACCENT, width=1)),
            name="span"), row=row, col=1)
    if days:
        fig.add_trace(go.Scatter(
            x=[r["start"] for r in days], y=[r["row"] for r in days], mode="markers",
            customdata=[r["seq"] for r in days], hovertext=[_hover(r) for r in days],
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(size=10, color=ACCENT, line=dict(color="white", width=1)), name="day"), row=row, col=1)


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


def _add_week_trace(fig: go.Figure, rows: list[dict], row: int) -> None:
    fig.add_trace(go.Scatter(
        x=[r["week"] for r in rows], y=[r["row"] for r in rows], mode="markers",
        marker=dict(size=[min(28, 4 + 3 * math.sqrt(r["n"])) for r in rows], color=ACCENT, opacity=0.6),
        hovertemplate="%{y}<br>week of %{x|%d %b %Y}: %{text} events<extra></extra>",
        text=[r["n"] for r in rows], name="weekly events"), row=row, col=1)


def _span_ms(start: str, end: str) -> int:
    days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1
    return days * DAY_MS


def map_figure(places: list[dict], picked: tuple[str, ...] = (), height: int = 460) -> go.Figure:
    """One marker per place, sized by events; the kind of place decides the symbol."""
    if not places:
        return empty_figure("No placed events match these filters.", height)
    fig = go.Figure()
    add_map(fig, places, picked)
    fig.update_layout(template="plotly_white", height=height, font=FONT, margin=dict(l=0, r=0, t=10, b=0),
                      legend=dict(orientation="h", y=0, x=0, bgcolor="rgba(255,255,255,0.7)"),
                      clickmode="event+select", dragmode="select", uirevision="map")
    return fig


def add_map(fig: go.Figure, places: list[dict], picked: tuple[str, ...] = (), row=None, col=None) -> None:
    """Add the place markers to `fig` (its geo subplot at row, col) and style the base map."""
    labelled = label_places(places)
    most = max(p["outlets"] for p in places)
    for group, (symbol, legend) in KIND_STYLE.items():
        members = [p for p in places if _kind_group(p["kind"]) == group]
        if not members:
            continue
        fig.add_trace(go.Scattergeo(
            lat=[p["lat"] for p in members], lon=[p["lon"] for p in members],
            customdata=[p["name"] for p in members], name=legend,
            mode="markers+text", text=[p["name"] if p["name"] in labelled else "" for p in members],
            textposition=[labelled.get(p["name"], "top center") for p in members],
            textfont=dict(size=11, color="#1f2933"),
            hovertext=[_place_hover(p) for p in members], hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(
                symbol=symbol, size=[min(42, 8 + 4 * math.sqrt(p["events"])) for p in members],
                color=[p["outlets"] for p in members], coloraxis="coloraxis",
                line=dict(width=[3 if p["name"] in picked else (2 if "open" in symbol else 0.5) for p in members],
                          color=["#d64545" if p["name"] in picked else "#243b53" for p in members]),
                opacity=0.85)), row=row, col=col)
    fig.update_geos(projection_type="natural earth", fitbounds="locations", resolution=50,
                    showcountries=True, countrycolor="#9aa5b1", showland=True, landcolor="#f5f7fa",
                    showocean=True, oceancolor="#e4ecf5", showlakes=False, showframe=False,
                    coastlinecolor="#9aa5b1")
    fig.update_layout(coloraxis=dict(colorscale=[[0, "#9fb3c8"], [1, "#0b3c6d"]], cmin=1, cmax=max(2, most),
                                     colorbar=dict(title=dict(text="outlets"), thickness=10, len=0.5, dtick=1)))


def _kind_group(kind: str) -> str:
    return kind if kind in ("region", "country") else "point"


def _place_hover(p: dict) -> str:
    kind = {"country": "country (centre of)", "region": "region (centre of)"}.get(p["kind"], p["kind"])
    return (f"<b>{_html_text(p['name'])}</b>, {p['country']} · {kind}<br>{p['events']} events from "
            f"{p['outlets']} outlet{'s' if p['outlets'] != 1 else ''}")


def label_places(places: list[dict]) -> dict[str, str]:
    """Name -> text position of the places to label: the busiest first, each only if no label
    stands too close; labels near the east or west edge lean inwards so they are not cut."""
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
