"""`python -m bench` (or `make bench BENCH_ARGS=...`): the engine benchmark for issue 2.

    python -m bench                        # ingest, 1k/10k/100k query latency, cold start
    python -m bench --quick                # fewer rounds, 1k and 10k only (~2 min)
    python -m bench --only query --sizes 100000

Prints a table and writes bench/results/engine-<timestamp>.json. Built indexes are kept in
--work-dir and reused by later runs with the same size and seed (--fresh rebuilds them).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"ingest_ratio": 0.85, "ingest_ratio_int8": 2.0, "p95_ms": {10_000: 30.0, 100_000: 60.0}, "cold_s": 1.0, "cold_rss_mb": 250}


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench", description="Summit engine benchmark (issue 2).")
    p.add_argument("--sizes", default=None, help="index sizes in chunks, comma-separated (default 1000,10000,100000)")
    p.add_argument("--quick", action="store_true", help="fewer rounds and no 100k: a smoke run")
    p.add_argument("--only", default="ingest,query,cold", help="sections to run: ingest, query, cold")
    p.add_argument("--articles", type=int, default=None, help="articles in the ingest corpus (default 36)")
    p.add_argument("--rounds", type=int, default=None, help="ingest rounds, alternating sides (default 5)")
    p.add_argument("--ingest-threads", type=int, default=None,
                   help="torch and onnxruntime threads in the ingest section (default: every CPU)")
    p.add_argument("--questions", type=int, default=None, help="distinct questions per size (default 60)")
    p.add_argument("--query-rounds", type=int, default=None, help="times each question is asked (default 5)")
    p.add_argument("--cold-runs", type=int, default=None, help="cold-start runs (default 5)")
    p.add_argument("--real-max", type=int, default=1000, help="sizes up to this use real embeddings")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--work-dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "summit-bench")
    p.add_argument("--fresh", action="store_true", help="rebuild indexes even if --work-dir has them")
    p.add_argument("--wait-idle", type=float, default=180.0,
                   help="before each measurement wait up to this many seconds for other processes "
                        "to leave the CPUs idle (0: don't wait)")
    p.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/engine-<time>.json)")
    a = p.parse_args(argv)
    a.sizes = [int(s) for s in (a.sizes or ("1000,10000" if a.quick else "1000,10000,100000")).split(",") if s]
    for name, full, quick in [("articles", 36, 16), ("rounds", 5, 2), ("questions", 60, 30),
                              ("query_rounds", 5, 2), ("cold_runs", 5, 2)]:
        if getattr(a, name) is None:
            setattr(a, name, quick if a.quick else full)
    a.only = {s.strip() for s in a.only.split(",") if s.strip()}
    return a


def machine() -> dict:
    import faiss
    import onnxruntime
    import sentence_transformers
    import torch

    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        import bm25s
        bm25s_version = bm25s.__version__
    except AttributeError:
        bm25s_version = "?"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = ""
    return {"cpu": cpu, "cpus": os.cpu_count(), "python": platform.python_version(), "torch": torch.__version__,
            "torch_threads": torch.get_num_threads(), "sentence_transformers": sentence_transformers.__version__,
            "faiss": faiss.__version__, "onnxruntime": onnxruntime.__version__, "bm25s": bm25s_version, "git": commit}


def main(argv=None) -> int:
    args = parse_args(argv)
    from . import engine_bench as eb

    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    args.work_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    report = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "command": "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv),
              "args": {k: (sorted(v) if isinstance(v, set) else str(v) if isinstance(v, Path) else v)
                       for k, v in vars(args).items()},
              "machine": machine()}

    report["load_before"] = os.getloadavg()
    if report["load_before"][0] > 0.5 * (os.cpu_count() or 1):
        log(f"warning: load average {report['load_before'][0]:.1f} on {os.cpu_count()} CPUs: "
            "other processes are running, so absolute times will be inflated")
    log("loading the model…")
    loader = eb.make_engine(args.work_dir / "loader")
    embedder = loader.embedder
    loader.close()

    if "ingest" in args.only:
        log(f"ingest throughput ({args.articles} articles, {args.rounds} rounds)…")
        idle = eb.wait_idle(args.wait_idle, log=log)
        report["ingest"] = eb.ingest_throughput(embedder, args.work_dir, args.articles, args.rounds, args.seed, log,
                                                threads=args.ingest_threads)
        report["ingest"]["idle_wait"] = idle

    dirs = {}
    if "query" in args.only or "cold" in args.only:
        for size in args.sizes if "query" in args.only else args.sizes[:1]:
            log(f"index of {size:,} chunks…")
            dirs[size] = eb.prepare_index(size, embedder, args.work_dir, args.seed, args.real_max, args.fresh, log)
    if "query" in args.only:
        report["query"] = []
        for size, (data, build) in dirs.items():
            log(f"query latency at {size:,} chunks ({args.questions} questions × {args.query_rounds})…")
            idle = eb.wait_idle(args.wait_idle, log=log)
            res = eb.query_latency(size, data, embedder, args.questions, args.query_rounds, args.seed, log)
            res["build"], res["idle_wait"] = build, idle
            report["query"].append(res)
            log(f"  ask p50 {res['ask']['p50_ms']} ms, p95 {res['ask']['p95_ms']} ms")

    if "cold" in args.only:
        size = min(dirs)
        data = dirs[size][0]
        engine = eb.make_engine(data, embedder)
        question = next(q for kind, q in eb.make_questions(engine, 40, args.seed) if kind == "search")
        engine.close()
        log(f"cold start ({args.cold_runs} runs, index of {size:,} chunks)…")
        idle = eb.wait_idle(args.wait_idle, log=log)
        report["cold_start"] = {**eb.cold_start(data, question, args.cold_runs, log), "index_chunks": size,
                                "idle_wait": idle}

    report["load_after"] = os.getloadavg()
    report["elapsed_s"] = round(time.time() - started, 1)
    report["targets"] = check_targets(report)
    out = args.out or RESULTS / f"engine-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(table(report))
    print(f"\nJSON: {out}  ({report['elapsed_s']} s)")
    return 0


def check_targets(report: dict) -> dict:
    out = {}
    if "ingest" in report:
        for tag, want in (("off", TARGETS["ingest_ratio"]), ("on", TARGETS["ingest_ratio"]),
                          ("on_int8", TARGETS["ingest_ratio_int8"])):
            r = report["ingest"][f"ratio_quotes_{tag}"]
            out[f"ingest_ratio_quotes_{tag}"] = {"value": r, "target": f">= {want}", "pass": r >= want}
            c = report["ingest"][f"cpu_ratio_quotes_{tag}"]  # steadier than wall time on a shared machine
            out[f"ingest_cpu_ratio_quotes_{tag}"] = {"value": c, "target": f">= {want}", "pass": c >= want}
    for q in report.get("query", []):
        limit = TARGETS["p95_ms"].get(q["size"])
        if limit is not None:
            out[f"p95_{q['size']}"] = {"value": q["ask"]["p95_ms"], "target": f"<= {limit} ms",
                                       "pass": q["ask"]["p95_ms"] <= limit}
            for kind, k in q["by_kind"].items():  # every intent, not just the mix
                out[f"p95_{q['size']}_{kind}"] = {"value": k["p95_ms"], "target": f"<= {limit} ms",
                                                  "pass": k["p95_ms"] <= limit}
    if "cold_start" in report:
        c = report["cold_start"]
        s, m = c["median_s"]["summit_ask"], c["peak_rss_mb"]["summit_ask"]
        out["cold_start_s"] = {"value": s, "target": f"<= {TARGETS['cold_s']} s", "pass": s <= TARGETS["cold_s"]}
        out["cold_start_rss_mb"] = {"value": m, "target": f"<= {TARGETS['cold_rss_mb']} MB",
                                    "pass": m <= TARGETS["cold_rss_mb"]}
    return out


def _quiet(section: dict) -> str:
    """Whether other processes left the CPUs idle before this measurement started."""
    idle = section.get("idle_wait", {}).get("idle")
    return "-" if idle is None else "yes" if idle else "NO"


def table(report: dict) -> str:
    lines = ["", "Engine benchmark (issue 2)", ""]
    if "ingest" in report:
        r = report["ingest"]
        c = r["chunks_per_s"]
        lines += [f"Ingest: {r['chunks']} chunks from {r['articles']} articles, batch {r['batch_size']}, "
                  f"{r.get('threads', '?')} thread(s), "
                  f"median of {r['rounds']} alternating rounds (quiet: {_quiet(r)})",
                  f"  {'side':<22}{'chunks/s':>10}{'ratio':>8}{'paired':>8}{'cpu':>8}",
                  f"  {'raw encode':<22}{c['encode']:>10.1f}{1:>8.2f}{1:>8.2f}{1:>8.2f}"]
        for tag in ("off", "on", "on_int8"):
            lines.append(f"  {'ingest, quotes ' + tag:<22}{c['ingest_quotes_' + tag]:>10.1f}{r['ratio_quotes_' + tag]:>8.2f}"
                         f"{r['paired_ratio_quotes_' + tag]:>8.2f}{r['cpu_ratio_quotes_' + tag]:>8.2f}")
        lines += ["  (ratio: of median rates; paired: median of per-round ratios; cpu: of median CPU seconds)",
                  "  (raw encode: torch SentenceTransformer.encode; ingest encoders: "
                  + ", ".join(f"{k.removeprefix('ingest_')} {v}" for k, v in r.get("encoders", {}).items()) + ")", ""]
    if report.get("query"):
        lines += ["Query latency, in-process engine.ask (ms)",
                  f"  {'chunks':>8} {'vectors':>9} {'ask p50':>8} {'ask p95':>8} {'embed p50':>10} "
                  f"{'faiss p50':>10} {'bm25 p50':>9} {'build s':>8} {'quiet':>6}"]
        for q in report["query"]:
            lines.append(f"  {q['chunks']:>8,} {q['build']['vectors']:>9} {q['ask']['p50_ms']:>8.1f} "
                         f"{q['ask']['p95_ms']:>8.1f} {q['embed_query']['p50_ms']:>10.1f} "
                         f"{q['faiss_search']['p50_ms']:>10.2f} {q['bm25_search']['p50_ms']:>9.2f} "
                         f"{q['build']['build_s']:>8} {_quiet(q):>6}")
        lines.append("")
        for q in report["query"]:
            kinds = ", ".join(f"{k} {v['p50_ms']:.0f}/{v['p95_ms']:.0f}" for k, v in q["by_kind"].items())
            lines.append(f"  {q['chunks']:>8,} by kind (p50/p95 ms): {kinds}")
        lines.append("")
    if "cold_start" in report:
        c = report["cold_start"]
        m, x = c["median_s"], c["median_exit_s"]
        r = c["peak_rss_mb"]
        lines += [f"Cold start, median of {c['runs']} (quiet: {_quiet(c)}), seconds to first output line / to exit, peak RSS:",
                  f"  summit ask --json (first answer)        {m['summit_ask']:>6.2f} / {x['summit_ask']:.2f}  {r['summit_ask']} MB",
                  f"  python -c 'import sentence_transformers' {m['import_sentence_transformers']:>6.2f} / "
                  f"{x['import_sentence_transformers']:.2f}  {r['import_sentence_transformers']} MB",
                  f"  python -c 'print()'                      {m['python']:>6.2f} / {x['python']:.2f}  {r['python']} MB", ""]
    lines.append("Load average (1/5/15 min) before: %.1f/%.1f/%.1f, after: %.1f/%.1f/%.1f on %d CPUs" % (
        *report["load_before"], *report["load_after"], report["machine"]["cpus"]))
    for name, t in report.get("targets", {}).items():
        lines.append(f"  target {name}: {t['value']} (want {t['target']}) -> {'PASS' if t['pass'] else 'FAIL'}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
