"""`timeline fetch` against a server on 127.0.0.1 that this test starts: robots.txt, a slow page,
a 404, a 429, and the spacing of requests to one host."""
import http.server
import json
import threading
import time

import pytest

from timeline.cli import main

PAGE = ("<!doctype html><html><head><title>Floods</title><meta property='og:site_name' content='Local Post'>"
        "</head><body><article><p>Floods hit Lisbon on 4 May 2021, officials said. Rescuers reached Porto "
        "the next day.</p></article></body></html>")


class Handler(http.server.BaseHTTPRequestHandler):
    log: list = []

    def do_GET(self):  # noqa: N802 - the http.server name
        Handler.log.append((self.path, time.monotonic()))
        if self.path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if self.path.startswith(("/news/", "/private/")):
            return self._send(200, PAGE.encode(), "text/html; charset=utf-8")
        if self.path == "/slow.html":
            time.sleep(3)
            return self._send(200, PAGE.encode(), "text/html")
        if self.path == "/busy.html":
            return self._send(429, b"slow down", "text/plain", {"Retry-After": "0"})
        return self._send(404, b"no such page", "text/plain")

    def _send(self, status, body, kind, headers=None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on the slow page

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.log = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_obeys_robots_txt_waits_and_reports_each_failure_in_one_line(server, tmp_path, capsys):
    into = tmp_path / "pages"
    urls = [f"{server}/news/a.html", f"{server}/news/b.html", f"{server}/private/c.html",
            f"{server}/missing.html", f"{server}/busy.html", f"{server}/slow.html"]
    assert main(["fetch", *urls, "--into", str(into), "--delay", "0.2", "--timeout", "1"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"timeline: error: {server}/private/c.html: robots.txt of {server[7:]} does not allow it, not fetched",
        f"timeline: error: {server}/missing.html: 404 Not Found",
        f"timeline: error: {server}/busy.html: 429 Too Many Requests",
        f"timeline: error: {server}/slow.html: timed out after 1 s",
    ]
    assert out == f"2 pages (2 fetched, 0 cached), 4 errors -> {into}\n"
    paths = [p for p, _ in Handler.log]
    assert paths[0] == "/robots.txt" and "/private/c.html" not in paths
    assert paths.count("/busy.html") == 2  # waited out once, then reported
    times = [t for _, t in Handler.log]
    # One host: requests spaced by the delay (summed, as a loaded machine may hand one late to the server)
    assert times[-1] - times[0] >= 0.9 * 0.2 * (len(times) - 1), [round(b - a, 3) for a, b in zip(times, times[1:])]
    manifest = json.loads((into / "manifest.json").read_text())
    assert [e["url"] for e in manifest] == urls[:2]
    assert all((into / e["file"]).read_text() == PAGE for e in manifest)


def test_pages_fetched_once_are_cached_and_ingest_reads_the_folder(server, tmp_path, capsys):
    from timeline import store

    into = tmp_path / "pages"
    links = tmp_path / "links.txt"
    links.write_text(f"# the story\n{server}/news/a.html\n\n{server}/news/2021/05/05/b.html\n")
    assert main(["fetch", "--urls", str(links), "--into", str(into), "--delay", "0"]) == 0
    assert main(["fetch", "--urls", str(links), "--into", str(into), "--delay", "0"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"2 pages (0 fetched, 2 cached), 0 errors -> {into}"
    assert [p for p, _ in Handler.log].count("/news/a.html") == 1
    db = tmp_path / "t.db"
    assert main(["ingest", str(into), "--db", str(db), "--jobs", "1"]) == 0
    rows = store.connect(db).execute("SELECT outlet, url, published FROM articles ORDER BY url").fetchall()
    assert [tuple(r) for r in rows] == [("Local Post", f"{server}/news/2021/05/05/b.html", "2021-05-05"),
                                        ("Local Post", f"{server}/news/a.html", None)]


def test_fetch_with_no_links_is_an_error(capsys):
    assert main(["fetch"]) == 1
    assert capsys.readouterr().err == "timeline: error: no links given (name them, or give --urls FILE)\n"
