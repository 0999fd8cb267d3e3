"""The bad-input corpus: files analysts really get from scrapers, generated on demand (the large
ones would bloat the repository). `make_corpus(folder)` writes them and returns what each should
give: "text" (extracted, perhaps with a warning) or "error" (one line naming the file)."""
from __future__ import annotations

import json
import os
from pathlib import Path

NEWS = ("Floods hit Lisbon on 4 May 2021, officials said. Rescuers reached Porto last week.\n"
        "The storm moved towards Madrid in June, and the 1990s saw nothing like it.\n")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
       + bytes(range(256)) * 4)
NEWS_PAGE = """<!doctype html><html><head><title>Floods in Lisbon | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2021-05-05T08:00:00Z">
<style>.nav{color:red}</style><script>var tracking = "on 1 January 2020";</script></head>
<body><header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav></header>
<aside>Most read: Paris fashion week starts on 2 March 2021</aside>
<main><article><h1>Floods hit Lisbon</h1><p>Floods hit Lisbon on 4 May 2021, officials said.</p>
<p>Rescuers reached Porto &amp; Coimbra the next day.</p></article></main>
<footer>© 2021 Daily Planet. Subscribe now!</footer></body></html>"""


def make_corpus(folder: Path, large: bool = True) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str] = {}

    def write(name: str, data: bytes | str, outcome: str) -> None:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        expect[name] = outcome

    write("empty.txt", b"", "error")
    write("blank.txt", b"  \n\n\t  \n", "error")
    write("image.txt", PNG, "error")
    write("cp1252.txt", ("Caf\u00e9 owners in Li\u00e8ge said on 4 May 2021 \u2013 \u201cwe are ruined\u201d.\n").encode("cp1252"), "text")
    write("latin1.txt", "Les caf\u00e9s de Li\u00e8ge ont ferm\u00e9 le 4 May 2021 \u00e0 midi.\n".encode("latin-1"), "text")
    write("utf16.txt", ("\ufeff" + NEWS).encode("utf-16-le"), "text")
    write("bad_utf8.txt", NEWS.encode("utf-8").replace(b"Lisbon", b"Lis\xffbon") + "Zürich.\n".encode(), "text")
    write("scripts_only.html", "<html><head><style>p{}</style><script>alert(1)</script></head><body><script>x()</script></body></html>", "error")
    write("news_page.html", NEWS_PAGE, "text")
    write("many_dates.txt", "".join(f"Report {n} was filed on {1 + n % 28} May {1990 + n % 30}, in Oslo. "
                                    for n in range(10_000)), "text")
    write("long_line.txt", ("rain fell in Lisbon in June and " * 170_000)[:5_000_000], "text")
    if large:  # 50 MB of real news text: the bundled articles, over and over
        seeds = Path(__file__).resolve().parents[1] / "data" / "articles"
        unit = "\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))).encode("utf-8")
        write("huge.txt", unit * (50_000_000 // len(unit) + 1), "text")
    (folder / "loop").mkdir(exist_ok=True)
    if not (folder / "loop" / "again").is_symlink():
        (folder / "loop" / "again").symlink_to(folder)
    if not (folder / "dangling.txt").is_symlink():
        (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    expect["dangling.txt"] = "error"
    unreadable = folder / "unreadable.txt"
    unreadable.write_text(NEWS, encoding="utf-8")
    unreadable.chmod(0)
    # root reads anything: there the file is simply read
    expect["unreadable.txt"] = "text" if os.geteuid() == 0 else "error"
    return expect


def write_manifests(folder: Path) -> dict[str, str]:
    """Manifests that are wrong in each way a hand-made one can be."""
    folder.mkdir(parents=True, exist_ok=True)
    manifests = {
        "invalid.json": "[{\"file\": \"a.txt\", ",
        "not_a_list.json": json.dumps({"file": "a.txt"}),
        "unknown_file.json": json.dumps([{"file": "a.txt", "outlet": "Wire"}, {"file": "ghost.txt", "outlet": "X"}]),
        "impossible_date.json": json.dumps([{"file": "a.txt", "outlet": "Wire", "published": "2024-02-30"}]),
        "wrong_types.json": json.dumps([{"file": "a.txt", "outlet": 42, "title": ["x"], "published": 20240101}, "junk"]),
    }
    for name, text in manifests.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "a.txt").write_text(NEWS, encoding="utf-8")
    return manifests
