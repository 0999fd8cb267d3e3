"""The archive's writer and reader: parts written whole or not seen, one row per id, SQLite's
columns, and the same rows for the same filters as SQLite."""
from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
from pathlib import Path

import pytest

from archive_corpus import CORPORA, build_both, ordered_articles
from timeline import store
from timeline.archive import read, schema
from timeline.archive.query import query_events as archive_events
from timeline.archive.read import counts, open_archive
from timeline.archive.write import part_name, write_batch
from timeline.extract.pipeline import extract_or_error
from timeline.pieces import whole_extractions
from timeline.query import Filters, query_events


@pytest.fixture(scope="module")
def extractions():
    return list(whole_extractions(extract_or_error(a) for a in ordered_articles(CORPORA[:1])))


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    return build_both(tmp_path_factory.mktemp("both"))


def test_a_written_batch_reads_back_with_sqlites_counts(tmp_path, extractions):
    result = write_batch(tmp_path / "a", extractions, extractor="test")
    assert (result.added, result.unchanged) == (len(extractions), 0)
    assert result.events == sum(len(x.events) for x in extractions)
    db = tmp_path / "s.db"
    with contextlib.closing(store.connect(db)) as conn:
        for x in extractions:
            store.write_extraction(conn, x)
        expected = store.counts(conn)
    got = counts(tmp_path / "a")
    assert {k: got[k] for k in ("articles", "events", "places", "mentions")} == \
           {k: expected[k] for k in ("articles", "events", "places", "mentions")}


def test_the_views_have_the_sqlite_tables_columns(both):
    db, root = both
    con = open_archive(root)
    with contextlib.closing(store.connect(db, readonly=True)) as conn:
        for view in read.VIEWS:
            sqlite_columns = [r[1] for r in conn.execute(f"PRAGMA table_info({view})")]
            assert [c[0] for c in con.execute(f"SELECT * FROM {view} LIMIT 0").description] == sqlite_columns


def test_writing_the_same_batch_again_adds_nothing(tmp_path, extractions):
    root = tmp_path / "a"
    first = write_batch(root, extractions)
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*.parquet"))
    again = write_batch(root, extractions)
    assert (again.part, again.added, again.unchanged, again.events) == (first.part, 0, len(extractions), 0)
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*.parquet")) == before
    # Another batch of the same articles (cut otherwise) skips those the archive holds.
    other = write_batch(root, extractions[:3] + extractions[:1])
    assert (other.added, other.unchanged) == (0, 3)
    assert counts(root)["articles"] == len(extractions)


def test_a_killed_write_is_invisible_and_the_rerun_completes_it(tmp_path, extractions):
    root = tmp_path / "a"
    write_batch(root, extractions[:5])
    done = write_batch(root, extractions[5:])
    marker = root / schema.MARKERS / f"{done.part}.done"
    marker.unlink()  # killed after its Parquet files, before its marker
    (root / "events" / "month=2024-09" / f".{done.part}.parquet.1234.tmp").write_bytes(b"PAR1 half a file")
    assert counts(root)["articles"] == 5 and counts(root)["events"] == sum(len(x.events) for x in extractions[:5])
    rerun = write_batch(root, extractions[5:])
    assert (rerun.part, rerun.added) == (done.part, len(extractions) - 5) and marker.exists()
    assert counts(root)["articles"] == len(extractions)
    assert counts(root)["events"] == sum(len(x.events) for x in extractions)


def test_an_article_in_two_parts_is_one_row_with_its_events_once(tmp_path, extractions):
    root = tmp_path / "a"
    write_batch(root, extractions[:6])
    write_batch(root, extractions[4:10], known=())  # two articles written again, in another part
    con = open_archive(root)
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchall() == [(10, 10)]
    events = sum(len(x.events) for x in extractions[:10])
    assert con.execute("SELECT count(*), count(DISTINCT seq) FROM events").fetchall() == [(events, events)]
    named = sum(len(e.places) for x in extractions[:10] for e in x.events)
    assert con.execute("SELECT count(*) FROM event_places").fetchall() == [(named,)]
    assert con.execute("SELECT count(*) FROM mentions").fetchall() == [(sum(len(x.mentions) for x in extractions[:10]),)]
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM places").fetchall()[0][0] == \
           con.execute("SELECT count(DISTINCT id) FROM places").fetchall()[0][0]


def _write(args):
    root, batch = args
    return write_batch(root, batch).added


def test_two_processes_write_their_parts_at_once(tmp_path, extractions):
    root = str(tmp_path / "a")
    halves = [(root, extractions[0::2]), (root, extractions[1::2])]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        assert sum(pool.map(_write, halves)) == len(extractions)
    assert counts(root)["articles"] == len(extractions)
    assert not [p for p in Path(root).rglob("*.tmp")]


def test_a_part_is_named_by_its_articles_whatever_their_order():
    assert part_name(["b", "a", "a"]) == part_name(["a", "b"]) != part_name(["a"])


def test_a_folder_that_is_no_archive_says_so_in_one_line(tmp_path):
    with pytest.raises(schema.ArchiveError) as e:
        open_archive(tmp_path / "nothing")
    assert str(e.value) == f"{tmp_path / 'nothing'}: no archive here (run `timeline ingest --archive {tmp_path / 'nothing'}` first)"
    (tmp_path / "file.db").write_text("not a folder")
    with pytest.raises(schema.ArchiveError, match="no archive here"):
        counts(tmp_path / "file.db")
    with pytest.raises(schema.ArchiveError, match="not a folder"):
        write_batch(tmp_path / "file.db", [])


def test_an_empty_archive_has_empty_views(tmp_path):
    write_batch(tmp_path / "a", [])
    assert counts(tmp_path / "a") == {"articles": 0, "events": 0, "places": 0, "mentions": 0, "stories": 0}


FILTERS = [
    Filters(),
    Filters.of(outlets=["cnn"]),
    Filters.of(outlets=["(unknown outlet)", "harbour times"]),
    Filters.of(since="2024-07-01", until="2024-07-31"),
    Filters.of(since="2024-07-01", until="2024-07-31", vaguer=True),
    Filters.of(since="2024-10-01"),
    Filters.of(places=["florida"]),
    Filters.of(places=["Paris", "Valencia"]),
    Filters.of(min_outlets=2),
    Filters.of(min_outlets=3, since="2024-01-01"),
    Filters.of(event_types=["disaster/accident", "politics/election"]),
    Filters.of(query="election"),
    Filters.of(query="missil"),
    Filters.of(query='"general election"'),
    Filters.of(query="hurricane OR earthquake"),
    Filters.of(query="flood -Valencia"),
    Filters.of(query='-"the"'),
    Filters.of(query='nvidia OR "general election" -labour'),
    Filters.of(query="Kyiv's 2024"),
    Filters.of(query="Durov Paris", outlets=["(unknown outlet)"]),
    Filters.of(query='"sea level" OR "'),
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.describe())
def test_the_archive_gives_sqlites_rows_for_the_same_filters(both, filters):
    db, root = both
    with contextlib.closing(store.connect(db, readonly=True)) as conn:
        expected = query_events(conn, filters)
    got = archive_events(root, filters)
    # seq is each store's own number (a rowid, a hash): everything else, and the order, agree.
    assert [dataclasses.replace(e, seq=0) for e in got] == [dataclasses.replace(e, seq=0) for e in expected]


def test_the_filters_of_the_test_find_something(both):
    """The parity above would pass on empty answers: most filters must find events."""
    db, root = both
    found = [len(archive_events(root, f)) for f in FILTERS]
    assert sum(1 for n in found if n) >= len(FILTERS) - 2 and found[0] > 100


def test_a_limit_and_an_open_connection(both):
    _, root = both
    con = open_archive(root)
    assert [e.id for e in archive_events(con, Filters(), limit=5)] == [e.id for e in archive_events(root, Filters())][:5]
    assert con.execute("SELECT 1").fetchall() == [(1,)]  # the caller's connection stays open


def test_article_ids_and_known_ids(tmp_path, extractions):
    root = tmp_path / "a"
    write_batch(root, extractions[:4])
    ids = {x.article.source_id for x in extractions[:4]}
    assert read.article_ids(root) == ids
    assert read.known_ids(root, [extractions[0].article.source_id, "nope"]) == {extractions[0].article.source_id}
    assert os.path.isdir(root / schema.MARKERS)


def test_an_article_written_again_after_grouping_keeps_its_story(tmp_path, extractions):
    from timeline.archive.stories import regroup_archive

    root = tmp_path / "a"
    write_batch(root, extractions[:8])
    regroup_archive(root)
    write_batch(root, extractions[6:12], known=())  # two grouped articles again, in a later part
    con = open_archive(root)
    events = sum(len(x.events) for x in extractions[:12])
    assert con.execute("SELECT count(*), count(DISTINCT seq) FROM events").fetchall() == [(events, events)]
    again = [x.article.source_id for x in extractions[6:8]]
    assert con.execute("SELECT count(*) FROM events WHERE story_id IS NULL AND article_id IN (?, ?)", again).fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM articles").fetchall() == [(12,)]
