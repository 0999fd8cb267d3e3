"""Ingest throughput and memory with --jobs 1 and --jobs 2, and the store's size per 1,000 events.

    python benchmarks/ingest_speed.py [--articles 5000]

Each run is a fresh `timeline ingest` process into a fresh database, over the same synthetic
corpus (benchmarks/corpus.py), so the two are compared in one run on the same machine.
Peak memory is the largest resident set of the ingest process and its workers.
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
from corpus import make_corpus  # noqa: E402
from measure import measure  # noqa: E402


def run(folder: Path, db: Path, jobs: int) -> dict:
    seconds, peak = measure([sys.executable, "-m", "timeline.cli", "ingest", str(folder), "--db", str(db),
                             "--jobs", str(jobs)])
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    articles, events = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "events"))
    conn.close()
    size = db.stat().st_size
    return {"jobs": jobs, "seconds": round(seconds, 2), "articles_per_s": round(articles / seconds, 1),
            "peak_mb": round(peak, 1), "articles": articles, "events": events,
            "db_mb_per_1000_events": round(size / 2**20 / events * 1000, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=5000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="timeline-ingest-"))
    try:
        folder = work / "corpus"
        make_corpus(folder, args.articles)
        results = [run(folder, work / f"jobs{jobs}.db", jobs) for jobs in (1, 2)]
        results.append({"speedup_jobs2_over_jobs1": round(results[1]["articles_per_s"] / results[0]["articles_per_s"], 2)})
        print(json.dumps(results, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
