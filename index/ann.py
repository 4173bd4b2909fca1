"""Vector search: exact inner product over normalised embeddings, with FAISS.

Ids are chunk ids from SQLite. Exact flat search is the simple, right choice up to ~100k
chunks here (about 6 ms a query on one thread); approximate indexes lose recall.
"""
from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np

INDEX_TYPE = "IDMap2,Flat (exact inner product)"


def set_threads(n: int) -> None:
    # Single queries run 2-3x faster on one OpenMP thread than on two on this hardware.
    faiss.omp_set_num_threads(max(1, n))


class VectorIndex:
    def __init__(self, index: faiss.Index):
        self.index = index

    @classmethod
    def empty(cls, dim: int) -> "VectorIndex":
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        """Write to a temporary file, flush it to disk, then rename: readers never see half a file."""
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self.index, str(tmp))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    @property
    def dim(self) -> int:
        return self.index.d

    def __len__(self) -> int:
        return self.index.ntotal

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.asarray(ids, dtype=np.int64))

    def remove(self, ids) -> None:
        ids = np.asarray(list(ids), dtype=np.int64)
        if len(ids):
            self.index.remove_ids(ids)

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if self.index.ntotal == 0 or k <= 0:
            return []
        scores, ids = self.index.search(query.reshape(1, -1).astype(np.float32), min(k, self.index.ntotal))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def similarity(self, query: np.ndarray, ids: list[int]) -> dict[int, float]:
        """Cosine similarity of the query to given chunks (vectors are normalised)."""
        out = {}
        for i in ids:
            try:
                out[i] = float(np.dot(self.index.reconstruct(int(i)), query))
            except RuntimeError:  # id not in the index
                continue
        return out
