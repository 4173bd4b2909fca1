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

from ..errors import StorageError
from ..retrieval.ann import VectorIndex
from ..retrieval.lexical import LexicalIndex
from .store import Store

log = logging.getLogger(__name__)

_GENERATION_FILE = re.compile(r"^(vectors|quotes|lexical)\.(\d+)(\.faiss)?(\.tmp)?$")
QUOTE_VECTORS_META = "quote_vectors"  # set once quote vectors are written with every generation
CHUNK_INDEX_META = "vector_index"  # kind and parameters of each vector index (ann.VectorIndex.describe)
QUOTE_INDEX_META = "quote_vector_index"
ENCODER_META = "encoder"  # what embedded the vectors: onnx-fp32 or torch (see _encoders)


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


def load_snapshot(store: Store, files: Files, attempts: int = 5, populate: bool = False) -> Snapshot:
    """The files of the committed generation. Retries if a writer moves on while we load.
    `populate`: map every page of the BM25 postings now (a long-running process)."""
    last_error: Exception | None = None
    for _ in range(attempts):
        generation = store.generation()
        if generation == 0:
            return Snapshot(0, None, LexicalIndex.build([]))
        try:
            quotes = (VectorIndex.load(files.quotes(generation), vector_params(store, QUOTE_INDEX_META))
                      if store.meta(QUOTE_VECTORS_META) else None)
            return Snapshot(generation, VectorIndex.load(files.vectors(generation), vector_params(store)),
                            LexicalIndex.load(files.lexical(generation), populate), quotes)
        except (FileNotFoundError, RuntimeError) as exc:  # faiss raises RuntimeError for a missing file
            last_error = exc
            if store.generation() == generation:
                break  # the committed generation really is missing its files
    raise StorageError(f"the index in {files.dir} is damaged: {last_error}")


def vector_params(store: Store, key: str = CHUNK_INDEX_META) -> dict:
    """Kind and parameters of a committed vector index (written with each generation)."""
    return json.loads(store.meta(key) or "{}")


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
    outcome: str | None = None  # set by the commit when another process stored it first: unchanged, duplicate


@dataclass
class Delete:
    article_id: int


class Writer:
    """Commits changes as new generations. Keeps the vector indexes in memory between commits."""

    def __init__(self, store: Store, files: Files, model: str, dim: int, flat_max: int = 200_000):
        self.store, self.files, self.model, self.dim = store, files, model, dim
        self.flat_max = flat_max  # vectors above which an index is IVF (ann.VectorIndex.fit)
        self._vectors: tuple[VectorIndex, VectorIndex] | None = None
        self._vectors_generation = -1

    def _current_vectors(self, generation: int) -> tuple[VectorIndex, VectorIndex]:
        """(chunk vectors, quote vectors) of `generation`."""
        if self._vectors is None or self._vectors_generation != generation:
            if not generation:
                self._vectors = VectorIndex.empty(self.dim), VectorIndex.empty(self.dim)
            else:
                quotes_file = self.files.quotes(generation)
                self._vectors = (VectorIndex.load(self.files.vectors(generation), vector_params(self.store)),
                                 VectorIndex.load(quotes_file, vector_params(self.store, QUOTE_INDEX_META))
                                 if self.store.meta(QUOTE_VECTORS_META)
                                 else VectorIndex.empty(self.dim))  # older index: `summit reindex` fills it
        return self._vectors

    def commit(self, changes: list, on_article=None, replace_vectors: tuple[VectorIndex, VectorIndex] | None = None,
               encoder: str | None = None) -> list[int]:
        """Apply `changes` atomically; return the article id of each Upsert, in order.

        `on_article(article_id, upsert)` stores per-article extras in the same transaction.
        `replace_vectors` (chunk vectors, quote vectors) replaces both indexes (reindex).
        `encoder` names what embedded the new vectors (meta ENCODER_META; see _encoders).
        """
        store = self.store
        stored: list[int] = []
        try:
            with store.write():
                generation = store.generation()
                vectors, quote_vectors = replace_vectors or self._current_vectors(generation)
                held_vectors = replace_vectors is None and len(vectors) > 0
                added = replace_vectors is not None
                for change in changes:
                    if isinstance(change, Upsert) and (settled := _settle(store, change)) is not None:
                        stored.append(settled)
                        continue
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
                    added = True
                    if on_article is not None:
                        on_article(article_id, change)
                new = generation + 1
                # Flat or IVF by size, retrained as they grow (ann.py); kind and parameters go in meta.
                vectors, quote_vectors = vectors.fit(self.flat_max), quote_vectors.fit(self.flat_max)
                try:
                    vectors.save(self.files.vectors(new))
                    quote_vectors.save(self.files.quotes(new))
                    LexicalIndex.build(store.all_chunk_terms()).save(self.files.lexical(new))
                    _fsync_dir(self.files.dir)
                except BaseException as exc:
                    # Nothing half-written stays behind (on a full disk it would keep the disk full).
                    self.files.cleanup(keep={generation, generation - 1})
                    if isinstance(exc, (OSError, RuntimeError)):  # faiss reports a failed write as RuntimeError
                        raise StorageError(f"cannot write the index files in {self.files.dir}: {_reason(exc)}; "
                                           "nothing was changed") from None
                    raise
                store.set_meta("generation", new)
                store.set_meta("model", self.model)
                store.set_meta("dim", self.dim)
                store.set_meta(QUOTE_VECTORS_META, "sentence")
                if encoder and added:
                    store.set_meta(ENCODER_META, _encoders(store, encoder, held_vectors))
                store.set_meta(CHUNK_INDEX_META, json.dumps(vectors.describe()))
                store.set_meta(QUOTE_INDEX_META, json.dumps(quote_vectors.describe()))
                # Still under the write lock, so no other writer's new files can be taken for
                # old ones; a reader may still be loading the previous generation.
                self.files.cleanup(keep={new, new - 1})
        except BaseException:
            self._vectors = None  # may hold changes that were rolled back
            raise
        self._vectors, self._vectors_generation = (vectors, quote_vectors), new
        return stored


def _encoders(store: Store, encoder: str, held_vectors: bool) -> str:
    """Which encoders embedded the stored vectors, "+"-joined: one name unless articles were
    added with different SUMMIT_INGEST_ENCODER settings (then `summit reindex` makes it one).
    An index from before this was recorded was embedded by torch."""
    used = {encoder}
    if held_vectors:
        used |= set(filter(None, (store.meta(ENCODER_META) or "torch").split("+")))
    if len(used) > 1:
        log.warning("the index holds vectors from %s: `summit reindex` re-embeds them with one encoder",
                    " and ".join(sorted(used)))
    return "+".join(sorted(used))


def _reason(exc: Exception) -> str:
    """The cause of a failed write in a few words: faiss ends its long message with strerror."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    m = re.search(r"\(([^()]+)\)\s*$", str(exc))
    return m.group(1) if m else str(exc).strip().splitlines()[-1][-120:]


def _settle(store: Store, change: Upsert) -> int | None:
    """Re-check, under the write lock, what other processes stored since `change` was prepared.
    Returns the stored article's id when there is nothing left to write."""
    existing = store.article_by_source(change.doc.source)
    if existing is not None and existing.text_hash == change.text_hash:
        change.outcome = "unchanged"
        return existing.id
    copy = store.article_by_text_hash(change.text_hash)
    if copy is not None and copy.source != change.doc.source:
        change.outcome = "duplicate"
        return copy.id
    change.article_id = existing.id if existing is not None else None
    return None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
