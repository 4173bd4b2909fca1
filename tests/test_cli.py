"""The real `summit` console script in subprocesses: output, JSON, errors, crash safety."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import DEMO, ROOT, run_summit, write


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("cli-data")
    result = run_summit("ingest", str(DEMO), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "added" in result.stdout
    return data


def test_ingest_again_does_nothing(demo_dir):
    result = run_summit("ingest", str(DEMO), data_dir=demo_dir)
    assert result.returncode == 0
    assert result.stdout.startswith("unchanged")


def test_list_and_stats(demo_dir):
    listed = run_summit("list", "--json", data_dir=demo_dir)
    [article] = json.loads(listed.stdout)
    assert article["title"].startswith("North Korea-Russia meeting over") and article["chunks"] >= 1
    stats = json.loads(run_summit("stats", "--json", data_dir=demo_dir).stdout)
    assert stats["articles"] == 1 and stats["vectors"] == stats["chunks"]
    assert stats["model"] == "sentence-transformers/all-MiniLM-L6-v2" and stats["dim"] == 384
    assert "Flat" in stats["index"]


def test_ask_prints_verbatim_passage_with_citation_and_marks(demo_dir):
    result = run_summit("ask", "who said “sacred battle”", data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    assert "**sacred battle**" in result.stdout
    assert "paragraph 3" in result.stdout and "North Korea-Russia meeting over" in result.stdout


def test_ask_json_is_one_object_with_verbatim_offsets(demo_dir):
    result = run_summit("ask", "--json", 'who said "sacred battle"', data_dir=demo_dir)
    answer = json.loads(result.stdout)
    top = answer["results"][0]
    text = sqlite3.connect(demo_dir / "summit.db").execute(
        "SELECT text FROM articles WHERE id = ?", (top["article"]["id"],)).fetchone()[0]
    assert text[top["start"]:top["end"]] == top["text"]
    assert answer["intent"] == "who_said" and answer["answered"] is True


def test_ask_stdin_answers_one_json_line_per_question(demo_dir):
    questions = "where did the meeting take place\n\nVostochny Cosmodrome\nwhat is the capital of Peru\n"
    result = run_summit("ask", "--json", "-", data_dir=demo_dir, input=questions)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in lines] == ["where did the meeting take place", "Vostochny Cosmodrome",
                                               "what is the capital of Peru"]
    assert [a["answered"] for a in lines] == [True, True, False]


@pytest.mark.parametrize("args, words", [
    (["ask", ""], "empty"),
    (["ask", "   "], "empty"),
    (["ask", "x" * 4001], "4,000"),
    (["ingest", "/no/such/file.txt"], "no such"),
    (["remove", "999"], "no article"),
])
def test_bad_input_is_one_clear_line_and_nonzero(demo_dir, args, words):
    before = (demo_dir / "summit.db").read_bytes()
    result = run_summit(*args, data_dir=demo_dir)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert words in result.stderr.lower()
    assert (demo_dir / "summit.db").read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02PK\x03\x04" * 100])
def test_bad_files_are_refused_and_index_untouched(demo_dir, tmp_path, content):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = write(tmp_path / "good.txt", "A good story\n\nThe council met on Monday to discuss the budget.\n")
    result = run_summit("ingest", str(good), str(bad), data_dir=demo_dir)
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert "bad.txt" in result.stderr
    listed = json.loads(run_summit("list", "--json", data_dir=demo_dir).stdout)
    assert len(listed) == 1  # nothing written, not even the good file


def test_index_built_with_another_model_is_a_clear_error(demo_dir):
    result = run_summit("ask", "sanctions", data_dir=demo_dir, env={"SUMMIT_MODEL": "/models/other-model"})
    assert result.returncode != 0
    assert "summit reindex" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def _generation(db) -> int:
    con = sqlite3.connect(db, timeout=30)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def test_killing_an_ingest_midway_leaves_the_previous_index_readable(tmp_path):
    data = tmp_path / "data"
    assert run_summit("ingest", str(DEMO), data_dir=data).returncode == 0
    questions = 'who said "sacred battle"\nwhere did the meeting take place\n'
    before = run_summit("ask", "--json", "-", data_dir=data, input=questions).stdout
    start_generation = _generation(data / "summit.db")

    bulk = tmp_path / "bulk"
    for n in range(240):
        write(bulk / f"story-{n:03}.txt", f"Council story number {n}\n\n" + " ".join(
            f"Councillors debated item {n}.{k} about roads, schools and the harbour budget." for k in range(10)))
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", str(bulk)], cwd=ROOT,
                            env={**os.environ, "SUMMIT_DATA_DIR": str(data)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Kill it once it has committed at least once and is working on the next batch.
        deadline = time.monotonic() + 240
        while _generation(data / "summit.db") == start_generation and time.monotonic() < deadline:
            assert proc.poll() is None, "ingest finished before it could be killed"
            time.sleep(0.2)
        time.sleep(1.0)
        assert proc.poll() is None
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    after = run_summit("ask", "--json", "-", data_dir=data, input=questions)
    assert after.returncode == 0, after.stderr

    def core(out):
        return [[(r["text"], r["start"], r["end"]) for r in json.loads(line)["results"][:1]]
                for line in out.splitlines()]
    assert core(after.stdout) == core(before)
    stats = json.loads(run_summit("stats", "--json", data_dir=data).stdout)
    assert stats["vectors"] == stats["chunks"]
    # A rerun finishes the job.
    rerun = run_summit("ingest", str(bulk), data_dir=data, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(run_summit("stats", "--json", data_dir=data).stdout)["articles"] == 241
