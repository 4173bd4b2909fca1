"""Questions that ask for a fact of one kind, and passages that do not give it.

"How much is she paid?", "how many homes flooded?", "names of the victims", "who chairs the
board?" ask for an amount, a count, a name, a holder of a post. A passage can be all about the
topic and still hold no such fact ("the two pupils who died have not been named", "he joined
in 2016 on a three-year contract"). `ungiven` says why the passages shown do not give it, so
that the engine declines and shows them as the closest.
"""
from __future__ import annotations

import re

from .. import textnorm
from ..sources.chunking import sentence_spans
from .outcomes import POST_LEAD, closest_sentence, names_post
from .search import ANSWER_TYPES, answer_test, required_answer_type

# A yes/no question ("have the victims been named?") is answered by "have not been named".
_YES_NO = re.compile(r"^\W*(?:did|does|do|has|have|had|is|are|was|were|will|can|could|should|would)\b", re.IGNORECASE)

# A sentence saying the fact is not known, or not given out.
_NOT_KNOWN = re.compile(
    r"\b(?:(?:has|have|had)\s+not\s+(?:yet\s+)?been\s+(?:named|identified|released|disclosed|made public|"
    r"revealed|confirmed|determined|established|set|announced|given)|"
    r"(?:was|were|is|are)\s+not\s+(?:yet\s+)?(?:named|identified|released|disclosed|made public|revealed|"
    r"known|given|announced)|"
    r"(?:yet|still)\s+to\s+be\s+(?:named|identified|released|disclosed|revealed|determined|established|"
    r"confirmed|set|announced)|"
    r"(?:did|does|do|would|could)\s+not\s+(?:say|disclose|reveal|give|specify|name|identify|confirm|"
    r"comment on|put a figure|commit to)|"
    r"(?:declined|refused)\s+to\s+(?:say|disclose|reveal|give|specify|name|identify|confirm|comment on|"
    r"put a figure)|undisclosed|unnamed|unknown|remains? unclear|(?:it )?(?:is|was) (?:not|un)clear|"
    r"under investigation|being investigated|no date (?:has|had) been set|not been made public|"
    r"too (?:early|soon)[\"”’']?\s+to (?:say|tell|know|determine))\b",
    re.IGNORECASE)


def ungiven(question: str, shown: list[str]) -> str | None:
    """Why the passages `shown` (best first) do not give the fact the question asks for, as
    the decline line says it; None when it asks for no such fact or one of them may give it."""
    if not shown:
        return None
    terms = set(textnorm.query_terms(question))
    # "How much did they pay for the striker?" is not answered by passages with no sum.
    required = required_answer_type(question)
    if required and not _gives(shown, answer_test(required, question), terms):
        return f"None of the closest passages gives {ANSWER_KINDS[required]}."
    if _YES_NO.search(question):
        return None
    if _says_not_known(question, terms, shown):
        return "The closest passage says that is not known."
    post = _asked_post(question)
    if post is not None and not any(names_post(post, passage) for passage in shown):
        return f"None of the closest passages names {_a(post)}."
    if _ASKS_WHY_OR_HOW.search(question):
        return None  # "why was her salary cut?" asks for no amount
    for asks, gives, what, topical in _KINDS:
        if asks.search(question) and not _gives(shown, gives.search, terms if topical else None):
            return f"None of the closest passages gives {_a(what)}."
    return None


ANSWER_KINDS = {"money": "an amount of money", "share": "a share", "number": "a number"}


def _gives(shown: list[str], holds, terms: set[str] | None = None) -> bool:
    """Whether a sentence of a passage shown holds the fact (`holds`), holds one of `terms`
    when given ("a 90% chance you will get it" is no vaccination rate), and does not say it
    is not known ("too early to say what caused the crash")."""
    return any(holds(passage[s:e]) and not _NOT_KNOWN.search(passage[s:e])
               and (terms is None or terms & set(textnorm.index_terms(passage[s:e])))
               for passage in shown for s, e in sentence_spans(passage))


def _says_not_known(question: str, terms: set[str], shown: list[str]) -> bool:
    """Whether the best passage's sentence closest to the question says it is not known, and
    no other shown passage has a sentence as close that does not ("did not say how long the
    inquiry will take" under "the inquiry is run by a law firm, Kelby LLP")."""
    if _ASKS_WHY_OR_HOW.search(question) or _NEGATED.search(question):
        return False  # "why weren't the results released?" is answered by why they were not
    closest = [closest_sentence(terms, passage) for passage in shown]
    best, held = closest[0]
    return best is not None and bool(_NOT_KNOWN.search(best)) and not any(
        other is not None and n >= held and not _NOT_KNOWN.search(other) for other, n in closest[1:])


_NEGATED = re.compile(r"n't\b|\b(?:not|never|no longer|withheld|unnamed|undisclosed|secret)\b", re.IGNORECASE)


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


_ASKS_WHY_OR_HOW = re.compile(r"^\W*(?:why|how(?! much| many)|what did \w+(?: \w+)? (?:say|said))\b", re.IGNORECASE)

# "Who is the chairman of X?", "who manages X?", "who refereed the final?": whoever holds a post,
# which passages that never name the post cannot tell.
_POST_QUESTION = re.compile(
    r"^\W*who(?:'s| is| was| are| were)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+|\w+'s\s+)?"
    r"(?P<post>(?:\w+\s+){0,2}?(?:chair(?:man|woman|person)?|chief|head|director|manager|coach|captain|referee|"
    r"umpire|owner|founder|president|leader|editor|principal|governor|mayor|secretary|treasurer|spokes\w+|"
    r"ceo|cfo|coo))\b|"
    r"^\W*who\s+(?P<verb>refereed|referees|umpired|manages|managed|coaches|coached|chairs|chaired|owns|owned|"
    r"captains|captained|edits|edited)\b", re.IGNORECASE)
_VERB_POSTS = {"refere": "referee", "umpir": "umpire", "manag": "manager", "coach": "coach", "chair": "chair",
               "own": "owner", "captain": "captain", "edit": "editor"}


def _asked_post(question: str) -> str | None:
    found = _POST_QUESTION.search(question)
    if found is None:
        return None
    if found.group("post"):
        return POST_LEAD.sub("", found.group("post").strip().lower()) or None
    return _VERB_POSTS[textnorm.stems([found.group("verb").lower()])[0]]


_MONEY = ANSWER_TYPES["money"].pattern
# What a question asks for (beyond the answer types every search knows), what a sentence that
# gives it holds, what to call it, and whether that sentence must hold a word of the question.
_KINDS = [
    # What someone earns: an amount in a sentence about pay ("the job pays between $168,000 and
    # $195,000"), not a transfer fee or a payout.
    (re.compile(r"\b(?:salar(?:y|ies)|wages?|pay packet|(?:being|be|get|gets|getting) paid)\b|"
                r"\bhow much (?:is|are|was|were)\b[^?]{1,60}\bpaid(?! (?:to|for|by|out|back|off)\b)", re.IGNORECASE),
     re.compile(rf"^(?=.*\b(?:salar(?:y|ies)|wages?|earn\w*|paid|pays?|paying|remuneration|package)\b).*(?:{_MONEY})",
                re.IGNORECASE | re.DOTALL), "amount of pay", False),
    # What something is worth or cost, what someone got: "how much compensation did she get",
    # "what are the paintings worth", "transfer fee" (questions the answer types leave untyped).
    (re.compile(r"\b(?:compensation|compo|pay-?offs?|pay-?outs?|damages|bonus(?:es)?|fees?|prices?|valuation|worth)\b",
                re.IGNORECASE), ANSWER_TYPES["money"], "amount of money", True),
    (re.compile(r"\bturnout\b", re.IGNORECASE),
     re.compile(rf"{ANSWER_TYPES['share'].pattern}|^(?=.*\b(?:turnout|turned out|took part|attend\w*)\b).*\d",
                re.IGNORECASE | re.DOTALL), "turnout", True),
    (re.compile(r"\bwhat did [^?]{1,60}? die (?:of|from)\b|\bhow did [^?]{1,60}? die\b|\bcause of (?:his |her |their )?death\b",
                re.IGNORECASE),
     re.compile(r"\b(?:died|dies|dying|death) (?:of|from|after|following)\b|\bcause of death\b|\bcomplications\b|"
                r"\b(?:cancer|illness|disease|stroke|heart attack|heart failure|overdose|suicide)\b", re.IGNORECASE),
     "cause of death", True),
    (re.compile(r"\bwhat (?:caused|started|sparked|triggered|set off)\b|\bcause of\b", re.IGNORECASE),
     re.compile(r"\b(?:caus\w*|start\w* by|sparked|triggered|blamed|because|due to|result of|lightning|arson\w*|"
                r"deliberate\w*|accident\w*|fault\w*|failure|ignit\w*)\b", re.IGNORECASE), "cause", True),
]
