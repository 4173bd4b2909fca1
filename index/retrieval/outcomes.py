"""Questions about how something turned out, and passages that cannot say.

"Who won the final?", "was she found guilty?", "who replaced him?" ask for an outcome. A
passage written before it ("the final is scheduled for Saturday", "she was charged with
manslaughter", "the chief executive said on Tuesday") can match every word of the topic and
still not answer. `unreported` reads the passage's sentence that holds most of the question's
terms, and the passage around it for an outcome it reports, and says why it does not answer, so
that the engine declines and shows it as the closest (unless another shown passage tells it).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import textnorm
from ..sources.chunking import sentence_spans

# How something turned out: a result, a vote, a verdict, a choice, a departure.
_DEPARTING = (r"step(?:ped|s|ping)? down|st(?:ood|and|ands|anding) down|resign\w*|quit(?:s|ting)?|fired|"
              r"sack(?:ed|ing)?|oust(?:ed|ing)?|replac(?:e|ed|es|ing)|"
              # someone's replacement, not "replacement teachers" or "pipe replacement"
              r"(?:\b(?:his|her|their|its|an?|whose|new|permanent|interim|\w+['’]s|as|named|confirmed|appointed)"
              r"(?:\s+(?:an?|the))?\s+|^\W*)"
              r"replacement(?!\s+(?!(?:for|as|at|in|is|was|been|be|will|has|had|would)\b)(?-i:[a-z]))|"
              r"\breplacement(?=\s+for\b)|"
              r"successor|succe(?:ed|eds|eded|eding)")
_ASKS_OUTCOME = re.compile(
    r"\bwho (?:won|lost|beat|defeated|topped|took (?:the|home)|came (?:first|top)|got (?:the|picked|chosen|elected)|"
    r"(?:(?:was|were|got|has been|have been) (?:named|appointed|picked|chosen|elected|selected|voted|arrested|"
    r"detained|indicted)))\b|"
    # "did the bill pass", "was she found guilty", "have they been charged"; not "had to", "would get to"
    r"\b(?:did|does|do|has|have|had|was|were)\b(?!\s+to\b)[^?]{0,80}?\b(?:win|lose|beat|defeat|pass|get (?:elected|through)|"
    r"(?:found|ruled|judged) (?:not )?guilty|plead(?:ed)? (?:not )?guilty|convicted|acquitted|cleared|jailed|"
    r"sentenced|sued?|elected|approved?|rejected?|accept(?:ed)?|vote[ds]?|overturned?|upheld|end|settle|sign|"
    r"veto|appeal|walk out|go on strike|strike|resign|close|agree|ratify|sign off|"
    r"overrid(?:e|den)|appoint|nominate|pick|choose|select|hire|name)\b|"
    r"\b(?:final (?:vote|score|result|tally|standings)|results?|verdict|outcome|"
    r"end(?:ed)? up|actual|actually (?:start|open|begin|happen|launch|finish|take place|go ahead)\w*|"
    rf"how did [^?]{{0,80}}?\b(?:go|turn out|end|vote|fare)|who is the (?:new|next)|{_DEPARTING}|"
    r"what (?:did|has|have) [^?]{0,60}?\b(?:decide|rule|conclude|recommend)|go ahead|"
    r"what (?:sentence|punishment|penalty)|how long (?:was|were|did|will)\b[^?]{0,60}?\b(?:jailed|sentenced|get|serve)|"
    r"how long a (?:sentence|term|jail term|prison term|ban)\b|"
    r"(?<!over the )(?<!about the )(?<!with the )winners?)\b",  # not "were they split over the winner"
    re.IGNORECASE)
# "If she had to resign, who would choose a successor?" asks what would happen, not what did,
# "when will they report results?" when it is to happen, and "as a result of" about a cause.
# "who was tipped to win", "what did the winner say", "what will replace it", "has she
# commented on the outcome" ask no outcome either.
_NO_OUTCOME = re.compile(r"\b(?:if|would|could|might|should|will|tipped|favou?rite|front[- ]?runner|likely|"
                         r"expected|in line)\b|^\W*when (?:is|are|will|does|do)\b|^\W*why\b|\bas a result\b|"
                         r"\b(?:say|said|tell|told|think|comment(?:ed)?|react(?:ed)?|respond(?:ed)?)\b",
                         re.IGNORECASE)
# A sentence that only looks ahead: to a vote, a match, a verdict, a choice yet to be made.
_LOOKS_AHEAD = re.compile(
    r"\b(?:is|are|was|were|be)\s+(?:scheduled|expected|set|due|poised|slated|likely|unlikely|tipped|favou?red)\s+to\b|"
    r"\bup for grabs\b|\bfront[- ]?runners?\b|\bupcoming\b|"
    r"\b(?:is|are) to (?:be|face|meet|vote|decide|rule|name|announce|choose|play)\b|(?<![\w-])await(?:s|ed|ing)?\b|"
    r"\bpending\b|\byet to\b|\bnext (?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\bnot yet\b|\bfinalists?\b|\bin the running\b|\bcontenders?\b|"
    r"\bwill (?:next |again |then |also |now |first )?(?:be )?(?:decide|vote|rule|face|meet|play|announce|name|choose|"
    r"select|pick|hear|consider|publish|"
    r"report|sentence|pass)d?\b|\bwill be (?:made|known|taken|announced|revealed|declared|decided|counted|sentenced)\b|"
    r"\bstill under (?:review|consideration|investigation)\b|\b(?:go|goes|going|head|heads|heading) to the polls\b|"
    r"\b(?:voting|the ballot|the polls?) (?:closes?|opens?|ends?)\b|"
    r"\btoo (?:early|soon) to (?:tell|say|know|determine|draw|judge|comment|speculate)\b|\bno\b[^.;]{0,40}\byet\b|"
    # a court asked to rule, an inquiry only called for: "asks the court to declare …"
    r"\b(?:asks?|asking) (?:the |a )?(?:[\w-]+ ){0,2}?(?:court|judge|tribunal|commission|regulator|panel)s? to\b|"
    r"\bcall(?:s|ed|ing)? for (?:an? |the )?(?:[\w-]+ ){0,2}(?:inquiry|investigation|review|probe|audit)\b|"
    r"\b(?:is|are|was|were) (?:scheduled|set|due|slated) for\b|"
    r"\bnext (?:game|match|fixture|race|bout|hearing)\b|\b(?:has|have|had) not (?:yet )?decided\b|"
    r"\b(?:is|are|was|were) (?:proposing|reviewing|studying)\b|\b(?:has|have) been referred to\b|"
    r"\b(?:considering|weighing|exploring) (?:all |its |their |his |her )?"
    r"(?:legal )?(?:options|an appeal|legal action|whether)\b|"
    r"\b(?:would|will|plans? to|planned to|intends? to|intended to|vowed to|is to|are to) (?:appeal|challenge|contest)\b|"
    r"\bnext (?:decision|meeting|vote|election|hearing|review|round)\b|(?<!'s )(?<!’s )(?<!the )(?<!its )(?<!their )\b(?:plans|planning|intends) to\b|"
    r"\bwill (?:walk out|strike|go ahead|take place|begin|start|resume|be without|miss|host|travel to|take on)\b|\b(?:would|will|to) be (?:appointed|named|"
    r"chosen|picked|selected|confirmed)\b|\bin due course\b|"
    r"\b(?:would|will|to) (?:take|drag) [^.;]{0,40}?\bto (?:court|(?:an? |the )?(?:[\w-]+ ){0,3}?tribunal)\b|"
    r"\b(?:would|will) sue\b|\b(?:remains?|will be|is|are|goes|go) on the (?:[\w-]+ )?ballot\b|"
    r"\b(?:must|has to|have to|needs? to|will need to|will|would) (?:still |\w+ly )?be (?:still |\w+ly )?(?:approved|ratified|"
    r"signed off|confirmed|rubber-stamped)\b|"
    r"\b(?:subject to|needs?|requires?|awaiting) (?:the )?(?:approval|ratification|sign-off)\b|"
    r"\bwill vote on\b|"
    # said ahead of it: "the plant would begin making chips in 2027", "delayed the start to 2028", "under way"
    r"\bwould (?:begin|start|open|reopen|resume|launch|finish|be (?:completed|finished|ready|built|open))\b|"
    r"\b(?:delay|delays|delayed|delaying|postpone[ds]?|postponing|push(?:ed|es|ing)? back) (?:[\w'’-]+ ){0,8}?to "
    r"(?:the (?:first|second|third|fourth|end|start|middle|spring|summer|autumn|winter|new year)|next|later|early|late|mid|"
    r"(?:19|20)\d\d|january|february|march|april|may|june|july|august|september|october|november|december)\b|"
    r"\b(?:is|are) (?:still )?under ?way\b|\b(?:is|are) due (?:by|on|in|next)\b",
    re.IGNORECASE)
# The stages of a criminal case, in order. A question asks about its latest stage ("was she
# found guilty": the verdict); a sentence that gets no further ("was charged with") cannot say.
_STAGES = [
    ("before any arrest", re.compile(r"\b(?:arrest\w*|detain\w*|in custody|questioned by police)\b", re.IGNORECASE)),
    ("before any charge", re.compile(r"\b(?:charged|charges?|charging|indicted|accused|remanded)\b", re.IGNORECASE)),
    ("before any trial", re.compile(r"\b(?:trial|pleaded|pleads|plea|denies|denied|deny|arraigned|faces?|facing|"
                                    r"appeared in court)\b", re.IGNORECASE)),
    ("before any verdict", re.compile(r"\b(?:guilty|convicted|convict|acquitted|verdict|cleared|admit(?:ted|s)|"
                                      r"confessed)\b", re.IGNORECASE)),
    ("before sentencing", re.compile(r"\b(?:jailed|sentenced|sentences?|imprisoned|locked up|suspended|behind bars|"
                                     r"community order|fined|will serve|to serve|prison term|jail term|"
                                     r"sent (?:\w+ )?to (?:prison|jail)|"
                                     r"(?:handed|given) (?:a |an )?[\w-]+[- ](?:years?|months?))\b", re.IGNORECASE)),
]
# Someone leaving a post, as a sentence reports it (wider than the question's words).
_ASKS_DEPARTURE = re.compile(rf"\b(?:{_DEPARTING})\b", re.IGNORECASE)
_REPORTS_DEPARTURE = re.compile(
    rf"\b(?:{_DEPARTING}|retir(?:e|ed|es|ing|ement)|dismiss(?:ed|al)|leav(?:e|es|ing)|left|depart\w*|exit\w*|"
    r"axed|removed|outgoing|parted (?:ways|company)|let go|pushed out|forced out|t(?:ake|akes|ook|aken|aking) over from|"
    r"in place of)\b", re.IGNORECASE)
# An outcome a sentence reports, as a look-ahead sentence may too ("a repeat of last year's
# final, which Eastfield won 18-16"): a passage holding one is not only looking ahead.
REPORTS_OUTCOME = re.compile(
    r"\b(?<!be )(?<!still be )(?<!\wly be )(?<!\wly )"  # still to come: "must be approved", "will likely be approved"
    r"(?:won|beat|defeated|voted|approved|passed|rejected|backed|elected|appointed|chosen|picked|selected|"
    r"hired|signed|convicted|acquitted|found (?:[\w'’-]+ ){0,3}(?:not )?guilty|sentenced|jailed|awarded|clinched|lifted|"
    r"stepped down|admitted|sent (?:\w+ )?to (?:prison|jail)|went ahead|took place|walked out|went on strike|"
    r"resigned|replaced|succeeded|victory|(?<!would )(?<!will )t(?:ake|akes|ook|aken|aking) (?:over|the)|declared|"
    # "the winner", but not one still to come: "will announce the winner", "the winner will face"
    r"(?<!announce the )(?<!name the )(?<!choose the )(?<!pick the )(?<!decide the )(?<!crown the )"
    r"winners?(?!\s+(?:will|would|is to|are to|to be|gets|get|receives?|takes? home)\b)|"
    r"confirmed|supported|cleared|go-ahead|topped|(?:was|were|is|has been|have been) named|by \d+ votes|"
    r"crowned|edged|edging|waved through|squeaked|endorsed|ratified|triumphed|sealed|secured|"
    r"(?:handed|given|got|received) (?:a |an )?[\w-]*\s?(?:years?|months?|prison|jail|custodial|suspended))\b|"
    r"\b\d+\s?[-–—]\s?\d+\b", re.IGNORECASE)
# "Who did the governor appoint as treasurer?": a passage that never names the post cannot say.
_APPOINTED_AS = re.compile(r"\bwho (?:did|has|have|will|is|was)\b[^?]{0,60}?\b(?:nam|appoint|pick|choos|chose|select|"
                           r"nominat|hir|tapp)\w*\s+(?:as|to (?:be|lead|head|run|chair))\s+(?P<post>[^?,;]+)",
                           re.IGNORECASE)


def asks_outcome(question: str) -> bool:
    return bool(_ASKS_OUTCOME.search(question) or _APPOINTED_AS.search(question)) and not _NO_OUTCOME.search(question)


def unreported(question: str, shown: list[str]) -> str | None:
    """Why the best of the passages `shown` (best first) cannot tell the outcome the question
    asks about, in a few words for the decline line. None when the question asks no outcome,
    or the best passage may tell it, or another one shown does ("voted 7-4 early Wednesday"
    under "will vote Tuesday night")."""
    if not shown or not asks_outcome(question):
        return None
    terms = set(textnorm.query_terms(question))
    closest = [closest_sentence(terms, passage) for passage in shown]
    why = _objection(question, shown[0], closest[0][0])
    if why is None:
        return None
    # Another passage tells it only if it is as much about the question ("Okafor was the winner
    # of Monday's debate" does not tell who won the second one), and is itself beyond objection.
    # It must name whoever the best one names of the question too: "Ann Lee was found not
    # guilty" tells nothing of Okafor's trial.
    need = closest[0][1] - 1
    names = capitalised_terms(terms, closest[0][0] or "")
    if any(best is not None and held >= need and names <= _held(passage)
           and _objection(question, passage, best) is None and _tells(question, passage, best, why)
           for passage, (best, held) in zip(shown[1:], closest[1:])):
        return None
    return why


def _objection(question: str, passage: str, best: str | None) -> str | None:
    """Why `passage`, whose sentence closest to the question is `best`, cannot tell it."""
    post = _post(question)
    if post is not None and not _names_post(post, passage):
        return "never mentions " + _POST_LEAD.sub("", post)
    if best is None:
        return None
    # The sentence closest to the question is read, and the whole passage for what it may tell
    # after it ("were expected to be swept aside. Instead they ran out 2-0 winners").
    if _ASKS_DEPARTURE.search(question) and not _REPORTS_DEPARTURE.search(passage):
        return NOBODY_LEFT
    asked, told = _stage(question), _stage(passage)
    if told is not None and asked is not None and told < asked:
        return "tells of the case only " + _STAGES[asked][0]
    if _LOOKS_AHEAD.search(best) and not reports_outcome(question, passage):
        return LOOKS_AHEAD
    if (post is not None or _ASKS_SUCCESSOR.search(question)) and not _appoints(passage):
        return NOBODY_APPOINTED
    return None


# "Who is replacing Ann Lee?", "who will succeed him": a passage that names nobody to the post
# ("a search for his successor is under way") cannot say.
_ASKS_SUCCESSOR = re.compile(r"\bwho(?:['’]s|\s+(?:is|will|has|was))?\s+(?:be\s+)?(?:replac|succeed)\w*|\b(?:his|her|their)\s+"
                             r"(?:replacement|successor)\b", re.IGNORECASE)


NOBODY_LEFT = "reports nobody leaving the post"
NOBODY_APPOINTED = "reports nobody appointed to it"
LOOKS_AHEAD = "only looks ahead to it"
# Someone given a post, as a sentence reports it; not "a new manager will be appointed".
_APPOINTS = re.compile(r"\b(?:(?:successor|replacement)(?:(?: as [\w ]{1,30}?)? (?:is|will be|was|would be)|,)? (?-i:[A-Z])\w*|"
                       r"t(?:ake|akes|ook|aken|aking) charge|"
                       r"appoint(?:ed|s|ment)|named|hired|chosen|chose|picked|selected|promoted|installed|"
                       r"unveiled|confirmed|t(?:ake|akes|ook|aken|aking) over|replac(?:ed|es|ing)|succe(?:ed|eds|eded)|"
                       r"(?:new|incoming|interim|acting) (?:[\w-]+ ){0,2}(?:manager|coach|head|chief|boss|chair\w*|"
                       r"director|captain|leader|president|secretary|minister|editor|principal|executive|governor))\b",
                       re.IGNORECASE)
_STILL_LOOKING = re.compile(r"\b(?:looking for|search(?:ing)? for|hunt(?:ing)? for|shortlist\w*|in talks with)\b",
                            re.IGNORECASE)


def before_looking_ahead(sentence: str) -> str:
    """The part of a sentence before it looks ahead ("held rates in March; the next meeting
    is in May": the part about March)."""
    found = _LOOKS_AHEAD.search(sentence)
    if found is None or REPORTS_OUTCOME.search(sentence, found.end()):
        return sentence  # "the board's next meeting, on December 10, approved the cut" reports it
    return sentence[:found.start()]


def _appoints(passage: str) -> bool:
    """Whether a sentence reports someone given a post, before any look-ahead in it ("appointed
    Ann Lee as manager, and she plans to sign three players" does)."""
    return any(_APPOINTS.search(part) and not _STILL_LOOKING.search(part)
               for part in (before_looking_ahead(sentence) for sentence, _ in sentences(passage)))


# An earlier time round: "a repeat of last year's final, which Eastfield won" tells nothing of this one.
_EARLIER = re.compile(r"\blast (?:year|season|month|week|time|year's|season's|month's|week's)|\bprevious\w*|"
                      r"\bthe (?:year|season) before\b|\ba (?:year|season) (?:ago|earlier)\b|\b(?:in|since) (?:19|20)\d\d\b",
                      re.IGNORECASE)


def reports_outcome(question: str, text: str) -> bool:
    """Whether a sentence of `text` reports an outcome; one of an earlier time round counts
    only when the question asks about an earlier one too."""
    earlier_too = bool(_EARLIER.search(question))
    return any(REPORTS_OUTCOME.search(sentence) and (earlier_too or not _EARLIER.search(sentence))
               for sentence, _ in sentences(text))


# Stages a sentence names without reaching: "if convicted, he faces", "pleaded not guilty",
# "adjourned sentencing until April" (all said before the verdict or the sentence).
_NOT_REACHED = re.compile(r"\bif (?:\w+ )?(?:is |are |were )?(?:found guilty|convicted)\b|\bplead\w* not guilty\b|"
                          r"\b(?:will|would|to) be sentenced\b|\b(?:faces?|faced|facing|could face) (?:a maximum|up to|"
                          r"a possible|a mandatory|life)[^.;]{0,40}|\bmaximum (?:sentence|term)\b|"
                          r"\bnot guilty pleas?\b|\b(?:adjourned|deferred|postponed) sentencing\b|"
                          r"\bsentencing (?:was |has been |is )?(?:adjourned|deferred|postponed)\b", re.IGNORECASE)


def _stage(text: str) -> int | None:
    """The latest stage of a criminal case that `text` names (an index into _STAGES)."""
    text = _NOT_REACHED.sub(" pleaded ", text)
    return max((n for n, (_, words) in enumerate(_STAGES) if words.search(text)), default=None)


def _tells(question: str, passage: str, best: str, why: str) -> bool:
    """Whether `passage` holds what the best one lacked: the post, a departure, a verdict, or
    an outcome reported in `best`, its sentence closest to the question."""
    if why.startswith("never mentions"):  # the whole post, and someone given it
        return _post_terms(_post(question)) <= _held(passage) and reports_outcome(question, best)
    if why == NOBODY_LEFT:
        return bool(_REPORTS_DEPARTURE.search(best))
    if why == NOBODY_APPOINTED:
        return _appoints(passage)
    if why == LOOKS_AHEAD:
        return reports_outcome(question, best)
    told = _stage(passage)  # a court stage: one at least as far on as the question asks
    return told is not None and told >= _stage(question) and not _LOOKS_AHEAD.search(best)


def _post(question: str) -> str | None:
    found = _APPOINTED_AS.search(question)
    return found.group("post").strip() if found else None


# Posts as questions abbreviate them, by the words a passage writes them with.
_POSTS = {"ceo": "chief executive", "cfo": "chief financial", "coo": "chief operating", "md": "managing director",
          "pm": "prime minister", "ag": "attorney general", "da": "district attorney", "vp": "vice president",
          "mp": "member parliament"}
_NOT_THE_POST = frozenset("new next permanent interim acting its his her their".split())
# "his new secretary of state": the post is "secretary of state"
_POST_LEAD = re.compile(rf"^(?:(?:the|a|an|{'|'.join(sorted(_NOT_THE_POST))})\s+)+", re.IGNORECASE)


def _post_terms(post: str) -> set[str]:
    return set(textnorm.query_terms(" ".join(w for w in textnorm.words(post) if w not in _NOT_THE_POST)))


def _held(passage: str) -> set[str]:
    """The passage's terms, with the abbreviations of the posts it writes out and the words of
    those it abbreviates ("CEO": chief executive)."""
    words = textnorm.words(passage)
    text = " ".join(words)
    more = [abbr for abbr, full in _POSTS.items() if f" {full} " in f" {text} "]
    more += [_POSTS[w] for w in words if w in _POSTS]
    more += ["chair" for w in words if w in ("chairman", "chairwoman", "chairperson")]
    return set(textnorm.index_terms(text + " " + " ".join(more)))


def _names_post(post: str, passage: str) -> bool:
    """Any word of the post: "the new CEO" is named by "Harbourton's chief executive"."""
    return bool(_post_terms(post) & _held(passage))


@lru_cache(maxsize=64)  # the shown passages are read by every rule of both modules
def sentences(passage: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The passage's sentences, each with its stemmed terms."""
    return tuple((passage[s:e], frozenset(textnorm.index_terms(passage[s:e]))) for s, e in sentence_spans(passage))


def closest_sentence(terms: set[str], passage: str) -> tuple[str | None, int]:
    """The passage's sentence holding most of the question's `terms` (the first such), and how many."""
    best, held = None, 0
    for sentence, present in sentences(passage):
        n = len(terms & present)
        if n > held:
            best, held = sentence, n
    return best, held


def capitalised_terms(terms: set[str], sentence: str, lone_first: bool = True) -> set[str]:
    """The question's `terms` that `sentence` writes capitalised: names, mostly. A capitalised
    first word counts alone with `lone_first`, else only before another ("Tomas Berg died")."""
    words = textnorm.word_matches(sentence)
    caps = [m.group()[:1].isupper() for _, m in words]
    return {stem for n, stem in enumerate(textnorm.stems([w for w, _ in words]))
            if caps[n] and stem in terms and (n > 0 or lone_first or caps[1:2] == [True])}
