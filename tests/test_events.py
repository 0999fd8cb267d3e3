import datetime as dt

from timeline.extract.pipeline import extract


def test_one_event_per_date_with_the_places_of_its_sentence(make_article, gazetteer):
    text = ("Storms hit Lisbon on Monday and Porto last week.\n"
            "Officials in Madrid said repairs would start in January 2024.")
    result = extract(make_article(text), gazetteer)
    assert [(e.date.text, e.date.value) for e in result.events] == [
        ("on Monday", "2023-10-30"), ("last week", "2023-W43"), ("in January 2024", "2024-01")]
    first = result.events[0]
    assert [p.name for p in first.places] == ["Lisbon", "Porto"]
    assert first.location.name == "Lisbon"  # the place nearest the date words
    assert result.events[1].location.name == "Porto"
    assert first.sentence == text[first.sentence_span[0]:first.sentence_span[1]]


def test_location_of_the_site_is_inferred_from_the_article(make_article, gazetteer):
    text = ("A refinery near Rotterdam caught fire. The plant in Rotterdam employs 500 people.\n"
            "The plant was built in 1968, its owner said.")
    events = extract(make_article(text), gazetteer).events
    [built] = [e for e in events if e.date.value == "1968"]
    assert built.places == ()
    assert built.location.name == "Rotterdam" and built.location.inferred
    assert built.location.text == "The plant"


def test_location_from_a_demonym_that_says_where(make_article, gazetteer):
    text = "Troops were moved to the Polish border on Friday, an official said."
    [event] = extract(make_article(text), gazetteer).events
    assert event.location.country == "PL" and event.location.kind == "country" and event.location.inferred


def test_location_carried_from_the_previous_sentence(make_article, gazetteer):
    text = "Leaders of Chile and Peru met in Lima. The two nations signed a trade deal in June."
    [event] = extract(make_article(text), gazetteer).events
    assert event.location.kind == "country" and event.location.country == "CL" and event.location.inferred


def test_no_publication_date_leaves_relative_dates_unresolved_with_a_warning(make_article, gazetteer):
    result = extract(make_article("Rain fell last week in Oslo. It also fell in May 2020.", published=None), gazetteer)
    assert [e.date.value for e in result.events] == [None, "2020-05"]
    assert result.warnings and "no publication date" in result.warnings[0]


def test_event_ids_are_stable(make_article, gazetteer):
    article = make_article("Snow fell in Oslo on Monday.")
    assert extract(article, gazetteer).events[0].id == extract(article, gazetteer).events[0].id


def test_a_continent_gives_way_to_a_city_a_little_farther_from_the_date(gazetteer):
    from timeline.extract.pipeline import extract
    from timeline.model import Article

    text = "Europe agreed the deal on Monday, officials said in Brussels."
    event, = extract(Article("c.txt", text, None, None, None, dt.date(2024, 11, 20)), gazetteer).events
    assert event.location.name == "Brussels"


def test_the_state_and_the_country_are_the_region_and_country_named_most(gazetteer):
    from timeline.extract.pipeline import extract
    from timeline.model import Article

    text = ("Voters in Pennsylvania went to the polls on Tuesday. A rally in Pittsburgh drew crowds.\n"
            "Trump won the state in 2016. Turnout in the country rose in 2020.")
    events = extract(Article("v.txt", text, None, None, None, dt.date(2024, 11, 6)), gazetteer).events
    where = {e.date.text: (e.location.name, e.location.inferred) for e in events}
    assert where["in 2016"] == ("Pennsylvania", True)
    assert where["in 2020"] == ("United States", True)


def test_the_capital_is_the_capital_city_of_the_country_the_story_names(make_article, gazetteer):
    text = ("Kenya's parliament passed the bill. Protests began last week in the capital.\n"
            "Drones struck the Ukrainian capital on Sunday.\n"
            "Capital markets in Chile fell on Monday.")
    events = extract(make_article(text), gazetteer).events
    where = {e.date.text: (e.location.text, e.location.name, e.location.kind, e.location.inferred) for e in events}
    assert where["last week"] == ("the capital", "Nairobi", "city", True)
    assert where["on Sunday"] == ("Ukrainian capital", "Kyiv", "city", True)
    assert where["on Monday"][1] == "Chile"  # capital markets are no city


def test_each_event_has_a_label_and_a_type(make_article, gazetteer):
    text = "Ukrainian drones hit an arms depot in Toropets on Wednesday, officials said."
    [event] = extract(make_article(text), gazetteer).events
    assert event.label == "Ukrainian drones hit arms depot in Toropets"
    assert event.event_type == "attack/strike"
    assert event.to_json()["label"] == event.label and event.to_json()["event_type"] == "attack/strike"


def test_a_repeated_paragraph_is_one_event(make_article, gazetteer):
    line = "The council voted to close the Elm Street library on Tuesday."
    events = extract(make_article(f"{line}\nResidents protested.\n{line}"), gazetteer).events
    assert len(events) == 1


def test_a_weekday_and_its_date_side_by_side_are_one_event(make_article, gazetteer):
    text = "The storm reached the coast on Saturday (Jan. 13), forecasters said."
    article = make_article(text, published=dt.date(2024, 1, 15))
    [event] = extract(article, gazetteer).events
    assert event.date.value == "2024-01-13" and event.date.text == "on Saturday (Jan. 13)"
    assert text[event.date.span[0]:event.date.span[1]] == event.date.text


def test_a_city_named_in_the_sentence_beats_its_country(make_article, gazetteer):
    text = "Russia said Ukrainian drones shelled Belgorod on Monday, killing two."
    [event] = extract(make_article(text), gazetteer).events
    assert event.location.name == "Belgorod" and not event.location.inferred


def test_a_region_word_keeps_the_region_s_country(make_article, gazetteer):
    text = "Floods hit the Amur region on Friday, Russian officials said."
    [event] = extract(make_article(text), gazetteer).events
    assert event.location.country == "RU" and event.location.kind == "region"


def test_no_place_is_carried_from_a_sentence_about_another_year(make_article, gazetteer):
    text = ("A wildfire swept through Lahaina on Maui. Residents of Lahaina fled to the shore.\n"
            "It was the deadliest since a fire destroyed Cloquet, Minnesota, in 1918.\n"
            "Crews contained the fire on Tuesday.")
    events = extract(make_article(text), gazetteer).events
    [tuesday] = [e for e in events if e.date.text == "on Tuesday"]
    assert tuesday.location.name == "Lahaina" and tuesday.location.inferred


def test_an_inferred_place_lies_in_a_country_the_article_names(make_article, gazetteer):
    from timeline.extract.events import _within
    from timeline.model import Place

    amur = Place("Amur", (0, 4), "Āmūr", "IN", 18.8, 78.3, "city", inferred=True)
    assert _within(frozenset({"RU"}), amur) is None
    assert _within(frozenset({"IN"}), amur) is amur


def test_the_country_is_that_of_the_place_the_article_is_about(make_article, gazetteer):
    text = ("U.S. officials said the plant in Hamhung was growing. The United States and its allies "
            "watched the plant in Hamhung. North Korea denied it. The U.S. said so.\n"
            "The country expanded production in 2023.")
    events = extract(make_article(text), gazetteer).events
    [expanded] = [e for e in events if e.date.value == "2023"]
    assert expanded.location.country == "KP"


def test_a_place_carried_back_lies_in_a_country_the_article_names(make_article, gazetteer):
    text = ("The Santa Clara, California-based company said revenue rose. Meta shares fell.\n"
            "In June, it briefly became the world's most valuable company.")
    events = extract(make_article(text), gazetteer).events
    [june] = [e for e in events if e.date.text == "In June"]
    assert june.location.country == "US" and june.location.inferred


def test_a_run_of_one_date_is_not_one_long_date(make_article, gazetteer):
    """Only a pair of expressions side by side is one date: a run of them ("on 5 May 2021,
    on 5 May 2021, ...") had become one date spanning the run, and its label read the whole
    page (benchmarks/pathological.py: 817 times news text)."""
    text = "Rain fell " + ", ".join(["on 5 May 2021"] * 40) + "."
    events = extract(make_article(text), gazetteer).events
    assert events and all(e.date.span[1] - e.date.span[0] <= len("on 5 May 2021") for e in events)
