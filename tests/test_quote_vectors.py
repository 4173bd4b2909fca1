"""Quote vectors: every stored quote's sentence is embedded at ingest, in the same commit."""
from __future__ import annotations

import numpy as np

from conftest import write

FIRST = """Harbour plan divides the council

The harbour board met on Monday to discuss the new tax on visiting yachts.

“The harbour tax will drive sailors away from our town,” said Marta Quinn, who runs the marina.

Council leader Tomas Berg said the money would pay for a new sea wall before the winter storms.
"""

SECOND = """Library closes its doors

The city library shut on Friday after sixty years on the same street.

“Reading rooms are where a town keeps its memory,” the head librarian, Ada Moss, said.
"""


def _quote_rows(engine):
    return engine.quotes()


def test_each_quote_gets_the_vector_of_its_sentence(fresh_engine, tmp_path):
    write(tmp_path / "a.txt", FIRST)
    fresh_engine.ingest([tmp_path / "a.txt"])
    quotes = _quote_rows(fresh_engine)
    assert quotes, "the article has quotes"
    snap = fresh_engine.searcher.refresh()
    assert len(snap.quote_vectors) == len(quotes)
    sentences = [q.sentence for q in quotes]
    stored = np.stack([snap.quote_vectors.index.reconstruct(q.id) for q in quotes])
    assert np.allclose(stored, fresh_engine.ingest_encoder.encode(sentences), atol=1e-5)
    # The default ingest encoder (ONNX fp32) gives torch's vectors.
    assert ((stored * fresh_engine.embedder.encode(sentences)).sum(axis=1) >= 0.999).all()


def test_similar_quotes_finds_the_quote_by_meaning(fresh_engine, tmp_path):
    write(tmp_path / "a.txt", FIRST)
    write(tmp_path / "b.txt", SECOND)
    fresh_engine.ingest([tmp_path])
    qvec = fresh_engine.embedder.encode_query("boat owners will stop coming because of the levy")
    best_id, cosine = fresh_engine.searcher.similar_quotes(qvec, 3)[0]
    best = fresh_engine.store.quotes_by_id([best_id])[best_id]
    assert best.speaker == "Marta Quinn" and cosine > 0.3
    library = [a.id for a, _ in fresh_engine.articles() if a.title.startswith("Library")]
    scoped = fresh_engine.searcher.similar_quotes(qvec, 3, article_ids=set(library))
    assert scoped and all(fresh_engine.store.quotes_by_id([i])[i].article_id == library[0] for i, _ in scoped)


def test_replacing_and_removing_an_article_keeps_quote_vectors_in_step(fresh_engine, tmp_path):
    path = write(tmp_path / "a.txt", FIRST)
    write(tmp_path / "b.txt", SECOND)
    fresh_engine.ingest([tmp_path])
    write(path, FIRST.replace("drive sailors away from", "bring ruin to"))
    fresh_engine.ingest([path])
    snap = fresh_engine.searcher.refresh()
    ids = {q.id for q in _quote_rows(fresh_engine)}
    assert len(snap.quote_vectors) == len(ids)
    assert set(fresh_engine.searcher.quote_similarity(np.zeros(snap.quote_vectors.dim, dtype=np.float32),
                                                      list(ids))) == ids
    article_id = next(a.id for a, _ in fresh_engine.articles() if a.title.startswith("Harbour"))
    fresh_engine.remove(article_id)
    snap = fresh_engine.searcher.refresh()
    assert len(snap.quote_vectors) == len(_quote_rows(fresh_engine)) == 1


def test_reindex_rebuilds_quote_vectors(fresh_engine, tmp_path):
    write(tmp_path / "a.txt", FIRST)
    fresh_engine.ingest([tmp_path])
    before = fresh_engine.searcher.refresh()
    fresh_engine.reindex()
    after = fresh_engine.searcher.refresh()
    assert after.generation == before.generation + 1
    assert len(after.quote_vectors) == len(before.quote_vectors) > 0
