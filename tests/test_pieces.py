"""A long text read and extracted in pieces: spans index the whole text, ids are those of the
whole, the store keeps one article, and memory is bounded by a piece."""
import json

import pytest

import timeline.pieces as pieces
from timeline.cli import main
from timeline.corpus import load_articles
from timeline.extract.pipeline import extract


@pytest.fixture
def long_text(tmp_path, monkeypatch):
    from conftest import SEEDS

    monkeypatch.setattr(pieces, "PIECE_CHARS", 20_000)
    monkeypatch.setattr("timeline.corpus.PIECE_CHARS", 20_000)
    news = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    text = "".join(f"Report {n} was filed in Oslo on {1 + n % 28} March 2021.\r\n"
                   + news.replace("said", f"said ({n})") + "\n" for n in range(8))
    path = tmp_path / "long.txt"
    path.write_bytes(text.encode("utf-8"))
    return path, text.replace("\r\n", "\n")


def test_a_long_text_is_read_in_pieces_whose_spans_index_the_whole_text(long_text, capsys):
    path, text = long_text
    assert main(["extract", str(path), "--jobs", "1", "--published", "2024-11-26"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    events = [r for r in records if r["type"] == "event"]
    assert len(events) > 50
    for r in records:
        words = r["date"]["text"] if r["type"] == "event" else r["text"]
        span = r["date"]["span"] if r["type"] == "event" else r["span"]
        assert text[span[0]:span[1]] == words
        if r["type"] == "event":
            assert text[r["span"][0]:r["span"][1]] == r["sentence"]
    [(first, _, _)] = list(load_articles([path]))[:1]
    assert isinstance(first, pieces.Piece) and first.count > 5


def test_pieces_give_the_events_of_the_whole_text_with_the_same_ids(long_text):
    from timeline.model import Article
    import datetime as dt

    path, text = long_text
    read = [p for p, _, _ in load_articles([path], published=dt.date(2024, 11, 26))]
    whole = extract(Article("long.txt", text, outlet=read[0].outlet, published=dt.date(2024, 11, 26)))
    joined = pieces.whole_of([pieces.shifted(extract(p)) for p in read])
    assert joined.article.text == text
    assert joined.article.source_id == whole.article.source_id == read[0].whole
    assert {(e.id, e.date.span, e.sentence_span) for e in whole.events} <= {
        (e.id, e.date.span, e.sentence_span) for e in joined.events}


def test_a_long_text_is_one_article_in_the_store(long_text, tmp_path):
    from timeline import store
    from timeline.ingest import ingest

    path, text = long_text
    db = tmp_path / "t.db"
    summary = ingest([path], db)
    assert (summary.articles, summary.added) == (1, 1)
    conn = store.connect(db)
    [stored] = conn.execute("SELECT text, long_text FROM articles").fetchall()
    assert store.article_text(*stored) == text
    for sentence, start, end in conn.execute("SELECT sentence, sentence_start, sentence_end FROM events"):
        assert text[start:end] == sentence
    assert ingest([path], db).unchanged == 1


def test_a_long_text_is_stored_as_its_pieces_come_and_read_again_in_pieces(long_text, tmp_path, monkeypatch):
    """The whole text is never joined: each piece is written into the stored text as it comes;
    reading the store again (a newer extractor) takes the stored text in pieces too, and gives
    the same events."""
    from timeline import reread, store
    from timeline.ingest import ingest

    path, text = long_text
    db = tmp_path / "t.db"
    written = []
    real_add = store.PieceWriter.add
    monkeypatch.setattr(store.PieceWriter, "add", lambda self, e: written.append(len(e.article.text)) or real_add(self, e))
    monkeypatch.setattr(pieces, "whole_of", lambda parts: pytest.fail("the pieces were joined"))
    ingest([path], db, jobs=1)
    assert len(written) > 5 and max(written) < len(text) / 4
    conn = store.connect(db)
    before = sorted(map(tuple, conn.execute("SELECT id, sentence_start, label FROM events")))
    monkeypatch.setattr(reread, "extractor_stamp", lambda: "a newer one")
    summary = ingest([path], db)
    assert summary.reread == 1 and summary.changed == 0
    assert sorted(map(tuple, conn.execute("SELECT id, sentence_start, label FROM events"))) == before
    assert store.article_text(*conn.execute("SELECT text, long_text FROM articles").fetchone()) == text


def test_a_failed_piece_fails_its_article_alone_and_stores_nothing_of_it(long_text, tmp_path, monkeypatch):
    from timeline import store
    from timeline.ingest import ingest
    import timeline.ingest as ingest_module

    path, _ = long_text
    (tmp_path / "other.txt").write_text("On 3 May 2024 a bridge opened in Oslo.", encoding="utf-8")
    real = ingest_module.extract_or_error

    def third_piece_fails(article, refiner=None):
        if getattr(article, "index", None) == 2:
            return f"{article.file}: could not be extracted (test)"
        return real(article, refiner)
    monkeypatch.setattr(ingest_module, "extract_or_error", third_piece_fails)
    db = tmp_path / "t.db"
    summary = ingest([path, tmp_path / "other.txt"], db, jobs=1)
    assert summary.errors == ["long.txt: could not be extracted (test)"]
    conn = store.connect(db)
    assert [r[0] for r in conn.execute("SELECT file FROM articles")] == ["other.txt"]
    assert conn.execute("SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0] == 0
