"""Lexical search: BM25 over folded, stemmed terms, with bm25s.

Terms come from `textnorm`, so case, accents and look-alike letters never block a match.
bm25s builds and saves the index; a question reads the saved arrays with numpy alone
(`SavedBM25`, the same scores), because importing bm25s pulls in scipy and tqdm, most of a
cold process's first answer.
"""
from __future__ import annotations

import json
import logging
import math
import os
import shutil
from pathlib import Path

import numpy as np

# The methods whose saved index this module scores: their BM25 weights are all stored per
# (term, passage), with no score for a term a passage lacks.
_STORED_METHODS = {"lucene", "robertson", "atire"}


class SavedBM25:
    """A bm25s index as `BM25.save` wrote it, read with numpy: the vocabulary, the CSC arrays of
    precomputed weights (memory-mapped), and `get_scores`, which sums them as bm25s does."""

    def __init__(self, folder: Path):
        params = json.loads((folder / "params.index.json").read_text())
        if params.get("method") not in _STORED_METHODS:
            raise ValueError(f"unsupported BM25 method {params.get('method')!r} in {folder}")
        self.vocab_dict: dict[str, int] = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        self.dtype = np.dtype(params.get("dtype", "float32"))
        self.scores = {name: np.load(folder / f"{name}.csc.index.npy", mmap_mode="r")
                       for name in ("data", "indices", "indptr")}
        self.scores["num_docs"] = int(params["num_docs"])

    def get_scores(self, term_ids: list[int]) -> np.ndarray:
        data, indices, indptr = self.scores["data"], self.scores["indices"], self.scores["indptr"]
        scores = np.zeros(self.scores["num_docs"], dtype=self.dtype)
        for t in term_ids:  # distinct terms; a term lists each passage once, so no np.add.at
            start, end = indptr[t], indptr[t + 1]
            scores[indices[start:end]] += data[start:end]
        return scores


class LexicalIndex:
    def __init__(self, retriever, ids: np.ndarray):
        self.retriever = retriever
        self.ids = ids  # position in the BM25 index -> chunk id

    @classmethod
    def build(cls, rows: list[tuple[int, list[str]]]) -> "LexicalIndex":
        if not rows:
            return cls(None, np.zeros(0, dtype=np.int64))
        import bm25s

        # bm25s sets its own logger to DEBUG on import, so "Building index from tokens" would
        # reach every handler on every commit.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        retriever = bm25s.BM25()
        retriever.index([terms or [""] for _, terms in rows], show_progress=False)
        return cls(retriever, np.array([cid for cid, _ in rows], dtype=np.int64))

    def save(self, folder: Path) -> None:
        """Write into a temporary folder, then rename it into place."""
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        np.save(tmp / "chunk_ids.npy", self.ids)
        if self.retriever is not None:
            self.retriever.save(str(tmp))
        (tmp / "done.json").write_text(json.dumps({"docs": int(len(self.ids))}))
        for child in tmp.iterdir():
            with open(child, "rb") as fh:
                os.fsync(fh.fileno())
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        if not (folder / "done.json").exists():
            raise FileNotFoundError(folder / "done.json")
        ids = np.load(folder / "chunk_ids.npy")
        retriever = SavedBM25(folder) if len(ids) else None
        return cls(retriever, ids)

    def __len__(self) -> int:
        return int(len(self.ids))

    def _term_ids(self, terms: list[str]) -> list[int]:
        if self.retriever is None:
            return []
        vocab = self.retriever.vocab_dict
        return [vocab[t] for t in dict.fromkeys(terms) if t in vocab and t != ""]

    def search(self, terms: list[str], k: int) -> list[tuple[int, float]]:
        term_ids = self._term_ids(terms)
        if not term_ids:
            return []
        scores = self.retriever.get_scores(term_ids)
        # Only the passages holding a term are ranked: at 1M passages, partitioning all the
        # (mostly zero) scores cost more than summing them.
        held = np.flatnonzero(scores != 0)  # on a bool array: 6x faster than on the floats
        k = min(k, len(held))
        if k <= 0:
            return []
        top = held[np.argpartition(-scores[held], k - 1)[:k]]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top]

    def held_in_ranges(self, term: str, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """For each range [lo, hi) of index positions, whether a passage in it holds `term`:
        two binary searches in the term's postings per range, whatever the index's size."""
        vocab = self.retriever.vocab_dict if self.retriever is not None else {}
        if term not in vocab:
            return np.zeros(len(lo), dtype=bool)
        sc, t = self.retriever.scores, vocab[term]
        postings = np.asarray(sc["indices"][sc["indptr"][t]:sc["indptr"][t + 1]])
        if len(postings) > 1 and not (postings[1:] > postings[:-1]).all():  # bm25s writes them sorted
            postings = np.sort(postings)
        return np.searchsorted(postings, lo) < np.searchsorted(postings, hi)

    def idf(self, terms: list[str]) -> dict[str, float]:
        """Inverse document frequency of each term; unknown terms get the highest value."""
        n = len(self.ids)
        out = {}
        vocab = self.retriever.vocab_dict if self.retriever is not None else {}
        indptr = self.retriever.scores["indptr"] if self.retriever is not None else None
        for t in dict.fromkeys(terms):
            df = int(indptr[vocab[t] + 1] - indptr[vocab[t]]) if t in vocab else 0
            out[t] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return out

    def containing_all(self, terms: list[str]) -> list[int]:
        """Chunk ids whose text has every one of `terms` (candidates for a phrase match)."""
        if self.retriever is None or not terms:
            return []
        vocab = self.retriever.vocab_dict
        if any(t not in vocab for t in terms):
            return []
        sc = self.retriever.scores
        postings = sorted((np.asarray(sc["indices"][sc["indptr"][vocab[t]]:sc["indptr"][vocab[t] + 1]])
                           for t in dict.fromkeys(terms)), key=len)
        docs = postings[0]
        for p in postings[1:]:
            docs = np.intersect1d(docs, p, assume_unique=True)
            if not len(docs):
                return []
        return self.ids[docs].tolist()
