"""Indexes of any size without embedding every chunk (100k real embeddings take ~30 min here).

Text is synthetic news prose (bench.synthetic). Vectors are not random noise alone: each
chunk's vector is the normalised mean of real embeddings of its sentence shapes plus a
random component, so cosines to real questions spread like real ones do. Everything is
written through the engine's own storage path (Writer.commit with Upserts), so SQLite,
the FAISS file and the BM25 folder are exactly what ingest would produce.
"""
from __future__ import annotations

import time

import numpy as np

from index import textnorm
from index.chunking import Chunk
from index.cleaning import Cleaned
from index.documents import Document, digest
from index.generations import Upsert
from index.ingest import text_key

from .synthetic import Generator

NOISE = 0.6  # weight of the random part; keeps near-identical shapes from tying


def build(engine, n_chunks: int, seed: int = 7, log=print, edit=None) -> dict:
    """Fill the engine's (empty) data dir with `n_chunks` synthetic chunks in one commit.

    `edit(first_chunk_number, paragraphs)` may rewrite an article's paragraphs (same count)
    before they are stored, e.g. to plant a phrase in a known share of the passages."""
    started = time.perf_counter()
    gen = Generator(seed)
    shape_vecs = engine.embedder.encode(gen.shapes())
    rng = np.random.default_rng(seed)
    upserts, total, n_articles = [], 0, 0
    while total < n_chunks:
        art = gen.article(long_share=0.0)  # short paragraphs: one chunk each, no tokenizer needed
        paras = art.paragraphs[:n_chunks - total]
        if edit is not None:
            paras = edit(total, paras)
        doc = Document.build(f"synthetic://{n_chunks}/{n_articles}", Cleaned(art.title, paras),
                             digest("\n\n".join([art.title, *paras])))
        chunks = [Chunk(n, s, e) for n, (s, e) in enumerate(doc.paragraphs, 1)]
        texts = [doc.text[s:e] for s, e in doc.paragraphs]
        base = np.stack([shape_vecs[ids].mean(axis=0) for ids in art.template_ids[:len(paras)]])
        base /= np.linalg.norm(base, axis=1, keepdims=True)
        noise = rng.standard_normal(base.shape).astype(np.float32)
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        vecs = base + NOISE * noise
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        upserts.append(Upsert(doc=doc, text_hash=digest(doc.text), article_id=None, chunks=chunks,
                              terms=[textnorm.index_terms(t) for t in texts], keys=[text_key(t) for t in texts],
                              vectors=vecs.astype(np.float32)))
        total += len(paras)
        n_articles += 1
    prepared = time.perf_counter()
    engine.commit(upserts)
    done = time.perf_counter()
    info = {"chunks": total, "articles": n_articles, "generate_s": round(prepared - started, 2),
            "commit_s": round(done - prepared, 2), "build_s": round(done - started, 2), "vectors": "synthetic"}
    log(f"  built {total:,} synthetic chunks in {info['build_s']} s "
        f"(generate {info['generate_s']} s, commit {info['commit_s']} s)")
    return info
