"""The bot's own small SQLite file, `bot.db` in SUMMIT_DATA_DIR, beside the engine's `summit.db`.

- `seen_events`: Events API ids already handled, so a replay after a restart is still dropped;
  also each page shared in a channel ("share:<key>:<page>:<channel>"), so it is posted once.
- `answers`: answers behind "Share in channel" and "More" buttons, so a button value only
  carries a short key (Slack caps values at 2,000 characters) and sharing posts the same answer.
"""
from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from pathlib import Path

from index import Answer, ArticleRef, Result

FILENAME = "bot.db"
SEEN_TTL = 3 * 24 * 3600  # Slack retries for minutes; a few days covers replays and restarts
ANSWER_TTL = 30 * 24 * 3600

SCHEMA = """
CREATE TABLE IF NOT EXISTS seen_events (
    event_id TEXT PRIMARY KEY,
    seen_at  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    key        TEXT PRIMARY KEY,
    answer     TEXT NOT NULL,  -- Answer.to_dict() as JSON
    created_at REAL NOT NULL
);
"""


class BotState:
    def __init__(self, data_dir: Path):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / FILENAME
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self._lock = threading.Lock()
        with self._lock:
            self.db.executescript(SCHEMA)

    def first_time(self, event_id: str) -> bool:
        """Record `event_id`; False when it was seen before."""
        now = time.time()
        with self._lock:
            cur = self.db.execute("INSERT OR IGNORE INTO seen_events (event_id, seen_at) VALUES (?, ?)",
                                  (event_id, now))
            if cur.rowcount and secrets.randbelow(100) == 0:  # prune now and then, not on every event
                self.db.execute("DELETE FROM seen_events WHERE seen_at < ?", (now - SEEN_TTL,))
            return cur.rowcount == 1

    def save_answer(self, answer: Answer) -> str:
        key = secrets.token_urlsafe(12)
        now = time.time()
        with self._lock:
            self.db.execute("INSERT INTO answers (key, answer, created_at) VALUES (?, ?, ?)",
                            (key, json.dumps(answer.to_dict(), ensure_ascii=False), now))
            if secrets.randbelow(100) == 0:
                self.db.execute("DELETE FROM answers WHERE created_at < ?", (now - ANSWER_TTL,))
        return key

    def load_answer(self, key: str) -> Answer | None:
        with self._lock:
            row = self.db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        return answer_from_dict(json.loads(row[0])) if row else None

    def close(self) -> None:
        self.db.close()


def answer_from_dict(data: dict) -> Answer:
    """The inverse of `Answer.to_dict()`."""
    first = data.get("first")
    return Answer(question=data["question"], intent=data["intent"], answered=data["answered"],
                  message=data["message"], speaker=data.get("speaker"),
                  results=[result_from_dict(r) for r in data.get("results", [])],
                  verdict=data.get("verdict"), first=result_from_dict(first) if first else None)


def result_from_dict(r: dict) -> Result:
    a = r["article"]
    return Result(
        text=r["text"], article=ArticleRef(a["id"], a["title"], a.get("url"), a.get("published"), a.get("updated")),
        paragraph=r["paragraph"], start=r["start"], end=r["end"], score=r.get("score", 0.0),
        speaker=r.get("speaker"), quote=r.get("quote"), kind=r.get("kind"), match=r.get("match"),
        highlights=[tuple(span) for span in r.get("highlights", [])], date=r.get("date"), diff=r.get("diff"),
    )
