"""Work spread over worker processes, results in input order.

Extraction is pure Python and CPU-bound, so threads would not help; processes do. Workers are
forked where the platform allows, after the gazetteer is loaded, so they share it instead of
each loading their own.
"""
from __future__ import annotations

import itertools
import os
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")
# Below this many items a pool costs more to start than it saves.
MIN_PARALLEL = 32
# Items handed to the pool at a time: the input is read as it is consumed, not all at once.
BATCH_PER_JOB = 128


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(func: Callable[[T], R], items: Iterable[T], jobs: int) -> Iterator[R]:
    """`map(func, items)` in `jobs` processes (all usable CPUs when 0); in this one when jobs is
    1 or there are few items. `func` must be a picklable top-level function or partial."""
    jobs = jobs or usable_cpus()
    items = iter(items)
    first = list(itertools.islice(items, MIN_PARALLEL))
    if jobs <= 1 or len(first) < MIN_PARALLEL:
        yield from map(func, itertools.chain(first, items))
        return
    import multiprocessing  # here, not at the top: one process does without their import time
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        batch = first + list(itertools.islice(items, BATCH_PER_JOB * jobs - len(first)))
        while batch:
            yield from pool.map(func, batch, chunksize=8)
            batch = list(itertools.islice(items, BATCH_PER_JOB * jobs))
