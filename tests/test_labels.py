"""The headline-style event labels (timeline.extract.labels.make_label)."""
import re
import time

import pytest
from hypothesis import given, settings, strategies as st

from timeline.extract import label_words
from timeline.extract.labels import make_label


def label(sentence, date_words, *others):
    if isinstance(date_words, tuple):   # (this event's date words, the sentence's other ones)
        date_words, others = date_words[0], date_words[1:] + others
    i = sentence.index(date_words)
    spans = tuple((sentence.index(o), sentence.index(o) + len(o)) for o in others)
    return make_label(sentence, (i, i + len(date_words)), spans)


EXACT = [
    # from the issue
    ("North Korea and Russia signed a mutual defence treaty in June, officials said.", "in June",
     "North Korea and Russia sign mutual defence treaty"),
    ("Ukrainian drones hit an arms depot in Toropets overnight on Wednesday, according to a source "
     "in Ukraine's security service.", "on Wednesday", "Ukrainian drones hit arms depot in Toropets"),
    ("Hurricane Milton made landfall near Siesta Key, Florida, on Wednesday night as a Category 3 "
     "storm, the National Hurricane Center said.", "on Wednesday night",
     "Hurricane Milton makes landfall near Siesta Key, Florida"),
    ("Police detained Pavel Durov, the founder of Telegram, at Le Bourget airport on Saturday.",
     "on Saturday", "Police detain Pavel Durov at Le Bourget airport"),
    ("Lair said researchers have seen a lot of expansion at the facility in the last few years alone.",
     "in the last few years", "Researchers see expansion at facility"),
    ("The size of the plant started to increase in 2020, and it has since undergone routine "
     "improvements like repairing old buildings and replacing roofs, he said.", "in 2020",
     "Size of plant starts to increase"),
    ("Labour won a landslide victory in the general election on July 4, ending 14 years of "
     "Conservative rule.", "on July 4", "Labour wins landslide victory in general election"),
    ("In 2019, a fire destroyed the town's historic library.", "In 2019",
     "Fire destroys town's historic library"),
    # war
    ("Israeli forces killed at least 12 people in an airstrike on a school in Gaza on Thursday, "
     "the Palestinian health ministry said.", "on Thursday",
     "Israeli forces kill at least 12 people in airstrike on school in Gaza"),
    ("Russia launched 90 missiles and 100 drones at Ukraine's energy grid overnight, Ukraine's air "
     "force said on Sunday.", "on Sunday",
     "Russia launches 90 missiles and 100 drones at Ukraine's energy grid"),
    ("Two soldiers were killed and five wounded in a roadside bombing in northern Mali on Tuesday.",
     "on Tuesday", "Two soldiers killed and five wounded in roadside bombing"),
    ("The Houthis claimed responsibility for an attack on a cargo ship in the Red Sea on Monday.",
     "on Monday", "Houthis claim responsibility for attack on cargo ship in Red Sea"),
    ("Meanwhile, Hezbollah fired dozens of rockets into northern Israel on Friday.", "on Friday",
     "Hezbollah fires dozens of rockets into northern Israel"),
    ("The U.S.-backed forces reportedly captured the town in 2017.", "in 2017",
     "U.S.-backed forces capture town"),
    ("Kim Jong Un oversaw the test of what appears to be a new hypersonic missile (Hwasong-16B) on "
     "Tuesday, state media reported.", "on Tuesday", "Kim Jong Un oversees test of new hypersonic missile"),
    ("Hamas and Fatah signed a unity agreement in Beijing in July, Chinese state media said.", "in July",
     "Hamas and Fatah sign unity agreement in Beijing"),
    # weather and disasters
    ("A 6.1-magnitude earthquake struck off the coast of Taiwan early on Saturday, the island's "
     "weather bureau said.", "on Saturday", "6.1-magnitude earthquake strikes off coast of Taiwan"),
    ("Heavy rain caused flash flooding across Valencia on Oct. 29, killing more than 200 people.",
     "on Oct. 29", "Heavy rain causes flash flooding across Valencia"),
    ("Storm Ciarán has left 1.2 million homes without power since Thursday.", "since Thursday",
     "Storm Ciarán leaves 1.2 million homes without power"),
    ("Temperatures reached 48.8C in Sicily in August 2021, a European record.", "in August 2021",
     "Temperatures reach 48.8C in Sicily"),
    ("Wildfires have burned more than 40,000 acres in Los Angeles County since Jan. 7, officials said.",
     "since Jan. 7", "Wildfires burn more than 40,000 acres in Los Angeles County"),
    ("The storm is expected to make landfall on Thursday.", "on Thursday", "Storm expected to make landfall"),
    ("Residents of the village were evacuated on Monday as the river burst its banks.", "on Monday",
     "Residents of village evacuated as river burst its banks"),
    ("The ministry said in a statement on Monday that 14 people had died in the floods.", "on Monday",
     "14 people die in floods"),
    # elections and politics
    ("Voters in Taiwan elected Lai Ching-te as president on January 13.", "on January 13",
     "Voters in Taiwan elect Lai Ching-te as president"),
    ("Donald Trump won the Iowa caucuses on Monday, beating Ron DeSantis by about 30 points.",
     "on Monday", "Donald Trump wins Iowa caucuses"),
    ("The European Parliament will hold elections from June 6 to June 9.", ("from June 6", "to June 9"),
     "European Parliament to hold elections"),
    ("But the opposition, which boycotted the vote in 2020, said it would take part this time.",
     "in 2020", "Opposition boycotts vote"),
    ("On Saturday (Jan. 13), Taiwan's voters chose Lai Ching-te.", "On Saturday",
     "Taiwan's voters choose Lai Ching-te"),
    # business
    ("Nvidia said on Wednesday that revenue rose 122% to $30 billion in the quarter that ended in July.",
     ("on Wednesday", "in the quarter that ended in July"), "Nvidia revenue rises 122% to $30 billion"),
    ("Apple said on Thursday that its sales fell 4% in the December quarter.", "on Thursday",
     "Apple sales fall 4% in December quarter"),
    ("Boeing has agreed to plead guilty to a criminal fraud charge, the Justice Department said on "
     "Sunday.", "on Sunday", "Boeing agrees to plead guilty to criminal fraud charge"),
    ("Shares of Tesla jumped 12% on Tuesday after the company reported record deliveries.", "on Tuesday",
     "Shares of Tesla jump 12% after company reported record deliveries"),
    ("The Federal Reserve cut interest rates by half a percentage point on Sept. 18, its first cut "
     "since 2020.", "on Sept. 18", "Federal Reserve cuts interest rates by half percentage point"),
    ("Now, the company plans to open 50 new stores by 2026.", "by 2026", "Company plans to open 50 new stores"),
    ("Mr. Smith told reporters on Monday that the company had hired 200 new workers.", "on Monday",
     "Company hires 200 new workers"),
    ("In 2023, the company's revenue increased by 15 percent, and it hired 3,000 people.", "In 2023",
     "Company's revenue increases by 15 percent"),
    # sport
    ("Manchester City beat Real Madrid 4-0 in the Champions League semi-final on May 17.", "on May 17",
     "Manchester City beats Real Madrid 4-0 in Champions League semi-final"),
    ("Spain beat England 2-1 in the Euro 2024 final in Berlin on July 14, according to UEFA.",
     "on July 14", "Spain beats England 2-1 in Euro 2024 final in Berlin"),
    # courts
    ("The former mayor was sentenced to 10 years in prison on Wednesday for taking bribes.",
     "on Wednesday", "Former mayor sentenced to 10 years in prison for taking bribes"),
    ("A federal judge blocked the law on Friday, ruling that it violated the First Amendment.",
     "on Friday", "Federal judge blocks law"),
    ("Jurors found Smith, who had pleaded not guilty, guilty on all counts in March.", "in March",
     "Jurors find Smith guilty on all counts"),
    ("The Supreme Court ruled on July 1 that former presidents have broad immunity from prosecution.",
     "on July 1", "Supreme Court rules that former presidents have broad immunity"),
    ("The suspect was arrested at his home in Leeds on Friday and charged with murder.", "on Friday",
     "Suspect arrested at his home in Leeds and charged with murder"),
    ("Police said a man had stabbed three people outside a mosque in the city on Friday evening, "
     "and that he was detained at the scene.", "on Friday evening", "Man stabs three people outside mosque in city"),
    # local news
    ("The city council approved a new budget for the library on Tuesday night.", "on Tuesday night",
     "City council approves new budget for library"),
    ("Firefighters rescued three people from a burning house on Elm Street late on Sunday, the fire "
     "department said.", "on Sunday", "Firefighters rescue three people from burning house on Elm Street"),
    ("Also, the school board voted 5-2 in January to close two elementary schools.", "in January",
     "School board votes 5-2 to close two elementary schools"),
    ("Officials said the bridge, which opened in 1932, will close for repairs in May.", "in May",
     "Bridge to close for repairs"),
    ("The bridge, which opened in 1932, will close for repairs in May.", "in 1932", "Bridge opens"),
    ("Volunteers planted 500 trees along the river in April, the parks department said.", "in April",
     "Volunteers plant 500 trees along river"),
    ("The local hospital has opened a new maternity ward since March.", "since March",
     "Local hospital opens new maternity ward"),
]


@pytest.mark.parametrize("sentence,date_words,expected", EXACT)
def test_exact_labels(sentence, date_words, expected):
    assert label(sentence, date_words) == expected


LOOSE = [
    # (sentence, date words, other date words, words the label must hold)
    ("Protesters clashed with police in Nairobi on June 25 — the day parliament passed the finance "
     "bill — and several people were shot.", "on June 25", (), ["Protesters", "clash", "police"]),
    ("The European Parliament will hold elections from June 6 to June 9.", "to June 9", ("from June 6",),
     ["European Parliament", "elections"]),
    ("Novak Djokovic won his first Olympic gold medal in Paris on Aug. 4, defeating Carlos Alcaraz.",
     "on Aug. 4", (), ["Djokovic", "wins", "gold medal"]),
    ("Snow is forecast to blanket much of the Midwest on Friday, the National Weather Service warned "
     "in an advisory issued on Wednesday that could affect holiday travel plans for millions.",
     "on Friday", ("on Wednesday",), ["Snow", "Midwest"]),
    ("According to the electoral commission, turnout reached 67 percent in the runoff on Sunday.",
     "on Sunday", (), ["Turnout", "reaches", "67 percent"]),
    ("Striker Harry Kane, who joined Bayern Munich in 2023, scored twice on Saturday as the Bavarians "
     "beat Dortmund.", "on Saturday", ("in 2023",), ["Harry Kane", "scores"]),
    ("The company, which employs 4,000 people in Ohio, announced on Monday that it would cut 500 jobs "
     "by the end of the year as part of a restructuring plan aimed at reducing costs.", "on Monday",
     ("by the end of the year",), ["500 jobs"]),
    ("A man was charged with arson on Thursday after a blaze gutted a warehouse in the city's "
     "industrial district, police told local media.", "on Thursday", (), ["charged with arson"]),
    ("Separately, the central bank raised its benchmark rate to 5.25% on Wednesday; analysts had "
     "expected a smaller move.", "on Wednesday", (), ["Central bank raises", "5.25%"]),
    ("The governor declared a state of emergency on Aug. 1 (a Thursday) after days of wildfires "
     "destroyed hundreds of homes across the northern part of the state.", "on Aug. 1", (),
     ["Governor declares state of emergency"]),
]

ATTRIBUTION = re.compile(r"\b(said|says|according|told)\b", re.I)
DATE_WORD = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|June|"
                       r"July|Aug|2023|overnight)\b")


@pytest.mark.parametrize("sentence,date_words,others,needed", LOOSE)
def test_loose_labels(sentence, date_words, others, needed):
    out = label(sentence, date_words, *others)
    for word in needed:
        assert word in out, out
    assert not ATTRIBUTION.search(out), out
    assert not DATE_WORD.search(out), out
    assert 0 < len(out) <= 70 and out[0].isupper() and out[-1] not in ".,;:", out


@pytest.mark.parametrize("sentence,date_words,expected", EXACT)
def test_properties_of_every_label(sentence, date_words, expected):
    out = label(sentence, date_words)
    assert len(out) <= 70 and not out[0].islower() and out[-1] not in ".,;:"
    assert not ATTRIBUTION.search(out)
    assert not re.search(r"\b(and|of|the)$", out)


def test_long_clause_is_cut_before_a_phrase_never_mid_word():
    s = ("Engineers completed the replacement of the main water pipe beneath the high street between "
         "the station and the market square on Tuesday.")
    out = label(s, "on Tuesday")
    assert len(out) <= 71 and out.startswith("Engineers complete replacement of main water pipe")
    assert all(w in s.replace("completed", "complete") for w in out.rstrip("…").split())


@pytest.mark.parametrize("sentence,span", [
    ("", (0, 0)), ("   ", (0, 2)), ("On Monday.", (0, 9)), ("(2020)", (1, 5)), ("said said said", (0, 4)),
    ("x" * 500, (10, 20)), ("Police said.", (50, 10)), ("— ; : , , —", (0, 1)),
])
def test_odd_inputs_still_give_a_label(sentence, span):
    out = make_label(sentence, span)
    assert isinstance(out, str) and 0 < len(out) <= 80


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.data())
def test_never_raises_never_empty(text, data):
    n = len(text)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n))
    others = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=3))
    out = make_label(text, (a, b), tuple(others))
    assert isinstance(out, str) and 0 < len(out) <= 80


def test_word_lists_refuse_to_be_empty():
    with pytest.raises(ValueError):
        label_words.alternation([])
    assert label_words.alternation(["a", "a b"]) == "a\\ b|a"
    with pytest.raises(ValueError):
        label_words.index([])


def test_verb_table_is_large_enough_and_regular_rule_holds():
    assert len(label_words.verb_table()) >= 120
    cases = {"signed": "signs", "deployed": "deploys", "expanded": "expands", "killed": "kills",
             "announced": "announces", "decided": "decides", "planned": "plans", "carried": "carries",
             "evacuated": "evacuates", "hit": "hits", "won": "wins", "rose": "rises", "took": "takes"}
    for past, third in cases.items():
        assert label_words.present(past, plural=False) == third


def test_cheap_enough():
    s, d = EXACT[0][0], EXACT[0][1]
    span = (s.index(d), s.index(d) + len(d))
    make_label(s, span)
    t0 = time.perf_counter()
    for _ in range(2000):
        make_label(s, span)
    per_call = (time.perf_counter() - t0) / 2000
    assert per_call < 500e-6   # typically well under 100 µs; loose bound for slow CI machines


# The failure patterns seen on a news corpus: (sentence, date words (, other date words), label).
PATTERNS = [
    # 1. a date inside a relative clause or an embedded clause with its own subject and verb
    ("The death toll from the earthquake that struck Morocco's High Atlas mountains last Friday has "
     "risen to nearly 3,000, Moroccan authorities said on Wednesday.", ("on Wednesday", "last Friday"),
     "Death toll from earthquake rises to nearly 3,000"),
    ("The death toll from the earthquake that struck Morocco's High Atlas mountains last Friday has "
     "risen to nearly 3,000, Moroccan authorities said on Wednesday.", ("last Friday", "on Wednesday"),
     "Earthquake strikes Morocco's High Atlas mountains"),
    ("The Santa Clara, California-based company said revenue for its fiscal second quarter, which ended "
     "on July 28, reached $30.0 billion, up 122% from a year earlier.", ("on July 28", "second quarter"),
     "Company revenue reaches $30.0 billion"),
    ("The Santa Clara, California-based company said revenue for its fiscal second quarter, which ended "
     "on July 28, reached $30.0 billion, up 122% from a year earlier.", ("second quarter", "on July 28"),
     "Company revenue reaches $30.0 billion"),
    ("The quake, which hit late on September 8, was measured at magnitude 6.8 by the US Geological "
     "Survey.", "on September 8", "Quake measured at magnitude 6.8 by US Geological Survey"),
    ("Water from the Poyo ravine, which runs through Paiporta and is normally dry, burst its banks on the "
     "evening of October 29, sweeping cars along the streets.", "October 29",
     "Water from Poyo ravine bursts its banks"),
    ("The attack came six weeks after Ukrainian troops launched a cross-border incursion into Russia's "
     "Kursk region on August 6, the largest attack on Russian soil since World War Two.", "on August 6",
     "Ukrainian troops launch cross-border incursion"),
    ("Milton arrived less than two weeks after Hurricane Helene, which made landfall in Florida's Big "
     "Bend region on September 26 and went on to cause deadly flooding.", "on September 26",
     "Hurricane Helene makes landfall in Florida's Big Bend region"),
    ("The result returns Labour to power for the first time since Gordon Brown left office in 2010.",
     "in 2010", "Gordon Brown leaves office"),
    ("The ferry, which sank on March 3, was raised from the harbour floor by a floating crane.",
     "on March 3", "Ferry raised from harbour floor by floating crane"),
    # 2. appositives and participial asides of the subject
    ("Labour, led by Keir Starmer, won more than 400 seats in Thursday's vote, one of the largest "
     "majorities since the Second World War.", "Thursday", "Labour wins more than 400 seats in vote"),
    ("Nvidia, based in Santa Clara, California, said late on Wednesday that it had generated $30 billion "
     "in revenue in the three months through July 28, more than double a year earlier.",
     ("on Wednesday", "through July 28"), "Nvidia generates $30 billion in revenue"),
    ("Starmer, 61, a former chief prosecutor who became Labour leader in 2020, was formally asked to form "
     "a government by King Charles III at Buckingham Palace on Friday.", ("in 2020", "on Friday"),
     "Starmer becomes Labour leader"),
    ("Starmer, 61, a former chief prosecutor who became Labour leader in 2020, was formally asked to form "
     "a government by King Charles III at Buckingham Palace on Friday.", ("on Friday", "in 2020"),
     "Starmer asked to form government by King Charles III"),
    ("Durov, born in St Petersburg in 1984, founded Telegram with his brother Nikolai in 2013 after "
     "launching VKontakte.", ("in 2013", "in 1984"), "Durov founds Telegram with his brother Nikolai"),
    ("Durov, born in St Petersburg in 1984, founded Telegram with his brother Nikolai in 2013 after "
     "launching VKontakte.", ("in 1984", "in 2013"), "Durov born in St Petersburg"),
    ("Oxfam, founded in Oxford in 1942, opened its first shop in 1948.", ("in 1948", "in 1942"),
     "Oxfam opens its first shop"),
    # 3. a possessive date gives its noun back its preposition
    ("This week's floods, by contrast, struck mainly the towns south of the city.", "This week",
     "Floods strike mainly towns south of city"),
    ("The mayor spoke at Monday's ceremony in the town square.", "Monday",
     "Mayor speaks at ceremony in town square"),
    # 4. only the main verb is rewritten
    ("The number of people killed by floods in eastern Spain rose above 200 on Friday.", "on Friday",
     "Number of people killed by floods in eastern Spain rises above 200"),
    ("Sunak conceded defeat in the early hours of Friday after holding his own seat in North Yorkshire.",
     "Friday", "Sunak concedes defeat in early hours after holding his own seat"),
    ("Homes damaged by the storm rose to 4,000 on Sunday.", "on Sunday",
     "Homes damaged by storm rise to 4,000"),
    # 5. no dangling words after a cut
    ("Milton made landfall near Siesta Key in Sarasota County late on Wednesday, October 9, as a Category "
     "3 storm, then crossed the peninsula overnight and moved out into the Atlantic on Thursday.",
     ("on Thursday", "on Wednesday, October 9"), "Milton crosses peninsula and moves out into Atlantic"),
    ("The magnitude 6.8 quake struck shortly after 11 p.m. local time on Friday, September 8, with its "
     "epicentre in Al Haouz province, about 70 kilometres south of Marrakech.", "on Friday, September 8",
     "Magnitude 6.8 quake strikes shortly after 11 p.m."),
    ("Nvidia said on Wednesday that its revenue more than doubled in the quarter that ended in late July, "
     "driven by relentless demand for its artificial intelligence chips.", ("in late July", "on Wednesday"),
     "Nvidia revenue more than doubles in quarter"),
    ("Search teams went door to door in coastal Florida on Friday as the death toll from Hurricane Milton "
     "climbed and millions of people were still without power.", "on Friday",
     "Search teams go door to door in coastal Florida"),
    ("Crews restored power to most of the northern suburbs of the city on Monday as the number of homes "
     "without electricity fell.", "on Monday", "Crews restore power to most of northern suburbs of city"),
    # 6. and 7. the saying is the event when the date belongs to it and what was said is a stance
    ("In a statement on Sunday, Telegram said it complied with European Union law and that its "
     "moderation met industry standards.", "on Sunday", "Telegram says it complied with European Union law"),
    ("French President Emmanuel Macron said on Monday that the arrest of Telegram founder Pavel Durov was "
     "part of an independent judicial investigation and not a political decision.", "on Monday",
     "Macron says Durov arrest part of independent judicial investigation"),
    ("President Joe Biden, speaking at the White House on Thursday, said the federal government would "
     "support Florida for as long as needed and warned that the recovery would be long.", "on Thursday",
     "Biden says federal government will support Florida"),
    ("Prime Minister Keir Starmer said on Tuesday that the country would recognise a Palestinian state.",
     "on Tuesday", "Starmer says country will recognise Palestinian state"),
    ("Officials said on Monday that the plant started to increase production in 2020.",
     ("in 2020", "on Monday"),
     "Plant starts to increase production"),
]


@pytest.mark.parametrize("sentence,date_words,expected", PATTERNS)
def test_failure_patterns(sentence, date_words, expected):
    assert label(sentence, date_words) == expected


@pytest.mark.parametrize("sentence,date_words,expected", PATTERNS)
def test_pattern_labels_have_no_dangling_end_or_aside(sentence, date_words, expected):
    out = label(sentence, date_words)
    assert len(out) <= 70 and out[0].isupper()
    assert not re.search(r"\b(and|or|as|that|which|with|driven|the|of)$|,$", out), out
    assert not re.search(r"\b(leads by|bases in|borns|Speaks at White)\b", out), out   # no aside made a verb
    assert "In statement" not in out and "by contrast" not in out


def test_cost_per_call_of_harder_sentences():
    cases = [(s, d) for s, d, _ in PATTERNS]
    for s, d in cases:
        label(s, d)
    t0 = time.perf_counter()
    for _ in range(20):
        for s, d in cases:
            label(s, d)
    assert (time.perf_counter() - t0) / (20 * len(cases)) < 1000e-6
