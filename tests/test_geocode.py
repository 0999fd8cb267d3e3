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
