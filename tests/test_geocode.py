import pytest
from geopy.exc import GeocoderQueryError
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

from timeline.geocode.offline import GazetteerGeocoder


@pytest.fixture(scope="module")
def geocoder(gazetteer):
    return GazetteerGeocoder(gazetteer)


def test_alternate_spelling_gives_a_geopy_location(geocoder):
    location = geocoder.geocode("Kiev")
    assert isinstance(location, Location)
    assert location.address == "Kyiv, UA"
    assert location.latitude == pytest.approx(50.45, abs=0.1) and location.longitude == pytest.approx(30.52, abs=0.1)


def test_unknown_is_none_and_a_bad_query_is_a_geopy_error(geocoder):
    assert geocoder.geocode("Xyzzyville") is None
    with pytest.raises(GeocoderQueryError):
        geocoder.geocode("  ")


def test_country_qualifier_and_all_candidates(geocoder):
    assert geocoder.geocode("Moscow, US").raw["country"] == "US"
    assert geocoder.geocode("Moscow, Russia").raw["country"] == "RU"
    assert len(geocoder.geocode("Moscow", exactly_one=False)) >= 2


def test_works_under_geopys_rate_limiter(geocoder):
    limited = RateLimiter(geocoder.geocode, min_delay_seconds=0)
    assert limited("Hamhung").raw["country"] == "KP"


def test_folding_many_names_at_once_equals_folding_each():
    from timeline.geocode.gazetteer import _fold, _fold_all

    names = ["Kyïv", "Hamhŭng", "St. Ives", "U.S.", "  Port   of  Spain ", "Ḩalab", "L'Aquila",
             "Saint-Étienne", "NYC", "São  Paulo", "Köln", "Łódź", "x\u2003y", "Ǆemal", "ß-Straße"]
    assert _fold_all(names) == [_fold(n) for n in names]


def test_the_cached_index_answers_as_the_built_one(tmp_path):
    import pickle

    from timeline.geocode.gazetteer import Gazetteer, fold

    built = Gazetteer.load()
    loaded = pickle.loads(pickle.dumps(built))
    for name in ("Kyiv", "Kiev", "Hamhung", "Georgia", "Ryongsong Machine Complex", "US", "Paris"):
        key = fold(name)
        assert loaded.lookup(key) == built.lookup(key) and built.lookup(key)
    assert loaded.first_words == built.first_words and "kiev" in loaded
    assert loaded.starts_a_name("ryongsong") and not loaded.starts_a_name("qzxv")
