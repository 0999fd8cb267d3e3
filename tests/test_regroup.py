"""Stories of a large store are grouped in blocks in DuckDB (grouping.py): the same stories, with
the analyst's detach and merge corrections, as corroborate.group gives with every event in memory."""
import shutil

import pytest

from timeline import regroup, store
from timeline.ingest import ingest

from conftest import ROOT


def stories_of(conn):
    rows = sorted(tuple(r) for r in conn.execute("SELECT * FROM stories"))
    members = sorted(tuple(r) for r in conn.execute("SELECT seq, story_id FROM events"))
    return rows, members


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("regroup") / "t.db"
    ingest([ROOT / "tests" / "corpus", ROOT / "data" / "articles"], db, jobs=1)
    return db


def test_blocks_give_the_stories_that_grouping_in_memory_gives(corpus_store, tmp_path, monkeypatch):
    db = tmp_path / "t.db"
    shutil.copy(corpus_store, db)
    conn = store.connect(db)
    regroup.regroup_stories(conn)
    in_memory = stories_of(conn)
    assert any(r[2] > 1 for r in in_memory[0]), "the corpus has stories told more than once"
    monkeypatch.setattr(regroup, "IN_MEMORY_EVENTS", 0)
    monkeypatch.setattr(regroup, "group", lambda members: pytest.fail("grouped in memory"))
    assert regroup.regroup_stories(conn) == len(in_memory[0])
    assert stories_of(conn) == in_memory


def test_blocks_apply_detach_and_merge_as_grouping_in_memory_does(corpus_store, tmp_path, monkeypatch):
    from timeline import corrections as C

    db = tmp_path / "t.db"
    shutil.copy(corpus_store, db)
    conn = store.connect(db)
    told = conn.execute("SELECT id FROM stories WHERE sources > 1 ORDER BY sources DESC, id").fetchall()
    detached = conn.execute("SELECT seq FROM events WHERE story_id = ? ORDER BY seq DESC", (told[0][0],)).fetchone()[0]
    alone = conn.execute("SELECT lead_seq FROM stories WHERE sources = 1 ORDER BY id").fetchone()[0]
    merged_into = conn.execute("SELECT lead_seq FROM stories WHERE id = ?", (told[1][0],)).fetchone()[0]
    C.add(conn, C.Correction("detach", C.anchor_of(conn, detached), created_at=C.now()))
    C.add(conn, C.Correction("merge", {**C.anchor_of(conn, merged_into), "other": C.anchor_of(conn, alone)},
                             created_at=C.now()))
    regroup.regroup_stories(conn)
    in_memory = stories_of(conn)
    story_of = dict(in_memory[1])
    assert story_of[alone] == story_of[merged_into] and story_of[detached] != told[0][0]
    monkeypatch.setattr(regroup, "IN_MEMORY_EVENTS", 0)
    regroup.regroup_stories(conn)
    assert stories_of(conn) == in_memory


def test_a_grouping_out_of_memory_is_one_line_and_leaves_the_stories_as_they_were(corpus_store, tmp_path, monkeypatch):
    from timeline import grouping
    from timeline.errors import StoreError

    db = tmp_path / "t.db"
    shutil.copy(corpus_store, db)
    conn = store.connect(db)
    before = stories_of(conn)
    monkeypatch.setattr(regroup, "IN_MEMORY_EVENTS", 0)
    monkeypatch.setattr(grouping, "MEMORY_LIMIT", "1MB")
    with pytest.raises(StoreError, match="TIMELINE_REGROUP_MEMORY") as raised:
        regroup.regroup_stories(conn)
    assert "\n" not in str(raised.value)
    assert stories_of(conn) == before
