"""HTTP mode: a WSGI app for gunicorn (the Procfile `web:` line).

    POST /slack/events  slash commands, events and button clicks (signatures verified by Bolt)
    GET  /healthz       200 once the model and index are loaded, 503 while warming up

    gunicorn -c python:bot.gunicorn_conf 'bot.web:create_app()'
"""
from __future__ import annotations

from slack_bolt.adapter.wsgi import SlackRequestHandler

from .app import build_app
from .logs import configure
from .services import Summit
from .settings import HTTP, BotSettings

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


class WebApp:
    """Bolt's WSGI handler plus a health route."""

    def __init__(self, bolt_app, summit: Summit):
        self.bolt_app = bolt_app
        self.summit = summit
        self.slack = SlackRequestHandler(bolt_app, path=EVENTS_PATH)

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            if self.summit.ready.is_set():
                status, body = "200 OK", b"ok\n"
            elif self.summit.warm_error is not None:
                status, body = "503 Service Unavailable", b"warm-up failed: see the logs\n"
            else:
                status, body = "503 Service Unavailable", b"warming up\n"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                    ("Content-Length", str(len(body)))])
            return [body]
        return self.slack(environ, start_response)


def create_app(env: dict | None = None, client=None, summit: Summit | None = None, warm: bool = True) -> WebApp:
    """The gunicorn app factory. The model loads in the background at once; requests that come
    before it is ready are acked with a short "warming up" answer, and /healthz says 503."""
    settings = BotSettings.from_env(env, require=HTTP)
    configure(settings.log_level)
    summit = summit or Summit(settings)
    app = build_app(settings, client=client, summit=summit)
    if warm and not summit.ready.is_set():
        summit.warm_in_background()
    return WebApp(app, summit)
