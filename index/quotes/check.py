"""Did they really say that? One quote checked against the whole archive.

The verdict, most serious first:
- `conflict`: the same words are given to different speakers (in different articles, or in one
  article once as a quote and once as narration);
- `other_speaker`: the words are there, but not from the person asked about (or from nobody:
  narration, or a quote whose speaker is unknown);
- `confirmed`: the words are there verbatim, from one speaker (the one asked about, if any);
- `altered`: only near-verbatim variants are there (words added, dropped or changed), each shown
  with its differences marked: `sacred [battle → war]` reads "published `battle`, asked `war`";
  words quoted only after a "not" or "no" are such a variant (`[−no] branches would close`);
- `not_found`: nothing close; the closest quotes by meaning are shown.

Verbatim means equal after folding quote styles, case, accents and look-alike letters
(index/retrieval/matching.py). Every result is the article's own sentence at its offsets.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from .. import textnorm
from ..answer import Answer, Result
from ..retrieval.matching import Match
from ..storage.store import ArticleRow, ChunkRow, QuoteRow, QuoteSpan
from .attribution import NARRATION_LIMIT, denied, matching_speakers, negated_in, with_negation

CONFIRMED, CONFLICT, ALTERED, OTHER_SPEAKER, NOT_FOUND = (
    "confirmed", "conflict", "altered", "other_speaker", "not_found")

CANDIDATE_CHUNKS = 50  # BM25 passages whose quotes are aligned with the asked words
CANDIDATE_QUOTES = 20  # quotes closest in meaning (quote vectors) aligned too
MAX_VARIANTS = 10
LISTED = 5  # speakers named in a conflict's message; every attribution is still a result
CITED = 20  # results of a verbatim check beyond one per attribution
CLOSEST = 3
# A phrase of up to SHORT words shares at most a word or two with any variant, so the words
# alone cannot tell a misquote from an unrelated phrase ("sacred duty" for "sacred war"):
# its variants must also mean nearly the same (cosine of the two wordings).
SHORT = 3
SHORT_MIN_COSINE = 0.75
SHORT_EMBEDDED = 8  # distinct wordings embedded for that test, closest first (one small batch)


def allowed_edits(n_words: int) -> int:
    """Words that may be added, dropped or changed for a variant still to count as the quote."""
    return max(1, n_words // 4)


@dataclass
class Occurrence:
    """The asked words (or a variant of them) at one place in one article."""

    article: ArticleRow
    start: int  # article offsets of the matched words
    end: int
    # The innermost stored quote holding them (a QuoteSpan until it is shown); None in narration.
    quote: QuoteRow | QuoteSpan | None
    chunk: ChunkRow | None = None  # the passage, for narration
    edits: int = 0
    diff: str | None = None

    @property
    def date(self) -> str:
        return _date(self.article)

    @property
    def speaker_key(self) -> str | None:
        return self.quote.speaker_key if self.quote is not None else None


# --- word-level alignment ---
def _tokens(text: str, base: int = 0) -> list[textnorm.Token]:
    return [textnorm.Token(t.norm, t.start + base, t.end + base) for t in textnorm.tokens(text)]


def align(wanted: list[str], text: list[textnorm.Token]) -> tuple[int, int, int, int] | None:
    """The stretch of `text` closest to `wanted` in words added, dropped or changed.

    Returns (edits, matched, first, last) token indexes (last exclusive), or None when `text` is
    empty. Edit distance with a free start and end in `text` (semi-global alignment)."""
    n, m = len(wanted), len(text)
    if not n or not m:
        return None
    inf = n + m + 1
    # cost[i][j]: edits aligning wanted[:i] with a stretch of text ending at j; start[i][j] its start.
    cost = [[0] * (m + 1)] + [[i] + [inf] * m for i in range(1, n + 1)]
    same = [[0] * (m + 1) for _ in range(n + 1)]
    start = [list(range(m + 1))] + [[0] * (m + 1) for _ in range(n)]
    for i in range(1, n + 1):
        w = wanted[i - 1]
        row, prev = cost[i], cost[i - 1]
        for j in range(1, m + 1):
            eq = w == text[j - 1].norm
            best, src = prev[j - 1] + (not eq), (i - 1, j - 1)  # keep or change a word
            if prev[j] + 1 < best:
                best, src = prev[j] + 1, (i - 1, j)  # the asker added a word
            if row[j - 1] + 1 < best:
                best, src = row[j - 1] + 1, (i, j - 1)  # the asker dropped a word
            row[j] = best
            start[i][j] = start[src[0]][src[1]]
            same[i][j] = same[src[0]][src[1]] + (eq and src == (i - 1, j - 1))
    ends = [j for j in range(1, m + 1) if cost[n][j] == min(cost[n][1:])]
    # Among equally close stretches, the one whose length is nearest the asked words.
    j = min(ends, key=lambda e: (abs((e - start[n][e]) - n), -same[n][e], e))
    return cost[n][j], same[n][j], start[n][j], j


def mark_differences(asked: str, published: str) -> str:
    """The published words with the asked ones' differences marked: `sacred [battle → war]`,
    `[+word]` for a word the asker added, `[−word]` for a published word the asker dropped."""
    a, p = textnorm.tokens(asked), textnorm.tokens(published)
    out = []
    ops = difflib.SequenceMatcher(None, [t.norm for t in p], [t.norm for t in a], autojunk=False).get_opcodes()
    for tag, p1, p2, a1, a2 in ops:
        pub = published[p[p1].start:p[p2 - 1].end] if p2 > p1 else ""
        ask = asked[a[a1].start:a[a2 - 1].end] if a2 > a1 else ""
        if tag == "equal":
            out.append(pub)
        elif tag == "replace":
            out.append(f"[{pub} → {ask}]")
        elif tag == "insert":
            out.append(f"[+{ask}]")
        else:
            out.append(f"[−{pub}]")
    return " ".join(out)


class Checker:
    def __init__(self, engine):
        self.engine = engine
        self.store = engine.store
        self.searcher = engine.searcher
        self.quotes = engine.quote_answers
        self._articles: dict[int, ArticleRow] = {}

    def article(self, article_id: int) -> ArticleRow:
        if article_id not in self._articles:
            self._articles[article_id] = self.store.article(article_id)
        return self._articles[article_id]

    # --- the check ---
    def check(self, q) -> Answer:
        words, person = q.phrase, q.person
        if self.searcher.refresh().empty:
            return Answer(q.text, q.intent, False, "The archive is empty: ingest some articles first.",
                          verdict=NOT_FOUND)
        matches = self._matches(words)
        exact = self._occurrences([(row, m) for row, m in matches if m.exact])
        plain = [o for o in exact if not _negated(o)]
        if plain:
            return self._verbatim(q, plain, person)
        if exact:  # quoted only with a "not" or "no" before them: the speaker said the opposite
            return self._only_negated(q, exact, person)
        qvec = self.searcher.embed(words)  # by meaning from here on: variants, then the closest
        variants = self._variants(words, qvec, [(row, m) for row, m in matches if not m.exact])
        if variants:
            return self._altered(q, variants, person)
        return self._not_found(q, qvec)

    def _matches(self, words: str) -> list[tuple[ChunkRow, Match]]:
        """Where the words occur: every passage that holds a stored quote (no quote is lost),
        the other passages of the articles that have them there (a quote and narration in one
        article is a conflict), else only the newest narration, as who-said reads it."""
        searcher = self.searcher
        ids = searcher.phrase_chunk_ids(words)
        quoted = searcher.quoted_chunk_ids()
        found = searcher.phrase_matches(words, ids=[cid for cid in ids if cid in quoted])
        rest = [cid for cid in ids if cid not in quoted]
        articles = {row.article_id for row, m in found if m.exact}
        if articles:
            of = self.store.chunk_articles(rest)
            return found + searcher.phrase_matches(words, ids=[cid for cid in rest if of.get(cid) in articles])
        return found + searcher.phrase_matches(words, ids=rest, enough=NARRATION_LIMIT)

    def _occurrences(self, matches: list[tuple[ChunkRow, Match]]) -> list[Occurrence]:
        found: dict[tuple[int, int], Occurrence] = {}
        missing = {row.article_id for row, _ in matches} - set(self._articles)
        self._articles.update(self.store.articles_by_id(missing))
        covering = self.store.innermost_quotes([(row.id, m.start, m.end) for row, m in matches])
        for (row, m), quote in zip(matches, covering):
            found.setdefault((row.article_id, m.start), Occurrence(self.article(row.article_id), m.start, m.end,
                                                                   quote, row))
        return sorted(found.values(), key=lambda o: (o.date, o.article.id, o.start))

    # --- verbatim ---
    def _verbatim(self, q, found: list[Occurrence], person: str | None) -> Answer:
        cited = _cited(found)
        full = self.store.quotes_by_id([o.quote.id for o in cited if o.quote is not None])
        results = [self._result(replace(o, quote=full[o.quote.id]) if o.quote is not None else o, "exact")
                   for o in cited]
        first = results[0]
        by_speaker: dict[str, list[Occurrence]] = {}
        for o in found:
            if o.speaker_key:
                by_speaker.setdefault(o.speaker_key, []).append(o)
        quoted_in = {o.article.id for o in found if o.quote is not None}
        narrated_in = {o.article.id for o in found if o.quote is None}
        mixed = [a for a in dict.fromkeys(o.article.id for o in found) if a in quoted_in and a in narrated_in]
        keys = matching_speakers(self.store, person, among=set(by_speaker)) if person else None
        said_by_person = [o for o in found if keys and o.speaker_key in keys]
        person_note = ""
        if person and not said_by_person:
            person_note = f"No article in the archive has {person} saying this; {self._attributed_to(found)}."

        if len(by_speaker) > 1 or mixed:
            parts = []
            if len(by_speaker) > 1:
                groups = list(by_speaker.values())  # in order of first publication
                listed = "; ".join(f"{os_[0].quote.speaker} ({_citations(os_)})" for os_ in groups[:LISTED])
                more = f"; and {len(groups) - LISTED} more" if len(groups) > LISTED else ""
                parts.append(f"These words are attributed to {len(by_speaker)} speakers: {listed}{more}.")
            for a in mixed:
                title = self.article(a).title
                who = next((o.quote.speaker for o in found if o.article.id == a and o.quote is not None
                            and o.quote.speaker), None) or "an unnamed speaker"
                parts.append(f"In “{title}” they appear once as a quote ({who}) and once as narration.")
            if person_note:
                parts.append(person_note)
            return self._answer(q, CONFLICT, " ".join(parts), results, first)
        if person_note:
            speaker = found[0].quote.speaker if len(by_speaker) == 1 else None
            return self._answer(q, OTHER_SPEAKER, person_note, results, first, speaker=speaker)
        if not by_speaker:
            return self._answer(q, OTHER_SPEAKER, f"Nobody is quoted saying this: {self._attributed_to(found)}.",
                                results, first)
        said = said_by_person or [o for os_ in by_speaker.values() for o in os_]
        speaker = said[0].quote.speaker
        articles = len({o.article.id for o in said})
        where = f"in {_count(articles, 'article')}; first published {_day(found[0].date)} in “{found[0].article.title}”"
        if any(o.quote.kind == "direct" for o in said):
            message = f"{speaker} is quoted saying “{q.phrase}” {where}."
        else:  # reported speech: the words are the reporter's, never shown as a quote
            message = f"{speaker} is reported saying this (not a direct quote) {where}."
        return self._answer(q, CONFIRMED, message, results, first, speaker=speaker)

    def _attributed_to(self, found: list[Occurrence]) -> str:
        """Who the archive gives the words to: "2 articles attribute it to Ann Lee"."""
        by_speaker: dict[str, set[int]] = {}
        names: dict[str, str] = {}
        for o in found:
            if o.speaker_key:
                by_speaker.setdefault(o.speaker_key, set()).add(o.article.id)
                names.setdefault(o.speaker_key, o.quote.speaker)
        if by_speaker:
            return "; ".join(f"{_count(len(arts), 'article')} {'attributes' if len(arts) == 1 else 'attribute'} "
                             f"it to {names[k]}" for k, arts in by_speaker.items())
        unknown = {o.article.id for o in found if o.quote is not None}
        narration = {o.article.id for o in found if o.quote is None}
        parts = []
        if narration:
            parts.append(f"the words appear in narration in {_count(len(narration), 'article')}")
        relayers = sorted({r for r in (self.quotes.relaying(o.quote) for o in found if o.quote is not None) if r})
        if relayers:  # “She told me, ‘…’,” said X: X repeats someone else's words
            parts.append(f"{' and '.join(relayers)} {'quotes' if len(relayers) == 1 else 'quote'} them as "
                         "someone else's words")
        elif unknown:
            parts.append(f"{_count(len(unknown), 'article')} {'quotes' if len(unknown) == 1 else 'quote'} "
                         "them without saying clearly who said them")
        return "; ".join(parts)

    # --- altered ---
    def _variants(self, words: str, qvec, near: list[tuple[ChunkRow, Match]]) -> list[Occurrence]:
        wanted = textnorm.words(words)
        n = len(wanted)
        content = {w for w in wanted if w not in textnorm.STOPWORDS}
        found: dict[tuple[int, int, int], Occurrence] = {}

        def keep(article_id: int, tokens: list[textnorm.Token], text: str, base: int,
                 quote: QuoteRow | None, chunk: ChunkRow | None) -> None:
            best = align(wanted, tokens)
            if best is None:
                return
            edits, matched, i, j = best
            window = tokens[i:j]
            if (edits > allowed_edits(n) or j - i < 2 or matched < n - allowed_edits(n)
                    or not any(t.norm in content for t in window)):
                return
            start, end = window[0].start, window[-1].end
            if quote is None:
                covering = self.store.quotes_covering(article_id, start, end)
                quote = covering[0] if covering else None
            published = text[start - base:end - base]
            found.setdefault((article_id, start, end), Occurrence(
                self.article(article_id), start, end, quote, chunk, edits, mark_differences(words, published)))

        for row, m in near:  # a plural or a typo: the phrase search found these already
            keep(row.article_id, _tokens(row.text, row.start), row.text, row.start, None, row)
        if n >= 2:
            for quote in self._candidate_quotes(words, wanted, qvec):
                keep(quote.article_id, _tokens(quote.quote, quote.start), quote.quote, quote.start, quote, None)
        variants = list(found.values())
        if n <= SHORT and variants:
            variants = self._same_meaning(qvec, variants)
        variants.sort(key=lambda o: (o.edits, o.quote is None or o.quote.kind != "direct",
                                     o.speaker_key is None, o.date, o.article.id, o.start))
        return variants[:MAX_VARIANTS]

    def _candidate_quotes(self, words: str, wanted: list[str], qvec) -> list[QuoteRow]:
        """Stored quotes that may be variants: those in the passages sharing the most words with
        the asked ones (BM25), and those closest in meaning (quote vectors). Only quotes that share
        enough of the words are aligned."""
        snap = self.searcher.snapshot
        terms = textnorm.query_terms(words) or textnorm.stems(wanted)
        rows = self.store.chunks([cid for cid, _ in snap.lexical.search(terms, CANDIDATE_CHUNKS)])
        candidates: dict[int, QuoteRow] = {}
        for row in rows.values():
            for quote in self.store.quotes_overlapping(row.article_id, row.start, row.end):
                candidates.setdefault(quote.id, quote)
        similar = [qid for qid, _ in self.searcher.similar_quotes(qvec, CANDIDATE_QUOTES) if qid not in candidates]
        candidates.update(self.store.quotes_by_id(similar))
        least = min(2, max(1, len(set(wanted)) - allowed_edits(len(wanted))))
        wanted_set = set(wanted)
        return [q for q in candidates.values() if len(wanted_set & set(textnorm.words(q.quote))) >= least]

    def _same_meaning(self, qvec, variants: list[Occurrence]) -> list[Occurrence]:
        """The variants whose wording means nearly what the asked words mean. Only the
        SHORT_EMBEDDED distinct wordings with the fewest changes, in the quotes closest in
        meaning (stored quote vectors), are embedded, in one batch with the question encoder
        (torch-free): a short phrase can have hundreds."""
        near = self.searcher.quote_similarity(qvec, [o.quote.id for o in variants if o.quote is not None])
        variants = sorted(variants, key=lambda o: (o.edits, -near.get(o.quote.id if o.quote else -1, 0.0)))
        texts = [self.store.article_text(o.article.id)[o.start:o.end] for o in variants]
        wordings = list(dict.fromkeys(" ".join(textnorm.words(t)) for t in texts))[:SHORT_EMBEDDED]
        cosines = dict(zip(wordings, self.engine.query_encoder.encode(wordings) @ qvec))
        return [o for o, t in zip(variants, texts) if cosines.get(" ".join(textnorm.words(t)), 0.0) >= SHORT_MIN_COSINE]

    def _altered(self, q, variants: list[Occurrence], person: str | None, negated: bool = False) -> Answer:
        results = [self._result(o, "altered") for o in variants]
        first = min(zip(variants, results), key=lambda pair: (pair[0].date, pair[0].article.id))[1]
        top = variants[0]
        label = _count(len(variants), "variant")
        where = f"{_shown(top)} ({top.article.title}, {_day(top.date)})."
        turned = "in a denial" if all(o.quote is not None and denied(o.quote) for o in variants) else "negated"
        message = (f"“{q.phrase}” appears only {turned}: {where}" if negated else
                   f"No article has these exact words; {label} in the archive, closest: {where}")
        if person:
            keys = matching_speakers(self.store, person, among={o.speaker_key for o in variants if o.speaker_key})
            if not any(o.speaker_key in keys for o in variants):
                message += f" None of them is attributed to {person}."
        return self._answer(q, ALTERED, message, results, first)

    def _only_negated(self, q, found: list[Occurrence], person: str | None) -> Answer:
        variants = []
        full = self.store.quotes_by_id([o.quote.id for o in found])
        for o in (replace(o, quote=full[o.quote.id]) for o in found):
            at = with_negation(o.quote, Match(o.start, o.end, True)).start
            published = o.quote.quote[at - o.quote.start:o.end - o.quote.start]
            variants.append(replace(o, start=at, edits=1, diff=mark_differences(q.phrase, published)))
        return self._altered(q, variants, person, negated=True)

    # --- nothing close ---
    def _not_found(self, q, qvec) -> Answer:
        """The closest quotes by meaning (quote vectors); an index built before them, or one with
        no attributed quote, gets the closest quotes or passages of a search instead."""
        similar = self.searcher.similar_quotes(qvec, CLOSEST * 4)
        rows = self.store.quotes_by_id([qid for qid, _ in similar])
        named = [(rows[qid], cos) for qid, cos in similar if qid in rows and rows[qid].speaker][:CLOSEST]
        if named:
            results = [self.quotes._result(row, round(float(cos), 4)) for row, cos in named]
        else:
            results = self.quotes._nobody(q).results
        results = [replace(r, date=_date(self.article(r.article.id))) for r in results]
        what = "Closest quotes by meaning:" if results and results[0].speaker else "Closest passages:"
        return Answer(q.text, q.intent, False, f"Not in the archive: no article has these words. {what}",
                      results=results, verdict=NOT_FOUND)

    # --- results ---
    def _result(self, o: Occurrence, match: str) -> Result:
        if o.quote is not None:
            r = self.quotes._result(o.quote, 1.0 if match == "exact" else _closeness(o), match, [(o.start, o.end)])
        else:
            r = self.quotes._narration_result(o.chunk, Match(o.start, o.end, match == "exact"),
                                              1.0 if match == "exact" else _closeness(o), match)
        return replace(r, date=o.date, diff=o.diff)

    def _answer(self, q, verdict: str, message: str, results: list[Result], first: Result,
                speaker: str | None = None) -> Answer:
        return Answer(q.text, q.intent, True, message, speaker=speaker, results=results, verdict=verdict,
                      first=first)


def _date(article: ArticleRow) -> str:
    """When the archive first had the article: its publication date, else when it was ingested."""
    return article.published or article.ingested_at


def _cited(found: list[Occurrence], limit: int = CITED) -> list[Occurrence]:
    """The occurrences an answer shows, in date order: the first publication, the first of each
    speaker and of each article's narration, then the earliest others up to `limit` (a phrase
    repeated in hundreds of passages decides the verdict from all of them, but shows a few)."""
    keep, seen = [], set()
    for o in found:
        kind = ("quote", o.speaker_key) if o.quote is not None else ("narration", o.article.id)
        if kind not in seen:
            seen.add(kind)
            keep.append(o)
    chosen = {id(o) for o in keep}
    for o in found:
        if len(chosen) >= limit:
            break
        chosen.add(id(o))
    return [o for o in found if id(o) in chosen]


def _negated(o: Occurrence) -> bool:
    return o.quote is not None and negated_in(o.quote, Match(o.start, o.end, True))


def _closeness(o: Occurrence) -> float:
    return round(1.0 / (1 + o.edits), 4)


def _shown(o: Occurrence) -> str:
    """A variant as the message shows it: only a direct quote goes inside quotation marks."""
    who = f"{o.quote.speaker}, " if o.quote is not None and o.quote.speaker else ""
    if o.quote is not None and o.quote.kind == "direct":
        return f"{who}“{o.diff}”"
    return f"{who}{o.diff} ({'reported' if o.quote is not None else 'narration'})"


def _citations(found: list[Occurrence]) -> str:
    seen = list(dict.fromkeys((o.article.title, _day(o.date)) for o in found))
    more = f", and {len(seen) - LISTED} more" if len(seen) > LISTED else ""
    return ", ".join(f"{title}, {day}" for title, day in seen[:LISTED]) + more


def _day(date: str) -> str:
    return date[:10]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"
