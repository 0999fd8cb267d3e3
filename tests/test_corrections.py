"""The analyst's corrections: made from the CLI, kept for good, re-applied after every reading."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from timeline import corrections as C
from timeline import store
from timeline.cli import main
from timeline.ingest import ingest
from timeline.query import Filters, query_events

SRC = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "src")


def article_folder(tmp_path, text, name="a.txt"):
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps([{"file": name, "outlet": "Valley Post",
                                                       "published": "2024-06-21"}]), encoding="utf-8")
    return folder


TEXT = ("Shelling hit Kyiv on Tuesday, officials said.\n"
        "The city council of Springfield voted on Wednesday to close the library.\n")


@pytest.fixture
def stored(tmp_path):
    folder = article_folder(tmp_path, TEXT)
    db = tmp_path / "t.db"
    ingest([folder], db)
    return folder, db


def event_id(db, words):
    conn = store.connect(db, readonly=True)
    [e] = [e for e in query_events(conn) if words in e.sentence]
    return e.id


def the_event(db, words):
    conn = store.connect(db, readonly=True)
    found = [e for e in query_events(conn, Filters()) if words in e.sentence]
    return found[0] if found else None


def test_a_place_and_a_date_corrected_from_the_cli_show_everywhere(stored, capsys):
    folder, db = stored
    eid = event_id(db, "Shelling")
    assert main(["correct", eid, "--place", "Kharkiv, UA", "--db", str(db), "--reviewer", "ana"]) == 0
    assert main(["correct", eid, "--date", "2024-06-19", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "place: now at Kharkiv, UA (was Kyiv, UA)" in out and "date: now 2024-06-19 (day), was 2024-06-18" in out
    e = the_event(db, "Shelling")
    assert (e.place_name, e.value, e.corrected) == ("Kharkiv", "2024-06-19", True)
    conn = store.connect(db, readonly=True)
    said = C.history(conn)[e.seq]
    assert said[0].startswith("place corrected on ") and "by ana" in said[0] and "was Kyiv, UA" in said[0]


def test_corrections_survive_reingest_reextraction_and_a_changed_curated_file(stored, monkeypatch, capsys):
    folder, db = stored
    eid = event_id(db, "Shelling")
    main(["correct", eid, "--place", "Kharkiv, UA", "--db", str(db)])
    assert ingest([folder], db).unchanged == 1
    assert the_event(db, "Shelling").place_name == "Kharkiv"
    summary = ingest([folder], db, reextract=True)
    assert summary.reread == 1 and the_event(db, "Shelling").place_name == "Kharkiv"
    # a newer extractor, or changed curated files: ingest reads the article again by itself
    from timeline import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "extractor_stamp", lambda: "another-extractor")
    monkeypatch.setattr("timeline.reread.extractor_stamp", lambda: "another-extractor")
    summary = ingest([folder], db)
    assert summary.reread == 1 and the_event(db, "Shelling").place_name == "Kharkiv"
    assert ingest([folder], db).reread == 0  # read by this extractor now: not again


def test_the_extractor_stamp_changes_with_a_curated_file(tmp_path):
    import shutil

    from timeline.paths import DATA_DIR
    from timeline.reread import extractor_stamp

    data = tmp_path / "data"
    for part in ("gazetteer", "lexicon"):
        shutil.copytree(DATA_DIR / part, data / part)
    before = extractor_stamp(data)
    with (data / "gazetteer" / "places.csv").open("a", encoding="utf-8") as fh:
        fh.write("Elm Hollow,US,city,40.1,-75.2,900,\n")
    extractor_stamp.cache_clear()
    assert extractor_stamp(data) != before


def test_a_correction_finds_its_event_in_a_text_that_changed_a_little(stored, tmp_path):
    folder, db = stored
    main(["correct", event_id(db, "Shelling"), "--place", "Kharkiv, UA", "--db", str(db)])
    (folder / "a.txt").write_text("Updated at 10:00.\n" + TEXT.replace("officials said", "local officials said"),
                                  encoding="utf-8")
    assert ingest([folder], db).replaced == 1
    assert the_event(db, "Shelling").place_name == "Kharkiv"


def test_a_rejected_event_is_gone_from_views_exports_and_stories(stored, tmp_path):
    folder, db = stored
    assert main(["correct", event_id(db, "Shelling"), "--reject", "--db", str(db)]) == 0
    assert the_event(db, "Shelling") is None
    out = tmp_path / "e.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "-o", str(out)]) == 0
    assert "Shelling" not in out.read_text(encoding="utf-8-sig")
    conn = store.connect(db, readonly=True)
    assert conn.execute("SELECT story_id FROM events WHERE sentence LIKE 'Shelling%'").fetchone()[0] is None


def test_always_read_x_as_y_places_every_article_present_and_future(stored, tmp_path):
    folder, db = stored
    assert main(["correct", event_id(db, "Shelling"), "--place", "Kyiv, UA", "--db", str(db)]) == 0
    # Springfield: the largest of many; the analyst knows the story is in Illinois
    eid = event_id(db, "Springfield")
    assert main(["correct", eid, "--place", "Springfield, US", "--always", "--db", str(db)]) == 0
    (folder / "b.txt").write_text("Floods reached Springfield on Thursday, the mayor said.\n", encoding="utf-8")
    ingest([folder], db)
    conn = store.connect(db, readonly=True)
    places = {e.sentence[:6]: (e.place_name, e.place_country) for e in query_events(conn)}
    assert places["Floods"] == places["The ci"] == ("Springfield", "US")


def test_a_review_round_trips_and_importing_twice_changes_nothing(stored, tmp_path, capsys):
    folder, db = stored
    main(["correct", event_id(db, "Shelling"), "--place", "Kharkiv, UA", "--db", str(db)])
    main(["correct", event_id(db, "Springfield"), "--label", "Council votes to close library", "--db", str(db)])
    review = tmp_path / "review.json"
    assert main(["corrections", "export", str(review), "--db", str(db)]) == 0
    other = tmp_path / "other.db"
    ingest([folder], other)
    assert main(["corrections", "import", str(review), "--db", str(other)]) == 0
    assert main(["corrections", "import", str(review), "--db", str(other)]) == 0
    out = capsys.readouterr().out
    assert "2 corrections added, 0 already there" in out and "0 corrections added, 2 already there" in out
    assert the_event(other, "Shelling").place_name == "Kharkiv"
    assert the_event(other, "Springfield").label == "Council votes to close library"
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    assert main(["corrections", "import", str(bad), "--db", str(other)]) == 1
    assert "bad.json: not a file of corrections" in capsys.readouterr().err


def test_wrong_corrections_are_one_line_errors(stored, capsys):
    folder, db = stored
    eid = event_id(db, "Shelling")
    assert main(["correct", eid, "--place", "Kharkov Town Zzz", "--db", str(db)]) == 1
    assert main(["correct", eid, "--date", "19/06/2024", "--db", str(db)]) == 1
    assert main(["correct", "ffffffffffff", "--reject", "--db", str(db)]) == 1
    assert main(["correct", eid, "--type", "picnic", "--db", str(db)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4 and all(line.startswith("timeline: error: ") for line in err)
    assert "no place" in err[0] and "not a date" in err[1] and "no event" in err[2] and "not an event type" in err[3]


def test_stories_can_lose_a_member_and_two_can_merge(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    line = "The council of Springfield, Illinois voted 7-2 on Tuesday to close the Elm Street library."
    other = "Springfield's mayor opened a new swimming pool on Tuesday."
    for name, text in (("a.txt", line), ("b.txt", line.replace("voted", "decided")), ("c.txt", other)):
        (folder / name).write_text(text + "\n", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps([{"file": f, "outlet": o, "published": "2024-03-07"}
                                                      for f, o in (("a.txt", "A"), ("b.txt", "B"), ("c.txt", "C"))]))
    db = tmp_path / "t.db"
    ingest([folder], db)
    conn = store.connect(db)
    story_of = lambda f: conn.execute("SELECT e.story_id FROM events e JOIN articles a ON a.id = e.article_id "
                                      "WHERE a.file = ?", (f,)).fetchone()[0]
    assert story_of("a.txt") == story_of("b.txt") != story_of("c.txt")
    assert main(["correct", "--merge", story_of("a.txt"), story_of("c.txt"), "--db", str(db)]) == 0
    assert story_of("a.txt") == story_of("b.txt") == story_of("c.txt")
    eid = conn.execute("SELECT e.id FROM events e JOIN articles a ON a.id = e.article_id WHERE a.file = 'a.txt'").fetchone()[0]
    assert main(["correct", eid, "--detach", "--db", str(db)]) == 0
    assert story_of("a.txt") != story_of("b.txt") == story_of("c.txt")
    assert len({r[0] for r in conn.execute("SELECT id FROM stories")}) == 2


def test_a_kill_during_corrections_loses_nothing_stored_before(stored, tmp_path):
    folder, db = stored
    conn = store.connect(db)
    seq = conn.execute("SELECT seq FROM events WHERE sentence LIKE 'Shelling%'").fetchone()[0]
    conn.close()
    script = f"""
import sys
sys.path.insert(0, {SRC!r})
from timeline import corrections as C, store
conn = store.connect({str(db)!r})
anchor = C.anchor_of(conn, {seq})
for k in range(100000):
    C.add(conn, C.Correction("label", anchor, {{"label": f"Label {{k}}"}}, None, None, f"2024-01-01T00:{{k:06d}}"))
    print(k, flush=True)
"""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    done = 0
    while done < 30:
        line = proc.stdout.readline()
        if not line:
            break
        done = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored_rows = conn.execute("SELECT count(*) FROM corrections").fetchone()[0]
    assert stored_rows >= done + 1  # every one it said it stored is there
    label = conn.execute("SELECT label FROM events WHERE seq = ?", (seq,)).fetchone()[0]
    assert label == f"Label {stored_rows - 1}"  # and the last one stored is the one applied


def test_the_review_queue_gives_reasons_and_a_confirmed_event_leaves_it(stored, capsys):
    folder, db = stored
    assert main(["review", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Springfield" in out and "another Springfield (US, " in out and "is nearly as large" in out
    assert "relative date “on Tuesday” resolved against the publication date" in out
    eid = event_id(db, "Springfield")
    main(["correct", eid, "--confirm", "--db", str(db)])
    capsys.readouterr()
    main(["review", "--db", str(db)])
    assert eid not in capsys.readouterr().out


def test_cli_lists_outlets_and_places_and_names_what_does_not_match(stored, capsys):
    folder, db = stored
    assert main(["outlets", "--db", str(db)]) == 0 and main(["places", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Valley Post" in out and "Kyiv, UA (city)" in out
    assert main(["export", "--db", str(db), "--format", "csv", "-o", "-", "--outlet", "valley post"]) == 0
    assert "Valley Post" in capsys.readouterr().out  # filters ignore case
    assert main(["export", "--db", str(db), "--format", "csv", "-o", "-", "--outlet", "Valley Pots"]) == 1
    assert "no outlet 'Valley Pots'; did you mean 'Valley Post'?" in capsys.readouterr().err
