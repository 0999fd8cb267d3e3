"""The plain, frozen records that flow through the pipeline.

Every piece of text an annotation refers to is a (start, end) span into the article's text as
read; the text itself is never changed, so `text[start:end]` always gives the words back.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Article:
    file: str  # the name the user knows it by (relative path or base name)
    text: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None  # a saved page's byline; not part of the source's identity

    @functools.cached_property
    def digest(self) -> str:
        """Stable identity of the text: re-reading the same words gives the same key."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    @functools.cached_property
    def source_id(self) -> str:
        """Identity of the text as one source tells it: the same words under another outlet or
        link (a syndicated copy) are another source of the same stories, not a duplicate."""
        if not self.outlet and not self.url:
            return self.digest
        key = f"{self.digest}\0{self.outlet or ''}\0{self.url or ''}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class DateValue:
    text: str
    span: tuple[int, int]
    value: str | None  # ISO-like at the text's precision: 2024, 2024-06, 2024-W47, 1990/1999
    start: dt.date | None
    end: dt.date | None
    precision: str  # day, week, month, quarter, season, year, decade, century or range
    relative: bool = False  # resolved against the publication date

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "span": list(self.span),
            "value": self.value,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
        }


@dataclass(frozen=True)
class Place:
    text: str
    span: tuple[int, int]
    name: str
    country: str  # ISO 3166-1 alpha-2
    lat: float
    lon: float
    kind: str  # facility, city, region or country
    inferred: bool = False

    def to_json(self) -> dict:
        return {"text": self.text, "span": list(self.span), **self.where_json()}

    def where(self) -> tuple:
        """What the place is, apart from the words that name it: mentions of one place share it."""
        return _where_of(self)

    def where_json(self) -> dict:
        return dict(zip(_WHERE, _where_of(self)))


_WHERE = ("name", "country", "lat", "lon", "kind", "inferred")
_where_of = operator.attrgetter(*_WHERE)


@dataclass(frozen=True)
class Event:
    id: str
    article: str
    outlet: str | None
    published: dt.date | None
    sentence: str
    sentence_span: tuple[int, int]
    date: DateValue
    places: tuple[Place, ...] = field(default_factory=tuple)
    location: Place | None = None
    label: str = ""  # what happened, headline style (extract/labels.py)
    event_type: str = "other"  # one of extract.event_types.EVENT_TYPES

    def to_json(self) -> dict:
        return {
            "type": "event",
            "id": self.id,
            "label": self.label,
            "event_type": self.event_type,
            "article": self.article,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "sentence": self.sentence,
            "span": list(self.sentence_span),
            "date": self.date.to_json(),
            "places": [p.to_json() for p in self.places],
            "location": self.location.to_json() if self.location else None,
        }


@dataclass(frozen=True)
class Extraction:
    """What one article yields: its events, every place mention, and warnings for the user."""

    article: Article
    events: tuple[Event, ...]
    mentions: tuple[Place, ...]
    warnings: tuple[str, ...] = ()
