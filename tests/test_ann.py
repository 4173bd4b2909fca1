"""The vector index follows the archive's size: exact flat when small, IVF above SUMMIT_FLAT_MAX,
chosen at commit, recorded in the store, and consistent with the atomic generations."""
from __future__ import annotations

import json

import numpy as np

from conftest import settings_for


def _upserts(rng, n_articles: int, per_article: int, start: int):
    from index.sources.chunking import Chunk
    from index.sources.cleaning import Cleaned
    from index.sources.documents import Document, digest
    from index.storage.generations import Upsert

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
    from index.storage.generations import Files, Writer
    from index.storage.store import Store

    store = Store(data_dir)
    return store, Writer(store, Files(data_dir), "test-model", 16, flat_max=flat_max)


def _reader(data_dir):
    from index.storage.generations import Files, load_snapshot
    from index.storage.store import Store

    store = Store(data_dir)
    try:
        return load_snapshot(store, Files(data_dir)), json.loads(store.meta("vector_index"))
    finally:
        store.close()


def test_flat_then_ivf_then_flat_again(tmp_path):
    from index.storage.generations import Delete

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
    writer.commit(_upserts(rng, 30, 100, 0))
    assert _reader(data)[1]["trained_on"] == 3_000
    writer.commit(_upserts(rng, 20, 100, 30))  # 5,000: same lists
    assert _reader(data)[1]["trained_on"] == 3_000
    writer.commit(_upserts(rng, 15, 100, 50))  # 6,500: more than doubled, retrained
    snap, meta = _reader(data)
    assert meta["trained_on"] == 6_500 and len(snap.vectors) == 6_500
    store.close()


def test_engine_reports_the_index_kind(tmp_path):
    from index import Engine

    engine = Engine(settings_for(tmp_path / "data", SUMMIT_FLAT_MAX=500), check_model=False)
    assert engine.settings.flat_max == 500
    assert engine.stats()["index"].startswith("IDMap2,Flat")
    engine.close()


def _clustered(rng, n: int, d: int = 32, centres: int = 200) -> np.ndarray:
    base = rng.standard_normal((centres, d))
    x = base[rng.integers(0, centres, n)] + 0.35 * rng.standard_normal((n, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_ivf_codes_find_what_flat_finds_with_exact_scores(tmp_path):
    """The 8-bit codes only choose candidates: results carry exact cosines, and recall@10
    against flat stays high with a fraction of the lists scanned."""
    from index.retrieval.ann import VectorIndex, build_ivf

    rng = np.random.default_rng(5)
    vectors = _clustered(rng, 20_000)
    ids = np.arange(10, 20_010, dtype=np.int64)
    flat = VectorIndex.empty(32)
    flat.add(ids, vectors)
    ivf = build_ivf(ids, vectors, nlist=256, nprobe=16)
    assert ivf.describe()["factory"] == "IVF256,SQ8" and ivf.describe()["refine"] == "exact"
    queries = _clustered(rng, 50)
    recall = []
    by_id = dict(zip(ids.tolist(), vectors))
    for q in queries:
        truth = {i for i, _ in flat.search(q, 10)}
        got = ivf.search(q, 10)
        recall.append(len(truth & {i for i, _ in got}) / 10)
        for i, score in got:
            assert abs(score - float(np.dot(by_id[i], q))) < 1e-5
        assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)
    assert np.mean(recall) >= 0.9
    # saved and loaded in one file, codes and exact vectors together
    ivf.save(tmp_path / "v.faiss")
    back = VectorIndex.load(tmp_path / "v.faiss", ivf.describe())
    assert back.describe() == ivf.describe() and back.search(queries[0], 10) == ivf.search(queries[0], 10)
    got_ids, got_vectors = back.arrays()
    assert np.array_equal(got_vectors[np.argsort(got_ids)], vectors)


def test_removed_ids_leave_the_exact_vectors_too_even_when_reused(tmp_path):
    from index.retrieval.ann import VectorIndex, build_ivf

    rng = np.random.default_rng(6)
    vectors = _clustered(rng, 3_000)
    ids = np.arange(1, 3_001, dtype=np.int64)
    ivf = build_ivf(ids, vectors)
    ivf.remove(ids[-100:])  # an article at the end goes, and SQLite hands its ids out again
    assert len(ivf) == 2_900
    fresh = _clustered(rng, 50)
    ivf.add(ids[-50:], fresh)
    assert ivf.similarity(vectors[-60], [2_940]) == {}
    ivf.remove(ids[:10])
    assert ivf.search(fresh[0], 1)[0][0] == ids[-50]
    ivf.save(tmp_path / "v.faiss")
    back = VectorIndex.load(tmp_path / "v.faiss")
    got_ids, got_vectors = back.arrays()
    assert len(back) == len(got_ids) == 2_940
    assert set(got_ids.tolist()) == set(range(11, 2_901)) | set(range(2_951, 3_001))
    assert np.allclose(dict(zip(got_ids.tolist(), got_vectors))[2_951], fresh[0])
    assert back.similarity(vectors[0], [1, 2, 11]).keys() == {11}


def test_an_index_saved_before_the_codes_still_loads_and_is_rebuilt_with_them(tmp_path):
    import faiss

    from index.retrieval.ann import VectorIndex

    rng = np.random.default_rng(7)
    vectors = _clustered(rng, 4_000)
    ids = np.arange(1, 4_001, dtype=np.int64)
    quantizer = faiss.IndexFlatIP(32)
    old = faiss.IndexIVFFlat(quantizer, 32, 64, faiss.METRIC_INNER_PRODUCT)  # as earlier versions wrote it
    old.train(vectors)
    old.set_direct_map_type(faiss.DirectMap.Hashtable)
    old.add_with_ids(vectors, ids)
    faiss.write_index(old, str(tmp_path / "old.faiss"))
    loaded = VectorIndex.load(tmp_path / "old.faiss", {"nprobe": 64, "trained_on": 1_000})
    assert loaded.describe()["factory"] == "IVF64,Flat" and loaded.search(vectors[5], 1)[0][0] == 6
    rebuilt = loaded.fit(flat_max=1_000)  # 4x what its lists were trained on
    assert rebuilt.describe()["factory"] == "IVF64,SQ8" and rebuilt.trained_on == 4_000
    assert rebuilt.search(vectors[5], 1)[0][0] == 6
    assert loaded.fit(flat_max=10_000).kind == "flat"  # under half the threshold


def test_too_few_vectors_for_an_ivf_stay_flat_whatever_the_threshold(tmp_path):
    """SUMMIT_FLAT_MAX=1 must not make a small archive train 64 lists (faiss refuses)."""
    from conftest import DEMO
    from index import Engine

    engine = Engine(settings_for(tmp_path / "data", SUMMIT_FLAT_MAX=1))
    engine.ingest([DEMO])
    assert engine.stats()["index"].startswith("IDMap2,Flat") and engine.ask("who said “sacred battle”").answered
    engine.close()
    rng = np.random.default_rng(8)
    store, writer = _writer(tmp_path / "small", flat_max=1)
    writer.commit(_upserts(rng, 26, 100, 0))  # 2,600 vectors: enough for 64 lists
    assert _reader(tmp_path / "small")[1]["kind"] == "ivf"
    store.close()


def test_settings_refuse_numbers_that_would_break_later(tmp_path):
    import pytest

    from index.errors import ConfigError

    for name, bad in (("SUMMIT_FLAT_MAX", "0.5"), ("SUMMIT_FLAT_MAX", "0"), ("SUMMIT_ENCODE_BATCH", "0"),
                      ("SUMMIT_RESULTS", "0"), ("SUMMIT_FILE_MAX_BYTES", "inf"), ("SUMMIT_FETCH_TIMEOUT", "nan"),
                      ("SUMMIT_MIN_SCORE", "nan"), ("SUMMIT_MIN_SCORE", "1.5"), ("SUMMIT_FAISS_THREADS", "0")):
        with pytest.raises(ConfigError, match=name):
            settings_for(tmp_path, **{name: bad})
    assert settings_for(tmp_path, SUMMIT_FLAT_MAX="5000", SUMMIT_MIN_SCORE="0.3").flat_max == 5000


def test_codes_saved_without_their_exact_copy_still_load_search_and_rebuild(tmp_path):
    """A file an older version rewrote keeps only the codes: it loads (with a warning), answers
    from the codes, and a refit decodes them rather than failing."""
    import faiss

    from index.retrieval.ann import VectorIndex, build_ivf

    rng = np.random.default_rng(9)
    vectors = _clustered(rng, 4_000)
    ids = np.arange(1, 4_001, dtype=np.int64)
    ivf = build_ivf(ids, vectors)
    faiss.write_index(ivf.index, str(tmp_path / "codes-only.faiss"))  # what the older save wrote
    back = VectorIndex.load(tmp_path / "codes-only.faiss", ivf.describe())
    assert back.exact is None and back.describe()["factory"] == ivf.describe()["factory"]
    assert back.search(vectors[7], 1)[0][0] == 8
    got_ids, decoded = back.arrays()
    assert len(got_ids) == 4_000 and np.allclose(decoded[np.argsort(got_ids)], vectors, atol=0.02)
    back.trained_on = 1_000  # as if the archive had grown 4x since: retrained, with an exact copy again
    rebuilt = back.fit(flat_max=500)
    assert rebuilt.exact is not None and rebuilt.search(vectors[7], 1)[0][0] == 8


def test_doctor_reports_codes_that_lost_their_exact_vectors(tmp_path):
    import faiss

    from index.storage.health import FAIL, OK, check_consistent

    rng = np.random.default_rng(10)
    data = tmp_path / "data"
    store, writer = _writer(data, flat_max=1_000)
    writer.commit(_upserts(rng, 26, 100, 0))
    store.close()
    assert check_consistent(data).status == OK
    from index.storage.generations import Files
    from index.storage.store import Store

    snap, _ = _reader(data)
    reopened = Store(data)
    vectors_file = Files(data).vectors(reopened.generation())
    reopened.close()
    faiss.write_index(snap.vectors.index, str(vectors_file))  # the codes alone, as an older version saves them
    found = check_consistent(data)
    assert found.status == FAIL and "no exact vectors" in found.detail
