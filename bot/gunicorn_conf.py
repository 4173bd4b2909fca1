"""gunicorn settings for the Procfile `web:` line: one worker (the model is large) with threads.

Settings are checked here, in the master, so a missing one stops start-up with one line
instead of a worker that fails to boot over and over. The app's modules are imported here too
(importing loads no model and starts no thread), so the forked worker serves its first request,
even one sent the moment the port opens, within Slack's 3 seconds.
"""
import os
import sys

try:
    from dotenv import load_dotenv

    load_dotenv(override=False)
except ImportError:
    pass

from index.errors import ConfigError  # noqa: E402

from bot.settings import HTTP, BotSettings  # noqa: E402
import bot.web  # noqa: E402,F401

try:
    _settings = BotSettings.from_env(require=HTTP)
except ConfigError as exc:
    print(f"summit: error: {exc}", file=sys.stderr)
    sys.exit(1)

bind = f"0.0.0.0:{_settings.port or 3000}"
workers = 1  # each worker would load its own copy of the model
worker_class = "gthread"
threads = _settings.threads
timeout = 120  # the first request may wait on the model loading in another thread
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("SUMMIT_ACCESS_LOG", "").lower() in ("1", "true", "yes") else None
loglevel = _settings.log_level.lower()
