import datetime as dt

from timeline.dashboard import ids
from timeline.dashboard.callbacks import next_state, picked_of, span_of
from timeline.dashboard.state import ViewState, from_query


def test_state_round_trips_through_the_url():
    state = ViewState(outlets=("CNN", "The Independent"), since="2024-06-01", until="2024-11-30",
                      places=("Kursk",), query="defence pact", min_outlets=3, group_by="place",
                      span_from="2024-06-01", span_to="2024-06-30", picked=("Hamhŭng",))
    assert from_query(state.to_query()) == state
    assert ViewState().to_query() == ""


def test_malformed_fields_fall_back_one_by_one():
    state = from_query("?since=2024-02-30&until=2024-03-01&min=lots&group=%00&from=x&outlet=CNN&%ZZ")
    assert state == ViewState(outlets=("CNN",), until="2024-03-01")
    assert from_query("?" + "outlet=a&" * 1000).outlets == ("a",) * 50


def test_selections_narrow_the_other_view_only():
    state = ViewState(since="2024-01-01", span_from="2024-06-01", span_to="2024-06-30", picked=("Kursk",))
    assert state.for_map().since == dt.date(2024, 6, 1) and state.for_map().places == ()
    assert state.for_timeline().places == ("Kursk",) and state.for_timeline().since == dt.date(2024, 1, 1)


def test_box_selection_gives_a_span_and_map_points_give_places():
    assert span_of({"range": {"x": ["2024-06-03 10:00", "2024-01-02"]}, "points": []}) == ("2024-01-02", "2024-06-03")
    assert span_of(None) is None
    assert picked_of({"points": [{"customdata": "Kyiv"}, {"customdata": "Kursk"}, {"customdata": "Kyiv"}]}) == ("Kyiv", "Kursk")


def test_next_state_follows_each_interaction():
    base = ViewState(outlets=("CNN",))
    controls = [["Newsweek"], "2024-01-01T00:00:00", None, [], "  pact ", 3, "place"]
    after = next_state(ids.OUTLETS, base, "", controls, None, None, None)
    assert after == ViewState(outlets=("Newsweek",), since="2024-01-01", query="pact", min_outlets=3, group_by="place")
    spanned = next_state(ids.TIMELINE, after, "", controls, {"range": {"x": ["2024-01-01", "2024-02-01"]}}, None, None)
    assert (spanned.span_from, spanned.span_to) == ("2024-01-01", "2024-02-01")
    picked = next_state(ids.MAP, spanned, "", controls, None, None, {"points": [{"customdata": "Kyiv"}]})
    assert picked.picked == ("Kyiv",)
    cleared = next_state(ids.CLEAR, picked, "", controls, None, None, None)
    assert (cleared.span_from, cleared.picked) == ("", ()) and cleared.outlets == ("Newsweek",)
    assert next_state(ids.URL, cleared, "?outlet=CNN", controls, None, None, None) == ViewState(outlets=("CNN",))
