"""Engine settings, read from the environment the same way by every process.

Two processes pointed at one SUMMIT_DATA_DIR share one index.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
PACKAGED_MODEL_NAMES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "all-minilm-l6-v2"}


def read_float(env: dict, name: str, default: float) -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # "inf" and "nan" parse, and would fail far from here
        raise ConfigError(f"{name} must be a number, got {raw!r}")
    return value


def read_int(env: dict, name: str, default: int, minimum: int | None = None) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def read_between(env: dict, name: str, default: float, low: float, high: float) -> float:
    value = read_float(env, name, default)
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low:g} and {high:g}, got {env.get(name)!r}")
    return value


def read_bool(env: dict, name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def read_positive(env: dict, name: str, default: float) -> float:
    value = read_float(env, name, default)
    if value <= 0:
        raise ConfigError(f"{name} must be more than 0, got {env.get(name)!r}")
    return value


INGEST_ENCODERS = ("onnx", "torch")


def read_choice(env: dict, name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {env.get(name)!r}")
    return raw


def _model_name(raw: str | None) -> str:
    """One name per model, so the index's model check is not fooled by an alias."""
    name = (raw or "").strip()
    return DEFAULT_MODEL if not name or name in PACKAGED_MODEL_NAMES else name


def usable_cpus() -> int:
    """CPUs this process may use (its affinity where the platform tells; torch's default too)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _workers(env: dict) -> int:
    value = read_int(env, "SUMMIT_INGEST_WORKERS", 0)
    if value < 0:
        raise ConfigError(f"SUMMIT_INGEST_WORKERS must be 0 (one per CPU) or more, got {value}")
    return value


def _cache_dir(env: dict) -> Path:
    """SUMMIT_CACHE_DIR, else the user's cache folder: derived files that can be rebuilt, never in index/."""
    if env.get("SUMMIT_CACHE_DIR"):
        return Path(env["SUMMIT_CACHE_DIR"]).expanduser().resolve()
    base = env.get("XDG_CACHE_HOME") or Path(env.get("HOME") or Path.home()) / ".cache"
    return (Path(base).expanduser() / "summit").resolve()


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    model: str = DEFAULT_MODEL
    cache_dir: Path = Path("~/.cache/summit").expanduser()  # the model's ONNX export (see onnx_encoder)
    spacy_model: str = ""  # empty: the first installed English pipeline we know
    min_score: float = 0.42
    results: int = 5
    faiss_threads: int = 1
    flat_max: int = 200_000  # vectors kept in an exact flat index; above, IVF (measured: index/retrieval/ann.py)
    encode_batch: int = 16
    # What embeds passages and quote sentences at ingest: onnx (the model's ONNX export, the same
    # vectors as torch, less CPU) or torch (the reference, and the fallback for a model onnxruntime cannot run).
    ingest_encoder: str = "onnx"
    extract_quotes: bool = True
    # Processes that parse articles for quotes at ingest; 0: one per CPU. spaCy uses one core.
    ingest_workers: int = 0
    user_agent: str = "Mozilla/5.0 (compatible; SummitBot/0.1; newsroom archive bot)"
    fetch_connect_timeout: float = 5.0  # seconds
    fetch_timeout: float = 20.0  # seconds for a whole fetch, redirects included
    fetch_max_bytes: int = 5 * 1024 * 1024
    file_max_bytes: int = 5 * 1024 * 1024  # largest file `summit ingest` reads
    allow_private_urls: bool = False  # test-only: lets tests fetch from 127.0.0.1
    feed_interval: int = 15  # minutes between feed polls in the clock process
    feed_prune: bool = False  # remove an article when its entry leaves its feed
    # After warm-up (the Slack processes), keep the database and BM25 files mapped in memory so a
    # quiet spell never sends the next question to disk (index/storage/resident.py).
    keep_resident: bool = True

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("SUMMIT_DATA_DIR") or Path.cwd() / "data").expanduser()
        return cls(
            data_dir=data_dir.resolve(),
            model=_model_name(env.get("SUMMIT_MODEL")),
            cache_dir=_cache_dir(env),
            spacy_model=env.get("SUMMIT_SPACY_MODEL", ""),
            min_score=read_between(env, "SUMMIT_MIN_SCORE", cls.min_score, 0, 1),
            results=read_int(env, "SUMMIT_RESULTS", cls.results, minimum=1),
            faiss_threads=read_int(env, "SUMMIT_FAISS_THREADS", cls.faiss_threads, minimum=1),
            flat_max=read_int(env, "SUMMIT_FLAT_MAX", cls.flat_max, minimum=1),
            encode_batch=read_int(env, "SUMMIT_ENCODE_BATCH", cls.encode_batch, minimum=1),
            ingest_encoder=read_choice(env, "SUMMIT_INGEST_ENCODER", cls.ingest_encoder, INGEST_ENCODERS),
            extract_quotes=read_bool(env, "SUMMIT_EXTRACT_QUOTES", cls.extract_quotes),
            ingest_workers=_workers(env),
            user_agent=env.get("SUMMIT_USER_AGENT") or cls.user_agent,
            fetch_connect_timeout=read_positive(env, "SUMMIT_FETCH_CONNECT_TIMEOUT", cls.fetch_connect_timeout),
            fetch_timeout=read_positive(env, "SUMMIT_FETCH_TIMEOUT", cls.fetch_timeout),
            fetch_max_bytes=read_int(env, "SUMMIT_FETCH_MAX_BYTES", cls.fetch_max_bytes, minimum=1),
            file_max_bytes=read_int(env, "SUMMIT_FILE_MAX_BYTES", cls.file_max_bytes, minimum=1),
            allow_private_urls=read_bool(env, "SUMMIT_ALLOW_PRIVATE_URLS", cls.allow_private_urls),
            feed_interval=read_int(env, "SUMMIT_FEED_INTERVAL", cls.feed_interval, minimum=1),
            feed_prune=read_bool(env, "SUMMIT_FEED_PRUNE", cls.feed_prune),
            keep_resident=read_bool(env, "SUMMIT_KEEP_RESIDENT", cls.keep_resident),
        )
