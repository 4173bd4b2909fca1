"""`/summit <question>`, `/summit add <url>` and `/summit digest`: ack at once, answer privately later."""
from __future__ import annotations

import re

from index.errors import InputError

from ...incoming import clean_text, decode, links
from ...render import answer_message, escape, help_message, notice
from ..replies import SORRY, UNAVAILABLE, WARMING, is_help, respond_with

_SUBCOMMAND = re.compile(r"^(add|digest)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)


def _parse(command: dict) -> tuple[str, str]:
    """(kind, argument): kind is help, add, digest or ask. Links keep Slack's <url> markup until here."""
    raw = (command.get("text") or "").strip()
    m = _SUBCOMMAND.match(raw)
    if m and m.group(1).lower() == "add":
        found = links(m.group(2))
        return "add", found[0] if found else decode(m.group(2)).strip()
    if m and m.group(1).lower() == "digest" and not m.group(2).strip():
        return "digest", ""
    question = clean_text(raw)  # "check “…” <@U123|Ann Lee>" asks about Ann Lee, a link by its label
    return ("help", "") if is_help(question) else ("ask", question)


def summit_ack(ack, command, context):
    """Runs within Slack's 3 s: help, warm-up and "adding" notices are the ack itself."""
    kind, arg = _parse(command)
    if kind == "help":
        message = help_message(command.get("command") or "/summit")
        ack(text=message.text, blocks=message.blocks, response_type="ephemeral")
    elif not context["summit_ready"]:
        ack(text=WARMING, response_type="ephemeral")
    elif kind == "add":
        ack(text=f"Adding {arg} to the archive…" if arg else "Usage: /summit add https://…",
            response_type="ephemeral")
    else:
        ack()


def summit_answer(command, respond, context, logger):
    kind, arg = _parse(command)
    if kind == "help" or (kind == "add" and not arg):
        return  # the ack already said everything
    summit = context["summit"]

    def answer(ready: bool) -> None:  # now, or once warm-up ends (the ack said it will follow)
        if ready:
            _answer(summit, kind, arg, command, respond, logger)
        else:
            respond_with(respond, notice(UNAVAILABLE))

    summit.when_ready(answer)


def _answer(summit, kind: str, arg: str, command: dict, respond, logger) -> None:
    try:
        if kind == "add":
            respond_with(respond, notice(_added(summit.engine.add_url(arg))))
        elif kind == "digest":
            respond_with(respond, _digest_preview(summit.engine))
        else:
            answer = summit.ask(arg)
            key = summit.state.save_answer(answer)
            respond_with(respond, answer_message(answer, key=key, shareable=True))
    except InputError as exc:
        respond_with(respond, notice(str(exc)))
    except Exception:
        logger.exception("/summit %s failed in %s", kind, command.get("channel_id"))
        respond_with(respond, notice(SORRY))


def _added(result) -> str:
    title = escape(result.title or result.source)  # article text: never markup
    if result.status == "unchanged":
        return f"Already in the archive, unchanged: “{title}”."
    if result.status == "duplicate":
        return f"Already in the archive under another address: “{title}”."
    verb = "Updated" if result.status == "updated" else "Added"
    return f"{verb} “{title}”: {result.quotes} quote{'s' * (result.quotes != 1)} found."


def _digest_preview(engine):
    from ...digest import DigestSettings, make_digest, render
    from ...render import Message

    settings = DigestSettings.from_env()
    digest = make_digest(engine, settings, settings.today())
    blocks, text = render(digest, settings.max_articles)
    return Message(text, blocks)
