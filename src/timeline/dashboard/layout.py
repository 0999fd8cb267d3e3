"""The page: filters on the left; the timeline, the map and the sources on the right."""
from __future__ import annotations

from dash import dcc, html

from ..extract.event_types import EVENT_TYPES
from . import ids, review_ui
from .timeline_figure import TYPE_COLOURS

# The timeline keeps Autoscale: its first view may show only where most events are
# (figures.focus_range), and Autoscale shows them all.
# showSendToCloud: plotly.js 4 adds a "Share chart..." button by default, which uploads the
# figure (article sentences included) to cloud.plotly.com: never for a local tool.
GRAPH_CONFIG = {"displaylogo": False, "scrollZoom": False, "showSendToCloud": False,
                "modeBarButtonsToRemove": ["lasso2d", "toImage"]}
# plotly.js fetches its base map from a CDN unless told where the TopoJSON files are.
MAP_CONFIG = {**GRAPH_CONFIG, "topojsonURL": "/assets/topojson/",
              "modeBarButtonsToRemove": ["toImage"]}


def _field(label: str, control, hint: str | None = None) -> html.Div:
    children = [html.Label(label, className="field-label"), control]
    if hint:
        children.append(html.Div(hint, className="field-hint"))
    return html.Div(children, className="field")


def build_layout(editable: bool = True) -> html.Div:
    """The page; without `editable` (an archive, read only) no correction form or review queue."""
    filters = html.Aside([
        html.H1("timeline"),
        html.Div(id=ids.STATUS, className="status"),
        _field("Outlets", dcc.Checklist(id=ids.OUTLETS, options=[], value=[], className="outlets",
                                        inputClassName="check", labelClassName="check-label")),
        _field("Dates", dcc.DatePickerRange(id=ids.DATES, display_format="D MMM YYYY",
                                            clearable=True, start_date_placeholder_text="from",
                                            end_date_placeholder_text="to"),
               "events whose dates overlap the range"),
        _field("Places", dcc.Dropdown(id=ids.PLACES, options=[], value=[], multi=True,
                                      placeholder="any place")),
        _field("Text", dcc.Input(id=ids.QUERY, type="search", value="", debounce=True,
                                 placeholder="words in the sentence", className="text-input")),
        _field("Told by at least", dcc.Slider(id=ids.MIN_OUTLETS, min=1, max=5, step=1, value=1,
                                              marks={n: f"{n}" for n in range(1, 6)}),
               "outlets reporting the same story"),
        _field("Event types", dcc.Dropdown(id=ids.TYPES, options=[{"label": t, "value": t} for t in EVENT_TYPES],
                                           value=[], multi=True, placeholder="any type")),
        _field("Timeline shows", dcc.RadioItems(id=ids.VIEW, value="stories", inline=True,
                                                options=[{"label": " stories", "value": "stories"},
                                                         {"label": " every event", "value": "events"}]),
               "a story is one happening, however many outlets tell it"),
        _field("Lanes", dcc.RadioItems(id=ids.GROUP_BY, value="type", inline=True,
                                       options=[{"label": " by type", "value": "type"},
                                                {"label": " by outlet", "value": "outlet"},
                                                {"label": " by place", "value": "place"}])),
        dcc.Checklist(id=ids.VAGUER, options=[{"label": " include vaguer dates", "value": "vaguer"}], value=[],
                      inputClassName="check", labelClassName="check-label"),
        html.Div("A span of days shows the events of those days; this adds those dated only to a "
                 "month or a year around them.", className="field-hint"),
        html.Button("Clear selection", id=ids.CLEAR, className="button"),
        html.Div([
            html.Label("Briefing image", className="field-label"),
            dcc.Input(id=ids.TITLE, type="text", value="", debounce=True, placeholder="title",
                      className="text-input"),
            dcc.Input(id=ids.SUBTITLE, type="text", value="", debounce=True, placeholder="subtitle",
                      className="text-input subtitle-input"),
            dcc.RadioItems(id=ids.EXPORT_FORMAT, value="png", inline=True,
                           options=[{"label": f" {f.upper()}", "value": f} for f in ("png", "svg", "pdf")]),
            html.Button("Save image of this view", id=ids.EXPORT_BUTTON, className="button primary"),
            dcc.Download(id=ids.DOWNLOAD),
        ], className="field export"),
    ], className="sidebar")
    views = html.Main([
        html.Div(id=ids.SELECTION, className="selection"),
        html.Section([html.H2("When"), html.Div(dcc.Graph(id=ids.TIMELINE, config=GRAPH_CONFIG), className="timeline-scroll"),
                      legend()], className="panel"),
        # The sources beside the map, so that a click on a mark or a place shows them in view.
        html.Div([
            html.Section([html.H2("Where"), dcc.Graph(id=ids.MAP, config=MAP_CONFIG)], className="panel map-panel"),
            html.Div(([review_ui.form_layout()] if editable else [])
                     + [html.Section([html.H2("Sources"), html.Div(id=ids.PROVENANCE)], className="panel provenance")]),
        ], className="where-row"),
        *([review_ui.review_layout()] if editable else []),
    ], className="views")
    return html.Div([dcc.Location(id=ids.URL, refresh=False), dcc.Store(id=ids.STATE), dcc.Store(id=ids.WIDTH),
                     dcc.Store(id=ids.ZOOM), dcc.Store(id=ids.MAP_VIEW), dcc.Store(id=ids.CHANGES),
                     dcc.Store(id=ids.CORRECTING), dcc.Store(id=ids.PROV_KEY), filters, views], className="page")


def legend() -> html.Div:
    """What the marks mean: shapes, size, colour (event type) and the map's symbols."""
    swatches = [html.Span([html.Span(className="swatch", style={"background": colour}), name], className="key")
                for name, colour in TYPE_COLOURS.items()]
    return html.Div([
        html.Div([html.Span("●", className="glyph"), " a day", html.Span("▬", className="glyph bar"),
                  " a month, year or range (its span)", html.Span("◯", className="glyph"),
                  " ring: sources disagree on the date", html.Span("● ⬤", className="glyph"),
                  " larger: told by more outlets", html.Span("▮", className="glyph light"),
                  " histogram, light: vaguer dates spread over their span"], className="legend-row"),
        html.Div(swatches, className="legend-row"),
        html.Div("Map: ● city or site · ◇ region (centre) · ○ country · □ several places · "
                 "darker: named by more outlets", className="legend-row"),
    ], id=ids.LEGEND, className="legend")
