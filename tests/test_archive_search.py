"""The archive dashboard's text search (archive.search): the scan over ev.words and the word
index find what archive.query's regexps of word boundaries find, and the dashboard answers the
same with the index as without it."""
from __future__ import annotations

import duckdb
import pytest

from archive_corpus import build_both
from timeline import store
from timeline.archive import query as archive_query
from timeline.archive import search
from timeline.archive.serve import ArchiveBackend
from timeline.dashboard import data
from timeline.query import Filters, fts_query

SENTENCES = ["Troops killed 3 in Kursk.", "A skilled team won.", "“Killed” was the word", "men's team (killed)",
             "Air-defence units fired; air defence held", "the airdefence test", "Élysée said: missiles—none",
             "drone_strike reports", "12 people; 120 more", "KILLED\tin the night", "Kill·ed at 5°C, killers fled",
             "Die Kräfte töteten 3", "", "...", "killed killed killed", "a drone strike hit", "a ___ b"]
SEARCHES = ["killed", "kill", "air defence", '"air defence"', "elysee", "missile", "missile -drone",
            "drone OR killed", "12", '"men s team"', "the night", "strike", "drone_strike", "ed", "c killers",
            "krafte", "KÍLL", "(killed)", "killed -troops -night", "team OR air defence", '"drone_strike"',
            "drone_str"]


def _sentences(con) -> None:
    con.execute(f"CREATE TABLE ev AS SELECT s AS sentence, {search.folded_words('s')} AS words, "
                "row_number() OVER () AS seq FROM unnest(?::VARCHAR[]) t(s)", [SENTENCES])


def _reference(con, text: str) -> set[str]:
    """What archive.query's regexps over the sentence find."""
    wanted, unwanted = fts_query(text)
    conditions, params = [], []
    for fts, negate in ((wanted, ""), (unwanted, "NOT ")):
        if fts:
            sql, words = archive_query.text_condition(fts)
            conditions.append(negate + sql)
            params += words
    return {r[0] for r in con.execute(f"SELECT sentence FROM ev e WHERE {' AND '.join(conditions)}", params).fetchall()}


@pytest.mark.parametrize("text", SEARCHES)
def test_archive_querys_regexps_find_what_sqlites_fts5_finds(text):
    """The reference itself: what the SQLite store's search (FTS5, unicode61) finds."""
    import sqlite3

    con = duckdb.connect()
    _sentences(con)
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE VIRTUAL TABLE f USING fts5(sentence, tokenize = 'unicode61 remove_diacritics 2')")
    lite.executemany("INSERT INTO f (sentence) VALUES (?)", [(s,) for s in SENTENCES])
    wanted, unwanted = fts_query(text)
    found = {r[0] for r in lite.execute("SELECT sentence FROM f WHERE f MATCH ?", [wanted]).fetchall()}
    if unwanted:
        found -= {r[0] for r in lite.execute("SELECT sentence FROM f WHERE f MATCH ?", [unwanted]).fetchall()}
    assert _reference(con, text) == found


@pytest.fixture(scope="module")
def sentences():
    con = duckdb.connect()
    _sentences(con)
    yield con, search.WordIndex.build(con, "ev", "e.seq, e.sentence")
    con.close()


@pytest.mark.parametrize("text", SEARCHES)
def test_the_scan_finds_what_archive_query_finds(sentences, text):
    con, _ = sentences
    sql, params = search.text_condition(text)
    found = {r[0] for r in con.execute(f"SELECT sentence FROM ev e WHERE {sql}", params).fetchall()}
    assert found == _reference(con, text)
    assert found  # a search that finds nothing would test nothing


@pytest.mark.parametrize("text", [s for s in SEARCHES if '"' not in s and not s.startswith("-")])
def test_the_index_finds_what_archive_query_finds(sentences, text):
    con, index = sentences
    rows = index.matches(text)
    if "_" in text:  # a word that folds into two, a phrase: the scan's
        assert rows is None
        return
    assert rows is not None
    assert list(rows) == sorted(set(rows))
    assert set(index.take(rows).column("sentence").to_pylist()) == _reference(con, text)


def test_the_index_leaves_phrases_and_exclusions_alone_to_the_scan(sentences):
    _, index = sentences
    assert index.matches('"air defence"') is None
    assert index.matches("-killed") is None
    assert index.matches("killed") is not None


def test_a_prefix_of_too_many_postings_is_left_to_the_scan(sentences):
    _, index = sentences
    index.max_postings, kept = 3, index.max_postings
    try:
        assert index.matches("k") is None  # kill, killed, killers: more than 3 rows between them
        assert len(index.matches("troops")) == 1  # one word: its own rows, no union
    finally:
        index.max_postings = kept


def test_an_index_is_not_built_over_rows_whose_ids_are_not_their_places():
    con = duckdb.connect()
    _sentences(con)
    con.execute("DELETE FROM ev WHERE seq = 1")
    assert search.WordIndex.build(con, "ev", "e.seq") is None


def test_an_index_of_no_events_finds_nothing():
    con = duckdb.connect()
    con.execute("CREATE TABLE ev AS SELECT 'x' AS words, 1 AS seq WHERE false")
    index = search.WordIndex.build(con, "ev", "e.seq")
    assert len(index.matches("killed")) == 0


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """(SQLite connection, archive backend with its word index built) of the same articles."""
    db, root = build_both(tmp_path_factory.mktemp("search"))
    conn = store.connect(db, readonly=True)
    backend = ArchiveBackend(root, threads=1)
    assert backend.frame.words.ready.wait(60) and backend.frame.words.error is None
    yield conn, backend
    conn.close()


@pytest.mark.parametrize("text", ["missile", "attack -missile", "drone OR strike", "kill", "ukraine missile"])
def test_the_dashboard_answers_searches_from_the_index_as_sqlite_does(both, text):
    conn, archive = both
    filters = Filters.of(query=text)
    assert archive.frame.words.index.matches(text) is not None  # answered by the index
    archive.frame.selections.clear()
    for group_by in ("type", "place"):
        want, got = data.timeline(conn, filters, group_by, "events"), archive.timeline(filters, group_by, "events")
        assert (got["mode"], got["total"]) == (want["mode"], want["total"]) and want["total"]
        assert sorted(r["sentence"] for r in got["rows"]) == sorted(r["sentence"] for r in want["rows"])
    assert archive.undrawn(filters) == data.undated_without_place(conn, filters)
    combined = Filters.of(query=text, min_outlets=2)  # with another filter over the taken rows
    assert archive.undrawn(combined) == data.undated_without_place(conn, combined)


def test_selections_of_the_index_are_let_go_past_the_kept_ones(both):
    """A search's rows are an Arrow table DuckDB reads where it is: unregistered when its
    selection is dropped, as a selection's table is."""
    import duckdb as db

    conn, archive = both
    frame = archive.frame
    frame.selections.clear()
    words = ["missile", "attack", "drone", "strike", "ukraine", "kill", "russia", "said"]
    made = [frame.select(Filters.of(query=w)) for w in words]
    assert all(m.registered for m in made)
    kept = {s.table for s in frame.selections.values()}
    for old in made[: len(words) - len(kept)]:
        assert old.table not in kept
        with pytest.raises(db.CatalogException):
            frame.query(f"SELECT count(*) FROM {old.table}")
    last = Filters.of(query=words[-1])
    assert archive.undrawn(last) == data.undated_without_place(conn, last)
