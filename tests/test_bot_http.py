"""The Slack surface end to end: real HTTP, real Bolt, a fake Slack Web API and response_url."""
from __future__ import annotations

import copy
import json
import logging
import time

import pytest

from bot_harness import all_texts, button, payload, section_texts, start_bot
from fake_slack import send

from index import Answer, ArticleRef, Result
from index.sources.documents import from_text


@pytest.fixture
def bot(tmp_path, slack, demo_engine):
    b = start_bot(tmp_path, slack, demo_engine)
    yield b
    b.server.close()


def mention_event(**changes) -> dict:
    body = copy.deepcopy(payload("app_mention_in_thread.json"))
    body["event"].update(changes.pop("event", {}))
    body.update(changes)
    return body


# --- the door: challenge and signatures ---
def test_url_verification_echoes_the_challenge(bot):
    body = payload("url_verification.json")
    reply = bot.post(json.dumps(body))
    assert reply.status == 200
    assert reply.json()["challenge"] == body["challenge"]


def test_wrong_signature_is_401_and_nothing_happens(bot, slack):
    reply = bot.command("who said “sacred battle”", secret="not-the-signing-secret-at-all")
    assert reply.status == 401
    reply = bot.event(mention_event(), secret="not-the-signing-secret-at-all")
    assert reply.status == 401
    bot.settle()
    assert not slack.of("response_url", ok=None) and not slack.of("chat.postMessage", ok=None)


def test_slacks_unsigned_certificate_check_is_answered_200_and_nothing_happens(bot, slack):
    reply = send(bot.url + "/slack/events", "ssl_check=1&token=legacy-verification-token",
                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 200
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    command = "&command=%2Fsummit&text=who+said+x&response_url=" + slack.response_url("smuggled")
    assert send(bot.url + "/slack/events", "ssl_check=0" + command, form_type).status == 401
    assert send(bot.url + "/slack/events", "ssl_check=1" + command, form_type).status == 200  # Bolt stops there
    bot.settle()
    assert not slack.of("response_url", ok=None)


def test_stale_timestamp_is_401_even_when_correctly_signed(bot, slack):
    reply = bot.command("who said “sacred battle”", timestamp=int(time.time()) - 6 * 60)
    assert reply.status == 401
    bot.settle()
    assert not slack.of("response_url", ok=None)


def test_health_route(bot):
    reply = send(bot.url + "/healthz", "", {}, method="GET")
    assert (reply.status, reply.body) == (200, "ok\n")


def test_bolt_never_logs_the_body_of_a_request_it_refuses(tmp_path, slack, demo_engine, caplog):
    """The HTTP door refuses unsigned requests first; Bolt's own check, behind it, must not log
    the body either (it does at INFO, whole, by default)."""
    from slack_bolt.request import BoltRequest

    from bot.app import build_app
    from bot.services import Summit
    from bot.settings import BotSettings
    from bot.state import BotState
    from bot_harness import bot_env
    from fake_slack import signed

    settings = BotSettings.from_env(bot_env(tmp_path / "data", slack))
    app = build_app(settings, summit=Summit(settings, engine=demo_engine, state=BotState(tmp_path / "state")))
    body = json.dumps({"type": "event_callback", "event_id": "Ev07LOG", "note": "PRIVATE-MESSAGE-TEXT " * 1000})
    with caplog.at_level(logging.INFO):
        response = app.dispatch(BoltRequest(body=body, headers=signed("not-the-signing-secret-at-all", body)))
    assert response.status == 401
    assert "Invalid request signature detected" in caplog.text and "body not logged" in caplog.text
    assert "PRIVATE-MESSAGE-TEXT" not in caplog.text and len(caplog.text) < 1000


# --- /summit ---
def test_summit_command_acks_fast_then_one_ephemeral_answer_quoting_the_passage(bot, slack):
    reply = bot.command("who said “sacred battle”")
    assert reply.status == 200
    assert reply.seconds < 1.0, f"ack took {reply.seconds:.3f}s"
    assert reply.body == ""  # a plain ack: the answer follows through response_url
    [post] = slack.wait_for("response_url")
    bot.settle()
    assert len(slack.of("response_url", ok=None)) == 1
    body = post.body
    assert body["response_type"] == "ephemeral"
    assert body["replace_original"] is False
    texts = section_texts(body["blocks"])
    quoted = [t for t in texts if "> " in t]
    assert quoted and "*sacred battle*" in quoted[0]
    assert texts[0].startswith("*Kim Jong Un* said")  # the speaker, once quotes are extracted
    assert "Russia has advanced to a *sacred battle* to defend its independence" in quoted[0]
    assert "sacred battle" in body["text"]  # the plain fallback
    assert "paragraph" in all_texts(body["blocks"])
    assert button(body["blocks"], "summit_share") is not None


def test_share_button_posts_the_same_answer_in_channel_once(bot, slack):
    bot.command("who said “sacred battle”")
    [first] = slack.wait_for("response_url")
    share = button(first.body["blocks"], "summit_share")
    assert len(share["value"]) < 2000
    reply = bot.click("summit_share", share["value"], "share")
    assert reply.status == 200
    calls = slack.wait_for("response_url", count=2)
    bot.settle()
    shared = [c for c in slack.of("response_url", ok=None) if c.path.endswith("/share")]
    assert len(shared) == 1
    body = shared[0].body
    assert body["response_type"] == "in_channel"
    assert section_texts(body["blocks"])[:2] == section_texts(calls[0].body["blocks"])[:2]
    assert button(body["blocks"], "summit_share") is None  # already public
    assert "Shared by <@U0EDITOR1>" in all_texts(body["blocks"])
    # A second click (or a colleague's on their copy) posts nothing more in the channel.
    bot.click("summit_share", share["value"], "again")
    again = slack.wait_for("response_url", count=3)[2].body
    assert again["response_type"] == "ephemeral" and "already shared" in again["text"]
    bot.settle()
    assert len([c for c in slack.of("response_url", ok=None) if c.body.get("response_type") == "in_channel"]) == 1


@pytest.mark.parametrize("text", ["", "help", "  HELP "])
def test_help_is_the_ack_itself_with_real_examples(bot, slack, text):
    reply = bot.command(text)
    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    usage = all_texts(body["blocks"])
    assert '/summit who said "sacred battle"' in usage
    bot.settle()
    assert not slack.of("response_url", ok=None)


def test_slack_escaping_in_the_question_is_decoded(tmp_path, slack, fresh_engine):
    fresh_engine.ingest_documents([from_text(
        "Q and A\n\nThe panel said the “R&D budget” would double next year.", source="rd")])
    b = start_bot(tmp_path, slack, fresh_engine)
    try:
        b.command("who said “R&amp;D budget”")
        [post] = slack.wait_for("response_url")
        quoted = [t for t in section_texts(post.body["blocks"]) if "> " in t]
        assert "*R&amp;D budget*" in quoted[0]
        assert "the panel said “R&amp;D budget”" in post.body["text"]  # answered, decoded, re-escaped
    finally:
        b.server.close()


# --- mentions ---
def test_mention_in_thread_answers_once_in_that_thread_despite_retries_and_replays(bot, slack):
    slack.threads[("C0POLITICS", "1718000000.000100")] = [
        {"type": "message", "user": "U0REPORTER", "ts": "1718000000.000100", "text": "New story is up"}]
    body = mention_event()
    reply = bot.event(body)
    assert reply.status == 200 and reply.seconds < 1.0
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "C0POLITICS"
    assert post.body["thread_ts"] == "1718000000.000100"
    quoted = [t for t in section_texts(post.body["blocks"]) if "> " in t]
    assert quoted and "*sacred battle*" in quoted[0]
    assert [c.body["name"] for c in slack.of("reactions.add")] == ["eyes"]
    assert [c.body["name"] for c in slack.wait_for("reactions.remove")] == ["eyes"]  # done working
    assert slack.of("conversations.replies")  # it looked at the thread's parent

    retry = bot.event(body, extra_headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status == 200
    bot.settle()
    assert len(slack.of("chat.postMessage", ok=None)) == 1

    replay = bot.event(body)
    assert replay.status == 200
    bot.settle()
    assert len(slack.of("chat.postMessage", ok=None)) == 1


def test_a_retry_of_an_event_never_seen_is_answered_once(bot, slack):
    """The first delivery was lost (say, during a restart): Slack's retry is the first we see."""
    body = mention_event(event_id="Ev07LOST0001")
    retry_headers = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert bot.event(body, extra_headers=retry_headers).status == 200
    [post] = slack.wait_for("chat.postMessage")
    assert any("*sacred battle*" in t for t in section_texts(post.body["blocks"]))
    again = bot.event(body, extra_headers={**retry_headers, "X-Slack-Retry-Num": "2"})
    assert again.status == 200
    bot.settle()
    assert len(slack.of("chat.postMessage", ok=None)) == 1


def test_replayed_event_id_is_dropped_after_a_restart(tmp_path, slack, demo_engine):
    first = start_bot(tmp_path, slack, demo_engine)
    body = mention_event(event_id="Ev07RESTART1")
    first.event(body)
    slack.wait_for("chat.postMessage")
    first.server.close()
    first.summit.state.close()
    second = start_bot(tmp_path, slack, demo_engine)  # same bot.db, new process state
    try:
        assert second.event(body).status == 200
        second.settle()
        assert len(slack.of("chat.postMessage", ok=None)) == 1
    finally:
        second.server.close()


def test_top_level_mention_opens_a_thread_on_its_own_ts(bot, slack):
    body = copy.deepcopy(payload("app_mention_top_level.json"))
    body["event"]["text"] = "<@U0BOTSUMMIT> who said “sacred battle”"
    bot.event(body)
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == body["event"]["ts"]
    assert not slack.of("conversations.replies", ok=None)  # no thread, no parent to look up


def test_events_from_the_bot_itself_are_ignored(bot, slack):
    body = mention_event(event_id="Ev07SELF0001", event={"user": "U0BOTSUMMIT"})
    assert bot.event(body).status == 200
    body = mention_event(event_id="Ev07SELF0002", event={"bot_id": "B0SUMMIT01"})
    assert bot.event(body).status == 200
    bot.settle()
    assert not slack.of("chat.postMessage", ok=None)
    assert not slack.of("reactions.add", ok=None)


def test_thread_parent_linking_an_article_scopes_the_answer_to_it(tmp_path, slack, fresh_engine):
    fresh_engine.ingest_documents([
        from_text("Harbour plan approved\n\nThe mayor called the harbour vote “a turning point for the city”.",
                  source="https://example.org/story/1", url="https://example.org/story/1"),
        from_text("Budget talks stall\n\nThe treasurer said the budget deal was “a turning point for the city”.",
                  source="https://example.org/story/123", url="https://example.org/story/123"),
    ])
    b = start_bot(tmp_path, slack, fresh_engine)
    try:
        slack.threads[("C0POLITICS", "1718000000.000100")] = [{
            "type": "message", "user": "U0REPORTER", "ts": "1718000000.000100",
            "text": "Our piece: <https://www.example.org/story/123/|Budget talks stall>"}]
        b.event(mention_event(event={"text": "<@U0BOTSUMMIT> who said “a turning point for the city”"}))
        [post] = slack.wait_for("chat.postMessage")
        first_quote = [t for t in section_texts(post.body["blocks"]) if "> " in t][0]
        assert "treasurer" in first_quote
        assert "Budget talks stall" in all_texts(post.body["blocks"]).split("paragraph")[0]
    finally:
        b.server.close()


# --- safety and limits ---
def test_article_markup_is_rendered_escaped_never_as_pings_or_links(tmp_path, slack, fresh_engine):
    fresh_engine.ingest_documents([from_text(
        "Council <!here> update & more\n\n"
        "The clerk wrote <!channel> and <@U123> in the minutes, then <https://evil.example|click here>, "
        "calling it “a routine notice” to everyone.",
        source="https://example.org/council", url="https://example.org/council?a=1&b=2")])
    b = start_bot(tmp_path, slack, fresh_engine)
    try:
        b.command("who said “a routine notice”")
        [post] = slack.wait_for("response_url")
        everything = json.dumps(post.body, ensure_ascii=False)
        for raw in ("<!channel>", "<!here>", "<@U123>", "<https://evil.example|click here>"):
            assert raw not in everything
        text = all_texts(post.body["blocks"])
        assert "&lt;!channel&gt;" in text and "&lt;@U123&gt;" in text
        assert "&lt;https://evil.example|click here&gt;" in text
        assert "<https://example.org/council?a=1&amp;b=2|Council &lt;!here&gt; update &amp; more>" in text
        assert "&lt;!channel&gt;" in post.body["text"]
    finally:
        b.server.close()


class _StubEngine:
    """Stands in for the engine where the test needs an answer or a failure the corpus cannot give."""

    def __init__(self, answer=None, error=None):
        self.answer, self.error, self.asked = answer, error, []

    def warm(self):
        pass

    def articles(self):
        return []

    def ask(self, question, article_id=None):
        self.asked.append((question, article_id))
        if self.error:
            raise self.error
        return self.answer


def _long_answer(results: int = 8, chars: int = 2900) -> Answer:
    ref = ArticleRef(1, "A long read & more", "https://example.org/long", "2024-06-12", "2024-06-13")
    out = []
    for n in range(results):
        text = (f"Passage {n} says R&D <b> matters. " * 200)[:chars]
        out.append(Result(text=text, article=ref, paragraph=n + 1, start=n * 10000, end=n * 10000 + len(text),
                          score=0.9, highlights=[(n * 10000 + 12, n * 10000 + 15)]))
    return Answer("what matters", "search", True, f"{results} passages for: what matters", results=out)


def test_answer_over_3000_chars_posts_valid_blocks_and_pages_with_more(tmp_path, slack):
    answer = _long_answer()
    assert sum(len(r.text) for r in answer.results) > 3000
    b = start_bot(tmp_path, slack, _StubEngine(answer))
    try:
        b.command("what matters")
        [post] = slack.wait_for("response_url")
        b.settle()
        assert len(slack.of("response_url", ok=None)) == 1  # accepted first time: the fake checks limits
        blocks = post.body["blocks"]
        assert len(blocks) <= 50
        assert all(len(t) <= 3000 for t in section_texts(blocks))
        assert "R&amp;D &lt;b&gt;" in all_texts(blocks)
        more = button(blocks, "summit_more")
        assert more is not None, "the rest of the answer must be reachable"
        b.click("summit_more", more["value"], "more")
        calls = slack.wait_for("response_url", count=2)
        assert calls[1].path.endswith("/more") and calls[1].body["response_type"] == "ephemeral"
        assert "Page 2 of" in all_texts(calls[1].body["blocks"])
    finally:
        b.server.close()


def test_engine_error_gives_a_friendly_message_and_is_logged(tmp_path, slack, caplog):
    b = start_bot(tmp_path, slack, _StubEngine(error=RuntimeError("index file is corrupt")))
    try:
        with caplog.at_level(logging.ERROR):
            b.command("who said “sacred battle”")
            [post] = slack.wait_for("response_url")
            assert "went wrong" in post.body["text"]
            assert "corrupt" not in post.body["text"]  # internals stay in the log

            b.event(mention_event(event_id="Ev07BROKEN01"))
            [reply] = slack.wait_for("chat.postMessage")
            assert reply.body["thread_ts"] == "1718000000.000100"
            assert "went wrong" in reply.body["text"]
            assert [c.body["name"] for c in slack.of("reactions.add")] == ["eyes", "x"]
        logged = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
        assert len(logged) >= 2
        assert any("index file is corrupt" in str(r.exc_info[1]) for r in logged)
        assert all("xoxb-" not in r.getMessage() for r in caplog.records)
    finally:
        b.server.close()


def test_questions_during_warm_up_are_acked_at_once_and_answered_once_ready(tmp_path, slack, demo_engine):
    b = start_bot(tmp_path, slack, demo_engine, warm=False)
    askers = 8  # more than Bolt's 5 listener threads, which also run the acks: none may wait on one
    try:
        assert send(b.url + "/healthz", "", {}, method="GET").status == 503
        for n in range(askers):
            reply = b.command("who said “sacred battle”", response_name=f"early{n}")
            assert reply.status == 200 and reply.seconds < 1.0
            assert "warming up" in reply.json()["text"] and "will follow" in reply.json()["text"]
        assert b.event(mention_event(event_id="Ev07WARM0001")).status == 200
        b.settle(1.0)
        assert not slack.of("response_url", ok=None)  # waiting, not answered "try again"
        b.summit.warm()
        answers = slack.wait_for("response_url", count=askers)
        assert sorted(c.path for c in answers) == sorted(f"/response/early{n}" for n in range(askers))
        assert all(any("*sacred battle*" in t for t in section_texts(c.body["blocks"])) for c in answers)
        notice, answer = slack.wait_for("chat.postMessage", count=2)
        assert notice.body["thread_ts"] == answer.body["thread_ts"] == "1718000000.000100"
        assert "will follow" in notice.body["text"]
        assert any("*sacred battle*" in t for t in section_texts(answer.body["blocks"]))
        b.settle()
        everything = [c.body.get("text") or "" for c in slack.calls if c.method in ("chat.postMessage", "response_url")]
        assert len(everything) == askers + 2
        assert not any("try again" in t or "ask again" in t for t in everything)
    finally:
        b.server.close()


def test_a_failed_warm_up_answers_waiting_questions_with_one_clear_line(tmp_path, slack):
    from bot.services import Summit
    from bot.settings import BotSettings
    from bot.web import create_app
    from bot_harness import Bot, bot_env

    from fake_slack import Served

    env = bot_env(tmp_path / "data", slack, SUMMIT_MODEL=str(tmp_path / "no-such-model"))
    summit = Summit(BotSettings.from_env(env))
    server = Served(create_app(env, summit=summit, warm=False))
    b = Bot(server.url, slack, summit, server)
    try:
        assert "warming up" in b.command("what did the mayor say").json()["text"]
        summit.warm_in_background().join(120)
        [post] = slack.wait_for("response_url")
        assert "could not load" in post.body["text"] and "again" not in post.body["text"]
        assert send(b.url + "/healthz", "", {}, method="GET").body == "warm-up failed: see the logs\n"
    finally:
        server.close()


def test_rate_limited_calls_are_retried(bot, slack):
    slack.rate_limit["chat.postMessage"] = 1
    bot.event(mention_event(event_id="Ev07RATE0001"))
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == "1718000000.000100"
    assert len(slack.of("chat.postMessage", ok=False)) == 1  # the 429, then the retry went through


def test_slack_markup_in_a_command_is_read_as_text(bot, slack):
    """A user or a link pasted into /summit is its label, as in a mention."""
    bot.command("check “sacred battle” <@U0KIM|Kim Jong Un>")
    [reply] = slack.wait_for("response_url")
    assert "Confirmed" in all_texts(reply.body["blocks"]) and "<@U0KIM" not in reply.body["text"]


def test_mentions_a_message_opens_with_are_not_the_question(bot, slack):
    bot.event(mention_event(event_id="Ev07TWOMENT1",
                            event={"text": "<@U0EDITOR1> <@U0BOTSUMMIT> who said “sacred battle”"}))
    [reply] = slack.wait_for("chat.postMessage")
    assert reply.body["text"].startswith("Kim Jong Un said")


def test_one_message_delivered_under_two_event_ids_is_answered_once(bot, slack):
    bot.event(mention_event(event_id="Ev07SAMEMSG1"))
    slack.wait_for("chat.postMessage")
    assert bot.event(mention_event(event_id="Ev07SAMEMSG2")).status == 200
    bot.settle(1.0)
    assert len(slack.of("chat.postMessage")) == 1


def _first_page_more(b, slack) -> dict:
    """Ask for the long answer and return the More button of its first page."""
    b.command("what matters")
    [first] = slack.wait_for("response_url")
    return button(first.body["blocks"], "summit_more")


def test_share_on_a_later_page_shares_that_page(tmp_path, slack):
    b = start_bot(tmp_path, slack, _StubEngine(_long_answer()))
    try:
        more = _first_page_more(b, slack)
        b.click("summit_more", more["value"], "more")
        second = slack.wait_for("response_url", count=2)[1]
        assert "Page 2 of" in all_texts(second.body["blocks"])
        share = button(second.body["blocks"], "summit_share")
        b.click("summit_share", share["value"], "share")
        shared = slack.wait_for("response_url", count=3)[2].body
        assert shared["response_type"] == "in_channel" and "Page 2 of" in all_texts(shared["blocks"])
        assert section_texts(shared["blocks"]) == section_texts(second.body["blocks"])
        key = share["value"].rpartition(":")[0]  # a Share button from before pages were in its value
        b.click("summit_share", key, "old")
        assert "Page 1 of" in all_texts(slack.wait_for("response_url", count=4)[3].body["blocks"])
    finally:
        b.server.close()


def test_more_on_a_shared_answer_where_the_bot_is_not_invited_goes_to_the_clicker(tmp_path, slack):
    b = start_bot(tmp_path, slack, _StubEngine(_long_answer()))
    try:
        more = _first_page_more(b, slack)
        slack.not_member.add("C0PRIVATE")
        b.click("summit_more", more["value"], "more", ephemeral=False, channel="C0PRIVATE",
                message={"ts": "1718000700.000100"})
        calls = slack.wait_for("response_url", count=2)
        assert calls[1].body["response_type"] == "ephemeral" and "Page 2 of" in all_texts(calls[1].body["blocks"])
        key = more["value"].rpartition(":")[0]
        reply = b.click("summit_more", key + ":²", "odd")  # a tampered page number
        assert reply.status == 200
        assert "no longer stored" in slack.wait_for("response_url", count=3)[2].body["text"]
    finally:
        b.server.close()
