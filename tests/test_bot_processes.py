"""The bot as it is deployed: the Procfile `web:` command under gunicorn, and start-up errors."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot_harness import SECRET, TOKEN, section_texts
from conftest import DEMO, ROOT, settings_for
from fake_slack import form, free_port, send, signed

BIN = Path(sys.executable).parent


def procfile(kind: str) -> list[str]:
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() == kind:
            return shlex.split(command)
    raise AssertionError(f"no {kind}: line in the Procfile")


def clean_env(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SUMMIT_")) and k != "PORT"}
    base["PATH"] = f"{BIN}{os.pathsep}{base.get('PATH', '')}"
    return {**base, **env}


def test_procfile_web_line_serves_the_bot_under_gunicorn(tmp_path, slack, demo_engine):
    from index import Engine

    data = tmp_path / "data"
    engine = Engine(settings_for(data))
    engine.__dict__["embedder"] = demo_engine.embedder
    engine.ingest([DEMO])
    engine.close()

    port = free_port()
    env = clean_env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.api_url,
                    PORT=str(port), SUMMIT_DATA_DIR=str(data), SUMMIT_WEB_THREADS="4")
    command = procfile("web")
    assert command[0] == "gunicorn"
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline, status = time.monotonic() + 180, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status = send(url + "/healthz", "", {}, method="GET").status
            except OSError:
                status = None
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200, f"gunicorn did not become healthy (exit {proc.poll()})"

        fields = {"command": "/summit", "text": "who said “sacred battle”", "team_id": "T0NEWSROOM",
                  "channel_id": "C0POLITICS", "user_id": "U0EDITOR1", "response_url": slack.response_url("gunicorn"),
                  "trigger_id": "1.2.3", "api_app_id": "A0SUMMIT01"}
        body = form(fields)
        reply = send(url + "/slack/events", body, signed(SECRET, body, content_type="application/x-www-form-urlencoded"))
        assert reply.status == 200 and reply.seconds < 1.0
        [post] = slack.wait_for("response_url", timeout=60)
        assert any("*sacred battle*" in t for t in section_texts(post.body["blocks"]))

        bad = send(url + "/slack/events", body, signed("wrong-secret-0123456789", body,
                                                       content_type="application/x-www-form-urlencoded"))
        assert bad.status == 401
        assert send(url + "/nope", "", {}, method="GET").status == 404
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    assert TOKEN not in output and SECRET not in output  # never log secrets


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
