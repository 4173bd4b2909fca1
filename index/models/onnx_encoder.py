"""Question embeddings without torch: the model exported once to ONNX, run by onnxruntime.

Importing torch and sentence-transformers takes seconds and hundreds of MB, so a process
that only answers questions never does. The sentence-transformers model is exported once
(`summit prepare`, or on first use when torch is installed) into SUMMIT_CACHE_DIR, in a
folder named after the model's identity, so another SUMMIT_MODEL gets its own export.
The pipeline around the exported transformer (the model's own tokenizer.json, its pooling
and normalisation) is read from the model folder and done here with numpy, exactly as
sentence-transformers does it: the vectors match torch's (cosine >= 0.999, tested).
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ConfigError
from ..settings import Settings

log = logging.getLogger(__name__)

EXPORT_FORMAT = 2  # bump when the exported graph changes: old exports are then ignored
MODEL_FILE = "model.onnx"
WEIGHTS_FILE = "model.onnx.data"  # weights beside the graph: onnxruntime maps them instead of copying (half the RSS)
MANIFEST = "export.json"
_WEIGHTS = ("model.safetensors", "pytorch_model.bin")
_POOLING_MODES = ("cls", "max", "mean", "mean_sqrt_len")
_SKIP_WEIGHTS = ("onnx/", "openvino/")  # other backends' copies, not what torch loads


class UnsupportedModel(ConfigError):
    """The model's pipeline has a module this encoder does not reproduce (e.g. a Dense layer)."""


@dataclass(frozen=True)
class Pipeline:
    """What sentence-transformers does around the transformer, read from the model folder."""
    folder: Path
    max_tokens: int  # word pieces per text, special tokens included
    lower_case: bool
    pooling: str  # one of _POOLING_MODES
    dim: int  # every vector is normalised, as sentence-transformers' encode(normalize_embeddings=True)

    @classmethod
    def read(cls, folder: Path) -> "Pipeline":
        modules_file = folder / "modules.json"
        if not modules_file.exists():
            raise UnsupportedModel(f"{folder} has no modules.json: not a sentence-transformers model folder")
        modules = json.loads(modules_file.read_text())
        kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
        if not kinds or kinds[0] != "Transformer" or any(k not in ("Pooling", "Normalize") for k in kinds[1:]) \
                or "Pooling" not in kinds:
            raise UnsupportedModel(f"modules {kinds} of {folder} cannot run on onnxruntime here")
        pooling_path = next(m.get("path", "") for m in modules if m.get("type", "").endswith("Pooling"))
        pooling = json.loads((folder / pooling_path / "config.json").read_text())
        modes = [m for m in _POOLING_MODES if pooling.get(f"pooling_mode_{m}_tokens" if m != "cls" else
                                                           "pooling_mode_cls_token")]
        unknown = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v and
                   k not in {f"pooling_mode_{m}_tokens" for m in _POOLING_MODES} | {"pooling_mode_cls_token"}]
        if len(modes) != 1 or unknown or pooling.get("include_prompt") is False:
            raise UnsupportedModel(f"pooling {pooling} of {folder} is not supported by the ONNX encoder")
        sbert = folder / "sentence_bert_config.json"
        config = json.loads(sbert.read_text()) if sbert.exists() else {}
        return cls(folder=folder, max_tokens=int(config.get("max_seq_length") or 512),
                   lower_case=bool(config.get("do_lower_case")), pooling=modes[0],
                   dim=int(pooling["word_embedding_dimension"]))


# --- where exports live ---
def model_folder(name: str) -> Path:
    """The local folder of SUMMIT_MODEL (never downloads)."""
    from .embedding import resolve_model

    resolved = resolve_model(name)
    if Path(resolved).is_dir():
        return Path(resolved).resolve()
    try:  # a name already in the Hugging Face cache
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(resolved, local_files_only=True)).resolve()
    except Exception:
        raise ConfigError(f"SUMMIT_MODEL={name!r} is not available offline: give a local model folder") from None


def _identity(folder: Path) -> str:
    """Cheap and stable: the folder and the size and time of every file that defines the model."""
    files = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not rel.startswith(_SKIP_WEIGHTS) and (
                path.suffix in (".json", ".txt", ".model") or path.name in _WEIGHTS):
            st = path.stat()
            files.append((rel, st.st_size, st.st_mtime_ns))
    blob = json.dumps([EXPORT_FORMAT, str(folder), files])
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def export_dir(settings: Settings, folder: Path | None = None) -> Path:
    folder = folder or model_folder(settings.model)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", settings.model).strip("-")[-60:] or "model"
    return settings.cache_dir / "onnx" / f"{slug}-{_identity(folder)}"


# --- exporting (needs torch) ---
def torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None and importlib.util.find_spec("transformers") is not None


def export(settings: Settings) -> Path:
    """Export SUMMIT_MODEL to ONNX in the cache (once; a finished export is reused). Needs torch.

    Written to a temporary folder beside its final place and renamed, so a crash or a
    concurrent export never leaves half a model where a reader looks."""
    folder = model_folder(settings.model)
    Pipeline.read(folder)  # refuse an unsupported pipeline before spending time on it
    final = export_dir(settings, folder)
    if (final / MODEL_FILE).exists():
        return final
    if not torch_available():
        raise ConfigError("exporting the model to ONNX needs torch (pip install torch), once")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    except OSError as exc:
        raise ConfigError(f"cannot write the ONNX export in {final.parent} ({exc.strerror}): "
                          "set SUMMIT_CACHE_DIR to a writable folder") from None
    try:
        # Eager attention traces to plain ops that take any batch and length.
        model = AutoModel.from_pretrained(str(folder), local_files_only=True, attn_implementation="eager").eval()

        class Hidden(torch.nn.Module):
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state

        names = ["input_ids", "attention_mask", "token_type_ids"]
        sample = tuple(torch.ones(2, 8, dtype=torch.long) for _ in names)
        import warnings

        import onnx

        traced = tmp / "traced.onnx"
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about constant shapes checks; verified by the tests
            torch.onnx.export(Hidden(model), sample, str(traced), input_names=names,
                              output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names + ["last_hidden_state"]})
        onnx.save_model(onnx.load(str(traced)), str(tmp / MODEL_FILE), save_as_external_data=True,
                        all_tensors_to_one_file=True, location=WEIGHTS_FILE, size_threshold=1024)
        traced.unlink()
        (tmp / MANIFEST).write_text(json.dumps({
            "model": settings.model, "folder": str(folder), "format": EXPORT_FORMAT,
            "torch": torch.__version__, "weights_sha256": _weights_sha256(folder)}, indent=1))
        for path in tmp.iterdir():
            path.chmod(0o644)
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
        tmp.chmod(0o755)  # mkdtemp makes it private; the bot may run as another user than the export
        try:
            os.rename(tmp, final)
        except OSError:  # another process finished first: its export is the same model
            if not (final / MODEL_FILE).exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("exported %s to %s", settings.model, final)
    return final


def _weights_sha256(folder: Path) -> str | None:
    for name in _WEIGHTS:
        if (folder / name).exists():
            h = hashlib.sha256()
            with open(folder / name, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            return h.hexdigest()
    return None


# --- encoding (no torch) ---
class OnnxEncoder:
    """Normalised embeddings with onnxruntime; the same interface as embedding.Embedder's encode."""

    def __init__(self, pipeline: Pipeline, model_path: Path, threads: int = 1, batch_size: int = 16,
                 kind: str = "onnx-fp32"):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.pipeline, self.dim, self.max_tokens = pipeline, pipeline.dim, pipeline.max_tokens
        self.batch_size = batch_size
        self.kind = kind  # recorded in the store's meta by what it embeds
        self.tokenizer = Tokenizer.from_file(str(pipeline.folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(pipeline.max_tokens)  # tokenizer.json may carry other limits
        self.tokenizer.no_padding()
        self._offsets_tokenizer = None  # untruncated, for chunk sizing; made on first use
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_with_spans(texts, [()] * len(texts))[0]

    def encode_with_spans(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
                          ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's vector, and a vector for each (start, end) character span of it, pooled
        from the same pass (pool_span); a row is NaN where a span cannot be pooled."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []
        lowered = [t.lower() if self.pipeline.lower_case else t for t in texts]
        encodings = self.tokenizer.encode_batch(lowered)
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")  # similar lengths pad less
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        span_out = [np.empty((len(s), self.dim), dtype=np.float32) for s in spans]
        for pos in range(0, len(order), self.batch_size):
            batch = order[pos:pos + self.batch_size]
            hidden, mask = self._hidden([encodings[i] for i in batch])
            out[batch] = pool(hidden, mask, self.pipeline.pooling)
            for row, i in enumerate(batch):
                same = len(lowered[i]) == len(texts[i])  # str.lower() can change the length, so the offsets
                for n, span in enumerate(spans[i]):
                    span_out[i][n] = pool_span(hidden[row], encodings[i].offsets, span,
                                               self.pipeline.pooling) if same else np.nan
        return out, span_out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def token_offsets(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        """Word-piece offsets of each text, without special tokens or truncation (for chunk
        sizing): the same as embedding.Embedder.token_offsets, with no torch (tested)."""
        if not texts:
            return []
        if self._offsets_tokenizer is None:
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(self.pipeline.folder / "tokenizer.json"))
            tok.no_truncation()
            tok.no_padding()
            self._offsets_tokenizer = tok
        encodings = self._offsets_tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [list(e.offsets) for e in encodings]

    def _hidden(self, encodings) -> tuple[np.ndarray, np.ndarray]:
        """The transformer's token states for one padded batch, and its attention mask."""
        width = max(len(e.ids) for e in encodings)
        feeds = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in
                 ("input_ids", "attention_mask", "token_type_ids")}
        for row, e in enumerate(encodings):
            n = len(e.ids)
            feeds["input_ids"][row, :n] = e.ids
            feeds["attention_mask"][row, :n] = 1
            feeds["token_type_ids"][row, :n] = e.type_ids
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        return hidden, feeds["attention_mask"]


def pool(hidden: np.ndarray, attention: np.ndarray, mode: str) -> np.ndarray:
    """sentence-transformers' pooling of a padded batch of token states, normalised as
    embedding.Embedder.encode always normalises (the index compares by inner product)."""
    mask = attention[..., None].astype(np.float32)
    if mode == "cls":
        vectors = hidden[:, 0]
    elif mode == "max":
        vectors = np.where(mask > 0, hidden, -1e9).max(axis=1)
    else:
        counts = np.maximum(mask.sum(axis=1), 1e-9)
        vectors = (hidden * mask).sum(axis=1) / (counts if mode == "mean" else np.sqrt(counts))
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return vectors.astype(np.float32)


def pool_span(hidden: np.ndarray, offsets, span: tuple[int, int], mode: str) -> np.ndarray:
    """One span's vector from its text's token states: the model's pooling over the word pieces
    inside the span, read in the context of the whole text. NaN where truncation cut the span
    short (its end is past the last word piece read) or the pooling is the CLS token's, which no
    span has: the caller then embeds the span alone."""
    start, end = span
    pieces = [(n, b) for n, (a, b) in enumerate(offsets[:len(hidden)]) if b > a]
    rows = [n for n, b in pieces if start <= offsets[n][0] and b <= end]
    if not rows or mode == "cls" or max(b for _, b in pieces) < end:
        return np.full(hidden.shape[-1], np.nan, dtype=np.float32)
    return pool(hidden[None, rows], np.ones((1, len(rows))), mode)[0]


def load_dir(settings: Settings) -> Path:
    """The export folder of SUMMIT_MODEL, exporting it first if needed and torch is installed."""
    folder = model_folder(settings.model)
    Pipeline.read(folder)
    where = export_dir(settings, folder)
    if not (where / MODEL_FILE).exists():
        if not torch_available():
            raise ConfigError(f"no ONNX export of {settings.model} in {settings.cache_dir}: run `summit prepare` "
                              "where torch is installed, with the same SUMMIT_CACHE_DIR")
        log.warning("exporting %s to ONNX once, into %s", settings.model, where)
        where = export(settings)
    return where


def load(settings: Settings, threads: int = 1) -> OnnxEncoder:
    """The ONNX encoder of SUMMIT_MODEL, exporting it first if needed and torch is installed."""
    pipeline = Pipeline.read(model_folder(settings.model))
    return OnnxEncoder(pipeline, load_dir(settings) / MODEL_FILE, threads=threads, batch_size=settings.encode_batch)
