"""Buttons on answers: "Share in channel" and "More" (the next page of a long answer)."""
from __future__ import annotations

import logging
import re

from slack_sdk.errors import SlackApiError

from ...render import answer_message, context as context_block, notice
from ..replies import post, respond_with

log = logging.getLogger(__name__)
EXPIRED = "That answer is no longer stored; please ask again."
ALREADY_SHARED = "That answer is already shared in this channel."
_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")


def _channel(body: dict) -> str | None:
    """The channel a button was clicked in."""
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


def share_answer(ack, action, body, respond, context):
    """Post the page shown for everyone in the channel, saying who shared it."""
    ack()
    summit = context["summit"]
    value = action.get("value") or ""
    key, _, page = value.rpartition(":") if ":" in value else (value, "", "0")  # no page: a button from before
    answer = summit.state.load_answer(key)
    if answer is None or not (page.isascii() and page.isdigit()):
        respond_with(respond, notice(EXPIRED))
        return
    if not summit.state.first_time(f"share:{key}:{int(page)}:{_channel(body) or ''}"):  # a second click, or a colleague's
        respond_with(respond, notice(ALREADY_SHARED))
        return
    message = answer_message(answer, key=key, page=int(page))
    user = (body.get("user") or {}).get("id") or ""
    if _USER.match(user):
        message.blocks.append(context_block(f"Shared by <@{user}>"))
    respond_with(respond, message, response_type="in_channel")


def more_answer(ack, action, body, respond, client, context):
    """The next page, where the first one was: privately, or in the same thread."""
    ack()
    summit = context["summit"]
    key, _, page = (action.get("value") or "").rpartition(":")
    answer = summit.state.load_answer(key)
    if answer is None or not (page.isascii() and page.isdigit()):  # "²" is a digit int() refuses
        respond_with(respond, notice(EXPIRED))
        return
    container = body.get("container") or {}
    if container.get("is_ephemeral"):
        respond_with(respond, answer_message(answer, key=key, page=int(page), shareable=True))
        return
    message = body.get("message") or {}
    try:
        post(client, _channel(body),
             message.get("thread_ts") or message.get("ts") or container.get("message_ts"),
             answer_message(answer, key=key, page=int(page)))
    except SlackApiError as exc:  # a shared answer lives where the bot may not be invited: show it privately
        log.warning("could not post the next page (%s); sent to the asker privately", exc.response.get("error"))
        respond_with(respond, answer_message(answer, key=key, page=int(page), shareable=True))
