"""Exactly one digest post per (channel, day), across processes, restarts and crashes.

A run claims the pair with a row under a primary key before it posts, and marks it posted
after. A claim left behind by a crash goes stale after a lease; the next run then takes it over
and first looks in the channel for a post it may already have made (the post carries metadata),
so a crash between posting and marking is neither lost nor doubled.
"""
from __future__ import annotations

import os
import socket
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS digest_posts (
    channel    TEXT NOT NULL,
    day        TEXT NOT NULL,            -- YYYY-MM-DD in the digest's time zone
    status     TEXT NOT NULL,            -- claimed | posted
    claimed_at REAL NOT NULL,            -- unix time, for the lease
    claimed_by TEXT NOT NULL,            -- host:pid, for the log
    ts         TEXT,                     -- Slack message ts once posted
    PRIMARY KEY (channel, day)
)
"""

LEASE_SECONDS = 600.0


@dataclass(frozen=True)
class Claim:
    channel: str
    day: str
    claimed_at: float
    takeover: bool  # a previous run claimed this and never finished: check before posting


class DigestLedger:
    def __init__(self, db_path: Path, lease_seconds: float = LEASE_SECONDS):
        self.db = sqlite3.connect(db_path, isolation_level=None, timeout=30, check_same_thread=False)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            pass  # another connection holds a lock; WAL is a property of the file, set once
        self.db.execute(SCHEMA)
        self.lease = lease_seconds
        self.me = f"{socket.gethostname()}:{os.getpid()}"

    @classmethod
    def open(cls, data_dir: Path) -> "DigestLedger":
        from .state import FILENAME  # the bot's own database, beside the engine's

        return cls(data_dir / FILENAME)

    def claim(self, channel: str, day: str, now: float | None = None) -> Claim | None:
        """Take the (channel, day) pair, or None when it is posted or another run holds it."""
        now = time.time() if now is None else now
        self.db.execute("BEGIN IMMEDIATE")
        try:
            row = self.db.execute("SELECT status, claimed_at FROM digest_posts WHERE channel = ? AND day = ?",
                                  (channel, day)).fetchone()
            if row is None:
                self.db.execute("INSERT INTO digest_posts(channel, day, status, claimed_at, claimed_by) "
                                "VALUES (?, ?, 'claimed', ?, ?)", (channel, day, now, self.me))
                claim = Claim(channel, day, now, takeover=False)
            elif row[0] != "claimed" or now - row[1] < self.lease:
                claim = None
            else:
                self.db.execute("UPDATE digest_posts SET claimed_at = ?, claimed_by = ? "
                                "WHERE channel = ? AND day = ?", (now, self.me, channel, day))
                claim = Claim(channel, day, row[1], takeover=True)
            self.db.execute("COMMIT")
            return claim
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def mark(self, claim: Claim, status: str, ts: str | None = None) -> None:
        self.db.execute("UPDATE digest_posts SET status = ?, ts = ? WHERE channel = ? AND day = ?",
                        (status, ts, claim.channel, claim.day))

    def release(self, claim: Claim) -> None:
        """Give the pair back after a failed post, so the next run retries it."""
        self.db.execute("DELETE FROM digest_posts WHERE channel = ? AND day = ? AND status = 'claimed'",
                        (claim.channel, claim.day))

    def status(self, channel: str, day: str) -> str | None:
        row = self.db.execute("SELECT status FROM digest_posts WHERE channel = ? AND day = ?",
                              (channel, day)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.db.close()
