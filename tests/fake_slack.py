"""A small fake of the Slack Web API and of response_url, on 127.0.0.1, recording every call.

It checks messages the way Slack does where it matters here: at most 50 blocks, section and
context texts of at most 3,000 characters, button values of at most 2,000. A refused message
gets Slack's `invalid_blocks` error, and is recorded with `ok=False`.

`apps.connections.open` hands out `socket_url` (a `FakeSocketMode` server) to an app-level token.

Also: `signed()` builds the headers Slack sends, and `Served` runs a WSGI app on a threading
server, so tests talk to the real Bolt app over real HTTP.
"""
from __future__ import annotations

import json
import queue
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_sdk.signature import SignatureVerifier

BOT_USER = "U0BOTSUMMIT"
BOT_ID = "B0SUMMIT01"
TEAM = "T0NEWSROOM"


@dataclass
class Call:
    method: str  # "chat.postMessage", ... or "response_url"
    path: str
    body: dict
    headers: dict
    ok: bool = True
    error: str | None = None
    at: float = field(default_factory=time.perf_counter)  # when it arrived, for latency figures


def check_blocks(blocks) -> str | None:
    """Slack's limits that matter for answers; None when the blocks would be accepted."""
    if blocks is None:
        return None
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not isinstance(blocks, list) or len(blocks) > 50:
        return "invalid_blocks"
    for block in blocks:
        kind = block.get("type")
        if kind == "section":
            text = block.get("text", {}).get("text", "")
            if not text or len(text) > 3000:
                return "invalid_blocks"
        elif kind == "context":
            elements = block.get("elements", [])
            if not elements or len(elements) > 10 or any(len(e.get("text", "")) > 3000 for e in elements):
                return "invalid_blocks"
        elif kind == "header":
            if len(block.get("text", {}).get("text", "")) > 150:
                return "invalid_blocks"
        elif kind == "divider":
            pass
        elif kind == "actions":
            elements = block.get("elements", [])
            if not elements or len(elements) > 25:
                return "invalid_blocks"
            for e in elements:
                if len(e.get("value", "")) > 2000 or len(e["text"]["text"]) > 75:
                    return "invalid_blocks"
        else:
            return "invalid_blocks"
    return None


class FakeSlack:
    def __init__(self):
        self.calls: list[Call] = []
        self.threads: dict[tuple[str, str], list[dict]] = {}  # (channel, thread_ts) -> messages
        self.rate_limit: dict[str, int] = {}  # method -> how many 429s to answer first
        self.history: dict[str, list[dict]] = {}  # channel -> messages posted there, oldest first
        self.not_member: set[str] = set()  # channels the bot was never invited to
        self.unknown_channels: set[str] = set()  # channels that do not exist
        self._lock = threading.Lock()
        self._ts = float(int(time.time()))  # message ts near real time, like Slack
        self.socket_url: str | None = None  # what apps.connections.open answers (Socket Mode)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._handle()

            def do_POST(self):
                self._handle()

            def _handle(self):
                path, _, query = self.path.partition("?")
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype and raw:
                    body = json.loads(raw)
                else:
                    body = {k: v[0] for k, v in parse_qs(raw or query).items()}
                status, payload = fake.handle(path, body, dict(self.headers))
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.send_header("Content-Type", "application/json" if not isinstance(payload, bytes) else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.api_url = self.url + "/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.url}/response/{name}"

    def handle(self, path: str, body: dict, headers: dict):
        if path.startswith("/response/"):
            error = check_blocks(body.get("blocks"))
            self._record(Call("response_url", path, body, headers, ok=error is None, error=error))
            return (400, error.encode()) if error else (200, b"ok")
        method = path.removeprefix("/api/")
        with self._lock:
            if self.rate_limit.get(method):
                self.rate_limit[method] -= 1
                self.calls.append(Call(method, path, body, headers, ok=False, error="ratelimited"))
                return 429, {"ok": False, "error": "ratelimited"}
        if method == "auth.test":
            self._record(Call(method, path, body, headers))
            return 200, {"ok": True, "url": "https://newsroom.slack.com/", "team": "Newsroom", "user": "summit",
                         "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False}
        if method == "chat.postMessage":
            error = check_blocks(body.get("blocks"))
            if not body.get("channel") or not (body.get("text") or body.get("blocks")):
                error = "invalid_arguments"
            elif body["channel"] in self.unknown_channels:
                error = "channel_not_found"
            elif body["channel"] in self.not_member:
                error = "not_in_channel"
            self._record(Call(method, path, body, headers, ok=error is None, error=error))
            if error:
                return 200, {"ok": False, "error": error}
            with self._lock:
                self._ts += 1
                ts = f"{self._ts:.6f}"
                metadata = body.get("metadata")
                self.history.setdefault(body["channel"], []).append(
                    {"ts": ts, "text": body.get("text"),
                     "metadata": json.loads(metadata) if isinstance(metadata, str) else metadata})
            return 200, {"ok": True, "channel": body["channel"], "ts": ts, "message": {"text": body.get("text")}}
        if method == "apps.connections.open":
            auth = headers.get("Authorization") or headers.get("authorization") or ""
            error = None if auth.startswith("Bearer xapp-") else "not_allowed_token_type"
            error = error or (None if self.socket_url else "socket_mode_off")
            self._record(Call(method, path, body, headers, ok=error is None, error=error))
            return 200, ({"ok": False, "error": error} if error else {"ok": True, "url": self.socket_url})
        if method in ("reactions.add", "reactions.remove"):
            self._record(Call(method, path, body, headers))
            return 200, {"ok": True}
        if method == "conversations.replies":
            self._record(Call(method, path, body, headers))
            messages = self.threads.get((body.get("channel"), body.get("ts")))
            if messages is None:
                return 200, {"ok": False, "error": "thread_not_found"}
            return 200, {"ok": True, "messages": messages[: int(body.get("limit") or 1000)], "has_more": False}
        if method == "conversations.history":
            self._record(Call(method, path, body, headers))
            oldest = float(body.get("oldest") or 0)
            with self._lock:
                messages = [dict(m) for m in self.history.get(body.get("channel"), []) if float(m["ts"]) > oldest]
            if str(body.get("include_all_metadata")).lower() not in ("1", "true"):
                for m in messages:
                    m.pop("metadata", None)
            return 200, {"ok": True, "messages": messages[::-1], "has_more": False}
        self._record(Call(method, path, body, headers, ok=False, error="unknown_method"))
        return 200, {"ok": False, "error": "unknown_method"}

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def of(self, method: str, ok: bool | None = True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.of(method)
            if len(calls) >= count:
                return calls
            time.sleep(0.005)
        raise AssertionError(f"expected {count} {method} call(s), got {len(self.of(method))}: "
                             f"{[(c.method, c.error) for c in self.calls]}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeSocketMode:
    """Slack's end of Socket Mode: a websocket server on 127.0.0.1. Each connection gets `hello`,
    then every envelope a test `push`es; whatever the app sends back (its acks) is recorded."""

    def __init__(self):
        from websockets.sync.server import serve

        self.received: list[dict] = []
        self.connected = threading.Event()
        self._outbox: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self.server = serve(self._session, "127.0.0.1", 0, compression=None)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link/?ticket=fake-ticket"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _session(self, ws) -> None:
        from websockets.exceptions import ConnectionClosed

        ws.send(json.dumps({"type": "hello", "num_connections": 1,
                            "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
                            "connection_info": {"app_id": "A0SUMMIT01"}}))
        self.connected.set()
        try:
            while True:
                try:
                    ws.send(json.dumps(self._outbox.get(timeout=0.02)))
                except queue.Empty:
                    pass
                try:
                    message = ws.recv(timeout=0.02)
                except TimeoutError:
                    continue
                with self._lock:
                    self.received.append(json.loads(message))
        except ConnectionClosed:
            return

    def push(self, envelope: dict) -> None:
        self._outbox.put(envelope)

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for message in self.received:
                    if message.get("envelope_id") == envelope_id:
                        return message
            time.sleep(0.005)
        raise AssertionError(f"no ack for envelope {envelope_id}; got {self.received}")

    def close(self) -> None:
        self.server.shutdown()


# --- signing and sending, as Slack does ---
def signed(secret: str, body: str, timestamp: int | None = None, content_type: str = "application/json") -> dict:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


@dataclass
class Reply:
    status: int
    body: str
    headers: dict = field(default_factory=dict)
    seconds: float = 0.0

    def json(self):
        return json.loads(self.body)


def send(url: str, body: str, headers: dict, method: str = "POST") -> Reply:
    request = urllib.request.Request(url, data=body.encode() if method == "POST" else None,
                                     headers=headers, method=method)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, response.read().decode(), dict(response.headers),
                         time.perf_counter() - started)
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, exc.read().decode(), dict(exc.headers), time.perf_counter() - started)


def form(fields: dict) -> str:
    return urlencode(fields)


def block_action_body(action_id: str, value: str, response_url: str, ephemeral: bool = True,
                      channel: str = "C0POLITICS", user: str = "U0EDITOR1", message: dict | None = None) -> str:
    payload = {
        "type": "block_actions", "user": {"id": user, "username": "jdoe", "team_id": TEAM},
        "api_app_id": "A0SUMMIT01", "token": "gIkuvaNzQIHg97ATvDxqgjtO", "team": {"id": TEAM, "domain": "newsroom"},
        "container": {"type": "message", "message_ts": "1718000600.000100", "channel_id": channel,
                      "is_ephemeral": ephemeral},
        "trigger_id": "7234567890123.1234567890.abc", "channel": {"id": channel, "name": "politics-desk"},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": "b1", "type": "button", "value": value,
                     "text": {"type": "plain_text", "text": "x"}, "action_ts": "1718000601.000200"}],
    }
    if message is not None:
        payload["message"] = message
    return form({"payload": json.dumps(payload)})


# --- serving a WSGI app in-process ---
class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Served:
    def __init__(self, app):
        self.httpd = make_server("127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
