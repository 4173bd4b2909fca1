"""Answers from an IVF index against the same archive's exact flat index, in one run.

    python -m bench.ivf_answers /tmp/summit-bench/index-100000 --flat-max 50000

Loads a bench data dir (flat below SUMMIT_FLAT_MAX), asks 100 search questions through
`Engine.ask`, then refits the same vectors as IVF with `VectorIndex.fit` (what a commit runs
when the archive passes SUMMIT_FLAT_MAX) and asks them again: recall@10 of the raw vector
search, the share of answer passages unchanged, and ask latency on both.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from . import engine_bench as eb
from .large_index import search_questions


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.ivf_answers")
    p.add_argument("data_dir", type=Path)
    p.add_argument("--flat-max", type=int, default=50_000, help="refit as if SUMMIT_FLAT_MAX were this")
    p.add_argument("--questions", type=int, default=100)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args(argv)
    engine = eb.make_engine(a.data_dir)
    engine.warm()
    snap = engine.searcher.refresh()
    questions = search_questions(a.questions, a.seed)
    qvecs = engine.query_encoder.encode(questions)

    def asked():
        for q in questions:  # warm-up
            engine.ask(q)
        passages, seconds = [], []
        for q in questions:
            t0 = time.perf_counter()
            answer = engine.ask(q)
            seconds.append(time.perf_counter() - t0)
            passages.append([(r.article.id, r.start) for r in answer.results])
        raw = [{i for i, _ in snap.vectors.search(v, 10)} for v in qvecs]
        return passages, seconds, raw

    flat_passages, flat_t, flat_raw = asked()
    t0 = time.perf_counter()
    snap.vectors = snap.vectors.fit(a.flat_max)
    fit_s = time.perf_counter() - t0
    ivf_passages, ivf_t, ivf_raw = asked()
    engine.close()
    pct = lambda ts, q: round(float(np.percentile(np.asarray(ts) * 1000, q)), 1)  # noqa: E731
    report = {
        "index": snap.vectors.describe(), "fit_s": round(fit_s, 1), "questions": len(questions),
        "vector_recall_at_10": round(statistics.fmean(len(f & i) / 10 for f, i in zip(flat_raw, ivf_raw)), 3),
        "answer_passages_unchanged": round(statistics.fmean(
            len(set(f) & set(i)) / max(1, len(f)) for f, i in zip(flat_passages, ivf_passages)), 3),
        "ask_flat_ms": {"p50": pct(flat_t, 50), "p95": pct(flat_t, 95)},
        "ask_ivf_ms": {"p50": pct(ivf_t, 50), "p95": pct(ivf_t, 95)},
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
