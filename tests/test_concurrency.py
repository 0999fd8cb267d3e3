"""Two ingests into one store at once, and the dashboard serving while an ingest writes."""
import json
import subprocess
import sys
import urllib.request

from conftest import make_variants
from timeline import store


def ingest_process(folder, db):
    return subprocess.Popen([sys.executable, "-m", "timeline.cli", "ingest", str(folder), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_ingests_at_once_both_finish_with_the_right_counts(tmp_path):
    a = make_variants(tmp_path / "a", 40)
    b = tmp_path / "b"
    b.mkdir()
    for path in sorted(a.glob("v*.txt"))[:40]:  # other texts: each line changed
        (b / f"b{path.name}").write_text(path.read_text(encoding="utf-8").replace("Report", "Memo"), encoding="utf-8")
    db = tmp_path / "shared.db"
    runs = [ingest_process(a, db), ingest_process(b, db), ingest_process(a, db)]
    outs = [p.communicate(timeout=600) for p in runs]
    assert [p.returncode for p in runs] == [0, 0, 0], [o[1] for o in outs]
    conn = store.connect(db)
    assert store.counts(conn)["articles"] == 80
    assert conn.execute("SELECT count(DISTINCT id) FROM events").fetchone()[0] == store.counts(conn)["events"]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.meta(conn, "stories_dirty") == "0"


def test_the_dashboard_keeps_serving_while_an_ingest_runs(tmp_path):
    from conftest import SEEDS, running_dashboard

    db = tmp_path / "live.db"
    with running_dashboard(SEEDS, db) as (base, _):
        layout = urllib.request.urlopen(base + "/_dash-layout", timeout=5)
        assert layout.status == 200
        ingest = ingest_process(make_variants(tmp_path / "more", 150), db)
        answered = 0
        while ingest.poll() is None:
            for path in ("/", "/_dash-layout", "/_dash-dependencies"):
                assert urllib.request.urlopen(base + path, timeout=10).status == 200
                answered += 1
        assert ingest.returncode == 0 and answered > 3
        json.loads(urllib.request.urlopen(base + "/_dash-layout", timeout=5).read())


def test_twenty_clients_changing_filters_get_no_errors(tmp_path):
    """The load test of benchmarks/load_test.py, bounded: 20 clients for 30 s on loopback."""
    from conftest import ROOT, SEEDS, running_dashboard

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from load_test import run_load

    with running_dashboard(SEEDS, tmp_path / "load.db") as (base, _):
        result = run_load(base, clients=20, seconds=30)
    print(result)
    assert result["errors"] == 0, result["first_errors"]
    assert result["requests"] > 100
