"""Hybrid retrieval: BM25 and FAISS candidates, scored on one absolute scale.

score = w * cosine + (1 - w) * terms (+ a small bonus when the passage holds the kind of
answer asked for: a time for "when", a number for "how many"), where terms blends the
IDF-weighted share of the question's topic words found in the passage and in its whole
article. The parts lie in [0, 1], so one threshold decides when the evidence is too weak to
answer. The weights (`Tuning`) are fitted on the development set with cross-validation. A quoted phrase
is a hard filter: only passages that contain it (verbatim after folding) can answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .. import textnorm
from ..storage.generations import Files, Snapshot, load_snapshot
from ..storage.resident import ResidentFiles
from ..storage.store import ChunkRow, Store
from .matching import Match, PhraseFinder, edits1, merge_spans, term_spans

CANDIDATES = 50
PHRASE_HITS = 50  # passages holding a quoted phrase exactly that a search ranks, newest first
# A word of a quoted phrase is looked for with one typo only up to this length: a word's one-typo
# variants number about 54 per letter, and a 3,600-letter "word" held the engine for 10-20 s.
TYPO_MAX_CHARS = 40
# A passage this short answers nothing by itself unless it is a sentence ("Nobody was injured."):
# "7 p.m.", "Letters.", a photo credit or "Lee added:" is found by its quoted words, never ranked
# for a question's topic.
FRAGMENT_WORDS = 3
# A word typed in lower case is read as a name only if the archive has it in at most this many
# passages (always capitalised): more is a common word, or a name too common to check.
NAME_PASSAGES = 100
# One word family the stemmer splits ("registration" and "registered": registr, regist): a
# question's term counts as held when a passage's term starts with it, or it starts with a
# passage's term this long or longer, the longer at most FAMILY_EXTRA letters longer.
FAMILY_STEM = 6
FAMILY_EXTRA = 2


@dataclass(frozen=True)
class Tuning:
    """Ranking weights. `make quality` (bench/quality.py) fits them on the development set
    with 5-fold cross-validation and reports the held-out figures in docs/benchmarks.md. The
    shipped search weights are the nearest grid point that keeps short questions about one
    article answered ("when did the meeting happen" scores about 0.45): the dev set alone
    prefers more cosine weight and a higher threshold, which would decline them."""
    # Share of the score from the cosine to the passage's vector (which carries its article's
    # headline: embedding.in_context); the rest from term coverage.
    vector_weight: float = 0.7
    # Share of the term coverage taken from the passage's whole article (title included): a
    # paragraph answers in context, so the article should be about every word of the question.
    article_weight: float = 0.5
    # Added when a "when" question meets a passage with a date or time, a money or share
    # question one with an amount or a share, another "how many/much" question one with a
    # number, or a "why" question one that gives a cause ("because", "after", "due to").
    answer_type_bonus: float = 0.1
    # "who said something like ...": the share of a quote's score from cosine (the asker's
    # words are not the speaker's, so shared words count for less); the best quote must score
    # this much, and beat the best quote of any other speaker by this much; the role the
    # question names ("which senator") weighs this much.
    who_vector_weight: float = 0.85
    who_min_score: float = 0.45
    who_margin: float = 0.02
    role_weight: float = 0.3
    # Share of a quote's cosine taken from its whole passage: a half-remembered paraphrase
    # often matches the context of the quote better than its one sentence.
    who_passage_weight: float = 0.3
    # What the words alone (without the role) must score for a quote to name its speaker: a
    # role the question names cannot carry a quote that says something else.
    who_min_content: float = 0.2
    # How far behind the best words a quote whose speaker has the role the question names may
    # be and still gain from it ("which regulator said …" is not answered by a regulator's
    # spokesperson saying something else).
    who_role_gap: float = 0.2
    # How far ahead of every other speaker a person's quote under the bar must be to name them
    # (down to CLEAR_BELOW under it, index/quotes/attribution.py); 1.0: never.
    who_clear_margin: float = 0.1
    # Share of a quote's word coverage taken from its whole article ("the transfer market" in the
    # story about the club's transfers): words of another story's quote are often close too.
    who_story_weight: float = 0.5
    # Added to a passage quoting the person a search asks about ("what did Lee say hobbled ...",
    # "per Lee, ..."): the question is about that person's words.
    speaker_bonus: float = 0.1


@dataclass
class Hit:
    chunk: ChunkRow
    score: float
    cosine: float
    coverage: float
    phrase: Match | None = None  # where the quoted phrase matched, if one was asked for
    highlights: list[tuple[int, int]] = field(default_factory=list)  # article offsets


class Searcher:
    """Searches one consistent snapshot; reloads when another process commits."""

    def __init__(self, store: Store, files: Files, embed: Callable[[str], np.ndarray]):
        self.store, self.files, self.embed = store, files, embed
        self.snapshot: Snapshot | None = None
        self._quoted_chunks: tuple[int, set[int]] | None = None  # (generation, chunk ids)
        self.resident: ResidentFiles | None = None  # set by Engine.warm: keeps the files in memory
        self.tuning = Tuning()
        self._article_terms: dict[int, frozenset[str]] = {}  # per snapshot: every term of an article
        self._chunk_spans: dict[int, list[tuple[int, int, int]]] = {}  # per snapshot: an article's passages
        # per snapshot: an article's lowest and highest chunk id, chunk count and title terms
        self._article_ranges: dict[int, tuple[int, int, int, frozenset[str]]] = {}

    def article_terms(self, article_id: int) -> frozenset[str]:
        """Every stored term of an article's passages and title (cached per generation)."""
        terms = self._article_terms.get(article_id)
        if terms is None:
            article = self.store.article(article_id)
            found = set(textnorm.index_terms(article.title if article else ""))
            for chunk_terms in self.store.chunk_terms(self.store.chunk_ids(article_id)).values():
                found.update(chunk_terms)
            terms = self._article_terms[article_id] = frozenset(found)
        return terms

    def terms_in_articles(self, article_ids, terms: list[str]) -> dict[int, frozenset[str]]:
        """Which of `terms` each article holds, in its title or any passage.

        An article's passages are stored together, so they are one run of positions in the
        BM25 index, and each term's postings answer for all the articles at once: no article's
        passages are read (at 1M passages, reading them cost most of a question)."""
        snap = self.refresh()
        wanted = list(dict.fromkeys(terms))
        unread = [aid for aid in dict.fromkeys(article_ids) if aid not in self._article_ranges]
        if unread:
            self._article_ranges.update((aid, (low, high, count, frozenset(textnorm.index_terms(title))))
                                        for aid, (low, high, count, title) in
                                        self.store.article_chunk_ranges(unread).items())
        ranges = {aid: self._article_ranges[aid] for aid in article_ids if aid in self._article_ranges}
        if not ranges:
            return {}
        aids = list(ranges)
        low, high, count = (np.array([ranges[a][i] for a in aids], dtype=np.int64) for i in range(3))
        lo = np.searchsorted(snap.lexical.ids, low)
        hi = np.searchsorted(snap.lexical.ids, high, side="right")
        run = hi - lo == count  # else the store is ahead of this snapshot: read the passages
        held = {t: snap.lexical.held_in_ranges(t, lo, hi) for t in wanted}
        out: dict[int, frozenset[str]] = {}
        for n, aid in enumerate(aids):
            title = ranges[aid][3]
            if run[n]:
                out[aid] = frozenset(t for t in wanted if held[t][n] or t in title)
            else:
                out[aid] = frozenset(set(wanted) & self.article_terms(aid))
        return out

    def refresh(self) -> Snapshot:
        if self.snapshot is None or self.snapshot.generation != self.store.generation():
            self.snapshot = load_snapshot(self.store, self.files, populate=self.resident is not None)
            self._article_terms, self._chunk_spans = {}, {}
            self._article_ranges = {}
            if self.resident is not None:  # the BM25 arrays are held by being mapped in full
                self.resident.hold([self.store.path])
        return self.snapshot

    def unknown_names(self, question: str, near: list[int] = ()) -> list[str]:
        """Names in the question (capitalised words past its first, or with a capital inside:
        "YouTube") that no stored passage contains, in any form. A word that abbreviates words
        of the `near` articles (those of the closest passages) is known: "NYT" for the New
        York Times, "AG" for attorney general, "WaPo" for the Washington Post."""
        snap = self.refresh()
        vocab = snap.lexical.retriever.vocab_dict if snap.lexical.retriever is not None else {}
        if not vocab:
            return []
        found = []
        for m in _NAME_WORD.finditer(question):
            word = m.group()
            first = not question[:m.start()].strip(" \"“‘'(")
            if (first and not any(c.isupper() for c in word[1:])) or textnorm.fold(word) in textnorm.STOPWORDS:
                continue
            def unseen_in(text: str) -> list[str]:
                return [stem for stem in textnorm.index_terms(text)
                        if stem not in vocab and not any(form in vocab for form in _demonym_forms(stem))]
            unseen = unseen_in(word)
            if unseen and textnorm.fold(word) in _ALIASES:  # "GOP" or "Republican", "CEO" or "chief executive"
                unseen = unseen_in(_ALIASES[textnorm.fold(word)])
            # a headline is often not a passage, so its words count as known
            if unseen and not set(unseen) <= self.store.in_titles(unseen) and word not in found:
                found.append(word)
        return self._not_abbreviations(found, near)

    def _not_abbreviations(self, words: list[str], near, head=lambda w: w) -> list[str]:
        """The words whose `head` abbreviates no words of the `near` articles ("NYT" for the New
        York Times). Their texts are read only here, when a question has such a word at all."""
        if not words:
            return words
        texts = [f"{row.title}\n{self.store.article_text(aid)}" for aid, row in self.store.articles_by_id(near).items()]
        return [w for w in words if not any(abbreviates(head(w), t) or _shortens(head(w), t) for t in texts)]

    def names_missing_near(self, question: str, near: list[int]) -> list[str]:
        """Names and years of the question that none of the `near` articles (those of the
        closest passages) mentions: "Storm Ingrid" when the closest article is about
        another storm, "2005" when it is about the 1995 returns (a year the article was published
        in counts as mentioned). A name of several capitalised
        words counts by its last ("Ines Reyes" is found by "Reyes"); an abbreviation ("WaPo")
        by the words it stands for."""
        names = []
        words_of = question.split()
        if sum(w[:1].isupper() for w in words_of) * 2 > len(words_of):
            return []  # a question in capitals or title case: its capitals name nothing
        for m in _NAME_RUN.finditer(question):
            words = m.group().replace("-", " ").split()
            if question[m.end():m.end() + 1] == "." and len(words[-1]) <= 3:
                words = words[:-1]  # "Wall St.": an abbreviation is no head
            if not question[:m.start()].strip(" \"“‘'("):
                words = words[1:]  # the question's first word is capitalised anyway
            if 2 <= len(words) <= 5 and not any(textnorm.fold(w) in textnorm.STOPWORDS for w in words):
                names.append((" ".join(words), words[-1]))
        names += [(m.group("year"), m.group("year")) for m in _YEAR.finditer(question)]
        # "the 2024-25 financial year" is found by the span or by its last year alone ("the year
        # to March 2025"), not by "2024-25" for "2023-24"
        spans = {m.group("year"): (m.group("year")[:4 - len(m.group("end"))] + m.group("end"), m.group())
                 for m in _YEAR_SPAN.finditer(question)}
        if not near:
            return []
        typed = self._names_typed_lowercase(question)
        names += [(w, w) for w in typed]
        if not names:
            return []
        stems = {head: textnorm.index_terms(head) for _, head in names}
        held = self.terms_in_articles(near, [t for terms in stems.values() for t in terms])
        missing = [name for name, head in names
                   if stems[head] and not any(set(stems[head]) <= held.get(aid, frozenset()) for aid in near)]
        # A name of two words typed in lower case, or one whose last word is a kind of place or
        # body ("Fairhaven General", "Dunbarra City"), is found by all its words together.
        pairs = [w for w in typed if " " in w and w not in missing] + [
            name for name, head in names if " " in name and textnorm.fold(head) in _PLACE_KINDS and name not in missing]
        if pairs:  # its words may be apart in the article ("in Fairhaven", "the auditor general"): read it
            texts = [f"{row.title}\n{self.store.article_text(aid)}".lower()
                     for aid, row in self.store.articles_by_id(near).items()]
            missing += [w for w in pairs if not any(w.lower() in " ".join(t.split()) for t in texts)]
        if spans:
            texts = [self.store.article_text(aid) for aid in near]
            for start, (end, written) in spans.items():
                missing = [name for name in missing if name != start]
                if not _year_span_in(start, end, texts):
                    missing.append(written)  # "never mentions 2025-26"
        if any(name.isdigit() for name in missing):  # an article seldom writes the year it is from
            years = {(row.published or "")[:4] for row in self.store.articles_by_id(near).values()}
            missing = [name for name in missing if name not in years]
        heads = dict(names)
        return list(dict.fromkeys(self._not_abbreviations(missing, near, head=lambda name: heads.get(name, name))))

    def _names_typed_lowercase(self, question: str) -> list[str]:
        """Words typed in lower case that the archive only ever writes as a name, mid-sentence
        too: "who won the kelby by-election" names Kelby. Only a word in few passages is looked
        up (a common word is no name, or one too common to check)."""
        snap = self.refresh()
        found = []
        for m in re.finditer(r"(?<![\w'’-])[a-z][a-z]{2,}(?![\w'’-])", question):
            word = m.group()
            if word in textnorm.STOPWORDS or word in _CALENDAR_WORDS:
                continue  # "the june rain": a month is when, no name of what an article is about
            ids = snap.lexical.containing_all(textnorm.index_terms(word))
            if not ids or len(ids) > NAME_PASSAGES:
                continue
            pattern = re.compile(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", re.IGNORECASE)
            seen = [(mm.group(), (text[:mm.start()].split() or [""])[-1], text[mm.end():].lstrip()[:1])
                    for text in (row.text for row in self.store.chunks(ids[:NAME_PASSAGES]).values())
                    for mm in pattern.finditer(text)]
            # Every time capitalised, and at least once a name on its own, mid-sentence: "the
            # Kelby by-election"; "Kelby Medical School" or "Ashford Town" makes no name of
            # "medical" or "town".
            if seen and all(written[0].isupper() for written, _, _ in seen) and any(
                    before[:1].islower() and not before.endswith(_SENTENCE_ENDS) and not after.isupper()
                    for _, before, after in seen):  # "… a 1.1% decline. Total revenue": a sentence's start
                found.append(seen[0][0])  # as the archive writes it
                # and with the word typed after it, when the archive writes the two as one name:
                # "fairhaven general" is Fairhaven General, not any Fairhaven passage
                nxt = re.match(r"\s+([a-z][a-z'’-]{2,})(?![\w'’-])", question[m.end():])
                if nxt and nxt.group(1) not in textnorm.STOPWORDS:
                    pair = re.compile(rf"(?<![\w'’-]){re.escape(word)}\s+({re.escape(nxt.group(1))})(?![\w'’-])",
                                      re.IGNORECASE)
                    written = [mm for text in (row.text for row in self.store.chunks(ids[:NAME_PASSAGES]).values())
                               for mm in pair.finditer(text)]
                    if written and all(mm.group(1)[0].isupper() for mm in written):
                        found.append(" ".join(written[0].group().split()))
        return list(dict.fromkeys(found))

    def search(self, text: str, phrases: list[str] | None = None, article_ids: set[int] | None = None,
               limit: int = 5, qvec: np.ndarray | None = None, speakers: frozenset[str] = frozenset()) -> list[Hit]:
        """The best passages for `text`; `speakers` (keys) are whose words the question asks about."""
        snap = self.refresh()
        if snap.empty:
            return []
        phrases = [p for p in (phrases or []) if textnorm.words(p)]
        topic = textnorm.query_terms(text) or textnorm.index_terms(text)
        if qvec is None:
            qvec = self.embed(text)
        wants = answer_type(text)
        holds_wanted = answer_test(wants, text) if wants else None

        candidates: dict[int, float] = {}
        k = CANDIDATES
        if article_ids is not None:  # a scoped search looks at every passage of those articles
            for aid in article_ids:
                candidates.update((cid, np.nan) for cid in self.store.chunk_ids(aid))
        for cid, _ in snap.lexical.search(topic, k):
            candidates.setdefault(cid, np.nan)
        for cid, cos in snap.vectors.search(qvec, k):
            candidates[cid] = cos
        for phrase in phrases:  # only passages that really hold the phrase, so none is crowded out
            for row, _ in self.phrase_matches(phrase, article_ids, enough=PHRASE_HITS):
                candidates.setdefault(row.id, np.nan)
        missing = [cid for cid, cos in candidates.items() if np.isnan(cos)]
        candidates.update(snap.vectors.similarity(qvec, missing))

        # The terms stored at ingest, not re-tokenised here: a phrase can bring 500 candidates.
        rows, stored_terms, keys = self.store.chunks_for_ranking(list(candidates))
        if article_ids is not None:
            rows = {cid: r for cid, r in rows.items() if r.article_id in article_ids}

        idf = snap.lexical.idf(topic)
        total = sum(idf.values()) or 1.0
        # A term is in a passage's " a b c " as " b ". A folded term that is empty or holds a space
        # (a few Unicode ligatures) is no stored term, as splitting the stored string never gave it.
        spaced = {t: f" {t} " for t in idf if t and t.split() == [t]}
        in_articles = self.terms_in_articles({row.article_id for row in rows.values()}, list(idf))
        quoting: dict[int, list[tuple[int, int]]] = {}  # article -> spans of the asked-about speakers' quotes
        for aid, start, end in self.store.quote_spans_by(speakers, {row.article_id for row in rows.values()}):
            quoting.setdefault(aid, []).append((start, end))
        # The asked-about speaker's name is held by a passage of their quotes that says "he".
        named = {t for key in speakers for t in textnorm.index_terms(key)} & set(spaced)
        hits = []
        tuning = self.tuning
        for cid, row in rows.items():
            if not phrases and is_fragment(row.text):
                continue
            present = f" {stored_terms[cid]} "
            held = {t for t in spaced if spaced[t] in present or _same_family(t, present)}
            quoted = any(start < row.end and row.start < end for start, end in quoting.get(row.article_id, ()))
            if quoted:
                held |= named
            coverage = sum(w for t, w in idf.items() if t in held) / total
            in_article = in_articles.get(row.article_id, frozenset())
            article_coverage = sum(w for t, w in idf.items() if t in held or t in in_article) / total
            terms = (1 - tuning.article_weight) * coverage + tuning.article_weight * article_coverage
            cos = float(candidates.get(cid, 0.0))
            score = tuning.vector_weight * max(cos, 0.0) + (1 - tuning.vector_weight) * terms
            if holds_wanted and holds_wanted(row.text):
                score += tuning.answer_type_bonus
            if quoted:
                score += tuning.speaker_bonus
            hits.append(Hit(row, round(score, 4), cos, coverage))
        if phrases:
            _match_phrases(hits, phrases, keys, limit)
        hits.sort(key=lambda h: (h.phrase is not None and h.phrase.exact, h.phrase is not None, h.score),
                  reverse=True)
        top = _dedupe(hits, keys)[:limit]
        if not phrases:  # mark the question's terms, only in the passages shown
            topic_stems = set(topic)
            for h in top:
                h.highlights = merge_spans(term_spans(h.chunk.text, topic_stems, base=h.chunk.start))
        return top

    def phrase_chunk_ids(self, phrase: str, article_ids: set[int] | None = None) -> list[int]:
        """Every chunk holding all the phrase's words (one typo allowed per unknown word),
        newest first. Not capped: a phrase in thousands of passages keeps all of them."""
        snap = self.refresh()
        if snap.empty or not textnorm.words(phrase):
            return []
        ids = self._phrase_candidates(snap, phrase)
        if article_ids is not None:
            ids &= {cid for aid in article_ids for cid in self.store.chunk_ids(aid)}
        return sorted(ids, reverse=True)

    def quoted_chunk_ids(self) -> set[int]:
        """Chunks that overlap a stored quote, worked out once per generation: a phrase in
        thousands of passages then looks up quotes only where there are some."""
        snap = self.refresh()
        if self._quoted_chunks is None or self._quoted_chunks[0] != snap.generation:
            self._quoted_chunks = snap.generation, self.store.chunks_with_quotes()
        return self._quoted_chunks[1]

    def phrase_matches(self, phrase: str, article_ids: set[int] | None = None, ids: list[int] | None = None,
                       enough: int | None = None) -> list[tuple[ChunkRow, Match]]:
        """Occurrences of the phrase (exact or near), by chunk, newest first.

        `ids` are the candidates (default: `phrase_chunk_ids`). With `enough`, checking stops
        once that many chunks matched exactly; otherwise every candidate is checked. Near misses
        are returned only where no passage matched exactly (callers let exact matches hide them)."""
        if ids is None:
            ids = self.phrase_chunk_ids(phrase, article_ids)
        finder, found, exact_chunks = PhraseFinder(phrase), [], 0
        unmatched: list[ChunkRow] = []  # plain-ASCII passages with no exact match: near misses only
        pos, step = 0, 64  # batches grow: a common phrase usually stops early
        while pos < len(ids):
            batch, pos, step = ids[pos:pos + step], pos + step, min(step * 2, 1024)
            by_id = self.store.chunks(batch)
            rows = [by_id[cid] for cid in batch
                    if cid in by_id and (article_ids is None or by_id[cid].article_id in article_ids)]
            for row, matches in zip(rows, finder.exact_in_ascii([r.text for r in rows], [r.start for r in rows])):
                if matches == []:
                    unmatched.append(row)
                    continue
                if matches is None:
                    matches = finder.find(row.text, base=row.start)
                found.extend((row, m) for m in matches)
                exact_chunks += any(m.exact for m in matches)
                if enough is not None and exact_chunks >= enough:
                    return found
        if not exact_chunks:  # near misses matter only when nothing matched exactly
            for row in unmatched:
                found.extend((row, m) for m in finder.find(row.text, base=row.start))
        return found

    def similar_quotes(self, qvec: np.ndarray, k: int, article_ids: set[int] | None = None
                       ) -> list[tuple[int, float]]:
        """The `k` stored quotes whose sentences are closest to `qvec`: (quote id, cosine), best first."""
        snap = self.refresh()
        if snap.quote_vectors is None or not len(snap.quote_vectors):
            return []
        if article_ids is None:
            return snap.quote_vectors.search(qvec, k)
        ids = [qid for aid in article_ids for qid in self.store.quote_ids(aid)]
        scored = sorted(self.quote_similarity(qvec, ids).items(), key=lambda item: -item[1])
        return scored[:k]

    def chunk_spans(self, article_ids) -> dict[int, list[tuple[int, int, int]]]:
        """(chunk id, start, end) of each passage of these articles (cached per generation)."""
        missing = [aid for aid in dict.fromkeys(article_ids) if aid not in self._chunk_spans]
        if missing:
            ids = {aid: self.store.chunk_ids(aid) for aid in missing}
            rows = self.store.chunks([cid for cids in ids.values() for cid in cids])
            for aid, cids in ids.items():
                self._chunk_spans[aid] = [(cid, rows[cid].start, rows[cid].end) for cid in cids if cid in rows]
        return {aid: self._chunk_spans[aid] for aid in article_ids}

    def quote_similarity(self, qvec: np.ndarray, quote_ids: list[int]) -> dict[int, float]:
        """Cosine of `qvec` to the sentences of the given quotes (stored at ingest)."""
        snap = self.refresh()
        if snap.quote_vectors is None:
            return {}
        return snap.quote_vectors.similarity(qvec, quote_ids)

    def phrase_options(self, phrase: str) -> list[list[str]] | None:
        """For each word of the phrase, the stored stems that may stand for it: its own stem, or
        those one typo away when the index lacks it; None when a word has none."""
        snap = self.refresh()
        words = textnorm.words(phrase)
        stems = textnorm.stems(words)
        vocab = snap.lexical.retriever.vocab_dict if snap.lexical.retriever is not None else {}
        options: list[list[str]] = []
        for word, stem in zip(words, stems):
            if stem in vocab:
                options.append([stem])
            elif 4 <= len(word) <= TYPO_MAX_CHARS:
                near = {s for s in textnorm.stems(sorted(edits1(word))) if s in vocab}
                if not near:
                    return None
                options.append(sorted(near))
            else:
                return None
        return options

    def phrase_variants(self, phrase: str) -> list[list[str]]:
        """The phrase's stems as asked, then with one typo option at a time (most words have
        exactly one option, so this stays small); [] when a word has none."""
        options = self.phrase_options(phrase) or []
        base = [o[0] for o in options]
        return ([base] + [base[:i] + [alt] + base[i + 1:] for i, opts in enumerate(options) for alt in opts[1:]]
                if options else [])

    def _phrase_candidates(self, snap: Snapshot, phrase: str) -> set[int]:
        """Chunks holding every word of the phrase, allowing one typo per unknown word."""
        return {cid for stems in self.phrase_variants(phrase) for cid in snap.lexical.containing_all(stems)}


# Names news uses for a party or a side that the articles may write out in full ("GOP" for
# the Republicans): a question's name is known when its full form is.
# Short forms news readers type for what articles spell out: "No article mentions GDP" would be
# wrong of an archive that writes "economic growth".
_ALIASES = {"gop": "republican", "dems": "democrat", "tory": "conservative", "tories": "conservative",
            "lib": "liberal", "libs": "liberal", "nats": "nationalist", "govt": "government",
            "gdp": "economy", "ceo": "chief executive", "cfo": "finance", "ipo": "shares", "agm": "annual meeting",
            "ev": "electric", "evs": "electric", "ai": "artificial intelligence", "gp": "doctor", "gps": "doctors",
            "icu": "intensive care", "er": "emergency", "pm": "prime minister", "mp": "parliament",
            "mps": "parliament", "da": "district attorney", "ag": "attorney general", "vc": "vice chancellor",
            "dept": "department", "uni": "university", "hq": "headquarters"}
_PLACE_KINDS = frozenset("""general regional city county hospital school college university park street road
    bridge station centre center council airport harbour harbor port river lake bay sound valley district ward
    square stadium arena hall court prison jail""".split())
_NAME_WORD = re.compile(r"\b[A-Z][\w]*[A-Za-z][\w]*")  # starts with a capital: a name, or a sentence start
# Two or more capitalised words in a row: one name (names_missing_near drops an abbreviation like "St.").
_NAME_RUN = re.compile(r"\b[A-Z]\w*[A-Za-z]\w*(?:[ -][A-Z]\w*[A-Za-z]\w*)+\b")
# A year, as a question writes one: "in 2005", "since 1995", "the mayor's 2005 tax return" (a count
# such as "2000 nurses" follows no such word).
_YEAR = re.compile(r"(?:\b(?:in|since|by|of|from|until|till|before|after|during|the|early|late|mid)\s+|['’]s\s+)"
                   r"(?P<year>(?:1[89]|20)\d\d)\b", re.IGNORECASE)
_SENTENCE_ENDS = (".", "!", "?", ":", ";", '"', "”", "’")
_YEAR_SPAN = re.compile(r"(?<![\d/-])\b(?P<year>(?:1[89]|20)\d\d)[-/–](?P<end>\d\d(?:\d\d)?)\b(?![-/–]\d)")  # not 2024-03-15
_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_COUNT_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety")
_FRACTIONS = r"halves|half|thirds?|quarters?|fifths?|sixths?|eighths?|tenths?"
ANSWER_TYPES = {
    "time": re.compile(
        rf"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|{_MONTHS}|(?:19|20)\d\d|yesterday|today|tonight|"
        r"tomorrow|ago|last (?:week|month|year|night)|next (?:week|month|year)|"
        r"\d{1,2}(?::\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)|\d{1,2}/\d{1,2})\b", re.IGNORECASE),
    # An amount of money, a share, or any other count.
    "money": re.compile(rf"[$€£¥]\s?\d|\b\d+p\b|\b(?:USD|GBP|EUR)\s?\d|\b(?:\d[\d,.]*|a|{_COUNT_WORDS}|half a|"
                        r"several|hundreds of|thousands of|millions of|billions of)(?:[\s-]+(?:and a half|"
                        rf"{_COUNT_WORDS}))*\s*(?:m|bn|k|hundred|thousand|million|billion|trillion)?"
                        r"(?:\s+and a half)?\s*(?:[a-z]+\s+)?(?:dollars|euros|pounds|yen|quid|pence|cents|grand|"
                        r"francs|rupees|yuan|rand|kronor|krona|crowns|pesos|roubles|rubles|lira|dirhams|riyals)\b|"
                        r"\b(?:millions|billions)\b", re.IGNORECASE),
    "share": re.compile(rf"\d\s?%|\d\s?pc\b|\bper\s?cent(?:age)?\b|\b(?:\d+|{_COUNT_WORDS}) "
                        rf"(?:in(?: every)?|of every|out of) (?:\d+|{_COUNT_WORDS}|a hundred)\b|"
                        rf"\b(?:a|one|two|three|four|five|seven|nine) ?-?(?:{_FRACTIONS})\b(?!-)|"
                        r"\b(?:half|majority|minority)\b", re.IGNORECASE),
    # A street address: "131 West 23rd Street", "on Harbour Road", "10 Downing St.".
    "address": re.compile(r"\b(?:\d{1,5}[A-Za-z]?\s+)?(?:(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th))\s+){1,3}"
                          r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Drive|Place|Square|Terrace|Crescent|"
                          r"Parkway|Highway|Way|Row|Close)\b"),
    # A cause: "why did the line close" is answered by "after engineers found cracks".
    # "After" and "since" as time ("reopen after the summer", "since 2019") give no cause.
    "reason": re.compile(r"\b(?:because|due to|owing to|as a result|amid|so that|in order to|found that|blamed|cited|"
                         r"reasons?|caused by|led to|prompted|over concerns?|(?:after|following|since)\b(?!\s+"
                         r"(?:(?:the|this|next|last|a)\s+)?(?:\d|(?:summer|winter|spring|autumn|fall|holidays?|"
                         r"weekend|week|month|year|season|break|christmas|easter|election|"
                         rf"(?:mon|tues|wednes|thurs|fri|satur|sun)day|{_MONTHS})\b)))", re.IGNORECASE),
    "number": re.compile(rf"\d|\b(?:{_COUNT_WORDS}|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|"
                         r"scores|half|percent|twice|thrice|hat-trick|brace)\b", re.IGNORECASE),
}
# A share of a sum is an amount of money: "fines of up to 10% of their global turnover".
_SHARE_OF_MONEY = re.compile(r"(?:\d\s?%|\d\s?pc\b|\bper\s?cent\b|\bpercent\b)\s+of\s+(?:(?:the|their|its|his|her|"
                             r"a|annual|global|yearly|total|gross|net|worldwide|[\w'’-]+['’]s)\s+)*(?:turnover|"
                             r"revenues?|profits?|income|salar(?:y|ies)|budgets?|gdp|earnings|sales|pay|wages?|"
                             r"takings)\b", re.IGNORECASE)
# A money question about a rise or a fall ("how much did prices rise") is answered by a share too.
_CHANGE_WORDS = re.compile(r"\b(?:ris(?:e|en|es|ing)|rose|f(?:a|e)ll(?:en|s|ing)?|increas\w*|decreas\w*|"
                           r"drop\w*|gr(?:o|e)w\w*|cut|up|down|jump\w*|climb\w*|slump\w*)\b", re.IGNORECASE)
_COUNTING = re.compile(r"\bhow many\b(?:\s+(?P<unit>[a-z]+))?", re.IGNORECASE)
# A number then a plural noun, with no preposition before it ("in 2016 voters" is a year).
_COUNT_OF_THINGS = re.compile(r"(?<![\w$€£¥.,])(?<!\bin )(?<!\bof )(?<!\bby )(?<!\bsince )(?<!\bfrom )"
                              r"(?<!\buntil )(?<!\bbefore )(?<!\bafter )(?<!\bduring )\d[\d,]*\s+"
                              r"(?:more\s+|new\s+|extra\s+|other\s+)?"
                              r"(?!(?:days|weeks|months|years|hours|minutes|seconds|decades|times|pence|cents|dollars|"
                              r"pounds|euros)\b)[a-z]+s\b")
_TIME_UNITS = frozenset("seconds minutes hours days nights weeks months years decades times".split())
_DURATION = re.compile(rf"\b(?:\d[\d,.]*|{_COUNT_WORDS}|a|several|few)[\s-]+(?:more\s+)?(?:seconds?|minutes?|hours?|"
                       r"days?|nights?|weeks?|months?|years?|decades?)\b", re.IGNORECASE)
_WANTS_ADDRESS = re.compile(r"\b(?:what|which|street|home|postal|exact|the|an|its|her|his|their)\s+address\b|"
                            r"\baddress\s+of\b|\b(?:what|which) (?:street|road|avenue)\b", re.IGNORECASE)
# Numbers that count nothing, taken out in this order: dates, then times and years (the "time"
# answer), then amounts of money and shares, ordinals, and the words for money and shares.
_NOT_COUNTS = [re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{_MONTHS})\b", re.IGNORECASE),
               ANSWER_TYPES["time"],
               re.compile(r"[$€£¥]\s?\d[\d,.]*(?:\s?(?:m|bn|k|million|billion|trillion)\b)?|"
                          r"\b\d[\d,.]*\s?(?:%|pc\b|p\b(?!\.)|per\s?cent\b|percent\b)", re.IGNORECASE),
               re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE),
               ANSWER_TYPES["money"], ANSWER_TYPES["share"]]
_WANTS_REASON = re.compile(r"^\s*(?:why|how come)\b|\bwhat (?:caused|led to|prompted)\b|\breasons? (?:for|why)\b",
                           re.IGNORECASE)
_WANTS_TIME = re.compile(r"^\s*(?:when|by when|since when)\b|\bwhat (?:year|date|day|month|time)\b", re.IGNORECASE)
_WANTS_NUMBER = re.compile(r"\bhow (?:many|much|big|large|old|long|far|often)\b|\bwhat (?:share|percent(?:age)?|"
                           r"proportion|number|amount|total|tally|rate|price|fraction)\b", re.IGNORECASE)
# Words that make a count an amount of money or a share, in a full question or a keyword query
# ("how much did they pay", "self-funding total", "weekly benefit amount", "what share of").
_MONEY_WORDS = re.compile(r"\b(?:pa(?:y|id|ys|ying)|cost(?:s|ing)?|spen[dt]\w*|rais(?:e|ed|es|ing)|gi(?:ve|ven|ving|ft)|"
                          r"donat\w*|contribut\w*|debts?|owe[sd]?|revenue|invest\w*|fund\w*|money|cash|price[sd]?|"
                          r"salar(?:y|ies)|wages?|budget\w*|fines?d?|bail|settle\w*|benefits?|dollars?|worth|"
                          r"earn\w*|income|profits?|loss(?:es)?|tax(?:es)?|set aside|put in)\b", re.IGNORECASE)
_AMOUNT_WORDS = re.compile(r"\b(?:how much|amount|total|sum|most|tally|figure)\b", re.IGNORECASE)
_SHARE_WORDS = re.compile(r"\b(?:what|which) (?:share|percent(?:age)?|proportion|fraction)\b|\bshare of\b|"
                          r"\bpercent(?:age)?\b", re.IGNORECASE)


def _shortens(word: str, text: str) -> bool:
    """Whether a capitalised word is the start of a longer one in `text`, as papers shorten them:
    "Prop 4" for Proposition 4, "Oct-Dec" for October to December, "Gov" for Governor."""
    return len(word) >= 3 and word[:1].isupper() and word[1:].islower() and \
        re.search(rf"\b{re.escape(word)}[a-z]{{2,}}", text) is not None


def _year_span_in(start: str, end: str, texts: list[str]) -> bool:
    """Whether a text names the span ("2024-25", "2024/2025") or its last year on its own ("the
    year to March 2025"), not as the start of another span ("2025-26")."""
    span = re.compile(rf"\b{start}\s?[-/–]\s?(?:{end}|{end[2:]})\b|(?<![-/–\d]){end}\b(?!\s?[-/–]\s?\d)")
    return any(span.search(text) for text in texts)


def _demonym_forms(stem: str) -> list[str]:
    """A country's people and back, as the stemmer leaves them: "uruguay" / "uruguayan",
    "canada" / "canadian", "itali" / "italian", "china" / "chines", "pakistan" / "pakistani"."""
    forms = [stem + end for end in ("an", "n", "ian", "i", "ese", "es")]
    forms += [stem[:-1] + end for end in ("ian", "an", "es", "ese")] + ([stem[:-1]] if stem.endswith("i") else [])
    forms += [stem[:-len(end)] for end in ("ian", "an", "i", "ese", "es") if stem.endswith(end) and len(stem) - len(end) > 3]
    return [f for f in forms if len(f) > 3]


_CALENDAR_WORDS = frozenset("""january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday""".split())


def is_fragment(text: str) -> bool:
    """A short passage that is no sentence: under two plain words, none of them lowercase, or
    one that only leads in to the next paragraph ("He said:")."""
    words = text.split(maxsplit=FRAGMENT_WORDS)
    if len(words) > FRAGMENT_WORDS:
        return False
    if text.rstrip().endswith(":"):
        return True
    plain = [w for w in (w.strip(".,;!?\"'“”‘’()[]") for w in words) if w.isalpha()]
    return len(plain) < 2 or not any(w[0].islower() for w in plain)


def _same_family(term: str, present: str) -> bool:
    """Whether the stored terms `present` (" a b c ") hold a longer or shorter stem of `term`'s
    family: one starts the other and is at most FAMILY_EXTRA letters longer ("secret" is no
    "secretari")."""
    if len(term) < FAMILY_STEM:
        return False
    at = present.find(" " + term)
    while at >= 0:
        if present.find(" ", at + 1) - (at + 1) - len(term) <= FAMILY_EXTRA:
            return True
        at = present.find(" " + term, at + 1)
    return any(f" {term[:n]} " in present for n in range(max(FAMILY_STEM, len(term) - FAMILY_EXTRA), len(term)))


def abbreviates(word: str, text: str) -> bool:
    """Whether `word` is an abbreviation of consecutive words of `text`: its capitals (or
    letters, when it is all capitals) start those words in order, and any lower-case letters
    after a capital continue its word. "EU" ~ "European Union", "WaPo" ~ "Washington Post"."""
    parts = re.findall(r"[A-Z][a-z]*", word) if not word.isupper() else list(word)
    if len(parts) < 2 or "".join(parts) != word:
        return False
    pattern = r"\b" + r"[\W_]+".join(re.escape(p) + r"[^\W\d_]*" for p in parts) + r"\b"
    return re.search(pattern, text, re.IGNORECASE) is not None


def required_answer_type(question: str) -> str | None:
    """The kind of answer without which no passage answers the question: an amount of money,
    a share, or a count ("how many"). A time or a length can be said in words no pattern
    knows ("at the weekend", "for months"), so those only rank."""
    wants = answer_type(question)
    if wants in ("money", "share") or (wants == "number" and _COUNTING.search(question)):
        return wants
    return None


def holds_answer_type(kind: str, text: str, question: str = "") -> bool:
    """Whether a passage holds the kind of answer (see `answer_test`)."""
    return answer_test(kind, question)(text)


def answer_test(kind: str, question: str = ""):
    """Whether a passage holds the kind of answer, read from the question once for all the
    passages it ranks: a money question about a rise or a fall also takes a share ("how much
    did prices rise": "by 4.2%"), any takes a share of a sum, and "how many" wants a count."""
    pattern = ANSWER_TYPES[kind]
    if kind == "money":
        share = ANSWER_TYPES["share"] if _CHANGE_WORDS.search(question) else None
        return lambda text: bool(_SHARE_OF_MONEY.search(text) or share and share.search(text) or pattern.search(text))
    counting = _COUNTING.search(question) if kind == "number" else None
    if not counting:
        return lambda text: bool(pattern.search(text))
    # Not a sum, a share or a date, and a length of time only when the question counts them.
    removed = _NOT_COUNTS if (counting.group("unit") or "").lower() in _TIME_UNITS else (*_NOT_COUNTS, _DURATION)

    def holds_count(text: str) -> bool:
        if _COUNT_OF_THINGS.search(text):
            return True  # "The school now has 1950 pupils": a count, though written like a year
        for p in removed:
            text = p.sub(" ", text)
        return bool(pattern.search(text))
    return holds_count


def answer_type(question: str) -> str | None:
    """What kind of answer a question asks for, when its wording says: a time, an address, an
    amount of money, a share, another number, or a reason ("why …": a passage giving a cause)."""
    if _WANTS_TIME.search(question):
        return "time"
    if _WANTS_ADDRESS.search(question):
        return "address"
    if _SHARE_WORDS.search(question):
        return "share"
    counting = _WANTS_NUMBER.search(question)
    if _MONEY_WORDS.search(question) and (counting and counting.group().lower().split()[-1] in ("much", "big", "large")
                                             or _AMOUNT_WORDS.search(question)):
        return "money"
    if counting:
        return "number"
    if _WANTS_REASON.search(question):
        return "reason"
    return None


def _match_phrases(hits: list[Hit], phrases: list[str], keys: dict[int, str], limit: int) -> None:
    """Set each hit's phrase match and mark the quoted words.

    Hits are checked best score first, the order they keep within their tier when ranked.
    Once `limit` distinct passages match exactly, no hit checked later can rank above them,
    so the rest are left unchecked: common words can bring hundreds of candidates."""
    finders = [PhraseFinder(p) for p in phrases]
    exact_keys: set[str | None] = set()
    for hit in sorted(hits, key=lambda h: h.score, reverse=True):  # stable, like the final sort
        if len(exact_keys) >= limit:
            break
        row, spans, match = hit.chunk, [], None
        for finder in finders:
            found = finder.find(row.text, base=row.start)
            spans.extend((m.start, m.end) for m in found)
            if found and (match is None or (found[0].exact and not match.exact)):
                match = max(found, key=lambda m: m.exact)
        hit.phrase, hit.highlights = match, merge_spans(spans)
        if match is not None and match.exact:
            exact_keys.add(keys.get(row.id))


def _dedupe(hits: list[Hit], keys: dict[int, str]) -> list[Hit]:
    """Drop passages whose text repeats one already ranked higher (syndicated copies)."""
    seen, out = set(), []
    for h in hits:
        key = keys.get(h.chunk.id)
        if key in seen:
            continue
        seen.add(key)
        out.append(h)
    return out
