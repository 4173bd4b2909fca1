"""The `clock` process: posts the daily digest on schedule (APScheduler cron in SUMMIT_TIMEZONE).

Started late, after today's digest time, it posts today's digest at once (catch-up). Posting is
idempotent per (channel, day) through the ledger, so restarts and a second clock never double up.
"""
from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from .digest import DigestSettings, run_digest

log = logging.getLogger("summit.clock")


def due_for_catch_up(settings: DigestSettings, now: datetime) -> bool:
    """Has today's digest time already passed (in the digest's zone)?"""
    local = now.astimezone(ZoneInfo(settings.timezone))
    return local.time() >= settings.at


def digest_job(engine, client, settings: DigestSettings, now: datetime | None = None) -> list:
    day = settings.today(now)
    results = run_digest(engine, client, settings, day=day)
    for r in results:
        log.info("digest %s -> %s: %s%s", day, r.channel, r.status, f" ({r.error})" if r.error else "")
    return results


def feeds_job(engine) -> None:
    from index.sources.feeds import poll_all

    report = poll_all(engine)
    for feed in report.feeds:
        if feed.error:
            log.error("feed %s: %s", feed.url, feed.error)
    log.info("feeds polled: %d new articles", len(report.added))


def build_scheduler(engine, client, settings: DigestSettings, feed_minutes: int,
                    scheduler_class=BlockingScheduler):
    tz = ZoneInfo(settings.timezone)
    scheduler = scheduler_class(timezone=tz)
    if settings.channels:
        scheduler.add_job(digest_job, CronTrigger(hour=settings.at.hour, minute=settings.at.minute, timezone=tz),
                          args=[engine, client, settings], id="digest", coalesce=True, max_instances=1,
                          misfire_grace_time=3600)
    if feed_minutes > 0:
        scheduler.add_job(feeds_job, "interval", minutes=feed_minutes, args=[engine], id="feeds",
                          coalesce=True, max_instances=1, next_run_time=datetime.now(tz))
    return scheduler


def catch_up(engine, client, settings: DigestSettings, now: datetime) -> list:
    """Started after today's digest time: post today's now (the ledger skips it if already posted)."""
    if not settings.channels or not due_for_catch_up(settings, now):
        return []
    log.info("started after today's digest time: catching up")
    return digest_job(engine, client, settings, now)


def run(env: dict | None = None) -> int:
    from index import Engine

    from .app import make_client
    from .logs import configure
    from .settings import POSTER, BotSettings

    bot_settings = BotSettings.from_env(env, require=POSTER)
    configure(bot_settings.log_level)
    settings = DigestSettings.from_env(env)
    engine, client = Engine(bot_settings.engine), make_client(bot_settings)
    if not settings.channels:
        log.warning("SUMMIT_DIGEST_CHANNELS is empty: no digest will be posted")
    catch_up(engine, client, settings, datetime.now(ZoneInfo(settings.timezone)))
    scheduler = build_scheduler(engine, client, settings, bot_settings.engine.feed_interval)
    log.info("digest daily at %s %s for %s; feeds every %s min", settings.at.strftime("%H:%M"),
             settings.timezone, ", ".join(settings.channels) or "(no channels)", bot_settings.engine.feed_interval)
    scheduler.start()
    return 0


def main() -> int:
    from .entrypoint import guarded

    return guarded(run)


if __name__ == "__main__":
    raise SystemExit(main())
