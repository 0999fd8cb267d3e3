"""The place patterns of issue 11, each on sentences of many kinds of news (local US, UK, India,
Africa, Latin America, weather, sport, business)."""
import pytest

from timeline.extract.places import find_places


def found(text, gazetteer):
    return [(p.text, p.name, p.country, p.kind) for p in find_places(text, gazetteer)[0]]


def texts(text, gazetteer):
    return [p.text for p in find_places(text, gazetteer)[0]]


@pytest.mark.parametrize("text, words, country", [
    ("LOS ANGELES — Fire crews battled a brush fire on Tuesday.", "LOS ANGELES", "US"),
    ("SAN DIEGO (AP) — The Navy said a sailor was missing.", "SAN DIEGO", "US"),
    ("NEW YORK, June 3 (Reuters) - Stocks fell as bond yields rose.", "NEW YORK", "US"),
    ("NAIROBI, Kenya — Flash floods swept through the city overnight.", "NAIROBI", "KE"),
    ("Headline here\nMUMBAI — Monsoon rains flooded suburban rail lines.", "MUMBAI", "IN"),
])
def test_a_dateline_in_capitals_is_a_place(gazetteer, text, words, country):
    places = find_places(text, gazetteer)[0]
    assert places[0].text == words and places[0].country == country


def test_capitals_that_name_no_place_open_no_dateline(gazetteer):
    assert texts("UPDATE — The council met again.\nBREAKING: Markets fell.", gazetteer) == []


@pytest.mark.parametrize("text, abbreviation, region", [
    ("PASADENA, Calif. — Engineers said the rover was fine.", "Calif.", "California"),
    ("The company moved from Austin, TX to Denver last year.", "TX", "Texas"),
    ("Bushfires near Sydney, NSW forced evacuations.", "NSW", "New South Wales"),
    ("She grew up in Santa Fe, N.M., and moved to Tampa, Fla.", "N.M.", "New Mexico"),
    ("The Raptors beat the Jazz in Toronto, Ont., on Sunday.", "Ont.", "Ontario"),
])
def test_a_state_s_abbreviation_after_a_town_is_its_region(gazetteer, text, abbreviation, region):
    assert (abbreviation, region) in [(t, n) for t, n, _, _ in found(text, gazetteer)]


def test_the_region_written_after_a_town_chooses_the_town(gazetteer):
    assert found("PASADENA, Calif. — Engineers said.", gazetteer)[0][:3] == ("PASADENA", "Pasadena", "US")
    [pasadena] = [p for p in find_places("PASADENA, Calif. — Engineers said.", gazetteer)[0] if p.kind == "city"]
    assert pasadena.lon < -117  # California's, not the one near Houston


def test_an_abbreviation_that_is_also_a_word_needs_a_town_and_a_comma(gazetteer):
    assert texts("He felt Ill. Doctors said he would be fine.", gazetteer) == []
    assert texts("Rates rose IN the quarter, OR so it seemed.", gazetteer) == []


@pytest.mark.parametrize("text, words, country", [
    ("Floods hit Anhui and the city of Hefei.", "Anhui", "CN"),
    ("Police in Guerrero said gunmen attacked a bar in Mexico.", "Guerrero", "MX"),
    ("Cholera spread in Artibonite, Haiti's rice-growing valley.", "Artibonite", "HT"),
    ("Heavy rain hit Pangasinan in the Philippines.", "Pangasinan", "PH"),
    ("Snow closed roads across Fife and Aberdeenshire in Scotland.", "Fife", "GB"),
    ("Wildfires burned in the Amur region of Russia's far east.", "Amur region", "RU"),
])
def test_subdivisions_of_every_country_are_regions(gazetteer, text, words, country):
    assert (words, country, "region") in [(t, c, k) for t, _, c, k in found(text, gazetteer)]


@pytest.mark.parametrize("text, words, state", [
    ("The Orange County sheriff said deputies responded to the call in Florida.", "Orange County", "Florida"),
    ("Schools in Queen Anne's County, Maryland, closed early.", "Queen Anne's County", "Maryland"),
    ("Flooding in Vermilion Parish, Louisiana, closed roads.", "Vermilion Parish", "Louisiana"),
])
def test_counties_and_parishes_are_regions_of_the_state_named(gazetteer, text, words, state):
    [county] = [p for p in find_places(text, gazetteer)[0] if p.text == words]
    assert county.kind == "region" and county.country == "US"
    region = next(p for p in find_places(text, gazetteer)[0] if p.name == state)
    assert abs(county.lat - region.lat) < 3 and abs(county.lon - region.lon) < 4


@pytest.mark.parametrize("text, town, country", [
    ("Cases rose in Malakal in South Sudan.", "Malakal", "SS"),
    ("Police sealed off the village of Pirbright in Surrey, England.", "Pirbright", "GB"),
    ("A cyclone made landfall near Innisfail, Queensland.", "Innisfail", "AU"),
    ("Floods cut roads near Palauig in the Philippines.", "Palauig", "PH"),
])
def test_a_small_town_counts_where_the_words_say_place(gazetteer, text, town, country):
    assert (town, country) in [(t, c) for t, _, c, _ in found(text, gazetteer)]


def test_a_small_town_needs_a_country_the_story_names(gazetteer):
    assert "Pirbright" not in texts("Roads were closed in Pirbright, officials said.", gazetteer)
    assert texts("Shares of Acme rose in March after a deal in Monday trading.", gazetteer) == []


@pytest.mark.parametrize("text, words", [
    ("Tensions on the Korean Peninsula rose.", "Korean Peninsula"),
    ("Migrants crossed the Mediterranean Sea from Libya.", "Mediterranean Sea"),
    ("The storm moved over the Atlantic on Monday.", "Atlantic"),
    ("A quake struck off Java, the island said.", "Java"),
    ("Trade between the Americas grew.", "Americas"),
    ("Barges were stranded on the Danube.", "Danube"),
])
def test_physical_features_and_macro_regions_are_places(gazetteer, text, words):
    assert words in texts(text, gazetteer)


@pytest.mark.parametrize("text, words, country", [
    ("New Zealand beat Australia in the final.", "New Zealand", "NZ"),
    ("Fighting spread in the Democratic Republic of Congo.", "Democratic Republic of Congo", "CD"),
    ("Aid reached eastern DRC by road.", "DRC", "CD"),
])
def test_a_country_listed_as_a_demonym_too_is_emitted(gazetteer, text, words, country):
    assert (words, country, "country") in [(t, c, k) for t, _, c, k in found(text, gazetteer)]


def test_people_named_like_small_towns_are_people(gazetteer):
    assert texts("Adrian Hart said Stuart Levi would sue Franklin Harvey.", gazetteer) == []
    assert texts("Igbo leaders met on Monday.", gazetteer) == []
    assert "Franklin" in texts("Flooding closed roads in Franklin, Tennessee.", gazetteer)


def test_a_disease_named_after_a_place_is_no_place(gazetteer):
    assert texts("Cases of West Nile virus and Lassa fever rose.", gazetteer) == []


def test_an_ambiguous_town_is_the_one_in_the_region_the_story_names(gazetteer):
    [paris] = [p for p in find_places("Storms hit Texas. In Paris, roofs were torn off.", gazetteer)[0]
               if p.text == "Paris"]
    assert paris.country == "US"
    [richmond] = [p for p in find_places("Virginia lawmakers met in Richmond.", gazetteer)[0] if p.text == "Richmond"]
    assert richmond.country == "US" and richmond.lon < -77


@pytest.mark.parametrize("text, site, at", [
    ("Samples were sent to Fort Detrick in Maryland.", "Fort Detrick", "Maryland"),
    ("Flights at Heathrow Airport in London were cancelled.", "Heathrow Airport", "London"),
    ("Fans gathered in Centennial Park in Sydney before the match.", "Centennial Park", "Sydney"),
    ("Floods swept the Swat Valley, Pakistani officials said, near Mingora.", "Swat Valley", "Mingora"),
])
def test_a_site_is_put_at_the_place_named_around_it(gazetteer, text, site, at):
    places = find_places(text, gazetteer)[0]
    [s] = [p for p in places if p.text == site]
    [a] = [p for p in places if p.text == at]
    assert s.kind == "site" and (s.lat, s.lon) == (a.lat, a.lon)


@pytest.mark.parametrize("text, site, at", [
    ("A fire broke out on Tuesday in the Crown Heights neighborhood of Brooklyn, officials said.",
     "Crown Heights", "Brooklyn"),
    ("The Faubourg Marigny neighbourhood of New Orleans flooded on Monday.", "Faubourg Marigny", "New Orleans"),
    ("Crews cleared trees in the Ngong Road enclave of Nairobi after the storm.", "Ngong Road", "Nairobi"),
    ("Police in London, Ontario, said a fire destroyed a warehouse in the Old East Village neighbourhood.",
     "Old East Village", "London"),  # not at New York's East Village
])
def test_a_neighbourhood_is_a_site_at_the_city_named_around_it(gazetteer, text, site, at):
    places = find_places(text, gazetteer)[0]
    [s] = [p for p in places if p.text == site]  # the name alone, not "neighborhood"
    [a] = [p for p in places if p.text == at]
    assert s.kind == "site" and (s.lat, s.lon) == (a.lat, a.lon)


def test_a_peoples_or_faiths_word_before_neighbourhood_is_no_place(gazetteer):
    assert texts("Police patrolled the Jewish neighborhood of Brooklyn on Friday.", gazetteer) == ["Brooklyn"]
    assert texts("A bomb exploded in a Shiite neighborhood of Baghdad.", gazetteer) == ["Baghdad"]
    assert texts("The Kurdish enclave near Aleppo was shelled.", gazetteer) == ["Aleppo"]
    assert texts("A Russian enclave near Riga held a vote.", gazetteer) == ["Riga"]


def test_a_site_with_no_place_near_it_is_left_out(gazetteer):
    assert texts("He works at Fort Knox now.", gazetteer) == []


def test_a_state_keeps_its_name_from_a_town_of_a_state_the_story_names(gazetteer):
    assert found("Ohio and Oregon voters went to the polls.", gazetteer)[1][1:] == ("Oregon", "US", "region")


def test_a_name_with_an_apostrophe_s_is_read_whole(gazetteer):
    assert found("Officials of the People's Republic of China said.", gazetteer) == [
        ("People's Republic of China", "China", "CN", "country")]


def test_continents_sit_at_geonames_points(gazetteer):
    [africa] = [p for p in find_places("Aid reached Africa.", gazetteer)[0]]
    assert (round(africa.lat), round(africa.lon)) == (7, 21)


def test_a_name_after_a_town_and_a_comma_is_its_region(gazetteer):
    assert found("A girl from Buffalo, New York, died.", gazetteer)[1][1:] == ("New York", "US", "region")


def test_a_small_town_found_once_is_that_town_each_time(gazetteer):
    text = "Premier Peter Beattie declared an emergency in Innisfail, Queensland. Innisfail lost power."
    assert texts(text, gazetteer) == ["Innisfail", "Queensland", "Innisfail"]


@pytest.mark.parametrize("text", [
    "Vatican spokesman Joaquin Navarro-Valls said the Pope was resting.",
    "The Las Vegas woman, Anna Ayala, told reporters she found it.",
    "Public health officer Michael Sicilia says the deaths occurred in infants.",
])
def test_a_small_place_inside_a_person_s_name_is_the_person(gazetteer, text):
    assert all(p.kind not in ("region", "city") or p.text in ("Las Vegas",)
               for p in find_places(text, gazetteer)[0])


def test_a_people_and_a_disease_named_after_a_place_are_no_places(gazetteer):
    assert texts("Somali refugees fled the floods.", gazetteer) == []
    assert texts("Workers were infected with Reston ebolavirus.", gazetteer) == []


def test_a_county_the_gazetteer_does_not_know_is_in_the_state_the_story_names(gazetteer):
    [county] = [p for p in find_places("Deputies in Zorbix County, Texas, arrested two men.", gazetteer)[0]
                if p.text == "Zorbix County"]
    assert county.kind == "region" and county.country == "US" and county.name == "Zorbix County"


def test_a_county_of_many_states_is_the_one_in_the_state_named(gazetteer):
    [county] = [p for p in find_places("The Orange County sheriff in California said.", gazetteer)[0]
                if p.text == "Orange County"]
    assert county.lon < -115


def test_the_town_table_is_kept_in_its_own_cache(tmp_path, gazetteer):
    from timeline.geocode.gazetteer import _town_table

    cache = tmp_path / "towns.pickle"
    made = _town_table(gazetteer.small_regions, cache)
    assert cache.exists() and _town_table({}, cache) == made and "malakal" in made


def test_a_small_region_abroad_named_like_a_state_leaves_the_state_evidence_of_its_country(gazetteer):
    """Puerto Rico has a "Florida" of two towns: "Florida" still says the story is American."""
    found_ = found("The storm made landfall near Cedar Key, Florida, and moved toward Georgia.", gazetteer)
    assert found_[-1] == ("Georgia", "Georgia", "US", "region")


def test_a_district_abroad_by_its_bare_name_needs_its_country_in_the_story(gazetteer):
    assert "Turia" not in texts("Shares fell after the Turia flooded Valencia.", gazetteer)
    assert texts("The South West will see rain.", gazetteer) == []


@pytest.mark.parametrize("text, words, kind, country", [
    ("Cases were reported in Mauritania, Mali, Niger, and Senegal on Monday.", "Niger", "country", "NE"),
    ("The campaign covers Benin, Cape Verde and Ghana.", "Benin", "country", "BJ"),
    ("Outbreaks hit Texas, Utah, Washington and Wisconsin last week.", "Washington", "region", "US"),
    ("The concert series in New Jersey and New York was cancelled.", "New York", "region", "US"),
    ("Talks in Georgia, Armenia and Azerbaijan continued.", "Georgia", "country", "GE"),
    ("Officials in Georgia and Alabama declared an emergency.", "Georgia", "region", "US"),
])
def test_a_name_listed_among_countries_or_states_is_one_of_them(gazetteer, text, words, kind, country):
    [place] = [p for p in find_places(text, gazetteer)[0] if p.text == words]
    assert (place.kind, place.country) == (kind, country)


def test_a_list_of_cities_leaves_each_city_its_own_reading(gazetteer):
    places = {p.text: p for p in find_places("The mayor of Paris met the mayors of London and Berlin.", gazetteer)[0]}
    assert [places[n].country for n in ("Paris", "London", "Berlin")] == ["FR", "GB", "DE"]


def test_a_town_before_its_region_is_put_there_not_at_a_namesake_abroad(gazetteer):
    places = {p.text: p for p in find_places("A truck was stopped on Highway 11 in Stroud, Ontario, on Friday.",
                                            gazetteer)[0]}
    assert places["Stroud"].country == "CA"
    ontario = places["Ontario"]
    assert abs(places["Stroud"].lat - ontario.lat) < 1 and abs(places["Stroud"].lon - ontario.lon) < 1


def test_a_country_listed_before_another_stays_itself(gazetteer):
    places = {p.text: p for p in find_places("Talks between the U.S., South Korea and Japan resumed.", gazetteer)[0]}
    assert places["U.S."].country == "US" and places["South Korea"].country == "KR"
