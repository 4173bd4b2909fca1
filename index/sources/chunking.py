"""Split articles into passages that fit the embedding model's window.

A chunk never crosses a paragraph, so every answer cites one paragraph. Short paragraphs
are one chunk; long ones are packed sentence by sentence. Sizes are counted in the
model's own word pieces: all-MiniLM-L6-v2 silently truncates past 256 of them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from ..quotes.lexicon import TITLE_ABBREVIATIONS

if TYPE_CHECKING:  # documents pulls in the cleaners (ftfy); a question only splits sentences
    from .documents import Document

# Token offsets (start, end) of each text, from the model's tokenizer, without special tokens.
TokenOffsets = Callable[[Sequence[str]], list[list[tuple[int, int]]]]


@dataclass(frozen=True, slots=True)
class Chunk:
    paragraph: int  # 1-based
    start: int  # offsets into the article text
    end: int


# Words whose period ends the word, not the sentence (spaCy's English tokenizer exceptions, and
# the titles models/nlp.py teaches it: "said Sgt. Tomas Berg" is one sentence).
_ABBREVIATIONS = frozenset(title.capitalize() for title in TITLE_ABBREVIATIONS) | frozenset("""
    Adm Ak Ala Apr Ariz Ark Aug Bros Calif Co Colo Conn Corp Dec Del Dr Feb Fla Ga Gen Gov Ia Id Ill Inc
    Ind Jan Jr Jul Jun Kan Kans Ky La Ltd Mar Mass Md Messrs Mich Minn Miss Mo Mont Mr Mrs Ms Mt Neb Nebr
    Nev Nov Oct Okla Ore Pa Prof Rep Rev Sen Sep Sept St Tenn Va Wash Wis co vs""".split())
# A run of sentence-ending marks and the closing quotes or brackets after it, before a space.
_END = re.compile(r"[.!?]+[\"'”’)\]}»]*(?=\s|$)")
_DOTTED = re.compile(r"(?:[^\W\d_]{1,2}\.){2,}")  # U.S., p.m., Ph.D.
_CLOCK = re.compile(r"\d{1,2}[ap]\.m")


def _ends_sentence(text: str, m: re.Match) -> bool:
    marks = m.group().rstrip("\"'”’)]}»")
    if "!" in marks or "?" in marks:
        return True
    if len(marks) > 1:  # "..." trails off; the sentence goes on
        return False
    start = m.start()
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start:m.start()].lstrip("\"'“‘”’([{«").rsplit("-", 1)[-1]  # "(R-Md.)"
    if not word:
        return True
    return not (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())  # an initial: "J. Lee"
                or _DOTTED.fullmatch(word + ".") or _CLOCK.fullmatch(word))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence offsets by rule: a period, question or exclamation mark (with any closing
    quotes after it) before a space ends a sentence, unless it ends an abbreviation or an
    initial. It agrees with spaCy's sentencizer on 99% of news paragraphs, and costs neither
    spaCy nor its imports: questions show narration sentences with it."""
    spans, start = [], 0
    for m in _END.finditer(text):
        if _ends_sentence(text, m):
            _add_trimmed(spans, text, start, m.end())
            start = m.end()
    _add_trimmed(spans, text, start, len(text))
    return spans


def _add_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


class Chunker:
    def __init__(self, token_offsets: TokenOffsets, max_tokens: int = 254,
                 paragraph_tokens: int = 200, target_tokens: int = 160):
        # max_tokens leaves room for the [CLS] and [SEP] the model adds.
        self.token_offsets = token_offsets
        self.max_tokens = max_tokens
        self.paragraph_tokens = min(paragraph_tokens, max_tokens)
        self.target_tokens = min(target_tokens, max_tokens)

    def chunk(self, doc: Document) -> list[Chunk]:
        texts = [doc.text[s:e] for s, e in doc.paragraphs]
        offsets = self.token_offsets(texts)
        chunks: list[Chunk] = []
        for number, ((p_start, _), text, toks) in enumerate(zip(doc.paragraphs, texts, offsets), 1):
            for s, e in self._split_paragraph(text, toks):
                chunks.append(Chunk(number, p_start + s, p_start + e))
        return chunks

    def _split_paragraph(self, text: str, toks: list[tuple[int, int]]) -> list[tuple[int, int]]:
        if len(toks) <= self.paragraph_tokens:
            return [(0, len(text))]
        starts = [s for s, _ in toks]

        def count(a: int, b: int) -> int:
            return bisect.bisect_left(starts, b) - bisect.bisect_left(starts, a)

        pieces: list[tuple[int, int]] = []
        for s, e in sentence_spans(text):
            if count(s, e) > self.max_tokens:
                pieces.extend(self._hard_split(text, starts, s, e))
            else:
                pieces.append((s, e))
        # Greedy packing of whole sentences up to the target size.
        spans: list[tuple[int, int]] = []
        cur_start, cur_end = pieces[0]
        for s, e in pieces[1:]:
            if count(cur_start, e) <= self.target_tokens:
                cur_end = e
            else:
                spans.append((cur_start, cur_end))
                cur_start, cur_end = s, e
        spans.append((cur_start, cur_end))
        return spans

    def _hard_split(self, text, starts, start, end) -> list[tuple[int, int]]:
        """A sentence longer than the window: cut it at word boundaries."""
        inside = starts[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
        spans, piece_start, n = [], start, 0
        for s in inside:
            at_word_start = s == start or text[s - 1].isspace()
            if (n >= self.target_tokens and at_word_start) or n >= self.max_tokens:
                cut = s
                while cut > piece_start and text[cut - 1].isspace():
                    cut -= 1
                spans.append((piece_start, cut))
                piece_start, n = s, 0
            n += 1
        spans.append((piece_start, end))
        return [(s, e) for s, e in spans if e > s]
