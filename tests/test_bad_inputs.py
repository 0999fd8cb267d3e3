"""Every bad input gets its text extracted or one line naming the file and the problem; never a
traceback; the other files go on; the exit status says when any failed; the store keeps what it had."""
import subprocess
import sys

import pytest

from bad_inputs import make_corpus, write_manifests
from timeline import store
from timeline.ingest import ingest


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    return folder, make_corpus(folder)


def run(*args):
    return subprocess.run([sys.executable, "-m", "timeline.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=900)


def test_extract_over_the_bad_corpus(corpus):
    folder, expect = corpus
    result = run("extract", folder, "--published", "2024-11-26")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("timeline: error: ")]
    for name, outcome in expect.items():
        named = [line for line in errors if name in line]
        if outcome == "error":
            assert len(named) == 1, (name, errors)
        else:
            assert not named, (name, named)
            assert f'"article": "{name}"' in result.stdout, name
    for line in result.stderr.splitlines():
        assert line.startswith(("timeline: error: ", "timeline: warning: ")), line


def test_decoded_texts_keep_their_words(corpus, capsys):
    from timeline.cli import main

    folder, _ = corpus
    for name, words in [("cp1252.txt", "Liège"), ("latin1.txt", "Liège"), ("utf16.txt", "Lisbon"),
                        ("news_page.html", "Floods hit Lisbon on 4 May 2021")]:
        assert main(["extract", str(folder / name), "--published", "2024-11-26"]) == 0
        assert words in capsys.readouterr().out, name


def test_news_page_keeps_the_article_not_the_navigation(corpus, capsys):
    from timeline.cli import main

    folder, _ = corpus
    main(["extract", str(folder / "news_page.html")])
    out = capsys.readouterr().out
    assert '"value": "2021-05-04"' in out  # the article's date, published from the page's metadata
    assert "2020" not in out and "fashion" not in out  # nothing from scripts or the aside


def test_ten_thousand_dates_all_found(corpus, capsys):
    from timeline.cli import main

    folder, _ = corpus
    main(["extract", str(folder / "many_dates.txt")])
    assert capsys.readouterr().out.count('"type": "event"') == 10_000


@pytest.mark.parametrize("manifest, message", [
    ("invalid.json", "not valid JSON"),
    ("not_a_list.json", "expected a JSON list of entries"),
    ("unknown_file.json", "names 1 file(s) that do not exist: ghost.txt"),
    ("impossible_date.json", "published '2024-02-30' is not a date, ignored"),
    ("wrong_types.json", "outlet must be text, ignored"),
])
def test_bad_manifests_are_one_line_and_the_articles_still_extracted(tmp_path, manifest, message):
    write_manifests(tmp_path)
    result = run("extract", tmp_path / "a.txt", "--manifest", tmp_path / manifest)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert any(message in line and manifest in line for line in result.stderr.splitlines()), result.stderr
    assert '"article": "a.txt"' in result.stdout


def test_a_failing_ingest_changes_nothing_already_stored(corpus, tmp_path):
    folder, expect = corpus
    db = tmp_path / "t.db"
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text("Floods hit Lisbon on 4 May 2021.", encoding="utf-8")
    ingest([good], db)
    conn = store.connect(db)
    before = [tuple(r) for r in conn.execute("SELECT id, file, text FROM articles")]
    small = [folder / n for n in ("empty.txt", "image.txt", "scripts_only.html", "dangling.txt")]
    summary = ingest(small, db)
    assert len(summary.errors) == 4
    assert [tuple(r) for r in conn.execute("SELECT id, file, text FROM articles")] == before
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
