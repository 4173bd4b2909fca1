"""Indexes of any size without embedding every chunk (100k real embeddings take ~30 min here).

Text is synthetic news prose (bench.synthetic). Vectors are not random noise alone: each
chunk's vector is the normalised mean of real embeddings of its sentence shapes plus a
random component, so cosines to real questions spread like real ones do. Everything is
written through the engine's own storage path (Writer.commit with Upserts), so SQLite,
the FAISS files and the BM25 folder are exactly what ingest would produce, quotes and
quote vectors included: every “…” in a paragraph is stored as a direct quote, and one
speaker (`heavy_speaker`) says about `heavy_quotes` of them, like a prime minister in a
real archive.

    python -m bench.large_index --chunks 1000000     # the 1M figures: build, search, recall vs flat
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from index import textnorm
from index.sources.chunking import Chunk
from index.sources.cleaning import Cleaned
from index.sources.documents import Document, digest
from index.storage.generations import Upsert
from index.ingest import text_key
from index.quotes.extraction import Quote

from .synthetic import TOPICS, Generator

NOISE = 0.6  # weight of the random part; keeps near-identical shapes from tying
QUOTE_NOISE = 0.3  # a quote's sentence vector: its paragraph's plus this much noise
QUOTES_PER_CHUNK = 0.45  # measured on the generator: “…” spans per one-paragraph chunk
_QUOTED = re.compile(r"“([^“”]+)”")
_SENTENCE_END = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“])")


def heavy_speaker(seed: int = 7) -> str:
    return Generator(seed).people[0]


def _quotes(text: str, base: int, paragraph: int, rng, heavy: str, people: list[str], p_heavy: float) -> list[Quote]:
    """Each “…” of a paragraph as a direct quote, its sentence found by punctuation."""
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    out = []
    for m in _QUOTED.finditer(text):
        s = next(a for a, b in bounds if m.start() < b)  # the sentences from the opening mark
        e = next(b for a, b in bounds if m.end() <= b)  # to the closing one
        name = heavy if rng.random() < p_heavy else people[int(rng.integers(len(people)))]
        out.append(Quote(kind="direct", text=m.group(1), start=base + m.start(1), end=base + m.end(1),
                         sentence_start=base + s, sentence_end=base + e, paragraph=paragraph,
                         speaker=name, speaker_as_written=name, cue="said", person=True))
    return out


def build(engine, n_chunks: int, seed: int = 7, log=print, quotes: bool = True, heavy_quotes: int = 1500,
          commit_every: int | None = None, edit=None) -> dict:
    """Fill the engine's (empty) data dir with `n_chunks` synthetic chunks, in commits of
    `commit_every` chunks (default: one commit).

    `edit(first_chunk_number, paragraphs)` may rewrite an article's paragraphs (same count)
    before they are stored, e.g. to plant a phrase in a known share of the passages."""
    started = time.perf_counter()
    gen = Generator(seed)
    shape_vecs = engine.query_encoder.encode(gen.shapes())
    rng = np.random.default_rng(seed)
    heavy = heavy_speaker(seed)
    p_heavy = min(0.5, heavy_quotes / max(1.0, QUOTES_PER_CHUNK * n_chunks))
    upserts, total, pending, n_articles, n_quotes, n_heavy = [], 0, 0, 0, 0, 0
    commit_s = 0.0
    while total < n_chunks:
        art = gen.article(long_share=0.0)  # short paragraphs: one chunk each, no tokenizer needed
        paras = art.paragraphs[:n_chunks - total]
        if edit is not None:
            paras = edit(total, paras)
        doc = Document.build(f"synthetic://{n_chunks}/{n_articles}", Cleaned(art.title, paras),
                             digest("\n\n".join([art.title, *paras])))
        chunks = [Chunk(n, s, e) for n, (s, e) in enumerate(doc.paragraphs, 1)]
        texts = [doc.text[s:e] for s, e in doc.paragraphs]
        base = np.stack([shape_vecs[ids].mean(axis=0) for ids in art.template_ids[:len(paras)]])
        base /= np.linalg.norm(base, axis=1, keepdims=True)
        noise = rng.standard_normal(base.shape).astype(np.float32)
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        vecs = base + NOISE * noise
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        doc_quotes, quote_vecs = [], []
        if quotes:
            for n, ((s, _), text) in enumerate(zip(doc.paragraphs, texts)):
                found = _quotes(text, s, n + 1, rng, heavy, gen.people, p_heavy)
                doc_quotes.extend(found)
                for _ in found:
                    noise = rng.standard_normal(vecs.shape[1]).astype(np.float32)
                    v = vecs[n] + QUOTE_NOISE * noise / np.linalg.norm(noise)
                    quote_vecs.append(v / np.linalg.norm(v))
        n_quotes += len(doc_quotes)
        n_heavy += sum(q.speaker == heavy for q in doc_quotes)
        upserts.append(Upsert(doc=doc, text_hash=digest(doc.text), article_id=None, chunks=chunks,
                              terms=[textnorm.index_terms(t) for t in texts], keys=[text_key(t) for t in texts],
                              vectors=vecs.astype(np.float32), quotes=doc_quotes,
                              quote_vectors=np.asarray(quote_vecs, dtype=np.float32).reshape(-1, vecs.shape[1])))
        total += len(paras)
        pending += len(paras)
        n_articles += 1
        if (commit_every and pending >= commit_every) or total >= n_chunks:
            t0 = time.perf_counter()
            engine.commit(upserts)
            commit_s += time.perf_counter() - t0
            log(f"  committed {total:,} chunks ({time.perf_counter() - started:.0f} s)")
            upserts, pending = [], 0
    done = time.perf_counter()
    meta = engine.store.meta("vector_index")
    info = {"chunks": total, "articles": n_articles, "quotes": n_quotes, "heavy_speaker": heavy,
            "heavy_quotes": n_heavy, "generate_s": round(done - started - commit_s, 2),
            "commit_s": round(commit_s, 2), "build_s": round(done - started, 2), "vectors": "synthetic",
            "vector_index": json.loads(meta) if meta else None,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    log(f"  built {total:,} synthetic chunks, {n_quotes:,} quotes ({n_heavy:,} by {heavy}) in {info['build_s']} s "
        f"(commits {info['commit_s']} s); index {info['vector_index'] and info['vector_index']['factory']}")
    return info


def search_questions(n: int, seed: int) -> list[str]:
    """Topic searches like the engine bench's (the same generator, so the same names and places)."""
    import random

    rng, gen = random.Random(seed + 3), Generator(seed)
    forms = [lambda: f"what happened with the {rng.choice(TOPICS)} in {rng.choice(gen.places)}",
             lambda: f"why did the {rng.choice(gen.orgs)} delay the {rng.choice(TOPICS)}",
             lambda: f"{rng.choice(gen.places)} {rng.choice(TOPICS)} protest",
             lambda: f"how much will the {gen.vocab_word()} {rng.choice(TOPICS)} cost"]
    return [rng.choice(forms)() for _ in range(n)]


def recall_at(engine, questions: list[str], k: int = 10) -> dict:
    """Recall@k of the committed vector index against exact search over the same vectors."""
    import faiss

    snap = engine.searcher.refresh()
    ids, vectors = snap.vectors.arrays()
    exact = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
    exact.add_with_ids(vectors, ids)
    del vectors
    per_question, flat_t, ann_t = [], [], []
    for q in questions:
        qvec = engine.query_encoder.encode_query(q).reshape(1, -1)
        t0 = time.perf_counter()
        _, truth = exact.search(qvec, k)
        t1 = time.perf_counter()
        got = snap.vectors.search(qvec[0], k)
        t2 = time.perf_counter()
        per_question.append(len(set(truth[0].tolist()) & {i for i, _ in got}) / k)
        flat_t.append(t1 - t0)
        ann_t.append(t2 - t1)
    return {"k": k, "questions": len(questions), "recall": round(statistics.fmean(per_question), 4),
            "min_recall": min(per_question), "index": snap.vectors.describe(),
            "flat_search": _ms(flat_t), "index_search": _ms(ann_t)}


def synthetic_vectors(encoder, n: int, seed: int = 7) -> np.ndarray:
    """`n` vectors made like build()'s (1-4 sentence shapes averaged, plus NOISE), without text."""
    gen, rng = Generator(seed), np.random.default_rng(seed)
    shapes = encoder.encode(gen.shapes())
    out = np.empty((n, shapes.shape[1]), dtype=np.float32)
    for pos in range(0, n, 100_000):
        m = min(100_000, n - pos)
        count = rng.choice([1, 2, 3, 4], size=m, p=[0.2, 0.4, 0.3, 0.1])
        picks = rng.integers(0, len(shapes), size=(m, 4))
        base = sum(np.where((count > j)[:, None], shapes[picks[:, j]], 0.0) for j in range(4))
        base /= np.linalg.norm(base, axis=1, keepdims=True)
        noise = rng.standard_normal(base.shape)
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        v = base + NOISE * noise
        out[pos:pos + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def vectors_only(n: int, seed: int, questions: list[str], flat_max: int, work: Path, log=print) -> dict:
    """The vector index alone at `n` vectors, through the code a commit runs (VectorIndex.fit,
    save, load): build time, peak memory, search latency and recall@10 against exact flat
    search over the same vectors, in the same run."""
    from index import Settings
    from index.models import onnx_encoder
    from index.retrieval import ann

    encoder = onnx_encoder.load(Settings.from_env())
    t0 = time.perf_counter()
    vectors = synthetic_vectors(encoder, n, seed)
    ids = np.arange(1, n + 1, dtype=np.int64)
    flat = ann.VectorIndex.empty(vectors.shape[1])
    flat.add(ids, vectors)
    del vectors
    made = time.perf_counter()
    log(f"  {n:,} vectors in {made - t0:.0f} s; fitting (SUMMIT_FLAT_MAX={flat_max:,})…")
    fitted = flat.fit(flat_max)
    built = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    path = work / "vectors.bench.faiss"
    fitted.save(path)
    saved = time.perf_counter()
    file_mb = round(os.path.getsize(path) / 2**20)
    params = fitted.describe()
    del fitted
    index = ann.VectorIndex.load(path, params)
    loaded = time.perf_counter()
    ann.set_threads(1)
    qvecs = encoder.encode(questions)
    per_q, flat_t, ann_t = [], [], []
    for qvec in qvecs:
        a = time.perf_counter()
        truth = {i for i, _ in flat.search(qvec, 10)}
        b = time.perf_counter()
        got = {i for i, _ in index.search(qvec, 10)}
        c = time.perf_counter()
        per_q.append(len(truth & got) / 10)
        flat_t.append(b - a)
        ann_t.append(c - b)
    path.unlink()
    return {"vectors": n, "index": params, "make_vectors_s": round(made - t0, 1), "fit_s": round(built - made, 1),
            "save_s": round(saved - built, 1), "load_s": round(loaded - saved, 1),
            "file_mb": file_mb,
            "recall_at_10": round(statistics.fmean(per_q), 4), "min_recall": min(per_q),
            "questions": len(questions), "flat_search": _ms(flat_t), "index_search": _ms(ann_t),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def _ms(seconds: list[float]) -> dict:
    ms = np.asarray(seconds) * 1000
    return {"n": len(ms), "p50_ms": round(float(np.percentile(ms, 50)), 2),
            "p95_ms": round(float(np.percentile(ms, 95)), 2)}


def main(argv=None) -> int:
    """The 1M figures: build through the real storage path, then in-process search latency and
    recall@10 against exact flat search over the same vectors, in the same run."""
    import os

    from . import engine_bench as eb

    p = argparse.ArgumentParser(prog="python -m bench.large_index")
    p.add_argument("--chunks", type=int, default=1_000_000)
    p.add_argument("--commit-every", type=int, default=500_000)
    p.add_argument("--questions", type=int, default=100)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--work-dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "summit-bench")
    p.add_argument("--keep", action="store_true", help="keep the data dir (it is several GB)")
    p.add_argument("--reuse", action="store_true",
                   help="search a data dir kept by an earlier --keep run instead of building it again "
                        "(build once under load, measure search later on a quiet machine)")
    p.add_argument("--json", type=Path, default=None)
    p.add_argument("--vectors-only", action="store_true",
                   help="only the vector index (fit, save, load, search, recall): no SQLite or BM25")
    a = p.parse_args(argv)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    if a.vectors_only:
        from index import Settings

        report = {"command": "python -m bench.large_index " + " ".join(sys.argv[1:] if argv is None else argv),
                  "load_before": os.getloadavg()}
        report.update(vectors_only(a.chunks, a.seed, search_questions(a.questions, a.seed),
                                   Settings.from_env().flat_max, a.work_dir, log))
        report["load_after"] = os.getloadavg()
        f, i = report["flat_search"], report["index_search"]
        print(f"\n{a.chunks:,} vectors, {report['index']['factory']} nprobe {report['index'].get('nprobe')}: "
              f"fit {report['fit_s']} s, save {report['save_s']} s, load {report['load_s']} s, peak RSS {report['peak_rss_mb']} MB")
        print(f"  search p50/p95: index {i['p50_ms']}/{i['p95_ms']} ms, exact flat (same run) {f['p50_ms']}/{f['p95_ms']} ms; "
              f"recall@10 {report['recall_at_10']} (min {report['min_recall']}) on {report['questions']} questions")
        print("  load average before %.1f/%.1f/%.1f, after %.1f/%.1f/%.1f" % (*report["load_before"], *report["load_after"]))
        ok = report["recall_at_10"] >= 0.95
        print(f"  target recall_at_10: {report['recall_at_10']} (want >= 0.95) -> {'PASS' if ok else 'FAIL'}")
        ok = i["p95_ms"] <= 30
        print(f"  target vector_search_p95_ms: {i['p95_ms']} (want <= 30) -> {'PASS' if ok else 'FAIL'}")
        if a.json:
            a.json.write_text(json.dumps(report, indent=2) + "\n")
        return 0
    data = a.work_dir / f"large-{a.chunks}"
    built = data / "build.json"  # what the build reported, kept with the data for --reuse
    report = {"command": "python -m bench.large_index " + " ".join(sys.argv[1:] if argv is None else argv),
              "load_before": os.getloadavg()}
    if a.reuse and built.exists():
        report["build"] = json.loads(built.read_text())
        report["build"]["reused"] = True
        log(f"reusing the {report['build']['chunks']:,} chunks built in {data}")
    else:
        shutil.rmtree(data, ignore_errors=True)
        engine = eb.make_engine(data)
        report["build"] = build(engine, a.chunks, a.seed, log, quotes=False, commit_every=a.commit_every)
        engine.close()
        built.write_text(json.dumps(report["build"], indent=2) + "\n")
    engine = eb.make_engine(data)
    t0 = time.perf_counter()
    engine.warm()
    report["load_s"] = round(time.perf_counter() - t0, 2)
    questions = search_questions(a.questions, a.seed)
    log(f"recall@10 against flat ({len(questions)} questions)…")
    report["recall"] = recall_at(engine, questions)
    for q in questions[:10]:
        engine.ask(q)  # warm-up
    ask_t = []
    for _ in range(a.rounds):
        for q in questions:
            t0 = time.perf_counter()
            engine.ask(q)
            ask_t.append(time.perf_counter() - t0)
    report["ask_search"] = _ms(ask_t)
    # Questions never asked before, once each: their terms' postings and their candidates' rows
    # are read for the first time (from disk, when the page cache has let them go).
    fresh_t = []
    for q in search_questions(a.questions, a.seed + 1000):
        t0 = time.perf_counter()
        engine.ask(q)
        fresh_t.append(time.perf_counter() - t0)
    report["ask_first_time"] = _ms(fresh_t)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    report["load_after"] = os.getloadavg()
    engine.close()
    if not (a.keep or a.reuse):
        shutil.rmtree(data, ignore_errors=True)
    r = report["recall"]
    targets = {"search_p95_ms": (report["ask_search"]["p95_ms"], "<= 30", report["ask_search"]["p95_ms"] <= 30),
               "search_p95_ms_first_time": (report["ask_first_time"]["p95_ms"], "<= 30",
                                            report["ask_first_time"]["p95_ms"] <= 30),
               "recall_at_10": (r["recall"], ">= 0.95", r["recall"] >= 0.95)}
    report["targets"] = {k: {"value": v, "target": t, "pass": ok} for k, (v, t, ok) in targets.items()}
    print(f"\n{report['build']['chunks']:,} chunks, index {r['index']['factory']} nprobe {r['index'].get('nprobe')}: "
          f"build {report['build']['build_s']} s (commits {report['build']['commit_s']} s), "
          f"peak RSS {report['peak_rss_mb']} MB, load {report['load_s']} s")
    print(f"  vector search p50/p95: index {r['index_search']['p50_ms']}/{r['index_search']['p95_ms']} ms, "
          f"exact flat (baseline, same run) {r['flat_search']['p50_ms']}/{r['flat_search']['p95_ms']} ms")
    print(f"  engine.ask (search questions) p50/p95: {report['ask_search']['p50_ms']}/{report['ask_search']['p95_ms']} ms"
          f" ({a.rounds} rounds); questions asked for the first time, once each: "
          f"{report['ask_first_time']['p50_ms']}/{report['ask_first_time']['p95_ms']} ms")
    print("  load average before %.1f/%.1f/%.1f, after %.1f/%.1f/%.1f" % (*report["load_before"], *report["load_after"]))
    for name, t in report["targets"].items():
        print(f"  target {name}: {t['value']} (want {t['target']}) -> {'PASS' if t['pass'] else 'FAIL'}")
    if a.json:
        a.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
