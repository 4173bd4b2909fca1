"""Plain-text answers for the terminal: the same content the bot posts, without Block Kit."""
from __future__ import annotations

import textwrap

from index import Answer, Result
from index.quotes.extraction import kind_label

BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def citation(result: Result) -> str:
    a = result.article
    parts = [a.title, f"paragraph {result.paragraph}"]
    if a.published:
        parts.append(a.published[:10])
    if a.updated:
        parts.append(f"updated {a.updated[:10]}")
    if a.url:
        parts.append(a.url)
    return " · ".join(parts)


def format_answer(answer: Answer, color: bool = False) -> str:
    """The answer as the bot gives it: a header line, then each passage verbatim and cited."""
    on, off, dim = (BOLD, RESET, DIM) if color else ("", "", "")
    head = answer.message  # it names the speaker when there is one
    if answer.verdict:
        from .render import verdict_line

        symbol, label = verdict_line(answer)
        head = f"{symbol} {on}{label}.{off} {head}"
    if answer.speaker and color:
        head = head.replace(answer.speaker, f"{on}{answer.speaker}{off}", 1)
    lines = [head, ""]
    for n, r in enumerate(answer.results, 1):
        marked = r.marked(on, off) if color else r.marked("**", "**")
        if answer.verdict:  # a check: direct quote, reported speech or narration, said plainly
            kind = {"direct": "direct quote", "indirect": "reported"}.get(r.kind or "", "narration")
            lines.append(f"{n}. {r.speaker or 'no speaker identified'} ({kind}):")
            if r.diff:
                shown = f"“{r.diff}”" if r.kind == "direct" else f"{r.diff} ({kind})"
                lines.append(f"   {shown}  [published → asked]")
        elif r.speaker:
            kind = f" ({kind_label(r.kind)})" if r.kind else ""
            lines.append(f"{n}. {r.speaker}{kind}:")
        # Verbatim: no re-wrapping, the terminal wraps long lines itself.
        body = textwrap.indent(marked, "   > ")
        lines.append(body if r.speaker or answer.verdict else f"{n}." + body[2:])
        since = f" · in the archive since {r.date[:10]}" if answer.verdict and r.date and not r.article.published else ""
        tag = f"   {dim}— {citation(r)}{since}" + (f" · {r.match} match" if r.match == "inexact" else "") + off
        lines.extend([tag, ""])
    return "\n".join(lines).rstrip() + "\n"
