"""A flaky online geocoder, played by a fake Nominatim on 127.0.0.1: the tool falls back to the
offline gazetteer, says so once, keeps going, and reuses what it cached."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from timeline.cli import main

ARTICLES = {"a.txt": "Floods hit Lisbon on 4 May 2021.", "b.txt": "Snow fell in Oslo and Lisbon on 5 May 2021.",
            "c.txt": "Rain fell in Porto on 6 May 2021."}


class FakeNominatim(BaseHTTPRequestHandler):
    mode = "ok"
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        if self.mode == "timeout":
            time.sleep(3)
        if self.mode == "429":
            return self._send(429, b"slow down")
        if self.mode == "500":
            return self._send(500, b"boom")
        if self.mode == "garbage":
            return self._send(200, b"<html>not json")
        return self._send(200, json.dumps([{"lat": "10.5", "lon": "20.25", "display_name": "Fake place"}]).encode())

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def fake(tmp_path, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    FakeNominatim.hits = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("TIMELINE_CACHE", str(tmp_path / "cache"))
    import timeline.geocode.online as online

    monkeypatch.setattr(online, "CACHE_DIR", tmp_path / "cache")
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    yield f"http://127.0.0.1:{server.server_port}", folder
    server.shutdown()


def extract(url, folder, capsys):
    code = main(["extract", str(folder), "--published", "2021-05-10", "--geocoder", "nominatim",
                 "--geocoder-url", url, "--geocoder-delay", "0"])
    out, err = capsys.readouterr()
    events = [json.loads(line) for line in out.splitlines() if '"type": "event"' in line]
    return code, events, err


def test_answers_refine_coordinates_and_are_cached(fake, capsys):
    url, folder = fake
    FakeNominatim.mode = "ok"
    code, events, err = extract(url, folder, capsys)
    assert code == 0 and err == ""
    assert {(e["location"]["lat"], e["location"]["lon"]) for e in events} == {(10.5, 20.25)}
    first = FakeNominatim.hits
    assert first == 3  # Lisbon, Oslo, Porto: each asked once
    FakeNominatim.mode = "500"  # the service breaks, the cache still answers
    code, events, err = extract(url, folder, capsys)
    assert FakeNominatim.hits == first and code == 0 and err == ""
    assert {(e["location"]["lat"], e["location"]["lon"]) for e in events} == {(10.5, 20.25)}


@pytest.mark.parametrize("mode", ["timeout", "429", "500", "garbage"])
def test_failures_fall_back_to_the_gazetteer_with_one_warning(fake, capsys, mode, monkeypatch):
    url, folder = fake
    FakeNominatim.mode = mode
    import timeline.geocode.online as online

    real = online.nominatim
    monkeypatch.setattr(online, "nominatim", lambda *a, **k: real(*a, **{**k, "timeout": 1.0, "error_wait": 0.1}))
    code, events, err = extract(url, folder, capsys)
    assert code == 0 and len(events) == 3  # every article still extracted
    warnings = [line for line in err.splitlines() if "online geocoder" in line]
    assert len(warnings) == 1 and "using the offline gazetteer" in warnings[0]
    assert err.splitlines() == warnings  # one line, no traceback
    lisbon = next(e for e in events if e["article"] == "a.txt")["location"]
    assert (round(lisbon["lat"]), round(lisbon["lon"])) == (39, -9)  # the gazetteer's Lisbon
