"""Engine settings, read from the environment the same way by every process.

Two processes pointed at one SUMMIT_DATA_DIR share one index.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
PACKAGED_MODEL_NAMES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "all-minilm-l6-v2"}


def _float(env: dict, name: str, default: float) -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def _bool(env: dict, name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _model_name(raw: str | None) -> str:
    """One name per model, so the index's model check is not fooled by an alias."""
    name = (raw or "").strip()
    return DEFAULT_MODEL if not name or name in PACKAGED_MODEL_NAMES else name


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    model: str = DEFAULT_MODEL
    spacy_model: str = ""  # empty: the first installed English pipeline we know
    min_score: float = 0.42
    results: int = 5
    faiss_threads: int = 1
    encode_batch: int = 16
    extract_quotes: bool = True

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("SUMMIT_DATA_DIR") or Path.cwd() / "data").expanduser()
        return cls(
            data_dir=data_dir.resolve(),
            model=_model_name(env.get("SUMMIT_MODEL")),
            spacy_model=env.get("SUMMIT_SPACY_MODEL", ""),
            min_score=_float(env, "SUMMIT_MIN_SCORE", cls.min_score),
            results=_int(env, "SUMMIT_RESULTS", cls.results),
            faiss_threads=_int(env, "SUMMIT_FAISS_THREADS", cls.faiss_threads),
            encode_batch=_int(env, "SUMMIT_ENCODE_BATCH", cls.encode_batch),
            extract_quotes=_bool(env, "SUMMIT_EXTRACT_QUOTES", cls.extract_quotes),
        )
