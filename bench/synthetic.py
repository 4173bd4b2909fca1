"""Synthetic news-like articles for the benchmark (data only, never product code).

Sentences are either taken verbatim from the demo article or made from news templates
filled with generated names, places and Zipf-distributed vocabulary, so BM25 sees a
realistic spread of rare and common terms. Everything is seeded: same seed, same corpus.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_CORPUS = ROOT / "demo" / "corpus"

_ONSETS = ["b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "pr", "r", "s",
           "st", "t", "tr", "v", "z", "sh", "ch"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ea", "io"]
_CODAS = ["", "", "n", "r", "s", "l", "m", "k", "t", "nd", "st", "v"]

ROLES = ["minister", "spokesperson", "governor", "mayor", "chief executive", "ambassador", "senator",
         "general", "chairman", "director", "prosecutor", "analyst", "economist", "union leader"]
ORG_KINDS = ["Ministry of Trade", "Central Bank", "Workers' Union", "Energy Agency", "Port Authority",
             "Supreme Court", "Defence Council", "Electoral Commission", "Water Board", "Football Club"]
TOPICS = ["pipeline", "election", "budget", "ceasefire", "trade deal", "harbour", "reactor", "strike",
          "inflation", "rail link", "satellite", "vaccine", "drought", "bridge", "tariff", "refinery",
          "highway", "summit", "merger", "scholarship", "festival", "earthquake", "stadium", "census"]
VERBS = ["approve", "delay", "cancel", "expand", "review", "finance", "block", "investigate", "announce",
         "suspend", "complete", "inspect", "reject", "defend", "criticise", "support"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

# News sentence shapes; slots are filled per use, so sentences rarely repeat.
TEMPLATES = [
    "{person}, the {role} of the {org}, said the {topic} would be {verbed} by {month}.",
    "“{claim},” {person} told reporters in {place} on {weekday}.",
    "{person} said that “{claim}” and added that the {topic} was {adj}.",
    "Officials in {place} {verbed} the {topic} after {number} days of talks with the {org}.",
    "The {org} has promised to {verb} the {topic}, according to a statement released on {weekday}.",
    "Critics argue that the {topic} will cost {number} million {currency} and benefit few {plural}.",
    "According to {person}, the {org} was “{adj} and {adj2}” in its handling of the {topic}.",
    "Residents of {place} gathered outside the {org} to protest against the {topic}.",
    "The {role} described the {topic} as “a {adj} step for {place}”.",
    "{person} warned that the {org} could {verb} the {topic} if the {word} talks failed.",
    "Talks between {place} and {place2} over the {topic} are expected to resume in {month}.",
    "The {topic} in {place} has drawn {number} {plural} since it opened last {month}.",
    "In a speech on {weekday}, {person} called the {topic} “{claim}”.",
    "Analysts at the {org} expect the {topic} to {verb} growth by {small} per cent this year.",
    "{person} declined to comment on reports that the {org} would {verb} the {topic}.",
    "The {word} {topic} was first proposed by {person} in {year}, when {person2} led the {org}.",
    "Police in {place} said {number} people had been detained near the {topic} site.",
    "“We will not {verb} the {topic} under pressure,” said {person}, the {role}.",
    "The agreement also covers the {word} {topic} and a new {topic2} near {place}.",
    "Opposition leader {person} accused the {org} of trying to {verb} the {topic} in secret.",
    "Weather forecasters in {place} predict {adj} conditions for the {topic} next {weekday}.",
    "The {org} said the {topic} had been {verbed} following an inquiry led by {person}.",
]
CLAIMS = ["this is a {adj} day for {place}", "the {topic} belongs to the people of {place}",
          "we have never seen a {topic} like this", "nobody will {verb} our {topic}",
          "the {org} must answer for the {topic}", "the {word} era of the {topic} is over",
          "our {plural} deserve a {adj} {topic}", "{place} will not be silent about the {topic}"]
ADJS = ["historic", "reckless", "bold", "costly", "fragile", "unprecedented", "transparent", "chaotic",
        "modest", "ambitious", "dangerous", "peaceful", "sudden", "decisive", "controversial"]
PLURALS = ["visitors", "workers", "farmers", "students", "investors", "families", "pilgrims", "fans"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CURRENCIES = ["dollars", "euros", "pounds", "rubles", "yen", "rupees"]
BOILERPLATE = ["Dark Mode", "Share this article on WhatsApp, LinkedIn and Twitter", "Comment / Reply From",
               "Advertisement", "Read more", "Photo: Reuters / staff"]


def demo_sentences() -> list[str]:
    """Sentences of the demo article's body, verbatim, via the engine's own cleaning."""
    from index.sources.documents import find_files, load_file

    out = []
    for path in find_files([DEMO_CORPUS]):
        doc = load_file(path)
        for s, e in doc.paragraphs:
            pending = ""
            for part in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", doc.text[s:e]):
                pending = f"{pending} {part}".strip()
                if pending.count("“") <= pending.count("”") and len(pending.split()) > 3:  # keep quotes whole
                    out.append(pending)
                    pending = ""
    return out


@dataclass
class Article:
    title: str
    paragraphs: list[str]
    template_ids: list[list[int]]  # per paragraph, the shape of each sentence (for synthetic vectors)

    def as_file_text(self, rng: random.Random) -> str:
        """The article as a saved web page might look: title, furniture, body, furniture."""
        blocks = [rng.choice(BOILERPLATE[:1] + [""]), self.title, *self.paragraphs, rng.choice(BOILERPLATE[1:])]
        return "\n\n".join(b for b in blocks if b) + "\n"


class Generator:
    def __init__(self, seed: int = 7, vocab_size: int = 20_000):
        self.rng = random.Random(seed)
        self.demo = demo_sentences()
        words = set()
        while len(words) < vocab_size:
            words.add(self._word(self.rng.randint(2, 4)))
        self.vocab = sorted(words)
        self.rng.shuffle(self.vocab)
        # Zipf weights: a few generated words are common, most are rare, as in real archives.
        self._weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.vocab))]
        self._cum = list(_accumulate(self._weights))
        self.people = [f"{self._word(2).title()} {self._word(3).title()}" for _ in range(2_000)]
        self.places = [self._word(self.rng.randint(2, 3)).title() for _ in range(800)]
        self.orgs = [f"{self.rng.choice(self.places)} {kind}" for kind in ORG_KINDS for _ in range(20)]

    def _word(self, syllables: int) -> str:
        r = self.rng
        return "".join(r.choice(_ONSETS) + r.choice(_VOWELS) + r.choice(_CODAS) for _ in range(syllables))

    def vocab_word(self) -> str:
        return self.rng.choices(self.vocab, cum_weights=self._cum, k=1)[0]

    def _fill(self, template: str) -> str:
        r = self.rng
        verb = r.choice(VERBS)
        slots = {
            "person": r.choice(self.people), "person2": r.choice(self.people), "role": r.choice(ROLES),
            "org": r.choice(self.orgs), "place": r.choice(self.places), "place2": r.choice(self.places),
            "topic": f"{self.vocab_word()} {r.choice(TOPICS)}" if r.random() < 0.5 else r.choice(TOPICS),
            "topic2": r.choice(TOPICS), "verb": verb, "verbed": verb.rstrip("e") + "ed",
            "month": r.choice(MONTHS), "weekday": r.choice(WEEKDAYS), "adj": r.choice(ADJS),
            "adj2": r.choice(ADJS), "plural": r.choice(PLURALS), "number": str(r.randint(2, 900)),
            "small": f"{r.randint(0, 4)}.{r.randint(0, 9)}", "currency": r.choice(CURRENCIES),
            "word": self.vocab_word(), "year": str(r.randint(1990, 2024)),
        }
        if "{claim}" in template:
            claim = r.choice(CLAIMS).format(**slots)
            slots["claim"] = claim[0].upper() + claim[1:]
        text = template.format(**slots)
        return text[0].upper() + text[1:]

    def sentence(self) -> tuple[str, int]:
        """A sentence and its shape id: 0..len(TEMPLATES)-1 for templates, then demo sentences."""
        if self.rng.random() < 0.25:
            i = self.rng.randrange(len(self.demo))
            return self.demo[i], len(TEMPLATES) + i
        i = self.rng.randrange(len(TEMPLATES))
        return self._fill(TEMPLATES[i]), i

    def shapes(self) -> list[str]:
        """One plain sentence per shape id, to embed for synthetic vectors."""
        return [self._fill(t) for t in TEMPLATES] + list(self.demo)

    def article(self, paragraphs: tuple[int, int] = (4, 12), long_share: float = 0.08) -> Article:
        r = self.rng
        title = f"{r.choice(self.places)} {r.choice(TOPICS)}: {r.choice(self.people)} {r.choice(VERBS)}s {r.choice(ADJS)} plan"
        paras, shapes = [], []
        for _ in range(r.randint(*paragraphs)):
            # Most news paragraphs are 1-4 sentences; a few long ones get split by the chunker.
            n = r.randint(8, 14) if r.random() < long_share else r.choices([1, 2, 3, 4], [2, 4, 3, 1])[0]
            sents = [self.sentence() for _ in range(n)]
            paras.append(" ".join(s for s, _ in sents))
            shapes.append([i for _, i in sents])
        return Article(title, paras, shapes)


def _accumulate(xs):
    total = 0.0
    for x in xs:
        total += x
        yield total


def write_corpus(folder: Path, n_articles: int, seed: int = 7) -> list[Path]:
    """Write `n_articles` synthetic articles as .txt files; returns their paths."""
    gen = Generator(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n_articles):
        path = folder / f"article-{i:04d}.txt"
        path.write_text(gen.article().as_file_text(gen.rng), encoding="utf-8")
        paths.append(path)
    return paths
