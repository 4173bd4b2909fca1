"""Retrieval acceptance on the demo article: verbatim passages, offsets, folding, declining."""
from __future__ import annotations

import pytest

from index.errors import InputError


def first(answer):
    assert answer.results, answer.message
    return answer.results[0]


def assert_verbatim(engine, result):
    text = engine.store.article_text(result.article.id)
    assert text[result.start:result.end] == result.text


@pytest.mark.parametrize("question", [
    'who said "sacred battle"', "who said “sacred battle”", "who said ‘sacred battle’",
    "who said 'sacred battle'", 'WHO SAID "Sacred Battle!"',
])
def test_quoted_phrase_any_style_finds_the_passage_first(demo_engine, question):
    answer = demo_engine.ask(question)
    assert answer.intent == "who_said"
    assert answer.answered
    top = first(answer)
    assert "sacred battle" in top.text
    assert top.match == "exact"
    assert_verbatim(demo_engine, top)
    paragraphs = demo_engine.store.paragraphs(top.article.id)
    start, end = paragraphs[top.paragraph - 1]
    assert start <= top.start < top.end <= end
    # The phrase itself is what gets marked.
    assert "**sacred battle**" in top.marked()


def test_where_did_the_meeting_take_place_finds_vostochny_in_top3(demo_engine):
    answer = demo_engine.ask("where did the meeting take place")
    assert answer.answered
    assert any("Vostochny" in r.text for r in answer.results[:3])


def test_latin_c_finds_cyrillic_c_and_display_stays_as_published(demo_engine):
    answer = demo_engine.ask('"Vostochny Cosmodrome"')
    top = first(answer)
    assert answer.answered and top.match == "exact"
    assert "Vostochny \u0421osmodrome" in top.text  # Cyrillic С kept as published
    assert_verbatim(demo_engine, top)


@pytest.mark.parametrize("question", [
    "who won the football world cup final", "what is the recipe for banana bread",
    'who said "quantum chromodynamics"',
])
def test_unrelated_questions_decline_with_closest_passages(demo_engine, question):
    answer = demo_engine.ask(question)
    assert answer.answered is False
    assert answer.results, "a declined answer still shows the closest passages"
    # Who-said questions show the closest quotes when there are some (issue 3).
    assert "Closest passages" in answer.message or (
        answer.intent == "who_said" and "Closest quotes" in answer.message)


def test_near_miss_is_marked_inexact(demo_engine):
    answer = demo_engine.ask('who said "sacred battles"')
    assert answer.answered
    assert first(answer).match == "inexact"
    assert "sacred battle" in first(answer).text


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 4001])
def test_bad_questions_are_input_errors(demo_engine, question):
    with pytest.raises(InputError):
        demo_engine.ask(question)


def test_json_contract_shape(demo_engine):
    data = demo_engine.ask('who said "sacred battle"').to_dict()
    assert {"question", "intent", "answered", "speaker", "results"} <= set(data)
    result = data["results"][0]
    assert {"text", "speaker", "quote", "kind", "article", "paragraph", "start", "end", "score"} <= set(result)
    assert {"id", "title", "url", "published"} <= set(result["article"])
    assert isinstance(result["start"], int) and isinstance(result["score"], float)


def test_saved_bm25_index_scores_as_bm25s_does(tmp_path):
    """Questions read the saved BM25 index with numpy alone; its scores are bm25s' own."""
    import bm25s
    import numpy as np

    from index import textnorm
    from index.retrieval.lexical import LexicalIndex, SavedBM25

    texts = ["The harbour authority approved the new pier on Monday.",
             "Mayor Reyes said the pier would cost 4 million dollars.",
             "Fishermen protested the harbour fees outside city hall.",
             "The council delayed the vote on the stadium until spring.",
             "A storm closed the harbour; the pier was not damaged."]
    rows = [(100 + i, textnorm.index_terms(t)) for i, t in enumerate(texts)]
    LexicalIndex.build(rows).save(tmp_path / "lexical")
    ours = LexicalIndex.load(tmp_path / "lexical")
    assert isinstance(ours.retriever, SavedBM25)
    theirs = bm25s.BM25.load(str(tmp_path / "lexical"))
    assert ours.retriever.vocab_dict == theirs.vocab_dict
    for question in ["harbour pier", "stadium vote", "pier", "harbour fees protest mayor"]:
        ids = ours._term_ids(textnorm.index_terms(question))
        assert np.allclose(ours.retriever.get_scores(ids), theirs.get_scores(ids))
    assert [cid for cid, _ in ours.search(textnorm.index_terms("harbour pier"), 2)] == [100, 104]


def _ranks_as_summing_all(index, questions, monkeypatch) -> list:
    """Assert that `top` gives what ranking every passage gives (the same scores, and the same
    passages wherever scores do not tie) for each question in turn, so a score array reused
    between questions must start at zero. Returns the term ids of the questions that summed
    every posting."""
    import numpy as np

    bm25 = index.retriever
    summed = []
    sum_into = bm25._sum_into
    monkeypatch.setattr(bm25, "_sum_into", lambda scores, ids: summed.append(ids) or sum_into(scores, ids))
    for terms in questions:
        ids = index._term_ids(terms)
        full = sum_into(np.zeros(bm25.scores["num_docs"], dtype=bm25.dtype), ids)
        for k in (1, 10, 50):
            top, scores = bm25.top(ids, k)
            want = np.sort(full[np.flatnonzero(full)])[::-1][:k]
            assert np.array_equal(scores, want), (terms, k)
            assert np.array_equal(full[top], scores)
            untied = [i for i, s in zip(top, scores) if np.count_nonzero(full == s) == 1]
            assert all(full[i] >= want[-1] for i in untied)
    return summed


def test_pruned_bm25_top_is_the_full_ranking(tmp_path, monkeypatch):
    """At scale a question's common terms are only looked up for the passages its rarer terms
    found. The top k must be what ranking every passage gives, whether the pruning holds or
    falls back to summing every posting."""
    import random

    import numpy as np

    from index.retrieval import lexical
    from index.retrieval.lexical import LexicalIndex

    rng = random.Random(5)
    common, rare = [f"common{i}" for i in range(4)], [f"rare{i}" for i in range(300)]
    rows = [(i, [w for w in common if rng.random() < 0.6] + rng.sample(rare, 3) + [f"filler{rng.randrange(50)}"] * rng.randrange(1, 4)
             + (["scarce"] if i % 1000 == 0 else [])
             + [f"often{j}" for j in range(6) if rng.random() < 0.12] * rng.randrange(1, 5)) for i in range(6000)]
    LexicalIndex.build(rows).save(tmp_path / "lexical")
    monkeypatch.setattr(lexical, "RARE_POSTINGS", 500)  # the commons (about 3,600 passages each) are pruned
    monkeypatch.setattr(lexical, "PRUNE_MIN_DOCS", 1000)
    decided = ["common0", "rare7"]
    scarce = ["common0", "scarce"]  # 6 passages cannot fill a top 10
    often = ["rare7"] + [f"often{j}" for j in range(6)]  # rare7's 10th is below what six terms may add up to
    questions = [decided, ["common1", "common2", "rare3", "rare9"], ["common0", "common1"],
                 ["common3"], ["rare11"], ["common2", "filler3"], ["rare1", "rare2", "common0", "common3"],
                 scarce, often]
    words = common + [f"often{j}" for j in range(6)] + [f"filler{j}" for j in range(50)]
    questions += [rng.sample(rare, rng.randrange(0, 2)) + rng.sample(words, rng.randrange(1, 6)) for _ in range(150)]

    index = LexicalIndex.load(tmp_path / "lexical")
    summed = _ranks_as_summing_all(index, questions, monkeypatch)
    assert index._term_ids(decided) not in summed  # pruned: the rare term decided
    assert index._term_ids(scarce) in summed
    # ... and only the passages at or above the rare term's 10th are ranked
    assert index._term_ids(often) in summed
    assert len(summed) < len(questions) * 3 // 2  # most of the 3 x 159 tops were pruned
    # Each term's largest weight is saved with the index; an index saved before reads its postings.
    bm25, sc = index.retriever, index.retriever.scores
    assert [float(bm25._largest[t]) for t in range(len(bm25._largest))] == \
        [float(sc["data"][sc["indptr"][t]:sc["indptr"][t + 1]].max()) for t in range(len(bm25._largest))]
    (tmp_path / "lexical" / lexical.LARGEST_FILE).unlink()
    _ranks_as_summing_all(LexicalIndex.load(tmp_path / "lexical"), questions, monkeypatch)
    # Mapped in full up front (a long-running process), it ranks the same.
    _ranks_as_summing_all(LexicalIndex.load(tmp_path / "lexical", populate=True), questions, monkeypatch)


def test_terms_of_whole_articles_come_from_the_postings(fresh_engine, tmp_path, monkeypatch):
    """Article-level coverage reads the BM25 postings over each article's run of passages, not
    the passages: the same terms as reading them, title words included."""
    from conftest import write

    from index import textnorm

    write(tmp_path / "a.txt", "Harbour plan divides the council\n\nThe board met on Monday.\n\n"
          "Fishermen said the new pier fees were too high.\n\nThe vote comes in spring.")
    write(tmp_path / "b.txt", "Stadium vote delayed\n\nThe council put off the stadium vote.\n\n"
          "Mayor Reyes said the harbour could wait.")
    fresh_engine.ingest([tmp_path])
    searcher = fresh_engine.searcher
    articles = [a.id for a, _ in fresh_engine.articles()]
    terms = textnorm.index_terms("harbour pier fees stadium council divides spring volcano")
    got = searcher.terms_in_articles(articles, terms)
    expected_all = {aid: searcher.article_terms(aid) for aid in articles}
    expected = {aid: frozenset(set(terms) & expected_all[aid]) for aid in articles}
    assert got == expected
    harbour = next(a.id for a, _ in fresh_engine.articles() if a.title.startswith("Harbour"))
    assert set(textnorm.index_terms("divides")) <= got[harbour]  # a word of the title only
    assert not any(set(textnorm.index_terms("volcano")) & held for held in got.values())
    # an article whose passages are not one run of the snapshot's positions is read instead
    ranges = fresh_engine.store.article_chunk_ranges
    monkeypatch.setattr(fresh_engine.store, "article_chunk_ranges",
                        lambda ids: {a: (lo, hi, n + 1, t) for a, (lo, hi, n, t) in ranges(ids).items()})
    searcher._article_ranges.clear()  # kept per generation
    read = []
    monkeypatch.setattr(searcher, "article_terms", lambda aid: read.append(aid) or expected_all[aid])
    assert searcher.terms_in_articles(articles, terms) == expected
    assert sorted(read) == sorted(articles)


def test_coverage_counts_only_stored_terms(fresh_engine, tmp_path):
    """A passage covers a question's term when ingest stored that term for it. Folding can make
    a question term that is empty or holds spaces (the ligature ﷺ folds to four Arabic words):
    no passage holds such a term, whatever words it has."""
    from conftest import write

    from index import textnorm

    write(tmp_path / "a.txt", "Bridge vote delayed\n\nThe bridge vote was put off.\n\n"
          "صلى الله عليه وسلم was written on the old bridge.")
    fresh_engine.ingest([tmp_path / "a.txt"])
    for question in ("ﷺ bridge", "ﾞ bridge", "bridge vote"):
        topic = textnorm.query_terms(question)
        idf = fresh_engine.searcher.refresh().lexical.idf(topic)
        hits = fresh_engine.searcher.search(question, limit=5)
        stored = fresh_engine.store.chunk_terms([h.chunk.id for h in hits])
        assert hits
        for h in hits:
            want = sum(w for t, w in idf.items() if t in set(stored[h.chunk.id])) / sum(idf.values())
            assert h.coverage == want, (question, h.chunk.text)


def test_a_mark_that_folds_to_nothing_is_no_word(demo_engine):
    """A lone combining mark (the halfwidth sound mark ﾞ) folds to nothing: it is no question
    term (it crashed the BM25 lookup) and no word of a quoted phrase."""
    from index import textnorm

    assert textnorm.words("sacred ﾞ battle") == ["sacred", "battle"]
    answer = demo_engine.ask("ﾞ sacred battle")
    assert answer.results and "sacred battle" in answer.results[0].text
    assert demo_engine.ask('who said "sacred ﾞ battle"').speaker == "Kim Jong Un"


def test_a_lone_surrogate_in_a_question_is_no_crash(demo_engine):
    """JSON may carry "\\ud800" and a command line a byte that is no UTF-8: such a character is
    read as U+FFFD, in every kind of question (the tokenizer and SQLite refuse it)."""
    for question in ("say about \ud800 the imperialism", 'who said "sacred \ud800 battle"',
                     "what did Putin say about \udcff satellites", 'did Kim say "sacred battle\ud800"'):
        demo_engine.ask(question)
    assert demo_engine.check("sacred battle\ud800").answered is not None
    assert demo_engine.check("sacred battle", speaker="Kim\ud800") is not None
    demo_engine.quotes(speaker="Kim\ud800")


def test_no_typo_is_looked_for_in_a_very_long_word(demo_engine, monkeypatch):
    """One typo is allowed in an unknown word of a quoted phrase, but not looked for in a word
    longer than any real one: a 3,600-letter word's variants held the engine for 10-20 s."""
    from index.retrieval import search

    assert demo_engine.ask('who said "sacrd battle"').speaker == "Kim Jong Un"  # a typo is still found

    def no_variants(word):
        raise AssertionError(f"typo variants of a {len(word)}-letter word")

    monkeypatch.setattr(search, "edits1", no_variants)
    assert not demo_engine.ask('who said "' + "when" * 900 + '"').answered
    assert not demo_engine.check("ab" * 1900).answered


def test_a_word_family_the_stemmer_splits_still_counts(fresh_engine, tmp_path):
    """"registration" stems to registr and "registered" to regist: one starts the other, so the
    passage holds the question's word; a stem under six letters ("parti", "partisan") and a word
    that only begins alike ("regional") do not."""
    from conftest import write

    from index import textnorm
    from index.retrieval.search import _same_family

    assert textnorm.query_terms("registration registered registry") == ["registr", "regist", "registri"]
    assert _same_family("registr", " the regist republican ") and _same_family("regist", " registr office ")
    assert not _same_family("registr", " region office ") and not _same_family("parti", " partisan ")
    assert not _same_family("secret", " secretari ")  # three letters more: another word
    write(tmp_path / "a.txt", "Holt profile\n\nTomas Berg has been a registered Republican since 2003.\n\n"
          "The regional office in Harbourton opens at nine.")
    fresh_engine.ingest([tmp_path / "a.txt"])
    coverage = {h.chunk.text: h.coverage for h in fresh_engine.searcher.search("Berg party registration", limit=5)}
    held = textnorm.query_terms("Berg party registration")
    assert coverage["Tomas Berg has been a registered Republican since 2003."] > 1 / len(held)  # berg and registr
    assert coverage.get("The regional office in Harbourton opens at nine.", 0) == 0
