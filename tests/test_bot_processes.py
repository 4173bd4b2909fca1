"""The bot as it is deployed: the Procfile `web:` command under gunicorn, and start-up errors."""
from __future__ import annotations

import json
import subprocess
import time

import pytest

from bot_harness import BIN, SECRET, TOKEN, WebProcess, clean_env, payload, procfile, section_texts
from conftest import DEMO, settings_for
from fake_slack import form, send


def demo_data(tmp_path, demo_engine):
    """A data folder holding the demo article, written through the real ingest path."""
    from index import Engine

    data = tmp_path / "data"
    engine = Engine(settings_for(data))
    engine.__dict__["embedder"] = demo_engine.embedder
    engine.ingest([DEMO])
    engine.close()
    return data


def command_body(slack, name: str, text: str = "who said “sacred battle”") -> str:
    return form({"command": "/summit", "text": text, "team_id": "T0NEWSROOM", "channel_id": "C0POLITICS",
                 "user_id": "U0EDITOR1", "response_url": slack.response_url(name), "trigger_id": "1.2.3",
                 "api_app_id": "A0SUMMIT01"})


def test_procfile_web_line_serves_the_bot_under_gunicorn(tmp_path, slack, demo_engine):
    web = WebProcess(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.api_url,
                     SUMMIT_DATA_DIR=str(demo_data(tmp_path, demo_engine)), SUMMIT_WEB_THREADS="4")
    try:
        web.wait_healthy()
        body = command_body(slack, "gunicorn")
        reply = web.post(body, "application/x-www-form-urlencoded")
        assert reply.status == 200 and reply.seconds < 1.0
        [post] = slack.wait_for("response_url", timeout=60)
        assert any("*sacred battle*" in t for t in section_texts(post.body["blocks"]))

        bad = web.post(body, "application/x-www-form-urlencoded", secret="wrong-secret-0123456789")
        assert bad.status == 401
        assert send(web.url + "/nope", "", {}, method="GET").status == 404
    finally:
        output = web.stop()
    assert TOKEN not in output and SECRET not in output  # never log secrets


def test_procfile_web_answers_questions_sent_the_moment_its_port_opens(tmp_path, slack, demo_engine):
    """Issue 10: nothing asked during warm-up is dropped. The command and the mention are sent as
    soon as gunicorn accepts connections, long before the model is loaded."""
    data = demo_data(tmp_path, demo_engine)
    web = WebProcess(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.api_url,
                     SUMMIT_DATA_DIR=str(data))
    try:
        opened = web.wait_for_port()
        time.sleep(max(0.0, 0.2 - (time.monotonic() - web.started)))  # at least 0.2 s after start-up
        sent = time.monotonic()
        reply = web.post(command_body(slack, "early"), "application/x-www-form-urlencoded")
        mention = payload("app_mention_top_level.json")
        mention["event"]["text"] = "<@U0BOTSUMMIT> who said “sacred battle”"
        event_reply = web.post(json.dumps(mention))
        assert reply.status == 200 and reply.seconds < 3.0, (reply.status, reply.seconds)  # Slack's limit
        assert event_reply.status == 200 and event_reply.seconds < 3.0
        early = json.loads(reply.body)["text"] if reply.body else ""
        assert early == "" or "will follow" in early
        [answer] = slack.wait_for("response_url", timeout=120)
        answered = time.monotonic()
        assert any("*sacred battle*" in t for t in section_texts(answer.body["blocks"]))
        posts = slack.wait_for("chat.postMessage", count=2 if early else 1, timeout=120)
        assert posts[-1].body["thread_ts"] == mention["event"]["ts"]
        assert any("*sacred battle*" in t for t in section_texts(posts[-1].body["blocks"]))
        time.sleep(0.5)
        texts = [c.body.get("text") or "" for c in slack.calls if c.method in ("response_url", "chat.postMessage")]
        assert not any("try again" in t or "ask again" in t for t in texts)
        assert len(slack.of("response_url", ok=None)) == 1
        print(f"\nport open {opened:.2f} s after start; command sent {sent - web.started:.2f} s after start, "
              f"acked in {reply.seconds:.2f} s ({'warming up' if early else 'ready'}), answered "
              f"{answered - sent:.2f} s after it was sent")
    finally:
        web.stop()


@pytest.mark.parametrize("argv, env, name", [
    (procfile("web"), {"SLACK_BOT_TOKEN": TOKEN, "PORT": "3999"}, "SLACK_SIGNING_SECRET"),
    (procfile("web"), {"SLACK_SIGNING_SECRET": SECRET, "PORT": "3999"}, "SLACK_BOT_TOKEN"),
    (procfile("web"), {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "PORT": "eighty"}, "PORT"),
    (procfile("socket"), {"SLACK_BOT_TOKEN": TOKEN}, "SLACK_APP_TOKEN"),
    (procfile("socket"), {"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "SLACK_APP_TOKEN"),
    ([str(BIN / "summit"), "run"], {"SLACK_BOT_TOKEN": TOKEN}, "SLACK_SIGNING_SECRET and PORT"),
    ([str(BIN / "summit"), "run"], {"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": "xapp-1",
                                    "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
])
def test_a_missing_or_malformed_setting_stops_start_up_with_one_line_naming_it(tmp_path, argv, env, name):
    result = subprocess.run(argv, cwd=tmp_path, env=clean_env(SUMMIT_DATA_DIR=str(tmp_path / "d"), **env),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("summit: error: ") and name in lines[0]
    assert TOKEN not in lines[0] and "xoxb-wrong-kind" not in lines[0]


def test_serve_picks_the_mode_from_the_settings():
    from bot.settings import HTTP, SOCKET, BotSettings

    base = {"SLACK_BOT_TOKEN": TOKEN, "SUMMIT_DATA_DIR": "/tmp/summit-mode-test"}
    assert BotSettings.from_env({**base, "SLACK_SIGNING_SECRET": SECRET, "PORT": "8080"}).resolved_mode() == HTTP
    assert BotSettings.from_env({**base, "SLACK_APP_TOKEN": "xapp-1-abc"}).resolved_mode() == SOCKET
    both = {**base, "SLACK_SIGNING_SECRET": SECRET, "PORT": "8080", "SLACK_APP_TOKEN": "xapp-1-abc"}
    assert BotSettings.from_env(both).resolved_mode() == HTTP
    assert BotSettings.from_env({**both, "SLACK_MODE": "socket"}).resolved_mode() == SOCKET
    assert BotSettings.from_env(both).api_url == "https://slack.com/api/"
    assert TOKEN not in repr(BotSettings.from_env(both)) and SECRET not in repr(BotSettings.from_env(both))
