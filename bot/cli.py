"""The `summit` command: a thin shell over the engine in `index/` (and the bot in `bot/`).

Errors print one line on stderr and exit non-zero; nothing stored is touched.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

DEMO_CORPUS = Path(__file__).resolve().parent.parent / "demo" / "corpus"


def _engine(check_model: bool = True, reads: bool = False):
    """`reads`: the command only reads the archive, so a data folder that does not exist is a
    mistake (a typo in SUMMIT_DATA_DIR), not an empty archive to create."""
    from index import Engine, Settings
    from index.errors import ConfigError

    settings = Settings.from_env()
    if reads and not settings.data_dir.exists():
        raise ConfigError(f"no archive at {settings.data_dir}: check SUMMIT_DATA_DIR, "
                          "or add articles first with `summit ingest`")
    return Engine(settings, check_model=check_model)


# --- commands ---
def cmd_ingest(args) -> int:
    from index.sources.documents import find_files
    from index.sources.fetch import is_url

    find_files([p for p in args.paths if not is_url(p)])  # a missing path fails here, before the model loads
    engine = _engine()
    errors: list[str] = []
    results = engine.ingest(args.paths, skip_bad=args.skip_bad, progress=sys.stderr.isatty(), errors=errors)
    for message in errors:
        print(f"skipped: {message}", file=sys.stderr)
    for r in results:
        detail = f"{r.chunks} chunks" + (f", {r.quotes} quotes" if r.quotes else "") if r.status in ("added", "updated") else r.note
        ident = f"[{r.article_id}]" if r.article_id is not None else "[-]"
        print(f"{r.status:9} {ident:>6} {r.title or r.source}" + (f"  ({detail})" if detail else ""))
    return 0


def cmd_feeds(args) -> int:
    from index import Settings
    from index.sources import feeds

    if args.action == "list" and not Settings.from_env().data_dir.exists():  # listing creates no folder
        print("[]" if args.json else "No feeds yet: `summit feeds add URL` adds one.")
        return 0
    engine = _engine(check_model=args.action == "poll")  # only polling writes to the index
    if args.action == "add":
        feed = feeds.add_feed(engine, args.url)
        print(f"added feed {feed.url}" + (f" ({feed.title})" if feed.title else "") +
              "; `summit feeds poll` ingests its articles")
    elif args.action == "remove":
        feed = feeds.remove_feed(engine, args.url)
        print(f"removed feed {feed.url} (its articles stay; `summit remove ID` takes one out)")
    elif args.action == "list":
        rows = feeds.list_feeds(engine)
        if args.json:
            print(json.dumps([{"url": f.url, "title": f.title, "articles": f.entries, "added_at": f.added_at,
                               "polled_at": f.polled_at, "last_error": f.last_error} for f in rows],
                             ensure_ascii=False))
            return 0
        if not rows:
            print("No feeds yet: `summit feeds add URL` adds one.")
        for f in rows:
            polled = f"polled {f.polled_at[:16]}" if f.polled_at else "never polled"
            error = f"  error: {f.last_error}" if f.last_error else ""
            print(f"{f.url}  {f.title or ''}  ({f.entries} articles, {polled}){error}")
    else:
        report = feeds.poll_all(engine)
        for f in report.feeds:
            if f.error:
                print(f"error     {f.url}: {f.error}", file=sys.stderr)
                continue
            print(f"{f.status:9} {f.url}  ({len(f.new)} new, {f.skipped} seen, {len(f.failed)} failed"
                  + (f", {len(f.removed)} removed" if f.removed else "") + ")")
            for r in f.new:
                print(f"  {r.status:9} [{r.article_id if r.article_id is not None else '-'}] {r.title or r.source}")
            for message in f.failed:
                print(f"  skipped: {message}", file=sys.stderr)
        return 1 if any(f.error for f in report.feeds) else 0
    return 0


def cmd_list(args) -> int:
    engine = _engine(check_model=False, reads=True)
    rows = engine.articles()
    if args.json:
        print(json.dumps([{"id": a.id, "title": a.title, "url": a.url, "source": a.source,
                           "published": a.published, "ingested_at": a.ingested_at,
                           "updated_at": a.updated_at, "chunks": n} for a, n in rows], ensure_ascii=False))
        return 0
    if not rows:
        print("No articles yet: `summit ingest PATH...` adds some.")
    for a, n in rows:
        date = (a.published or a.ingested_at)[:10]
        print(f"{a.id:>5}  {date}  {a.title}  ({n} chunks)")
    return 0


def cmd_remove(args) -> int:
    article = _engine(reads=True).remove(args.id)
    print(f"removed [{article.id}] {article.title}")
    return 0


def cmd_stats(args) -> int:
    stats = _engine(check_model=False, reads=True).stats()
    if args.json:
        print(json.dumps(stats))
    else:
        for key, value in stats.items():
            print(f"{key:>11}: {value}")
    return 0


def cmd_doctor(args) -> int:
    from index import Settings
    from index.storage.health import FAIL, diagnose

    checks = diagnose(Settings.from_env().data_dir)  # loads no model
    if args.json:
        print(json.dumps([{"check": c.name, "status": c.status, "detail": c.detail} for c in checks]))
    else:
        for c in checks:
            print(f"{c.status:4} {c.name:10} {c.detail}")
    return 1 if any(c.status == FAIL for c in checks) else 0


def cmd_reindex(args) -> int:
    count = _engine(check_model=False, reads=True).reindex(progress=sys.stderr.isatty())
    print(f"re-embedded {count} chunks")
    return 0


def cmd_prepare(args) -> int:
    from index import Settings
    from index.models.onnx_encoder import export

    print(f"question encoder ready: {export(Settings.from_env())}")
    return 0


def cmd_ask(args) -> int:
    from index.errors import InputError
    from index.retrieval.question import parse

    if args.question != "-":
        parse(args.question)  # bad questions fail before the model loads
        engine = _engine(reads=True)
        print_answer(engine.ask(args.question), args.json)
        return 0
    # One question per line, one JSON object per line; the model loads once.
    engine, status = _engine(reads=True), 0
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = engine.ask(line.rstrip("\n"))
        except InputError as exc:
            print(json.dumps({"question": line.rstrip("\n")[:200], "error": str(exc)}), flush=True)
            status = 1
            continue
        print_answer(answer, as_json=True)
    return status


def cmd_check(args) -> int:
    from index.retrieval.question import check_question

    check_question(args.words, args.speaker)  # bad input fails before the model loads
    print_answer(_engine(reads=True).check(args.words, speaker=args.speaker), args.json)
    return 0


def print_answer(answer, as_json: bool) -> None:
    from .console import format_answer

    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
    else:
        print(format_answer(answer, color=sys.stdout.isatty()), end="", flush=True)


def cmd_quotes(args) -> int:
    engine = _engine(check_model=False, reads=True)  # listing needs neither model
    from index.quotes.extraction import kind_label, shown_words

    rows = engine.quotes(speaker=args.speaker, article_id=args.article)
    articles = {a.id: a for a, _ in engine.articles()}
    if args.json:
        print(json.dumps([quote_dict(q, articles[q.article_id]) for q in rows], ensure_ascii=False))
        return 0
    if not rows:
        who = f" by {args.speaker}" if args.speaker else ""
        print(f"No quotes{who}." + ("" if engine.articles() else " `summit ingest PATH...` adds articles."))
        return 0
    for q in rows:
        a = articles[q.article_id]
        cue = f", {q.cue}" if q.cue else ""
        print(f"{q.speaker or '(speaker unknown)'} ({kind_label(q.kind)}{cue}): {shown_words(q.kind, q.quote, q.sentence)}")
        print(f"    [{a.id}] {a.title} · paragraph {q.paragraph}" + (f" · {a.url}" if a.url else ""))
    return 0


def quote_dict(q, article) -> dict:
    return {"id": q.id, "speaker": q.speaker, "speaker_as_written": q.speaker_as_written, "kind": q.kind,
            "cue": q.cue, "quote": q.quote, "start": q.start, "end": q.end, "sentence": q.sentence,
            "sentence_start": q.sentence_start, "sentence_end": q.sentence_end, "paragraph": q.paragraph,
            "article": {"id": article.id, "title": article.title, "url": article.url,
                        "published": article.published}}


def cmd_digest(args) -> int:
    from datetime import date

    from index.errors import InputError

    from .digest import DigestSettings, make_digest, preview, render, run_digest

    settings = DigestSettings.from_env()
    try:
        day = date.fromisoformat(args.date) if args.date else settings.today()
    except ValueError:
        raise InputError(f"--date must be YYYY-MM-DD, got {args.date!r}") from None
    if args.dry_run:
        engine = _engine(reads=True)
        digest = make_digest(engine, settings, day)
        if args.json:
            blocks, text = render(digest, settings.max_articles)
            print(json.dumps({"text": text, "blocks": blocks}, ensure_ascii=False))
        else:
            print(preview(digest, settings.max_articles), end="")
        return 0
    from .app import make_client
    from .settings import POSTER, BotSettings

    bot_settings = BotSettings.from_env(require=POSTER)  # names a missing SLACK_BOT_TOKEN
    channels = tuple(args.channel) if args.channel else None
    results = run_digest(_engine(reads=True), make_client(bot_settings), settings, day=day, channels=channels)
    for r in results:  # failures were logged, one line each
        if not r.error:
            print(f"{r.status:14} {r.channel} {day}" + (f" (ts {r.ts})" if r.ts else ""))
    return 1 if any(r.status == "failed" for r in results) else 0


def cmd_run(args) -> int:
    """Start the bot when Slack tokens are set; otherwise the local demo prompt."""
    if os.environ.get("SLACK_BOT_TOKEN"):
        from .main import serve

        return serve()
    return demo_prompt()


def demo_prompt() -> int:
    from index.errors import InputError

    engine = _engine()
    print("No Slack tokens set: starting the local demo.", file=sys.stderr)
    for r in engine.ingest([DEMO_CORPUS], progress=sys.stderr.isatty()):
        print(f"{r.status}: {r.title}", file=sys.stderr)
    engine.warm()
    print('Ask about the articles, e.g. who said "sacred battle" (Ctrl-D to quit).', file=sys.stderr)
    while True:
        try:
            question = input("summit> ")
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            return 0
        if not question.strip():
            continue
        try:
            print_answer(engine.ask(question), as_json=False)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)


# --- parser ---
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="summit", description="Verbatim, attributed answers from your articles.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("run", help="start the Slack bot, or the local demo prompt when no tokens are set")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("ingest", help="add .txt, .md and .html files or folders, and http(s) URLs")
    s.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    s.add_argument("--skip-bad", action="store_true", help="ingest the good files and report the bad ones")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("feeds", help="RSS and Atom feeds: add, list, remove, poll")
    feed_sub = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, text in (("add", "add a feed (checked now, ingested by `poll`)"),
                         ("remove", "stop polling a feed; its articles stay")):
        a = feed_sub.add_parser(action, help=text)
        a.add_argument("url")
    a = feed_sub.add_parser("list", help="list the feeds")
    a.add_argument("--json", action="store_true")
    feed_sub.add_parser("poll", help="poll every feed once and ingest new entries")
    s.set_defaults(func=cmd_feeds)

    s = sub.add_parser("ask", help="answer a question ('-' reads one per line from stdin)")
    s.add_argument("question")
    s.add_argument("--json", action="store_true", help="print one JSON object (see README)")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("check", help="did they really say that? check a quote against the whole archive")
    s.add_argument("words", help="the quoted words, in any quotation marks or none")
    s.add_argument("--speaker", metavar="NAME", help="who is said to have said them (any form of the name)")
    s.add_argument("--json", action="store_true", help="print one JSON object (see README)")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("quotes", help="list the stored quotes: speaker, kind, quote, citation")
    s.add_argument("--speaker", metavar="NAME", help="any form of the name: Lee finds Ann Lee")
    s.add_argument("--article", type=int, metavar="ID", help="one article (see `summit list`)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_quotes)

    s = sub.add_parser("list", help="list the articles")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("remove", help="remove an article from every answer")
    s.add_argument("id", type=int)
    s.set_defaults(func=cmd_remove)

    s = sub.add_parser("stats", help="counts, the model and the index type")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("digest", help="post (or preview) the daily digest")
    s.add_argument("--date", help="the day, YYYY-MM-DD (default: today in SUMMIT_TIMEZONE)")
    s.add_argument("--channel", action="append", metavar="C…", help="channel id (default: SUMMIT_DIGEST_CHANNELS)")
    s.add_argument("--dry-run", action="store_true", help="print a preview; post nothing")
    s.add_argument("--json", action="store_true", help="with --dry-run: print the Block Kit blocks")
    s.set_defaults(func=cmd_digest)

    s = sub.add_parser("prepare", help="export the model to ONNX for questions (once; needs torch)")
    s.set_defaults(func=cmd_prepare)

    s = sub.add_parser("doctor", help="is the data folder writable, persistent and consistent?")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_doctor)

    s = sub.add_parser("reindex", help="re-embed everything with the configured model")
    s.set_defaults(func=cmd_reindex)
    return p


def main(argv: list[str] | None = None) -> int:
    from .entrypoint import guarded

    args = build_parser().parse_args(argv)
    logging.basicConfig(format="summit: %(message)s", level=logging.WARNING)  # problems only, one line each
    return guarded(lambda: args.func(args))


if __name__ == "__main__":
    sys.exit(main())
