"""Extraction time on pathological text against ordinary news of the same size, in one run;
and the time and peak memory of one huge text file, extracted and ingested in pieces.

    python benchmarks/pathological.py [--megabytes 1]
    python benchmarks/pathological.py --huge 20 100     # one 20 MB and one 100 MB text file

Targets: every ratio at most 3 (time of the pathological input over time of the news text);
a huge file under 400 MB at its peak, and the same seconds per MB at 20 and at 100 MB.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from timeline.extract.pipeline import extract
from timeline.geocode.gazetteer import default_gazetteer
from timeline.model import Article

ROOT = Path(__file__).resolve().parents[1]


def inputs(size: int) -> dict[str, str]:
    news = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "articles").glob("*.txt")))
    fill = lambda unit: (unit * (size // len(unit) + 1))[:size]  # noqa: E731
    return {"news": fill(news + "\n"), "ones": fill("1 "), "january": fill("January "),
            "capitalised": fill("Alpha Beta Gamma Delta Epsilon "), "one place": fill("Kyiv "),
            "dates": fill("on 5 May 2021, "), "no stops": fill("the plant in Kyiv grew in June and ")}


def timed(text: str, gazetteer) -> float:
    article = Article("bench.txt", text, None, None, None, dt.date(2024, 11, 26))
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        extract(article, gazetteer)
        best = min(best, time.perf_counter() - start)
    return best


def huge_file(path: Path, megabytes: float) -> Path:
    """News text of `megabytes`, each copy of the bundled articles under a numbered line of its
    own, so that no two paragraphs are the same (a repeated one gives one event)."""
    news = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "articles").glob("*.txt")))
    size, n = int(megabytes * 1_000_000), 0
    with path.open("w", encoding="utf-8") as f:
        while f.tell() < size:
            f.write(f"Report {n} was filed in Oslo on {1 + n % 28} March {1990 + n % 30}.\n")
            f.write(news.replace("said", f"said ({n})") + "\n")
            n += 1
    return path


def huge(sizes: list[float]) -> None:
    import sys
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from measure import measure

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = huge_file(Path(tmp) / f"huge{mb:g}.txt", mb)
            real_mb = path.stat().st_size / 1e6
            for command in ("extract", "ingest"):
                cmd = [sys.executable, "-m", "timeline.cli", command, str(path), "--jobs", "1",
                       "--published", "2024-11-26"]
                if command == "ingest":
                    cmd += ["--db", str(Path(tmp) / f"huge{mb:g}.db")]
                seconds, peak = measure(cmd)
                rows.append({"command": command, "megabytes": round(real_mb, 1), "seconds": round(seconds, 1),
                             "s_per_mb": round(seconds / real_mb, 3), "peak_mb": round(peak)})
            path.unlink()
    print(json.dumps(rows, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--megabytes", type=float, default=1.0)
    ap.add_argument("--huge", type=float, nargs="+", metavar="MB",
                    help="instead: time and peak memory of one text file of each size, extracted and ingested")
    args = ap.parse_args()
    if args.huge:
        return huge(args.huge)
    gazetteer = default_gazetteer()
    texts = inputs(int(args.megabytes * 1_000_000))
    seconds = {name: timed(text, gazetteer) for name, text in texts.items()}
    base = seconds["news"]
    print(json.dumps({"bytes": len(texts["news"]), "news_s": round(base, 3),
                      "ratios": {k: round(v / base, 2) for k, v in seconds.items() if k != "news"}}, indent=1))


if __name__ == "__main__":
    main()
