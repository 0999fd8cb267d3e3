"""A real Dask cluster, started as docs/cluster.md tells a user to (`dask scheduler`, then
`dask worker tcp://HOST:PORT` twice, as separate processes, here on 127.0.0.1), and
`timeline ingest --archive DIR --engine dask --scheduler tcp://HOST:PORT` run against it; then a
worker killed (SIGKILL) in the middle of a run: the run completes with exact counts, no part is
half written, and a run again adds nothing."""
from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timeline.archive import read

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
SEEDS = sorted((ROOT / "data" / "articles").glob("*.txt"))
START_SECONDS = 60  # a scheduler and its workers start in 2-5 s; a loaded CI machine is slower


def _dask(command: str) -> list[str]:
    """`dask scheduler` / `dask worker` as installed beside this Python (the venv's script)."""
    script = Path(sys.executable).with_name("dask")
    if script.exists():
        return [str(script), command]
    return [sys.executable, "-m", f"distributed.cli.dask_{command}"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A scheduler and `workers` worker processes on 127.0.0.1, each in a process group of its
    own (a `dask worker` is a nanny and the worker process it starts), all killed at the end."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.procs: list[subprocess.Popen] = []

    def start(self, workers: int = 2) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        port = self.address.rsplit(":", 1)[1]
        self._start("scheduler", _dask("scheduler") + ["--host", "127.0.0.1", "--port", port, "--no-dashboard"])
        for n in range(workers):
            self._start(f"worker{n}", _dask("worker") + [
                self.address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
                "--local-directory", str(self.folder / f"worker{n}")],
                env={**os.environ, "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"})  # as README says
        self.workers = self.procs[1:]
        self._wait_for_workers(workers)

    def _start(self, name: str, cmd: list[str], env: dict | None = None) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
                                           start_new_session=True, env=env))

    def _wait_for_workers(self, count: int) -> None:
        from distributed import Client

        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with Client(self.address, timeout="2s") as client:
                    client.wait_for_workers(count, timeout=max(1, deadline - time.monotonic()))
                return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no cluster of {count} workers at {self.address}: {self.logs()}") from None
                time.sleep(0.2)

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL a process group: a worker machine lost, its nanny and worker process at once."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)

    def close(self) -> None:
        for proc in reversed(self.procs):
            self.kill(proc)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}" for p in sorted(self.folder.glob("*.log")))


@pytest.fixture
def cluster(tmp_path):
    started = Cluster(tmp_path / "cluster")
    try:
        started.start()
        yield started
    finally:
        started.close()


def _ingest(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "timeline.cli", "ingest", *map(str, args)], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


def _ingest_in_background(*args, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "timeline.cli", "ingest", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


def _sqlite_counts(tmp_path: Path, *paths) -> dict[str, int]:
    db = tmp_path / "reference.db"
    done = _ingest(*paths, "--db", db, "--jobs", "1")
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "events", "places", "mentions")}
    conn.close()
    return counts


def _archive_counts(archive: Path) -> dict[str, int]:
    counts = read.counts(archive)
    return {t: counts[t] for t in ("articles", "events", "places", "mentions")}


def test_ingest_on_a_cluster_of_separate_processes(cluster, tmp_path):
    archive = tmp_path / "archive"
    done = _ingest(CORPUS, "--archive", archive, "--engine", "dask", "--scheduler", cluster.address,
                   env={"TIMELINE_PARTITION_ARTICLES": "3"})
    assert done.returncode == 0, done.stderr + cluster.logs()
    expected = _sqlite_counts(tmp_path, CORPUS)
    assert _archive_counts(archive) == expected
    assert done.stdout.startswith(f"{expected['articles']} articles ({expected['articles']} added, 0 unchanged), "
                                  f"{expected['events']:,} events, ")
    assert len(read.done_parts(archive)) == 7  # 20 articles in partitions of 3


def _dump(path: Path, count: int) -> Path:
    """`count` distinct short articles: the first paragraphs of the bundled ones, each under a
    numbered line of its own."""
    heads = [seed.read_text(encoding="utf-8")[:1500].rsplit("\n", 1)[0] for seed in SEEDS]
    with path.open("w", encoding="utf-8") as f:
        for n in range(count):
            text = f"Report {n} was filed in Oslo on {1 + n % 28} March 2021.\n" + heads[n % len(heads)]
            f.write(json.dumps({"text": text, "outlet": f"Outlet {n % 5}", "published": "2024-11-26"}) + "\n")
    return path


def test_a_worker_killed_in_the_middle_of_a_run(cluster, tmp_path):
    dump = _dump(tmp_path / "dump.jsonl", 480)
    archive = tmp_path / "archive"
    small = {"TIMELINE_PARTITION_ARTICLES": "8"}  # 60 partitions: the run outlives the kill
    run = _ingest_in_background(dump, "--archive", archive, "--engine", "dask", "--scheduler", cluster.address, env=small)
    try:
        deadline = time.monotonic() + 120
        while len(read.done_parts(archive)) < 5:  # the run is under way on both workers
            assert run.poll() is None, run.communicate()
            assert time.monotonic() < deadline, "no part written"
            time.sleep(0.02)
        cluster.kill(cluster.workers[0])
        at_kill = len(read.done_parts(archive))
        out, err = run.communicate(timeout=240)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert at_kill < 60  # the kill came in the middle of the run
    assert run.returncode == 0, err + cluster.logs()
    expected = _sqlite_counts(tmp_path, dump)
    assert _archive_counts(archive) == expected
    assert out.startswith(f"480 articles (480 added, 0 unchanged), {expected['events']:,} events, ")

    # No part half written: every file a reader can see is whole and belongs to a done part.
    done = read.done_parts(archive)
    assert len(done) == 60
    for path in archive.rglob("*"):
        if path.is_dir() or path.name.startswith(".") or path.relative_to(archive).parts[0] == "stories":
            continue
        if path.parent.name == "_parts":
            assert path.suffix == ".done" and path.stem in done
        elif path.name != "archive.json":
            assert path.suffix == ".parquet" and path.stem in done, path
            import pyarrow.parquet as pq

            pq.read_metadata(path)  # a whole Parquet file (a cut one has no footer)

    again = _ingest(dump, "--archive", archive, "--engine", "dask", "--scheduler", cluster.address, env=small)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("480 articles (0 added, 480 unchanged), 0 events, ")
    assert read.done_parts(archive) == done
    assert _archive_counts(archive) == expected
