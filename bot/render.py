"""Answers as Block Kit messages: verbatim passages, matched words in bold, cited.

Slack reads `& < >` as markup, so every piece of article text is escaped before it is
wrapped in formatting; offsets are always taken on the raw text, never the escaped one.
Limits: 3,000 characters per section, 50 blocks per message. Longer answers are split
into pages; `answer_message(..., page=n)` renders page n with a "More" button for the next.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index import Answer, Result
from index.quotes.extraction import DIRECT, kind_label

SECTION_CHARS = 3000
MAX_BLOCKS = 50
PAGE_BLOCKS = MAX_BLOCKS - 3  # room for a page note, the buttons and a "shared by" line
PAGE_CHARS = 12000  # well under any total Slack accepts, so a message is never rejected
TEXT_CHARS = 3000  # the plain `text` fallback (notifications, screen readers)

SHARE_ACTION = "summit_share"
MORE_ACTION = "summit_more"

_WORD = re.compile(r"\w", re.UNICODE)


def escape(text: str) -> str:
    """Slack's three control characters; mentions, links and specials then show as text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _phrase(question: str) -> str | None:
    from index.retrieval.question import parse

    try:
        return parse(question).phrase
    except Exception:  # the question was parsed once already; a header is not worth failing for
        return None


def _said_directly(answer: Answer) -> bool:
    """Quotation marks only for the speaker's own words: not when the words are only in reported speech."""
    return any(r.kind == DIRECT for r in answer.results if r.speaker == answer.speaker)


# A check's verdict (index/quotes/check.py) leads its answer, with a symbol to see at a glance.
VERDICTS = {"confirmed": ("✅", "Confirmed"), "conflict": ("⚠️", "Conflict"), "altered": ("⚠️", "Altered"),
            "other_speaker": ("⚠️", "Other speaker"), "not_found": ("❓", "Not found")}


def verdict_line(answer: Answer) -> tuple[str, str]:
    """(symbol, label) of a check's verdict."""
    return VERDICTS.get(answer.verdict, ("", answer.verdict or ""))


def header(answer: Answer) -> str:
    """One mrkdwn line: "*Speaker* said “phrase”", or the engine's own summary line."""
    if answer.verdict:
        symbol, label = verdict_line(answer)
        return _clip(f"{symbol} *{label}.* {escape(answer.message)}", SECTION_CHARS)
    if answer.speaker:
        phrase = _phrase(answer.question)
        if phrase and answer.answered and _said_directly(answer):
            return _clip(f"*{escape(answer.speaker)}* said “{escape(phrase)}”", SECTION_CHARS)
        return _clip(f"*{escape(answer.speaker)}* — {escape(answer.message)}", SECTION_CHARS)
    return _clip(escape(answer.message), SECTION_CHARS)


def plain_header(answer: Answer) -> str:
    if answer.verdict:
        symbol, label = verdict_line(answer)
        return f"{symbol} {label}. {answer.message}"
    if answer.speaker:
        phrase = _phrase(answer.question)
        if phrase and answer.answered and _said_directly(answer):
            return f"{answer.speaker} said “{phrase}”"
        return f"{answer.speaker} — {answer.message}"
    return answer.message


# --- passages ---
def _spans(result: Result) -> list[tuple[int, int]]:
    """Highlights clipped to the passage and widened to whole words (Slack bolds whole words only)."""
    text, base = result.text, result.start
    spans: list[tuple[int, int]] = []
    for s, e in sorted(result.highlights):
        s, e = max(s, result.start) - base, min(e, result.end) - base
        if s >= e:
            continue
        while s > 0 and _WORD.match(text[s - 1]):
            s -= 1
        while e < len(text) and _WORD.match(text[e]):
            e += 1
        if spans and s <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
        else:
            spans.append((s, e))
    return spans


def _bold(raw: str) -> str:
    """Bold each line of `raw` separately: a `*` pair may not span lines, nor start or end on a space."""
    out = []
    for line in raw.split("\n"):
        core = line.strip()
        if not core or "*" in core:  # a literal asterisk would pair with ours
            out.append(escape(line))
            continue
        lead = line[:len(line) - len(line.lstrip())]
        trail = line[len(line.rstrip()):]
        out.append(f"{escape(lead)}*{escape(core)}*{escape(trail)}")
    return "\n".join(out)


def _render_range(result: Result, spans: list[tuple[int, int]], a: int, b: int) -> str:
    text, parts, pos = result.text, [], a
    for s, e in spans:
        s, e = max(s, a), min(e, b)
        if s >= e:
            continue
        parts.append(escape(text[pos:s]))
        parts.append(_bold(text[s:e]))
        pos = e
    parts.append(escape(text[pos:b]))
    body = "".join(parts).strip("\n")
    return "\n".join("> " + line if line.strip() else ">" for line in body.split("\n"))


def _split_point(text: str, a: int, b: int) -> int:
    mid = (a + b) // 2
    for offset in range(0, (b - a) // 2):
        for pos in (mid - offset, mid + offset):
            if a < pos < b and text[pos].isspace():
                return pos
    return mid


def passage_sections(result: Result, limit: int = SECTION_CHARS) -> list[str]:
    """The passage as one or more blockquote texts, each within `limit` characters."""
    spans = _spans(result)
    pending, out = [(0, len(result.text))], []
    while pending:
        a, b = pending.pop(0)
        rendered = _render_range(result, spans, a, b)
        if len(rendered) <= limit or b - a <= 1:
            if rendered.strip(">\n "):
                out.append(rendered)
            continue
        cut = _split_point(result.text, a, b)
        pending[:0] = [(a, cut), (cut, b)]
    return out


def link(url: str | None, title: str) -> str:
    """A title linked to its article; the title is escaped, the URL made safe for `<url|…>`."""
    if url and re.match(r"https?://", url) and not any(c.isspace() for c in url):
        return f"<{escape(url).replace('|', '%7C')}|{escape(title)}>"
    return escape(title)


def citation(result: Result, first: bool = False) -> str:
    """The article, paragraph and date; a check's result without a publication date says since
    when the archive has it, and the first publication is marked."""
    a = result.article
    parts = [link(a.url, a.title), f"paragraph {result.paragraph}"]
    if a.published:
        parts.append(escape(a.published[:10]))
    elif result.date:
        parts.append(f"in the archive since {escape(result.date[:10])}")
    if a.updated:
        parts.append(f"updated {escape(a.updated[:10])}")
    if result.match == "inexact":
        parts.append("near match")
    if first:
        parts.append("*first publication*")
    return _clip(" · ".join(parts), SECTION_CHARS)


def variant_line(result: Result) -> str:
    """An altered variant beside the asked words. Only a direct quote is put in quotation marks."""
    if result.kind == "direct":
        return f"“{escape(result.diff)}”  _[published → asked]_"
    said = "reported" if result.kind else "narration"
    return f"{escape(result.diff)} ({said})  _[published → asked]_"


def check_blocks(result: Result, first: bool) -> list[dict]:
    """One occurrence of checked words: who (a direct quote, reported speech or narration), the
    sentence verbatim, the differences of a variant, and the citation."""
    kind = {"direct": "direct quote", "indirect": "reported"}.get(result.kind or "", "narration")
    who = f"*{escape(result.speaker)}* ({kind})" if result.speaker else (
        f"Speaker not identified ({kind})" if result.kind else "Narration, no speaker")
    pieces = passage_sections(result)
    lead = who + ":\n" + (f"{variant_line(result)}\n" if result.diff else "")
    if pieces and len(lead) + len(pieces[0]) <= SECTION_CHARS:
        pieces = [lead + pieces[0]] + pieces[1:]
    else:
        pieces = [_clip(lead.rstrip("\n"), SECTION_CHARS)] + pieces
    return [section(p) for p in pieces] + [context(citation(result, first))]


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def result_blocks(result: Result) -> list[dict]:
    blocks = []
    pieces = passage_sections(result)
    if result.speaker:
        kind = f" ({escape(kind_label(result.kind))})" if result.kind else ""
        who = f"*{escape(result.speaker)}*{kind}:\n"
        if len(who) + len(pieces[0] if pieces else "") <= SECTION_CHARS:
            pieces = [who + (pieces[0] if pieces else "")] + pieces[1:]
        else:
            pieces = [who.rstrip("\n")] + pieces
    blocks.extend(section(p) for p in pieces)
    blocks.append(context(citation(result)))
    return blocks


# --- whole messages ---
def pages(answer: Answer) -> list[list[dict]]:
    """The answer's blocks, split into pages that each fit one message."""
    first = [section(header(answer))]
    out, current = [], first
    size = lambda blocks: sum(len(_block_text(b)) for b in blocks)  # noqa: E731
    for result in answer.results:
        blocks = check_blocks(result, _same(result, answer.first)) if answer.verdict else result_blocks(result)
        for block in blocks:
            if len(current) + 1 > PAGE_BLOCKS or size(current) + len(_block_text(block)) > PAGE_CHARS:
                out.append(current)
                current = []
            current.append(block)
    out.append(current)
    return out


def _same(a: Result, b: Result | None) -> bool:
    return b is not None and (a.article.id, a.start, a.highlights) == (b.article.id, b.start, b.highlights)


def _block_text(block: dict) -> str:
    if block["type"] == "section":
        return block["text"]["text"]
    return "".join(e.get("text", "") for e in block.get("elements", []))


def plain_text(answer: Answer) -> str:
    """The fallback `text`: the header and the first passage, escaped like the blocks."""
    lines = [escape(plain_header(answer))]
    if answer.results:
        r = answer.results[0]
        lines.append("> " + escape(" ".join(r.text.split())))
        lines.append("— " + escape(r.article.title))
    return _clip("\n".join(lines), TEXT_CHARS)


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    button = {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": text},
              "value": value}
    if style:
        button["style"] = style
    return button


@dataclass
class Message:
    text: str
    blocks: list[dict]

    def to_dict(self) -> dict:
        return {"text": self.text, "blocks": self.blocks}


def answer_message(answer: Answer, key: str | None = None, page: int = 0, shareable: bool = False) -> Message:
    """Page `page` of the answer. With a `key` (see bot.state) it gets a Share and a More button."""
    all_pages = pages(answer)
    page = max(0, min(page, len(all_pages) - 1))
    blocks = list(all_pages[page])
    if len(all_pages) > 1:
        note = f"Page {page + 1} of {len(all_pages)}"
        if key is None and page + 1 < len(all_pages):
            note += " (the rest did not fit in one message)"
        blocks.append(context(note))
    buttons = []
    if key and shareable:
        buttons.append(_button("Share in channel", SHARE_ACTION, f"{key}:{page}", "primary"))  # shares this page
    if key and page + 1 < len(all_pages):
        buttons.append(_button("More", MORE_ACTION, f"{key}:{page + 1}"))
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return Message(plain_text(answer), blocks)


def notice(text: str) -> Message:
    """A short plain message (warming up, errors); `text` is ours, not article text."""
    return Message(text, [section(text)])


def help_message(command: str = "/summit") -> Message:
    c = escape(command)
    text = "\n".join([
        f"*{c}* answers questions about our published articles by quoting them word for word.",
        "",
        "*Who said a phrase* (straight or curly quotes both work):",
        f"• `{c} who said \"sacred battle\"`",
        "*What someone said*, optionally about a topic:",
        f"• `{c} what did the minister say about sanctions`",
        "*Check a quote* against the whole archive, optionally with who is said to have said it:",
        f"• `{c} check “a historic mistake” Mayor Reyes`",
        "*Any question* (you get the closest passages, cited):",
        f"• `{c} where did the meeting take place`",
        "",
        "*Add an article* by its link, or *preview today's digest*:",
        f"• `{c} add https://example.com/news/story`   • `{c} digest`",
        "",
        "Answers are private to you; *Share in channel* posts them for everyone.",
        "Mention me in a thread under an article link to ask about that article first:",
        "• `@Summit who said \"first step\"`",
    ])
    return Message(f"How to use {command}: {command} who said \"a phrase\"", [section(text)])
