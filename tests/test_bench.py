"""The benchmarks still find the engine's files: `make quality` keys its cached archive by the
ingest modules' source, and the other benches import the engine's parts by path."""
from __future__ import annotations

import importlib


def test_the_quality_cache_key_reads_every_ingest_module():
    from bench import quality

    missing = [name for name in quality.INGEST_MODULES if not (quality.ROOT / "index" / f"{name}.py").exists()]
    assert not missing
    assert len(quality.ingest_hash()) == 12


def test_every_bench_imports():
    for name in ("bench.engine_bench", "bench.large_index", "bench.quality", "bench.quote_accuracy",
                 "bench.quote_speed", "bench.phrase_search", "bench.check_bench", "bench.bot_latency",
                 "bench.question_threads", "bench.ivf_answers", "bench.synthetic"):
        importlib.import_module(name)
