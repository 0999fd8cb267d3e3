"""The real page in headless Chromium: filters, linked selections, provenance, URL state, safety."""
import re
from urllib.parse import urlparse

import pytest

from .conftest import click_map_place, open_view, wait_idle

pytestmark = pytest.mark.browser


def map_places(page) -> list[str]:
    """Names of the map's markers, read from the figure the page holds."""
    return page.evaluate("""() => {
        const gd = document.querySelector('#map-graph .js-plotly-plot');
        return gd.data.flatMap(t => t.customdata || []);
    }""")


def timeline_rows(page) -> set:
    """The timeline's lanes, as its y axis names them."""
    return set(page.evaluate("""() => {
        const gd = document.querySelector('#timeline-graph .js-plotly-plot');
        return gd.layout.yaxis.ticktext || gd.layout.yaxis.categoryarray || [];
    }"""))


def drawn_labels(page, graph: str, selector: str) -> list[dict]:
    """Text and SVG bounding box (in page pixels) of each label drawn in a graph."""
    return page.evaluate("""([graph, selector]) => [...document.querySelectorAll(graph + ' ' + selector)]
        .filter(t => t.textContent.trim())
        .map(t => { const r = t.getBoundingClientRect(); const b = t.getBBox();
                    return {text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height, bw: b.width}; })""",
                         [graph, selector])


def same_filters(url: str, other: str) -> bool:
    """Do two of the page's URLs ask for the same view, whatever sources they have open?"""
    import dataclasses

    from timeline.dashboard.state import from_query

    return dataclasses.replace(from_query(urlparse(url).query), opened="") == \
        dataclasses.replace(from_query(urlparse(other).query), opened="")


def overlapping(boxes: list[dict]) -> list[tuple]:
    return [(a["text"] or a, b["text"] or b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x"] < b["x"] + b["w"] - 1 and b["x"] < a["x"] + a["w"] - 1
            and a["y"] < b["y"] + b["h"] - 1 and b["y"] < a["y"] + a["h"] - 1]


def click_first_place(page):
    """Click the first marker on the map; return the provenance panel once it lists sentences."""
    box = page.locator("#map-graph .scattergeo .point").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)
    panel = page.locator("#provenance")
    panel.locator("blockquote").first.wait_for(timeout=10000)
    return panel


def test_page_loads_every_resource_from_its_own_host(page, server):
    open_view(page, server)
    hosts = {urlparse(u).netloc for u in page.requests if u.startswith("http")}
    assert hosts == {urlparse(server).netloc}
    # plotly.js is the small bundle in assets/, not dash's full one (4.8 MB, loaded when absent)
    scripts = [u for u in page.requests if re.search(r"plotly[^/]*\.js", u)]
    assert scripts and all("plotly-timeline.min.js" in u for u in scripts), scripts
    assert page.locator("#map-graph .geo .countries path").count() > 0  # the offline base map drew


def test_no_toolbar_button_sends_the_view_anywhere(page, server):
    """plotly.js 4 offers "Share chart...", an upload to cloud.plotly.com, unless told not to."""
    open_view(page, server)
    for graph in ("#timeline-graph", "#map-graph"):
        page.hover(f"{graph} .js-plotly-plot")
        titles = page.evaluate(f"""() => [...document.querySelectorAll('{graph} .modebar-btn')]
            .map(b => b.getAttribute('data-title'))""")
        assert titles and not [t for t in titles if "share" in (t or "").lower()], titles
        assert "Autoscale" in titles or graph == "#map-graph"


def test_filter_by_outlet_updates_views_and_url(page, server):
    open_view(page, server + "?view=events&group=outlet")
    assert "CNN" in timeline_rows(page) and "Newsweek" in timeline_rows(page)
    page.get_by_label(re.compile(r"^\s*Newsweek \(\d+\)")).check()
    wait_idle(page)
    assert timeline_rows(page) == {"Newsweek"}
    assert "outlet=Newsweek" in page.url and "view=events" in page.url
    assert "Belgorod" in map_places(page)


def test_selecting_a_span_on_the_timeline_filters_the_map(page, server):
    open_view(page, server)
    before = map_places(page)
    box = page.locator("#timeline-graph .nsewdrag").first.bounding_box()
    # drag across the first fifth of the axis (2020): only the plant's expansion is there
    y = box["y"] + 30  # near the top: a tall timeline scrolls inside its panel
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=8)
    page.mouse.up()
    wait_idle(page)
    after = map_places(page)
    assert "from=" in page.url and "to=" in page.url
    assert 0 < len(after) < len(before)
    assert not {"Belgorod", "Kursk"} & set(after)


def test_clicking_a_place_lists_its_sentences(page, server):
    open_view(page, server)
    page.locator("#filter-query input, input#filter-query").fill("Belgorod")
    page.keyboard.press("Enter")
    wait_idle(page)
    panel = click_first_place(page)
    text = panel.inner_text()
    assert "Belgorod" in text and "Newsweek" in text
    assert panel.locator("mark.mark-date").count() >= 1


def test_a_url_restores_the_same_view(page, server):
    open_view(page, server + "?outlet=CNN&since=2024-06-01&q=pact&group=place&view=events")
    assert page.locator("#filter-query input, input#filter-query").input_value() == "pact"
    assert page.locator("input[type=checkbox][value='CNN']").is_checked()
    rows = timeline_rows(page)
    page.reload()
    open_view(page, page.url)
    assert timeline_rows(page) == rows and "CNN" not in rows  # grouped by place now


def test_malformed_url_state_gives_the_default_view(page, server):
    open_view(page, server + "?since=not-a-date&min=lots&group=%00&from=2024-13-45&pick=&%ZZ&view=%ff")
    assert {"attack/strike", "meeting/agreement"} <= timeline_rows(page)  # the default: stories in type lanes
    assert "events match the filters (all events)" in page.locator("#selection-line").inner_text()
    open_view(page, server + "?outlet=" + "x" * 5000)
    assert "No dated events match these filters." in page.locator("#timeline-graph").inner_text()


def test_article_text_never_becomes_markup(page, server):
    open_view(page, server + "?q=graffiti")
    panel = click_first_place(page)
    assert "<img src=x onerror" in panel.inner_text()
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#provenance img").count() == 0


def test_the_most_told_story_is_labelled_and_no_two_labels_overlap(page, server):
    open_view(page, server)
    labels = drawn_labels(page, "#timeline-graph", ".annotation-text")
    texts = [lb["text"] for lb in labels]
    # the June 2024 treaty, told by four of the five outlets, is the most-told story
    assert any("Jun 2024" in t and "4 outlets" in t for t in texts), texts
    story_labels = [lb for lb in labels if " · " in lb["text"]]
    assert len(story_labels) >= 5 and not overlapping(story_labels)
    places = drawn_labels(page, "#map-graph", ".scattergeo text")
    assert {"Kursk", "Belgorod", "Kyiv"} <= {p["text"] for p in places}
    assert not overlapping(places)


def test_a_click_on_a_mark_reads_its_sources_and_leaves_the_filters(page, server):
    open_view(page, server + "?outlet=CNN&outlet=Newsweek&outlet=The+Independent")
    before = page.url
    point = page.locator("#timeline-graph .scatterlayer .point").first
    point.click(force=True)
    wait_idle(page)
    panel = page.locator("#provenance")
    panel.locator("blockquote").first.wait_for(timeout=10000)
    assert same_filters(page.url, before) and "open=" in page.url  # the open sources are in the URL
    assert "told by" in panel.inner_text()
    text = panel.inner_text()
    page.reload()
    open_view(page, page.url)
    page.locator("#provenance blockquote").first.wait_for(timeout=10000)
    assert page.locator("#provenance").inner_text() == text  # a reload opens them again


def test_a_click_on_kursk_on_the_map_lists_its_stories(page, server):
    open_view(page, server)
    before = page.url
    panel = click_map_place(page, "Kursk")
    text = panel.inner_text()
    assert text.startswith("At Kursk") and "stor" in text and "Kursk" in text
    assert same_filters(page.url, before)  # a click reads; only a box on the map picks places


def test_the_image_button_with_a_title_gives_an_image_with_that_title(page, server):
    open_view(page, server)
    page.fill("#briefing-title", "Hamhung plant briefing")
    page.keyboard.press("Enter")
    wait_idle(page)
    assert "title=Hamhung" in page.url
    page.get_by_label("SVG").check()
    with page.expect_download(timeout=60000) as download:
        page.click("#export-button")
    svg = open(download.value.path(), encoding="utf-8").read()
    assert "Hamhung plant briefing" in svg and "Data as of" in svg


def test_zooming_the_map_in_shows_more_place_labels(page, corpus_server):
    open_view(page, corpus_server)
    before = {p["text"] for p in drawn_labels(page, "#map-graph", ".scattergeo text")}
    markers = set(map_places(page))
    assert len(before) < len(markers)  # a world of places: some labels wait for a closer view
    page.hover("#map-graph .js-plotly-plot")
    page.locator("#map-graph .modebar-btn[data-title='Zoom in']").click()
    wait_idle(page)
    after = drawn_labels(page, "#map-graph", ".scattergeo text")
    assert {p["text"] for p in after} - before and not overlapping(after)


def test_on_many_stories_no_two_labels_overlap_and_one_day_marks_stand_apart(page, corpus_server):
    open_view(page, corpus_server)
    labels = [lb for lb in drawn_labels(page, "#timeline-graph", ".annotation-text") if " · " in lb["text"]]
    assert len(labels) >= 15 and not overlapping(labels)
    assert any("Milton" in lb["text"] and "4 outlets" in lb["text"] for lb in labels)  # with its syndicated copy
    assert not overlapping(drawn_labels(page, "#map-graph", ".scattergeo text"))
    points = page.evaluate("""() => [...document.querySelectorAll('#timeline-graph .scatterlayer .point')]
        .map(p => { const r = p.getBoundingClientRect(); return {text: '', x: r.x, y: r.y, w: r.width, h: r.height}; })""")
    assert points and not overlapping(points)


def test_the_timeline_is_drawn_as_wide_as_its_panel_and_again_after_a_resize(page, server):
    """The timeline has the width the page measured (its labels are laid out for it, and a new
    height draws it once, not twice); a narrower window is measured again and drawn anew."""
    def widths():
        return page.evaluate("""() => {
            const gd = document.querySelector('#timeline-graph .js-plotly-plot');
            return [gd._fullLayout.width, document.querySelector('#timeline-graph').getBoundingClientRect().width,
                    gd.layout.width || null]; }""")

    open_view(page, server)
    drawn, box, asked = widths()
    assert asked is not None and asked == drawn and box - 40 <= drawn <= box
    page.set_viewport_size({"width": 1100, "height": 900})
    page.wait_for_function("(before) => { const gd = document.querySelector('#timeline-graph .js-plotly-plot');"
                           " return gd.layout.width && gd.layout.width < before; }", arg=drawn, timeout=15000)
    wait_idle(page)
    narrower, box, _ = widths()
    assert narrower < drawn and box - 40 <= narrower <= box
    requests = []
    page.on("request", lambda r: requests.append(r) if "_dash-update-component" in r.url else None)
    page.set_viewport_size({"width": 1100, "height": 700})  # only shorter: nothing to draw again
    page.wait_for_timeout(800)
    assert requests == []
