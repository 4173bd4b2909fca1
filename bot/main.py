"""`summit run` with Slack tokens set: HTTP mode or Socket Mode, from the environment.

- HTTP mode when SLACK_SIGNING_SECRET and PORT are set: gunicorn, exactly as the Procfile `web:` line.
- Socket Mode when SLACK_APP_TOKEN is set (and not both of the above).
- SLACK_MODE=http|socket decides when both are configured.
"""
from __future__ import annotations

import os
import sys

from .settings import HTTP, BotSettings

GUNICORN_ARGS = ["-m", "gunicorn", "--config", "python:bot.gunicorn_conf", "bot.web:create_app()"]


def serve(env: dict | None = None) -> int:
    settings = BotSettings.from_env(env)  # ConfigError names the missing setting
    if settings.resolved_mode() == HTTP:
        # Replace this process with gunicorn so signals and exit codes are gunicorn's own.
        os.execv(sys.executable, [sys.executable, *GUNICORN_ARGS])
    from .socket import run

    return run(settings)
