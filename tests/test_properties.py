"""Properties over arbitrary text (hypothesis): extraction never raises, every span lies in the
text and gives back its words, every date interval runs forwards, every place is on the globe."""
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.extract.pipeline import extract
from timeline.geocode.gazetteer import default_gazetteer
from timeline.model import Article

GAZETTEER = default_gazetteer()
WORDS = ["in", "on", "June", "May", "last", "week", "2024", "1990s", "since", "August", "Kyiv", "Kiev",
         "Paris", "the", "plant", "from", "to", "between", "and", "Friday", "November", "22", "Russia",
         "North", "Korea", "Korean", "region", "Oblast", "ago", "two", "days", ".", ",", "\n", "©", "“", "”",
         "-", "Q3", "quarter", "early", "yesterday", "Mr.", "U.S.", "Kursk", "February", "11"]
newsish = st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join)
anything = st.text(max_size=400)


def check(text: str, published) -> None:
    result = extract(Article("p.txt", text, None, None, None, published), GAZETTEER)
    for place in result.mentions:
        assert text[place.span[0]:place.span[1]] == place.text
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
    for event in result.events:
        s0, s1 = event.sentence_span
        assert 0 <= s0 <= s1 <= len(text) and text[s0:s1] == event.sentence
        d = event.date
        assert text[d.span[0]:d.span[1]] == d.text and s0 <= d.span[0] <= d.span[1] <= s1
        if d.start or d.end:
            assert d.start <= d.end
        for place in event.places + ((event.location,) if event.location else ()):
            assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
            if not place.inferred:
                assert text[place.span[0]:place.span[1]] == place.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(newsish, st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))))
def test_news_like_text(text, published):
    check(text, published)


@settings(max_examples=300, deadline=None)
@given(anything, st.one_of(st.none(), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))))
def test_any_text_and_any_publication_date(text, published):
    check(text, published)
