"""The page: filters on the left; the timeline, the map and the sources on the right."""
from __future__ import annotations

from dash import dcc, html

from . import ids

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


def build_layout() -> html.Div:
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
        _field("Timeline rows", dcc.RadioItems(id=ids.GROUP_BY, value="outlet", inline=True,
                                               options=[{"label": " by outlet", "value": "outlet"},
                                                        {"label": " by place", "value": "place"}])),
        html.Button("Clear selection", id=ids.CLEAR, className="button"),
        html.Div([
            html.Label("Briefing image", className="field-label"),
            dcc.RadioItems(id=ids.EXPORT_FORMAT, value="png", inline=True,
                           options=[{"label": f" {f.upper()}", "value": f} for f in ("png", "svg", "pdf")]),
            html.Button("Save image of this view", id=ids.EXPORT_BUTTON, className="button primary"),
            dcc.Download(id=ids.DOWNLOAD),
        ], className="field export"),
    ], className="sidebar")
    views = html.Main([
        html.Div(id=ids.SELECTION, className="selection"),
        html.Section([html.H2("When"), dcc.Graph(id=ids.TIMELINE, config=GRAPH_CONFIG)], className="panel"),
        html.Section([html.H2("Where"), dcc.Graph(id=ids.MAP, config=MAP_CONFIG)], className="panel"),
        html.Section(id=ids.PROVENANCE, className="panel provenance"),
    ], className="views")
    return html.Div([dcc.Location(id=ids.URL, refresh=False), dcc.Store(id=ids.STATE),
                     filters, views], className="page")
