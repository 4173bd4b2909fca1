"""Finding a phrase in text, exactly or as a near miss, with offsets into the original text.

Exact means equal after folding case, accents, punctuation and look-alike letters.
A near miss differs by inflection ("battles") or one typo in a longer word ("sacrad").
"""
from __future__ import annotations

import itertools
import re
import string
from typing import NamedTuple

from .. import textnorm

_LETTERS = string.ascii_lowercase + string.digits
_NON_ASCII_LETTER = re.compile(r"[^\W\x00-\x7f]")  # a letter or digit outside ASCII


class Match(NamedTuple):  # a tuple: a common phrase makes thousands per question
    start: int
    end: int
    exact: bool


def one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion or substitution."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:] if len(a) < len(b) else a[i + 1:] == b[i + 1:]


def edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1})


def word_match(query: str, word: str, query_stem: str | None = None, word_stem: str | None = None) -> int:
    """2: same word; 1: near miss; 0: different. Stems may be passed in when already known."""
    if query == word:
        return 2
    if query_stem is None:
        query_stem = textnorm.stems([query])[0]
    if word_stem is None:
        word_stem = textnorm.stems([word])[0]
    if query_stem == word_stem:
        return 1
    if min(len(query), len(word)) >= 4 and one_edit(query, word):
        return 1
    return 0


class PhraseFinder:
    """Finds one phrase in many texts. Each distinct word is compared with the phrase once,
    not once per occurrence: a quoted question can check hundreds of candidate passages."""

    def __init__(self, phrase: str, allow_near: bool = True):
        self.wanted = textnorm.words(phrase)
        self._wanted_stems = textnorm.stems(self.wanted)
        self.allow_near = allow_near
        self._levels: dict[str, tuple[int, ...]] = {}  # word -> its word_match with each phrase word
        plain = bool(self.wanted) and all(w.isascii() for w in self.wanted)
        # Scanned over lower-cased ASCII bytes of many texts joined by NULs, which separators
        # never cross. No look-behind first: the scan can jump to the first word's letters.
        self._exact = re.compile((r"[^a-z0-9\x00]+".join(map(re.escape, self.wanted))
                                  + r"(?![a-z0-9])").encode()) if plain else None

    def exact_in_ascii(self, texts: list[str], bases: list[int]) -> list[list[Match] | None]:
        """The exact occurrences in each text (offsets shifted by its base), by one regex scan
        of them all, for texts whose letters and digits are all ASCII (curly quotes and dashes
        are only separators), since folding such words is only lower-casing; None for a text
        with other letters, or for all when the phrase has them. Much cheaper than `find` on
        the thousands of passages a common phrase brings; near misses are not looked for."""
        if self._exact is None:
            return [None] * len(texts)
        joined = "\x00".join(texts)
        starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        found: list[list[Match] | None] = [
            [] if t.isascii() or not _NON_ASCII_LETTER.search(t) else None for t in texts]
        plain = joined.encode("ascii", "replace").lower()  # one byte per character: same offsets
        i, last = 0, len(texts) - 1
        for m in self._exact.finditer(plain):
            start, end = m.span()
            if start and plain[start - 1:start].isalnum():
                continue  # inside a longer word
            while i < last and starts[i + 1] <= start:  # matches come in order: walk the texts along
                i += 1
            if found[i] is not None:
                shift = bases[i] - starts[i]
                found[i].append(Match(start + shift, end + shift, True))
        return found

    def _learn(self, norms: list[str]) -> None:
        new = [n for n in dict.fromkeys(norms) if n not in self._levels]
        for norm, stem in zip(new, textnorm.stems(new)):
            levels = tuple(word_match(w, norm, ws, stem) for w, ws in zip(self.wanted, self._wanted_stems))
            if not self.allow_near:
                levels = tuple(2 if lv == 2 else 0 for lv in levels)
            self._levels[norm] = levels

    def find(self, text: str, base: int = 0) -> list[Match]:
        """Every occurrence of the phrase in `text`; offsets are shifted by `base`."""
        wanted = self.wanted
        if not wanted:
            return []
        words = textnorm.word_matches(text)
        norms = [norm for norm, _ in words]
        self._learn(norms)
        levels = list(map(self._levels.__getitem__, norms))
        found: list[Match] = []
        n = len(wanted)
        i = 0
        while i + n <= len(words):
            exact = True
            for j in range(n):
                level = levels[i + j][j]
                if level == 0:
                    break
                exact &= level == 2
            else:
                found.append(Match(base + words[i][1].start(), base + words[i + n - 1][1].end(), exact))
                i += n
                continue
            i += 1
        return found


def find_phrase(text: str, phrase: str, base: int = 0, allow_near: bool = True) -> list[Match]:
    """Every occurrence of `phrase` in `text`; offsets are shifted by `base`."""
    return PhraseFinder(phrase, allow_near).find(text, base)


def term_spans(text: str, stems: set[str], base: int = 0) -> list[tuple[int, int]]:
    """Offsets of words whose stem is one of `stems` (query words to mark in a passage)."""
    toks = textnorm.tokens(text)
    if not toks or not stems:
        return []
    token_stems = textnorm.stems([t.norm for t in toks])
    return [(base + t.start, base + t.end) for t, s in zip(toks, token_stems) if s in stems]


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans; spans separated by one space are joined."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
