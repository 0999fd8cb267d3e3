"""Date expressions: found by rules, normalised against the publication date.

`dateparser.search` over whole sentences finds dates in "we", "may", "60%" and "February 11
plant", and invents days of month. So the rules here decide *where* a date is, and each span is
normalised by small, explicit code that keeps only the precision the words support: "in June" is
a month, "last week" an ISO week, "the 1990s" a decade, "since August 2023" a range.

Overlaps follow one rule everywhere: the longest match wins, then the earliest.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import re

from ..model import DateValue
from .words import FUNCTION_WORDS, lower_in_place, word_before

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
# Centuries up to the 20th: "the 21st century" is mostly a way of saying "modern", not a date.
CENTURY_WORDS = {"fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
                 "twentieth": 20}
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}

# Nouns that make a preceding date part of a name: "the February 11 plant", "May 4 Movement".
NAME_HEADS = frozenset(
    """plant complex factory works mill combine shipyard enterprise street st avenue ave road
    boulevard square stadium park bridge school academy university college hospital brigade
    division regiment battalion corps movement group party front memorial monument station
    airport port mine hall center centre institute club district village commission committee
    cooperative farm""".split()
)
# Words that introduce a date and belong to its span ("since August 2023", "on Friday").
PREPOSITIONS = ("in", "on", "since", "from", "during", "by", "until", "till", "through",
                "throughout", "before", "after", "around", "between", "starting")
# Words that make "May" a month rather than the modal verb.
MAY_CUES = frozenset(PREPOSITIONS + ("of", "to", "early", "mid", "late", "last", "next", "this", "and"))
# Words FUTURE_CUES needs, found with str.find before the regex (which costs ten times more).
_FUTURE_HINTS = ("will", "shall", "would", "is to", "are to", "set to", "due ", "expect", "must",
                 "plans to", "plan to", "intend", "schedul", "upcoming", "next", "'ll", "’ll")


def _may_speak_of_future(body: str) -> bool:
    low = body.lower()
    for hint in _FUTURE_HINTS:  # a loop, not any(): this runs for every sentence with a date word
        if hint in low:
            return bool(FUTURE_CUES.search(body))
    return False


FUTURE_CUES = re.compile(
    r"\b(?:will|shall|would|is (?:scheduled |set |due |expected )?to|are (?:scheduled |set |due |expected )?to"
    r"|plans? to|intends? to|expects?|must(?! have)|scheduled for|(?:is|are) due|upcoming|next)\b"
    r"|['’]ll\b", re.I)

_SP = r"[ \t\u00a0]+"
_LB = r"(?<![^\W\d_])"  # left word boundary that also holds after digits
_RB = r"(?![^\W\d_])"
_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?=[ \t]+\d))"
# Months may be glued to a lower-case word by scraping ("onNovember 22"): allow that left edge.
_MON = rf"(?:(?<![^\W\d_])|(?<=[a-z]))(?:{_MONTH_FULL}|{_MONTH_ABBR}){_RB}"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[:.,]\d)"
_YEAR = r"(?<![\d$£€.,])(?:1[6-9]|20)\d\d(?!\d|[:.,%]\d|%|[ \t]*per[ \t]?cent)"
_MOD = r"(?i:early|mid|late|the end of|the beginning of|the start of|the middle of)"

# What joins the years of a list ("in 2019, 2021 and 2023"); a year after one of these and a
# year is a date when the year before it is one (see _lists_that_begin_with_a_date).
_LIST_SEPARATORS = (", ", " and ", ", and ", " or ")
_AFTER_A_LISTED_YEAR = "|".join(rf"(?<=\d\d\d\d{sep})" for sep in _LIST_SEPARATORS)

PATTERNS: dict[str, re.Pattern] = {
    name: re.compile(rx) for name, rx in {
        "iso": rf"{_LB}(?P<year>{_YEAR})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?!\d)",
        "mdy": rf"(?:{_LB}(?P<wd>{_WD}),?{_SP})?(?P<mon>{_MON}){_SP}(?P<day>{_DAY})(?:[-–](?P<day2>{_DAY}))?"
               rf"(?:,?{_SP}(?P<year>{_YEAR}))?",
        "dmy": rf"(?:{_LB}(?P<wd>{_WD}),?{_SP})?(?:the{_SP})?{_LB}(?<![-–/])(?P<day>{_DAY})(?:[-–](?P<day2>{_DAY}))?{_SP}(?:of{_SP})?"
               rf"(?P<mon>{_MON})(?:,?{_SP}(?P<year>{_YEAR}))?",
        "month_year": rf"(?:{_LB}(?P<mod>{_MOD})[ \t-]+)?(?P<mon>{_MON}),?{_SP}(?:of{_SP})?"
                      rf"(?:(?P<year>{_YEAR})|(?P<rel>this|last|next){_SP}year{_RB})",
        "month": rf"(?:{_LB}(?P<mod>{_MOD})[ \t-]+)?(?P<mon>(?:(?<![^\W\d_])|(?<=[a-z]))(?:{_MONTH_FULL}){_RB})",
        "weekday": rf"(?:{_LB}(?P<rel>(?i:last|this|next|on|since|by|until|early|late)){_SP})?"
                   rf"{_LB}(?P<wd>{_WD}){_RB}(?:{_SP}(?:morning|afternoon|evening|night){_RB})?",
        "year": rf"{_LB}(?P<prep>(?i:in|since|by|until|till|during|from|before|after|through|throughout"
                rf"|early|mid|late|the end of|the start of|the beginning of))[ \t-]+(?P<year>{_YEAR})"
                rf"|(?P<year2>{_YEAR})(?=['’]s{_RB})"
                # the second and later years of a list: "in 2019, 2021 and 2023"
                rf"|(?:{_AFTER_A_LISTED_YEAR})(?P<year3>{_YEAR})",
        # "2019-2021", "2022-23", "2019/20": a span of years; never an ISO date ("2020-05-04").
        "year_range": rf"{_LB}(?P<a>{_YEAR})(?:[-–—/](?P<b>(?:1[6-9]|20)\d\d|\d\d)|[ \t][-–—][ \t](?P<b2>(?:1[6-9]|20)\d\d))"
                      rf"(?![\d%]|[-–—/.,:]\d|[ \t]*(?:hours|hrs|GMT|UTC)\b)",
        "decade": rf"(?:{_LB}(?i:the){_SP})?(?:{_LB}(?P<mod>(?i:early|mid|late))[ \t-]+)?{_LB}(?P<decade>(?:1[6-9]|20)\d0)['’]?s{_RB}",
        "century": rf"(?:{_LB}(?i:the){_SP})?(?:{_LB}(?i:early|mid|late)[ \t-]+)?{_LB}"
                   rf"(?P<nth>1[0-9]th|20th|(?i:{'|'.join(CENTURY_WORDS)})){_SP}century{_RB}",
        "quarter": rf"(?:{_LB}(?i:the){_SP})?{_LB}(?P<q>(?i:first|second|third|fourth|1st|2nd|3rd|4th)){_SP}quarter"
                   rf"(?:(?:{_SP}of|,)?{_SP}(?P<year>{_YEAR}))?{_RB}|{_LB}Q(?P<qn>[1-4])(?:{_SP}|-)?(?P<year2>{_YEAR})",
        # "earlier"/"later" may be glued to the word before ("pactearlier this year").
        "relative": rf"(?:(?P<adv>(?i:earlier|later|early|late))(?:{_SP}in)?{_SP}|{_LB})"
                    rf"(?P<rel>(?i:this|last|next)){_SP}(?P<unit>week|weekend|month|year|quarter|decade){_RB}",
        # The weekend just past (or, in a sentence about the future, the next one).
        "weekend": rf"{_LB}(?i:(?:over|at|during|through|throughout){_SP}the|this{_SP}past){_SP}weekend{_RB}",
        # "the first half of 2024", "the first nine months of last year"
        "half": rf"(?:{_LB}(?i:the){_SP})?{_LB}(?:(?P<h>(?i:first|second|1st|2nd)){_SP}half"
                rf"|(?i:first){_SP}(?P<n>(?i:two|three|four|five|six|seven|eight|nine|ten|eleven)|[1-9]|1[01]){_SP}months)"
                rf"{_SP}(?:of{_SP})?(?:(?P<year>{_YEAR})|(?P<rel>(?i:this|last|next)){_SP}year{_RB})",
        "season": rf"{_LB}(?:(?P<rel>(?i:last|this|next)){_SP}|(?:(?P<the>(?i:the)){_SP})?)(?P<season>spring|summer|autumn|fall|winter)"
                  rf"(?:(?:{_SP}of)?{_SP}(?P<year>{_YEAR}))?{_RB}",
        "dayword": rf"{_LB}(?P<word>(?i:yesterday|today|tonight|this morning|this afternoon|this evening"
                   rf"|last night|the day before yesterday)){_RB}",
        "ago": rf"{_LB}(?P<n>\d{{1,3}}|(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))"
               rf"{_SP}(?P<unit>day|week|month|year|decade)s?{_SP}ago{_RB}",
        "range": rf"{_LB}(?P<prep>(?i:from|between)){_SP}(?P<a>[^\n]{{3,30}}?)(?:{_SP})?(?:to|and|until|till|through|-|–|—)"
                 rf"(?:{_SP})?(?P<b>(?:{_MON}(?:{_SP}{_DAY})?(?:,?{_SP}{_YEAR})?|{_DAY}{_SP}{_MON}(?:{_SP}{_YEAR})?"
                 rf"|(?<![\d$£€.,])(?:1[6-9]|20)\d\d(?![\d%])))",
        # "between June 1 and 5", "from Nov. 21 to 23, 2024": days of one month.
        "day_range": rf"{_LB}(?P<prep>(?i:from|between)){_SP}(?P<mon>{_MON}){_SP}(?P<day>{_DAY}){_SP}?"
                     rf"(?:to|and|until|till|through|-|–){_SP}?(?P<day2>{_DAY})(?!{_SP}?{_MON}|[-–/]\d)"
                     rf"(?:,?{_SP}(?P<year>{_YEAR}))?",
        # "May-June 2021", "January to March", "October through December 2023"
        # (A spaced dash may set off an aside, "in March – April's figures...": a year must follow.)
        "month_range": rf"(?P<a>{_MON})(?:[-–—](?P<b>{_MON}(?:,?{_SP}{_YEAR})?)"
                       rf"|(?:{_SP})?[-–—](?:{_SP})?(?P<b3>{_MON},?{_SP}{_YEAR})"
                       rf"|{_SP}(?:to|through|until|till){_SP}(?P<b2>{_MON}(?:,?{_SP}{_YEAR})?))",
    }.items()
}


# What a pattern needs somewhere in the sentence before it can match. Most sentences hold none,
# and skipping regex scans is the largest saving. Lower-case words are found with str.find, many
# times faster than a regex alternation over the whole text; capitalised ones by one scan for
# their first letters, faster than a str.find for each of them.
_CASED_TRIGGERS = {**{m: "month" for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec")},
                   **{d: "weekday" for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                             "Saturday", "Sunday")},
                   **{q: "quarter" for q in ("Q1", "Q2", "Q3", "Q4")}}
_CASED_TRIGGER_START = re.compile("[%s]" % "".join(sorted({word[0] for word in _CASED_TRIGGERS})))
_CASED_TRIGGERS_BY_HEAD = {head: [(word, kind) for word, kind in _CASED_TRIGGERS.items() if word[:2] == head]
                           for head in {word[:2] for word in _CASED_TRIGGERS}}
_LOWER_TRIGGERS = {"this ": "relative", "last ": "relative", "next ": "relative",
                   "yesterday": "dayword", "today": "dayword", "tonight": "dayword",
                   "quarter": "quarter", "spring": "season", "summer": "season", "autumn": "season",
                   "fall": "season", "winter": "season", " ago": "ago", "from ": "range",
                   "between ": "range", "weekend": "weekend", " half ": "half", " months ": "half",
                   "century": "century"}
# What may follow "this", "last" or "next" in a date, and what a range needs within its reach.
_RELATIVE_UNITS = ("week", "month", "year", "quarter", "decade")
_PARTS_OF_DAY = ("morning", "afternoon", "evening", "night")
_DATE_WORDS_AHEAD = re.compile(r"\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_YEARISH = re.compile(r"[12](?=\d\d\d)")  # overlapping ("221990s" holds 1990), and scanned fast
# Month and year words are told apart by the few characters around them, so that each pattern
# is looked for only where it could match: on a page dense with dates every pattern would
# otherwise scan the whole page. Each test is looser than its pattern, never stricter.
_MONTH_WORD_REST = re.compile(r"[A-Za-z]*\.?")
_DAY_AFTER = re.compile(r"[ \t\u00a0]+\d{1,2}(?!\d)")  # "May 5"
_YEAR_AFTER = re.compile(r",?[ \t\u00a0]+(?:of[ \t\u00a0]+)?(?:\d|this|last|next)")  # "May 2021"
_RANGE_AFTER = re.compile(r"[ \t\u00a0]*[-–—]|[ \t\u00a0]+(?:to|through|until|till)[ \t\u00a0]")  # "May-June 2021"
# Words before a year that the "year" pattern starts with ("the end of 2021" ends in "of").
_YEAR_LEAD_WORDS = tuple("""in since by until till during from before after through throughout
    early mid late of""".split())
_YEAR_LIST_BEFORE = re.compile(r"\d\d\d\d(?:%s)$" % "|".join(_LIST_SEPARATORS))  # "2019, 2021 and 2023"
_ENDS_WITH_DAY = re.compile(r"\d(?:st|nd|rd|th)?$")
_NEEDS = {
    "iso": {"iso"}, "year": {"year"}, "year_range": {"year_range"}, "decade": {"decade"}, "century": {"century"}, "mdy": {"month_day"},
    "dmy": {"day_month"}, "month_year": {"month_year"}, "month": {"month"},
    "month_range": {"month_range"}, "range": {"range"}, "day_range": {"range"},
    "weekday": {"weekday"}, "quarter": {"quarter"}, "relative": {"relative"},
    "season": {"season"}, "dayword": {"dayword"}, "ago": {"ago"}, "weekend": {"weekend"},
    "half": {"half"},
}


# The patterns each kind of trigger word may start, and the order patterns run in (PATTERNS').
_PATTERNS_FOR = {kind: [name for name in PATTERNS if kind in _NEEDS[name]]
                 for kind in set().union(*_NEEDS.values())}
_RUN_ORDER = {name: n for n, name in enumerate(PATTERNS)}


def _trigger_positions(text: str):
    """(position, kind) of every word that may start a date expression."""
    for m in _CASED_TRIGGER_START.finditer(text):
        i = m.start()
        for word, kind in _CASED_TRIGGERS_BY_HEAD.get(text[i:i + 2], ()):
            if text.startswith(word, i):
                if kind == "month":
                    yield from _month_kinds(text, i)
                else:
                    yield i, kind
    low = lower_in_place(text)
    for word, kind in _LOWER_TRIGGERS.items():
        i = low.find(word)
        while i >= 0:
            if kind == "relative":  # "this", "last", "next": common words, rarely dates
                following = low[i + len(word):i + len(word) + 16].lstrip(" \t\u00a0")
                if following.startswith(_RELATIVE_UNITS):
                    yield i, "relative"
                elif following.startswith(_PARTS_OF_DAY):
                    yield i, "dayword"
            elif kind != "range" or _DATE_WORDS_AHEAD.search(text, i, i + _REACH_ON):
                yield i, kind
            i = low.find(word, i + 1)
    for m in _YEARISH.finditer(text):
        yield from _year_kinds(text, m.start())


def _month_kinds(text: str, i: int):
    """The month patterns that may match at the month word starting at `i`."""
    yield i, "month"
    end = _MONTH_WORD_REST.match(text, i + 3).end()
    if _DAY_AFTER.match(text, end):
        yield i, "month_day"
    if _may_end_a_day(text, i):
        at, before = word_before(text, i)
        if before == "of":
            before = word_before(text, at)[1]
        if _ENDS_WITH_DAY.search(before):  # "5 May", "5th of May"
            yield i, "day_month"
    if _YEAR_AFTER.match(text, end):
        yield i, "month_year"
    if _RANGE_AFTER.match(text, end):
        yield i, "month_range"


def _may_end_a_day(text: str, i: int) -> bool:
    """Can the word before `i` be a day ("5", "5th") or "of"? Only a digit or the last letter of
    "st", "nd", "rd", "th" or "of" ends one: a quick test before reading the word."""
    while i > 0 and text[i - 1] in " \t\u00a0":
        i -= 1
    return i > 0 and (text[i - 1] in "tdhf" or text[i - 1].isdigit())


def _year_kinds(text: str, i: int):
    """The year patterns that may match at the four digits at `i`: "2021-05-05", "the 1990s",
    "in 2021" (a year with none of these is part of a longer date, found from its month)."""
    after = text[i + 4:i + 6]
    if after[:1] == "-":
        yield i, "iso"
    if text[i + 4:i + 7].lstrip(" \t")[:1] in ("-", "–", "—", "/"):
        yield i, "year_range"
    if text[i + 3] == "0" and (after[:1] == "s" or after in ("'s", "’s")):
        yield i, "decade"
    # The word before may be glued to others by scraping ("throughmid-2023"): its end decides.
    if after[:1] in ("'", "’") or word_before(text, i, " \t-")[1].lower().endswith(_YEAR_LEAD_WORDS) \
            or _YEAR_LIST_BEFORE.search(text, max(0, i - 10), i):
        yield i, "year"


def find_all_dates(text: str, sentences: list[tuple[int, int]],
                   published: dt.date | None) -> list[list[DateValue]]:
    """The date expressions of each sentence, found after one pass for trigger words."""
    starts = [s for s, _ in sentences]
    anchors: list[list[tuple[int, str]]] = [[] for _ in sentences]
    for position, kind in _trigger_positions(text):
        k = bisect.bisect_right(starts, position) - 1
        if k >= 0 and position < sentences[k][1]:
            anchors[k].append((position, kind))
    return [_dates_in(text, span, published, found) if found else []
            for span, found in zip(sentences, anchors)]


def find_dates(text: str, sentence: tuple[int, int], published: dt.date | None) -> list[DateValue]:
    """Date expressions in one sentence of `text`, resolved against `published`."""
    return find_all_dates(text, [sentence], published)[0]


# How far before its trigger word an expression may start ("the beginning of 2023"), and how far
# after it it may end ("from 26 November 2022 to 3 January 2023").
_REACH_BACK, _REACH_ON = 24, 80
# How far around a date its context is read: bounded windows keep extraction linear in a
# sentence of any length.
_CLAUSE = 80  # back to the start of its clause, for future-tense words
_NEAR = 40  # the word just before or after a date, and the quotes around it


def _dates_in(text, sentence, published, anchors: list[tuple[int, str]]) -> list[DateValue]:
    s0, s1 = sentence
    if _is_boilerplate(text, s0, s1):
        return []
    body = text[s0:s1]
    kinds = {kind for _, kind in anchors}
    seen, matches, names = set(), [], []
    # Patterns run longest forms first; a match inside a date already accepted could never win
    # the overlap (longest first), so it is not looked at again.
    covered = bytearray(len(body))
    for name in sorted({name for kind in kinds for name in _PATTERNS_FOR[kind]}, key=_RUN_ORDER.get):
        needs = _NEEDS[name]
        for m in _matches(PATTERNS[name], body, [p - s0 for p, kind in anchors if kind in needs]):
            start, end = m.span()
            if (start, end) in seen or not covered.count(0, start, end):
                continue
            seen.add((start, end))
            verdict = _verdict(name, m, body)
            if verdict == "date":
                matches.append((start, end, name, m))
                covered[start:end] = b"\x01" * (end - start)
            elif verdict == "name":
                names.append((start, end))
        seen.clear()
    # Words that are part of a name ("the February 11 plant") yield no shorter date either.
    if names:
        in_name = bytearray(len(body))
        for a, b in names:
            in_name[a:b] = b"\x01" * (b - a)
        matches = [t for t in matches if not any(in_name[t[0]:t[1]])]
    candidates = []
    for start, end, name, m in matches:
        prep_start, prep = _preposition_before(body, start)
        if prep and name not in ("year", "range", "day_range"):
            start = prep_start
        else:
            prep = m.groupdict().get("prep") or (m.groupdict().get("rel") if name == "weekday" else None)
        candidates.append((start, end, name, m, (prep or "").lower()))
    # Overlaps: the longest wins, then the earliest; only winners are resolved (a winner that
    # does not resolve, such as a range of unreadable parts, gives way to the next).
    taken = bytearray(len(body))
    found, listed = [], set()  # `listed`: starts of years found only as a list's later items
    future_words = _may_speak_of_future(body)  # most sentences do not: skip the clause reading
    for start, end, name, m, prep in sorted(candidates, key=lambda t: (-(t[1] - t[0]), t[0])):
        if any(taken[start:end]):
            continue
        value = _resolve(name, m, prep, published, future_words and _speaks_of_future(body, start, end))
        if value is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        found.append(DateValue(text=body[start:end], span=(s0 + start, s0 + end), **value))
        if name == "year" and m.group("year3"):
            listed.add(s0 + start)
    found.sort(key=lambda d: d.span)
    return _lists_that_begin_with_a_date(text, found, listed) if listed else found


def _lists_that_begin_with_a_date(text: str, found: list[DateValue], listed: set[int]) -> list[DateValue]:
    """A year found only as the next item of a list ("in 2019, 2021 and 2023") is a date when
    the item before it is one: "2,000 troops" after "1999, " is not."""
    kept = []
    for date in found:
        if date.span[0] in listed and not (kept and text[kept[-1].span[1]:date.span[0]] in _LIST_SEPARATORS):
            continue
        kept.append(date)
    return kept


def _matches(pattern: re.Pattern, body: str, positions: list[int]):
    """Matches of `pattern` that hold a trigger word at one of `positions`. Few triggers: a
    bounded search around each (a whole-sentence scan costs more); many: one scan of it all."""
    if len(positions) * (_REACH_BACK + _REACH_ON) > len(body):
        yield from pattern.finditer(body)
        return
    for at in positions:
        end = min(len(body), at + _REACH_ON)
        m = pattern.search(body, max(0, at - _REACH_BACK), end)
        while m and m.end() <= at:  # an earlier expression: look past it
            m = pattern.search(body, m.start() + 1, end)
        if m and m.start() <= at:
            yield m


def parse_full_date(words: str) -> dt.date | None:
    """A complete calendar date written out ("Tuesday 26 November 2024", "Nov. 26, 2024")."""
    for name in ("iso", "mdy", "dmy"):
        m = PATTERNS[name].search(words)
        if m and m.group("year"):
            try:
                return dt.date(int(m.group("year")), _month(m.group("month") if name == "iso" else m.group("mon")),
                               int(re.match(r"\d+", m.group("day")).group()))
            except ValueError:
                return None
    return None


_DATELINE_REST = re.compile(
    r"^[\s,|:·•-]*(?:(?:published|updated|posted|last updated|first published)\b[\s:]*(?:on\s*)?)?"
    r"(?P<date>.*?)[\s,|·•-]*(?:(?:at\s*)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,5}(?:[+-]\d{1,2})?)?)?"
    r"[\s,|·•-]*(?:updated.*)?$", re.I)


_BYLINE = re.compile(r"\s*By\s+[^|·•—\n]{1,60}?\s*[|·•—]\s*")  # "By Sam Nussey | "


def dateline_date(line: str) -> dt.date | None:
    """The date of a line that is only a dateline ("Tuesday 26 November 2024 02:38 EST"), maybe
    after a byline ("By Sam Nussey | Updated Tuesday 14 May 2024 08:10 BST")."""
    if len(line) > 140 or not line.strip():
        return None
    byline = _BYLINE.match(line)
    line = line[byline.end():] if byline else line
    if len(line) > 80:
        return None
    m = _DATELINE_REST.match(line.strip())
    date = parse_full_date(m.group("date")) if m else None
    if date is None:
        return None
    # The whole line must be the date: nothing but the date words may remain.
    leftover = re.sub(rf"{_WD}|{_MONTH_FULL}|{_MONTH_ABBR}|\d+(?:st|nd|rd|th)?|of|[,.\s]", "",
                      m.group("date"))
    return date if not leftover else None


_COPYRIGHT = re.compile(r"©|\bcopyright\b", re.I)
SHORT_LINE = 200


def _is_boilerplate(text: str, s0: int, s1: int) -> bool:
    """Copyright lines and datelines carry dates that are not events. The line around a sentence
    is looked for within SHORT_LINE characters only: a longer line is no dateline, and a page with
    no line breaks then costs no more per sentence than any other."""
    lo, hi = max(0, s0 - SHORT_LINE), min(len(text), s1 + SHORT_LINE)
    before, after = text.rfind("\n", lo, s0), text.find("\n", s1, hi)
    if (before < 0 and lo > 0) or (after < 0 and hi < len(text)):
        return _has_copyright(text[s0:s1])
    line = text[before + 1:after if after >= 0 else len(text)]
    return _has_copyright(line) or dateline_date(line) is not None


def _has_copyright(words: str) -> bool:
    # str.find first: the regex is only needed to tell "copyright" from "copyrighted".
    return "©" in words or ("opyright" in words.lower() and bool(_COPYRIGHT.search(words)))


_FIRST_WORD = re.compile(r"[\"”’']?\s*([^\W\d_]+)")


# A dateline inside the first paragraph: a place in capitals (and its country), the date, then
# the agency in brackets or a dash. Its date is the story's, not an event's.
_DATELINE_HEAD = re.compile(r"[A-Z][A-Z.'’ -]{1,30}(?:,[ \t]+[A-Z][A-Za-z.'’ -]{1,30})?,[ \t]+")
_DATELINE_TAIL = re.compile(r"(?:,?[ \t]+\d{4})?[ \t]*(?:\([A-Za-z .&/-]{2,30}\)[ \t]*)?[-–—]")


def _verdict(name: str, m: re.Match, body: str) -> str:
    """"date"; "name" for dates inside names and quotes, whose words yield no date at all;
    "weak" for words that are no date on their own (the modal "may", "Red October")."""
    start, end = m.start(), m.end()
    if start <= 64 and _DATELINE_HEAD.fullmatch(body, 0, start) and _DATELINE_TAIL.match(body, end):
        return "name"  # an agency dateline opening the story: "LONDON, Nov 2 (Reuters) -"
    before = body[max(0, start - _NEAR):start].rstrip()
    prev = word_before(before, len(before), _NOT_WORD)[1]
    prev = prev if prev.isalpha() else ""
    mon = m.group("mon") if "mon" in m.re.groupindex else None
    if mon and mon.strip(" .") == "May" and name == "month":
        # Bare "May": the modal verb at a sentence start, or a name ("Theresa May").
        if prev.lower() not in MAY_CUES:
            return "weak"
    if name == "month" and prev[:1].isupper() and prev.lower() not in MAY_CUES \
            and prev.lower() not in FUNCTION_WORDS and before.endswith(prev):
        return "weak"  # "Red October", "Operation March" (but not "At the end of October")
    after = body[end:end + _NEAR]
    head = _FIRST_WORD.match(after)
    if head and head.group(1).lower() in NAME_HEADS:
        return "name"
    if before.endswith(("“", '"', "‘", "'")) and after.startswith(("”", '"', "’", "'")):
        return "name"  # a quoted date on its own is a name: the “February 11” plant
    if name in ("dmy", "mdy") and m.group(0)[0].isdigit() and prev[:1].isupper() \
            and prev.lower() not in PREPOSITIONS and prev.lower() not in WEEKDAYS and before.endswith(prev):
        return "name"  # "Vinalon 8 February complex"
    return "date"


_CLAUSE_BREAK = re.compile(r"[,;:—–(]|\b(?:which|while|but|after|before|and|as)\b")


def _speaks_of_future(body: str, start: int, end: int) -> bool:
    """Does the clause that holds the date speak of the future: before the date ("which will be
    played on June 1"), or right after it ("a court in December will hear")? A cue further on
    is often reported speech about something else ("said on Tuesday they would oppose")."""
    clause_start = max(0, start - _CLAUSE)
    for m in _CLAUSE_BREAK.finditer(body, clause_start, start):
        clause_start = m.start()
    return bool(FUTURE_CUES.search(body, clause_start, start) or _FUTURE_CUE_NEXT.match(body, end))


_FUTURE_CUE_NEXT = re.compile(rf"{_SP}(?:{FUTURE_CUES.pattern})", re.I)


_NOT_WORD = " \t\u00a0\"'“”‘’,;:()[]-—–."


def _preposition_before(body: str, start: int) -> tuple[int, str | None]:
    """The preposition just before a date ("since", "in"), joined to it by spaces only."""
    if start == 0 or body[start - 1] not in " \t\u00a0":
        return start, None
    at, word = word_before(body, start)
    word = word.lower()
    return (at, word) if word in PREPOSITIONS else (start, None)


def _month(word: str) -> int:
    return MONTHS[word.strip(" .").lower()] if not word.isdigit() else int(word)


def _int(word: str | None) -> int | None:
    return int(re.match(r"\d+", word).group()) if word else None


# ---------- resolution ----------

def _resolve(name, m, prep, pub, future):
    return _resolve_groups(name, tuple(m.groupdict().items()), prep, pub, future)


# A pure function of the words matched: an article, or a feed of them, repeats its dates often.
@functools.lru_cache(maxsize=4096)
def _resolve_groups(name, groups, prep, pub, future):
    g = dict(groups)
    try:
        if name == "range":
            return _resolve_range(g["a"], g["b"], pub, future)
        if name == "month_range":
            return _resolve_range(g["a"], g["b"] or g["b2"] or g["b3"], pub, future)
        if name == "season" and not (g.get("rel") or g.get("year")):
            parts, relative = _bare_season(g, prep, pub, future)
        else:
            parts, relative = _parts(name, g, pub, future)
    except (ValueError, KeyError, OverflowError):
        return None
    if parts is None:
        return None
    if parts == "unresolved":
        return dict(value=None, start=None, end=None, precision=_precision_of(name, g), relative=True)
    start, end, precision, value = parts
    if prep == "since" and pub and start <= pub and precision not in ("range", "decade", "century"):
        return dict(value=f"{value}/{pub.isoformat()}", start=start, end=pub, precision="range",
                    relative=True)
    return dict(value=value, start=start, end=end, precision=precision, relative=relative)


def _precision_of(name, g):
    if name == "relative":
        return g["unit"] if g["unit"] in ("week", "month", "year", "quarter", "decade") else "day"
    return {"month": "month", "season": "season", "quarter": "quarter", "ago": g.get("unit") or "day",
            "weekend": "range", "half": "range"}.get(name, "day")


def _parts(name, g, pub, future):
    """(start, end, precision, value) for one simple expression, and whether it was relative."""
    if name == "year_range":
        return _year_span(int(g["a"]), g["b"] or g["b2"]), False
    if name == "iso":
        return _day(dt.date(int(g["year"]), int(g["month"]), int(g["day"]))), False
    if name in ("mdy", "dmy", "day_range"):
        month, day = _month(g["mon"]), _int(g["day"])
        if g.get("year"):
            first, relative = dt.date(int(g["year"]), month, day), False
        elif not pub:
            return "unresolved", True
        else:
            first, relative = _nearest_day(month, day, pub, future), True
        if g.get("day2"):  # "Nov. 21-22", "21-22 November"
            last = first.replace(day=_int(g["day2"]))
            return (_day_span(first, last) if last > first else None), relative
        return _day(first), relative
    if name == "month_year":
        month = _month(g["mon"])
        if g.get("year"):
            return _month_value(int(g["year"]), month), False
        if not pub:
            return "unresolved", True
        return _month_value(pub.year + {"this": 0, "last": -1, "next": 1}[g["rel"]], month), True
    if name == "month":
        if not pub:
            return "unresolved", True
        month = _month(g["mon"])
        year = pub.year
        if future and month < pub.month:
            year += 1
        elif not future and month > pub.month:
            year -= 1
        return _month_value(year, month), True
    if name == "weekday":
        if not pub:
            return "unresolved", True
        return _day(_weekday(WEEKDAYS[g["wd"].lower()], (g.get("rel") or "").lower(), pub, future)), True
    if name == "year":
        year = int(g.get("year") or g.get("year2") or g.get("year3"))
        return _year_value(year), False
    if name == "decade":
        d = int(g["decade"])
        if d % 100 == 0 and d < 2000:  # "the 1800s" is a century; "the 2000s" the decade
            return _century(d), False
        return (dt.date(d, 1, 1), dt.date(d + 9, 12, 31), "decade", f"{d}/{d + 9}"), False
    if name == "century":  # "the 19th century" is the 1800s
        nth = g["nth"].lower()
        return _century(100 * (CENTURY_WORDS.get(nth) or int(nth[:2])) - 100), False
    if name == "quarter":
        q = ORDINALS.get((g.get("q") or "").lower()) or int(g["qn"])
        year = g.get("year") or g.get("year2")
        if not year and not pub:
            return "unresolved", True
        return _quarter_value(int(year) if year else pub.year, q), not year
    if name == "season":
        if g.get("year"):
            return _season_value(int(g["year"]), g["season"].lower()), False
        if not pub:
            return "unresolved", True
        return _season_value(pub.year + {"this": 0, "last": -1, "next": 1}[g["rel"].lower()], g["season"].lower()), True
    if name == "half" and g.get("year"):
        return _part_of_year(int(g["year"]), g), False
    if not pub:
        return "unresolved", True
    if name == "half":
        return _part_of_year(pub.year + {"this": 0, "last": -1, "next": 1}[g["rel"].lower()], g), True
    if name == "weekend":
        return _weekend(pub, future), True
    if name == "relative":
        return _relative_unit(g["rel"].lower(), g["unit"].lower(), pub), True
    if name == "dayword":
        word = g["word"].lower()
        back = 2 if "before" in word else 1 if word in ("yesterday", "last night") else 0
        return _day(pub - dt.timedelta(days=back)), True
    if name == "ago":
        n = NUMBER_WORDS.get(g["n"].lower()) or int(g["n"])
        return _ago(n, g["unit"].lower(), pub), True
    return None, False


def _resolve_range(a_words, b_words, pub, future):
    b = _simple(b_words, None, pub, future)
    a = _simple(a_words, b, pub, future)
    if not a or not b or a[0] > b[1]:
        return None
    return dict(value=f"{a[3]}/{b[3]}", start=a[0], end=b[1], precision="range",
                relative=False)


def _simple(words, other, pub, future):
    """Resolve one side of a range; a side without a year borrows the other side's year."""
    words = words.strip(" ,")
    for name in ("iso", "mdy", "dmy", "month_year", "year_only", "month"):
        if name == "year_only":
            m = re.fullmatch(_YEAR, words)
            if m:
                return _year_value(int(words))
            continue
        m = PATTERNS[name].fullmatch(words)
        if not m:
            continue
        g = m.groupdict()
        if other and not g.get("year") and name in ("mdy", "dmy", "month"):
            month = _month(g["mon"])
            if name == "month":
                return _month_value(other[0].year, month)
            return _day(dt.date(other[0].year, month, _int(g["day"])))
        parts, _ = _parts(name, g, pub, future)
        return parts if isinstance(parts, tuple) else None
    return None


def _year_span(first: int, last_words: str):
    """The years from `first` to a last year written whole ("2021") or by its last two digits
    ("23" after 2022; "00" after 1999). None when the last is not after the first: "2020-05" is
    no span of years."""
    last = int(last_words)
    if len(last_words) == 2:
        last += first // 100 * 100 + (100 if first % 100 > last else 0)
    if not first < last <= first + 99 or (len(last_words) == 2 and last - first > 10):
        return None  # two digits name a near year: "2010-05" is more likely May 2010
    return dt.date(first, 1, 1), dt.date(last, 12, 31), "range", f"{first:04d}/{last:04d}"


def _day_span(first: dt.date, last: dt.date):
    return first, last, "range", f"{first.isoformat()}/{last.isoformat()}"


def _day(d: dt.date):
    return d, d, "day", d.isoformat()


def _month_value(year: int, month: int):
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end, "month", f"{year:04d}-{month:02d}"


def _year_value(year: int):
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year", f"{year:04d}"


def _part_of_year(year: int, g: dict):
    """A half of a year, or its first months: a range of months."""
    if g.get("n"):
        first, last = 1, NUMBER_WORDS.get(g["n"].lower()) or int(g["n"])
    else:
        first, last = (1, 6) if g["h"].lower() in ("first", "1st") else (7, 12)
    start, end = dt.date(year, first, 1), _month_value(year, last)[1]
    return start, end, "range", f"{year:04d}-{first:02d}/{year:04d}-{last:02d}"


def _weekend(pub: dt.date, future: bool):
    """Saturday and Sunday of the weekend begun last on or before `pub`; on a weekday, in a
    sentence about the future, of the coming one."""
    saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
    if future and pub.weekday() < 5:
        saturday += dt.timedelta(days=7)
    sunday = saturday + dt.timedelta(days=1)
    return saturday, sunday, "range", f"{saturday.isoformat()}/{sunday.isoformat()}"


def _century(first: int):
    return dt.date(first, 1, 1), dt.date(first + 99, 12, 31), "century", f"{first}/{first + 99}"


def _quarter_value(year: int, q: int):
    start = dt.date(year, 3 * q - 2, 1)
    end = _month_value(year, 3 * q)[1]
    return start, end, "quarter", f"{year:04d}-Q{q}"


def _week_value(day: dt.date):
    monday = day - dt.timedelta(days=day.weekday())
    iso = monday.isocalendar()
    return monday, monday + dt.timedelta(days=6), "week", f"{iso[0]:04d}-W{iso[1]:02d}"


def _bare_season(g, prep: str, pub: dt.date | None, future: bool):
    """"In the spring": like "in June", the latest on or before publication (the coming one in a
    sentence about the future). Only after a preposition and "the": "the fall of Kabul" and
    "prices fall" are no season, so neither is any "fall" without a year."""
    season = g["season"].lower()
    if season == "fall" or prep not in _SEASON_PREPOSITIONS or not g.get("the"):
        return None, False
    if not pub:
        return "unresolved", True
    first = SEASON_MONTHS[season][0]
    year = pub.year + (1 if future and pub.month > first else 0) - (1 if not future and pub.month < first else 0)
    return _season_value(year, season), True


_SEASON_PREPOSITIONS = ("in", "during", "through", "throughout", "since", "until", "by", "before", "after")


def _season_value(year: int, season: str):
    first, last = SEASON_MONTHS[season]
    start = _month_value(year, first)
    end = _month_value(year + (last < first), last)
    return start[0], end[1], "season", f"{start[3]}/{end[3]}"


SOON = dt.timedelta(weeks=8)


def _nearest_day(month: int, day: int, pub: dt.date, future: bool) -> dt.date:
    """A day written without a year: the latest on or before publication (news reports the
    past); the earliest on or after it when the sentence speaks of the future, or when it comes
    later in the same year within SOON of publication: news gives the year of a day outside the
    current one, so "until Dec. 2" in a story of November 22 is the coming one (but "took effect
    on Jan. 1" is this year's, not next)."""
    this_year = dt.date(pub.year, month, day)
    upcoming = this_year if this_year >= pub else dt.date(pub.year + 1, month, day)
    if future or (upcoming == this_year and upcoming - pub <= SOON):
        return upcoming
    return this_year if this_year <= pub else dt.date(pub.year - 1, month, day)


def _weekday(weekday: int, rel: str, pub: dt.date, future: bool) -> dt.date:
    """The weekday nearest publication in the direction the words point: "next" and "until"
    look ahead, "by" and the rest follow the sentence's tense ("must pay by Friday" looks ahead,
    "had been returned by Friday" back)."""
    back = (pub.weekday() - weekday) % 7
    if rel in ("next", "until") or (future and rel not in ("last", "since")):
        # "Rain will fall on Thursday" in a Thursday's story is that day, and so is "until
        # Thursday"; "next Thursday" is not.
        ahead = (weekday - pub.weekday()) % 7 or (7 if rel == "next" else 0)
        return pub + dt.timedelta(days=ahead)
    if rel == "last" and back == 0:
        back = 7
    return pub - dt.timedelta(days=back)


def _relative_unit(rel: str, unit: str, pub: dt.date):
    shift = {"this": 0, "last": -1, "next": 1}[rel]
    if unit in ("week", "weekend"):
        day = pub + dt.timedelta(weeks=shift)
        if unit == "weekend":
            saturday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=5)
            return saturday, saturday + dt.timedelta(days=1), "range", \
                f"{saturday.isoformat()}/{(saturday + dt.timedelta(days=1)).isoformat()}"
        return _week_value(day)
    if unit == "month":
        index = pub.year * 12 + pub.month - 1 + shift
        return _month_value(index // 12, index % 12 + 1)
    if unit == "quarter":
        index = pub.year * 4 + (pub.month - 1) // 3 + shift
        return _quarter_value(index // 4, index % 4 + 1)
    if unit == "decade":
        d = (pub.year // 10 + shift) * 10
        return dt.date(d, 1, 1), dt.date(d + 9, 12, 31), "decade", f"{d}/{d + 9}"
    return _year_value(pub.year + shift)


def _ago(n: int, unit: str, pub: dt.date):
    if unit == "day":
        return _day(pub - dt.timedelta(days=n))
    if unit == "week":
        return _week_value(pub - dt.timedelta(weeks=n))
    if unit == "month":
        index = pub.year * 12 + pub.month - 1 - n
        return _month_value(index // 12, index % 12 + 1)
    if unit == "decade":
        return _year_value(pub.year - 10 * n)
    return _year_value(pub.year - n)
