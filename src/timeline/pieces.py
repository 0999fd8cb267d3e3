"""One huge text (a dump saved as one file, a book-length report) read and extracted in pieces.

Read whole, a 50 MB text took 930 MB to extract: every sentence, date and place of it at once.
Cut at line breaks into pieces of about PIECE_CHARS, each is extracted alone, and its spans
are moved by the piece's offset, so they index the whole text. A line break always ends a
sentence (extract/sentences.py), so the cuts change no sentence; each event keeps the id it has
when the text is extracted whole (a digest of the whole text and its span).
"""
from __future__ import annotations

import codecs
import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import ArticleError
from .model import Article, Event, Extraction, Place

PIECE_CHARS = 1_000_000  # about 0.6 s and 60 MB to extract; below this a text is read whole
BLOCK_BYTES = 1 << 20


@dataclass(frozen=True)
class Piece(Article):
    """A part of a long article: `text` is its own words, which begin at `offset` of the whole."""

    offset: int = 0
    index: int = 0
    count: int = 1
    whole: str = ""  # the whole article's source_id
    size: int = 0  # the whole text's length
    nbytes: int = 0  # the whole text's length in UTF-8, and where this piece's bytes begin in it:
    byte_offset: int = 0  # the store writes the text piece by piece (store.PieceWriter)


def codec_of(sample: bytes, name: str) -> tuple[str, list[str]]:
    """How a long text file is decoded, judged from its first block (corpus.decode's rules)."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if sample.startswith(bom):
            return codec, []
    if b"\x00" in sample[:4096]:
        raise ArticleError(f"{name}: binary data, not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample)  # a cut last character is fine
        return "utf-8", []
    except UnicodeDecodeError:
        lossy = sample.decode("utf-8", errors="replace")
        if sum(1 for c in lossy if ord(c) > 127) > 2 * lossy.count("\ufffd"):
            return "utf-8", []  # mostly UTF-8: its bad bytes are replaced (and counted)
        return "cp1252", [f"{name}: not UTF-8, read as Windows-1252"]


def segments(path: Path, codec: str) -> Iterator[str]:
    """The text of `path` as pieces of PIECE_CHARS or more that end at a line break (or, in a
    text without one, after a sentence's stop or a space), line ends made \\n."""
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    pending, carry = "", ""
    with path.open("rb") as f:
        while block := f.read(BLOCK_BYTES):
            text = carry + decoder.decode(block)
            carry = "\r" if text.endswith("\r") else ""  # a \r\n may be cut between two blocks
            pending += (text[:-1] if carry else text).replace("\r\n", "\n").replace("\r", "\n")
            while len(pending) >= PIECE_CHARS:
                cut = _cut(pending)
                yield pending[:cut]
                pending = pending[cut:]
    pending += (carry + decoder.decode(b"", final=True)).replace("\r\n", "\n").replace("\r", "\n")
    if pending:
        yield pending


def _cut(text: str) -> int:
    """Where a piece of `text` ends: after its last line break in the second half of
    PIECE_CHARS, else after its last stop or space there, else at PIECE_CHARS."""
    for mark in ("\n", ". ", " "):
        at = text.rfind(mark, PIECE_CHARS // 2, PIECE_CHARS)
        if at >= 0:
            return at + len(mark)
    return PIECE_CHARS  # one unbroken word of a million letters: cut it


def read_pieces(path: Path, name: str, outlet, title, url, published, infer_outlet, infer_published):
    """(pieces, warnings) of a long text file: a first pass takes the digest and counts the
    pieces, a second yields them; at most two pieces are held at once."""
    with path.open("rb") as f:
        codec, warnings = codec_of(f.read(BLOCK_BYTES), str(path))
    digest, count, size, replaced, first, lengths = hashlib.sha256(), 0, 0, 0, None, []
    for segment in segments(path, codec):
        encoded = segment.encode("utf-8")
        digest.update(encoded)
        lengths.append(len(encoded))
        count, size = count + 1, size + len(segment)
        replaced += segment.count("\ufffd")
        first = first if first is not None else segment
    if not first or not first.strip():
        raise ArticleError(f"{path}: empty file")
    if replaced:
        warnings.append(f"{path}: {replaced} invalid byte(s) replaced")
    outlet = outlet or infer_outlet(first[:100_000])
    published = published or infer_published(first[:100_000])
    identity = Article(name, "", outlet, title, url, published)
    identity.__dict__["digest"] = digest.hexdigest()[:16]  # the digest of the whole text
    return _as_pieces(identity, segments(path, codec), count, size, lengths), warnings


def pieces_of(article: Article) -> Iterator[Article]:
    """A stored article as extraction takes it: whole, or in pieces when it is long (as
    read_pieces cut it when it was read, since the cuts depend on the text alone)."""
    text = article.text
    if len(text) <= PIECE_CHARS:
        yield article
        return
    cuts, at = [], 0
    while len(text) - at >= PIECE_CHARS:
        at += _cut(text[at:at + PIECE_CHARS])
        cuts.append(at)
    bounds = list(zip([0, *cuts], [*cuts, len(text)]))
    if bounds[-1][0] == bounds[-1][1]:
        bounds.pop()
    lengths = [len(text[a:b].encode("utf-8")) for a, b in bounds]
    yield from _as_pieces(article, (text[a:b] for a, b in bounds), len(bounds), len(text), lengths)


def _as_pieces(identity: Article, texts: Iterator[str], count: int, size: int, lengths: list[int]) -> Iterator[Piece]:
    a, whole, offset, byte_offset = identity, identity.source_id, 0, 0
    for index, (segment, nbytes) in enumerate(zip(texts, lengths)):
        yield Piece(a.file, segment, a.outlet, a.title, a.url, a.published, a.author, offset=offset, index=index,
                    count=count, whole=whole, size=size, nbytes=sum(lengths), byte_offset=byte_offset)
        offset += len(segment)
        byte_offset += nbytes


def shifted(result: Extraction) -> Extraction:
    """A piece's extraction with spans into the whole text and the whole article's event ids."""
    piece = result.article
    if not isinstance(piece, Piece) or piece.count == 1 and not piece.offset:
        return result
    from .extract.events import _event_id  # the one definition of an event's id

    at = piece.offset
    identity = _Identity(piece.whole)
    events = []
    for e in result.events:
        date = dataclasses.replace(e.date, span=(e.date.span[0] + at, e.date.span[1] + at))
        events.append(dataclasses.replace(
            e, id=_event_id(identity, date), date=date, sentence_span=(e.sentence_span[0] + at, e.sentence_span[1] + at),
            places=tuple(_moved(p, at) for p in e.places), location=_moved(e.location, at)))
    return dataclasses.replace(result, events=tuple(events), mentions=tuple(_moved(p, at) for p in result.mentions))


@dataclass(frozen=True)
class _Identity:
    source_id: str


def _moved(place: Place | None, at: int) -> Place | None:
    return None if place is None else dataclasses.replace(place, span=(place.span[0] + at, place.span[1] + at))


def whole_of(parts: list[Extraction]) -> Extraction:
    """One article's extraction from its pieces' (shifted) extractions, in order."""
    first = parts[0].article
    text = "".join(p.article.text for p in parts)
    article = Article(first.file, text, first.outlet, first.title, first.url, first.published)
    warnings = tuple(dict.fromkeys(w for p in parts for w in p.warnings))
    events: tuple[Event, ...] = tuple(e for p in parts for e in p.events)
    return Extraction(article, events, tuple(m for p in parts for m in p.mentions), warnings)


def extract_as_text(fmt: str, article: Article, refiner=None) -> tuple[str, tuple[str, ...], str | None]:
    """extract.output.extract_as_text, with a piece's spans moved into the whole text."""
    from .extract.output import FORMATS
    from .extract.pipeline import extract_or_error

    result = extract_or_error(article, refiner)
    if isinstance(result, str):
        return "", (), result
    result = shifted(result)
    return FORMATS[fmt](result), result.warnings, None


def whole_extractions(results: Iterator[Extraction | str]) -> Iterator[Extraction | str]:
    """Extractions (or one-line errors) in order, the pieces of a long article joined into one.
    A piece that failed (its error is passed on) fails its article: the other pieces go."""
    parts: list[Extraction] = []
    for result in results:
        piece = result.article if isinstance(result, Extraction) else None
        if not isinstance(piece, Piece):
            yield result
            continue
        if piece.index == 0:
            parts = []
        elif piece.index != len(parts):  # an earlier piece failed
            parts = []
            continue
        parts.append(shifted(result))
        if piece.index == piece.count - 1:
            yield whole_of(parts)
            parts = []
