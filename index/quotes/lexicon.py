"""The words attribution reads: cue verbs, titles and roles, and what kind of thing a noun names.

English only, as the spaCy pipeline is. Each list says what it is for; extraction.py and
speakers.py read them from here.
"""
from __future__ import annotations

import re

# --- cue verbs ---
# Verbs that report speech: they attribute both quoted words and reported clauses.
REPORT_VERBS = frozenset("""say tell add state stress inform warn insist explain claim argue declare announce
    assert affirm reaffirm confirm deny admit acknowledge note mention remark comment reply respond answer
    ask write tweet post observe suggest predict promise pledge vow threaten emphasise emphasize underline
    underscore reiterate repeat recall concede contend maintain conclude complain boast report disclose
    reveal agree disagree retort counter caution advise urge demand propose recommend express voice allege
    testify indicate signal estimate point tell brief instruct order exhort""".split())
# Verbs that frame someone's own words in narration ("celebrated the “...”"), quoted words only.
FRAMING_VERBS = frozenset("""celebrate describe call hail praise condemn denounce dismiss label brand term
    welcome criticise criticize blame accuse reject refer characterise characterize quip joke shout cry
    scream whisper exclaim continue murmur sigh laugh attack slam blast mock decry lament tout liken scold
    chide ridicule deride lambast lambaste""".split())
# Reported content as the object: "urged other nations to abide ...", "underlined his commitment ...".
OBJECT_CLAUSE_VERBS = frozenset("""urge exhort ask tell advise encourage call warn order instruct invite press
    implore""".split())
CONTENT_OBJECT_VERBS = frozenset("""express underline underscore stress emphasise emphasize reiterate voice
    reaffirm announce confirm deny acknowledge admit pledge promise demand""".split())
# Cues a thing can be the subject of without speaking: "that environment underscored a weakness".
EVIDENCE_VERBS = frozenset("""suggest indicate signal underscore underline confirm reveal point predict
    estimate demand promise threaten""".split())
# Verbs whose "to ..." says the opposite happened: "declined to say", "refused to confirm".
REFUSAL_VERBS = frozenset("decline refuse fail avoid".split())

# A word that turns the words after it around: "no branches would close", "will not balance".
# Only right before them, in the same clause, or before a verb of belief ("I don't believe the
# library will close"): "no doubt branches would close" says they would, and so does "whether
# they like it or not, the bridge will be built".
NEGATED_BEFORE = re.compile(r"(?:\b(?:not|no|never|nobody|none|neither|nor|cannot)|n[’']t)"
                            r"(?:\s+(?:believe|think|expect|accept|agree|imagine)(?:\s+that)?)?\s+$", re.IGNORECASE)

# Cues whose reported clause is what the speaker said was not so: "denied that the school would
# close" reports words she turned around. (Said in her own quoted words, a denial is hers.)
DENYING_CUES = re.compile(r"^(?:den(?:y|ies|ied|ying)|disput(?:e|es|ed|ing)|refut(?:e|es|ed|ing)|"
                          r"rebut(?:s|ted|ting)?|disagre(?:e|es|ed|eing))$", re.IGNORECASE)

# --- people, bodies, documents ---
# Honorifics and titles: dropped from canonical names, kept as a person's title words.
HONORIFICS = frozenset("""mr mrs ms miss mx dr prof sir dame lord lady rev fr sr sen rep gov gen col capt
    cpt lt sgt maj adm cmdr insp det supt cllr amb cpl pvt lieut brig cdr atty""".split())
TITLE_WORDS = HONORIFICS | frozenset("""president vice prime minister secretary general chancellor premier
    king queen prince princess emperor empress pope cardinal bishop archbishop senator governor mayor
    chairman chairwoman chair chief executive director leader supreme deputy spokesman spokeswoman
    spokesperson ambassador envoy judge justice commissioner commander colonel captain lieutenant
    sergeant major admiral marshal officer inspector professor doctor sheikh ayatollah crown councillor
    councilor councilman councilwoman alderman alderwoman assemblyman assemblywoman congressman
    congresswoman representative treasurer comptroller sheriff superintendent provost dean rector
    rabbi imam pastor reverend father sister brother coach manager mp mep msp mla""".split())
# Abbreviated titles and the office a later description calls them by: "Gov. Ann Lee … the governor said".
TITLE_ABBREVIATIONS = {"gov": "governor", "sen": "senator", "rep": "representative",
                       "lt": "lieutenant", "col": "colonel", "capt": "captain", "cpt": "captain", "sgt": "sergeant",
                       "maj": "major", "adm": "admiral", "cmdr": "commander", "insp": "inspector",
                       "det": "detective", "supt": "superintendent", "prof": "professor", "atty": "attorney",
                       "amb": "ambassador", "sec": "secretary", "cllr": "councillor", "cpl": "corporal",
                       "pvt": "private", "brig": "brigadier", "lieut": "lieutenant", "cdr": "commander"}
# Words that make a title another office: "the chancellor" is not "the shadow chancellor" or
# "the former chancellor".
TITLE_QUALIFIERS = frozenset("""shadow former deputy vice assistant acting ex interim junior associate under
    outgoing incoming future late""".split())
# Role nouns that can stand before a name as part of a title ("Media Coordinator Dane Lisser").
ROLE_WORDS = TITLE_WORDS | frozenset("""coordinator host anchor correspondent editor reporter columnist analyst
    strategist economist adviser advisor aide attorney lawyer founder cofounder ceo cfo coo cto owner
    consultant pollster organizer organiser activist historian scientist physicist researcher scholar
    candidate nominee challenger incumbent surrogate official head spokesperson staffer lobbyist
    counsel trustee principal lawmaker legislator policymaker maker striker midfielder defender goalkeeper
    winger footballer cricketer golfer boxer athlete player boss singer actor actress artist author writer
    novelist poet comedian musician rapper designer chef architect engineer surgeon nurse teacher
    protester campaigner resident pensioner sprinter swimmer cyclist guitarist drummer pianist presenter
    broadcaster journalist photographer producer student pupil widow victim witness survivor shopkeeper
    volunteer paramedic firefighter prosecutor barrister solicitor juror defendant entrepreneur banker
    lecturer headteacher vicar priest""".split())
# Roles no company or body holds: an organisation-looking name apposed to one is a person's
# ("A union official, Grace Hale,"). Beside the offices of TITLE_WORDS.
PERSON_ONLY_ROLES = frozenset("""official aide staffer activist campaigner protester resident pensioner
    teammate player striker midfielder goalkeeper winger footballer cricketer bowler batsman golfer boxer
    athlete sprinter swimmer cyclist teacher headteacher nurse paramedic firefighter student pupil widow
    volunteer juror""".split())
# People named by who they are to someone, not by a role: "the mother of the dead boy, X," may name the boy.
PERSON_NOUNS = frozenset("""boy girl man woman child baby teenager son daughter wife husband widower mother
    father brother sister friend family patient""".split())
# Roles that, alone, name a company or a team as often as a person: "the drug maker", "the hosts".
COMPANY_ROLES = frozenset("""maker owner host operator provider publisher lender insurer supplier sponsor
    partner investor broadcaster producer""".split())
# Roles a company can hold as well as a person: before a name they do not make it a person's
# ("pollster Eastfield Insight", "owner Harbourton Media", "drug maker Harbourton Pharma").
ORGANISATION_ROLES = COMPANY_ROLES | frozenset("""manager pollster researcher organiser organizer founder
    cofounder head leader consultant adviser advisor analyst strategist trustee official coordinator
    counsel""".split())
_POLICE_RANKS = "detective inspector sergeant sgt constable superintendent trooper"
# What a "which <role>" question may call someone the article gives a narrower role: the
# striker is a player, the chancellor a minister, the senator a lawmaker and an official.
_KINDS = {
    "minister": "chancellor secretary",
    "official": """minister chancellor secretary spokesman spokeswoman spokesperson commissioner mayor
        governor senator ambassador envoy aide regulator treasurer comptroller""",
    "lawmaker": "senator congressman congresswoman mp mep msp assemblyman assemblywoman legislator",
    "politician": """senator congressman congresswoman mp mep msp minister mayor governor councillor
        councilor lawmaker legislator opposition shadow premier alderman alderwoman councilman councilwoman""",
    "player": """striker midfielder defender goalkeeper winger forward footballer cricketer golfer lock flanker
        halfback fullback batter batsman bowler pitcher quarterback shortstop""",
    "boss": """manager coach chairman chairwoman chair chairs ceo executive director chief head heads president owner
        leader""",
    # "Lee, who chairs the growers' association" leads it
    "leader": "chair chairs chairman chairwoman head heads leads president chief imam rabbi bishop archbishop pastor cleric",
    "judge": "justice magistrate",
    # "which police officer": Detective Inspector Ann Lee, Sgt Tomas Berg
    "officer": _POLICE_RANKS,
    "police": _POLICE_RANKS,
    "manager": "boss coach",
    "executive": "ceo cfo coo cto chairman chairwoman",
    "analyst": "economist strategist pollster",
    "expert": "analyst economist professor scientist researcher historian scholar",
    "lawyer": "attorney counsel solicitor barrister",
    "campaigner": "activist organizer organiser",
    "worker": """employee staffer picker packer loader driver cashier clerk labourer laborer miner machinist
        welder technician""",
    "councillor": "councilor alderman alderwoman",
    "musician": "singer rapper guitarist drummer",
}
# A secretary is a minister or an official only of a government portfolio ("Home Secretary",
# "Education Secretary", "Secretary of State"), not of a union, a club or a society.
PORTFOLIOS = frozenset("""home foreign health education defence defense treasury transport culture business
    justice interior environment energy labour labor commerce agriculture housing trade work pensions
    northern scottish welsh cabinet""".split())
ROLE_KIND_NAMES = frozenset(_KINDS)  # "official", "player": kinds of role, each of many titles
ROLE_KINDS: dict[str, frozenset[str]] = {}
for _kind, _narrower in _KINDS.items():
    for _word in _narrower.split():
        ROLE_KINDS[_word] = ROLE_KINDS.get(_word, frozenset()) | {_kind}
# Documents and messages: their words belong to whoever wrote them, never to the document.
DOCUMENT_NOUNS = frozenset("""exchange email e-mail mail memo memorandum letter tweet post message note text
    report document filing complaint lawsuit suit ruling order statement release transcript ad advert
    advertisement commercial spot video clip book article column editorial survey poll study headline
    page website site chart graphic footage record records minutes petition brief motion analysis
    review investigation audit draft notice data datum statistic database census estimate tally slide
    presentation speech account story phrase comment remark count affidavit indictment agreement opinion
    announcement warrant subpoena verdict judgment judgement decision contract bill law legislation
    amendment proposal plan policy deal manifesto guidance guideline regulation dossier docket deposition
    finding forecast assessment bulletin newsletter blog summary charter treaty declaration communique
    resolution citation pleading posting listing counting projection""".split())
# Documents only in the plural: "according to council figures"; "a senior party figure" is a person.
PLURAL_DOCUMENT_NOUNS = frozenset({"figures"})
# What a possessive description of an organisation ends in ("NatWest's corporate parent").
ORGANISATION_NOUNS = frozenset("""parent company firm owner subsidiary group bank publisher employer insurer
    lender operator network agency department ministry regulator union party committee""".split())
# Bodies that speak as one: what a "which" or "that" may stand for when it says something
# ("the council, which said"), where "brain cancer, which confirmed" says nothing.
BODY_NOUNS = ORGANISATION_NOUNS | frozenset("""government administration commission council board court
    campaign team family organization organisation institute institution coalition army police force
    service office bureau panel caucus senate house congress parliament legislature assembly tribunal
    foundation charity university school college hospital newspaper paper magazine station channel
    outlet club federation association alliance league body authority fund city county town state journal
    society trust guild""".split())
# Words that end a company's name: the words before them are its name, titles included
# ("Cardinal Trust Financial Corp.", "Bishop Holdings").
COMPANY_SUFFIXES = frozenset("""corp corporation inc incorporated co ltd plc llc lp holdings partners bank trust
    group fund foundation""".split())
# Things that say nothing, however the parser hangs a cue on them ("brain cancer, which confirmed …",
# "that environment underscored …", "according to his body mass index"). A list of what never
# speaks, not of what does: a noun it lacks ("the surgeon", "the airline") stays a speaker.
THING_NOUNS = frozenset("""cancer disease illness condition injury death problem issue question conversation
    environment atmosphere climate mood tone culture situation crisis weakness strength fact evidence result
    outcome decision move change trend shift development incident episode matter idea concept notion theory
    sense feeling index rate level percentage amount weight height size cost price value""".split())
