import os
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import make_variants
from timeline import store
from timeline.cli import main
from timeline.ingest import ingest


def test_cli_ingest_prints_one_summary_line(seed_folder, tmp_path, capsys):
    db = tmp_path / "t.db"
    assert main(["ingest", str(seed_folder), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 articles (5 added, 0 replaced, 0 unchanged), ") and out.endswith(f"0 errors -> {db}\n")


def test_bad_files_are_reported_and_the_rest_stored(seed_folder, tmp_path, capsys):
    (seed_folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "t.db"
    assert main(["ingest", str(seed_folder), "--db", str(db)]) == 1
    assert "empty.txt: empty file" in capsys.readouterr().err
    assert store.counts(store.connect(db))["articles"] == 5


def test_jobs_2_gives_the_same_store_as_jobs_1(tmp_path):
    folder = make_variants(tmp_path / "in", 24)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    ingest([folder], one, jobs=1)
    ingest([folder], two, jobs=2)
    counts = [store.counts(store.connect(db)) for db in (one, two)]
    assert counts[0] == counts[1] and counts[0]["articles"] == 24


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def test_kill_9_midway_leaves_a_sound_store_that_a_rerun_completes(tmp_path):
    folder = make_variants(tmp_path / "in", 300)
    db = tmp_path / "killed.db"
    proc = subprocess.Popen([sys.executable, "-m", "timeline.cli", "ingest", str(folder), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            continue
        if stored >= 20:
            break
    assert proc.poll() is None, "ingest finished before it could be killed"
    workers = _children(proc.pid)
    assert workers, "ingest runs its workers in processes of their own"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # The workers of a parent killed outright end on their own, not wait for work for ever.
    deadline = time.time() + 10
    while time.time() < deadline and any(os.path.exists(f"/proc/{pid}") for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")], "workers outlived their parent"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 20 <= partial < 300
    # no event outlives its article; the counts after the re-run (below) show none lost any
    orphans = conn.execute("SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
    assert orphans == 0
    conn.close()

    summary = ingest([folder], db)
    assert summary.unchanged == partial and summary.added == 300 - partial
    clean = tmp_path / "clean.db"
    ingest([folder], clean)
    assert store.counts(store.connect(db)) == store.counts(store.connect(clean))
