"""Peak memory of `timeline ingest` into SQLite at two corpus sizes: it must not grow with the
input (issue 14: the same peak, within 20%, at 10,000 and 50,000 articles).

    python benchmarks/ingest_memory.py [--articles 10000 50000] [--jobs 2]

The articles are those of benchmarks/archive_scale.py (generated from the project's own
articles and templates, so sentences do not repeat), as a JSON Lines dump. Each size is a fresh
`timeline ingest` process into a fresh store; the peak is the largest resident set of it or of
any of its worker processes (benchmarks/measure.py). Stores past regroup.IN_MEMORY_EVENTS events
group their stories in DuckDB; the line says which way each size went.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive_scale import make_dumps  # noqa: E402
from measure import measure  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, nargs="+", default=[10_000, 50_000])
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    from timeline.regroup import IN_MEMORY_EVENTS

    work = Path(tempfile.mkdtemp(prefix="timeline-ingest-memory-"))
    rows = []
    try:
        for n in args.articles:
            _, dump = make_dumps(work, n)
            db = work / f"{n}.db"
            seconds, peak = measure([sys.executable, "-m", "timeline.cli", "ingest", str(dump), "--db", str(db),
                                     "--jobs", str(args.jobs)])
            conn = sqlite3.connect(db)
            articles, events, stories = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                         for t in ("articles", "events", "stories"))
            dirty = conn.execute("SELECT value FROM meta WHERE key = 'stories_dirty'").fetchone()
            conn.close()
            if dirty and dirty[0] != "0":  # its grouping failed (out of DuckDB's memory): no peak to compare
                sys.exit(f"ingest_memory: the stories of {n:,} articles were not grouped ({events:,} events); "
                         "its peak would be that of an ingest that stopped short")
            rows.append({"articles": articles, "events": events, "stories": stories, "seconds": round(seconds, 1),
                         "peak_mb": round(peak), "stories_grouped": "in memory" if events <= IN_MEMORY_EVENTS else "in DuckDB"})
            db.unlink()
        rows.append({"peak_ratio_largest_over_smallest": round(rows[-1]["peak_mb"] / rows[0]["peak_mb"], 2)})
        print(json.dumps(rows, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
