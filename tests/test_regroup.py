"""Stories of a large store are grouped in blocks in DuckDB (grouping.py): the same stories, with
the analyst's detach and merge corrections, as corroborate.group gives with every event in memory."""
import shutil

import pytest

from timeline import grouping, regroup, store
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


@pytest.mark.parametrize("pairs_per_slice", [grouping.PAIRS_PER_SLICE, 7], ids=["one slice", "many slices"])
def test_blocks_give_the_stories_that_grouping_in_memory_gives(corpus_store, tmp_path, monkeypatch, pairs_per_slice):
    """Also when the candidate pairs are made distinct in many slices of their first member."""
    monkeypatch.setattr(grouping, "PAIRS_PER_SLICE", pairs_per_slice)
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


def _blocks_of(members):
    """grouping.py's stories of `members` (corroborate.Member), as rows keyed by story id."""
    import duckdb
    import pyarrow as pa

    from timeline import grouping

    con = duckdb.connect()
    rows = [{"rank": i, "seq": m.seq, "id": m.id, "article": m.article, "file": m.file, "outlet": m.outlet,
             "start": m.start, "end": m.end, "sentence": m.sentence, "label": m.label, "event_type": m.event_type,
             "precision": m.precision, "date_text": m.date_text, "place_id": m.place_id,
             "place_inferred": m.place_inferred, "spot_lat": None, "spot_lon": None, "days": 1}
            for i, m in enumerate(members)]
    con.register("_rows", pa.Table.from_pylist(rows))
    con.execute("CREATE TABLE _m AS SELECT * REPLACE (spot_lat::DOUBLE AS spot_lat, spot_lon::DOUBLE AS spot_lon) FROM _rows")
    con.register("_cs", pa.Table.from_pylist([{"rank": i, "countries": sorted(m.countries)} for i, m in enumerate(members)]))
    con.execute("CREATE TABLE _countries AS SELECT * FROM _cs")
    blocks = grouping.group_in_blocks(con)
    grouping.story_table(con, blocks)
    names = ("id", "outlets", "sources", "label", "event_type", "place_id", "lead_seq")
    return {r[0]: dict(zip(names, r)) for r in con.execute(f"SELECT {', '.join(names)} FROM _story").fetchall()}


def test_blocks_break_ties_of_lead_type_and_place_as_a_story_in_memory_does():
    """Leads of one precision whose labels share as many words, types and places as often given:
    the first told wins each tie, in DuckDB as in corroborate.Story."""
    from timeline.corroborate import Member, group

    sentence = "Rockets struck the Kharkiv power plant overnight, cutting power to 40,000 homes, officials said"
    spec = [  # (outlet, label, type, place id, inferred)
        (None, "Rockets struck the power plant", "other", 2, False),
        ("", "Rockets struck the power plant", "attack", 1, False),
        ("Wire B", "Power plant struck by rockets", "attack", 2, True),
        ("Wire C", "Power plant struck by rockets", "other", 1, False),
        ("Wire A", "Rockets hit the plant", "attack", None, False),
        ("Wire B", "Rockets struck the plant", "other", 2, False),
    ]
    members = [Member(seq, f"e{seq}", f"a{seq}", f"{seq}.txt", outlet, "2024-08-10", "2024-08-10",
                      sentence.replace("overnight", "overnight" + " late" * seq), frozenset({"UA"}), label, kind,
                      "day", "Saturday", place, inferred)
               for seq, (outlet, label, kind, place, inferred) in enumerate(spec, start=1)]
    stories = [s for s in group(members) if len(s.members) > 1]
    assert len(stories) == 1 and len(stories[0].members) == len(spec)
    story = stories[0]
    got = _blocks_of(members)[story.id]
    assert got == {"id": story.id, "outlets": story.outlets, "sources": len(story.members), "label": story.lead.label,
                   "event_type": story.event_type, "place_id": story.place_id, "lead_seq": story.lead.seq}
    assert story.outlets == 4  # no outlet and an empty one are one unknown source
