"""Date expressions: found by rules, normalised against the publication date.

`dateparser.search` over whole sentences finds dates in "we", "may", "60%" and "February 11
plant", and invents days of month. So the rules here decide *where* a date is, and each span is
normalised by small, explicit code that keeps only the precision the words support: "in June" is
a month, "last week" an ISO week, "the 1990s" a decade, "since August 2023" a range.

This module is the engine: one pass for trigger words, the rules that need them, the context
that makes a match a name ("the February 11 plant") and the overlaps. The rules, one record
each, are in date_rules.py; normalising is date_values.py; the word tables data/lexicon/dates/.

Overlaps follow one rule everywhere: the longest match wins, then the earliest.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import re

from ..model import DateValue
from .date_rules import (BY_NAME, EVENT_HEADS, LIST_SEPARATORS, MONTH_ABBR, MONTH_FULL, MONTH_HEADS, NEEDS,
                         PATTERNS, RB, RUN_ORDER, SP, SUBJECT_VERBS, WD, WEEKDAY_NAMES)
from .date_values import OFFSETS, WEEKDAYS, month_number, word_list
from .words import FUNCTION_WORDS, lower_in_place, word_before

NAME_HEADS = frozenset(word_list("name_heads.txt"))  # "the February 11 plant", "May 4 Movement"
PREPOSITIONS = word_list("prepositions.txt")  # that introduce a date and belong to its span
MAY_CUES = frozenset(PREPOSITIONS + word_list("may_cues.txt"))  # that make "May" a month
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

# What a pattern needs somewhere in the sentence before it can match. Most sentences hold none,
# and skipping regex scans is the largest saving. Lower-case words are found with str.find, many
# times faster than a regex alternation over the whole text; capitalised ones by one scan for
# their first letters, faster than a str.find for each of them.
_CASED_TRIGGERS = {**{m: "month" for m in MONTH_HEADS},
                   **{d: "weekday" for d in WEEKDAY_NAMES},
                   **{q: "quarter" for q in ("Q1", "Q2", "Q3", "Q4")}, "FY": "fiscal"}
_CASED_TRIGGER_START = re.compile("[%s]" % "".join(sorted({word[0] for word in _CASED_TRIGGERS})))
_CASED_TRIGGERS_BY_HEAD = {head: [(word, kind) for word, kind in _CASED_TRIGGERS.items() if word[:2] == head]
                           for head in {word[:2] for word in _CASED_TRIGGERS}}
_DAY_AFTER_WORDS = ("day after", "day before", "night after", "night before", "next day", "following day",
                    "previous day", "preceding day", "next morning", "following morning", "next night",
                    "following night", "previous night", "day later", "day earlier")
_LOWER_TRIGGERS = {**{f"{rel} ": "relative" for rel in OFFSETS},
                   "yesterday": "dayword", "today": "dayword", "tonight": "dayword",
                   "quarter": "quarter", "spring": "season", "summer": "season", "autumn": "season",
                   "fall": "season", "winter": "season", " ago": "ago", "from ": "range",
                   "between ": "range", "weekend": "weekend", " half ": "half", " months ": "half",
                   "century": "century", "fiscal": "fiscal", "past week": "past_week",
                   "overnight": "overnight", **{w: "day_after" for w in _DAY_AFTER_WORDS}}
# What may follow "this", "last" or "next" in a date, and what a range needs within its reach.
_RELATIVE_UNITS = ("week", "month", "year", "quarter", "decade")
_PARTS_OF_DAY = ("morning", "afternoon", "evening", "night")
_DATE_WORDS_AHEAD = re.compile(r"\d|" + "|".join(MONTH_HEADS))
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
_YEAR_LIST_BEFORE = re.compile(r"\d\d\d\d(?:%s)$" % "|".join(LIST_SEPARATORS))  # "2019, 2021 and 2023"
_ENDS_WITH_DAY = re.compile(r"\d(?:st|nd|rd|th)?$")
_SUBJECT_VERB_AFTER = re.compile(rf"{SP}(?:{SUBJECT_VERBS}){RB}")  # "2023 was"
_EVENT_HEAD_AFTER = re.compile(rf"{SP}(?i:{EVENT_HEADS}){RB}")  # "2016 election"
_MODEL_AFTER = re.compile(rf"(?:{SP}|-)model")  # "2016 model"
# The patterns each kind of trigger word may start, in the order patterns run (date_rules.RULES).
_PATTERNS_FOR = {kind: [name for name in PATTERNS if kind in NEEDS[name]]
                 for kind in set().union(*NEEDS.values())}


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
    if i and text[i - 1] == "/":
        yield i, "numeric"  # "11/22/2024"
    if after[:1] in (" ", "\t", "\u00a0", "-"):
        if _SUBJECT_VERB_AFTER.match(text, i + 4):
            yield i, "year_subject"
        if _EVENT_HEAD_AFTER.match(text, i + 4):
            yield i, "year_attributive"
        elif _MODEL_AFTER.match(text, i + 4):
            yield i, "model_year"


def find_all_dates(text: str, sentences: list[tuple[int, int]],
                   published: dt.date | None) -> list[list[DateValue]]:
    """The date expressions of each sentence, found after one pass for trigger words."""
    starts = [s for s, _ in sentences]
    anchors: list[list[tuple[int, str]]] = [[] for _ in sentences]
    for position, kind in _trigger_positions(text):
        k = bisect.bisect_right(starts, position) - 1
        if k >= 0 and position < sentences[k][1]:
            anchors[k].append((position, kind))
    out, last = [], None  # `last`: the date mentioned last, for "the day after"
    for span, found in zip(sentences, anchors):
        dates = _dates_in(text, span, published, found, last) if found else []
        out.append(dates)
        last = dates[-1] if dates else last
    return out


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


def _dates_in(text, sentence, published, anchors: list[tuple[int, str]], last=None) -> list[DateValue]:
    s0, s1 = sentence
    if _is_boilerplate(text, s0, s1):
        return []
    body = text[s0:s1]
    kinds = {kind for _, kind in anchors}
    seen, matches, names = set(), [], []
    # Patterns run longest forms first; a match inside a date already accepted could never win
    # the overlap (longest first), so it is not looked at again.
    covered = bytearray(len(body))
    for name in sorted({name for kind in kinds for name in _PATTERNS_FOR[kind]}, key=RUN_ORDER.get):
        rule = BY_NAME[name]
        if rule.context and not rule.context.search(body):
            continue
        needs = NEEDS[name]
        for m in _matches(PATTERNS[name], body, [p - s0 for p, kind in anchors if kind in needs]):
            start, end = m.span()
            if (start, end) in seen or not covered.count(0, start, end):
                continue
            seen.add((start, end))
            verdict = "name" if rule.trap else _verdict(name, m, body)
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
    alone = set()  # starts of dates that give way to any other date of the sentence
    future_words = _may_speak_of_future(body)  # most sentences do not: skip the clause reading
    deferred = []  # dates read from the date before them: resolved once the others are
    for start, end, name, m, prep in sorted(candidates, key=lambda t: (-(t[1] - t[0]), t[0])):
        if any(taken[start:end]):
            continue
        if BY_NAME[name].anchored:
            deferred.append((start, end, name, m, prep))
            continue
        value = _resolve(name, m, prep, published, future_words and _speaks_of_future(body, start, end))
        if value is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        found.append(DateValue(text=body[start:end], span=(s0 + start, s0 + end), **value))
        if name == "year" and m.group("year3"):
            listed.add(s0 + start)
        if BY_NAME[name].alone:
            alone.add(s0 + start)
    found.sort(key=lambda d: d.span)
    if listed:
        found = _lists_that_begin_with_a_date(text, found, listed)
    if deferred:
        found = _anchored(body, s0, found, deferred, taken, last)
    if alone and len(found) > len(alone):  # "overnight" beside "on Sunday": Sunday's night
        found = [d for d in found if d.span[0] not in alone]
    return found


def _anchored(body, s0, found, deferred, taken, last):
    """Dates read from the date mentioned last before them ("the next day"), in this sentence
    or an earlier one: a day, or days of one short range."""
    for start, end, name, m, prep in sorted(deferred, key=lambda t: t[0]):
        if any(taken[start:end]):
            continue
        before = [d for d in found if d.span[1] <= s0 + start]
        ref = before[-1] if before else last
        if ref is None or ref.start is None or (ref.end - ref.start).days > _ANCHOR_DAYS:
            continue
        value = _resolve_groups(name, tuple(m.groupdict().items()), prep, (ref.start, ref.end), False)
        if value is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        found.append(DateValue(text=body[start:end], span=(s0 + start, s0 + end), **value))
        found.sort(key=lambda d: d.span)
    return found


_ANCHOR_DAYS = 3  # the longest span of days "the day after" is read from ("Dec. 14-15": the 16th)


def _lists_that_begin_with_a_date(text: str, found: list[DateValue], listed: set[int]) -> list[DateValue]:
    """A year found only as the next item of a list ("in 2019, 2021 and 2023") is a date when
    the item before it is one: "2,000 troops" after "1999, " is not."""
    kept = []
    for date in found:
        if date.span[0] in listed and not (kept and text[kept[-1].span[1]:date.span[0]] in LIST_SEPARATORS):
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
                return dt.date(int(m.group("year")), month_number(m.group("month") if name == "iso" else m.group("mon")),
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
    leftover = re.sub(rf"{WD}|{MONTH_FULL}|{MONTH_ABBR}|\d+(?:st|nd|rd|th)?|of|[,.\s]", "",
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


_FUTURE_CUE_NEXT = re.compile(rf"{SP}(?:{FUTURE_CUES.pattern})", re.I)


_NOT_WORD = " \t\u00a0\"'“”‘’,;:()[]-—–."


def _preposition_before(body: str, start: int) -> tuple[int, str | None]:
    """The preposition just before a date ("since", "in"), joined to it by spaces only."""
    if start == 0 or body[start - 1] not in " \t\u00a0":
        return start, None
    at, word = word_before(body, start)
    word = word.lower()
    return (at, word) if word in PREPOSITIONS else (start, None)


# ---------- resolution ----------

def _resolve(name, m, prep, pub, future):
    return _resolve_groups(name, tuple(m.groupdict().items()), prep, pub, future)


# A pure function of the words matched: an article, or a feed of them, repeats its dates often.
@functools.lru_cache(maxsize=4096)
def _resolve_groups(name, groups, prep, pub, future):
    """The rule's resolver (date_values), then the one reading that holds for every rule: a
    date after "since" runs to publication."""
    g = dict(groups)
    rule = BY_NAME[name]
    try:
        parts, relative = rule.resolve(g, pub, future, prep)
    except (ValueError, KeyError, OverflowError):
        return None
    if parts is None:
        return None
    if parts == "unresolved":
        return dict(value=None, start=None, end=None, precision=rule.precision_of(g), relative=True)
    start, end, precision, value = parts
    if prep == "since" and pub and start <= pub and precision not in ("range", "decade", "century"):
        return dict(value=f"{value}/{pub.isoformat()}", start=start, end=pub, precision="range",
                    relative=True)
    return dict(value=value, start=start, end=end, precision=precision, relative=relative)
