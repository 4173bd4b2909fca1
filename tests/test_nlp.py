"""The spaCy pipeline quotes are parsed with: its cheaper attribute ruler and lemmas give what
spaCy's own components give, token for token (real pipeline, no mocks)."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.models.nlp import lemma, pipeline

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "corpus" / "north-korea-russia-summit.txt"
# The ruler's rules of several tokens and its rules for spaces, negation, "be" and pronouns.
ODD = [
    "There is no way we're gonna let 's say y'all ain't got ta wait, c'm on. I told you it is nothin' but he gets it.",
    "“We will not back down,” said Ines Reyes, 54, who has lived in the district since 1998.\n\n  Tomas Berg didn't.",
    "Mayor Reyes told reporters that the council had been warned, and it was.  \n",
    "   ",
]


@pytest.fixture(scope="module")
def both():
    import spacy

    ours = pipeline()
    stock = spacy.load(f"{ours.meta['lang']}_{ours.meta['name']}")
    for pipe in stock.pipe_names:
        if pipe not in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"):
            stock.disable_pipe(pipe)
    return ours, stock


def attributes(doc, lemma_of):
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, str(t.morph), lemma_of(t), t.ent_type_) for t in doc]


def test_the_cheaper_components_give_spacy_s_own_attributes(both):
    ours, stock = both
    assert "attribute_ruler" not in ours.pipe_names and "lemmatizer" not in ours.pipe_names
    texts = [p for p in DEMO_FILE.read_text(encoding="utf-8").split("\n\n") if p.strip()] + ODD
    compared = 0
    for mine, theirs in zip(ours.pipe(texts), stock.pipe(texts)):
        assert attributes(mine, lemma) == attributes(theirs, lambda t: t.lemma_)
        compared += len(mine)
    assert compared > 500
    # Learnt once: the same text again finds every kind of token already known.
    again = ours("There is no way we're gonna let 's say y'all ain't got ta wait.")
    assert attributes(again, lemma) == attributes(stock(again.text), lambda t: t.lemma_)


def test_a_lemma_is_worked_out_only_when_asked_for():
    doc = pipeline()("The mayor said the councils were warned.")
    said = doc[2]
    assert said.lemma == 0  # the lemmatizer did not run over the text
    assert lemma(said) == "say" and lemma(doc[3 + 1]) == "council" and lemma(doc[5]) == "be"
