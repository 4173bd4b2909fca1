"""Who a cue's subject is: names, titles, pronouns and descriptions resolved within one article.

A speaker is never guessed. A short name maps to the fullest name of the article that
contains it, but only when exactly one does; a description ("the foreign minister") maps
to a person only through a title or an appositive in the same article; a pronoun maps to
the person the sentence before was about. Anything else is kept as written.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import textnorm
from ..models.nlp import lemma
from .lexicon import (BODY_NOUNS, COMPANY_SUFFIXES, DOCUMENT_NOUNS, FRAMING_VERBS, HONORIFICS, ORGANISATION_NOUNS,
                      ORGANISATION_ROLES, PERSON_NOUNS, PERSON_ONLY_ROLES, PLURAL_DOCUMENT_NOUNS, REPORT_VERBS,
                      ROLE_WORDS, THING_NOUNS, TITLE_ABBREVIATIONS, TITLE_QUALIFIERS, TITLE_WORDS)

PLACE_OR_TIME = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME"})
_OBJECTS = frozenset({"pobj", "dobj", "dative", "iobj"})
_PRONOUN_GENDERS = {"he": "m", "she": "f"}  # the PERSONAL_PRONOUNS a cue's subject can be
_OBJECT_FORMS = {"him": "he", "her": "she"}
_MARKUP = frozenset("<>|^@")
PERSONAL_PRONOUNS = frozenset({"he", "she"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
DETERMINERS = frozenset({"the", "a", "an"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_DESCRIPTION_DEPS = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "case", "punct"})
TITLE_CASE_SHARE = 0.8  # of the longer words capitalised
_NAME_DEPS = frozenset({"compound", "flat", "punct"})
NAME_PUNCT = "-.'’"  # punctuation a name may hold: "Lee-Marsh", "Dr.", "O'Neil"
PRONOUN_LOOKBACK = 2  # sentences
# Honorifics that tell two people with one surname apart: "Mr. Smith" is not "Mrs. Smith".
GENDERED = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}


@dataclass(frozen=True)
class Speaker:
    as_written: str
    canonical: str | None  # None: a pronoun or mention we could not resolve safely
    person: bool = False


def key(name: str) -> tuple[str, ...]:
    """Folded words of a name, for matching across forms and articles."""
    return tuple(textnorm.words(name))


def speaker_key(canonical: str | None) -> str | None:
    return " ".join(key(canonical)) if canonical else None


def strip_titles(words: list[str]) -> list[str]:
    """Drop leading honorifics and titles, and a trailing possessive, from folded name words."""
    start = 0
    while start < len(words) - 1 and words[start] in TITLE_WORDS:
        start += 1
    out = words[start:]
    if len(out) > 1 and out[-1] == "s":  # "Un's" folds to "un", "s"
        out = out[:-1]
    return out


def _fuller(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """"Ann E. Lee" is a fuller "Ann Lee": a middle initial adds to a name."""
    return contains(longer, shorter) or len(longer) > len(shorter) and contains(
        tuple(w for w in longer if len(w) > 1), shorter)


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _at_an_end(name: tuple[str, ...], mention: tuple[str, ...]) -> bool:
    """The mention starts the name, or ends it before any generational suffix."""
    while len(name) > len(mention) and name[-1] in _SUFFIXES:
        name = name[:-1]
    return name[:len(mention)] == mention or name[-len(mention):] == mention


def contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return n > 0 and any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


@dataclass
class Person:
    key: tuple[str, ...]
    display: str
    titles: set[str] = field(default_factory=set)
    nationalities: set[str] = field(default_factory=set)
    headline: bool = False  # named only in title-case headlines
    # Each title word with the qualifiers written before it, once per way it is written:
    # "shadow chancellor" -> {"chancellor": {{"shadow"}}}; "a former striker" -> {"striker": {{"former"}}}.
    offices: dict[str, set[frozenset[str]]] = field(default_factory=dict)


_AFTER_A_NAME = frozenset({"of", "from", "at", "with", "for"})
# Roles a company holds, written before its name at the start of a sentence ("Insurer
# Eastfield Mutual said"); not words that open companies' names ("Trust Ford", "Party City").
_ROLE_OPENERS = frozenset("insurer lender regulator operator publisher owner employer subsidiary retailer".split())
_PLACE_PREPOSITIONS = frozenset({"in", "near"})  # "born in X": X is a place
_WHERE = _PLACE_PREPOSITIONS | {"outside", "across", "around"}  # "a press based in Eastfield, which said"
# "Senior party figures said": people, as figures are described by rank or by party.
_PEOPLE_FIGURES = frozenset("""senior leading prominent key top party political conservative labour democratic
    republican liberal green tory government opposition""".split())


def _names_a_company(tok) -> bool:
    """"Corp.", "Inc", "Ltd": the capitalised last word of a company's name."""
    return tok.text[:1].isupper() and textnorm.fold(tok.text.rstrip(".")) in COMPANY_SUFFIXES


# Titles that also open organisations' names: "General Motors", "Crown Prosecution Service",
# "Premier Foods", "Justice Department". Not honorifics: "Ms Lee" read as a company is Ms Lee.
ORGANISATION_TITLES = frozenset({"general", "crown", "premier", "justice"})


def _named_with_title(toks) -> bool:
    """An organisation the recogniser read whole whose name opens with one of ORGANISATION_TITLES."""
    words = [t for t in toks if t.lower_ not in DETERMINERS]
    return len(words) >= 2 and all(t.ent_type_ == "ORG" for t in toks) and \
        textnorm.fold(words[0].text) in ORGANISATION_TITLES


def _name_tokens(span_tokens) -> list:
    """Tokens of a name without its owner, leading titles and roles, and a trailing possessive."""
    toks = [t for t in span_tokens if not t.is_punct or t.text in NAME_PUNCT]
    while toks and toks[-1].text in _POSSESSIVE:
        toks = toks[:-1]
    # An owner before the name; not one inside a phrase after it ("Ines Reyes of Eastfield Police's
    # fraud unit" is no unit).
    owner = [i for i, t in enumerate(toks) if t.text in _POSSESSIVE
             and not any(x.pos_ == "ADP" and x.lower_ in _AFTER_A_NAME and x.ent_type_ != "ORG" for x in toks[:i])]
    if owner:
        # "Millikin University’s Media Coordinator Dane Lisser" is Dane Lisser; a heading such as
        # "Ann Lee’s Remarks" names Ann Lee.
        after = toks[owner[-1] + 1:]
        if not (len(after) == 1 and textnorm.fold(after[0].text) in BODY_NOUNS):  # "The Doctors' Association"
            toks = after if len(after) >= 2 else toks[:owner[0]]
    if toks and toks[0].text[:1].isupper() and (_names_a_company(toks[-1]) or _named_with_title(toks)):
        # a company's or a body's name: "Cardinal Trust Financial Corp." keeps "Cardinal", "General
        # Motors" its "General", "The Crown Prosecution Service" its "Crown"
        return toks
    # A title, or a lowercase role noun the parser let into the name ("councillor Ana Ruiz").
    # A cue verb opening the sentence is no first name either: "Said Ann Lee: …".
    titled = len(toks)
    while len(toks) > 1 and (textnorm.fold(toks[0].text.rstrip(".")) in TITLE_WORDS
                             or (toks[0].pos_ == "NOUN" and toks[0].text[:1].islower())
                             # "Insurer Eastfield Mutual said": a capital only because it opens the sentence
                             or (toks[0].i == toks[0].sent.start and toks[0].ent_type_ != "ORG"
                                 and textnorm.fold(toks[0].text) in _ROLE_OPENERS)
                             or (toks[0].pos_ == "VERB" and toks[0].i == toks[0].sent.start)):
        toks = toks[1:]
    # A capitalised role before a full name: "Media Coordinator Dane Lisser", "Democratic Sen. X Y".
    roles = [i for i, t in enumerate(toks) if textnorm.fold(t.text.rstrip(".")) in ROLE_WORDS]
    if roles and len(toks) - roles[-1] - 1 >= 2:
        toks = toks[roles[-1] + 1:]
    if len(toks) < titled:  # a titled person's name ends where a phrase after it starts ("of Eastfield Police")
        cut = next((n for n, t in enumerate(toks) if n and t.pos_ == "ADP" and t.lower_ in _AFTER_A_NAME
                    and toks[n - 1].pos_ == "PROPN"), None)
        toks = toks[:cut] if cut else toks
    if len(toks) > 1 and title_case(toks[0].doc):
        # A headline's capitals let its verb, and what follows, into the name: "Lee Says Port Will Close".
        while len(toks) > 1 and _reporting_verb(toks[0]):
            toks = toks[1:]
        verb = next((n for n, t in enumerate(toks) if n and _reporting_verb(t)), None)
        toks = toks[:verb] if verb else toks
    return toks


_IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "spoke": "speak"}


def _reporting_verb(tok) -> bool:
    """An inflected cue verb ("Says", "Warned"), read from its letters: in a headline the tagger
    takes it for a proper noun. A bare stem is left alone: "Brand" and "Post" are surnames too."""
    w = tok.lower_
    forms = {_IRREGULAR.get(w)}
    if w.endswith("s"):
        forms |= {w[:-1], w[:-2] if w.endswith("es") else None}
    if w.endswith("ed"):
        forms |= {w[:-2], w[:-1]}
    return any(f in REPORT_VERBS or f in FRAMING_VERBS for f in forms if f)


def _text(doc, toks) -> str:
    return doc[toks[0].i:toks[-1].i + 1].text if toks else ""  # Doc.text would rebuild the whole text


def _left_modifiers(head, exclude: set[int]) -> list:
    """Title-like words before a name or description head: "North Korean leader", "UN"."""
    out = []
    for child in head.lefts:
        if child.dep_ in ("compound", "amod", "nmod", "appos") and child.i not in exclude:
            out.extend(t for t in child.subtree if t.i not in exclude and not t.is_punct)
    return out


def title_case(doc) -> bool:
    """A headline written in title case ("Lee Says Port Will Close"), where every word looks like a name."""
    known = doc.user_data.get("summit_title_case")
    if known is None:  # asked for each name in the paragraph: worked out once
        words = [t for t in doc if t.is_alpha and len(t) > 3]
        known = len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= TITLE_CASE_SHARE * len(words)
        doc.user_data["summit_title_case"] = known
    return known


def _is_honorific(tok) -> bool:
    """"Mr", "Dr.", "Sen.": a capitalised honorific ("Sr" follows a name, it opens none)."""
    word = textnorm.fold(tok.text.rstrip("."))
    return tok.text[:1].isupper() and word in HONORIFICS and word != "sr"


def _role_noun(tok) -> bool:
    return tok.pos_ == "NOUN" and textnorm.fold(lemma(tok)) in ROLE_WORDS


def _title_word(tok) -> bool:
    """An honorific, or a role capitalised only because it opens the sentence ("Manager Ann Lee
    said"): elsewhere a capitalised role may name a thing ("Justice Department", "Queen City")."""
    return _is_honorific(tok) or (tok.i == tok.sent.start and textnorm.fold(tok.text) in ROLE_WORDS)


def _relative(tok, pronoun: str) -> bool:
    """Whether a relative clause on `tok` opens with `pronoun`: people are "who", the rest "which"
    ("Kelby Drinks, which bought the brewery," is no person, whatever the recogniser says)."""
    return any(c.dep_ == "relcl" and any(g.lower_ == pronoun and g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
               for c in tok.rights)


def _an_age(tok) -> bool:
    return tok.dep_ == "appos" and tok.text.isdecimal() and 0 < int(tok.text) < 120


_NOT_NAMES = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# Words an honorific is put before that name no one: "Mr Speaker", "Miss World".
_NOT_NAME_WORDS = frozenset({"speaker", "world", "universe", "earth", "president", "chairman", "chair"})


def _name_word(tok) -> bool:
    """A word that can be part of a person's name: capitalised, a proper noun, no title, body or date."""
    if tok.text in NAME_PUNCT:
        return True
    word = textnorm.fold(tok.text.rstrip("."))
    return (tok.pos_ == "PROPN" and tok.text[:1].isupper() and len(word) > 1 and tok.ent_type_ not in _NOT_NAMES
            and word not in TITLE_WORDS and word not in ROLE_WORDS and word not in BODY_NOUNS
            and word not in _NOT_NAME_WORDS)


def _person_role_before(tok) -> bool:
    """A lowercase role only a person holds, joined to the name: "striker Tomas Berg",
    "film-maker Ines Reyes"; not "reporters Friday" or "pollster Eastfield Insight"."""
    if not (_role_noun(tok) and tok.text.islower() and tok.tag_ == "NN" and tok.dep_ == "compound"):
        return False
    doc = tok.doc
    joined = tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].is_alpha  # "film-maker"
    word = textnorm.fold(lemma(tok))
    return word not in ORGANISATION_ROLES or (joined and word == "maker" and doc[tok.i - 2].lower_ == "film")


def _aged(tok) -> bool:
    """An age beside a name says person, unless a noun says what else it is ("her horse
    Eastfield Lad, 7,")."""
    nouns = [c for c in tok.children if c.pos_ == "NOUN" and c.dep_ in ("compound", "appos", "nmod")]
    if tok.dep_ == "appos" and tok.head.pos_ == "NOUN":
        nouns.append(tok.head)
    return any(_an_age(c) for c in tok.children) and all(_role_noun(n) for n in nouns)


def _only_a_person_holds(role: str) -> bool:
    """An office ("chief executive") or a role ("union official") no company or body holds."""
    return role in PERSON_ONLY_ROLES or (role in TITLE_WORDS and role not in ORGANISATION_ROLES)


def _misread_person(tok) -> list | None:
    """The tokens of a name the recogniser did not take for a person although the text says it
    is one: an honorific or a role noun stands before it ("Mr Okafor", read as a place;
    "film-maker Ines Reyes", read as an organisation), an age after it ("Reyes, 52,"), or a
    role noun beside a full name ("the shadow chancellor, Ines Reyes,"). None otherwise."""
    if tok.pos_ != "PROPN" or tok.dep_ in _NAME_DEPS:
        return None  # only the head of a name chain
    span = [t for t in name_span(tok) if not _not_of_name(t)]
    n = 0
    while n < len(span) - 1 and _title_word(span[n]):
        n += 1
    titles, lead = span[:n], span[n:]
    if not lead or lead[-1].i - lead[0].i + 1 != len(lead) or any(t.ent_type_ == "PERSON" for t in lead):
        return None
    if not all(_name_word(t) for t in lead) or _names_a_company(lead[-1]):
        return None  # "General Foundry Corp." is a company, not a general
    before = tok.doc[lead[0].i - 1] if lead[0].i > 0 else None
    honorific = bool(titles) or (before is not None and _is_honorific(before))
    role_before = before is not None and before.head in lead and _person_role_before(before)
    aged = _aged(tok)
    roles = [c for c in tok.children if c.dep_ == "appos" and _role_noun(c)]
    if tok.dep_ == "appos" and _role_noun(tok.head) and not according_subjects(tok.head):
        roles.append(tok.head)
    # A company can be "its owner", "the defendant" or "the victim", never "its chief executive"
    # or "Orion's president": an office only a person holds.
    organisation = tok.ent_type_ == "ORG" and not any(_only_a_person_holds(textnorm.fold(lemma(r))) for r in roles)
    if not (honorific or role_before or ((aged or (roles and len(lead) >= 2)) and not organisation)):
        return None
    if honorific and (before is not None and before.lower_ == "miss" or any(t.lower_ == "miss" for t in titles)) \
            and tok.ent_type_ in ("GPE", "LOC", "NORP"):
        return None  # "Miss England" is a title, not a woman
    # An entity running past the name, or holding the honorific ("Dr Pepper" read as a company),
    # is something else.
    low = (titles[0].i if titles else lead[0].i - 1) if honorific else lead[0].i
    for t in lead:
        ent = _entity(t)
        if ent is None:
            continue
        # A role the recogniser let into a company's name ("Protester Sian Davies") is no honorific.
        in_company = ent.label_ == "ORG" and ent.start < lead[0].i
        holds_honorific = in_company and (any(_is_honorific(w) and w.i >= ent.start for w in titles)
                                          or (not titles and honorific))
        # A company named with a title word, as one word after it ("General Motors"), is no person.
        named_with_title = in_company and len(titles) == 1 and len(lead) == 1 and ent.start <= titles[0].i and \
            textnorm.fold(titles[0].text) in ORGANISATION_TITLES and not (roles or aged)
        if ent.start < low or ent.end > lead[-1].i + 1 or holds_honorific or named_with_title:
            return None
    return lead


def correct_people(doc) -> None:
    """Relabel as PERSON the names the small recogniser misreads (see _misread_person), and as a
    place a one-word "person" someone is in ("Born in Harbourton", read as a person), so that every
    rule reading the entities sees the same people. A title-case headline is left alone: its
    capitals make every word look like a name."""
    if title_case(doc):
        return
    names = [lead for tok in doc if (lead := _misread_person(tok))]
    places = [e for e in doc.ents if e.label_ == "PERSON" and len(e) == 1 and e.root.dep_ == "pobj"
              and e.root.head.lower_ in _PLACE_PREPOSITIONS and lemma(e.root.head.head).lower() in _LIVING_VERBS]
    if not names and not places:
        return
    from spacy.tokens import Span
    from spacy.util import filter_spans

    people = filter_spans([Span(doc, lead[0].i, lead[-1].i + 1, label="PERSON") for lead in names])
    taken = {i for span in people for i in range(span.start, span.end)}
    kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end)) and e not in places]
    kept += [Span(doc, e.start, e.end, label="GPE") for e in places if e.start not in taken]
    doc.ents = sorted(kept + people, key=lambda e: e.start)


_LIVING_VERBS = frozenset({"bear", "born", "raise", "base", "live", "grow", "settle", "die"})  # not "faith in Lee"


class ArticleNames:
    """The people of one article, their fullest names and their titles."""

    def __init__(self, docs, in_quote=lambda tok: False):
        self.persons: dict[tuple[str, ...], Person] = {}
        self.seen: dict[tuple[str, ...], list[int]] = {}  # each name as written: where it occurs
        self.described: dict[tuple[str, ...], set[str]] = {}  # "NatWest's corporate parent" -> organisations
        self._order = 0
        self.genders: dict[tuple[str, ...], set[str]] = {}  # a bare surname -> the honorifics' genders
        self.ages: dict[tuple[str, ...], set[int]] = {}  # a fullest name -> ages given ("Berg, 24,")
        # Names the recogniser took for people's, which a relative clause on the subject shows are
        # not ("Kelby Drinks, which bought the brewery, said"; not "pro-Reyes, which is a
        # problem", about the clause): no mention of them is a person's.
        self.companies = {key(ent.text) for doc in docs for ent in doc.ents if ent.label_ == "PERSON"
                          and ent.root.dep_ in ("nsubj", "nsubjpass") and _relative(ent.root, "which")}
        for doc in docs:
            headline = title_case(doc)
            for ent in doc.ents:
                # Names inside someone's quoted words are theirs to choose ("Crooked Ann Lee").
                if ent.label_ == "PERSON" and not in_quote(ent.root):
                    self._add_person(doc, ent, headline)
                    self._add_age(ent.root)
            for tok in doc:
                self._add_appositive(doc, tok)
                self._add_missed_person(doc, tok, headline, in_quote)

    def _add_missed_person(self, doc, tok, headline: bool, in_quote) -> None:
        """A full name the recogniser missed or took for a group, told as a person's by what
        comes with it: "Marta Holt, who has worked at the brewery for 26 years,", "Marta Holt, 52,",
        "Cllr Marta Holt"."""
        if tok.pos_ != "PROPN" or tok.dep_ in _NAME_DEPS or tok.ent_type_ in ("PERSON", "GPE", "LOC", "FAC") \
                or tok.ent_type_ in _NOT_NAMES or in_quote(tok):
            return
        if not _relative(tok, "who") and not any(_an_age(c) for c in tok.rights) and not _after_honorific(tok):
            return
        toks = name_span(tok)
        if len(toks) < 2 or toks[-1] is not tok or any(not t.is_title or t.ent_type_ in ("GPE", "LOC", "FAC")
                                                          for t in toks):
            return
        self._add_person(doc, doc[toks[0].i:tok.i + 1], headline)
        self._add_age(tok)

    def _add_age(self, tok) -> None:
        """"Tomas Berg, 24," and "24-year-old Tomas Berg"."""
        ages = [int(c.text) for c in tok.children if _an_age(c)]
        ages += [a for c in tok.children if c.dep_ == "amod" and (a := _age_of_old(c)) is not None]
        if ages:
            person = self.person_for(mention_key(tok))
            if person is not None:
                self.ages.setdefault(person.key, set()).update(ages)

    def _add_person(self, doc, ent, headline: bool = False) -> None:
        toks = _name_tokens(list(ent))
        if not toks:
            return
        k = key(_text(doc, toks))
        if not k or self.a_company(k):
            return
        gender = honorific_gender(list(ent))
        if gender and len(k) == 1:
            self.genders.setdefault(k, set()).add(gender)
        self._order += 1
        self.seen.setdefault(k, []).append(self._order)
        person = self.persons.setdefault(k, Person(k, _text(doc, toks), headline=headline))
        person.headline = person.headline and headline
        inside = {t.i for t in toks}
        stripped = [t for t in ent if t.i not in inside and t.text not in _POSSESSIVE]
        self._add_titles(person, stripped + _left_modifiers(ent.root, inside))
        for prep in ent.root.rights:  # "Gov. Ann Lorimer of Nebraska": no Iowa governor
            if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
                person.nationalities.update(w for o in prep.children if o.dep_ == "pobj" and o.ent_type_ == "GPE"
                                            for t in o.subtree if t.ent_type_ == "GPE" for w in textnorm.words(t.text))

    def _add_titles(self, person: Person, toks) -> None:
        # A qualifier holds for the run of title words after it: "Deputy Prime Minister" is a
        # deputy prime and a deputy minister, "a former Eastfield striker" a former striker.
        qualifiers: set[str] = set()
        in_title = False
        ordered = sorted((t for t in toks if t.ent_type_ != "PERSON"), key=lambda t: t.i)
        folded = [textnorm.fold(lemma(t) if t.pos_ == "NOUN" else t.text) for t in ordered]
        for n, (t, word) in enumerate(zip(ordered, folded)):
            words = textnorm.words(word)
            # "Gov." is the governor, but "Lt. Gov." no governor and "Atty. Gen." no general: an
            # abbreviation is expanded only standing alone among the titles.
            beside = [w for m in (n - 1, n + 1) if 0 <= m < len(folded) for w in textnorm.words(folded[m])]
            alone = not any(w in ROLE_WORDS or w in TITLE_ABBREVIATIONS for w in beside)
            words += [TITLE_ABBREVIATIONS[w] for w in words if alone and w in TITLE_ABBREVIATIONS]
            person.titles.update(words)
            for w in words:
                if w in ROLE_WORDS and w not in TITLE_QUALIFIERS:
                    person.offices.setdefault(w, set()).add(frozenset(qualifiers))
                    in_title = True
                    continue
                if in_title:
                    qualifiers, in_title = set(), False
                if w in TITLE_QUALIFIERS:
                    qualifiers.add(w)
            if t.ent_type_ == "NORP" or (t.ent_type_ in ("GPE", "ORG") and t.dep_ == "compound"):
                person.nationalities.update(textnorm.words(t.text))

    def _add_appositive(self, doc, tok) -> None:
        # "Jane Smith, the prime minister," and "the prime minister, Jane Smith," both link.
        if tok.dep_ != "appos" or according_subjects(tok.head):
            return  # "according to the coach, Ines Reyes, who …, is ready": the coach is someone else
        head = tok.head
        self._add_described(doc, head, tok)
        name, description = (head, tok) if head.ent_type_ == "PERSON" else (tok, head)
        if name.ent_type_ != "PERSON" or description.pos_ != "NOUN" or _of_someone_before(description, name):
            return
        person = self.person_for(self._mention(doc, name))
        if person is not None:
            words = [description] + [t for t in _left_modifiers(description, set()) if t.dep_ != "det"]
            self._add_titles(person, words)

    def _add_described(self, doc, a, b) -> None:
        """"NatWest's corporate parent, the Royal Bank of Scotland Group,": the description names the company."""
        for description, org in ((a, b), (b, a)):
            if (description.pos_ == "NOUN" and org.ent_type_ == "ORG"
                    and textnorm.fold(lemma(description)) in ORGANISATION_NOUNS
                    and not any(t.text in "()" for t in org.subtree)
                    and any(c.dep_ == "poss" for c in description.children)):
                ent = _entity(org)
                if ent is not None:
                    written = _description(_text(doc, [t for t in ent if not t.is_punct]), proper=True)
                    self.described.setdefault(description_key(description), set()).add(written)

    def organisation_for(self, head) -> str | None:
        found = self.described.get(description_key(head), set())
        return next(iter(found)) if len(found) == 1 else None

    # --- lookups ---
    def _mention(self, doc, tok) -> tuple[str, ...]:
        return mention_key(tok)

    def shared_surname(self, mention: tuple[str, ...]) -> bool:
        """Whether the article calls a man and a woman by this surname alone (Mr. and Mrs. Smith)."""
        return len(self.genders.get(mention, ())) > 1

    def a_company(self, mention: tuple[str, ...]) -> bool:
        return any(contains(company, mention) for company in self.companies)

    def anyone_named(self, mention: tuple[str, ...]) -> bool:
        """Whether any person of the article bears `mention` (one or several: "Quinn")."""
        return any(contains(k, mention) for k in self.persons)

    def person_for(self, mention: tuple[str, ...]) -> Person | None:
        """The one person whose fullest name contains `mention`; None if none or several."""
        if not mention:
            return None
        # A headline's capitals mislead the recogniser ("Rip Ann Lee", "Lee Speech", "Bill Lee
        # Opens Port"): a name only a title-case headline gives must start or end with the
        # mention ("Bill Lee Opens Port" is no name of "Lee Opens"), and is not the fullest one
        # when the text gives a full name itself.
        found = [p for k, p in self.persons.items()
                 if contains(k, mention) and not (p.headline and not _at_an_end(k, mention))]
        if any(not p.headline and len(p.key) > 1 for p in found):
            found = [p for p in found if not p.headline]
        maximal = [p for p in found if not any(q is not p and _fuller(q.key, p.key) for q in found)]
        if len(maximal) == 1:
            return maximal[0]
        return self._established(mention, maximal)

    def _established(self, mention: tuple[str, ...], candidates: list[Person]) -> Person | None:
        """A short name several people share ("Cruz": Ted, Heidi and Rafael Cruz) is the one the
        article introduced first, when it used the short name alone before naming anyone else who
        bears it (relatives and namesakes are then named in full)."""
        if mention in (p.key for p in candidates) or mention not in self.seen:
            return None
        firsts = sorted((self.seen[p.key][0], n) for n, p in enumerate(candidates) if p.key in self.seen)
        if len(firsts) < 2:
            return None
        (first, chosen), (second, _) = firsts[0], firsts[1]
        if any(first < at < second for at in self.seen[mention]):
            return candidates[chosen]
        return None

    def person_for_description(self, head) -> Person | None:
        """A definite description ("the Russian president") linked by a title in the article."""
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return None  # "a spokesman" is someone unnamed
        if any(c.dep_ == "prep" and c.lower_ == "for" for c in head.children):
            return None  # "the representative for the landlord" speaks for someone else
        if head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "nummod" for c in head.children):
            return None  # "the four councillors" are not the one councillor the article names
        word = textnorm.fold(lemma(head))
        if word in BODY_NOUNS:
            return None  # "the city" is no "City Attorney Ann Lee": a body, not a person
        modifiers = [t for t in _left_modifiers(head, set()) if t.dep_ != "det"]
        mod_words = {w for t in modifiers for w in textnorm.words(t.text)}
        norp = {w for t in modifiers if t.ent_type_ in ("NORP", "GPE", "ORG") for w in textnorm.words(t.text)}
        # a company or body by name, not a country ("the president of the United States" is "US President X")
        owners = {w for prep in head.rights if prep.dep_ == "prep" and prep.lower_ in ("of", "at")
                  for o in prep.children if o.dep_ == "pobj"
                  for t in o.subtree if t.ent_type_ == "ORG" for w in textnorm.words(t.text)}
        # "The chancellor" is no shadow or former chancellor, and "the deputy mayor" not the mayor:
        # the person must hold the title with exactly the qualifiers the description gives it.
        wanted = frozenset(mod_words & TITLE_QUALIFIERS)
        candidates = [p for p in self.persons.values() if word in p.titles
                      and (wanted in p.offices[word] if word in p.offices else not wanted)]
        if len(candidates) > 1:
            candidates = [p for p in candidates if mod_words <= p.titles | p.nationalities]
        if len(candidates) != 1:
            return None
        person = candidates[0]
        if norp and person.nationalities and not norp & person.nationalities:
            return None  # "the Russian president" is not "US President X", "the Iowa governor" not one of Nebraska
        theirs = (person.titles - ROLE_WORDS - TITLE_WORDS - TITLE_QUALIFIERS) | person.nationalities
        if owners and theirs and not owners & theirs:
            return None  # "the chief executive of Kelby Foods" is not "Harbourton Analytics Chief Executive X"
        return person


def _capitalised_title(subj) -> bool:
    """"the Chief Justice", "the Prime Minister": a title written as a name, after "the"."""
    words = [t for t in phrase_span(subj) if t.dep_ != "det"]
    return any(c.dep_ == "det" and c.lower_ == "the" for c in subj.children) and bool(words) and \
        all(textnorm.fold(t.text) in TITLE_WORDS or textnorm.fold(t.text) in ROLE_WORDS for t in words)


def word_gender(word: str) -> str | None:
    """"m" or "f" for a capitalised gendered honorific ("Mrs."; not the verb "miss")."""
    return GENDERED.get(textnorm.fold(word.rstrip("."))) if word[:1].isupper() else None


def name_gender(name: str) -> str | None:
    """The gender of the honorific a written name opens with ("the Mr. Smith"), if any."""
    words = [w for w in name.split() if w.lower() not in DETERMINERS]
    return word_gender(words[0]) if words else None


def honorific(toks):
    """A gendered honorific at the start of a name or just before it ("Mrs."), or None."""
    if not toks:
        return None
    first = toks[0]
    before = [first.doc[first.i - 1]] if first.i > 0 else []
    return next((t for t in [first, *before] if word_gender(t.text)), None)


def honorific_gender(toks) -> str | None:
    """"m" or "f" from the name's honorific."""
    found = honorific(toks)
    return word_gender(found.text) if found is not None else None


def _of_org_name(tok) -> bool:
    """A proper noun, a name's punctuation, or a small word inside a name ("Commission on Presidential Debates")."""
    return tok.pos_ == "PROPN" or tok.text in NAME_PUNCT + "/&" or (tok.pos_ in ("ADP", "DET", "CCONJ") and tok.is_lower)


def _not_of_name(tok) -> bool:
    """Punctuation the parser may hang on a name that is no part of it: a quotation mark or a comma."""
    return tok.is_punct and tok.text not in "-.'"


def name_span(tok) -> list:
    """A proper name around its head token: the compound chain, without what hangs off it."""
    toks = [tok]
    for child in tok.lefts:
        if child.dep_ in _NAME_DEPS and child.pos_ in ("PROPN", "PUNCT") and not _not_of_name(child):
            toks = [t for t in child.subtree if (t.dep_ in _NAME_DEPS or t == child) and not _not_of_name(t)] + toks
    if tok.ent_type_:
        ent = _entity(tok)
        if ent is not None:
            toks = sorted({*toks, *ent}, key=lambda t: t.i)
    return sorted(toks, key=lambda t: t.i)


def _entity(tok):
    """The entity holding `tok`, found from its IOB tags: `doc.ents` would build every entity
    of the paragraph on each call, quadratic in a long one."""
    if not tok.ent_type_:
        return None
    from spacy.tokens import Span

    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=tok.ent_type_)


def description_key(head) -> tuple[str, ...]:
    return key(_text(head.doc, [t for t in phrase_span(head) if t.dep_ != "det"]))


def mention_key(tok) -> tuple[str, ...]:
    """The name a token belongs to, without titles: "UN envoy Maria Costa" -> Maria Costa."""
    ent = _entity(tok)
    toks = list(ent) if ent is not None and ent.label_ == "PERSON" else name_span(tok)
    return key(_text(tok.doc, _name_tokens(toks)))


def _without_clauses(tok) -> list:
    """A phrase's words without the clauses inside it: "an executive at a large retailer, who
    asked not to be named" is an executive at a large retailer; "a spokesman for Barnes, Holt and
    Wren" keeps every name."""
    out = [tok]
    for c in tok.children:
        if c.dep_ not in ("relcl", "acl", "advcl", "appos"):
            out.extend(_without_clauses(c))
    return out


def phrase_span(head) -> list:
    """The subject as written: a description with its determiners and modifiers."""
    toks = [head]
    for child in head.lefts:
        if child.dep_ in _DESCRIPTION_DEPS:
            toks.extend(child.subtree)
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "at") or child.dep_ in ("case", "nummod"):
            toks.extend(_without_clauses(child))  # "the head of news", "the world number four"
    # A word joined to the head by a hyphen is one word with it, however parsed: "His co-defendant".
    doc, end = head.doc, head.i
    while end + 2 < len(doc) and doc[end + 1].text == "-" and not doc[end].whitespace_ \
            and not doc[end + 1].whitespace_ and doc[end + 2].is_alpha:
        toks.extend((doc[end + 1], doc[end + 2]))
        end += 2
    toks = sorted(set(toks), key=lambda t: t.i)
    while toks and toks[0].is_punct:  # a quote's closing mark the parser gave the description
        toks.pop(0)
    while toks and toks[-1].is_punct:
        toks.pop()
    return toks


def _age_of_old(tok) -> int | None:
    """N of an "N-year-old" headed by `tok` ("old")."""
    if tok.lower_ != "old":
        return None
    for c in tok.children:
        if c.lower_ in ("year", "years"):
            n = next((t for t in c.subtree if t.like_num and t.text.isdecimal()), None)
            if n is not None and 0 < int(n.text) < 120:
                return int(n.text)
    return None


def age_description(tok) -> int | None:
    """The age of a bare "the 24-year-old" standing for someone: the person the sentences
    before were about, if the article gives them that age. The parser may hang "old" on the
    verb as a modifier. With a noun ("the 24-year-old victim") it is a description like any other."""
    age = _age_of_old(tok)
    if age is None:
        return None
    sub = sorted(tok.subtree, key=lambda t: t.i)
    the = sub[0] if sub[0].lower_ == "the" else (tok.doc[sub[0].i - 1] if sub[0].i > 0 else None)
    return age if the is not None and the.lower_ == "the" else None


def according_subjects(source) -> list:
    """Names apposed to X of "according to X, …" that are the subject of the clause after it
    (the clause has none of its own): "according to her manager, Ines Reyes, 24, has not trained"
    reports the manager's words about Reyes."""
    if not (source.dep_ == "pobj" and source.head.lower_ == "to" and source.head.head.lower_ == "according"):
        return []
    if source.i > source.sent.root.i or subject_after(source):
        return []
    return [c for c in source.children if c.dep_ == "appos"]


def subject_after(tok) -> bool:
    """Whether the main clause of tok's sentence has a subject after it."""
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.i > tok.i for c in tok.sent.root.children)


class Resolver:
    """Turns the subject token of a cue into a Speaker, using the article's names."""

    def __init__(self, names: ArticleNames, in_quote=lambda tok: False):
        self.names = names
        self.in_quote = in_quote
        # "he" and "she" each name stands for, counted over a first pass (`count_pronouns`),
        # then read to drop the odd ones out.
        self._recording: dict[tuple[int, int], tuple[str, str]] | None = None  # pronoun -> (name, gender)
        self.genders: dict[str, dict[str, int]] = {}  # canonical name -> {"m": n, "f": n}
        self._first: dict[str, str] = {}  # the gender of the first pronoun that found the name

    def count_pronouns(self, first_pass) -> None:
        """Run `first_pass()` recording the name each "he" and "she" finds (once per pronoun),
        and keep the counts for the passes after it."""
        self._recording = {}
        try:
            first_pass()
            found = self._recording
        finally:
            self._recording = None
        for name, gender in found.values():
            self.genders.setdefault(name, {"m": 0, "f": 0})[gender] += 1
            self._first.setdefault(name, gender)

    def speaker(self, subj, earlier_topics: list[str | None]) -> Speaker | None:
        """A person, an organisation or a description of one; never a place, a date, a heading,
        a document (its writer instead) or Slack markup."""
        found = self._speaker(subj, earlier_topics)
        if found is None or any(c in _MARKUP for c in found.as_written) or found.as_written.startswith("!"):
            return None
        return found

    def _speaker(self, subj, earlier_topics: list[str | None]) -> Speaker | None:
        doc = subj.doc
        if subj.lower_ in RELATIVE_PRONOUNS and subj.head.dep_ == "relcl":
            who = subj.lower_ in ("who", "whom")
            subj = subj.head.head  # "Ann Lee, who called it ..." speaks through the antecedent
            if who and subj.dep_ == "pobj" and subj.ent_type_ != "PERSON" and subj.head.dep_ == "prep" \
                    and subj.head.head.pos_ in ("NOUN", "PROPN"):
                subj = subj.head.head  # "Democrats on Capitol Hill, who argued": the people, not the place
            if not who and subj.ent_type_ != "PERSON" and subj.dep_ == "pobj" and (
                    subj.ent_type_ in ("GPE", "LOC", "FAC") or subj.head.lower_ in _WHERE):
                # "Harbourton Books, a small press based in Eastfield, which said": the press, not the town
                up = subj
                while up.dep_ in ("pobj", "prep", "acl") and up.head.i != up.i:
                    up = up.head
                    if up.pos_ in ("NOUN", "PROPN") and up.ent_type_ not in ("GPE", "LOC", "FAC"):
                        subj = up.head if up.dep_ == "appos" and up.head.pos_ == "PROPN" else up
                        break
            if not who and a_thing(subj):
                return None
        if _parenthesised(subj):
            return None  # "(D-Newport News)" is a party and a district, not a speaker
        if _dateline(subj) or subj.ent_type_ in PLACE_OR_TIME and subj.pos_ == "PROPN" and subj.text.isupper():
            return None
        age = age_description(subj)
        if age is not None:  # "the 24-year-old" stands for a name, as "he" does (and is no date)
            sub = sorted(subj.subtree, key=lambda t: t.i)
            first = sub[0].i if sub[0].lower_ == "the" else sub[0].i - 1
            found = self._pronoun(subj, earlier_topics)
            if found is not None and age not in self.names.ages.get(key(found), ()):
                found = None  # someone else, or an age the article never gave them
            return Speaker(doc[first:sub[-1].i + 1].text, found, person=True)
        if subj.ent_type_ in ("DATE", "TIME"):
            return None
        if a_document(subj):
            return self._writer(subj, earlier_topics)
        document = _addressed_by(subj)
        if document is not None:
            return self._writer(document, earlier_topics)  # the parser made the recipient the subject
        if subj.pos_ == "PRON":
            quoted = subj.dep_ == "dobj" and subj.lower_ in _OBJECT_FORMS  # "Reuters quoted him as saying"
            if subj.lower_ not in PERSONAL_PRONOUNS and not quoted:
                return None
            return Speaker(subj.text, self._pronoun(subj, earlier_topics), person=True)

        if any(c.dep_ == "conj" for c in subj.children):
            toks = sorted(subj.subtree, key=lambda t: t.i)
            return Speaker(_text(doc, toks), None)  # several speakers at once: none resolved
        # Not for a plural subject ("The protesters, supporters of …, X,") or another's name.
        plural = subj.tag_ in ("NNS", "NNPS")
        appos = [a for a in _apposed_people(subj) if not plural and not _of_someone_before(subj, a)]
        if appos and (subj.pos_ != "PROPN" or textnorm.fold(subj.text) in ROLE_WORDS) and not according_subjects(subj):
            subj = appos[0]  # "the prime minister, Jane Smith, said", "the Harbourton MP, Tomas Berg, said"
        if subj.pos_ == "PROPN" or subj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            if _capitalised_title(subj):  # "the Chief Justice observed": the one the article calls so
                person = self.names.person_for_description(subj)
                if person is not None:
                    return Speaker(_text(doc, phrase_span(subj)), person.display, person=True)
            return self._named(subj)
        if subj.pos_ == "NOUN":
            toks = phrase_span(subj)
            while len(toks) > 1 and toks[-1].text in _POSSESSIVE:  # "the governor's announcement": the governor
                toks = toks[:-1]
            written = _text(doc, toks)
            person = self.names.person_for_description(subj)
            if person is not None:
                return Speaker(written, person.display, person=True)
            org = self.names.organisation_for(subj)
            if org is not None:
                return Speaker(written, org)
            return Speaker(written, _description(written, proper=False))
        return None

    def _writer(self, document, earlier_topics) -> Speaker | None:
        """Who wrote an email, memo, letter or report: "Tanden's email", "a Homeland Security memo",
        "an email from X". The recipient ("an email to John Podesta") never is."""
        for child in document.children:
            if child.dep_ == "poss" and child.ent_type_ not in ("DATE", "TIME"):  # not "Friday's announcement"
                return self._speaker(child, earlier_topics)
        for child in document.children:
            if child.dep_ == "prep" and child.lower_ in ("from", "by"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return self._speaker(pobj, earlier_topics)
        # The rightmost compound heads the name: "a Denver Post/KTV News poll" is the pollsters', not Denver's.
        for child in reversed(list(document.lefts)):
            if child.dep_ == "compound" and child.ent_type_ in ("PERSON", "ORG"):
                return self._named(child)
        return None

    def _named(self, tok) -> Speaker:
        doc = tok.doc
        toks = name_span(tok)
        written = _text(doc, [t for t in toks if t.text not in _POSSESSIVE])
        mention = mention_key(tok)
        if self.names.shared_surname(mention):  # a man and a woman of this name: the honorific tells
            title = honorific(toks)
            if title is None:
                return Speaker(written, None, person=True)  # "Smith said": which one?
            return Speaker(written, f"{title.text} {_text(doc, _name_tokens(toks))}", person=True)
        person = self.names.person_for(mention)
        if person is None and len(mention) > 1 and mention[0] in ORGANISATION_TITLES:
            person = self.names.person_for(mention[1:])  # "General Okafor", a person elsewhere in the article
        if person is not None:
            return Speaker(written, person.display, person=True)
        if (tok.ent_type_ == "PERSON" or any(t.ent_type_ == "PERSON" for t in toks)) \
                and not self.names.a_company(mention):
            return Speaker(written, None, person=True)  # a short name shared by several people
        if _after_honorific(tok):  # "Cllr Ines Reyes", read by the recogniser as a body
            return Speaker(written, _text(doc, _name_tokens(toks)), person=True)
        # A proper name the entity recogniser missed, or an organisation: no titles or role nouns.
        # The whole name the entity recogniser found: the parser may hang parts of "Denver
        # Post/KTV News" apart. Only a proper name: its spans can run into the verb.
        ent = list(_entity(tok) or ()) if tok.ent_type_ == "ORG" else []
        while ent and not any(c.isalnum() for c in ent[0].text):  # "― Marta Ferreira": a dash, a space
            ent.pop(0)
        if not ent or not (ent[0].pos_ == ent[-1].pos_ == "PROPN" and all(_of_org_name(t) for t in ent)):
            ent = []
        toks = sorted({*phrase_span(tok), *ent}, key=lambda t: t.i)
        return Speaker(written, _description(_text(doc, _name_tokens(toks)), proper=True))

    def _pronoun(self, pron, earlier_topics: list[str | None]) -> str | None:
        """Who "he" or "she" is; never a name the article's other pronoun stands for more often
        (a bare surname the recogniser missed may have come between: "Holt, now a commentator,
        …. She said" is not the coach "he" was)."""
        found = self._antecedent(pron, earlier_topics)
        gender = _PRONOUN_GENDERS.get(_OBJECT_FORMS.get(pron.lower_, pron.lower_))
        if found is None or gender is None:
            return found
        honorifics = self.names.genders.get(key(found)[-1:], set())  # "Mr Vance": he, never she
        if len(honorifics) == 1:
            return found if gender in honorifics else None
        if self._recording is not None:
            self._recording.setdefault((id(pron.doc), pron.i), (found, gender))
            return found
        votes = self.genders.get(found, {"m": 0, "f": 0})
        other = votes["f" if gender == "m" else "m"]
        if other > votes[gender] or (other == votes[gender] and other and self._first.get(found) != gender):
            return None  # "she" for a name "he" stood for more often (or first): someone else
        return found

    def _antecedent(self, pron, earlier_topics: list[str | None]) -> str | None:
        # Cataphora: "Although he stressed ..., Smith said" is about Smith.
        clause = pron.head
        root = pron.sent.root
        if clause.dep_ == "advcl" and clause.head == root and clause.i < root.i:
            subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.i > pron.i and subj.pos_ != "PRON":
                found = self.speaker(subj, [])
                return found.canonical if found and found.person else None
        # "Sen. Claire McCaskill scolded him: “…,” she said": the one person named before it in its sentence.
        named = {ent.root.i: ent for ent in pron.sent.ents if ent.label_ == "PERSON" and ent.end <= pron.i
                 and not self.in_quote(ent.root) and not _addressed_before(ent.root, pron)}
        people = {self._named(ent.root).canonical for ent in named.values()}
        if len(people) == 1 and None not in people:
            return people.pop()
        if people:
            return None  # several people in the sentence: "he" may be any of them
        if any(t.pos_ == "PROPN" and not t.ent_type_ and not self.in_quote(t) for t in pron.sent if t.i < pron.i):
            return None  # a name the recogniser missed ("Oz’s advice earned him…, where he…") may be the one
        for topic in reversed(earlier_topics[-PRONOUN_LOOKBACK:]):
            if topic is AMBIGUOUS:
                return None
            if topic:
                return topic
        return None

    def topic(self, sent, quoted: set[int]) -> str | None:
        """The person a sentence is about: its subject, else the only person it names."""
        root = sent.root
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.i not in quoted and subj.pos_ != "PRON":
            found = self.speaker(subj, [])
            if found and found.person and found.canonical:
                return found.canonical
            if any(c.dep_ == "poss" for c in subj.children):
                return AMBIGUOUS  # "Tom Reed's aide left": "he" may be either
            if subj.text[:1].isupper() and subj.pos_ not in ("NOUN", "PROPN", "DET", "NUM") and not subj.ent_type_:
                # a surname the tagger took for a verb ("Stumble, who coaches at Eastfield, hugged Berg"):
                # the person of that name, not the one named after it ("Most of his players" is no one's)
                person = self.names.person_for(key(subj.text))
                if person is not None:
                    return person.display
        people = set()
        for ent in sent.ents:
            if ent.label_ == "PERSON" and ent.start not in quoted:
                found = self._named(ent.root)
                people.add(found.canonical or AMBIGUOUS)
        if not people:  # a person's name as the subject, which the recogniser took for something else ("Quinn bristles at")
            for tok in sent:
                if tok.pos_ == "PROPN" and tok.i not in quoted and tok.ent_type_ in ("", "ORG", "NORP") \
                        and (tok.dep_ in ("nsubj", "nsubjpass") or tok.i == sent.start) \
                        and self.names.anyone_named(mention_key(tok)):  # two Quinns: either
                    people.add(self._named(tok).canonical or AMBIGUOUS)
        if len(people) == 1:
            return people.pop()
        return AMBIGUOUS if people else None


def _addressed_before(name, pron) -> bool:
    """Whether a name is spoken to or about in a phrase before the pronoun that the pronoun's own
    verb governs: "Speaking to the Gazette, she said", "After meeting Lee, he said"."""
    if name.dep_ not in _OBJECTS or name.dep_ == "pobj" and name.head.lower_ == "by":
        return False  # "In a video posted by Ann Lee, she said": the agent may well be "she"
    tok, verb = name, pron.head.i
    while tok.head.i != tok.i and tok.head.i != verb:
        tok = tok.head
    return tok.head.i == verb and tok.dep_ in ("advcl", "prep", "npadvmod") and tok.i < pron.i


def _of_someone_before(subj, name) -> bool:
    """Whether a name set off after the subject may be another person's that the subject's phrase
    names first: "The mother of the dead boy, Jack Fenwick," (the boy?), "A spokeswoman for the
    family of the victim, Peter Grange,". A body or a field ("the chief executive of the
    charity, Moira Quinn,", "the minister of the economy, X,") has no such name."""
    return any(t.dep_ == "pobj" and t.i != subj.i and t.i < name.i and t.pos_ == "NOUN"
               and (textnorm.fold(lemma(t)) in ROLE_WORDS or textnorm.fold(lemma(t)) in PERSON_NOUNS)
               for t in subj.subtree)


_OF_A_BODY = frozenset("of at for from with".split())  # "a spokesman for the union", "an analyst at the bank"


def _after_honorific(tok) -> bool:
    """A proper name after an honorific ("Cllr Ines Reyes"), whatever the recogniser calls it."""
    return tok.pos_ == "PROPN" and any(t.dep_ == "compound" and _is_honorific(t) for t in tok.lefts)


def _apposed_people(tok, depth: int = 2) -> list:
    """People set off beside a noun, directly, through another apposition or after the company
    a role is of: "the jury president, the actor Daniel Ambrose,"; "Outside court, the chief
    executive, Moira Quinn," (the parser took the fronted phrase for the subject)."""
    found = []
    for c in tok.children:
        if c.dep_ == "appos":
            if c.ent_type_ == "PERSON" or _after_honorific(c):
                found.append(c)
            elif depth > 1 and c.tag_ == "NN" and _role_noun(c):  # "the actor", "the chief executive"
                found += _apposed_people(c, depth - 1)
        elif c.dep_ == "prep" and c.lower_ in _OF_A_BODY and (_role_noun(tok) or tok.tag_ == "NN"):
            # "The chief executive of Oakhollow Homes, Adele Fox,", "A junior at Westhaven High
            # School, Ava Simmons,": a company or a school has no apposed person.
            found += [a for o in c.children if o.dep_ == "pobj" and o.ent_type_ in ("ORG", "GPE", "NORP", "FAC")
                      for a in o.children if a.dep_ == "appos" and a.ent_type_ == "PERSON"]
    return found


def a_document(tok) -> bool:
    """A common noun for a document or message (lexicon.DOCUMENT_NOUNS): its words are its writer's."""
    if tok.pos_ != "NOUN":
        return False
    if tok.lower_ in PLURAL_DOCUMENT_NOUNS:  # "council figures", not "senior party figures"
        return not any(c.dep_ in ("amod", "compound") and c.lower_ in _PEOPLE_FIGURES for c in tok.children)
    return textnorm.fold(lemma(tok)) in DOCUMENT_NOUNS


def a_thing(tok) -> bool:
    """A common noun for a thing that says nothing (lexicon.THING_NOUNS): what a "which" stands
    for in "he died of brain cancer, which confirmed ..."."""
    return tok.pos_ == "NOUN" and not tok.ent_type_ and textnorm.fold(lemma(tok)) in THING_NOUNS


def _addressed_by(tok):
    """The document a name is the recipient of: "Tanden's email to [John Podesta] said"."""
    first = name_span(tok)[0]
    doc = tok.doc
    while first.i > 0 and doc[first.i - 1].pos_ == "PROPN":
        first = doc[first.i - 1]  # the parser may cut the name, and even the sentence, in two
    if first.i == 0 or doc[first.i - 1].lower_ not in ("to", "for"):
        return None
    if first.i > 1 and doc[first.i - 2].lower_ == "according":
        return None
    before = list(doc[max(first.sent.start, first.i - 8):first.i - 1])  # "… a warrant. According to police": no
    documents = [t for t in before if a_document(t)]
    return documents[-1] if documents else None


def _parenthesised(tok) -> bool:
    sent = tok.sent
    before = [t.text for t in sent if t.i < tok.i and t.text in "()"]
    return bool(before) and before[-1] == "("


def _dateline(tok) -> bool:
    """"WASHINGTON —" or "LONDON (Reuters) -" opening a paragraph is where, not who."""
    doc = tok.doc
    if tok.i > 3 or not tok.text[:1].isupper():
        return False
    following = doc[tok.i + 1:tok.i + 6]
    return any(t.text in ("—", "–", "-", "--") for t in following) and tok.text.isupper()


AMBIGUOUS = "\0ambiguous"  # a sentence about several people: pronouns after it stay unresolved


def _description(written: str, proper: bool) -> str:
    """Canonical form of an organisation or description: as written, its article in lower case,
    or dropped before a proper name ("The Kremlin" and "the Kremlin" are one speaker)."""
    words = written.split(" ", 1)
    if len(words) == 2 and words[0].lower() in DETERMINERS:
        return words[1] if proper else f"{words[0].lower()} {words[1]}"
    return written
