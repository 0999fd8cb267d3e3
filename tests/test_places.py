"""Place matching on text from other stories."""
import pytest

from timeline.extract.places import find_places


def names(text, gazetteer):
    return [(p.text, p.name, p.country, p.kind) for p in find_places(text, gazetteer)[0]]


def test_cities_countries_and_alternate_spellings(gazetteer):
    text = "Officials in Kiev and Lviv met envoys from Poland and the U.S. on Monday."
    assert names(text, gazetteer) == [
        ("Kiev", "Kyiv", "UA", "city"), ("Lviv", "Lviv", "UA", "city"),
        ("Poland", "Poland", "PL", "country"), ("U.S.", "United States", "US", "country")]


def test_regions_from_a_city_name_and_a_region_word(gazetteer):
    text = "Shelling hit the Kharkiv Oblast and the Donetsk region overnight."
    found = names(text, gazetteer)
    assert ("Kharkiv Oblast", "Kharkiv", "UA", "region") in found
    assert ("Donetsk region", "Donetsk", "UA", "region") in found


def test_a_list_closed_by_a_plural_region_word_names_regions(gazetteer):
    found = names("Drones hit the Lviv, Kharkiv and Odesa regions. Kyiv and Lviv were calm.", gazetteer)
    assert [(t, k) for t, _, _, k in found] == [
        ("Lviv", "region"), ("Kharkiv", "region"), ("Odesa regions", "region"), ("Kyiv", "city"), ("Lviv", "city")]


def test_us_states_are_regions(gazetteer):
    assert names("Voters in Arizona and Georgia went to the polls.", gazetteer) == [
        ("Arizona", "Arizona", "US", "region"), ("Georgia", "Georgia", "US", "region")]


def test_the_cities_news_means_by_washington_and_new_york(gazetteer):
    found = names("In Washington, senators debated as shares fell in New York. Fires burned in "
                  "Washington state and New York State.", gazetteer)
    assert [(n, c, k) for _, n, c, k in found] == [
        ("Washington", "US", "city"), ("New York City", "US", "city"),
        ("Washington", "US", "region"), ("New York", "US", "region")]


def test_country_context_picks_georgia_the_country(gazetteer):
    text = "Protests spread in Tbilisi. Georgia's parliament met."
    assert ("Georgia", "Georgia", "GE", "country") in names(text, gazetteer)


@pytest.mark.parametrize("text", [
    "Kim Jong Un inspected the site.",
    "Researchers at the James Martin Center said so.",
    "Police said the road was closed.",
    "Reading the report took hours.",
    "North of the river, rain fell.",
    "Theresa May spoke to Mr Paris about the vote.",
    "The Hwasong-11 missile was shown.",
    "Toyota Motor Corp raised its forecast. Toyota said demand was strong.",
    "More than 300 people attended. Soul music played. George spoke.",
    "Georgia Tech researchers said demand would rise.",
    "The White House said so.",  # a spelling of Casablanca in GeoNames
])
def test_words_and_names_are_not_places(text, gazetteer):
    assert names(text, gazetteer) == []


def test_scraped_words_glued_together_still_split(gazetteer):
    text = "State media showsKim touring Pyongyang."
    assert names(text, gazetteer) == [("Pyongyang", "Pyongyang", "KP", "city")]


def test_curated_facilities(gazetteer):
    text = "Satellite images of the Zaporizhzhia nuclear plant were released."
    [plant], _ = find_places(text, gazetteer)
    assert plant.kind == "facility" and plant.country == "UA"


def test_spans_give_back_the_words(gazetteer):
    text = "Floods hit Bavaria and Vienna."
    for place in find_places(text, gazetteer)[0]:
        assert text[place.span[0]:place.span[1]] == place.text


def test_continents_are_regions_with_no_country(gazetteer):
    found = names("Leaders from Europe and Africa met, as did envoys from Latin America.", gazetteer)
    assert found == [("Europe", "Europe", "", "region"), ("Africa", "Africa", "", "region"),
                     ("Latin America", "Latin America", "", "region")]


def test_a_name_elsewhere_does_not_hide_a_place_after_in(gazetteer):
    found = names("Paris Hilton arrived in Paris on Monday. Hilton said Paris was lovely.", gazetteer)
    assert found == [("Paris", "Paris", "FR", "city")]


def test_provinces_and_states_outside_the_us_are_regions(gazetteer):
    found = names("Floods hit Kerala and Sichuan; fighting went on in Tigray; fires burned in "
                  "New South Wales.", gazetteer)
    assert [(n, c, k) for _, n, c, k in found] == [
        ("Kerala", "IN", "region"), ("Sichuan", "CN", "region"), ("Tigray", "ET", "region"),
        ("New South Wales", "AU", "region")]


def test_english_counties_and_the_regions_news_names(gazetteer):
    found = names("Rain flooded Cumbria and Yorkshire. Strikes hit the Bekaa Valley.", gazetteer)
    assert [(n, c, k) for _, n, c, k in found] == [
        ("Cumbria", "GB", "region"), ("Yorkshire", "GB", "region"), ("Bekaa Valley", "LB", "region")]
    # A county's name followed by an American state is the American city of that name.
    [(_, name, country, kind)] = [f for f in names("Norfolk, Virginia, cut taxes.", gazetteer) if f[0] == "Norfolk"]
    assert (name, country, kind) == ("Norfolk", "US", "city")


def test_function_words_at_a_sentence_start_are_not_places(gazetteer):
    # "Since" folds to an alias of San Luis de Sincé, Colombia.
    assert names("Since the war began, Kyiv has been hit. Meanwhile Lviv was calm.", gazetteer) == [
        ("Kyiv", "Kyiv", "UA", "city"), ("Lviv", "Lviv", "UA", "city")]


def test_another_spelling_of_a_small_town_abroad_is_not_a_place(gazetteer):
    """GeoNames lists "Hamas" as a spelling of Hamm and "Lula" of Luleå."""
    assert names("Hamas fighters crossed into Israel.", gazetteer) == [("Israel", "Israel", "IL", "country")]
    assert names("Lula met ministers in Brazil.", gazetteer) == [("Brazil", "Brazil", "BR", "country")]


def test_another_spelling_of_a_town_in_the_storys_country_is_that_town(gazetteer):
    assert names("Ukrainian troops withdrew from Avdiivka.", gazetteer) == [
        ("Avdiivka", "Avdiyivka", "UA", "city")]
    assert names("Officials in Bombay said so.", gazetteer) == [("Bombay", "Mumbai", "IN", "city")]


def test_a_country_that_opens_a_quoted_persons_name_is_no_place(gazetteer):
    text = "Defence chief Israel Katz spoke. Katz said the strikes would go on. Jordan Bardella won."
    assert names(text + ' "We won," said Bardella.', gazetteer) == []
    # Without a sign that the next word is a person, the country stays a place.
    assert names("Officials in Israel Tuesday said so. California Democrats said no.", gazetteer) == [
        ("Israel", "Israel", "IL", "country"), ("California", "California", "US", "region")]


def test_a_place_followed_by_its_state_or_country_lies_there(gazetteer):
    found = names("He grew up in Paris, Texas, and worked in Santa Clara, California.", gazetteer)
    assert [(t, c) for t, _, c, _ in found] == [("Paris", "US"), ("Texas", "US"), ("Santa Clara", "US"),
                                                ("California", "US")]
    assert names("Talks in Paris, France, ended.", gazetteer)[0] == ("Paris", "Paris", "FR", "city")


def test_organisations_named_after_places_are_not_places(gazetteer):
    assert names("The New York Times and Colorado State University said so.", gazetteer) == []


def test_abbreviated_saints_and_mounts(gazetteer):
    found = names("A crane fell in St. Petersburg, Florida. Troops rested in Mt. Vernon, Ohio.", gazetteer)
    assert [(t, n, c) for t, n, c, _ in found if "." in t] == [
        ("St. Petersburg", "St. Petersburg", "US"), ("Mt. Vernon", "Mount Vernon", "US")]


def test_a_name_that_is_a_great_city_abroad_by_another_spelling_leaves_the_story_s_country_free(gazetteer):
    """"St. Petersburg" is Florida's by its own name and Russia's by another spelling: it is no
    evidence that the story is about Russia, so a Florida story keeps its own city."""
    found = names("Tampa and St. Petersburg flooded as the storm hit Florida.", gazetteer)
    assert ("St. Petersburg", "St. Petersburg", "US", "city") in found


def test_a_country_that_closes_a_quoted_persons_name_is_no_place(gazetteer):
    found = names("Michael Jordan won six titles. Jordan said he was proud.", gazetteer)
    assert [t for t, _, _, _ in found] == ["Jordan"]  # the second: "Jordan said" alone may be the country
    assert len(names("Western Ukraine was hit. Ukraine said it would respond.", gazetteer)) == 2
