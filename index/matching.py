"""Finding a phrase in text, exactly or as a near miss, with offsets into the original text.

Exact means equal after folding case, accents, punctuation and look-alike letters.
A near miss differs by inflection ("battles") or one typo in a longer word ("sacrad").
"""
from __future__ import annotations

import string
from dataclasses import dataclass

from . import textnorm

_LETTERS = string.ascii_lowercase + string.digits


@dataclass(frozen=True, slots=True)
class Match:
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


def word_match(query: str, word: str) -> int:
    """2: same word; 1: near miss; 0: different."""
    if query == word:
        return 2
    if textnorm.stems([query])[0] == textnorm.stems([word])[0]:
        return 1
    if min(len(query), len(word)) >= 4 and one_edit(query, word):
        return 1
    return 0


def find_phrase(text: str, phrase: str, base: int = 0, allow_near: bool = True) -> list[Match]:
    """Every occurrence of `phrase` in `text`; offsets are shifted by `base`."""
    wanted = textnorm.words(phrase)
    if not wanted:
        return []
    toks = textnorm.tokens(text)
    found: list[Match] = []
    n = len(wanted)
    i = 0
    while i + n <= len(toks):
        exact = True
        for j in range(n):
            level = word_match(wanted[j], toks[i + j].norm)
            if level == 0 or (level == 1 and not allow_near):
                break
            exact &= level == 2
        else:
            found.append(Match(base + toks[i].start, base + toks[i + n - 1].end, exact))
            i += n
            continue
        i += 1
    return found


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
