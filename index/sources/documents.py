"""Articles as the engine stores them, built from .txt, .md and .html input."""
from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .cleaning import Cleaned, clean_blocks, decode, split_blocks

# trafilatura's "discarding data: None" would reach the console; what it discards, we report ourselves.
logging.getLogger("trafilatura").setLevel(logging.ERROR)

SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html"}
PARAGRAPH_SEPARATOR = "\n\n"


@dataclass
class Document:
    """One article: a title and verbatim paragraphs, with their offsets into `text`."""

    source: str  # identity: a file's absolute path or an article's canonical URL
    title: str
    text: str
    paragraphs: list[tuple[int, int]]
    content_hash: str  # of the input, to skip unchanged re-ingests
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, when known
    author: str | None = None
    dropped: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, source: str, cleaned: Cleaned, content_hash: str, **meta) -> "Document":
        if not cleaned.paragraphs:
            raise InputError(f"{source}: no article text found (only headings or page furniture)")
        spans, pos = [], 0
        for para in cleaned.paragraphs:
            spans.append((pos, pos + len(para)))
            pos += len(para) + len(PARAGRAPH_SEPARATOR)
        return cls(
            source=source,
            title=cleaned.title or Path(source).stem,
            text=PARAGRAPH_SEPARATOR.join(cleaned.paragraphs),
            paragraphs=spans,
            content_hash=content_hash,
            dropped=cleaned.dropped,
            **{**meta, "published": iso_date(meta.get("published"))},
        )


_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")


def iso_date(value: str | None) -> str | None:
    """A publication date as ISO 8601 (dates sort and cite as text), or None when it is not a
    date ("yesterday", "2024-13-45") or could be two ("03/04/2019": day or month first?)."""
    import warnings
    from datetime import datetime

    from dateutil import parser

    value = (value or "").strip()
    if not value or re.match(r"\d{4}-?W\d", value, re.IGNORECASE):
        return None  # empty, or an ISO week ("2018-W10") rather than a day
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.date().isoformat() if len(value) <= 10 else parsed.isoformat()
    except ValueError:
        pass
    numeric = _NUMERIC_DATE.fullmatch(value)
    if numeric and int(numeric[1]) <= 12 and int(numeric[2]) <= 12 and numeric[1] != numeric[2]:
        return None
    dayfirst = bool(numeric and int(numeric[1]) > 12)
    try:  # parsed against two defaults: a part the text lacks ("2016", "March 2016") differs
        with warnings.catch_warnings():  # "EST": an unknown zone is dropped, not printed
            warnings.simplefilter("ignore")
            parsed, check = (parser.parse(value, dayfirst=dayfirst, default=datetime(2000, 1, 1)),
                             parser.parse(value, dayfirst=dayfirst, default=datetime(2001, 2, 2)))
    except (ValueError, OverflowError):
        return None
    if parsed.date() != check.date():
        return None
    return parsed.isoformat() if ":" in value else parsed.date().isoformat()


def digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def find_files(paths: list[str | Path]) -> list[Path]:
    """Expand files and folders (recursively) into the files we can ingest, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InputError(f"{raw}: no such file or folder")
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.suffix.lower() in SUFFIXES:
            found.append(path)
        else:
            raise InputError(f"{raw}: unsupported file type (use .txt, .md or .html)")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique


MAX_FILE_BYTES = 5 * 1024 * 1024


def read_regular_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`. Anything else (a FIFO, a device such
    as /dev/zero behind a symlink, a socket) is refused before a byte is read: opening
    without blocking and checking the open file itself leaves no gap to swap it in between."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: not a regular file (only files are read, never pipes or devices)")
        if info.st_size > max_bytes:
            raise InputError(f"{path}: file too large ({info.st_size:,} bytes; the limit is {max_bytes:,}, "
                             "SUMMIT_FILE_MAX_BYTES)")
        try:
            raw = fh.read(max_bytes + 1)  # a file still growing cannot get past the cap either
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(raw) > max_bytes:
        raise InputError(f"{path}: file too large (over {max_bytes:,} bytes, SUMMIT_FILE_MAX_BYTES)")
    return raw


def load_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Document:
    raw = read_regular_file(path, max_bytes)
    kind = SUFFIXES.get(path.suffix.lower(), "text")
    source = str(path.resolve())
    if kind == "html":
        return from_html(raw, source=source, name=str(path))
    text = decode(raw, str(path))
    if kind == "markdown":
        return from_markdown(text, source=source, content_hash=digest(raw))
    return Document.build(source, clean_blocks(split_blocks(text)), digest(raw))


def from_text(text: str, source: str, **meta) -> Document:
    """An article from plain text already in memory."""
    return Document.build(source, clean_blocks(split_blocks(text)), digest(text), **meta)


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def from_markdown(text: str, source: str, content_hash: str) -> Document:
    """Markdown rendered to its reader-visible text: front matter, headings and link syntax go."""
    meta: dict[str, str] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        for line in m.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("'\"")
        text = text[m.end():]
    title = meta.get("title") or None  # an empty "title:" leaves the headline to the text
    blocks = []
    for block in split_blocks(text):
        if block.startswith("#"):
            heading = block.lstrip("#").strip()
            if title is None and block.startswith("# "):
                title = heading
            continue  # headings are not article text
        if block.startswith("![") or block.startswith("<!--"):
            continue
        block = _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", block)).lstrip("> ").strip()
        if block:
            blocks.append(block)
    cleaned = clean_blocks(blocks, title=title)
    return Document.build(
        source, cleaned, content_hash,
        url=meta.get("url") or meta.get("canonical_url"),
        published=meta.get("published") or meta.get("date"),
        author=meta.get("author"),
    )


def from_html(raw: bytes | str, source: str, name: str | None = None, url: str | None = None) -> Document:
    """The main article of an HTML page, extracted with trafilatura."""
    import trafilatura
    from trafilatura.deduplication import LRUCache

    name = name or source
    html = raw if isinstance(raw, str) else decode(raw, name)
    # A fresh cache per page: trafilatura's default one is process-wide, so a page read a
    # third time (an unchanged re-fetch, a correction) would be discarded as a duplicate.
    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, favor_precision=True, deduplicate=LRUCache(maxsize=1024),
    )
    if extracted is None or not (extracted.text or "").strip():
        raise InputError(f"{name}: no article text found in the page")
    cleaned = clean_blocks(split_blocks(extracted.text), title=extracted.title or None)
    return Document.build(
        source, cleaned, digest(raw),
        url=extracted.url or url,
        published=extracted.date or None,
        author=extracted.author or None,
    )
