"""The engine's one entry point: ingest, ask, list, remove, stats. It knows nothing of Slack.

    engine = Engine(Settings.from_env())
    engine.ingest(["articles/"])
    print(engine.ask('who said "sacred battle"').to_dict())

Questions are embedded by the ONNX export of the model (onnxruntime, no torch: see
onnx_encoder), and so are passages at ingest unless SUMMIT_INGEST_ENCODER says otherwise;
torch loads only to export the model once (or when asked for). Encoders load on first use;
`warm()` loads the question encoder and the index up front.
One Engine may be shared by threads: asks and writes are serialised.
"""
from __future__ import annotations

import gc
import logging
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .answer import Answer, ArticleRef, Result
from .errors import InputError, ModelMismatchError
from .quotes.attribution import QuoteAnswers, matching_speakers, speakers_named, tells_of_self
from .retrieval import ann
from .retrieval.question import CHECK, QUOTES_BY, WHO_SAID, check_question, parse
from .retrieval.outcomes import unreported
from .retrieval.facts import ungiven
from .retrieval.search import Hit, Searcher
from .settings import Settings, usable_cpus
from .sources.chunking import Chunker
from .storage.generations import ENCODER_META, Delete, Files, Writer, load_snapshot
from .storage.resident import ResidentFiles
from .storage.store import ArticleRow, QuoteRow, Store

if TYPE_CHECKING:
    from .sources.documents import Document
    from .ingest import IngestResult

CLOSEST = 3  # passages shown when the engine declines to answer
ABBREVIATION_ARTICLES = 10  # articles read for the words a short form stands for ("monetary policy committee")
# onnxruntime threads for one question: two embed it 30% faster than one, and still a little
# faster with the other core busy (docs/benchmarks.md); more only add hand-offs for 12 word pieces.
QUESTION_THREADS = min(2, usable_cpus())
SQLITE_MAX_ID = 2**63 - 1  # SQLite's largest integer: no article has an id past it
log = logging.getLogger(__name__)


def _storable(article_id: int) -> bool:
    return -SQLITE_MAX_ID - 1 <= article_id <= SQLITE_MAX_ID


class Engine:
    def __init__(self, settings: Settings | None = None, check_model: bool = True):
        self.settings = settings or Settings.from_env()
        self.store = Store(self.settings.data_dir)
        self.files = Files(self.settings.data_dir)
        if check_model:
            self._check_model()
        self._lock = threading.RLock()
        self._writer: Writer | None = None
        self.searcher = Searcher(self.store, self.files, self._embed_query)
        ann.set_threads(self.settings.faiss_threads)

    def _check_model(self) -> None:
        built_with, dim = self.store.meta("model"), self.store.meta("dim")
        if built_with and built_with != self.settings.model:
            raise ModelMismatchError(
                f"the index in {self.settings.data_dir} was built with {built_with} ({dim}-d), "
                f"but SUMMIT_MODEL is {self.settings.model}: run `summit reindex` to rebuild it "
                f"with the new model, or set SUMMIT_DATA_DIR to a new folder"
            )

    # --- models, loaded once ---
    @cached_property
    def embedder(self):
        from .models.embedding import Embedder

        with self._lock:
            return Embedder(self.settings.model, batch_size=self.settings.encode_batch)

    @cached_property
    def query_encoder(self):
        """Embeds questions: the ONNX export (exported on first use if torch is here), or the
        torch model when the model's pipeline has a module the ONNX encoder does not reproduce."""
        from .models import onnx_encoder

        with self._lock:
            try:
                return onnx_encoder.load(self.settings, threads=QUESTION_THREADS)
            except onnx_encoder.UnsupportedModel as exc:
                log.warning("questions use torch: %s", exc)
                return self.embedder

    @cached_property
    def ingest_encoder(self):
        """Embeds passages and quote sentences at ingest and reindex (SUMMIT_INGEST_ENCODER): the
        ONNX export on every CPU by default (torch's vectors for less CPU: docs/benchmarks.md),
        or torch, which is also the fallback for a model onnxruntime cannot run."""
        choice = self.settings.ingest_encoder
        if choice == "torch":
            return self.embedder
        from .models import onnx_encoder

        with self._lock:
            try:
                return onnx_encoder.load(self.settings, threads=usable_cpus())
            except onnx_encoder.UnsupportedModel as exc:
                log.warning("ingest uses torch: %s", exc)
                return self.embedder

    @cached_property
    def chunker(self) -> Chunker:
        encoder = self.ingest_encoder  # its tokenizer sizes the chunks: ingest needs no torch
        return Chunker(encoder.token_offsets, max_tokens=encoder.max_tokens - 2)

    @cached_property
    def quote_answers(self) -> QuoteAnswers:
        """Who said and quotes by; one per engine, so what it keeps between questions lasts."""
        return QuoteAnswers(self)

    def _embed_query(self, text: str):
        return self.query_encoder.encode_query(text)

    def warm(self) -> None:
        """Load the question encoder and the index now, so the first question is fast. With
        SUMMIT_KEEP_RESIDENT (a long-running process), this process also keeps the index files
        in memory from now on."""
        with self._lock:
            if self.settings.keep_resident and self.searcher.resident is None:
                self.searcher.resident = ResidentFiles()
                self.searcher.snapshot = None  # loaded again, held this time
            self.searcher.refresh()
            self._embed_query("warm up")
            if self.settings.keep_resident:
                # What loading made (models, vocabulary) lives as long as the process: a full
                # collection that walks it all took 28 ms of one question at 1M passages.
                gc.collect()  # what is garbage now is not kept for good
                gc.freeze()

    # --- writing ---
    @property
    def writer(self) -> Writer:
        if self._writer is None:
            # The stored dimension when there is an index: removing an article needs no model.
            dim = int(self.store.meta("dim") or 0) or self.ingest_encoder.dim
            self._writer = Writer(self.store, self.files, self.settings.model, dim, self.settings.flat_max)
        return self._writer

    def commit(self, changes: list, encoder: str | None = None) -> list[int]:
        """`encoder`: the kind of encoder that embedded the changes' vectors (kept in meta)."""
        with self._lock:
            return self.writer.commit(changes, encoder=encoder)

    @cached_property
    def nlp(self):
        from .models.nlp import pipeline

        return pipeline(self.settings.spacy_model)

    def extract_quotes_many(self, docs: list[Document]) -> list[list]:
        """Quotes with speakers for each document (empty when SUMMIT_EXTRACT_QUOTES is off)."""
        if not self.settings.extract_quotes or not docs:
            return [[] for _ in docs]
        from .quotes.extraction import extract_parallel

        return extract_parallel([(doc.text, doc.paragraphs) for doc in docs], self.nlp, self.settings.ingest_workers)

    def ingest(self, paths: list[str | Path], skip_bad: bool = False, progress: bool = False,
               errors: list[str] | None = None) -> list[IngestResult]:
        """Ingest files, folders and http(s) URLs. Bad input stops the run before anything is
        written, unless `skip_bad`, when their messages are appended to `errors` instead."""
        # Imported here: a process that only answers never loads the fetcher or the cleaners.
        from .sources.documents import find_files, load_file
        from .sources.fetch import is_url
        from .sources.web import fetch_article

        urls = [p for p in paths if isinstance(p, str) and is_url(p)]
        files = find_files([p for p in paths if not (isinstance(p, str) and is_url(p))])
        docs, problems = [], []
        for path in files:
            try:
                docs.append(load_file(path, self.settings.file_max_bytes))
            except InputError as exc:
                problems.append(str(exc))
        for url in urls:  # fetched outside the lock: a slow site must not hold up questions
            try:
                docs.append(fetch_article(url, self.settings))
            except InputError as exc:
                problems.append(str(exc))
        if problems and not skip_bad:
            more = f" (and {len(problems) - 1} more; --skip-bad ingests the rest)" if len(problems) > 1 else ""
            raise InputError(problems[0] + more)
        if errors is not None:
            errors.extend(problems)
        return self.ingest_documents(docs, progress=progress)

    def add_url(self, url: str) -> IngestResult:
        """Fetch and ingest one article (the bot's `/summit add <url>`). Raises InputError.

        Only an http(s) link: whoever may type in Slack must never make the server read its own
        files (or walk its disk) as articles."""
        from .sources.fetch import is_web_url

        url = url.strip()
        if not is_web_url(url):
            raise InputError("only an http(s) link to an article can be added, e.g. https://example.com/story")
        return self.ingest([url])[0]

    def ingest_documents(self, docs: list[Document], progress: bool = False) -> list[IngestResult]:
        from .ingest import Ingestor

        with self._lock:
            return Ingestor(self).run(docs, total=len(docs), progress=progress)

    def remove(self, article_id: int) -> ArticleRow:
        with self._lock:
            article = self.store.article(article_id) if _storable(article_id) else None
            if article is None:
                raise InputError(f"no article with id {article_id} (see `summit list`)")
            self.writer.commit([Delete(article_id)])
            return article

    def reindex(self, progress: bool = False) -> int:
        """Re-embed every stored chunk and quote sentence with the configured model (after
        SUMMIT_MODEL changes, or to give an older index its quote vectors).

        The old index stays readable until the new one is committed."""
        from tqdm import tqdm

        from .models.embedding import in_context, with_sentences

        with self._lock:
            encoder = self.ingest_encoder
            ids = self.store.all_chunk_ids()
            vectors = ann.VectorIndex.empty(encoder.dim)
            step = 512
            quote_vectors = ann.VectorIndex.empty(encoder.dim)
            pooled_ids: set[int] = set()  # quotes whose sentence was pooled from its passage
            for pos in tqdm(range(0, len(ids), step), desc="reindex", unit="batch", delay=2,
                            disable=not progress, leave=False):
                batch = ids[pos:pos + step]
                rows = self.store.chunks(batch)
                by_article: dict[int, list] = {}
                for i in batch:
                    by_article.setdefault(rows[i].article_id, []).append(rows[i])
                articles = self.store.articles_by_id(by_article)
                titles = dict(zip(articles, encoder.encode([a.title for a in articles.values()])))
                spans: dict[int, list[tuple[int, int]]] = {i: [] for i in batch}
                owners: dict[int, list[int]] = {i: [] for i in batch}
                for qid, article_id, start, end in self.store.quote_sentence_spans(by_article):
                    chunk = next((c for c in by_article[article_id] if c.start <= start and end <= c.end), None)
                    if chunk is not None and qid not in pooled_ids:
                        spans[chunk.id].append((start - chunk.start, end - chunk.start))
                        owners[chunk.id].append(qid)
                        pooled_ids.add(qid)
                passages, sentences = with_sentences(encoder, [rows[i].text for i in batch], [spans[i] for i in batch])
                vectors.add(np.asarray(batch, dtype=np.int64), in_context(
                    passages, np.stack([titles[rows[i].article_id] for i in batch])))
                for i, rows_of in zip(batch, sentences):
                    if owners[i]:
                        quote_vectors.add(np.asarray(owners[i], dtype=np.int64), rows_of)
            # A sentence across two passages (or a passage stored in another batch) alone.
            alone = [(qid, text) for qid, text in self.store.all_quote_sentences() if qid not in pooled_ids]
            for pos in range(0, len(alone), step):
                part = alone[pos:pos + step]
                quote_vectors.add(np.asarray([qid for qid, _ in part], dtype=np.int64),
                                  encoder.encode([text for _, text in part]))
            self.writer.commit([], replace_vectors=(vectors, quote_vectors), encoder=encoder.kind)
            return len(ids)

    # --- reading ---
    def articles(self) -> list[tuple[ArticleRow, int]]:
        with self._lock:  # one SQLite connection is shared with ask() on other threads
            return self.store.articles()

    def stats(self) -> dict:
        with self._lock:
            counts = self.store.counts()
            snapshot = load_snapshot(self.store, self.files)
            return {
                **counts,
                "vectors": 0 if snapshot.vectors is None else len(snapshot.vectors),
                "model": self.store.meta("model") or self.settings.model,
                "dim": int(self.store.meta("dim") or 0) or None,
                "encoder": self.store.meta(ENCODER_META) or ("torch" if counts.get("chunks") else None),
                "index": (snapshot.vectors or ann.VectorIndex.empty(1)).describe()["factory"] + " (inner product)",
                "lexical": "BM25 (bm25s), folded and stemmed terms",
                "generation": snapshot.generation,
                "data_dir": str(self.settings.data_dir),
            }

    def quotes(self, speaker: str | None = None, article_id: int | None = None) -> list[QuoteRow]:
        """Stored quotes in article order, by speaker (any form of the name) and article."""
        with self._lock, self.store.read():
            if article_id is not None and (not _storable(article_id) or self.store.article(article_id) is None):
                raise InputError(f"no article with id {article_id} (see `summit list`)")
            keys = None if speaker is None else matching_speakers(self.store, speaker)
            return self.store.quotes(article_id=article_id, speaker_keys=keys)

    def ask(self, question: str, article_id: int | None = None) -> Answer:
        """Answer one question. `article_id` looks in that article first."""
        q = parse(question)
        if article_id is not None and not _storable(article_id):
            article_id = None  # names no article, as an unknown id: the whole archive answers
        if q.intent == CHECK:
            return self._check(q)
        if q.intent in (WHO_SAID, QUOTES_BY):
            with self._lock, self.store.read():
                if self.searcher.refresh().empty:
                    return Answer(q.text, q.intent, False, "The archive is empty: ingest some articles first.")
                answers = self.quote_answers
                return answers.who_said(q, article_id) if q.intent == WHO_SAID else answers.quotes_by(q, article_id)
        with self._lock, self.store.read():
            qvec = None
            if q.said and not self.searcher.refresh().empty:  # "the baker who cried in the fridge"
                # "who put the dinner in the oven" means what its words after "who" mean: one
                # embedding serves the quotes and the search
                if q.role is None and q.search_text.lower().startswith("who "):
                    qvec = self.searcher.embed(q.search_text)
                told = self.quote_answers.told_by(q, article_id, qvec)
                if told is not None:
                    return told
            scope = {article_id} if article_id is not None else None
            speakers = speakers_named(self.store, q.person)
            hits = self.searcher.search(q.search_text, q.phrases, article_ids=scope,
                                        limit=self.settings.results, qvec=qvec, speakers=speakers)
            if scope and not _good(hits, q, self.settings.min_score):
                hits = self.searcher.search(q.search_text, q.phrases, limit=self.settings.results, qvec=qvec,
                                            speakers=speakers)
            return self._answer(q, hits)

    def check(self, words: str, speaker: str | None = None) -> Answer:
        """Did they really say that? `words` checked against the whole archive (index/quotes/check.py):
        the verdict, the first publication and every article that carries them."""
        return self._check(check_question(words, speaker))

    def _check(self, q) -> Answer:
        from .quotes.check import Checker

        with self._lock, self.store.read():
            return Checker(self).check(q)

    def _answer(self, q, hits: list[Hit]) -> Answer:
        if self.searcher.snapshot is None or self.searcher.snapshot.empty:
            return Answer(q.text, q.intent, False, "The archive is empty: ingest some articles first.")
        results = [self._result(h, bool(q.phrases)) for h in hits]
        unknown = [] if q.phrases else self.searcher.unknown_names(
            q.text, list(dict.fromkeys(r.article.id for r in results[:CLOSEST])))
        if any(w.isupper() for w in unknown):  # "MPC" may stand for words of a story not among the closest
            wider = self.searcher.search(q.search_text, limit=ABBREVIATION_ARTICLES * 3)
            unknown = self.searcher.unknown_names(
                q.text, list(dict.fromkeys(h.chunk.article_id for h in wider))[:ABBREVIATION_ARTICLES])
        if unknown:  # the archive cannot be about what the question names
            return Answer(q.text, q.intent, False, f"No article mentions {' or '.join(unknown)}. Closest passages:",
                          results=results[:CLOSEST])
        if q.phrases:
            matched = [r for r in results if r.match]
            if matched:
                exact = all(r.match == "exact" for r in matched)
                label = "passage" if len(matched) == 1 else "passages"
                message = (f"{len(matched)} {label} for: {q.text}" if exact else
                           f"No exact match for “{q.phrase}”; {len(matched)} near {label}:")
                return Answer(q.text, q.intent, True, message, results=matched)
            return Answer(q.text, q.intent, False,
                          f"No passage contains “{q.phrase}”. Closest passages:", results=results[:CLOSEST])
        strong = [r for r in results if r.score >= self.settings.min_score]
        if not strong:
            return Answer(q.text, q.intent, False,
                          "Nothing in the archive clearly answers this. Closest passages:",
                          results=results[:CLOSEST])
        objection = self.objection(q, results[:CLOSEST])
        if objection:
            return Answer(q.text, q.intent, False, f"{objection} Closest passages:", results=results[:CLOSEST])
        label = "passage" if len(strong) == 1 else "passages"
        # Fewer strong passages than CLOSEST: the next closest are shown after them, said as such,
        # since the passage that answers is often the one just under the bar.
        more = [r for r in results if r.score < self.settings.min_score][:max(0, CLOSEST - len(strong))]
        tail = f" (then the {len(more)} next closest)" if more else ""
        shown = strong + more
        # "the dad who set up a co-op": a passage quoting someone telling it of themselves names them
        teller = next((r for r in shown[:CLOSEST] if q.said and r.speaker and tells_of_self(r, q.said, narration=False)),
                      None)
        if teller is not None:
            return Answer(q.text, q.intent, True, f"{teller.speaker} is quoted telling of it; {len(strong)} {label} "
                          f"for: {q.text}{tail}", speaker=teller.speaker, results=shown)
        return Answer(q.text, q.intent, True, f"{len(strong)} {label} for: {q.text}{tail}", results=shown)

    def objection(self, q, shown: list[Result]) -> str | None:
        """Why the best passage (`shown[0]`, strong as it scores) does not answer the question;
        None when nothing says so."""
        best = shown[0]
        # Its article must be about what the question names: a passage from another article
        # that names it does not make the best one right.
        elsewhere = self.searcher.names_missing_near(q.text, [best.article.id])
        if elsewhere:
            return f"The closest article never mentions {' or '.join(elsewhere)}."
        texts = [r.text for r in shown]
        # "How much is she paid?" is not answered by passages that give no amount.
        ungiven_why = ungiven(q.search_text, texts, lambda: [self.store.article_text(r.article.id) for r in shown])
        if ungiven_why:
            return ungiven_why
        # "Who won the final?" is not answered by "the final is on Saturday".
        unsaid = unreported(q.search_text, texts)
        return f"The closest passage {unsaid}." if unsaid else None

    def _result(self, hit: Hit, phrased: bool) -> Result:
        chunk = hit.chunk
        match = None
        if phrased and hit.phrase is not None:
            match = "exact" if hit.phrase.exact else "inexact"
        result = Result(text=chunk.text, article=self.article_ref(chunk.article_id), paragraph=chunk.paragraph,
                        start=chunk.start, end=chunk.end, score=hit.score, match=match,
                        highlights=hit.highlights)
        quote = self._quote_in(chunk, hit.highlights)
        if quote is not None:
            result.speaker, result.quote, result.kind = quote.speaker, quote.quote, quote.kind
        return result

    def _quote_in(self, chunk, highlights: list[tuple[int, int]]) -> QuoteRow | None:
        """The quote a passage shows, when its quotes name one speaker: the one holding the
        most marked words (else the longest). None when nobody, or several people, speak in it."""
        quotes = [q for q in self.store.quotes_overlapping(chunk.article_id, chunk.start, chunk.end) if q.speaker]
        if not quotes or len({q.speaker_key for q in quotes}) > 1:
            return None

        def marked(q: QuoteRow) -> int:
            return sum(min(e, q.end) - max(s, q.start) for s, e in highlights if s < q.end and e > q.start)

        return max(quotes, key=lambda q: (marked(q), q.kind == "direct", q.end - q.start))

    def article_ref(self, article_id: int) -> ArticleRef:
        return self.article_refs([article_id])[article_id]

    def article_refs(self, article_ids) -> dict[int, ArticleRef]:
        """Several articles' references in one query (an answer may cite hundreds)."""
        return {row.id: ArticleRef(row.id, row.title, row.url, row.published, row.updated_at)
                for row in self.store.articles_by_id(article_ids).values()}

    def close(self) -> None:
        with self._lock:
            if self.searcher.resident is not None:
                self.searcher.resident.release()
            self.store.close()


def _good(hits: list[Hit], q, min_score: float) -> bool:
    if q.phrases:
        return any(h.phrase is not None for h in hits)
    return bool(hits) and hits[0].score >= min_score
