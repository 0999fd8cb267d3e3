"""The home country of an outlet, read from its web address: news from a ".co.uk" site that
names "Richmond" and no country means the Richmond of England, and a Canadian site's "London"
is London, Ontario, unless the story names another country.

A two-letter last label that is a country's code in the gazetteer is that country; the
exceptions (the United Kingdom's "uk", codes sold worldwide as generic names: ".tv", ".io")
are data, in data/gazetteer/web_domains.csv. Generic labels (".com", ".org", ".news") say nothing.
"""
from __future__ import annotations

import functools
from urllib.parse import urlsplit

from ..paths import GAZETTEER_DIR
from .gazetteer import curated_rows

DOMAINS = GAZETTEER_DIR / "web_domains.csv"


@functools.lru_cache(maxsize=1)
def _exceptions() -> dict[str, str]:
    return {row["suffix"].strip().lower(): row["country"].strip().upper() for row in curated_rows(DOMAINS)}


def home_country(url: str | None, countries) -> str | None:
    """The ISO alpha-2 code of the country a web address's domain belongs to, or None.
    `countries`: the codes the gazetteer knows (Gazetteer.countries)."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return None
    label = host.rstrip(".").rsplit(".", 1)[-1].lower()
    if len(label) != 2 or not label.isalpha() or "." not in host:
        return None
    code = _exceptions().get(label, label.upper())
    return code if code and code in countries else None
