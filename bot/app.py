"""The Bolt app. `build_app` makes it; nothing runs at import time.

HTTP (bot/web.py) and Socket Mode (bot/socket.py) serve the same app.
"""
from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from .listeners import register
from .middleware import attach, drop_retries_and_duplicates, refuse_malformed
from .services import Summit
from .settings import BotSettings

RATE_LIMIT_RETRIES = 3


class _TokenNotice(logging.Filter):
    """Bolt warns that the token is unused whenever SLACK_BOT_TOKEN is set and a client is passed;
    our client carries that very token (it is how SLACK_API_URL applies), so the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


class _NoBodies(logging.Filter):
    """Bolt logs the whole body of a request it refuses, at INFO: a hostile client could fill the
    disk with it, and bodies carry people's messages. Keep the line, drop the body."""

    HEADS = ("Invalid request signature detected", "without providing a response for the request")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for head in self.HEADS:
            at = message.find(head)
            if at >= 0:
                record.msg, record.args = message[: at + len(head)] + " (body not logged)", ()
        return True


def make_client(settings: BotSettings) -> WebClient:
    """A WebClient for SLACK_API_URL that waits out 429s (Retry-After) instead of failing."""
    return WebClient(token=settings.bot_token, base_url=settings.api_url,
                     retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)])


def build_app(settings: BotSettings, client: WebClient | None = None, summit: Summit | None = None) -> App:
    """The Bolt app over `summit` (engine + state; opened from `settings` when not given).

    Building it calls `auth.test` once, so a bad token fails here, at start-up."""
    if client is None:
        client = make_client(settings)
    elif client.token is None:
        client.token = settings.bot_token
    if not any(isinstance(h, RateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    summit = summit or Summit(settings)
    logger = logging.getLogger("summit.bolt")
    for kind in (_TokenNotice, _NoBodies):  # Bolt's own loggers copy these filters when the app is made
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())
    app = App(client=client, signing_secret=settings.signing_secret or "", name="summit", logger=logger)
    app.use(refuse_malformed)
    app.use(attach(summit))
    app.use(drop_retries_and_duplicates)
    register(app, command=settings.command)
    return app
