"""Sentence splitting by rule (index.sources.chunking.sentence_spans): what long paragraphs are packed
by at ingest and what a narration answer shows, with no spaCy import on the question path."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

from index.sources.chunking import sentence_spans


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_ends_at_marks_and_keeps_closing_quotes():
    text = 'The council met. Was it late? Yes! “We will build it.” Then the mayor left.'
    assert sentences(text) == ["The council met.", "Was it late?", "Yes!", "“We will build it.”",
                               "Then the mayor left."]


def test_abbreviations_initials_and_dotted_words_do_not_end_a_sentence():
    text = ("Mr. Reyes met Sen. Ann Lee and J. R. Holt in the U.S. capital at 5 p.m. on Monday, "
            "said Rep. Tom Ruiz (D-Md.) and Dr. Kay Poe. The vote was 12 to 3.")
    assert sentences(text) == [text[:text.index(" The vote")], "The vote was 12 to 3."]


def test_an_ellipsis_does_not_end_a_sentence_and_offsets_are_the_text():
    text = "  He paused... and went on. Numbers like 3.5 stay whole. Next  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["He paused... and went on.", "Numbers like 3.5 stay whole.", "Next"]


def test_agrees_with_spacys_sentencizer_on_the_demo_article():
    """On ordinary news prose the rules give spaCy's sentences (edges aside: spaCy puts an
    opening quotation mark at the end of the sentence before)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    edge = " \t\n\xa0“‘\"'(…—-―"
    paragraphs = [p for f in sorted((ROOT.parent / "shared" / "corpus").iterdir()) if f.is_file()
                  for p in f.read_text(errors="replace").split("\n\n") if p.strip()]
    same = 0
    for para in paragraphs:
        ours = {para[s:e].strip(edge) for s, e in sentence_spans(para)} - {""}
        theirs = {s.text.strip(edge) for s in nlp(para).sents} - {""}
        same += ours == theirs
    assert same >= 0.95 * len(paragraphs), (same, len(paragraphs))


def test_splitting_imports_no_spacy():
    code = "import sys; from index.sources.chunking import sentence_spans; sentence_spans('A. B. C.'); print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
