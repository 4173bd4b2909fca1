"""Vector search over normalised embeddings (inner product = cosine), with FAISS.

Ids are row ids from SQLite. The index kind follows the size, chosen at each commit (`fit`):
- up to SUMMIT_FLAT_MAX vectors (200,000), exact flat search (`IDMap2,Flat`): at 200k it costs about 12 ms a
  query on one thread here, and it is exact;
- above, an inverted file of 8-bit codes (`IVF<nlist>,SQ8`, inner product) that scans the
  `nprobe` lists nearest the query, then re-scores twice as many candidates as asked with the
  exact vectors, which it keeps beside the codes: about 130x less to read than flat at 1M, with
  recall@10 >= 0.95 against flat and exact scores (docs/benchmarks.md). Its lists are trained on
  the vectors themselves, and retrained when the collection has doubled or halved since (and by
  `summit reindex`). IVF removes ids natively (through a hash-table id map), so deletions need
  no tombstones. An index saved as `IVF<nlist>,Flat` (before the codes) still loads and searches.
"""
from __future__ import annotations

import logging
import math
import os
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

log = logging.getLogger(__name__)

IVF_NPROBE_SHARE = 1 / 32  # share of the lists scanned per query, and at least IVF_MIN_NPROBE:
IVF_MIN_NPROBE = 64  # recall@10 vs flat at 1M: 0.963-0.975 (IVF2048, 64), 0.956 with IVF1024 and 32 (docs/benchmarks.md)
REFINE_FACTOR = 2  # candidates read from the codes per result asked, re-scored with the exact vectors
IVF_TRAIN_PER_LIST = 64  # training vectors per list (faiss wants >= 39)
IVF_MIN_LISTS = 64
IVF_MIN_VECTORS = IVF_MIN_LISTS * 39  # fewer cannot train the smallest IVF (39 points a list): stay flat
RETRAIN_GROWTH = 2.0  # retrain the lists when the size has doubled or halved since training


def dot_rows(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Each row's dot product with `query`. Not `vectors @ query`: OpenBLAS threads a product of
    this size, and on a busy 2-core machine that costs 20 ms instead of 0.2."""
    return np.einsum("ij,j->i", vectors, query.astype(np.float32, copy=False))


def set_threads(n: int) -> None:
    # Single queries run 2-3x faster on one OpenMP thread than on two on this hardware.
    faiss.omp_set_num_threads(max(1, n))


@contextmanager
def _all_threads():
    """Training and adding in bulk use every core; queries go back to the engine's setting."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def ivf_lists(n: int) -> int:
    """About 2 lists per 1,000 vectors, a power of two (2048 at 1M)."""
    return max(IVF_MIN_LISTS, 2 ** round(math.log2(max(n, 1) / 500)))


class VectorIndex:
    def __init__(self, index: faiss.Index, trained_on: int = 0, exact: faiss.Index | None = None):
        self.index = index
        self.trained_on = trained_on  # IVF: how many vectors its lists were trained on
        self.exact = exact  # IVF of 8-bit codes: the exact vectors (IDMap2,Flat), saved in the same file
        self._unremoved: set[int] = set()  # removed from the codes, still in `exact` (_settle)

    @classmethod
    def empty(cls, dim: int) -> "VectorIndex":
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def load(cls, path: Path, params: dict | None = None) -> "VectorIndex":
        reader = faiss.FileIOReader(str(path))
        index = faiss.read_index(reader)
        exact = None
        if isinstance(index, faiss.IndexIVFScalarQuantizer):
            try:
                exact = faiss.read_index(reader)
            except RuntimeError:  # saved by a version that knew only the codes: scores come from them
                log.warning("%s holds no exact vectors beside its codes: `summit reindex` restores them", path)
        del reader  # closes the file
        params = params or {}
        if isinstance(index, faiss.IndexIVF):
            index.nprobe = int(params.get("nprobe") or index.nprobe)
        return cls(index, int(params.get("trained_on") or 0), exact)

    def save(self, path: Path) -> None:
        """Write to a temporary file, flush it to disk, then rename: readers never see half a file."""
        tmp = path.with_name(path.name + ".tmp")
        self._settle()
        writer = faiss.FileIOWriter(str(tmp))
        faiss.write_index(self.index, writer)
        if self.exact is not None:
            faiss.write_index(self.exact, writer)
        del writer  # flushes and closes the file
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    @property
    def dim(self) -> int:
        return self.index.d

    @property
    def kind(self) -> str:
        return "ivf" if isinstance(self.index, faiss.IndexIVF) else "flat"

    def describe(self) -> dict:
        """Kind and parameters, recorded in the store's meta with each generation."""
        if self.kind == "ivf":
            codes = "SQ8" if isinstance(self.index, faiss.IndexIVFScalarQuantizer) else "Flat"
            return {"kind": "ivf", "factory": f"IVF{self.index.nlist},{codes}", "metric": "inner product",
                    "nlist": self.index.nlist, "nprobe": self.index.nprobe, "trained_on": self.trained_on,
                    "vectors": len(self),
                    **({"refine": "exact", "refine_factor": REFINE_FACTOR} if self.exact is not None else {})}
        return {"kind": "flat", "factory": "IDMap2,Flat", "metric": "inner product", "vectors": len(self)}

    def __len__(self) -> int:
        return self.index.ntotal

    def problem(self) -> str | None:
        """What `summit doctor` should report about this index: codes without their exact copy,
        or a copy that does not hold the same vectors."""
        if not isinstance(self.index, faiss.IndexIVFScalarQuantizer):
            return None
        if self.exact is None:
            return "its 8-bit codes have no exact vectors beside them (`summit reindex` restores them)"
        if self.exact.ntotal - len(self._unremoved) != self.index.ntotal:
            return f"{self.index.ntotal} vectors in its codes but {self.exact.ntotal} exact ones"
        return None

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            ids = np.asarray(ids, dtype=np.int64)
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
            self.index.add_with_ids(vectors, ids)
            if self.exact is not None:
                if self._unremoved.intersection(ids.tolist()):  # SQLite may hand a deleted row id out again
                    self._settle()
                self.exact.add_with_ids(vectors, ids)

    def remove(self, ids) -> None:
        ids = np.ascontiguousarray(list(ids), dtype=np.int64)
        if len(ids):
            if self.kind == "ivf":  # the hash-table id map removes only through an id array
                self.index.remove_ids(faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids)))
            else:
                self.index.remove_ids(ids)
            if self.exact is not None:  # compacting a million exact vectors per article would cost 0.2 s each
                self._unremoved.update(ids.tolist())

    def _settle(self) -> None:
        """Remove from the exact vectors what was removed from the codes, in one pass. Only the
        writer's copy has removals pending; readers never change an index they share."""
        if self._unremoved:
            gone = np.fromiter(self._unremoved, dtype=np.int64)
            self.exact.remove_ids(gone)
            self._unremoved.clear()

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if self.index.ntotal == 0 or k <= 0:
            return []
        query = query.reshape(1, -1).astype(np.float32)
        if self.exact is None:
            scores, ids = self.index.search(query, min(k, self.index.ntotal))
            return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
        _, ids = self.index.search(query, min(k * REFINE_FACTOR, self.index.ntotal))
        found = ids[0][ids[0] >= 0]  # ids removed from the codes are never found, so none pending
        scores = dot_rows(self.exact.reconstruct_batch(found), query[0])  # exact scores, as flat gives
        order = np.argsort(-scores, kind="stable")[:k]
        return [(int(found[i]), float(scores[i])) for i in order]

    def _exact(self) -> faiss.Index:
        """What holds the exact vectors, settled: the index itself, or the copy beside its codes."""
        if self.exact is None:
            return self.index
        self._settle()
        return self.exact

    def similarity(self, query: np.ndarray, ids: list[int]) -> dict[int, float]:
        """Cosine similarity of the query to given ids (vectors are normalised)."""
        if self._unremoved:
            ids = [i for i in ids if i not in self._unremoved]
        if not ids:
            return {}
        exact = self.index if self.exact is None else self.exact
        try:  # one call for all: a speaker can have thousands of quotes
            vectors = exact.reconstruct_batch(np.asarray(ids, dtype=np.int64))
            return dict(zip(ids, dot_rows(vectors, query).tolist()))
        except RuntimeError:  # an id not in the index: look them up one by one
            pass
        out = {}
        for i in ids:
            try:
                out[i] = float(np.dot(exact.reconstruct(int(i)), query))
            except RuntimeError:  # id not in the index
                continue
        return out

    # --- kind by size ---
    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """All (ids, vectors), exact, to rebuild as another kind."""
        if self.kind == "flat" or self.exact is not None:
            exact = self._exact()
            n, d = exact.ntotal, self.dim
            ids = faiss.vector_to_array(exact.id_map).astype(np.int64)
            flat = faiss.downcast_index(exact.index)
            vectors = faiss.rev_swig_ptr(flat.get_xb(), n * d).reshape(n, d).copy() if n else np.zeros((0, d), np.float32)
            return ids, vectors
        from faiss.contrib.inspect_tools import get_invlist

        parts_ids, parts_vecs = [], []
        for lst in range(self.index.nlist):
            ids, codes = get_invlist(self.index.invlists, lst)
            parts_ids.append(np.asarray(ids, dtype=np.int64))
            if not isinstance(self.index, faiss.IndexIVFScalarQuantizer):
                parts_vecs.append(np.asarray(codes).view(np.float32).reshape(-1, self.dim))
        ids = np.concatenate(parts_ids)
        if isinstance(self.index, faiss.IndexIVFScalarQuantizer):  # codes without the exact copy: decoded
            return ids, self.index.reconstruct_batch(ids) if len(ids) else np.zeros((0, self.dim), np.float32)
        return ids, np.concatenate(parts_vecs)

    def fit(self, flat_max: int) -> "VectorIndex":
        """This index, or the same vectors rebuilt as the kind their number calls for."""
        n = len(self)
        if self.kind == "flat":  # the flat index becomes the exact vectors beside the codes
            return self if n <= max(flat_max, IVF_MIN_VECTORS) else build_ivf(*self.arrays(), exact=self.index)
        if n <= flat_max // 2 or n < IVF_MIN_VECTORS:  # hysteresis: a few deletions do not flip kinds
            if self.exact is not None:
                return VectorIndex(self._exact())
            flat = VectorIndex.empty(self.dim)
            flat.add(*self.arrays())
            return flat
        if not self.trained_on / RETRAIN_GROWTH <= n <= self.trained_on * RETRAIN_GROWTH:
            return build_ivf(*self.arrays(), exact=self._exact() if self.exact is not None else None)
        return self


def build_ivf(ids: np.ndarray, vectors: np.ndarray, nlist: int | None = None,
              nprobe: int | None = None, seed: int = 1234, exact: faiss.Index | None = None) -> VectorIndex:
    """An inverted file of 8-bit codes trained on (a sample of) these vectors, with the exact
    vectors beside it: `exact` when it already holds them (an IDMap2,Flat), else a new copy."""
    n, d = vectors.shape
    nlist = nlist or ivf_lists(n)
    quantizer = faiss.IndexFlatIP(d)
    index = faiss.IndexIVFScalarQuantizer(quantizer, d, nlist, faiss.ScalarQuantizer.QT_8bit,
                                          faiss.METRIC_INNER_PRODUCT)
    index.cp.seed = seed  # same vectors, same lists
    rng = np.random.default_rng(seed)
    sample = vectors[np.sort(rng.choice(n, min(n, nlist * IVF_TRAIN_PER_LIST), replace=False))]
    with _all_threads():
        index.train(np.ascontiguousarray(sample, dtype=np.float32))
        index.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct and remove by id
        for pos in range(0, n, 100_000):  # bounded temporary memory
            index.add_with_ids(np.ascontiguousarray(vectors[pos:pos + 100_000], dtype=np.float32),
                               np.ascontiguousarray(ids[pos:pos + 100_000], dtype=np.int64))
        if exact is None:
            exact = faiss.IndexIDMap2(faiss.IndexFlatIP(d))
            for pos in range(0, n, 100_000):
                exact.add_with_ids(np.ascontiguousarray(vectors[pos:pos + 100_000], dtype=np.float32),
                                   np.ascontiguousarray(ids[pos:pos + 100_000], dtype=np.int64))
    index.nprobe = nprobe or min(nlist, max(IVF_MIN_NPROBE, round(nlist * IVF_NPROBE_SHARE)))
    quantizer.this.disown()  # the IVF index owns its quantizer from now on
    index.own_fields = True
    return VectorIndex(index, trained_on=n, exact=exact)
