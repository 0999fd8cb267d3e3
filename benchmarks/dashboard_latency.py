"""Dashboard latency over a synthetic store of 100,000 events at 2,000 places.

    python benchmarks/dashboard_latency.py [--events 100000] [--places 2000]

Serves the real dashboard and drives it in headless Chromium (Debian's, through Playwright):
time to first render (navigation until both graphs are drawn), then for each filter change
the end-to-end time as the page sees it (from the input event that changes the filter to the
last redraw of a graph, both stamped in the page by performance.now()), the same time seen from
Playwright (which adds its own action and polling, 50-100 ms), the server time of its callback
requests (request sent to first response byte) and their payload size.
Targets: first render < 2 s, a filter change < 300 ms end to end, < 1 MB per update.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import serve  # noqa: E402
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--places", type=int, default=2_000)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="timeline-dash-"))
    db = work / "big.db"
    build(db, args.events, args.places)
    server, base = serve(db, work / "none")
    url = base + "/"
    try:
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
            steps = [("outlet Wire A", lambda: page.get_by_label("Wire A", exact=False).first.check()),
                     ("outlet Wire A off", lambda: page.get_by_label("Wire A", exact=False).first.uncheck()),
                     ("text 'article 12'", lambda: (page.fill("#filter-query", "article 12"), page.keyboard.press("Enter"))),
                     ("text cleared", lambda: (page.fill("#filter-query", ""), page.keyboard.press("Enter"))),
                     ("lanes by place", lambda: page.get_by_label("by place").check()),
                     ("every event", lambda: page.get_by_label("every event").check())]
            for name, act in steps:
                page.wait_for_timeout(500)
                updates.clear()
                t0 = time.perf_counter()
                act()
                page.wait_for_timeout(50)
                page.wait_for_function(IDLE)
                elapsed = time.perf_counter() - t0
                page.wait_for_timeout(300)  # any redraw still to come lands before the stamps are read
                stamps = page.evaluate("window.__stamps")
                sizes = [r.sizes()["responseBodySize"] for r in updates]
                server_ms = [r.timing["responseStart"] - r.timing["requestStart"] for r in updates]
                changes.append({"change": name, "end_to_end_ms": round(stamps["drawn"] - stamps["input"]),
                                "seen_by_playwright_ms": round(elapsed * 1000),
                                "server_ms": [round(s) for s in server_ms],
                                "payload_kb": round(sum(sizes) / 1024, 1), "requests": len(updates)})
            browser.close()
        print(json.dumps({"events": args.events, "places": args.places,
                          "first_render_s": round(first, 2), "changes": changes}, indent=1))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
