"""At question time: one embedding (the question's), and every SQLite lookup through an index."""
from __future__ import annotations

import sqlite3

from conftest import settings_for

QUESTIONS = ["what did Putin and Kim talk about", 'who said "sacred battle"', 'who said "holy war"',
             "what did Kim say about the war", "what did Putin say", "what did the Russian president say",
             'who said "purple elephants at dawn"', "what did Nobody Atall say about trade"]


def test_every_lookup_on_the_question_path_uses_an_index(demo_engine):
    """Per ask, that is: what a searcher caches once per generation is loaded by a first pass."""
    for q in QUESTIONS:
        demo_engine.ask(q)
    statements: list[str] = []
    db = demo_engine.store.db
    db.set_trace_callback(statements.append)
    try:
        for q in QUESTIONS:
            demo_engine.ask(q)
    finally:
        db.set_trace_callback(None)
    selects = {s for s in statements if s.lstrip().upper().startswith("SELECT")}
    assert any("speaker_words" in s for s in selects) and any("FROM quotes q" in s for s in selects)
    for sql in selects:
        plan = [row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + sql)]
        # A scan of a stored table fails; json_each over the ids a statement was given does not.
        assert not [step for step in plan if step.startswith("SCAN") and "VIRTUAL TABLE" not in step], (sql, plan)


class CountingEncoder:
    """The real question encoder, recording what it is asked to embed."""

    def __init__(self, encoder):
        self.encoder, self.texts = encoder, []
        self.dim = encoder.dim

    def encode(self, texts):
        self.texts.extend(texts)
        return self.encoder.encode(texts)

    def encode_query(self, text):
        self.texts.append(text)
        return self.encoder.encode_query(text)


def test_quotes_about_a_topic_embed_only_the_topic(demo_engine):
    from index import Engine

    engine = Engine(settings_for(demo_engine.settings.data_dir))
    counting = CountingEncoder(demo_engine.query_encoder)
    engine.__dict__["query_encoder"] = counting
    try:
        answer = engine.ask("what did Kim say about the war")
        assert answer.intent == "quotes_by" and answer.results
        assert counting.texts == ["the war"]
        assert all(r.speaker == "Kim Jong Un" for r in answer.results)
        # The order is the stored vectors' cosine and the stored terms' coverage, as in search.
        scores = [r.score for r in answer.results]
        assert scores == sorted(scores, reverse=True)
        counting.texts.clear()
        engine.ask("what did Putin say")  # no topic: nothing embedded
        assert counting.texts == []
    finally:
        engine.close()


def _older_copy(tmp_path, demo_engine, *statements: str):
    """A copy of the demo index as an older version left it: `statements` undo what it lacked."""
    from index.storage.store import Store

    copy = tmp_path / "data"
    copy.mkdir()
    backup = sqlite3.connect(copy / Store.FILENAME)
    demo_engine.store.db.backup(backup)
    for statement in statements:
        backup.execute(statement)
    backup.commit()
    backup.close()
    return copy


def test_a_database_from_before_the_speaker_index_is_filled_on_open(tmp_path, demo_engine):
    from index.quotes.attribution import matching_speakers
    from index.storage.store import Store

    source = demo_engine.store.path
    copy = _older_copy(tmp_path, demo_engine, "DROP TABLE speaker_words", "UPDATE quotes SET terms = NULL",
                       "DELETE FROM meta WHERE key = 'speaker_words'")
    assert source.exists()

    store = Store(copy)
    try:
        assert matching_speakers(store, "Kim") == matching_speakers(demo_engine.store, "Kim") != []
        assert matching_speakers(store, "the Russian president") == \
            matching_speakers(demo_engine.store, "the Russian president")
        assert store.db.execute("SELECT COUNT(*) FROM quotes WHERE terms IS NULL").fetchone()[0] == 0
    finally:
        store.close()


def test_quote_terms_index_is_filled_on_open_and_kept_with_the_quotes(tmp_path, demo_engine):
    """The full-text index "who said" finds quotes through: built for a database from before it,
    holding each quote's stems (so inflections are found too), and its rows leave with their quotes."""
    from index import textnorm
    from index.storage.store import Store

    copy = _older_copy(tmp_path, demo_engine, "DROP TABLE quote_terms", "DELETE FROM meta WHERE key = 'quote_terms'")

    store = Store(copy)
    try:
        count = store.db.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
        assert store.db.execute("SELECT COUNT(*) FROM quote_terms").fetchone()[0] == count > 0
        found = store.quotes_with_terms([textnorm.index_terms("sacred battles")])  # inflected: same stems
        assert found and all("sacred battle" in q.quote.lower() for q in found)
        assert store.quotes_with_terms([textnorm.index_terms("battle sacred")]) == []  # the words in order
        with store.write():
            store.delete_article(found[0].article_id)
        assert store.quotes_with_terms([textnorm.index_terms("sacred battle")]) == []
        assert store.db.execute("SELECT COUNT(*) FROM quote_terms").fetchone()[0] == \
            store.db.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
    finally:
        store.close()
