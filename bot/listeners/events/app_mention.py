"""`@Summit question` in a channel or thread: answer in the thread, scoped to its article."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from index.errors import InputError

from ...incoming import clean_text, find_article
from ...render import answer_message, help_message, notice
from ..replies import SORRY, UNAVAILABLE, WARMING, is_help, post

WORKING, FAILED = "eyes", "x"


def _react(client, name: str, channel: str, ts: str, logger, remove: bool = False) -> None:
    try:
        if remove:
            client.reactions_remove(channel=channel, timestamp=ts, name=name)
        else:
            client.reactions_add(channel=channel, timestamp=ts, name=name)
    except SlackApiError as exc:  # a missing reaction is cosmetic; the answer still goes out
        logger.warning("reactions.%s %s failed: %s", "remove" if remove else "add", name, exc.response.get("error"))


def thread_article(client, summit, event: dict, logger: logging.Logger) -> int | None:
    """The indexed article the thread's parent message links to or names, if any."""
    articles = None
    thread_ts = event.get("thread_ts")
    if thread_ts and thread_ts != event.get("ts"):
        try:
            replies = client.conversations_replies(channel=event["channel"], ts=thread_ts, limit=1)
            parent = (replies.get("messages") or [{}])[0]
        except SlackApiError as exc:
            logger.warning("conversations.replies failed (%s); answering from the whole archive",
                           exc.response.get("error"))
            parent = {}
        text = parent.get("text") or ""
        for att in parent.get("attachments") or []:  # link unfurls carry the article's URL and title
            text += " " + " ".join(str(att.get(k) or "") for k in ("from_url", "title_link", "original_url", "title"))
        if text.strip():
            articles = summit.articles()
            found = find_article(text, articles)
            if found is not None:
                return found
    own = event.get("text") or ""
    if "http" in own:
        return find_article(own, articles if articles is not None else summit.articles())
    return None


def answer_mention(event, client, context, logger):
    channel, ts = event["channel"], event["ts"]
    thread_ts = event.get("thread_ts") or ts
    if event.get("bot_id") or (context.bot_user_id and event.get("user") == context.bot_user_id):
        return  # never answer ourselves (Bolt drops most of these already)
    summit = context["summit"]
    if not summit.ready.is_set():
        post(client, channel, thread_ts, notice(WARMING))  # the answer follows in this thread

    def answer(ready: bool) -> None:  # now, or once warm-up ends
        if ready:
            _answer(event, client, context, logger)
        else:
            post(client, channel, thread_ts, notice(UNAVAILABLE))

    summit.when_ready(answer)


def _answer(event, client, context, logger) -> None:
    channel, ts = event["channel"], event["ts"]
    thread_ts = event.get("thread_ts") or ts
    summit = context["summit"]
    _react(client, WORKING, channel, ts, logger)
    try:
        question = clean_text(event.get("text") or "", context.bot_user_id)
        if is_help(question):
            post(client, channel, thread_ts, help_message())
        else:
            answer = summit.ask(question, article_id=thread_article(client, summit, event, logger))
            key = summit.state.save_answer(answer)
            post(client, channel, thread_ts, answer_message(answer, key=key))
    except InputError as exc:
        post(client, channel, thread_ts, notice(str(exc)))
    except Exception:
        logger.exception("answering a mention in %s failed", channel)
        _react(client, FAILED, channel, ts, logger)
        try:
            post(client, channel, thread_ts, notice(SORRY))
        except Exception:
            logger.exception("could not post the failure notice in %s", channel)
    finally:
        _react(client, WORKING, channel, ts, logger, remove=True)
