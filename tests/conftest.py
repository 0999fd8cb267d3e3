import contextlib
import datetime as dt
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from timeline.geocode.gazetteer import default_gazetteer
from timeline.model import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def gazetteer():
    return default_gazetteer()


@pytest.fixture
def make_article():
    def make(text, published=dt.date(2023, 11, 2), outlet="Test Wire", file="test.txt"):
        return Article(file=file, text=text, outlet=outlet, published=published)
    return make


SEEDS = ROOT / "data" / "articles"


@pytest.fixture
def seed_folder(tmp_path):
    """A copy of the bundled articles and their manifest."""
    import shutil

    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


def make_variants(folder: Path, count: int) -> Path:
    """`count` distinct news-like articles (the bundled ones with a numbered line added)."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    manifest = []
    for n in range(count):
        text = seeds[n % len(seeds)].read_text(encoding="utf-8")
        path = folder / f"v{n:04d}.txt"
        path.write_text(f"Report {n} was filed in Oslo on 3 March 2021.\n" + text, encoding="utf-8")
        manifest.append({"file": path.name, "outlet": f"Outlet {n % 4}", "published": "2024-11-26"})
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@contextlib.contextmanager
def running_dashboard(articles: Path, db: Path):
    """`timeline serve` on a free loopback port: yields (base URL, port) once it answers."""
    with running_serve(str(articles), "--db", str(db)) as served:
        yield served


@contextlib.contextmanager
def running_serve(*serve_args: str):
    """`timeline serve SERVE_ARGS` on a free loopback port: yields (base URL, port) once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.TemporaryFile()  # not a pipe: the server logs every request, and a full pipe blocks it
    proc = subprocess.Popen([sys.executable, "-m", "timeline.cli", "serve", *serve_args, "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"the dashboard did not start: {log.read().decode()[-500:]}")
                time.sleep(0.1)
        yield base, port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
