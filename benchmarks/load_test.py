"""A bounded load test of the dashboard on loopback: clients changing filters for a while.

    python benchmarks/load_test.py [--clients 20] [--seconds 30] [--db FILE]

Each client posts the dashboard's own callback request (the one that turns a filter change into
the new timeline and map) with a different filter each time, as the page does when a user clicks.
Only 127.0.0.1 is contacted; the run stops by itself. Reports requests, errors and latency.
"""
from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATES = [{}, {"outlets": ["CNN"]}, {"outlets": ["Newsweek", "The Independent"]}, {"query": "missile"},
          {"since": "2024-06-01", "until": "2024-10-31"}, {"min_outlets": 3}, {"group_by": "place"},
          {"places": ["Kursk"]}, {"span_from": "2024-01-01", "span_to": "2024-06-30"}, {"picked": ["Russia"]}]


def _split(output: str) -> list[dict]:
    parts = output.strip(".").split("...")
    return [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]


def render_request(dependencies: list[dict], state: dict) -> bytes:
    """The body Dash's renderer posts when the page opens a link to `state`: the URL's query in,
    the new view state and both figures out (the same callback a filter click runs)."""
    from timeline.dashboard.state import ViewState

    dep = next(d for d in dependencies if "view-state.data" in d["output"])
    search = ViewState(**{k: tuple(v) if isinstance(v, list) else v for k, v in state.items()}).to_query()
    inputs = [{**i, "value": search if (i["id"], i["property"]) == ("url", "search") else None}
              for i in dep["inputs"]]
    return json.dumps({"output": dep["output"], "outputs": _split(dep["output"]), "inputs": inputs,
                       "changedPropIds": ["url.search"],
                       "state": [{**st, "value": None} for st in dep["state"]]}).encode()


def run_load(base: str, clients: int = 20, seconds: float = 30.0, seed: int = 1) -> dict:
    dependencies = json.loads(urllib.request.urlopen(base + "/_dash-dependencies", timeout=10).read())
    bodies = [render_request(dependencies, s) for s in STATES]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(seed + n)
        while time.monotonic() < stop:
            body = rng.choice(bodies)
            request = urllib.request.Request(base + "/_dash-update-component", data=body,
                                             headers={"Content-Type": "application/json"})
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    payload = json.loads(response.read())
                    ok = response.status == 200 and "response" in payload
                    problem = None if ok else f"bad answer {response.status}"
            except Exception as e:  # every failure counts as an error
                problem = f"{type(e).__name__}: {e}"
            with lock:
                latencies.append(time.perf_counter() - start)
                if problem:
                    errors.append(problem)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    return {"clients": clients, "seconds": seconds, "requests": len(latencies), "errors": len(errors),
            "first_errors": errors[:3], "p95_ms": round(p95 * 1000, 1),
            "median_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else 0.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, articles: Path | None = None) -> tuple[subprocess.Popen, str]:
    """`timeline serve` of a store (and of `articles`, when given: serve refuses a path that is
    not there)."""
    port = free_port()
    paths = [str(articles)] if articles is not None and articles.exists() else []
    proc = subprocess.Popen([sys.executable, "-m", "timeline.cli", "serve", *paths, "--db", str(db),
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("the dashboard did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--db", type=Path, help="a store to serve (default: the bundled articles)")
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "load.db"
    proc, base = serve(db, ROOT / "data" / "articles")
    try:
        print(json.dumps(run_load(base, args.clients, args.seconds), indent=1))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
