"""A synthetic event store for dashboard benchmarks: N events over P places, with labels and
types, written through the same store.write_extraction the real ingest uses, then grouped into
stories as ingest groups them."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from timeline import store
from timeline.extract.event_types import EVENT_TYPES
from timeline.ingest import regroup_stories
from timeline.model import Article, DateValue, Event, Extraction, Place

OUTLETS = ["Wire A", "Wire B", "Daily C", "Times D", "Post E", "Herald F", "Radio G", "TV H"]
PRECISIONS = ["day", "day", "day", "month", "year", "week"]


def build(path: Path, events: int = 100_000, places: int = 2_000, per_article: int = 20, seed: int = 3) -> None:
    rng = random.Random(seed)
    spots = [Place(f"Place {i}", (0, 0), f"Place {i}", "XX", round(rng.uniform(-60, 70), 3),
                   round(rng.uniform(-170, 170), 3), "city" if i % 10 else "region") for i in range(places)]
    conn = store.connect(path)
    base = dt.date(2020, 1, 1)
    for a in range(events // per_article):
        text = " ".join(f"Sentence {k} of article {a} says something happened." for k in range(per_article))
        day0 = base + dt.timedelta(days=rng.randrange(0, 5 * 365))
        article = Article(f"synthetic-{a:06d}.txt", text, rng.choice(OUTLETS), f"Article {a}", None, day0)
        evs = []
        for k in range(per_article):
            start = day0 - dt.timedelta(days=rng.randrange(0, 60))
            precision = rng.choice(PRECISIONS)
            end = start + dt.timedelta(days={"day": 0, "week": 6, "month": 29, "year": 364}[precision])
            spot = rng.choice(spots)
            s0 = k * 50
            located = Place(spot.name, (s0, s0 + 8), spot.name, "XX", spot.lat, spot.lon, spot.kind)
            kind = EVENT_TYPES[(a + k) % len(EVENT_TYPES)]
            evs.append(Event(f"{a:06d}-{k:02d}", article.file, article.outlet, day0, text[s0:s0 + 45], (s0, s0 + 45),
                             DateValue("then", (s0, s0 + 4), start.isoformat(), start, end, precision),
                             (), located, label=f"Something of kind {kind} happens at {spot.name} (report {a})",
                             event_type=kind))
        store.write_extraction(conn, Extraction(article, tuple(evs), ()))
    regroup_stories(conn)
    conn.close()
