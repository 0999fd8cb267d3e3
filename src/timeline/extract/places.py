"""Place names in text, matched against the gazetteer and disambiguated by context.

A candidate starts at a capitalised word and is the longest run of up to five words whose folded
form is a gazetteer name (longest wins, then the earliest). What GeoNames calls a place is often
an ordinary word or part of a person's or organisation's name, so a single-word candidate is
dropped when it is on the stop-list, written in lower case elsewhere in the article, part of a
longer capitalised name ("James Martin Center", "Kim Jong Un"), a model name ("Hwasong-11"),
after a title ("Mr", "President"), or before a surname the story quotes ("Israel Katz"); any
candidate is dropped before an organisation's word ("The New York Times") and when it is only
another spelling of a small town abroad ("Hamas" for Hamm). Among places of the same name, the
one in the state or country named after it ("Paris, Texas") wins, then one in a country the
article names, then the larger one. "Kursk region", "Kharkiv Oblast" and each name of "the
Bryansk and Belgorod regions" become regions.
"""
from __future__ import annotations

import re

from ..geocode.gazetteer import BIG_CITY, Gazetteer, fold
from ..geocode.subdivisions import ADMIN2_RANK, has_head
from ..model import Place
from ..paths import GAZETTEER_DIR
from .place_contexts import (abbreviation_after_comma, dateline_candidates, kinds_by_list, site_places,
                             small_places, town_in_named_region, unknown_counties)
from .words import FUNCTION_WORDS, word_before

MAX_WORDS = 5
SITE_HEADS = GAZETTEER_DIR / "site_heads.txt"
# Upper-case letters that may open a name: ASCII, Latin-1 and Latin Extended-A ("Łódź").
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
# A capitalised word: an acronym with dots ("U.S."), or a word that starts with a capital. The
# pattern starts with one character class and has no look-behind before it, which keeps its scan
# fast (twice as fast as two alternatives); `_word_start` checks the left edge.
_CAPITALISED = re.compile(rf"[{_UPPER}](?:(?<=[A-Z])(?:\.[A-Z])+\.|[^\W_]*)")
_GLUED = re.compile(r"[a-z]{4}")
# The next word of a phrase: only spaces, hyphens, apostrophes or quotes in between.
_NEXT_WORD = re.compile(r"[ \t\u00a0\-'’“”‘\"]{1,3}((?:[A-Z]\.){2,}|[^\W_]+)")
_APOSTROPHES = ("'", "’")
_GLUED_S = re.compile(r"['’][a-z]{1,2}\b")  # the "'s" the folded names keep glued: "peoples"
_NEXT_SPACED = re.compile(r"[ \t\u00a0]{1,3}([^\W_]+)")
REGION_WORDS = ("region", "oblast", "province", "governorate", "prefecture", "county", "district",
                "territory", "krai", "state")
_REGION_AFTER = re.compile(
    r"(?:[ \t]+(?:border|frontier|southern|northern|eastern|western|central))?[ \t]+(%s)s?\b"
    % "|".join(REGION_WORDS), re.I)
# The plural after a list of names: "the Bryansk and Belgorod regions" (each name is a region).
_REGIONS_AFTER = re.compile(r"[ \t]+(?:regions|oblasts|provinces|governorates|prefectures|districts)\b", re.I)
_LIST_GAP = re.compile(r",[ \t]+(?:and[ \t]+)?|[ \t]+and[ \t]+")
LOCATIVES = frozenset("in at near outside inside into across around throughout within".split())
TITLES = frozenset("""mr mrs ms dr prof president minister governor mayor senator general gen
    sen rep gov king queen prince princess pope lord lady sir saint st sgt capt col lt""".split())


def find_places(text: str, gazetteer: Gazetteer,
                home: str | None = None) -> tuple[list[Place], list[tuple[int, int, str]]]:
    """Every place named in `text` in order of appearance, and the demonyms of the text.
    `home`: the outlet's home country (geocode/home.py), which local news seldom names: of the
    places of one name, one there comes after one in a country the story names."""
    words = capitalised_words(text)
    candidates = _with_datelines(list(_candidates(text, gazetteer, words)), text, gazetteer)
    demonyms = demonym_countries(text, gazetteer, words)
    homes = frozenset({home}) if home else frozenset()
    context = _article_countries(candidates, demonyms, homes)
    near = context | homes  # where a small town, a district or another spelling may be
    word_use = _WordUse(text)
    kinds = {}  # id of a name's entries -> the kinds of place it may be
    for _, _, _, entries in candidates:
        if id(entries) not in kinds:  # a page that repeats one name pays for it once
            kinds[id(entries)] = _facts(entries)[0]
    verdicts = [_single_word_verdict(text, start, end, word_use, gazetteer, kinds[id(entries)], _only_small(entries))
                if single else "place" for start, end, single, entries in candidates]
    for k, (start, end, single, entries) in enumerate(candidates):
        if single and verdicts[k] == "place" and _a_persons_name(text, k, candidates, gazetteer, word_use):
            verdicts[k] = "name"  # "Stuart said", "Franklin Harvey": not the small towns so named
    # A word seen as part of a person's or an organisation's name ("Toyota Motor Corp",
    # "Sam Lair") is that name everywhere in the article ("Toyota reported", "Lair said"),
    # unless a preposition of place comes before it ("Paris Hilton arrived in Paris").
    names = {text[c[0]:c[1]] for c, v in zip(candidates, verdicts) if v == "name"}
    # Of those, the first names of people the story quotes ("Paris Hilton ... Hilton said"): a
    # great city's name is kept from them too, not from an organisation ("Auckland Regional").
    persons = {text[c[0]:c[1]] for c, v in zip(candidates, verdicts) if v == "name" and _before_a_speaker(text, c[1], word_use)}
    within = _countries_named_after(text, candidates)
    regions = _article_regions(candidates)
    listed_regions = _regions_by_list(text, candidates)
    listed_kinds = kinds_by_list(text, candidates)
    places = []
    chosen = {}  # (id of a name's entries, region asked?, country after it) -> the place it means
    for k, ((start, end, single, entries), verdict) in enumerate(zip(candidates, verdicts)):
        if verdict != "place" or (single and text[start:end] in names and kinds[id(entries)] == _CITY
                                  and word_before(text, start)[1].lower() not in LOCATIVES
                                  and not (_a_great_city(entries) and text[start:end] not in persons)):
            continue
        # "Kursk region", "Washington state": the words after the name ask for a region; so do
        # those after a list it opens ("the Bryansk and Belgorod regions").
        region = _REGION_AFTER.match(text, end) if not kinds[id(entries)].isdisjoint(_CITY_OR_REGION) else None
        region_end = region.end() if region else (end if k in listed_regions else None)
        # "Buffalo, New York": a name after a town and a comma is the town's region or country.
        after_town = k > 0 and k - 1 in within and kinds[id(candidates[k - 1][3])] == _CITY
        key = (id(entries), region_end is not None, within.get(k), after_town, listed_kinds.get(k))
        if key not in chosen:
            country, region = key[2] or (None, None)
            entry = max(entries, key=lambda e: (key[1] and e.kind == "region", after_town and e.kind != "city",
                                                e.country == country, e.admin1 == region, e.kind == key[4],
                                                e.preference(context, homes)))
            if country:  # "Stroud, Ontario": not the Stroud of England
                entry = town_in_named_region(text[start:end], entries, country, region, gazetteer) or entry
            if (entry.kind == "city" or entry.admin1) and entry.admin1 not in regions and regions:
                # Of towns (or counties) of one name, the one in a region the story names
                # ("Richmond" in a story about Virginia); a state or region of the name keeps
                # its place.
                local = [e for e in entries if e.kind == entry.kind and e.admin1 in regions]
                entry = max(local, key=lambda e: e.preference(context, homes), default=entry)
            # Another spelling of a small town abroad is likelier a word or a name than a place
            # the story is about; one in a country the story names is the town.
            foreign_alias = entry.minor_alias and entry.country not in near and entry.country != country
            # A district abroad by its bare name ("Turia" in Romania, "Meta" in Colombia) needs
            # its country in the story, as a town does.
            foreign_district = _a_bare_district(entry) and entry.country not in near and entry.country != country
            chosen[key] = None if foreign_alias or foreign_district else (entry, round(entry.lat, 4), round(entry.lon, 4))
        if chosen[key] is None:
            continue
        entry, lat, lon = chosen[key]
        kind = entry.kind
        if region_end is not None and kind in _CITY_OR_REGION:
            end, kind = region_end, "region"
        if _names_an_organisation(text, end, gazetteer):
            continue  # "The New York Times", "Colorado State University", "West Nile virus"
        places.append(Place(text=text[start:end], span=(start, end), name=entry.name,
                            country=entry.country, lat=lat, lon=lon, kind=kind))
    small = small_places(text, gazetteer, words, [(c[0], c[1]) for c in candidates], places,
                         near, word_use, _NOT_SURNAMES)
    if small:
        places = sorted(places + small, key=lambda p: p.span)
    return unknown_counties(text, site_places(text, places, gazetteer, SITE_HEADS, near)), demonyms


def _with_datelines(candidates: list, text: str, gazetteer: Gazetteer) -> list:
    """The candidates, with each dateline's place in place of the words it covers."""
    datelines = list(dateline_candidates(text, gazetteer))
    if not datelines:
        return candidates
    kept = [c for c in candidates if not any(d[0] < c[1] and c[0] < d[1] for d in datelines)]
    return sorted(kept + datelines, key=lambda c: c[0])


def _names_an_organisation(text: str, end: int, gazetteer: Gazetteer) -> bool:
    """Does the word right after a place name make it an organisation's name (a capitalised
    "University") or a thing's (a lower-case "virus")?"""
    if not text.startswith(" ", end):
        return False  # most places are followed by anything else: no regex needed
    after = _NEXT_SPACED.match(text, end)
    if not after:
        return False
    word = after.group(1).lower()
    if after.group(1)[0].isupper():
        return word in gazetteer.org_heads
    return word.endswith(gazetteer.thing_heads)  # "virus", and "ebolavirus" ("Reston ebolavirus")


def _regions_by_list(text: str, candidates) -> set[int]:
    """Numbers of the candidates in a list that a plural closes: "the Lviv, Kharkiv and Odesa
    regions" (the last one's own region word is read with it)."""
    found = set()
    for k in range(len(candidates) - 2, -1, -1):
        end, following = candidates[k][1], candidates[k + 1]
        if following[0] - end <= 7 and _LIST_GAP.fullmatch(text, end, following[0]) \
                and (k + 1 in found or _REGIONS_AFTER.match(text, following[1])):
            found.add(k)
    return found


def _countries_named_after(text: str, candidates) -> dict[int, tuple[str, str | None]]:
    """Candidate number -> (country, region) of the region or country named after it and a
    comma: "Norfolk, Virginia" is the Norfolk in the US, "Paris, Texas" not the French capital,
    "Pasadena, Calif." the one in California."""
    found = {}
    for k in range(len(candidates) - 1):
        if _COMMA_GAP.fullmatch(text, candidates[k][1], candidates[k + 1][0]):
            wider = [e for e in candidates[k + 1][3] if e.kind in ("country", "region") and e.country]
            if wider:
                top = max(wider, key=lambda e: e.rank)
                found[k] = (top.country, top.name if top.kind == "region" else None)
    return found


def _article_regions(candidates) -> frozenset[str]:
    """Names of the first-level regions the article names without doubt (one meaning only):
    of the towns of one name, the one in such a region is likelier ("Richmond" in a story that
    names Virginia)."""
    return frozenset(c[3][0].name for c in candidates if len(c[3]) == 1 and c[3][0].kind == "region")


_COMMA_GAP = re.compile(r",[ \t\u00a0]*")


def capitalised_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) of each capitalised word that starts a word, or that scraping
    glued to one ("showsKim"). Folded once here: both name finders read every one."""
    return [(m.start(), m.end(), fold(m.group())) for m in _CAPITALISED.finditer(text)
            if _word_start(text, m.start())]


def _word_start(text: str, i: int) -> bool:
    if i == 0 or not (text[i - 1].isalnum()):
        return True
    return i >= 4 and bool(_GLUED.fullmatch(text, i - 4, i))


def demonym_countries(text: str, gazetteer: Gazetteer,
                      words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """(start, end, country) for each demonym ("North Korean", "Ukrainian") in the text."""
    found, resume = [], 0
    first_words = gazetteer.demonym_first_words
    for start, word_end, word in words:
        if start < resume or word not in first_words:
            continue
        two = _NEXT_WORD.match(text, word_end)
        for end in ((two.end(),) if two else ()) + (word_end,):
            country = gazetteer.demonyms.get(fold(text[start:end]))
            if country and (end == len(text) or not text[end].isalnum()):
                found.append((start, end, country))
                resume = end
                break
    return found


def _candidates(text: str, gazetteer: Gazetteer, words: list[tuple[int, int, str]]):
    """(start, end, one word?, entries) of the longest gazetteer names, left to right."""
    first_words, stoplist, demonyms = gazetteer.first_words, gazetteer.stoplist, gazetteer.demonyms
    resume = 0
    for start, word_end, word in words:
        if start < resume:
            continue
        longest = first_words.get(word, 0)
        if text.startswith(".", word_end) and word + "." in first_words:  # "St. Petersburg", "Mt. Vernon"
            word, word_end, longest = word + ".", word_end + 1, first_words[word + "."]
        elif not longest and text[word_end:word_end + 1] in _APOSTROPHES:  # "People's Republic of China"
            glued = _GLUED_S.match(text, word_end)
            if glued and fold(text[start:glued.end()]) in first_words:
                word, word_end = fold(text[start:glued.end()]), glued.end()
                longest = first_words[word]
        if not longest:
            abbreviation = abbreviation_after_comma(text, start, word_end, gazetteer)
            if abbreviation:  # "Austin, TX", "Pasadena, Calif."
                yield start, abbreviation[0], False, abbreviation[1]
                resume = abbreviation[0]
            continue
        ends = [word_end]
        # +1: an apostrophe splits a word in two ("N'Djamena"); without one, a one-word name
        # needs no reading ahead, and most names are one word.
        reach = longest + 1 if longest > 1 or text[word_end:word_end + 1] in _APOSTROPHES else 1
        while len(ends) < min(MAX_WORDS, reach):
            nxt = _NEXT_WORD.match(text, ends[-1])
            if not nxt or not gazetteer.starts_a_name(fold(text[start:nxt.end()])):
                break  # no name goes on with these words: stop reading ahead
            ends.append(nxt.end())
        for n in range(len(ends), 0, -1):
            key = word if n == 1 else fold(text[start:ends[n - 1]])
            entries = gazetteer.lookup(key)
            # A demonym is no place ("Chinese" is some town's alias) unless it names a country
            # too: "New Zealand" is both.
            if entries and key not in stoplist and (key not in demonyms or _names_a_country(entries)):
                yield start, ends[n - 1], n == 1, entries
                resume = ends[n - 1]
                break


SMALL_TOWN = 100_000  # people: a town named like a person is the person unless the words say place


def _a_persons_name(text: str, k: int, candidates, gazetteer: Gazetteer, word_use) -> bool:
    """Is candidate k the name of only small places (towns, second-level subdivisions) and a
    given name or surname, or a person the story quotes ("Lu said"), with no word of place
    before it ("in", "near") and no region or country after it and a comma?"""
    start, end, _, entries = candidates[k]
    if any(e.population >= SMALL_TOWN and (e.primary or e.kind != "city") or e.kind == "country" for e in entries):
        return False
    if fold(text[start:end]) not in gazetteer.person_names and not word_use.as_speaker(text[start:end]):
        return False
    if word_before(text, start)[1].lower() in LOCATIVES:
        return False
    following = candidates[k + 1] if k + 1 < len(candidates) else None
    return not (following and _COMMA_GAP.fullmatch(text, end, following[0])
                and any(e.kind in ("region", "country") for e in following[3]))


def _before_a_speaker(text: str, end: int, word_use) -> bool:
    after = _NEXT_SPACED.match(text, end)
    return bool(after) and after.group(1)[:1].isupper() and word_use.as_speaker(after.group(1))


def _a_bare_district(entry) -> bool:
    """Is this a second-level subdivision named without its head word ("Fife", not "Orange County")?"""
    return entry.kind == "region" and entry.population == ADMIN2_RANK and not has_head(entry.name)


def _a_great_city(entries) -> bool:
    """Is a name that of a city of a million, by its own name? "Auckland Regional Public Health
    Service" leaves "Auckland" a place elsewhere in the story; "Toyota Motor" does not (420,000)."""
    return any(e.primary and e.population >= BIG_CITY for e in entries)


def _names_a_country(entries) -> bool:
    return any(e.kind == "country" for e in entries)


class _WordUse:
    """How the article uses a word elsewhere: in lower case? as a person who speaks? Asked for
    a few words per article, so each answer is found when first asked: the lower-case use by a
    str.find of that word, the speakers by one pass over the text for all of them."""

    def __init__(self, text: str):
        self.text, self._lower, self._speakers = text, {}, None

    def in_lower_case(self, word: str) -> bool:
        if word not in self._lower:
            self._lower[word] = self._find_lower(word)
        return self._lower[word]

    def _find_lower(self, word: str) -> bool:
        if not (word.isascii() and word.isalpha()):
            return False  # the ordinary words that shadow places are plain ASCII
        text, at = self.text, self.text.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or not text[at - 1].isalpha()) and (end == len(text) or not text[end].isalpha()):
                return True
            at = text.find(word, at + 1)
        return False

    def as_speaker(self, word: str) -> bool:
        """"Katz said", "said Katz", "Mr Katz": news calls a person by surname once named."""
        if self._speakers is None:  # one pass over the text, on the first question
            self._speakers = set()
            for m in _SPEAKER_CUE.finditer(self.text):
                if m.group(1):  # a verb of speech: the speaker is named before it ("Ayala, told") or after it
                    self._speakers.add(word_before(self.text, m.start(), skip=" \t\u00a0,")[1])
                after = _NEXT_SPACED.match(self.text, m.end())
                if after:
                    self._speakers.add(after.group(1))
        return word in self._speakers


_SPEECH = "said|says|told|added|wrote|argued|noted|warned|stated|explained|insisted|claimed|announced"
_SPEAKER_CUE = re.compile(rf"\b(?:({_SPEECH})\b|(?:Mrs?|Ms|Dr)\b\.?)")


def _only_small(entries) -> bool:
    """Does a name mean only towns and second-level subdivisions? Such a name after another
    capitalised word is part of a person's name ("Anna Ayala", "Michael Sicilia")."""
    return all((e.kind == "city" and e.population < SMALL_TOWN) or (e.kind == "region" and e.population <= ADMIN2_RANK)
               for e in entries)


def _single_word_verdict(text, start, end, word_use: _WordUse, gazetteer, kinds: frozenset[str],
                         small: bool = False) -> str:
    """Is one capitalised word a "place" here, an ordinary "word", or part of a "name"?
    `kinds` are the kinds of place the word may name; `small`, whether they are all small."""
    word = text[start:end].lower()
    if word in FUNCTION_WORDS:
        return "word"  # "Since", "Meanwhile": capitalised at a sentence start, and some town's alias
    # Countries and curated places are names, whatever else the word is elsewhere in the text.
    if kinds.isdisjoint(_NAMES_ANYWHERE) and word_use.in_lower_case(word):
        return "word"  # "police" elsewhere in the text: an ordinary word here
    if text.startswith("-", end) and text[end + 1:end + 2].isdigit():
        return "word"  # a model name: "Hwasong-11", "Su-35"
    prev = word_before(text, start, keep_dot=True)[1] if start and text[start - 1] in " \t\u00a0" else ""
    if prev and prev.lower().rstrip(".") in TITLES:
        return "name"
    # Inside a longer capitalised name: "James Martin", "Kim Jong Un", "Toyota Motor".
    if (kinds == _CITY or small) and prev[:1].isupper() and not prev.endswith(".") \
            and prev.lower() not in FUNCTION_WORDS:
        return "name"
    if start > 1 and text[start - 1] == "-":  # "Navarro-Valls": a double surname, unless places
        before = word_before(text, start - 1, skip="")[1]  # "Alsace-Lorraine"
        if before[:1].isupper() and fold(before) not in gazetteer and before.lower() not in _NOT_FIRST_NAMES:
            return "name"
    nxt_match = _NEXT_SPACED.match(text, end)
    nxt = nxt_match.group(1) if nxt_match and nxt_match.group(1)[0].isupper() else ""  # capitalised
    nxt_low = nxt.lower()
    if nxt_low in gazetteer.org_heads:
        return "name"
    if kinds == _CITY:
        if nxt and nxt_low not in REGION_WORDS and nxt_low not in FUNCTION_WORDS and fold(nxt) not in gazetteer:
            return "name"
    elif nxt and nxt_low not in _NOT_SURNAMES and word_use.as_speaker(nxt):
        return "name"  # a first name: "Israel Katz", when the story goes on "Katz said"
    elif prev[:1].isupper() and not prev.endswith(".") and not prev.isupper() \
            and prev.lower() not in _NOT_FIRST_NAMES and word_use.as_speaker(text[start:end]):
        return "name"  # a surname: "Michael Jordan", when the story goes on "Jordan said"
    return "place"


def _facts(entries: tuple) -> tuple[frozenset[str], frozenset[str]]:
    """The kinds of place a name may be, and the countries of its likely meanings. They depend on
    the name alone, and the gazetteer gives one tuple per name for good, so they are worked out
    once per name and kept (with the tuple, which keeps its id from being reused)."""
    known = _FACTS.get(id(entries))
    if known is None or known[0] is not entries:
        known = _FACTS[id(entries)] = (entries, frozenset(e.kind for e in entries), _likely_countries(entries))
    return known[1], known[2]


_FACTS: dict[int, tuple] = {}


REGION_RATIO = 3  # a region a third the rank of the largest of its name is still a likely meaning


def _likely_countries(entries) -> frozenset[str]:
    """The countries of a name's likely meanings: its sizeable places (a region or country over
    towns under a million: "Florida" is the state, not Florida, Cuba) and the great cities it is
    another spelling of ("Kiev"; "St. Petersburg" in Florida by its own name, in Russia by
    another). A name is evidence of a country only when there is one."""
    own = [e for e in entries if e.primary]
    if any(e.kind in ("country", "region") for e in own):
        # Of regions, the great ones: "Florida" is the state, not Uruguay's department of 20 towns.
        # A district by its bare name ("Meta") is no evidence: it needs its country named.
        top = max((e.rank for e in own if e.kind == "region"), default=0)
        likely = [e for e in own if e.kind == "country" or e.population >= BIG_CITY
                  or (e.kind != "city" and e.rank * REGION_RATIO >= top and not _a_bare_district(e))]
    elif own:
        top = max(e.population for e in own)
        likely = [e for e in own if e.population * 10 >= top]
    else:
        likely = []
    likely += [e for e in entries if not e.primary and not e.minor_alias]
    return frozenset(e.country for e in likely)


# Capitalised words after a place that are no person's name, though "said" may come next to
# them: "officials in Washington Tuesday said", "California Democrats said".
_NOT_SURNAMES = TITLES | FUNCTION_WORDS | frozenset(REGION_WORDS) | frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december democrats republicans conservatives
    liberals tories greens labour police officials authorities""".split())
# Capitalised words before a country or region that are no person's first name.
_NOT_FIRST_NAMES = TITLES | FUNCTION_WORDS | frozenset("""north south east west northern southern eastern
    western central greater upper lower new old occupied soviet imperial""".split())
_CITY = frozenset({"city"})
_CITY_OR_REGION = frozenset({"city", "region"})
_NAMES_ANYWHERE = frozenset({"country", "facility"})


def _article_countries(candidates, demonyms, homes: frozenset[str] = frozenset()) -> frozenset[str]:
    """Countries the article is about: those it names unambiguously, and their demonyms. A name
    that is also a place of the outlet's home country is no evidence of another ("London" on a
    Canadian site): the home decides it, unless the story names that other country."""
    named = set()
    for entries in {id(c[3]): c[3] for c in candidates}.values():  # each distinct name once
        if homes and any(e.country in homes for e in entries):
            continue
        countries = _facts(entries)[1]
        if len(countries) == 1:
            named |= countries
    return frozenset(named | {country for _, _, country in demonyms})
