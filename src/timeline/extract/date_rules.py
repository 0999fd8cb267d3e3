"""The date rules: one record per rule, with its pattern, the trigger words it needs, its
resolver and examples (HeidelTime's RULENAME, EXTRACTION, NORM_VALUE and EXAMPLE lines).

`PATTERNS`, `NEEDS` and `RUN_ORDER`, which the finder (dates.py) uses, are derived from `RULES`.
A rule's `needs` are kinds of trigger word (dates.py, `_trigger_positions`): a rule is tried only
in a sentence that holds one. Its resolver is in date_values.py; `precision` is the precision of
its date when it is relative and there is no publication date. Rules run in list order, longest
forms first. The words of the patterns come from data/lexicon/dates/, through date_values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from . import date_values as v
from .words import FUNCTION_WORDS


def alt(words) -> str:
    """A regex alternation of `words`, longest first, escaped; refuses an empty list, which
    would make a pattern that matches everywhere."""
    items = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not items:
        raise ValueError("a pattern cannot be built from an empty word list")
    return "|".join(re.escape(w) for w in items)


def _months_by_length():
    """Full month names (the longest word for each month) and the abbreviations."""
    full = {}
    for word, n in v.MONTHS.items():
        if len(word) > len(full.get(n, "")):
            full[n] = word
    return [full[n] for n in sorted(full)], [w for w in v.MONTHS if w not in full.values()]


MONTH_NAMES, MONTH_ABBREVIATIONS = _months_by_length()
MONTH_HEADS = [m[:3].capitalize() for m in MONTH_NAMES]  # "Jan": what every month word starts with
WEEKDAY_NAMES = [w.capitalize() for w in v.WEEKDAYS]

SP = r"[ \t\u00a0]+"
LB = r"(?<![^\W\d_])"  # left word boundary that also holds after digits
RB = r"(?![^\W\d_])"
MONTH_FULL = alt(m.capitalize() for m in MONTH_NAMES)
MONTH_ABBR = rf"(?:{alt(m.capitalize() for m in MONTH_ABBREVIATIONS)})(?:\.|(?=[ \t]+\d))"
# Months may be glued to a lower-case word by scraping ("onNovember 22"): allow that left edge.
MON = rf"(?:(?<![^\W\d_])|(?<=[a-z]))(?:{MONTH_FULL}|{MONTH_ABBR}){RB}"
WD = rf"(?:{alt(WEEKDAY_NAMES)})"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[:.,]\d)"
YEAR = r"(?<![\d$£€.,])(?:1[6-9]|20)\d\d(?!\d|[:.,%]\d|%|[ \t]*per[ \t]?cent)"
MOD = r"(?i:early|mid|late|the end of|the beginning of|the start of|the middle of)"
REL = alt(v.OFFSETS)  # this, last, next
ORDINAL = alt(v.ORDINALS)
HALF_ORDINAL = alt(w for w, n in v.ORDINALS.items() if n <= 2)
NUMBER = alt(v.NUMBER_WORDS)
SEASON = alt(v.SEASON_MONTHS)
BARE_SEASON = alt(w for w in v.SEASON_MONTHS if w != "fall")  # "the fall of Kabul"
EVENT_HEADS = alt(v.word_list("event_heads.txt")).replace(r"\ ", SP)
SUBJECT_VERBS = alt(v.word_list("subject_verbs.txt"))
# What opens a clause whose subject a year may be: the sentence's start, a comma, a conjunction.
CLAUSE_OPENING = r"(?:^|(?<=^[\"“‘'])|(?<=[,;:] )|(?<=\bbut )|(?<=\band )|(?<=\bwhile )|(?<=\bthat )|(?<=\bas )" \
                 r"|(?<=\bbecause )|(?<=\bwhereas )|(?<=\bif )|(?<=\bsaid ))"
# What may stand before a year that modifies a noun: "the 2016 election", "Trump's 2020 campaign".
DETERMINER_BEFORE = r"(?:(?<=\b[Tt]he )|(?<=\b[Aa] )|(?<=\bits )|(?<=\btheir )|(?<=\bhis )|(?<=\bher )" \
                    r"|(?<=\bour )|(?<=['’]s ))"
# Words that may follow a day of a list ("December 14 and 15"): a lower-case word of another
# kind makes the second number a count ("on Dec. 14 and 15 people died").
_NOT_A_COUNT = rf"(?!{SP}(?!(?:{alt(FUNCTION_WORDS)}){RB})[a-z])"
OVERNIGHT_FOLLOWERS = alt(FUNCTION_WORDS | set(v.word_list("overnight_followers.txt")))
QUARTER_CUES = rf"(?i:\b(?:{alt(v.word_list('quarter_cues.txt'))})\b)"

# What joins the years of a list ("in 2019, 2021 and 2023"); a year after one of these and a
# year is a date when the year before it is one (dates.py, _lists_that_begin_with_a_date).
LIST_SEPARATORS = (", ", " and ", ", and ", " or ")
_AFTER_A_LISTED_YEAR = "|".join(rf"(?<=\d\d\d\d{sep})" for sep in LIST_SEPARATORS)


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: str
    needs: frozenset[str]
    resolve: Callable  # (groups, published, future, preposition) -> (value tuple, relative)
    precision: str | Callable[[dict], str] = "day"  # of its date when left unresolved
    examples: tuple[tuple[str, str | None], ...] = ()  # (text, value); None: no date
    # A trap: its words are no date, and no other rule's date may overlap them (HeidelTime's
    # NORM_VALUE="REMOVE").
    trap: bool = False
    context: str | None = None  # a regex the sentence must hold for the rule to be tried
    alone: bool = False  # its date gives way to any other date of the sentence
    anchored: bool = False  # resolved against the date mentioned last before it, not publication
    compiled: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "needs", frozenset(self.needs))
        object.__setattr__(self, "examples", tuple(self.examples))
        object.__setattr__(self, "compiled", re.compile(self.pattern))
        object.__setattr__(self, "context", self.context and re.compile(self.context))

    def precision_of(self, g: dict) -> str:
        return self.precision(g) if callable(self.precision) else self.precision


# ---------- ranges: each side read by the simple rules ----------

def resolve_range(g, pub, future, prep):
    return _range(g["a"], g["b"], pub, future), False


def resolve_month_range(g, pub, future, prep):
    return _range(g["a"], g["b"] or g["b2"] or g["b3"], pub, future), False


def _range(a_words, b_words, pub, future):
    b = _side(b_words, None, pub, future)
    a = _side(a_words, b, pub, future)
    if not a or not b or a[0] > b[1]:
        return None
    return a[0], b[1], "range", f"{a[3]}/{b[3]}"


def _side(words, other, pub, future):
    """Resolve one side of a range; a side without a year borrows the other side's year."""
    words = words.strip(" ,")
    for name in ("iso", "mdy", "dmy", "month_year", "year_only", "month"):
        if name == "year_only":
            m = re.fullmatch(YEAR, words)
            if m:
                return v.year_value(int(words))
            continue
        m = PATTERNS[name].fullmatch(words)
        if not m:
            continue
        g = m.groupdict()
        if other and not g.get("year") and name in ("mdy", "dmy", "month"):
            month = v.month_number(g["mon"])
            if name == "month":
                return v.month_value(other[0].year, month)
            return v.day(v.dt.date(other[0].year, month, v.leading_int(g["day"])))
        parts, _ = BY_NAME[name].resolve(g, pub, future, "")
        return parts if isinstance(parts, tuple) else None
    return None


# ---------- the rules, longest forms first ----------

RULES: list[Rule] = [
    Rule("iso", rf"{LB}(?P<year>{YEAR})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?!\d)",
         needs={"iso"}, resolve=v.resolve_iso,
         examples=[("Released on 2021-03-04 by the court.", "2021-03-04")]),
    # "11/22/2024", "22/11/2024": read when a number over 12 says which is the day.
    Rule("numeric", rf"{LB}(?<![\d/.-])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>{YEAR})(?![\d/])",
         needs={"numeric"}, resolve=v.resolve_numeric,
         examples=[("The filing is dated 11/22/2024.", "2024-11-22"), ("Le vote du 22/11/2024 a eu lieu.", "2024-11-22"),
                   ("Polls opened 06/01/2024 at dawn.", None), ("A deadline of 02/30/2024 passed.", None)]),
    Rule("mdy", rf"(?:{LB}(?P<wd>{WD}),?{SP})?(?P<mon>{MON}){SP}(?P<day>{DAY})(?:[-–](?P<day2>{DAY})"
                rf"|{SP}(?:and|&){SP}(?P<day3>{DAY}){_NOT_A_COUNT}(?!{SP}(?:of{SP})?{MON}))?(?:,?{SP}(?P<year>{YEAR}))?",
         needs={"month_day"}, resolve=v.resolve_month_day,
         examples=[("until Dec. 2", "2023-12-02"), ("Polls close on November 22.", "2023-11-22"),
                   ("The minister resigned on Friday November 22, 2019.", "2019-11-22"),
                   ("Ministers met Oct. 21-22 in Geneva.", "2023-10-21/2023-10-22"),
                   ("The shop opened on Jan. 28.", "2023-01-28"),
                   ("Snow fell on December 14 and 15.", "2023-12-14/2023-12-15"),
                   ("Voting runs Nov. 4 & 5, 2024, officials said.", "2024-11-04/2024-11-05"),
                   ("On Dec. 14 and 15 people died.", "2023-12-14"),
                   ("Workers at the February 11 plant went on strike.", None),
                   ("MOSCOW, November 22 — Talks began.", None)]),
    Rule("dmy", rf"(?:{LB}(?P<wd>{WD}),?{SP})?(?:the{SP})?{LB}(?<![-–/])(?P<day>{DAY})(?:[-–](?P<day2>{DAY})|{SP}(?:and|&){SP}(?P<day3>{DAY}))?{SP}(?:of{SP})?"
                rf"(?P<mon>{MON})(?:,?{SP}(?P<year>{YEAR}))?",
         needs={"day_month"}, resolve=v.resolve_month_day,
         examples=[("The storm made landfall on 26 November 2022.", "2022-11-26"),
                   ("The fair ran 3-5 March 2023.", "2023-03-03/2023-03-05"),
                   ("Talks were held on 14 and 15 March.", "2023-03-14/2023-03-15"),
                   ("The Vinalon 8 February complex was expanded.", None)]),
    Rule("month_year", rf"(?:{LB}(?P<mod>{MOD})[ \t-]+)?(?P<mon>{MON}),?{SP}(?:of{SP})?"
                       rf"(?:(?P<year>{YEAR})|(?P<rel>{REL}){SP}year{RB})",
         needs={"month_year"}, resolve=v.resolve_month_year, precision="month",
         examples=[("The club was founded in August 2003.", "2003-08"),
                   ("Talks collapsed in February of 2022.", "2022-02"),
                   ("Inflation peaked in June of this year.", "2023-06")]),
    Rule("month", rf"(?:{LB}(?P<mod>{MOD})[ \t-]+)?(?P<mon>(?:(?<![^\W\d_])|(?<=[a-z]))(?:{MONTH_FULL}){RB})",
         needs={"month"}, resolve=v.resolve_month, precision="month",
         examples=[("Turnout rose in June.", "2023-06"), ("The drought began in early October.", "2023-10"),
                   ("A court in December will hear the case.", "2023-12"),
                   ("Red October was a film.", None), ("The company may cut prices.", None),
                   ("Theresa May said the vote was lost.", None)]),
    Rule("weekday", rf"(?:{LB}(?P<rel>(?i:last|this|next|on|since|by|until|early|late)){SP})?"
                    rf"{LB}(?P<wd>{WD}){RB}(?:{SP}(?:morning|afternoon|evening|night){RB})?",
         needs={"weekday"}, resolve=v.resolve_weekday,
         examples=[("Shares fell on Monday.", "2023-10-30"), ("Talks resume next Thursday.", "2023-11-09"),
                   ("Shops stay shut until Monday.", "2023-11-06")]),
    Rule("year", rf"{LB}(?P<prep>(?i:in|since|by|until|till|during|from|before|after|through|throughout"
                 rf"|early|mid|late|the end of|the start of|the beginning of))[ \t-]+(?P<year>{YEAR})"
                 rf"|(?P<year2>{YEAR})(?=['’]s{RB})"
                 # the second and later years of a list: "in 2019, 2021 and 2023"
                 rf"|(?:{_AFTER_A_LISTED_YEAR})(?P<year3>{YEAR})",
         needs={"year"}, resolve=v.resolve_year,
         examples=[("The stadium opened in 2020.", "2020"), ("A total of 2000 troops were sent.", None),
                   ("The bill cost $2024 in total.", None)]),
    # "2023 was the hottest year on record": a year as the subject of its clause.
    Rule("year_subject", rf"{CLAUSE_OPENING}(?P<year>{YEAR})(?={SP}(?:{SUBJECT_VERBS}){RB})",
         needs={"year_subject"}, resolve=v.resolve_year,
         examples=[("2023 was the hottest year on record.", "2023"), ("Analysts said 2024 will be harder.", "2024"),
                   ("Sales slowed, but 2024 looks better.", "2024"), ("“2022 was brutal,” he said.", "2022"),
                   ("2000 were killed in the fighting.", None), ("Flight 2024 was delayed.", None)]),
    # "the 2016 election", "Trump's 2020 campaign": a year before a noun of something that happens.
    Rule("year_attributive", rf"{DETERMINER_BEFORE}(?P<year>{YEAR})(?={SP}(?i:{EVENT_HEADS}){RB})",
         needs={"year_attributive"}, resolve=v.resolve_year,
         examples=[("He lost the 2016 election.", "2016"), ("Trump's 2020 campaign spent heavily.", "2020"),
                   ("The 2011 earthquake killed thousands.", "2011"), ("She won gold at the 2012 Olympics.", "2012"),
                   ("A 2019 study found more fires.", "2019"), ("The 2000 troops arrived.", None)]),
    Rule("x_model_year", rf"{DETERMINER_BEFORE}{YEAR}(?:{SP}|-)model(?:{SP}year)?s?{RB}", needs={"model_year"},
         resolve=None, trap=True,
         examples=[("Ford recalled the 2016 model.", None), ("The 2021 model year cars were recalled.", None)]),
    # "2019-2021", "2022-23", "2019/20": a span of years; never an ISO date ("2020-05-04").
    Rule("year_range", rf"{LB}(?P<a>{YEAR})(?:[-–—/](?P<b>(?:1[6-9]|20)\d\d|\d\d)|[ \t][-–—][ \t](?P<b2>(?:1[6-9]|20)\d\d))"
                       rf"(?![\d%]|[-–—/.,:]\d|[ \t]*(?:hours|hrs|GMT|UTC)\b)",
         needs={"year_range"}, resolve=v.resolve_year_range,
         examples=[("Exports doubled in 2019-2021, the ministry said.", "2019/2021"),
                   ("The club's 2022-23 season was its best.", "2022/2023"), ("Revenue for 2019/20 fell.", "2019/2020"),
                   ("Patrols ran 1800-2000 hours each night.", None), ("Shares rose 2019-20% in a day.", None)]),
    Rule("decade", rf"(?:{LB}(?i:the){SP})?(?:{LB}(?P<mod>(?i:early|mid|late))[ \t-]+)?{LB}(?P<decade>(?:1[6-9]|20)\d0)['’]?s{RB}",
         needs={"decade"}, resolve=v.resolve_decade,
         examples=[("Mortgage rates were higher in the 1990s.", "1990/1999"),
                   ("The mill was built in the 1800s.", "1800/1899"), ("The town grew in the 2000s.", "2000/2009")]),
    Rule("century", rf"(?:{LB}(?i:the){SP})?(?:{LB}(?i:early|mid|late)[ \t-]+)?{LB}"
                    rf"(?P<nth>1[0-9]th|20th|(?i:{alt(v.CENTURY_WORDS)})){SP}[Cc]entury{RB}",
         needs={"century"}, resolve=v.resolve_century,
         examples=[("The law dates from the late 18th century.", "1700/1799"),
                   ("Wars raged in the twentieth century.", "1900/1999"), ("It is a 21st century problem.", None),
                   ("Mills spread in the 19th Century.", "1800/1899")]),
    Rule("x_studio", rf"{LB}20th{SP}Century{SP}(?:Fox|Studios){RB}", needs={"century"}, resolve=None, trap=True,
         examples=[("It was a 20th Century Fox film.", None)]),
    Rule("quarter", rf"(?:{LB}(?i:the){SP})?{LB}(?P<q>(?i:{ORDINAL})){SP}quarter"
                    rf"(?:(?:{SP}of|,)?{SP}(?:(?i:fiscal){SP}(?:year{SP})?)?(?P<year>{YEAR}))?{RB}"
                    rf"|{LB}Q(?P<qn>[1-4])(?:{SP}|-)?(?P<year2>{YEAR})",
         needs={"quarter"}, resolve=v.resolve_quarter, precision="quarter",
         examples=[("Revenue rose in the third quarter of 2023.", "2023-Q3"),
                   ("Sales fell in the second quarter of fiscal 2024.", "2024-Q2")]),
    # "fiscal 2024", "FY2024", "fiscal year 2023-24", "fiscal 2024's second quarter"
    Rule("fiscal", rf"{LB}(?:(?i:fiscal)(?:{SP}year)?{SP}|FY(?:{SP})?)(?:(?P<year>{YEAR})|['’]?(?P<yy>\d\d)(?!\d))"
                   rf"(?:[-–/](?P<b>(?:1[6-9]|20)\d\d|\d\d)(?![\d%]))?"
                   rf"(?:['’]s{SP}(?P<q>(?i:{ORDINAL})){SP}quarter)?{RB}",
         needs={"fiscal"}, resolve=v.resolve_fiscal,
         examples=[("Profit rose in fiscal 2024, the company said.", "2024"), ("FY2023 sales fell.", "2023"),
                   ("Revenue for fiscal year 2023-24 was flat.", "2023/2024"),
                   ("Margins narrowed in fiscal 2024's second quarter.", "2024-Q2"), ("The FY24 budget passed.", "2024"),
                   ("The fiscal 2024 budget is $2 billion.", "2024")]),
    # "the quarter", "the latest quarter", "the year-earlier quarter", against publication; only
    # where the sentence speaks of results.
    Rule("the_quarter", rf"{LB}(?i:the){SP}(?:(?P<which>latest|most{SP}recent|recent|just-ended|reporting|same"
                        rf"|current|previous|prior|preceding|sequential|year-earlier|year-ago|year{SP}earlier){SP})?"
                        rf"quarter(?P<tail>{SP}(?:a{SP}year{SP}(?:earlier|ago|before)|last{SP}year))?{RB}(?![-–]|{SP}of{RB})",
         needs={"quarter"}, resolve=v.resolve_the_quarter, precision="quarter", context=QUARTER_CUES, alone=True,
         examples=[("Revenue rose 8% in the quarter.", "2023-Q3"), ("Profit doubled in the latest quarter.", "2023-Q3"),
                   ("Sales fell from $9 billion in the year-earlier quarter.", "2022-Q3"),
                   ("Earnings beat the same quarter last year.", "2022-Q3"),
                   ("The economy shrank in the previous quarter.", "2023-Q2"),
                   ("He scored 12 points in the quarter.", None), ("Revenue in the quarter of the city rose.", None),
                   ("Sales rose after the quarter-final.", None), ("Earnings were like the same quarter.", None)]),
    # "earlier"/"later" may be glued to the word before ("pactearlier this year").
    Rule("relative", rf"(?:(?P<adv>(?i:earlier|later|early|late))(?:{SP}in)?{SP}|{LB})"
                     rf"(?P<rel>(?i:{REL})){SP}(?P<unit>week|weekend|month|year|quarter|decade){RB}",
         needs={"relative"}, resolve=v.resolve_relative,
         precision=lambda g: g["unit"] if g["unit"] in ("week", "month", "year", "quarter", "decade") else "day",
         examples=[("The index gained 4% last week.", "2023-W43"), ("Exports dropped last month.", "2023-10"),
                   ("A vote is due next year.", "2024"), ("Prices rose sharply earlier this year.", "2023"),
                   ("They agreed a pactearlier this year and left.", "2023")]),
    # The weekend just past (or, in a sentence about the future, the next one).
    Rule("weekend", rf"{LB}(?i:(?:over|at|during|through|throughout){SP}the|this{SP}past){SP}weekend{RB}",
         needs={"weekend"}, resolve=v.resolve_weekend, precision="range",
         examples=[("Storms cut power over the weekend.", "2023-10-28/2023-10-29"),
                   ("Fans will gather over the weekend.", "2023-11-04/2023-11-05"),
                   ("Turnout was low this past weekend.", "2023-10-28/2023-10-29")]),
    Rule("past_week", rf"{LB}(?i:this){SP}past{SP}week{RB}", needs={"past_week"}, resolve=v.resolve_past_week,
         precision="week",
         examples=[("Stocks slid this past week.", "2023-W44"), ("This past week, rain fell daily.", "2023-W44")]),
    # "overnight" that says when: not an adjective ("overnight rates", "an overnight stay").
    Rule("overnight", rf"(?P<det>{LB}(?i:the|an?|its|their){SP})?{LB}(?i:overnight){RB}"
                      rf"(?=[^\w]|$)(?!{SP}(?!(?:{OVERNIGHT_FOLLOWERS}){RB})[a-z])",
         needs={"overnight"}, resolve=v.resolve_overnight, precision="range", alone=True,
         examples=[("Russia launched 40 drones overnight, Ukraine said.", "2023-11-01/2023-11-02"),
                   ("Overnight, rebels shelled the town.", "2023-11-01/2023-11-02"),
                   ("Snow will fall overnight.", "2023-11-02/2023-11-03"),
                   ("Banks raised overnight rates.", None), ("It was an overnight success.", None),
                   ("Guards worked the overnight shift.", None)]),
    # "the first half of 2024", "the first nine months of last year"
    Rule("half", rf"(?:{LB}(?i:the){SP})?{LB}(?:(?P<h>(?i:{HALF_ORDINAL})){SP}half"
                 rf"|(?i:first){SP}(?P<n>(?i:two|three|four|five|six|seven|eight|nine|ten|eleven)|[1-9]|1[01]){SP}months)"
                 rf"{SP}(?:of{SP})?(?:(?P<year>{YEAR})|(?P<rel>(?i:{REL})){SP}year{RB})",
         needs={"half"}, resolve=v.resolve_half, precision="range",
         examples=[("Growth slowed in the first half of 2024.", "2024-01/2024-06"),
                   ("Hiring picked up in the second half of last year.", "2022-07/2022-12"),
                   ("It sold 386,810 cars in the first three months of 2024.", "2024-01/2024-03")]),
    # "The summer was dry", "He spent the winter there": "the" and a season, then a verb or a stop.
    Rule("season_subject", rf"{LB}(?P<the>(?i:the)){SP}(?P<season>{BARE_SEASON})"
                           rf"(?=[,;.!?]|{SP}(?:{SUBJECT_VERBS}|had|months){RB})",
         needs={"season"}, resolve=v.resolve_season_subject, precision="season",
         examples=[("The summer was the driest on record.", "2023-06/2023-08"),
                   ("Farmers struggled through a drought, and the summer brought fires.", "2023-06/2023-08"),
                   ("The summer months were hot.", "2023-06/2023-08"), ("Kyiv froze over the winter.", "2022-12/2023-02"),
                   ("The fall was steep.", None), ("The summer heat killed many.", None)]),
    Rule("season", rf"{LB}(?:(?P<rel>(?i:{REL})){SP}|(?:(?P<the>(?i:the)){SP})?)(?P<season>{SEASON})"
                   rf"(?:(?:{SP}of)?{SP}(?P<year>{YEAR}))?{RB}",
         needs={"season"}, resolve=v.resolve_season, precision="season",
         examples=[("Troops advanced in the summer.", "2023-06/2023-08"),
                   ("During the winter, gas ran out.", "2022-12/2023-02"),
                   ("The fall of Kabul shocked many.", None), ("The summer heat killed many.", None)]),
    Rule("dayword", rf"{LB}(?P<word>(?i:yesterday|today|tonight|this morning|this afternoon|this evening"
                    rf"|last night|the day before yesterday)){RB}",
         needs={"dayword"}, resolve=v.resolve_dayword,
         examples=[("Flights were grounded yesterday.", "2023-11-01")]),
    # "the day after", "the next day", "a day earlier": a day from the date mentioned before it;
    # not "the day after the election" or "the day after he left", whose day is another's.
    Rule("day_after", rf"{LB}(?:(?i:the){SP}(?:day|night){SP}(?P<dir>after|before)"
                      rf"|(?i:the){SP}(?P<dir2>next|following|previous|preceding){SP}(?:day|morning|night)"
                      rf"|(?i:a){SP}day{SP}(?P<dir3>later|earlier)){RB}"
                      rf"(?!{SP}(?:(?:the|a|an|his|her|its|their|our|my|he|she|they|it|we|I|you|yesterday|tomorrow)\b|[A-Z0-9]))",
         needs={"day_after"}, resolve=v.resolve_day_after, anchored=True,
         examples=[("Troops entered on Monday and the city fell the day after.", "2023-10-31"),
                   ("Talks opened on Nov. 1 and ended the next day.", "2023-11-02"),
                   ("He was freed on Oct. 3; he had been charged a day earlier.", "2023-10-02"),
                   ("Prices fell the day after the election.", None), ("She resigned the next day.", None),
                   ("They met the day before Pence declared an emergency.", None)]),
    Rule("ago", rf"{LB}(?P<n>\d{{1,3}}|(?i:{NUMBER}))"
                rf"{SP}(?P<unit>day|week|month|year|decade)s?{SP}ago{RB}",
         needs={"ago"}, resolve=v.resolve_ago, precision=lambda g: g.get("unit") or "day",
         examples=[("The striker signed two days ago.", "2023-10-31")]),
    Rule("range", rf"{LB}(?P<prep>(?i:from|between)){SP}(?P<a>[^\n]{{3,30}}?)(?:{SP})?(?:to|and|until|till|through|-|–|—)"
                  rf"(?:{SP})?(?P<b>(?:{MON}(?:{SP}{DAY})?(?:,?{SP}{YEAR})?|{DAY}{SP}{MON}(?:{SP}{YEAR})?"
                  rf"|(?<![\d$£€.,])(?:1[6-9]|20)\d\d(?![\d%])))",
         needs={"range"}, resolve=resolve_range,
         examples=[("The festival runs from June to August.", "2023-06/2023-08"),
                   ("Growth averaged 2% between 2019 and 2021.", "2019/2021")]),
    # "between June 1 and 5", "from Nov. 21 to 23, 2024": days of one month.
    Rule("day_range", rf"{LB}(?P<prep>(?i:from|between)){SP}(?P<mon>{MON}){SP}(?P<day>{DAY}){SP}?"
                      rf"(?:to|and|until|till|through|-|–){SP}?(?P<day2>{DAY})(?!{SP}?{MON}|[-–/]\d)"
                      rf"(?:,?{SP}(?P<year>{YEAR}))?",
         needs={"range"}, resolve=v.resolve_month_day,
         examples=[("Strikes closed ports between June 1 and 5.", "2023-06-01/2023-06-05")]),
    # "May-June 2021", "January to March", "October through December 2023"
    # (A spaced dash may set off an aside, "in March – April's figures...": a year must follow.)
    Rule("month_range", rf"(?P<a>{MON})(?:[-–—](?P<b>{MON}(?:,?{SP}{YEAR})?)"
                        rf"|(?:{SP})?[-–—](?:{SP})?(?P<b3>{MON},?{SP}{YEAR})"
                        rf"|{SP}(?:to|through|until|till){SP}(?P<b2>{MON}(?:,?{SP}{YEAR})?))",
         needs={"month_range"}, resolve=resolve_month_range,
         examples=[("The survey covers January through March.", "2023-01/2023-03"),
                   ("Sales rose October to December 2022.", "2022-10/2022-12"),
                   ("Intel lost money in the July-September quarter.", "2023-07/2023-09")]),
]

BY_NAME = {rule.name: rule for rule in RULES}
PATTERNS: dict[str, re.Pattern] = {rule.name: rule.compiled for rule in RULES}
NEEDS = {rule.name: rule.needs for rule in RULES}
RUN_ORDER = {rule.name: n for n, rule in enumerate(RULES)}
