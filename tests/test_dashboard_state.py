import datetime as dt

from timeline.dashboard import ids
from timeline.dashboard.callbacks import month_of, next_state, picked_of, span_of, zoom_of
from timeline.dashboard.state import ViewState, from_query


def test_state_round_trips_through_the_url():
    state = ViewState(outlets=("CNN", "The Independent"), since="2024-06-01", until="2024-11-30",
                      places=("Kursk",), query="defence pact", min_outlets=3, group_by="place",
                      view="events", event_types=("attack/strike",), vaguer=True, title="Kursk", subtitle="June",
                      opened="s:s-3169c60779b449c2",
                      span_from="2024-06-01", span_to="2024-06-30", picked=("Hamhŭng",))
    assert from_query(state.to_query()) == state
    assert ViewState().to_query() == ""


def test_malformed_fields_fall_back_one_by_one():
    state = from_query("?since=2024-02-30&until=2024-03-01&min=lots&group=%00&from=x&outlet=CNN&%ZZ&type=bogus&view=x")
    assert state == ViewState(outlets=("CNN",), until="2024-03-01")
    assert from_query("?" + "outlet=a&" * 1000).outlets == ("a",) * 50


def test_selections_narrow_the_other_view_only():
    state = ViewState(since="2024-01-01", span_from="2024-06-01", span_to="2024-06-30", picked=("Kursk",))
    assert state.for_map().since == dt.date(2024, 6, 1) and state.for_map().places == ()
    assert state.for_timeline().places == ("Kursk",) and state.for_timeline().since == dt.date(2024, 1, 1)


def test_a_drag_gives_a_span_a_click_gives_none_and_map_boxes_give_places():
    assert span_of({"range": {"x": ["2024-06-03 10:00", "2024-01-02"]}, "points": []}) == ("2024-01-02", "2024-06-03")
    assert span_of({"points": [{"x": "2024-06-03", "customdata": "s:1"}]}) is None  # a click reads, not filters
    assert span_of(None) is None
    assert picked_of({"points": [{"customdata": "Kyiv"}, {"customdata": "Kursk"}, {"customdata": "Kyiv"},
                                 {"customdata": "cell:0,0,5,5"}]}) == ("Kyiv", "Kursk")


def test_a_click_on_a_histogram_bar_selects_its_whole_month():
    assert month_of({"points": [{"customdata": "m:2024-02-01"}]}) == ("2024-02-01", "2024-02-29")
    assert month_of({"points": [{"customdata": "m:2024-12-01"}]}) == ("2024-12-01", "2024-12-31")
    assert month_of({"points": [{"customdata": "s:abc"}]}) is None


def test_zoom_follows_the_x_axis_only():
    assert zoom_of({"xaxis.range[0]": "2024-01-01 00:00:00", "xaxis.range[1]": "2024-03-01"}, None) == \
        ("2024-01-01 00:00:00", "2024-03-01")
    assert zoom_of({"xaxis.autorange": True}, ("a", "b")) is None
    assert zoom_of({"autosize": True}, ("a", "b")) == ("a", "b")


def controls(**kw):
    c = {"outlets": [], "since": None, "until": None, "places": [], "query": "", "min_outlets": 1,
         "group_by": "type", "view": "stories", "event_types": [], "vaguer": [], "title": "", "subtitle": ""}
    c.update(kw)
    return c


def test_next_state_follows_each_interaction():
    base = ViewState(outlets=("CNN",))
    c = controls(outlets=["Newsweek"], since="2024-01-01T00:00:00", query="  pact ", min_outlets=3, group_by="place",
                 event_types=["attack/strike", "nonsense"], vaguer=["vaguer"])
    after = next_state(ids.OUTLETS, base, "", c)
    assert after == ViewState(outlets=("Newsweek",), since="2024-01-01", query="pact", min_outlets=3, group_by="place",
                              event_types=("attack/strike",), vaguer=True)
    spanned = next_state("timeline-select", after, "", c, timeline_selected={"range": {"x": ["2024-01-01", "2024-02-01"]}})
    assert (spanned.span_from, spanned.span_to) == ("2024-01-01", "2024-02-01")
    clicked = next_state("timeline-click", spanned, "", c, timeline_click={"points": [{"customdata": "s:1"}]})
    assert clicked == spanned  # a click on a mark leaves the filters and the URL as they are
    month = next_state("timeline-click", spanned, "", c, timeline_click={"points": [{"customdata": "m:2024-03-01"}]})
    assert (month.span_from, month.span_to) == ("2024-03-01", "2024-03-31")
    picked = next_state(ids.MAP, spanned, "", c, map_selected={"points": [{"customdata": "Kyiv"}]})
    assert picked.picked == ("Kyiv",)
    cleared = next_state(ids.CLEAR, picked, "", c)
    assert (cleared.span_from, cleared.picked) == ("", ()) and cleared.outlets == ("Newsweek",)
    assert next_state(ids.URL, cleared, "?outlet=CNN", c) == ViewState(outlets=("CNN",))
