"""Phrase matching without the model: one finder reused over many passages gives the same
matches as a fresh search of each passage."""
from __future__ import annotations

from index.retrieval.matching import PhraseFinder, find_phrase


TEXTS = [
    "The Sacred Battle began. A sacred battle, they said, and sacred battles again.",
    "Nothing here about it at all.",
    "A sacrad battle (typo) and the SACRED-battle written with a hyphen.",
    "Vostochny \u0421osmodrome with a Cyrillic letter, sacred battle at the end: sacred battle",
]


def test_reused_finder_matches_fresh_searches():
    finder = PhraseFinder("sacred battle")
    for text in TEXTS * 2:
        assert finder.find(text, base=7) == find_phrase(text, "sacred battle", base=7)
    found = finder.find(TEXTS[0])
    assert [TEXTS[0][m.start:m.end] for m in found] == ["Sacred Battle", "sacred battle", "sacred battles"]
    assert [m.exact for m in found] == [True, True, False]


def test_exact_only_and_folded_lookalikes():
    exact = PhraseFinder("sacred battle", allow_near=False)
    assert [m.exact for m in exact.find(TEXTS[2])] == [True]  # the typo is not a match
    text = TEXTS[3]
    (m,) = find_phrase(text, "vostochny cosmodrome")
    assert text[m.start:m.end] == "Vostochny \u0421osmodrome" and m.exact
