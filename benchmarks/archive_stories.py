"""How regroup_archive grows: synthetic archives of N and 2N events, grouped into stories.

    python benchmarks/archive_stories.py [--events 100000] [--seed 5] [--no-sqlite]

Each archive holds stories of 1 to 4 reports (in articles of different outlets, a day or two
apart, in words drawn from the story's own), told among common words that every report uses, so
that all pairs would be N^2 / 2 and the blocks (words used by at most MAX_POSTING events) must
keep the work linear. Prints the time of each size, the candidate pairs, and the ratios: about
2 for twice the events, not 4. The peer, measured in the same run on the same events: SQLite's
ingest.regroup_stories (corroborate.group over every event in Python), its time, peak memory
(each grouping in a process of its own) and number of stories, which must be the archive's.
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import queue
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from timeline.archive.stories import regroup_archive  # noqa: E402
from timeline.archive.write import write_batch  # noqa: E402
from timeline.extract.event_types import EVENT_TYPES  # noqa: E402
from timeline.model import Article, DateValue, Event, Extraction, Place  # noqa: E402

OUTLETS = [f"Outlet {i}" for i in range(40)]
COMMON = "officials reported statement residents authorities region government local sources".split()
COUNTRIES = ["FR", "DE", "ES", "IT", "PL", "UA", "GB", "US", "JP", "BR"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4))


def extractions(events: int, seed: int = 5, per_article: int = 10):
    """Batches of synthetic extractions with about `events` events."""
    rng = random.Random(seed)
    vocabulary = [_word(rng) for _ in range(max(200, events // 4))]
    # A town per hundred events: each town's name a block of about a hundred (a fixed number of
    # towns would make its blocks grow with the events until MAX_POSTING drops them).
    names = {_word(rng).title() for _ in range(max(10, events // 100))}
    places = [Place(name, (0, len(name)), name, COUNTRIES[i % len(COUNTRIES)], round(rng.uniform(-50, 60), 3),
                    round(rng.uniform(-120, 140), 3), "city") for i, name in enumerate(sorted(names))]
    base = dt.date(2021, 1, 1)
    reports = []  # (story, report number)
    stories = []
    while len(reports) < events:
        k = len(stories)
        day = base + dt.timedelta(days=rng.randrange(0, 3 * 365))
        stories.append((day, rng.choice(places), EVENT_TYPES[k % len(EVENT_TYPES)], rng.sample(vocabulary, 6)))
        reports += [(k, r) for r in range(rng.choice((1, 1, 2, 3, 4)))]
    rng.shuffle(reports)
    batch = []
    for a in range(0, len(reports), per_article):
        told = reports[a:a + per_article]
        sentences, evs = [], []
        outlet = rng.choice(OUTLETS)
        published = max(stories[k][0] for k, _ in told) + dt.timedelta(days=rng.randrange(1, 3))
        offset = 0
        for k, r in told:
            day, place, kind, words = stories[k]
            own = rng.sample(words, 4)
            sentence = f"{place.name} {' '.join(own)} {' '.join(rng.sample(COMMON, 3))} on {day.isoformat()}."
            span = (offset, offset + len(sentence))
            d0 = offset + sentence.index(" on ") + 4
            date = DateValue(day.isoformat(), (d0, d0 + 10), day.isoformat(), day, day, "day")
            located = Place(place.name, (offset, offset + len(place.name)), place.name, place.country, place.lat,
                            place.lon, place.kind)
            evs.append((sentence, span, date, located, " ".join(own[:3]), kind))
            sentences.append(sentence)
            offset += len(sentence) + 1
        text = " ".join(sentences)
        article = Article(f"synthetic-{a // per_article:07d}.txt", text, outlet, None, None, published)
        from timeline.extract.events import _event_id  # the one definition of an event's id

        batch.append(Extraction(article, tuple(
            Event(_event_id(article, date), article.file, outlet, published, sentence, span, date, (located,), located,
                  label, kind) for sentence, span, date, located, label, kind in evs), ()))
        if len(batch) == 500:
            yield batch
            batch = []
    if batch:
        yield batch


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """This process's CPU time, its threads' (DuckDB's) included: others' work on a shared
    machine moves it far less than the wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _regroup_archive(root: str, out) -> None:
    """In a process of its own, so that its peak memory is the grouping's."""
    stats: dict = {}
    started = time.perf_counter()
    regroup_archive(root, stats)
    out.put({**stats, "seconds": time.perf_counter() - started, "cpu": _cpu_seconds(), "peak_mb": _peak_mb()})


def _regroup_sqlite(db: str, out) -> None:
    from timeline import store
    from timeline.ingest import regroup_stories

    conn = store.connect(db)
    started = time.perf_counter()
    stories = regroup_stories(conn)
    out.put({"stories": stories, "seconds": time.perf_counter() - started, "cpu": _cpu_seconds(), "peak_mb": _peak_mb()})


def _in_child(target, path: str) -> dict | None:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of the writing
    out = context.Queue()
    child = context.Process(target=target, args=(path, out))
    child.start()
    while True:
        try:
            result = out.get(timeout=1)
            break
        except queue.Empty:
            if not child.is_alive():
                print(f"{target.__name__} failed (exit {child.exitcode}): see its traceback above", file=sys.stderr)
                return None
    child.join()
    return result


def measure(events: int, seed: int, sqlite: bool) -> dict:
    """regroup_archive over an archive of the synthetic events; with `sqlite`, also
    ingest.regroup_stories over a SQLite store of the same events (written in the archive's
    ingest order), the peer."""
    folder = Path(tempfile.mkdtemp(prefix="archive-stories-"))
    root, db = folder / "archive", folder / "store.db"
    try:
        written = []
        for batch in extractions(events, seed):
            write_batch(root, batch, known=())
            if sqlite:
                written += batch
        stats = _in_child(_regroup_archive, str(root))
        if stats is None:
            raise SystemExit(1)
        if sqlite:
            from timeline import store

            conn = store.connect(db)
            for x in sorted(written, key=lambda x: (x.article.published, x.article.file, x.article.source_id)):
                store.write_extraction(conn, x)
            conn.close()
            del written
            peer = _in_child(_regroup_sqlite, str(db))
            if peer is not None:  # a failed peer is said, and the archive's figures stay
                stats["sqlite"] = peer
        return stats
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000, help="the smaller size (the larger is twice it)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--no-sqlite", action="store_true", help="leave out the peer (SQLite's regroup_stories)")
    args = ap.parse_args()
    small = measure(args.events, args.seed, not args.no_sqlite)
    large = measure(2 * args.events, args.seed, not args.no_sqlite)
    for stats in (small, large):
        print(f"{stats['members']:>9,} events: archive {stats['seconds']:7.1f} s ({stats['cpu']:.1f} s CPU), "
              f"peak {stats['peak_mb']:,.0f} MB, "
              f"{stats['stories']:,} stories, {stats['candidate_pairs']:,} candidate pairs, "
              f"{stats['pairs_judged']:,} judged, {stats['joined']:,} joined")
        if "sqlite" in stats:
            peer = stats["sqlite"]
            print(f"{'':>17} sqlite  {peer['seconds']:7.1f} s ({peer['cpu']:.1f} s CPU), peak {peer['peak_mb']:,.0f} MB, "
                  f"{peer['stories']:,} stories")
    all_pairs = large["members"] * (large["members"] - 1) / max(1, small["members"] * (small["members"] - 1))
    print(f"ratio at twice the events: archive time {large['seconds'] / small['seconds']:.2f} "
          f"(CPU {large['cpu'] / small['cpu']:.2f}), "
          f"candidate pairs {large['candidate_pairs'] / max(1, small['candidate_pairs']):.2f} "
          f"(all pairs would be {all_pairs:.2f})")
    if "sqlite" in small and "sqlite" in large:
        print(f"archive / sqlite: time {small['seconds'] / small['sqlite']['seconds']:.2f} and "
              f"{large['seconds'] / large['sqlite']['seconds']:.2f}, peak memory "
              f"{small['peak_mb'] / small['sqlite']['peak_mb']:.2f} and {large['peak_mb'] / large['sqlite']['peak_mb']:.2f}")


if __name__ == "__main__":
    main()
