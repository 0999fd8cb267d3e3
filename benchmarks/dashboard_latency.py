"""Dashboard latency in headless Chromium: over a synthetic SQLite store (100,000 events at 2,000
places), or with --archive over a synthetic archive of Parquet parts (10,000,000 events), with
the SQLite store of --peer-events served and measured in the same run as its peer.

    python benchmarks/dashboard_latency.py [--events 100000] [--places 2000]
    python benchmarks/dashboard_latency.py --archive [--events 10000000] [--peer-events 100000]
                                           [--keep DIR]   # build the archive once, reuse it

Serves the real dashboard and drives it in headless Chromium (Debian's, through Playwright):
time to first render (navigation until both graphs are drawn), then for each filter change
the end-to-end time as the page sees it (from the input event that changes the filter to the
last redraw of a graph, both stamped in the page by performance.now()), the same time seen from
Playwright (which adds its own action and polling, 50-100 ms), the server time of its callback
requests (request sent to first response byte) and their payload size. The archive's server
loads its events before it listens: that time is reported apart (`load_s`), and the changes are
measured once its word index is built (`word_index_s` after the start).
Targets: SQLite: first render < 2 s, a filter change < 300 ms end to end, < 1 MB per update;
archive at 10,000,000 events: first render <= 3 s, a filter change <= 500 ms, <= 1 MB.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import free_port, serve  # noqa: E402
from synthetic_store import build  # noqa: E402

IDLE = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"
# Stamps the user's input and every finished redraw of either graph, in the page's own clock.
STAMPS = """() => {
    window.__stamps = {input: null, drawn: null};
    for (const type of ['click', 'keydown']) {
        document.addEventListener(type, () => { window.__stamps.input = performance.now(); }, true);
    }
    for (const id of ['timeline-graph', 'map-graph']) {
        const graph = document.querySelector('#' + id + ' .js-plotly-plot');
        graph.on('plotly_afterplot', () => { window.__stamps.drawn = performance.now(); });
    }
}"""


# The changes measured, with the outlet both generators name first; `text` is a word of the
# sentences of each (the SQLite store's say "article N", the archive's synthetic_archive.TEMPLATES).
STEPS = [("outlet Wire A", lambda page, text: page.get_by_label("Wire A", exact=False).first.check()),
         ("outlet Wire A off", lambda page, text: page.get_by_label("Wire A", exact=False).first.uncheck()),
         ("told by >= 2 outlets", lambda page, text: _slider(page, "ArrowRight")),
         ("told by any", lambda page, text: _slider(page, "Home")),
         ("text search", lambda page, text: (page.fill("#filter-query", text), page.keyboard.press("Enter"))),
         ("text cleared", lambda page, text: (page.fill("#filter-query", ""), page.keyboard.press("Enter"))),
         ("lanes by place", lambda page, text: page.get_by_label("by place").check()),
         ("every event", lambda page, text: page.get_by_label("every event").check())]
ARCHIVE_TEXT = "killed"  # a word of the synthetic archive's sentences (synthetic_archive.TEMPLATES)


def _slider(page, key: str) -> None:
    """Move the "told by at least" slider by its keys (its number box is hidden)."""
    page.focus("#filter-min-outlets [role=slider]")
    page.keyboard.press(key)


def measure(url: str, text: str) -> dict:
    """First render and each of STEPS, in a fresh headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        updates: list = []
        page.on("requestfinished", lambda r: updates.append(r) if "_dash-update-component" in r.url else None)
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("#map-graph .scattergeo .point", state="attached", timeout=60000)
        page.wait_for_selector("#timeline-graph .cartesianlayer .trace", state="attached", timeout=60000)
        page.wait_for_function(IDLE)
        first = time.perf_counter() - start
        page.evaluate(STAMPS)
        changes = []
        for name, act in STEPS:
            page.wait_for_timeout(500)
            updates.clear()
            t0 = time.perf_counter()
            act(page, text)
            page.wait_for_timeout(50)
            page.wait_for_function(IDLE, timeout=60000)
            elapsed = time.perf_counter() - t0
            page.wait_for_timeout(300)  # any redraw still to come lands before the stamps are read
            stamps = page.evaluate("window.__stamps")
            sizes = [r.sizes()["responseBodySize"] for r in updates]
            server_ms = [r.timing["responseStart"] - r.timing["requestStart"] for r in updates]
            changes.append({"change": name.replace("search", repr(text)) if name == "text search" else name,
                            "end_to_end_ms": round(stamps["drawn"] - stamps["input"]),
                            "seen_by_playwright_ms": round(elapsed * 1000),
                            "server_ms": [round(s) for s in server_ms],
                            "payload_kb": round(sum(sizes) / 1024, 1), "requests": len(updates)})
        browser.close()
    return {"first_render_s": round(first, 2), "changes": changes}


def serve_archive(root: Path) -> tuple[subprocess.Popen, str, float, float]:
    """`timeline serve --archive ROOT` on a free port: (process, base URL, seconds until it
    answered, seconds until its word index was ready). The changes are measured with the index
    built: until then a text search reads every sentence (aggregate.Frame)."""
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "timeline.cli", "serve", "--archive", str(root), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    indexed, built = threading.Event(), []

    def watch() -> None:  # the server's lines (read to the end: a full pipe would stop it)
        for line in proc.stderr:
            if "word index ready" in line:
                built.append(True)
            if "word index" in line:  # ready, or "no word index (why)"
                indexed.set()
        indexed.set()  # it exited

    threading.Thread(target=watch, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 1200:
        if proc.poll() is not None:
            raise RuntimeError(f"timeline serve --archive {root} exited with {proc.returncode}")
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            answered = time.perf_counter() - started
            if not indexed.wait(1200) or not built:
                proc.terminate()
                raise RuntimeError("the archive's word index was not built: its searches would be the scan's")
            return proc, base, answered, time.perf_counter() - started
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the dashboard did not start")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, help="events of the store (default 100,000) or archive (10,000,000)")
    ap.add_argument("--places", type=int, default=2_000)
    ap.add_argument("--archive", action="store_true", help="measure the dashboard over a synthetic archive")
    ap.add_argument("--peer-events", type=int, default=100_000,
                    help="with --archive: events of the SQLite store measured as its peer (0: none)")
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="with --archive: the archive's folder, built when missing and kept")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="timeline-dash-"))
    result: dict = {}
    try:
        if args.archive:
            from synthetic_archive import build as build_archive

            events = args.events or 10_000_000
            root = args.keep or work / "archive"
            if not (root / "archive.json").exists():
                t0 = time.perf_counter()
                build_archive(root, events, args.places)
                result["archive_built_s"] = round(time.perf_counter() - t0, 1)
            proc, base, load, indexed = serve_archive(root)
            try:
                result["archive"] = {"events": events, "places": args.places, "load_s": round(load, 1),
                                     "word_index_s": round(indexed, 1),
                                     **measure(base + "/", ARCHIVE_TEXT)}
            finally:
                _stop(proc)
            print(json.dumps({"archive": result["archive"]}), file=sys.stderr)  # kept should the peer fail
        if not args.archive or args.peer_events:
            events = args.peer_events if args.archive else (args.events or 100_000)
            db = work / "big.db"
            build(db, events, args.places)
            server, base = serve(db, work / "none")
            try:
                result["sqlite"] = {"events": events, "places": args.places, **measure(base + "/", "article 12")}
            finally:
                _stop(server)
        if "archive" in result and "sqlite" in result:
            result["archive_over_sqlite"] = _ratios(result["archive"], result["sqlite"])
        print(json.dumps(result, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _ratios(archive: dict, sqlite: dict) -> dict:
    """Archive time over SQLite time, first render and each change (the text searches look for
    different words in the two)."""
    out = {"first_render": round(archive["first_render_s"] / sqlite["first_render_s"], 2)}
    for (name, _), a, s in zip(STEPS, archive["changes"], sqlite["changes"]):
        out[name] = round(a["end_to_end_ms"] / max(1, s["end_to_end_ms"]), 2)
    return out


if __name__ == "__main__":
    main()
