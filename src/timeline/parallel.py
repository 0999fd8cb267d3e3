"""Work spread over worker processes, results in input order.

Extraction is pure Python and CPU-bound, so threads would not help; processes do. Workers are
forked where the platform allows, after the gazetteer is loaded, so they share it instead of
each loading their own.
"""
from __future__ import annotations

import collections
import gc
import itertools
import os
import threading
import time
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")
# Below this many items a pool costs more to start than it saves.
MIN_PARALLEL = 32
# Items sent to a worker at a time, and chunks kept in flight per worker: enough that no worker
# waits for the next, few enough that the input is read as it is consumed, not all at once.
CHUNK = 8
AHEAD_PER_JOB = 4
PARENT_CHECK_SECONDS = 0.5


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(func: Callable[[T], R], items: Iterable[T], jobs: int) -> Iterator[R]:
    """`map(func, items)` in `jobs` processes (all usable CPUs when 0); in this one when jobs is
    1 or there are few items. `func` must be a picklable top-level function or partial."""
    jobs = jobs or usable_cpus()
    if jobs <= 1:  # nothing read ahead: one piece of a long text is a megabyte
        yield from map(func, items)
        return
    items = iter(items)
    first = list(itertools.islice(items, MIN_PARALLEL))
    if len(first) < MIN_PARALLEL:
        yield from map(func, itertools.chain(first, items))
        return
    import multiprocessing  # here, not at the top: one process does without their import time
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunks = _chunks(itertools.chain(first, items))
    gc.freeze()  # forked workers then leave the parent's objects (the gazetteer) uncopied
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_exit_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            pending = collections.deque()
            for chunk in chunks:
                pending.append(pool.submit(_map_chunk, func, chunk))
                if len(pending) >= AHEAD_PER_JOB * jobs:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    finally:
        gc.unfreeze()


def _exit_with_parent(parent: int) -> None:
    """Run first in each worker. A parent killed outright (kill -9, the kernel's OOM killer) has
    no chance to stop its workers, which would wait for work for ever: each watches its parent
    and ends when the parent is gone."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _chunks(items: Iterator[T]) -> Iterator[list[T]]:
    while chunk := list(itertools.islice(items, CHUNK)):
        yield chunk


def _map_chunk(func: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [func(item) for item in chunk]
