"""A deterministic synthetic corpus for benchmarks: the bundled articles, re-mixed.

Each generated article takes the sentences of one bundled article in a shuffled order and swaps
its place names for others, so that texts differ while staying news-shaped.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"
SWAPS = ["Kyiv", "Kharkiv", "Odesa", "Lviv", "Dnipro", "Warsaw", "Berlin", "Paris", "Madrid",
         "Lisbon", "Tokyo", "Seoul", "Beijing", "Cairo", "Nairobi", "Lagos", "Lima", "Bogota",
         "Toronto", "Chicago", "Houston", "Sydney", "Mumbai", "Jakarta", "Manila"]
NAMES = re.compile(r"\b(Hamhung|Pyongyang|Moscow|Kursk|Belgorod|Kyiv|Kharkiv)\b")


def seed_articles() -> list[tuple[str, dict]]:
    manifest = {e["file"]: e for e in json.loads((ARTICLES / "manifest.json").read_text())}
    return [(p.read_text(encoding="utf-8"), manifest.get(p.name, {})) for p in sorted(ARTICLES.glob("*.txt"))]


def make_corpus(folder: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    seeds = seed_articles()
    folder.mkdir(parents=True, exist_ok=True)
    manifest, paths = [], []
    for n in range(count):
        text, meta = seeds[n % len(seeds)]
        lines = text.split("\n")
        rng.shuffle(lines)
        body = NAMES.sub(lambda m: rng.choice(SWAPS), "\n".join(lines))
        path = folder / f"article_{n:05d}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
        manifest.append({"file": path.name, "outlet": meta.get("outlet") or f"Outlet {n % 7}",
                         "title": f"Article {n}", "published": meta.get("published", "2024-11-26")})
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return paths
