"""Place names in text, matched against the gazetteer and disambiguated by context.

A candidate starts at a capitalised word and is the longest run of up to five words whose folded
form is a gazetteer name (longest wins, then the earliest). What GeoNames calls a place is often
an ordinary word or part of a person's or organisation's name, so a single-word candidate is
dropped when it is on the stop-list, written in lower case elsewhere in the article, part of a
longer capitalised name ("James Martin Center", "Kim Jong Un"), a model name ("Hwasong-11"), or
after a title ("Mr", "President"). Among places of the same name, the one in a country the
article names wins, then the larger one. "Kursk region" and "Kharkiv Oblast" become regions.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..geocode.gazetteer import Entry, Gazetteer, fold
from ..model import Place

MAX_WORDS = 5
_LOWER_WORD = re.compile(r"(?<![^\W\d_])[a-z]+(?![^\W\d_])")
# Acronyms with dots first ("U.S."), then runs of letters and digits.
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+")
# What may stand between the words of one name: spaces, hyphens, apostrophes, quotes.
_JOINER = re.compile(r"[ \t\u00a0\-'’“”‘\"]{1,3}")
REGION_WORDS = ("region", "oblast", "province", "governorate", "prefecture", "county", "district",
                "territory", "krai", "state")
_REGION_AFTER = re.compile(
    r"(?:[ \t]+(?:border|frontier|southern|northern|eastern|western|central))?[ \t]+(%s)\b"
    % "|".join(REGION_WORDS), re.I)
TITLES = frozenset("""mr mrs ms dr prof president minister governor mayor senator general gen
    sen rep gov king queen prince princess pope lord lady sir saint st sgt capt col lt""".split())
# Capitalised words that follow an organisation's or a person's place name, not a place's.
ORG_HEADS = frozenset("""institute university college center centre labs laboratory analytics
    times post herald tribune journal gazette inc corp ltd llc group fc club foundation
    council academy school hospital airlines airways bank press news""".split())
# Sentence-initial function words that are capitalised but not part of a name.
FUNCTION_WORDS = frozenset("""the a an in on at from to of for by with and but or as if when
    while after before since during until into onto over under near across between among
    this that these those it its his her their our we they he she i you there here what which
    who why how meanwhile however also both only even related""".split())


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    joins_next: bool  # only spaces, hyphens or quotes stand before the next token
    capitalised: bool


def tokenize(text: str) -> list[_Token]:
    """Word tokens, with words glued by scraping split apart ("showsKim" -> "shows", "Kim")."""
    spans = []
    for m in _TOKEN.finditer(text):
        word, start = m.group(), m.start()
        cut = 0 if word.islower() or word.istitle() or word.isupper() else _glue_point(word)
        if cut:
            spans.append((start, start + cut))
            start += cut
        spans.append((start, m.end()))
    tokens = []
    for k, (start, end) in enumerate(spans):
        word = text[start:end]
        if k + 1 < len(spans):
            gap = text[end:spans[k + 1][0]]
            joins = gap == " " or not gap or bool(_JOINER.fullmatch(gap))
        else:
            joins = False
        tokens.append(_Token(start, end, word, joins, word[0].isupper()))
    return tokens


def _glue_point(word: str) -> int:
    """Where a lower-case word runs into a capitalised one, if it does: 'showsKim' -> 5."""
    for i in range(4, len(word)):
        if word[i].isupper() and word[i - 1].islower():
            return i
    return 0


def find_places(text: str, gazetteer: Gazetteer, tokens: list[_Token] | None = None) -> list[Place]:
    """Every place named in `text`, in order of appearance."""
    tokens = tokenize(text) if tokens is None else tokens
    candidates = list(_candidates(text, tokens, gazetteer))
    lowercase_words = set(_LOWER_WORD.findall(text))
    context = _article_countries(candidates, demonym_countries(text, tokens, gazetteer))
    verdicts = [_single_word_verdict(tokens, i, text, lowercase_words, gazetteer, entries)
                if j - i == 1 else "place" for i, j, _, entries in candidates]
    # A word seen as part of a person's or an organisation's name ("Toyota Motor Corp",
    # "Sam Lair") is that name everywhere in the article ("Toyota reported", "Lair said").
    names = {tokens[c[0]].text for c, v in zip(candidates, verdicts) if v == "name"}
    places = []
    for (i, j, key, entries), verdict in zip(candidates, verdicts):
        if verdict != "place" or (j - i == 1 and tokens[i].text in names
                                  and all(e.kind == "city" for e in entries)):
            continue
        entry = max(entries, key=lambda e: (e.country in context, e.kind != "city" or e.primary, e.rank))
        start, end = tokens[i].start, tokens[j - 1].end
        kind = entry.kind
        region = _REGION_AFTER.match(text, end) if kind in ("city", "region") else None
        if region:
            end, kind = region.end(), "region"
        places.append(Place(text=text[start:end], span=(start, end), name=entry.name,
                            country=entry.country, lat=round(entry.lat, 4), lon=round(entry.lon, 4),
                            kind=kind))
    return places


def demonym_countries(text: str, tokens: list[_Token], gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    """(start, end, country) for each demonym ("North Korean", "Ukrainian") in the tokens."""
    found, i = [], 0
    while i < len(tokens):
        if tokens[i].capitalised and fold(tokens[i].text) in gazetteer.demonym_first_words:
            for n in (2, 1):
                if i + n <= len(tokens) and _joined(tokens, i, i + n):
                    key = fold(text[tokens[i].start:tokens[i + n - 1].end])
                    if key in gazetteer.demonyms:
                        found.append((tokens[i].start, tokens[i + n - 1].end, gazetteer.demonyms[key]))
                        i += n - 1
                        break
        i += 1
    return found


def _candidates(text: str, tokens: list[_Token], gazetteer: Gazetteer):
    """(first token, end token, key, entries) of the longest gazetteer names, left to right."""
    i = 0
    while i < len(tokens):
        if not tokens[i].capitalised or fold(tokens[i].text) not in gazetteer.first_words:
            i += 1
            continue
        for j in range(min(len(tokens), i + MAX_WORDS), i, -1):
            if not _joined(tokens, i, j):
                continue
            key = fold(text[tokens[i].start:tokens[j - 1].end])
            entries = gazetteer.lookup(key)
            if entries and key not in gazetteer.stoplist and not _is_demonym_prefix(key, gazetteer):
                yield i, j, key, entries
                i = j - 1
                break
        i += 1


def _joined(tokens: list[_Token], i: int, j: int) -> bool:
    """Are tokens i..j-1 one phrase (only spaces, hyphens or quotes between them)?"""
    return all(tokens[k].joins_next for k in range(i, j - 1))


def _is_demonym_prefix(key: str, gazetteer: Gazetteer) -> bool:
    return key in gazetteer.demonyms


def _single_word_verdict(tokens, i, text, lowercase_words, gazetteer, entries: list[Entry]) -> str:
    """Is one capitalised word a "place" here, an ordinary "word", or part of a "name"?"""
    token = tokens[i]
    word = token.text
    if any(e.kind in ("country", "facility") for e in entries):
        pass  # countries and curated places are names, whatever surrounds them
    elif word.lower() in lowercase_words:
        return "word"  # "police" elsewhere in the text: an ordinary word here
    after = text[token.end:token.end + 2]
    if re.match(r"-\d", after):
        return "word"  # a model name: "Hwasong-11", "Su-35"
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    prev_joined = prev is not None and prev.joins_next and text[prev.end:token.start].strip() == ""
    next_joined = nxt is not None and token.joins_next and text[token.end:nxt.start].strip() == ""
    if prev_joined and prev.text.lower().rstrip(".") in TITLES:
        return "name"
    if next_joined and nxt.text.lower() in ORG_HEADS and nxt.capitalised:
        return "name"
    if all(e.kind == "city" for e in entries):
        # Inside a longer capitalised name: "James Martin", "Kim Jong Un", "Toyota Motor".
        if prev_joined and prev.capitalised and prev.text.lower() not in FUNCTION_WORDS:
            return "name"
        if next_joined and nxt.capitalised and nxt.text.lower() not in REGION_WORDS \
                and fold(nxt.text) not in gazetteer and nxt.text.lower() not in FUNCTION_WORDS:
            return "name"
    return "place"


def _article_countries(candidates, demonyms) -> frozenset[str]:
    """Countries the article is about: those it names unambiguously, and their demonyms."""
    named = set()
    for _, _, _, entries in candidates:
        # Evidence only where the name is clear: one country among its sizeable candidates.
        top = max(e.population for e in entries)
        countries = {e.country for e in entries if e.population * 10 >= top}
        if len(countries) == 1:
            named |= countries
    return frozenset(named | {country for _, _, country in demonyms})
