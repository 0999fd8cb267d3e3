"""One article in, its events and place mentions out: the steps in order, each a plain function."""
from __future__ import annotations

from ..geocode.gazetteer import Gazetteer, default_gazetteer
from ..geocode.home import home_country
from ..model import Article, Extraction
from .dates import find_all_dates
from .events import build_events
from .places import find_places
from .sentences import split_sentences


def extract(article: Article, gazetteer: Gazetteer | None = None, refiner=None) -> Extraction:
    """`refiner` (geocode.online.OnlineRefiner) re-geocodes the places found, when the user asks."""
    gazetteer = gazetteer or default_gazetteer()
    text = article.text
    sentences = split_sentences(text)
    dates = find_all_dates(text, sentences, article.published)
    places, demonyms = find_places(text, gazetteer, home_country(article.url, gazetteer.countries))
    if refiner is not None:
        places = refiner.refine(places)
    events = build_events(article, sentences, dates, places, demonyms, gazetteer)
    warnings = []
    unresolved = sum(1 for e in events if e.date.value is None)
    if unresolved:
        warnings.append(f"{article.file}: {unresolved} relative date(s) left unresolved: "
                        "no publication date (give --published or a manifest)")
    return Extraction(article=article, events=tuple(events), mentions=tuple(places),
                      warnings=tuple(warnings))


def extract_or_error(article: Article, refiner=None) -> Extraction | str:
    """`extract`, or the one-line error that reports its failure: one article's failure must
    not stop the others."""
    try:
        return extract(article, refiner=refiner)
    except Exception as e:  # noqa: BLE001 - reported, and the run goes on
        return f"{article.file}: extraction failed ({type(e).__name__}: {e})"
