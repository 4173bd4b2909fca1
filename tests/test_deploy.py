"""The deploy files (Dockerfile, compose.yaml, .dockerignore) checked without Docker.

There is no Docker engine here, so compose.yaml is rendered the way `docker compose` does it
(YAML with anchors, then ${VAR} interpolation) and its volume, processes and health check are
checked against the Procfile and the code; its health check command is run against a real
`web` process.
"""
from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import sys
import time
import tomllib

import pytest
import yaml

from bot_harness import ROOT, SECRET, TOKEN, WebProcess, procfile

SLACK_ONLY = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET}
_VARIABLE = re.compile(r"\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


class Unset(Exception):
    pass


def interpolate(value, env: dict):
    """Compose's interpolation: ${V}, ${V:-default}, ${V-default}, ${V:?error}, ${V?error}, $$."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        op, arg = m.group(2), m.group(3)
        have = env.get(name)
        missing = have is None or (op is not None and op.startswith(":") and have == "")
        if op and op.endswith("?") and missing:
            raise Unset(f"{name}: {arg}")
        if op and op.endswith("-") and missing:
            return arg
        if have is None:
            raise Unset(f"{name} has no default")  # compose would warn and use "": a surprise
        return have

    return _VARIABLE.sub(one, value)


def compose(env: dict = SLACK_ONLY) -> dict:
    return interpolate(yaml.safe_load((ROOT / "compose.yaml").read_text()), env)


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    lines, current = [], ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        if not current and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        current += raw.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        word, _, rest = current.strip().partition(" ")
        lines.append((word.upper(), rest.strip()))
        current = ""
    return lines


def instructions(kind: str) -> list[str]:
    return [rest for word, rest in dockerfile() if word == kind]


def image_env() -> dict:
    env = {}
    for rest in instructions("ENV"):
        for pair in shlex.split(rest):
            name, _, value = pair.partition("=")
            env[name] = value
    return env


# --- compose.yaml ---
def test_compose_runs_the_procfile_web_and_clock_on_one_named_volume():
    config = compose()
    assert set(config["services"]) == {"web", "clock"}  # socket is for development, and not beside web
    mounts = set()
    for name, service in config["services"].items():
        assert service["command"] == procfile(name), name
        assert service.get("build") == "." or service.get("image")
        [volume] = service["volumes"]
        source, target = volume.split(":")[:2]
        assert source in config["volumes"], "a named volume, declared at the top level"
        assert service["environment"]["SUMMIT_DATA_DIR"] == target
        assert service["environment"]["SUMMIT_CACHE_DIR"] == image_env()["SUMMIT_CACHE_DIR"]  # the baked export
        mounts.add((source, target))
    assert len(mounts) == 1, f"web and clock must share one data folder, got {mounts}"
    assert image_env()["SUMMIT_DATA_DIR"] == next(iter(mounts))[1]
    assert config["services"]["clock"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_compose_needs_only_the_slack_variables():
    from bot.digest import DigestSettings
    from bot.settings import HTTP, POSTER, BotSettings

    config = compose(SLACK_ONLY)  # raises Unset if anything else lacks a default
    web, clock = (config["services"][n]["environment"] for n in ("web", "clock"))
    settings = BotSettings.from_env({**image_env(), **web}, require=HTTP)
    assert settings.port == int(web["PORT"]) and str(settings.engine.data_dir) == "/data"
    BotSettings.from_env({**image_env(), **clock}, require=POSTER)
    DigestSettings.from_env({**image_env(), **clock})
    published = config["services"]["web"]["ports"][0]
    assert published.rsplit(":", 1)[1] == web["PORT"]
    for missing in SLACK_ONLY:
        with pytest.raises(Unset, match=missing):
            compose({k: v for k, v in SLACK_ONLY.items() if k != missing})


def test_compose_health_check_is_healthz_and_passes_only_once_the_web_process_is_warm(tmp_path, slack):
    check = compose()["services"]["web"]["healthcheck"]
    assert check["test"][0] == "CMD" and "/healthz" in " ".join(check["test"])
    assert check["test"][1] == "python"
    argv = [sys.executable, *check["test"][2:]]
    start_period = float(check["start_period"].rstrip("s"))
    assert start_period >= 60  # the model loads first
    web_env = compose()["services"]["web"]["environment"]
    env = {**{k: v for k, v in web_env.items() if k != "PORT"},  # a free port instead of 3000
           "SLACK_API_URL": slack.api_url, "SUMMIT_DATA_DIR": str(tmp_path / "data")}
    web = WebProcess(tmp_path, **env)

    def healthy() -> bool:
        return subprocess.run(argv, env={"PORT": str(web.port)}, capture_output=True, timeout=30).returncode == 0

    try:
        assert not healthy()  # not listening yet, or warming up (503)
        deadline = time.monotonic() + start_period + 60
        while time.monotonic() < deadline and not healthy():
            time.sleep(0.5)
        assert healthy(), web.log()[-2000:]
    finally:
        web.stop()
    assert not healthy()


# --- Dockerfile and .dockerignore ---
def _local_imports() -> set[str]:
    """Top-level packages of this repository that the processes' code imports."""
    local = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    found = set()
    for folder in ("bot", "index"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    found.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found & local


def test_dockerfile_copies_what_the_processes_need_and_bakes_the_caches():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    [base] = instructions("FROM")
    version = re.match(r"python:3\.(\d+)", base)
    assert version and int(version.group(1)) >= int(project["requires-python"].split(".")[-1])
    copied = {name for rest in instructions("COPY") for name in shlex.split(rest)[:-1]}
    needed = _local_imports() | {"pyproject.toml", project["readme"]}
    assert {"bot", "index"} <= needed
    assert needed <= copied, f"not copied into the image: {needed - copied}"
    assert json.loads(instructions("CMD")[0]) == procfile("web")

    env = image_env()
    assert env.get("HF_HUB_OFFLINE") == "1"  # nothing reaches a model hub at start
    assert env.get("SUMMIT_CACHE_DIR", "").startswith("/") and not env["SUMMIT_CACHE_DIR"].startswith("/data")
    torch_pin = next(d for d in project["dependencies"] if d.startswith("torch=="))
    runs = instructions("RUN")
    assert any(torch_pin in r and "cpu" in r for r in runs), "the CPU build of the pinned torch"
    install = next(i for i, r in enumerate(runs) if "pip install ." in r)
    warm = [i for i, r in enumerate(runs) if "warm()" in r or "summit prepare" in r]
    assert warm and warm[0] > install, "a build step that prepares the model caches, after installing"
    assert "SUMMIT_DATA_DIR=/tmp" in runs[warm[0]], "warming must not write into the data volume"
    users = [i for i, (word, _) in enumerate(dockerfile()) if word == "USER"]
    assert users and instructions("USER")[-1] not in ("root", "0")


def test_dockerignore_keeps_secrets_and_data_out_but_not_what_is_copied():
    ignored = [line.strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    assert ".env" in ignored and "data" in ignored and ".git" in ignored
    copied = {name for rest in instructions("COPY") for name in shlex.split(rest)[:-1]}
    assert not copied & set(ignored)
