"""Question embedding on 1 and 2 onnxruntime threads, alternating in one process, idle and
with another process busy on one core (engine.QUESTION_THREADS).

    python -m bench.question_threads
"""
from __future__ import annotations

import multiprocessing as mp
import time

import numpy as np

from index import Settings
from index.models import onnx_encoder

from .large_index import search_questions


def _burn(stop) -> None:
    while not stop.is_set():
        sum(i * i for i in range(10_000))


def main() -> int:
    settings, questions = Settings.from_env(), search_questions(100, 3)
    encoders = {n: onnx_encoder.load(settings, threads=n) for n in (1, 2)}
    for encoder in encoders.values():
        for q in questions[:10]:
            encoder.encode_query(q)  # warm-up
    for label in ("idle", "another process busy on one core"):
        stop, busy = mp.Event(), None
        if label != "idle":
            busy = mp.Process(target=_burn, args=(stop,))
            busy.start()
            time.sleep(1)
        ms: dict[int, list[float]] = {1: [], 2: []}
        for r in range(3):
            for q in questions:
                for n in ((1, 2) if r % 2 == 0 else (2, 1)):  # alternate which goes first
                    t0 = time.perf_counter()
                    encoders[n].encode_query(q)
                    ms[n].append((time.perf_counter() - t0) * 1000)
        if busy is not None:
            stop.set()
            busy.join()
        print(f"{label}: " + ", ".join(f"{n} thread(s) p50 {np.percentile(v, 50):.1f} / p95 {np.percentile(v, 95):.1f} ms"
                                       for n, v in ms.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
