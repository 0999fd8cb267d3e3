"""Browser tests drive the real page in Debian's headless Chromium through Playwright.

They skip where Chromium is missing, except under CI=true, where a missing browser fails.
"""
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[2]
XSS_ARTICLE = """Hostile page reprinted
Rioters in Lisbon wrote <script>window.__pwned = 1</script> on walls on 4 May 2021.
Police in Porto found <img src=x onerror="window.__pwned = 2"> graffiti on 5 May 2021.
"""


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing under CI=true: install Debian's chromium")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The dashboard over the bundled articles plus one hostile article, on a free port."""
    from conftest import running_dashboard

    work = tmp_path_factory.mktemp("dash")
    articles = work / "articles"
    shutil.copytree(ROOT / "data" / "articles", articles)
    (articles / "hostile.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    with running_dashboard(articles, work / "t.db") as (base, _):
        yield base + "/"


@pytest.fixture(scope="session")
def corpus_server(tmp_path_factory, browser):
    """The dashboard over the bundled articles and tests/corpus: 25 articles, 14 outlets, stories
    around the world."""
    import json

    from conftest import running_dashboard

    work = tmp_path_factory.mktemp("corpus-dash")
    articles = work / "articles"
    shutil.copytree(ROOT / "data" / "articles", articles)
    for path in (ROOT / "tests" / "corpus").glob("*.txt"):
        shutil.copy(path, articles / path.name)
    manifest = json.loads((ROOT / "data" / "articles" / "manifest.json").read_text(encoding="utf-8"))
    manifest += json.loads((ROOT / "tests" / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    (articles / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with running_dashboard(articles, work / "t.db") as (base, _):
        yield base + "/"


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    context.close()


def open_view(page, url):
    page.goto(url)
    page.wait_for_selector("#map-graph .scattergeo, #map-graph .annotation", state="attached", timeout=30000)
    page.wait_for_selector("#timeline-graph .cartesianlayer, #timeline-graph .annotation", state="attached", timeout=30000)
    wait_idle(page)


def wait_idle(page):
    """Wait until Dash has no callback in flight."""
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=30000)
    page.wait_for_timeout(300)


def click_map_place(page, name: str):
    """Click the map's marker of the place `name`; return the sources panel once it lists sentences."""
    index = page.evaluate("""(name) => {
        const gd = document.querySelector('#map-graph .js-plotly-plot');
        for (let c = 0; c < gd.data.length; c++) {
            const t = gd.data[c];
            if (t.mode !== 'markers') continue;
            const k = (t.customdata || []).indexOf(name);
            if (k >= 0) return [c, k];
        }
        return null; }""", name)
    assert index, f"{name} has a marker"
    page.locator("#map-graph .scattergeo.trace").nth(index[0]).locator(".point").nth(index[1]).click(force=True)
    wait_idle(page)
    panel = page.locator("#provenance")
    panel.locator("blockquote").first.wait_for(timeout=10000)
    return panel
