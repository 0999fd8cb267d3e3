"""Events: one per date expression, with the places of its sentence and where it happened.

Where it happened (`location`) is, in order:
1. a place the sentence names, the nearest to the date words (a country only when it is much
   nearer than anything more specific, and never over a city or region of its own; a continent
   or an ocean only when the sentence names nothing else);
2. when the sentence speaks of "the plant", "the facility", "the imagery"...: the place the
   article is mostly about (its most-named city, region or facility); of "the state" or "the
   region": its most-named region; of "the country": its most-named country;
3. a demonym of the sentence: "deployed to the Russian frontline" -> Russia (a demonym that
   marks where things come from, "North Korean missiles", is passed over);
4. the place the previous sentences were about, unless they speak of other years only; when the sentence speaks of "the two nations", that place's country.
Places from 2-4 are marked `inferred`, and are given only in a country the article names.

Each event also gets a `label` (what happened, headline style: labels.py) and an `event_type`
(event_types.py), both from its sentence. An article's repeats are one event: a paragraph
printed twice, or one day written twice ("on Saturday (Jan. 13)").
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import re
from collections import Counter
from dataclasses import replace

from ..geocode.gazetteer import Gazetteer
from ..model import Article, DateValue, Event, Place
from .event_types import event_type
from .labels import make_label
from .words import lower_in_place

COUNTRY_PENALTY = 60  # characters: how much nearer a country must be than a city to win
_SITE_WORDS = re.compile(
    r"\b(?:the|this|that|its|assembly|new|satellite)\s+(?:plant|facility|facilities|factory|complex|site"
    r"|compound|building|workshop|base|reactor|mine|shipyard|imagery|images|footage)", re.I)
# Words that make a sentence speak of a site. Found with str.find in the lower-cased text: a
# case-blind regex tried at every position of the article cost more than the rest of this step.
_SITE_NOUNS = ("plant", "facility", "factory", "complex", "site", "compound", "workshop", "reactor", "mine",
               "shipyard")
# "the state", "the country": the region or country the article names most.
_AREA_WORDS = re.compile(r"\bthe\s+(?:(state|province|region)|country|nation)\b(?!['’]s\s+(?:own|capital))", re.I)
# "in the capital", "the country's capital", "the Ukrainian capital" (after a demonym); not
# "capital markets", "capital punishment".
_CITY_CAPITAL = (r"capital\b(?!\s+(?:markets?|gains?|punishment|spending|expenditure|investments?"
                 r"|requirements?|controls?|flight|ratio|base|costs?|injection|raising|goods))")
_CAPITAL_WORDS = re.compile(rf"\b(?:the|its|the country['’]s|the nation['’]s)\s+{_CITY_CAPITAL}", re.I)
_CAPITAL_AFTER = re.compile(rf"\s+{_CITY_CAPITAL}", re.I)
_NATION_WORDS = re.compile(r"\b(?:nations|countries|states|governments|sides|allies|neighbou?rs)\b", re.I)
_ORIGIN_NOUNS = re.compile(
    r"\s+(?:missiles?|weapons?|weaponry|troops|soldiers|forces|munitions|arms|shells|drones|"
    r"rockets|equipment|components|technology|workers|hackers)\b", re.I)
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|into|inside|to|on|at|across|near|within)\s+(?:the\s+)?$", re.I)
CARRY_BACK = 3  # sentences to look back for the place a sentence without one is about
MAX_SENTENCE = 400  # characters: longer "sentences" are cut to a window around each date


def build_events(article: Article, sentences: list[tuple[int, int]], dates: list[list[DateValue]],
                 places: list[Place], demonyms: list[tuple[int, int, str]],
                 gazetteer: Gazetteer) -> list[Event]:
    """Events of one article: `dates[k]` are the date expressions of `sentences[k]`."""
    text = article.text
    by_sentence = _places_by_sentence(sentences, places)
    # "The plant" means the site the article is about: the place most named where sites are.
    site_places = [p for k in sorted(_sentences_naming_sites(text, sentences)) for p in by_sentence[k]]
    focus = _focus_place(site_places) or _focus_place(places)
    # "the country" is that of the place the article is about when the article names it ("the
    # plant in Hamhung ... the country": North Korea, though "U.S." is named more), else the
    # country it names most.
    countries = [p for p in places if p.kind == "country"]
    home = [p for p in countries if focus is not None and p.country == focus.country]
    areas = {"region": _most_named([p for p in places if p.kind == "region"]),
             "country": _most_named(home or countries) or _country_place(focus, gazetteer)}
    named_countries = _countries_named(places, demonyms)
    events = []
    told = set()  # (sentence, date words, value) already made into an event: a repeated paragraph
    for k, ((s0, s1), sentence_dates) in enumerate(zip(sentences, dates)):
        if not sentence_dates:
            continue
        sentence_dates = _one_per_day_written_twice(text, sentence_dates)
        named = by_sentence[k]
        inferred = functools.cache(lambda: _within(named_countries, _inferred(  # once per sentence, if needed
            text, (s0, s1), focus, areas, demonyms, _carried(dates, by_sentence, k, named_countries), gazetteer)))
        whole = (s0, s1, text[s0:s1], tuple(named))
        starts = [p.span[0] for p in named] if s1 - s0 > MAX_SENTENCE else None
        for date in sentence_dates:
            # A "sentence" longer than MAX_SENTENCE (a page with no stops) is cut to the words
            # around its date, so that output stays proportional to the input.
            w0, w1, sentence, near = whole if starts is None else _window(text, s0, s1, date, named, starts)
            repeat = (sentence, date.text, date.value)
            if repeat in told:
                continue
            told.add(repeat)
            location = _nearest(near, date) if near else inferred()
            label = _label(text, w0, w1, sentence, date, sentence_dates)
            events.append(Event(
                id=_event_id(article, date), article=article.file, outlet=article.outlet,
                published=article.published, sentence=sentence, sentence_span=(w0, w1),
                date=date, places=near, location=location, label=label,
                event_type=event_type(sentence, label)))
    return events


LABEL_DATES = 6  # a window with more dates than this is labelled from the words around the date
LABEL_REACH = 120  # characters either side of the date words, then


def _label(text: str, w0: int, w1: int, sentence: str, date: DateValue, dates: list[DateValue]) -> str:
    """The event's label, from its sentence (or window); a run of many dates ("on 5 May 2021,
    on 5 May 2021, ...") is labelled from the words near the date only, as the label's clause
    reading grows with the square of the dates in what it reads."""
    inside = [d for d in dates if d is not date and w0 <= d.span[0] and d.span[1] <= w1]
    if len(inside) > LABEL_DATES:
        a = max(w0, date.span[0] - LABEL_REACH)
        b = min(w1, date.span[1] + LABEL_REACH)
        while a > w0 and not text[a - 1].isspace():
            a -= 1
        while b < w1 and not text[b].isspace():
            b += 1
        inside = [d for d in inside if a <= d.span[0] and d.span[1] <= b]
        w0, sentence = a, text[a:b]
    return make_label(sentence, (date.span[0] - w0, date.span[1] - w0),
                      tuple((d.span[0] - w0, d.span[1] - w0) for d in inside))


SAME_DAY_CHARS = 40  # "on Wednesday, October 9" and "on Saturday (Jan. 13)" are shorter
_SAME_DAY_GAP = re.compile(r"[\s,(\[]{1,3}")


def _one_per_day_written_twice(text: str, dates: list[DateValue]) -> list[DateValue]:
    """"on Saturday (Jan. 13)": two date expressions side by side, in other words, that name the
    same days are one date, spanning both words, valued by the one that needs no publication
    date. Only a pair, and a short one: a run of the same date ("on 5 May, on 5 May, ...") is
    so many dates."""
    if len(dates) < 2:
        return dates
    out, merged = [dates[0]], False
    for d in dates[1:]:
        prev = out[-1]
        if (not merged and prev.start is not None and (prev.start, prev.end) == (d.start, d.end)
                and prev.span[1] <= d.span[0] and d.span[1] - prev.span[0] <= SAME_DAY_CHARS
                and text[prev.span[0]:prev.span[1]].lower() != text[d.span[0]:d.span[1]].lower()
                and _SAME_DAY_GAP.fullmatch(text, prev.span[1], d.span[0])):
            end = d.span[1] + (text.startswith((")", "]"), d.span[1]) and "(" in text[prev.span[1]:d.span[0]])
            value = d if prev.relative and not d.relative else prev
            out[-1] = replace(value, text=text[prev.span[0]:end], span=(prev.span[0], end))
            merged = True
        else:
            out.append(d)
            merged = False
    return out


def _window(text: str, s0: int, s1: int, date: DateValue, named: list[Place], starts: list[int]):
    """The words around a date inside an over-long sentence, and the places among them
    (`starts`: where each of `named` starts)."""
    w0 = max(s0, date.span[0] - MAX_SENTENCE // 2)
    w1 = min(s1, date.span[1] + MAX_SENTENCE // 2)
    while w0 > s0 and not text[w0 - 1].isspace() and date.span[0] - w0 < MAX_SENTENCE:
        w0 -= 1
    while w1 < s1 and not text[w1].isspace() and w1 - date.span[1] < MAX_SENTENCE:
        w1 += 1
    near = []
    for k in range(bisect.bisect_left(starts, w0), len(named)):
        if named[k].span[0] >= w1:
            break
        if named[k].span[1] <= w1:
            near.append(named[k])
    return w0, w1, text[w0:w1], tuple(near)


def _sentences_naming_sites(text: str, sentences: list[tuple[int, int]]) -> set[int]:
    """The numbers of the sentences with a word that starts with a site noun ("plant", "plants")."""
    low = lower_in_place(text)
    starts = [s for s, _ in sentences]
    found = set()
    for noun in _SITE_NOUNS:
        at = low.find(noun)
        while at >= 0:
            if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
                k = bisect.bisect_right(starts, at) - 1
                if k >= 0 and at + len(noun) <= sentences[k][1]:
                    found.add(k)
            at = low.find(noun, at + 1)
    return found


def _places_by_sentence(sentences, places: list[Place]) -> list[list[Place]]:
    """The places inside each sentence (both lists are in text order: one pass, not all pairs)."""
    starts = [s for s, _ in sentences]
    out: list[list[Place]] = [[] for _ in sentences]
    for p in places:
        k = bisect.bisect_right(starts, p.span[0]) - 1
        if k >= 0 and p.span[1] <= sentences[k][1]:
            out[k].append(p)
    return out


def _event_id(article: Article, date: DateValue) -> str:
    return hashlib.sha1(f"{article.source_id}:{date.span[0]}:{date.span[1]}".encode()).hexdigest()[:16]


def _nearest(named, date: DateValue) -> Place:
    """The place nearest the date words; a country or a continent counts COUNTRY_PENALTY
    characters farther, and never wins over a city or region of its own country the sentence
    names ("Russia shelled Belgorod on Monday" happened in Belgorod), nor a continent or an
    ocean over any of them.
    (A plain loop: this runs for every date of every sentence.)"""
    d0, d1 = date.span
    inside = {p.country for p in named if p.kind != "country" and p.country}
    best, best_gap = None, 0
    for p in named:
        s, e = p.span
        gap = d0 - e if e <= d0 else (s - d1 if s >= d1 else 0)
        if p.kind == "country" or not p.country:  # a country, or wider still (a continent)
            gap += COUNTRY_PENALTY if p.country and p.country not in inside else _OUTRANKED
        if best is None or gap < best_gap:
            best, best_gap = p, gap
    return best


_OUTRANKED = 1 << 30  # a gap no named city or region can reach


def _carried(dates, by_sentence, k: int, countries: frozenset[str]) -> list[list[Place]]:
    """The places of the sentences before sentence k (in `countries`) that it may carry its
    place from, back to the first that speaks of other years only ("The 1918 fire burned Cloquet" says nothing of
    where this year's fire was). Paragraphs are no bound: news gives many a sentence its own."""
    years = {d.start.year for d in dates[k] if d.start}
    out = []
    for j in range(k - 1, max(0, k - CARRY_BACK) - 1, -1):
        theirs = {d.start.year for d in dates[j] if d.start}
        if years and theirs and years.isdisjoint(theirs):
            break  # another time
        # Only places in countries the article names: "Meta" read as a Colombian department
        # once is passed over for the place before it.
        out.append([p for p in by_sentence[j] if not p.country or p.country in countries])
    return out[::-1]


def _countries_named(places: list[Place], demonyms) -> frozenset[str]:
    """The countries an article names: as countries, by their demonyms, or by two mentions of
    places in them (a town and its state, a town named twice); an inferred location lands
    nowhere else. One mention of a place abroad ("Amur" read as Āmūr, India) is not enough."""
    named = {p.country for p in places if p.kind == "country"} | {c for _, _, c in demonyms}
    mentions = Counter(p.country for p in places if p.country)
    named |= {country for country, n in mentions.items() if n >= 2}
    most = _most_named(places)
    if most is not None and most.country:
        named.add(most.country)
    return frozenset(named)


def _within(countries: frozenset[str], place: Place | None) -> Place | None:
    """The inferred place, when it lies in a country the article names (or spans several)."""
    if place is None or not place.country or place.country in countries:
        return place
    return None


def _focus_place(places: list[Place]) -> Place | None:
    """The most-named place below country level (a facility first; the first named wins a tie)."""
    return _most_named([p for p in places if p.kind == "facility"] or [p for p in places if p.kind != "country"])


def _most_named(places: list[Place]) -> Place | None:
    """The place named most often (the first named wins a tie)."""
    if not places:
        return None
    counts = Counter((p.name, p.country) for p in places)
    best = max(counts.values())
    return next(p for p in places if counts[(p.name, p.country)] == best)


def _country_place(place: Place | None, gazetteer: Gazetteer) -> Place | None:
    """The country a place lies in, as a place at that country's centre."""
    entry = gazetteer.countries.get(place.country) if place else None
    if entry is None:
        return None
    return replace(place, name=entry.name, lat=round(entry.lat, 4), lon=round(entry.lon, 4), kind="country")


def _inferred(text, sentence, focus, areas, demonyms, previous, gazetteer) -> Place | None:
    s0, s1 = sentence
    body = text[s0:s1]
    site = _SITE_WORDS.search(body)
    if site and focus:
        return _as_inferred(focus, site.group(), (s0 + site.start(), s0 + site.end()))
    capital = _CAPITAL_WORDS.search(body)  # "in the capital": that of the country named most
    city = gazetteer.capital(areas["country"].country) if capital and areas["country"] else None
    if city:
        return _inferred_place(city, s0 + capital.start(), s0 + capital.end(), text, kind="city")
    area = _AREA_WORDS.search(body)
    place = areas["region" if area and area.group(1) else "country"] if area else None
    if place:
        return _as_inferred(place, area.group(), (s0 + area.start(), s0 + area.end()))
    demonym = _located_demonym(text, s0, s1, demonyms)
    if demonym:
        start, end, country = demonym
        after = _CAPITAL_AFTER.match(text, end)  # "the Ukrainian capital" is Kyiv
        city = gazetteer.capital(country) if after else None
        if city:
            return _inferred_place(city, start, after.end(), text, kind="city")
        entry = gazetteer.countries.get(country)
        if entry:
            return _inferred_place(entry, start, end, text)
    for places in reversed(previous):
        if places:
            nations = _NATION_WORDS.search(body)
            # The first place the sentence before names; without "the two nations", the first
            # city or region of it before its countries.
            carried = places[0] if nations else next((p for p in places if p.kind != "country" and p.country),
                                                     places[0])
            if nations and carried.kind != "country" and carried.country in gazetteer.countries:
                carried = _country_place(carried, gazetteer)
            words = nations.group() if nations else carried.text
            span = (s0 + nations.start(), s0 + nations.end()) if nations else carried.span
            return _as_inferred(carried, words, span)
    if focus:
        return _as_inferred(focus, focus.text, focus.span)
    return None


def _inferred_place(entry, start: int, end: int, text: str, kind: str | None = None) -> Place:
    """A gazetteer entry as the place the words text[start:end] point to without naming it
    (as a `kind` of place other than the entry's: a capital is a city, even Singapore)."""
    return Place(text=text[start:end], span=(start, end), name=entry.name, country=entry.country,
                 lat=round(entry.lat, 4), lon=round(entry.lon, 4), kind=kind or entry.kind, inferred=True)


def _located_demonym(text, s0, s1, demonyms):
    """The demonym of a sentence that says where, not whence: "to the Russian frontline"."""
    first = bisect.bisect_left(demonyms, (s0,))
    inside = []
    for d in demonyms[first:]:
        if d[0] >= s1:
            break
        if d[1] <= s1:
            inside.append(d)
    for d in inside:
        if _LOCATIVE_BEFORE.search(text[max(s0, d[0] - 40):d[0]]):
            return d
    for d in inside:
        if not _ORIGIN_NOUNS.match(text, d[1]):
            return d
    return None


def _as_inferred(place: Place, words: str, span: tuple[int, int]) -> Place:
    return replace(place, text=words, span=span, inferred=True)
