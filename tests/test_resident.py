"""Index files held in memory by a long-running process (index/storage/resident.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import settings_for, write
from index.storage import resident
from index.storage.resident import ResidentFiles

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/smaps")


def mapped_resident_kb(path: Path) -> int:
    """Kilobytes of `path` this process maps and has in memory, from /proc/self/smaps."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        first = line.split(maxsplit=1)[0]
        if "-" in first and ":" not in first:  # a mapping's header line
            inside = line.rstrip().endswith(str(path))
        elif inside and first == "Rss:":
            total += int(line.split()[1])
    return total


@linux_only
def test_holds_every_page_of_a_file_and_then_only_what_it_grew_by(tmp_path):
    path = tmp_path / "summit.db"
    path.write_bytes(b"x" * 300_000)
    held = ResidentFiles()
    assert held.hold([path]) == 300_000
    assert mapped_resident_kb(path) >= 290  # every page is mapped here, not only in the page cache
    with open(path, "ab") as fh:
        fh.write(b"y" * 200_000)
    assert held.hold([path]) >= 500_000
    assert len(held._maps[path]) == 2  # the old part stays; only the new tail was mapped
    assert mapped_resident_kb(path) >= 480
    held.release()
    assert mapped_resident_kb(path) == 0


def test_lets_go_of_files_no_longer_named_missing_or_rewritten_smaller(tmp_path):
    old, new, gone = (tmp_path / name for name in ("old.npy", "new.npy", "gone.npy"))
    for p in (old, new, gone):
        p.write_bytes(b"z" * 50_000)
    held = ResidentFiles()
    held.hold([old, gone])
    gone.unlink()
    assert held.hold([new, gone]) == 50_000
    assert held.paths == [new]
    new.write_bytes(b"z" * 10_000)  # rewritten smaller: mapped afresh, never past its end
    assert held.hold([new]) == 10_000
    assert held.hold([]) == 0


def test_holds_nothing_new_when_it_would_not_fit_in_memory(tmp_path, monkeypatch):
    path = tmp_path / "big.db"
    path.write_bytes(b"x" * 100_000)
    monkeypatch.setattr(resident, "available_memory", lambda: 150_000)  # half of it is the budget
    held = ResidentFiles()
    assert held.hold([path]) == 0
    assert held.paths == []


@linux_only
def test_warm_engine_holds_the_database_and_maps_the_current_bm25_files(fresh_engine, demo_engine, tmp_path):
    fresh_engine.__dict__["query_encoder"] = demo_engine.query_encoder
    fresh_engine.ingest([write(tmp_path / "a.txt", "Mayor Reyes opened the bridge.\n\n"
                                                   "“It took ten years,” Reyes said on Monday.")])
    fresh_engine.ask("who opened the bridge")  # a question before warm-up loads the index unheld
    fresh_engine.warm()
    assert fresh_engine.searcher.resident.paths == [fresh_engine.store.path]
    assert mapped_resident_kb(fresh_engine.store.path) > 0

    def postings_in_memory() -> int:  # before any question has read them
        lexical = fresh_engine.files.lexical(fresh_engine.searcher.snapshot.generation)
        return mapped_resident_kb(lexical / "data.csc.index.npy")

    assert postings_in_memory() > 0
    first = fresh_engine.searcher.snapshot.generation
    fresh_engine.ingest([write(tmp_path / "b.txt", "The council met on Tuesday.\n\n"
                                                   "“We will vote in May,” Ines Reyes said.")])
    fresh_engine.searcher.refresh()  # as the next question does
    assert fresh_engine.searcher.snapshot.generation > first
    assert postings_in_memory() > 0


def test_off_by_setting(tmp_path, demo_engine):
    from index import Engine

    engine = Engine(settings_for(tmp_path / "data", SUMMIT_KEEP_RESIDENT="false"))
    engine.__dict__["query_encoder"] = demo_engine.query_encoder
    try:
        engine.warm()
        assert engine.searcher.resident is None
    finally:
        engine.close()
