"""Answers: verbatim passages with citations, never generated text.

`Answer.to_dict()` is the JSON contract other tools rely on (see README, "JSON output").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Words spelt with a vowel that sound a consonant first ("a union", "a one-off"), and the reverse.
# ("a unit", not "an unidentified"), and the reverse; letters read out ("an MP", "an FBI agent", "a UN envoy").
_SOUNDS_CONSONANT = re.compile(r"^(?:uni(?![dnm])|use|usu|ura|ure|uro|eu|ewe|one|once)", re.IGNORECASE)
_SOUNDS_VOWEL = re.compile(r"^(?:hour|honest|honou?r|heir)", re.IGNORECASE)
_LETTERS = re.compile(r"^[A-Z]{2,}\b")


def a_or_an(noun: str) -> str:
    """The noun with its indefinite article, as said: "an official", "a union leader", "an MP"."""
    if _LETTERS.match(noun):
        return f"{'an' if noun[0] in 'AEFHILMNORSX' else 'a'} {noun}"
    vowel = noun[:1].lower() in "aeiou"
    if vowel and _SOUNDS_CONSONANT.match(noun) or not vowel and not _SOUNDS_VOWEL.match(noun):
        return f"a {noun}"
    return f"an {noun}"


@dataclass(frozen=True)
class ArticleRef:
    id: int
    title: str
    url: str | None
    published: str | None
    updated: str | None = None  # set when a correction replaced the text

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "url": self.url, "published": self.published,
                "updated": self.updated}


@dataclass
class Result:
    text: str  # exact substring of the article text at start:end
    article: ArticleRef
    paragraph: int
    start: int
    end: int
    score: float
    speaker: str | None = None
    quote: str | None = None
    kind: str | None = None  # "direct" or "indirect" when the passage is a quote
    match: str | None = None  # "exact" or "inexact" when the question quoted words
    highlights: list[tuple[int, int]] = field(default_factory=list)  # article offsets to mark
    date: str | None = None  # a check's result: the article's publication date, else when it was ingested
    diff: str | None = None  # an altered variant: the published words, differences from the asked ones marked

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "speaker": self.speaker,
            "quote": self.quote,
            "kind": self.kind,
            "article": self.article.to_dict(),
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "score": round(float(self.score), 4),
            "match": self.match,
            "highlights": [list(span) for span in self.highlights],
            "date": self.date,
            "diff": self.diff,
        }

    def marked(self, before: str = "**", after: str = "**") -> str:
        """The passage with highlighted words wrapped in markers."""
        out, pos = [], self.start
        for s, e in self.highlights:
            s, e = max(s, self.start), min(e, self.end)
            if s < pos or s >= e:
                continue
            out.append(self.text[pos - self.start:s - self.start])
            out.append(before + self.text[s - self.start:e - self.start] + after)
            pos = e
        out.append(self.text[pos - self.start:])
        return "".join(out)


@dataclass
class Answer:
    question: str
    intent: str
    answered: bool
    message: str  # one plain line that sums the answer up, or says why there is none
    speaker: str | None = None
    results: list[Result] = field(default_factory=list)
    verdict: str | None = None  # a check's verdict (index/quotes/check.py); None for other intents
    first: Result | None = None  # a check's first occurrence in the archive

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "intent": self.intent,
            "answered": self.answered,
            "speaker": self.speaker,
            "message": self.message,
            "results": [r.to_dict() for r in self.results],
            "verdict": self.verdict,
            "first": self.first.to_dict() if self.first is not None else None,
        }
