"""Places found by their context rather than by the gazetteer's main index alone.

- Datelines: "LOS ANGELES —", "SAN DIEGO (AP) —", "NEW YORK, June 3" open a paragraph in capitals,
  which the main matcher reads as acronyms.
- Abbreviations of a state or province after a place and a comma: "Austin, TX", "Pasadena, Calif.".
- Small places (towns and second-level subdivisions of 1,000 people or more, which GeoNames names
  by the hundred thousand, many of them words and people's names): only where the words around say
  place ("in X", "near X", "the village of X", "X, <province or country>", "X-based"), and only
  when it lies in a country the article names or in the region written after it.
- Sites and features by their head words ("Fort Detrick", "Swat Valley", "Heathrow Airport"),
  put at the place they hold or the nearest place named around them (kind "site").
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import replace

from ..geocode.gazetteer import Entry, Gazetteer, fold
from ..model import Place
from .words import FUNCTION_WORDS, word_before

# A paragraph that opens with one to four words in capitals, then a comma, a parenthesis
# ("(AP)") or a dash: a dateline.
_DATELINE = re.compile(
    r"^[ \t]*([A-Z][A-Z'’.\-]*[A-Z.](?:[ \t]+[A-Z][A-Z'’.\-]*[A-Z.]){0,3})(?=[ \t]*(?:,|\(|—|–|--|-[ \t]))",
    re.M)
# Words before a small place that say it is one. "at" and "from" are left out: "at Google",
# "a letter from Johnson".
GATE_WORDS = frozenset("in near outside around through across throughout".split())
# "the village of X", "the town of X": the noun before "of".
PLACE_NOUNS = frozenset("""village town city township hamlet suburb community municipality district
    province county region settlement island neighbourhood neighborhood parish borough
    commune state""".split())
_AFTER_RUN = re.compile(r"[ \t\u00a0\-]([^\W\d_]+)")
_COMMA = re.compile(r",[ \t\u00a0]*")
_BASED = re.compile(r"-based\b")
MAX_RUN = 3  # words of a small place's name


def dateline_candidates(text: str, gazetteer: Gazetteer):
    """(start, end, False, entries) of each dateline's place that the gazetteer knows."""
    for m in _DATELINE.finditer(text):
        name = m.group(1).rstrip(".")
        entries = gazetteer.lookup(fold(name.title()))
        if entries:
            yield m.start(1), m.start(1) + len(name), False, entries


def abbreviation_after_comma(text: str, start: int, end: int, gazetteer: Gazetteer):
    """(end, regions) when the capitalised word text[start:end] is a state's or province's
    abbreviation right after a capitalised word and a comma ("Austin, TX"); None otherwise."""
    if start < 3 or text[start - 1] not in " \t\u00a0," or "," not in text[start - 2:start]:
        return None
    before = word_before(text, start, skip=" \t\u00a0,")[1]
    if not before[:1].isupper():
        return None
    with_dot = end < len(text) and text[end] == "."
    key = fold(text[start:end + with_dot])
    regions = gazetteer.abbreviations.get(key)
    if regions is None:
        return None
    return end + (with_dot and not text[start:end].endswith(".")), regions


def small_places(text: str, gazetteer: Gazetteer, words, taken: list[tuple[int, int]],
                 places: list[Place], countries: frozenset[str], word_use, not_names: frozenset[str]) -> list[Place]:
    """Towns and small subdivisions the context marks as places (see the module's docstring).
    `words` are the capitalised words of the text, `taken` the spans the main matcher already
    read, `places` what it found, `countries` the article's countries, `word_use` how the article
    uses a word elsewhere, `not_names` words that are never a small place ("May", "Monday")."""
    if not gazetteer.has_towns:
        return []
    wider = {p.span[0]: p for p in places if p.kind in ("region", "country", "feature")}
    regions = frozenset(p.name for p in places if p.kind == "region")
    taken = sorted(taken)
    found, resume, t = [], 0, 0
    for k, (start, word_end, word) in enumerate(words):
        if start < resume:
            continue
        while t < len(taken) and taken[t][1] <= start:
            t += 1
        if t < len(taken) and taken[t][0] < word_end:
            continue  # the main matcher read these words
        gate = _gate_before(text, start)
        for n in range(min(MAX_RUN, len(words) - k), 0, -1):
            end = words[k + n - 1][1]
            if n > 1 and not _joined(text, words, k, n):
                continue
            if t < len(taken) and taken[t][0] < end:
                continue
            after = _gate_after(text, end, wider)
            if not (gate or after):
                continue
            # The cheap tests first: the town table is loaded on the first name that passes them.
            if not _may_be_place(text, start, end, gazetteer, gate, after, word_use, not_names):
                continue
            entries = gazetteer.small_places(fold(text[start:end]))
            if not entries:
                continue
            entry = _choose(entries, after, countries, regions, strong=gate == "noun" or after is not None)
            if entry is not None:
                found.append(Place(text=text[start:end], span=(start, end), name=entry.name, country=entry.country,
                                   lat=round(entry.lat, 4), lon=round(entry.lon, 4), kind=entry.kind))
                resume = end
            break
    return found + _repeats(text, found, taken)


def _repeats(text: str, found: list[Place], taken: list[tuple[int, int]]) -> list[Place]:
    """The other mentions of the small places found: a story that says "in Innisfail" once means
    the town each time it writes "Innisfail" ("Innisfail was hit hardest")."""
    out = []
    spans = sorted(taken + [p.span for p in found])
    for name, place in {p.text: p for p in found}.items():
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            whole = (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
            k = bisect.bisect_left(spans, (end,))
            clear = not any(s < end and at < e for s, e in spans[max(0, k - 2):k + 1])
            if whole and clear:
                out.append(replace(place, span=(at, end)))
            at = text.find(name, end)
    return out


def _joined(text: str, words, k: int, n: int) -> bool:
    """Are words k..k+n-1 one run, a space or hyphen apart ("Eastern Creek", "Abu-Shok")?"""
    return all(words[j + 1][0] - words[j][1] == 1 and text[words[j][1]] in " -" for j in range(k, k + n - 1))


def _gate_before(text: str, start: int) -> str:
    """"word" after "in", "near"...; "noun" after "the village of"; "" otherwise."""
    at, prev = word_before(text, start)
    prev = prev.lower()
    if prev in GATE_WORDS:
        return "word"
    if prev == "of" and word_before(text, at)[1].lower() in PLACE_NOUNS:
        return "noun"
    return ""


def _gate_after(text: str, end: int, wider: dict[int, Place]):
    """The region or country written after the name and a comma ("Cellardyke, Fife"), the string
    "based" for "X-based", or None."""
    comma = _COMMA.match(text, end)
    if comma and comma.end() in wider:
        return wider[comma.end()]
    if _BASED.match(text, end):
        return "based"
    return None


def _may_be_place(text: str, start: int, end: int, gazetteer: Gazetteer, gate: str, after, word_use,
                  not_names) -> bool:
    key = fold(text[start:end])
    first = text[start:end].split()[0].lower()
    if first in FUNCTION_WORDS or first in not_names or key in gazetteer.stoplist or key in gazetteer.demonyms:
        return False
    if " " not in key and word_use.in_lower_case(text[start:end].lower()):
        return False  # "in Reading" where the article also reads "reading": a word
    strong = gate == "noun" or isinstance(after, Place)
    if not strong and (key in gazetteer.person_names or word_use.as_speaker(text[start:end])):
        return False  # "in Harvey's view", "Lu said": a person, unless the words say town
    nxt = _AFTER_RUN.match(text, end)
    if nxt and nxt.group(1)[0].isupper() and nxt.group(1).lower() not in FUNCTION_WORDS:
        return False  # part of a longer name: "in Eastern Creek Raceway"
    return True


def _choose(entries: tuple[Entry, ...], after, countries: frozenset[str], regions: frozenset[str],
            strong: bool) -> Entry | None:
    """The small place meant: the one in the region or country written after it, else one in a
    country the article names (in a region it names first); a name unique in the world when the
    words are strong ("the village of X"); else none."""
    if isinstance(after, Place):
        inside = [e for e in entries if (e.admin1 == after.name if after.kind == "region" else False)
                  or e.country == after.country]
        return max(inside, key=lambda e: (e.admin1 == after.name, e.kind == "region"), default=None)
    near = [e for e in entries if e.country in countries]
    if near:
        return max(near, key=lambda e: (e.admin1 in regions, e.kind == "region"))
    if strong and len({e.country for e in entries}) == 1:
        return entries[0]
    return None


def _alt(words) -> str:
    """Alternatives of a regex, longest first; refuses an empty list (it would match anything)."""
    if not words:
        raise ValueError("an empty list of words would match everything")
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(words, key=len, reverse=True))


_NAME_WORD = r"[A-Z][\w'’.\-]*"


@functools.lru_cache(maxsize=4)
def _site_pattern(path) -> re.Pattern:
    """One regex for every site: a prefix and one or two capitalised words ("Fort Hood"), one to
    three capitalised words and a suffix ("Dugway Proving Ground"), or one to three capitalised
    words before a common noun that is not part of the name ("the Crown Heights neighborhood")."""
    heads = {"prefix": [], "suffix": [], "before": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        side, _, words = line.partition(":")
        if not line.startswith("#") and words.strip():
            heads[side.strip()].append(words.strip())
    return re.compile(rf"\b(?:(?:{_alt(heads['prefix'])})[ \t]+{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?"
                      rf"|{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}?[ \t]+(?:{_alt(heads['suffix'])})"
                      rf"|(?P<before>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}?(?=[ \t]+(?:{_alt(heads['before'])})\b)))\b")


_PREFIXED = re.compile(r"(?:Fort|Lake|Mount|Camp|Cape)\b")
SITE_REACH = 200  # characters: how far the place a site is put at may be named from it
_WIDTH = {"city": 0, "facility": 0, "region": 1, "country": 2}  # of the places a site may be put at


def site_places(text: str, places: list[Place], gazetteer: Gazetteer, path, countries: frozenset[str]) -> list[Place]:
    """The places with each site named in the text added: a site holding a place of a country the
    article names is put there ("Swat Valley" at Swat) and replaces it; another is put at the
    nearest place named within SITE_REACH characters ("Fort Knox" is not at Knox, Australia), or
    none. Kind "site": where it is, is that approximation."""
    if not places:
        return places
    out = list(places)
    for m in _site_pattern(path).finditer(text):
        start, end = m.span()
        words = m.group().split()
        while len(words) > 1 and words[0].lower() in FUNCTION_WORDS:  # "The Crown Heights neighborhood"
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        first = words[0]
        if first.lower() in FUNCTION_WORDS or fold(first) in gazetteer.stoplist:
            continue
        if m.group("before") and fold(first) in gazetteer.demonyms:
            continue  # "a Russian enclave": a people's word, not a place's name
        inside = [p for p in out if start <= p.span[0] and p.span[1] <= end]
        if any(p.span[0] < end and start < p.span[1] and p not in inside for p in out):
            continue  # it overlaps a place it does not hold
        if any(p.span == (start, end) for p in inside):
            continue  # the gazetteer knows it ("Bekaa Valley")
        # "Swat Valley" holds Swat; "Fort Knox", "Lake Victoria" are named after people; a
        # neighbourhood is named after a place elsewhere ("Old East Village" is not New York's).
        if inside and inside[0].country in countries and not _PREFIXED.match(m.group()) and not m.group("before"):
            at = inside[0]
        else:
            near = [p for p in out if abs(p.span[0] - start) <= SITE_REACH and p.kind != "site" and p not in inside]
            # A town near it before a region, a region before a country: a site is seldom a
            # country's or a province's middle ("Old East Village" of London, Ontario).
            at = min(near, key=lambda p: (_WIDTH.get(p.kind, 1), abs(p.span[0] - start)), default=None)
        out = [p for p in out if p not in inside]  # words of the site's name, placed or not
        if at is None or not at.country:
            continue
        out.append(Place(text=text[start:end], span=(start, end), name=text[start:end], country=at.country,
                         lat=at.lat, lon=at.lon, kind="site"))
    return sorted(out, key=lambda p: p.span)


# "Smith County", "Vermilion Parish", "Queens Borough": a county the gazetteer does not know is
# still a place, in the region the story names most.
_COUNTY = re.compile(rf"\b{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?[ \t]+(?:County|Parish|Borough)\b")


def unknown_counties(text: str, places: list[Place]) -> list[Place]:
    """The places with each county, parish or borough that no place covers added, at the region
    the story names most (of the country it names most, when it names no region): an
    approximation the kind "region" carries, as for "Kursk region" at Kursk."""
    counties = [m for m in _COUNTY.finditer(text) if m.group().split()[0].lower() not in FUNCTION_WORDS]
    if not counties:
        return places
    regions = [p for p in places if p.kind == "region" and p.country]
    wider = regions or [p for p in places if p.kind == "country"]
    if not wider:
        return places
    counts: dict[tuple, int] = {}
    for p in wider:
        counts[(p.name, p.country)] = counts.get((p.name, p.country), 0) + 1
    top = max(wider, key=lambda p: counts[(p.name, p.country)])
    out = list(places)
    for m in counties:
        start, end = m.span()
        if any(p.span[0] < end and start < p.span[1] for p in out):
            continue
        out.append(Place(text=m.group(), span=(start, end), name=m.group(), country=top.country,
                         lat=top.lat, lon=top.lon, kind="region"))
    return sorted(out, key=lambda p: p.span)


# ---------- a name's reading from the names around it ----------

_LIST_SEP = re.compile(r",[ \t]+(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+")
_LISTED_KINDS = ("country", "region")


def kinds_by_list(text: str, candidates) -> dict[int, str]:
    """Candidate number -> the kind its list gives it: a name of several readings between names
    of one kind ("Mali, Niger and Senegal", "Utah, Washington and Wisconsin", "New Jersey and
    New York") is of their kind, as a reader takes it: Niger the country, not Nigeria's state;
    Washington the state, not the capital. Only countries and regions: a list of cities says
    nothing a name's own size does not."""
    def kind_of(entries) -> str | None:
        kinds = {e.kind for e in entries}
        return next(iter(kinds)) if len(kinds) == 1 and kinds <= set(_LISTED_KINDS) else None

    def listed(a: int, b: int) -> bool:
        return candidates[b][0] - candidates[a][1] <= 8 and _LIST_SEP.fullmatch(text, candidates[a][1], candidates[b][0])

    found = {}
    for k, (_, _, _, entries) in enumerate(candidates):
        if len({e.kind for e in entries}) < 2:
            continue
        neighbours = {kind_of(candidates[j][3]) for j in (k - 1, k + 1)
                      if 0 <= j < len(candidates) and listed(min(j, k), max(j, k))}
        neighbours.discard(None)
        if len(neighbours) == 1 and (kind := neighbours.pop()) in {e.kind for e in entries}:
            found[k] = kind
    return found


def town_in_named_region(name: str, entries, country: str, region: str | None, gazetteer: Gazetteer):
    """The place meant by a name written before its region or country ("Stroud, Ontario",
    "San Juan Bautista, California") when none of its readings in the main index lies there: the
    town or subdivision of that name in the town table, in that region when given; a town too
    small for the table, at the point of the region (or country) the words put it in, since it
    is there and not in the England or Venezuela of its namesakes; None when it lies there."""
    if any(e.country == country or e.kind != "city" for e in entries):
        return None  # it lies there, or it is a region or country itself: a list ("U.S., South Korea")
    inside = [e for e in gazetteer.small_places(fold(name)) if e.country == country] if gazetteer.has_towns else []
    if region is not None:
        inside = [e for e in inside if e.admin1 == region] or inside
    town = max(inside, key=lambda e: (e.admin1 == region, e.kind == "city"), default=None)
    if town is not None:
        return town
    regions = [e for e in gazetteer.lookup(fold(region)) if e.kind == "region" and e.country == country] if region else []
    around = regions[0] if regions else gazetteer.countries.get(country)
    return Entry(name, country, around.lat, around.lon, "city", 0, False, region or "") if around else None
