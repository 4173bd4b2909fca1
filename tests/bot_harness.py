"""The bot under test: the real WSGI app on 127.0.0.1, its WebClient pointed at FakeSlack."""
from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from fake_slack import FakeSlack, Served, block_action_body, form, free_port, send, signed

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# `shared/` sits beside the checkout (../shared), or further up for a git worktree (wt/NAME).
SHARED_PAYLOADS = next((p / "shared" / "slack-payloads" for p in Path(__file__).resolve().parents[1:]
                        if (p / "shared" / "slack-payloads").is_dir()),
                       Path(__file__).resolve().parents[2] / "shared" / "slack-payloads")
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # the one the shared payload examples are signed with
TOKEN = "xoxb-0000-test-token"


def payload(name: str):
    path = SHARED_PAYLOADS / name
    return json.loads(path.read_text()) if name.endswith(".json") else path.read_text().strip()


def bot_env(data_dir: Path, slack: FakeSlack, **extra) -> dict:
    return {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.api_url,
            "PORT": "3000", "SUMMIT_DATA_DIR": str(data_dir), **extra}


@dataclass
class Bot:
    url: str
    slack: FakeSlack
    summit: object
    server: Served | None = None

    def post(self, body: str, content_type: str = "application/json", timestamp: int | None = None,
             secret: str = SECRET, extra_headers: dict | None = None):
        headers = {**signed(secret, body, timestamp, content_type), **(extra_headers or {})}
        return send(self.url + "/slack/events", body, headers)

    def command(self, text: str, response_name: str = "cmd", **kwargs):
        fields = dict(parse_qsl(payload("slash_command_summit.form.txt")))
        fields.update(text=text, response_url=self.slack.response_url(response_name))
        return self.post(form(fields), "application/x-www-form-urlencoded", **kwargs)

    def click(self, action_id: str, value: str, response_name: str, **where):
        """A button click (block_actions); `where`: ephemeral, channel, user, message."""
        body = block_action_body(action_id, value, self.slack.response_url(response_name), **where)
        return self.post(body, "application/x-www-form-urlencoded")

    def event(self, event_payload: dict, **kwargs):
        return self.post(json.dumps(event_payload), **kwargs)

    def settle(self, seconds: float = 0.4) -> None:
        """Give background listeners time to (wrongly) post again."""
        time.sleep(seconds)


def start_bot(tmp_path: Path, slack: FakeSlack, engine, warm: bool = True, **env) -> Bot:
    from bot.services import Summit
    from bot.settings import BotSettings
    from bot.state import BotState
    from bot.web import create_app

    environment = bot_env(tmp_path / "data", slack, **env)
    settings = BotSettings.from_env(environment)
    summit = Summit(settings, engine=engine, state=BotState(tmp_path / "botstate"))
    if warm:
        summit.warm()
    server = Served(create_app(environment, summit=summit, warm=False))
    return Bot(server.url, slack, summit, server)


def section_texts(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def all_texts(blocks: list[dict]) -> str:
    out = []
    for b in blocks:
        if b["type"] == "section":
            out.append(b["text"]["text"])
        for e in b.get("elements", []):
            out.append(e.get("text", "") if isinstance(e.get("text"), str) else e.get("text", {}).get("text", ""))
    return "\n".join(out)


def button(blocks: list[dict], action_id: str) -> dict | None:
    for b in blocks:
        if b["type"] == "actions":
            for e in b["elements"]:
                if e["action_id"] == action_id:
                    return e
    return None


# --- the deployed processes ---
def procfile(kind: str) -> list[str]:
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() == kind:
            return shlex.split(command)
    raise AssertionError(f"no {kind}: line in the Procfile")


def clean_env(**env) -> dict:
    """This environment without any Slack or Summit setting, plus `env`; the venv's scripts first."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SUMMIT_")) and k != "PORT"}
    base["PATH"] = f"{BIN}{os.pathsep}{base.get('PATH', '')}"
    return {**base, **env}


class WebProcess:
    """The Procfile `web:` command (gunicorn) on a free port, its output kept in a file."""

    def __init__(self, workdir: Path, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "web.log"
        self._log = open(self.log_path, "w")
        command = procfile("web")
        assert command[0] == "gunicorn"
        self.started = time.monotonic()
        self.proc = subprocess.Popen(command, cwd=workdir, env=clean_env(PORT=str(self.port), **env),
                                     stdout=self._log, stderr=subprocess.STDOUT)

    def wait_for_port(self, timeout: float = 60) -> float:
        """Seconds from start until the port accepts a connection (polled every 5 ms)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return time.monotonic() - self.started
            except OSError:
                time.sleep(0.005)
        raise AssertionError(f"gunicorn never opened its port (exit {self.proc.poll()}): {self.log()[-2000:]}")

    def wait_healthy(self, timeout: float = 180) -> None:
        deadline, status = time.monotonic() + timeout, None
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                status = send(self.url + "/healthz", "", {}, method="GET").status
            except OSError:
                status = None
            if status == 200:
                return
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not become healthy (exit {self.proc.poll()}): {self.log()[-2000:]}")

    def post(self, body: str, content_type: str = "application/json", secret: str = SECRET, **headers):
        return send(self.url + "/slack/events", body, {**signed(secret, body, content_type=content_type), **headers})

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in children.read_text().split()]

    def stop(self) -> str:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()
        return self.log_path.read_text(errors="replace")
