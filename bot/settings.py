"""Slack settings from the environment (`.env` in development), checked once at start-up.

A missing or malformed setting raises ConfigError with one line that names it.
Engine settings (SUMMIT_*) come from `index.Settings`, read from the same environment.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlparse

from index import Settings as EngineSettings
from index.errors import ConfigError
from index.settings import read_int

DEFAULT_API_URL = "https://slack.com/api/"
HTTP, SOCKET = "http", "socket"
POSTER = "poster"  # posts with the bot token only (the digest): no incoming requests


@dataclass(frozen=True)
class BotSettings:
    bot_token: str
    engine: EngineSettings
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str = DEFAULT_API_URL
    port: int | None = None
    mode: str | None = None  # http or socket; None lets `mode_for` decide
    command: str = "/summit"
    threads: int = 8
    log_level: str = "INFO"

    def __repr__(self) -> str:  # never print secrets
        return (f"BotSettings(api_url={self.api_url!r}, port={self.port}, mode={self.resolved_mode()!r}, "
                f"command={self.command!r}, data_dir={str(self.engine.data_dir)!r})")

    @classmethod
    def from_env(cls, env: dict | None = None, require: str | None = None) -> "BotSettings":
        """`require` is "http" or "socket" to insist on that mode's settings, or "poster" for a
        process that only posts (the digest) and so needs just the bot token."""
        env = dict(os.environ if env is None else env)
        bot_token = _token(env, "SLACK_BOT_TOKEN", "xoxb-", required=True)
        signing_secret = (env.get("SLACK_SIGNING_SECRET") or "").strip() or None
        if signing_secret is not None and (len(signing_secret) < 16 or any(c.isspace() for c in signing_secret)):
            raise ConfigError("SLACK_SIGNING_SECRET looks malformed: copy it from Basic Information > App Credentials")
        app_token = _token(env, "SLACK_APP_TOKEN", "xapp-", required=False)
        mode = (env.get("SLACK_MODE") or "").strip().lower() or None
        if mode not in (None, HTTP, SOCKET):
            raise ConfigError(f"SLACK_MODE must be http or socket, got {mode!r}")
        command = (env.get("SUMMIT_SLASH_COMMAND") or "/summit").strip()
        if not command.startswith("/") or len(command) < 2 or " " in command:
            raise ConfigError(f"SUMMIT_SLASH_COMMAND must look like /summit, got {command!r}")
        settings = cls(
            bot_token=bot_token,
            engine=EngineSettings.from_env(env),
            signing_secret=signing_secret,
            app_token=app_token,
            api_url=_api_url(env.get("SLACK_API_URL")),
            port=_port(env.get("PORT")),
            mode=mode,
            command=command,
            threads=read_int(env, "SUMMIT_WEB_THREADS", 8),
            log_level=_log_level(env.get("SUMMIT_LOG_LEVEL")),
        )
        if settings.threads < 1:
            raise ConfigError(f"SUMMIT_WEB_THREADS must be at least 1, got {settings.threads}")
        wanted = require or settings.resolved_mode()
        if wanted == POSTER:
            return settings
        if wanted == HTTP:
            if not settings.signing_secret:
                raise ConfigError("SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests")
        elif wanted == SOCKET:
            if not settings.app_token:
                raise ConfigError("SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-...)")
        else:
            raise ConfigError("set SLACK_SIGNING_SECRET and PORT for HTTP mode, or SLACK_APP_TOKEN for Socket Mode")
        return settings

    def resolved_mode(self) -> str | None:
        """HTTP when a signing secret and a port are given, else Socket Mode when an app token is."""
        if self.mode:
            return self.mode
        if self.signing_secret and self.port:
            return HTTP
        if self.app_token:
            return SOCKET
        return None


def _token(env: dict, name: str, prefix: str, required: bool) -> str | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        if required:
            raise ConfigError(f"{name} is not set (the {prefix}... token from the Slack app's settings)")
        return None
    if not raw.startswith(prefix) or any(c.isspace() for c in raw):
        raise ConfigError(f"{name} must be a {prefix}... token")  # never echo the value
    return raw


def _api_url(raw: str | None) -> str:
    url = (raw or "").strip() or DEFAULT_API_URL
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL, got {url!r}")
    return url if url.endswith("/") else url + "/"  # WebClient joins method names onto it


def _port(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"PORT must be a whole number, got {raw!r}") from None
    if not 0 < port < 65536:
        raise ConfigError(f"PORT must be between 1 and 65535, got {port}")
    return port



def _log_level(raw: str | None) -> str:
    level = (raw or "INFO").strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"SUMMIT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {raw!r}")
    return level
