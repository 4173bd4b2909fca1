"""The ingest encoder (SUMMIT_INGEST_ENCODER): the ONNX export by default, with torch's vectors
and chunks, torch on request; the store's meta says which encoder embedded the index."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import DEMO, settings_for, write

STORY = """Ferry fares frozen for a year

The island council voted on Monday to freeze ferry fares until next winter, after a petition signed by two thousand residents.

“Nobody should pay more to get to work,” said Mara Quinlan, the council leader.

Ferry operators said they would study the decision before the summer timetable is printed.
"""

OTHER = """Library closes its doors

The city library shut on Friday after sixty years on the same street.

“Reading rooms are where a town keeps its memory,” the head librarian, Ada Moss, said.
"""


def _engine(tmp_path, demo_engine, name="data", **env):
    from index import Engine

    engine = Engine(settings_for(tmp_path / name, **env))
    engine.__dict__["embedder"] = demo_engine.embedder  # torch loads once per test run
    return engine


def _cos(a, b):
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.fixture(scope="module")
def demo_chunks(demo_engine):
    rows = demo_engine.store.chunks(demo_engine.store.all_chunk_ids())
    return [row.text for row in rows.values()]


def test_the_setting_chooses_the_encoder(tmp_path, demo_engine):
    from index.errors import ConfigError
    from index.models.onnx_encoder import OnnxEncoder

    assert demo_engine.settings.ingest_encoder == "onnx"
    default = demo_engine.ingest_encoder
    assert isinstance(default, OnnxEncoder) and default.kind == "onnx-fp32"
    assert default is not demo_engine.query_encoder  # ingest runs on every CPU, questions on up to two
    torch = _engine(tmp_path, demo_engine, "t", SUMMIT_INGEST_ENCODER="TORCH")
    assert torch.ingest_encoder is demo_engine.embedder and torch.ingest_encoder.kind == "torch"
    torch.close()
    for bad in ("int8", "fp16"):
        with pytest.raises(ConfigError, match="SUMMIT_INGEST_ENCODER"):
            settings_for(tmp_path, SUMMIT_INGEST_ENCODER=bad)


def _in_context(engine, encoder, rows, ids):
    """What ingest stores for these chunks with `encoder`: each passage with its headline."""
    from index.models.embedding import in_context

    titles = encoder.encode([engine.store.article(rows[i].article_id).title for i in ids])
    return in_context(encoder.encode([rows[i].text for i in ids]), titles)


def test_fp32_ingest_vectors_are_torch_vectors_and_chunks_are_the_same(demo_engine, demo_chunks):
    from test_onnx_encoder import TEXTS  # odd, over-long and empty texts

    encoder, torch = demo_engine.ingest_encoder, demo_engine.embedder
    for texts in (demo_chunks, TEXTS):
        assert encoder.token_offsets(texts) == torch.token_offsets(texts)  # so chunks are the same
    assert _cos(encoder.encode(demo_chunks), torch.encode(demo_chunks)).min() >= 0.999
    # The stored passage vectors are the ONNX ones (each carrying its headline's vector).
    snap = demo_engine.searcher.refresh()
    ids = demo_engine.store.all_chunk_ids()
    rows = demo_engine.store.chunks(ids)
    stored = np.stack([snap.vectors.index.reconstruct(i) for i in ids])
    assert _cos(stored, _in_context(demo_engine, torch, rows, ids)).min() >= 0.999


def test_meta_records_the_encoder_and_reindex_makes_it_one(tmp_path, demo_engine):
    first = _engine(tmp_path, demo_engine, SUMMIT_INGEST_ENCODER="torch")
    first.ingest([write(tmp_path / "in" / "fares.txt", STORY)])
    assert first.store.meta("encoder") == "torch" and first.stats()["encoder"] == "torch"
    first.close()

    mixed = _engine(tmp_path, demo_engine)
    mixed.ingest([write(tmp_path / "in" / "library.txt", OTHER)])
    assert mixed.stats()["encoder"] == "onnx-fp32+torch"  # the mix is visible
    # A question embedded by the ONNX question encoder finds passages of both encoders.
    for question, word in (("why did the library close", "library"), ("why are ferry fares frozen", "ferry")):
        answer = mixed.ask(question).to_dict()
        assert answer["answered"] and word in answer["results"][0]["text"].lower()
    mixed.reindex()
    assert mixed.stats()["encoder"] == "onnx-fp32"
    snap = mixed.searcher.refresh()
    ids = mixed.store.all_chunk_ids()
    rows = mixed.store.chunks(ids)
    stored = np.stack([snap.vectors.index.reconstruct(i) for i in ids])
    assert np.allclose(stored, _in_context(mixed, mixed.ingest_encoder, rows, ids), atol=1e-5)
    mixed.close()


def test_an_index_from_before_the_record_counts_as_torch(tmp_path, demo_engine):
    old = _engine(tmp_path, demo_engine, SUMMIT_INGEST_ENCODER="torch")
    old.ingest([write(tmp_path / "in" / "fares.txt", STORY)])
    old.store.db.execute("DELETE FROM meta WHERE key = 'encoder'")
    old.store.db.commit()
    assert old.stats()["encoder"] == "torch"
    old.close()
    new = _engine(tmp_path, demo_engine)
    new.ingest([write(tmp_path / "in" / "library.txt", OTHER)])
    assert new.store.meta("encoder") == "onnx-fp32+torch"
    new.close()


def test_removing_an_article_needs_no_encoder_and_keeps_the_record(tmp_path, demo_engine):
    engine = _engine(tmp_path, demo_engine)
    results = engine.ingest([write(tmp_path / "in" / "fares.txt", STORY), write(tmp_path / "in" / "lib.txt", OTHER)])
    engine.close()
    from index import Engine

    remover = Engine(settings_for(tmp_path / "data", SUMMIT_INGEST_ENCODER="torch"))
    remover.remove(results[0].article_id)
    assert "ingest_encoder" not in remover.__dict__  # nothing was embedded, so nothing was loaded
    assert remover.store.meta("encoder") == "onnx-fp32"
    remover.close()
