"""An online geocoder, only when the user asks for one: Nominatim (or a server that answers like
it) through geopy, behind geopy's RateLimiter and a persistent cache.

Online answers refine the coordinates of places the offline gazetteer already found; they never
add places. When the service times out, refuses (429), fails (5xx) or answers garbage, the tool
says so once and keeps the offline coordinates for the rest of the run. Cached answers are reused
whether or not the service is up.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
import sys
from pathlib import Path

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter

from ..model import Place
from .gazetteer import CACHE_DIR

REFINED_KINDS = ("city", "region", "facility")
# geopy's RateLimiter logs each retried error with its traceback; the one-line warning below says
# what the user needs, so geopy's log records go nowhere unless the user configures logging.
logging.getLogger("geopy").addHandler(logging.NullHandler())


class GeocodeCache:
    """query -> answer ({"lat", "lon", "address"} or None for "not found"), kept on disk."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS answers (service TEXT, query TEXT, answer TEXT, "
                          "PRIMARY KEY (service, query))")

    def get(self, service: str, query: str):
        row = self.conn.execute("SELECT answer FROM answers WHERE service = ? AND query = ?",
                                (service, query)).fetchone()
        return (True, json.loads(row[0])) if row else (False, None)

    def put(self, service: str, query: str, answer) -> None:
        self.conn.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (service, query, json.dumps(answer)))


class OnlineRefiner:
    """Refines place coordinates with an online geopy geocoder; falls back to the gazetteer."""

    def __init__(self, geocoder, service: str, cache: GeocodeCache, min_delay: float = 1.0,
                 error_wait: float = 2.0, warn=None):
        self.service = service
        self.cache = cache
        self.lookup = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay, max_retries=1,
                                  error_wait_seconds=error_wait, swallow_exceptions=False)
        self.available = True
        self.warn = warn or (lambda message: print(f"timeline: warning: {message}", file=sys.stderr))

    def refine(self, places: list[Place]) -> list[Place]:
        answers: dict[tuple, object] = {}
        out = []
        for place in places:
            if place.kind not in REFINED_KINDS:
                out.append(place)
                continue
            key = (place.name, place.country)
            if key not in answers:
                answers[key] = self._answer(f"{place.name}, {place.country}")
            answer = answers[key]
            if answer:
                place = dataclasses.replace(place, lat=round(float(answer["lat"]), 4),
                                            lon=round(float(answer["lon"]), 4))
            out.append(place)
        return out

    def _answer(self, query: str):
        found, answer = self.cache.get(self.service, query)
        if found or not self.available:
            return answer
        try:
            location = self.lookup(query)
            answer = None if location is None else {"lat": float(location.latitude), "lon": float(location.longitude),
                                                    "address": str(location.address)}
            if answer and not (-90 <= answer["lat"] <= 90 and -180 <= answer["lon"] <= 180):
                raise ValueError(f"coordinates off the globe: {answer['lat']}, {answer['lon']}")
        except (GeopyError, ValueError, TypeError, KeyError, OSError) as e:
            self.available = False
            reason = " ".join(str(e).split())[:160]
            self.warn(f"online geocoder {self.service} failed ({type(e).__name__}: {reason}); "
                      "using the offline gazetteer for the rest of this run")
            return None
        self.cache.put(self.service, query, answer)
        return answer


def nominatim(url: str | None = None, min_delay: float = 1.0, timeout: float = 10.0,
              cache_path: Path | None = None, error_wait: float = 2.0, warn=None) -> OnlineRefiner:
    """A refiner over Nominatim; `url` ("http://127.0.0.1:8080") points at another server."""
    from geopy.geocoders import Nominatim

    kwargs = {"user_agent": "timeline-news-events", "timeout": timeout}
    service = "nominatim"
    if url:
        scheme, _, domain = url.partition("://")
        kwargs.update(scheme=scheme or "https", domain=domain.rstrip("/"))
        service = f"nominatim@{domain.rstrip('/')}"
    cache = GeocodeCache(cache_path or CACHE_DIR / "geocode.sqlite")
    return OnlineRefiner(Nominatim(**kwargs), service, cache, min_delay, error_wait, warn)
