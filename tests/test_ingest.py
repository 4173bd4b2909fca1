"""Ingest: chunk sizes, repeats, changes, removal, copies, and readers seeing new articles."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, write

STORY = """Rail fares to rise by 5% in March

Rail fares in the region will rise by 5% from March, the transport authority announced on Friday.

Commuters' groups said the increase was the largest in a decade. “Passengers are paying more for trains that run less often,” said Priya Shah of the Rail Users' Forum.

The authority said the money would pay for new signalling on the northern line.
"""


def test_long_paragraphs_fit_the_model_window(fresh_engine, tmp_path):
    sentence = ("The committee reviewed the harbour budget line by line, questioning contractors about delays, "
                "overruns and the cost of steel imported from abroad. ")
    write(tmp_path / "long.txt", "Harbour budget under review\n\n" + sentence * 40 + "\n\nA short closing paragraph.\n")
    [result] = fresh_engine.ingest([tmp_path / "long.txt"])
    assert result.status == "added" and result.chunks > 3
    store, embedder = fresh_engine.store, fresh_engine.embedder
    text = store.article_text(result.article_id)
    rows = store.chunks(store.chunk_ids(result.article_id))
    for row in rows.values():
        assert text[row.start:row.end] == row.text
        assert len(embedder.token_offsets([row.text])[0]) <= embedder.max_tokens - 2
    covered = sorted((r.start, r.end) for r in rows.values())
    assert covered[0][0] == 0 and covered[-1][1] == len(text)


def test_unchanged_file_is_skipped_and_changed_file_replaces_chunks(fresh_engine, tmp_path):
    path = write(tmp_path / "fares.txt", STORY)
    [first] = fresh_engine.ingest([path])
    assert first.status == "added"
    generation = fresh_engine.store.generation()
    [again] = fresh_engine.ingest([path])
    assert again.status == "unchanged" and fresh_engine.store.generation() == generation

    write(path, STORY.replace("by 5%", "by 7%"))
    [changed] = fresh_engine.ingest([path])
    assert changed.status == "updated" and changed.article_id == first.article_id
    stats = fresh_engine.stats()
    assert stats["articles"] == 1 and stats["vectors"] == stats["chunks"]
    assert fresh_engine.ask('"by 7%"').answered
    assert not fresh_engine.ask('"rise by 5%"').results[0].text.count("by 5%")


def test_copy_of_an_article_is_not_indexed_twice(fresh_engine, tmp_path):
    write(tmp_path / "a" / "fares.txt", STORY)
    write(tmp_path / "b" / "fares-copy.txt", STORY)
    statuses = sorted(r.status for r in fresh_engine.ingest([tmp_path]))
    assert statuses == ["added", "duplicate"]


def test_remove_takes_the_article_out_of_answers(fresh_engine, tmp_path):
    [result] = fresh_engine.ingest([write(tmp_path / "fares.txt", STORY)])
    assert fresh_engine.ask('who said "paying more for trains"').answered
    fresh_engine.remove(result.article_id)
    assert fresh_engine.stats()["chunks"] == 0
    assert not fresh_engine.ask('who said "paying more for trains"').answered


def test_a_running_reader_sees_new_articles_without_restart(fresh_engine, tmp_path):
    fresh_engine.ingest([write(tmp_path / "fares.txt", STORY)])
    reader = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "ask", "--json", "-"], cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={"SUMMIT_DATA_DIR": str(fresh_engine.settings.data_dir), "PATH": "/usr/bin:/bin"})
    try:
        question = 'who said "new signalling on the tram network"\n'
        reader.stdin.write(question)
        reader.stdin.flush()
        assert json.loads(reader.stdout.readline())["answered"] is False
        fresh_engine.ingest([write(tmp_path / "tram.txt", "Tram network gets new signalling\n\n"
                                   "The city will install new signalling on the tram network next year, "
                                   "the mayor said.\n")])
        reader.stdin.write(question)
        reader.stdin.flush()
        answer = json.loads(reader.stdout.readline())
        assert answer["answered"] is True
        assert answer["results"][0]["article"]["title"] == "Tram network gets new signalling"
    finally:
        reader.stdin.close()
        reader.wait(timeout=60)


def test_reindex_rebuilds_vectors_and_keeps_answers(fresh_engine, tmp_path):
    fresh_engine.ingest([write(tmp_path / "fares.txt", STORY)])
    before = fresh_engine.ask("why are rail fares going up").to_dict()
    assert fresh_engine.reindex() == fresh_engine.stats()["chunks"]
    after = fresh_engine.ask("why are rail fares going up").to_dict()
    assert [r["text"] for r in after["results"]] == [r["text"] for r in before["results"]]
    assert fresh_engine.stats()["vectors"] == fresh_engine.stats()["chunks"]
