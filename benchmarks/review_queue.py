"""How well the review queue puts wrong events first.

    python benchmarks/review_queue.py --articles tests/corpus --verdicts benchmarks/data/corpus_event_verdicts.json

`verdicts.json` is a reader's judgement of every event of those articles: a JSON list of
{"id": event id, "wrong": true|false} (event ids are stable for the same text and source). It
prints the share of wrong events overall, the share among the first 20% of all events as the
queue orders them (the queue first, then the events with no reason), and how many of the
wrong events the queue holds at all. benchmarks/data/corpus_event_verdicts.json is a reader's
judgement of the 81 events of tests/corpus (2026-12-01), with the reason for each wrong one.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from timeline import store  # noqa: E402
from timeline.geocode.gazetteer import default_gazetteer  # noqa: E402
from timeline.ingest import ingest  # noqa: E402
from timeline.review import queue  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=Path, action="append", required=True)
    ap.add_argument("--verdicts", type=Path, required=True)
    args = ap.parse_args()
    verdicts = {v["id"]: bool(v["wrong"]) for v in json.loads(args.verdicts.read_text(encoding="utf-8"))}
    db = Path(tempfile.mkdtemp(prefix="timeline-queue-")) / "t.db"
    ingest(args.articles, db)
    conn = store.connect(db, readonly=True)
    events = [r[0] for r in conn.execute("SELECT id FROM events WHERE rejected = 0 ORDER BY seq")]
    judged = [e for e in events if e in verdicts]
    items = queue(conn, default_gazetteer())
    ordered = [i.id for i in items if i.id in verdicts]
    ordered += [e for e in judged if e not in set(ordered)]
    first = ordered[:max(1, round(len(ordered) * 0.2))]
    wrong = [e for e in judged if verdicts[e]]
    print(json.dumps({
        "events": len(events), "judged": len(judged), "wrong": len(wrong),
        "wrong_share_overall": round(len(wrong) / max(1, len(judged)), 3),
        "queue": len(items), "first_20_percent": len(first),
        "wrong_share_in_first_20_percent": round(sum(verdicts[e] for e in first) / len(first), 3),
        "wrong_events_in_queue": sum(1 for i in items if verdicts.get(i.id)),
    }, indent=1))


if __name__ == "__main__":
    main()
