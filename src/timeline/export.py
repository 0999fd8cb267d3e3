"""Exports of the filtered events: CSV, GeoJSON (RFC 7946), KML 2.2 and TimelineJS JSON.

Every format carries the same fields (see `FIELDS`); each is built from `EventRow`s by a pure
function that returns text, so the tests parse the output back with a real parser.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from xml.sax.saxutils import escape

from .errors import ExportError
from .query import EventRow

FIELDS = ("event_id", "label", "event_type", "date_text", "value", "precision", "start", "end", "place",
          "country", "place_kind", "lat", "lon", "place_inferred", "outlet", "title", "url", "article",
          "published", "sentence", "story_id", "story_label", "story_outlets", "disagreement", "corrected", "author")
IMAGE_FORMATS = ("png", "svg", "pdf")


def record(e: EventRow) -> dict:
    return {"event_id": e.id, "label": e.label, "event_type": e.event_type, "date_text": e.date_text, "value": e.value, "precision": e.precision,
            "start": e.start, "end": e.end, "place": e.place_name, "country": e.place_country,
            "place_kind": e.place_kind, "lat": e.lat, "lon": e.lon, "place_inferred": e.place_inferred,
            "outlet": e.outlet, "title": e.title, "url": e.url, "article": e.article,
            "published": e.published, "sentence": e.sentence, "story_id": e.story_id,
            "story_label": e.story_label, "story_outlets": e.story_outlets, "corrected": e.corrected, "author": e.author,
            "disagreement": e.disagreement}


def to_csv(events: list[EventRow]) -> str:
    """One row per event, in UTF-8 with a byte-order mark: without it Excel on Windows reads the
    file as the local code page and garbles accents and curly quotes. Cells that a spreadsheet
    would run as a formula are quoted with '."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for e in events:
        writer.writerow({k: _cell(v) for k, v in record(e).items()})
    return out.getvalue()


def _cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        return "'" + value  # CSV injection: never let article text become a formula
    return "" if value is None else value


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def to_geojson(events: list[EventRow]) -> str:
    """A FeatureCollection; an event with no place has a null geometry, as RFC 7946 allows."""
    features = [{
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]} if e.lat is not None else None,
        "properties": record(e),
    } for e in events]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)


# One colour per event type (KML colours are aabbggrr), in EVENT_TYPES order; the last is "other".
_KML_COLOURS = ("ff2821d6", "ff1c4ed9", "ffb4771f", "ff2ca02c", "ffbd6794", "ff4b568c", "ffc27fe3",
                "ffcfbe17", "ff0e7fff", "ff22bdbc", "ff7f7f7f")


def to_kml(events: list[EventRow], title: str = "timeline events") -> str:
    """KML 2.2, valid against the OGC schema: a Style per event type, a Folder per story, and a
    Placemark per located event with a TimeSpan that matches its date's precision. Elements come
    in the schema's order (name, description, TimeSpan, styleUrl, ExtendedData, Point); ids are
    prefixed, since an xs:ID may not start with a digit."""
    from .extract.event_types import EVENT_TYPES

    styles = "".join(
        f'<Style id="{_style_id(t)}"><IconStyle><color>{colour}</color></IconStyle>'
        f"<LabelStyle><scale>0.8</scale></LabelStyle></Style>"
        for t, colour in zip(EVENT_TYPES, _KML_COLOURS))
    folders: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for e in events:
        if e.lat is None:
            continue  # KML has no place for an event without a location
        key = e.story_id or ""
        names.setdefault(key, e.story_label or e.label or "events in no story")
        folders.setdefault(key, []).append(_placemark(e))
    body = "".join(
        (f'<Folder id="{_kml_id("s", key)}">' if key else "<Folder>")
        + f"<name>{escape(names[key])}</name>" + "\n".join(marks) + "</Folder>\n"
        for key, marks in folders.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document><name>{escape(title)}</name>{styles}\n{body}</Document></kml>\n")


def _placemark(e: EventRow) -> str:
    span = f"<TimeSpan><begin>{e.start}</begin><end>{_kml_end(e.end)}</end></TimeSpan>" if e.start else ""
    description = f"{e.sentence}\n\n{e.outlet or 'unknown outlet'}: {e.title or e.article}"
    if e.url:
        description += f"\n{e.url}"
    return (f'<Placemark id="{_kml_id("e", e.id)}"><name>{escape(e.label or e.date_text)}</name>'
            f"<description>{escape(description)}</description>{span}"
            f"<styleUrl>#{_style_id(e.event_type)}</styleUrl>"
            f"<ExtendedData>{''.join(_data(k, v) for k, v in record(e).items())}</ExtendedData>"
            f"<Point><coordinates>{e.lon},{e.lat},0</coordinates></Point></Placemark>")


def _kml_id(prefix: str, key: str) -> str:
    """An xs:ID (an NCName): a letter first, then letters, digits, '-', '_' or '.'."""
    return f"{prefix}-" + re.sub(r"[^\w.-]", "_", key, flags=re.ASCII)


def _style_id(event_type: str) -> str:
    return _kml_id("type", event_type or "other")


def _kml_end(end: str) -> str:
    """KML's end is an instant: the end of the event's last day."""
    return (dt.date.fromisoformat(end) + dt.timedelta(days=1)).isoformat()


def _data(key, value) -> str:
    return f'<Data name="{key}"><value>{escape("" if value is None else str(value))}</value></Data>'


def to_timelinejs(events: list[EventRow], title: str = "timeline events", subtitle: str = "") -> str:
    """Knight Lab's TimelineJS JSON: a title slide, then one slide per dated event, grouped by
    event type, headed by its label, with the sentence, the outlet and the link. Dates hold only
    the parts their precision supports (a year has only `year`); spans (ranges, seasons, weeks,
    decades) have an `end_date` too."""
    items = []
    for e in events:
        if not e.start:
            continue
        first, _, last = (e.value or "").partition("/")
        item = {
            "start_date": _tl_date(e.start, first, e.precision),
            "text": {"headline": e.label or e.date_text, "text": _tl_text(e)},
            "group": e.event_type,
            "unique_id": e.id,
        }
        if last or e.precision == "week":
            item["end_date"] = _tl_date(e.end, last, e.precision)
        items.append(item)
    outlets = len({e.outlet for e in events if e.start})
    counted = (f"{len(items):,} dated event{'' if len(items) == 1 else 's'} from "
               f"{outlets:,} outlet{'' if outlets == 1 else 's'}")
    slide = {"headline": escape(title), "text": f"<p>{escape(subtitle)}</p><p>{counted}</p>" if subtitle else f"<p>{counted}</p>"}
    return json.dumps({"title": {"text": slide}, "events": items}, ensure_ascii=False, indent=1)


def _tl_date(iso: str, written: str, precision: str) -> dict:
    """The parts of a date that its written value supports: "2019" -> year; "2024-06" -> year and
    month; a day or an ISO week -> year, month and day."""
    year, month, day = (int(x) for x in iso.split("-"))
    parts = written.count("-") if written and "W" not in written and "Q" not in written else None
    if parts is None:
        parts = {"year": 0, "decade": 0, "quarter": 1, "month": 1, "season": 1}.get(precision, 2)
    date = {"year": year}
    if parts >= 1:
        date["month"] = month
    if parts >= 2:
        date["day"] = day
    return date


def _tl_text(e: EventRow) -> str:
    source = escape(e.outlet or "unknown outlet")
    if e.url:
        source = f'<a href="{escape(e.url, {chr(34): "&quot;"})}">{source}</a>'
    return f"<p>{escape(e.sentence)}</p><p>{source}: {escape(e.title or e.article)}</p>"


WRITERS = {"csv": to_csv, "geojson": to_geojson, "kml": to_kml, "timelinejs": to_timelinejs}


def export_text(events: list[EventRow], fmt: str, title: str = "", subtitle: str = "") -> str:
    """`title` (and `subtitle`) name a KML document and head a TimelineJS title slide; the other
    formats have no place for them."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r} (choose from {', '.join(WRITERS)})")
    if fmt == "timelinejs":
        return to_timelinejs(events, title or "timeline events", subtitle)
    if fmt == "kml":
        return to_kml(events, title or "timeline events")
    return WRITERS[fmt](events)
