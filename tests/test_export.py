import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from timeline import store
from timeline.cli import main
from timeline.export import to_csv, to_geojson, to_kml, to_timelinejs
from timeline.ingest import ingest
from timeline.query import Filters, query_events

KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    from conftest import SEEDS

    db = tmp_path_factory.mktemp("x") / "t.db"
    ingest([SEEDS], db)
    return query_events(store.connect(db, readonly=True), Filters())


def test_csv_one_row_per_event_field_by_field(events):
    rows = list(csv.DictReader(io.StringIO(to_csv(events).removeprefix("\ufeff"))))
    assert len(rows) == len(events)
    for row, e in zip(rows, events):
        assert row["event_id"] == e.id and row["value"] == (e.value or "")
        assert row["sentence"] == e.sentence and row["outlet"] == (e.outlet or "")
        assert row["place"] == (e.place_name or "") and row["story_outlets"] == str(e.story_outlets)
        if e.lat is not None:
            assert float(row["lat"]) == e.lat and float(row["lon"]) == e.lon


def test_csv_never_starts_a_cell_with_a_formula():
    from timeline.export import _cell
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _cell("-3.5") == "-3.5"


def test_geojson_is_a_feature_collection_of_lon_lat_points(events):
    data = json.loads(to_geojson(events))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == len(events)
    for feature, e in zip(data["features"], events):
        assert feature["properties"]["event_id"] == e.id
        if e.lat is None:
            assert feature["geometry"] is None
        else:
            assert feature["geometry"] == {"type": "Point", "coordinates": [e.lon, e.lat]}


def test_kml_timespans_match_precision(events):
    root = ET.fromstring(to_kml(events))
    marks = root.findall(f".//{KML}Placemark")
    located = [e for e in events if e.lat is not None]
    assert len(marks) == len(located)
    by_id = {"e-" + e.id: e for e in located}
    for mark in marks:
        e = by_id[mark.get("id")]
        begin, end = mark.find(f"{KML}TimeSpan/{KML}begin").text, mark.find(f"{KML}TimeSpan/{KML}end").text
        assert begin == e.start
        if e.precision == "month":
            assert begin.endswith("-01") and end[5:7] != begin[5:7]  # ends where the next month starts
        lon, lat, _ = mark.find(f"{KML}Point/{KML}coordinates").text.split(",")
        assert (float(lat), float(lon)) == (e.lat, e.lon)


def test_timelinejs_dates_hold_only_what_the_precision_supports(events):
    data = json.loads(to_timelinejs(events))
    by_id = {e.id: e for e in events}
    for item in data["events"]:
        e = by_id[item["unique_id"]]
        assert item["group"] == e.event_type  # groups by type: a few, not one per outlet
        assert item["text"]["headline"] == e.label and e.sentence.split()[0] in item["text"]["text"]
        expected = {"year": {"year"}, "month": {"year", "month"}, "day": {"year", "month", "day"}}.get(e.precision)
        if expected:
            assert set(item["start_date"]) == expected


def test_every_export_carries_the_label_and_event_type(events):
    from timeline.extract.event_types import EVENT_TYPES

    assert all(e.label and e.event_type in EVENT_TYPES for e in events)
    rows = list(csv.DictReader(io.StringIO(to_csv(events).removeprefix("\ufeff"))))
    assert [(r["label"], r["event_type"]) for r in rows] == [(e.label, e.event_type) for e in events]
    assert all(r["story_id"] and r["story_label"] for r in rows)  # every event is in a story
    props = [f["properties"] for f in json.loads(to_geojson(events))["features"]]
    assert [(p["label"], p["event_type"]) for p in props] == [(e.label, e.event_type) for e in events]
    names = {m.get("id")[2:]: m.find(f"{KML}name").text for m in ET.fromstring(to_kml(events)).iter(f"{KML}Placemark")}
    assert all(names[e.id] == e.label for e in events if e.lat is not None)


def test_cli_export_filters(tmp_path, capsys):
    from conftest import SEEDS

    db = tmp_path / "t.db"
    ingest([SEEDS], db)
    out = tmp_path / "cnn.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "--outlet", "CNN", "--since", "2024-06-01", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and all(r["outlet"] == "CNN" and r["end"] >= "2024-06-01" for r in rows)
    assert capsys.readouterr().err == f"{len(rows)} events -> {out}\n"


def test_kml_is_valid_against_the_ogc_kml_2_2_schema(events):
    from pathlib import Path

    import fastkml
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(Path(fastkml.__file__).parent / "schema" / "ogckml22.xsd")))
    document = etree.fromstring(to_kml(events).encode("utf-8"))
    assert schema.validate(document), "\n".join(str(e) for e in list(schema.error_log)[:5])


def test_kml_has_a_style_per_event_type_and_a_folder_per_story(events):
    from timeline.extract.event_types import EVENT_TYPES

    root = ET.fromstring(to_kml(events))
    assert [s.get("id") for s in root.iter(f"{KML}Style")] == ["type-" + t.replace("/", "_") for t in EVENT_TYPES]
    located = {"e-" + e.id: e for e in events if e.lat is not None}
    folders = root.findall(f"{KML}Document/{KML}Folder")
    assert len(folders) == len({e.story_id for e in located.values()})
    for folder in folders:
        marks = folder.findall(f"{KML}Placemark")
        assert marks and {"s-" + located[m.get("id")].story_id for m in marks} == {folder.get("id")}
        for mark in marks:
            e = located[mark.get("id")]
            assert mark.find(f"{KML}styleUrl").text == "#type-" + e.event_type.replace("/", "_")


def test_csv_has_a_byte_order_mark_and_opens_in_pandas_with_every_column(events):
    import pandas as pd

    text = to_csv(events)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns)[:3] == ["event_id", "label", "event_type"]
    assert {"published", "label", "event_type", "story_id"} <= set(frame.columns)
    assert len(frame) == len(events)
    assert list(frame["published"]) == [e.published or "" for e in events]
    assert list(frame["label"]) == [e.label for e in events]


def test_geojson_is_valid_for_the_geojson_package(events):
    import geojson

    collection = geojson.loads(to_geojson(events))
    assert collection.is_valid, collection.errors()
    assert all(f.is_valid for f in collection["features"])


def test_timelinejs_has_a_title_slide_from_the_filters_or_the_title(tmp_path):
    from conftest import SEEDS
    from timeline.extract.event_types import EVENT_TYPES

    db = tmp_path / "t.db"
    ingest([SEEDS], db)
    out = tmp_path / "t.json"
    assert main(["export", "--db", str(db), "--format", "timelinejs", "--outlet", "CNN", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["title"]["text"]["headline"] == "Events: outlets: CNN"
    assert "dated events from 1 outlet</p>" in data["title"]["text"]["text"]
    assert {item["group"] for item in data["events"]} <= set(EVENT_TYPES)
    assert all("CNN" in item["text"]["text"] for item in data["events"])
    assert main(["export", "--db", str(db), "--format", "timelinejs", "--title", "Pyongyang & Moscow", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"]["text"]["headline"] == "Pyongyang &amp; Moscow"
