"""Posting helpers shared by listeners: a message that Slack refuses is retried as plain text."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from ..render import Message

log = logging.getLogger("summit.bot")

SORRY = "Sorry, something went wrong while answering that. The error has been logged; please try again."
WARMING = "Summit is warming up (loading the model and the index); your answer will follow in a moment."
UNAVAILABLE = ("Summit could not load its model and index, so it cannot answer this now. "
               "The error has been logged for whoever runs the bot.")
REFUSED = ("invalid_blocks", "invalid_blocks_format", "msg_too_long", "invalid_arguments")


def is_help(text: str) -> bool:
    return text.strip().lower() in ("", "help", "?", "-h", "--help")


def post(client, channel: str, thread_ts: str | None, message: Message) -> None:
    kwargs = dict(channel=channel, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False)
    try:
        client.chat_postMessage(text=message.text, blocks=message.blocks, **kwargs)
    except SlackApiError as exc:
        if exc.response.get("error") not in REFUSED:
            raise
        log.warning("Slack refused the blocks (%s); posting plain text", exc.response.get("error"))
        client.chat_postMessage(text=message.text, **kwargs)


def respond_with(respond, message: Message, response_type: str = "ephemeral") -> None:
    response = respond(text=message.text, blocks=message.blocks, response_type=response_type,
                       replace_original=False)
    if response is not None and response.status_code != 200:
        log.warning("response_url refused the blocks (%s %s); sending plain text",
                    response.status_code, (response.body or "")[:100])
        respond(text=message.text, response_type=response_type, replace_original=False)
