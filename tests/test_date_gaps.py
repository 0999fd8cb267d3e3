"""The dates news writes that the first rules missed ("the day after", "overnight", "the
quarter", "2023 was", "the summer was", "11/22/2024", "the 2016 election"), in sentences of
several kinds of story, and the readings around them."""
import datetime as dt

import pytest

from timeline.extract.dates import find_all_dates, find_dates
from timeline.extract.sentences import split_sentences

PUB = dt.date(2023, 11, 2)  # a Thursday


def dates(text, published=PUB):
    return [(d.text, d.value) for ds in find_all_dates(text, split_sentences(text), published) for d in ds]


@pytest.mark.parametrize("text, expected", [
    # weather
    ("The summer was the wettest since 1912.", [("The summer", "2023-06/2023-08"), ("since 1912", "1912/2023-11-02")]),
    ("Snow fell on December 14 and 15, 2022, closing roads.", [("on December 14 and 15, 2022", "2022-12-14/2022-12-15")]),
    ("Temperatures dropped overnight.", [("overnight", "2023-11-01/2023-11-02")]),
    # elections
    ("Turnout in the 2019 election was low.", [("2019", "2019")]),
    ("Ballots dated 11/07/2023 were counted.", []),  # 7 November or 11 July: left unread
    ("Ballots dated 11/22/2023 were counted.", [("11/22/2023", "2023-11-22")]),
    # business and earnings
    ("Revenue rose 12% in the quarter, beating analysts' estimates.", [("in the quarter", "2023-Q3")]),
    ("Net income fell to $2 billion from $3 billion in the year-ago quarter.", [("in the year-ago quarter", "2022-Q3")]),
    ("Revenue in the quarter ended Sept. 30 rose 8%.", [("Sept. 30", "2023-09-30")]),  # the quarter gives way
    ("Apple expects sales to grow in fiscal 2024.", [("in fiscal 2024", "2024")]),
    # sport
    ("Jones scored 14 points in the quarter.", []),
    ("They advanced to the quarter-finals in 2021.", [("in 2021", "2021")]),
    ("Brazil won the 2002 World Cup.", [("2002", "2002")]),
    # war
    ("Overnight on Sunday, drones struck Kyiv.", [("on Sunday", "2023-10-29")]),  # overnight gives way
    ("Troops crossed the river on Oct. 3. The next day, they took the town.",
     [("on Oct. 3", "2023-10-03"), ("The next day", "2023-10-04")]),
    ("The city fell the day after the invasion began.", []),
    # local
    ("2022 was a record year for the food bank, its director said.", [("2022", "2022")]),
    ("This past week, the council approved the budget.", [("This past week", "2023-W44")]),
    ("The council heard 2000 were without power.", []),
    ("The Riverside 2019 model homes sold out.", []),
])
def test_gaps_in_news_of_every_kind(text, expected):
    assert dates(text) == expected


def test_the_summer_before_it_comes_is_last_year_s():
    assert dates("The summer was dry.", dt.date(2024, 3, 1)) == [("The summer", "2023-06/2023-08")]


def test_this_past_week_in_a_monday_story_is_the_week_just_ended():
    monday = dt.date(2023, 11, 6)
    assert dates("Stocks slid this past week.", monday) == [("this past week", "2023-W44")]


def test_the_day_after_with_no_day_before_it_is_no_date():
    assert dates("She resigned the day after.") == []


def test_the_quarter_without_a_publication_date_stays_unresolved():
    [found] = find_dates("Revenue rose in the quarter.", (0, 28), None)
    assert found.value is None and found.precision == "quarter"
