"""Briefing images, ready to paste: a title and subtitle, the labelled timeline of the top
stories, the map framed on their places with labels, a legend, the filters in words, a numbered
list of sources and "data as of", drawn by kaleido with the local base map.

Sizes are layout pixels at 96 per inch, so that a preset's page has its real size (a 16:9 slide
of 13.33 in, an A4 page), and `scale` gives the output pixels: the slide preset is 1280 x 720
drawn at 1.5, a 1920 x 1080 PNG. No text is under MIN_FONT_PX (10.5 pt at that size). One
kaleido browser is kept alive in a long-running process (the dashboard), so that an image after
the first takes a fraction of the first one's time.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

import plotly.io as pio

from ..errors import ExportError
from ..paths import TOPOJSON_DIR
from ..query import Filters
from .figures import FONT, GEO, _html_text, map_frame, map_resolution, map_traces
from .placement import text_px
from .state import ViewState
from .timeline_figure import TYPE_COLOURS, marker_px, type_colour, when_written

MIN_FONT_PX = 14
TOP_STORIES = 12
MAX_SOURCES = 10


@dataclass(frozen=True)
class Page:
    width: int  # layout pixels
    height: int
    scale: float

    @property
    def portrait(self) -> bool:
        return self.height > self.width


PRESETS = {"slide": Page(1280, 720, 1.5), "a4": Page(794, 1123, 2.0)}


def page_of(preset: str | None = "slide", width: int | None = None, height: int | None = None,
            scale: float | None = None) -> Page:
    """A preset's page, with any of its sizes given by hand."""
    base = PRESETS.get(preset or "slide")
    if base is None:
        raise ExportError(f"unknown image preset {preset!r} (choose {', '.join(PRESETS)})")
    page = Page(width or base.width, height or base.height, scale or base.scale)
    if not (320 <= page.width <= 6000 and 240 <= page.height <= 6000 and 0.25 <= page.scale <= 6):
        raise ExportError(f"image size {page.width}x{page.height} at scale {page.scale} is out of range "
                          "(320-6000 by 240-6000 layout pixels, scale 0.25-6)")
    return page


def _configure_kaleido() -> None:
    """Point kaleido at the system's Chromium and plotly at the local base map (no network)."""
    if not os.environ.get("BROWSER_PATH"):
        for name in ("chromium", "chromium-browser", "google-chrome"):
            found = shutil.which(name)
            if found:
                os.environ["BROWSER_PATH"] = found
                break
    pio.defaults.topojson = TOPOJSON_DIR.resolve().as_uri() + "/"


_server_lock = threading.Lock()
_server_started = False


def keep_browser_alive() -> None:
    """Start kaleido's one browser for this process, once: each image then skips its start."""
    global _server_started
    with _server_lock:
        if _server_started:
            return
        import kaleido

        _configure_kaleido()
        kaleido.start_sync_server(silence_warnings=True)
        _server_started = True


def briefing_figure(source, state: ViewState, page: Page = PRESETS["slide"]) -> dict:
    """The whole briefing as one figure (see the module's docstring), of `source`: a backend
    (dashboard/backend.py: a SQLite store or an archive) or an open SQLite connection."""
    source = backend_of(source)
    filters = state.filters()
    timeline = source.timeline(state.for_timeline(), "type", "stories")
    ids = [r["story"] for r in sorted(timeline["rows"], key=lambda r: (-r["outlets"], -r["n"], r["start"]))
           ][:_stories_that_fit(page)] if timeline["mode"] == "stories" else []
    stories = sorted(source.story_rows(ids), key=lambda s: (s["start"] or "", s["id"]))
    sources = _number_sources(stories)
    places = source.places(state.for_map())
    if stories:
        shown_places = {s["place"] for s in stories if s["place"]}
        places = [p for p in places if p["name"] in shown_places] or places
    W, H = page.width, page.height
    title_px, sub_px, small = 28, 18, MIN_FONT_PX
    head = 22 + title_px + 8 + (sub_px + 8 if state.subtitle else 0) + small + 10
    sources_lines = min(len(sources), MAX_SOURCES) + (1 if len(sources) > MAX_SOURCES else 0)
    foot = 16 + small * 1.5 * (3 + (sources_lines + 1) // (1 if page.portrait else 2))
    body_top, body_bottom = head, H - foot
    if page.portrait:
        tl_box = (28, body_top, W - 28, body_top + (body_bottom - body_top) * 0.5)
        map_box = (28, tl_box[3] + 16, W - 28, body_bottom)
    else:
        split = W * 0.58
        tl_box = (24, body_top, split - 12, body_bottom)
        map_box = (split + 12, body_top, W - 24, body_bottom)
    traces, annotations, layout = [], [], {}
    annotations += _heading(state, filters, W, title_px, sub_px, small)
    if stories:
        t, a, axes = _story_timeline(stories, sources, tl_box, W, H, small)
        traces += t
        annotations += a
        layout.update(axes)
    else:
        annotations.append(_text("No dated stories match these filters.", (tl_box[0] + tl_box[2]) / 2 / W,
                                 1 - (tl_box[1] + tl_box[3]) / 2 / H, small + 2, anchor="center"))
    if places:
        mw, mh = map_box[2] - map_box[0], map_box[3] - map_box[1]
        frame = map_frame(places, int(mw), int(mh))
        traces += map_traces(places, frame=frame, font_px=small)
        layout["geo"] = {**GEO, **frame.geo(), "resolution": map_resolution(places),
                         "domain": {"x": [map_box[0] / W, map_box[2] / W], "y": [1 - map_box[3] / H, 1 - map_box[1] / H]}}
    else:
        annotations.append(_text("No placed events match these filters.", (map_box[0] + map_box[2]) / 2 / W,
                                 1 - (map_box[1] + map_box[3]) / 2 / H, small + 2, anchor="center"))
    annotations += _footer(sources, {st['event_type'] for st in stories}, source.data_as_of(), W, H, foot, small, page)
    layout.update({"template": "plotly_white", "width": W, "height": H, "font": {**FONT, "size": small},
                   "showlegend": False, "barmode": "overlay", "annotations": annotations,
                   "margin": dict(l=0, r=0, t=0, b=0)})
    return {"data": traces, "layout": layout}


def _stories_that_fit(page: Page) -> int:
    """TOP_STORIES, or fewer so that each has a row of two lines (its label, then its date), as
    long as that leaves at least 8; on a page too small for that, TOP_STORIES on one line each."""
    body = page.height * (0.5 if page.portrait else 1) - 360  # less the title, legend and sources
    fit = int(body / (TWO_LINES * MIN_FONT_PX))
    return min(TOP_STORIES, fit) if fit >= 8 else TOP_STORIES


def _heading(state: ViewState, filters: Filters, W, title_px, sub_px, small) -> list[dict]:
    title = state.title or _default_title(filters)
    y = 22
    out = [_text(f"<b>{_html_text(title)}</b>", 24 / W, None, title_px, top_px=y)]
    y += title_px + 8
    if state.subtitle:
        out.append(_text(_html_text(state.subtitle), 24 / W, None, sub_px, top_px=y, colour="#334e68"))
        y += sub_px + 8
    selection = []
    if state.span_from:
        selection.append(f"span {state.span_from} to {state.span_to}")
    if state.picked:
        selection.append("places " + ", ".join(state.picked))
    words = "Showing " + filters.describe() + ("; selected " + "; ".join(selection) if selection else "")
    out.append(_text(_html_text(words), 24 / W, None, small, top_px=y, colour="#52606d"))
    return out


def _default_title(filters: Filters) -> str:
    return "What happened: the most-told stories" if not filters.query else f"Stories about “{filters.query}”"


LABEL_SHARE = 0.6  # of the timeline's width: the column of labels; the date axis has the rest
# placement.text_px errs wide (so that the dashboard's labels never touch); for this one font,
# measured in the rendered SVG, it is about 10% wide, and bold is 8% wider than plain.
ESTIMATE_SLACK, BOLD = 1.1, 1.08
TWO_LINES = 2.4  # a row this many font sizes tall holds the label, and its date below it


def _story_timeline(stories, sources, box, W, H, small):
    """One row per story in date order: its label in a column on the left (what happened; then,
    when a row has room for two lines, its date, outlets and sources below), its mark on a date
    axis on the right."""
    x0, y0, x1, y1 = box
    first = min(dt.date.fromisoformat(s["start"]) for s in stories)
    last = max(dt.date.fromisoformat(s["end"]) for s in stories)
    pad = max(dt.timedelta(days=5), (last - first) / 12)
    lo, hi = first - pad, last + pad + dt.timedelta(days=1)
    column = (x1 - x0) * LABEL_SHARE
    axis_x0 = x0 + column + 12
    room = column * ESTIMATE_SLACK
    traces, annotations = [], []
    n = len(stories)
    row_px = (y1 - y0 - 30) / max(n, 1)
    two_lines = row_px >= TWO_LINES * small
    for k, s in enumerate(stories):
        colour = type_colour(s["event_type"])
        y = n - k
        if s["precision"] == "day":
            traces.append({"type": "scatter", "mode": "markers", "x": [s["start"]], "y": [y], "xaxis": "x", "yaxis": "y",
                           "marker": {"size": marker_px(s["outlets"]), "color": colour,
                                      "line": {"color": "#1f2933" if s["disagreement"] else "white",
                                               "width": 2.5 if s["disagreement"] else 1}}, "hoverinfo": "skip"})
        else:
            days = (dt.date.fromisoformat(s["end"]) - dt.date.fromisoformat(s["start"])).days + 1
            traces.append({"type": "bar", "orientation": "h", "base": [s["start"]], "x": [days * 86_400_000],
                           "y": [y], "xaxis": "x", "yaxis": "y", "width": 0.45, "hoverinfo": "skip",
                           "marker": {"color": colour, "opacity": 0.45, "line": {"color": colour, "width": 1}}})
        refs = ",".join(str(k) for k in sorted({sources[m.article][0] for m in s["members"] if m.article in sources}))
        when = when_written(s["start"], s["end"], s["precision"])
        told = f"{s['outlets']} outlet{'s' if s['outlets'] != 1 else ''}" + (f" [{refs}]" if refs else "")
        label = s["label"] or "(no label)"
        if two_lines:
            text = (f"<b>{_html_text(_fit(label, '', room / BOLD, small))}</b><br>"
                    f"<span style='color:#52606d'>{_html_text(_fit(f'{when} · {told}', '', room, small))}</span>")
        else:
            text = _html_text(_fit(f"{when} · {label}", f" · {told}", room, small))
        annotations.append({"x": x0 / W, "y": y, "xref": "paper", "yref": "y", "text": text, "showarrow": False,
                            "xanchor": "left", "yanchor": "middle", "align": "left", "font": {"size": small}})
    axes = {"xaxis": {"type": "date", "domain": [axis_x0 / W, x1 / W], "range": [lo.isoformat(), hi.isoformat()],
                      "anchor": "y", "showgrid": True, "gridcolor": "#eef1f4", "tickfont": {"size": small}},
            "yaxis": {"domain": [1 - y1 / H + 30 / H, 1 - y0 / H], "range": [0.4, n + 0.6], "visible": False,
                      "fixedrange": True}}
    return traces, annotations, axes


def _fit(text: str, tail: str, room_px: float, size: float) -> str:
    """`text` + `tail`, the text cut at a word (with an ellipsis) to fit in `room_px`."""
    if text_px(text + tail, size) <= room_px:
        return text + tail
    if text_px(tail, size) > room_px / 2:
        tail = ""
    words = text.split(" ")
    while len(words) > 3 and text_px(" ".join(words) + "…" + tail, size) > room_px:
        words.pop()
    return " ".join(words) + "…" + tail


def _number_sources(stories: list[dict]) -> dict[str, tuple[int, object]]:
    """article file -> (number, its first event): the articles behind the stories shown, the
    most-cited first."""
    counts: dict[str, list] = {}
    for s in stories:
        for m in s["members"]:
            counts.setdefault(m.article, [0, m])[0] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[1][1].outlet or "~", kv[0]))
    return {article: (k + 1, first) for k, (article, (_, first)) in enumerate(ranked)}


def _footer(sources, shown_types: set[str], as_of: str | None, W, H, foot, small, page: Page) -> list[dict]:
    """The legend (the marks, and the colours of the types shown), the numbered sources and
    "data as of"."""
    out = []
    top = H - foot + 8
    keys = [(t, c) for t, c in TYPE_COLOURS.items() if t in shown_types] or list(TYPE_COLOURS.items())
    key_text = "  ".join(f"<span style='color:{c}'>●</span> {t}" for t, c in keys)
    marks = ("● a day   ▬ a month, year or range   ○ ring: sources disagree on the date   larger: more "
             "outlets   [n]: sources below", "map: ● city or site · ◇ region · ○ country · darker: more outlets")
    if text_px("   ".join(marks), small) <= W - 48:
        marks = ("   ".join(marks),)
    for k, line in enumerate(marks):
        out.append(_text(line, 24 / W, None, small, top_px=top + k * small * 1.5, colour="#52606d"))
    top += (len(marks) - 1) * small * 1.5
    out.append(_text(key_text, 24 / W, None, small, top_px=top + small * 1.5, colour="#52606d"))
    lines = []
    room = (W - 48) / (1 if page.portrait else 2) - 12
    for article, (k, e) in list(sources.items())[:MAX_SOURCES]:
        head = f"[{k}] {e.outlet or 'unknown outlet'}" + (f", {e.published}" if e.published else "") + ": "
        link = f" — {_short_link(e.url)}" if e.url else ""
        lines.append(head + _fit(e.title or e.article, link, room - text_px(head, small), small))
    if len(sources) > MAX_SOURCES:
        lines.append(f"… and {len(sources) - MAX_SOURCES} more sources")
    as_of = f"Data as of {as_of.replace('T', ' ')[:16]} UTC" if as_of else "No articles stored yet"
    lines.append(as_of + " · made with timeline")
    per_column = len(lines) if page.portrait else (len(lines) + 1) // 2
    columns = [lines[:per_column], lines[per_column:]]
    for c, column in enumerate(columns):
        if not column:
            continue
        text = "<br>".join(_html_text(line) for line in column)
        out.append(_text(text, (24 + c * (W - 48) / 2) / W, None, small, top_px=top + small * 3.2, colour="#1f2933"))
    return out


def _short_link(url: str) -> str:
    """A link as a reader can copy it from a slide: host and path, without the scheme."""
    from urllib.parse import urlparse

    parts = urlparse(url)
    path = parts.path if len(parts.path) <= 24 else parts.path[:23] + "…"
    return (parts.netloc.removeprefix("www.") + path) if parts.netloc else url[:60]


def _text(text, x, y, size, top_px=None, colour="#1f2933", anchor="left") -> dict:
    """An annotation in paper coordinates (`top_px`: its top, in pixels from the page's top)."""
    item = {"text": text, "x": x, "xref": "paper", "yref": "paper", "showarrow": False, "align": "left",
            "xanchor": anchor, "font": {"size": size, "color": colour}}
    if top_px is not None:
        item.update(y=1, yanchor="top", yshift=-top_px)
    else:
        item.update(y=y, yanchor="middle")
    return item


def backend_of(source):
    """A backend of `source`, which may be an open SQLite connection (the Python API's)."""
    from .backend import SqliteBackend

    return SqliteBackend(conn=source) if isinstance(source, sqlite3.Connection) else source


def render_briefing(source, state: ViewState, fmt: str, page: Page = PRESETS["slide"]) -> bytes:
    if fmt not in ("png", "svg", "pdf"):
        raise ExportError(f"unknown image format {fmt!r} (choose png, svg or pdf)")
    _configure_kaleido()
    figure = briefing_figure(source, state, page)
    for attempt in range(2):
        try:
            return pio.to_image(figure, format=fmt, width=page.width, height=page.height, scale=page.scale,
                                validate=False)
        except Exception as e:  # kaleido without a browser, or a browser that fails to start
            # On a loaded machine kaleido can run its script before its own page has loaded
            # ("kaleido_scopes is not defined"): a second try starts it again.
            if attempt == 1:
                raise ExportError(f"cannot draw the {fmt.upper()} image: {e} "
                                  "(kaleido needs Chromium: apt-get install chromium)") from None


def write_briefing(source, state: ViewState, fmt: str, path: Path, page: Page) -> None:
    content = render_briefing(source, state, fmt, page)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def state_of(filters: Filters, title: str = "", subtitle: str = "") -> ViewState:
    """The view state of CLI filters."""
    return ViewState(outlets=filters.outlets, since=filters.since.isoformat() if filters.since else "",
                     until=filters.until.isoformat() if filters.until else "", places=filters.places,
                     query=filters.query, min_outlets=filters.min_outlets, event_types=filters.event_types,
                     vaguer=filters.vaguer, title=title, subtitle=subtitle)
