"""Text for matching: folds case, accents and Unicode look-alikes, ignores punctuation.

Stored and displayed text is never changed; every token keeps its offsets into it.
A Cyrillic "С" in "Сosmodrome" folds to "c", so a Latin query still matches.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

# A dateline opening a paragraph ("CAPITOL CITY, Neb. —", "WASHINGTON (AP) —", "LONDON, Dec 3
# (Reuters) -", "LONDON, 3 December (Reuters) -", "McALLEN, Texas —") says where and when it
# was filed, not what the paragraph is about.
DATELINE = re.compile(r"(?:Mc|Mac|De|La|Le|O')?[A-Z][A-Z'.-]+(?: (?:Mc|Mac|De|La|Le|O')?[A-Z][A-Z'.-]+)*"
                      r"(?:, [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2})?"
                      r"(?:,? (?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8}))?"
                      r"(?: \([A-Za-z .&-]{2,30}\))?\s+(?:—|–|--|-)\s+")

# Letters and digits; apostrophes and hyphens split words, as they do in queries.
_WORD = re.compile(r"[^\W_]+")

_stemmer = Stemmer.Stemmer("english")

# Words that carry no topic in a question. Stored text keeps them, so phrases still match.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves s t tell told say says said saying""".split()
)


@lru_cache(maxsize=1)
def _lookalikes() -> dict[str, str]:
    """Map each character that looks like one ASCII letter or digit to it (Unicode confusables)."""
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[str, str] = {}
    for char, glyphs in confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            target = glyph["c"]
            if len(target) == 1 and target.isascii() and target.isalnum():
                key = char.casefold()
                if len(key) == 1 and not key.isascii():
                    table.setdefault(key, target.lower())
                break
    return table


# Invisible characters that split words for a matcher but not for a reader: zero-width space,
# word joiner, byte-order mark, soft hyphen; and the zero-width (non-)joiners next to an ASCII
# character (in Persian or Indic scripts they change the spelling, so there they stay).
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]|(?<=[\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?=[\x00-\x7f])")


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def scrub(text: str) -> str:
    """Text typed by a user, storable and encodable: a lone surrogate (JSON's "\\ud800", or a
    command-line byte that is no UTF-8) becomes U+FFFD, one character for one, so offsets stay."""
    return _LONE_SURROGATE.sub("\ufffd", text) if text and not text.isascii() else text


def visible(text: str) -> str:
    """`text` without the invisible characters that would keep "re\u200bbuild" from matching "rebuild"."""
    return _INVISIBLE.sub("", text) if text and not text.isascii() else text


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Case-, accent- and look-alike-insensitive form of one word."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if plain.isascii():  # accents only: the look-alike table (slow to build) is not needed
        return plain
    table = _lookalikes()
    return "".join(table.get(c, c) for c in plain)


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Folded words of `text`, each with its character offsets into `text`."""
    out = []
    for m in _WORD.finditer(text):
        norm = fold(m.group())
        if norm:
            out.append(Token(norm, m.start(), m.end()))
    return out


def word_matches(text: str) -> list[tuple[str, re.Match]]:
    """Like `tokens`, without building a Token per word (the phrase search runs this on
    hundreds of passages per question); offsets come from each match's start() and end()."""
    return [(norm, m) for m in _WORD.finditer(text) if (norm := fold(m.group()))]


def words(text: str) -> list[str]:
    """Folded words of `text`; a word that folds to nothing (a lone combining mark) is none, as in `tokens`."""
    return [norm for m in _WORD.finditer(text) if (norm := fold(m.group()))]


def stems(folded: list[str]) -> list[str]:
    return _stemmer.stemWords(folded)


def index_terms(text: str) -> list[str]:
    """Terms for the lexical index: every folded word, stemmed. Stopwords stay for phrases."""
    return stems(words(text))


def query_terms(text: str) -> list[str]:
    """Topic terms of a question: folded, stemmed, without stopwords."""
    return stems([w for w in words(text) if w not in STOPWORDS])
