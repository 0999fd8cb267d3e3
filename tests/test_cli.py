import json
import subprocess
import sys
from pathlib import Path

from timeline.cli import main


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_extract_writes_events_and_mentions_as_jsonl(tmp_path, capsys):
    text = "Storm Ciarán hit Cornwall and Brittany on 2 November 2023."
    article = write(tmp_path, "storm.txt", text)
    assert main(["extract", str(article)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    [event] = [r for r in records if r["type"] == "event"]
    assert event["article"] == "storm.txt"
    assert event["date"] == {"text": "on 2 November 2023", "span": [39, 57], "value": "2023-11-02",
                             "start": "2023-11-02", "end": "2023-11-02", "precision": "day"}
    assert text[39:57] == "on 2 November 2023"
    assert {m["name"] for m in records if m["type"] == "mention"} >= {"Cornwall"}


def test_table_format_is_for_people(tmp_path, capsys):
    article = write(tmp_path, "a.txt", "Floods hit Lisbon in March 2021, officials said.")
    assert main(["extract", str(article), "--format", "table"]) == 0
    assert capsys.readouterr().out == (
        "date                     place                  outlet           sentence\n"
        "2021-03                  Lisbon                 -                "
        "Floods hit Lisbon in March 2021, officials said.\n")


def test_bad_files_get_one_line_each_and_the_others_are_extracted(tmp_path, capsys):
    write(tmp_path, "good.txt", "Rain fell in Oslo in May 2020.")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert main(["extract", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert '"article": "good.txt"' in out
    assert err.splitlines() == [f"timeline: error: {tmp_path / 'empty.txt'}: empty file",
                                f"timeline: error: {tmp_path / 'image.txt'}: binary data, not text"]


def test_published_flag_resolves_relative_dates(tmp_path, capsys):
    article = write(tmp_path, "a.txt", "Prices rose last week in Oslo.")
    assert main(["extract", str(article), "--published", "2024-11-26"]) == 0
    assert '"value": "2024-W47"' in capsys.readouterr().out


def test_without_a_publication_date_relative_dates_are_null_and_warned(tmp_path, capsys):
    article = write(tmp_path, "a.txt", "Prices rose last week in Oslo.")
    assert main(["extract", str(article)]) == 0
    out, err = capsys.readouterr()
    assert '"value": null' in out and "no publication date" in err


def test_console_script_runs_and_bad_usage_exits_2(tmp_path):
    run = subprocess.run([sys.executable, "-m", "timeline.cli", "extract", "--published", "soon", "x"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "not a date: 'soon'" in run.stderr


def test_extract_in_workers_prints_what_one_process_prints(tmp_path):
    """--jobs 2 (the default on two CPUs) gives the same lines in the same order as --jobs 1."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from corpus import make_corpus

    make_corpus(tmp_path, 80)
    (tmp_path / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    runs = [subprocess.run([sys.executable, "-m", "timeline.cli", "extract", str(tmp_path), "--jobs", jobs],
                           capture_output=True, text=True) for jobs in ("1", "2")]
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout.count("\n") > 80 * 10
    assert all(r.returncode == 1 and "broken.txt" in r.stderr for r in runs)


def _subparsers():
    import argparse

    from timeline.cli import build_parser

    [action] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return action.choices


def _options():
    for name, parser in _subparsers().items():
        for action in parser._actions:
            if action.dest != "help":
                yield pytest.param(name, action, id=f"{name}-{action.dest}")


import pytest  # noqa: E402


@pytest.mark.parametrize("command", list(_subparsers()))
def test_every_command_has_an_example(command):
    assert "example" in (_subparsers()[command].epilog or "")


@pytest.mark.parametrize("command, action", list(_options()))
def test_every_option_has_help(command, action):
    assert action.help and action.help.strip(), (command, action.option_strings or action.dest)


def test_the_table_has_a_header_row(tmp_path, capsys):
    article = write(tmp_path, "a.txt", "Floods hit Lisbon in March 2021, officials said.")
    main(["extract", str(article), "--format", "table"])
    assert capsys.readouterr().out.splitlines()[0].split() == ["date", "place", "outlet", "sentence"]


@pytest.mark.parametrize("command", ["extract", "ingest"])
@pytest.mark.parametrize("what", ["an empty folder", "a missing path"])
def test_nothing_to_read_is_one_line_exit_1_and_creates_no_store(tmp_path, capsys, command, what):
    path = tmp_path / ("empty" if what == "an empty folder" else "missing")
    if what == "an empty folder":
        path.mkdir()
    db = tmp_path / "var" / "t.db"
    assert main([command, str(path), *(["--db", str(db)] if command == "ingest" else [])]) == 1
    out, err = capsys.readouterr()
    problem = "no article files here (.txt .md .html .htm)" if what == "an empty folder" else "no such file or folder"
    assert (out, err) == ("", f"timeline: error: {path}: {problem}\n")
    assert not db.exists() and not db.parent.exists()


def test_serve_refuses_a_bad_path_instead_of_serving_an_empty_dashboard(tmp_path, capsys, monkeypatch):
    import timeline.dashboard.app as app

    monkeypatch.setattr(app, "serve", lambda *a: pytest.fail("served"))
    db = tmp_path / "t.db"
    assert main(["serve", str(tmp_path / "typo"), "--db", str(db)]) == 1
    assert capsys.readouterr().err == f"timeline: error: {tmp_path / 'typo'}: no such file or folder\n"
    assert not db.exists()


def test_serve_a_new_store_serves_it_empty_and_never_the_bundled_articles(tmp_path, capsys, monkeypatch):
    import timeline.dashboard.app as app
    from timeline import store

    served = []
    monkeypatch.setattr(app, "serve", lambda db, host, port: served.append(db))
    db = tmp_path / "new.db"
    assert main(["serve", "--db", str(db)]) == 0
    assert served == [db] and store.counts(store.connect(db))["articles"] == 0


def test_serve_demo_ingests_the_bundled_articles(tmp_path, monkeypatch, capsys):
    from conftest import SEEDS
    import timeline.dashboard.app as app
    from timeline import store

    monkeypatch.setattr(app, "serve", lambda *a: None)
    db = tmp_path / "demo.db"
    assert main(["serve", "--demo", "--db", str(db)]) == 0
    assert store.counts(store.connect(db))["articles"] == len(list(SEEDS.glob("*.txt")))


def test_summary_and_export_lines_say_1_event_not_1_events(tmp_path, capsys):
    article = write(tmp_path, "a.txt", "Floods hit Lisbon on 4 May 2021.")
    db = tmp_path / "t.db"
    assert main(["ingest", str(article), "--db", str(db)]) == 0
    assert capsys.readouterr().out == f"1 article (1 added, 0 replaced, 0 unchanged), 1 event, 1 place, 0 errors -> {db}\n"
    assert main(["export", "--db", str(db), "--format", "csv", "-o", str(tmp_path / "e.csv")]) == 0
    assert capsys.readouterr().err == f"1 event -> {tmp_path / 'e.csv'}\n"


def test_an_empty_store_says_how_to_add_articles(tmp_path):
    from timeline import store
    from timeline.dashboard.callbacks import _status

    conn = store.connect(tmp_path / "new.db")
    assert "no articles yet: add some with timeline ingest PATH" in _status(conn)
