"""`summit doctor`: is the data folder writable, on a disk that survives restarts, and consistent?

Every process of a deploy (web, clock, `summit ingest`) must share one persistent folder;
on an ephemeral disk the archive silently disappears at the next restart or redeploy.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

OK, WARN, FAIL = "ok", "warn", "fail"
_EPHEMERAL_FS = {"tmpfs", "ramfs", "devtmpfs"}
_CONTAINER_LAYER_FS = {"overlay", "overlayfs", "aufs"}
_TEMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/run")
MOUNTINFO = Path("/proc/self/mountinfo")


@dataclass
class Check:
    name: str
    status: str  # ok, warn or fail
    detail: str


def mount_of(path: Path, mountinfo: Path = MOUNTINFO) -> tuple[str, str] | None:
    """(mount point, filesystem type) of the mount that holds `path`, when the system says."""
    try:
        lines = mountinfo.read_text().splitlines()
    except OSError:
        return None
    best = None
    for line in lines:
        left, _, right = line.partition(" - ")
        fields, rest = left.split(), right.split()
        if len(fields) < 5 or not rest:
            continue
        point = fields[4].replace("\\040", " ")
        if (str(path) == point or str(path).startswith(point.rstrip("/") + "/")) and \
                (best is None or len(point) > len(best[0])):
            best = (point, rest[0])
    return best


def check_writable(data_dir: Path) -> Check:
    if not data_dir.exists():
        return Check("writable", FAIL, f"{data_dir} does not exist (it is created on first use)")
    if not data_dir.is_dir():
        return Check("writable", FAIL, f"{data_dir} is not a folder")
    probe = data_dir / f".summit-doctor-{os.getpid()}"
    try:
        probe.write_bytes(b"x")
        probe.unlink()
    except OSError as exc:
        return Check("writable", FAIL, f"cannot write in {data_dir} ({exc.strerror}): the index can be "
                                       "queried but not changed")
    return Check("writable", OK, f"{data_dir} can be written")


def check_persistent(data_dir: Path, mountinfo: Path = MOUNTINFO) -> Check:
    path = data_dir.resolve() if data_dir.exists() else data_dir
    if any(str(path) == d or str(path).startswith(d + "/") for d in _TEMP_DIRS):
        return Check("persistent", WARN, f"{path} is in a temporary folder: it may be emptied at reboot")
    mount = mount_of(path, mountinfo)
    if mount is None:
        return Check("persistent", OK, f"{path} (filesystem type unknown)")
    point, fstype = mount
    if fstype in _EPHEMERAL_FS:
        return Check("persistent", FAIL, f"{path} is on {fstype} (in memory): the archive is lost at every restart")
    if fstype in _CONTAINER_LAYER_FS:
        return Check("persistent", WARN, f"{path} is in a container's own {fstype} layer, not a volume: the archive "
                                         "is lost when the container is replaced (mount a volume there)")
    return Check("persistent", OK, f"{path} is on {fstype} (mounted at {point})")


def check_consistent(data_dir: Path) -> Check:
    """The committed generation's files are there and agree with SQLite."""
    from ..errors import SummitError
    from .generations import QUOTE_VECTORS_META, Files, load_snapshot
    from .store import Store

    if not (data_dir / Store.FILENAME).exists():
        return Check("consistent", OK, "no index yet (`summit ingest` creates it)")
    try:
        store = Store(data_dir)
    except SummitError as exc:
        return Check("consistent", FAIL, str(exc))
    try:
        files = Files(data_dir)
        generation = store.generation()
        counts = store.counts()
        try:
            snap = load_snapshot(store, files)
        except SummitError as exc:
            return Check("consistent", FAIL, f"generation {generation}: {exc}")
        vectors = 0 if snap.vectors is None else len(snap.vectors)
        problems = []
        if vectors != counts["chunks"]:
            problems.append(f"{counts['chunks']} chunks in SQLite but {vectors} vectors")
        if generation and len(snap.lexical) != counts["chunks"]:
            problems.append(f"{counts['chunks']} chunks in SQLite but {len(snap.lexical)} in BM25")
        if generation and store.meta(QUOTE_VECTORS_META) and snap.quote_vectors is not None \
                and len(snap.quote_vectors) != counts["quotes"]:
            problems.append(f"{counts['quotes']} quotes in SQLite but {len(snap.quote_vectors)} quote vectors")
        for name, index in (("vector index", snap.vectors), ("quote index", snap.quote_vectors)):
            if index is not None and index.problem():
                problems.append(f"the {name}: {index.problem()}")
        if problems:
            return Check("consistent", FAIL, f"generation {generation}: " + "; ".join(problems))
        return Check("consistent", OK, f"generation {generation}: {counts['articles']} articles, "
                                       f"{counts['chunks']} chunks, {counts['quotes']} quotes, files present")
    finally:
        store.close()


def diagnose(data_dir: Path) -> list[Check]:
    return [check_writable(data_dir), check_persistent(data_dir), check_consistent(data_dir)]
