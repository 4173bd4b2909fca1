"""Slack bot latency over real HTTP: ack (request in -> HTTP 200) and answer (request in ->
the response_url post arrives at a local fake of Slack), p50 and p95.

    .venv/bin/python -m bench.bot_latency [--chunks 10000] [--requests 200] [--json bench/results/bot_latency.json]

Runs the real WSGI app (bot.web.create_app) on a threading server on 127.0.0.1, signs each
/summit request like Slack, and measures on the demo corpus and on a synthetic index of
`--chunks` passages (one short paragraph each, so one chunk each).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fake Slack server lives with the tests

from fake_slack import FakeSlack, Served, send, signed  # noqa: E402

SECRET = "bench-signing-secret-0123456789"
DEMO_QUESTIONS = ['who said "sacred battle"', "who said “first step”", "where did the meeting take place",
                  'who said "imperialism"', "what was said about rocket technology",
                  "who won the football world cup final"]

WORDS = ("council budget harbour school transport housing water energy police court hospital tax "
         "election minister mayor union teacher nurse farmer bridge railway park museum library storm "
         "flood market price wage contract report inquiry vote plan deal talks strike protest").split()
SPEAKERS = ["the mayor", "the minister", "a spokesperson", "the union leader", "the treasurer", "a resident"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def synthetic_docs(chunks: int, seed: int = 7):
    """Articles of ten one-sentence-quote paragraphs; returns the docs and phrases they quote."""
    from index.sources.documents import from_text

    rng = random.Random(seed)
    docs, phrases = [], []
    per_article = 10
    for a in range(chunks // per_article):
        paragraphs = []
        for p in range(per_article):
            phrase = " ".join(rng.sample(WORDS, 3)) + f" {a}x{p}"
            phrases.append(phrase)
            filler = " ".join(rng.choice(WORDS) for _ in range(25))
            paragraphs.append(f"{rng.choice(SPEAKERS).capitalize()} said the {filler} was “{phrase}” on Tuesday.")
        title = f"Report {a}: " + " ".join(rng.sample(WORDS, 4))
        docs.append(from_text(title + "\n\n" + "\n\n".join(paragraphs), source=f"synthetic://{a}"))
    return docs, phrases


def build_engine(data_dir: Path, docs=None, corpus: Path | None = None):
    from index import Engine, Settings

    engine = Engine(Settings.from_env({"SUMMIT_DATA_DIR": str(data_dir)}))
    if corpus is not None:
        engine.ingest([corpus])
    if docs:
        step = 500
        for n in range(0, len(docs), step):
            engine.ingest_documents(docs[n:n + step])
    engine.warm()
    return engine


def measure(engine, questions: list[str], requests: int, work: Path) -> dict:
    from bot.services import Summit
    from bot.settings import BotSettings
    from bot.state import BotState
    from bot.web import create_app

    slack = FakeSlack()
    env = {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.api_url,
           "PORT": "3000", "SUMMIT_DATA_DIR": str(engine.settings.data_dir), "SUMMIT_LOG_LEVEL": "WARNING"}
    summit = Summit(BotSettings.from_env(env), engine=engine, state=BotState(work / "botstate"))
    summit.warm()
    server = Served(create_app(env, summit=summit, warm=False))
    acks, answers = [], []
    try:
        for n in range(requests + 5):
            name = f"r{n}"
            body = urlencode({"command": "/summit", "text": questions[n % len(questions)], "team_id": "T1",
                              "channel_id": "C1", "user_id": "U1", "response_url": slack.response_url(name),
                              "trigger_id": "1.2.3", "api_app_id": "A1"})
            started = time.perf_counter()
            reply = send(server.url + "/slack/events", body,
                         signed(SECRET, body, content_type="application/x-www-form-urlencoded"))
            assert reply.status == 200, reply
            deadline = started + 30
            post = None
            while post is None and time.perf_counter() < deadline:
                post = next((c for c in slack.of("response_url") if c.path.endswith("/" + name)), None)
                if post is None:
                    time.sleep(0.0005)
            assert post is not None, f"no answer for request {n}"
            if n >= 5:  # the first few warm caches and threads
                acks.append(reply.seconds * 1000)
                answers.append((post.at - started) * 1000)
    finally:
        server.close()
        slack.close()
        summit.state.close()
    stats = engine.stats()
    return {"articles": stats["articles"], "chunks": stats["chunks"], "requests": len(acks),
            "ack_p50_ms": round(statistics.median(acks), 1), "ack_p95_ms": round(percentile(acks, 0.95), 1),
            "answer_p50_ms": round(statistics.median(answers), 1),
            "answer_p95_ms": round(percentile(answers, 0.95), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bot_latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, default=10000, help="size of the synthetic index (default 10000)")
    parser.add_argument("--requests", type=int, default=200, help="measured /summit requests per index")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    import logging

    logging.basicConfig(level=logging.WARNING)
    import bm25s  # noqa: F401  (it sets its own logger to DEBUG on import)

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    rows = {}
    with tempfile.TemporaryDirectory(prefix="summit-bench-") as tmp:
        work = Path(tmp)
        demo = build_engine(work / "demo", corpus=ROOT / "demo" / "corpus")
        rows["demo corpus"] = measure(demo, DEMO_QUESTIONS, args.requests, work / "m1")
        demo.close()

        docs, phrases = synthetic_docs(args.chunks)
        started = time.perf_counter()
        big = build_engine(work / "big", docs=docs)
        built = time.perf_counter() - started
        rng = random.Random(3)
        questions = []
        for n in range(args.requests + 5):
            kind = n % 3
            if kind == 0:
                questions.append(f'who said "{rng.choice(phrases)}"')
            elif kind == 1:
                questions.append(f"what did {rng.choice(SPEAKERS)} say about the {rng.choice(WORDS)}")
            else:
                questions.append(f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)} plans")
        rows[f"synthetic {args.chunks} chunks"] = measure(big, questions, args.requests, work / "m2")
        rows[f"synthetic {args.chunks} chunks"]["build_s"] = round(built, 1)
        big.close()

    print(f"{'index':<24} {'chunks':>7} {'n':>4} {'ack p50':>8} {'ack p95':>8} {'answer p50':>11} {'answer p95':>11}")
    for name, r in rows.items():
        print(f"{name:<24} {r['chunks']:>7} {r['requests']:>4} {r['ack_p50_ms']:>6.1f}ms {r['ack_p95_ms']:>6.1f}ms "
              f"{r['answer_p50_ms']:>9.1f}ms {r['answer_p95_ms']:>9.1f}ms")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
