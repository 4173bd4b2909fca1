"""What the user asked: the intent, quoted phrases, the person and the topic."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import textnorm
from ..errors import InputError
from ..quotes.lexicon import BODY_NOUNS, ROLE_WORDS
from .outcomes import asks_outcome

MAX_QUESTION_CHARS = 4000

WHO_SAID, QUOTES_BY, SEARCH, CHECK = "who_said", "quotes_by", "search", "check"

# A quoted phrase: any opening mark after a space or the start, any closing mark before a
# space, punctuation or the end. Apostrophes inside words ("Kim's") never open a phrase.
_PHRASE = re.compile(r"""(?:^|(?<=[\s(\[:,;]))["“”‘’'«„‹](?P<p>[^"“”«»„]+?)["“”‘’'»‹›](?=$|[\s).,?!:;\]])""")

# `check “words” [person]`: the person may follow "by", "from" or "attributed to".
_CHECK = re.compile(r"^check\b[\s:,]*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_CHECK_PERSON_LEAD = re.compile(r"^(?:(?:said |attributed )?(?:by|from|to)\s+)", re.IGNORECASE)
CHECK_USAGE = 'usage: check “the words” [person], e.g. check “a historic mistake” Mayor Reyes'
WHO_USAGE = 'who said what? Put the words in quotes, e.g. who said "a historic mistake"'

# Said on the record, in both lists below: "who testified that …", "who made the line about …".
_ON_RECORD = (r"(?:is|was) quoted (?:as )?saying|testified|testifies|gave evidence|"
              r"(?:made|used|coined) the (?:line|remark|comment|quip|joke|crack)(?: about)?")
_SPEECH = (r"said|says|say|stated|wrote|writes|called|told|tells|described|claimed|warned|declared|"
           r"added|mentioned|promised|insisted|argued|urged|stressed|used the (?:words?|phrase)|" + _ON_RECORD)
# Verbs of saying that ask about what someone said, in any words: "who warned that ...".
# Authorship ("who wrote the feature") asks for a passage, not a speaker; "who wrote that …" asks who said it.
_SAYING = (r"said|says|say|stated|states|told|tells|called|calls|described|describes|claimed|claims|"
           r"warned|warns|declared|declares|added|mentioned|promised|promises|insisted|insists|argued|argues|"
           r"urged|urges|stressed|admitted|admits|joked|jokes|pointed out|points out|hinted|hints|mocked|mocks|"
           r"complained|complains|recalled|recalls|suggested|suggests|predicted|predicts|vowed|vows|pledged|"
           r"accused|accuses|criticized|criticised|praised|praises|blasted|slammed|denied|denies|asked|asks|"
           r"(?:wrote|writes) that(?= (?:the|a|an|he|she|it|they|we|i|you|his|her|their|its|our|there|(?-i:[A-Z])))|"
           r"noted|notes|remarked|explained|explains|tweeted|posted|replied|responded|defended|dismissed|"
           r"questioned|compared|likened|labell?ed|branded|dubbed|acknowledged|conceded|confirmed|boasted|"
           r"bragged|lamented|asserted|maintained|contended|quipped|wondered|cautioned|threatened|announced|"
           r"condemned|condemns|objected|objects|expects|expected|believes|believed|hailed|"
           r"disputed|disputes|reckons|reckoned|apologi[sz]ed|"
           r"ridiculed|derided|(?:played|plays) down|downplayed|fumed|raged (?:at|that)|(?:was|were|is) (?:fuming|furious|adamant)|"
           r"grumbled|grumbles|sneered|sneers|scoffed|scoffs|(?:owned|owns|fessed) up(?: to)?|griped|moaned|"
           r"(?:protested|pleaded|snapped|observed|revealed|disclosed|recounted) that|demanded|demands|retorted|"
           r"(?:hit|hits|lashed|lashes) out(?: at)?|railed(?: against)?|"
           r"took (?:aim|a swipe) at|mused|reflected|reiterated|emphasi[sz]ed|"
           r"welcomed|thanked|worried|worries|fretted|frets|feared|fears|dared|dares|reassured|reassures|"
           r"needled|taunted|chided|scolded|rebuked|berated|chastised|"
           # "who thought Orbit was pricing its shares cheap": a view, not "who thought of the name"
           # nor "who felt the earthquake that was reported"
           r"(?:thought|thinks|felt|feels|suspected|suspects)(?= (?:that )?(?:(?!(?:that|which|who)\b)[\w'’-]+ ){1,3}?"
           r"(?:was|were|is|are|had|would|could|should|will)\b)|"
           r"(?:pushed|pushes|hit|hits) back (?:on|at|against)|(?:brushed|brushes|shrugged|shrugs) (?:off|aside)|"
           r"(?:poured|pours) cold water on|(?:cast|casts) doubt on|(?:sounded|sounds) (?:the|an) alarm (?:about|over|on|that)|"
           r"(?:spoke|speaks) out|rubbished|(?:voiced|voices) (?:concerns?|fears|doubts|support|opposition|frustration|anger)|"
           r"(?:raised|raises) (?:concerns?|fears|doubts|questions)|"
           r"(?:rejected|rejects) (?:the|a|any) (?:idea|suggestion|claim|notion|accusation|criticism|charge)s?|"
           r"(?:used|uses) (?:a|an|the) (?:metaphor|analogy|image|comparison)|"
           r"(?:talked|talks|spoke|speaks) (?:about|of)|referred to|used the (?:words?|phrase)|"
           + _ON_RECORD)
# In a search, whose words it asks about: "which budget rule did retired Gen. Ann Lee say ...", "per Lee, ...".
_SAY = (r"say|claim|tell|call|describe|warn|promise|pledge|vow|admit|argue|insist|suggest|predict|accuse|"
        r"deny|announce|reveal|mention|declare|blame|praise|criticize|criticise|urge|concede|boast")
_SAID_BY = re.compile(rf"\b(?:did|does|do)\s+(?P<person>[^?,;:]{{2,60}}?)\s+(?:{_SAY})\b", re.IGNORECASE)
_ACCORDING = re.compile(r"according to\s+(?P<person>[^?,;:()]{2,40}?)"
                        r"(?=\s*(?:[,?;:)]|$|\s(?:who|what|when|where|why|how|did|does|is|was)\b))", re.IGNORECASE)
# "per" only where it opens a clause ("per Lee, ...", "..., per the county?"): "cost per student" is no source.
_PER = re.compile(r"(?:^|[,;(]\s*)per\s+(?P<person>[^?,;:()]{2,40}?)"
                  r"(?=\s*(?:[,?;:)]|$|\s(?:who|what|when|where|why|how|did|does|is|was)\b))", re.IGNORECASE)
# "which senator said …", or the role first: "campaigner who said …", "the Harbourton coach who joked …".
# A word of a role put first ("campaigner", "Harbourton coach"): not one that opens a question.
_ROLE_WORD = (r"(?!(?:who|what|which|whose|when|where|why|how|name|names|of|is|was|are|were|did|does|do|"
              r"has|have|had|will|would|can|could|should|shall|may|might|must|list|show|find|tell|give|me|about)\b)"
              r"[\w.'’&-]+\s+")
_ASKER = (r"(?:who(?:\s+(?:at|from)\s+(?!(?:least|first|last|once|times|one point|the time)\b)(?P<org>(?:[\w.'’&-]+\s+){1,4}?))?|which\s+(?P<role>(?:(?!(?:did|does|do|has|have|had|will|would)\b)[\w.'’&-]+,?\s+){1,5}?)|"
          rf"(?:who(?:['’]s|\s+(?:was|is|were))\s+)?(?:(?:the|a|an)\s+)?(?P<role_first>(?:{_ROLE_WORD}){{1,6}}?)who)")
_WHO_SAID = re.compile(rf"^(?:who|which (?:\w+ ){{0,2}}?(?:person|official|leader|minister|one))\s+(?:{_SPEECH})\b[\s:,]*(?P<rest>.*)$",
                       re.IGNORECASE | re.DOTALL)
_WHO_SAYING = re.compile(rf"^{_ASKER}\s*(?:(?:has|had|have|did)\s+)?(?:\w+ly\s+)?(?P<verb>{_SAYING})\b[\s:,]*(?P<rest>.*)$",
                         re.IGNORECASE | re.DOTALL)
# Someone described, then what they did in the asker's words: "the baker who cried in the
# fridge", "the head whose pupils sat their mocks in a leaking classroom". A search, unless
# one quote clearly tells it in the speaker's own words (Engine.ask).
_DESCRIBED = re.compile(
    rf"^(?:(?:the|a|an)\s+)?(?P<role>(?:{_ROLE_WORD}){{1,6}}?)"
    r"(?:who(?:['’](?:d|s|ve))?|whose)\s+(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL)
# Past forms that end in neither -ed nor -s: a verb after "who" or "which <role>".
_IRREGULAR_PAST = ("(?:put|set|made|won|lost|found|told|gave|went|took|sent|ran|led|left|paid|bought|sold|brought|"
                   "kept|held|spent|wrote|broke|began|built|came|cut|fought|got|hit|hurt|let|met|quit|rode|rose|"
                   "saw|sat|shut|spoke|stood|stole|struck|swore|taught|thought|threw|wore|withdrew|drove|flew|fell)")
# Who did something, in the asker's words: "who put her husband's dinner in the oven", "which
# lawmaker wants $10 million for the fund". A search, unless one quote clearly tells it in the
# speaker's own words (Engine.ask); not "who is …", "who has …", which ask for a fact.
_WHO_DID = re.compile(
    rf"^(?:who\s+|which\s+(?P<role>(?:{_ROLE_WORD}){{1,3}}?))"
    r"(?!(?:is|was|are|were|will|would|can|could|should|has|have|had|did|does|do|be|been|being|to|of|in|at)\b)"
    rf"(?P<rest>(?:[a-z][\w'’-]*(?:ed|s)|{_IRREGULAR_PAST})\s+(?!(?:\S+\s+){{0,3}}(?:did|does|do)\b)\S.*)$", re.DOTALL)
# Deeds a passage tells of someone, and posts held ("who won the cup", "who killed him", "who
# runs the trust"): a fact to search for, which a quote by whoever tells of it would not answer.
_FACT_DEED = re.compile(r"(?:won|wins|lost|beat|defeated|scored|owns|owned|runs|ran|holds|held|leads|led|heads|"
                        r"chairs|manages|coaches|replaced|replaces|succeeded|killed|murdered|stabbed|shot|stole|"
                        r"attacked|robbed|assaulted|hit|injured|founded|bought|sold)\b", re.IGNORECASE)
# The verb in lower case: "what did Said say about Orientalism" names Edward Said.
_NOBODY_SAID = re.compile(r"^(?i:what\s+(?:did|does|has|have|had))\s+(?:say|said|tell|told)\b")
WHOSE_USAGE = "whose words? Name someone, e.g. what did the mayor say about the budget"
_QUOTES_BY = [
    re.compile(r"^what\s+(?:did|does|has|have|had)\s+(?P<person>.+?)\s+"
               r"(?:say|said|tell|told|claim|claimed|think|state|stated|announce|announced|promise|promised|warn)"
               r"(?:\s+(?:about|on|regarding|of|concerning)(?:\s+(?P<topic>.+?))?)?[\s?.!]*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^(?:what|quotes)\s+(?:by|from)\s+(?P<person>.+?)(?:\s+(?:about|on)(?:\s+(?P<topic>.+?))?)?[\s?.!]*$",
               re.IGNORECASE | re.DOTALL),
    re.compile(r"^(?:show\s+(?:me\s+)?)?(?:quotes|statements|comments)\s+(?:by|from|of)\s+(?P<person>.+?)"
               r"(?:\s+(?:about|on)(?:\s+(?P<topic>.+?))?)?[\s?.!]*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^what\s+(?P<person>[^?]+?)\s+(?:said|says)(?:\s+(?:about|on)(?:\s+(?P<topic>.+?))?)?[\s?.!]*$",
               re.IGNORECASE | re.DOTALL),
]


@dataclass
class Question:
    text: str
    intent: str = SEARCH
    phrases: list[str] = field(default_factory=list)
    person: str | None = None
    topic: str | None = None
    quoted: bool = False  # the asked words were in quotation marks
    member: bool = False  # "who at <org> said": someone there, not the body itself
    role: str | None = None  # "which <role> said ...": who the speaker is said to be
    said: str | None = None  # what a who question says was said, in the asker's words

    @property
    def paraphrase(self) -> str:
        """What a who question asks about, to match in meaning: the words after the cue verb."""
        return self.said or self.phrase or self.text

    @property
    def phrase(self) -> str | None:
        return self.phrases[0] if self.phrases else None

    @property
    def search_text(self) -> str:
        """The words to retrieve passages with."""
        if self.intent == WHO_SAID and self.phrase:
            return self.phrase
        if self.intent == QUOTES_BY:
            return self.topic or self.person or self.text
        return self.text


def quoted_phrases(text: str) -> list[str]:
    return [m.group("p").strip() for m in _PHRASE.finditer(text) if m.group("p").strip()]


def _typed(text: str | None) -> str:
    """What a user typed, without invisible characters and with any lone surrogate as U+FFFD."""
    return textnorm.scrub(textnorm.visible(text or ""))


def check_question(words: str, person: str | None = None, text: str | None = None) -> Question:
    """A `check` of `words`, optionally against a person (bad input raises InputError)."""
    words = " ".join(_typed(words).split()).strip("\"“”‘’'«»„ ")
    person = " ".join(_typed(person).split()) or None
    if not textnorm.words(words):
        raise InputError(CHECK_USAGE)
    if len(words) > MAX_QUESTION_CHARS:
        raise InputError(f"quote too long: {len(words):,} characters (the limit is {MAX_QUESTION_CHARS:,})")
    text = text or f"check “{words}”" + (f" {person}" if person else "")
    return Question(text, CHECK, [words], person=person)


def _check(text: str, rest: str) -> Question:
    m = _PHRASE.search(rest)
    if m is None:
        return check_question(rest, text=text)
    person = _CHECK_PERSON_LEAD.sub("", rest[m.end():].strip(" ,;:.?!-—"))
    return check_question(m.group("p"), person.strip(" ,;:.?!") or None, text=text)


_NAMING = {"called", "calls", "described", "describes", "dubbed", "labelled", "labeled", "branded"}


def _said(m: re.Match, bare: str) -> str:
    """What was said, for matching by meaning: the words after the cue verb, without it. The
    verb is the asker's frame ("warned", "joked"), seldom the speaker's word, and it pulls the
    match towards quotes that use it."""
    verb = (m.groupdict().get("verb") or "").lower()
    if verb in _NAMING:  # "who called it a sacred battle": the label is what was said
        return re.sub(r"^(?:it|this|that|them|him|her|these|those)\s+(?:as\s+)?", "", bare, flags=re.IGNORECASE) or bare
    return bare


def _plural(word: str) -> bool:
    """"people who lost their homes" asks about many: a search, not who said it."""
    word = word.lower()
    return word in ("people", "children", "men", "women", "folk", "staff") or (word.endswith("s") and not word.endswith("ss"))


def _someone(word: str) -> bool:
    """"which lawmaker", "which dad", "which union": a person or a body, one of them; not
    "which wildfire", nor "which councillors" (many)."""
    word = textnorm.fold(word)
    return not _plural(word) and (word in ROLE_WORDS or word in BODY_NOUNS or word in ("dad", "mum", "mom") or
                                  word.endswith(("er", "or", "ist", "ian", "man", "woman", "ent")))


def _too_common(phrase: str) -> bool:
    """One word that nearly every article holds: a letter, or a word like "the" or "said"."""
    words = textnorm.words(phrase)
    return len(words) == 1 and (len(words[0]) < 2 or textnorm.fold(words[0]) in textnorm.STOPWORDS)


_NOT_A_ROLE = frozenset("""day time date year month week price cost amount number kind sort type happened reason
    way place share rate age size""".split())
_WHAT_ROLE = re.compile(r"^what\s+(?!(?:the|a|an|his|her|their|its|our|my|your|this|that|these|those)\b)(?-i:[a-z])",
                        re.IGNORECASE)


def _what_role_said(text: str) -> re.Match | None:
    """"what analyst said the seat would fall" asks who said it, as "which analyst" does; not
    "what Lee said about the budget" (their quotes) nor "what people said"."""
    if not _WHAT_ROLE.match(text):
        return None
    m = _WHO_SAYING.match("which" + text[4:])
    role = (m.group("role") or "").strip(" ,") if m else ""
    words = role.split()
    # one or two words that name a kind of person: not "what day the council said …"
    if not 1 <= len(words) <= 2 or role != role.lower() or not (_someone(words[-1]) or words[-1] in ROLE_WORDS) \
            or words[0] in _NOT_A_ROLE or not textnorm.words(m.group("rest")) \
            or re.match(r"(?:about|on|regarding)\b", m.group("rest"), re.IGNORECASE):
        return None
    return m


def parse(raw: str) -> Question:
    text = " ".join(_typed(raw).split())
    if not text:
        raise InputError("empty question: ask something, e.g. who said \"sacred battle\"")
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(f"question too long: {len(text):,} characters (the limit is {MAX_QUESTION_CHARS:,})")
    m = _CHECK.match(text)
    if m:
        return _check(text, m.group("rest"))
    phrases = quoted_phrases(text)
    m = _WHO_SAYING.match(text) or _WHO_SAID.match(text) or _what_role_said(text)
    if m:
        rest = m.group("rest").strip()
        if not textnorm.words(rest):  # `who said ""`, or `who said` alone: no words to look for
            raise InputError(WHO_USAGE)
        bare = re.sub(r"^(?:that|the words?|the phrase)(?:\s+|$)", "", rest.strip(" ?!.,;:"),
                      flags=re.IGNORECASE).strip(" ?!.,;:")
        if rest and not textnorm.words(bare) and not phrases:  # "who warned that": warned what?
            raise InputError(WHO_USAGE)
        # "which analyst said", "campaigner who said", "who at Harbourton Foods said" (its people)
        role = (m.groupdict().get("role") or m.groupdict().get("role_first") or m.groupdict().get("org")
                or "").strip() or None
        if phrases and all(_too_common(p) for p in phrases):  # who said "a": everyone did
            raise InputError(f"“{phrases[0]}” is too common a word to look for: quote more of what was said, "
                             "e.g. who said \"a historic mistake\"")
        member = bool(m.groupdict().get("org"))
        if phrases:
            return Question(text, WHO_SAID, phrases, quoted=True, role=role, member=member)
        if bare and m.re is _WHO_SAYING:
            said = _said(m, bare)  # also the words looked for verbatim: "who called it X" looks for X
            return Question(text, WHO_SAID, [said], role=role, said=said, member=member)
        # Unquoted "who wrote the feature on ..." asks who the author is: a passage answers it.
    if _NOBODY_SAID.match(text):  # "what did  say": the name is missing
        raise InputError(WHOSE_USAGE)
    for pattern in _QUOTES_BY:
        m = pattern.match(text)
        if m and not quoted_phrases(m.group("person")):
            person = m.group("person").strip(" ,")
            topic = (m.group("topic") or "").strip(" ?!.,") or None
            if not textnorm.words(person):  # what did "" say
                raise InputError(WHOSE_USAGE)
            if person and len(person.split()) <= 6:
                return Question(text, QUOTES_BY, phrases, person=person, topic=topic)
    said_by = _SAID_BY.search(text) or _ACCORDING.search(text) or _PER.search(text)
    described = _DESCRIBED.match(text)
    if described and not phrases and not _plural(described.group("role").split()[-1]):
        return Question(text, SEARCH, phrases, role=described.group("role").strip(),
                        said=described.group("rest").strip(" ?!.,;:"))
    did = _WHO_DID.match(text[:1].lower() + text[1:])
    if did and not phrases and (not did.group("role") or _someone(did.group("role").split()[-1])) \
            and not _FACT_DEED.match(did.group("rest")) and not asks_outcome(text):
        return Question(text, SEARCH, phrases, role=(did.group("role") or "").strip() or None,
                        said=did.group("rest").strip(" ?!.,;:"))
    return Question(text, SEARCH, phrases, person=said_by.group("person").strip() if said_by else None)
