"""`timeline ingest --archive DIR` on both engines: the fork pool (local) and a Dask LocalCluster
give the archive the SQLite path gives; dumps are cut into partitions that read back exactly
the records the whole dump gives; a bad record or article is one error line."""
from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from timeline import corpus
from timeline.archive import read, sources
from timeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
SEEDS = sorted((ROOT / "data" / "articles").glob("*.txt"))
OUTLETS = ("Harbour Times", "Prairie Daily", "Alpine Post")


def _records(tag: str, count: int) -> list[dict]:
    """`count` distinct articles (a bundled one under a line of its own); every third without a
    `file` name, so that it is named by its record number (dump.jsonl#7)."""
    out = []
    for n in range(count):
        text = f"Report {tag} {n} was filed in Oslo on 3 March 2021.\n" + SEEDS[n % len(SEEDS)].read_text(encoding="utf-8")
        record = {"text": text, "outlet": OUTLETS[n % 3], "published": f"2024-{1 + n % 12:02d}-1{n % 10}"}
        if n % 3:
            record["file"] = f"{tag}-{n}.txt"
        out.append(record)
    return out


@pytest.fixture(scope="module")
def sources_dir(tmp_path_factory) -> Path:
    """A JSON Lines, a CSV and a Parquet dump (row groups of 3 rows) of distinct articles."""
    folder = tmp_path_factory.mktemp("dumps")
    with (folder / "wire.jsonl").open("w", encoding="utf-8") as f:
        for n, record in enumerate(_records("jsonl", 9)):
            f.write(json.dumps(record) + "\n" + ("\n" if n == 4 else ""))  # a blank line is no record
    with (folder / "feed.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["file", "outlet", "published", "text"])
        writer.writeheader()
        for record in _records("csv", 7):
            record["text"] = record["text"].replace("Oslo", 'Oslo ("the capital")')  # quotes in a cell
            writer.writerow(record)
    rows = _records("parquet", 8)
    table = pa.table({"file": [r.get("file") for r in rows], "outlet": [r["outlet"] for r in rows],
                      "published": [dt.date.fromisoformat(r["published"]) for r in rows],  # a typed date
                      "text": [r["text"] for r in rows], "extra": ["not read"] * len(rows)})
    pq.write_table(table, folder / "scrape.parquet", row_group_size=3)
    # The Parquet dump's records as JSON Lines: what the SQLite path reads of the same articles.
    (folder / "scrape-as-jsonl").mkdir()
    (folder / "scrape-as-jsonl" / "scrape.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                                           encoding="utf-8")
    return folder


@pytest.fixture
def small_partitions(monkeypatch):
    """Partitions of 4 articles: every dump is cut, a CSV record and a row group or two apart."""
    monkeypatch.setenv(sources.PARTITION_ENV, "4")


def _ingest(capsys, *args) -> tuple[int, str, str]:
    code = main(["ingest", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _dump_paths(folder: Path) -> list[Path]:
    return [folder / "wire.jsonl", folder / "feed.csv", folder / "scrape.parquet"]


def _files(archive: Path) -> set[str]:
    con = read.open_archive(archive)
    try:
        return {r[0] for r in con.execute("SELECT file FROM articles").fetchall()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def sqlite_counts(sources_dir, tmp_path_factory) -> tuple[dict, set[str]]:
    """What the SQLite path stores of the same articles (the Parquet dump as JSON Lines)."""
    db = tmp_path_factory.mktemp("sqlite") / "t.db"
    paths = [CORPUS, sources_dir / "wire.jsonl", sources_dir / "feed.csv", sources_dir / "scrape-as-jsonl" / "scrape.jsonl"]
    assert main(["ingest", *map(str, paths), "--db", str(db), "--jobs", "1"]) == 0
    conn = sqlite3.connect(db)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "events", "places", "mentions", "stories")}
    files = {r[0].replace("scrape.jsonl#", "scrape.parquet#") for r in conn.execute("SELECT file FROM articles")}
    conn.close()
    return counts, files


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_each_engine_stores_what_the_sqlite_path_stores(engine, sources_dir, sqlite_counts, small_partitions,
                                                        tmp_path, capsys):
    archive = tmp_path / "archive"
    code, out, err = _ingest(capsys, CORPUS, *_dump_paths(sources_dir), "--archive", archive,
                             "--engine", engine, "--jobs", "2")
    assert code == 0, err
    expected, files = sqlite_counts
    counts = read.counts(archive)
    assert {t: counts[t] for t in expected} == expected
    assert _files(archive) == files  # the same names: records numbered across partitions as dumps.records does
    assert out.strip() == (f"{expected['articles']} articles ({expected['articles']} added, 0 unchanged), "
                           f"{expected['events']} events, {expected['stories']} stories, 0 errors -> {archive}")


def test_a_second_run_adds_nothing(sources_dir, small_partitions, tmp_path, capsys):
    archive = tmp_path / "archive"
    paths = [CORPUS, *_dump_paths(sources_dir)]
    assert _ingest(capsys, *paths, "--archive", archive, "--jobs", "1")[0] == 0
    before, parts = read.counts(archive), sorted(p.name for p in (archive / "_parts").iterdir())
    code, out, _ = _ingest(capsys, *paths, "--archive", archive, "--jobs", "1")
    assert code == 0
    assert f"(0 added, {before['articles']} unchanged), 0 events" in out
    assert read.counts(archive) == before
    assert sorted(p.name for p in (archive / "_parts").iterdir()) == parts


def test_a_bad_record_and_a_bad_file_are_one_line_each(small_partitions, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    good = _records("bad", 6)
    lines = [json.dumps(r) for r in good[:5]] + ["{not json", json.dumps({"title": "no text"}), json.dumps(good[5])]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    archive = tmp_path / "archive"
    code, out, err = _ingest(capsys, folder, tmp_path / "dump.jsonl", "--archive", archive, "--engine", "dask",
                             "--jobs", "1")
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("timeline: error:")]
    assert errors == [f"timeline: error: {folder / 'binary.txt'}: binary data, not text",
                      f"timeline: error: {tmp_path / 'dump.jsonl'}: record 6: not valid JSON (Expecting property "
                      "name enclosed in double quotes at column 2)",
                      f"timeline: error: {tmp_path / 'dump.jsonl'}: record 7: no article text (no text or html "
                      "field, or an empty one)"]
    assert "7 articles (7 added, 0 unchanged)" in out and "3 errors" in out
    assert read.counts(archive)["articles"] == 7


def test_nothing_readable_leaves_no_archive(tmp_path, capsys):
    code, out, err = _ingest(capsys, tmp_path / "missing", "--archive", tmp_path / "archive")
    assert code == 1 and out == ""
    assert err.strip() == f"timeline: error: {tmp_path / 'missing'}: no such file or folder"
    assert not (tmp_path / "archive").exists()


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys):
    import socket

    import dask

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):  # Dask's own setting (30 s)
        code, _, err = _ingest(capsys, CORPUS, "--archive", tmp_path / "a", "--engine", "dask",
                               "--scheduler", f"tcp://127.0.0.1:{port}")
    assert code == 1
    assert err.startswith(f"timeline: error: tcp://127.0.0.1:{port}: no Dask scheduler answers there")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("size", [1, 2, 3, 50])
@pytest.mark.parametrize("name", ["wire.jsonl", "feed.csv"])
def test_partitions_of_a_dump_read_back_its_records(name, size, sources_dir):
    """Cut anywhere, the ranges give the records the whole dump gives, in order, numbered alike."""
    path = sources_dir / name
    whole = [(a.file, a.text, a.outlet, a.published) for a, _, errors in corpus.load_articles([path]) if a]
    plan = sources.Plan([path], size=size)
    parts = list(plan)
    assert not plan.errors
    assert len(parts) == -(-len(whole) // size)
    got = [(a.file, a.text, a.outlet, a.published) for part in parts
           for a, _, _ in sources.articles_of(part, sources.Options()) if a]
    assert got == whole


def test_parquet_partitions_are_runs_of_row_groups(sources_dir):
    parts = list(sources.Plan([sources_dir / "scrape.parquet"], size=4))
    assert [(p.start, p.stop, p.first) for p in parts] == [(0, 2, 1), (2, 3, 7)]  # groups of 3, 3 and 2 rows
    articles = [a for part in parts for a, _, _ in sources.articles_of(part, sources.Options()) if a]
    assert [a.file for a in articles][:3] == ["scrape.parquet#1", "parquet-1.txt", "parquet-2.txt"]
    assert articles[1].published == dt.date(2024, 2, 11)


def test_a_folder_is_cut_into_lists_of_files_with_their_manifest_entries():
    parts = list(sources.Plan([CORPUS], size=8))
    assert [len(p.files) for p in parts] == [8, 8, 4]
    path, entry = parts[0].files[0]
    assert path == str(CORPUS / "10_toropets_continental_wire.txt")
    assert entry.outlet == "Continental Wire" and entry.published == dt.date(2024, 9, 18)


def test_the_partition_size_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(sources.PARTITION_ENV, "12")
    assert sources.partition_articles() == 12
    monkeypatch.setenv(sources.PARTITION_ENV, "many")
    with pytest.raises(ValueError, match=r"\$TIMELINE_PARTITION_ARTICLES: expected a number"):
        sources.partition_articles()
    monkeypatch.delenv(sources.PARTITION_ENV)
    assert sources.partition_articles() == sources.DEFAULT_PARTITION_ARTICLES


def test_known_ids_are_the_archive_s_articles_when_the_run_began(tmp_path, capsys):
    from timeline.archive.engine import KnownIds

    archive = tmp_path / "archive"
    assert len(KnownIds()) == 0
    assert _ingest(capsys, CORPUS, "--archive", archive, "--jobs", "1")[0] == 0
    known = KnownIds.of(str(archive))
    con = read.open_archive(archive)
    ids = [r[0] for r in con.execute("SELECT id FROM articles").fetchall()]
    con.close()
    assert len(known) == len(ids) == 20
    assert all(i in known for i in ids)
    assert not any(f"{int(i, 16) ^ 1:016x}" in known for i in ids)  # a neighbour is not known
    assert "not hex" not in known


def test_sources_are_read_through_fsspec_urls(tmp_path, capsys):
    """A folder and a dump given as URLs (memory:// here, s3:// where s3fs is installed), read in
    this process (--jobs 1: a memory file system is not shared with other processes)."""
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.pipe("/press/one.txt", SEEDS[0].read_bytes())
    fs.pipe("/press/two.txt", SEEDS[1].read_bytes())
    fs.pipe("/press/.hidden.txt", b"not an article")
    fs.pipe("/press/wire.jsonl", "".join(json.dumps(r) + "\n" for r in _records("url", 3)).encode())
    try:
        archive = tmp_path / "archive"
        code, out, err = _ingest(capsys, "memory://press", "memory://press/wire.jsonl", "--archive", archive,
                                 "--jobs", "1", "--published", "2024-10-10")
        assert code == 0, err
        assert out.startswith("5 articles (5 added, 0 unchanged)")
        assert _files(archive) == {"one.txt", "two.txt", "url-1.txt", "url-2.txt", "wire.jsonl#1"}
    finally:
        fs.rm("/press", recursive=True)


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_a_run_over_new_and_stored_articles_adds_the_new_ones(engine, sources_dir, small_partitions, tmp_path, capsys):
    archive = tmp_path / "archive"
    assert _ingest(capsys, CORPUS, sources_dir / "wire.jsonl", "--archive", archive, "--jobs", "1")[0] == 0
    first = read.counts(archive)["articles"]
    code, out, err = _ingest(capsys, sources_dir / "feed.csv", CORPUS, sources_dir / "scrape.parquet",
                             sources_dir / "wire.jsonl", "--archive", archive, "--engine", engine, "--jobs", "2")
    assert code == 0, err
    assert out.startswith(f"{first + 15} articles (15 added, {first} unchanged)")  # 7 CSV and 8 Parquet records
    assert read.counts(archive)["articles"] == first + 15


def test_the_local_cluster_starts_its_workers_without_dasks_profiler():
    """Dask's sampling profiler keeps an hour of profiles in each worker: it grew a worker by
    50 MB from a 100,000- to a 200,000-article run (benchmarks/archive_scale.py)."""
    import dask

    from timeline.archive.engine import _Cluster

    with _Cluster(None, 1) as client:
        enabled = client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
    assert list(enabled.values()) == [False]
