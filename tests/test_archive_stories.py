"""regroup_archive gives SQLite's stories (ingest.regroup_stories, corroborate.group) on the same
input, by blocks whose pairs grow with the events, not with their square.

What "the same" compares (archive_corpus.sqlite_stories): for every story, its id, outlets,
sources, dates, label, type, precision, date words, place (by name and country), lead (by event
id) and members (by event id), and the disagreement's notes as a set; both stores being filled
in the archive's ingest order (stories.ORDER)."""
from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import pytest

from archive_corpus import archive_stories, build_both, sqlite_stories
from timeline import corrections as C
from timeline import store
from timeline.archive import schema
from timeline.archive.read import open_archive
from timeline.archive.stories import regroup_archive
from timeline.archive.transfer import import_store
from timeline.archive.write import write_batch
from timeline.ingest import regroup_stories

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from archive_stories import extractions as synthetic  # noqa: E402


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    return build_both(tmp_path_factory.mktemp("both"))


def test_the_archive_and_sqlite_give_the_same_stories(both):
    db, root = both
    expected, got = sqlite_stories(db), archive_stories(open_archive(root))
    assert got == expected
    assert sum(1 for s in got.values() if s["sources"] > 1) >= 15  # the corpus's stories, not only singles


def test_stories_made_in_small_batches_are_the_same(both, tmp_path, monkeypatch):
    """Every step that streams (words, pairs, stories) cut into batches of 5 events."""
    from timeline import grouping

    db, root = both
    monkeypatch.setattr(grouping, "BATCH", 5)
    monkeypatch.setattr(grouping, "PAIR_SLICE", 5)
    copy = tmp_path / "a"
    import shutil

    shutil.copytree(root, copy)
    regroup_archive(copy)
    assert archive_stories(open_archive(copy)) == sqlite_stories(db)


def test_the_archive_and_sqlite_give_the_same_events(both):
    db, root = both
    columns = ('e.id, a.id, a.file, a.outlet, a.published, e.sentence, e.sentence_start, e.date_text, e.date_start, '
               'e.value, e.start, e."end", e.precision, p.name, p.country, e.place_text, e.place_start, '
               'e.place_inferred, e.label, e.event_type, e.days, e.story_id')
    sql = (f"SELECT {columns} FROM events e JOIN articles a ON a.id = e.article_id "
           "LEFT JOIN places p ON p.id = e.place_id ORDER BY e.id")
    with contextlib.closing(store.connect(db, readonly=True)) as conn:
        expected = [tuple(r) for r in conn.execute(sql)]
    assert open_archive(root).execute(sql).fetchall() == expected and len(expected) > 100


def _sqlite_of(tmp_path: Path, batches) -> Path:
    """A SQLite store of the synthetic batches, written in the archive's ingest order."""
    db = tmp_path / "s.db"
    ordered = sorted((x for batch in batches for x in batch),
                     key=lambda x: (x.article.published, x.article.file, x.article.source_id))
    with contextlib.closing(store.connect(db)) as conn:
        for x in ordered:
            store.write_extraction(conn, x)
        regroup_stories(conn)
    return db


def test_blocks_keep_the_pairs_near_linear_and_the_stories_sqlites(tmp_path):
    """Every synthetic report shares common words with a third of the others: all pairs would
    be n^2/2. Twice the events give about twice the candidate pairs, and the stories are
    SQLite's (words used by more than MAX_POSTING events are dropped by both)."""
    stats = {}
    for n in (2_000, 4_000):
        batches = list(synthetic(n, seed=3))
        root = tmp_path / f"a{n}"
        for batch in batches:
            write_batch(root, batch)
        stats[n] = {}
        regroup_archive(root, stats[n])
        if n == 2_000:
            assert archive_stories(open_archive(root)) == sqlite_stories(_sqlite_of(tmp_path, batches))
    small, large = stats[2_000], stats[4_000]
    assert large["members"] >= 2 * small["members"] - 10
    all_pairs = large["members"] * (large["members"] - 1) // 2
    assert large["candidate_pairs"] < all_pairs / 10
    assert large["candidate_pairs"] / small["candidate_pairs"] < 2.6  # all pairs: 4
    assert small["joined"] > 0.3 * small["members"]  # the stories are there to be found


def test_a_new_generation_replaces_the_old_and_later_parts_wait_for_the_next(tmp_path):
    every = [x for batch in synthetic(600, seed=4) for x in batch]
    batches = [every[k:k + 10] for k in range(0, len(every), 10)]
    root = tmp_path / "a"
    for batch in batches[:-1]:
        write_batch(root, batch)
    first = regroup_archive(root)
    before = archive_stories(open_archive(root))
    write_batch(root, batches[-1])
    con = open_archive(root)
    later = {x.article.source_id for x in batches[-1]}
    rows = con.execute("SELECT article_id, story_id FROM events").fetchall()
    assert all((story is None) == (article in later) for article, story in rows)
    assert regroup_archive(root) > first
    regroup_archive(root)
    generations = [p for p in (root / "stories").iterdir() if p.is_dir()]
    assert len(generations) == 2  # the latest, and the one before for readers opened on it
    pointer = json.loads((root / "stories" / schema.STORIES_POINTER).read_text())["generation"]
    assert pointer == max(p.name for p in generations)
    after = archive_stories(open_archive(root))
    assert open_archive(root).execute("SELECT count(*) FROM events WHERE story_id IS NULL").fetchall() == [(0,)]
    # The stories of the earlier articles keep their ids (their first members came first).
    assert len(set(before) & set(after)) > 0.8 * len(before)


def test_the_analysts_story_corrections_give_sqlites_stories_in_the_archive(tmp_path, both):
    db, _ = both
    copy = tmp_path / "s.db"
    copy.write_bytes(Path(db).read_bytes())
    with contextlib.closing(store.connect(copy)) as conn:
        told = [r[0] for r in conn.execute("SELECT id FROM stories WHERE sources > 2 ORDER BY id")]
        lead = C.story_lead(conn, told[0])
        member = conn.execute("SELECT seq FROM events WHERE story_id = ? AND seq != ? ORDER BY seq LIMIT 1",
                              (told[0], lead)).fetchone()[0]
        other = conn.execute("SELECT seq FROM events WHERE story_id = ? AND seq != ? ORDER BY seq LIMIT 1",
                             (told[1], C.story_lead(conn, told[1]))).fetchone()[0]
        C.add(conn, C.Correction("detach", C.anchor_of(conn, member), None, None, "test", C.now()))
        C.add(conn, C.Correction("reject", C.anchor_of(conn, other), None, None, "test", C.now()))
        merge = {**C.anchor_of(conn, C.story_lead(conn, told[2])), "other": C.anchor_of(conn, C.story_lead(conn, told[3]))}
        C.add(conn, C.Correction("merge", merge, None, None, "test", C.now()))
        regroup_stories(conn)
    expected = sqlite_stories(copy)
    assert expected != sqlite_stories(db)  # the corrections changed stories
    root = tmp_path / "a"
    moved = import_store(copy, root, batch=5)
    assert moved.corrections == 3
    assert archive_stories(open_archive(root)) == expected
