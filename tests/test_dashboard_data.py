"""What the views read from the store: stories, the histogram, the places, on a real store."""
import datetime as dt

import pytest

from timeline import store
from timeline.dashboard import data
from timeline.dashboard.briefing import MIN_FONT_PX, PRESETS, briefing_figure, page_of
from timeline.dashboard.state import ViewState
from timeline.errors import ExportError
from timeline.extract.pipeline import extract
from timeline.ingest import ingest, regroup_stories
from timeline.query import Filters


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    from conftest import ROOT

    db = tmp_path_factory.mktemp("d") / "t.db"
    ingest([ROOT / "data" / "articles", ROOT / "tests" / "corpus"], db,
           manifest=None)
    return store.connect(db)


def test_the_timeline_draws_one_row_per_story_with_its_label_and_outlets(conn):
    timeline = data.timeline(conn, Filters(), "type", "stories")
    assert timeline["mode"] == "stories"
    stories = {r["story"]: r for r in timeline["rows"]}
    assert len(stories) == len(timeline["rows"])  # one mark per story
    events = data.undated_without_place(conn, Filters())["events"]
    assert len(stories) < events
    top = max(timeline["rows"], key=lambda r: r["outlets"])
    assert top["outlets"] >= 4 and top["label"] and top["row"] == top["event_type"]


def test_every_event_view_draws_each_event(conn):
    timeline = data.timeline(conn, Filters(), "outlet", "events")
    dated = conn.execute("SELECT count(*) FROM events WHERE start IS NOT NULL").fetchone()[0]
    assert timeline["mode"] == "events" and len(timeline["rows"]) == dated


def test_a_day_shows_that_days_events_and_vaguer_dates_only_when_asked(conn):
    day = Filters.of(since="2024-10-09", until="2024-10-09")
    precise = data.undated_without_place(conn, day)["events"]
    with_vaguer = data.undated_without_place(conn, Filters.of(since="2024-10-09", until="2024-10-09",
                                                                 vaguer=True))["events"]
    assert 0 < precise < with_vaguer  # "in October", "this year" only with vaguer dates
    rows = conn.execute('SELECT count(*) FROM events WHERE start <= ? AND "end" >= ? AND days = 1',
                        ("2024-10-09", "2024-10-09")).fetchone()[0]
    assert precise == rows


def test_the_histogram_spreads_vaguer_dates_over_their_months(conn):
    hist = {h["month"]: h for h in data.histogram(conn, Filters())}
    year_events = conn.execute("SELECT count(*) FROM events WHERE value = '2022'").fetchone()[0]
    assert year_events >= 1
    spread = sum(h["vague"] for m, h in hist.items() if m.startswith("2022"))
    assert spread >= year_events - 1e-9  # all of 2022's year-long events, over its twelve months
    assert all(abs(hist[f"2022-{m:02d}-01"]["vague"] - hist["2022-01-01"]["vague"]) < 1e-9 for m in range(1, 13))
    dated_within_months = conn.execute("SELECT count(*) FROM events WHERE days <= 31").fetchone()[0]
    assert sum(h["n"] for h in hist.values()) == dated_within_months


def test_a_city_and_its_region_of_one_name_are_one_place_on_the_map(tmp_path, make_article, gazetteer):
    c = store.connect(tmp_path / "t.db")
    text = ("Drones hit Kursk on Monday. Shelling hit the Kursk region on Tuesday. "
            "Officials in Kursk said on Wednesday that repairs would take weeks.")
    store.write_extraction(c, extract(make_article(text), gazetteer))
    regroup_stories(c)
    kursk = [p for p in data.places(c, Filters()) if p["name"] == "Kursk"]
    assert len(kursk) == 1 and kursk[0]["events"] == 3 and kursk[0]["kind"] == "city"


def test_the_briefing_has_its_title_top_stories_and_no_text_under_the_least_size(conn):
    state = ViewState(title="Twelve stories", subtitle="Seen from twenty outlets")
    fig = briefing_figure(conn, state, PRESETS["slide"])
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert "<b>Twelve stories</b>" in texts[0] and "Seen from twenty outlets" in texts[1]
    story_lines = [t for t in texts if " outlets [" in t]
    assert 5 <= len(story_lines) <= 12
    sizes = [a["font"]["size"] for a in fig["layout"]["annotations"]]
    sizes += [t["textfont"]["size"] for t in fig["data"] if "textfont" in t]
    sizes += [fig["layout"]["xaxis"]["tickfont"]["size"], fig["layout"]["font"]["size"]]
    assert min(sizes) >= MIN_FONT_PX
    assert any(line.startswith("[1] ") for t in texts for line in t.split("<br>"))


def test_image_sizes_outside_what_a_briefing_can_use_are_refused():
    assert page_of("a4").portrait and not page_of("slide").portrait
    assert page_of("slide", width=1000, height=800, scale=1) .width == 1000
    with pytest.raises(ExportError, match="preset"):
        page_of("poster")
    with pytest.raises(ExportError, match="out of range"):
        page_of("slide", width=10)


def test_the_briefing_draws_an_event_not_yet_in_a_story(tmp_path, make_article, gazetteer):
    """The timeline names such an event "e:<seq>"; its story row is the event itself."""
    from timeline.query import story_rows

    c = store.connect(tmp_path / "t.db")
    store.write_extraction(c, extract(make_article("Drones hit Kursk on Monday, officials said."), gazetteer))
    regroup_stories(c)
    c.execute("UPDATE events SET story_id = NULL")
    keys = [r["story"] for r in data.timeline(c, Filters(), "type", "stories")["rows"]]
    assert keys and all(k.startswith("e:") for k in keys)
    assert [s["id"] for s in story_rows(c, keys)] == keys
    texts = [a["text"] for a in briefing_figure(c, ViewState(), PRESETS["slide"])["layout"]["annotations"]]
    assert any("Drones hit Kursk" in t for t in texts) and not any("No dated stories" in t for t in texts)
