"""Atomic updates of the index, and consistent snapshots for readers in any process.

Every change makes a new generation N+1:
  1. inside one SQLite write transaction, rows are changed;
  2. the FAISS file and the BM25 folder for N+1 are written to temporary names and renamed;
  3. `meta.generation` is set to N+1 and the transaction commits: this is the commit point.
A crash before 3 rolls the rows back and leaves N readable; files of an uncommitted
generation are never read and are removed by the next writer. Readers load the files of
the generation they read from SQLite, and reload when it moves on.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .ann import VectorIndex
from .lexical import LexicalIndex
from .store import Store

log = logging.getLogger(__name__)

_GENERATION_FILE = re.compile(r"^(vectors|quotes|lexical)\.(\d+)(\.faiss)?(\.tmp)?$")
QUOTE_VECTORS_META = "quote_vectors"  # set once quote vectors are written with every generation


class Files:
    def __init__(self, data_dir: Path):
        self.dir = data_dir

    def vectors(self, generation: int) -> Path:
        return self.dir / f"vectors.{generation}.faiss"

    def quotes(self, generation: int) -> Path:
        """Vectors of the quotes' sentences, ids = quote ids."""
        return self.dir / f"quotes.{generation}.faiss"

    def lexical(self, generation: int) -> Path:
        return self.dir / f"lexical.{generation}"

    def cleanup(self, keep: set[int]) -> None:
        """Remove files of generations not in `keep`, and temporary files left by a crash."""
        for path in self.dir.iterdir():
            m = _GENERATION_FILE.match(path.name)
            if not m or (int(m.group(2)) in keep and not m.group(4)):
                continue
            try:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            except FileNotFoundError:
                pass


@dataclass
class Snapshot:
    generation: int
    vectors: VectorIndex | None
    lexical: LexicalIndex
    quote_vectors: VectorIndex | None = None  # None for an index built before quote vectors

    @property
    def empty(self) -> bool:
        return self.vectors is None or len(self.vectors) == 0


def load_snapshot(store: Store, files: Files, attempts: int = 5) -> Snapshot:
    """The files of the committed generation. Retries if a writer moves on while we load."""
    last_error: Exception | None = None
    for _ in range(attempts):
        generation = store.generation()
        if generation == 0:
            return Snapshot(0, None, LexicalIndex.build([]))
        try:
            quotes = (VectorIndex.load(files.quotes(generation)) if store.meta(QUOTE_VECTORS_META)
                      else None)
            return Snapshot(generation, VectorIndex.load(files.vectors(generation)),
                            LexicalIndex.load(files.lexical(generation)), quotes)
        except (FileNotFoundError, RuntimeError) as exc:  # faiss raises RuntimeError for a missing file
            last_error = exc
            if store.generation() == generation:
                break  # the committed generation really is missing its files
    raise RuntimeError(f"the index in {files.dir} is damaged: {last_error}")


@dataclass
class Upsert:
    """A new or changed article with everything computed, ready to store."""
    doc: object  # documents.Document
    text_hash: str
    article_id: int | None
    chunks: list
    terms: list[list[str]]
    keys: list[str]
    vectors: np.ndarray
    quotes: list = field(default_factory=list)
    quote_vectors: np.ndarray | None = None  # one row per quote: the embedding of its sentence


@dataclass
class Delete:
    article_id: int


class Writer:
    """Commits changes as new generations. Keeps the vector indexes in memory between commits."""

    def __init__(self, store: Store, files: Files, model: str, dim: int):
        self.store, self.files, self.model, self.dim = store, files, model, dim
        self._vectors: tuple[VectorIndex, VectorIndex] | None = None
        self._vectors_generation = -1

    def _current_vectors(self, generation: int) -> tuple[VectorIndex, VectorIndex]:
        """(chunk vectors, quote vectors) of `generation`."""
        if self._vectors is None or self._vectors_generation != generation:
            if not generation:
                self._vectors = VectorIndex.empty(self.dim), VectorIndex.empty(self.dim)
            else:
                quotes_file = self.files.quotes(generation)
                self._vectors = (VectorIndex.load(self.files.vectors(generation)),
                                 VectorIndex.load(quotes_file) if self.store.meta(QUOTE_VECTORS_META)
                                 else VectorIndex.empty(self.dim))  # older index: `summit reindex` fills it
        return self._vectors

    def commit(self, changes: list, on_article=None, replace_vectors: tuple[VectorIndex, VectorIndex] | None = None
               ) -> list[int]:
        """Apply `changes` atomically; return the article id of each Upsert, in order.

        `on_article(article_id, upsert)` stores per-article extras in the same transaction.
        `replace_vectors` (chunk vectors, quote vectors) replaces both indexes (reindex).
        """
        store = self.store
        stored: list[int] = []
        try:
            with store.write():
                generation = store.generation()
                vectors, quote_vectors = replace_vectors or self._current_vectors(generation)
                for change in changes:
                    if isinstance(change, Delete):
                        quote_vectors.remove(store.quote_ids(change.article_id))
                        vectors.remove(store.delete_chunks(change.article_id))
                        store.delete_article(change.article_id)  # quotes go with it (ON DELETE CASCADE)
                        continue
                    if change.article_id is not None:
                        vectors.remove(store.delete_chunks(change.article_id))
                    article_id = store.save_article(change.doc, change.text_hash, change.article_id)
                    ids = store.insert_chunks(article_id, change.chunks, change.terms, change.keys)
                    removed, quote_ids = store.replace_quotes(article_id, change.quotes)  # same transaction
                    vectors.add(np.asarray(ids, dtype=np.int64), change.vectors)
                    quote_vectors.remove(removed)
                    if quote_ids and change.quote_vectors is not None:
                        quote_vectors.add(np.asarray(quote_ids, dtype=np.int64), change.quote_vectors)
                    stored.append(article_id)
                    if on_article is not None:
                        on_article(article_id, change)
                new = generation + 1
                vectors.save(self.files.vectors(new))
                quote_vectors.save(self.files.quotes(new))
                LexicalIndex.build(store.all_chunk_terms()).save(self.files.lexical(new))
                _fsync_dir(self.files.dir)
                store.set_meta("generation", new)
                store.set_meta("model", self.model)
                store.set_meta("dim", self.dim)
                store.set_meta(QUOTE_VECTORS_META, "sentence")
        except BaseException:
            self._vectors = None  # may hold changes that were rolled back
            raise
        self._vectors, self._vectors_generation = (vectors, quote_vectors), new
        self.files.cleanup(keep={new, new - 1})  # a reader may still be loading the previous one
        return stored


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
