"""Socket Mode end to end: the Procfile `socket:` process against a local websocket server that
speaks Slack's envelope protocol (hello, events_api, ack), and the fake Web API for the answer."""
from __future__ import annotations

import copy
import subprocess
import time

import pytest

from bot_harness import TOKEN, clean_env, payload, procfile, section_texts
from fake_slack import FakeSocketMode
from test_bot_processes import demo_data

APP_TOKEN = "xapp-1-A0SUMMIT01-0000-fake"


@pytest.fixture
def socket_mode():
    server = FakeSocketMode()
    yield server
    server.close()


def test_socket_process_acks_each_envelope_and_answers_the_mention_once(tmp_path, slack, socket_mode, demo_engine):
    slack.socket_url = socket_mode.url
    data = demo_data(tmp_path, demo_engine)
    log_path = tmp_path / "socket.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(procfile("socket"), cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                                env=clean_env(SLACK_BOT_TOKEN=TOKEN, SLACK_APP_TOKEN=APP_TOKEN,
                                              SLACK_API_URL=slack.api_url, SUMMIT_DATA_DIR=str(data)))
    try:
        assert socket_mode.connected.wait(180), f"never connected (exit {proc.poll()}): {log_path.read_text()}"
        [opened] = slack.of("apps.connections.open")
        assert opened.headers.get("Authorization") == f"Bearer {APP_TOKEN}"  # the app-level token, not xoxb

        # The shared example is Slack's retry 1 of an event this process never saw: it is answered.
        envelope = payload("socket_mode_envelope_app_mention.json")
        sent = time.monotonic()
        socket_mode.push(envelope)
        ack = socket_mode.wait_for_ack(envelope["envelope_id"])
        assert time.monotonic() - sent < 3.0  # Slack's limit for the ack
        assert set(ack) <= {"envelope_id", "payload"}
        [post] = slack.wait_for("chat.postMessage", timeout=60)
        event = envelope["payload"]["event"]
        assert post.body["channel"] == event["channel"] and post.body["thread_ts"] == event["thread_ts"]
        assert any("*sacred battle*" in t for t in section_texts(post.body["blocks"]))

        again = copy.deepcopy(envelope)  # Slack retries once more under a new envelope id
        again.update(envelope_id="0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5", retry_attempt=2)
        socket_mode.push(again)
        socket_mode.wait_for_ack(again["envelope_id"])

        broken = copy.deepcopy(envelope)  # an app_mention without a channel: one line, no answer
        broken.update(envelope_id="1d2e3f4a-5b6c-4d7e-9f80-91a2b3c4d5e6", retry_attempt=0)
        broken["payload"]["event_id"] = "Ev07BROKEN02"
        del broken["payload"]["event"]["channel"]
        socket_mode.push(broken)
        time.sleep(1.5)
        assert len(slack.of("chat.postMessage", ok=None)) == 1
        output = log_path.read_text()
        assert "refused a payload that is an app_mention without channel" in output
        assert "Traceback" not in output
    finally:
        proc.terminate()
        proc.wait(30)
    output = log_path.read_text()
    assert TOKEN not in output and APP_TOKEN not in output
