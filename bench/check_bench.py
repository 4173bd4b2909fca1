"""Latency of `Engine.check` (issue 13) at 10k chunks, beside `who said` on the same words.

    .venv/bin/python -m bench.check_bench [--size 10000] [--checks 60] [--rounds 5] [--wait-idle 180]

The index is synthetic news prose (bench.large_index) with its quotes extracted for real,
built once in --work-dir and reused. The checks are drawn from the stored quotes: verbatim
words, the same with one word changed (altered), with a person named (right or wrong), short
two-word variants (which embed their candidates) and words the archive never contains. The
baseline, measured in the same rounds, is `Engine.ask('who said "…"')` on the same words:
the phrase search both share. Prints a table and writes bench/results/check-<time>.json.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import time
from datetime import datetime, timezone
from pathlib import Path

from . import large_index
from .engine_bench import ABSENT_PHRASES, cached_index, make_engine, ms_stats, wait_idle

RESULTS = Path(__file__).resolve().parent / "results"
MANIFEST = "check-bench-manifest.json"
TARGET_P95_MS = 50.0


def prepare(size: int, work: Path, seed: int, embedder, fresh: bool, log=print) -> tuple[Path, dict]:
    """Built once (check-bench-manifest.json) and reused."""
    wanted = {"version": 1, "size": size, "seed": seed}
    return cached_index(work / f"check-index-{size}", wanted,
                        lambda engine: large_index.build(engine, size, seed=seed, log=log, quotes=True),
                        embedder, fresh, log, manifest=MANIFEST)


def make_checks(engine, n: int, seed: int) -> list[tuple[str, str, str | None]]:
    """(kind, words, person) triples drawn from the stored quotes."""
    rng = random.Random(seed + 13)
    quotes = [q for q in engine.store.quotes() if len(re.findall(r"[^\W_]+", q.quote)) >= 4]
    speakers = sorted({q.speaker for q in quotes if q.speaker})
    out: list[tuple[str, str, str | None]] = []
    while len(out) < n:
        q = rng.choice(quotes)
        words = re.findall(r"[^\W_]+", q.quote)
        k = min(len(words), rng.randint(4, 8))
        i = rng.randrange(len(words) - k + 1)
        span = words[i:i + k]
        roll = rng.random()
        if roll < 0.3:
            out.append(("verbatim", " ".join(span), None))
        elif roll < 0.5:
            j = rng.randrange(len(span))
            changed = span[:j] + ["marmalade"] + span[j + 1:]
            out.append(("altered", " ".join(changed), None))
        elif roll < 0.7 and q.speaker:
            person = q.speaker if rng.random() < 0.5 else rng.choice(speakers)
            out.append(("with_person", " ".join(span), person))
        elif roll < 0.85:
            j = rng.randrange(len(words) - 1)
            out.append(("short_altered", f"{words[j]} marmalade", None))
        else:
            out.append(("not_found", rng.choice(ABSENT_PHRASES), None))
    return out


def measure(data: Path, embedder, n_checks: int, rounds: int, seed: int, log=print) -> dict:
    engine = make_engine(data, embedder)
    engine.warm()
    checks = make_checks(engine, n_checks, seed)
    for _, words, person in checks:  # warm-up: caches, page cache, lazy imports
        engine.check(words, person)
    check_t, who_t, embed_t, check_cpu, who_cpu = [], [], [], [], []
    by_kind: dict[str, list[float]] = {}
    verdicts: dict[str, dict[str, int]] = {}
    for r in range(rounds):
        for kind, words, person in checks:
            sides = [("check", lambda: engine.check(words, person)), ("who_said", lambda: engine.ask(f'who said "{words}"')),
                     ("embed", lambda: embedder.encode_query(words))]
            for name, run in (sides if r % 2 == 0 else sides[::-1]):  # alternate the order each round
                t0, c0 = time.perf_counter(), time.process_time()
                result = run()
                dt, cpu = time.perf_counter() - t0, time.process_time() - c0
                if name == "check":
                    check_t.append(dt)
                    check_cpu.append(cpu)
                    by_kind.setdefault(kind, []).append(dt)
                    counts = verdicts.setdefault(kind, {})
                    counts[result.verdict] = counts.get(result.verdict, 0) + 1
                elif name == "who_said":
                    who_t.append(dt)
                    who_cpu.append(cpu)
                else:
                    embed_t.append(dt)
    chunks = engine.stats()["chunks"]
    engine.close()
    check, who = ms_stats(check_t), ms_stats(who_t)
    return {"chunks": chunks, "checks": len(checks), "rounds": rounds, "check": check, "who_said": who,
            "embed_query": ms_stats(embed_t), "check_cpu": ms_stats(check_cpu), "who_said_cpu": ms_stats(who_cpu),
            "check_over_who_said_p50": round(check["p50_ms"] / who["p50_ms"], 2),
            "check_over_who_said_p95": round(check["p95_ms"] / who["p95_ms"], 2),
            "by_kind": {k: {**ms_stats(v), "verdicts": verdicts[k]} for k, v in sorted(by_kind.items())}}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.check_bench", description=__doc__.split("\n")[0])
    p.add_argument("--size", type=int, default=10_000, help="chunks in the index (default 10000)")
    p.add_argument("--checks", type=int, default=60, help="distinct checks (default 60)")
    p.add_argument("--rounds", type=int, default=5, help="times each check is run (default 5)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--wait-idle", type=float, default=180, help="seconds to wait for idle CPUs first")
    p.add_argument("--work-dir", type=Path, default=Path("/tmp/summit-bench"))
    p.add_argument("--fresh", action="store_true", help="rebuild the index")
    args = p.parse_args(argv)

    from index.models.embedding import Embedder
    from index.settings import Settings

    args.work_dir.mkdir(parents=True, exist_ok=True)
    embedder = Embedder(Settings.from_env().model)
    print(f"index of {args.size:,} chunks with quotes…")
    data, build = prepare(args.size, args.work_dir, args.seed, embedder, args.fresh)
    idle = wait_idle(args.wait_idle)
    out = measure(data, embedder, args.checks, args.rounds, args.seed)
    out.update({"build": build, "idle": idle, "target_p95_ms": TARGET_P95_MS,
                "date": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"check-{datetime.now(timezone.utc).strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(out, indent=2))
    print(f"\n{out['chunks']:,} chunks, {build['quotes']:,} quotes; {out['checks']} checks × {out['rounds']} rounds; "
          f"CPUs quiet: {'yes' if idle.get('idle') else 'NO'}")
    print(f"{'side':<22}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    rows = [("check", out["check"]), ("who said (baseline)", out["who_said"]), ("embed query", out["embed_query"]),
            ("check, CPU time", out["check_cpu"]), ("who said, CPU time", out["who_said_cpu"])]
    rows += [(f"  check: {k}", v) for k, v in out["by_kind"].items()]
    for name, s in rows:
        print(f"{name:<22}{s['p50_ms']:>9}{s['p95_ms']:>9}{s['max_ms']:>9}")
    print(f"check / who said: p50 {out['check_over_who_said_p50']}, p95 {out['check_over_who_said_p95']}; "
          f"target check p95 ≤ {TARGET_P95_MS:.0f} ms: {'met' if out['check']['p95_ms'] <= TARGET_P95_MS else 'MISSED'}")
    for k, v in out["by_kind"].items():
        print(f"  verdicts, {k}: {v['verdicts']}")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
