"""Extraction time on pathological text against ordinary news of the same size, in one run.

    python benchmarks/pathological.py [--megabytes 1]

Target: every ratio at most 3 (time of the pathological input over time of the news text).
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--megabytes", type=float, default=1.0)
    args = ap.parse_args()
    gazetteer = default_gazetteer()
    texts = inputs(int(args.megabytes * 1_000_000))
    seconds = {name: timed(text, gazetteer) for name, text in texts.items()}
    base = seconds["news"]
    print(json.dumps({"bytes": len(texts["news"]), "news_s": round(base, 3),
                      "ratios": {k: round(v / base, 2) for k, v in seconds.items() if k != "news"}}, indent=1))


if __name__ == "__main__":
    main()
