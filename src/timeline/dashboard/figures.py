"""Pure functions from view data (dashboard/data.py) to Plotly figures, the map's here and what
the timeline (timeline_figure.py) shares. Tested directly.

Figures are built as plain dicts in Plotly's JSON form: plotly.graph_objects validates every
array element, which cost more than the database queries for 100,000 events.

The map shows one marker per place (a city and its region of one name are one), sized by its
events and shaded by its outlets: cities and facilities as filled dots, regions as open diamonds,
countries (centroids, not places) as open circles. It frames the places shown, in Mercator, so
that pixels are known and labels can be placed (placement.py): the busiest first, each where it
covers no other label and no marker, set off with a leader line when it must. Past MAX_MARKERS
places, the quieter ones are summed into grid cells (open squares).
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from .placement import MapLabel, mercator_y, place_map_labels, text_px

FONT = dict(family="Helvetica, Arial, sans-serif", size=12, color="#1f2933")
ACCENT = "#1b5e9c"
GRID = "#eef1f4"
DAY_MS = 86_400_000
KIND_STYLE = {  # marker symbol and legend name of each kind of place
    "point": ("circle", "city or site"),
    "region": ("diamond-open", "region (centre)"),
    "country": ("circle-open", "country"),
    "cell": ("square-open", "several places"),
}
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
            "xanchor": "left" if left else "right", "yanchor": "bottom", "font": {"size": 11, "color": "#52606d"}}


MAP_HEIGHT = 340
LABEL_FONT_PX = 12
MIN_EXTENT = 6.0  # degrees: the least span the map frames, so that one place is not a blur


def map_figure(places: list[dict], picked: tuple[str, ...] = (), height: int = MAP_HEIGHT,
               width: int | None = None, view: list[float] | None = None) -> dict:
    """One marker per place, sized by its events, framed on them (or on `view`, the ranges a
    zoom chose: [lon0, lon1, lat0, lat1]), with labels placed so that none covers another label
    or a marker (leader lines where a label stands off): a closer view has room for more."""
    if not places:
        return empty_figure("No placed events match these filters.", height)
    width = width or 1100
    frame = MapFrame(*view, width, height) if view else map_frame(places, width, height)
    inside = [p for p in places if frame.lat0 <= p["lat"] <= frame.lat1 and frame.lon0 <= p["lon"] <= frame.lon1]
    traces = map_traces(places, picked, frame=frame, labelled=inside)
    return {"data": traces, "layout": {
        "template": "plotly_white", "height": height, "font": FONT, "margin": dict(l=0, r=0, t=0, b=0),
        "geo": {**GEO, **frame.geo(), "resolution": map_resolution(inside or places)},
        "clickmode": "event", "dragmode": "select", "showlegend": False,
        # A zoom's new frame is a new view: plotly.js must not keep the zoom that asked for it (the
        # frames that filters give keep one revision: a new one cost each filter change 30-60 ms).
        "uirevision": "map|" + (",".join(f"{v:.3f}" for v in view) if view else "framed"),
        "hoverlabel": {"align": "left"}}}


def zoomed_view(relayout: dict | None, figure_geo: dict | None) -> list[float] | None:
    """The ranges [lon0, lon1, lat0, lat1] a zoom or pan of the map asks for, from plotly.js's
    relayout (a projection scale and a centre, relative to the figure drawn); None when the
    relayout is no zoom."""
    if not relayout or not figure_geo:
        return None
    scale = relayout.get("geo.projection.scale")
    lon = relayout.get("geo.center.lon")
    lat = relayout.get("geo.center.lat")
    if scale is None and lon is None and lat is None:
        return None
    lon0, lon1 = figure_geo["lonaxis"]["range"]
    lat0, lat1 = figure_geo["lataxis"]["range"]
    scale = float(scale or 1)
    c_lon = float(lon) if lon is not None else (lon0 + lon1) / 2
    c_y = mercator_y(float(lat) if lat is not None else (lat0 + lat1) / 2)
    half_lon = (lon1 - lon0) / 2 / scale
    half_y = (mercator_y(lat1) - mercator_y(lat0)) / 2 / scale
    return [c_lon - half_lon, c_lon + half_lon, _lat_of(c_y - half_y), _lat_of(c_y + half_y)]


class MapFrame:
    """The area a map shows, in Mercator, fitted to `width` x `height` pixels, and the way from
    degrees to pixels within it (for label placement).

    plotly.js fits the box of lonaxis/lataxis ranges into the frame (d3's fitExtent) as a
    polygon of four segments a side, whose edges are great circles: along a wide box, the top
    and bottom edges bulge towards the poles (by 5 degrees of latitude at 70 N across a world
    map). Then it puts the midpoint of the ranges, in degrees, at the frame's centre. The frame
    reckons with both, to give the box the frame's shape and to know where each place is drawn
    (checked against plotly.js's own projection in a browser: the same pixels)."""

    def __init__(self, lon0, lon1, lat0, lat1, width, height):
        self.width, self.height = width, height
        lon0, lon1, lat0, lat1 = max(-180.0, lon0), min(180.0, lon1), max(-80.0, lat0), min(84.0, lat1)
        for _ in range(4):  # widen the short side, then reckon the bulge again
            x_span = math.radians(lon1 - lon0)
            y0, y1 = self._bulged(lat0, lon1 - lon0, -1), self._bulged(lat1, lon1 - lon0, 1)
            want = x_span * height / width
            if y1 - y0 < want - 1e-9:
                grow = (want - (y1 - y0)) / 2
                lat0 = self._unbulged(_lat_of(y0 - grow), lon1 - lon0, -1)
                lat1 = self._unbulged(_lat_of(y1 + grow), lon1 - lon0, 1)
                lat0, lat1 = max(-80.0, lat0), min(84.0, lat1)
            elif y1 - y0 > want + 1e-9 and lon1 - lon0 < 360:
                grow = math.degrees(((y1 - y0) * width / height - x_span) / 2)
                lon0, lon1 = max(-180.0, lon0 - grow), min(180.0, lon1 + grow)
            else:
                break
        self.lon0, self.lon1, self.lat0, self.lat1 = lon0, lon1, lat0, lat1
        x_span = math.radians(lon1 - lon0)
        y0, y1 = self._bulged(lat0, lon1 - lon0, -1), self._bulged(lat1, lon1 - lon0, 1)
        self.scale = min(width / x_span, height / (y1 - y0))  # pixels per radian
        self.mid_lon, self.mid_y = (lon0 + lon1) / 2, mercator_y((lat0 + lat1) / 2)

    @staticmethod
    def _bulged(lat: float, lon_span: float, side: int) -> float:
        """Mercator y of the edge at `lat` as drawn: its poleward bulge when it lies poleward."""
        if lat * side <= 0:
            return mercator_y(lat)
        half = math.radians(lon_span / 4) / 2
        apex = math.degrees(math.atan(math.tan(math.radians(abs(lat))) / math.cos(half)))
        return mercator_y(side * min(apex, 85.0))

    @staticmethod
    def _unbulged(lat: float, lon_span: float, side: int) -> float:
        """The edge latitude whose bulge reaches `lat`."""
        if lat * side <= 0:
            return lat
        half = math.radians(lon_span / 4) / 2
        return side * math.degrees(math.atan(math.tan(math.radians(abs(lat))) * math.cos(half)))

    def geo(self) -> dict:
        return {"projection": {"type": "mercator"}, "fitbounds": False,
                "lonaxis": {"range": [self.lon0, self.lon1]}, "lataxis": {"range": [self.lat0, self.lat1]}}

    def px(self, lat: float, lon: float) -> tuple[float, float]:
        x = self.width / 2 + math.radians(lon - self.mid_lon) * self.scale
        y = self.height / 2 - (mercator_y(lat) - self.mid_y) * self.scale
        return x, y

    def degrees(self, x: float, y: float) -> tuple[float, float]:
        lon = self.mid_lon + math.degrees((x - self.width / 2) / self.scale)
        return _lat_of(self.mid_y - (y - self.height / 2) / self.scale), lon


def _lat_of(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def map_frame(places: list[dict], width: int, height: int) -> MapFrame:
    """The frame around the places, padded, at least MIN_EXTENT degrees across."""
    lats = [p["lat"] for p in places]
    lons = [p["lon"] for p in places]
    lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
    pad_lat = max((lat1 - lat0) * 0.15, (MIN_EXTENT - (lat1 - lat0)) / 2, 1.0)
    pad_lon = max((lon1 - lon0) * 0.12, (MIN_EXTENT - (lon1 - lon0)) / 2, 1.0)
    return MapFrame(lon0 - pad_lon, lon1 + pad_lon, lat0 - pad_lat, lat1 + pad_lat, width, height)


def map_resolution(places: list[dict]) -> int:
    """The 1:50m coastlines when the places are close together; the 1:110m ones, which draw in
    half the time, when they span continents and the detail would not show."""
    lats = [p["lat"] for p in places]
    lons = [p["lon"] for p in places]
    return 110 if max(max(lats) - min(lats), max(lons) - min(lons)) > WIDE_EXTENT else 50


SIZE_SCALE_EVENTS = 60  # a place's size grows with the root of its events up to this many, then
# relative to the busiest place shown: sized by a fixed rule, every place of 10,000,000 events had
# the largest size, and the map was one blot


def marker_size(events: int, most: int = SIZE_SCALE_EVENTS) -> float:
    return 8 + 26 * math.sqrt(events / max(most, events, SIZE_SCALE_EVENTS))


def map_traces(places: list[dict], picked: tuple[str, ...] = (), geo: str = "geo", frame: MapFrame | None = None,
               font_px: float = LABEL_FONT_PX, labelled: list[dict] | None = None) -> list[dict]:
    """Scattergeo traces: one per kind of place, then the labels (of `labelled`, by default all
    shown) and their leader lines."""
    shown, cells = aggregate_places(places)
    most = max(p["outlets"] for p in shown + cells)
    busiest = max(p["events"] for p in shown + cells)
    traces = []
    for group, (symbol, legend) in KIND_STYLE.items():
        members = cells if group == "cell" else [p for p in shown if _kind_group(p["kind"]) == group]
        if not members:
            continue
        traces.append({
            "type": "scattergeo", "geo": geo, "name": legend, "mode": "markers",
            "lat": [p["lat"] for p in members], "lon": [p["lon"] for p in members],
            "customdata": [p.get("key") or p["name"] for p in members],
            "hovertext": [_place_hover(p) for p in members], "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {
                "symbol": symbol, "size": [marker_size(p["events"], busiest) for p in members],
                "color": [_shade(p["outlets"], most) for p in members], "opacity": 0.9,
                "line": {"width": [3 if p["name"] in picked else (2 if "open" in symbol else 0.5) for p in members],
                         "color": ["#d64545" if p["name"] in picked else "#243b53" for p in members]}}})
    if frame is not None:
        names = {p["name"] for p in labelled} if labelled is not None else None
        traces += label_traces([p for p in shown if names is None or p["name"] in names], frame, geo, font_px,
                               busiest)
    return traces


def _shade(outlets: int, most: int) -> str:
    """Light for a place one outlet names, dark for the one most outlets name."""
    t = 0 if most <= 1 else (outlets - 1) / (most - 1)
    light, dark = (159, 179, 200), (11, 60, 109)
    return "rgb(%d,%d,%d)" % tuple(round(a + (b - a) * t) for a, b in zip(light, dark))


def label_traces(places: list[dict], frame: MapFrame, geo: str = "geo", font_px: float = LABEL_FONT_PX,
                 busiest: int = SIZE_SCALE_EVENTS) -> list[dict]:
    """The labels of the places that have room, most events first: a text trace, and a trace of
    leader lines for the labels set off from their markers."""
    ranked = sorted(places, key=lambda p: (-p["events"], p["name"]))
    labels = []
    for p in ranked:
        x, y = frame.px(p["lat"], p["lon"])
        labels.append(MapLabel(p["name"], x, y, marker_size(p["events"], busiest) / 2, text_px(p["name"], font_px),
                               font_px * 1.25))
    place_map_labels(labels, frame.width, frame.height)
    texts = [lb for lb in labels if lb.shown]
    if not texts:
        return []
    points = [frame.degrees(lb.x + lb.dx, lb.y + lb.dy) for lb in texts]
    traces = [{"type": "scattergeo", "geo": geo, "name": "labels", "mode": "text",
               "lat": [pt[0] for pt in points], "lon": [pt[1] for pt in points],
               "text": [_html_text(lb.key) for lb in texts], "textposition": "middle center",
               "textfont": {"size": font_px, "color": "#1f2933"}, "hoverinfo": "skip",
               "customdata": [lb.key for lb in texts]}]
    leaders = [lb for lb in texts if lb.leader]
    if leaders:
        lat, lon = [], []
        for lb in leaders:
            start = frame.degrees(lb.x, lb.y)
            # to the near edge of the text box, not its centre
            end = frame.degrees(lb.x + lb.dx - math.copysign(min(abs(lb.dx), lb.width / 2), lb.dx),
                                lb.y + lb.dy - math.copysign(min(abs(lb.dy), lb.height / 2), lb.dy))
            lat += [start[0], end[0], None]
            lon += [start[1], end[1], None]
        traces.append({"type": "scattergeo", "geo": geo, "name": "leaders", "mode": "lines", "lat": lat, "lon": lon,
                       "line": {"color": "#7b8794", "width": 1}, "hoverinfo": "skip"})
    return traces


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
    summed = [{"name": "", "key": _cell_key(ps, degrees), "country": "", "kind": "cell", "places": len(ps),
               "lat": sum(p["lat"] for p in ps) / len(ps), "lon": sum(p["lon"] for p in ps) / len(ps),
               "events": sum(p["events"] for p in ps), "outlets": max(p["outlets"] for p in ps)}
              for ps in cells]
    return shown, summed


def _cell_key(places: list[dict], degrees: float) -> str:
    """"cell:lat0,lon0,lat1,lon1": the cell's bounds, so that a click can list its events."""
    lat, lon = math.floor(places[0]["lat"] / degrees) * degrees, math.floor(places[0]["lon"] / degrees) * degrees
    return f"cell:{lat},{lon},{lat + degrees},{lon + degrees}"


def _grid(places: list[dict], degrees: float) -> list[list[dict]]:
    cells: dict[tuple, list[dict]] = defaultdict(list)
    for p in places:
        cells[(math.floor(p["lat"] / degrees), math.floor(p["lon"] / degrees))].append(p)
    return list(cells.values())


def _kind_group(kind: str) -> str:
    return kind if kind in ("region", "country") else "point"


def _place_hover(p: dict) -> str:
    if p["kind"] == "cell":
        return f"{p['places']} quieter places<br>{p['events']:,} events"
    kind = {"country": "country (centre of)", "region": "region (centre of)"}.get(p["kind"], p["kind"])
    stories = p.get("stories", p["events"])
    # An archive estimates the stories of a large selection, or leaves them out (archive/aggregate.py).
    told = "" if stories is None else (f"{'about ' if p.get('stories_estimated') else ''}{stories:,} "
                                       f"stor{'y' if stories == 1 else 'ies'}, ")
    return (f"<b>{_html_text(p['name'])}</b>, {p['country']} · {kind}<br>{told}"
            f"{p['events']:,} event{'s' if p['events'] != 1 else ''}, from {p['outlets']} outlet"
            f"{'s' if p['outlets'] != 1 else ''}<br><i>click to read its stories</i>")


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
