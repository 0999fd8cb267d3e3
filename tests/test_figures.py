from pathlib import Path

import plotly.graph_objects as go
from dash import html

from timeline.dashboard.figures import focus_range, label_places, map_figure, span_lanes, timeline_figure
from timeline.dashboard.provenance import highlighted_sentence, provenance_panel, safe_link
from timeline.query import EventRow


def event_row(seq, row, start, end, precision, sentence="Rain fell.", **kw):
    return {"seq": seq, "row": row, "start": start, "end": end, "precision": precision, "value": start,
            "date_text": "on Monday", "place": "Lisbon", "outlet": row, "sentence": sentence, "cut": False,
            "outlets": 1, **kw}


def test_days_are_dots_and_spans_are_bars_across_their_dates():
    data = {"mode": "events", "total": 2, "rows": [
        event_row(1, "Wire", "2024-06-03", "2024-06-03", "day"),
        event_row(2, "Daily", "2024-06-01", "2024-06-30", "month")]}
    fig = timeline_figure(data, [{"month": "2024-06-01", "n": 2}], "outlet")
    go.Figure(fig)  # valid for plotly
    hist, bars, dots = fig["data"]
    assert hist["type"] == "bar" and hist["y"] == [2] and hist["yaxis"] == "y2"
    assert bars["type"] == "bar" and bars["orientation"] == "h" and bars["base"] == ["2024-06-01"]
    assert bars["x"] == [30 * 86_400_000] and bars["customdata"] == [2]
    assert dots["type"] == "scatter" and dots["x"] == ["2024-06-03"] and dots["customdata"] == [1]
    assert fig["layout"]["dragmode"] == "select"


def test_the_first_view_shows_where_most_events_are_when_a_few_lie_far_out():
    news = [{"month": f"2024-{m:02d}-01", "n": 20} for m in range(6, 12)]
    far = [{"month": "1836-01-01", "n": 1}, {"month": "1979-01-01", "n": 1}]
    low, high = focus_range(far + news)
    assert "2024-03-01" < low < "2024-06-01" and "2024-12-01" < high < "2025-03-01"
    assert focus_range(news) is None  # all of it fits: the axis spans everything
    assert focus_range(far) is None  # too few events to tell a crowd from stragglers
    data = {"mode": "events", "total": 1, "rows": [event_row(1, "Wire", "2024-06-03", "2024-06-03", "day")]}
    assert timeline_figure(data, far + news, "outlet")["layout"]["xaxis"]["range"] == [low, high]


def test_hover_text_is_escaped():
    data = {"mode": "events", "total": 1, "rows": [event_row(1, "Wire", "2024-06-03", "2024-06-03", "day",
                                                             sentence="<img src=x onerror=alert(1)>")]}
    dots = timeline_figure(data, [], "outlet")["data"][-1]
    assert "<img" not in dots["hovertext"][0] and "&lt;img" in dots["hovertext"][0]


def test_overlapping_spans_stack_in_lanes():
    spans = [event_row(1, "A", "2024-01-01", "2024-12-31", "year"), event_row(2, "A", "2024-06-01", "2024-06-30", "month"),
             event_row(3, "A", "2025-01-05", "2025-01-05", "day"), event_row(4, "B", "2024-06-01", "2024-06-30", "month")]
    assert span_lanes(spans) == [(0, 2), (1, 2), (0, 2), (0, 1)]


def test_many_events_are_drawn_as_periodic_counts():
    data = {"mode": "weeks", "total": 50_000, "rows": [{"row": "Wire", "period": "2024-06-03", "n": 40}]}
    fig = timeline_figure(data, [], "outlet")
    go.Figure(fig)
    assert fig["data"][-1]["text"] == [40] and "weekly counts" in fig["layout"]["annotations"][0]["text"]


def test_empty_states_say_so():
    assert "No dated events" in timeline_figure({"mode": "events", "rows": []}, [], "outlet")["layout"]["annotations"][0]["text"]
    assert "No placed events" in map_figure([])["layout"]["annotations"][0]["text"]


def place(name, lat, lon, events=1, kind="city", outlets=1):
    return {"name": name, "country": "XX", "kind": kind, "lat": lat, "lon": lon, "events": events,
            "outlets": outlets, "undated": 0}


def test_map_markers_by_kind_and_labels_that_do_not_collide():
    places = [place("Kursk", 51.7, 36.2, 5, "region"), place("Belgorod", 50.6, 36.6, 2, "region"),
              place("Kharkiv", 50.0, 36.2, 1), place("Hamhung", 39.9, 127.5, 8), place("Russia", 61, 99, 3, "country")]
    fig = map_figure(places, picked=("Hamhung",))
    go.Figure(fig)
    kinds = {t["name"]: t["customdata"] for t in fig["data"]}
    assert kinds == {"city or site": ["Hamhung", "Kharkiv"], "region (centre)": ["Kursk", "Belgorod"],
                     "country (centre)": ["Russia"]}
    labels = label_places(places)
    assert {"Hamhung", "Kursk", "Russia"} <= set(labels) and not {"Belgorod", "Kharkiv"} & set(labels)
    assert fig["layout"]["geo"]["fitbounds"] == "locations"


def test_past_max_markers_the_quieter_places_are_summed_into_cells():
    from timeline.dashboard.figures import MAX_MARKERS, aggregate_places

    places = [place(f"P{i}", i % 50, i % 170, events=1000 - i) for i in range(MAX_MARKERS + 60)]
    shown, cells = aggregate_places(places)
    assert len(shown) == MAX_MARKERS and sum(c["places"] for c in cells) == 60
    assert sum(c["events"] for c in cells) == sum(p["events"] for p in places[MAX_MARKERS:])


def test_cells_widen_until_there_are_no_more_markers_than_places_shown():
    from timeline.dashboard.figures import MAX_MARKERS, aggregate_places

    # 3,000 places spread over the globe: 5-degree cells would make over a thousand markers.
    places = [place(f"P{i}", (i * 37) % 170 - 85, (i * 53) % 350 - 175, events=5000 - i) for i in range(3000)]
    shown, cells = aggregate_places(places)
    assert len(shown) == MAX_MARKERS and 0 < len(cells) <= MAX_MARKERS
    assert sum(c["places"] for c in cells) == 3000 - MAX_MARKERS
    assert sum(c["events"] for c in cells) + sum(p["events"] for p in shown) == sum(p["events"] for p in places)


def test_row_labels_get_a_margin_that_fits_them_and_long_names_are_cut():
    from timeline.dashboard.figures import ROW_LABEL_CHARS, row_label_margin, timeline_axes

    names = ["CNN", "The Independent", "A very long outlet name that goes on and on and on"]
    axis = timeline_axes(names, (0, 0.8), (0.8, 1))["yaxis"]
    assert axis["tickvals"] == names and "automargin" not in axis
    assert axis["ticktext"][2].endswith("…") and len(axis["ticktext"][2]) == ROW_LABEL_CHARS
    assert row_label_margin(names) > row_label_margin(["CNN"]) > 16


def row(**kw):
    base = dict(seq=1, id="e1", article="a.txt", outlet="Wire", title="Floods", url="https://example.org/a",
                published="2024-06-05", sentence="Floods hit Lisbon on Monday.", sentence_start=100,
                date_text="on Monday", date_start=118, date_end=127, value="2024-06-03", start="2024-06-03",
                end="2024-06-03", precision="day", place_name="Lisbon", place_country="PT", place_kind="city",
                lat=38.7, lon=-9.1, place_text="Lisbon", place_start=111, place_end=117, place_inferred=False,
                story_id=None, story_outlets=1, disagreement=None, named_places=(("Lisbon", 111, 117),))
    base.update(kw)
    return EventRow(**base)


def test_sentence_marks_date_and_place_words():
    pieces = highlighted_sentence(row())
    assert pieces[0] == "Floods hit "
    assert isinstance(pieces[1], html.Mark) and pieces[1].children == "Lisbon"
    assert isinstance(pieces[3], html.Mark) and pieces[3].children == "on Monday"


def test_only_web_links_are_links():
    assert safe_link("https://example.org") == "https://example.org"
    assert safe_link("javascript:alert(1)") is None and safe_link(None) is None


def test_panel_lists_other_outlets_and_disagreement():
    e = row(story_id="s-1", story_outlets=2, disagreement="Wire says 2024; Daily says 2023")
    sources = [{"file": "a.txt", "outlet": "Wire", "date_text": "x", "sentence": "s"},
               {"file": "b.txt", "outlet": "Daily", "date_text": "in 2023", "sentence": "Floods hit Lisbon in 2023."}]
    panel = provenance_panel("Event", [e], lambda story: sources)
    text = str(panel)
    assert "Also reported by 1 other outlet" in text and "Daily" in text and "Sources disagree" in text


def test_figures_use_only_the_bundled_trace_types():
    """The page's plotly.js (assets/plotly-timeline.min.js, tools/plotly-bundle) holds these only."""
    bundled = {"scatter", "bar", "scattergeo"}
    days = {"mode": "events", "total": 2, "rows": [
        {"seq": 1, "row": "Wire", "start": "2024-06-03", "end": "2024-06-03", "precision": "day", "value": "2024-06-03",
         "date_text": "on Monday", "place": "Lisbon", "outlet": "Wire", "sentence": "Floods.", "cut": 0, "outlets": 1},
        {"seq": 2, "row": "Wire", "start": "2024-06-01", "end": "2024-06-30", "precision": "month", "value": "2024-06",
         "date_text": "in June", "place": "", "outlet": "Wire", "sentence": "Rain.", "cut": 0, "outlets": 1}]}
    counts = {"mode": "months", "total": 5000, "rows": [{"row": "Wire", "period": "2024-06-01", "n": 5000}]}
    hist = [{"month": "2024-06-01", "n": 2}]
    figures = [timeline_figure(days, hist, "outlet"), timeline_figure(counts, hist, "place"),
               map_figure([place(f"P{i}", i % 80, i % 170, events=300 - i) for i in range(260)])]
    used = {trace["type"] for figure in figures for trace in figure["data"]}
    assert used and used <= bundled, f"rebuild tools/plotly-bundle with {used - bundled}"
    bundle = (Path(__file__).resolve().parents[1] / "assets" / "plotly-timeline.min.js").read_text()[:400]
    assert "plotly.js v4.1.1" in bundle
