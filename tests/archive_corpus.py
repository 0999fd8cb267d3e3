"""The same articles in a SQLite store and in an archive, for the archive's parity tests.

Both are filled in the archive's ingest order (stories.ORDER: published, file, article id), so
SQLite's rowids and the archive's ranks put the events alike."""
from __future__ import annotations

import contextlib
from pathlib import Path

from timeline import store
from timeline.archive.stories import regroup_archive
from timeline.archive.write import write_batch
from timeline.corpus import load_articles
from timeline.extract.pipeline import extract_or_error
from timeline.ingest import ingest
from timeline.pieces import whole_extractions

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (ROOT / "tests" / "corpus", ROOT / "data" / "articles")


def ordered_articles(folders=CORPORA):
    articles = [a for folder in folders for a, _, _ in load_articles([folder]) if a is not None]
    return sorted(articles, key=lambda a: (a.published is None, a.published or "", a.file, a.source_id))


def build_both(tmp: Path, folders=CORPORA, batch: int = 7) -> tuple[Path, Path]:
    """(SQLite store, archive) of the same articles, the archive written in parts of `batch`."""
    articles = ordered_articles(folders)
    by_name = {p.name: p for folder in folders for p in folder.iterdir()}
    db, root = tmp / "store.db", tmp / "archive"
    ingest([by_name[a.file] for a in articles], db, jobs=1)
    extractions = [x for x in whole_extractions(extract_or_error(a) for a in articles)]
    for start in range(0, len(extractions), batch):
        write_batch(root, extractions[start:start + batch], extractor="test")
    regroup_archive(root)
    return db, root


def sqlite_stories(db: Path) -> dict[str, dict]:
    """Each story of the store by id: what both stores must agree on (place by name, lead by
    event id: the stores number places and events their own way)."""
    with contextlib.closing(store.connect(db, readonly=True)) as conn:
        rows = conn.execute(
            'SELECT s.id, s.outlets, s.sources, s.start, s."end", s.disagreement, s.label, s.event_type, s.precision, '
            "s.date_text, p.name, p.country, l.id, (SELECT group_concat(e.id, ' ') FROM events e WHERE e.story_id = s.id) "
            "FROM stories s LEFT JOIN places p ON p.id = s.place_id JOIN events l ON l.seq = s.lead_seq").fetchall()
    return {r[0]: _story(r) for r in rows}


def archive_stories(con) -> dict[str, dict]:
    rows = con.execute(
        'SELECT s.id, s.outlets, s.sources, s.start, s."end", s.disagreement, s.label, s.event_type, s.precision, '
        "s.date_text, p.name, p.country, l.id, (SELECT string_agg(e.id, ' ') FROM events e WHERE e.story_id = s.id) "
        "FROM stories s LEFT JOIN places p ON p.id = s.place_id JOIN events l ON l.seq = s.lead_seq").fetchall()
    return {r[0]: _story(r) for r in rows}


def _story(r) -> dict:
    keys = ("id", "outlets", "sources", "start", "end", "disagreement", "label", "event_type", "precision",
            "date_text", "place", "country", "lead", "members")
    d = dict(zip(keys, r))
    d["members"] = sorted((d["members"] or "").split())
    # Notes of one story come in an order group() does not fix (see stories.py): compare them as a set.
    d["disagreement"] = sorted((d["disagreement"] or "").split("; "))
    return d
