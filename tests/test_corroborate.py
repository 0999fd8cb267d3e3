import pytest

from timeline import store
from timeline.corroborate import Member, group, numbers, stems
from timeline.ingest import ingest


def member(seq, article, sentence, start, end, countries=("XX",), outlet=None):
    return Member(seq, f"e{seq}", article, f"{article}.txt", outlet or f"Outlet {article}", start, end,
                  sentence, frozenset(countries))


def test_same_happening_in_two_outlets_is_one_story():
    stories = group([
        member(1, "a", "Heavy rain flooded the old harbour district of Porto on Monday.", "2023-10-30", "2023-10-30"),
        member(2, "b", "Floods swamped Porto's old harbour district after heavy rain on Monday.", "2023-10-30", "2023-10-30"),
        member(3, "c", "The central bank raised interest rates on Monday.", "2023-10-30", "2023-10-30"),
    ])
    [story] = stories
    assert [m.seq for m in story.members] == [1, 2] and story.outlets == 2 and story.id == "s-e1"
    assert story.disagreement is None


def test_dates_that_do_not_overlap_are_different_happenings():
    stories = group([
        member(1, "a", "Heavy rain flooded the old harbour district of Porto.", "2023-10-30", "2023-10-30"),
        member(2, "b", "Heavy rain flooded the old harbour district of Porto.", "2021-02-01", "2021-02-01"),
    ])
    assert stories == []


def test_different_figures_are_different_claims():
    stories = group([
        member(1, "a", "Officials said 40 people died in the Porto floods.", "2023-10-01", "2023-10-31"),
        member(2, "b", "Officials said 3,000 people fled the Porto floods.", "2023-10-01", "2023-10-31"),
    ])
    assert stories == []


def test_the_same_claim_with_other_dates_carries_a_disagreement():
    [story] = group([
        member(1, "a", "The club sold about 45 thousand season tickets for the stadium this year.", "2024-01-01", "2024-12-31", outlet="Wire"),
        member(2, "b", "In 2023, the club sold approximately 45 thousand season tickets for its stadium.", "2023-01-01", "2023-12-31", outlet="Daily"),
    ])
    assert story.disagreement == "Wire says 2024; Daily says 2023"


def test_places_in_different_countries_keep_events_apart():
    stories = group([
        member(1, "a", "Heavy rain flooded the harbour district on Monday.", "2023-10-30", "2023-10-30", ("PT",)),
        member(2, "b", "Heavy rain flooded the harbour district on Monday.", "2023-10-30", "2023-10-30", ("JP",)),
    ])
    assert stories == []


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
