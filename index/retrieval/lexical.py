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
import mmap
import os
import shutil
import threading
from pathlib import Path

import numpy as np

# The methods whose saved index this module scores: their BM25 weights are all stored per
# (term, passage), with no score for a term a passage lacks.
_STORED_METHODS = {"lucene", "robertson", "atire"}


class SavedBM25:
    """A bm25s index as `BM25.save` wrote it, read with numpy: the vocabulary, the CSC arrays of
    precomputed weights (memory-mapped), and `get_scores`, which sums them as bm25s does."""

    def __init__(self, folder: Path, populate: bool = False):
        params = json.loads((folder / "params.index.json").read_text())
        if params.get("method") not in _STORED_METHODS:
            raise ValueError(f"unsupported BM25 method {params.get('method')!r} in {folder}")
        self.vocab_dict: dict[str, int] = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        self.dtype = np.dtype(params.get("dtype", "float32"))
        self.scores = {name: map_array(folder / f"{name}.csc.index.npy", populate)
                       for name in ("data", "indices", "indptr")}
        self.scores["num_docs"] = int(params["num_docs"])
        # Each term's largest weight, written at build with the check that postings are sorted;
        # for an index from before, worked out per term when first asked.
        self._largest: dict[int, float] | np.ndarray = {}
        if (folder / LARGEST_FILE).exists():
            self._largest = np.load(folder / LARGEST_FILE)
        self._scratch: np.ndarray | None = None  # scores of every passage, for _top_of_all
        self._mask: np.ndarray | None = None
        self._scratch_lock = threading.Lock()

    @property
    def checked_sorted(self) -> bool:
        """Whether the build checked that every term's postings are sorted (it saved their largest weights)."""
        return isinstance(self._largest, np.ndarray)

    def get_scores(self, term_ids: list[int]) -> np.ndarray:
        return self._sum_into(np.zeros(self.scores["num_docs"], dtype=self.dtype), term_ids)

    def _sum_into(self, scores: np.ndarray, term_ids: list[int]) -> np.ndarray:
        data, indices, indptr = self.scores["data"], self.scores["indices"], self.scores["indptr"]
        for t in term_ids:  # distinct terms, each listing a passage once: the same floats as `+=` by index
            start, end = indptr[t], indptr[t + 1]
            np.add.at(scores, indices[start:end], data[start:end])  # numpy 2: 2.8x faster than scores[i] += w
        return scores

    def top(self, term_ids: list[int], k: int) -> tuple[np.ndarray, np.ndarray]:
        """The `k` best index positions and their scores, best first: the same as ranking all of
        `get_scores`, without touching every passage of a common term (max-score pruning).

        The passages holding one of the rarer terms are scored exactly, the common terms' weights
        found by binary search in their postings. A passage holding only common terms can score at
        most the sum of their largest weights; when the k-th best scored passage beats that, no
        such passage can enter the top k. Otherwise, or when every term is common, all are summed."""
        data, indices, indptr = self.scores["data"], self.scores["indices"], self.scores["indptr"]
        if self.scores["num_docs"] < PRUNE_MIN_DOCS:
            return self._top_of_all(term_ids, k)  # summing every posting is cheaper than sorting them out
        by_df = sorted(term_ids, key=lambda t: indptr[t + 1] - indptr[t])
        rare, held = [], 0
        for t in by_df:
            df = int(indptr[t + 1] - indptr[t])
            if rare and held + df > RARE_POSTINGS:
                break
            rare.append(t)
            held += df
        common = by_df[len(rare):]
        postings = {t: indices[indptr[t]:indptr[t + 1]] for t in term_ids}
        if isinstance(self._largest, dict) and any(t not in self._largest for t in term_ids):
            for t in term_ids:
                p = postings[t]
                if len(p) > 1 and not (p[1:] > p[:-1]).all():  # bm25s writes them sorted
                    return self._top_of_all(term_ids, k)
                self._largest[t] = float(data[indptr[t]:indptr[t + 1]].max()) if len(p) else 0.0
        candidates = postings[rare[0]] if len(rare) == 1 else np.unique(np.concatenate([postings[t] for t in rare]))
        scores = np.zeros(len(candidates), dtype=self.dtype)
        for t in term_ids:  # in the order get_scores sums them: the same floats
            p, weights = postings[t], data[indptr[t]:indptr[t + 1]]
            if p is candidates:
                scores += weights
                continue
            if not len(p):
                continue
            at = np.minimum(np.searchsorted(p, candidates), len(p) - 1)
            scores += np.where(p[at] == candidates, weights[at], 0)
        order = _best(scores, k)
        bound = sum(float(self._largest[t]) for t in common)
        if not common or (len(order) == k and scores[order[-1]] > bound):
            return candidates[order], scores[order]
        # The k-th best found is still a floor for the true k-th: only passages at or above it are ranked.
        return self._top_of_all(term_ids, k, floor=float(scores[order[-1]]) if len(order) == k else 0.0)

    def _top_of_all(self, term_ids: list[int], k: int, floor: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        # One score array per index, zeroed after each use: a new one per question costs a page
        # fault per 4 KB written (1,000 faults, 13 ms at 1M passages on this machine kind).
        with self._scratch_lock:
            if self._scratch is None:
                self._scratch = np.zeros(self.scores["num_docs"], dtype=self.dtype)
                self._mask = np.zeros(self.scores["num_docs"], dtype=bool)
            scores, mask = self._scratch, self._mask
            try:
                self._sum_into(scores, term_ids)
                # on a bool array: 6x faster than on the floats
                held = np.flatnonzero(np.greater_equal(scores, floor, out=mask) if floor > 0
                                      else np.not_equal(scores, 0, out=mask))
                found = scores[held]
                order = _best(found, k)
                return held[order], found[order]
            finally:
                scores.fill(0)


LARGEST_FILE = "term_largest.npy"


def map_array(path: Path, populate: bool = False) -> np.ndarray:
    """A saved .npy array, memory-mapped read-only. With `populate`, every page is mapped up front
    (MAP_POPULATE), for a long-running process: a question then never waits on a page fault,
    which costs about 7 us per 4 KB on this machine kind, and mapped pages stay in the page cache."""
    if not populate or not hasattr(mmap, "MAP_POPULATE"):
        return np.load(path, mmap_mode="r")
    with open(path, "rb") as fh:
        version = np.lib.format.read_magic(fh)
        if version not in ((1, 0), (2, 0)):  # numpy writes 1.0; anything else is read its own way
            return np.load(path, mmap_mode="r")
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran, dtype = read_header(fh)
        offset = fh.tell()
        count = int(np.prod(shape))
        if count == 0 or dtype.hasobject:
            return np.load(path, mmap_mode="r")
        view = mmap.mmap(fh.fileno(), 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
    return np.frombuffer(view, dtype=dtype, count=count, offset=offset).reshape(shape, order="F" if fortran else "C")

# Postings read in full per question; past this, a question's commoner terms are only looked up
# for the passages the rarer ones found (SavedBM25.top). Small archives never prune.
RARE_POSTINGS = 20_000
PRUNE_MIN_DOCS = 100_000  # below this many passages every question sums all its postings


def term_largest(scores: dict) -> np.ndarray | None:
    """Each term's largest weight in a bm25s index's CSC arrays, or None when some term's postings
    are not sorted (then `top` cannot binary-search them)."""
    data, indices, indptr = (np.asarray(scores[name]) for name in ("data", "indices", "indptr"))
    if not len(data):
        return np.zeros(len(indptr) - 1, dtype=np.float32)
    rising = np.diff(indices) > 0
    rising[indptr[1:-1][(indptr[1:-1] > 0) & (indptr[1:-1] < len(indices))] - 1] = True  # a term's first posting may be lower
    if not rising.all():
        return None
    sizes = np.diff(indptr)
    largest = np.zeros(len(sizes), dtype=np.float32)
    filled = sizes > 0
    largest[filled] = np.maximum.reduceat(data, indptr[:-1][filled])
    return largest


def _best(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest nonzero scores, highest first."""
    k = min(k, int(np.count_nonzero(scores)))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top], kind="stable")]


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
            largest = term_largest(self.retriever.scores)
            if largest is not None:
                np.save(tmp / LARGEST_FILE, largest)
        (tmp / "done.json").write_text(json.dumps({"docs": int(len(self.ids))}))
        for child in tmp.iterdir():
            with open(child, "rb") as fh:
                os.fsync(fh.fileno())
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)

    @classmethod
    def load(cls, folder: Path, populate: bool = False) -> "LexicalIndex":
        """`populate`: map every page of the postings now (see `map_array`)."""
        if not (folder / "done.json").exists():
            raise FileNotFoundError(folder / "done.json")
        ids = np.load(folder / "chunk_ids.npy")
        retriever = SavedBM25(folder, populate) if len(ids) else None
        return cls(retriever, ids)

    def __len__(self) -> int:
        return int(len(self.ids))

    def term_id(self, term: str) -> int | None:
        """The term's row in the postings, or None. bm25s lists "" (the stand-in for a passage
        without terms) in its vocabulary with no postings: a question term that folds to nothing
        must not look them up."""
        if self.retriever is None or term == "":
            return None
        t = self.retriever.vocab_dict.get(term)
        return t if t is not None and t + 1 < len(self.retriever.scores["indptr"]) else None

    def _term_ids(self, terms: list[str]) -> list[int]:
        return [t for t in map(self.term_id, dict.fromkeys(terms)) if t is not None]

    def search(self, terms: list[str], k: int) -> list[tuple[int, float]]:
        term_ids = self._term_ids(terms)
        if not term_ids:
            return []
        top, scores = self.retriever.top(term_ids, k)
        return [(int(self.ids[i]), float(score)) for i, score in zip(top, scores)]

    def held_in_ranges(self, term: str, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """For each range [lo, hi) of index positions, whether a passage in it holds `term`:
        two binary searches in the term's postings per range, whatever the index's size."""
        t = self.term_id(term)
        if t is None:
            return np.zeros(len(lo), dtype=bool)
        sc = self.retriever.scores
        postings = np.asarray(sc["indices"][sc["indptr"][t]:sc["indptr"][t + 1]])
        # bm25s writes them sorted (checked at build when the largest weights were saved)
        if not self.retriever.checked_sorted and len(postings) > 1 and not (postings[1:] > postings[:-1]).all():
            postings = np.sort(postings)
        return np.searchsorted(postings, lo) < np.searchsorted(postings, hi)

    def idf(self, terms: list[str]) -> dict[str, float]:
        """Inverse document frequency of each term; unknown terms get the highest value."""
        n = len(self.ids)
        out = {}
        indptr = self.retriever.scores["indptr"] if self.retriever is not None else None
        for t in dict.fromkeys(terms):
            i = self.term_id(t)
            df = int(indptr[i + 1] - indptr[i]) if i is not None else 0
            out[t] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return out

    def containing_all(self, terms: list[str]) -> list[int]:
        """Chunk ids whose text has every one of `terms` (candidates for a phrase match)."""
        if self.retriever is None or not terms:
            return []
        ids = [self.term_id(t) for t in dict.fromkeys(terms)]
        if None in ids:
            return []
        sc = self.retriever.scores
        postings = sorted((np.asarray(sc["indices"][sc["indptr"][t]:sc["indptr"][t + 1]]) for t in ids), key=len)
        docs = postings[0]
        for p in postings[1:]:
            docs = np.intersect1d(docs, p, assume_unique=True)
            if not len(docs):
                return []
        return self.ids[docs].tolist()
