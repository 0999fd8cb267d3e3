"""`timeline archive import/export/regroup` and `timeline export --archive`, as a user runs them."""
from __future__ import annotations

import contextlib
import subprocess
import sys

import pytest

from archive_corpus import archive_stories, build_both, sqlite_stories
from timeline import store
from timeline.archive.read import counts, open_archive
from timeline.cli import build_parser, main
from timeline.dashboard.state import ViewState


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    return build_both(tmp_path_factory.mktemp("both"))


def _events(db):
    with contextlib.closing(store.connect(db, readonly=True)) as conn:
        return sorted(tuple(r) for r in conn.execute(
            'SELECT e.id, a.id, a.file, a.outlet, a.title, a.url, a.published, a.text, a.author, a.extractor, '
            'e.sentence, e.sentence_start, e.sentence_end, e.date_text, e.date_start, e.date_end, e.value, e.start, '
            'e."end", e.precision, p.name, p.country, p.kind, p.lat, p.lon, e.place_text, e.place_start, e.place_end, '
            "e.place_inferred, e.label, e.event_type, e.days, e.corrected, e.rejected, e.story_id, "
            "(SELECT group_concat(q.name || ':' || ep.text || ':' || ep.start, '|') FROM event_places ep "
            " JOIN places q ON q.id = ep.place_id WHERE ep.event_seq = e.seq) "
            "FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN places p ON p.id = e.place_id"))


def test_import_then_export_gives_the_store_back_and_reruns_add_nothing(tmp_path, both, capsys):
    db, _ = both
    archive, back = tmp_path / "archive", tmp_path / "back.db"
    assert main(["archive", "import", str(db), "--archive", str(archive), "--batch", "4"]) == 0
    assert "25 added, 0 unchanged" in capsys.readouterr().out
    files = sorted(p.name for p in archive.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert main(["archive", "import", str(db), "--archive", str(archive)]) == 0
    assert "0 added, 25 unchanged" in capsys.readouterr().out
    assert sorted(p.name for p in archive.rglob("*") if p.is_file() and not p.name.startswith(".")) == files
    assert main(["archive", "export", "--archive", str(archive), "--db", str(back), "--batch", "3"]) == 0
    assert "25 added, 0 unchanged" in capsys.readouterr().out
    assert main(["archive", "export", "--archive", str(archive), "--db", str(back)]) == 0
    assert "0 added, 25 unchanged" in capsys.readouterr().out
    assert _events(back) == _events(db)
    assert sqlite_stories(back) == sqlite_stories(db) == archive_stories(open_archive(archive))
    with contextlib.closing(store.connect(back, readonly=True)) as conn:  # SQLite's own index, filled
        assert conn.execute("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'hurricane'").fetchone()[0] > 0
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert counts(archive)["articles"] == 25


def test_regroup_prints_the_stories(both, capsys):
    _, archive = both
    assert main(["archive", "regroup", "--archive", str(archive)]) == 0
    assert capsys.readouterr().out.strip() == f"{counts(archive)['stories']} stories -> {archive}"


@pytest.mark.parametrize("fmt", ["csv", "geojson", "kml", "timelinejs"])
def test_export_from_an_archive_writes_what_sqlite_writes(tmp_path, both, fmt):
    db, archive = both
    filters = ["--since", "2024-01-01", "--outlet", "harbour times", "--outlet", "CNN", "--outlet", "(unknown outlet)",
               "--query", "hurricane OR storm OR Durov OR Ukraine"]
    if fmt == "csv":
        filters = ["--min-outlets", "2"]
    assert main(["export", "--db", str(db), "--format", fmt, "-o", str(tmp_path / "s"), *filters]) == 0
    assert main(["export", "--archive", str(archive), "--format", fmt, "-o", str(tmp_path / "a"), *filters]) == 0
    text = (tmp_path / "a").read_text(encoding="utf-8")
    assert text == (tmp_path / "s").read_text(encoding="utf-8")
    assert text.count("Durov" if fmt != "csv" else "\n") > 3  # not an empty export


def _run(*args):
    return subprocess.run([sys.executable, "-m", "timeline.cli", *args], capture_output=True, text=True, timeout=120)


def test_a_missing_archive_is_one_line_and_exit_1(tmp_path):
    for args in (["export", "--archive", str(tmp_path / "none"), "--format", "csv", "-o", str(tmp_path / "x.csv")],
                 ["archive", "export", "--archive", str(tmp_path / "none"), "--db", str(tmp_path / "x.db")],
                 ["archive", "regroup", "--archive", str(tmp_path / "none")]):
        done = _run(*args)
        assert done.returncode == 1
        assert done.stderr == (f"timeline: error: {tmp_path / 'none'}: no archive here "
                               f"(run `timeline ingest --archive {tmp_path / 'none'}` first)\n")
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.db").exists()


def test_a_missing_store_to_import_is_one_line_and_exit_1(tmp_path):
    done = _run("archive", "import", str(tmp_path / "none.db"), "--archive", str(tmp_path / "a"))
    assert (done.returncode, done.stderr.count("\n")) == (1, 1) and "none.db: no event store here" in done.stderr
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("state", [ViewState(), ViewState(query="missile", title="Missiles"),
                                   ViewState(outlets=("CNN", "Reuters")), ViewState(min_outlets=2)],
                         ids=["default", "search", "outlets", "told by two"])
def test_an_archives_briefing_is_the_stores(both, state, monkeypatch):
    """The same stories, marks, places and numbered sources; only "Data as of" is each one's.
    Every member counts, not only the first ones that the sources panel shows."""
    from timeline.archive import serve
    from timeline.archive.serve import ArchiveBackend
    from timeline.dashboard.briefing import PRESETS, briefing_figure

    monkeypatch.setattr(serve, "MAX_EVENTS", 1)

    db, archive = both
    conn = store.connect(db, readonly=True)
    try:
        want = briefing_figure(conn, state, PRESETS["slide"])
    finally:
        conn.close()
    got = briefing_figure(ArchiveBackend(archive, index_words=False), state, PRESETS["slide"])

    def comparable(figure):
        texts = [a["text"].split("Data as of")[0] for a in figure["layout"]["annotations"]]
        return texts, figure["data"], {k: v for k, v in figure["layout"].items() if k != "annotations"}

    assert comparable(got) == comparable(want)
    assert any("[1] " in t for t in comparable(got)[0])  # sources were numbered: stories were drawn
    assert any("Data as of 20" in a["text"] for a in got["layout"]["annotations"])


def test_an_unknown_outlet_is_named_with_the_closest(tmp_path, both, capsys):
    _, archive = both
    assert main(["export", "--archive", str(archive), "--format", "csv", "-o", str(tmp_path / "x"),
                 "--outlet", "cnnn"]) == 1
    assert "no outlet 'cnnn'; did you mean 'CNN'?" in capsys.readouterr().err


def test_every_archive_command_has_help_with_an_example():
    parser = build_parser()
    archive = parser._subparsers._group_actions[0].choices["archive"]
    commands = archive._subparsers._group_actions[0].choices
    assert set(commands) == {"import", "export", "regroup"}
    for name, command in commands.items():
        assert command.epilog.startswith("example: timeline archive " + name)
        assert command.description
