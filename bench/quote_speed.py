"""Ingest speed with and without quote extraction (SUMMIT_EXTRACT_QUOTES), same articles, same models.

    .venv/bin/python -m bench.quote_speed [--articles 60] [--rounds 3]

Articles are assembled from the demo article and the labelled paragraphs in
bench/quotes_labelled.json, shuffled so that each is distinct. Models load before timing
(their one-off load times are printed apart); each round ingests into fresh data folders.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from index import Engine, Settings
from index.sources.documents import from_text, load_file

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "corpus" / "north-korea-russia-summit.txt"
LABELS = Path(__file__).resolve().parent / "quotes_labelled.json"


def corpus(n: int, seed: int = 7) -> list:
    demo = load_file(DEMO)
    pool = [demo.text[s:e] for s, e in demo.paragraphs]
    pool += [p for item in json.loads(LABELS.read_text(encoding="utf-8"))["items"] for p in item["paragraphs"]]
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        paragraphs = rng.sample(pool, k=min(12, len(pool)))
        docs.append(from_text(f"Bench article {i}\n\n" + "\n\n".join(paragraphs), source=f"bench://{i}"))
    return docs


def timed_ingest(docs, extract: bool, embedder) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = {"SUMMIT_DATA_DIR": tmp, "SUMMIT_EXTRACT_QUOTES": str(extract).lower()}
        engine = Engine(Settings.from_env(env))
        engine.__dict__["embedder"] = embedder
        try:
            started = time.perf_counter()
            engine.ingest_documents(docs)
            return time.perf_counter() - started
        finally:
            engine.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quote_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    docs = corpus(args.articles)
    words = sum(len(d.text.split()) for d in docs)

    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine(Settings.from_env({"SUMMIT_DATA_DIR": tmp}))
        started = time.perf_counter()
        embedder = engine.embedder
        embedder.encode(["warm up"])
        embed_load = time.perf_counter() - started
        started = time.perf_counter()
        engine.nlp("warm up")
        spacy_load = time.perf_counter() - started
        engine.close()

    without, with_quotes = [], []
    for _ in range(args.rounds):  # alternate, so drift hits both the same
        without.append(timed_ingest(docs, False, embedder))
        with_quotes.append(timed_ingest(docs, True, embedder))
    best_without, best_with = min(without), min(with_quotes)
    print(f"articles: {len(docs)}, words: {words:,}, rounds: {args.rounds} (best of each)")
    print(f"model load (once per process): embedding {embed_load:.2f} s, spaCy {spacy_load:.2f} s")
    print(f"ingest without quotes: {best_without:.2f} s ({len(docs) / best_without:.1f} articles/s)")
    print(f"ingest with quotes:    {best_with:.2f} s ({len(docs) / best_with:.1f} articles/s)")
    print(f"slowdown: {best_with / best_without:.2f}x (target: at most 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
