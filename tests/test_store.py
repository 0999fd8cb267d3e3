import sqlite3

import pytest

from timeline import store
from timeline.errors import StoreError
from timeline.extract.pipeline import extract
from timeline.ingest import ingest


def test_ingest_stores_articles_events_places_and_mentions(seed_folder, tmp_path):
    db = tmp_path / "t.db"
    summary = ingest([seed_folder], db)
    assert (summary.added, summary.unchanged, summary.errors) == (5, 0, [])
    conn = store.connect(db)
    c = store.counts(conn)
    assert c["articles"] == 5 and c["events"] == summary.events > 25 and c["places"] >= 10
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_reingesting_the_same_text_adds_nothing(seed_folder, tmp_path):
    db = tmp_path / "t.db"
    ingest([seed_folder], db)
    before = store.counts(store.connect(db))
    summary = ingest([seed_folder], db)
    assert (summary.added, summary.unchanged, summary.events) == (0, 5, 0)
    assert store.counts(store.connect(db)) == before


def test_a_changed_article_replaces_its_own_events(tmp_path, make_article, gazetteer):
    db = tmp_path / "t.db"
    conn = store.connect(db)
    first = make_article("Floods hit Lisbon in March 2021. Rain fell in Porto on 4 May 2021.", file="a.txt")
    other = make_article("Snow fell in Oslo in January 2022.", file="b.txt")
    store.write_extraction(conn, extract(first, gazetteer))
    store.write_extraction(conn, extract(other, gazetteer))
    changed = make_article("Floods hit Lisbon in March 2021.", file="a.txt")
    result = store.write_extraction(conn, extract(changed, gazetteer))
    assert result.status == "replaced"
    rows = conn.execute("SELECT a.file, e.value FROM events e JOIN articles a ON a.id = e.article_id "
                        "ORDER BY a.file, e.value").fetchall()
    assert [tuple(r) for r in rows] == [("a.txt", "2021-03"), ("b.txt", "2022-01")]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    # the full-text index forgot the replaced sentence
    assert conn.execute("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'Porto'").fetchone()[0] == 0


def test_full_text_search_finds_sentences(seed_folder, tmp_path):
    db = tmp_path / "t.db"
    ingest([seed_folder], db)
    conn = store.connect(db)
    hits = conn.execute("SELECT e.sentence FROM events_fts JOIN events e ON e.seq = events_fts.rowid "
                        "WHERE events_fts MATCH 'satellite'").fetchall()
    assert hits and all("satellite" in h[0].lower() for h in hits)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="bad.db: not a usable event store"):
        store.connect(path)


def test_a_failing_write_leaves_what_was_stored(tmp_path, make_article, gazetteer, monkeypatch):
    db = tmp_path / "t.db"
    conn = store.connect(db)
    store.write_extraction(conn, extract(make_article("Rain in Oslo in May 2020.", file="a.txt"), gazetteer))
    before = store.counts(conn)
    broken = extract(make_article("Sun in Rome in June 2020.", file="b.txt"), gazetteer)

    def explode(*args):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(store, "_place_id", explode)
    with pytest.raises(sqlite3.OperationalError):
        store.write_extraction(conn, broken)
    assert store.counts(conn) == before


def test_a_syndicated_copy_under_another_outlet_is_another_source(tmp_path):
    import json

    folder = tmp_path / "articles"
    folder.mkdir()
    text = "The city council voted 7-2 on Tuesday to close the Elm Street library in Springfield, Illinois.\n"
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps([
        {"file": "a.txt", "outlet": "Lakeside Gazette", "published": "2024-03-07"},
        {"file": "b.txt", "outlet": "Valley Post", "published": "2024-03-07"},
        {"file": "c.txt", "outlet": "Valley Post", "published": "2024-03-07"}]), encoding="utf-8")
    db = tmp_path / "t.db"
    summary = ingest([folder], db)
    assert (summary.added, summary.unchanged) == (2, 1)  # the third is the second's own copy
    conn = store.connect(db)
    [(outlets, sources)] = conn.execute("SELECT outlets, sources FROM stories").fetchall()
    assert (outlets, sources) == (2, 2)


def test_a_store_of_schema_1_gains_labels_types_and_stories(tmp_path, seed_folder):
    db = tmp_path / "old.db"
    ingest([seed_folder], db)
    conn = sqlite3.connect(db)
    # Make it look as schema 1 left it: no label, type or length; stories of the old shape.
    conn.executescript("""
        CREATE TABLE events_old AS SELECT seq, id, article_id, sentence, sentence_start, sentence_end,
            date_text, date_start, date_end, value, start, "end", precision, place_id, place_text,
            place_start, place_end, place_inferred, story_id FROM events;
        DROP TABLE events; ALTER TABLE events_old RENAME TO events;
        DROP TABLE stories; CREATE TABLE stories (id TEXT PRIMARY KEY, outlets INTEGER NOT NULL,
            sources INTEGER NOT NULL, start TEXT, "end" TEXT, disagreement TEXT);
        UPDATE meta SET value = '1' WHERE key = 'schema';""")
    conn.commit()
    conn.close()
    summary = ingest([seed_folder], db)
    assert summary.unchanged == 5
    conn = store.connect(db)
    assert conn.execute("SELECT count(*) FROM events WHERE label = ''").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM events WHERE event_type = 'attack/strike'").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM stories WHERE outlets >= 3 AND label != ''").fetchone()[0] >= 1
    assert store.meta(conn, "schema") == str(store.SCHEMA_VERSION)
