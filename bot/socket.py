"""Socket Mode (development, and the Procfile `socket:` line): `python -m bot.socket`.

Loads the model and opens the index first, then connects, so no event waits on warm-up.
"""
from __future__ import annotations

import logging
import sys

from .app import build_app
from .logs import configure
from .services import Summit
from .settings import SOCKET, BotSettings

log = logging.getLogger("summit.bot")


def run(settings: BotSettings | None = None) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = settings or BotSettings.from_env(require=SOCKET)
    configure(settings.log_level)
    summit = Summit(settings)
    log.info("loading the model and the index from %s", settings.engine.data_dir)
    summit.warm()
    app = build_app(settings, summit=summit)
    log.info("connecting to Slack in Socket Mode")
    SocketModeHandler(app, settings.app_token).start()
    return 0


def main() -> int:
    from .entrypoint import guarded

    return guarded(run)


if __name__ == "__main__":
    sys.exit(main())
