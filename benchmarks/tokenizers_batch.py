"""Batch encoding across threads: scratch's tiktoken-shaped ``encode_ordinary_batch`` against tiktoken's.

    python benchmarks/tokenizers_batch.py [--mb 4] [--block 2000] [--threads 1 2] [--names gpt2 cl100k_base]

The text (English books and Python source, half each: ``tokenizers_encode.texts``) is cut
into blocks of about ``--block`` characters at line ends, and the whole list goes through
``encode_ordinary_batch(blocks, num_threads=T)``:

* **scratch**: ``scratch.tokenizers.tiktoken_api.get_encoding(name)``, a thread pool over
  ``ByteLevelBPE.encode_ordinary``; a long text takes the whole-text numba encoder
  (:mod:`scratch.tokenizers.bytelevel_numba`, compiled with ``nogil=True``), so the
  threads run at once outside Python's lock;
* **tiktoken**: ``tiktoken.Encoding.encode_ordinary_batch`` (a thread pool over its Rust
  encoder, which also releases the GIL), built by ``tokenizers_encode.tiktoken_encoding``.

Throughput is UTF-8 MB of input per second of wall time, best of ``--repeats`` rounds in
which the two take turns; both must give the same ids. Both warm (one untimed batch first).
Results: ``benchmarks/results/tokenizers_batch.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from tokenizers_encode import texts, tiktoken_encoding  # noqa: E402  (the same texts and reference encodings)


def blocks_of(mb: float, block: int) -> list[str]:
    """Both kinds of text, in blocks of about ``block`` characters cut after a line end."""
    from text_corpora import blocks

    english, python = (text for text, _ in texts(mb / 2).values())
    return blocks(english, size=block) + blocks(python, size=block)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=4.0)
    parser.add_argument("--block", type=int, default=2000, help="characters a text of the batch, about")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--names", nargs="+", default=["gpt2", "cl100k_base"])
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "tokenizers_batch.md"))
    args = parser.parse_args()

    import tiktoken

    from scratch.tokenizers import tiktoken_api

    batch = blocks_of(args.mb, args.block)
    size_mb = sum(len(text.encode("utf-8")) for text in batch) / 1e6
    lines = [
        "# Batch encoding across threads: scratch vs tiktoken",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, tiktoken {tiktoken.__version__}. "
        f"`encode_ordinary_batch` of {len(batch):,} texts of about {args.block:,} characters ({size_mb:.1f} MB, "
        f"English books and Python source), MB/s of UTF-8 input, best of {args.repeats} rounds, the two "
        "taking turns; both warm; same ids.",
        "",
        "| tokenizer | threads | scratch MB/s | tiktoken MB/s | scratch / tiktoken |",
        "|---|---|---|---|---|",
    ]
    for name in args.names:
        encoders = {"scratch": tiktoken_api.get_encoding(name), "tiktoken": tiktoken_encoding(name)}
        expected = encoders["tiktoken"].encode_ordinary_batch(batch, num_threads=1)
        if encoders["scratch"].encode_ordinary_batch(batch, num_threads=1) != expected:
            raise AssertionError(f"{name}: scratch and tiktoken disagree")
        for threads in args.threads:
            best = {label: float("inf") for label in encoders}
            for _ in range(args.repeats):
                for label, encoding in encoders.items():
                    start = time.perf_counter()
                    ids = encoding.encode_ordinary_batch(batch, num_threads=threads)
                    best[label] = min(best[label], time.perf_counter() - start)
                    if ids != expected:
                        raise AssertionError(f"{name}: {label} on {threads} threads gives other ids")
            ours, theirs = size_mb / best["scratch"], size_mb / best["tiktoken"]
            lines.append(f"| {name} | {threads} | {ours:.2f} | {theirs:.2f} | {ours / theirs:.2f}x |")
            print(lines[-1], flush=True)
    lines += ["", "Target (issue 22): at least tiktoken's `encode_batch` throughput on 2 cores, same ids.", ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
