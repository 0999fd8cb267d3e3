from pathlib import Path

import pytest
import plotly.graph_objects as go
from dash import html

from timeline.dashboard.figures import focus_range, map_figure
from timeline.dashboard.placement import Item, MapLabel, place_map_labels, place_marks, text_px
from timeline.dashboard.provenance import highlighted_sentence, provenance_panel, safe_link, story_list
from timeline.dashboard.timeline_figure import mark_text, timeline_figure, when_written
from timeline.query import EventRow


def story(key, row, start, end, precision, label="Rain floods Lisbon", outlets=1, event_type="disaster/accident", **kw):
    return {"key": key, "row": row, "start": start, "end": end, "precision": precision, "label": label,
            "event_type": event_type, "date_text": "on Monday", "outlets": outlets, "n": outlets, "place": "Lisbon",
            "disagreement": None, **kw}


def stories(*rows):
    return {"mode": "stories", "total": len(rows), "rows": list(rows)}


def test_days_are_dots_and_spans_are_bars_across_their_dates():
    fig = timeline_figure(stories(story("s:1", "disaster/accident", "2024-06-03", "2024-06-03", "day"),
                                  story("s:2", "disaster/accident", "2024-06-01", "2024-06-30", "month")),
                          [{"month": "2024-06-01", "n": 1, "vague": 0}], "type")
    go.Figure(fig)  # valid for plotly
    hist, bars, dots = fig["data"]
    assert hist["type"] == "bar" and hist["y"] == [1] and hist["yaxis"] == "y2" and hist["customdata"] == ["m:2024-06-01"]
    assert bars["type"] == "bar" and bars["orientation"] == "h" and bars["base"] == ["2024-06-01"]
    assert bars["x"] == [30 * 86_400_000] and bars["customdata"] == ["s:2"]
    assert dots["type"] == "scatter" and dots["x"] == ["2024-06-03"] and dots["customdata"] == ["s:1"]
    assert fig["layout"]["dragmode"] == "select" and fig["layout"]["clickmode"] == "event"  # a click selects nothing


def test_every_mark_that_fits_is_labelled_with_its_date_label_and_outlets():
    fig = timeline_figure(stories(story("s:1", "attack/strike", "2024-06-03", "2024-06-03", "day",
                                        label="Drones hit arms depot in Toropets", outlets=4)), [], "type")
    [label] = [a for a in fig["layout"]["annotations"] if a.get("name") == "label"]
    assert label["text"] == "3 Jun 2024 · Drones hit arms depot in Toropets · 4 outlets"


def test_dates_are_written_at_their_precision():
    assert when_written("2024-06-19", "2024-06-19", "day") == "19 Jun 2024"
    assert when_written("2024-06-01", "2024-06-30", "month") == "Jun 2024"
    assert when_written("2024-01-01", "2024-12-31", "year") == "2024"
    assert when_written("2024-07-01", "2024-09-30", "quarter") == "Q3 2024"
    assert when_written("2019-01-01", "2021-12-31", "range") == "2019–2021"
    assert when_written("2024-06-03", "2024-06-09", "week") == "3–9 Jun 2024"
    assert when_written("2023-08-01", "2024-11-26", "range") == "1 Aug 2023 – 26 Nov 2024"


def _boxes(items: list[Item]) -> list[tuple]:
    boxes = []
    for i in items:
        boxes.append((i.lane, i.level, i.x0 - i.radius, i.x1 + i.radius))
        if i.labelled:
            a = (i.x0 - i.radius - 4 - i.label_px) if i.label_left else i.x1 + i.radius + 4
            boxes.append((i.lane, i.level, a, a + i.label_px))
    return boxes


def test_marks_of_one_day_stand_apart_and_labels_never_overlap():
    items = [Item(k, "A", 100.0, 100.0, 6, text_px(f"Story {k} with a long label", 11), (-k,)) for k in range(5)]
    items += [Item(10 + k, "A", 100.0 + 30 * k, 100.0 + 30 * k, 6, 120, (k,)) for k in range(6)]
    levels = place_marks(items, max_levels=8, width=900)
    assert levels["A"] <= 11  # marks alone may open levels past the labels' 8
    boxes = _boxes(items)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[:2] == b[:2] and a[2] < b[3] and b[2] < a[3]), (a, b)
    assert items[4].labelled  # the most important one first (rank -4)


def test_a_label_with_no_room_on_the_right_goes_left_and_none_leaves_the_plot():
    [item] = items = [Item("s", "A", 880.0, 880.0, 6, 200, (0,))]
    place_marks(items, max_levels=4, width=900)
    assert item.labelled and item.label_left


def test_a_crowded_lane_grows_up_to_its_limit_then_labels_go_to_the_hover():
    items = [Item(k, "A", 300.0, 300.0, 6, 200, (k,)) for k in range(12)]
    levels = place_marks(items, max_levels=5, width=900)
    assert sum(i.labelled for i in items) == 5 and levels["A"] == 12  # labels stop at 5 levels; marks go on


def test_timeline_lanes_follow_the_type_order_and_rows_grow():
    rows = [story(f"s:{k}", "attack/strike", "2024-06-03", "2024-06-03", "day", label=f"Strike {k}") for k in range(6)]
    rows.append(story("s:x", "meeting/agreement", "2024-06-03", "2024-06-03", "day", event_type="meeting/agreement"))
    fig = timeline_figure(stories(*rows), [], "type")
    assert fig["layout"]["yaxis"]["ticktext"] == ["attack/strike", "meeting/agreement"]
    dots = fig["data"][-1]
    ys = [y for y, key in zip(dots["y"], dots["customdata"]) if key != "s:x"]
    assert len(set(ys)) == 6  # six reports of one day, one above the other


def test_the_first_view_shows_where_most_events_are_when_a_few_lie_far_out():
    news = [{"month": f"2024-{m:02d}-01", "n": 20} for m in range(6, 12)]
    far = [{"month": "1836-01-01", "n": 1}, {"month": "1979-01-01", "n": 1}]
    low, high = focus_range(far + news)
    assert "2024-03-01" < low < "2024-06-01" and "2024-12-01" < high < "2025-03-01"
    assert focus_range(news) is None  # all of it fits: the axis spans everything
    assert focus_range(far) is None  # too few events to tell a crowd from stragglers
    fig = timeline_figure(stories(story("s:1", "other", "2024-06-03", "2024-06-03", "day")), far + news, "type")
    assert fig["layout"]["xaxis"]["range"] == [low, high]


def test_hover_and_label_text_are_escaped():
    fig = timeline_figure(stories(story("s:1", "other", "2024-06-03", "2024-06-03", "day",
                                        label="<img src=x onerror=alert(1)>")), [], "type")
    dots = fig["data"][-1]
    assert "<img" not in dots["hovertext"][0] and "&lt;img" in dots["hovertext"][0]
    assert all("<img" not in a["text"] for a in fig["layout"]["annotations"])


def test_vaguer_dates_are_spread_in_their_own_band_of_the_histogram():
    hist = [{"month": "2024-01-01", "n": 3, "vague": 0.5}, {"month": "2024-02-01", "n": 0, "vague": 0.5}]
    fig = timeline_figure(stories(story("s:1", "other", "2024-01-03", "2024-01-03", "day")), hist, "type")
    solid, light = fig["data"][:2]
    assert solid["y"] == [3, 0] and light["y"] == [0.5, 0.5] and light["base"] == [3, 0]


def test_many_events_are_drawn_as_periodic_counts_that_list_their_events():
    data = {"mode": "weeks", "total": 50_000, "rows": [{"row": "Wire", "period": "2024-06-03", "n": 40}]}
    fig = timeline_figure(data, [], "outlet")
    go.Figure(fig)
    assert fig["data"][-1]["text"] == [40] and "weekly counts" in fig["layout"]["annotations"][0]["text"]
    assert fig["data"][-1]["customdata"] == ["c:Wire|2024-06-03|2024-06-09"]


def test_empty_states_say_so():
    assert "No dated events" in timeline_figure({"mode": "stories", "rows": []}, [], "type")["layout"]["annotations"][0]["text"]
    assert "No placed events" in map_figure([])["layout"]["annotations"][0]["text"]


def place(name, lat, lon, events=1, kind="city", outlets=1):
    return {"name": name, "country": "XX", "kind": kind, "lat": lat, "lon": lon, "events": events,
            "outlets": outlets, "undated": 0, "stories": events}


def test_map_markers_by_kind_and_labels_placed_apart_framed_on_the_places():
    places = [place("Kursk", 51.7, 36.2, 5, "region"), place("Belgorod", 50.6, 36.6, 2, "region"),
              place("Kharkiv", 50.0, 36.2, 1), place("Kyiv", 50.45, 30.52, 3), place("Russia", 61, 99, 3, "country")]
    fig = map_figure(places, picked=("Kyiv",), width=1000)
    go.Figure(fig)
    kinds = {t["name"]: t["customdata"] for t in fig["data"] if t["mode"] == "markers"}
    assert kinds == {"city or site": ["Kyiv", "Kharkiv"], "region (centre)": ["Kursk", "Belgorod"],
                     "country": ["Russia"]}
    [labels] = [t for t in fig["data"] if t["name"] == "labels"]
    assert set(labels["text"]) == {"Kursk", "Belgorod", "Kharkiv", "Kyiv", "Russia"}  # all read
    geo = fig["layout"]["geo"]
    assert geo["fitbounds"] is False and geo["lonaxis"]["range"][0] < 30.5 and geo["lonaxis"]["range"][1] > 99


def test_map_labels_cover_no_other_label_and_no_marker():
    labels = [MapLabel(k, 100 + 8 * k, 100 + 5 * (k % 3), 6, 60, 15) for k in range(8)]
    place_map_labels(labels, 600, 400)
    shown = [lb for lb in labels if lb.shown]
    assert len(shown) >= 6
    markers = [(m.x - m.radius, m.y - m.radius, m.x + m.radius, m.y + m.radius) for m in labels]
    for i, a in enumerate(shown):
        box = a.box()
        assert 0 <= box[0] and box[2] <= 600 and 0 <= box[1] and box[3] <= 400
        for b in shown[i + 1:]:
            other = b.box()
            assert not (box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3])
        for m in markers:
            assert not (box[0] < m[2] and m[0] < box[2] and box[1] < m[3] and m[1] < box[3])
    assert any(lb.leader for lb in shown)  # a crowd: some stand off, on a leader line


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


def test_story_panel_lists_one_member_per_outlet_with_its_sentence_and_link():
    members = [row(), row(seq=2, id="e2", article="b.txt", sentence="Floods hit Lisbon on Monday again."),
               row(seq=3, id="e3", article="c.txt", outlet="Daily", url="javascript:alert(1)")]
    panel = story_list(None, [{"id": "s-1", "label": "Floods hit Lisbon", "event_type": "disaster/accident",
                               "start": "2024-06-03", "end": "2024-06-03", "precision": "day", "place": "Lisbon",
                               "outlets": 2, "disagreement": None, "members": members}])
    text = str(panel)
    assert "Floods hit Lisbon" in text and "told by 2 outlets" in text and "3 Jun 2024" in text
    assert text.count("'source'") == 2 and "1 more report from Wire" in text
    assert "javascript:" not in text.split("href")[-1]


def test_figures_use_only_the_bundled_trace_types():
    """The page's plotly.js (assets/plotly-timeline.min.js, tools/plotly-bundle) holds these only."""
    bundled = {"scatter", "bar", "scattergeo"}
    days = stories(story("s:1", "other", "2024-06-03", "2024-06-03", "day"),
                   story("s:2", "other", "2024-06-01", "2024-06-30", "month"))
    counts = {"mode": "months", "total": 5000, "rows": [{"row": "Wire", "period": "2024-06-01", "n": 5000}]}
    hist = [{"month": "2024-06-01", "n": 2}]
    figures = [timeline_figure(days, hist, "type"), timeline_figure(counts, hist, "place"),
               map_figure([place(f"P{i}", i % 80, i % 170, events=300 - i) for i in range(260)])]
    used = {trace["type"] for figure in figures for trace in figure["data"]}
    assert used and used <= bundled, f"rebuild tools/plotly-bundle with {used - bundled}"
    bundle = (Path(__file__).resolve().parents[1] / "assets" / "plotly-timeline.min.js").read_text()[:400]
    assert "plotly.js v4.1.1" in bundle


def test_count_bubbles_grow_with_their_counts_against_the_busiest_named_lane():
    """At 10,000,000 events a fixed rule gave every bubble the largest size; "(other)", the sum
    of the quieter lanes, does not shrink the named ones to dots."""
    rows = [{"row": "A", "period": "2024-06-03", "n": 40_000}, {"row": "A", "period": "2024-06-10", "n": 10_000},
            {"row": "B", "period": "2024-06-10", "n": 400}, {"row": "(other)", "period": "2024-06-10", "n": 900_000}]
    fig = timeline_figure({"mode": "weeks", "total": 950_400, "rows": rows}, [], "outlet")
    sizes = dict(zip(zip(fig["data"][0]["y"], fig["data"][0]["x"]), fig["data"][0]["marker"]["size"]))
    big, quarter, small = sizes[("A", "2024-06-03")], sizes[("A", "2024-06-10")], sizes[("B", "2024-06-10")]
    assert big == pytest.approx(2 * quarter) and small < quarter < big
    assert sizes[("(other)", "2024-06-10")] == big
    assert "950,400 dated events" in str(fig["layout"]["annotations"])


def test_counts_name_their_most_told_stories_with_their_outlets():
    rows = [{"row": "fighting", "period": "2024-06-01", "n": 5000}, {"row": "attack/strike", "period": "2024-07-01", "n": 9}]
    top = [{"key": "s:x", "row": "fighting", "start": "2024-06-04", "end": "2024-06-04", "precision": "day",
            "label": "Troops battle for <Kursk>", "event_type": "fighting", "outlets": 6, "place": "Kursk"}]
    fig = timeline_figure({"mode": "months", "total": 5009, "rows": rows, "top": top}, [], "type")
    stars = [t for t in fig["data"] if t.get("name") == "most told"]
    assert stars and stars[0]["text"] == ["Troops battle for &lt;Kursk&gt; · 6 outlets"]
    assert stars[0]["customdata"] == ["s:x"] and stars[0]["y"] == ["fighting"]


def test_the_timeline_notes_count_in_words():
    from timeline.dashboard.timeline_figure import _outside_note

    assert _outside_note(1).startswith("1 event starts outside this span")
    assert _outside_note(1200).startswith("1,200 events start outside this span")
