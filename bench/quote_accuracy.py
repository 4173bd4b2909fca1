"""Precision and recall of speaker attribution on a hand-labelled set of news paragraphs.

    .venv/bin/python -m bench.quote_accuracy [--verbose] [--labels bench/quotes_labelled.json]
    .venv/bin/python -m bench.quote_accuracy --polnear ../shared/eval-dev   # also the PolNeAR who-said set

A labelled quote counts as correct when an extracted quote of the same kind holds its words
and names the same speaker (names compared folded, without articles and titles).
Precision: correct / quotes given a speaker, including speakers given to unlabelled text.
Recall: correct / labelled quotes that have a speaker.

With --polnear, the articles of `polnear-dev/` are ingested into a temporary data folder
through the real Engine and every `q` of `polnear-dev-who.jsonl` is asked with Engine.ask.
Right: answered and an `accept` word is a token of the top-level speaker (tokens as in the
set's README; accents are dropped from the accept words too, so `gonzàlez` matches). Every wrong and declined item is listed, with its gold source as written.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from index.models.nlp import pipeline
from index.quotes.extraction import extract_many
from index.quotes.speakers import DETERMINERS, key, strip_titles

LABELS = Path(__file__).resolve().parent / "quotes_labelled.json"


def same_speaker(a: str | None, b: str | None) -> bool:
    def norm(name):
        words = list(key(name or ""))
        while words and words[0] in DETERMINERS:
            words = words[1:]
        return tuple(strip_titles(words))
    return bool(a) and bool(b) and norm(a) == norm(b)


def article(paragraphs: list[str]) -> tuple[str, list[tuple[int, int]]]:
    text, spans, pos = "\n\n".join(paragraphs), [], 0
    for p in paragraphs:
        spans.append((pos, pos + len(p)))
        pos += len(p) + 2
    return text, spans


def score(items: list[dict], extracted: list[list]) -> dict:
    correct = given = wanted = 0
    mistakes = []
    for item, found in zip(items, extracted):
        used = set()
        for label in item["quotes"]:
            hits = [i for i, q in enumerate(found) if q.kind == label["kind"] and label["words"] in q.text]
            quote = found[hits[0]] if hits else None
            used.update(hits[:1])
            got = quote.speaker if quote else None
            expected = label["speaker"]
            wanted += expected is not None
            given += got is not None
            if got is not None and same_speaker(got, expected):
                correct += 1
            elif got is not None or expected is not None:
                mistakes.append((label["words"], label["kind"], expected, got if quote else "(not extracted)"))
        for i, q in enumerate(found):
            if i not in used and q.speaker is not None:
                given += 1  # a speaker for words nobody labelled as a quote
                mistakes.append((q.text, q.kind, None, q.speaker))
    return {"precision": correct / given if given else 1.0, "recall": correct / wanted if wanted else 1.0,
            "correct": correct, "given": given, "wanted": wanted, "mistakes": mistakes}


def speaker_tokens(speaker: str | None) -> set[str]:
    """The scoring rule of eval-dev/README.md: straighten apostrophes, drop possessive 's and
    accents, lowercase, split on whitespace, hyphens, dots and commas."""
    text = (speaker or "").replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "", text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    return {t for t in re.split(r"[\s\-.,]+", text) if t}


def polnear(folder: Path, verbose: bool = True) -> dict:
    """Ask every who-said question of the PolNeAR dev set through a real Engine."""
    from index import Engine, Settings

    items = [json.loads(line) for line in (folder / "polnear-dev-who.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    right, wrong, declined = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine(Settings.from_env({"SUMMIT_DATA_DIR": tmp}))
        try:
            started = time.perf_counter()
            engine.ingest([folder / "polnear-dev"])
            ingest_s = time.perf_counter() - started
            for item in items:
                answer = engine.ask(item["q"])
                if not answer.answered:
                    declined.append((item, answer))
                elif {t for a in item["accept"] for t in speaker_tokens(a)} & speaker_tokens(answer.speaker):
                    right.append((item, answer))
                else:
                    wrong.append((item, answer))
        finally:
            engine.close()
    answered = len(right) + len(wrong)
    print(f"polnear who-said: {len(items)} questions, ingest {ingest_s:.1f} s")
    print(f"  right {len(right)}, wrong {len(wrong)}, declined {len(declined)}")
    print(f"  precision {len(right) / max(1, answered):.3f} ({len(right)}/{answered}), "
          f"coverage {answered / max(1, len(items)):.3f} ({answered}/{len(items)})")
    if verbose:
        for label, rows in (("WRONG", wrong), ("DECLINED", declined)):
            for item, answer in rows:
                print(f"  {label:8} {item['q']!r} gold={item['gold']!r} accept={item['accept']} "
                      f"got={answer.speaker!r} | {answer.message[:120]}  [{item['article'][:40]}]")
    return {"right": len(right), "wrong": len(wrong), "declined": len(declined), "total": len(items)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quote_accuracy", description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    parser.add_argument("--polnear", type=Path, metavar="EVAL_DEV",
                        help="also score the who-said questions of this eval-dev folder")
    args = parser.parse_args(argv)
    items = json.loads(args.labels.read_text(encoding="utf-8"))["items"]
    nlp = pipeline()
    started = time.perf_counter()
    extracted = extract_many([article(item["paragraphs"]) for item in items], nlp)
    elapsed = time.perf_counter() - started
    result = score(items, extracted)
    print(f"items: {len(items)}, labelled quotes: {sum(len(i['quotes']) for i in items)}, "
          f"with a speaker: {result['wanted']}")
    print(f"precision: {result['precision']:.3f} ({result['correct']}/{result['given']} speakers given are right)")
    print(f"recall:    {result['recall']:.3f} ({result['correct']}/{result['wanted']} labelled speakers found)")
    print(f"extraction: {elapsed:.2f} s")
    if args.verbose:
        for words, kind, expected, got in result["mistakes"]:
            print(f"  {kind:8} {words[:50]!r}: expected {expected!r}, got {got!r}")
    if args.polnear:
        polnear(args.polnear)
    return 0


if __name__ == "__main__":
    sys.exit(main())
