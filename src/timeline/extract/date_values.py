"""Normalising a date expression: the words a rule matched (its named groups) to a value, an
interval and a precision, against the publication date when the words are relative.

A resolver takes (groups, published, future, preposition) and gives ((start, end, precision,
value), relative): the tuple is None for words that name no real day ("31 February", "2020-05"
as years), and "unresolved" for relative words without a publication date. It keeps only the
precision the words support: "in June" is a month, "last week" an ISO week.

The tables (month names, weekdays, number words, ...) are data/lexicon/dates/*, read once.
"""
from __future__ import annotations

import csv
import datetime as dt
import re

from ..paths import DATA_DIR

LEXICON_DIR = DATA_DIR / "lexicon" / "dates"


def _lines(name: str) -> list[str]:
    with open(LEXICON_DIR / name, encoding="utf-8") as f:
        return [s for s in (line.strip() for line in f) if s and not s.startswith("#")]


def word_list(name: str) -> tuple[str, ...]:
    """The words of a list file, one a line, in file order; refuses an empty one."""
    words = tuple(_lines(name))
    if not words:
        raise ValueError(f"{LEXICON_DIR / name}: no words")
    return words


def table(name: str, columns: int = 2) -> dict[str, tuple[int, ...] | int]:
    """word -> value (an int, or a tuple of ints when the file has more columns), in file order,
    from a CSV with '#' comment lines and a header."""
    rows = [[c.strip() for c in r] for r in csv.reader(_lines(name))][1:]
    if not rows or any(len(r) != columns for r in rows):
        raise ValueError(f"{LEXICON_DIR / name}: want {columns} columns in every row")
    return {r[0]: int(r[1]) if columns == 2 else tuple(int(c) for c in r[1:]) for r in rows}


MONTHS = table("months.csv")
WEEKDAYS = table("weekdays.csv")
NUMBER_WORDS = table("number_words.csv")
ORDINALS = table("ordinals.csv")
CENTURY_WORDS = table("centuries.csv")
SEASON_MONTHS = table("seasons.csv", columns=3)
OFFSETS = table("offsets.csv")  # "this", "last", "next"


def month_number(word: str) -> int:
    return MONTHS[word.strip(" .").lower()] if not word.isdigit() else int(word)


def leading_int(word: str | None) -> int | None:
    return int(re.match(r"\d+", word).group()) if word else None


# ---------- values at each precision ----------

def year_span(first: int, last_words: str):
    """The years from `first` to a last year written whole ("2021") or by its last two digits
    ("23" after 2022; "00" after 1999). None when the last is not after the first: "2020-05" is
    no span of years."""
    last = int(last_words)
    if len(last_words) == 2:
        last += first // 100 * 100 + (100 if first % 100 > last else 0)
    if not first < last <= first + 99 or (len(last_words) == 2 and last - first > 10):
        return None  # two digits name a near year: "2010-05" is more likely May 2010
    return dt.date(first, 1, 1), dt.date(last, 12, 31), "range", f"{first:04d}/{last:04d}"


def day_span(first: dt.date, last: dt.date):
    return first, last, "range", f"{first.isoformat()}/{last.isoformat()}"


def day(d: dt.date):
    return d, d, "day", d.isoformat()


def month_value(year: int, month: int):
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end, "month", f"{year:04d}-{month:02d}"


def year_value(year: int):
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year", f"{year:04d}"


def part_of_year(year: int, g: dict):
    """A half of a year, or its first months: a range of months."""
    if g.get("n"):
        first, last = 1, NUMBER_WORDS.get(g["n"].lower()) or int(g["n"])
    else:
        first, last = (1, 6) if g["h"].lower() in ("first", "1st") else (7, 12)
    start, end = dt.date(year, first, 1), month_value(year, last)[1]
    return start, end, "range", f"{year:04d}-{first:02d}/{year:04d}-{last:02d}"


def weekend_of(pub: dt.date, future: bool):
    """Saturday and Sunday of the weekend begun last on or before `pub`; on a weekday, in a
    sentence about the future, of the coming one."""
    saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
    if future and pub.weekday() < 5:
        saturday += dt.timedelta(days=7)
    sunday = saturday + dt.timedelta(days=1)
    return saturday, sunday, "range", f"{saturday.isoformat()}/{sunday.isoformat()}"


def century(first: int):
    return dt.date(first, 1, 1), dt.date(first + 99, 12, 31), "century", f"{first}/{first + 99}"


def decade(d: int):
    return dt.date(d, 1, 1), dt.date(d + 9, 12, 31), "decade", f"{d}/{d + 9}"


def quarter_value(year: int, q: int):
    start = dt.date(year, 3 * q - 2, 1)
    end = month_value(year, 3 * q)[1]
    return start, end, "quarter", f"{year:04d}-Q{q}"


def week_value(d: dt.date):
    monday = d - dt.timedelta(days=d.weekday())
    iso = monday.isocalendar()
    return monday, monday + dt.timedelta(days=6), "week", f"{iso[0]:04d}-W{iso[1]:02d}"


def season_value(year: int, season: str):
    first, last = SEASON_MONTHS[season]
    start = month_value(year, first)
    end = month_value(year + (last < first), last)
    return start[0], end[1], "season", f"{start[3]}/{end[3]}"


# ---------- relative to the publication date ----------

SOON = dt.timedelta(weeks=8)


def nearest_day(month: int, day_of_month: int, pub: dt.date, future: bool) -> dt.date:
    """A day written without a year: the latest on or before publication (news reports the
    past); the earliest on or after it when the sentence speaks of the future, or when it comes
    later in the same year within SOON of publication: news gives the year of a day outside the
    current one, so "until Dec. 2" in a story of November 22 is the coming one (but "took effect
    on Jan. 1" is this year's, not next)."""
    this_year = dt.date(pub.year, month, day_of_month)
    upcoming = this_year if this_year >= pub else dt.date(pub.year + 1, month, day_of_month)
    if future or (upcoming == this_year and upcoming - pub <= SOON):
        return upcoming
    return this_year if this_year <= pub else dt.date(pub.year - 1, month, day_of_month)


def nearest_weekday(weekday: int, rel: str, pub: dt.date, future: bool) -> dt.date:
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


def relative_unit(rel: str, unit: str, pub: dt.date):
    shift = OFFSETS[rel]
    if unit in ("week", "weekend"):
        d = pub + dt.timedelta(weeks=shift)
        if unit == "weekend":
            saturday = d - dt.timedelta(days=d.weekday()) + dt.timedelta(days=5)
            return saturday, saturday + dt.timedelta(days=1), "range", \
                f"{saturday.isoformat()}/{(saturday + dt.timedelta(days=1)).isoformat()}"
        return week_value(d)
    if unit == "month":
        index = pub.year * 12 + pub.month - 1 + shift
        return month_value(index // 12, index % 12 + 1)
    if unit == "quarter":
        index = pub.year * 4 + (pub.month - 1) // 3 + shift
        return quarter_value(index // 4, index % 4 + 1)
    if unit == "decade":
        return decade((pub.year // 10 + shift) * 10)
    return year_value(pub.year + shift)


def ago(n: int, unit: str, pub: dt.date):
    if unit == "day":
        return day(pub - dt.timedelta(days=n))
    if unit == "week":
        return week_value(pub - dt.timedelta(weeks=n))
    if unit == "month":
        index = pub.year * 12 + pub.month - 1 - n
        return month_value(index // 12, index % 12 + 1)
    if unit == "decade":
        return year_value(pub.year - 10 * n)
    return year_value(pub.year - n)


# ---------- the resolvers of the rules (date_rules.RULES) ----------

def resolve_iso(g, pub, future, prep):
    return day(dt.date(int(g["year"]), int(g["month"]), int(g["day"]))), False


def resolve_month_day(g, pub, future, prep):
    """"Nov. 21", "21 November 2023", "Nov. 21-22": a day, or days of one month."""
    month, day_of_month = month_number(g["mon"]), leading_int(g["day"])
    if g.get("year"):
        first, relative = dt.date(int(g["year"]), month, day_of_month), False
    elif not pub:
        return "unresolved", True
    else:
        first, relative = nearest_day(month, day_of_month, pub, future), True
    second = g.get("day2") or g.get("day3")
    if second:  # "Nov. 21-22", "21-22 November", "December 14 and 15"
        last = first.replace(day=leading_int(second))
        return (day_span(first, last) if last > first else None), relative
    return day(first), relative


def resolve_month_year(g, pub, future, prep):
    month = month_number(g["mon"])
    if g.get("year"):
        return month_value(int(g["year"]), month), False
    if not pub:
        return "unresolved", True
    return month_value(pub.year + OFFSETS[g["rel"]], month), True


def resolve_month(g, pub, future, prep):
    """A month alone: the latest on or before publication, the coming one in a sentence about
    the future."""
    if not pub:
        return "unresolved", True
    month = month_number(g["mon"])
    year = pub.year
    if future and month < pub.month:
        year += 1
    elif not future and month > pub.month:
        year -= 1
    return month_value(year, month), True


def resolve_weekday(g, pub, future, prep):
    if not pub:
        return "unresolved", True
    return day(nearest_weekday(WEEKDAYS[g["wd"].lower()], (g.get("rel") or "").lower(), pub, future)), True


def resolve_year(g, pub, future, prep):
    return year_value(int(g.get("year") or g.get("year2") or g.get("year3"))), False


def resolve_year_range(g, pub, future, prep):
    return year_span(int(g["a"]), g["b"] or g["b2"]), False


def resolve_decade(g, pub, future, prep):
    d = int(g["decade"])
    if d % 100 == 0 and d < 2000:  # "the 1800s" is a century; "the 2000s" the decade
        return century(d), False
    return decade(d), False


def resolve_century(g, pub, future, prep):
    """"the 19th century" is the 1800s."""
    nth = g["nth"].lower()
    return century(100 * (CENTURY_WORDS.get(nth) or int(nth[:2])) - 100), False


def resolve_quarter(g, pub, future, prep):
    q = ORDINALS.get((g.get("q") or "").lower()) or int(g["qn"])
    year = g.get("year") or g.get("year2")
    if not year and not pub:
        return "unresolved", True
    return quarter_value(int(year) if year else pub.year, q), not year


def resolve_season(g, pub, future, prep):
    season = g["season"].lower()
    if not (g.get("rel") or g.get("year")):
        return bare_season(g, prep, pub, future)
    if g.get("year"):
        return season_value(int(g["year"]), season), False
    if not pub:
        return "unresolved", True
    return season_value(pub.year + OFFSETS[g["rel"].lower()], season), True


_SEASON_PREPOSITIONS = ("in", "during", "through", "throughout", "since", "until", "by", "before", "after")


def bare_season(g, prep: str, pub: dt.date | None, future: bool):
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
    return season_value(year, season), True


def resolve_half(g, pub, future, prep):
    if g.get("year"):
        return part_of_year(int(g["year"]), g), False
    if not pub:
        return "unresolved", True
    return part_of_year(pub.year + OFFSETS[g["rel"].lower()], g), True


def resolve_weekend(g, pub, future, prep):
    if not pub:
        return "unresolved", True
    return weekend_of(pub, future), True


def resolve_relative(g, pub, future, prep):
    if not pub:
        return "unresolved", True
    return relative_unit(g["rel"].lower(), g["unit"].lower(), pub), True


def resolve_dayword(g, pub, future, prep):
    if not pub:
        return "unresolved", True
    word = g["word"].lower()
    back = 2 if "before" in word else 1 if word in ("yesterday", "last night") else 0
    return day(pub - dt.timedelta(days=back)), True


def resolve_ago(g, pub, future, prep):
    if not pub:
        return "unresolved", True
    n = NUMBER_WORDS.get(g["n"].lower()) or int(g["n"])
    return ago(n, g["unit"].lower(), pub), True


def resolve_season_subject(g, pub, future, prep):
    """"The summer was dry": "the summer" as the subject of its clause or ending it, read like
    "in the summer"."""
    return bare_season(g, "in", pub, future)


def resolve_fiscal(g, pub, future, prep):
    """"fiscal 2024", "FY24", "fiscal 2023-24", "fiscal 2024's second quarter": the fiscal
    year named by the year it ends in, valued as that calendar year (a company's own year is
    not known here)."""
    words = g.get("year") or g["yy"]
    year = int(words) if len(words) == 4 else 2000 + int(words)
    if g.get("b"):
        return year_span(year, g["b"]), False
    if g.get("q"):
        return quarter_value(year, ORDINALS[g["q"].lower()]), False
    return year_value(year), False


# "the quarter" and the words that shift it, in quarters from the one before publication.
_QUARTER_SHIFTS = {"current": 1, "previous": -1, "prior": -1, "preceding": -1, "sequential": -1,
                   "year-earlier": -4, "year-ago": -4, "year earlier": -4}


def resolve_the_quarter(g, pub, future, prep):
    """"the quarter", "the latest quarter": a company's last quarter, the one before the
    quarter of publication (results come after a quarter ends); "the year-earlier quarter"
    and "the same quarter last year" the one a year before it, "the previous quarter" the one
    before it, "the current quarter" publication's own."""
    which = " ".join((g.get("which") or "").lower().split())
    if which == "same" and not g.get("tail"):
        return None, False  # "the same quarter": the same as which, the words do not say
    if not pub:
        return "unresolved", True
    shift = -4 if g.get("tail") else _QUARTER_SHIFTS.get(which, 0)
    index = pub.year * 4 + (pub.month - 1) // 3 - 1 + shift
    return quarter_value(index // 4, index % 4 + 1), True


def resolve_past_week(g, pub, future, prep):
    """"this past week": the week (Monday to Sunday) that holds the day before publication, so
    a Monday's story means the week just ended."""
    if not pub:
        return "unresolved", True
    return week_value(pub - dt.timedelta(days=1)), True


def resolve_overnight(g, pub, future, prep):
    """"overnight": the night before publication, from the day before it to its day; in a
    sentence about the future, the coming night."""
    if g.get("det"):
        return None, False  # "the overnight rate", "an overnight stay": an adjective
    if not pub:
        return "unresolved", True
    first = pub if future else pub - dt.timedelta(days=1)
    return day_span(first, first + dt.timedelta(days=1)), True


def resolve_numeric(g, pub, future, prep):
    """"11/22/2024" (month first, as in American text) or "22/11/2024" (day first): read only
    when a number over 12 tells which is the day; "06/01/2024" is left unread."""
    a, b = int(g["a"]), int(g["b"])
    if a > 12:
        month, day_of_month = b, a
    elif b > 12 or a == b:
        month, day_of_month = a, b
    else:
        return None, False
    return day(dt.date(int(g["year"]), month, day_of_month)), False


def resolve_day_after(g, ref, future, prep):
    """"the day after", "the next day", "a day earlier": a day from the date mentioned last
    before it (`ref`, in place of the publication date: dates.py passes it), when that date
    is a day or a few days: `ref` is its (first, last) day."""
    if ref is None:
        return None, False
    first, last = ref
    direction = (g.get("dir") or g.get("dir2") or g.get("dir3")).lower()
    back = direction in ("before", "previous", "preceding", "earlier")
    return day(first - dt.timedelta(days=1) if back else last + dt.timedelta(days=1)), True
