"""Each country's conventional point, read from data/gazetteer/country_points.csv.

A country named in the news is placed where gazetteers and encyclopedias place it (the CIA World
Factbook's "Geographic coordinates": China 35 N 105 E, Canada 60 N 95 W), not at the centroid of
its shape on the base map, which for a large or scattered country lies far from that convention
(Indonesia's shape centroid is 780 km from 5 S 120 E). The file is written by
tools/factbook_points.py; a country it lacks keeps its shape's centroid.
"""
from __future__ import annotations

import csv
from pathlib import Path

from ..errors import TimelineError
from ..paths import GAZETTEER_DIR

COUNTRY_POINTS = GAZETTEER_DIR / "country_points.csv"


class GazetteerDataError(TimelineError, ValueError):
    """A curated gazetteer file has a wrong row. The message names the file and the line."""


def country_points(path: Path = COUNTRY_POINTS) -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> (lat, lon) of each country's conventional point."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GazetteerDataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
    if not numbered or [c.strip() for c in numbered[0][1].split(",")] != ["iso2", "lat", "lon"]:
        raise GazetteerDataError(f"{path}: the first row that is not a comment must be 'iso2,lat,lon'")
    points: dict[str, tuple[float, float]] = {}
    for (n, _), row in zip(numbered[1:], csv.reader(line for _, line in numbered[1:])):
        iso = _iso2(path, n, row)  # first: it checks the row's shape that _point relies on
        points[iso] = _point(path, n, row)
    return points


def _iso2(path: Path, n: int, row: list[str]) -> str:
    iso = row[0].strip().upper() if row else ""
    if len(row) != 3 or len(iso) != 2 or not iso.isalpha():
        raise GazetteerDataError(f"{path}:{n}: expected 'iso2,lat,lon' (e.g. CN,35.0,105.0), got {','.join(row)!r}")
    return iso


def _point(path: Path, n: int, row: list[str]) -> tuple[float, float]:
    try:
        lat, lon = float(row[1]), float(row[2])
    except ValueError:
        raise GazetteerDataError(f"{path}:{n}: latitude and longitude must be numbers, got {row[1]!r}, {row[2]!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GazetteerDataError(f"{path}:{n}: ({lat}, {lon}) is not a point on Earth")
    return lat, lon
