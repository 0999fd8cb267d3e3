"""Corroboration: events from different articles that report the same happening become one story.

Two events of different articles are the same happening when a reader would agree on four
checks:
1. **When**: their dates meet at their precision: the intervals overlap ("in June" and "earlier
   this year" meet; "in 2024" and "on 5 May 2024" too, but a year against a day, more than
   `MAX_SPAN_RATIO` times longer, needs the words of the same claim, `SAME_CLAIM`).
2. **Where**: they share a country, counting the location and every place the sentence names
   (an event with no place at all passes).
3. **What**: the same action: the same event type (an "other" meets any type only with the words
   of the same claim), and labels that share a distinctive word.
4. **Words**: their sentences share enough distinctive words: `similarity` >= `SAME_EVENT`.
   Words are lower-cased, stop words dropped, cut to their first five letters (so "defence" and
   "defense", "images" and "imagery" meet) and weighted by rarity across the store.

Two sentences that both give figures but share none ("60 missiles", "11,000 soldiers") report
different things, however alike their words.

The same claim with different dates ("60 missiles ... in 2023" against "... this year") shares
nearly all its distinctive words, a number and its event type: `similarity` >= `SAME_CLAIM` and a
shared number join the story whatever the dates, and the story notes the disagreement; that is
the only disagreement a story notes.

Groups are the connected pairs (union-find); every event is in one story, most in a story of
their own. A story's id is "s-" + the id of its first-ingested event, so it stays put as articles
are added. Outlets are counted as a reader would: every article without a known outlet counts
together as one "unknown" source; a syndicated copy under another outlet counts for that outlet.
"""
from __future__ import annotations

import math
import re
import sys
from datetime import date
from collections import Counter, defaultdict
from dataclasses import dataclass, field

SAME_EVENT = 0.3
SAME_CLAIM = 0.45
# Reports of one day, of one specific type of happening, in one country (and not at places far
# apart) need fewer shared words: writers tell a landslide or an explosion in their own words.
SAME_DAY = 0.15
FAR_KM = 150  # two located places farther apart than this are different happenings
MAX_SPAN_RATIO = 13  # a year against a month (12.2) still meets; a year against a day does not
MAX_POSTING = 300  # words in more (distinct) events than this are too common to pair on
STOP_WORDS = frozenset("""a about after again against all also an and any are as at be been
    before being between both but by can could did do does during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just more most no
    nor not now of off on once only or other our out over own same she should so some such than
    that the their them then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your said says say told
    according reported report reports new year years month months week weeks day days today
    yesterday last next earlier later early late since ago""".split())
# Common words a writer swaps for one another when retelling the same thing (by 5-letter stem).
SYNONYMS = {
    "treat": "pact", "agree": "pact", "deal": "pact", "accor": "pact",
    "launc": "fire", "fired": "fire", "shot": "fire",
    "appro": "about", "rough": "about", "nearl": "about", "almos": "about",
    "image": "imag", "photo": "imag", "pictu": "imag",
    "began": "start", "begin": "start", "start": "start",
    "incre": "grow", "expan": "grow", "growi": "grow", "grew": "grow", "rise": "grow", "rose": "grow",
    "impro": "impro", "upgra": "impro", "renov": "impro", "repai": "impro", "moder": "impro",
    "soldi": "troop", "troop": "troop", "force": "troop",
    "kille": "kill", "dead": "kill", "death": "kill",
}
_WORD = re.compile(r"[a-z]+|\d+")
_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d{2,}\b")


@dataclass
class Member:
    """What corroboration needs to know of one event."""

    seq: int
    id: str
    article: str  # the article's id; `file` names it for people
    file: str
    outlet: str | None
    start: str | None
    end: str | None
    sentence: str
    countries: frozenset[str]
    label: str = ""
    event_type: str = "other"
    precision: str = "day"
    date_text: str = ""
    place_id: int | None = None
    place_inferred: bool = False
    spot: tuple[float, float] | None = None  # (lat, lon) of a named city or site where it happened
    stems: frozenset[str] = field(default_factory=frozenset)
    label_stems: frozenset[str] = field(default_factory=frozenset)
    numbers: frozenset[str] = field(default_factory=frozenset)
    label_numbers: frozenset[str] = field(default_factory=frozenset)
    weight: float = 0.0  # the summed rarity of its words
    days: int = 0  # the length of its date interval


UNKNOWN = None  # the outlet of every article that names none: together one source


@dataclass
class Story:
    id: str
    members: list[Member]
    disagreement: str | None

    @property
    def outlets(self) -> int:
        return len({m.outlet or UNKNOWN for m in self.members})

    @property
    def lead(self) -> Member:
        """The member that speaks for the story: the most precise date, then the label that
        shares most words with the others' labels, then a named outlet, then the first told."""
        shared = Counter(w for m in self.members for w in m.label_stems)
        return min(self.members, key=lambda m: (m.days or 10**9, -sum(shared[w] - 1 for w in m.label_stems),
                                                m.outlet is None, m.seq))

    @property
    def event_type(self) -> str:
        """The type most members give (the lead's on a tie)."""
        counts = Counter(m.event_type for m in self.members)
        lead = self.lead.event_type
        return max(counts, key=lambda t: (counts[t], t == lead))

    @property
    def place_id(self) -> int | None:
        """Where most members put it, named places before inferred ones."""
        counts = Counter((not m.place_inferred, m.place_id) for m in self.members if m.place_id is not None)
        return max(counts, key=lambda k: (k[0], counts[k]))[1] if counts else None

    def row(self) -> tuple:
        """The story as a row of the stories table: id, outlets, sources, start, end,
        disagreement, label, event_type, precision, date_text, place_id and the lead's seq."""
        lead = self.lead
        return (self.id, self.outlets, len(self.members), lead.start, lead.end, self.disagreement,
                lead.label, self.event_type, lead.precision, lead.date_text, self.place_id, lead.seq)


def stems(sentence: str) -> frozenset[str]:
    out = set()
    for word in _WORD.findall(sentence.lower()):
        if word in STOP_WORDS or (len(word) < 3 and not word.isdigit()):
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]  # plurals: "roofs" and "roof" meet
        stem = word[:5]
        out.add(sys.intern(SYNONYMS.get(stem, stem)))  # one string per stem: a store has millions
    return frozenset(out)


def numbers(sentence: str) -> frozenset[str]:
    """Counts and codes ("60", "KN-23"), not years: the figures that make a claim specific."""
    found = (n.replace(",", "") for n in _NUMBER.findall(sentence))
    return frozenset(n for n in found if not 1900 <= int(n) <= 2100)


def group(members: list[Member]) -> list[Story]:
    """Every member's story: the reports of one happening together, the rest each on its own."""
    for m in members:
        m.stems = stems(m.sentence)
        m.label_stems = stems(m.label) if m.label else m.stems
        m.numbers = numbers(m.sentence)
        m.label_numbers = numbers(m.label) if m.label else m.numbers
    weight = _rarity(members)
    for m in members:
        m.weight = sum(weight[w] for w in m.stems)
        m.days = _days(m)
    parent = {m.seq: m.seq for m in members}

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # Identical reports (the same words, dates and countries: syndicated copies) join at once,
    # and one of them stands for all when pairs are compared.
    representatives: dict[tuple, Member] = {}
    articles: dict[int, set[str]] = {}  # a representative's seq -> the articles of its copies
    for m in members:
        key = (m.stems, m.start, m.end, m.countries, m.event_type)
        if key in representatives:
            parent[root(m.seq)] = root(representatives[key].seq)
            articles[representatives[key].seq].add(m.article)
        else:
            representatives[key] = m
            articles[m.seq] = {m.article}
    claims = []
    for a, b in _candidate_pairs(list(representatives.values()), articles):
        join, across_dates = joined(a, b, weight)
        if join:
            parent[root(a.seq)] = root(b.seq)
            if across_dates:
                claims.append((a, b))
    groups = defaultdict(list)
    for m in members:
        groups[root(m.seq)].append(m)
    notes = defaultdict(dict)  # a dict as an ordered set: each note once
    for a, b in claims:
        notes[root(a.seq)][disagreement(a, b)] = None
    stories = []
    for key, group_members in groups.items():
        group_members.sort(key=lambda m: m.seq)
        stories.append(Story("s-" + group_members[0].id, group_members, "; ".join(notes[key]) or None))
    return stories


def joined(a: Member, b: Member, weight: dict[str, float]) -> tuple[bool, bool]:
    """Are two candidate reports (of different articles) one happening? (joined, joined as the
    same claim told with other dates: the story notes the disagreement.) The checks of the
    module docstring, cheapest first."""
    if not _places_meet(a, b):
        return False, False
    if a.label_numbers and b.label_numbers and not a.label_numbers & b.label_numbers:
        return False, False  # what happened has other figures ("60 missiles", "11,000 soldiers"): other claims
    same_type = a.event_type == b.event_type
    if not same_type and "other" not in (a.event_type, b.event_type):
        return False, False  # a condemnation and a deployment are different happenings
    overlap, shared_number = _dates_overlap(a, b), bool(a.numbers & b.numbers)
    comparable = _comparable_spans(a, b)
    if not overlap and not (shared_number and same_type and comparable):
        return False, False
    score = similarity(a, b, weight)
    far = a.spot and b.spot and _km(a.spot, b.spot) > FAR_KM
    if far and score < SAME_CLAIM:
        return False, False  # named places far apart: two happenings, unless the words say one claim
    same_day = (same_type and a.event_type != "other" and a.days == b.days == 1 and a.start == b.start)
    if a.label_stems.isdisjoint(b.label_stems) and score < SAME_CLAIM:
        return False, False  # the labels say different things happened, and the sentences differ too
    close = comparable and same_type
    needed = SAME_DAY if same_day and not far else SAME_EVENT if close else SAME_CLAIM
    same_event = overlap and score >= needed
    same_claim = shared_number and same_type and comparable and score >= SAME_CLAIM
    return (True, not overlap) if same_event or same_claim else (False, False)


def disagreement(a: Member, b: Member) -> str:
    """The note of two reports joined as the same claim told with other dates."""
    return f"{_source(a)} says {_when(a)}; {_source(b)} says {_when(b)}"


def similarity(a: Member, b: Member, weight: dict[str, float]) -> float:
    """Weighted overlap of distinctive words: 1.0 when one sentence's words are all in the other."""
    smaller = min(a.weight, b.weight)
    return sum(weight[w] for w in a.stems & b.stems) / smaller if smaller else 0.0


def _rarity(members: list[Member]) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    for m in members:
        for w in m.stems:
            df[w] += 1
    n = len(members)
    return {w: math.log(1 + n / c) for w, c in df.items()}


def _candidate_pairs(members, articles: dict[int, set[str]]):
    """Pairs of reports in different articles that share at least one distinctive word (an
    inverted index, not all pairs). Words in more than MAX_POSTING events are too common to
    pair on. An article's own sentences never pair, so a long report alone costs nothing."""
    index: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        for w in m.stems:
            index[w].append(m)
    seen = set()
    for posting in index.values():
        if len(posting) > MAX_POSTING or len(set().union(*(articles[m.seq] for m in posting))) < 2:
            continue
        for i, a in enumerate(posting):
            for b in posting[i + 1:]:
                if a.article == b.article and len(articles[a.seq] | articles[b.seq]) < 2:
                    continue
                key = (a.seq, b.seq)
                if key not in seen:
                    seen.add(key)
                    yield a, b


def _dates_overlap(a: Member, b: Member) -> bool:
    return bool(a.start and b.start and a.start <= b.end and b.start <= a.end)


def _days(m: Member) -> int:
    if not m.start:
        return 0
    return (date.fromisoformat(m.end) - date.fromisoformat(m.start)).days + 1


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12_742 * math.asin(min(1.0, math.sqrt(h)))


def _comparable_spans(a: Member, b: Member) -> bool:
    """Dates of about one precision: neither span more than MAX_SPAN_RATIO times the other."""
    return max(a.days, b.days) <= max(1, min(a.days, b.days)) * MAX_SPAN_RATIO


def _places_meet(a: Member, b: Member) -> bool:
    return not a.countries or not b.countries or bool(a.countries & b.countries)


def _source(m: Member) -> str:
    return m.outlet or m.file


def _when(m: Member) -> str:
    if not m.start:
        return "no date"
    return m.start[:4] if m.start[:4] == m.end[:4] and m.start[5:] == "01-01" and m.end[5:] == "12-31" \
        else (m.start if m.start == m.end else f"{m.start} to {m.end}")
