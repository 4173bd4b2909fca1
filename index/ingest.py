"""Ingest: documents in, chunks embedded, one atomic commit per batch.

Unchanged input is skipped by its hash; a changed article keeps its id and has its old
chunks replaced; an article whose cleaned text is already stored under another source is
skipped as a copy. Commits are spaced so that writing the index stays a small share of
the run (the embedding model is the real cost), and a crash loses only the open batch.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Iterable

import numpy as np
from tqdm import tqdm

from . import textnorm
from .models.embedding import in_context, with_sentences
from .sources.documents import Document, digest
from .storage.generations import Upsert

BATCH_ARTICLES = 32
MIN_COMMIT_INTERVAL = 5.0  # seconds
COMMIT_SHARE = 0.05  # at most this share of the run goes to writing the index


@dataclass
class IngestResult:
    source: str
    status: str  # added, updated, unchanged, duplicate
    article_id: int | None = None
    title: str = ""
    chunks: int = 0
    quotes: int = 0
    note: str = ""


def text_key(text: str) -> str:
    """Identity of a passage's wording, to drop copies from results."""
    return hashlib.sha1(" ".join(textnorm.words(text)).encode()).hexdigest()[:16]


class Ingestor:
    def __init__(self, engine):
        self.engine = engine

    def run(self, docs: Iterable[Document], total: int | None = None, progress: bool = False) -> list[IngestResult]:
        store = self.engine.store
        results: list[IngestResult] = []
        batch: list[tuple[Document, str, int | None, IngestResult]] = []
        pending: list[tuple[Upsert, IngestResult]] = []
        seen_text: dict[str, str] = {}
        last_commit, commit_cost = time.monotonic(), 0.0

        bar = tqdm(total=total, unit="article", desc="ingest", delay=2, disable=not progress, leave=False)

        def flush_batch():
            if batch:
                pending.extend(self._prepare(batch))
                batch.clear()

        def commit():
            nonlocal last_commit, commit_cost
            flush_batch()
            if pending:
                started = time.monotonic()
                ids = self.engine.commit([upsert for upsert, _ in pending], encoder=self.engine.ingest_encoder.kind)
                for (upsert, result), article_id in zip(pending, ids):
                    result.article_id = article_id
                    if upsert.outcome:  # another process stored it while this one prepared it
                        result.status, result.chunks, result.quotes = upsert.outcome, 0, 0
                        result.note = "already stored" if upsert.outcome == "unchanged" else \
                            f"same text as article {article_id}"
                commit_cost = time.monotonic() - started
                pending.clear()
            last_commit = time.monotonic()

        for doc in docs:
            bar.update(1)
            existing = store.article_by_source(doc.source)
            result = IngestResult(doc.source, "added", title=doc.title)
            results.append(result)
            if existing and existing.content_hash == doc.content_hash:
                result.status, result.article_id = "unchanged", existing.id
                continue
            text_hash = digest(doc.text)
            if existing and existing.text_hash == text_hash:
                result.status, result.article_id = "unchanged", existing.id
                continue
            copy = store.article_by_text_hash(text_hash)
            if copy is not None and copy.source != doc.source:
                result.status, result.article_id = "duplicate", copy.id
                result.note = f"same text as article {copy.id}"
                continue
            if text_hash in seen_text:
                result.status, result.note = "duplicate", f"same text as {seen_text[text_hash]}"
                continue
            seen_text[text_hash] = doc.source
            if existing:
                result.status, result.article_id = "updated", existing.id
            batch.append((doc, text_hash, existing.id if existing else None, result))
            if len(batch) >= BATCH_ARTICLES:
                flush_batch()
                elapsed = time.monotonic() - last_commit
                if elapsed >= max(MIN_COMMIT_INTERVAL, commit_cost / COMMIT_SHARE):
                    commit()
        commit()
        bar.close()
        return results

    def _prepare(self, batch) -> list[tuple[Upsert, IngestResult]]:
        """Chunk, embed and extract quotes for a batch of articles (no writes)."""
        engine = self.engine
        chunker, embedder = engine.chunker, engine.ingest_encoder
        per_doc = [chunker.chunk(doc) for doc, *_ in batch]
        quotes = engine.extract_quotes_many([doc for doc, *_ in batch])
        texts = [doc.text[c.start:c.end] for (doc, *_), chunks in zip(batch, per_doc) for c in chunks]
        # Each quote's sentence gets a vector too (so questions never embed quotes), pooled from
        # the pass over the passage that holds it; a sentence across two passages is embedded alone.
        sentences: list[list[tuple[int, int]]] = [[] for _ in texts]
        quote_rows, alone, row = [], [], 0
        for (doc, *_), chunks, doc_quotes in zip(batch, per_doc, quotes):
            for q in doc_quotes:
                k = next((k for k, c in enumerate(chunks)
                          if c.start <= q.sentence_start and q.sentence_end <= c.end), None)
                if k is None:
                    quote_rows.append((None, len(alone)))
                    alone.append(doc.text[q.sentence_start:q.sentence_end])
                else:
                    start = chunks[k].start
                    sentences[row + k].append((q.sentence_start - start, q.sentence_end - start))
                    quote_rows.append((row + k, len(sentences[row + k]) - 1))
            row += len(chunks)
        # Each article's title too, so its passages' vectors carry it (embedding.in_context).
        texts += [doc.title for doc, *_ in batch]
        sentences += [[] for _ in batch]
        title_rows = list(range(row, len(texts)))
        vectors, pooled = with_sentences(embedder, texts, sentences)
        alone_vectors = embedder.encode(alone)
        quote_vectors = np.array([pooled[r][i] if r is not None else alone_vectors[i] for r, i in quote_rows],
                                 dtype=np.float32).reshape(-1, embedder.dim)
        upserts, pos, qpos = [], 0, 0
        for (doc, text_hash, article_id, result), chunks, doc_quotes, title_row in zip(
                batch, per_doc, quotes, title_rows):
            chunk_texts = texts[pos:pos + len(chunks)]
            upsert = Upsert(
                doc=doc, text_hash=text_hash, article_id=article_id, chunks=chunks,
                terms=[textnorm.index_terms(t) for t in chunk_texts],
                keys=[text_key(t) for t in chunk_texts],
                vectors=in_context(vectors[pos:pos + len(chunks)], vectors[[title_row] * len(chunks)]),
                quotes=doc_quotes,
                quote_vectors=quote_vectors[qpos:qpos + len(doc_quotes)],
            )
            pos += len(chunks)
            qpos += len(doc_quotes)
            upserts.append((upsert, result))
            result.chunks, result.quotes = len(chunks), len(upsert.quotes)
        return upserts
