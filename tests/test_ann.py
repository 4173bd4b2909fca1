"""The vector index follows the archive's size: exact flat when small, IVF above SUMMIT_FLAT_MAX,
chosen at commit, recorded in the store, and consistent with the atomic generations."""
from __future__ import annotations

import json

import numpy as np

from conftest import settings_for


def _upserts(rng, n_articles: int, per_article: int, start: int):
    from index.chunking import Chunk
    from index.cleaning import Cleaned
    from index.documents import Document, digest
    from index.generations import Upsert

    out = []
    for a in range(start, start + n_articles):
        paras = [f"Paragraph {p} of article {a} about the harbour." for p in range(per_article)]
        doc = Document.build(f"test://ann/{a}", Cleaned(f"Article {a}", paras), digest(f"{a}"))
        vectors = rng.standard_normal((per_article, 16)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        out.append(Upsert(doc=doc, text_hash=digest(doc.text), article_id=None,
                          chunks=[Chunk(n, s, e) for n, (s, e) in enumerate(doc.paragraphs, 1)],
                          terms=[["harbour"]] * per_article, keys=[f"{a}-{p}" for p in range(per_article)],
                          vectors=vectors))
    return out


def _writer(data_dir, flat_max):
    from index.generations import Files, Writer
    from index.store import Store

    store = Store(data_dir)
    return store, Writer(store, Files(data_dir), "test-model", 16, flat_max=flat_max)


def _reader(data_dir):
    from index.generations import Files, load_snapshot
    from index.store import Store

    store = Store(data_dir)
    try:
        return load_snapshot(store, Files(data_dir)), json.loads(store.meta("vector_index"))
    finally:
        store.close()


def test_flat_then_ivf_then_flat_again(tmp_path):
    from index.generations import Delete

    rng = np.random.default_rng(3)
    data = tmp_path / "data"
    store, writer = _writer(data, flat_max=2_000)
    first = writer.commit(_upserts(rng, 15, 100, 0))  # 1,500 vectors: exact
    snap, meta = _reader(data)
    assert meta["kind"] == "flat" and meta["vectors"] == 1_500 and snap.vectors.kind == "flat"

    second = writer.commit(_upserts(rng, 15, 100, 15))  # 3,000: over the threshold, IVF
    snap, meta = _reader(data)
    assert meta["kind"] == "ivf" and snap.vectors.kind == "ivf"
    assert meta["nlist"] == 64 and meta["trained_on"] == 3_000 and snap.vectors.index.nprobe == meta["nprobe"]
    ids = store.chunk_ids(first[3])
    ids_arr, vectors = snap.vectors.arrays()
    by_id = dict(zip(ids_arr.tolist(), vectors))
    for cid in ids:  # every stored vector finds itself first, with cosine 1
        found = snap.vectors.search(by_id[cid], 10)
        assert found[0][0] == cid and abs(found[0][1] - 1.0) < 1e-5
    assert set(snap.vectors.similarity(by_id[ids[0]], ids)) == set(ids)

    writer.commit([Delete(first[3])])  # IVF removes ids natively: gone from search and lookups
    snap, meta = _reader(data)
    assert meta["kind"] == "ivf" and meta["vectors"] == 2_900 and len(snap.vectors) == 2_900
    assert snap.vectors.similarity(by_id[ids[0]], ids) == {}
    assert all(cid not in ids for cid, _ in snap.vectors.search(by_id[ids[0]], 50))

    writer.commit([Delete(a) for a in first + second[:6]])  # 1,400 left (under half the threshold): flat again
    snap, meta = _reader(data)
    assert meta["kind"] == "flat" and len(snap.vectors) == 900
    kept = store.chunk_ids(second[-1])
    assert set(snap.vectors.similarity(by_id.get(kept[0], vectors[0]), kept)) == set(kept)
    store.close()


def test_ivf_is_retrained_when_the_archive_doubles(tmp_path):
    rng = np.random.default_rng(4)
    data = tmp_path / "data"
    store, writer = _writer(data, flat_max=1_000)
    writer.commit(_upserts(rng, 12, 100, 0))
    assert _reader(data)[1]["trained_on"] == 1_200
    writer.commit(_upserts(rng, 6, 100, 12))  # 1,800: same lists
    assert _reader(data)[1]["trained_on"] == 1_200
    writer.commit(_upserts(rng, 8, 100, 18))  # 2,600: more than doubled, retrained
    snap, meta = _reader(data)
    assert meta["trained_on"] == 2_600 and len(snap.vectors) == 2_600
    store.close()


def test_engine_reports_the_index_kind(tmp_path):
    from index import Engine

    engine = Engine(settings_for(tmp_path / "data", SUMMIT_FLAT_MAX=500), check_model=False)
    assert engine.settings.flat_max == 500
    assert engine.stats()["index"].startswith("IDMap2,Flat")
    engine.close()
