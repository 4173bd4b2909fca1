"""Hostile files (issue 12, items 2, 3 and 11): capped, regular files only, any length of
paragraph, UTF-16, and one bad file never stops the good ones."""
from __future__ import annotations

import os
import time

import pytest

from conftest import run_summit, write

GOOD = ("Bridge tolls scrapped\n\n"
        "The regional assembly scrapped the bridge tolls on Thursday after a long campaign.\n\n"
        "“Crossing the river should never cost a day's wages,” said Petra Lindqvist, the assembly chair.")


def test_a_fifo_a_device_and_a_large_file_are_refused_in_one_line_without_reading(fresh_engine, tmp_path):
    from index.errors import InputError

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # nobody ever writes to it: reading it would hang
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")  # endless: reading it would fill the memory
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(fresh_engine.settings.file_max_bytes + 1)  # sparse: the size is there, the bytes are not read
    for path, words in [(fifo, "not a regular file"), (zero, "not a regular file"), (big, "file too large")]:
        started = time.monotonic()
        with pytest.raises(InputError) as err:
            fresh_engine.ingest([path])
        assert time.monotonic() - started < 10
        assert words in str(err.value) and "\n" not in str(err.value)
    assert fresh_engine.store.counts()["articles"] == 0


def test_the_file_cap_is_a_setting(tmp_path):
    from conftest import settings_for
    from index.sources.documents import load_file
    from index.errors import InputError

    path = write(tmp_path / "story.txt", GOOD)
    settings = settings_for(tmp_path / "data", SUMMIT_FILE_MAX_BYTES=100)
    with pytest.raises(InputError, match="SUMMIT_FILE_MAX_BYTES"):
        load_file(path, settings.file_max_bytes)
    assert load_file(path, 10_000).title == "Bridge tolls scrapped"


def test_utf16_with_a_byte_order_mark_is_decoded(fresh_engine, tmp_path):
    for n, encoding in enumerate(["utf-16", "utf-16-be", "utf-32"]):
        path = tmp_path / f"story{n}.txt"
        raw = GOOD.replace("Thursday", f"day {n}").encode(encoding)
        if encoding == "utf-16-be":
            raw = b"\xfe\xff" + raw  # the codec itself writes no mark
        path.write_bytes(raw)
        fresh_engine.ingest([path])
    answer = fresh_engine.ask('who said "never cost a day\'s wages"')
    assert answer.speaker == "Petra Lindqvist" and len({r.article.id for r in answer.results}) == 3


def test_pieces_of_a_long_text_parse_like_the_whole():
    from index.models.nlp import PIECE_CHARS, parse_many, pieces, pipeline

    nlp = pipeline()
    assert PIECE_CHARS < nlp.max_length  # so spaCy's E088 can never be raised
    text = " ".join(f"Item {n} was approved by the board, said Ann Lee. “It is done,” she added." for n in range(30))
    spans = pieces(text, limit=400)
    assert len(spans) > 3 and spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(e - s <= 400 and spans[i + 1][0] == e for i, (s, e) in enumerate(spans[:-1]))
    (whole,) = parse_many(nlp, [text], limit=400)
    assert whole.text == text
    assert [s.text for s in whole.sents] == [s.text for s in nlp(text).sents]
    assert [(e.text, e.start_char) for e in whole.ents if e.label_ == "PERSON"] == \
        [(e.text, e.start_char) for e in nlp(text).ents if e.label_ == "PERSON"]


@pytest.mark.timeout(900)
def test_skip_bad_ingests_every_good_file_even_beside_a_paragraph_over_a_million_characters(tmp_path):
    folder = tmp_path / "in"
    write(folder / "good.txt", GOOD)
    sentence = "The assembly said the old toll booths would be taken down by the spring. "
    write(folder / "huge.txt", "Toll booth report\n\n" + sentence * (1_000_100 // len(sentence) + 1))
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    os.mkfifo(folder / "pipe.txt")
    data = tmp_path / "data"
    # The huge paragraph goes through chunking without quotes: spaCy's parse of a million
    # characters would take minutes here; test_pieces_… covers the parser's side.
    result = run_summit("ingest", "--skip-bad", str(folder), str(folder / "pipe.txt"), data_dir=data,
                        env={"SUMMIT_EXTRACT_QUOTES": "false"}, timeout=800)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "E088" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped:")]
    assert len(skipped) == 2 and any("binary" in s for s in skipped) and any("regular" in s for s in skipped)
    assert "Building index from tokens" not in result.stderr
    added = [line for line in result.stdout.splitlines() if line.startswith("added")]
    assert len(added) == 2
    answer = run_summit("ask", "--json", "toll booths taken down by the spring", data_dir=data)
    assert answer.returncode == 0 and "toll booths" in answer.stdout
