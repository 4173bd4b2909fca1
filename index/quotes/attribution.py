"""Answers about quotes: `who said "..."` and `what did <person> say [about <topic>]`.

Every result is a stored quote: the verbatim sentence with its offsets, the quoted words,
their kind and the speaker's canonical name. Words found only in narration are reported as
such, with no speaker; a quote whose speaker could not be identified keeps speaker null.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import numpy as np

from .. import textnorm
from ..answer import Answer, ArticleRef, Result, a_or_an
from ..retrieval import ann
from ..retrieval.matching import Match, PhraseFinder
from ..retrieval.question import WHO_SAID
from ..sources.chunking import sentence_spans
from ..storage.store import ChunkRow, QuoteRef, QuoteRow, QuoteSpan, Store
from .lexicon import (BODY_NOUNS, COMPANY_ROLES, DENYING_CUES, HONORIFICS, NEGATED_BEFORE, PORTFOLIOS, ROLE_KIND_NAMES,
                      ROLE_KINDS, ROLE_WORDS, TITLE_ABBREVIATIONS, TITLE_QUALIFIERS, TITLE_WORDS)
from .speakers import DETERMINERS, contains, key, name_gender, speaker_key, strip_titles

CLOSEST = 3
QUOTES_LIMIT = 20  # quotes listed for one person when no topic ranks them
NARRATION_LIMIT = 20  # narration passages shown when nobody is quoted saying the words
WHO_RESULTS = 50  # quotes returned for words many speakers said (the message counts them all)
WHO_LISTED = 10  # speakers named in that message
REFS_CACHED = 32  # speakers whose quote list is kept between questions
DESCRIBED_CACHED = 20_000  # (article, speaker) roles kept between questions
RANKED_LIMIT = 256  # quotes embedded at question time, only for an index without quote vectors
VECTOR_WEIGHT = 0.6
ROLE_ARTICLES = 50  # articles searched for the speakers a role names ("the pensions minister")
SEMANTIC_CANDIDATES = 50  # quotes nearest the question by their sentence vectors, then scored in full
# How far under `who_min_score` a person's quote may score and still name them, when no other
# speaker comes within `who_clear_margin` of it.
CLEAR_BELOW = 0.08
OTHER_ARTICLES = 2  # other articles read for a named speaker's role
TITLE_LOOKBACK = 120  # characters before a mention of a speaker read for their title
# Abbreviated titles as news text writes them before a name, read as the role words a question uses.
_TITLE_ROLES = {**TITLE_ABBREVIATIONS, "rep": "representative congressman congresswoman", "gen": "general",
                "dr": "doctor", "rev": "reverend"}

_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|(?i:me|my|mine|we|we're|we’re|our|us))\b")


_SELF_REPORTED = re.compile(r"^\W*(?:he|she|they)\b", re.IGNORECASE)  # "said she would seek $10 million"


def tells_of_self(result: Result, asked: str, narration: bool = True) -> bool:
    """Whether the quote tells what the asked words say its speaker did: in the first person
    ("I went into the walk-in fridge and cried"), reported of themselves ("said she would seek
    $10 million"), each holding at least two of the asked words, or with the narration saying it
    of them ("Tomas Berg voted against the bill, saying …"; not "Berg, whose wife was killed,
    said"; `narration` False: the quote's own words only, as for a passage of several
    sentences). "The boy who went missing" is not whoever the police statement quotes."""
    quote = result.quote or ""
    terms = textnorm.query_terms(asked or "")
    held = set(terms) & set(textnorm.index_terms(quote))
    if len(held) >= min(2, len(terms)) and (result.kind == "direct" and _FIRST_PERSON.search(quote) or
                                             result.kind == "indirect" and _SELF_REPORTED.match(quote)):
        return True
    if not terms or not result.speaker or not narration:
        return False
    narration = result.text.replace(quote, " ") if quote else result.text
    surname = result.speaker.split()[-1]
    for m in textnorm.word_matches(narration):  # the asked verb, done by the speaker named before it
        if textnorm.stems([m[0]]) == terms[:1]:
            before = narration[:m[1].start()]
            return surname in before and not _PASSIVE.search(before)
    return False


_PASSIVE = re.compile(r"\b(?:was|were|been|being|be|is|are|whose)\s+(?:\w+\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=100_000)  # matching_speakers folds every stored speaker's forms on each call
def _query_words(name: str) -> tuple[str, ...]:
    words = list(key(name))
    while words and words[0] in DETERMINERS:
        words = words[1:]
    return tuple(strip_titles(words))


def matching_speakers(store: Store, query: str, among: set[str] | None = None, exact_surname: bool = False
                      ) -> list[str]:
    """Speaker keys a person's name asks for: "Lee" finds Ann Lee. Organisations and
    descriptions match only as a whole ("the Kremlin"), so "Blair" never finds "Mr Blair's spokesman".
    "Mrs. Smith" never finds a speaker written only as "Mr. Smith" (speakers.GENDERED), and
    prefers one written with her honorific over a full name the archive never gave one.

    With `among`, only those keys are kept (the whole-archive answer, restricted to them). With
    `exact_surname`, a surname alone also prefers the speaker stored under exactly it."""
    wanted = _query_words(query)
    if not wanted:
        return []
    found, same_honorific = [], []
    gender = name_gender(query)
    # Every form that can match contains each wanted word: look speakers up by one of them.
    for name, speaker_key, person, written in store.speakers_with_word(wanted[-1]):
        genders = {g for g in map(name_gender, [name, *written]) if g} if gender else set()
        if genders and gender not in genders:
            continue
        if gender in genders:
            same_honorific.append(speaker_key)
        forms = [_query_words(name)] + [_query_words(w) for w in written]
        if person and any(contains(form, wanted) for form in forms):
            found.append(speaker_key)
        elif not person and wanted in forms:
            found.append(speaker_key)
    # A full name asked for prefers the speaker stored under exactly it; a surname alone names
    # every person of that name ("Lee" is Ann Lee as well as a Lee the archive never gave a first name).
    exact = [k for k in found if tuple(k.split()) == wanted] if len(wanted) > 1 or exact_surname else []
    preferred = [k for k in found if k in same_honorific] or exact or found
    return [k for k in preferred if among is None or k in among]


def speakers_named(store: Store, words: str | None) -> frozenset[str]:
    """Speaker keys of the person some words name, by their longest ending that names a stored
    speaker: "retired Gen. Ann Lee" is Ann Lee, "the county" the county."""
    parts = (words or "").split()
    for n in range(min(len(parts), 4), 0, -1):
        if all(textnorm.fold(w) in textnorm.STOPWORDS for w in parts[-n:]):
            continue
        # The search bonus was fitted (bench/quality.py) with the speaker stored under exactly
        # the name asked: every Lee of an archive full of Lees would lift nearly every passage.
        keys = matching_speakers(store, " ".join(parts[-n:]), exact_surname=True)
        if keys:
            return frozenset(keys)
    return frozenset()


# Words (an abbreviation keeps its period: "Sen.") and single punctuation marks.
_PRE_WORD = re.compile(r"[^\W_](?:[\w’'-]*[^\W_])?\.?|[^\w\s]")
# An apposition describes; a clause after the name does not ("Lee, said the club had …").
_APPOSITIVE = re.compile(r"\s*(?:\((?P<paren>[^()]{1,40})\))?\s*(?:,(?!\s*(?:said|says|told|tells|adding|added|saying|"
                         r"and|but|was|is|has|had|who (?:said|says|told|added))\b)\s*(?P<apposition>(?:[^,;:!?\"“”()\n.]|"
                         r"\.(?=\S|\s+[a-z]))+))?")
_PARTY = re.compile(r"\b(?P<party>[RDI])-[A-Z]")  # "(R-S.C.)": the party of a US lawmaker
_PARTIES = {"R": "republican", "D": "democrat", "I": "independent"}
# Titles of two words and what they also are: the chief executive is the CEO (and back), the
# attorney general an official ("which state official").
_SPELLED_OUT = {("chief", "executive"): "ceo", ("chief", "financial"): "cfo", ("chief", "operating"): "coo"}
_SHORT_FOR = {short: list(words) for words, short in _SPELLED_OUT.items()}
_TWO_WORD_TITLES = {**_SPELLED_OUT, ("attorney", "general"): "official", ("solicitor", "general"): "official",
                    ("auditor", "general"): "official", ("comptroller", "general"): "official"}
MENTIONS = 12  # mentions of a speaker read for their title
# A name as the object of a preposition or a verb: the words before it are no title of theirs.
_OBJECT_BEFORE = frozenset("by under with to from for against about after before than like met meeting said told says".split())


def _object_of(before: str, names: list[str]) -> bool:
    words = [textnorm.fold(w) for w in re.findall(r"[^\W_]+(?:['’-][^\W_]+)*|[^\w\s]", before[-80:])]
    while words and words[-1] in names:  # the rest of the name: "by Ann Lee"
        words.pop()
    return bool(words) and words[-1] in _OBJECT_BEFORE
PRE_WORDS = 6  # words of title before a name: "conservative talk radio host Ann Lee"
_CUE_WORDS = frozenset("said says told according".split())
_PAST_ROLE = frozenset("former ex retired erstwhile onetime".split())  # a role no longer held
_PRESENT_ROLE = frozenset("now current currently later".split())  # ... until a new one ("former MP and minister": both past)
# "…,” said the board's chief executive, Lindiwe Cele.": the role set off before a name that ends the sentence
_SAID_THE_ROLE = re.compile(r"\b(?:said|says|according to)\s+(?:the|its|their|his|her)\s+"
                            r"(?:(?!\b(?:who|which|that|whose)\b)[^,.;\"“”]){1,60},\s+(?:[A-Z][\w'’.-]*\s+){0,3}$")


def describe(text: str, speaker: str, as_written: str | None = None) -> set[str]:
    """Stemmed words an article uses for a speaker: the title before each mention of their
    name ("Ohio Secretary of State Ann Lee", "Sen. Lee"), a bracketed party ("(R-Ohio)"),
    the apposition after it ("Lee, a physicist, said") and how the quote named them ("the
    mayor"). Nothing further: words near a name are often about someone else. The name's
    own words are left out, so "which Lee aide" is not Ann Lee."""
    names = [w for w in key(speaker) if len(w) > 2]
    if not names:
        return set()
    pieces = [as_written or ""]
    # As written ("Lee", not "lee"): a plain search, no regex compiled per speaker. A hyphenated
    # surname whole ("Reyes-Berg"), so the title before it is read.
    written = re.findall(r"[^\W_]+(?:-[^\W_]+)*", speaker)
    surname = next((w for w in reversed(written) if names[-1] in map(textnorm.fold, w.split("-"))), written[-1])
    at, seen = text.find(surname), 0
    while at >= 0 and seen < MENTIONS:  # news gives a title with the first mentions
        end = at + len(surname)
        if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "-")) and (end == len(text) or not text[end].isalnum()):
            seen += 1
            after = _APPOSITIVE.match(text, end)
            before = text[max(0, at - TITLE_LOOKBACK):at]
            if not _object_of(before, names):  # "impressed by Lee", "deputy under Lee": someone else's words
                apposed = bool(after.group("apposition")) or text.startswith(",", end) or \
                    text[end:end + 1] in (".", "!", "?") and bool(_SAID_THE_ROLE.search(before))
                pieces.append(" ".join(_title_before(before, names, apposed)))
            paren = after.group("paren") or ""
            party = _PARTY.search(paren)
            pieces.append(_PARTIES[party.group("party")] if party else paren)
            if after.group("apposition"):
                pieces.append(" ".join(after.group("apposition").split()[:15]))
        at = text.find(surname, end)
    expanded, past = [], []  # past: after "former" in its piece ("Former test halfback Ann Lee")
    for piece in pieces:
        was = False
        for w in textnorm.words(piece):
            for r in (_TITLE_ROLES.get(w, w).split() if w in HONORIFICS else [w]):
                # "a former lawyer who is now the club's chairman": now a chairman
                was = (was or r in _PAST_ROLE) and r not in _PRESENT_ROLE
                expanded.append(r)
                past.append(was)
    # "Which player": the striker, not a former one. A secretary only of a government portfolio is a minister.
    expanded += [kind for n, w in enumerate(expanded) if not past[n] for kind in ROLE_KINDS.get(w, ())
                 if w != "secretary" or expanded[n - 1:n] and expanded[n - 1] in PORTFOLIOS
                 or expanded[n + 1:n + 3] == ["of", "state"]]
    # "Kelby Buses" runs buses: "which bus boss" (the stemmer makes "buses" "buse", "bus" "bus")
    expanded += [w[:-2] for w in expanded if w.endswith(("ses", "xes", "ches", "shes"))]
    # a chief executive is the CEO, and the CEO a chief executive
    pairs = set(zip(expanded, expanded[1:]))
    expanded += [short for (a, b), short in _TWO_WORD_TITLES.items() if (a, b) in pairs]
    expanded += [w for short, words in _SHORT_FOR.items() if short in expanded for w in words]
    return set(textnorm.stems(expanded)) - set(textnorm.stems(names))


def _title_before(before: str, names: list[str], apposed: bool) -> list[str]:
    """The words just before a mention, back to the sentence, clause or quote they start;
    past a comma only when the name is set off by commas ("the head librarian, Ann Lee,")."""
    tokens = _PRE_WORD.findall(before)
    words: list[str] = []
    for i in range(len(tokens) - 1, -1, -1):
        tok = tokens[i]
        folded = textnorm.fold(tok.rstrip("."))
        if tok == "," and apposed and all(textnorm.fold(w) in HONORIFICS for w in words):
            continue
        if not tok[0].isalnum() or (tok.endswith(".") and folded not in HONORIFICS and len(folded) > 1) \
                or folded in _CUE_WORDS:  # "…,” said the chief executive, Ann Lee": back to the cue
            break
        if folded not in names:  # the rest of the name ("Ann" of Ann Lee) is not a title
            words.append(tok.rstrip("."))
        if len(words) >= PRE_WORDS:
            break
    return words[::-1]


class GenerationMemo:
    """Values worked out from one generation of the index, the most recently used `limit`;
    emptied when another commit makes a new generation."""

    def __init__(self, searcher, limit: int):
        self.searcher, self.limit = searcher, limit
        self.generation: int | None = None
        self.items: dict = {}

    def get(self, key, make):
        generation = self.searcher.refresh().generation
        if generation != self.generation:
            self.items.clear()
            self.generation = generation
        value = self.items.pop(key) if key in self.items else make()
        self.items[key] = value  # most recent last
        while len(self.items) > self.limit:
            self.items.pop(next(iter(self.items)))
        return value


class QuoteAnswers:
    def __init__(self, engine):
        self.engine = engine
        self.store: Store = engine.store
        # Kept between questions for one index generation: a newsroom asks about the same few
        # people all day.
        self._refs = GenerationMemo(engine.searcher, REFS_CACHED)  # a speaker's quotes
        self._described = GenerationMemo(engine.searcher, DESCRIBED_CACHED)  # roles read

    def _result(self, row: QuoteRow, score: float, match: str | None = None,
                highlights: list[tuple[int, int]] | None = None, article: ArticleRef | None = None) -> Result:
        article = article or self.engine.article_ref(row.article_id)
        return Result(text=row.sentence, article=article, paragraph=row.paragraph,
                      start=row.sentence_start, end=row.sentence_end, score=score, speaker=row.speaker,
                      quote=row.quote, kind=row.kind, match=match,
                      highlights=highlights if highlights is not None else [(row.start, row.end)])

    # --- who said "..." ---
    def who_said(self, q, article_id: int | None) -> Answer:
        """The exact words first; when no quote holds them (or they were the asker's own words
        and no speaker could be named), the stored quotes closest in meaning."""
        exact = self._exact(q, article_id)
        if exact is not None and (exact.answered or q.quoted):
            return exact
        semantic = self._semantic(q, article_id)
        if semantic is not None:
            return semantic
        return exact or self._nobody(q)

    def told_by(self, q, article_id: int | None, qvec=None) -> Answer | None:
        """A search about someone described ("the baker who cried in the fridge") answered as who
        said it, when one quote clearly tells it; None otherwise, and the search answers."""
        found = self._semantic(replace(q, intent=WHO_SAID), article_id, qvec, under_bar=False)
        if found is None or not found.answered or not found.results or not tells_of_self(found.results[0], q.said):
            return None
        return found

    def _exact(self, q, article_id: int | None) -> Answer | None:
        """Who said the words verbatim (or a near miss); None when no passage holds them."""
        phrase = q.phrase
        found = self._find_phrase(phrase, {article_id}) if article_id is not None else None
        if found is None:
            found = self._find_phrase(phrase, None)
        if found is None:
            return None
        quoted, narration, exact, more = found
        label = "exact" if exact else "inexact"
        score = 1.0 if exact else 0.5
        # Words quoted right after a "not" or "no" were said turned around: where no quote has them
        # plainly, each match takes in its negation, so the answer shows what was said.
        turned = {qid for qid, (span, ms) in quoted.items() if all(negated_in(span, m) for m in ms)}
        negated = bool(quoted) and len(turned) == len(quoted)
        if negated:
            quoted = {qid: (span, [with_negation(span, m) for m in ms]) for qid, (span, ms) in quoted.items()}
        else:
            quoted = {qid: item for qid, item in quoted.items() if qid not in turned}
        if quoted:
            spans = sorted(quoted.values(), key=lambda item: (item[0].speaker is None, item[0].kind != "direct",
                                                               item[0].article_id, item[0].start))
            shown = spans[:WHO_RESULTS]  # the message counts every quote; a common phrase has hundreds
            refs = self.engine.article_refs({span.article_id for span, _ in shown})
            full = self.store.quotes_by_id([span.id for span, _ in shown])
            results = [self._result(full[span.id], score, label, [(m.start, m.end) for m in ms], refs[span.article_id])
                       for span, ms in shown]
            return self._attributed(q, [span for span, _ in spans], results, exact=exact, negated=negated)
        results = [self._narration_result(row, m, score, label) for row, m in narration]
        count = f"more than {_count(len(results), 'passage')}; the newest shown" if more else \
            _count(len(results), "passage")
        return Answer(q.text, q.intent, False,
                      f"“{phrase}” appears only in narration ({count}): nobody is quoted saying it.",
                      results=results)

    def relaying(self, span: QuoteSpan) -> str | None:
        """Who the quote holding this one belongs to, when one speaker's quote holds it."""
        holders = {row.speaker for row in self.store.quotes_overlapping(span.article_id, span.start, span.end)
                   if row.speaker and row.kind == "direct" and row.start <= span.start and span.end <= row.end
                   and row.id != span.id}
        return holders.pop() if len(holders) == 1 else None

    def _find_phrase(self, phrase: str, scope: set[int] | None):
        """Where the phrase occurs: (quotes holding it, narration passages, exact, more narration).

        The quotes holding the words in order, or inflected, or with a typo the index lacks,
        come from the full-text index of quote terms, however many there are, so no quote is lost;
        narration is read newest first only up to NARRATION_LIMIT exact passages. Exact matches,
        when any, hide near misses."""
        searcher = self.engine.searcher
        ids = searcher.phrase_chunk_ids(phrase, scope)
        if not ids:
            return None
        finder = PhraseFinder(phrase)
        innermost: dict[tuple[int, int, int], tuple[QuoteSpan, Match]] = {}

        def keep(row: QuoteSpan, matches: list[Match]) -> None:
            for m in matches:
                where = (row.article_id, m.start, m.end)
                best = innermost.get(where)  # a partial quote inside reported speech is the quote
                if best is None or (row.end - row.start, row.kind) < (best[0].end - best[0].start, best[0].kind):
                    innermost[where] = (row, m)

        def scan(rows: list[QuoteSpan]) -> list[QuoteSpan]:
            """Keeps the matches in `rows`; returns the plain-ASCII rows without the exact words."""
            unmatched = []
            for row, matches in zip(rows, finder.exact_in_ascii([r.quote for r in rows], [r.start for r in rows])):
                if matches == []:
                    unmatched.append(row)
                else:
                    keep(row, finder.find(row.quote, base=row.start) if matches is None else matches)
            return unmatched

        rows = self.store.quotes_with_terms(searcher.phrase_variants(phrase), scope)
        if rows is None:  # a read-only index from before the quote terms: every quote where the words are
            quoted = searcher.quoted_chunk_ids()
            rows = self.store.quotes_in_chunks([cid for cid in ids if cid in quoted])
        unmatched = scan(rows)
        if not any(m.exact for _, m in innermost.values()):  # near misses only where nothing is exact
            for row in unmatched:
                keep(row, finder.find(row.quote, base=row.start))
        narration: list[tuple[ChunkRow, Match]] = []
        more = False
        if not any(m.exact for _, m in innermost.values()):
            passages = searcher.phrase_matches(phrase, scope, ids=ids, enough=NARRATION_LIMIT)
            narration = [(row, m) for row, m in passages if (row.article_id, m.start, m.end) not in innermost
                         and not self.store.quotes_covering(row.article_id, m.start, m.end)]
            more = sum(1 for _, m in narration if m.exact) >= NARRATION_LIMIT
        matches = [*innermost.values(), *narration]
        if not matches:
            return None
        exact = any(m.exact for _, m in matches)
        quoted: dict[int, tuple[QuoteSpan, list[Match]]] = {}
        for row, m in sorted(innermost.values(), key=lambda item: item[1].start):
            if m.exact or not exact:
                quoted.setdefault(row.id, (row, []))[1].append(m)
        narration = [(row, m) for row, m in narration if m.exact or not exact][:NARRATION_LIMIT]
        return quoted, narration, exact, more

    def _attributed(self, q, spans: list[QuoteSpan], results: list[Result], exact: bool,
                    negated: bool = False) -> Answer:
        """The answer from every quote holding the words (`spans`, in the order of `results`,
        which shows the first of them); `negated`: only after a negation, which the matches hold."""
        phrase = _words_at(results[0]) or q.phrase  # as published: a near miss shows the real words
        named = [s for s in spans if s.speaker]
        near = "" if exact else f"No exact match for “{q.phrase}”; near match: "
        denial = negated and bool(named) and all(denied(s) for s in named)
        if denial:
            near = f"{near}“{q.phrase}” appears only in a denial: "
        elif negated and named:
            near = f"{near}“{q.phrase}” is quoted only negated: "
        if not named:
            relaying = self.relaying(spans[0])
            if relaying is not None:  # “She told me, ‘…’,” said X: X repeats someone else's words
                return Answer(q.text, q.intent, False,
                              f"{near}“{phrase}” are someone else's words, quoted by {relaying}; the article "
                              "does not say clearly whose they are.", results=results)
            return Answer(q.text, q.intent, False,
                          f"{near}“{phrase}” is quoted ({_count(len(spans), 'quote')}), but the article does not "
                          "say clearly who said it.", results=results)
        speakers: dict[str, list[QuoteSpan]] = {}
        for s in named:
            speakers.setdefault(s.speaker_key or speaker_key(s.speaker), []).append(s)
        # Words found only in reported speech are the reporter's, not the speaker's: no quotation marks.
        direct = lambda ss: any(s.kind == "direct" for s in ss)  # noqa: E731
        if len(speakers) == 1:
            speaker = named[0].speaker
            articles = {s.article_id for s in named}
            where = f" in {_count(len(articles), 'article')}" if len(articles) > 1 else ""
            said = (f"said “{phrase}”" if direct(named) else
                    f"is reported as {'denying' if denial else 'saying'} this, in the reporter's words "
                    f"(reported speech, not a direct quote): {phrase}")
            return Answer(q.text, q.intent, True, f"{near}{speaker} {said}{where}.{self._not_the_office(q, named)}",
                          speaker=speaker, results=results)
        chosen = self._only_one_in_role(q, speakers)
        if chosen is not None:  # "which union official said 'no current plans'": one of them is
            ss = speakers[chosen]
            said = f"said “{phrase}”" if direct(ss) else f"is reported saying {phrase}"
            mine = [r for r in results if r.speaker and _same_speaker(r.speaker, ss[0].speaker)]
            return Answer(q.text, q.intent, True,
                          f"{near}{ss[0].speaker} {said}: of {len(speakers)} speakers of these words, the one "
                          f"the articles describe most as {a_or_an(q.role.strip())}.", speaker=ss[0].speaker,
                          results=mine + [r for r in results if r not in mine])
        named_first = list(speakers.values())[:WHO_LISTED]
        refs = self.engine.article_refs({s.article_id for ss in named_first for s in ss})
        listed = "; ".join(f"{ss[0].speaker}{'' if direct(ss) else ' (reported)'} "
                           f"({', '.join(dict.fromkeys(refs[s.article_id].title for s in ss))})"
                           for ss in named_first)
        if len(speakers) > WHO_LISTED:
            listed += f"; and {len(speakers) - WHO_LISTED} more"
        said = f"said “{phrase}”" if all(direct(ss) for ss in speakers.values()) else f"said or are reported saying {phrase}"
        return Answer(q.text, q.intent, True, f"{near}{len(speakers)} speakers {said}: {listed}.",
                      speaker=None, results=results)

    @staticmethod
    def _far_ahead(named: list, described: set[int], tuning) -> bool:
        """A named person under the bar but no more than CLEAR_BELOW under it, far ahead of
        every other speaker (by `who_clear_margin`): their words, loosely remembered."""
        best_score, best = named[0]
        others = _rivals(named, described)
        return best.person and best_score >= tuning.who_min_score - CLEAR_BELOW and \
            best_score - (others[0][0] if others else 0.0) >= tuning.who_clear_margin

    def _only_one_in_role(self, q, speakers: dict[str, list[QuoteSpan]]) -> str | None:
        """The one speaker (key) the articles give more of the question's role than any other."""
        roles = set(textnorm.query_terms(q.role or ""))
        if not roles:
            return None
        rows = self.store.quotes_by_id([ss[0].id for ss in speakers.values()])
        shares = sorted(((len(_roles_held(roles, self._description_terms(rows[ss[0].id]))), key) for key, ss in speakers.items()
                         if ss[0].id in rows), reverse=True)
        if not shares or shares[0][0] == 0 or len(shares) > 1 and shares[1][0] == shares[0][0]:
            return None
        return shares[0][1]

    # --- who said something like ... ---
    def _semantic(self, q, article_id: int | None, qvec=None, under_bar: bool = True) -> Answer | None:
        """The stored quotes (direct and indirect) closest in meaning to what was said, each
        scored by its sentence's and its passage's vectors (stored at ingest), the share of
        the asked words its sentence holds, and the role the question gives the speaker.
        Names a speaker only when one is clearly ahead of every other (`under_bar`: or far ahead,
        under the bar); None without quote vectors."""
        searcher, tuning = self.engine.searcher, self.engine.searcher.tuning
        said = q.paraphrase
        qvec = searcher.embed(said) if qvec is None else qvec
        scope = {article_id} if article_id is not None else None
        near = dict(searcher.similar_quotes(qvec, SEMANTIC_CANDIDATES, scope))
        if not near:
            return None
        snap = searcher.refresh()
        terms = textnorm.query_terms(said) or textnorm.index_terms(said)
        rows = self.store.quotes_by_id(list(near))
        spans = searcher.chunk_spans({row.article_id for row in rows.values()})
        passage_of = {qid: [cid for cid, s, e in spans[row.article_id] if s < row.end and e > row.start]
                      for qid, row in rows.items()}
        passages = snap.vectors.similarity(qvec, sorted({cid for ids in passage_of.values() for cid in ids}))
        idf = snap.lexical.idf(terms)
        total = sum(idf.values()) or 1.0
        roles = set(textnorm.query_terms(q.role or ""))
        head = _role_head(q.role or "")
        # "which whisky executive", "the ferry company boss": the words before the role's last
        # may tell what the speaker's story is about rather than who they are
        topical, last = _role_topics(q.role or "")
        asked = set(textnorm.words(q.text))
        surnamed = _surnames_of_others(q.text)  # with their first names: whom the question is about
        addressed = _addressees(q.text)
        w, pw = tuning.who_vector_weight, tuning.who_passage_weight
        sw = tuning.who_story_weight
        # the words each candidate's article holds, asked and of the role's story, in one lookup
        wanted = sorted((set(idf) if sw else set()) | topical)
        stories = searcher.terms_in_articles({row.article_id for row in rows.values()}, wanted) if wanted else {}
        contents = []
        for qid, row in rows.items():
            present = set(textnorm.index_terms(row.sentence))
            coverage = sum(v for t, v in idf.items() if t in present) / total
            if sw:
                story = stories.get(row.article_id, frozenset())
                coverage = (1 - sw) * coverage + sw * sum(v for t, v in idf.items() if t in story) / total
            passage = max((passages.get(cid, 0.0) for cid in passage_of[qid]), default=near[qid])
            contents.append((w * ((1 - pw) * max(near[qid], 0.0) + pw * max(passage, 0.0)) + (1 - w) * coverage, row))
        contents.sort(key=lambda item: -item[0])
        # The best words of a quote that could name its speaker (not one the question names, nor
        # the body itself for "who at …"): a role cannot carry words far behind them.
        best_words = next((c for c, row in contents if row.speaker and c >= tuning.who_min_content
                           and not _named_in(row.speaker, asked, surnamed) and not (q.member and not row.person)), 0.0)
        scored, nameable, described, top = [], set(), set(), -1.0
        roled: set[int] = set()  # quotes whose speaker the article gives a role the question names
        for content, row in contents:
            share = 0.0
            # Reading a speaker's role from the article is the costly part: skip it for quotes
            # that could not come within the margin of the best even with the role.
            if roles and row.speaker and content + tuning.role_weight >= top - tuning.who_margin \
                    and content >= best_words - tuning.who_role_gap:  # else the role cannot carry the words
                held = _roles_held(roles, self._role_terms(row, roles))
                # the story's words count for someone the article gives the role's last word:
                # the whisky firm's executive, not the caucus member beside its chairman
                about = (topical & stories.get(row.article_id, frozenset())) - held if last in held else set()
                share = _role_share(roles, head, held, about)
                if held & roles:  # a role of theirs, not only their story's
                    roled.add(row.id)
            # A person (named, or described by role: "a spokesman for the union"), or an
            # organisation or description the question names whole ("which newspaper"):
            # paraphrased words are too loose to pin on "a new report". Someone
            # the question names is who it is about, not who said it ("who said Lee would lose").
            score = round(content + tuning.role_weight * share, 4)
            if row.speaker and content >= tuning.who_min_content and not _named_in(row.speaker, asked, surnamed) \
                    and (row.person or share == 1.0 and not _many(row.speaker) or _unnamed_in_own_words(row, q)) \
                    and not (addressed and content >= top - tuning.who_margin
                             and addressed & self._description_terms(row)):
                nameable.add(row.id)
                if not (row.person or share == 1.0):
                    described.add(row.id)  # unnamed: no rival to a name (below)
                top = max(top, score)
            scored.append((score, row))
        scored.sort(key=lambda item: (-item[0], item[1].article_id, item[1].start))
        named = [(sc, r) for sc, r in scored if r.id in nameable]
        shown, sentences = [], set()
        for sc, r in named or scored:  # a sentence holding a direct and an indirect quote shows once
            if (r.article_id, r.sentence_start) not in sentences:
                sentences.add((r.article_id, r.sentence_start))
                shown.append((sc, r))
        results = [self._result(r, sc, "semantic") for sc, r in shown[:self.engine.settings.results]]
        closest = results[:CLOSEST]
        if q.quoted:
            why = _nobody_says(q.phrase, self._headline_with(q.phrase))
        elif not named or named[0][0] < tuning.who_min_score and not (under_bar and self._far_ahead(named, described, tuning)):
            why = "No quote clearly matches that"
        elif roles & _office_stems() and named[0][1].id not in roled and self._holds_other_role(named[0][1]):
            # "which senator …" answered by the board president would be a wrong answer (an office
            # asked for; "which official" is any of many)
            role = q.role.strip()
            why = f"No quote by {a_or_an(role)} clearly matches that"
        else:
            best_score, best = named[0]
            others = _rivals(named, described)
            rival = others[0][0] if others else 0.0
            # The same words given to someone else (by another article) are a conflict, however they score.
            conflict = next(((sc, r) for sc, r in others if _same_words(key(best.quote), key(r.quote))), None)
            if best_score - rival >= tuning.who_margin and conflict is None:
                mine = [r for r in results if r.speaker and _same_speaker(r.speaker, best.speaker)]
                return Answer(q.text, q.intent, True,
                              f"{best.speaker} is {'quoted' if best.kind == 'direct' else 'reported'} saying "
                              "something close to that (not the same words).",
                              speaker=best.speaker, results=mine[:CLOSEST])
            closest = []  # the close call: each contender's closest quote
            leaders = [named[0], conflict or (others[0] if others else named[0])]
            contenders = [self._result(r, sc, "semantic") for sc, r in leaders] + results
            for r in contenders:
                if len(closest) < CLOSEST and not any(_same_speaker(r.speaker, c.speaker) for c in closest):
                    closest.append(r)
            names = " and ".join(r.speaker for r in closest[:2])
            why = (f"The same words are attributed to {names}" if conflict else
                   f"Several speakers said something close to that, {names} among them")
        return Answer(q.text, q.intent, False, f"{why}. Closest quotes:", results=closest)

    def _not_the_office(self, q, spans: list[QuoteSpan]) -> str:
        """A note when the exact words asked of an office ("which senator said …") are those
        of someone no article gives it and an article gives another office: the words are
        still theirs, but the asker has the wrong person in mind."""
        roles = set(textnorm.query_terms(q.role or ""))
        if not roles & _office_stems():
            return ""
        rows = list(self.store.quotes_by_id([s.id for s in spans[:ROLE_ARTICLES]]).values())
        # A title abbreviated before their name ("Cllr Ann Lee", "Det Insp Ines Reyes", "Amb.")
        # may give it too: no note.
        surname = re.escape(rows[0].speaker.split()[-1])
        abbreviated = {stem for row in rows
                       for m in re.finditer(rf"((?:\b[A-Z][a-z]{{1,5}}\.?\s+)+)(?:[A-Z][\w'’-]+\s+)*{surname}\b",
                                            self.store.article_text(row.article_id))
                       for w in textnorm.words(m.group(1)) if w in TITLE_ABBREVIATIONS
                       for stem in textnorm.stems(TITLE_ABBREVIATIONS[w].split())}
        if roles & abbreviated or any(roles & self._description_terms(row) for row in rows) or \
                not any(self._holds_other_role(row) for row in rows):
            return ""
        role = q.role.strip()
        return f" No article calls {rows[0].speaker} {a_or_an(role)}."

    def _holds_other_role(self, row: QuoteRow) -> bool:
        """Whether the speaker is an organisation, or the article gives them an office (which the
        question did not name): "Board president Harold Feeney" is no senator. A person the
        article gives no office may still be the one asked for."""
        return not row.person or bool(self._description_terms(row) & _office_stems())

    def _description_terms(self, row: QuoteRow) -> set[str]:
        """Words the article uses for this speaker (see `describe`), without their name."""
        return self._described.get((row.article_id, row.speaker_key), lambda: describe(
            self.store.article_text(row.article_id), row.speaker, row.speaker_as_written))

    def _role_terms(self, row: QuoteRow, roles: set[str]) -> set[str]:
        """The words for this speaker in their quote's article and, when that article gives them
        none of the asked role and they are named in full, in other articles quoting the same
        name: a follow-up often names a manager without calling them one."""
        terms = self._description_terms(row)
        if roles <= terms or not row.person or len(key(row.speaker)) < 2:
            return terms
        # once per speaker and article: a prolific speaker's quotes are many candidates
        return self._described.get(("elsewhere", row.article_id, row.speaker_key), lambda: terms.union(*(
            describe(self.store.article_text(a), row.speaker)
            for a in self.store.speaker_articles(row.speaker_key, OTHER_ARTICLES + 1) if a != row.article_id)))

    def _narration_result(self, row: ChunkRow, m: Match, score: float, label: str) -> Result:
        """The sentence of a chunk that holds the match."""
        start, end = row.start, row.end
        for s, e in sentence_spans(row.text):
            if row.start + s <= m.start < row.start + e:
                start, end = row.start + s, row.start + e
                break
        return Result(text=row.text[start - row.start:end - row.start], article=self.engine.article_ref(row.article_id),
                      paragraph=row.paragraph, start=start, end=end, score=score, match=label,
                      highlights=[(m.start, m.end)])

    def _nobody(self, q) -> Answer:
        """No quote or passage holds the words: the closest quotes, else the closest passages."""
        hits = self.engine.searcher.search(q.phrase, [], limit=self.engine.settings.results)
        results, seen = [], set()
        for hit in hits:
            for row in self.store.quotes_overlapping(hit.chunk.article_id, hit.chunk.start, hit.chunk.end):
                if row.speaker and row.id not in seen:
                    seen.add(row.id)
                    results.append(self._result(row, hit.score))
        headline = self._headline_with(q.phrase)
        if results:
            return Answer(q.text, q.intent, False, f"{_nobody_says(q.phrase, headline)}. Closest quotes:",
                          results=results[:CLOSEST])
        why = _nobody_says(q.phrase, headline) if headline is not None else f"No passage contains “{q.phrase}”"
        return Answer(q.text, q.intent, False, f"{why}. Closest passages:",
                      results=[self.engine._result(h, False) for h in hits[:CLOSEST]])

    def _headline_with(self, phrase: str) -> str | None:
        """A headline holding the words, which no passage of the archive holds."""
        words = key(phrase)
        terms = textnorm.index_terms(phrase)
        for _, title in self.store.titles_with_terms(terms):
            if title and contains(key(title), words):
                return title
        return None

    # --- what did <person> say [about <topic>] ---
    def quotes_by(self, q, article_id: int | None) -> Answer:
        possessive = _possessive_form(q.person)
        keys = (matching_speakers(self.store, q.person) or self._in_role(q.person)
                or (self._in_role(possessive) if possessive else []))
        refs = self._quote_refs(keys, dated=not q.topic)
        if article_id is not None:
            refs = [r for r in refs if r.article_id == article_id] or refs
        if not refs:
            return Answer(q.text, q.intent, False, f"No quotes by “{q.person}” in the archive.")
        names = list(dict.fromkeys(r.speaker for r in refs))
        speaker = names[0] if len(names) == 1 else None
        # "the coach" of three match reports may be three people: such a description names nobody
        articles: dict[str, set[int]] = {}  # one pass: a heavy speaker has thousands of quotes
        for r in refs:
            articles.setdefault(r.speaker, set()).add(r.article_id)
        several = {name for name in names if len(articles[name]) > 1 and describes_a_person(name)}
        who = " and ".join(f"“{name}” ({len(articles[name])} articles; not necessarily one person)" if name in several
                           else name for name in names)
        if speaker in several:
            speaker = None
        if not q.topic:
            # Newest article first (stable: article order within one), as `summit list` orders them.
            newest = sorted(refs, key=lambda r: (r.dated, r.article_id), reverse=True)
            shown = newest[:QUOTES_LIMIT]
            more = f", showing the first {len(shown)}" if len(refs) > len(shown) else ""
            return Answer(q.text, q.intent, True, f"{_count(len(refs), 'quote')} by {who}{more}.",
                          speaker=speaker, results=self._results([(1.0, r) for r in shown]))
        ranked, strong = self._rank(refs, q.topic, max(CLOSEST, self.engine.settings.results),
                                    self.engine.settings.min_score)
        if not strong:
            return Answer(q.text, q.intent, False,
                          f"{who} is quoted {_count(len(refs), 'time')}, but not clearly about {q.topic}. "
                          "Closest quotes:", speaker=speaker, results=self._results(ranked[:CLOSEST]))
        shown = ranked[:min(strong, self.engine.settings.results)]
        return Answer(q.text, q.intent, True, f"{_count(strong, 'quote')} by {who} about {q.topic}.",
                      speaker=speaker, results=self._results(shown))

    def _in_role(self, description: str) -> list[str]:
        """People an article gives this role, when no stored name or form of a speaker matches it:
        "the pensions minister" is Tomas Berg where an article writes "Pensions minister Tomas
        Berg". The people quoted in the newest articles that hold the words, whose title there
        holds every one of them."""
        words = [w for w in key(description) if w not in DETERMINERS]
        if not words or not (words[-1] in ROLE_WORDS or words[-1].rstrip("s") in ROLE_WORDS):
            return []
        hits = self.engine.searcher.phrase_matches(" ".join(words), enough=ROLE_ARTICLES)
        found: list[str] = []
        for aid in list(dict.fromkeys(row.article_id for row, m in hits if m.exact))[:ROLE_ARTICLES]:
            text = self.store.article_text(aid)
            for row in self.store.quotes(aid):
                if row.person and row.speaker and row.speaker_key not in found \
                        and _holds_role(text, row.speaker, words):
                    found.append(row.speaker_key)
        return found

    def _quote_refs(self, keys: list[str], dated: bool) -> list[QuoteRef]:
        """Light rows (a speaker may have thousands of quotes); dates only to order them by."""
        return self._refs.get((tuple(keys), dated), lambda: one_per_sentence(self.store.quote_refs(keys, dated=dated)))

    def _results(self, scored: list[tuple[float, QuoteRef]]) -> list[Result]:
        rows = self.store.quotes_by_id([r.id for _, r in scored])
        return [self._result(rows[r.id], score) for score, r in scored]

    def _rank(self, refs: list[QuoteRef], topic: str, top: int, min_score: float
              ) -> tuple[list[tuple[float, QuoteRef]], int]:
        """The `top` best quotes about the topic, best first, and how many score `min_score` or
        more. Same scale as passage search: cosine to the topic and the share of its words present.

        The topic is the only text embedded: each quote's sentence vector and terms were
        stored at ingest."""
        wanted = set(textnorm.query_terms(topic) or textnorm.index_terms(topic))
        qvec = self.engine.searcher.embed(topic)
        cosines = self.engine.searcher.quote_similarity(qvec, [r.id for r in refs])
        missing = [r.id for r in refs if r.id not in cosines]
        if missing:  # an index from before quote vectors, until `summit reindex`: embed them now
            rows = self.store.quotes_by_id(missing[:RANKED_LIMIT])
            vectors = self.engine.query_encoder.encode([rows[i].sentence for i in rows])
            cosines.update(zip(rows, ann.dot_rows(vectors, qvec).tolist()))
        refs = [r for r in refs if r.id in cosines]
        cos = np.maximum(np.fromiter((cosines[r.id] for r in refs), dtype=np.float64, count=len(refs)), 0.0)
        coverage = np.zeros(len(refs))
        for term in wanted:  # the share of the topic's words in each sentence's stored terms
            needle = f" {term} "
            coverage += np.fromiter((needle in r.terms for r in refs), dtype=bool, count=len(refs))
        coverage /= max(1, len(wanted))
        scores = np.round(VECTOR_WEIGHT * cos + (1 - VECTOR_WEIGHT) * coverage, 4)
        # Only the best are sorted (a speaker may have thousands): best score, then article order.
        cut = -np.partition(-scores, top - 1)[top - 1] if len(refs) > top else -np.inf
        best = np.flatnonzero(scores >= cut)  # ties at the cut stay, for the article-order tie-break
        scored = sorted(((float(scores[i]), refs[i]) for i in best),
                        key=lambda item: (-item[0], item[1].article_id, item[1].start))
        return scored, int(np.count_nonzero(scores >= min_score))


# "who told the judge …": the judge is who heard it, not who said it.
_TOLD = re.compile(r"\b(?:told|telling|tell|asked|asking|urged|urging|assured|reminded|warned|warning|wrote to|"
                   r"appealed to|pleaded with|begged|addressed)\s+(?:the|a|an|his|her|their)\s+([a-z]+)", re.IGNORECASE)


def _addressees(question: str) -> set[str]:
    """Role words of whoever the question says heard the words ("told the jury", "urged the
    council"), stemmed."""
    return set(textnorm.stems([m.group(1).lower() for m in _TOLD.finditer(question)])) - {"it", "them"}


def _possessive_form(description: str) -> str | None:
    """"the mayor of Greyhaven" and "the Greyhaven mayor" as articles also write them:
    "Greyhaven's mayor"."""
    words = description.split()
    if words and words[0].lower() in DETERMINERS:
        words = words[1:]
    if "of" in words[1:-1]:
        at = words.index("of", 1)
        return f"{' '.join(words[at + 1:])}'s {' '.join(words[:at])}"
    if len(words) >= 2 and textnorm.fold(words[-1]) in ROLE_WORDS and not words[-2].endswith(("'s", "’s")):
        return f"{' '.join(words[:-1])}'s {words[-1]}"
    return None


def one_per_sentence(refs: list[QuoteRef]) -> list[QuoteRef]:
    """A speaker's quotes with one per sentence: "Lee said the port was “a disgrace”" holds a
    reported clause and a direct quote inside it, and would show the sentence twice. The widest
    is kept (it holds the others), a direct quote where two are as wide."""
    kept: dict[tuple[int, int, str | None], QuoteRef] = {}
    for ref in refs:
        where = (ref.article_id, ref.sentence_start, ref.speaker)
        if where not in kept or _wider(ref, kept[where]):
            kept[where] = ref
    return sorted(kept.values(), key=lambda r: (r.article_id, r.start))


def _wider(a: QuoteRef, b: QuoteRef) -> bool:
    return (a.end - a.start, a.kind == "direct") > (b.end - b.start, b.kind == "direct")


_NO_VOICE = frozenset({"city", "county", "town", "state"})  # places as often as bodies
_DESCRIPTION_ENDS = frozenset("for of at from with in on to who".split())


# A title as the object of a preposition (not "according to") belongs to someone else.
_OBJECT_OF = re.compile(r"(?<!according )\b(?:with|to|after|from|for|against|by|about|on|at|of|met|meeting)\s+"
                        r"(?:(?:the|a|an|his|her|their|its|[\w'’-]+['’]s)\s+)*(?:[\w'’-]+\s+){0,2}$",
                        re.IGNORECASE)


def _holds_role(text: str, speaker: str, words: list[str]) -> bool:
    """Whether the article gives the speaker this title itself: just before the name
    ("Pensions minister Tomas Berg") or apposed after it ("Berg, the pensions minister,"), and
    with no qualifier the words lack ("Shadow pensions minister …" is not the pensions minister).
    A title elsewhere in the sentence is someone else's ("after talks with the pensions minister, Okafor")."""
    names = re.findall(r"[^\W_]+", speaker)
    if not names or not words:
        return False
    surname = re.escape(names[-1])
    role = r"[\W_]+".join(map(re.escape, words))
    for m in re.finditer(rf"(?<![^\W_]){role}(?![^\W_])", text, re.IGNORECASE):
        before = text[max(0, m.start() - 60):m.start()]
        last = re.findall(r"[^\W_]+", before)[-1:]
        if last and textnorm.fold(last[0]) in TITLE_QUALIFIERS and textnorm.fold(last[0]) not in words:
            continue
        after = text[m.end():m.end() + 80]
        if re.match(rf"\s+(?:[A-Z][\w.'’-]*\s+){{0,3}}?{surname}\b", after):
            return True
        # "the political editor, Ann Lee," but not "talks with the pensions minister, Okafor,".
        if re.match(rf",\s+(?:[A-Z][\w.'’-]*\s+){{0,3}}?{surname}\b", after) and not _OBJECT_OF.search(before):
            return True
        if re.search(rf"\b{surname},\s+(?:the |a |an )?(?:[\w'’-]+\s+){{0,3}}$", before):
            return True
    return False


@lru_cache(maxsize=1)
def _office_stems() -> frozenset[str]:
    """Offices a description can give ("president", "senator"); not the looser role nouns,
    which the words near a name bring in for someone else ("Activist X talks to Lee")."""
    return frozenset(textnorm.stems(sorted(TITLE_WORDS - HONORIFICS)))


def describes_a_person(speaker: str) -> bool:
    """An unnamed person, or people, by role: "a spokesman for the union", "the prime minister's
    official spokesman", "economists at the bank"; not "a new report" or "teaching unions"."""
    words = []
    for w in key(speaker):
        if w in _DESCRIPTION_ENDS:
            break
        words.append(w)
    while words and words[-1] == "s":  # a possessive: "the minister's"
        words.pop()
    head = words[-1] if words else ""
    head = head if head in ROLE_WORDS else head[:-1] if head.endswith("s") else head
    # "The Harbourton Reporter" is a newspaper: a capitalised head after the first word is a name.
    written = re.findall(r"[^\W_]+", speaker)
    if len(words) > 1 and len(written) >= len(words) and written[len(words) - 1][:1].isupper():
        return False
    # "the drug maker" and "the hosts" may be a company or a team.
    return head in ROLE_WORDS and head not in COMPANY_ROLES


def names_a_body(speaker: str) -> bool:
    """An organisation that speaks as one: "the Unify union", "Harbourton Council", "the
    government"; its words are no rival to a named person's (who may be speaking for it)."""
    words = [w for w in key(speaker) if w not in DETERMINERS]
    return bool(words) and words[-1] in BODY_NOUNS and words[-1] not in _NO_VOICE


def _nobody_says(phrase: str, headline: str | None) -> str:
    """Why no quote answers: nobody says the words, or only a headline has them
    ("'No deal' on pensions, unions warn" names no speaker for sure)."""
    if headline is not None:
        return f"“{phrase}” is only in a headline (“{headline}”), which does not say clearly who said it"
    return f"Nobody is quoted saying “{phrase}”"


def negated_in(span: QuoteSpan | QuoteRow, m: Match) -> bool:
    """Whether a negation inside the quote comes right before the matched words, or the quote
    is a reported denial ("denied that the school would close")."""
    if denied(span):
        return True
    return m.start > span.start and NEGATED_BEFORE.search(span.quote[:m.start - span.start]) is not None


def denied(span: QuoteSpan | QuoteRow) -> bool:
    return span.kind == "indirect" and bool(span.cue) and DENYING_CUES.match(span.cue) is not None


def with_negation(span: QuoteSpan | QuoteRow, m: Match) -> Match:
    """The match widened back to the negation before it: "no branches would close". A denial's
    negation is its cue, outside the quote, which the reporter's sentence shows."""
    if denied(span):
        return m
    at = NEGATED_BEFORE.search(span.quote[:m.start - span.start]).start()
    while at > 0 and span.quote[at - 1].isalpha():  # "don't", not "n't"
        at -= 1
    return m._replace(start=span.start + at)


def _many(speaker: str) -> bool:
    """"officials", "residents of the estate": people, never the one a question asks for."""
    words = re.findall(r"[^\W_]+", speaker)  # as written: "Harbourton Buses" is a name
    ends = [n for n, w in enumerate(words) if w.lower() in ("of", "at", "in", "for", "from", "with")]
    head = words[ends[0] - 1] if ends and ends[0] else words[-1] if words else ""
    return head.endswith("s") and not head.endswith("ss") and (head.islower() or head[:-1].lower() in ROLE_WORDS)


def _unnamed_in_own_words(row: QuoteRow, q) -> bool:
    """An unnamed speaker whose own words (in quotation marks) are the match: "a spokesman for
    the union", "the council" in a statement. Not reported speech of a body ("the county
    council has confirmed …"), which narration gives to many, and not "the player", whom the
    article names elsewhere: paraphrased words pinned on either were wrong far more often."""
    if row.kind != "direct":
        return False
    words = key(row.speaker)
    # "the board", "the company": a body the article names elsewhere, which a name would tell better
    named_body = names_a_body(row.speaker) and any(w[:1].isupper() for w in row.speaker.split())
    return bool(words) and words[0] in ("a", "an") and describes_a_person(row.speaker) \
        or named_body and not q.member


def _rivals(named: list, described: set[int]) -> list:
    """The scored quotes of speakers other than the best one. One person under two forms of their
    name ("Lee", "Ann Lee") is no rival to themselves. An unnamed speaker ("a former party
    chairman") may be the named one, so it is no rival to a name; a name is a rival to it."""
    best = named[0][1]
    return [(sc, r) for sc, r in named if not _same_speaker(r.speaker, best.speaker)
            and not (r.id in described and best.id not in described)]


def _named_in(speaker: str, asked: set[str], others: frozenset[str] = frozenset()) -> bool:
    """Whether a word of the speaker's name is one of the question's words; not a surname the
    question gives someone else (`others`: a first name it writes before it, "Lorcan Tierney"
    is not Caroline Tierney)."""
    names = [w for w in key(speaker) if len(w) > 2 and w not in textnorm.STOPWORDS]
    hit = [w for w in names if w in asked]
    if len(names) >= 2 and hit == [names[-1]] and names[-1] in others:
        return False
    return bool(hit)


def _surnames_of_others(question: str) -> frozenset[str]:
    """Surnames the question writes after a first name: {"tierney"} for "said Lorcan Tierney
    drove"; a title is no first name ("President Lee" may be any Lee)."""
    out = set()
    for m in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][\w'’-]+)+", question):
        words = [w for w in m.group().split() if textnorm.fold(w.rstrip(".")) not in TITLE_WORDS]
        if len(words) >= 2:
            out.add(textnorm.fold(words[-1]))
    return frozenset(out)


def _same_speaker(a: str | None, b: str | None) -> bool:
    """One name's words within the other's: "Lee" and "Ann Lee", not "Ann Lee" and "Tom Lee"."""
    if not a or not b:
        return False
    ka, kb = set(key(a)), set(key(b))
    return ka <= kb or kb <= ka


def _same_words(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The same quoted words, or one quote inside the other (a partial quote of 5 words or more)."""
    shorter, longer = sorted((a, b), key=len)
    return shorter == longer or (len(shorter) >= 5 and contains(longer, shorter))


def _words_at(result: Result) -> str:
    if not result.highlights:
        return ""
    s, e = result.highlights[0]
    return _balanced(result.text[s - result.start:e - result.start])


def _balanced(words: str) -> str:
    """Matched words that run into a quote (`the government was "paralysed`) without the double
    mark left open: the message would show a quote that never closes. (A single mark may be an
    apostrophe.) The results stay verbatim."""
    if words.count('"') % 2 or words.count("“") != words.count("”"):
        words = " ".join(words.replace('"', "").replace("“", "").replace("”", "").split())
    return words


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


@lru_cache(maxsize=None)
def _leading() -> tuple[str, frozenset[str]]:
    """The stem of "leader", and those of the words that ask for any leader ("head", "chief")."""
    return textnorm.stems(["leader"])[0], frozenset(textnorm.stems(["head", "heads", "chief", "leader"]))


def _roles_held(roles: set[str], terms: set[str]) -> set[str]:
    """The asked role words a speaker's words give them: "which union head" is the union's
    president, as both lead it (but a bishop is no union president)."""
    leader, leading = _leading()
    return {r for r in roles if r in terms or r in leading and leader in terms}


# A role asked for by a title of its own ("retail CEO", "Republican senator"): the title counts
# for most, so a retail adviser is no "retail CEO" ahead of the chief executive. A kind of role
# ("weather official", "police union head") is asked for by all its words alike.
_TITLE_WEIGHT = 0.7
_KIND_WORDS = frozenset("""person people figure member source spokesperson spokesman spokeswoman resident
    head chief""".split()) | frozenset(ROLE_KIND_NAMES)


def _role_words(role: str) -> list[str]:
    """The role's words before any "of", "for", … ("minister" of "minister for health")."""
    return textnorm.words(re.split(r"\b(?:of|for|at|from|in|with)\b", role, maxsplit=1, flags=re.IGNORECASE)[0])


def _role_head(role: str) -> str | None:
    """The role's title, when it ends in one that is no kind of role ("CEO" of "retail CEO")."""
    words = _role_words(role)
    if not words or words[-1] in _KIND_WORDS:
        return None
    stems = textnorm.query_terms(words[-1])
    return stems[-1] if stems else None


def _role_topics(role: str) -> tuple[set[str], str | None]:
    """The role's words before its last ("whisky" of "whisky executive"), which an article about
    whisky gives its executive though no title of theirs says so; and the stem of its last."""
    words = _role_words(role)
    if not words:
        return set(), None
    # a party or a qualifier is who they are ("Republican senator", "former minister"), never a
    # topic, nor a word of a title ("prime minister", "police chief", "health secretary")
    title = (words[-2], words[-1]) in _TWO_WORD_TITLES if len(words) > 1 else False
    topical = [w for n, w in enumerate(words[:-1]) if w not in _NO_TOPIC and w not in TITLE_QUALIFIERS
               and w not in ROLE_WORDS and w not in TITLE_WORDS and w not in PORTFOLIOS and w not in textnorm.STOPWORDS
               and len(w) > 2 and not (title and n == len(words) - 2)]
    return set(textnorm.stems(topical)), textnorm.stems(words[-1:])[0]


_NO_TOPIC = frozenset("""republican republicans democrat democrats democratic conservative conservatives labour labor
    liberal liberals tory tories green greens socialist nationalist independent progressive moderate gop senior
    junior top new retired former prime vice police""".split())


def _role_share(roles: set[str], head: str | None, held: set[str], about: set[str] = frozenset()) -> float:
    """The share of the asked role the article gives a speaker: `held` words the article uses
    for them, and half as much for `about`, words of the role only their story holds."""
    found = len(held & roles) + _TOPIC_WEIGHT * len(about & roles)
    if head is None or head not in roles or len(roles) == 1:
        return found / len(roles)
    return (_TITLE_WEIGHT if head in held else 0.0) + (1 - _TITLE_WEIGHT) * (found - (head in held)) / (len(roles) - 1)


_TOPIC_WEIGHT = 0.5
