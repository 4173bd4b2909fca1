"""RSS and Atom feeds: add, list, remove, and poll them into the archive.

Polling fetches each feed through the guarded fetcher (conditional on its ETag and
Last-Modified), parses the bytes with feedparser, and ingests entries not seen before,
tracked by GUID (else link). Each entry's page is fetched and extracted like any URL; when
the page cannot be fetched, the entry's full content (`content:encoded` or Atom `content`,
never the teaser summary) is used instead if the feed carries it. An entry that fails
both ways is retried on the next polls, up to MAX_ATTEMPTS times.

One feed failing (down, malformed) is reported and leaves every other feed, and every
stored article, as it was. The feed tables are bookkeeping, not index: they change in
plain transactions, after the articles themselves are committed by the engine's Writer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..errors import InputError, SummitError
from ..ingest import IngestResult
from ..storage.generations import Delete
from ..storage.store import now_iso
from .cleaning import clean_blocks, split_blocks
from .documents import Document, digest
from .fetch import FEED_TYPES, HTML_TYPES, TEXT_TYPES, FetchOptions, fetch, is_url, is_web_url, normalize_url
from .web import fetch_article

MAX_ATTEMPTS = 3  # polls that may fail on an entry before it is given up
ACCEPT = FEED_TYPES | HTML_TYPES | TEXT_TYPES  # some servers mislabel feeds; feedparser decides

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    url           TEXT NOT NULL UNIQUE,
    title         TEXT,
    etag          TEXT,                 -- for conditional requests
    last_modified TEXT,
    added_at      TEXT NOT NULL,
    polled_at     TEXT,
    last_error    TEXT                  -- of the last poll, NULL when it went well
);
CREATE TABLE IF NOT EXISTS feed_entries (
    feed_id    INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    entry_key  TEXT NOT NULL,           -- GUID, else link
    link       TEXT,
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,  -- removed articles stay seen
    status     TEXT NOT NULL,           -- ingested or failed
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (feed_id, entry_key)
);
CREATE INDEX IF NOT EXISTS feed_entries_article ON feed_entries(article_id);
"""


@dataclass(frozen=True)
class Feed:
    id: int
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    added_at: str
    polled_at: str | None
    last_error: str | None
    entries: int = 0  # entries seen so far


@dataclass
class FeedPoll:
    """What one poll did to one feed."""
    url: str
    status: str = "ok"  # ok, not modified, error
    error: str = ""
    entries: int = 0  # entries in the feed now
    skipped: int = 0  # already seen
    new: list[IngestResult] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # entries that could not be ingested
    removed: list[int] = field(default_factory=list)  # articles pruned (SUMMIT_FEED_PRUNE)


@dataclass
class PollReport:
    feeds: list[FeedPoll] = field(default_factory=list)

    @property
    def added(self) -> list[IngestResult]:
        return [r for f in self.feeds for r in f.new if r.status in ("added", "updated")]

    @property
    def errors(self) -> list[str]:
        return [f.error for f in self.feeds if f.error] + [e for f in self.feeds for e in f.failed]


@dataclass
class _Entry:
    key: str
    link: str | None
    title: str | None
    published: str | None
    author: str | None
    content: str | None  # full HTML content carried by the feed, if any


# --- storage ---
def _ensure_schema(engine) -> None:
    with engine.store.write() as db:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)


_FEED_COLUMNS = "id, url, title, etag, last_modified, added_at, polled_at, last_error"


def list_feeds(engine) -> list[Feed]:
    with engine._lock:
        _ensure_schema(engine)
        rows = engine.store.db.execute(
            f"SELECT {_FEED_COLUMNS}, (SELECT COUNT(*) FROM feed_entries e WHERE e.feed_id = f.id "
            "AND e.status = 'ingested') FROM feeds f ORDER BY f.id").fetchall()
    return [Feed(*r) for r in rows]


def _feed(engine, url: str) -> Feed | None:
    return next((f for f in list_feeds(engine) if f.url == url), None)


def add_feed(engine, url: str) -> Feed:
    """Check that `url` is a feed and remember it; its entries come in with the next poll."""
    url = _feed_url(url)
    if _feed(engine, url) is not None:
        raise InputError(f"{url}: this feed is already added")
    parsed = _parse(url, fetch(url, FetchOptions.from_settings(engine.settings), accept=ACCEPT).body)
    title = (parsed.feed.get("title") or "").strip() or None
    with engine._lock, engine.store.write() as db:
        db.execute("INSERT INTO feeds(url, title, added_at) VALUES (?, ?, ?) ON CONFLICT(url) DO NOTHING",
                   (url, title, now_iso()))
    return _feed(engine, url)


def remove_feed(engine, url: str) -> Feed:
    """Stop polling a feed. Its articles stay in the archive (`summit remove` takes one out)."""
    url = _feed_url(url)
    feed = _feed(engine, url)
    if feed is None:
        raise InputError(f"{url}: no such feed (see `summit feeds list`)")
    with engine._lock, engine.store.write() as db:
        db.execute("DELETE FROM feeds WHERE id = ?", (feed.id,))
    return feed


def _feed_url(url: str) -> str:
    url = url.strip()
    if not is_web_url(url):
        raise InputError(f"{url}: a feed must be an http or https URL")
    return normalize_url(url)


# --- polling ---
def poll_all(engine) -> PollReport:
    """Poll every feed once. For the clock process, every SUMMIT_FEED_INTERVAL minutes."""
    report = PollReport()
    for feed in list_feeds(engine):
        result = FeedPoll(feed.url)
        try:
            _poll(engine, feed, result)
        except SummitError as exc:
            result.status, result.error = "error", str(exc)
        with engine._lock, engine.store.write() as db:
            db.execute("UPDATE feeds SET polled_at = ?, last_error = ? WHERE id = ?",
                       (now_iso(), result.error or None, feed.id))
        report.feeds.append(result)
    return report


def _poll(engine, feed: Feed, result: FeedPoll) -> None:
    page = fetch(feed.url, FetchOptions.from_settings(engine.settings), accept=ACCEPT,
                 etag=feed.etag, last_modified=feed.last_modified)
    if page.not_modified:
        result.status = "not modified"
        return
    parsed = _parse(feed.url, page.body)
    entries = _entries(parsed)
    result.entries = len(entries)
    db = engine.store.db
    with engine._lock:
        known = {key: (status, attempts) for key, status, attempts in db.execute(
            "SELECT entry_key, status, attempts FROM feed_entries WHERE feed_id = ?", (feed.id,))}
    todo = []
    for entry in entries:
        status, attempts = known.get(entry.key, (None, 0))
        if status == "ingested" or attempts >= MAX_ATTEMPTS:
            result.skipped += 1
        else:
            todo.append((entry, attempts))

    docs, doc_entries, failures = [], [], []
    for entry, attempts in todo:  # network first, outside the engine's lock
        try:
            docs.append(_document(engine, entry))
            doc_entries.append(entry)
        except InputError as exc:
            failures.append((entry, attempts + 1, str(exc)))
            result.failed.append(str(exc))
    ingested = engine.ingest_documents(docs) if docs else []
    result.new = ingested

    with engine._lock, engine.store.write() as db:
        for entry, outcome in zip(doc_entries, ingested):
            db.execute(
                "INSERT INTO feed_entries(feed_id, entry_key, link, article_id, status, attempts, seen_at) "
                "VALUES (?, ?, ?, ?, 'ingested', 1, ?) ON CONFLICT(feed_id, entry_key) DO UPDATE SET "
                "article_id = excluded.article_id, status = 'ingested', error = NULL, "
                "attempts = attempts + 1", (feed.id, entry.key, entry.link, outcome.article_id, now_iso()))
        for entry, attempts, error in failures:
            db.execute(
                "INSERT INTO feed_entries(feed_id, entry_key, link, status, attempts, error, seen_at) "
                "VALUES (?, ?, ?, 'failed', ?, ?, ?) ON CONFLICT(feed_id, entry_key) DO UPDATE SET "
                "status = 'failed', attempts = excluded.attempts, error = excluded.error",
                (feed.id, entry.key, entry.link, attempts, error, now_iso()))
        # Failed entries are retried by fetching the feed again, so keep no validators then.
        retry = any(attempts < MAX_ATTEMPTS for _, attempts, _ in failures)
        db.execute("UPDATE feeds SET etag = ?, last_modified = ?, title = COALESCE(?, title) WHERE id = ?",
                   (None if retry else page.etag, None if retry else page.last_modified,
                    (parsed.feed.get("title") or "").strip() or None, feed.id))

    if engine.settings.feed_prune and entries:  # an empty feed is more likely a glitch than a purge
        result.removed = _prune(engine, feed, {e.key for e in entries})


def _prune(engine, feed: Feed, present: set[str]) -> list[int]:
    """Remove articles whose entries left this feed and that no other feed still lists."""
    with engine._lock:
        db = engine.store.db
        gone = [(key, article_id) for key, article_id in db.execute(
            "SELECT entry_key, article_id FROM feed_entries WHERE feed_id = ?", (feed.id,))
            if key not in present]
        removed = []
        for key, article_id in gone:
            if article_id is not None and engine.store.article(article_id) is not None:
                others = db.execute("SELECT COUNT(*) FROM feed_entries WHERE article_id = ? AND feed_id != ?",
                                    (article_id, feed.id)).fetchone()[0]
                if not others:
                    removed.append(article_id)
        if removed:
            engine.commit([Delete(article_id) for article_id in removed])
        with engine.store.write() as db:
            db.executemany("DELETE FROM feed_entries WHERE feed_id = ? AND entry_key = ?",
                           [(feed.id, key) for key, _ in gone])
    return removed


def _parse(url: str, body: bytes):
    import xml.sax

    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # Notes on declared types and namespaces are harmless; a feed that is not well-formed
    # XML, or not decodable, may have lost or garbled entries, so none of it is trusted.
    if not isinstance(problem, (xml.sax.SAXException, feedparser.CharacterEncodingUnknown)):
        problem = None
    if not parsed.get("version") or problem is not None:
        where = ""
        if problem is not None and hasattr(problem, "getLineNumber"):
            where = f" at line {problem.getLineNumber()}"
        detail = f" ({_first_line(problem)}{where})" if problem is not None else ""
        raise InputError(f"{url}: not a valid RSS or Atom feed{detail}")
    return parsed


def _entries(parsed) -> list[_Entry]:
    entries, keys = [], set()
    for raw in parsed.entries:
        link = (raw.get("link") or "").strip() or None
        key = (raw.get("id") or "").strip() or link
        if not key or key in keys:
            continue  # nothing to track it by, or listed twice
        keys.add(key)
        content = None
        for part in raw.get("content") or []:
            if (part.get("value") or "").strip():
                content = part["value"]
                break
        entries.append(_Entry(key=key, link=link, title=(raw.get("title") or "").strip() or None,
                              published=_iso(raw.get("published_parsed") or raw.get("updated_parsed")),
                              author=(raw.get("author") or "").strip() or None, content=content))
    return entries


def _document(engine, entry: _Entry) -> Document:
    if not entry.link or not is_url(entry.link):
        raise InputError(f"feed entry {entry.key}: no link to the article")
    try:
        doc = fetch_article(entry.link, engine.settings)
    except InputError as exc:
        if not entry.content:
            raise
        # The page failed but the feed carries the full text: use that, under the entry's link.
        try:
            doc = _content_document(entry)
        except InputError:
            raise exc from None
    doc.published = doc.published or entry.published
    doc.author = doc.author or entry.author
    return doc


def _content_document(entry: _Entry) -> Document:
    """The article from the feed's own full content: already the body, so no page extraction."""
    from lxml import etree, html

    try:
        root = html.fragment_fromstring(entry.content, create_parent="div")
    except (etree.ParserError, ValueError):
        raise InputError(f"{entry.link}: the feed's content for this entry is not readable") from None
    blocks = [" ".join(el.text_content().split()) for el in root.iter("p", "li", "blockquote")
              if not any(a.tag in ("p", "li", "blockquote") for a in el.iterancestors())]
    blocks = [b for b in blocks if b] or split_blocks(root.text_content())
    source = normalize_url(entry.link)
    return Document.build(source, clean_blocks(blocks, title=entry.title), digest(entry.content), url=source)


def _iso(parsed_time) -> str | None:
    if not parsed_time:
        return None
    try:
        return datetime(*parsed_time[:6], tzinfo=timezone.utc).isoformat(timespec="seconds")
    except (TypeError, ValueError):
        return None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__
