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

import json
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

_GENERATION_FILE = re.compile(r"^(vectors|lexical)\.(\d+)(\.faiss)?(\.tmp)?$")


class Files:
    def __init__(self, data_dir: Path):
        self.dir = data_dir

    def vectors(self, generation: int) -> Path:
        return self.dir / f"vectors.{generation}.faiss"

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
            return Snapshot(generation, VectorIndex.load(files.vectors(generation), vector_params(store)),
                            LexicalIndex.load(files.lexical(generation)))
        except (FileNotFoundError, RuntimeError) as exc:  # faiss raises RuntimeError for a missing file
            last_error = exc
            if store.generation() == generation:
                break  # the committed generation really is missing its files
    raise RuntimeError(f"the index in {files.dir} is damaged: {last_error}")


def vector_params(store: Store) -> dict:
    """Kind and parameters of the committed vector index (written with each generation)."""
    return json.loads(store.meta("vector_index") or "{}")


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


@dataclass
class Delete:
    article_id: int


class Writer:
    """Commits changes as new generations. Keeps the vector index in memory between commits."""

    def __init__(self, store: Store, files: Files, model: str, dim: int, flat_max: int = 200_000):
        self.store, self.files, self.model, self.dim = store, files, model, dim
        self.flat_max = flat_max  # vectors above which the index is IVF (ann.VectorIndex.fit)
        self._vectors: VectorIndex | None = None
        self._vectors_generation = -1

    def _current_vectors(self, generation: int) -> VectorIndex:
        if self._vectors is None or self._vectors_generation != generation:
            self._vectors = (VectorIndex.load(self.files.vectors(generation), vector_params(self.store))
                             if generation else VectorIndex.empty(self.dim))
        return self._vectors

    def commit(self, changes: list, on_article=None, replace_vectors: VectorIndex | None = None) -> list[int]:
        """Apply `changes` atomically; return the article id of each Upsert, in order.

        `on_article(article_id, upsert)` stores per-article extras in the same transaction.
        """
        store = self.store
        stored: list[int] = []
        try:
            with store.write():
                generation = store.generation()
                vectors = replace_vectors if replace_vectors is not None else self._current_vectors(generation)
                for change in changes:
                    if isinstance(change, Delete):
                        vectors.remove(store.delete_chunks(change.article_id))
                        store.delete_article(change.article_id)  # quotes go with it (ON DELETE CASCADE)
                        continue
                    if change.article_id is not None:
                        vectors.remove(store.delete_chunks(change.article_id))
                    article_id = store.save_article(change.doc, change.text_hash, change.article_id)
                    ids = store.insert_chunks(article_id, change.chunks, change.terms, change.keys)
                    store.replace_quotes(article_id, change.quotes)  # same transaction as the text
                    vectors.add(np.asarray(ids, dtype=np.int64), change.vectors)
                    stored.append(article_id)
                    if on_article is not None:
                        on_article(article_id, change)
                new = generation + 1
                vectors = vectors.fit(self.flat_max)  # flat or IVF by size, retrained as it grows (ann.py)
                vectors.save(self.files.vectors(new))
                LexicalIndex.build(store.all_chunk_terms()).save(self.files.lexical(new))
                _fsync_dir(self.files.dir)
                store.set_meta("generation", new)
                store.set_meta("model", self.model)
                store.set_meta("dim", self.dim)
                store.set_meta("vector_index", json.dumps(vectors.describe()))
        except BaseException:
            self._vectors = None  # may hold changes that were rolled back
            raise
        self._vectors, self._vectors_generation = vectors, new
        self.files.cleanup(keep={new, new - 1})  # a reader may still be loading the previous one
        return stored


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
