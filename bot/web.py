"""HTTP mode: a WSGI app for gunicorn (the Procfile `web:` line).

    POST /slack/events  slash commands, events and button clicks
    GET  /healthz       200 once the model and index are loaded, 503 while warming up

Every POST passes a door before Bolt parses it: a body over MAX_BODY_BYTES is refused unread (413),
an unsigned or stale one 401, a signed one that is not a payload we can read 400. Each refusal is
one short log line that never contains the body.

    gunicorn -c python:bot.gunicorn_conf 'bot.web:create_app()'
"""
from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

from .app import build_app
from .logs import configure
from .middleware import payload_problem
from .services import Summit
from .settings import HTTP, BotSettings

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few kilobytes (a block_actions payload carrying a whole message, tens of KB).
MAX_BODY_BYTES = 1024 * 1024

log = logging.getLogger("summit.bot")


class Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def read_body(environ) -> bytes:
    """The request body, refused (413) before reading when it is larger than MAX_BODY_BYTES."""
    stream = environ.get("wsgi.input")
    declared = (environ.get("CONTENT_LENGTH") or "").strip()
    if stream is None:
        return b""
    if not declared:  # chunked: read one byte past the cap to know it is too big
        data = stream.read(MAX_BODY_BYTES + 1)
        if len(data) > MAX_BODY_BYTES:
            raise Refused(413, f"a chunked body over {MAX_BODY_BYTES} bytes")
        return data
    if not declared.isdigit():
        raise Refused(400, "a malformed Content-Length")
    if int(declared) > MAX_BODY_BYTES:
        raise Refused(413, f"a body of {int(declared)} bytes (at most {MAX_BODY_BYTES})")
    return stream.read(int(declared))


class WebApp:
    """The door to Bolt (size, signature, shape) plus a health route."""

    def __init__(self, bolt_app, summit: Summit, signing_secret: str):
        self.bolt_app = bolt_app
        self.summit = summit
        self.verifier = SignatureVerifier(signing_secret)

    def __call__(self, environ, start_response):
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            if self.summit.ready.is_set():
                return _plain(start_response, 200, "ok")
            if self.summit.warm_error is not None:
                return _plain(start_response, 503, "warm-up failed: see the logs")
            return _plain(start_response, 503, "warming up")
        if path == EVENTS_PATH and method == "POST":
            try:
                request = self._slack_request(environ)
            except Refused as exc:
                (log.warning if exc.status == 400 else log.info)("refused %s with %s", exc.reason, exc.status)
                return _plain(start_response, exc.status, _REASONS[exc.status])
            response = self.bolt_app.dispatch(request)
            out = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
            start_response(out.status, out.get_headers())
            return out.get_body()
        return _plain(start_response, 404, "not found")

    def _slack_request(self, environ) -> BoltRequest:
        raw = read_body(environ)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, "a body that is not UTF-8") from None
        headers = WsgiHttpRequest(environ).get_headers()
        if not self._signed(text, headers) and not _ssl_check(text):
            raise Refused(401, f"a request without a valid signature ({len(raw)} bytes)")
        try:
            body = parse_body(text, (headers.get("content-type") or "").split(";")[0].strip() or None)
        except ValueError as exc:  # json.JSONDecodeError: its message gives a position, not content
            raise Refused(400, f"a signed body that is not valid JSON ({exc})") from None
        problem = payload_problem(body)
        if problem:
            raise Refused(400, f"a signed payload that is {problem}")
        try:
            return BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers)
        except Exception as exc:  # a field of an unexpected type that Bolt reads while building its context
            raise Refused(400, f"a signed payload Bolt cannot read ({type(exc).__name__})") from None

    def _signed(self, text: str, headers: dict) -> bool:
        try:
            return self.verifier.is_valid(text, headers.get("x-slack-request-timestamp"),
                                          headers.get("x-slack-signature"))
        except ValueError:  # a timestamp that is not a number
            return False


def _ssl_check(text: str) -> bool:
    """Slack's certificate check of a command URL, which it may send unsigned; Bolt answers it 200
    and reads nothing else."""
    return "ssl_check=" in text and dict(parse_qsl(text)).get("ssl_check") == "1"


_REASONS = {400: "bad request", 401: "invalid request signature", 413: "request body too large"}


def _plain(start_response, status: int, text: str):
    out = WsgiHttpResponse(status=status, headers={"content-type": ["text/plain; charset=utf-8"]}, body=text + "\n")
    start_response(out.status, out.get_headers())
    return out.get_body()


def create_app(env: dict | None = None, client=None, summit: Summit | None = None, warm: bool = True) -> WebApp:
    """The gunicorn app factory. The model loads in the background at once; a question that comes
    before it is ready is acked at once and answered when it is, and /healthz says 503 meanwhile."""
    settings = BotSettings.from_env(env, require=HTTP)
    configure(settings.log_level)
    summit = summit or Summit(settings)
    app = build_app(settings, client=client, summit=summit)
    if warm and not summit.ready.is_set():
        summit.warm_in_background()
    return WebApp(app, summit, settings.signing_secret)
