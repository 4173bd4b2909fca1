"""Quote extraction for one long article (a transcript): one process against the paragraphs
parsed by every core (extract_parallel), same article, same pipeline, in the same run.

    .venv/bin/python -m bench.long_article [--chars 300000] [--rounds 3]

The article is the demo article's and the labelled set's paragraphs, shuffled and repeated
to the length asked. Both ways must find the very same quotes.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from index.models.nlp import pipeline
from index.quotes.extraction import extract_many, extract_parallel
from index.settings import usable_cpus
from index.sources.documents import from_text

from .quote_speed import corpus


def long_article(chars: int, seed: int = 7):
    pool = [doc.text[s:e] for doc in corpus(20, seed) for s, e in doc.paragraphs]
    rng, paragraphs, size = random.Random(seed), [], 0
    while size < chars:
        paragraphs.append(rng.choice(pool))
        size += len(paragraphs[-1]) + 2
    return from_text("Bench transcript\n\n" + "\n\n".join(paragraphs), source="bench://long")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.long_article", description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    nlp = pipeline()
    doc = long_article(args.chars)
    article = [(doc.text, doc.paragraphs)]
    print(f"one article: {len(doc.text):,} characters, {len(doc.paragraphs)} paragraphs; {usable_cpus()} CPUs")
    one, split, same = [], [], True
    for _ in range(args.rounds):
        started = time.perf_counter()
        alone = extract_many(article, nlp)
        one.append(time.perf_counter() - started)
        started = time.perf_counter()
        shared = extract_parallel(article, nlp)
        split.append(time.perf_counter() - started)
        same = same and alone == shared
    ratio = statistics.median(one) / statistics.median(split)
    print(f"one process  median {statistics.median(one):6.2f} s  ({len(alone[0])} quotes)")
    print(f"all cores    median {statistics.median(split):6.2f} s  same quotes: {same}")
    print(f"speed-up {ratio:.2f}x")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
