"""`/summit <question>`: ack at once, answer privately through the response_url."""
from __future__ import annotations

from index.errors import InputError

from ...incoming import decode
from ...render import answer_message, help_message, notice
from ..replies import SORRY, WARMING, is_help, respond_with


def _question(command: dict) -> str:
    return decode(command.get("text") or "").strip()


def summit_ack(ack, command, context):
    """Runs within Slack's 3 s: help and warm-up notices are the ack itself; answers come later."""
    question = _question(command)
    if is_help(question):
        message = help_message(command.get("command") or "/summit")
        ack(text=message.text, blocks=message.blocks, response_type="ephemeral")
    elif not context["summit_ready"]:
        ack(text=WARMING, response_type="ephemeral")
    else:
        ack()


def summit_answer(command, respond, context, logger):
    question = _question(command)
    if is_help(question) or not context["summit_ready"]:
        return  # the ack already said everything
    summit = context["summit"]
    try:
        answer = summit.ask(question)
    except InputError as exc:
        respond_with(respond, notice(str(exc)))
        return
    except Exception:
        logger.exception("/summit failed for a question in %s", command.get("channel_id"))
        respond_with(respond, notice(SORRY))
        return
    key = summit.state.save_answer(answer)
    respond_with(respond, answer_message(answer, key=key, shareable=True))
