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


def test_subdivisions_towns_and_abbreviations_come_from_packaged_geonames(gazetteer):
    from timeline.geocode.gazetteer import fold

    [anhui] = [e for e in gazetteer.lookup(fold("Anhui")) if e.kind == "region"]
    assert anhui.country == "CN" and 29 < anhui.lat < 35 and 114 < anhui.lon < 120
    assert any(e.country == "SS" for e in gazetteer.small_places(fold("Malakal")))
    assert [e.name for e in gazetteer.abbreviations[fold("TX")]] == ["Texas"]
    assert gazetteer.lookup(fold("Calif."))[0].name == "California"


def test_a_region_named_as_its_own_city_is_left_to_the_city(gazetteer):
    from timeline.geocode.gazetteer import fold

    assert all(e.kind == "city" for e in gazetteer.lookup(fold("Belgorod")) if e.country == "RU")


def test_the_cache_is_keyed_by_every_data_file(tmp_path, monkeypatch):
    from timeline.geocode import gazetteer as g

    for name in g.SOURCE_FILES:
        assert (g.GAZETTEER_DIR / name).exists(), name
