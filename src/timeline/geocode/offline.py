"""A geopy geocoder over the offline gazetteer: the default, and it needs no network.

It follows geopy's contract, so it works with `RateLimiter` and every geopy user's habits:
`geocode(query)` returns a `Location`, a list of them (`exactly_one=False`), or `None` when the
name is unknown; a bad query raises `GeocoderQueryError`.
"""
from __future__ import annotations

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderQueryError, GeocoderServiceError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from .gazetteer import Entry, Gazetteer, default_gazetteer, fold


class _NoNetworkAdapter(BaseSyncAdapter):
    """The gazetteer never goes online; if anything asks, say so."""

    def get_json(self, url, *, timeout, headers):
        raise GeocoderServiceError("the offline gazetteer makes no requests")

    def get_text(self, url, *, timeout, headers):
        raise GeocoderServiceError("the offline gazetteer makes no requests")


class GazetteerGeocoder(Geocoder):
    """geocode("Kiev") -> Location("Kyiv, UA", (50.45, 30.52)). "Kursk, RU" or "Kursk, Russia"
    restricts the answer to that country."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        super().__init__(adapter_factory=_NoNetworkAdapter)
        self.gazetteer = gazetteer or default_gazetteer()

    def geocode(self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL):
        if not isinstance(query, str) or not query.strip():
            raise GeocoderQueryError(f"expected a place name, got {query!r}")
        name, _, country_words = query.partition(",")
        candidates = self.gazetteer.lookup(fold(name.strip()))
        if country_words.strip():
            country = self._country_code(country_words.strip())
            candidates = [e for e in candidates if e.country == country]
        if not candidates:
            return None
        ranked = sorted(candidates, key=lambda e: e.preference(), reverse=True)
        locations = [_location(e) for e in ranked]
        return locations[0] if exactly_one else locations

    def _country_code(self, words: str) -> str | None:
        if len(words) == 2 and words.isalpha():
            return words.upper()
        entry = self.gazetteer.best(words)
        return entry.country if entry and entry.kind == "country" else None


def _location(entry: Entry) -> Location:
    raw = {"name": entry.name, "country": entry.country, "kind": entry.kind,
           "population": entry.population, "lat": entry.lat, "lon": entry.lon}
    return Location(f"{entry.name}, {entry.country}", (entry.lat, entry.lon), raw)
