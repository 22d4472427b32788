"""Adversarial input: one pre-tokenizer chunk of up to a megabyte, scratch against tiktoken.

    python benchmarks/tokenizers_long_chunks.py [--sizes 0.25 0.5 1] [--repeats 2]

Texts (each is a single chunk for both GPT-2's and cl100k_base's split):

* **word**: random lowercase letters (``random.Random(0)``): a letter-only word;
* **spaces**: a run of spaces;
* **aaa**: one letter repeated, which gives many pairs of equal rank at once.

Encoders: scratch's ``tokenizers.load(name).encode(text, add_special_tokens=False)`` (the
whole-text compiled encoder, whose long chunks go to ``bpe_merge_numba.merge_long``, a heap
in O(n log n)), warmed first on a short text; tiktoken's ``encode_ordinary``
(``tokenizers_encode.tiktoken_encoder``: cl100k_base, and GPT-2's ranks with tiktoken's GPT-2
pattern). Seconds are the best of ``--repeats`` rounds, the two taking turns; the ids must
be equal. "s/MB" at each size shows whether the time grows linearly (a constant column).
Results: ``benchmarks/results/tokenizers_long_chunks.md``.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from tokenizers_encode import scratch_encoder, tiktoken_encoder  # noqa: E402

NAMES = ("gpt2", "cl100k_base")


def text(kind: str, mb: float) -> str:
    n = int(mb * 1_000_000)
    if kind == "word":
        rng = random.Random(0)
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))
    return (" " if kind == "spaces" else "a") * n


def best_time(encode, data: str) -> tuple[float, list[int]]:
    start = time.perf_counter()
    ids = encode(data)
    return time.perf_counter() - start, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "tokenizers_long_chunks.md"))
    parser.add_argument("--note", default="", help="a line about the machine's load, put in the results")
    args = parser.parse_args()
    rows = []
    for name in NAMES:
        ours, theirs = scratch_encoder(name), tiktoken_encoder(name)
        ours("warm up: " * 4000 + "x" * 3000)  # builds the compiled encoder, loads numba's code
        for kind in ("word", "spaces", "aaa"):
            for mb in args.sizes:
                data = text(kind, mb)
                times = {"scratch": float("inf"), "tiktoken": float("inf")}
                results = {}
                for _ in range(args.repeats):
                    for label, encode in (("scratch", ours), ("tiktoken", theirs)):
                        seconds, results[label] = best_time(encode, data)
                        times[label] = min(times[label], seconds)
                same = results["scratch"] == results["tiktoken"]
                rows.append((name, kind, mb, times["scratch"], times["tiktoken"], same))
                print(name, kind, mb, f"{times['scratch']:.3f} s", f"{times['tiktoken']:.3f} s", same, flush=True)
    import tiktoken

    lines = [
        "# One long chunk (adversarial input): scratch `encode` vs tiktoken `encode_ordinary`",
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, Python "
        f"{platform.python_version()}, tiktoken {tiktoken.__version__}. Seconds, best of {args.repeats} rounds in one "
        "process, the two encoders taking turns. " + args.note,
        "",
        "Texts, each one pre-tokenizer chunk: **word** = random lowercase letters (seed 0), **spaces** = a run of "
        "spaces, **aaa** = one letter repeated. scratch merges such a chunk with `bpe_merge_numba.merge_long` (a heap, "
        "O(n log n)). Ratio = scratch / tiktoken (target, issue 22: at most 2x). s/MB = seconds per MB at that size: "
        "constant when the time grows linearly.",
        "",
        "| tokenizer | text | MB | scratch s | tiktoken s | ratio | scratch s/MB | tiktoken s/MB | same ids |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, kind, mb, ours_s, theirs_s, same in rows:
        lines.append(
            f"| {name} | {kind} | {mb:g} | {ours_s:.3f} | {theirs_s:.3f} | {ours_s / theirs_s:.2f}x | "
            f"{ours_s / mb:.3f} | {theirs_s / mb:.3f} | {'yes' if same else 'NO'} |"
        )
    from scratch.files import atomic_write

    with atomic_write(args.out, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    if not all(row[-1] for row in rows):
        sys.exit("scratch and tiktoken gave different ids (see the table)")


if __name__ == "__main__":
    main()
