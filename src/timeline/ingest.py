"""Ingest: articles -> extraction (in worker processes, --jobs) -> the store -> stories."""
from __future__ import annotations

import contextlib
import itertools
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import store
from .corpus import load_articles
from .extract.pipeline import extract_or_error
from .geocode.gazetteer import default_gazetteer
from .model import Article
from .parallel import ordered_map
from .regroup import regroup_stories  # noqa: F401  (the commands and the dashboard call it from here)
from .reread import extractor_stamp, reread, stale_articles


@dataclass
class Summary:
    articles: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    events: int = 0
    places: int = 0
    reread: int = 0  # stored articles read again (a newer extractor, changed curated files)
    changed: int = 0  # events that reading again changed
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def line(self, db: Path) -> str:
        return (f"{plural(self.articles, 'article')} ({self.added} added, {self.replaced} replaced, "
                f"{self.unchanged} unchanged), {plural(self.events, 'event')}, {plural(self.places, 'place')}, "
                f"{plural(len(self.errors), 'error')} -> {db}")


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def ingest(paths, db: Path, manifest: Path | None = None, published=None, jobs: int = 1,
           progress=None, refiner=None, fields: dict[str, str] | None = None, reextract: bool = False) -> Summary:
    """Extract and store every article under `paths`; one article per transaction. Articles
    stream from reading through extraction into the store, so memory does not grow with the
    input. With an online `refiner` extraction stays in this process (it holds a cache and a
    rate limit). When no article can be read, the store is left as it was: not even created."""
    summary = Summary()
    readable = _readable(load_articles(paths, manifest, published, fields), summary)
    first = next(readable, None)
    if first is None and not (reextract and Path(db).exists()):
        if Path(db).exists():
            with contextlib.closing(store.connect(db, readonly=True)) as conn:
                summary.places = store.counts(conn)["places"]
        return summary
    conn = store.connect(db)
    todo = _new(conn, itertools.chain([first] if first else [], readable), summary)
    extractions = map(lambda a: extract_or_error(a, refiner), todo) if refiner else _extractions(todo, jobs)
    stored = 0
    for written in store.write_all(conn, _noting_warnings(extractions, summary), extractor=extractor_stamp()):
        if isinstance(written, str):
            summary.errors.append(written)
            continue
        result = written[1]
        setattr(summary, result.status, getattr(summary, result.status) + 1)
        summary.events += result.events
        stored += 1
        if progress:
            progress(stored, None)
    if progress and stored:
        progress(stored, stored)
    summary.warnings = list(dict.fromkeys(summary.warnings))  # the pieces of a long text repeat theirs
    # Stored articles read by another extractor, or before the curated files changed (all of
    # them with `reextract`), are read again from their stored text; corrections re-applied.
    stale = stale_articles(conn, force=reextract)
    if stale:
        summary.reread, summary.changed = reread(conn, _extractions(stale, jobs), summary.errors.append)
    summary.places = store.counts(conn)["places"]
    if store.meta(conn, "stories_dirty") != "0":
        regroup_stories(conn)
    conn.close()
    return summary


def _readable(loaded, summary: Summary):
    """The articles that could be read, their warnings and errors noted in the summary."""
    for article, warnings, errors in loaded:
        summary.warnings += warnings
        summary.errors += errors
        if article is not None:
            yield article


def _noting_warnings(extractions, summary: Summary):
    for extraction in extractions:
        if not isinstance(extraction, str):
            summary.warnings += extraction.warnings
        yield extraction


def _new(conn, articles, summary: Summary):
    """The articles (and pieces of long ones) the store does not have yet, counted as they go
    by: a long article's pieces count once, and are judged by its first (the store has the
    article from then on: its first piece is being written while the next are read)."""
    known = False
    for article in articles:
        if getattr(article, "index", 0) == 0:
            whole = getattr(article, "whole", "") or article.source_id
            known = conn.execute("SELECT 1 FROM articles WHERE id = ?", (whole,)).fetchone() is not None
            summary.articles += 1
            summary.unchanged += known
        if not known:
            yield article


def needs_ingest(paths, db: Path) -> bool:
    """Is the store missing, or older than any article file (or manifest) under `paths`?"""
    db = Path(db)
    if not db.exists():
        return True
    built = db.stat().st_mtime
    for path in paths:
        path = Path(path)
        files = path.rglob("*") if path.is_dir() else [path]
        if any(f.is_file() and f.stat().st_mtime > built for f in files):
            return True
    return False


def _extractions(articles: list[Article], jobs: int):
    default_gazetteer()  # loaded once, before any worker starts, so that workers share it
    return ordered_map(extract_or_error, articles, jobs)


def terminal_progress(stream=None):
    """A one-line progress bar on a terminal; nothing when output is redirected."""
    stream = stream or sys.stderr  # looked up now: a test may have replaced it
    if not stream.isatty():
        return None

    def show(done: int, total: int | None) -> None:
        if total is None:  # articles stream in: how many there are is known at the end only
            stream.write(f"\r{plural(done, 'article')} stored")
        else:
            width = 30
            filled = width * done // max(total, 1)
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} articles")
            if done == total:
                stream.write("\n")
        stream.flush()
    return show
