"""A gazetteer entry and the folding of names into lookup keys, shared by the loaders.

Kept apart from gazetteer.py so that the loaders of each source can use them; gazetteer.py
gives them to everyone else.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

# Countries and regions rank above any city of the same name ("Georgia", "Jordan").
COUNTRY_RANK = 10**9
BIG_CITY = 1_000_000
# A US state ranks as a city of this size: above the towns named after it ("Florida, Cuba"),
# below the cities news means by the name ("Washington" is Washington, D.C.).
US_STATE_RANK = 600_000


class Entry(NamedTuple):  # a tuple: it pickles several times faster than a dataclass
    name: str
    country: str
    lat: float
    lon: float
    kind: str  # city, region, country, facility
    population: int = 0
    primary: bool = True  # the alias is the place's own name, not an alternate spelling
    admin1: str = ""  # the name of its first-level subdivision, when GeoNames gives it

    @property
    def rank(self) -> int:
        return COUNTRY_RANK if self.kind == "country" else self.population

    @property
    def minor_alias(self) -> bool:
        """Is this a town of under a million named by another of its spellings? GeoNames lists
        many words and names so: "Hamas" for Hamm, "Cumbria" for Cumberland, Maryland."""
        return self.kind == "city" and not self.primary and self.population < BIG_CITY

    def preference(self, countries: frozenset[str] = frozenset(), home: frozenset[str] = frozenset()) -> tuple:
        """How likely this place is the one a name means (larger is likelier): first a place in
        a country the text is about, then in the outlet's home country; then one called by its
        own name, or a region, country or city of a million by any of its names ("New York" is
        New York City, not a small town of that name); then the larger."""
        return (self.country in countries, self.country in home,
                self.kind != "city" or self.primary or self.population >= BIG_CITY, self.rank)


_COMBINING = re.compile("[\u0300-\u036f]")
# Anything but ASCII, the Latin letter blocks and combining accents: another script.
_NOT_LATIN = re.compile("[^\x00-\x7f\u00a0-\u024f\u0300-\u036f\u1e00-\u1eff\u2018-\u201d]")
_SPACES = re.compile(r"[^\S\n]+")
_QUOTE_CHARS = "\"“”‘’'`"
_QUOTES = str.maketrans({c: None for c in _QUOTE_CHARS} | {"-": " "})


def _fold(name: str) -> str:
    """The lookup key of a name: case and accents folded, quotes dropped, spaces collapsed.
    Short all-capital acronyms keep their case ("US" is not "us"), marked by a leading '^'."""
    bare = name.replace(".", "") if "." in name and len(name) <= 8 else name
    if len(bare) <= 4 and bare.isupper() and bare.isalpha():
        return "^" + bare
    if not name.isascii():
        name = _COMBINING.sub("", unicodedata.normalize("NFKD", name))
    return " ".join(name.casefold().translate(_QUOTES).split())


# Lookups fold the same words again and again; building the index folds each alias once.
fold = functools.lru_cache(maxsize=1 << 16)(_fold)


def _is_latin(name: str) -> bool:
    return name.isascii() or not _NOT_LATIN.search(name)


def _fold_all(names: list[str]) -> list[str]:
    """`_fold` of many names at once. The 200,000 GeoNames spellings are folded as one string,
    which takes a fifth of the time of a call per name; names with a rule of their own (dots,
    acronyms, line breaks) still get that call."""
    own_rule = {i for i, n in enumerate(names) if "\n" in n or ("." in n and len(n) <= 8) or n.isupper()}
    blob = "\n".join("" if i in own_rule else n for i, n in enumerate(names))
    if not blob.isascii():
        blob = _COMBINING.sub("", unicodedata.normalize("NFKD", blob))
    blob = blob.casefold()
    for quote in _QUOTE_CHARS:  # str.replace per character: translate() is slow on long text
        blob = blob.replace(quote, "")
    blob = _SPACES.sub(" ", blob.replace("-", " "))
    folded = [line.strip(" ") for line in blob.split("\n")]
    for i in own_rule:
        folded[i] = _fold(names[i])
    return folded
