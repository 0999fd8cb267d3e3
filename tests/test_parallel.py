"""ordered_map: results in input order, in workers or in this process, and failures reported."""
import os

from timeline.parallel import MIN_PARALLEL, ordered_map


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_many_items_run_in_workers_and_keep_their_order():
    results = list(ordered_map(square_and_pid, range(3 * MIN_PARALLEL), jobs=2))
    assert [r for r, _ in results] == [n * n for n in range(3 * MIN_PARALLEL)]
    assert os.getpid() not in {pid for _, pid in results}


def test_few_items_or_one_job_stay_in_this_process():
    for items, jobs in ((range(MIN_PARALLEL - 1), 2), (range(3 * MIN_PARALLEL), 1)):
        results = list(ordered_map(square_and_pid, items, jobs))
        assert {pid for _, pid in results} == {os.getpid()}
        assert [r for r, _ in results] == [n * n for n in items]


def test_the_input_is_read_as_it_is_consumed():
    read = []

    def items():
        for n in range(100_000):
            read.append(n)
            yield n

    results = ordered_map(square_and_pid, items(), jobs=2)
    next(results)
    assert len(read) < 100_000  # a batch, not the whole input
    results.close()
