"""Article dumps: JSON Lines and CSV of one article a record, with a bad record among them."""
import csv
import json

from timeline import store
from timeline.cli import main
from timeline.ingest import ingest

STORY = "Floods hit Lisbon on 4 May 2021, officials said."
PAGE = ("<html><head><meta property='og:site_name' content='Iberian Post'></head><body><article>"
        "<p>Rescuers reached Porto on 5 May 2021, after the river rose overnight.</p></article></body></html>")


def write_jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_jsonl_dump_goes_in_and_each_bad_record_is_one_line(tmp_path, capsys):
    dump = write_jsonl(tmp_path / "dump.jsonl", [
        {"id": "a1", "text": STORY, "outlet": "Wire", "published": "2021-05-05"},
        "{not json",
        {"id": "a3", "title": "no text"},
        {"html": PAGE, "url": "https://iberian.example/2021/05/06/porto"},
        ["a list"],
    ])
    db = tmp_path / "t.db"
    assert main(["ingest", str(dump), "--db", str(db), "--jobs", "1"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"timeline: error: {dump}: record 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"timeline: error: {dump}: record 3: no article text (no text or html field, or an empty one)",
        f"timeline: error: {dump}: record 5: expected a JSON object, got list",
    ]
    assert out.startswith("2 articles (2 added")
    rows = store.connect(db).execute("SELECT file, outlet, published, url FROM articles ORDER BY file").fetchall()
    assert [tuple(r) for r in rows] == [("a1", "Wire", "2021-05-05", None),
                                        ("dump.jsonl#4", "Iberian Post", "2021-05-06", "https://iberian.example/2021/05/06/porto")]


def test_a_csv_dump_with_its_own_column_names_mapped_by_fields(tmp_path, capsys):
    dump = tmp_path / "dump.csv"
    with dump.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["guid", "body", "source", "date"])
        w.writerow(["x1", STORY, "Wire", "Tue, 05 May 2021 10:00:00 +0000"])
        w.writerow(["x2", "", "Wire", "2021-05-05"])
        w.writerow(["x3", "Snow fell in Oslo on 3 March 2021.", "Nordic", "06/01/2024"])
    assert main(["extract", str(dump), "--fields", "text=body,outlet=source,published=date"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"timeline: error: {dump}: record 2: no article text (no body or html field, or an empty one)",
        f"timeline: error: {dump}: record 3: published '06/01/2024' could be day/month or month/day: "
        "write it as YYYY-MM-DD, ignored",
    ]
    events = [json.loads(line) for line in out.splitlines() if '"type": "event"' in line]
    assert [(e["article"], e["outlet"], e["published"]) for e in events] == [
        ("x1", "Wire", "2021-05-05"), ("x3", "Nordic", None)]


def test_an_unknown_field_name_is_a_usage_error(capsys):
    import pytest

    with pytest.raises(SystemExit) as info:
        main(["ingest", "x.jsonl", "--fields", "body=text"])
    assert info.value.code == 2 and "unknown field 'body'" in capsys.readouterr().err


def test_the_same_dump_again_adds_nothing(tmp_path):
    dump = write_jsonl(tmp_path / "d.jsonl", [{"file": "a", "text": STORY}, {"file": "b", "text": STORY + " Again."}])
    db = tmp_path / "t.db"
    assert ingest([dump], db).added == 2
    assert (s := ingest([dump], db)).unchanged == 2 and s.added == 0
