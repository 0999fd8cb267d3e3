"""The outlet's home country, read from its web address, decides a name of several places that
the story does not settle (issue 11: "prefer ... the outlet's home region")."""
import datetime as dt

import pytest

from timeline.extract.pipeline import extract
from timeline.geocode.gazetteer import default_gazetteer
from timeline.geocode.home import home_country
from timeline.model import Article


@pytest.fixture(scope="module")
def countries():
    return default_gazetteer().countries


@pytest.mark.parametrize("url, home", [
    ("https://www.independent.co.uk/news/world/x.html", "GB"),
    ("https://www.cbc.ca/news/canada/x", "CA"),
    ("https://www.abc.net.au/news/2024-05-01/x", "AU"),
    ("http://www.rte.ie/news/x", "IE"),
    ("www.stuff.co.nz/national/x", "NZ"),
    ("https://www.liga.net/en/politics/x", None),  # generic labels say nothing
    ("https://edition.cnn.com/2024/x", None),
    ("https://news.example.tv/x", None),  # a country code sold as a generic name
    ("https://startup.io/blog", None),
    ("https://europa.eu/x", None),
    ("", None),
    (None, None),
    ("not a url", None),
    ("https://[broken/x", None),
])
def test_the_home_country_of_a_web_address(url, home, countries):
    assert home_country(url, countries) == home


def places_of(text: str, url: str | None) -> list[tuple[str, str]]:
    extraction = extract(Article("a.txt", text, url=url, published=dt.date(2024, 5, 1)))
    return [(m.text, m.country) for m in extraction.mentions]


def test_a_name_of_several_places_is_the_one_in_the_outlets_country():
    text = "Flooding closed roads in Richmond on Tuesday, the council said."
    assert places_of(text, "https://www.example.co.uk/news/1") == [("Richmond", "GB")]
    assert places_of(text, "https://www.stuff.co.nz/news/1") == [("Richmond", "NZ")]
    assert places_of(text, "https://www.example.com/news/1") == [("Richmond", "US")]
    assert places_of(text, None) == [("Richmond", "US")]


def test_a_great_city_abroad_gives_way_to_the_home_one_unless_the_story_names_its_country():
    assert places_of("Police in London said on Monday that two men were arrested.",
                     "https://www.cbc.ca/news/1") == [("London", "CA")]
    assert places_of("Police in London said on Monday that two men were arrested, Britain's Home Office said.",
                     "https://www.cbc.ca/news/1") == [("London", "GB"), ("Britain", "GB")]
    assert places_of("Police in London said on Monday that two men were arrested.",
                     "https://www.example.com/news/1") == [("London", "GB")]


def test_the_home_country_does_not_move_a_place_that_has_no_namesake_there():
    assert places_of("The storm hit Paris on Monday.", "https://www.stuff.co.nz/1") == [("Paris", "FR")]
