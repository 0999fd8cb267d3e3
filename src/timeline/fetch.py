"""`timeline fetch`: pages from their links, politely, into a folder that `timeline ingest` reads.

The only part of timeline that goes online for articles, and only when the user runs it. Each
host's robots.txt is read first and obeyed (RFC 9309: a missing one allows all, an unreachable
one allows nothing); requests to one host are spaced by `delay` seconds (or the host's
Crawl-delay, if longer); a 429 is waited out once (its Retry-After, capped) and then reported.
Pages already in the folder's manifest are not fetched again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .corpus import MANIFEST_NAME

USER_AGENT = "timeline-fetch/0.1 (+a local news-reading tool; one request at a time)"
MAX_RETRY_AFTER = 60.0  # seconds: a host asking for longer is reported, not waited for
MAX_PAGE_BYTES = 16 * 1024 * 1024


@dataclass
class FetchSummary:
    fetched: int = 0
    cached: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self, folder: Path) -> str:
        pages = self.fetched + self.cached
        return (f"{pages:,} page{'' if pages == 1 else 's'} ({self.fetched} fetched, {self.cached} cached), "
                f"{len(self.errors):,} error{'' if len(self.errors) == 1 else 's'} -> {folder}")


class _Host:
    """One host's robots.txt and the time of its last request."""

    def __init__(self, robots: urllib.robotparser.RobotFileParser | None, delay: float):
        self.robots, self.delay, self.last = robots, delay, 0.0

    def allowed(self, url: str) -> bool:
        return self.robots is None or self.robots.can_fetch(USER_AGENT, url)

    def wait(self) -> None:
        pause = self.last + self.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self.last = time.monotonic()


def read_urls(path: Path) -> list[str]:
    """One link a line; blank lines and # comments are skipped."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def fetch(urls: list[str], folder: Path, delay: float = 1.0, timeout: float = 30.0, client=None) -> FetchSummary:
    """Fetch each link into `folder` (HTML files and manifest.json) and say what happened."""
    import httpx  # here: no other command needs it

    folder = Path(folder)
    summary = FetchSummary()
    entries = _read_entries(folder / MANIFEST_NAME)
    known = {e.get("url"): e for e in entries}
    hosts: dict[str, _Host] = {}
    own = client is None
    client = client or httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=timeout, follow_redirects=True)
    try:
        for url in dict.fromkeys(urls):  # each link once
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                summary.errors.append(f"{url}: not an http(s) link")
                continue
            if url in known and (folder / known[url]["file"]).is_file():
                summary.cached += 1
                continue
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in hosts:
                hosts[origin] = _host(client, origin, delay, timeout)
            host = hosts[origin]
            if not host.allowed(url):
                summary.errors.append(f"{url}: robots.txt of {parts.netloc} does not allow it, not fetched")
                continue
            try:
                html = _get(client, host, url, timeout)
            except _Failed as e:
                summary.errors.append(f"{url}: {e}")
                continue
            name = _file_name(url)
            folder.mkdir(parents=True, exist_ok=True)
            _write(folder / name, html)
            entry = {"file": name, "url": url, "fetched": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
            known[url] = entry
            summary.fetched += 1
            _write(folder / MANIFEST_NAME, json.dumps(list(known.values()), indent=1, ensure_ascii=False).encode())
    finally:
        if own:
            client.close()
    return summary


class _Failed(Exception):
    pass


def _host(client, origin: str, delay: float, timeout: float) -> _Host:
    import httpx

    robots = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
    host = _Host(robots, delay)
    host.wait()
    try:
        answer = client.get(origin + "/robots.txt", timeout=timeout)
    except httpx.HTTPError:
        robots.disallow_all = True  # unreachable: allow nothing (RFC 9309, 2.3.1.4)
        return host
    if answer.status_code >= 500:
        robots.disallow_all = True
    elif answer.status_code >= 400:
        robots.allow_all = True  # no robots.txt: everything is allowed
    else:
        robots.parse(answer.text.splitlines())
        crawl_delay = robots.crawl_delay(USER_AGENT)
        if crawl_delay:
            host.delay = max(delay, float(crawl_delay))
    return host


def _get(client, host: _Host, url: str, timeout: float) -> bytes:
    import httpx

    for attempt in (1, 2):
        host.wait()
        try:
            answer = client.get(url, timeout=timeout)
        except httpx.TimeoutException:
            raise _Failed(f"timed out after {timeout:g} s") from None
        except httpx.HTTPError as e:
            raise _Failed(f"cannot be fetched ({type(e).__name__}: {e})") from None
        if answer.status_code == 429 and attempt == 1:
            wait = _retry_after(answer.headers.get("retry-after"), host.delay * 2)
            if wait <= MAX_RETRY_AFTER:
                time.sleep(wait)
                continue
        if answer.status_code != 200:
            raise _Failed(f"{answer.status_code} {answer.reason_phrase}".strip())
        kind = answer.headers.get("content-type", "text/html").split(";")[0].strip().lower()
        if kind not in ("text/html", "application/xhtml+xml"):
            raise _Failed(f"not a web page ({kind})")
        if len(answer.content) > MAX_PAGE_BYTES:
            raise _Failed(f"larger than {MAX_PAGE_BYTES // 2**20} MB")
        return answer.content
    raise _Failed("429 Too Many Requests")  # not reached: the second answer is returned or raised


def _retry_after(value: str | None, default: float) -> float:
    if value and value.strip().isdigit():
        return float(value.strip())
    if value:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, (parsedate_to_datetime(value) - dt.datetime.now(dt.timezone.utc)).total_seconds())
        except (TypeError, ValueError):
            pass
    return default


def _file_name(url: str) -> str:
    """A readable, stable name: host and last path words, and a digest of the whole link."""
    parts = urlsplit(url)
    words = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.netloc} {parts.path}").strip("-")[:80]
    return f"{words}-{hashlib.sha1(url.encode()).hexdigest()[:8]}.html"


def _read_entries(path: Path) -> list[dict]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in raw if isinstance(e, dict) and isinstance(e.get("file"), str)] if isinstance(raw, list) else []


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
