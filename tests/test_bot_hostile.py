"""Hostile and malformed requests against the Procfile `web` process (a real gunicorn on 127.0.0.1).

Issue 12, items 4 and 9: huge unsigned bodies are refused unread and never logged; malformed signed
bodies get 400 and one log line, never a 500 with a traceback.
"""
from __future__ import annotations

import copy
import json
import socket
import threading
import time

import pytest

from bot_harness import SECRET, TOKEN, WebProcess, payload
from fake_slack import FakeSlack, form, send, signed

MARKER = "HOSTILE-BODY-MARKER"
MB = 1024 * 1024


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    slack = FakeSlack()
    workdir = tmp_path_factory.mktemp("hostile")
    process = WebProcess(workdir, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.api_url,
                         SUMMIT_DATA_DIR=str(workdir / "data"))
    process.slack = slack
    try:
        process.wait_healthy()
        yield process
    finally:
        process.stop()
        slack.close()


def peak_rss_kb(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def raw_post(port: int, size: int, chunked: bool = False) -> tuple[str, float]:
    """POST `size` bytes of JSON-looking filler without a signature, the way a hostile client does:
    keep sending while reading the answer. Returns the status line and the seconds it took."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = (f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + ("Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {size}\r\n") + "\r\n")
    chunk = ('{"marker": "' + MARKER + '", "pad": "' + "x" * (64 * 1024 - 40) + '"}')[: 64 * 1024].encode()
    stop = threading.Event()

    def pour():
        try:
            sock.sendall(head.encode())
            sent = 0
            while sent < size and not stop.is_set():
                part = chunk[: size - sent]
                sock.sendall(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
                sent += len(part)
            if chunked and not stop.is_set():
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed: a hostile client just sees a reset

    started = time.monotonic()
    sender = threading.Thread(target=pour, daemon=True)
    sender.start()
    answer = b""
    try:
        while b"\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    finally:
        stop.set()
        sock.close()
        sender.join(10)
    return answer.split(b"\r\n", 1)[0].decode(), time.monotonic() - started


def test_huge_unsigned_bodies_are_refused_unread_and_never_logged(web):
    [worker] = web.worker_pids()
    peak_before = peak_rss_kb(worker)
    log_before = len(web.log())
    for size in (5 * MB, 40 * MB, 150 * MB):
        status, seconds = raw_post(web.port, size)
        assert status == "HTTP/1.1 413 Request Entity Too Large", status
        assert seconds < 5, f"{size} bytes took {seconds:.1f}s to refuse"
    status, _ = raw_post(web.port, 2 * MB, chunked=True)  # no Content-Length to go by
    assert status.startswith("HTTP/1.1 413"), status
    small = send(web.url + "/slack/events", json.dumps({"marker": MARKER}), {"Content-Type": "application/json"})
    assert small.status == 401  # under the cap: read, checked, refused
    time.sleep(0.5)
    grown = peak_rss_kb(worker) - peak_before
    assert grown < 40 * 1024, f"the worker's peak memory grew by {grown // 1024} MB: a body was read whole"
    log = web.log()[log_before:]
    assert MARKER not in log
    assert len(log) < 2000, log[:2000]
    lines = [line for line in log.splitlines() if line.strip()]
    assert len(lines) == 5 and all("refused" in line for line in lines), lines
    assert "body not logged" not in log  # the door refused them before Bolt could log anything
    assert send(web.url + "/healthz", "", {}, method="GET").status == 200


def _mention_without(field: str) -> str:
    body = copy.deepcopy(payload("app_mention_in_thread.json"))
    body["event_id"] = f"Ev07NO{field.upper()}"
    del body["event"][field]
    return json.dumps(body)


MALFORMED = {
    "truncated JSON": ('{"type": "event_callback", "event": {"type": "app_mention", "chan', "application/json"),
    "a JSON array": ('[{"type": "event_callback"}]', "application/json"),
    "a JSON string": ('"event_callback"', "application/json"),
    "an app_mention without channel": (_mention_without("channel"), "application/json"),
    "an app_mention without ts": (_mention_without("ts"), "application/json"),
    "an event that is not an object": (json.dumps({"type": "event_callback", "event_id": "Ev07STR", "event": "x"}),
                                       "application/json"),
    "an interaction payload cut short": (form({"payload": '{"type": "block_actions", "actions": ['}),
                                         "application/x-www-form-urlencoded"),
    "an interaction payload that is a list": (form({"payload": "[1, 2]"}), "application/x-www-form-urlencoded"),
    "a field Bolt reads of the wrong type": (json.dumps({"type": "event_callback", "event_id": "Ev07AUTH",
                                                         "event": {"type": "reaction_added"}, "authorizations": 5}),
                                             "application/json"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_signed_bodies_get_400_and_one_log_line(web, name):
    body, content_type = MALFORMED[name]
    before = web.log().splitlines()
    reply = web.post(body, content_type)
    assert reply.status == 400, (reply.status, reply.body)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(web.log().splitlines()) == len(before):
        time.sleep(0.02)
    time.sleep(0.3)  # anything else it would (wrongly) log
    new = web.log().splitlines()[len(before):]
    assert len(new) == 1, new
    assert "refused" in new[0] and "400" in new[0] and "Traceback" not in new[0]
    assert body[-25:] not in new[0]  # the line says what is wrong, not what was sent


def test_after_hostile_input_a_real_command_is_still_answered(web):
    slack: FakeSlack = web.slack
    body = form({"command": "/summit", "text": "what did the mayor say", "team_id": "T0NEWSROOM",
                 "channel_id": "C0POLITICS", "user_id": "U0EDITOR1", "trigger_id": "1.2.3",
                 "response_url": slack.response_url("after")})
    reply = web.post(body, "application/x-www-form-urlencoded")
    assert reply.status == 200
    [post] = slack.wait_for("response_url", timeout=60)
    assert post.path.endswith("/after") and post.body["text"]
    assert "Traceback" not in web.log()
    headers = {**signed(SECRET, body, content_type="application/x-www-form-urlencoded"),
               "X-Slack-Request-Timestamp": "soon"}
    assert send(web.url + "/slack/events", body, headers).status == 401  # not a number: unsigned, not a crash
