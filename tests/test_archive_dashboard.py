"""The dashboard over an archive: the same view data as over SQLite on the same articles, and
the command's errors (the page in a browser: tests/browser/test_archive_dashboard.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archive_corpus import build_both
from timeline import store
from timeline.archive import aggregate
from timeline.archive.serve import ArchiveBackend
from timeline.dashboard import data
from timeline.query import Filters

ROOT = Path(__file__).resolve().parents[1]
FILTERS = [
    Filters(),
    Filters.of(outlets=["cnn"]),  # as the user writes it
    Filters.of(outlets=["Reuters", "(unknown outlet)"]),
    Filters.of(since="2024-06-01", until="2024-10-31"),
    Filters.of(since="2024-06-01", until="2024-06-30", vaguer=True),
    Filters.of(query="missile"),
    Filters.of(query='"air defence" OR drone'),
    Filters.of(query="attack -missile"),
    Filters.of(min_outlets=2),
    Filters.of(event_types=["attack/strike", "meeting/agreement"]),
    Filters.of(places=["Kursk"]),
    Filters.of(places=["ukraine"], min_outlets=2),
]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """(SQLite connection, archive backend) of the same articles; searches by the scan (the
    word index's answers are test_archive_search's)."""
    db, root = build_both(tmp_path_factory.mktemp("parity"))
    conn = store.connect(db, readonly=True)
    yield conn, ArchiveBackend(root, threads=1, index_words=False)
    conn.close()


def _without_ids(rows: list[dict]) -> list[tuple]:
    """Rows as comparable tuples: story ids and keys are each store's own."""
    return sorted((repr(sorted((k, v) for k, v in r.items() if k not in ("key", "story", "seq"))) for r in rows))


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.describe())
@pytest.mark.parametrize("group_by", ["type", "outlet", "place"])
def test_the_timeline_is_sqlites(both, filters, group_by):
    conn, archive = both
    for view in ("stories", "events"):
        want, got = data.timeline(conn, filters, group_by, view), archive.timeline(filters, group_by, view)
        assert (got["mode"], got["total"]) == (want["mode"], want["total"])
        assert _without_ids(got["rows"]) == _without_ids(want["rows"])


@pytest.mark.parametrize("group_by, lanes", [("type", 4), ("outlet", 4), ("place", 1000)])
def test_counts_per_lane_and_period_are_sqlites(both, group_by, lanes, monkeypatch):
    """Past MAX_ROWS lanes the rest are "(other)": lanes of equal counts are taken in the
    order of their keys, which are the same for types and outlets, not for place ids."""
    conn, archive = both
    archive.frame.selections.clear()  # counts are kept with their selection: made afresh at these sizes
    monkeypatch.setattr(data, "MAX_POINTS", 5)
    monkeypatch.setattr(aggregate, "MAX_POINTS", 5)
    monkeypatch.setattr(data, "MAX_ROWS", lanes)
    monkeypatch.setattr(aggregate, "MAX_ROWS", lanes)
    for filters in (Filters(), Filters.of(since="2024-01-01", until="2024-12-31", vaguer=True)):
        want, got = data.timeline(conn, filters, group_by, "events"), archive.timeline(filters, group_by, "events")
        assert got["mode"] in ("weeks", "months")
        assert (got["mode"], got["total"]) == (want["mode"], want["total"])
        assert sorted(got["rows"], key=str) == sorted(want["rows"], key=str)
    archive.frame.selections.clear()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.describe())
def test_the_histogram_map_and_counts_are_sqlites(both, filters):
    conn, archive = both
    assert _rounded(archive.histogram(filters)) == _rounded(data.histogram(conn, filters))
    assert sorted(archive.places(filters), key=str) == sorted(data.places(conn, filters), key=str)
    assert archive.undrawn(filters) == data.undated_without_place(conn, filters)


def _rounded(hist: list[dict]) -> list[dict]:
    return [{**h, "vague": round(h["vague"], 9)} for h in hist]


def test_the_filters_do_filter(both):
    """The parity above would hold of two backends that ignored a filter alike."""
    _, archive = both
    everything = archive.undrawn(Filters())["events"]
    for filters in FILTERS[1:]:
        assert 0 < archive.undrawn(filters)["events"] < everything, filters.describe()


def test_past_a_size_a_place_s_stories_are_estimated_or_left_out(both, monkeypatch):
    """Counting distinct stories is the dear part of the map at 10,000,000 events: past
    EXACT_STORIES they are estimated (HyperLogLog), or, where the counts come from the cubes,
    left out; events and outlets stay exact."""
    _, archive = both
    from_cube, by_date = Filters.of(outlets=["cnn"]), Filters.of(since="2020-01-01", until="2025-12-31", vaguer=True)
    exact = {f: archive.places(f) for f in (from_cube, by_date)}
    monkeypatch.setattr(aggregate, "EXACT_STORIES", 0)
    archive.frame.selections.clear()
    for filters, marked in ((from_cube, "stories"), (by_date, "stories_estimated")):
        large = archive.places(filters)
        assert [(p["name"], p["events"], p["outlets"]) for p in large] == \
            [(p["name"], p["events"], p["outlets"]) for p in exact[filters]]
        assert all(p.get("stories_estimated") for p in large) if marked == "stories_estimated" else \
            all(p["stories"] is None for p in large)
    archive.frame.selections.clear()


def test_the_sources_of_a_story_and_a_place(both):
    conn, archive = both
    timeline = archive.timeline(Filters(), "type", "stories")
    told = max(timeline["rows"], key=lambda r: (r["outlets"], r["n"]))
    panel = str(archive.provenance(told["key"], Filters()))
    assert told["label"] in panel and f"told by {told['outlets']} outlets" in panel
    place = archive.places(Filters())[0]
    panel = str(archive.provenance(place["name"], Filters(), on_map=True))
    assert f"At {place['name']}: {place['stories']} stor" in panel


def _timeline(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "timeline.cli", *args], capture_output=True, text=True, timeout=120)


def test_serving_a_missing_archive_is_one_line_and_exit_1(tmp_path):
    done = _timeline("serve", "--archive", str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "nowhere" in done.stderr and "no archive" in done.stderr


def test_articles_given_with_an_archive_are_one_line_and_exit_1(tmp_path):
    done = _timeline("serve", str(ROOT / "tests" / "corpus"), "--archive", str(tmp_path / "a"))
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "timeline ingest PATH --archive" in done.stderr


