"""A data folder that is missing, read-only or full (issue 12, item 8): one-line errors,
a read-only copy still answers, and a failed commit on a full disk leaves nothing behind."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, run_summit, settings_for, write

GOOD = ("Night buses return\n\n"
        "The city restored its night bus routes on Friday after a year without them.\n\n"
        "“Shift workers have waited long enough,” said Ines Carvalho, the transport commissioner.")
QUESTION = 'who said "waited long enough"'


def _one_line_error(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summit: error:") and words in lines[0], result.stderr


def test_a_data_folder_that_cannot_exist_is_one_line(tmp_path):
    not_a_folder = write(tmp_path / "file", "x")
    _one_line_error(run_summit("list", data_dir=not_a_folder), "is not a folder")
    article = write(tmp_path / "bus.txt", GOOD)
    _one_line_error(run_summit("ingest", str(article), data_dir=not_a_folder / "data"), "cannot create the data folder")


def test_reading_a_data_folder_that_does_not_exist_is_one_line_and_creates_nothing(tmp_path):
    """A typo in SUMMIT_DATA_DIR must not look like an empty archive."""
    typo = tmp_path / "dta"
    for command in (["ask", QUESTION], ["check", "waited long enough"], ["list"], ["stats"], ["quotes"]):
        _one_line_error(run_summit(*command, data_dir=typo), "no archive at")
    assert not typo.exists()
    write(tmp_path / "bus.txt", GOOD)
    assert run_summit("ingest", str(tmp_path / "bus.txt"), data_dir=typo).returncode == 0  # ingest creates it
    assert "Ines Carvalho" in run_summit("ask", QUESTION, data_dir=typo).stdout


def _namespace_ok() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not _namespace_ok(), reason="needs root and mount namespaces (unshare -m)")


def _in_namespace(script: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a shell script in a private mount namespace: its mounts vanish with it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT)


def _summit() -> str:
    return os.path.join(os.path.dirname(sys.executable), "summit")


@needs_mounts
@pytest.mark.timeout(900)
def test_a_read_only_copy_answers_and_refuses_writes_in_one_line(fresh_engine, tmp_path):
    fresh_engine.ingest([write(tmp_path / "bus.txt", GOOD)])
    data = fresh_engine.settings.data_dir
    fresh_engine.close()
    other = write(tmp_path / "other.txt", GOOD.replace("Friday", "Sunday"))
    summit = _summit()
    result = _in_namespace(f"""
        mount --bind {data} {data} && mount -o remount,bind,ro {data} || exit 99
        export SUMMIT_DATA_DIR={data}
        {summit} ask --json '{QUESTION}' > {tmp_path}/ask.json 2> {tmp_path}/ask.err; echo $? > {tmp_path}/ask.rc
        {summit} ingest {other} 2> {tmp_path}/ingest.err; echo $? > {tmp_path}/ingest.rc
        {summit} doctor --json > {tmp_path}/doctor.json; echo $? > {tmp_path}/doctor.rc
    """)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ask.rc").read_text().strip() == "0", (tmp_path / "ask.err").read_text()
    assert json.loads((tmp_path / "ask.json").read_text())["speaker"] == "Ines Carvalho"
    err = (tmp_path / "ingest.err").read_text().strip().splitlines()
    assert (tmp_path / "ingest.rc").read_text().strip() == "1"
    assert len(err) == 1 and "read-only" in err[0], err
    checks = {c["check"]: c["status"] for c in json.loads((tmp_path / "doctor.json").read_text())}
    assert checks["writable"] == "fail" and checks["consistent"] == "ok"
    assert sorted(p.name for p in data.iterdir() if p.name.endswith((".tmp", "-wal", "-shm"))) == []


FULL_DISK = """
import json, os, sys
from pathlib import Path
from index import Engine, Settings
from index.errors import SummitError
disk = Path(sys.argv[1])
engine = Engine(Settings.from_env({"SUMMIT_DATA_DIR": str(disk / "data")}))
first = Path(sys.argv[2])
engine.ingest([first])
report = []
for n, free in enumerate([8_000, 60_000, 250_000, 700_000]):
    filler = disk / "filler"
    room = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as fh:
        fh.write(b"\\0" * max(room - free, 0))
    big = Path(sys.argv[4]) / f"big{n}.txt"  # outside the full disk
    big.write_text(f"Long council report {n}\\n\\n" + "\\n\\n".join(
        f"Item {n}.{k} on the agenda was the night bus depot, the tram line and the harbour budget." for k in range(300)))
    try:
        engine.ingest([big])
        outcome = "stored"
    except SummitError as exc:
        outcome = str(exc)
    filler.unlink()
    big.unlink()
    answer = engine.ask(sys.argv[3])
    left = sorted(p.name for p in (disk / "data").iterdir() if p.name.endswith(".tmp"))
    report.append({"free": free, "outcome": outcome, "tmp": left, "speaker": answer.speaker})
print(json.dumps(report))
"""


@needs_mounts
@pytest.mark.timeout(900)
def test_a_full_disk_fails_in_one_line_and_leaves_no_temporary_file(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    first = write(tmp_path / "bus.txt", GOOD)
    script = tmp_path / "full_disk.py"
    script.write_text(FULL_DISK)
    result = _in_namespace(f"mount -t tmpfs -o size=3m tmpfs {disk} || exit 99\n"
                           f"exec {sys.executable} {script} {disk} {first} '{QUESTION}' {tmp_path}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    failed = [r for r in report if r["outcome"] != "stored"]
    assert failed, report  # the smallest room cannot hold a 300-paragraph article
    for r in report:
        assert r["tmp"] == [] and r["speaker"] == "Ines Carvalho", r
    for r in failed:
        assert r["outcome"].startswith("cannot write") and "\n" not in r["outcome"], r
        assert "No space left on device" in r["outcome"] or "full" in r["outcome"], r


def test_doctor_tells_a_volume_from_memory_and_a_container_layer(tmp_path):
    from pathlib import Path

    from index.storage.health import FAIL, OK, WARN, check_persistent, mount_of

    info = write(tmp_path / "mountinfo", "22 1 0:21 / / rw,relatime - overlay overlay rw,lowerdir=/l\n"
                                         "23 22 0:22 / /data rw,relatime - ext4 /dev/vdb rw\n"
                                         "24 22 0:23 / /scratch rw,nosuid - tmpfs tmpfs rw,size=64k\n")
    assert mount_of(Path("/data/summit"), info) == ("/data", "ext4")
    assert mount_of(Path("/database"), info) == ("/", "overlay")  # a prefix of the name is not a mount
    assert check_persistent(Path("/data/summit"), info).status == OK
    assert check_persistent(Path("/app/data"), info).status == WARN
    assert check_persistent(Path("/scratch/summit"), info).status == FAIL
    assert check_persistent(Path("/tmp/summit-data"), info).status == WARN
