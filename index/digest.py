"""The daily digest's content: which articles, their lead sentences, key quotes, who was quoted.

Rendering and posting live in `bot/`; this module returns plain data.

Articles are dated by publication when known, else by ingest time. The digest for day D covers
the `window_hours` up to D's digest time in the configured time zone.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np

from . import textnorm
from .sources.chunking import sentence_spans

LEAD_SENTENCES = 2
KEY_QUOTES = 3
MIN_LEAD_WORDS = 8  # shorter "sentences" are captions, datelines or headings
MAX_LEAD_CHARS = 400


@dataclass
class DigestQuote:
    speaker: str
    quote: str
    kind: str
    paragraph: int
    start: int
    end: int
    sentence: str = ""  # the reporter's sentence: how reported speech is shown (never in quotation marks)


@dataclass
class DigestArticle:
    id: int
    title: str
    url: str | None
    dated: str  # ISO 8601, the time the article counts as from
    lead: list[str] = field(default_factory=list)  # verbatim sentences, in article order
    quotes: list[DigestQuote] = field(default_factory=list)  # the key ones
    quote_count: int = 0


@dataclass
class Digest:
    day: str  # YYYY-MM-DD
    timezone: str
    window_start: str
    window_end: str
    articles: list[DigestArticle]
    quote_count: int
    speakers: list[tuple[str, int]]  # people quoted, most quoted first

    @property
    def empty(self) -> bool:
        return not self.articles

    def to_dict(self) -> dict:
        return asdict(self)


def window(day: date, at: time, tz_name: str, hours: float) -> tuple[datetime, datetime]:
    end = datetime.combine(day, at, tzinfo=ZoneInfo(tz_name))
    return end - timedelta(hours=hours), end


def article_time(published: str | None, ingested_at: str, tz: ZoneInfo) -> datetime:
    """When an article counts as published: its own date if known (a bare date is local midnight)."""
    for raw in (published, ingested_at):
        if not raw:
            continue
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    return datetime.now(timezone.utc)


def build_digest(engine, day: date, at: time, tz_name: str, window_hours: float = 24) -> Digest:
    tz = ZoneInfo(tz_name)
    start, end = window(day, at, tz_name, window_hours)
    chosen = []
    for row, _chunks in engine.articles():
        dated = article_time(row.published, row.ingested_at, tz)
        if start <= dated < end:
            chosen.append((dated, row))
    chosen.sort(key=lambda item: (item[0], item[1].id), reverse=True)  # newest first

    articles, speakers, total = [], Counter(), 0
    for dated, row in chosen:
        quotes = engine.quotes(article_id=row.id)
        total += len(quotes)
        speakers.update(q.speaker for q in quotes if shown_speaker(q))
        articles.append(DigestArticle(row.id, row.title, row.url, dated.isoformat(),
                                      quotes=key_quotes(quotes), quote_count=len(quotes)))
    return Digest(day.isoformat(), tz_name, start.isoformat(), end.isoformat(), articles, total,
                  speakers.most_common())


def add_leads(engine, digest: Digest, limit: int | None = None) -> None:
    """Fill lead sentences for the first `limit` articles (the ones a post will show)."""
    for article in digest.articles[:limit]:
        text = engine.store.article_text(article.id)
        article.lead = lead_sentences(text, engine.store.paragraphs(article.id), engine.query_encoder.encode,
                                      title=article.title)


_OPENING_MARKS = "“‘\"'«„"
_QUOTE_PAIRS = (("“", "”"), ("«", "»"))


def whole_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Sentence offsets that never cut a quotation, a Slack token (`<!here>`) or a clause in two;
    a quotation mark left dangling at a sentence's end belongs to the next sentence."""
    spans = []
    for s, e in sentence_spans(paragraph):
        if spans and _continues(paragraph[spans[-1][0]:spans[-1][1]], paragraph[s:e]):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    out, carry = [], None  # carry: where a mark dropped from the sentence before begins
    for s, e in spans:
        if carry is not None and carry < s:
            s = carry
        kept = s + len(_drop_dangling_mark(paragraph[s:e]))
        carry = next((i for i in range(kept, e) if not paragraph[i].isspace()), None)
        while s < kept and paragraph[s].isspace():
            s += 1
        if s < kept:
            out.append((s, kept))
    return out


def _continues(before: str, after: str) -> bool:
    before = _drop_dangling_mark(before)
    if before.rfind("<") > before.rfind(">"):
        return True  # split inside Slack markup such as <!here>
    if _open_quotes(before):
        return True
    first = after.lstrip(_OPENING_MARKS + " ")[:1]
    return first.islower()


def _drop_dangling_mark(text: str) -> str:
    """`“…,” she said. “` -> `“…,” she said.`: the last mark opens the next sentence's quote."""
    text = text.rstrip()
    while text and text[-1] in _OPENING_MARKS and (len(text) == 1 or text[-2].isspace()):
        text = text[:-1].rstrip()
    return text


def _open_quotes(text: str) -> bool:
    if any(text.count(a) > text.count(b) for a, b in _QUOTE_PAIRS):
        return True
    return text.count('"') % 2 == 1


def _balanced(sentence: str) -> bool:
    return all(sentence.count(a) == sentence.count(b) for a, b in _QUOTE_PAIRS) and sentence.count('"') % 2 == 0


def repeats_title(sentence: str, title: str) -> bool:
    """The headline again (often the first line of the text), or the headline with a word or two."""
    s, t = textnorm.words(sentence), textnorm.words(title)
    if not s or not t:
        return False
    joined_s, joined_t = " ".join(s), " ".join(t)
    if joined_t in joined_s and len(s) <= len(t) + 4 or joined_s in joined_t:
        return True
    return len(set(s) - set(t)) <= max(1, len(s) // 10)


def lead_sentences(text: str, paragraphs: list[tuple[int, int]], encode, count: int = LEAD_SENTENCES,
                   title: str = "") -> list[str]:
    """The most central sentences (closest to the article's mean meaning), in article order.

    Centrality, not position: the first line of a scraped page is often a caption or a dateline.
    Only whole sentences with balanced quotation marks, and never the headline again.
    """
    candidates = []
    for p_start, p_end in paragraphs:
        for s, e in whole_sentences(text[p_start:p_end]):
            sentence = text[p_start + s:p_start + e]
            if (len(sentence.split()) >= MIN_LEAD_WORDS and len(sentence) <= MAX_LEAD_CHARS and _balanced(sentence)
                    and not (title and repeats_title(sentence, title))):
                candidates.append((p_start + s, sentence))
    if len(candidates) <= count:
        return [s for _, s in candidates]
    vectors = encode([s for _, s in candidates])
    centroid = vectors.mean(axis=0)
    centrality = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
    best = sorted(np.argsort(-centrality)[:count])
    return [candidates[i][1] for i in best]


def shown_speaker(q) -> bool:
    """A speaker the digest may name: a person, or an organisation or a definite description of
    one ("the Kremlin", "the company", "a White House spokesman"); never a vague group or an
    indefinite common noun ("recent polls", "a spate of female accusers", "an architect")."""
    if not q.speaker:
        return False
    if q.person:
        return True
    words = q.speaker.split()
    if any(w[:1].isupper() for w in words):
        return True
    return words[0] == "the" and len(words) <= 4 and not words[-1].endswith("s")


def key_quotes(quotes: list, count: int = KEY_QUOTES) -> list[DigestQuote]:
    """Up to `count` quotes: direct before indirect (shown as the reporter's sentence, marked
    reported), one per speaker first, then article order."""
    usable = [q for q in quotes if shown_speaker(q) and 3 <= len(q.quote.split()) <= 60
              and (q.kind == "direct" or len(q.sentence) <= MAX_LEAD_CHARS)]
    ranked = sorted(usable, key=lambda q: (q.kind != "direct", q.start))
    picked, seen = [], set()
    for q in ranked:  # distinct speakers first
        if q.speaker not in seen:
            picked.append(q)
            seen.add(q.speaker)
    picked += [q for q in ranked if q not in picked]
    picked = sorted(picked[:count], key=lambda q: q.start)
    return [DigestQuote(q.speaker, q.quote, q.kind, q.paragraph, q.start, q.end, q.sentence) for q in picked]
