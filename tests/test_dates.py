"""Date rules on sentences from other stories: weather, elections, sport, business."""
import datetime as dt

import pytest

from timeline.extract.dates import dateline_date, find_dates, parse_full_date

PUB = dt.date(2023, 11, 2)  # a Thursday


def dates(sentence, published=PUB):
    return [(d.text, d.value) for d in find_dates(sentence, (0, len(sentence)), published)]


@pytest.mark.parametrize("sentence, expected", [
    ("Rationing lasted during 1939-45.", [("during 1939-45", "1939/1945")]),
    ("In 2021 - 30 people died.", [("In 2021", "2021")]),
    ("The club won the cup in 2019, 2021 and 2023.", [("in 2019", "2019"), ("2021", "2021"), ("2023", "2023")]),
    ("Exports fell in June 2022 and 2023.", [("in June 2022", "2022-06"), ("2023", "2023")]),
    ("Forecasters expect drier weather from Tuesday.", [("from Tuesday", "2023-11-07")]),
    ("As expected, prices fell on Tuesday.", [("on Tuesday", "2023-10-31")]),
    ("Lawyers have until Dec. 2 to file.", [("until Dec. 2", "2023-12-02")]),
    ("The bridge had been rebuilt by Friday, officials said.", [("by Friday", "2023-10-27")]),
    ("Firms must pay by Friday.", [("by Friday", "2023-11-03")]),
    ("The report is due by Friday.", [("by Friday", "2023-11-03")]),
    ("Forecasters said rain would fall on Thursday.", [("on Thursday", "2023-11-02")]),  # PUB's own day
    ("Protests were peaceful until Thursday.", [("until Thursday", "2023-11-02")]),
    ("At the end of October, talks stalled.", [("the end of October", "2023-10")]),
    ("The vote on Nov. 28 was delayed.", [("on Nov. 28", "2023-11-28")]),  # within SOON: the coming one
    ("Prosecutors said on Tuesday they would oppose it.", [("on Tuesday", "2023-10-31")]),
    ("LONDON, Nov 2 (Reuters) - Storms cut power on Thursday.", [("on Thursday", "2023-11-02")]),
    ("Talks would resume on Monday, officials said.", [("on Monday", "2023-11-06")]),
    ("The president is to visit Kyiv on Friday.", [("on Friday", "2023-11-03")]),
    ("Rain would persist through the weekend.", [("through the weekend", "2023-11-04/2023-11-05")]),
    ("Sales slumped in late March.", [("in late March", "2023-03")]),
    ("The mayor said this week that the plan stands.", [("this week", "2023-W44")]),
    ("Profits doubled last year.", [("last year", "2022")]),
    ("Rents have climbed since August 2021.", [("since August 2021", "2021-08/2023-11-02")]),
    ("The derby will be played on Saturday.", [("on Saturday", "2023-11-04")]),
    ("The summit, which will open on January 9, is sold out.", [("on January 9", "2024-01-09")]),
    ("Touring the plantin August 2023, he smiled.", [("August 2023", "2023-08")]),
])
def test_finds_and_normalises(sentence, expected):
    assert dates(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "The “February 11” plant makes missiles.",
    "Drive Route 66 for the views.",
    "May I ask a question?",
    "Now, the rain has stopped.",
    "A second building was found.",
    "Support rose to 60% from 45%.",
    "The meeting starts at 10:30 a.m.",
    "He has lived there for 4 years.",
    "© 2024 Cable News Network. All Rights Reserved.",
    "Counts rose to 1999, 2000 troops then 2500.",
    "The 2019-2021 plant was closed.",
])
def test_traps_give_no_date(sentence):
    assert dates(sentence) == []


def test_a_dateline_is_the_publication_date_not_an_event():
    line = "Tuesday 26 November 2024 02:38 EST"
    assert dates(line) == []
    assert dateline_date(line) == dt.date(2024, 11, 26)
    assert dateline_date("Published: Nov. 26, 2024, 3:10 p.m. ET") == dt.date(2024, 11, 26)
    assert dateline_date("The flood came on 26 November 2024 after rain") is None


def test_relative_dates_without_a_publication_date_stay_unresolved():
    [found] = find_dates("Prices rose last week.", (0, 22), None)
    assert found.value is None and found.start is None and found.precision == "week"
    [absolute] = find_dates("Prices rose in March 2020.", (0, 26), None)
    assert absolute.value == "2020-03"


def test_intervals_follow_the_precision():
    [month] = find_dates("in June", (0, 7), PUB)
    assert (month.start, month.end, month.precision) == (dt.date(2023, 6, 1), dt.date(2023, 6, 30), "month")
    [week] = find_dates("last week", (0, 9), PUB)
    assert (week.start, week.end) == (dt.date(2023, 10, 23), dt.date(2023, 10, 29))


def test_spans_point_into_the_text():
    text = "Intro.\nThe vote took place on May 5, 2021 in the capital."
    [found] = find_dates(text, (7, len(text)), PUB)
    assert text[found.span[0]:found.span[1]] == found.text == "on May 5, 2021"


def test_parse_full_date_rejects_impossible_days():
    assert parse_full_date("30 February 2024") is None
    assert parse_full_date("Nov. 26, 2024") == dt.date(2024, 11, 26)


def test_a_page_dense_with_dates_finds_what_each_clause_finds_alone():
    """Past a few date words a sentence is scanned whole, not around each word: both ways must
    find the same dates, whatever the words around a month or a year are."""
    clauses = ["the vote in 2019-2021 failed", "prices rose by 5 May 2021", "talks on May 5 stalled",
               "sales fell in May-June 2022", "the 1990s boom ended", "the 2020-05-04 filing",
               "rain in early March", "the 5th of June, 2020 memo", "profits of mid-2023 grew",
               "the 1980's crash hurt", "in October of this year it rose", "during 2018 it fell"]
    alone = [dates(c) for c in clauses]
    assert all(alone)
    page = ", and ".join(clauses * 3)  # one sentence, many date words: the whole-sentence scan
    found = [(d.text, d.value) for d in find_dates(page, (0, len(page)), PUB)]
    assert found == [d for _ in range(3) for ds in alone for d in ds]


def test_letters_that_lower_to_two_characters_do_not_shift_later_dates():
    """"İ" lowers to two characters: trigger words found in lower case must still point at
    the text as written, however many such letters come before them."""
    sentence = "İZMİR, İSTANBUL, DİYARBAKIR " * 8 + "were flooded last week."
    assert dates(sentence) == [("last week", "2023-W43")]


def test_a_day_without_a_year_soon_after_publication_is_the_coming_one_within_the_year():
    late_november = dt.date(2024, 11, 20)
    assert dates("Lawyers have until Dec. 2 to file.", late_november) == [("until Dec. 2", "2024-12-02")]
    # Next January is another year, which news would have written: this January is meant.
    assert dates("The law took effect on Jan 1.", late_november) == [("on Jan 1", "2024-01-01")]


def test_a_month_of_a_relative_year_without_a_publication_date_is_a_month():
    [found] = find_dates("Inflation peaked in June of this year.", (0, 38), None)
    assert found.value is None and found.precision == "month"
