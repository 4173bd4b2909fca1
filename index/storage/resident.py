"""Keep a long-running process's database in memory (SUMMIT_KEEP_RESIDENT).

SQLite reads the database through the OS page cache, and pages that no process maps can be
reclaimed after a quiet spell: on this machine kind DAMON pages out file pages left unmapped and
unread for about a minute, so after an idle hour the next question reads its rows from disk
(docs/benchmarks.md). A mapped page is kept, so the file is mapped read-only and each page read
once, as vmtouch or Elasticsearch's `index.store.preload` do. Nothing reads the mapping
afterwards: it only holds the pages. (The BM25 arrays are mapped in full when a generation
loads, `lexical.map_array`; the FAISS indexes are read into the process's own memory.)
"""
from __future__ import annotations

import logging
import mmap
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# Hold files only while they fit in this share of the memory still available: beyond that,
# holding them would push out the process's own memory.
MAX_SHARE_OF_AVAILABLE = 0.5


def available_memory() -> int | None:
    """Bytes of memory available to new allocations (Linux `MemAvailable`), or None."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _touch(view: mmap.mmap) -> None:
    """Read one byte of every page, so each page is in the page cache and mapped here."""
    pages = np.frombuffer(view, dtype=np.uint8)[::mmap.PAGESIZE]
    try:
        int(pages.sum())
    finally:
        del pages  # a mapping cannot close while numpy still holds a view of it


class ResidentFiles:
    """Read-only mappings of files, grown as the files grow, dropped when no longer named."""

    def __init__(self, max_share: float = MAX_SHARE_OF_AVAILABLE):
        self.max_share = max_share
        self._maps: dict[Path, list[tuple[int, mmap.mmap]]] = {}  # path -> (offset, mapping), in order

    @property
    def paths(self) -> list[Path]:
        return list(self._maps)

    @property
    def held_bytes(self) -> int:
        return sum(len(m) for parts in self._maps.values() for _, m in parts)

    def _covered(self, path: Path) -> int:
        parts = self._maps.get(path, [])
        return parts[-1][0] + len(parts[-1][1]) if parts else 0

    def hold(self, paths: list[Path]) -> int:
        """Hold these files (mapping only what a file grew by since the last call) and let go of
        any other. Returns the bytes held."""
        wanted = list(dict.fromkeys(Path(p) for p in paths))
        for path in [p for p in self._maps if p not in wanted]:
            self._release(path)
        sizes = {}
        for path in wanted:
            try:
                sizes[path] = path.stat().st_size
            except OSError:
                self._release(path)  # gone (an older generation's file)
        for path, size in sizes.items():
            if size < self._covered(path):  # rewritten smaller: map it afresh
                self._release(path)
        new = sum(size - self._covered(path) for path, size in sizes.items())
        budget = available_memory()
        if budget is not None and new > budget * self.max_share:
            log.warning("not keeping %d MB of index files in memory: %d MB available",
                        new >> 20, budget >> 20)
            return self.held_bytes
        for path, size in sizes.items():
            self._grow(path, size)
        return self.held_bytes

    def _grow(self, path: Path, size: int) -> None:
        # Offsets of a mapping must be multiples of the allocation granularity, so a new part
        # starts at or before the end of the last one (they may overlap by part of a page).
        start = self._covered(path) // mmap.ALLOCATIONGRANULARITY * mmap.ALLOCATIONGRANULARITY
        if size <= start or size == self._covered(path):
            return
        try:
            with open(path, "rb") as fh:
                view = mmap.mmap(fh.fileno(), size - start, access=mmap.ACCESS_READ, offset=start)
        except (OSError, ValueError) as exc:  # e.g. a file system that cannot map
            log.warning("cannot keep %s in memory: %s", path, exc)
            return
        if hasattr(view, "madvise"):
            view.madvise(mmap.MADV_WILLNEED)  # read ahead in large requests, not page by page
        _touch(view)
        self._maps.setdefault(path, []).append((start, view))

    def _release(self, path: Path) -> None:
        for _, view in self._maps.pop(path, []):
            view.close()

    def release(self) -> None:
        for path in list(self._maps):
            self._release(path)
