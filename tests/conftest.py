"""Shared fixtures: a real model, a real SQLite file and a real FAISS index in a temp folder."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "corpus"
SHARED = ROOT.parent / "shared"


def settings_for(data_dir: Path, **overrides):
    from index import Settings

    env = {"SUMMIT_DATA_DIR": str(data_dir), **{k: str(v) for k, v in overrides.items()}}
    return Settings.from_env(env)


@pytest.fixture
def slack():
    """A fake Slack Web API and response_url on 127.0.0.1 that records every call."""
    from fake_slack import FakeSlack

    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def site():
    """A local web site serving the pages and feeds a test sets up."""
    from local_site import LocalSite

    s = LocalSite()
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory):
    """One engine over the demo corpus, shared by read-only tests (the model loads once)."""
    from index import Engine

    engine = Engine(settings_for(tmp_path_factory.mktemp("demo-data")))
    engine.ingest([DEMO])
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def embedder(demo_engine):
    return demo_engine.embedder


@pytest.fixture
def fresh_engine(tmp_path, demo_engine):
    """An empty engine in its own data folder that reuses the loaded model."""
    from index import Engine

    engine = Engine(settings_for(tmp_path / "data"))
    engine.__dict__["embedder"] = demo_engine.embedder  # cached_property: share the loaded models
    engine.__dict__["ingest_encoder"] = demo_engine.ingest_encoder
    yield engine
    engine.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


def run_summit(*args, data_dir: Path, input: str | None = None, env: dict | None = None,
               timeout: float = 180) -> subprocess.CompletedProcess:
    """Run the real `summit` console script in a subprocess."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}  # only what a test sets
    full_env = {**inherited, "SUMMIT_DATA_DIR": str(data_dir), **(env or {})}
    exe = Path(sys.executable).parent / "summit"
    return subprocess.run([str(exe), *args], input=input, capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=ROOT)
