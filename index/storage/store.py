"""SQLite: articles, paragraphs, chunks, quotes and revisions. Plain tables, readable with any SQLite tool.

The `generation` row in `meta` is the single commit point: vector and BM25 files for a
generation are fully written before the transaction that names it commits.
"""
from __future__ import annotations

import difflib
import json
import os
import re
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, NamedTuple

from ..errors import StorageError

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    source       TEXT NOT NULL UNIQUE,  -- absolute file path or canonical URL
    url          TEXT,
    title        TEXT NOT NULL,
    author       TEXT,
    published    TEXT,                  -- ISO 8601, when the source says
    ingested_at  TEXT NOT NULL,
    updated_at   TEXT,                  -- when a changed version last replaced the text
    content_hash TEXT NOT NULL,         -- of the input: unchanged input is skipped
    text_hash    TEXT NOT NULL,         -- of the cleaned text: copies are skipped
    text         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_text_hash ON articles(text_hash);
CREATE TABLE IF NOT EXISTS paragraphs (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,        -- 1-based
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    PRIMARY KEY (article_id, number)
);
CREATE TABLE IF NOT EXISTS chunks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- also the FAISS id
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    paragraph  INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    terms      TEXT NOT NULL,           -- BM25 terms, space separated
    text_key   TEXT NOT NULL            -- folded text, to drop duplicate passages
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE TABLE IF NOT EXISTS revisions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    revised_at      TEXT NOT NULL,
    old_text_hash   TEXT NOT NULL,
    new_text_hash   TEXT NOT NULL,
    old_paragraphs  TEXT NOT NULL,      -- JSON: numbers of the previous version's changed or removed paragraphs
    new_paragraphs  TEXT NOT NULL,      -- JSON: numbers of this version's changed or added paragraphs
    old_text        TEXT NOT NULL       -- the replaced text, kept for the record but never searched
);
CREATE INDEX IF NOT EXISTS revisions_article ON revisions(article_id);
CREATE TABLE IF NOT EXISTS quotes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    paragraph      INTEGER NOT NULL,        -- 1-based
    kind           TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
    speaker        TEXT,                    -- canonical name, NULL when nobody can safely be named
    speaker_key    TEXT,                    -- folded canonical name: one speaker across articles
    speaker_person INTEGER NOT NULL DEFAULT 0,  -- 1 a named person, 0 an organisation or description
    speaker_as_written TEXT,
    cue            TEXT,                    -- the cue verb as written, or "according to"
    quote          TEXT NOT NULL,           -- verbatim: the article text from start_char to end_char
    start_char     INTEGER NOT NULL,
    end_char       INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    terms          TEXT                     -- BM25 terms of the sentence (textnorm.index_terms), space separated
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id, start_char);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_key);
-- Every folded word of every form a speaker is written in, per article: a name asked for is
-- looked up by one of its words instead of scanning every speaker. Kept with the quotes.
CREATE TABLE IF NOT EXISTS speaker_words (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    speaker_key TEXT NOT NULL,
    speaker     TEXT NOT NULL,              -- canonical name
    person      INTEGER NOT NULL,
    form        TEXT NOT NULL,              -- as written (or the canonical name)
    word        TEXT NOT NULL               -- one folded word of the form
);
CREATE INDEX IF NOT EXISTS speaker_words_word ON speaker_words(word);
CREATE INDEX IF NOT EXISTS speaker_words_key ON speaker_words(speaker_key);
CREATE INDEX IF NOT EXISTS speaker_words_article ON speaker_words(article_id);
-- Each quote's own words as stems (textnorm.index_terms), rowid = quotes.id: "who said" finds
-- the quotes holding a phrase, or an inflection of it, by a phrase query instead of reading
-- every quote near its words. Kept with the quotes (replace_quotes, delete_article).
CREATE VIRTUAL TABLE IF NOT EXISTS quote_terms USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0');
-- Each distinct term (textnorm.index_terms) of each headline: whether a word of a question is
-- in some headline is one lookup, where reading every title took seconds at 100k articles.
CREATE TABLE IF NOT EXISTS title_terms (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    term       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS title_terms_term ON title_terms(term);
CREATE INDEX IF NOT EXISTS title_terms_article ON title_terms(article_id);
"""


_SCHEMA_NAMES = re.findall(r"CREATE (?:VIRTUAL TABLE|TABLE|INDEX) IF NOT EXISTS (\w+)", SCHEMA)
BUSY_TIMEOUT = 30.0  # seconds a process waits for another's write lock
# Questions read quotes and passages all over the file: keep up to 64 MB of its pages (filled
# as they are read) instead of SQLite's 2 MB, which re-reads them from the OS on every question.
CACHE_PRAGMA = "PRAGMA cache_size = -65536"


def _writable_folder(data_dir: Path, db_path: Path) -> bool:
    """Create the data folder if needed; False when it (or its database) cannot be written."""
    if data_dir.exists() and not data_dir.is_dir():
        raise StorageError(f"the data folder {data_dir} is not a folder (SUMMIT_DATA_DIR)")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the data folder {data_dir}: {exc.strerror} (SUMMIT_DATA_DIR)") from None
    try:  # os.access misses read-only mounts for some users; trying is the real test
        probe = data_dir / f".summit-write-test-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError:
        return False
    return not db_path.exists() or os.access(db_path, os.W_OK)


def _retry_busy(open_db, timeout: float):
    """open_db(), again while SQLite says another process holds the database."""
    deadline, pause = time.monotonic() + timeout, 0.01
    while True:
        try:
            return open_db()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ArticleRow:
    id: int
    source: str
    url: str | None
    title: str
    author: str | None
    published: str | None
    ingested_at: str
    updated_at: str | None
    content_hash: str
    text_hash: str


@dataclass(frozen=True)
class ChunkRow:
    id: int
    article_id: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class RevisionRow:
    id: int
    article_id: int
    revised_at: str
    old_text_hash: str
    new_text_hash: str
    old_paragraphs: list[int]  # 1-based numbers in the previous version
    new_paragraphs: list[int]  # 1-based numbers in the new version


@dataclass(frozen=True)
class QuoteRow:
    id: int
    article_id: int
    paragraph: int
    kind: str
    speaker: str | None
    speaker_key: str | None
    person: bool
    speaker_as_written: str | None
    cue: str | None
    quote: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    sentence: str


class QuoteRef(NamedTuple):  # a tuple: thousands are made per question
    """What ordering and ranking a speaker's quotes needs, read without the article text."""
    id: int
    article_id: int
    speaker: str | None
    start: int
    terms: str  # the sentence's BM25 terms, space separated, with a space before and after
    dated: str  # its article's publication date, else ingestion time (ISO 8601); "" when not asked for
    end: int
    sentence_start: int
    kind: str


class QuoteSpan(NamedTuple):
    """A stored quote without its sentence (read without the article text): enough to find
    words in it and to tell who says them."""
    id: int
    article_id: int
    kind: str
    speaker: str | None
    speaker_key: str | None
    start: int
    end: int
    quote: str
    cue: str | None  # the verb that reports it ("said", "denied")


_SPAN_SELECT = "SELECT q.id, q.article_id, q.kind, q.speaker, q.speaker_key, q.start_char, q.end_char, q.quote, q.cue"


_QUOTE_SELECT = (
    "SELECT q.id, q.article_id, q.paragraph, q.kind, q.speaker, q.speaker_key, q.speaker_person, "
    "q.speaker_as_written, q.cue, q.quote, q.start_char, q.end_char, q.sentence_start, q.sentence_end, "
    "substr(a.text, q.sentence_start + 1, q.sentence_end - q.sentence_start) "
    "FROM quotes q JOIN articles a ON a.id = q.article_id"
)


def _quote_terms(text: str) -> str:
    """A quote's words as its full-text index holds them: folded and stemmed, as passages are."""
    from .. import textnorm

    return " ".join(t for t in textnorm.index_terms(text) if t)


def _quote_row(row) -> QuoteRow:
    return QuoteRow(*row[:6], bool(row[6]), *row[7:])


_ARTICLE_COLUMNS = "id, source, url, title, author, published, ingested_at, updated_at, content_hash, text_hash"


class Store:
    FILENAME = "summit.db"

    def __init__(self, data_dir: Path, timeout: float = BUSY_TIMEOUT):
        self.dir, self.path = data_dir, data_dir / self.FILENAME
        self.read_only = not _writable_folder(data_dir, self.path)
        try:
            self.db = _retry_busy(lambda: self._connect(timeout), timeout)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the index in {data_dir}: {exc}") from None

    def _connect(self, timeout: float) -> sqlite3.Connection:
        if self.read_only:
            # A read-only copy (a mount, a backup): nobody can change it, so SQLite need not
            # create its WAL and shared-memory files, which it could not.
            db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA foreign_keys=ON")
            db.execute(CACHE_PRAGMA)
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone() is None:
                db.close()
                raise StorageError(f"the data folder {self.dir} is read-only and holds no index")
            return db
        # Autocommit mode: transactions are explicit, so their extent is obvious.
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=timeout)
        try:
            # Two processes opening a new folder at once race to switch it to WAL; SQLite reports
            # that as "locked" without waiting, so _retry_busy tries again.
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")  # readers never block the writer, nor the reverse
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute(CACHE_PRAGMA)
            self.db = db
            self._ensure_schema()
        except BaseException:
            db.close()
            raise
        return db

    def _ensure_schema(self) -> None:
        present = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master")}
        if set(_SCHEMA_NAMES) <= present:
            return  # nothing to create: opening an existing index takes no write lock
        with self.write():
            if self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'quotes'").fetchone():
                columns = {r[1] for r in self.db.execute("PRAGMA table_info(quotes)")}
                if "terms" not in columns:  # a database from before quote terms: add them, once
                    self.db.execute("ALTER TABLE quotes ADD COLUMN terms TEXT")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self._backfill()

    def _backfill(self) -> None:
        """Derived rows a database made before they existed lacks (inside the schema transaction)."""
        from .. import textnorm

        missing = self.db.execute(
            "SELECT q.id, substr(a.text, q.sentence_start + 1, q.sentence_end - q.sentence_start) "
            "FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.terms IS NULL").fetchall()
        self.db.executemany("UPDATE quotes SET terms = ? WHERE id = ?",
                            [(" ".join(textnorm.index_terms(sentence)), qid) for qid, sentence in missing])
        if self.meta("quote_terms") is None:
            self.db.executemany("INSERT INTO quote_terms(rowid, terms) VALUES (?, ?)",
                                [(qid, _quote_terms(quote)) for qid, quote in self.db.execute("SELECT id, quote FROM quotes")])
            self.set_meta("quote_terms", 1)
        if self.meta("title_terms") is None:
            for article_id, title in self.db.execute("SELECT id, title FROM articles").fetchall():
                self._index_title(article_id, title)
            self.set_meta("title_terms", 1)
        if self.meta("speaker_words") is None:
            for (article_id,) in self.db.execute("SELECT DISTINCT article_id FROM quotes").fetchall():
                self._index_speakers(article_id)
            self.set_meta("speaker_words", 1)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; it takes the database's write lock at once. Storage failures
        (a full disk, a read-only folder) leave the index as it was and raise StorageError."""
        if self.read_only:
            raise StorageError(f"the data folder {self.dir} is read-only: the index can be queried, not changed")
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StorageError(f"cannot write to the index in {self.dir}: {exc}") from None
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            if isinstance(exc, (sqlite3.OperationalError, OSError)) and not isinstance(exc, StorageError):
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                raise StorageError(f"cannot write to the index in {self.dir}: {reason}; "
                                   "nothing was changed") from None
            raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent view for several reads."""
        self.db.execute("BEGIN")
        try:
            yield self.db
        finally:
            self.db.execute("COMMIT")

    # --- meta ---
    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, str(value)))

    def generation(self) -> int:
        return int(self.meta("generation") or 0)

    # --- articles ---
    def article(self, article_id: int) -> ArticleRow | None:
        row = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return ArticleRow(*row) if row else None

    def articles_by_id(self, ids) -> dict[int, ArticleRow]:
        """Several articles in one query (a phrase may be in hundreds of them)."""
        rows = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                               (json.dumps(sorted(set(ids))),)).fetchall()
        return {r[0]: ArticleRow(*r) for r in rows}

    def quote_spans_by(self, speaker_keys, article_ids) -> list[tuple[int, int, int]]:
        """(article id, start, end) of the quotes these speakers have in these articles."""
        keys, ids = sorted(set(speaker_keys)), sorted(set(article_ids))
        if not keys or not ids:
            return []
        return list(self.db.execute(
            "SELECT article_id, start_char, end_char FROM quotes WHERE speaker_key IN (SELECT value FROM json_each(?)) "
            "AND article_id IN (SELECT value FROM json_each(?))", (json.dumps(keys), json.dumps(ids))))

    def article_chunk_ranges(self, ids) -> dict[int, tuple[int, int, int, str]]:
        """Per article: its lowest and highest chunk id, its number of chunks, and its title
        (one query on the chunks_article index; no article text)."""
        rows = self.db.execute(
            "SELECT c.article_id, MIN(c.id), MAX(c.id), COUNT(*), a.title FROM chunks c "
            "JOIN articles a ON a.id = c.article_id WHERE c.article_id IN (SELECT value FROM json_each(?)) "
            "GROUP BY c.article_id", (json.dumps(sorted(set(ids))),)).fetchall()
        return {r[0]: tuple(r[1:]) for r in rows}

    def chunk_articles(self, chunk_ids) -> dict[int, int]:
        """The article of each chunk, in one query."""
        return dict(self.db.execute("SELECT id, article_id FROM chunks WHERE id IN (SELECT value FROM json_each(?))",
                                    (json.dumps(list(chunk_ids)),)).fetchall())

    def article_by_source(self, source: str) -> ArticleRow | None:
        row = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE source = ?", (source,)).fetchone()
        return ArticleRow(*row) if row else None

    def article_by_text_hash(self, text_hash: str) -> ArticleRow | None:
        row = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE text_hash = ? LIMIT 1",
                              (text_hash,)).fetchone()
        return ArticleRow(*row) if row else None

    def article_text(self, article_id: int) -> str:
        row = self.db.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else ""

    def articles(self) -> list[tuple[ArticleRow, int]]:
        """Every article with its chunk count, newest first."""
        rows = self.db.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _ARTICLE_COLUMNS.split(','))}, "
            "(SELECT COUNT(*) FROM chunks c WHERE c.article_id = a.id) "
            "FROM articles a ORDER BY COALESCE(a.published, a.ingested_at) DESC, a.id DESC"
        ).fetchall()
        return [(ArticleRow(*r[:-1]), r[-1]) for r in rows]

    def paragraphs(self, article_id: int) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self.db.execute(
            "SELECT start_char, end_char FROM paragraphs WHERE article_id = ? ORDER BY number", (article_id,))]

    def save_article(self, doc, text_hash: str, article_id: int | None) -> int:
        """Insert a new article, or replace the text of an existing one (keeping its id)."""
        if article_id is None:
            cur = self.db.execute(
                "INSERT INTO articles(source, url, title, author, published, ingested_at, content_hash, "
                "text_hash, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.source, doc.url, doc.title, doc.author, doc.published, now_iso(), doc.content_hash,
                 text_hash, doc.text))
            article_id = cur.lastrowid
        else:
            self._record_revision(article_id, doc, text_hash)
            self.db.execute(
                "UPDATE articles SET url = ?, title = ?, author = ?, published = COALESCE(?, published), "
                "updated_at = ?, content_hash = ?, text_hash = ?, text = ? WHERE id = ?",
                (doc.url, doc.title, doc.author, doc.published, now_iso(), doc.content_hash, text_hash,
                 doc.text, article_id))
            self.db.execute("DELETE FROM paragraphs WHERE article_id = ?", (article_id,))
        self.db.executemany(
            "INSERT INTO paragraphs(article_id, number, start_char, end_char) VALUES (?, ?, ?, ?)",
            [(article_id, n, s, e) for n, (s, e) in enumerate(doc.paragraphs, 1)])
        self._index_title(article_id, doc.title)
        return article_id

    def _index_title(self, article_id: int, title: str) -> None:
        from .. import textnorm

        self.db.execute("DELETE FROM title_terms WHERE article_id = ?", (article_id,))
        self.db.executemany("INSERT INTO title_terms(article_id, term) VALUES (?, ?)",
                            [(article_id, t) for t in dict.fromkeys(textnorm.index_terms(title or "")) if t])

    def titles_with_terms(self, terms, limit: int = 20) -> list[tuple[int, str]]:
        """(article id, headline) of the newest articles whose headline holds every term."""
        terms = list(dict.fromkeys(terms))
        if not terms:
            return []
        marks = ", ".join("?" * len(terms))
        return list(self.db.execute(
            f"SELECT t.article_id, a.title FROM title_terms t JOIN articles a ON a.id = t.article_id"
            f" WHERE t.term IN ({marks}) GROUP BY t.article_id HAVING COUNT(DISTINCT t.term) = ?"
            " ORDER BY t.article_id DESC LIMIT ?", [*terms, len(terms), limit]))

    def in_titles(self, terms) -> set[str]:
        """Which of `terms` some headline holds."""
        terms = list(dict.fromkeys(terms))
        if not terms:
            return set()
        marks = ", ".join("?" * len(terms))
        return {t for (t,) in self.db.execute(f"SELECT DISTINCT term FROM title_terms WHERE term IN ({marks})", terms)}

    def _record_revision(self, article_id: int, doc, text_hash: str) -> None:
        """Keep what a correction replaced, in the same transaction as the replacement."""
        old_hash, old_text = self.db.execute("SELECT text_hash, text FROM articles WHERE id = ?",
                                             (article_id,)).fetchone()
        old = [old_text[s:e] for s, e in self.paragraphs(article_id)]
        new = [doc.text[s:e] for s, e in doc.paragraphs]
        old_changed, new_changed = [], []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if tag != "equal":
                old_changed.extend(range(i1 + 1, i2 + 1))
                new_changed.extend(range(j1 + 1, j2 + 1))
        self.db.execute(
            "INSERT INTO revisions(article_id, revised_at, old_text_hash, new_text_hash, old_paragraphs, "
            "new_paragraphs, old_text) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article_id, now_iso(), old_hash, text_hash, json.dumps(old_changed), json.dumps(new_changed),
             old_text))

    def revisions(self, article_id: int) -> list[RevisionRow]:
        """An article's corrections, oldest first."""
        rows = self.db.execute(
            "SELECT id, article_id, revised_at, old_text_hash, new_text_hash, old_paragraphs, new_paragraphs "
            "FROM revisions WHERE article_id = ? ORDER BY id", (article_id,)).fetchall()
        return [RevisionRow(*r[:5], json.loads(r[5]), json.loads(r[6])) for r in rows]

    def delete_article(self, article_id: int) -> None:
        self._forget_quote_terms(self.quote_ids(article_id))
        self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    # --- chunks ---
    def chunk_ids(self, article_id: int) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM chunks WHERE article_id = ?", (article_id,))]

    def delete_chunks(self, article_id: int) -> list[int]:
        ids = self.chunk_ids(article_id)
        self.db.execute("DELETE FROM chunks WHERE article_id = ?", (article_id,))
        return ids

    def insert_chunks(self, article_id: int, chunks, terms: list[list[str]], keys: list[str]) -> list[int]:
        ids = []
        for chunk, chunk_terms, key in zip(chunks, terms, keys):
            cur = self.db.execute(
                "INSERT INTO chunks(article_id, paragraph, start_char, end_char, terms, text_key) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (article_id, chunk.paragraph, chunk.start, chunk.end, " ".join(chunk_terms), key))
            ids.append(cur.lastrowid)
        return ids

    def all_chunk_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM chunks ORDER BY id")]

    def all_chunk_terms(self) -> list[tuple[int, list[str]]]:
        return [(cid, terms.split()) for cid, terms in self.db.execute("SELECT id, terms FROM chunks ORDER BY id")]

    def chunks(self, ids: list[int]) -> dict[int, ChunkRow]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT c.id, c.article_id, c.paragraph, c.start_char, c.end_char, "
            f"substr(a.text, c.start_char + 1, c.end_char - c.start_char) "
            f"FROM chunks c JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})", ids).fetchall()
        return {r[0]: ChunkRow(*r) for r in rows}

    def chunks_for_ranking(self, ids: list[int]) -> tuple[dict[int, ChunkRow], dict[int, str], dict[int, str]]:
        """Chunks, their stored BM25 terms (space separated) and their text keys, in one query:
        a search reads all three for each of its hundred candidates."""
        if not ids:
            return {}, {}, {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT c.id, c.article_id, c.paragraph, c.start_char, c.end_char, "
            f"substr(a.text, c.start_char + 1, c.end_char - c.start_char), c.terms, c.text_key "
            f"FROM chunks c JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})", ids).fetchall()
        return ({r[0]: ChunkRow(*r[:6]) for r in rows}, {r[0]: r[6] for r in rows}, {r[0]: r[7] for r in rows})

    def chunk_terms(self, ids: list[int]) -> dict[int, list[str]]:
        """The stored BM25 terms of chunks: `textnorm.index_terms` of their text, computed at ingest."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {cid: terms.split() for cid, terms in
                self.db.execute(f"SELECT id, terms FROM chunks WHERE id IN ({marks})", ids)}

    # --- quotes ---
    def replace_quotes(self, article_id: int, quotes) -> tuple[list[int], list[int]]:
        """Store an article's quotes (quotes.Quote), replacing any it had. Inside a write().

        Returns (ids removed, ids of the new quotes in the order given), for the quote vectors."""
        from .. import textnorm
        from ..quotes.speakers import speaker_key

        text = self.article_text(article_id)
        removed = self.quote_ids(article_id)
        self._forget_quote_terms(removed)
        self.db.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
        added = []
        for q in quotes:
            cur = self.db.execute(
                "INSERT INTO quotes(article_id, paragraph, kind, speaker, speaker_key, speaker_person, "
                "speaker_as_written, cue, quote, start_char, end_char, sentence_start, sentence_end, terms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, q.paragraph, q.kind, q.speaker, speaker_key(q.speaker), int(q.person),
                 q.speaker_as_written, q.cue, q.text, q.start, q.end, q.sentence_start, q.sentence_end,
                 " ".join(textnorm.index_terms(text[q.sentence_start:q.sentence_end]))))
            added.append(cur.lastrowid)
            self.db.execute("INSERT INTO quote_terms(rowid, terms) VALUES (?, ?)", (cur.lastrowid, _quote_terms(q.text)))
        self._index_speakers(article_id)
        return removed, added

    @cached_property
    def _has_quote_terms(self) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'quote_terms'").fetchone() is not None

    def _forget_quote_terms(self, quote_ids: list[int]) -> None:
        self.db.executemany("DELETE FROM quote_terms WHERE rowid = ?", [(qid,) for qid in quote_ids])

    def quotes_with_terms(self, phrases: list[list[str]], article_ids: set[int] | None = None
                          ) -> list[QuoteSpan] | None:
        """The quotes whose own words hold any of these stem sequences, in order (phrase queries
        on the full-text index), light. A phrase's stems find it exactly and inflected; callers
        check the words. None for a read-only index made before it (callers scan instead)."""
        if not self._has_quote_terms:
            return None
        phrases = [p for p in ([t for t in p if t] for p in phrases) if p]
        if not phrases:
            return []
        quoted = lambda text: '"' + text.replace('"', '""') + '"'  # noqa: E731
        # Each term on its own as well as the phrase: FTS5 then reads positions only in the
        # quotes that have the rarest term ("to defend" reads "defend" first, not every "to").
        query = " OR ".join("(" + " AND ".join([*map(quoted, dict.fromkeys(p)), quoted(" ".join(p))]) + ")"
                            for p in phrases)
        scope, args = "", [query]
        if article_ids is not None:
            scope, args = " AND q.article_id IN (SELECT value FROM json_each(?))", [query, json.dumps(sorted(article_ids))]
        return list(map(QuoteSpan._make, self.db.execute(
            _SPAN_SELECT + " FROM quote_terms w JOIN quotes q ON q.id = w.rowid WHERE quote_terms MATCH ?" + scope
            + " ORDER BY q.article_id, q.start_char", args)))

    def speaker_articles(self, speaker_key: str, limit: int) -> list[int]:
        """Up to `limit` articles quoting this speaker, oldest first (an indexed lookup)."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT article_id FROM speaker_words WHERE speaker_key = ? ORDER BY article_id LIMIT ?",
            (speaker_key, limit))]

    def quote_ids(self, article_id: int) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM quotes WHERE article_id = ?", (article_id,))]

    def all_quote_sentences(self) -> list[tuple[int, str]]:
        """(quote id, its sentence) for every quote, in id order: what the quote vectors embed."""
        return [(r[0], r[-1]) for r in self.db.execute(
            "SELECT q.id, substr(a.text, q.sentence_start + 1, q.sentence_end - q.sentence_start) "
            "FROM quotes q JOIN articles a ON a.id = q.article_id ORDER BY q.id")]

    def quote_sentence_spans(self, article_ids) -> list[tuple[int, int, int, int]]:
        """(quote id, article id, sentence start, sentence end) of the articles' quotes."""
        return list(self.db.execute(
            "SELECT id, article_id, sentence_start, sentence_end FROM quotes "
            "WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY id", (json.dumps(sorted(set(article_ids))),)))

    def quotes_by_id(self, ids: list[int]) -> dict[int, QuoteRow]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r[0]: _quote_row(r) for r in self.db.execute(_QUOTE_SELECT + f" WHERE q.id IN ({marks})", list(ids))}

    def _index_speakers(self, article_id: int) -> None:
        """Rebuild an article's rows of speaker_words from its quotes (inside a write)."""
        from ..quotes.speakers import key

        self.db.execute("DELETE FROM speaker_words WHERE article_id = ?", (article_id,))
        forms = self.db.execute(
            "SELECT speaker_key, speaker, MAX(speaker_person), COALESCE(speaker_as_written, speaker) FROM quotes "
            "WHERE article_id = ? AND speaker_key IS NOT NULL GROUP BY speaker_key, speaker_as_written",
            (article_id,)).fetchall()
        self.db.executemany(
            "INSERT INTO speaker_words(article_id, speaker_key, speaker, person, form, word) VALUES (?, ?, ?, ?, ?, ?)",
            [(article_id, skey, name, person, form, word)
             for skey, name, person, form in forms for word in dict.fromkeys(key(form) + key(name))])

    def quotes(self, article_id: int | None = None, speaker_keys: list[str] | None = None) -> list[QuoteRow]:
        """Stored quotes in article order; filtered by article and by speaker key when given."""
        where, args = [], []
        if article_id is not None:
            where.append("q.article_id = ?")
            args.append(article_id)
        if speaker_keys is not None:
            if not speaker_keys:
                return []
            where.append(f"q.speaker_key IN ({','.join('?' * len(speaker_keys))})")
            args.extend(speaker_keys)
        sql = _QUOTE_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        return [_quote_row(r) for r in self.db.execute(sql + " ORDER BY q.article_id, q.start_char, q.kind", args)]

    def quote_refs(self, speaker_keys: list[str], dated: bool = True) -> list[QuoteRef]:
        """The quotes of these speakers in article order, light: through the speaker index (and
        the articles' primary key for their dates, when `dated`), never reading article text."""
        if not speaker_keys:
            return []
        date = "COALESCE(a.published, a.ingested_at)" if dated else "''"
        join = "JOIN articles a ON a.id = q.article_id " if dated else ""
        rows = self.db.execute(
            f"SELECT q.id, q.article_id, q.speaker, q.start_char, ' ' || COALESCE(q.terms, '') || ' ', {date}, "
            "q.end_char, q.sentence_start, q.kind "
            f"FROM quotes q {join}WHERE q.speaker_key IN ({','.join('?' * len(speaker_keys))}) "
            "ORDER BY q.article_id, q.start_char, q.kind", list(speaker_keys)).fetchall()
        return list(map(QuoteRef._make, rows))

    def quotes_covering(self, article_id: int, start: int, end: int) -> list[QuoteRow]:
        """Quotes whose words contain the span start:end, innermost first."""
        rows = self.db.execute(
            _QUOTE_SELECT + " WHERE q.article_id = ? AND q.start_char <= ? AND q.end_char >= ? "
            "ORDER BY q.end_char - q.start_char, q.kind", (article_id, start, end)).fetchall()
        return [_quote_row(r) for r in rows]

    def chunks_with_quotes(self) -> set[int]:
        """Ids of the chunks that overlap at least one quote."""
        return {cid for (cid,) in self.db.execute(
            "SELECT DISTINCT c.id FROM quotes q JOIN chunks c ON c.article_id = q.article_id "
            "AND c.paragraph = q.paragraph AND c.start_char < q.end_char AND c.end_char > q.start_char")}

    def quotes_in_chunks(self, chunk_ids: list[int]) -> list[QuoteSpan]:
        """Quotes overlapping any of the chunks, light. A quote stays inside its paragraph, so
        each chunk is looked up as a range of the quotes index from its paragraph's start."""
        if not chunk_ids:
            return []
        return list(map(QuoteSpan._make, self.db.execute(
            _SPAN_SELECT + " FROM quotes q WHERE q.id IN (SELECT q2.id FROM json_each(?) j "
            "JOIN chunks c ON c.id = j.value "
            "JOIN paragraphs p ON p.article_id = c.article_id AND p.number = c.paragraph "
            "JOIN quotes q2 ON q2.article_id = c.article_id AND q2.start_char >= p.start_char "
            "AND q2.start_char < c.end_char AND q2.end_char > c.start_char) "
            "ORDER BY q.article_id, q.start_char", (json.dumps(chunk_ids),))))

    def innermost_quotes(self, spans: list[tuple[int, int, int]]) -> list[QuoteSpan | None]:
        """For each (chunk id, start, end) span, the innermost stored quote that covers it
        (shortest, direct before reported), or None. No article text is read: a phrase in
        thousands of passages is told apart by speaker before any quote is shown."""
        if not spans:
            return []
        found: list[QuoteSpan | None] = [None] * len(spans)
        for index, *row in self.db.execute(
                "SELECT j.key, q.id, q.article_id, q.kind, q.speaker, q.speaker_key, q.start_char, q.end_char, "
                "q.quote, q.cue FROM json_each(?) j JOIN chunks c ON c.id = j.value ->> 0 "
                "JOIN paragraphs p ON p.article_id = c.article_id AND p.number = c.paragraph "
                "JOIN quotes q ON q.article_id = c.article_id AND q.start_char >= p.start_char "
                "AND q.start_char <= j.value ->> 1 AND q.end_char >= j.value ->> 2 "
                "ORDER BY j.key, q.end_char - q.start_char DESC, q.kind DESC", (json.dumps(spans),)):
            found[index] = QuoteSpan(*row)  # ordered so that the innermost comes last and stays
        return found

    def quotes_overlapping(self, article_id: int, start: int, end: int) -> list[QuoteRow]:
        rows = self.db.execute(
            _QUOTE_SELECT + " WHERE q.article_id = ? AND q.start_char < ? AND q.end_char > ? "
            "ORDER BY q.start_char", (article_id, end, start)).fetchall()
        return [_quote_row(r) for r in rows]

    def speakers(self, keys: set[str] | None = None) -> list[tuple[str, str, bool, set[str]]]:
        """Each distinct speaker (or those with these keys): canonical name, key, person or not,
        and the forms it was written in."""
        found: dict[str, tuple[str, str, bool, set[str]]] = {}
        where, args = "speaker_key IS NOT NULL", []
        if keys is not None:
            where, args = f"speaker_key IN ({','.join('?' * len(keys))})", sorted(keys)
        for name, key, person, written in self.db.execute(
                "SELECT speaker, speaker_key, MAX(speaker_person), speaker_as_written FROM quotes "
                f"WHERE {where} GROUP BY speaker_key, speaker_as_written ORDER BY speaker_key", args):
            entry = found.setdefault(key, (name, key, bool(person), set()))
            entry[3].add(written or name)
        return list(found.values())

    def speakers_with_word(self, word: str) -> list[tuple[str, str, bool, set[str]]]:
        """Each speaker written at least once with this folded word in its name: canonical name,
        key, person or not, and every form it was written in. Two indexed lookups, no scan."""
        found: dict[str, tuple[str, str, bool, set[str]]] = {}
        rows = self.db.execute(
            "SELECT speaker_key, MIN(speaker), MAX(person), form FROM speaker_words "
            "WHERE speaker_key IN (SELECT speaker_key FROM speaker_words WHERE word = ?) "
            "GROUP BY speaker_key, form ORDER BY speaker_key", (word,)).fetchall()
        person_of: dict[str, bool] = {}
        for skey, _, person, _ in rows:  # a person if any of its forms was
            person_of[skey] = person_of.get(skey, False) or bool(person)
        for skey, name, _, form in rows:
            found.setdefault(skey, (name, skey, person_of[skey], set()))[3].add(form)
        return list(found.values())

    def counts(self) -> dict[str, int]:
        return {
            "articles": self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
            "paragraphs": self.db.execute("SELECT COUNT(*) FROM paragraphs").fetchone()[0],
            "chunks": self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0],
            "quotes": self.db.execute("SELECT COUNT(*) FROM quotes").fetchone()[0],
        }
