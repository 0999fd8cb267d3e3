"""An extraction as text: the JSONL of the evaluation (../shared/eval/README.md) or a table."""
from __future__ import annotations

import json

from ..model import Article, Extraction
from .pipeline import extract_or_error

_encode = json.JSONEncoder(ensure_ascii=False).encode


def jsonl(result: Extraction) -> str:
    """Its events, then its place mentions, one JSON object a line."""
    lines = [_encode(event.to_json()) for event in result.events]
    # A mention line is the mention's own words and span, then what the place is: that second
    # part is encoded once per place, as an article names its places again and again.
    head = '{"type": "mention", "article": ' + _encode(result.article.file) + ', "text": '
    where: dict[tuple, str] = {}
    for place in result.mentions:
        key = place.where()
        if key not in where:
            where[key] = ", " + _encode(place.where_json())[1:]
        lines.append(f'{head}{_encode(place.text)}, "span": [{place.span[0]}, {place.span[1]}]{where[key]}')
    return "".join(line + "\n" for line in lines)


def table(result: Extraction) -> str:
    """For people: date, place (~ when inferred), outlet and a short quote."""
    rows = []
    for event in result.events:
        place = event.location.name + (" ~" if event.location.inferred else "") if event.location else "-"
        quote = " ".join(event.sentence.split())
        quote = quote if len(quote) <= 70 else quote[:69] + "…"
        rows.append(f"{event.date.value or '?':<24} {place[:22]:<22} {(event.outlet or '-')[:16]:<16} {quote}\n")
    return "".join(rows)


FORMATS = {"jsonl": jsonl, "table": table}


def extract_as_text(fmt: str, article: Article, refiner=None) -> tuple[str, tuple[str, ...], str | None]:
    """(text, warnings, error) of one article in `fmt`: a failure is an error line for that
    article, never an exception."""
    result = extract_or_error(article, refiner)
    if isinstance(result, str):
        return "", (), result
    return FORMATS[fmt](result), result.warnings, None
