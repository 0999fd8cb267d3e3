"""The timeline as a Plotly figure (a plain dict): one mark per story (or per event), labelled.

Lanes (by event type, outlet or place) are stacks of levels; placement.place_marks gives each
mark a level so that marks and labels never lie on one another, the most-told stories labelled
first, and a crowded lane grows. A day is a dot; a month, a year or a range is a bar across its
span; colour says the event type, size the number of outlets; a ring marks a story whose
sources disagree on the date. Above the lanes, a histogram counts the events of each month:
those dated to a day, a week or a month in full, the vaguer ones spread over the months of
their span (lighter), so that "in 2024" is not counted in January.

Clicks are told apart by `customdata`: "s:<story>", "e:<event seq>", "m:<month>" (a histogram
bar), "c:<lane>|<period start>|<period end>" (a bubble of counts).
"""
from __future__ import annotations

import datetime as dt
import math

from ..extract.date_values import month_value
from ..ingest import plural
from .figures import ACCENT, FONT, GRID, corner_note, empty_figure, focus_range, outside, _html_text, _wrap
from .placement import Item, fit_marks, text_px


def _outside_note(n: int) -> str:
    return f"{plural(n, 'event')} start{'s' if n == 1 else ''} outside this span: Autoscale (toolbar) shows all"

DAY_MS = 86_400_000
LEVEL_PX = 21  # height of one level of marks
LANE_GAP_PX = 8
HIST_PX = 64
LABEL_FONT = 11
MAX_LEVELS_PER_LANE = 8
MAX_LEVELS = 40  # in all lanes: past this, lanes get fewer levels each
DEFAULT_WIDTH = 1100  # pixels of the graph when the page has not said
MARGIN_RIGHT = 16
LABEL_CHARS = 72  # of a story's label on the timeline; the hover has it whole

TYPE_COLOURS = {  # Tableau's ten, told apart by most readers, and a light grey for "other"
    "attack/strike": "#d62728", "fighting": "#ff7f0e", "movement/deployment": "#9467bd",
    "meeting/agreement": "#1f77b4", "statement/accusation": "#7f7f7f", "casualties/damage": "#8c564b",
    "legal/arrest": "#17becf", "politics/election": "#bcbd22", "disaster/accident": "#e377c2",
    "economy/production": "#2ca02c", "other": "#b0b7bf",
}


def type_colour(event_type: str) -> str:
    return TYPE_COLOURS.get(event_type, TYPE_COLOURS["other"])


def when_written(start: str, end: str, precision: str) -> str:
    """A date at its precision, as a reader writes it: "19 Jun 2024", "Jun 2024", "2024",
    "Q3 2024", "2019–2021", "3–9 Jun 2024"."""
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if precision == "day" or a == b:
        return f"{a.day} {a:%b %Y}"
    if precision == "month":
        return f"{a:%b %Y}"
    if precision == "year":
        return str(a.year)
    if precision == "quarter":
        return f"Q{(a.month - 1) // 3 + 1} {a.year}"
    if a.year == b.year and a.month == 1 and a.day == 1 and b.month == 12 and b.day == 31:
        return str(a.year)
    if a.day == 1 and (b + dt.timedelta(days=1)).day == 1:  # whole months
        if a.year == b.year and a.month == 1 and b.month == 12:
            return str(a.year)
        if a.month == 1 and b.month == 12:
            return f"{a.year}–{b.year}"
        return f"{a:%b}–{b:%b %Y}" if a.year == b.year else f"{a:%b %Y}–{b:%b %Y}"
    if a.year == b.year and a.month == b.month:
        return f"{a.day}–{b.day} {a:%b %Y}"
    return f"{a.day} {a:%b} – {b.day} {b:%b %Y}" if a.year == b.year else f"{a.day} {a:%b %Y} – {b.day} {b:%b %Y}"


def mark_text(row: dict) -> str:
    """The words drawn beside a mark: its date, what happened, and how many outlets say so."""
    label = row["label"] or row.get("date_text") or "event"
    label = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rsplit(" ", 1)[0] + "…"
    outlets = row.get("outlets") or 1
    return f"{when_written(row['start'], row['end'], row['precision'])} · {label}" + (
        f" · {outlets} outlets" if outlets > 1 else "")


def marker_px(outlets: int) -> float:
    """Diameter of a mark: larger as more outlets tell it (up to six)."""
    return 9 + 2 * min(max(outlets, 1), 6)


def timeline_figure(data: dict, hist: list[dict], group_by: str, span: tuple[str, str] | None = None,
                    width: int | None = None, xrange: tuple[str, str] | None = None) -> dict:
    """Stories or events on a time axis in lanes, a histogram of events per month above; `width`
    pixels wide when the page has measured it (its labels are laid out for that width), before
    that fitted to the page and laid out for DEFAULT_WIDTH."""
    figure = _figure(data, hist, group_by, span, width, xrange)
    if width:
        # With a width and a height set, dcc.Graph no longer fits the plot to its box: each change
        # of height (more lanes, fewer after a search) had drawn the plot twice, the second time
        # 100-200 ms later. The page measures again when its window is resized (assets/resize.js).
        figure["layout"]["width"] = width
    return figure


def _figure(data: dict, hist: list[dict], group_by: str, span, width: int | None, xrange) -> dict:
    if not data.get("rows"):
        return empty_figure("No dated events match these filters.")
    if data["mode"] not in ("stories", "events"):
        return _counts_figure(data, hist, group_by, span, width or DEFAULT_WIDTH)
    rows = data["rows"]
    width = width or DEFAULT_WIDTH
    lanes = _lane_order(rows, group_by)
    margin_left = 16 + 7 * max(len(_short(n)) for n in lanes)
    plot_px = max(200, width - margin_left - MARGIN_RIGHT)
    focus = xrange or focus_range(hist) or _extent(rows)
    x0, x1 = (_ms(focus[0]), _ms(focus[1]))
    per_px = (x1 - x0) / plot_px
    items = []
    for r in rows:
        a, b = _ms(r["start"]), _ms(r["end"]) + DAY_MS
        px0, px1 = (a - x0) / per_px, (b - x0) / per_px
        is_dot = r["precision"] == "day"
        text = mark_text(r)
        visible = px1 >= 0 and px0 <= plot_px
        items.append(Item(key=r["key"], lane=r["row"], x0=px0 if not is_dot else (px0 + px1) / 2,
                          x1=px1 if not is_dot else (px0 + px1) / 2, radius=marker_px(r["outlets"]) / 2,
                          label_px=text_px(text, LABEL_FONT) if visible else 0,
                          rank=(-r["outlets"], -r.get("n", 1), not visible, r["start"], str(r["key"]))))
    levels = fit_marks(items, plot_px, MAX_LEVELS_PER_LANE, MAX_LEVELS)
    # y in level units from the top: each lane takes its levels, then a gap.
    base, y = {}, 0.0
    gap = LANE_GAP_PX / LEVEL_PX
    for lane in lanes:
        base[lane] = y
        y += levels.get(lane, 1) + gap
    total_levels = math.ceil(y / 4) * 4  # height moves in steps: a new height redraws twice
    by_key = {i.key: i for i in items}
    traces = [*_hist_traces(hist)]
    traces += _mark_traces(rows, by_key, base)
    annotations = [_mark_label(r, by_key[r["key"]], base) for r in rows if by_key[r["key"]].labelled]
    events_px = total_levels * LEVEL_PX
    height = 40 + HIST_PX + events_px + 30
    plot_h = height - 40 - 30
    split = events_px / plot_h
    shapes = [{"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": base[lane] - gap / 2 - 0.5,
               "y1": base[lane] - gap / 2 - 0.5, "line": {"color": GRID, "width": 1}} for lane in lanes[1:]]
    if span and span[0] and span[1]:
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": span[0], "x1": span[1],
                       "y0": 0, "y1": 1, "fillcolor": ACCENT, "opacity": 0.08, "line": {"width": 0}})
    notes = []
    if not xrange and focus_range(hist):
        notes.append(corner_note(_outside_note(outside(hist, focus)), left=True))
    hidden = sum(1 for i in items if not i.labelled)
    if hidden:
        one = {"stories": "story", "events": "event"}.get(data["mode"], data["mode"])
        notes.append(corner_note(f"{plural(hidden, 'more ' + one, 'more ' + data['mode'])} unlabelled: "
                                 "hover, zoom or filter to read them"))
    layout = {
        "template": "plotly_white", "height": height, "font": FONT, "showlegend": False,
        "dragmode": "select", "selectdirection": "h", "clickmode": "event", "hovermode": "closest",
        "barmode": "overlay", "bargap": 0.1, "margin": dict(l=margin_left, r=MARGIN_RIGHT, t=40, b=30),
        "hoverlabel": {"align": "left"}, "uirevision": f"{group_by}|{data['mode']}",
        "xaxis": {"type": "date", "showgrid": True, "gridcolor": GRID, "anchor": "y",
                  "range": [focus[0], focus[1]]},
        "yaxis": {"domain": [0, split * 0.98], "range": [total_levels - 0.5, -0.7], "fixedrange": True,
                  "tickvals": [base[lane] + (levels.get(lane, 1) - 1) / 2 for lane in lanes],
                  "ticktext": [_short(lane) for lane in lanes], "showgrid": False, "zeroline": False},
        "yaxis2": {"domain": [split + 0.02, 1], "showticklabels": False, "showgrid": False, "fixedrange": True,
                   "anchor": "x"},
        "shapes": shapes, "annotations": annotations + notes,
    }
    return {"data": traces, "layout": layout}


def _mark_label(r: dict, item: Item, base: dict) -> dict:
    shift = item.radius + 4 if r["precision"] == "day" else 4
    return {"x": (r["end"] if r["precision"] != "day" else r["start"]) if not item.label_left else r["start"],
            "y": base[r["row"]] + item.level, "xref": "x", "yref": "y", "text": _html_text(mark_text(r)),
            "showarrow": False, "xanchor": "right" if item.label_left else "left", "yanchor": "middle",
            "xshift": -shift if item.label_left else shift, "font": {"size": LABEL_FONT, "color": "#1f2933"},
            "captureevents": False, "name": "label"}


def _mark_traces(rows: list[dict], by_key: dict, base: dict) -> list[dict]:
    days = [r for r in rows if r["precision"] == "day"]
    spans = [r for r in rows if r["precision"] != "day"]
    traces = []
    if spans:
        traces.append({
            "type": "bar", "orientation": "h", "name": "month or longer",
            "y": [base[r["row"]] + by_key[r["key"]].level for r in spans], "base": [r["start"] for r in spans],
            "x": [(_ms(r["end"]) - _ms(r["start"]) + DAY_MS) for r in spans], "width": 0.5,
            "customdata": [r["key"] for r in spans], "hovertext": [_hover(r) for r in spans],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"color": [type_colour(r["event_type"]) for r in spans], "opacity": 0.45,
                       "line": {"color": [type_colour(r["event_type"]) for r in spans], "width": 1}}})
    if days:
        traces.append({
            "type": "scatter", "mode": "markers", "name": "day",
            "x": [r["start"] for r in days], "y": [base[r["row"]] + by_key[r["key"]].level for r in days],
            "customdata": [r["key"] for r in days], "hovertext": [_hover(r) for r in days],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": [marker_px(r["outlets"]) for r in days],
                       "color": [type_colour(r["event_type"]) for r in days],
                       "line": {"color": ["#1f2933" if r.get("disagreement") else "white" for r in days],
                                "width": [2.5 if r.get("disagreement") else 1 for r in days]}}})
    return traces


def _hist_traces(hist: list[dict]) -> list[dict]:
    if not hist:
        return []
    months = [h["month"] for h in hist]
    common = {"type": "bar", "x": months, "xaxis": "x", "yaxis": "y2", "xperiod": "M1",
              "xperiodalignment": "start", "customdata": [f"m:{m}" for m in months]}
    traces = [{**common, "name": "events per month", "y": [h["n"] for h in hist], "marker": {"color": "#9aa5b1"},
               "hovertemplate": "%{x|%b %Y}: %{y} events dated within the month (click: select the month)<extra></extra>"}]
    if any(h.get("vague") for h in hist):
        traces.append({**common, "name": "vaguer dates, spread", "y": [round(h.get("vague", 0), 2) for h in hist],
                       "base": [h["n"] for h in hist], "marker": {"color": "#d9dee3"},
                       "hovertemplate": "%{x|%b %Y}: %{y:.1f} events of vaguer dates, spread over their span"
                                        "<extra></extra>"})
    return traces


def _hover(r: dict) -> str:
    when = when_written(r["start"], r["end"], r["precision"])
    head = f"<b>{_html_text(r['label'] or r.get('date_text') or '')}</b><br>{when}"
    if r.get("date_text"):
        head += f" (“{_html_text(r['date_text'])}”)"
    head += f" · {_html_text(r.get('place') or 'no place')}"
    outlets = r.get("outlets") or 1
    head += f"<br>{outlets} outlet{'s' if outlets != 1 else ''}"
    if r.get("n", 1) > 1:
        head += f" · {r['n']} reports"
    if r.get("outlet"):
        head += f" · {_html_text(r['outlet'])}"
    head += f" · {r['event_type']}"
    if r.get("disagreement"):
        head += "<br><i>sources disagree on the date</i>"
    if r.get("sentence"):
        head += "<br>" + _wrap(_html_text(r["sentence"]) + ("…" if r.get("cut") else ""))
    return head + "<br><i>click to read the sources</i>"


def _lane_order(rows: list[dict], group_by: str) -> list[str]:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["row"]] = counts.get(r["row"], 0) + 1
    if group_by == "type":
        order = list(TYPE_COLOURS)
        return sorted(counts, key=lambda n: order.index(n) if n in order else len(order))
    return sorted(counts, key=lambda n: (n.startswith("("), -counts[n], n.lower()))


def _extent(rows: list[dict]) -> tuple[str, str]:
    first = min(dt.date.fromisoformat(r["start"]) for r in rows)
    last = max(dt.date.fromisoformat(r["end"]) for r in rows)
    pad = max(dt.timedelta(days=3), (last - first) / 25)
    return (first - pad).isoformat(), (last + pad + dt.timedelta(days=1)).isoformat()


def _ms(iso: str) -> float:
    d = dt.datetime.fromisoformat(str(iso)[:19].replace(" ", "T"))
    return (d - dt.datetime(1970, 1, 1)).total_seconds() * 1000


ROW_LABEL_CHARS = 28


def _short(name: str) -> str:
    return name if len(name) <= ROW_LABEL_CHARS else name[:ROW_LABEL_CHARS - 1] + "…"


def _counts_figure(data: dict, hist: list[dict], group_by: str, span, width: int = DEFAULT_WIDTH) -> dict:
    """Past MAX_POINTS marks: bubbles of counts per lane and week (or month), their areas in
    proportion to the busiest bubble's, as wide at most as a period: sized by a fixed rule,
    every bubble of 10,000,000 events had the largest size and they overlapped."""
    rows = data["rows"]
    lanes = _lane_order(rows, group_by)[::-1]
    events = sum(r["n"] for r in rows)
    periods = sorted({r["period"] for r in rows})
    margin_left = 16 + 7 * max(len(_short(n)) for n in lanes)
    span_days = max(7, (dt.date.fromisoformat(periods[-1]) - dt.date.fromisoformat(periods[0])).days + 7)
    per_period_px = (width - margin_left - 10) * (7 if data["mode"] == "weeks" else 30.4) / span_days
    biggest = max(4.0, min(28.0, per_period_px * 0.95))
    # Against the busiest named lane: "(other)" sums the quieter lanes, and would shrink the rest
    # to dots; its own bubbles stop at the largest size.
    most = max((r["n"] for r in rows if r["row"] != "(other)"), default=0) or max(r["n"] for r in rows)
    period = "week of %{x|%d %b %Y}" if data["mode"] == "weeks" else "%{x|%b %Y}"
    step = 7 if data["mode"] == "weeks" else 31
    traces = [*_hist_traces(hist), {
        "type": "scatter", "mode": "markers", "name": data["mode"], "x": [r["period"] for r in rows],
        "y": [r["row"] for r in rows], "text": [r["n"] for r in rows],
        "customdata": [f"c:{r['row']}|{r['period']}|{_period_end(r['period'], step)}" for r in rows],
        "marker": {"size": [max(3.0, biggest * min(1.0, math.sqrt(r["n"] / most))) for r in rows], "color": ACCENT,
                   "opacity": 0.6},
        "hovertemplate": "%{y}<br>" + period + ": %{text} events (click: list them)<extra></extra>"}]
    traces += _top_traces(data.get("top", []), lanes[-1] if lanes else None)
    slots = max(8, math.ceil(len(lanes) / 8) * 8)
    focus = focus_range(hist)
    shapes = []
    if span and span[0] and span[1]:
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": span[0], "x1": span[1],
                       "y0": 0, "y1": 1, "fillcolor": ACCENT, "opacity": 0.08, "line": {"width": 0}})
    notes = [corner_note(f"{events:,} dated events: {data['mode'][:-1]}ly counts, the largest bubble {most:,}"
                         + (" · ★ the most-told story of each stretch" if data.get("top") else ""))]
    if focus:
        notes.append(corner_note(_outside_note(outside(hist, focus)), left=True))
    return {"data": traces, "layout": {
        "template": "plotly_white", "height": 150 + 26 * slots, "font": FONT, "showlegend": False,
        "dragmode": "select", "selectdirection": "h", "clickmode": "event", "barmode": "overlay",
        "margin": dict(l=margin_left, r=10, t=30, b=30),
        "uirevision": f"{group_by}|counts", "hoverlabel": {"align": "left"},
        "xaxis": {"type": "date", "showgrid": True, "gridcolor": GRID, "anchor": "y",
                  **({"range": list(focus)} if focus else {})},
        "yaxis": {"domain": [0, 0.78], "type": "category", "categoryorder": "array", "categoryarray": lanes,
                  "tickvals": lanes, "ticktext": [_short(n) for n in lanes], "fixedrange": True,
                  "range": [len(lanes) - slots - 0.5, len(lanes) - 0.5], "gridcolor": GRID},
        "yaxis2": {"domain": [0.82, 1], "showticklabels": False, "showgrid": False, "fixedrange": True, "anchor": "x"},
        "shapes": shapes, "annotations": notes}}


def _top_traces(top: list[dict], top_lane: str | None = None) -> list[dict]:
    """The most-told stories among the counts (archive/aggregate.py gives them): a star in the
    type's colour at the story's date in its lane, labelled with what, where and how many
    outlets, so that the counts say what happened without a hover."""
    if not top:
        return []
    # Labels run into the plot: rightwards in its left half, leftwards in its right half; above
    # their star, below it in the top lane.
    first, last = min(_ms(t["start"]) for t in top), max(_ms(t["start"]) for t in top)
    middle = (first + last) / 2
    return [{"type": "scatter", "mode": "markers+text", "name": "most told", "x": [t["start"] for t in top],
             "textposition": [("bottom" if t["row"] == top_lane else "top") + (" right" if _ms(t["start"]) <= middle else " left")
                              for t in top],
             "y": [t["row"] for t in top], "customdata": [t["key"] for t in top],
             "text": [_html_text(f"{_cut(t['label'] or '', 38)} · {t['outlets']} outlet{'s' if t['outlets'] != 1 else ''}")
                      for t in top],
             "textfont": {"size": LABEL_FONT, "color": "#1f2933"},
             "hovertext": [_html_text(f"{t['label']} ({when_written(t['start'], t['end'], t['precision'])}, "
                                      f"{t['place'] or 'no place'}): told by {t['outlets']} outlets") for t in top],
             "hovertemplate": "%{hovertext}<br><i>click to read its sources</i><extra></extra>",
             "marker": {"symbol": "star", "size": 14, "color": [type_colour(t["event_type"]) for t in top],
                        "line": {"color": "#1f2933", "width": 1}}}]


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars - 1] + "…"


def _period_end(start: str, step: int) -> str:
    d = dt.date.fromisoformat(start)
    if step == 7:
        return (d + dt.timedelta(days=6)).isoformat()
    return month_value(d.year, d.month)[1].isoformat()
