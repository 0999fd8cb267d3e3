"""`timeline ingest SOURCE... --archive DIR [--engine dask [--scheduler tcp://HOST:PORT]]`.

The sources are cut into partitions (sources.py) of $TIMELINE_PARTITION_ARTICLES articles; the
articles of a partition that the archive does not hold are extracted and written as one part
(write.write_batch: atomic, and idempotent by article id, so a partition run again after its
worker died writes nothing twice).

`dask`: each partition is one task on a Dask cluster (the one at --scheduler, or a LocalCluster
of --jobs processes on this machine) that reads, extracts and writes it; the driver holds no
article: it hands out partitions, a bounded number at a time, and adds up the tasks' small
summaries; a partition whose worker died is run again. `local` (one machine): the partitions are
read and written here, their articles extracted in the project's fork pool (parallel.ordered_map)
as the SQLite ingest extracts them; the peer that benchmarks/archive_scale.py measures the
cluster against. After the last part, the stories are grouped again over the whole archive
(stories.regroup_archive).
"""
from __future__ import annotations

import array
import bisect
import collections
import functools
import gc
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import TimelineError
from ..extract.pipeline import extract_or_error
from ..geocode.gazetteer import default_gazetteer
from ..ingest import plural
from ..pieces import whole_extractions
from ..reread import extractor_stamp
from .sources import Options, Partition, Plan

# Partitions in flight per worker thread on a cluster: one running, one waiting, so that no
# worker idles between two tasks while the driver never holds more than a few summaries.
IN_FLIGHT_PER_THREAD = 2
MIN_IN_FLIGHT = 4
# A task that raised (a network file system's hiccup) is run again twice. A task whose worker
# died is run again by the scheduler itself, on another worker, up to
# distributed.scheduler.allowed-failures times (3) before it fails as KilledWorker.
RETRIES = 2
LOG_EVERY = 10  # partitions between two progress lines in a log (stderr not a terminal)


class ClusterError(TimelineError, ConnectionError):
    """The Dask scheduler named cannot be reached. The message names its address."""


@dataclass
class PartitionSummary:
    """What one task did: small, so that the driver's memory does not grow with the corpus."""

    articles: int = 0  # read (a long text's pieces count once)
    added: int = 0
    unchanged: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class KnownIds:
    """The articles an archive holds when a run begins, as sorted 64-bit numbers (an article id
    is 16 hex digits): 8 bytes an article, read once by the driver and sent once to each worker,
    so that no task looks the archive up (a look-up reads every part's ids: its cost grows with
    the archive, and a run of many parts would pay it for each)."""

    def __init__(self, numbers: array.array | None = None):
        self.numbers = numbers if numbers is not None else array.array("Q")

    @classmethod
    def of(cls, root: str) -> "KnownIds":
        import duckdb

        from .read import done_parts, part_files

        files = part_files(Path(root), "articles", done_parts(Path(root)))
        numbers = array.array("Q")
        if files:
            listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            with duckdb.connect() as con:
                rows = con.execute(f"SELECT DISTINCT TRY_CAST('0x' || id AS UBIGINT) AS n FROM read_parquet([{listed}]) "
                                   "WHERE n IS NOT NULL ORDER BY n")
                while chunk := rows.fetchmany(100_000):
                    numbers.extend(n for (n,) in chunk)
        return cls(numbers)

    def __contains__(self, article_id: str) -> bool:
        try:
            n = int(article_id, 16)
        except ValueError:
            return False
        at = bisect.bisect_left(self.numbers, n)
        return at < len(self.numbers) and self.numbers[at] == n

    def __len__(self) -> int:
        return len(self.numbers)


# ---------- the task, on a worker ----------

def run_partition(part: Partition, root: str, options: Options, batch_size: int, known: KnownIds) -> PartitionSummary:
    """Read, extract and write one partition: the articles that `known` (the archive when the run
    began) does not hold. One bad article is an error line of the summary; a failure to write
    raises (the engine reports it, after Dask's retries)."""
    _worker_ready()
    summary = PartitionSummary()
    store(root, map(extract_or_error, new_articles(part, known, options, summary)), batch_size, summary)
    return summary


@functools.lru_cache(maxsize=1)
def _worker_ready() -> None:
    """Once per worker process: the gazetteer loaded, then every object so far left out of the
    garbage collector's full passes (gc.freeze, as parallel.ordered_map does before it forks):
    each pass would walk the gazetteer's million objects, which are never garbage."""
    default_gazetteer()
    gc.freeze()


def new_articles(part: Partition, known: KnownIds, options: Options, summary: PartitionSummary):
    """The partition's articles that the archive did not hold when the run began, counted in the
    summary (with the errors and warnings of reading them); a re-run reads and hashes its
    articles but extracts none."""
    for article in _readable(part, options, summary):
        seen = _whole_id(article) in known
        if getattr(article, "index", 0) == 0:  # a long text's pieces count once
            summary.articles += 1
            summary.unchanged += seen
        if not seen:
            yield article


def store(root: str, extractions, batch_size: int, summary: PartitionSummary) -> None:
    """Write a partition's extractions (a long text's pieces joined) as parts of at most
    `batch_size` articles; an extraction that failed is an error line of the summary."""
    from .write import write_batch

    stamp = extractor_stamp()
    batch = []
    for extraction in whole_extractions(extractions):
        if isinstance(extraction, str):
            summary.errors.append(extraction)
            continue
        summary.warnings += extraction.warnings
        batch.append(extraction)
        if len(batch) == batch_size:
            _write(write_batch, root, batch, stamp, summary)
            batch = []
    if batch:
        _write(write_batch, root, batch, stamp, summary)
    summary.warnings = list(dict.fromkeys(summary.warnings))  # the pieces of a long text repeat theirs


def _readable(part: Partition, options: Options, summary: PartitionSummary):
    from .sources import articles_of

    for article, warnings, errors in articles_of(part, options):
        summary.warnings += warnings
        summary.errors += errors
        if article is not None:
            yield article


def _whole_id(article) -> str:
    """The archive's id of an article, or of the long article a piece belongs to."""
    return getattr(article, "whole", "") or article.source_id


def _write(write_batch, root: str, batch: list, stamp: str, summary: PartitionSummary) -> None:
    """Write a batch of articles the archive did not hold when the run began: all of them are
    this run's, also when their part is done already (by an attempt of this partition whose
    worker died before it could report)."""
    write_batch(root, batch, extractor=stamp, known=())  # `known` was asked: no look-up again
    unique = {x.article.source_id: x for x in batch}  # as write_batch counts them
    summary.added += len(unique)
    summary.events += sum(len(x.events) for x in unique.values())


def _not_written(part: Partition, e: BaseException) -> str:
    return f"{part.describe()}: not written ({type(e).__name__}: {e})"


# ---------- the driver ----------

@dataclass
class RunSummary:
    articles: int = 0
    added: int = 0
    unchanged: int = 0
    events: int = 0
    stories: int = 0
    errors: int = 0
    partitions: int = 0

    def add(self, part: PartitionSummary) -> None:
        self.partitions += 1
        self.articles += part.articles
        self.added += part.added
        self.unchanged += part.unchanged
        self.events += part.events
        self.errors += len(part.errors)

    def line(self, root) -> str:
        return (f"{plural(self.articles, 'article')} ({self.added:,} added, {self.unchanged:,} unchanged), "
                f"{plural(self.events, 'event')}, {plural(self.stories, 'story', 'stories')}, "
                f"{plural(self.errors, 'error')} -> {root}")


def cmd_ingest_archive(args) -> int:
    from ..cli import EXIT_OK, EXIT_SOME_FAILED, report

    if args.geocoder != "offline":
        report("error", f"--geocoder {args.geocoder} is for the SQLite store: an archive's workers "
               "geocode offline (its cache and rate limit belong to one process)")
        return EXIT_SOME_FAILED
    if args.reextract:
        report("error", "--reextract is for the SQLite store: an archive keeps each article as first read")
        return EXIT_SOME_FAILED
    if args.engine == "local" and args.scheduler:
        report("error", "--scheduler needs --engine dask")
        return EXIT_SOME_FAILED
    root = _root(args.archive)
    options = Options(args.published, tuple(sorted((args.fields or {}).items())))
    plan = Plan(args.paths, args.manifest)
    progress = Progress(sys.stderr)
    summary = RunSummary()
    run = _run_dask if args.engine == "dask" else _run_local
    known = KnownIds.of(root) if os.path.isdir(root) else KnownIds()
    for part in run(plan, root, options, known, args):
        summary.add(part)
        progress.clear()
        for message in part.warnings:
            report("warning", message)
        for message in part.errors:
            report("error", message)
        for message in _drain(plan.errors):
            report("error", message)
            summary.errors += 1
        progress.show(summary, plan)
    for message in _drain(plan.errors):  # a plan with no partition at all still says why
        report("error", message)
        summary.errors += 1
    progress.done(summary)
    if summary.articles:
        from .stories import regroup_archive

        summary.stories = regroup_archive(root)
    if summary.articles:  # else the errors said why, and the archive was not touched
        print(summary.line(args.archive))
    elif not summary.errors:
        report("error", f"no articles read from {', '.join(map(str, args.paths))}")
    return EXIT_SOME_FAILED if summary.errors or not summary.articles else EXIT_OK


def _root(archive) -> str:
    """The archive as every worker must name it: an absolute path (workers run elsewhere), or a URL."""
    text = str(archive)
    return text if "://" in text else os.path.abspath(text)


def _drain(messages: list[str]) -> Iterator[str]:
    while messages:
        yield messages.pop(0)


def _run_local(plan: Plan, root: str, options: Options, known: KnownIds, args) -> Iterator[PartitionSummary]:
    """The partitions read and written here, their articles extracted in the project's fork pool
    (parallel.ordered_map, as the SQLite ingest extracts): one stream of articles across the
    partitions, so that the pool never waits for a partition to end, and the extractions of each
    partition written as its parts when they are all back."""
    from ..parallel import ordered_map

    default_gazetteer()  # loaded once, before the pool forks, so that its workers share it
    sent: collections.deque[list] = collections.deque()  # [partition, its summary, articles sent], in order

    def articles():
        for part in plan:
            entry = [part, PartitionSummary(), 0]
            sent.append(entry)
            for article in new_articles(part, known, options, entry[1]):
                entry[2] += 1
                yield article

    def finished(entry: list, extractions: list) -> PartitionSummary:
        part, summary, _ = entry
        try:
            store(root, extractions, plan.size, summary)
        except (TimelineError, OSError) as e:
            summary.errors.append(_not_written(part, e))
        return summary

    extractions: list = []  # of the first partition in `sent`
    for extraction in ordered_map(extract_or_error, articles(), args.jobs):
        # The article of this extraction has been sent: a partition before it whose articles
        # are all back is whole.
        while len(extractions) == sent[0][2]:
            yield finished(sent.popleft(), extractions)
            extractions = []
        extractions.append(extraction)
    while sent:
        yield finished(sent.popleft(), extractions)
        extractions = []


def _run_dask(plan: Plan, root: str, options: Options, known: KnownIds, args) -> Iterator[PartitionSummary]:
    """Partitions as tasks, a bounded number in flight, each with RETRIES; a partition that still
    fails (its worker died each time, or it cannot be written) is one error line."""
    from distributed import as_completed

    with _client(args) as client:
        parts = iter(plan)
        described: dict[str, Partition] = {}
        known = client.scatter(known, broadcast=True, hash=False)  # once to each worker, not with each task

        def submit() -> bool:
            part = next(parts, None)
            if part is None:
                return False
            future = client.submit(run_partition, part, root, options, plan.size, known, retries=RETRIES, pure=False,
                                   key=f"timeline-partition-{len(described) + 1}-{os.urandom(4).hex()}")
            described[future.key] = part
            running.add(future)
            return True

        running = as_completed()
        while len(described) < MIN_IN_FLIGHT and submit():
            pass
        for future in running:
            part = described.pop(future.key)
            try:
                yield future.result()
            except Exception as e:  # noqa: BLE001 - any task failure (KilledWorker too) is one line
                yield PartitionSummary(errors=[_not_written(part, e)])
            finally:
                future.release()  # its result leaves the worker's memory now
            while running.count() < _in_flight(client) and submit():
                pass


def _in_flight(client) -> int:
    threads = sum(client.nthreads().values())
    return max(MIN_IN_FLIGHT, IN_FLIGHT_PER_THREAD * threads)


class _Cluster:
    """A client of the scheduler at `address`, or of a LocalCluster of `jobs` worker processes
    (one thread each: extraction is pure Python, threads would share one core)."""

    def __init__(self, address: str | None, jobs: int):
        self.address, self.jobs = address, jobs
        self.cluster = self.client = None

    def __enter__(self):
        import dask
        from distributed import Client, LocalCluster

        if self.address:
            try:
                self.client = Client(self.address)  # waits distributed.comm.timeouts.connect (30 s)
            except (OSError, TimeoutError) as e:
                raise ClusterError(f"{self.address}: no Dask scheduler answers there ({e})") from None
            return self.client
        from ..parallel import usable_cpus

        # dashboard_address ":0": the scheduler serves HTTP in any case; on a port of its own, it
        # does not meet another cluster's 8787 (and warn about it).
        # Without Dask's sampling profiler: each worker keeps a second's profile of its task for an
        # hour, which grew a worker by 30 MB in 4 minutes (and 50 MB from 100,000 to 200,000
        # articles) and slowed it; README tells a cluster's workers the same.
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            self.cluster = LocalCluster(n_workers=self.jobs or usable_cpus(), threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=":0", silence_logs=logging.ERROR)
        self.client = Client(self.cluster)
        return self.client

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _client(args) -> _Cluster:
    return _Cluster(args.scheduler, args.jobs)


# ---------- progress ----------

class Progress:
    """On a terminal, one line redrawn as partitions finish; in a log, a line every LOG_EVERY."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = stream.isatty()
        self.shown = False

    def show(self, summary: RunSummary, plan: Plan) -> None:
        total = f"{plan.planned:,}" + ("" if plan.complete else "+")  # "+": the sources are still being scanned
        line = (f"{summary.partitions:,} of {total} partitions done, {plural(summary.articles, 'article')} "
                f"({summary.added:,} added), {plural(summary.errors, 'error')}")
        if self.tty:
            self.stream.write(f"\r{line}")
            self.stream.flush()
            self.shown = True
        elif summary.partitions % LOG_EVERY == 0:
            print(f"timeline: {line}", file=self.stream, flush=True)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.shown = False

    def done(self, summary: RunSummary) -> None:
        if self.shown:
            self.stream.write("\n")
            self.shown = False
