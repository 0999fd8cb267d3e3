import datetime as dt

import pytest

from timeline.ingest import ingest
from timeline.query import UNKNOWN_OUTLET, Filters, fts_query, open_store


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    from conftest import SEEDS

    db = tmp_path_factory.mktemp("q") / "t.db"
    ingest([SEEDS], db)
    with open_store(db) as s:
        yield s


def test_filters_by_outlet_dates_place_text_and_outlet_count(seeds):
    everything = seeds.events()
    assert len(seeds.events(outlets=["Newsweek"])) == sum(e.outlet == "Newsweek" for e in everything)
    assert all(e.outlet is None for e in seeds.events(outlets=[UNKNOWN_OUTLET]))
    june = seeds.events(since="2024-06-01", until="2024-06-30")
    assert june and all(e.start <= "2024-06-30" and e.end >= "2024-06-01" for e in june)
    kursk = seeds.events(places=["Kursk"])
    assert kursk and all(e.place_name == "Kursk" or any("Kursk" in p[0] for p in e.named_places) for e in kursk)
    assert all("satellite" in e.sentence.lower() for e in seeds.events(query="satellite"))
    assert all(e.story_outlets >= 3 for e in seeds.events(min_outlets=3))


def test_text_query_syntax_is_inert():
    assert fts_query('pact" OR * NEAR(') == ('(("pact"*) OR ("NEAR"*))', "")  # FTS syntax stays inert
    assert fts_query("  ") == ("", "")


def test_describe_filters_in_words():
    f = Filters.of(outlets=["CNN"], since=dt.date(2024, 6, 1), query="pact", min_outlets=2)
    assert f.describe() == "outlets: CNN; dates: 2024-06-01 to …; text: “pact”; told by ≥ 2 outlets"
    assert Filters().describe() == "all events"


def test_dataframe_needs_pandas_only_when_used(seeds):
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            seeds.dataframe()
    else:
        assert len(seeds.dataframe()) == len(seeds.events())


def test_search_takes_or_quoted_phrases_and_exclusions(seeds):
    assert fts_query('treaty OR pact "satellite images" -Newsweek') == (
        '(("treaty"*) OR ("pact"*)) AND ("satellite images")', '("Newsweek"*)')
    either = seeds.events(query="treaty OR pact")
    assert either and all("treaty" in e.sentence.lower() or "pact" in e.sentence.lower() for e in either)
    assert len(either) > len(seeds.events(query="treaty"))
    phrase = seeds.events(query='"satellite images"')
    assert phrase and all("satellite images" in e.sentence.lower() for e in phrase)
    without = seeds.events(query="satellite -Planet")
    assert without and all("planet" not in e.sentence.lower() for e in without)
    assert len(seeds.events(query="-satellite")) == len(seeds.events()) - len(seeds.events(query="satellite"))


def test_outlet_and_place_filters_ignore_case(seeds):
    assert seeds.events(outlets=["cnn"]) == seeds.events(outlets=["CNN"]) != []
    assert seeds.events(places=["kursk"]) == seeds.events(places=["Kursk"]) != []
