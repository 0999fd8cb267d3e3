"""Screenshots of the dashboard as a user sees it, at 1440 x 900, in headless Chromium.

    python tools/screenshots.py http://127.0.0.1:8050/ OUT_DIR [--place Kursk] [--outlet CNN]

Takes: the default view, one outlet, a span dragged on the timeline, a place clicked on the map
(with its sources open), and prints what the page says it drew (labels, markers), so that a
reader can check the pictures against it.
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

IDLE = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url")
    ap.add_argument("out", type=Path)
    ap.add_argument("--outlet", default="CNN")
    ap.add_argument("--place", default="Kursk")
    ap.add_argument("--query", default="", help="a URL query for every view, e.g. 'view=events'")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        base = args.url.rstrip("/") + "/"
        extra = ("&" + args.query) if args.query else ""

        def shot(name: str, url: str, action=None):
            page.goto(url)
            page.wait_for_selector("#timeline-graph .main-svg", state="attached", timeout=30000)
            page.wait_for_function(IDLE)
            page.wait_for_timeout(800)
            if action:
                action()
                page.wait_for_function(IDLE)
                page.wait_for_timeout(800)
            page.screenshot(path=str(args.out / f"{name}.png"), full_page=False)
            labels = page.evaluate("""() => [...document.querySelectorAll('#timeline-graph .annotation-text')]
                .map(t => t.textContent)""")
            places = page.evaluate("""() => [...document.querySelectorAll('#map-graph .scattergeo text')]
                .map(t => t.textContent)""")
            print(json.dumps({"view": name, "url": page.url, "timeline_labels": labels, "map_labels": places},
                             ensure_ascii=False))

        shot("default", base + ("?" + args.query if args.query else ""))
        shot("outlet", base + "?outlet=" + args.outlet + extra)

        def drag():
            page.locator("#timeline-graph").scroll_into_view_if_needed()
            box = page.locator("#timeline-graph .nsewdrag").first.bounding_box()
            y = box["y"] + 30
            page.mouse.move(box["x"] + box["width"] * 0.55, y)
            page.mouse.down()
            page.mouse.move(box["x"] + box["width"] * 0.8, y, steps=8)
            page.mouse.up()
        shot("span", base + ("?" + args.query if args.query else ""), drag)

        def click_place():
            gd = page.locator("#map-graph .js-plotly-plot")
            point = page.evaluate("""(name) => {
                const gd = document.querySelector('#map-graph .js-plotly-plot');
                for (let c = 0; c < gd.calcdata.length; c++) {
                    const t = gd.data[c];
                    if (t.mode !== 'markers') continue;
                    const k = (t.customdata || []).indexOf(name);
                    if (k >= 0) { return {c, k}; }
                }
                return null; }""", args.place)
            if point is None:
                print(json.dumps({"note": f"no marker for {args.place}"}))
                return
            marker = page.locator("#map-graph .scattergeo.trace").nth(point["c"]).locator(".point").nth(point["k"])
            marker.click(force=True)
            page.wait_for_function(IDLE)
            page.wait_for_timeout(500)
            page.locator(".where-row").scroll_into_view_if_needed()
            page.evaluate("() => window.scrollBy(0, 200)")
        shot("place", base + ("?" + args.query if args.query else ""), click_place)
        browser.close()


if __name__ == "__main__":
    main()
