"""The daily digest in Slack: Block Kit rendering, settings, and posting exactly once.

Content (which articles, lead sentences, key quotes) comes from `index.digest`.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError

from index.digest import Digest, DigestArticle, add_leads, build_digest
from index.errors import ConfigError
from index.quotes.extraction import DIRECT, kind_label, shown_words
from index.settings import read_bool, read_int, read_positive

from .digest_ledger import DigestLedger
from .render import escape, link

log = logging.getLogger("summit.digest")

METADATA_EVENT = "summit_digest"  # marks our posts, so a retried run can find one already made
MAX_BLOCKS = 50
SECTION_CHARS = 3000
FIXED_BLOCKS = 5  # header, summary, divider, "Quoted today", "N more"
_CHANNEL = re.compile(r"^[CG][A-Z0-9]{6,}$")  # ids, not names: the history check needs ids
_SLACK_ERRORS = {"not_in_channel": "the bot is not in channel {channel}: invite it with /invite @summit",
                 "channel_not_found": "channel {channel} was not found (check SUMMIT_DIGEST_CHANNELS)",
                 "is_archived": "channel {channel} is archived"}


def check_channel(channel: str, where: str) -> str:
    if not _CHANNEL.match(channel):
        raise ConfigError(f"{where}: {channel!r} is not a channel id (like C0123ABCD; in Slack: "
                          "channel details > About)")
    return channel


@dataclass(frozen=True)
class DigestSettings:
    channels: tuple[str, ...]
    at: time
    timezone: str
    window_hours: float = 24.0
    post_empty: bool = False
    max_articles: int = 10

    @classmethod
    def from_env(cls, env: dict | None = None) -> "DigestSettings":
        env = dict(os.environ if env is None else env)
        channels = tuple(c.strip() for c in (env.get("SUMMIT_DIGEST_CHANNELS") or "").split(",") if c.strip())
        for channel in channels:
            check_channel(channel, "SUMMIT_DIGEST_CHANNELS")
        raw_time = (env.get("SUMMIT_DIGEST_TIME") or "17:00").strip()
        try:
            at = time.fromisoformat(raw_time)
        except ValueError:
            raise ConfigError(f"SUMMIT_DIGEST_TIME must be HH:MM, got {raw_time!r}") from None
        tz = (env.get("SUMMIT_TIMEZONE") or "UTC").strip()
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"SUMMIT_TIMEZONE must be an IANA zone such as Europe/London, got {tz!r}") from None
        window = read_positive(env, "SUMMIT_DIGEST_WINDOW_HOURS", 24.0)
        max_articles = read_int(env, "SUMMIT_DIGEST_MAX_ARTICLES", 10)
        if not 0 < window <= 24 * 31 or not 1 <= max_articles <= MAX_BLOCKS - FIXED_BLOCKS:
            raise ConfigError(f"SUMMIT_DIGEST_MAX_ARTICLES must be 1-{MAX_BLOCKS - FIXED_BLOCKS} and "
                              "SUMMIT_DIGEST_WINDOW_HOURS positive")
        post_empty = read_bool(env, "SUMMIT_DIGEST_POST_EMPTY", False)
        return cls(channels, at, tz, window, post_empty, max_articles)

    def today(self, now: datetime | None = None) -> date:
        now = now or datetime.now(ZoneInfo(self.timezone))
        return now.astimezone(ZoneInfo(self.timezone)).date()


def make_digest(engine, settings: DigestSettings, day: date) -> Digest:
    digest = build_digest(engine, day, settings.at, settings.timezone, settings.window_hours)
    add_leads(engine, digest, limit=settings.max_articles)  # only the articles a post shows
    return digest


# --- rendering ---
def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _reported(q) -> str:
    return "" if q.kind == DIRECT else f" ({kind_label(q.kind)})"


def article_text(article: DigestArticle) -> str:
    lines = [f"*{link(article.url, article.title)}*"]
    if article.lead:
        lines.append(escape(" ".join(article.lead)))
    for q in article.quotes:
        lines.append(f"• *{escape(q.speaker)}*{_reported(q)}: {escape(shown_words(q.kind, q.quote, q.sentence))}")
    return _clip("\n".join(lines), SECTION_CHARS)


def render(digest: Digest, max_articles: int = 10) -> tuple[list[dict], str]:
    """Blocks and a plain-text fallback. Never over 50 blocks or 3,000 characters a section."""
    max_articles = max(1, min(max_articles, MAX_BLOCKS - FIXED_BLOCKS))
    day = datetime.fromisoformat(digest.day).strftime("%A %-d %B %Y")
    n, q = len(digest.articles), digest.quote_count
    summary = (f"{n} new article{'s' * (n != 1)} and {q} quote{'s' * (q != 1)}" if n else
               "No new articles today.")
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(f"Summit digest · {day}", 150)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": summary}]},
    ]
    if digest.articles:
        blocks.append({"type": "divider"})
    for article in digest.articles[:max_articles]:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": article_text(article)}})
    if n > max_articles:
        more = n - max_articles
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                       f"…and {more} more article{'s' * (more != 1)} in the last {digest_window(digest)}."}]})
    if digest.speakers:
        people = ", ".join(f"{escape(name)} ({count})" for name, count in digest.speakers)
        blocks.append({"type": "section", "text": {"type": "mrkdwn",
                                                   "text": _clip(f"*Quoted today:* {people}", SECTION_CHARS)}})
    return blocks, _clip(f"Summit digest for {digest.day}: {summary}", 3000)


def digest_window(digest: Digest) -> str:
    hours = (datetime.fromisoformat(digest.window_end) - datetime.fromisoformat(digest.window_start))
    h = round(hours.total_seconds() / 3600)
    return "day" if h == 24 else f"{h} hours"


def preview(digest: Digest, max_articles: int = 10) -> str:
    """A readable plain-text preview for `summit digest --dry-run`."""
    lines = [f"Summit digest for {digest.day} ({digest.timezone}; {digest.window_start} to {digest.window_end})",
             f"{len(digest.articles)} articles, {digest.quote_count} quotes", ""]
    for article in digest.articles[:max_articles]:
        lines.append(f"# {article.title}" + (f"  <{article.url}>" if article.url else ""))
        lines.extend(f"  {s}" for s in article.lead)
        lines.extend(f"  - {q.speaker}{_reported(q)}: {shown_words(q.kind, q.quote, q.sentence)}" for q in article.quotes)
        lines.append("")
    if len(digest.articles) > max_articles:
        lines.append(f"…and {len(digest.articles) - max_articles} more articles")
    if digest.speakers:
        lines.append("Quoted today: " + ", ".join(f"{name} ({count})" for name, count in digest.speakers))
    return "\n".join(lines).rstrip() + "\n"


# --- posting ---
@dataclass
class PostResult:
    channel: str
    status: str  # posted, already-posted, busy, empty, failed
    ts: str | None = None
    error: str | None = None


def post_digest(client, ledger: DigestLedger, digest: Digest, channel: str, settings: DigestSettings,
                now: float | None = None) -> PostResult:
    """Post `digest` to `channel` unless this (channel, day) was posted or is being posted."""
    if digest.empty and not settings.post_empty:
        return PostResult(channel, "empty")
    claim = ledger.claim(channel, digest.day, now=now)
    if claim is None:
        status = ledger.status(channel, digest.day)
        return PostResult(channel, "already-posted" if status == "posted" else "busy")
    try:
        if claim.takeover:  # a run crashed after claiming: did it post before it died?
            ts = _find_post(client, channel, digest.day, since=datetime.fromisoformat(digest.window_start).timestamp())
            if ts:
                ledger.mark(claim, "posted", ts)
                return PostResult(channel, "already-posted", ts)
        blocks, text = render(digest, settings.max_articles)
        response = client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"day": digest.day}})
    except SlackApiError as exc:
        ledger.release(claim)  # left retryable
        code = exc.response.get("error", "unknown_error") if exc.response is not None else "unknown_error"
        message = _SLACK_ERRORS.get(code, "Slack refused the post ({code})").format(channel=channel, code=code)
        log.error("digest for %s not posted: %s", digest.day, message)
        return PostResult(channel, "failed", error=message)
    except BaseException:
        ledger.release(claim)
        raise
    ledger.mark(claim, "posted", response.get("ts"))
    log.info("digest for %s posted to %s (%d articles)", digest.day, channel, len(digest.articles))
    return PostResult(channel, "posted", response.get("ts"))


def _find_post(client, channel: str, day: str, since: float) -> str | None:
    response = client.conversations_history(channel=channel, oldest=str(since), limit=200,
                                            include_all_metadata=True)
    for message in response.get("messages", []):
        meta = message.get("metadata") or {}
        if meta.get("event_type") == METADATA_EVENT and (meta.get("event_payload") or {}).get("day") == day:
            return message.get("ts")
    return None


def run_digest(engine, client, settings: DigestSettings, day: date | None = None,
               channels: tuple[str, ...] | None = None, ledger: DigestLedger | None = None) -> list[PostResult]:
    """Build and post the digest for `day` to each channel. Safe to run any number of times."""
    channels = tuple(check_channel(c, "--channel") for c in channels) if channels else settings.channels
    if not channels:
        raise ConfigError("no digest channel: set SUMMIT_DIGEST_CHANNELS or pass --channel")
    day = day or settings.today()
    digest = make_digest(engine, settings, day)
    own = ledger is None
    ledger = ledger or DigestLedger.open(engine.settings.data_dir)
    try:
        return [post_digest(client, ledger, digest, channel, settings) for channel in channels]
    finally:
        if own:
            ledger.close()
