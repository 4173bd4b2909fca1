"""The daily digest: content, rendering within Block Kit limits, and exactly-once posting.

A frozen clock (explicit days and times) and the fake Slack Web API from the bot tests.
"""
from __future__ import annotations

import json
import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.digest import DigestSettings, make_digest, post_digest, render, run_digest
from bot.digest_ledger import DigestLedger
from fake_slack import FakeSlack, check_blocks
from conftest import run_summit, write

DAY = date(2026, 11, 20)
CHANNEL = "C0DIGEST01"

HARBOUR = """---
title: Harbour council approves new sea wall
url: https://news.example.org/harbour-wall
date: 2026-11-20T09:30:00+00:00
---

Photo: the damaged promenade in February.

The harbour council voted on Tuesday to build a new sea wall after winter storms flooded forty homes along the seafront.

“We cannot wait for the next storm to decide for us,” said councillor Ana Ruiz, who chairs the works committee.

The new wall will cost twelve million pounds and should be finished in 2028, the council said.

Residents welcomed the vote. “It has taken three winters of flooding to get here,” said Tom Becker, who runs a café on the front.
"""

RAIL = """---
title: Rail fares to rise by five percent in March
date: 2026-11-20T14:00:00+00:00
---

Rail fares across the region will rise by five percent from March, the transport authority announced.

“Passengers are paying more for trains that run less often,” said Priya Shah of the Rail Users' Forum.

The authority said the money would pay for new signalling on the northern line and for longer platforms.
"""

OLD = """---
title: Library opening hours extended
date: 2026-11-18T10:00:00+00:00
---

The central library will open until nine in the evening on weekdays, the city said on Monday.
"""


def settings(**overrides) -> DigestSettings:
    env = {"SUMMIT_DIGEST_CHANNELS": CHANNEL, "SUMMIT_DIGEST_TIME": "18:00", "SUMMIT_TIMEZONE": "Europe/London"}
    env.update(overrides)
    return DigestSettings.from_env(env)


@pytest.fixture
def newsroom(fresh_engine, tmp_path):
    for name, text in (("harbour.md", HARBOUR), ("rail.md", RAIL), ("library.md", OLD)):
        write(tmp_path / "articles" / name, text)
    fresh_engine.ingest([tmp_path / "articles"])
    return fresh_engine


def client_for(slack: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.api_url,
                     retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])


def ledger_for(engine, lease: float = 600) -> DigestLedger:
    ledger = DigestLedger.open(engine.settings.data_dir)
    ledger.lease = lease
    return ledger


def test_digest_content_has_both_articles_leads_and_speakers(newsroom):
    digest = make_digest(newsroom, settings(), DAY)
    assert [a.title for a in digest.articles] == ["Rail fares to rise by five percent in March",
                                                  "Harbour council approves new sea wall"]  # newest first
    harbour = digest.articles[1]
    text = newsroom.store.article_text(harbour.id)
    assert harbour.lead and all(sentence in text for sentence in harbour.lead)  # verbatim
    assert not any(s.startswith("Photo") for s in harbour.lead)
    speakers = {q.speaker: q.quote for q in harbour.quotes}
    assert "We cannot wait for the next storm" in speakers.get("Ana Ruiz", "")
    assert "three winters of flooding" in speakers.get("Tom Becker", "")
    for q in harbour.quotes:
        assert text[q.start:q.end] == q.quote
    assert dict(digest.speakers).get("Priya Shah") == 1
    assert digest.quote_count >= 3


def test_rendered_digest_is_valid_and_escaped(newsroom):
    digest = make_digest(newsroom, settings(), DAY)
    blocks, text = render(digest)
    assert check_blocks(blocks) is None
    body = json.dumps(blocks, ensure_ascii=False)
    assert "<https://news.example.org/harbour-wall|Harbour council approves new sea wall>" in body
    assert "*Ana Ruiz*: “" in body and "*Priya Shah*: “" in body
    assert "Quoted today" in body and "2 new articles" in body
    assert "2 new articles" in text  # the plain fallback is a summary


def test_article_text_in_a_digest_can_never_ping():
    from index.digest import Digest, DigestArticle, DigestQuote

    article = DigestArticle(1, "Row over <!channel> alerts & <@U123>", "https://example.org/a?x=1&y=2",
                            "2026-11-20T10:00:00+00:00", lead=["Staff got <!here> pings <https://evil.example|click>."],
                            quotes=[DigestQuote("Jo <@U999>", "Stop <!everyone> now", "direct", 1, 0, 5)])
    digest = Digest("2026-11-20", "UTC", "2026-11-19T18:00:00+00:00", "2026-11-20T18:00:00+00:00",
                    [article], 1, [("Jo <@U999>", 1)])
    blocks, _ = render(digest)
    body = json.dumps(blocks)
    for raw in ("<!channel>", "<@U123>", "<!here>", "<https://evil", "<@U999>", "<!everyone>"):
        assert raw not in body
    assert "&lt;!channel&gt;" in body and "&amp;" in body


def test_empty_day_posts_nothing_unless_asked(newsroom, slack):
    client, quiet = client_for(slack), date(2026, 11, 10)
    [result] = run_digest(newsroom, client, settings(), day=quiet)
    assert result.status == "empty" and not slack.of("chat.postMessage")
    [result] = run_digest(newsroom, client, settings(SUMMIT_DIGEST_POST_EMPTY="true"), day=quiet)
    assert result.status == "posted"
    assert "No new articles" in json.dumps(slack.of("chat.postMessage")[0].body)


def test_posts_once_per_channel_and_day(newsroom, slack):
    client = client_for(slack)
    assert run_digest(newsroom, client, settings(), day=DAY)[0].status == "posted"
    assert run_digest(newsroom, client, settings(), day=DAY)[0].status == "already-posted"
    [post] = slack.of("chat.postMessage")
    assert post.body["channel"] == CHANNEL


def test_two_concurrent_runs_give_one_post(newsroom, slack):
    client, results = client_for(slack), []
    barrier = threading.Barrier(4)
    digest = make_digest(newsroom, settings(), DAY)

    ledgers = [ledger_for(newsroom) for _ in range(4)]  # one connection each, like separate processes

    def run(ledger):
        barrier.wait(timeout=30)
        results.append(post_digest(client, ledger, digest, CHANNEL, settings()).status)
        ledger.close()

    threads = [threading.Thread(target=run, args=(ledger,)) for ledger in ledgers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count("posted") == 1
    assert len(slack.of("chat.postMessage")) == 1


def test_two_processes_at_once_give_one_post(newsroom, slack, tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    env = {"SUMMIT_DATA_DIR": str(newsroom.settings.data_dir), "SLACK_BOT_TOKEN": "xoxb-test",
           "SLACK_API_URL": slack.api_url, "SUMMIT_DIGEST_CHANNELS": CHANNEL, "SUMMIT_TIMEZONE": "Europe/London",
           "SUMMIT_DIGEST_TIME": "18:00", "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-m", "bot.cli", "digest", "--date", DAY.isoformat()], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert len(slack.of("chat.postMessage")) == 1
    statuses = sorted(out.split()[0] for out, _ in outputs)
    assert statuses[1] == "posted" and statuses[0] in ("already-posted", "busy")


def test_crash_between_claim_and_post_is_retried_once(newsroom, slack):
    client, digest = client_for(slack), make_digest(newsroom, settings(), DAY)
    ledger = ledger_for(newsroom, lease=600)
    crashed_at = datetime(2026, 11, 20, 18, 0, tzinfo=ZoneInfo("Europe/London")).timestamp()
    assert ledger.claim(CHANNEL, DAY.isoformat(), now=crashed_at) is not None  # the run died here
    # Within the lease another run leaves it alone; after it, the next run posts.
    assert post_digest(client, ledger, digest, CHANNEL, settings(), now=crashed_at + 60).status == "busy"
    assert post_digest(client, ledger, digest, CHANNEL, settings(), now=crashed_at + 900).status == "posted"
    assert len(slack.of("chat.postMessage")) == 1


def test_crash_after_post_before_mark_is_not_doubled(newsroom, slack, monkeypatch):
    client, digest = client_for(slack), make_digest(newsroom, settings(), DAY)
    ledger = ledger_for(newsroom)
    first = datetime(2026, 11, 20, 18, 0, tzinfo=ZoneInfo("Europe/London")).timestamp()

    def crash(*args, **kwargs):
        raise SystemExit("killed after posting")

    monkeypatch.setattr(ledger, "mark", crash)
    with pytest.raises(SystemExit):
        post_digest(client, ledger, digest, CHANNEL, settings(), now=first)
    monkeypatch.undo()
    # The claim outlives the crash; the run that takes it over finds the post and does not repeat it.
    later = ledger_for(newsroom)
    result = post_digest(client, later, digest, CHANNEL, settings(), now=first + 900)
    assert result.status == "already-posted"
    assert len(slack.of("chat.postMessage")) == 1
    assert later.status(CHANNEL, DAY.isoformat()) == "posted"


def test_channel_the_bot_is_not_in_fails_cleanly_and_stays_retryable(newsroom, slack):
    slack.not_member.add(CHANNEL)
    [result] = run_digest(newsroom, client_for(slack), settings(), day=DAY)
    assert result.status == "failed" and "not in channel" in result.error
    slack.not_member.clear()
    assert run_digest(newsroom, client_for(slack), settings(), day=DAY)[0].status == "posted"


def test_cli_reports_not_in_channel_with_nonzero_exit(newsroom, slack):
    slack.not_member.add(CHANNEL)
    result = run_summit("digest", "--date", DAY.isoformat(), data_dir=newsroom.settings.data_dir,
                        env={"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.api_url,
                             "SUMMIT_DIGEST_CHANNELS": CHANNEL, "SUMMIT_TIMEZONE": "Europe/London"})
    assert result.returncode != 0
    assert "not in channel" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_rate_limited_post_is_retried(newsroom, slack):
    slack.rate_limit["chat.postMessage"] = 1
    assert run_digest(newsroom, client_for(slack), settings(), day=DAY)[0].status == "posted"
    assert len(slack.of("chat.postMessage")) == 1


def test_dry_run_previews_and_posts_nothing(newsroom):
    result = run_summit("digest", "--dry-run", "--date", DAY.isoformat(), data_dir=newsroom.settings.data_dir,
                        env={"SUMMIT_TIMEZONE": "Europe/London", "SUMMIT_DIGEST_TIME": "18:00"})
    assert result.returncode == 0, result.stderr
    assert "# Harbour council approves new sea wall" in result.stdout
    assert "Ana Ruiz: “" in result.stdout
    as_json = run_summit("digest", "--dry-run", "--json", "--date", DAY.isoformat(),
                         data_dir=newsroom.settings.data_dir, env={"SUMMIT_TIMEZONE": "Europe/London"})
    assert check_blocks(json.loads(as_json.stdout)["blocks"]) is None


def test_two_hundred_articles_still_make_valid_blocks(fresh_engine, tmp_path):
    for n in range(200):
        write(tmp_path / "many" / f"story-{n:03}.md",
              f"---\ntitle: Council update number {n} on roads and schools\ndate: 2026-11-20T08:{n % 60:02}:00+00:00\n---\n\n"
              f"The council published update number {n} on road repairs, school places and the harbour budget.\n\n"
              f"“Update {n} shows steady progress on every front,” said council leader Maria Lopez.\n")
    fresh_engine.ingest([tmp_path / "many"])
    digest = make_digest(fresh_engine, settings(), DAY)
    assert len(digest.articles) == 200
    blocks, _ = render(digest, settings().max_articles)
    assert check_blocks(blocks) is None and len(blocks) <= 50
    assert "190 more articles" in json.dumps(blocks)


def test_catch_up_after_a_late_start(newsroom, slack):
    from bot.clock import catch_up, due_for_catch_up

    tz = ZoneInfo("Europe/London")
    s = settings()
    early = datetime.combine(DAY, time(9, 0), tzinfo=tz)
    late = datetime.combine(DAY, time(20, 30), tzinfo=tz)
    assert not due_for_catch_up(s, early) and due_for_catch_up(s, late)
    assert catch_up(newsroom, client_for(slack), s, early) == []
    [result] = catch_up(newsroom, client_for(slack), s, late)
    assert result.status == "posted"
    assert catch_up(newsroom, client_for(slack), s, late)[0].status == "already-posted"  # a restart
    assert len(slack.of("chat.postMessage")) == 1


def test_scheduler_fires_at_the_digest_time_in_the_zone(newsroom, slack):
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.clock import build_scheduler

    s = settings(SUMMIT_TIMEZONE="America/New_York", SUMMIT_DIGEST_TIME="07:15")
    scheduler = build_scheduler(newsroom, client_for(slack), s, feed_minutes=0, scheduler_class=BackgroundScheduler)
    trigger = scheduler.get_job("digest").trigger
    before = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("UTC"))  # 07:00 in New York
    after = datetime(2026, 11, 20, 13, 0, tzinfo=ZoneInfo("UTC"))
    assert trigger.get_next_fire_time(None, before).astimezone(ZoneInfo("UTC")).strftime("%d %H:%M") == "20 12:15"
    fire = trigger.get_next_fire_time(None, after)
    assert fire.astimezone(ZoneInfo("America/New_York")).strftime("%Y-%m-%d %H:%M") == "2026-11-21 07:15"


@pytest.mark.parametrize("env, words", [
    ({"SUMMIT_DIGEST_TIME": "25:99"}, "SUMMIT_DIGEST_TIME"),
    ({"SUMMIT_TIMEZONE": "Mars/Olympus"}, "SUMMIT_TIMEZONE"),
    ({"SUMMIT_DIGEST_CHANNELS": "#general"}, "SUMMIT_DIGEST_CHANNELS"),
])
def test_bad_digest_settings_name_the_setting(env, words):
    from index.errors import ConfigError

    with pytest.raises(ConfigError, match=words):
        DigestSettings.from_env(env)


# --- issue 11: whole lead sentences, never the headline; key quotes by people or organisations ---
def test_lead_sentences_are_whole_and_never_the_headline(embedder):
    from index.digest import lead_sentences, whole_sentences

    title = "Harbour council approves new sea wall after three winters of flooding"
    paragraphs = [
        title,
        "“She won’t be able to give it in the round like her rival does walking around with a microphone,” she "
        "said. “It is hard for anyone to campaign in a flooded town like this one.”",
        "Staff were warned in a message to <!here> that the harbour road would close for the whole of the winter.",
        "The council voted eight to three for the sea wall, which will cost four million pounds to build.",
    ]
    text = "\n\n".join(paragraphs)
    spans, pos = [], 0
    for p in paragraphs:
        spans.append((pos, pos + len(p)))
        pos += len(p) + 2
    sentences = [paragraphs[1][s:e] for s, e in whole_sentences(paragraphs[1])]
    assert sentences[0].endswith("she said.") and sentences[1].startswith("“It is hard")
    lead = lead_sentences(text, spans, embedder.encode, count=4, title=title)
    assert title not in lead and lead
    for sentence in lead:
        assert sentence in text
        assert not sentence.rstrip().endswith(("“", "‘")) and sentence.count("“") == sentence.count("”")
    assert any(s.startswith("Staff were warned") and s.endswith("winter.") for s in lead)  # not cut at <!here>


def test_key_quotes_are_by_people_or_organisations():
    from index.digest import key_quotes
    from index.storage.store import QuoteRow

    def row(n, speaker, person, kind="direct"):
        return QuoteRow(n, 1, 1, kind, speaker, speaker.lower(), person, speaker, "said", "the words of this quote here",
                        n * 10, n * 10 + 5, n * 10, n * 10 + 9, "A sentence that holds the words of this quote here.")

    rows = [row(1, "recent polls", False), row(2, "a spate of female accusers", False), row(3, "an architect", False),
            row(4, "Ann Lee", True), row(5, "the Kremlin", False), row(6, "the company", False),
            row(7, "a White House spokesman", False)]
    assert [q.speaker for q in key_quotes(rows, count=5)] == ["Ann Lee", "the Kremlin", "the company",
                                                              "a White House spokesman"]
