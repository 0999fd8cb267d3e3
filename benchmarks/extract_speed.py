"""Throughput of `timeline extract` against a dateparser.search_dates-per-sentence baseline.

    python benchmarks/extract_speed.py [--articles 1000] [--baseline-sample 40]

Both run on this machine in the same run, so the ratio holds on a noisy, shared machine.
`timeline extract` runs as the user runs it, a subprocess over the whole folder, twice: on one
core (--jobs 1) and as it runs by default (one worker per CPU). The baseline runs in-process on
one core, on a sample (it is an order slower), with the same sentence splitter and RELATIVE_BASE
set to each article's publication date. Cold start is one `timeline extract` of one article in a
fresh process, gazetteer included, with its cache warm and cold. Peak memory is that of the
largest process; with workers, the processes together hold at most (workers + 1) times that.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus  # noqa: E402
from measure import measure  # noqa: E402

from timeline.parallel import usable_cpus  # noqa: E402

TIMELINE = [sys.executable, "-m", "timeline.cli"]


def run_extract(paths: list[str], env=None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one `timeline extract` process."""
    return measure([*TIMELINE, "extract", *paths], env)


def baseline(paths: list[Path], manifest: dict) -> float:
    """Articles per second of search_dates over every sentence."""
    from dateparser.search import search_dates

    from timeline.extract.sentences import split_sentences

    search_dates("warm up on 5 May 2020", languages=["en"])  # load its language data untimed
    start = time.perf_counter()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        base = dt.datetime.fromisoformat(manifest[path.name]["published"])
        for s, e in split_sentences(text):
            search_dates(text[s:e], languages=["en"], settings={"RELATIVE_BASE": base})
    return len(paths) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--baseline-sample", type=int, default=40)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    try:
        paths = make_corpus(folder, args.articles)
        manifest = {e["file"]: e for e in json.loads((folder / "manifest.json").read_text())}
        # Cold start: first with an empty gazetteer cache, then as every later run finds it.
        cold_env = dict(os.environ, TIMELINE_CACHE=str(folder / "cache"))
        no_cache, _ = run_extract([str(paths[0])], cold_env)
        warm, _ = min(run_extract([str(paths[0])], cold_env) for _ in range(3))
        one_core, peak_one = run_extract([str(folder), "--jobs", "1"])
        all_cores, peak_all = run_extract([str(folder)])
        theirs = baseline(paths[: args.baseline_sample], manifest)
        result = {
            "articles": len(paths),
            "cpus": usable_cpus(),
            "timeline_one_core_articles_per_s": round(len(paths) / one_core, 1),
            "timeline_all_cores_articles_per_s": round(len(paths) / all_cores, 1),
            "timeline_peak_mb_per_process": round(max(peak_one, peak_all), 1),
            "baseline_one_core_articles_per_s": round(theirs, 2),
            "baseline_sample": args.baseline_sample,
            "speedup_one_core": round(len(paths) / one_core / theirs, 1),
            "speedup_all_cores": round(len(paths) / all_cores / theirs, 1),
            "cold_start_one_article_s": round(warm, 3),
            "cold_start_empty_cache_s": round(no_cache, 3),
        }
        print(json.dumps(result, indent=1))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
