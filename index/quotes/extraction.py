"""Quotes in article text: quotation-mark spans, their cue verbs and their speakers.

    quotes = extract(text, paragraphs)      # one article
    per_article = extract_many([(text, paragraphs), ...])

Direct quotes are the words inside quotation marks; indirect quotes are the clauses reported
by a cue verb ("X said that ...", "X urged Y to ..."). Offsets are into the article text,
so every quote and sentence is an exact substring. When the parse gives no safe speaker,
the quote is kept without one: no speaker beats a wrong one.
"""
from __future__ import annotations

import bisect
import gc
import re
from dataclasses import dataclass

from .. import textnorm
from ..models.nlp import lemma, parse_many
from ..settings import usable_cpus
from ..sources.cleaning import word_count
from .lexicon import (CONTENT_OBJECT_VERBS, EVIDENCE_VERBS, FRAMING_VERBS, OBJECT_CLAUSE_VERBS, REFUSAL_VERBS,
                      REPORT_VERBS, ROLE_WORDS)
from .speakers import (AMBIGUOUS, NAME_PUNCT, PERSONAL_PRONOUNS, PLACE_OR_TIME, ArticleNames, Resolver, Speaker,
                       a_document, a_thing, according_subjects, age_description, correct_people, subject_after)

DIRECT, INDIRECT = "direct", "indirect"
REPORTED = "reported"  # how an indirect quote is labelled wherever it is shown


def kind_label(kind: str | None) -> str | None:
    """The label shown beside a speaker: reported speech is never called a quotation."""
    return REPORTED if kind == INDIRECT else kind


def shown_words(kind: str, quote: str, sentence: str) -> str:
    """A quote as it may be printed: a direct quote inside quotation marks; reported speech
    as the sentence the reporter wrote, never inside quotation marks (they are not the speaker's words)."""
    return f"“{quote}”" if kind == DIRECT else sentence


# "”― Sonya Herridge." at the end of a line: a dash, then a name of one to five words.
_CREDIT = re.compile(r"^[\s”’\"'.,!?]*[―—–]\s*(?P<name>[^\W\d_][\w.’'\- ]{0,60}?)[\s.]*$")
_NOT_SPEAKERS = PLACE_OR_TIME | {"WORK_OF_ART", "EVENT", "NORP"}
SET_OFF_MAX_TOKENS = 16  # a name and its appositive between a quote and its cue
_NAME_PARTICLES = frozenset({"de", "da", "del", "van", "von", "der", "la", "le", "bin", "al"})
FLOAT_LOOKBACK = 3  # sentences between an attributed quote and a floating one
RELAY_GAP = 3  # words between a quote inside a quote and its cue ("She told me, ‘…’")
MIN_REPORTED_WORDS = 2

_OPEN, _CLOSE, _EITHER = 1, -1, 0
_DOUBLE = {'"': _EITHER, "“": _OPEN, "”": _CLOSE, "«": _OPEN, "»": _CLOSE, "„": _OPEN}
_SINGLE = {"'": _EITHER, "‘": _OPEN, "’": _CLOSE}
# Two single marks as one double, as some archives write them: ''It is over,'' she said.
_DOUBLED = {"''": _EITHER, "``": _OPEN, "‘‘": _OPEN, "’’": _CLOSE}
_DOUBLED_OPENING = re.compile(r"(?:^|(?<=[\s(\[—–/:-]))(?:''|``|‘‘)(?=[^\s'‘`])")
_MARKS = "".join(_DOUBLE) + "".join(_SINGLE) + "`"
_OPEN_AFTER = "([{—–-/:"
_CLOSE_BEFORE = ".,;:!?)]}—–-…" + _MARKS


@dataclass(frozen=True)
class Quote:
    kind: str  # "direct" or "indirect"
    text: str  # the quoted words, verbatim: text[start:end] of the article
    start: int
    end: int
    sentence_start: int  # the sentence (or sentences) holding the quote
    sentence_end: int
    paragraph: int  # 1-based
    speaker: str | None  # canonical name; None when nobody can safely be named
    speaker_as_written: str | None
    cue: str | None  # the cue verb as written, or "according to"
    person: bool = False  # the speaker is a named person, not an organisation or description


@dataclass(frozen=True)
class Span:
    start: int  # article offsets of the words between the marks
    end: int
    paragraph: int  # 0-based
    group: int  # pieces of one quote reopened in the next paragraph share a group


# --- titles in quotation marks: a show, a book, a slogan, not anyone's words ---
_SMALL_WORDS = {"a", "an", "and", "the", "of", "in", "on", "at", "to", "for", "or", "with", "by", "from", "is"}
# Fox's “…”, voters' “…”, on “…”, on the “…”
_TITLE_BEFORE = re.compile(r"(?:\w['’]s?|\bon(?:\s+the)?)\s*[“\"‘']$", re.IGNORECASE)
MEDIA_NOUNS = {"show", "program", "programme", "book", "film", "movie", "series", "podcast", "column",
               "newsletter", "documentary", "album", "song", "broadcast", "segment", "interview", "op-ed",
               "editorial", "memoir", "article", "essay", "report", "campaign", "slogan", "tour", "ad", "ads"}
_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")


def is_title(text: str, start: int, end: int) -> bool:
    """Words in quotation marks that name something (on “Harbour Hour”, the “Morning Show”
    segment) rather than quote someone: a few capitalised words, after a possessive or "on", or
    before a word like "show" or "book". Stored as no one's quote."""
    words = _WORD_RE.findall(text[start:end])
    if not words or len(words) > 8 or not words[0][:1].isupper():
        return False
    if any(not w[:1].isupper() and w.lower() not in _SMALL_WORDS for w in words):
        return False
    if text[start:end].rstrip()[-1:] in ",;:!?":  # “Absolutely,” campaign manager Ann Lee said
        return False
    after = _WORD_RE.match(text, _skip_marks(text, end))
    return (len(words) >= 2 and bool(_TITLE_BEFORE.search(text, max(0, start - 12), start))) or \
        bool(after and after.group().lower() in MEDIA_NOUNS)


def _skip_marks(text: str, pos: int) -> int:
    """Past the closing mark and spaces only: a title runs on into its noun (the “X” show)."""
    while pos < len(text) and (text[pos] in _MARKS or text[pos] == " "):
        pos += 1
    return pos


# --- quotation marks ---
def _direction(text: str, i: int, table: dict[str, int]) -> int | None:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if table is _SINGLE and prev.isalnum() and nxt.isalnum():
        return None  # an apostrophe: don't, Lee's
    if (text[i] == "«" and nxt.isspace() and not prev.isalnum()) or (
            text[i] == "»" and prev.isspace() and not nxt.isalnum()):
        return table[text[i]]  # French spacing, « like this »: the glyph says which way (German writes »so«)
    opens = (prev.isspace() or prev in _OPEN_AFTER) and not nxt.isspace()
    closes = not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_BEFORE)
    glyph = table[text[i]]
    if opens != closes:
        found = _OPEN if opens else _CLOSE
        if table is _SINGLE and glyph not in (_EITHER, found):
            return None  # ’90s, or a stray mark
        return found
    if table is _SINGLE and glyph == _EITHER:
        return None
    return glyph


def _doubled(text: str, i: int, start: int, end: int) -> int | None:
    """The direction of a doubled mark ('' or ``) at `i`, if one starts there."""
    pair = text[i:i + 2]
    if pair not in _DOUBLED or i + 2 > end or (i > start and text[i - 1] == pair[0]) or text[i + 2:i + 3] == pair[0]:
        return None  # a run of three or more marks is no doubled mark
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 2] if i + 2 < end else " "
    if prev.isdigit():
        return None  # inches: 6'3''
    opens = (prev.isspace() or prev in _OPEN_AFTER) and not nxt.isspace()
    closes = not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_BEFORE)
    if opens == closes:
        direction = None if _DOUBLED[pair] == _EITHER else _DOUBLED[pair]
    else:
        direction = _OPEN if opens else _CLOSE
    if direction == _CLOSE and not _DOUBLED_OPENING.search(text, start, i):
        return None  # a plural possessive closing a single quote: ‘up to the parents’’
    return direction


def _paragraph_pairs(text: str, start: int, end: int, table: dict[str, int]):
    """Balanced spans in one paragraph, and where a quote left open at its end began."""
    pairs, open_at, first_mark_opens = [], None, None
    skip = -1
    for i in range(start, end):
        if i <= skip:
            continue
        doubled = _doubled(text, i, start, end) if text[i] in "'`‘’" else None
        if doubled is not None:
            skip = i + 1
            if table is _SINGLE:
                continue
            direction = doubled
            if direction == _OPEN:
                i += 1  # the words start after the second mark
        elif text[i] not in table:
            continue
        else:
            direction = _direction(text, i, table)
        if direction is None:
            continue
        if first_mark_opens is None:
            first_mark_opens = direction != _CLOSE and text[start:i].strip() == ""
        if direction == _EITHER:
            direction = _CLOSE if open_at is not None else _OPEN
        if direction == _OPEN:
            open_at = i  # an earlier mark still open was unbalanced: it is dropped
        elif open_at is not None:
            pairs.append((open_at, i))
            open_at = None
    return pairs, open_at, bool(first_mark_opens)


DANGLING_MIN_WORDS = 3


def quote_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[Span]:
    """Words inside quotation marks, per paragraph. A quote left open at a paragraph's end
    continues only if the next paragraph reopens it; otherwise the stray mark is ignored."""
    spans: list[Span] = []
    group = 0
    for table in (_DOUBLE, _SINGLE):
        found = [_paragraph_pairs(text, s, e, table) for s, e in paragraphs]
        carry: int | None = None  # group of a quote left open at the previous paragraph's end
        for p, ((p_start, p_end), (pairs, open_at, starts_open)) in enumerate(zip(paragraphs, found)):
            next_reopens = p + 1 < len(found) and found[p + 1][2]
            pieces = [[a, b, None, False] for a, b in pairs]
            # Speech that runs on into the next paragraph is a sentence or more; a word or two
            # left open ('The sign read "Closed.') is a stray mark, not the next speaker's words.
            if open_at is not None and next_reopens and word_count(text[open_at:p_end]) >= DANGLING_MIN_WORDS:
                pieces.append([open_at, p_end, None, True])
            if carry is not None and starts_open and pieces and not text[p_start:pieces[0][0]].strip():
                pieces[0][2] = carry
            carry = None
            for a, b, g, dangling in pieces:
                if g is None:
                    group += 1
                    g = group
                s, e = _trim(text, a + 1, b)
                if s < e and sum(c.isalnum() for c in text[s:e]) >= 2:
                    spans.append(Span(s, e, p, g))
                if dangling:
                    carry = g
    return _outermost(spans)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _outermost(spans: list[Span]) -> list[Span]:
    """Drop quotes nested in another, and the later of two that cross. The spans kept are
    disjoint and sorted, so only the last one kept can hold the next."""
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in spans:
        if kept and kept[-1].start <= span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


# --- cues and subjects ---
def is_cue(tok, verbs=REPORT_VERBS | FRAMING_VERBS) -> bool:
    return tok.pos_ in ("VERB", "AUX") and lemma(tok).lower() in verbs


def _negated(tok) -> bool:
    """A cue that was not said: negated, or what someone declined or refused to say, or did
    besides it ("declined to threaten Moscow or even declare it responsible")."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    for _ in range(4):  # up the "or even ..." and "to ..." links, never past a main clause
        refused = lemma(tok.head).lower() in REFUSAL_VERBS
        if refused and (tok.dep_ == "xcomp" or tok.dep_ == "conj" and _joined_to_refused(tok.head)):
            return True
        if tok.dep_ not in ("conj", "xcomp"):
            return False
        tok = tok.head
    return False


# Speech still to come is no report of what was said: "said she would ask the commission to …",
# "will tell MPs that …". Habit or hindsight is: "would later say", "would often tell".
# ("Could" is also the past of "can": "police could say only that …" is said.)
_MODALS = frozenset("will would shall may might must should 'll ’ll".split())
_SAID_ANYWAY = frozenset("""later often always repeatedly frequently usually sometimes subsequently eventually
    afterwards afterward""".split())


def _still_to_come(verb) -> bool:
    """A modal on the cue, or on the verb it is joined to ("will travel … and tell ministers")."""
    holder = verb
    if verb.dep_ == "conj" and not any(c.dep_ in ("aux", "nsubj") for c in verb.children):
        holder = verb.head
    return any(c.dep_ == "aux" and c.lower_ in _MODALS for c in holder.children) \
        and not any(c.dep_ == "advmod" and c.lower_ in _SAID_ANYWAY for c in (*verb.children, *holder.children))


def _joined_to_refused(verb) -> bool:
    """"declined to threaten Moscow or even declare ...": the "or" hangs on what was declined,
    its second verb on "declined" itself. In "declined to comment but said ..." the "but" is
    the main clause's."""
    return any(c.dep_ == "xcomp" and any(g.dep_ == "cc" for g in c.children)
               and not any(g.dep_ == "conj" for g in c.children) for c in verb.children)


def _apposed_name(description):
    """"According to the paper's political editor, Ann Lee, …": the name set off by commas
    after the description, which the parser often takes for the clause's subject."""
    doc = description.doc
    # A person's role ("his lawyer", "the political editor"), not "police" or "the indictment".
    if description.tag_ != "NN" or textnorm.fold(lemma(description)) not in ROLE_WORDS:
        return None
    end = max(t.i for t in description.subtree) + 1
    if end + 2 >= len(doc) or doc[end].text != "," or doc[end + 1].ent_type_ != "PERSON" \
            or doc[end + 1].ent_iob_ != "B":
        return None
    stop = end + 2
    while stop < len(doc) and doc[stop].ent_iob_ == "I":
        stop += 1
    if stop >= len(doc) or doc[stop].text != ",":
        return None
    # The clause after the name needs a subject of its own: in "according to his lawyer, Tomas
    # Berg, who denies the charges, will plead not guilty" the name is the clause's subject.
    if not subject_after(doc[stop]):
        return None
    return doc[end + 1:stop]


def _according_name(cue):
    """The name apposed to the description of "according to <description>, <name>, …"."""
    to = next((c for c in cue.children if c.lower_ == "to"), None)
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    return _apposed_name(pobj) if pobj is not None and pobj.pos_ == "NOUN" else None


def subject_of(cue):
    """The grammatical subject of a cue verb, or the X of "according to X"."""
    if cue.lower_ == "according":
        for to in cue.children:
            if to.lower_ == "to":
                name = _according_name(cue)
                if name is not None:
                    return name.root
                return next((c for c in to.children if c.dep_ == "pobj"), None)
        return None
    verb = cue
    participle = False
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        subj = subjects[0] if subjects else None
        if len(subjects) > 1 and (_fronted(subj) or _split_apposition(subj, subjects[1])
                                  or _split_title(subj, subjects[1])):
            subj = subjects[1]  # "Outside court, the chair of the trustees, Tomas Berg, said"
        elif subj is not None and _fronted(subj):  # ... or the chair and the name apposed to "court"
            apposed = [c for c in subj.children if c.dep_ == "appos"]
            subj = next((c for c in reversed(apposed) if c.ent_type_ == "PERSON"), subj)
        if verb.dep_ == "relcl" and participle:
            # A "..., saying" the parser hung on a relative clause ("paying an architect who said
            # he was stiffed, saying, “…”") may belong to the main clause as well: no guess.
            return None
        if subj is not None:
            return subj
        age = next((c for c in verb.lefts if c.dep_ == "amod" and age_description(c) is not None), None)
        if age is not None:
            return age  # "The 24-year-old scored and told …": the parser made "old" a modifier
        if verb.dep_ == "relcl":
            return verb.head  # "Ann Lee, who called it ..."
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head  # "stood up and said"
            # "he warned that the club owed £9m and urged …" may be his urging or the club's;
            # "said the minister had lied and told MPs …" is the minister's (they share "had").
            if verb.dep_ == "ccomp" and is_cue(verb.head) and not is_cue(verb) \
                    and not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
                return None
        elif verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "pcomp", "acl"):
            # "..., saying" and "was quoted as saying" take the subject of the clause they hang on.
            head = verb.head.head if verb.dep_ == "pcomp" else verb.head
            if lemma(head).lower() == "quote":
                # "X was quoted as saying" is X's; "the agency quoted X as saying" is X's, not the
                # agency's ("quoted a price …, saying" is the quoter's own saying).
                quoted = next((c for c in head.children if c.dep_ == "nsubjpass"
                               or c.dep_ == "dobj" and verb.dep_ == "pcomp" and verb.head.lower_ == "as"), None)
                if quoted is not None:
                    return quoted
            verb, participle = head, True
        else:
            return None
    return None


def _fronted(subj) -> bool:
    """A short phrase opening the sentence before a comma, naming no one and with no determiner,
    that the parser took for a subject ("Outside court,")."""
    words = sorted((t for c in subj.children if c.dep_ != "appos" for t in c.subtree), key=lambda t: t.i)
    words = [t for t in sorted([subj, *words], key=lambda t: t.i) if not t.is_punct]
    if not words:  # the parser took a quotation mark or a dash for the subject
        return False
    after = subj.doc[words[-1].i + 1] if words[-1].i + 1 < len(subj.doc) else None
    return words[0].i == subj.sent.start and len(words) <= 3 and after is not None and after.text == "," \
        and not any(t.ent_type_ or t.pos_ in ("PROPN", "DET", "PRON") for t in words)  # "The victim, X," is one


def _split_apposition(first, second) -> bool:
    """A description and the name after it (or a description of the name: "the broadcaster
    Marta Quinn"), set off by a comma, that the parser made two subjects: "The chair of judges,
    the broadcaster Marta Quinn, said"."""
    named = second.ent_type_ == "PERSON" or any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in second.children)
    return named and first.i < second.i and first.pos_ == "NOUN" \
        and not any(t.ent_type_ == "PERSON" for t in first.subtree) \
        and any(t.text == "," for t in first.doc[first.i:second.i])


def _split_title(first, second) -> bool:
    """A hyphenated title the parser broke off the name it leads: "said campaign co-ordinator
    Ann Lee" made "co" one subject and "Lee" another, the words between hanging on the name."""
    return second.ent_type_ == "PERSON" and first.i < second.i and first.pos_ in ("NOUN", "PROPN") \
        and not any(t.ent_type_ == "PERSON" for t in first.subtree) \
        and all(t.head.i == second.i and t.dep_ in ("compound", "punct", "amod") and t.text != ","
                for t in first.doc[first.i + 1:second.i])


def _proper_name(toks) -> bool:
    """Words that can only be a name: proper nouns (and name particles), ending in one that
    is not a place or a date."""
    return bool(toks) and toks[-1].pos_ == "PROPN" and toks[-1].ent_type_ not in _NOT_SPEAKERS and all(
        t.pos_ == "PROPN" or t.lower_ in _NAME_PARTICLES or t.text in NAME_PUNCT for t in toks)


def _according(sent, outside) -> list:
    return [t for t in sent if t.lower_ == "according" and outside(t)
            and any(c.lower_ == "to" for c in t.children)]


class _Article:
    """One article's parsed paragraphs and the quotes found in them."""

    def __init__(self, text: str, paragraphs: list[tuple[int, int]], docs, spans: list[Span]):
        self.text, self.paragraphs, self.docs, self.spans = text, paragraphs, docs, spans
        for doc in docs:
            correct_people(doc)
        self.sents = []  # (paragraph index, spaCy sentence), in article order
        for p, doc in enumerate(docs):
            self.sents.extend((p, s) for s in doc.sents)
        self.sent_index = {(p, s.start): n for n, (p, s) in enumerate(self.sents)}
        self.starts = [s for s, _ in paragraphs]
        self.doc_index = {id(doc): p for p, doc in enumerate(docs)}
        self._para_sents = self._para_sent_starts = None  # built on first use
        self._span_starts = [s.start for s in spans]  # spans are disjoint and sorted (_outermost)
        self.quoted = [{t.i for t in doc if self.in_span(start + t.idx)} for start, doc in zip(self.starts, docs)]
        self.names = ArticleNames(docs, in_quote=self.in_quote)
        self.resolver = Resolver(self.names, in_quote=self.in_quote)

    def in_span(self, pos: int) -> bool:
        i = bisect.bisect_right(self._span_starts, pos) - 1
        return i >= 0 and pos < self.spans[i].end

    # offsets
    def at(self, tok) -> int:
        return self.starts[self._para(tok)] + tok.idx

    def _para(self, tok) -> int:
        return self.doc_index[id(tok.doc)]

    def in_quote(self, tok) -> bool:
        return tok.i in self.quoted[self._para(tok)]

    def sentence_no(self, tok) -> int:
        return self.sent_index[(self._para(tok), tok.sent.start)]

    def sents_of(self, span: Span) -> list:
        return self.sents_between(span.paragraph, span.start, span.end)

    def sents_between(self, paragraph: int, start: int, end: int) -> list:
        """The sentences of a paragraph that overlap the article offsets start:end (by bisection:
        one paragraph may hold thousands of sentences)."""
        if self._para_sents is None:
            self._para_sents = [list(doc.sents) for doc in self.docs]
            self._para_sent_starts = [[s.start_char for s in sents] for sents in self._para_sents]
        sents, starts = self._para_sents[paragraph], self._para_sent_starts[paragraph]
        base = self.starts[paragraph]
        i = max(bisect.bisect_right(starts, start - base) - 1, 0)
        out = []
        while i < len(sents) and sents[i].start_char + base < end:
            if sents[i].end_char + base > start:
                out.append(sents[i])
            i += 1
        return out

    # --- direct quotes: the cue that governs the quoted words ---
    def direct_cue(self, span: Span):
        sents = self.sents_of(span)
        if not sents:
            return None
        base = self.starts[span.paragraph]
        inside = lambda t: span.start <= base + t.idx < span.end  # noqa: E731
        outside = lambda t: not self.in_quote(t) and t.text not in _MARKS  # noqa: E731
        edge = [sents[0]] if len(sents) == 1 else [sents[0], sents[-1]]
        for sent in edge:
            quoted = [t for t in sent if inside(t)]
            best = None
            for tok in quoted:  # nearest cue among the ancestors of the quoted words
                for hops, anc in enumerate(tok.ancestors, 1):
                    if not outside(anc):
                        continue
                    if is_cue(anc) and (best is None or hops < best[0]):
                        best = (hops, anc)
                    if is_cue(anc) or anc.pos_ in ("VERB", "AUX") and anc.dep_ == "ROOT":
                        break
                    if anc.dep_ == "advcl" and any(c.dep_ == "nsubj" and c.pos_ == "PROPN" for c in anc.children):
                        break  # "as Reyes went on about “…”, Lee said yes": Reyes's clause, not Lee's
            if best:
                return best[1]
            for tok in sent:  # a cue the parser hung under the quote: "“...,” he said"
                if outside(tok) and is_cue(tok) and inside(tok.head) and not _negated(tok):
                    return tok
        for sent in edge:
            cues = _according(sent, outside)
            if cues:
                return cues[0]
        for sent in edge:
            cue = self._adjacent_cue(sent, span, base)
            if cue is not None:
                return cue
        return self._colon_cue(span) or self._next_sentence_cue(span, sents)

    def unquoted_subject(self, cue):
        """The subject of a cue, never words inside the quote: when the parser found none, or took
        a piece of the quote for it ("“My reaction, that was outrageous,” the strategist said"), a
        name set off beside the quote (_inverted_subject, _set_off_subject), else the one noun phrase left outside
        the quote, is the speaker; else nobody."""
        subj = subject_of(cue)
        if subj is not None and not self.in_quote(subj):
            return subj
        set_off = self._inverted_subject(cue)
        if set_off is None:
            set_off = self._set_off_subject(cue)
        if set_off is not None or subj is None:
            return set_off
        outside = [c for c in cue.children if c.dep_ in ("nsubj", "dobj", "attr", "npadvmod", "appos", "dep")
                   and c.pos_ in ("PROPN", "NOUN") and not self.in_quote(c)]
        return outside[0] if len(outside) == 1 else None

    def _set_off_subject(self, cue):
        """"“…,” Ann Lee, the mayor, said": the parser may hang the name on the quote as an
        apposition, leaving the cue with no subject. Then the words between the closing mark and
        the cue must be a name, or a description and a name, set off by commas; the name speaks."""
        doc, sent = cue.doc, cue.sent
        k = cue.i - 1
        while k >= sent.start and not (self.in_quote(doc[k]) or doc[k].text in _MARKS):
            k -= 1
        if k < sent.start or not self.in_quote(doc[k]) and doc[k].text not in _MARKS:
            return None
        between = doc[k + 1:cue.i]
        if len(between) > SET_OFF_MAX_TOKENS or any(t.text in _MARKS or self.in_quote(t) for t in between):
            return None
        parts, part = [], []
        for t in between:
            if t.text == ",":
                if part:
                    parts.append(part)
                part = []
            elif t.is_punct and t.text not in NAME_PUNCT:
                return None  # a dash or a parenthesis: some other construction
            else:
                part.append(t)
        if len(parts) == 0:
            parts = [part]  # "“…,” Ann Lee said" with no commas
        elif part or len(parts) > 2:
            return None  # "X, the mayor, said": the cue follows the last comma
        # The name first ("Ann Lee, the mayor,"), or a description then the name ("his aide, Ann Lee,").
        name = next((p for p in parts if _proper_name(p)), None)
        return name[-1] if name is not None else None

    def _inverted_subject(self, cue):
        """"Said Ann Lee: “…”": a cue that opens its sentence, then a name and a colon or comma
        before the quote."""
        doc, sent = cue.doc, cue.sent
        if any(not t.is_punct for t in doc[sent.start:cue.i]):
            return None
        name = []
        for t in doc[cue.i + 1:sent.end]:
            if t.text in (":", ","):
                break
            if t.text in _MARKS or self.in_quote(t) or len(name) >= SET_OFF_MAX_TOKENS:
                return None
            name.append(t)
        else:
            return None
        after = doc[name[-1].i + 2] if name and name[-1].i + 2 < len(doc) else None
        if after is None or not (after.text in _MARKS or self.in_quote(after)) or not _proper_name(name):
            return None
        return name[-1]

    def _next_sentence_cue(self, span: Span, sents: list):
        """"“…?” Vitter demanded." split by the parser after the question mark: the cue opens
        the next sentence of the paragraph, with only punctuation before it."""
        base = self.starts[span.paragraph]
        last = sents[-1]
        if last.end_char + base > span.end + 3:
            return None
        following = [s for s in self.docs[span.paragraph].sents if s.start >= last.end]
        return self._adjacent_cue(following[0], span, base) if following else None

    def _adjacent_cue(self, sent, span: Span, base: int):
        """A cue clause that only punctuation separates from the quote: "“...,” she told reporters"."""
        cues = [t for t in sent if is_cue(t) and not self.in_quote(t) and t.text not in _MARKS]
        if len(cues) != 1:
            return None
        cue = cues[0]
        clause = {t.i for c in cue.children if c.dep_ not in ("ccomp", "xcomp", "advcl", "conj", "parataxis")
                  for t in c.subtree} | {cue.i}
        if base + cue.idx >= span.end:
            between = [t for t in sent if base + t.idx >= span.end and t.i < min(clause)]
        else:
            between = [t for t in sent if t.i > max(clause) and base + t.idx < span.start]
        ok = all(t.is_punct or t.text in _MARKS for t in between)
        return cue if ok and subject_of(cue) is not None else None

    def _colon_cue(self, span: Span):
        """"The minister said: “...”", across a sentence or paragraph break."""
        pos = span.start - 1
        while pos >= 0 and (self.text[pos].isspace() or self.text[pos] in _MARKS):
            pos -= 1
        if pos < 0 or self.text[pos] != ":":
            return None
        p = bisect.bisect_right(self.starts, pos) - 1
        if p >= 0:
            p_start, p_end = self.paragraphs[p]
            if p_start <= pos < p_end:
                doc = self.docs[p]
                sent = next((s for s in doc.sents if s.start_char <= pos - p_start < s.end_char + 1), None)
                if sent is None:
                    return None
                cues = [t for t in sent if is_cue(t) and not self.in_quote(t) and t.idx < pos - p_start]
                return cues[-1] if cues else None
        return None

    # --- indirect quotes: the clause a cue verb reports ---
    def reported(self, verb) -> tuple[int, int] | None:
        """Article offsets of the reported clause of a cue verb, if it has one."""
        verb_lemma = lemma(verb).lower()
        kids = list(verb.children)
        # Not "after he admitted …": a clause a time or a reason opens is no content.
        clause = [c for c in kids if c.dep_ == "ccomp" and not (
            any(m.dep_ == "mark" and m.lower_ in _ADVERBIAL_MARKS for m in c.children)
            and c.left_edge.i > 0 and c.doc[c.left_edge.i - 1].text == ",")]
        if not any(c.i < verb.i and self.in_quote(c.left_edge) for c in clause):
            # Unless a quote before the verb is what was said, the clause after it first: "Asked
            # whether …, Lee said the sale had …" (the parser hangs the question on the verb too).
            clause.sort(key=lambda c: c.i < verb.i or self.in_quote(c.left_edge))
        objs = [c for c in kids if c.dep_ in ("dobj", "dative")]
        toks = None
        if clause:
            toks = list(clause[0].subtree)
            while toks and (toks[0].dep_ == "mark" and toks[0].lower_ == "that" or toks[0].is_punct):
                toks = toks[1:]
        elif verb_lemma in OBJECT_CLAUSE_VERBS and any(c.dep_ == "xcomp" for c in kids) and objs:
            xcomp = next(c for c in kids if c.dep_ == "xcomp")
            toks = sorted({*objs[0].subtree, *xcomp.subtree}, key=lambda t: t.i)
        elif verb_lemma in CONTENT_OBJECT_VERBS and objs:
            toks = list(objs[0].subtree)
        elif verb_lemma == "warn":
            prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ in ("of", "about", "against")), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            toks = list(pobj.subtree) if pobj is not None else None
        if not toks:
            return None
        if toks[-1].i < verb.i and any(t.text in _MARKS for t in toks):
            return None  # "X questioned him: “…,” she said": the quote before the cue is not reported speech
        dash = next((n for n, t in enumerate(toks[:4]) if t.text in ("—", "–", "--")), None)
        if dash is not None and all(t.text.isupper() or t.is_punct for t in toks[:dash]):
            toks = toks[dash + 1:]  # a dateline: "LONDON — ..."
        while toks and toks[-1].is_punct and toks[-1].text not in _MARKS and toks[-1].text != "%":  # "fell 18%"
            toks = toks[:-1]
        if sum(not t.is_punct for t in toks) < MIN_REPORTED_WORDS:
            return None
        return self._through_quote(self.at(toks[0]), self.at(toks[-1]) + len(toks[-1].text))

    def _through_quote(self, start: int, end: int) -> tuple[int, int]:
        """A clause that ends inside a quote it opened ends after the quote's closing mark:
        'urged voters to “vote your conscience”', never 'urged voters to “vote your conscience'."""
        i = bisect.bisect_left(self._span_starts, end) - 1
        if i >= 0 and start <= self.spans[i].start and end <= self.spans[i].end:
            end = self.spans[i].end
            while end < len(self.text) and self.text[end] in _MARKS and end - self.spans[i].end < 2:
                end += 1
        return start, end

    def according_clause(self, cue) -> tuple[int, int] | None:
        """"According to X, CLAUSE." or "CLAUSE, according to X." -> CLAUSE."""
        sent = cue.sent
        words = [t for t in sent if not t.is_punct]
        # A name the parser hung on X is the clause's own subject when the clause has none:
        # "According to her manager, Ines Reyes, 24, has not trained" reports on Reyes.
        source = subject_of(cue)
        subject = {t.i for a in (according_subjects(source) if source is not None else []) for t in a.subtree}
        phrase = sorted((t for t in cue.subtree if t.i not in subject), key=lambda t: t.i)
        if not words or not phrase:
            return None
        if phrase[0].i == words[0].i:
            name = _according_name(cue)
            # Past an apposed name and its comma, or up to the name that is the clause's subject.
            after = name.end if name is not None else (min(subject) - 1 if subject else phrase[-1].i)
            rest = [t for t in sent if t.i > after]
        elif phrase[-1].i == words[-1].i:
            rest = [t for t in sent if t.i < phrase[0].i]
        else:
            return None
        while rest and rest[0].is_punct:
            rest = rest[1:]
        while rest and rest[-1].is_punct and rest[-1].text not in _MARKS:
            rest = rest[:-1]
        if sum(not t.is_punct for t in rest) < MIN_REPORTED_WORDS:
            return None
        return self._through_quote(self.at(rest[0]), self.at(rest[-1]) + len(rest[-1].text))

    def in_quote_at(self, pos: int) -> bool:
        """True when the text at `pos`, past any opening marks, is quoted."""
        while pos < len(self.text) and self.text[pos] in _MARKS:
            pos += 1
        return self.in_span(pos)

    # --- the whole article ---
    def extract(self) -> list[Quote]:
        direct_cues = {span: self.direct_cue(span) for span in self.spans}
        indirect = []  # (cue, (start, end))
        for p, sent in self.sents:
            for tok in sent:
                if self.in_quote(tok) or _negated(tok):
                    continue
                if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
                    where = self.according_clause(tok)
                elif is_cue(tok, REPORT_VERBS) and not _still_to_come(tok):
                    where = self.reported(tok)
                else:
                    continue
                if where and not self.in_quote_at(where[0]):  # a clause that opens a quote is that quote
                    indirect.append((tok, where))

        by_sentence: dict[int, list] = {}
        for span, cue in direct_cues.items():
            if cue is not None:
                by_sentence.setdefault(self.sentence_no(cue), []).append(cue)
        for cue, _ in indirect:
            by_sentence.setdefault(self.sentence_no(cue), []).append(cue)
        # Where the narration says both "he" and "she", twice: first to count whom each finds,
        # then to resolve with those counts (with one of them, no count can tell against it).
        said = {t.lower_ for p, sent in self.sents for t in sent
                if t.lower_ in PERSONAL_PRONOUNS and t.i not in self.quoted[p]}
        if len(said) == 2:
            self.resolver.count_pronouns(lambda: self._resolve(by_sentence))
        speakers = self._resolve(by_sentence)
        return self._finish(direct_cues, indirect, speakers)

    def _resolve(self, by_sentence: dict[int, list]) -> dict[int, Speaker | None]:
        """Each cue's speaker (by id of the cue token), in sentence order, so that pronouns see
        the people of earlier sentences."""
        quoted_tok = self.quoted
        speakers: dict[int, Speaker | None] = {}
        topics: list[str | None] = []
        for n, (p, sent) in enumerate(self.sents):
            if all(t.i in quoted_tok[p] or t.is_punct for t in sent):
                # Inside a quote: not narration, and no step back for a pronoun's look-back
                # ("“…,” she said. “Two more sentences.” / “…,” she added": still the same she).
                continue
            topic = None
            for cue in by_sentence.get(n, []):
                subj = self.unquoted_subject(cue)
                if subj is not None and (cue.lower_ == "according" or lemma(cue).lower() in EVIDENCE_VERBS) \
                        and a_thing(subj):
                    subj = None  # a thing shows ("according to his body mass index"); people, bodies and documents speak
                found = self.resolver.speaker(subj, list(topics)) if subj is not None else None
                speakers[id(cue)] = found
                if found is not None and topic in (None, AMBIGUOUS):
                    # A spokesman's sentence is not about a person we could name for "he".
                    topic = found.canonical if found.person and found.canonical else AMBIGUOUS
            if topic is None:
                topic = self.resolver.topic(sent, quoted_tok[p])
            if topic is None:
                root_subj = next((c for c in sent.root.children if c.dep_ == "nsubj"), None)
                if root_subj is not None and root_subj.pos_ == "PRON":
                    found = self.resolver.speaker(root_subj, list(topics))
                    topic = found.canonical if found else None
            topics.append(topic)
        return speakers

    def _finish(self, direct_cues: dict, indirect: list, speakers: dict) -> list[Quote]:
        quotes: list[Quote] = []
        attributed: dict[Span, tuple[Speaker | None, str | None]] = {}
        for span, cue in direct_cues.items():
            if cue is not None:
                attributed[span] = (speakers.get(id(cue)), _cue_text(cue))
        for span in self.spans:  # "a note that read: “…”": the note's words, not the narrator's
            if _WRITTEN_BEFORE.search(self.text, max(0, span.start - 40), span.start):
                attributed[span] = (None, None)
        credits: dict[Span, tuple[Speaker, None]] = {}  # quotes credited after a dash
        for span in self.spans:
            if span not in attributed:
                credited = self._credit(span)
                if credited is not None:
                    attributed[span] = credits[span] = (credited, None)
        for span in self.spans:
            if attributed.get(span, (None, None))[0] is None and self._unspoken(direct_cues[span]):
                outer = self._reporting(span, indirect, speakers)
                if outer is not None:
                    attributed[span] = outer
        self._inherit(attributed, credits)
        for span in self.spans:
            speaker, cue = attributed.get(span, (None, None))
            if speaker is not None and is_title(self.text, span.start, span.end):
                speaker, cue = None, None  # a name in quotation marks is nobody's words
            quotes.append(self._quote(DIRECT, span.start, span.end, span.paragraph, speaker, cue))
            quotes.extend(self._quote(DIRECT, a, b, span.paragraph, None, None) for a, b in self._relayed(span))
        for cue, (start, end) in indirect:
            speaker = speakers.get(id(cue))
            if speaker is None or not speaker.canonical:
                continue  # reported speech without a known speaker says nothing
            quotes.append(self._quote(INDIRECT, start, end, self._para(cue), speaker, _cue_text(cue)))
        quotes.sort(key=lambda q: (q.start, q.kind))
        return quotes

    def _relayed(self, span: Span) -> list[tuple[int, int]]:
        """Someone else's words quoted inside a quote: in “She told me, ‘the school will never
        close,’ and I believed her,” the inner words are not the speaker's. They are stored as
        a quote of their own with no speaker, so they are never the outer speaker's (the
        innermost quote answers). Words the speaker quotes from themselves ("I told them, ‘…’")
        or names in quotation marks (“We call it ‘the plan’”) stay theirs."""
        text = self.text
        inner_table = _SINGLE if text[span.start - 1:span.start] in _DOUBLE else _DOUBLE
        pairs, _, _ = _paragraph_pairs(text, span.start, span.end, inner_table)
        doc, base = self.docs[span.paragraph], self.starts[span.paragraph]
        out = []
        for a, b in pairs:
            start, end = _trim(text, a + 1, b)
            if sum(c.isalnum() for c in text[start:end]) < 2:
                continue
            # A cue in the speaker's words right before the inner quote ("She told me, ‘…’") or
            # right after it ("‘…,’ she said"), at most RELAY_GAP words away.
            before = [t for t in doc.char_span(span.start - base, a - base, alignment_mode="expand") or ()
                      if not t.is_punct][-RELAY_GAP:] if a > span.start else []
            after = [t for t in doc.char_span(b + 1 - base, span.end - base, alignment_mode="expand") or ()
                     if not t.is_punct][:RELAY_GAP] if b + 1 < span.end else []
            cues = [t for t in before + after if is_cue(t)]
            subjects = [subj for cue in cues for subj in _own_subjects(cue)]
            # The speaker's own words: "I told them", "my wife and I said", "it let me say to them";
            # not "the man next to me said". A document's words are someone else's unless it is
            # the speaker's own ("my letter said").
            own = any(t.lower_ in ("i", "we") for subj in subjects for t in subj.subtree) or any(
                t.lower_ in ("me", "us", "my", "our") for subj in subjects
                for t in (subj, *(c for c in subj.children if c.dep_ in ("conj", "poss"))))
            named = bool(before) and before[-1].lower_ in _NAMING  # "a report titled ‘A City in Crisis’"
            if cues and subjects and not own and not named:
                out.append((start, end))
        return out

    def _unspoken(self, cue) -> bool:
        """No cue, or one whose subject is a document: "the ad “wrongly” suggests" names no speaker."""
        if cue is None:
            return True
        subj = self.unquoted_subject(cue)
        return subj is not None and a_document(subj)

    def _reporting(self, span: Span, indirect: list, speakers: dict) -> tuple[Speaker, str] | None:
        """The speaker of the reported clause that holds a quote, innermost first: in "Ann Lee
        said the ad “wrongly” suggests …", the quoted word is hers."""
        holding = [(end - start, cue) for cue, (start, end) in indirect
                   if start <= span.start and span.end <= end and self._para(cue) == span.paragraph]
        for _, cue in sorted(holding, key=lambda item: item[0]):
            speaker = speakers.get(id(cue))
            if speaker is not None and speaker.canonical:
                return speaker, _cue_text(cue)
        return None

    def _inherit(self, attributed: dict, credits: dict) -> None:
        """Pieces of a reopened quote share a speaker; floating quotes take the previous one's,
        unless their line ends in another's credit ("“…” And “…” ― Ann Lee": not the previous speaker's)."""
        by_group: dict[int, tuple] = {}
        for span in self.spans:
            if span in attributed and attributed[span][0] is not None:
                by_group.setdefault(span.group, attributed[span])
        for span in self.spans:
            if span not in attributed and span.group in by_group:
                attributed[span] = by_group[span.group]
        previous: Span | None = None
        for span in self.spans:
            if span in attributed:
                previous = span if attributed[span][0] is not None else None
                continue
            if previous is not None and self._credited_to_another(span, credits, attributed[previous][0]):
                previous = None
                continue
            if previous is not None and self._floating_after(previous, span, attributed[previous][0]):
                speaker, _ = attributed[previous]
                attributed[span] = (speaker, None)
                previous = span

    def _credited_to_another(self, span: Span, credits: dict, speaker: Speaker) -> bool:
        """A later quote on the same line is credited to someone other than `speaker`."""
        for other, (credited, _) in credits.items():
            if other.paragraph == span.paragraph and other.start >= span.end \
                    and "\n" not in self.text[span.end:other.start] and credited.canonical != speaker.canonical:
                return True
        return False

    def _credit(self, span: Span) -> Speaker | None:
        """A quote credited after a dash at the end of its line: "“…” ― Sonya Herridge"."""
        p_start, p_end = self.paragraphs[span.paragraph]
        line_end = self.text.find("\n", span.end, p_end)
        line_end = p_end if line_end < 0 else line_end
        rest = self.text[span.end:line_end]
        m = _CREDIT.match(rest)
        if m is None:
            return None
        name_start = span.end + m.start("name")
        doc, base = self.docs[span.paragraph], p_start
        toks = [t for t in doc if name_start <= base + t.idx < span.end + m.end("name")]
        if not toks or not all(t.text[:1].isupper() or t.is_punct or t.lower_ in _NAME_PARTICLES for t in toks):
            return None
        head = next((t for t in reversed(toks) if not t.is_punct), None)
        if head is None or head.ent_type_ in ("GPE", "LOC", "DATE", "TIME", "FAC", "WORK_OF_ART"):
            return None  # a place, a date or a title, not a person
        found = self.resolver.speaker(head, [])
        if found is None or not found.canonical:
            return None
        if head.ent_type_ != "ORG" and not found.person:
            return Speaker(found.as_written, found.canonical, person=True)  # a name the recogniser missed
        return found

    def _floating_after(self, previous: Span, span: Span, speaker: Speaker) -> bool:
        sents = self.sents_of(span)
        if not sents:
            return False
        base = self.starts[span.paragraph]
        first, last = sents[0], sents[-1]
        own = self.text[min(first.start_char + base, span.start):max(last.end_char + base, span.end)]
        if any(c.isalnum() for c in self._unquoted(own, min(first.start_char + base, span.start))):
            return False  # narration around it: not a floating quote
        prev_last = self.sents_of(previous)
        if not prev_last:
            return False
        lo = self.sent_index[(previous.paragraph, prev_last[-1].start)]
        hi = self.sent_index[(span.paragraph, first.start)]
        if hi <= lo or hi - lo - 1 > FLOAT_LOOKBACK:
            return False
        for n in range(lo + 1, hi):
            p, sent = self.sents[n]
            narration = [t for t in sent if not self.in_quote(t)]
            if any(is_cue(t) or t.lower_ == "according" for t in narration):
                return False  # something else is cued in between
            for ent in sent.ents:
                if ent.label_ in ("PERSON", "ORG") and not self.in_quote(ent.root):
                    other = self.resolver.speaker(ent.root, [])
                    if other is None or other.canonical != speaker.canonical:
                        return False
        return True

    def _unquoted(self, chunk: str, offset: int) -> str:
        return "".join(c for i, c in enumerate(chunk, offset) if not self.in_span(i))

    def _quote(self, kind, start, end, paragraph, speaker: Speaker | None, cue) -> Quote:
        base = self.starts[paragraph]
        sents = self.sents_between(paragraph, start, end)
        s_start = min([start - 1] + [s.start_char + base for s in sents[:1]])
        s_end = max([end + 1] + [s.end_char + base for s in sents[-1:]])
        p_start, p_end = self.paragraphs[paragraph]
        s_start, s_end = max(s_start, p_start), min(s_end, p_end)
        return Quote(kind, self.text[start:end], start, end, s_start, s_end, paragraph + 1,
                     speaker.canonical if speaker else None, speaker.as_written if speaker else None, cue,
                     bool(speaker and speaker.person and speaker.canonical))


# Words written on something, quoted: "a note that read: “…”", "a banner reading “…”".
_WRITTEN_BEFORE = re.compile(r"(?:\b(?:that|which)\s+reads?|\b(?:note|sign|banner|placard|plaque|poster|card|letter|"
                             r"message|notice|headline|inscription|caption|label|slogan|sticker|t-shirt|board)s?\s+"
                             r"(?:that\s+|which\s+)?read(?:s|ing)?)\s*[:,]?\s*[“\"‘']?\s*$", re.IGNORECASE)
_ADVERBIAL_MARKS = frozenset("""after before because since while when whenever until unless although though
    once as""".split())


_NAMING = frozenset("titled entitled headlined named nicknamed".split())  # a name in quotation marks follows


def _own_subjects(verb) -> list:
    """The verb's subjects, or those of the verb it is joined to ("came … and said", "walked in,
    sat down and said")."""
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects or verb.dep_ != "conj":
            return subjects
        verb = verb.head
    return []


def _cue_text(cue) -> str:
    return "according to" if cue.lower_ == "according" else cue.text


# A dateline's abbreviations split the sentence from its speaker, so a paragraph is parsed from after it.
def after_datelines(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The paragraphs as parsed: each from after its dateline, if it opens with one."""
    out = []
    for s, e in paragraphs:
        m = textnorm.DATELINE.match(text, s, e)
        out.append((m.end(), e) if m and m.end() < e else (s, e))
    return out


def extract_many(articles: list[tuple[str, list[tuple[int, int]]]], nlp, batch_size: int = 64) -> list[list[Quote]]:
    """Quotes of several articles; their paragraphs go through spaCy in one stream."""
    articles = [(text, after_datelines(text, paragraphs)) for text, paragraphs in articles]
    texts = [text[s:e] for text, paragraphs in articles for s, e in paragraphs]
    docs = iter(parse_many(nlp, texts, batch_size=batch_size))
    out = []
    for text, paragraphs in articles:
        parsed = [next(docs) for _ in paragraphs]
        spans = quote_spans(text, paragraphs)
        out.append(_Article(text, paragraphs, parsed, spans).extract())
    return out


# Parsing is one core's work per process, so a large ingest parses in forked workers, which
# share the loaded pipeline with the parent. Below this much text (about 0.2 s of parsing) a fork
# saves nothing (measured: 3,200 characters parse as fast either way, 8,600 in 0.39 s instead of 0.62).
PARALLEL_MIN_CHARS = 5_000
_forked_nlp = None  # the pipeline the forked workers inherit


def _extract_part(articles):
    return extract_many(articles, _forked_nlp)


def _parse_part(texts: list[str]) -> bytes:
    """Parsed paragraphs, serialised to go back to the parent (which runs the rules)."""
    from spacy.tokens import DocBin

    parsed = DocBin(store_user_data=False)
    for doc in parse_many(_forked_nlp, texts):
        parsed.add(doc)
    return parsed.to_bytes()


def _balanced_runs(sizes: list[int], parts: int) -> list[tuple[int, int]]:
    """Consecutive index ranges over `sizes`, each near 1/parts of their sum."""
    total, runs, start, acc = sum(sizes), [], 0, 0
    for n, size in enumerate(sizes):
        acc += size
        if acc >= total * (len(runs) + 1) / parts and len(runs) < parts - 1:
            runs.append((start, n + 1))
            start = n + 1
    runs.append((start, len(sizes)))
    return [run for run in runs if run[0] < run[1]]


def _in_workers(nlp, work, parts: list) -> list | None:
    """`work(part)` for each part, each in a forked process that inherits the pipeline; None when
    no worker could start or one died (out of memory), so the caller parses here instead."""
    global _forked_nlp
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _forked_nlp = nlp
    # A worker must never collect the parent's garbage: freeing an object that owns threads
    # (an old onnxruntime session) waits forever on threads the fork did not copy.
    frozen_before = gc.get_freeze_count()  # a warm server froze its objects (Engine.warm)
    gc.freeze()
    try:
        with ProcessPoolExecutor(len(parts), mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(work, parts))
    except (OSError, BrokenProcessPool):
        return None
    finally:
        gc.unfreeze()
        if frozen_before:  # a warm server: refreeze, less what this ingest made and dropped
            gc.collect()
            gc.freeze()
        _forked_nlp = None


def extract_parallel(articles: list[tuple[str, list[tuple[int, int]]]], nlp, workers: int = 0) -> list[list[Quote]]:
    """extract_many in up to `workers` processes (0: one per CPU), each given a similar share
    of the text; the same quotes in the same order. In-process when forking would not pay, or
    where the platform cannot fork."""
    import multiprocessing

    workers = workers or usable_cpus()
    size = sum(len(text) for text, _ in articles)
    if workers < 2 or size < PARALLEL_MIN_CHARS or "fork" not in multiprocessing.get_all_start_methods():
        return extract_many(articles, nlp)
    if len(articles) == 1:
        return [_extract_one_split(*articles[0], nlp, workers)]
    workers = min(workers, len(articles))
    parts: list[list[int]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for n in sorted(range(len(articles)), key=lambda n: -len(articles[n][0])):  # longest first, to the lightest part
        lightest = loads.index(min(loads))
        parts[lightest].append(n)
        loads[lightest] += len(articles[n][0])
    results = _in_workers(nlp, _extract_part, [[articles[n] for n in part] for part in parts])
    if results is None:
        return extract_many(articles, nlp)
    out: list[list[Quote]] = [[] for _ in articles]
    for part, quotes in zip(parts, results):
        for n, found in zip(part, quotes):
            out[n] = found
    return out


def _extract_one_split(text: str, paragraphs: list[tuple[int, int]], nlp, workers: int) -> list[Quote]:
    """One long article (a 1 MB transcript): its paragraphs are parsed in forked workers and
    the rules run here, on the whole article, so the quotes are those of extract_many."""
    from spacy.tokens import DocBin

    paragraphs = after_datelines(text, paragraphs)
    texts = [text[s:e] for s, e in paragraphs]
    runs = _balanced_runs([len(t) for t in texts], workers)
    blobs = _in_workers(nlp, _parse_part, [texts[a:b] for a, b in runs]) if len(runs) >= 2 else None
    if blobs is None:
        return extract_many([(text, paragraphs)], nlp)[0]
    parsed = [doc for blob in blobs for doc in DocBin().from_bytes(blob).get_docs(nlp.vocab)]
    return _Article(text, paragraphs, parsed, quote_spans(text, paragraphs)).extract()


def extract(text: str, paragraphs: list[tuple[int, int]], nlp=None) -> list[Quote]:
    if nlp is None:
        from ..models.nlp import pipeline

        nlp = pipeline()
    return extract_many([(text, paragraphs)], nlp)[0]
