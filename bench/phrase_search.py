"""Phrase search in a big archive (issue 12): a phrase in thousands of passages must never
hide the newest article's quote of it.

    .venv/bin/python -m bench.phrase_search [--chunks 100000] [--every 20] [--rounds 60]

Builds `--chunks` synthetic chunks through the engine's own storage path
(bench.large_index), with "harbour tax" planted in narration in one passage of every
`--every`, then ingests one new article through the whole pipeline (real embeddings, real
quote extraction) in which Zed Newman is quoted saying it. Then it times, in the same run:
- `who said "harbour tax"` (must name Zed Newman),
- a who-said of a phrase that one quote holds (the baseline: same index, a small candidate set),
- a search for the quoted phrase, and a who-said of a phrase found only in narration,
and replays the old rule (the 500 lowest chunk ids) to show what it answered.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from index.sources.documents import from_text
from index.retrieval.matching import PhraseFinder

from . import large_index
from .engine_bench import make_engine, wait_idle

PHRASE = "harbour tax"
NARRATION = " Councillors discussed the harbour tax again."
NEW_ARTICLE = ("Harbour levy row reaches council\n\n"
               "The council met on Tuesday to vote on next year's budget for the port.\n\n"
               "“The harbour tax is a disgrace to every fisherman in this town,” said Zed Newman, "
               "who chairs the fishermen's association.\n\n"
               "“We will take this to court,” Quill Ambrose, the association's lawyer, told reporters.")
ONE_QUOTE = "take this to court"


def old_rule_finds_newest(engine, phrase: str) -> bool:
    """What the archive answered before: candidates cut to the 500 lowest chunk ids."""
    searcher = engine.searcher
    ids = sorted(searcher.phrase_chunk_ids(phrase))[:500]
    rows = engine.store.chunks(ids)
    finder = PhraseFinder(phrase)
    for row in rows.values():
        for m in finder.find(row.text, base=row.start):
            if engine.store.quotes_covering(row.article_id, m.start, m.end):
                return True
    return False


def timed(engine, question: str, rounds: int) -> tuple[list[float], dict]:
    engine.ask(question)  # warm: snapshot loaded, caches filled
    samples, answer = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        answer = engine.ask(question)
        samples.append(time.perf_counter() - t0)
    return samples, answer.to_dict()


def stats(samples: list[float]) -> dict:
    ms = np.asarray(samples) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 1), "p95_ms": round(float(np.percentile(ms, 95)), 1),
            "n": len(samples)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.phrase_search")
    p.add_argument("--chunks", type=int, default=100_000)
    p.add_argument("--every", type=int, default=20, help="plant the phrase in one passage of this many")
    p.add_argument("--rounds", type=int, default=60)
    p.add_argument("--wait-idle", type=float, default=120.0)
    a = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="summit-phrase-") as tmp:
        engine = make_engine(Path(tmp) / "data")
        planted = 0

        def plant(first: int, paras: list[str]) -> list[str]:
            nonlocal planted
            out = []
            for n, para in enumerate(paras, first):
                if n % a.every == 0:
                    para, planted = para + NARRATION, planted + 1
                out.append(para)
            return out

        build = large_index.build(engine, a.chunks, edit=plant)
        result = engine.ingest_documents([from_text(NEW_ARTICLE, source="bench://newest")])[0]
        print(f"  planted “{PHRASE}” in {planted:,} passages; newest article: {result.chunks} chunks, "
              f"{result.quotes} quotes")
        quiet = wait_idle(a.wait_idle)
        cases = {
            "who_said_frequent": f'who said "{PHRASE}"',
            "who_said_one_quote (baseline)": f'who said "{ONE_QUOTE}"',
            "search_phrase": f'news about the "{PHRASE}"',
            "who_said_narration_only": 'who said "discussed the harbour tax again"',
        }
        out = {"chunks": build["chunks"] + result.chunks, "passages_with_phrase": planted + 1,
               "quiet": quiet, "cases": {}}
        order = list(cases.items())
        samples = {name: [] for name in cases}
        answers = {}
        for r in range(a.rounds // 10):  # interleaved, so load changes hit every case alike
            for name, question in order:
                s, answers[name] = timed(engine, question, 10)
                samples[name].extend(s)
        for name, question in order:
            ans = answers[name]
            out["cases"][name] = {"question": question, **stats(samples[name]), "answered": ans["answered"],
                                  "speaker": ans["speaker"], "message": ans["message"][:120]}
        out["old_rule_finds_newest_quote"] = old_rule_finds_newest(engine, PHRASE)
        engine.close()
    print(json.dumps(out, indent=2, ensure_ascii=False))
    frequent = out["cases"]["who_said_frequent"]
    ok = frequent["speaker"] == "Zed Newman" and frequent["p95_ms"] <= 60
    print(f"who said “{PHRASE}” at {out['chunks']:,} chunks, phrase in {out['passages_with_phrase']:,} passages: "
          f"{frequent['speaker']}, p95 {frequent['p95_ms']} ms -> {'pass' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
