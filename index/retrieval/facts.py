"""Questions that ask for a fact of one kind, and passages that do not give it.

"How much is she paid?", "how many homes flooded?", "names of the victims", "who chairs the
board?" ask for an amount, a count, a name, a holder of a post. A passage can be all about the
topic and still hold no such fact ("the two pupils who died have not been named", "he joined
in 2016 on a three-year contract"). `ungiven` says why the passages shown do not give it, so
that the engine declines and shows them as the closest.
"""
from __future__ import annotations

import functools
import re

from .. import textnorm
from ..answer import a_or_an
from .outcomes import REPORTS_OUTCOME, asks_outcome, before_looking_ahead, capitalised_terms, closest_sentence, sentences
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
    r"comment(?: on| further)?|put a (?:figure|value|price)|commit to)|"
    r"no decision (?:has|had) (?:yet )?been (?:taken|made|reached)|"
    r"(?:has|have|had)\s+(?:not\s+yet|yet\s+to)\s+(?:find|found|choose|chosen|pick|picked|decide|decided|agree|agreed)|"
    r"(?:declined|refused)\s+to\s+(?:say|disclose|reveal|give|specify|name|identify|confirm|comment on|"
    r"put a (?:figure|value|price))|undisclosed|unnamed|unknown|remains? unclear|(?:it )?(?:is|was) (?:not|un)clear|"
    r"under investigation|being investigated|(?:is|was|are|were)\s+(?:still\s+)?investigating\s+(?:the|a|an|its|their)\b|"  # not "investigating whether …"
    r"investigation (?:is|was) (?:still )?(?:ongoing|continuing)|no date (?:has|had) been set|not been made public|"
    r"too (?:early|soon)[\"”’']?\s+to (?:say|tell|know|determine)|"
    r"(?:has|have|had)\s+not\s+(?:yet\s+)?(?:said|disclosed|revealed|announced|released|decided)|"
    r"at a (?:later|future) date|to be (?:announced|confirmed|decided|determined))\b",
    re.IGNORECASE)

# Whether it is so is not known: what a yes/no question cannot be answered by.
_NOT_KNOWN_WHETHER = re.compile(
    r"\b(?:(?:has|have|had|did|does|do)\s+not\s+(?:yet\s+)?(?:said|say|decided|decide|confirmed|confirm|disclosed|"
    r"announced|indicated)|(?:hasn't|haven't|hadn't|didn't|doesn't)\s+(?:yet\s+)?(?:said|say|decided|decide|confirmed|"
    r"confirm)|(?:is|was|are|were|remains?)\s+(?:not\s+(?:yet\s+)?(?:known|clear)|unclear)|yet to (?:decide|say|confirm)|"
    r"will (?:meet and )?decide|declined to say|would not say|decision (?:on|about|over))\s+(?:whether|if)\b", re.IGNORECASE)


def ungiven(question: str, shown: list[str], articles=None) -> str | None:
    """Why the passages `shown` (best first) do not give the fact the question asks for, as
    the decline line says it; None when it asks for no such fact or one of them may give it.
    `articles`, when given, returns the text of each shown passage's article (read only if needed)."""
    if not shown:
        return None
    terms = set(textnorm.query_terms(question))
    # The passages naming every full name of the question, worked out once and only if asked.
    naming = functools.cache(lambda: _naming_all(question, terms, shown, articles))
    # "How much did they pay for the striker?" is not answered by passages with no sum.
    required = required_answer_type(question)
    required_test = _answer_test(required, question, shown) if required else None
    if required and not _gives(shown, required_test, _with_families(terms)):
        return f"None of the closest passages gives {_ANSWER_KINDS[required]}."
    if _YES_NO.search(question):
        # "have the victims been named?" is answered by "have not been named", but "will the
        # contract be renewed?" not by "has not said whether it will be renewed"
        if _says_not_known(question, terms, shown, _NOT_KNOWN_WHETHER):
            return "The closest passage says that is not known."
        return "None of the closest passages says whether that happened." if _unsettled(question, terms, shown) else None
    if _says_not_known(question, terms, shown, gives=required_test) or \
            (required == "money" and _sum_withheld(shown, required_test)):
        return "The closest passage says that is not known."
    post = _asked_post(question)
    if post is not None and not any(_names_post(post, passage) for passage in shown):
        return f"None of the closest passages names {a_or_an(post)}."
    kind = _post_kind(question)  # "fire chief": not "Police Chief Ann Lee"
    if post is not None and kind and _other_kind_only(post, kind, shown):
        return f"None of the closest passages names {a_or_an(kind + ' ' + post)}."
    other = _other_period(question, shown) or _other_measure(question, shown) or _other_numbered(question, shown) \
        or _other_ordinal(question, shown)
    if other:
        return f"The closest passage is about {other[0]}, not {other[1]}."
    if _WHY.search(question) and _no_reason(terms, shown):
        return "The closest passage says no reason was given."
    if _ASKS_WHY_OR_HOW.search(question):
        return None  # "why was her salary cut?" asks for no amount
    other_thing = _asks_other_thing(question)
    asked = [(asks.search(question), gives, what, topical) for asks, gives, what, topical in _KINDS
             if not (other_thing and what in _SUM_KINDS)]
    if not any(found for found, *_ in asked):
        return _required_unnamed(question, terms, shown, required, required_test, naming)
    names = _name_terms(terms, shown)
    topic = terms - names - _FRAME
    for found, gives, what, topical in asked:
        # A sentence giving the fact is about the question when it holds a word of it besides its
        # names ("the memorial" of "when is the memorial for Ann Lee", which her obituary's dates
        # do not give), or the words asking ("Turnout was 27.4%"), or the names when the question
        # has no other words ("Lee payoff Harbourton"); a sum may hold only the names ("Ann Lee
        # was awarded £86,000").
        about = None
        if found and topical:
            asking = set(textnorm.query_terms(found.group()))
            about = _with_families(asking | (topic - asking or terms) | (names if topical == "or names" else set()))
            whose = _with_families(_whose_name(question, found.end())) if what == "name" else set()
            if whose and any(whose & _present(held) for passage in shown for _, held in sentences(passage)):
                # "name of the man killed by the falling tree": a name in a sentence about the man,
                # not a forecaster's in one about the storm (when the passages use the asker's word)
                about = whose
        holds = _names_another(question) if what == "name" else gives.search
        if found and not _gives(shown, holds, about, in_passage=topical == "or names"):
            return f"None of the closest passages gives {a_or_an(what)}."
        if found and not _gives(naming(), holds, about, in_passage=topical == "or names"):
            return f"None of the closest passages that give {a_or_an(what)} names {_unnamed(question, terms, shown, holds)}."
    return _required_unnamed(question, terms, shown, required, required_test, naming)


def _required_unnamed(question: str, terms: set[str], shown: list[str], required: str | None, holds,
                      naming) -> str | None:
    """A sum or a count in a passage about someone else is no answer: "the £27 million
    Harbourton paid for Okafor" does not say what they paid for Lee (`naming()`: the passages
    that name everyone the question names in full)."""
    if required is None or _gives(naming(), holds, _with_families(terms)):
        return None
    return f"None of the closest passages that give {_ANSWER_KINDS[required]} names {_unnamed(question, terms, shown, holds)}."


# Whoever a sentence quotes ("…, Battalion Chief Rolf Imbrogno said.", "Ms Lee, who found him, said"), and runs of
# capitalised words: a name the question gives is no name it asks for ("named as Callum Lee"
# does not name "the surfers who pulled Lee out").
_ATTRIBUTOR = re.compile(r"(?:\b(?:[A-Z][\w.'’-]*(?:\s+|(?=,))){1,5}(?:,[^,]{1,80},\s+)?(?:said|says|told)\b|"
                         r"\b(?:said|says|according to)\s+(?:[A-Z][\w.'’-]*(?:\s+|$|(?=,))){1,5})")
def _described(sentence: str, m: re.Match) -> str:
    """A speaker's name with what describes them: "Ann Lee, a nurse, said", "said Ann Lee, a nurse"."""
    after = sentence[m.end():]
    return m.group() + (after[:60] if after.startswith(",") else "")


_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*")


def _names_another(question: str):
    """A test of a sentence: does it name someone besides its speaker and the question's names."""
    asked = set(textnorm.query_terms(question))

    def test(sentence: str) -> bool:
        # a speaker described by the question's words ("said Ann Lee, an emergency nurse") may be the one asked for
        sentence = _ATTRIBUTOR.sub(lambda m: m.group() if set(textnorm.index_terms(_described(sentence, m))) &
                                   asked - {"said", "say", "told", "tell"} else " ", sentence)
        sentence = _CAPITALISED_RUN.sub(  # by its last word: "Firefighter Tomas Berg" is no "firefighter" asked
            lambda m: "someone" if set(textnorm.index_terms(m.group().split()[-1])) & asked else m.group(), sentence)
        return bool(_NAMED.search(sentence))
    return test


_FRAME = frozenset(textnorm.stems(["much", "many"]))  # "how much": the asking, not the topic
_PHRASE_ENDS = frozenset("in at on over by during for from who that which after of with near when".split())


def _whose_name(question: str, start: int) -> set[str]:
    """The terms of whom a "name of …" question asks about: "the man killed" of "name of the man
    killed by the falling tree", up to the first preposition and at most four words."""
    words = []
    for word in question[start:].split():
        if word.lower().strip("?,.") in _PHRASE_ENDS or len(words) == 4:
            break
        words.append(word)
    return set(textnorm.query_terms(" ".join(words)))


# Words a sentence may use for a question's: "a service of thanksgiving" is the memorial asked
# about, "three sons" the children.
_FAMILIES = [frozenset(textnorm.stems(words.split())) for words in (
    "memorial funeral service thanksgiving celebration vigil",
    "children child sons son daughters daughter kids",
    "victims victim dead died killed",
    "officer officers police policeman policewoman cop cops constable",
    # the plant is the factory asked about, its staff those who work there, founded when it started
    "factory factories plant plants mill",
    "work worked working employ employs employed employees staff workers",
    "shut shuts shutting close closes closing closure",
    "start started founded established launched",
    # what is paid for a thing is its fee; a jab is a shot of a vaccine
    "pay paid pays paying fee fees payment payments",
    "jab jabs shot shots vaccine vaccines vaccination dose doses")]


def _with_families(terms: set[str]) -> set[str]:
    return terms.union(*(family for family in _FAMILIES if family & terms))


_NO_CURRENCY = frozenset("""hours days weeks months years minutes people jobs customers users workers staff members
    tonnes tons litres liters barrels gallons passengers visitors votes voters viewers homes households patients
    pupils students cars vehicles units shares copies tickets acres hectares miles kilometres""".split())


def _answer_test(kind: str, question: str, shown: list[str]):
    """An answer type's test, with money as any newspaper writes it: rupees and crore, zloty,
    and a currency the passages themselves use for sums."""
    test = answer_test(kind, question)
    if kind != "money":
        return test
    units = {m.group("unit").lower() for p in shown for m in _CURRENCY_IN_USE.finditer(p)} - _NO_CURRENCY
    used = re.compile(rf"\b\d[\d,.]*\s?(?:m|bn|k|million|billion|thousand)?\s?(?:{'|'.join(map(re.escape, sorted(units)))})\b",
                      re.IGNORECASE) if units else None
    return lambda text: test(text) or bool(_MORE_MONEY.search(text)) or bool(used and used.search(text))


def _naming_all(question: str, terms: set[str], shown: list[str], articles=None) -> list[str]:
    """The passages that name everyone and everything the question names in full, by one word of
    each name at least ("Lee" for "Ann Lee"), in the passage or, when `articles` is given, in
    its article ("The scheme will cost £4.5m" under a paragraph on the Mill Lane defences):
    names are the question's words the passages capitalise."""
    runs = [stems for _, stems in _full_names(question, terms, shown)]
    held = [set(textnorm.index_terms(p)) for p in shown]
    if runs and articles is not None and not all(all(run & h for run in runs) for h in held):
        held = [h | set(textnorm.index_terms(text)) for h, text in zip(held, articles())]
    return [p for p, h in zip(shown, held) if all(run & h for run in runs)]


def _unnamed(question: str, terms: set[str], shown: list[str], holds) -> str:
    """The question's names that the closest passage giving the fact lacks, as typed: "tomas berg"."""
    giving = next((p for p in shown if any(holds(sentence) for sentence, _ in sentences(p))), shown[0])
    held = set(textnorm.index_terms(giving))
    runs = _full_names(question, terms, shown)
    return " or ".join([written for written, stems in runs if not stems & held] or [runs[-1][0]])


def _full_names(question: str, terms: set[str], shown: list[str]) -> list[tuple[str, set[str]]]:
    """The question's names of two words or more. A name of one word is often the place or the
    body the story is set in, named in another paragraph ("at Kelby")."""
    return [(written, stems) for written, stems in _name_runs(question, terms, shown) if len(written.split()) > 1]


def _name_runs(question: str, terms: set[str], shown: list[str]) -> list[tuple[str, set[str]]]:
    """Each name of the question, as typed and as stems: runs of words the passages capitalise."""
    names = _name_terms(terms, shown)
    runs: list[tuple[list[str], set[str]]] = []
    last = False
    for word in re.findall(r"[^\W_]+", question):
        stem = next(iter(textnorm.stems(textnorm.words(word))), "")
        if stem in names:
            if last:
                runs[-1][0].append(word)
                runs[-1][1].add(stem)
            else:
                runs.append(([word], {stem}))
        last = stem in names
    return [(" ".join(words), stems) for words, stems in runs]


def _name_terms(terms: set[str], shown: list[str]) -> set[str]:
    """The question's `terms` that the passages write capitalised: names."""
    return set().union(*(capitalised_terms(terms, sentence, lone_first=False)
                         for passage in shown for sentence, _ in sentences(passage)))


_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
# "May" is left out: typed in lower case it is the verb as often as the month.
_MONTH = re.compile(r"\b(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\b\.?", re.IGNORECASE)
_QUARTER = re.compile(r"\b(?:(first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter|q([1-4]))\b", re.IGNORECASE)
_QUARTER_TO = re.compile(r"\bthree months (?:to|ended|ending|through) (march|june|september|december)\b", re.IGNORECASE)
_QUARTERS = ["first", "second", "third", "fourth"]
_ORDINALS = {word: n for n, pair in enumerate(zip(_QUARTERS, ["1st", "2nd", "3rd", "4th"]), 1) for word in pair}
_QUARTER_ENDS = {"march": 1, "june": 2, "september": 3, "december": 4}
_SHORT_MONTHS = frozenset("sept oct nov dec aug feb".split())  # abbreviations that are no other word


def _periods(text: str) -> tuple[set[str], set[str]]:
    """The quarters ("third quarter", "Q3", "the three months to September") and months
    ("October", "Oct.") a text names."""
    numbers = [_QUARTER_ENDS[m.group(1).lower()] for m in _QUARTER_TO.finditer(text)]
    numbers += [_ORDINALS[m.group(1).lower()] if m.group(1) else int(m.group(2)) for m in _QUARTER.finditer(text)]
    quarters = {f"the {_QUARTERS[n - 1]} quarter" for n in numbers}
    months = set()
    for m in _MONTH.finditer(text):
        word = m.group().rstrip(".").lower()
        month = next((name for name in _MONTHS if name.startswith(m.group(1).lower()[:3])), None)
        # the name in full, or abbreviated: with a period ("Mar.") or one that is no other word ("Oct")
        if month and (word == month or len(word) <= 4 and (m.group().endswith(".") or word in _SHORT_MONTHS)):
            months.add(month.capitalize())
    return quarters, months


# A sentence about what is to come: "would open 24 beds by the end of January".
_AHEAD_OF_IT = re.compile(r"\b(?:will|would|shall|expects?|expected|plans?|due|by the end of|next)\b", re.IGNORECASE)
_RELATIVE_MONTH = re.compile(r"\b(?:last|this|previous|past) month\b", re.IGNORECASE)


def _other_period(question: str, shown: list[str]) -> tuple[str, str] | None:
    """(the period the best passage is about, the one asked) when the question asks about a
    quarter or a month ("fourth quarter profit", "unemployment rate October") that no passage
    shown names, and the best one names another of the same kind."""
    asked_quarters, asked_months = _periods(question)
    if not asked_quarters and not asked_months:
        return None
    # A month named only as a look-ahead ("the next decision is due on December 10"), in the
    # dateline ("KELBY, March 12 -") or in a sentence about something else ("beds will open by
    # the end of January") tells nothing of it.
    period_words = set(textnorm.query_terms(" ".join(_MONTHS + _QUARTERS + ["quarter", "month", "year"])))
    topic = {t for t in textnorm.query_terms(question) if t not in period_words and not t.isdigit()}
    told = [_periods(" ".join(before_looking_ahead(s) for s, held in sentences(textnorm.DATELINE.sub("", passage, 1))
                              if not topic or topic & held or not _AHEAD_OF_IT.search(s))) for passage in shown]
    if _RELATIVE_MONTH.search(shown[0]):
        asked_months = set()  # "rose to 4.1% last month, up from 3.8% in September" may be October's
    for asked, kind in ((asked_quarters, 0), (asked_months, 1)):
        if asked and not any(asked & periods[kind] for periods in told) and told[0][kind]:
            return " and ".join(sorted(told[0][kind])), " or ".join(sorted(asked))
    return None


# A distance or a weight: "the 100m", "200 metres", "a 5km run", "the 10,000m" (not "£100m").
_MEASURE = re.compile(r"(?<![$€£¥\d,.])(?<![$€£¥] )(?P<n>\d[\d,]*(?:\.\d+)?)\s?-?(?P<unit>m|metres?|meters?|km|kilometres?|"
                      r"kilometers?|miles?|kg|kilos?|kilograms?|lbs?|yards?|yds?)\b(?!\s*(?:pounds|dollars|euros))",
                      re.IGNORECASE)
_UNITS = {"m": "m", "metre": "m", "meter": "m", "km": "km", "kilometre": "km", "kilometer": "km",
          "mile": "mile", "kg": "kg", "kilo": "kg", "kilogram": "kg", "lb": "lb", "yard": "yard", "yd": "yard"}


def _measures(text: str) -> dict[tuple[str, str], str]:
    """(number, unit) -> as written, for each distance or weight a text names."""
    found = {}
    for m in _MEASURE.finditer(text):
        unit = m.group("unit").lower().rstrip("s") or "m"
        unit = _UNITS.get(unit, _UNITS.get(unit.rstrip("e"), unit))
        found[(m.group("n").replace(",", ""), unit)] = m.group().strip()
    return found


# A name with a number: "Skadi-2", "F-35", "Covid-19".
_NUMBERED = re.compile(r"\b(?P<name>[A-Z][A-Za-z]{1,20})-(?P<n>\d{1,4}[A-Za-z]?)\b")


def _other_numbered(question: str, shown: list[str]) -> tuple[str, str] | None:
    """("Skadi-1", "Skadi-2") when the question names a numbered thing no passage shown names
    and the best one names the same name with another number."""
    for m in _NUMBERED.finditer(question):
        if any(m.group().lower() in p.lower() for p in shown):
            continue
        others = sorted({o.group() for o in _NUMBERED.finditer(shown[0]) if o.group("name").lower() == m.group("name").lower()})
        if others:
            return " and ".join(others), m.group()
    return None


# "its second day of trading", "the third reading": one of a numbered run of days, rounds, readings.
_ORDINAL_WORDS = {"first": 1, "opening": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
                  "4th": 4, "fifth": 5, "5th": 5, "sixth": 6, "6th": 6}
_RUN_UNITS = (r"day|round|game|match|leg|test|half|week|term|stage|phase|ballot|reading|innings|set|race|heat|lap|"
              r"hearing|trial|meeting|attempt|try")
_ORDINAL_OF = re.compile(rf"\b(?P<nth>{'|'.join(_ORDINAL_WORDS)})[\s-]+(?P<unit>{_RUN_UNITS})s?\b", re.IGNORECASE)
# "day two of the trial", "round 3"
_NUMBERED_RUN = re.compile(rf"(?<!from )\b(?P<unit>{_RUN_UNITS})\s+(?P<n>one|two|three|four|five|six|[1-6])\b"
                           r"(?!\s+(?:days?|weeks?|months?|years?|hours?|minutes?|seconds?)\b)", re.IGNORECASE)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _ordinals(text: str) -> dict[tuple[int, str], str]:
    """(number, unit) -> "the second day", for each one of a run a text names."""
    found = {(_ORDINAL_WORDS[m.group("nth").lower()], m.group("unit").lower()): f"the {m.group().lower()}"
             for m in _ORDINAL_OF.finditer(text)}
    for m in _NUMBERED_RUN.finditer(text):
        n = m.group("n").lower()
        found.setdefault((int(_NUMBER_WORDS.get(n, n)), m.group("unit").lower()), f"the {m.group().lower()}")
    return found


def _other_ordinal(question: str, shown: list[str]) -> tuple[str, str] | None:
    """("the first day", "the second day") when the question asks about one of a run ("its second
    day of trading") that no passage shown names and the best one names another of the same run."""
    asked = _ordinals(question)
    if not asked:
        return None
    units = {unit for _, unit in asked}
    return _another(asked, [_ordinals(passage) for passage in shown], lambda n, unit: unit in units)


def _another(asked: dict, told: list[dict], same_kind) -> tuple[str, str] | None:
    """(what the best passage names, what was asked) when no passage names anything `asked`
    (keys to written forms) and the best one (`told[0]`) names others of `same_kind` (a key test)."""
    if any(set(asked) & set(t) for t in told):
        return None
    others = [written for key, written in told[0].items() if same_kind(*key)]
    return (" and ".join(others), " or ".join(asked.values())) if others else None


def _other_measure(question: str, shown: list[str]) -> tuple[str, str] | None:
    """(the distance the best passage names, the one asked) when the question asks about one
    ("who won the men's 100m") that no passage shown names and the best one names another of
    the same unit ("the women's 200 metres")."""
    asked = _measures(question)
    if not asked:
        return None
    # another race, not "2m clear of the field" under "the 100m"
    near = {unit: float(n) for n, unit in asked}
    return _another(asked, [_measures(passage) for passage in shown],
                    lambda n, unit: unit in near and near[unit] / 10 <= float(n) <= near[unit] * 10)


_ANSWER_KINDS = {"money": "an amount of money", "share": "a share", "number": "a number"}


def _gives(shown: list[str], holds, terms: set[str] | None = None, in_passage: bool = False) -> bool:
    """Whether a sentence of a passage shown holds the fact (`holds`), holds one of `terms`
    when given ("a 90% chance you will get it" is no vaccination rate; "paid" is "pay") or, with
    `in_passage`, sits in a passage that does ("The Quinn sketch went under the hammer. It sold
    for £1.2 million."), and does not say it is not known ("too early to say what caused the
    crash"), unless it gives a sum beside that ("will earn $640,000, though the university
    declined to say whether she gets a bonus")."""
    wanted = None if terms is None else {_PAST.get(t, t) for t in terms}
    related = None if wanted is None else _with_families(wanted)
    for passage in shown:
        split = sentences(passage)
        near = in_passage and wanted is not None and any(wanted & _present(held) for _, held in split)
        for sentence, held in split:
            if holds(sentence) and (not _unknown_of(sentence, related) or _SUM.search(sentence)) \
                    and (wanted is None or near or wanted & _present(held)):
                return True
    return False


def _unknown_of(sentence: str, related: set[str] | None) -> bool:
    """Whether the sentence says something asked about is not known: "the cause was not yet
    known and it had suspended Shaft 4, which employs 1,600 people" does not, of how many work
    there (no word asked beside it), while "too early to say what caused the crash" does.
    `related`: the asked words with their families; None: any unknown counts."""
    for m in _NOT_KNOWN.finditer(sentence):
        if related is None:
            return True
        # its clause: back to "that", "but" or a semicolon, on to the next "and", "but" or comma
        before = _CLAUSE_OPENS.split(sentence[:m.start()])[-1]
        after = _CLAUSE_ENDS.split(sentence[m.end():], maxsplit=1)[0]
        # names are who says it or where, not what is unknown ("Kelby Mining said that the cause")
        near = set(textnorm.query_terms(" ".join(w for w in f"{before} {after}".split() if not w[:1].isupper())))
        if not near or near & related or near & _ANY_FACT:
            return True
    return False


_CLAUSE_OPENS = re.compile(r"\b(?:that|but|while|whereas|although|though)\b|[;:]", re.IGNORECASE)
_CLAUSE_ENDS = re.compile(r"\b(?:and|but|while|whereas|although|though)\b|[;,]", re.IGNORECASE)


# "Details were not disclosed", "the figure was not given": whatever is asked.
_ANY_FACT = frozenset(textnorm.query_terms("details terms figure figures amount identity names number sum total"))


# --- yes/no: a passage that says whether it happened ---
# "Did Kelby Foods appeal the fine?" is answered by "it appealed" or "did not appeal", not by
# "Kelby Foods has 30 days to appeal" nor by "the league delayed approval of the deal".
_ASKS_WHETHER = re.compile(r"^\W*(?P<aux>did|does|do|has|have|had|is|are|was|were)\b(?P<rest>.*)$", re.IGNORECASE)
# Where the subject stops and the verb's object starts: "Did the state govt approve *the* …".
_OBJECT_STARTS = frozenset("""the a an his her its their this that these those my our your to in at on for of with by
    from after before over against into about since during than as any some no all every it him them us she he they
    we i you anyone anything someone something everyone everything nobody nothing off out up down back""".split())
_SAYING_VERBS = frozenset("say tell claim admit deny promise announce confirm".split())
_NOT_YET = frozenset("to will would could can may might must should shall if whether unless wants plans hopes".split())
_NEGATIONS = frozenset("not never n't didn't hasn't haven't wasn't weren't".split())
_IRREGULAR_FORMS = """win:won beat:beat,beaten give:gave,given find:found make:made take:took,taken get:got,gotten
    go:went,gone steal:stole,stolen pay:paid buy:bought sell:sold hold:held meet:met lose:lost leave:left
    choose:chose,chosen break:broke,broken bring:brought build:built come:came draw:drew,drawn
    drive:drove,driven fall:fell,fallen fight:fought grow:grew,grown hear:heard keep:kept know:knew,known
    lead:led ride:rode,ridden rise:rose,risen run:ran see:saw,seen seek:sought send:sent shoot:shot sit:sat
    speak:spoke,spoken spend:spent stand:stood strike:struck swear:swore,sworn teach:taught tell:told
    say:said think:thought throw:threw,thrown wear:wore,worn withdraw:withdrew,withdrawn write:wrote,written put:put
    set:set cut:cut hit:hit quit:quit shut:shut hurt:hurt cost:cost let:let uphold:upheld begin:began,begun
    bid:bid feed:fed feel:felt undergo:underwent,undergone rebuild:rebuilt freeze:froze,frozen""".split()
_PAST_OF = {base: forms.split(",") for base, forms in (item.split(":") for item in _IRREGULAR_FORMS)}
_BASE_OF = {form: base for base, forms in _PAST_OF.items() for form in forms}


def _participle(word: str) -> bool:
    return word.endswith("ed") or word in _BASE_OF


def _asked_verb(question: str, shown: list[str]) -> tuple[str, list[str]] | None:
    """The auxiliary and the verb of a yes/no question, with the plain word before it when
    there is one (the verb may be that word: "did the firm cut jobs"): after "has" or "was"
    the first participle ("has the mayor resigned", "were the penalties ever waived"); after
    "did" the first plain word that an object, a preposition, an adverb or the end follows
    ("did the state govt approve the …"). A name typed in lower case ("did the harriers beat
    kelby") is no verb."""
    m = _ASKS_WHETHER.match(question)
    if not m:
        return None
    aux = m.group("aux").lower()
    capitalised = {w.lower() for passage in shown for w in re.findall(r"\b[A-Z][\w’'-]*", passage)}
    lowered = {w for passage in shown for w in re.findall(r"\b[a-z][\w’'-]*", passage)}
    tokens = re.findall(r"[\w’'%.-]+", m.group("rest"))

    def name(tok: str) -> bool:
        return not tok[:1].islower() or tok.lower() in capitalised and tok.lower() not in lowered

    previous = None
    for n, tok in enumerate(tokens):
        word = tok.strip(".").lower()
        if word in ("end", "ended") and tokens[n + 1:n + 2] == ["up"]:
            continue  # "did they end up appealing": the appeal is asked
        if name(tok) or not word.replace("-", "").isalpha() or word in _OBJECT_STARTS \
                or word in textnorm.STOPWORDS and word not in _SAYING_VERBS or word.endswith(("'", "’")) \
                or word == "there" or word.endswith("ly"):
            continue
        if aux not in ("did", "does", "do"):
            if _participle(word):
                return aux, [word]
            continue
        following = tokens[n + 1] if n + 1 < len(tokens) else ""
        if not following or following.lower() in _OBJECT_STARTS or name(following) or following.endswith("ly") \
                or following.endswith(("'s", "’s")) or following[:1].isdigit():
            return aux, [word] + ([previous] if previous else [])
        previous = word
    return None


def _base(verb: str) -> str:
    """"appealing" of "did they end up appealing" is "appeal"."""
    return verb[:-3] if verb.endswith("ing") and len(verb) > 5 else verb


def _verb_forms(aux: str, verb: str) -> set[str]:
    """The forms that say it happened (or did not): "appealed", "won"; for "has it been
    approved" or "were they stolen", the participle asked."""
    if aux not in ("did", "does", "do"):
        base = _BASE_OF.get(verb) or (verb[:-2] if verb.endswith("ed") else verb)
    else:
        base = _base(verb)
    forms = {base + "ed", base + "d", base + "s", base + "es", verb} | set(_PAST_OF.get(base, ()))
    forms |= {f.replace("iz", "is") for f in forms} | {f.replace("is", "iz") for f in forms}  # apologise, apologize
    if base.endswith("y"):
        forms.add(base[:-1] + "ied")
    if len(base) > 2 and base[-1] not in "aeiouwy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
        forms.add(base + base[-1] + "ed")  # "stopped", "banned"
    return forms


_RESULT = re.compile(r"\d[\d.]*\s?%|\b\d[\d.]*\s?per ?cent\b|\b\d+\s?[-–—]\s?\d+\b|\b\d[\d,]* votes?\b", re.IGNORECASE)


def _tells_result(question: str, passage: str) -> bool:
    """A share, a score or a tally the question does not give itself ("58% of the vote")."""
    asked = {" ".join(m.group().split()) for m in _RESULT.finditer(question)}
    return any(" ".join(m.group().split()) not in asked for m in _RESULT.finditer(passage))


# Said of anything ("the club confirmed on Thursday that it had received an offer"): no outcome told.
_SAID_OF_ANYTHING = frozenset({"confirmed", "declared", "supported", "backed"})


def _reports_it(question: str, terms: set[str], names: set[str], passage: str) -> bool:
    """A sentence about the question (holding another of its `terms`, and every name it gives:
    a cup run of the Harriers' is no win over Kelby) that reports an outcome in other words
    ("The Mill Lane plans were waved through", "the measure got 58% of the vote")."""
    return any(held & terms and names <= held and (
        any(m.group().lower() not in _SAID_OF_ANYTHING for m in REPORTS_OUTCOME.finditer(sentence))
        or _tells_result(question, sentence)) for sentence, held in sentences(passage))


def _unsettled(question: str, terms: set[str], shown: list[str]) -> bool:
    """Whether no passage shown says whether what a yes/no question asks happened: none holds
    its verb in a form that tells it ("appealed", "did not appeal"), beside another word of the
    question, rather than only ahead of it ("has 30 days to appeal", "will decide whether")."""
    asked = _asked_verb(question, shown)
    if asked is None:
        return False
    aux, verbs = asked
    forms = {verb: _verb_forms(aux, verb) for verb in verbs}
    others = terms - set(textnorm.query_terms(" ".join(verbs)))
    # An outcome told in other words counts only when no passage speaks of the asked act as still
    # to come: "had not decided whether to appeal" is about the appeal, whatever the ruling before it.
    ahead = re.compile(rf"\b(?:{'|'.join(sorted(_NOT_YET))})\s+(?:\w+\s+)?(?:{'|'.join(re.escape(_base(v)) for v in verbs)})\b",
                       re.IGNORECASE)
    outcome = asks_outcome(question) and not any(ahead.search(p) for p in shown)
    names = _name_terms(terms, shown)
    for rank, passage in enumerate(shown):
        if rank and others and not others & set(textnorm.index_terms(passage)):
            continue  # the best passage is about the question; a weaker one must share a word of it
        if outcome and _reports_it(question, others, names, passage):
            return False  # "the plans were waved through", "the measure got 58% of the vote"
        words = re.findall(r"[\w’'-]+", passage.lower())
        for n, word in enumerate(words):
            for verb, verb_forms in forms.items():
                if word in verb_forms and not _NOT_YET & set(words[max(0, n - 3):n]):
                    # after "did", the plain form tells it only after a negation: "did not appeal"
                    if word != verb or aux != "did" or _NEGATIONS & set(words[max(0, n - 2):n]) \
                            or verb in _BASE_OF or verb in _PAST_OF.get(verb, ()):
                        return False
    return True


def _present(held: frozenset[str]) -> set[str]:
    return {_PAST.get(t, t) for t in held}


_SUM = re.compile(rf"{ANSWER_TYPES['money'].pattern}|{ANSWER_TYPES['share'].pattern}", re.IGNORECASE)


# Past forms the stemmer leaves apart from the verb a question uses ("how much did they pay").
_PAST = dict(zip(textnorm.stems("paid sold won lost spent bought took gave got made held told said fell rose "
                                "built found brought".split()),
                 textnorm.stems("pay sell win lose spend buy take give get make hold tell say fall rise build "
                                "find bring".split())))


def _says_not_known(question: str, terms: set[str], shown: list[str], not_known: re.Pattern = _NOT_KNOWN,
                    gives=None) -> bool:
    """Whether the best passage's sentence closest to the question says it is not known, and
    no other shown passage has a closer sentence that does not ("did not say how long the
    inquiry will take" under "the inquiry is run by a law firm, Kelby LLP"); one only as close
    is not enough, as the best passage ranks first."""
    if _ASKS_WHY_OR_HOW.search(question) or _NEGATED.search(question):
        return False  # "why weren't the results released?" is answered by why they were not
    closest = [_closest_with_next(terms, passage) for passage in shown]
    # The second passage's sentence when it holds more of the question: passages about as close
    # as each other ("but did not give details" just under a chief executive's statement).
    if len(closest) > 1 and closest[1][1] > closest[0][1]:
        closest = [closest[1], closest[0]] + closest[2:]
    best, held = closest[0]
    # A sentence that also gives a sum or an outcome tells something: "Ines Reyes,
    # who did not say whether she would serve a full term, defeated Okafor".
    says = lambda sentence: _not_known_in(sentence, question, not_known)  # noqa: E731
    # A sum tells nothing of who: "a $4 million promise from a donor it has declined to name".
    told = (REPORTS_OUTCOME if re.match(r"^\W*(?:who|whose)\b", question, re.IGNORECASE) else _TELLS).search
    # and so does one holding the kind of answer asked: "the cause was not yet known and it had
    # suspended Shaft 4, which employs about 1,600 people" says how many work there
    tells = (lambda sentence: told(sentence) or gives(sentence)) if gives else told  # noqa: E731
    return best is not None and says(best) and not tells(best) and not any(
        other is not None and n > held and not says(other) for other, n in closest[1:])


# "The price has not been disclosed": the sum asked for is withheld, whatever other sums the
# passage gives ("… will clear debts of about £2.6m"); a sentence giving a price, fee or the
# like still answers ("The fee was not disclosed but is thought to be £30m").
_SUM_NOUNS = r"(?:price|fee|sum|amount|terms|figure|cost|value|valuation|salary|pay|payout|payment)s?"
_WITHHELD = re.compile(
    rf"\b{_SUM_NOUNS}\b[^.;]{{0,40}}?\b(?:(?:has|have|had)\s+not\s+(?:yet\s+)?been|(?:was|were|is|are)\s+not)\s+"
    rf"(?:disclosed|revealed|made public|released|given)\b|\bundisclosed\s+{_SUM_NOUNS}\b|"
    rf"\b(?:did not|does not|declined to|would not|refused to)\s+(?:disclose|reveal|give|say|confirm)\s+"
    rf"(?:how much|what it paid|(?:the|its|their|any)\s+(?:[\w'’-]+\s+){{0,2}}?{_SUM_NOUNS}\b)", re.IGNORECASE)
_PRICED = re.compile(rf"\b(?:{_SUM_NOUNS}|paid|pays?|paying|cost|costs|costing|worth|valued|bought|sold|for|fined|spent|"
                     rf"raised|charged|awarded)\b", re.IGNORECASE)


def _sum_withheld(shown: list[str], holds) -> bool:
    """Whether the best passage says the sum is withheld and no passage shown gives one as a
    price, fee or payment in a sentence that says none is withheld."""
    if not any(_WITHHELD.search(sentence) for sentence, _ in sentences(shown[0])):
        return False
    def gives(sentence: str) -> bool:  # a sum after any withholding: "was not disclosed, but … paid about £30m"
        withheld = _WITHHELD.search(sentence)
        rest = sentence[withheld.end():] if withheld else sentence
        return bool(holds(rest) and _PRICED.search(rest))
    return not any(gives(sentence) for passage in shown for sentence, _ in sentences(passage))


def _not_known_in(sentence: str, question: str, not_known: re.Pattern) -> bool:
    """Whether the sentence says it is not known; "was investigating the fish kill" answers
    "which agency is investigating the fish kill" instead."""
    return any(not ("investigat" in m.group().lower() and re.search(r"investigat", question, re.IGNORECASE))
               for m in not_known.finditer(sentence))


_WHY = re.compile(r"^\W*(?:why|what (?:was|is) the reason)\b", re.IGNORECASE)
# A sentence saying no reason was given, and words that give one.
_NO_REASON = re.compile(
    r"\b(?:(?:has|have|had|did|does|do)\s+not|hasn't|haven't|hadn't|didn't|doesn't)\s+(?:yet\s+)?"
    r"(?:(?:explained|explain)(?!\s+(?:how|what|where|when|whether|who)\b)|given (?:a|any) reason|said why|say why)|"
    r"\bgave no (?:reason|explanation)|\bwithout (?:giving|offering|stating) (?:a|any) (?:reason|explanation)|"
    r"\bno (?:reason|explanation) (?:was|has been|had been|is) given|\b(?:declined|refused) to (?:explain|say why|give a reason)|"
    r"\b(?:it is|it was|it remains|it remained|remains?|is|was) (?:not (?:known|clear)|unclear) why\b", re.IGNORECASE)
_REASON = re.compile(r"\b(?:because|due to|owing to|citing|cited|blamed|the reason|reasons? (?:was|were|is|are)|"
                     r"in order to|so that|to spend more time|over|amid|to save|to cut|to avoid)\b",
                     re.IGNORECASE)


def _no_reason(terms: set[str], shown: list[str]) -> bool:
    """Whether one of the two best passages' sentences closest to the question says no reason
    was given, and none of the passages shown gives one near the question's words."""
    closest = [closest_sentence(terms, passage)[0] for passage in shown]
    return any(c is not None and _NO_REASON.search(c) for c in closest[:2]) and \
        not any(c is not None and _REASON.search(_NO_REASON.sub(" ", c)) for c in closest)


_TELLS = re.compile(rf"{_SUM.pattern}|{REPORTS_OUTCOME.pattern}", re.IGNORECASE)
_GOES_ON = re.compile(r"^\W*(?:he|she|they|it|the (?:man|woman|boy|girl|victim|driver|suspect)s?)\b", re.IGNORECASE)


def _closest_with_next(terms: set[str], passage: str) -> tuple[str | None, int]:
    """The passage's sentence closest to the question, with the next one when that goes on
    about the same ("… a 19-year-old man had been arrested. He has not been named.")."""
    best, held = closest_sentence(terms, passage)
    if best is None:
        return best, held
    texts = [sentence for sentence, _ in sentences(passage)]
    after = texts[texts.index(best) + 1:][:1]
    if after and _GOES_ON.match(after[0]) and len(after[0].split()) <= 12:
        best = f"{best} {after[0]}"
    return best, held


_NEGATED = re.compile(r"n't\b|\b(?:not|never|no longer|withheld|unnamed|undisclosed|secret)\b", re.IGNORECASE)


# "What limits did they put on prices?" asks for limits, not for a sum: a question naming
# the thing it asks for ("what bonus", "which fee") names it in one word after "what".
_ASKED_THING = re.compile(r"^\W*(?:what|which)\s+(?P<thing>[a-z]+)\s+(?:did|do|does|has|have|had|is|are|was|were|"
                          r"will|would|can|could|should)\b", re.IGNORECASE)
_SUM_WORDS = frozenset("""amount sum figure price cost fee bonus salary wage pay compensation payout payoff damages
    value valuation fine much money deal package offer settlement""".split())
_SUM_STEMS = frozenset(textnorm.index_terms(" ".join(_SUM_WORDS)))
_SUM_KINDS = frozenset(("amount of pay", "amount of money", "figure for the pay", "value"))


def _asks_other_thing(question: str) -> bool:
    found = _ASKED_THING.search(question)
    return found is not None and not set(textnorm.index_terms(found.group("thing"))) & _SUM_STEMS


_ASKS_WHY_OR_HOW = re.compile(r"^\W*(?:why|how(?! much| many| old| did [^?]{1,60}? die\b)|what did \w+(?: \w+)? (?:say|said))\b", re.IGNORECASE)

# "Who is the chairman of X?", "who manages X?", "who refereed the final?": whoever holds a post,
# which passages that never name the post (in any of the words papers use for it) cannot tell.
_POST_FAMILIES = {
    "chair": "chair chairman chairwoman chairperson chairs chaired",
    "manager": "manager manages managed boss coach",
    "coach": "coach coaches coached manager boss",
    "referee": "referee refereed referees official officiated",
    "captain": "captain captains captained captaincy skipper",
    "head teacher": "headteacher head principal headmaster headmistress",
    "chief": "chief chiefs commissioner superintendent",
    "mayor": "mayor mayors mayoral",
    "president": "president presidents chair chairman chairwoman",
    "director": "director directors",
    "sheriff": "sheriff sheriffs",
    "minister": "minister ministers ministry secretary",
    "governor": "governor governors",
}
_POST_STEMS = {post: frozenset(textnorm.stems(words.split())) for post, words in _POST_FAMILIES.items()}
# What kind of chief or minister: "fire chief", "health minister" (not ranks: "deputy", "interim").
_POST_KINDS = ("fire", "police", "health", "finance", "foreign", "education", "transport", "justice", "defence",
               "defense", "interior", "energy", "housing", "environment", "economy", "trade", "agriculture", "culture",
               "sports", "sport", "labour", "labor", "home", "prison", "medical", "technical", "sporting", "artistic")
_POST_QUESTION = re.compile(
    r"^\W*who(?:'s| is| was)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+|\w+'s\s+|\w+s'\s+)?(?:\w+\s+){0,1}?"
    rf"(?:(?P<kind>{'|'.join(_POST_KINDS)})\s+)?"
    r"(?P<post>chair(?:man|woman|person)?|manager|coach|captain|referee|head ?teacher|chief|mayor|president|"
    r"director|principal|sheriff|minister|governor)\b(?=\s+(?:of|at|in|for|on)\b|\s*[?.!]|\s*$)|"
    r"^\W*who\s+(?P<verb>refereed|referees|manages|managed|coaches|coached|chairs|chaired|captains|captained)\b",
    re.IGNORECASE)
_VERB_POSTS = {"refere": "referee", "manag": "manager", "coach": "coach", "chair": "chair", "captain": "captain"}


def _asked_post(question: str) -> str | None:
    found = _POST_QUESTION.search(question)
    if found is None:
        return None
    if found.group("post"):
        post = found.group("post").lower().replace(" ", "")
        return "head teacher" if post in ("headteacher", "principal") else "chair" if post.startswith("chair") else post
    return _VERB_POSTS[textnorm.stems([found.group("verb").lower()])[0]]


def _post_kind(question: str) -> str | None:
    """Which post of its kind is asked: "fire" of "fire chief"."""
    found = _POST_QUESTION.search(question)
    return found.group("kind").lower() if found is not None and found.group("post") and found.group("kind") else None


def _other_kind_only(post: str, kind: str, shown: list[str]) -> bool:
    """Whether the passages name the post only as another kind of it ("Police Chief Ann Lee"
    for the fire chief), never as the one asked or plainly ("the chief", "Deputy Chief")."""
    family = _POST_STEMS[post]
    other = False
    for passage in shown:
        words = re.findall(r"[^\W_]+", passage.lower())
        for n, word in enumerate(words):
            if textnorm.stems([word])[0] in family:
                before = words[n - 1] if n else ""
                if before == kind:
                    return False
                if before not in _POST_KINDS:
                    return False
                other = True
    return other


def _names_post(post: str, passage: str) -> bool:
    return bool(_POST_STEMS[post] & set(textnorm.index_terms(passage)))


_MONEY = ANSWER_TYPES["money"].pattern
# Rupees and crore, which the answer types leave out.
_RUPEES = r"(?:\bRs\.?|₹|\bKSh|₦|\bR)\s?\d|\b\d[\d,.]*\s?(?:crore|lakh)\b"
# Currencies newspapers write after the number ("86 million crowns", "1,500 zloty"), beyond
# the ones every answer type knows.
_CURRENCY_WORDS = ("kroner|krone|kronor|kronur|zloty|zlotys|forint|baht|ringgit|won|shekels?|rupiah|naira|cedis?|"
                   "leva|lev|lei|dinars?|dirhams?|riyals?|reais|rand|renminbi|rupees|taka|kwacha|shillings?|"
                   "crowns|euros|dollars|pounds|pesos|francs|yuan|yen|lira|liras|roubles|rubles|hryvnias?|tenge|"
                   "pula|birr|kip|riel|dong|lempiras?|quetzal(?:es)?|colones|soles|bolivianos|guaranies")
_CURRENCY_SUM = rf"\b\d[\d,.]*\s?(?:m|bn|k|million|billion|thousand|trillion)?\s?(?:{_CURRENCY_WORDS})\b"
# Any sum for the kinds below that ask for one by what it is (pay, a fee, a price), a bare "an
# initial 62 million" too; the answer types' money test takes only the named ones (_MORE_MONEY).
_ANY_MONEY = rf"{_MONEY}|{_RUPEES}|\b\d[\d,.]*\s?(?:million|billion|bn)\b|{_CURRENCY_SUM}"
_MORE_MONEY = re.compile(rf"{_RUPEES}|{_CURRENCY_SUM}", re.IGNORECASE)
# A currency the passages use for sums ("costing it about 38 million kestos a day"): the word
# after a number of millions, with a word of money before it.
_CURRENCY_IN_USE = re.compile(r"\b(?:cost\w*|pa(?:y|id|ying)|worth|spen[dt]\w*|budget\w*|fine[ds]?|profits?|revenues?|"
                              r"pric\w*|valu\w*|loss\w*|los(?:e|ing|t)|rais\w*|bonus\w*|payments?|invest\w*|fund\w*|"
                              r"salar\w*|wages?|reduc\w*)\b(?:\W+\w+){0,4}?\W+\d[\d,.]*\s?(?:million|billion|bn|m|thousand)\s"
                              r"(?P<unit>[a-z]{3,})\b", re.IGNORECASE)


# A person's name as news writes one when it names someone: "named as Ann Lee", "Tomas Berg,
# 58,", "Mr Berg", or two capitalised words mid-sentence that are no street, body or place.
_NAMED = re.compile(r"\b(?:named|identified)\b[^.;]{0,40}?\b[A-Z][a-z]|"
                    r"\b[A-Z][a-z'’-]+ [A-Z][\w'’-]+, (?:aged )?\d{1,3},|"
                    r"\b[A-Z][a-z'’-]+ [A-Z][\w'’-]+, an? \d{1,3}-year-old\b|\b(?:was|were|is) [A-Z][a-z'’-]+ [A-Z]|"
                    r"\b[A-Z][a-z'’-]+ [A-Z][\w'’-]+, who\b|(?:[-–—:] )[A-Z][a-z'’-]+ [A-Z][a-z'’-]+\b(?! [A-Z])|"
                    r"\b(?:son|sons|daughter|daughters|wife|husband|brother|sister|partner|mother|father|children),? [A-Z][a-z]|"
                    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Sgt|Det|Insp|Pc|Officer|Judge|Rev)\.? [A-Z]|"
                    r"(?<=[a-z,] )(?<!\b[Tt]he )(?<!\b[Aa] )(?<!\b[Aa]n )(?<!\b[Tt]his )(?<!\b[Ii]ts )(?!(?:Storm|Hurricane|Typhoon|Cyclone|Mount|Lake|River|Port|Fort|"
                    r"Saint|North|South|East|West|New|Old|Upper|Lower|Great|Little)\b)[A-Z][a-z'’-]+ (?!(?:Street|Road|Avenue|Lane|Drive|County|Council|City|Town|"
                    r"River|Hospital|Police|Department|Fire|Station|School|College|University|"
                    r"Creek|Falls|Valley|Heights|Airport|Centre|Center|Square|Bridge|Township|Prize|Cup|"
                    r"Party|Group|Inc|Ltd|Foods?|Bank|Trust|Authority|Service|Board|Festival|Museum|Gallery)\b)[A-Z][a-z'’-]+\b")
# What a question asks for (beyond the answer types every search knows), what a sentence that
# gives it holds, what to call it, and whether that sentence must hold a word of the question
# (True; "or names": a name the question gives counts too, and so does a word anywhere in the
# sentence's passage).
_KINDS = [
    # What someone earns: an amount in a sentence about pay ("the job pays between $168,000 and
    # $195,000", "95 kroner per jab"), not a transfer fee or a payout.
    (re.compile(r"\b(?:salar(?:y|ies)|wages?|pay packet|(?:being|be|get|gets|getting) paid)\b|"
                r"\bhow much (?:is|are|was|were)\b[^?]{1,60}\bpaid(?! (?:to|for|by|out|back|off)\b)", re.IGNORECASE),
     re.compile(rf"^(?=.*(?:\b(?:salar(?:y|ies)|wages?|earn\w*|paid|pays?|paying|remuneration|package|per annum|"
                rf"annual|annually|a year|per year|a week|an hour|allowance|compensation|"
                rf"per (?!cent\b|share\b|barrel\b|lit(?:re|er)\b|gallon\b|tonne\b|ton\b|kilo\w*|kg\b|pound\b|ounce\b|"
                rf"unit\b|square\b|capita\b)\w+)\b|"
                rf"-a-(?:year|week|month)\b)).*"
                rf"(?:{_ANY_MONEY})",
                re.IGNORECASE | re.DOTALL), "amount of pay", False),
    # What something is worth or cost, what someone got: "how much compensation did she get",
    # "what are the paintings worth", "transfer fee" (questions the answer types leave untyped).
    (re.compile(r"^(?!.*\b(?:inflation|rates?|growth|percent\w*|per cent|index|drop(?:s|ped|ping)?|f[ae]ll(?:s|en|ing)?|"
                r"ris(?:e|en|es|ing)|rose|jump(?:s|ed|ing)?|slump(?:s|ed|ing)?|plung(?:e|es|ed|ing)|surg(?:e|es|ed|ing)|"
                r"climb(?:s|ed|ing)?)\b)"  # "price inflation", "share price drop": a share
                r".*\b(?:compensation|compo|pay-?offs?|pay-?outs?|damages|bonus(?:es)?|fees?|prices?|valuation|worth)\b",
                re.IGNORECASE), re.compile(_ANY_MONEY, re.IGNORECASE),
     "amount of money", "or names"),
    # "what pay rise were they offered": a share or a sum in a sentence about the pay
    (re.compile(r"\bpay (?:rise|offer|increase|award|deal|settlement|claim)s?\b", re.IGNORECASE),
     re.compile(rf"^(?=.*\b(?:pay|offer\w*|rise|increase\w*|award\w*|deal|wages?|salar\w*|settlement)\b).*"
                rf"(?:{ANSWER_TYPES['share'].pattern}|{_ANY_MONEY})", re.IGNORECASE | re.DOTALL), "figure for the pay", False),
    # What something is worth: a sum in a sentence that values it ("valued at", "sold for"), not
    # a reward or a fine in a sentence that names it.
    (re.compile(r"\b(?:worth|valu(?:e|ed|ation))\b", re.IGNORECASE),
     re.compile(rf"^(?=.*\b(?:worth|valu\w*|pric\w*|cost\w*|sold|sells?|fetch\w*|insured|estimated|bought|paid|"
                rf"auction\w*|bid)\b).*(?:{_ANY_MONEY})", re.IGNORECASE | re.DOTALL), "value", False),
    # "when is the memorial", "date of the inquest": a time in a sentence about it (a time
    # can be written in words no rule knows, so only when the sentence names it at all)
    # "what time did Ann Lee get to A&E": a clock time, in a sentence about it or naming them
    (re.compile(r"\b(?:what|which) time\b(?! of)", re.IGNORECASE),
     re.compile(r"(?<![£$€¥\d.,])\b\d{1,2}:\d\d\b|\b\d{1,2}(?:[.:]\d\d)?\s?(?:a\.?m\b\.?|p\.?m\b\.?)|"
                r"\bat (?:about |around |roughly |approximately |just after |just before )?\d{1,2}[.:]\d\d\b|"
                r"\b(?:midnight|noon|midday|dawn|dusk|early hours|morning|afternoon|evening|overnight)\b|"
                r"\b\d{1,2} o'clock\b", re.IGNORECASE), "time", "or names"),
    (re.compile(r"^\W*when (?:is|was|will|are|were)\b|\bwhat (?:date|day)\b|\bdate (?:of|for)\b",
                re.IGNORECASE), re.compile(rf"{ANSWER_TYPES['time'].pattern}|\b\d{{1,2}}(?:st|nd|rd|th)\b|"
                                           r"\b(?:this|later this|early|earlier this|late) (?:week|month|year)\b|"
                                           r"\b(?:spring|summer|autumn|fall|winter|weekend|midnight|noon|dawn)\b",
                                           re.IGNORECASE), "date", True),
    # "names of the victims", "name of the firefighter hurt": someone named, in a sentence about them
    (re.compile(r"\bnames? of (?:the )?(?!(?:company|firm|group|book|film|song|album|show|street|road|"
                r"place|town|bill|law|drug|species|ship|boat|horse|dog|band|restaurant|school|hospital)\b)",
                re.IGNORECASE), _NAMED, "name", True),
    # "how old is Ann Lee": an age in a sentence about her ("Ann Lee, 62, said", "the 62-year-old"),
    # not her street's history; a thing's age is a year it dates from
    (re.compile(r"\bhow old\b|\bwhat age\b|\b(?:his|her|their|[\w’'-]+['’]s) age\b", re.IGNORECASE),
     re.compile(r"[^\W\d_],\s*\d{1,3}(?:\s+and\s+\d{1,3})?\s*[,;)]|\(\d{1,3}\)|\b\d{1,3}-year-olds?\b|\b\d{1,3} years? old\b|"
                r"\bat (?:the age of )?\d{1,2}\b|"
                r"\b(?:aged?|turn(?:s|ed|ing)?|age of)\s+\d{1,3}\b|\b(?:early|mid|late)?-?(?:\d0s|twenties|thirties|forties|"
                r"fifties|sixties|seventies|eighties|nineties)\b|"
                r"\bborn\s+(?:in\s+(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*){0,2},?\s+)?(?:in|on)\s+"
                r"(?:(?:1[89]|20)\d\d\b|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\b|"
                r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)|"
                r"\b(?:built|founded|opened|established|dating|dates|since|from) (?:in |from |back to )?(?:1[0-9]|20)\d\d\b|"
                r"\b\d+(?:st|nd|rd|th)[- ]century\b|\bcentur(?:y|ies)-old\b", re.IGNORECASE),
     "age", True),
    # "what was the score when Eastfield beat Kelby": a result in figures, not "beat Kelby in a replay"
    (re.compile(r"\b(?:final|full-time|half-time|fulltime|halftime)\s+score\b|"
                r"^(?=.*\b(?:match|game|final|semi-?finals?|derby|v|vs|versus|against|beat|beaten|won|win|lost|lose|drew|"
                r"draw|cup|league|round|fixture|innings|leg|play-?offs?|quarter-?finals?|hosted|host|hosts|played|play|"
                r"plays|playing|between|half[- ]?time|full[- ]?time)\b)"
                r"(?:.*\b(?:what|what's|what is|the)\s+score\b|^\W*score\b|.*\bscore (?:in|of|at|when|against|for)\b)",
                re.IGNORECASE),
     re.compile(r"(?<![\d/.,-])\d{1,3}\s?[-–]\s?\d{1,3}(?![\d/-]|[.,]\d|\s?(?:years?|months?|weeks?|days?|hours?|minutes?)\b)|"
                r"\b\d{1,3} points? to \d{1,3}\b|\bby (?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|an? "
                r"(?:innings|goal|point|run|wicket)) (?:goals?|points?|runs?|wickets?|innings|strokes?|shots?)?\b|"
                r"\b(?:nil|love)\b", re.IGNORECASE),
     "score", True),
    (re.compile(r"\bturnout\b", re.IGNORECASE),
     re.compile(rf"{ANSWER_TYPES['share'].pattern}|^(?=.*\b(?:turnout|turned out|took part|attend\w*)\b).*\d",
                re.IGNORECASE | re.DOTALL), "turnout", True),
    (re.compile(r"\bwhat did [^?]{1,60}? die (?:of|from)\b|\bhow did [^?]{1,60}? die\b|\bcause of (?:his |her |their )?death\b",
                re.IGNORECASE),
     re.compile(r"\b(?:died|dies|dying)\b[^.;]{0,30}?\b(?:of|from|after|following)\b|\bcause of death\b|"
                r"\b(?:succumbed|drowned|killed|sepsis|infection|cardiac|kidney|liver|lung|organ failure)\b|"
                r"\bcomplications\b|\blost (?:a|her|his|their) (?:long |brave |short )?(?:battle|fight)\b|"
                r"\b(?:cancer|leuka?emia|tumou?r|illness|disease|stroke|heart attack|heart failure|overdose|suicide|"
                r"pneumonia|dementia|alzheimer\w*|covid|natural causes|a fall|injuries)\b", re.IGNORECASE),
     "cause of death", False),
]
