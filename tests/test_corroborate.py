import pytest

from timeline import store
from timeline.corroborate import Member, group, numbers, stems
from timeline.ingest import ingest


def member(seq, article, sentence, start, end, countries=("XX",), outlet="", label="", event_type="other",
           spot=None):
    """An event of `article`; its outlet is "Outlet <article>" unless given (None: unknown)."""
    return Member(seq, f"e{seq}", article, f"{article}.txt", f"Outlet {article}" if outlet == "" else outlet, start, end,
                  sentence, frozenset(countries), label=label, event_type=event_type, spot=spot)


def told(stories):
    """The stories of more than one report (every event has a story, most their own)."""
    return [s for s in stories if len(s.members) > 1]


def test_same_happening_in_two_outlets_is_one_story():
    stories = group([
        member(1, "a", "Heavy rain flooded the old harbour district of Porto on Monday.", "2023-10-30", "2023-10-30"),
        member(2, "b", "Floods swamped Porto's old harbour district after heavy rain on Monday.", "2023-10-30", "2023-10-30"),
        member(3, "c", "The central bank raised interest rates on Monday.", "2023-10-30", "2023-10-30"),
    ])
    [story] = told(stories)
    assert [m.seq for m in story.members] == [1, 2] and story.outlets == 2 and story.id == "s-e1"
    assert story.disagreement is None


def test_dates_that_do_not_overlap_are_different_happenings():
    stories = group([
        member(1, "a", "Heavy rain flooded the old harbour district of Porto.", "2023-10-30", "2023-10-30"),
        member(2, "b", "Heavy rain flooded the old harbour district of Porto.", "2021-02-01", "2021-02-01"),
    ])
    assert told(stories) == []


def test_different_figures_are_different_claims():
    stories = group([
        member(1, "a", "Officials said 40 people died in the Porto floods.", "2023-10-01", "2023-10-31"),
        member(2, "b", "Officials said 3,000 people fled the Porto floods.", "2023-10-01", "2023-10-31"),
    ])
    assert told(stories) == []


def test_the_same_claim_with_other_dates_carries_a_disagreement():
    [story] = told(group([
        member(1, "a", "The club sold about 45 thousand season tickets for the stadium this year.", "2024-01-01", "2024-12-31", outlet="Wire"),
        member(2, "b", "In 2023, the club sold approximately 45 thousand season tickets for its stadium.", "2023-01-01", "2023-12-31", outlet="Daily"),
    ]))
    assert story.disagreement == "Wire says 2024; Daily says 2023"


def test_places_in_different_countries_keep_events_apart():
    stories = group([
        member(1, "a", "Heavy rain flooded the harbour district on Monday.", "2023-10-30", "2023-10-30", ("PT",)),
        member(2, "b", "Heavy rain flooded the harbour district on Monday.", "2023-10-30", "2023-10-30", ("JP",)),
    ])
    assert told(stories) == []


def test_every_article_without_an_outlet_counts_as_one_unknown_source():
    stories = group([member(k, f"a{k}", "Wildfire smoke closed schools across Maui on Tuesday.", "2023-08-08",
                            "2023-08-08", outlet="Island Wire" if k == 0 else None) for k in range(0, 5)])
    [story] = told(stories)
    assert len(story.members) == 5 and story.outlets == 2  # Island Wire, and "unknown" once


def test_a_syndicated_copy_is_another_outlets_report_of_the_same_story():
    text = "The city council voted 7-2 on Tuesday to close the Elm Street library."
    [story] = told(group([member(1, "a", text, "2024-03-05", "2024-03-05", outlet="Lakeside Gazette"),
                          member(2, "b", text, "2024-03-05", "2024-03-05", outlet="Valley Post")]))
    assert story.outlets == 2


def test_different_actions_are_different_stories_and_no_disagreement_is_noted():
    """A condemnation in April 2025 and a deployment in October 2024: not one happening."""
    stories = group([
        member(1, "a", "North Korea sent 11,000 troops to Russia's Kursk region in October.", "2024-10-01",
               "2024-10-31", label="North Korea sends 11,000 troops to Kursk region", event_type="movement/deployment"),
        member(2, "b", "Seoul condemned North Korea's deployment of 11,000 troops to Russia's Kursk region in April.",
               "2025-04-01", "2025-04-30", label="Seoul condemns deployment of 11,000 troops to Kursk",
               event_type="statement/accusation"),
    ])
    assert told(stories) == [] and all(s.disagreement is None for s in stories)


def test_dates_meet_at_their_precision_a_month_inside_the_year():
    [story] = told(group([
        member(1, "a", "North Korea and Russia signed a mutual defence treaty earlier this year.", "2024-01-01",
               "2024-12-31", label="North Korea and Russia sign mutual defence treaty", event_type="meeting/agreement"),
        member(2, "b", "In June 2024 Pyongyang and Moscow signed a defence pact.", "2024-06-01", "2024-06-30",
               label="Pyongyang and Moscow sign defence pact", event_type="meeting/agreement"),
    ]))
    assert story.lead.seq == 2  # the more precise date speaks for the story
    assert story.disagreement is None


def test_reports_of_one_day_in_their_own_words_are_one_story_but_not_at_places_far_apart():
    day = "2024-07-04"
    same = group([
        member(1, "a", "Labour won a landslide victory in the general election on Thursday.", day, day, ("GB",),
               label="Labour wins landslide victory in general election", event_type="politics/election"),
        member(2, "b", "Labour, led by Keir Starmer, won more than 400 seats in Thursday's vote.", day, day, ("GB",),
               label="Labour wins more than 400 seats in vote", event_type="politics/election"),
    ])
    assert len(told(same)) == 1
    apart = group([
        member(1, "a", "A drone struck a fuel depot near Toropets on Wednesday.", day, day, ("RU",),
               label="Drone strikes fuel depot near Toropets", event_type="attack/strike", spot=(56.5, 31.6)),
        member(2, "b", "Drones hit an airfield outside Krasnodar on Wednesday.", day, day, ("RU",),
               label="Drones hit airfield outside Krasnodar", event_type="attack/strike", spot=(45.0, 39.0)),
    ])
    assert told(apart) == []


def test_word_normalisation():
    assert stems("Defence treaties") == stems("defense pact")
    assert numbers("about 60 missiles, 11,000 troops in 2023 (KN-23)") == {"60", "11000", "23"}


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    from conftest import SEEDS

    db = tmp_path_factory.mktemp("seed") / "t.db"
    ingest([SEEDS], db)
    return store.connect(db)


def stories_with(conn, date_value, words):
    out = []
    for story in conn.execute("SELECT * FROM stories"):
        rows = conn.execute("SELECT e.value, e.sentence FROM events e WHERE story_id = ?", (story["id"],)).fetchall()
        if any(r[0] == date_value and all(w in r[1].lower() for w in words) for r in rows):
            out.append(story)
    return out


def test_seed_stories_the_june_pact_is_one_story_of_three_or_more_outlets(seed_store):
    [pact] = stories_with(seed_store, "2024-06", ["pact"])
    assert pact["outlets"] >= 3
    assert stories_with(seed_store, "2024-06", ["treaty"]) == [pact]


def test_seed_stories_october_imagery_and_the_2020_expansion(seed_store):
    [imagery] = stories_with(seed_store, "2024-10", ["planet labs"])
    assert imagery["outlets"] >= 3
    [expansion] = stories_with(seed_store, "2020", ["plant"])
    assert expansion["outlets"] == 2


def test_seed_stories_the_missile_count_disagreement(seed_store):
    [missiles] = stories_with(seed_store, "2023", ["60", "kn-23"])
    assert "2024" in missiles["disagreement"] and "2023" in missiles["disagreement"]
