"""Sentences per second: scratch ``SentenceEmbedder.encode`` against
``SentenceTransformer.encode``, on the CPU, same texts, same batch size, one process.

    python benchmarks/embedders_encode.py [--n-minilm 1000] [--n-mpnet 300] [--batch-size 32] [--threads 2]

For each model both implementations are loaded, warmed up on a few texts, then timed
once each over the same real English sentences (the scratch run first, then the
reference, then a second scratch run to show the spread). Peak memory is the largest
resident set size seen (sampled every 2 ms from ``/proc/self/statm``) during a run, minus
the size just before it: what the encoding itself needs, the models being loaded already.
Results go to ``benchmarks/results/embedders_encode.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # text_corpora
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from word2vec_train import PeakMemory, rss_bytes  # noqa: E402  (the shared RSS sampler)

MODELS = {"all-MiniLM-L6-v2": "n_minilm", "all-mpnet-base-v2": "n_mpnet"}


def sentences(n: int) -> list[str]:
    from text_corpora import english

    text = english(3_000_000, offset=5_000_000)
    paragraphs = (" ".join(p.split()) for p in text.split("\n\n"))
    found = [s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", p) if len(s) >= 3]
    if len(found) < n:
        raise SystemExit(f"only {len(found)} sentences available, asked for {n}")
    return found[:n]


def timed(encode, texts, batch_size):
    with PeakMemory() as memory:
        start = time.perf_counter()
        vectors = encode(texts, batch_size)
        seconds = time.perf_counter() - start
    return vectors, seconds, memory.extra_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-minilm", type=int, default=1000)
    parser.add_argument("--n-mpnet", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "embedders_encode.md"))
    args = parser.parse_args()

    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    args.load_before = "/".join(f"{x:.1f}" for x in os.getloadavg())
    from reference import embedders as reference
    from scratch.artifacts import fetch
    from scratch.embedders import SentenceEmbedder

    import sentence_transformers  # noqa: F401  (library imports are not counted as model memory)
    import transformers  # noqa: F401

    rows = []
    for name, count_arg in MODELS.items():
        n = getattr(args, count_arg)
        texts = sentences(n)
        folder = fetch(name)

        # Load, then warm up on a few texts (first-call costs, weights paged in): the RSS
        # this adds is the "model" memory.
        before = rss_bytes()
        ours = SentenceEmbedder.from_pretrained(folder)
        ours.encode(texts[:64], batch_size=args.batch_size)
        ours_load_mb = (rss_bytes() - before) / 2**20
        before = rss_bytes()
        theirs = reference.sentence_transformer(folder)
        theirs.encode(texts[:64], batch_size=args.batch_size)
        theirs_load_mb = (rss_bytes() - before) / 2**20

        def scratch_encode(t, b):
            return ours.encode(t, batch_size=b)

        def reference_encode(t, b):
            return theirs.encode(t, batch_size=b, convert_to_numpy=True)

        a, t_scratch, m_scratch = timed(scratch_encode, texts, args.batch_size)
        b, t_reference, m_reference = timed(reference_encode, texts, args.batch_size)
        _, t_scratch2, _ = timed(scratch_encode, texts, args.batch_size)
        diff = float(np.max(np.abs(a - b)))
        tokens = sum(len(ours.token_ids(t)) for t in texts)
        row = dict(model=name, n=n, tokens=tokens, scratch=n / t_scratch, scratch2=n / t_scratch2,
                   reference=n / t_reference, ratio=t_reference / t_scratch, m_scratch=m_scratch,
                   m_reference=m_reference, load_scratch=ours_load_mb, load_reference=theirs_load_mb,
                   diff=diff)  # fmt: skip
        rows.append(row)
        print(f"{name}: {n} sentences ({tokens} tokens), batch {args.batch_size}, {args.threads} threads")
        print(f"  scratch   {row['scratch']:8.1f} sentences/s  (second run {row['scratch2']:.1f})  "
              f"peak +{m_scratch:.0f} MB during encode, model {ours_load_mb:.0f} MB")  # fmt: skip
        print(f"  reference {row['reference']:8.1f} sentences/s  peak +{m_reference:.0f} MB during encode, "
              f"model {theirs_load_mb:.0f} MB")  # fmt: skip
        print(f"  scratch / reference speed = {row['ratio']:.2f}x   max |difference| = {diff:.1e}")
        del ours, theirs

    args.load_after = "/".join(f"{x:.1f}" for x in os.getloadavg())
    write_results(Path(args.out), rows, args)


def write_results(path: Path, rows: list[dict], args) -> None:
    import torch

    lines = [
        "# SentenceEmbedder.encode against SentenceTransformer.encode (CPU)",
        "",
        "Written by `python benchmarks/embedders_encode.py` "
        f"(`--batch-size {args.batch_size} --threads {args.threads}`): real English sentences from "
        "`gutenberg/english.txt`, one process, both implementations on the same texts with the same batch "
        "size, each timed once (scratch again afterwards, to show the run-to-run spread). Peak memory: "
        "largest RSS during the encode minus the RSS before it; model: RSS added by loading the model and "
        "encoding 64 texts (library imports excluded).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs visible, torch {torch.__version__}, "
        f"{args.threads} torch threads, Python {platform.python_version()}; load average "
        f"{args.load_before} before the runs, {args.load_after} after (other processes share the CPUs: "
        "a load above the CPU count slows both implementations and blurs the ratio).",
        "",
        "| model | sentences (tokens) | scratch sent/s | scratch 2nd run | sentence-transformers sent/s "
        "| scratch / reference | peak MB scratch / reference | model MB scratch / reference | max abs diff |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['n']} ({r['tokens']}) | {r['scratch']:.1f} | {r['scratch2']:.1f} | "
            f"{r['reference']:.1f} | {r['ratio']:.2f}x | {r['m_scratch']:.0f} / {r['m_reference']:.0f} | "
            f"{r['load_scratch']:.0f} / {r['load_reference']:.0f} | {r['diff']:.1e} |"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
