"""`/summit add <url>` and `/summit digest` over real HTTP against the fake Slack."""
from __future__ import annotations

import dataclasses

import pytest

from bot_harness import all_texts, start_bot
from fake_slack import check_blocks
from test_sources import article_page


@pytest.fixture
def bot(tmp_path, slack, fresh_engine):
    fresh_engine.settings = dataclasses.replace(fresh_engine.settings, allow_private_urls=True)  # 127.0.0.1 site
    b = start_bot(tmp_path, slack, fresh_engine)
    yield b
    b.server.close()


def test_add_url_acks_at_once_then_confirms_title_and_quotes(bot, slack, site):
    url = site.url("/news/flood-barrier")
    site.serve("/news/flood-barrier", article_page(url))
    reply = bot.command(f"add <{url}>")
    assert reply.status == 200 and "Adding" in reply.body
    [confirmation] = slack.wait_for("response_url")
    assert confirmation.body["response_type"] == "ephemeral"
    text = all_texts(confirmation.body["blocks"])
    assert "Added “Harbour council approves new flood barrier”" in text and "quote" in text
    bot.command(f"add <{url}>", response_name="again")
    slack.wait_for("response_url", count=2)
    assert "Already in the archive" in all_texts(slack.of("response_url")[1].body["blocks"])
    assert bot.summit.engine.ask('"flood barrier"').answered


def test_add_refuses_private_addresses_when_the_guard_is_on(bot, slack, site):
    bot.summit.engine.settings = dataclasses.replace(bot.summit.engine.settings, allow_private_urls=False)
    url = site.serve("/news/x", article_page(site.url("/news/x")))
    bot.command(f"add {url}")
    [reply] = slack.wait_for("response_url")
    assert "private" in all_texts(reply.body["blocks"]).lower()
    assert site.paths() == []  # refused before any request
    assert bot.summit.engine.stats()["articles"] == 0


def test_add_takes_only_web_links_never_a_path_on_the_server(bot, slack, tmp_path):
    secret = tmp_path / "server" / "notes.txt"
    secret.parent.mkdir()
    secret.write_text("Private notes\n\n“The merger is off,” said chief executive Ann Lee on Friday.\n")
    for n, arg in enumerate((str(secret.parent), str(secret), f"file://{secret}", "/", "no-such-thing"), 1):
        bot.command(f"add {arg}", response_name=f"add-{n}")
        reply = slack.wait_for("response_url", count=n)[-1]
        text = all_texts(reply.body["blocks"])
        assert "only an http(s) link" in text and "no such file" not in text
    assert bot.summit.engine.stats()["articles"] == 0
    assert not bot.summit.engine.ask('"the merger is off"').answered


def test_digest_preview_is_ephemeral_and_valid(bot, slack, tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMIT_TIMEZONE", "UTC")  # today's window: the 48 h up to 23:59 UTC today
    monkeypatch.setenv("SUMMIT_DIGEST_TIME", "23:59")
    monkeypatch.setenv("SUMMIT_DIGEST_WINDOW_HOURS", "48")
    path = tmp_path / "today.txt"
    path.write_text("Bridge reopens after repairs\n\nThe old bridge reopened to traffic on Monday after six "
                    "months of repairs to its steel frame and deck.\n\n“It is good to have our bridge back,” "
                    "said mayor Lena Ortiz at the ceremony.\n")
    bot.summit.engine.ingest([path])  # no publication date: dated by ingest time, i.e. today
    bot.command("digest")
    [preview] = slack.wait_for("response_url")
    assert preview.body["response_type"] == "ephemeral" and check_blocks(preview.body["blocks"]) is None
    text = all_texts(preview.body["blocks"])
    assert "Bridge reopens after repairs" in text
    assert not slack.of("chat.postMessage")
