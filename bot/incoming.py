"""Slack text in: decode Slack's escaping, drop mention markup, find article links.

Slack sends `& < >` as `&amp; &lt; &gt;` and wraps mentions and links in `<...>`.
Curly quotes pass through untouched: the engine's question parser reads them as quotes.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

_MARKUP = re.compile(r"<([^<>]*)>")
_LEADING_MENTIONS = re.compile(r"^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>\s*)+")
MIN_TITLE_CHARS = 12  # shorter titles ("Live", "Briefing") name too many messages by accident


def decode(text: str) -> str:
    """Undo Slack's escaping; `&amp;` last so that `&amp;lt;` stays the literal `&lt;`."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _readable(inner: str, drop_user: str | None) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        if drop_user and target[1:] == drop_user:
            return ""
        return "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        return label or ""  # <!here>, <!channel>, dates: not part of a question
    return label or target


def clean_text(text: str, bot_user_id: str | None = None) -> str:
    """Readable question text: our own mention removed, links shown by their label, and the
    mentions a message opens with dropped ("@Ann @Summit who said …" addresses people)."""
    text = _LEADING_MENTIONS.sub("", text)
    text = _MARKUP.sub(lambda m: _readable(m.group(1), bot_user_id), text)
    return " ".join(decode(text).split())


def links(text: str) -> list[str]:
    """URLs in a Slack message, from `<url|label>` markup and bare URLs alike."""
    found = []
    for m in _MARKUP.finditer(text):
        target = m.group(1).partition("|")[0]
        if target.startswith(("http://", "https://")):
            found.append(decode(target))
    rest = _MARKUP.sub(" ", text)
    found.extend(decode(u) for u in re.findall(r"https?://[^\s<>|]+", rest))
    return found


def url_key(url: str) -> str:
    """Compare URLs the way a reader would: no scheme, no www., no trailing slash or fragment."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return host + path + (f"?{parts.query}" if parts.query else "")


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[“”‘’\"']", "", text).lower().split())


def find_article(text: str, articles: list) -> int | None:
    """The id of the article that `text` links to, or else names by its full title."""
    wanted = {url_key(u) for u in links(text)}
    if wanted:
        for row in articles:
            for candidate in (row.url, row.source):
                if candidate and candidate.startswith(("http://", "https://")) and url_key(candidate) in wanted:
                    return row.id
    folded = _fold(clean_text(text))
    best = None
    for row in articles:
        title = _fold(row.title or "")
        if len(title) >= MIN_TITLE_CHARS and title in folded and (best is None or len(title) > len(best[1])):
            best = (row.id, title)
    return best[0] if best else None
