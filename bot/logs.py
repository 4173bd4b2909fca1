"""Logging for the bot processes. Tokens never reach the logs: we log error codes, not requests."""
from __future__ import annotations

import logging


def configure(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # slack_sdk's DEBUG lines print whole request bodies; keep them out unless asked for.
    logging.getLogger("slack_sdk").setLevel(max(logging.getLevelName(level), logging.INFO))
