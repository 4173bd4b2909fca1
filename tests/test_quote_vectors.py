"""Quote vectors: every stored quote's sentence is embedded at ingest, in the same commit,
pooled from the token states of the passage that holds it (no second encode)."""
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


def _pooled(engine, quotes, encoder=None):
    """Each quote's sentence pooled from its stored passage, by `encoder` (the ingest one)."""
    from index.models.embedding import with_sentences

    chunks = engine.store.chunks(engine.store.all_chunk_ids())
    owner = [next(c for c in chunks.values() if c.article_id == q.article_id
                  and c.start <= q.sentence_start and q.sentence_end <= c.end) for q in quotes]
    spans = [[(q.sentence_start - c.start, q.sentence_end - c.start)] for q, c in zip(quotes, owner)]
    _, pooled = with_sentences(encoder or engine.ingest_encoder, [c.text for c in owner], spans)
    return np.concatenate(pooled)


def test_each_quote_gets_the_vector_of_its_sentence_read_in_its_passage(fresh_engine, tmp_path):
    write(tmp_path / "a.txt", FIRST)
    fresh_engine.ingest([tmp_path / "a.txt"])
    quotes = _quote_rows(fresh_engine)
    assert quotes, "the article has quotes"
    snap = fresh_engine.searcher.refresh()
    assert len(snap.quote_vectors) == len(quotes)
    stored = np.stack([snap.quote_vectors.index.reconstruct(q.id) for q in quotes])
    assert np.allclose(stored, _pooled(fresh_engine, quotes), atol=1e-5)
    assert np.allclose(np.linalg.norm(stored, axis=1), 1, atol=1e-5)
    # torch's token states pool to the same vectors as the default ONNX export's
    assert ((stored * _pooled(fresh_engine, quotes, fresh_engine.embedder)).sum(axis=1) >= 0.999).all()
    # and a sentence read in its passage stays close to the sentence read alone
    alone = fresh_engine.ingest_encoder.encode([q.sentence for q in quotes])
    assert ((stored * alone).sum(axis=1) >= 0.8).all()


def test_a_pipeline_only_torch_runs_embeds_each_sentence_alone(fresh_engine, monkeypatch):
    from index.models import onnx_encoder
    from index.models.embedding import with_sentences

    def unsupported(folder):
        raise onnx_encoder.UnsupportedModel("a Dense layer")

    torch = fresh_engine.embedder
    text = "The ferry was late again. Nobody on the quay was surprised."
    span = (text.index("Nobody"), len(text))
    pooled_here = with_sentences(torch, [text], [[span]])[1][0][0]
    monkeypatch.setattr(onnx_encoder.Pipeline, "read", staticmethod(unsupported))
    vectors, pooled = with_sentences(torch, [text], [[span]])
    assert np.allclose(vectors[0], torch.encode([text])[0], atol=1e-5)
    assert np.allclose(pooled[0][0], torch.encode([text[slice(*span)]])[0], atol=1e-5)
    assert abs(float(np.linalg.norm(pooled_here)) - 1) < 1e-5 and not np.allclose(pooled_here, pooled[0][0], atol=1e-3)


def test_a_sentence_that_cannot_be_pooled_is_embedded_alone(fresh_engine):
    from index.models.embedding import with_sentences

    encoder = fresh_engine.ingest_encoder
    long_text = "The ferry was late again. " * 80 + "Nobody on the quay was surprised by then."
    tail = (long_text.rindex("Nobody"), len(long_text))  # past the model's window: no word piece left
    head = (0, len("The ferry was late again."))
    vectors, pooled = with_sentences(encoder, [long_text, long_text], [[head], [tail]])
    assert np.allclose(vectors[0], vectors[1]) and np.allclose(vectors[0], encoder.encode([long_text])[0], atol=1e-5)
    assert np.allclose(pooled[1][0], encoder.encode([long_text[slice(*tail)]])[0], atol=1e-5)
    assert not np.allclose(pooled[0][0], encoder.encode([long_text[slice(*head)]])[0], atol=1e-3)
    assert not np.isnan(np.concatenate(pooled)).any()


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
    ids = [q.id for q in _quote_rows(fresh_engine)]
    assert np.allclose(np.stack([after.quote_vectors.index.reconstruct(i) for i in ids]),
                       np.stack([before.quote_vectors.index.reconstruct(i) for i in ids]), atol=1e-5)
