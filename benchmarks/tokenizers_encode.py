"""Encoding speed and memory: scratch's tokenizers against Hugging Face ``tokenizers``
and tiktoken, single thread.

    python benchmarks/tokenizers_encode.py [--mb 2] [--repeats 3]

Texts: ``--mb`` MB of English books (``gutenberg/english.txt``) and of Python source (the
standard library), from ``tests/text_corpora.py``. Each text is encoded as one string:

* **scratch**: ``tokenizers.load(name).encode(text)``. "fresh": a new tokenizer, its chunk
  cache empty (its thousands of new chunks go to the numba-compiled merge loop; for GPT-2's,
  cl100k_base's, o200k_base's and Llama-3's split, the whole text goes to the compiled encoder of
  ``scratch/tokenizers/bytelevel_numba.py``, built for that tokenizer first);
  "warm": the same tokenizer then encodes another text of the same kind (the next
  ``--mb`` MB), the steady state of a long-running process.
* **HF tokenizers**: ``tokenizer.backend_tokenizer.encode(text)`` of the reference (the
  Rust ``tokenizers.Tokenizer``, without transformers' Python layer on top), with
  ``RAYON_NUM_THREADS=1``.
* **tiktoken**: ``encode_ordinary(text)`` (cl100k_base, and GPT-2's ranks loaded into a
  ``tiktoken.Encoding`` with tiktoken's own GPT-2 pattern).
* **o200k-style**: o200k_base's ranks are not obtainable here, its pattern is; this is
  cl100k_base's ranks cut by o200k_base's pattern, in both scratch
  (``byte_bpe.from_tiktoken(path, pretokenizers.O200K, {})``) and tiktoken
  (``reference.tokenizers.bytelevel.load_o200k_style``), which times the pattern.

Throughput is UTF-8 bytes in / wall time, best of ``--repeats`` rounds in which the
encoders take turns (so that a busy machine slows them alike); all encoders of a
tokenizer must give the same ids. Memory is the peak resident set size above the start
while loading the tokenizer and encoding one text, each in a process of its own (sampled
every 20 ms).
Results: ``benchmarks/results/tokenizers_encode.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from word2vec_train import PeakMemory  # noqa: E402  (the shared RSS sampler)

TIKTOKEN_GPT2_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""


def texts(mb: float) -> dict[str, tuple[str, str]]:
    """kind -> (text to time, another text of the same kind to warm a cache with)."""
    from text_corpora import english, python_source

    n = int(mb * 1_000_000)
    python = python_source(2 * n)
    cut = python.rfind("\n", 0, len(python) // 2) + 1
    return {"English books": (english(n), english(n, offset=n + 1)), "Python source": (python[:cut], python[cut:])}


# ---- the encoders: name -> loader returning an encode(text) -> list[int] function ----------------
O200K_STYLE = "o200k-style"  # cl100k_base's ranks cut by o200k_base's pattern (o200k_base's ranks are not here)


def scratch_encoder(name: str):
    from scratch import tokenizers

    if name == O200K_STYLE:
        from scratch.tokenizers import byte_bpe, pretokenizers

        tok = byte_bpe.from_tiktoken(tokenizers.pretrained_path("cl100k_base"), pretokenizers.O200K, {})
    else:
        tok = tokenizers.load(name)
    return lambda text: tok.encode(text, add_special_tokens=False)


def hf_encoder(name: str):
    import reference.tokenizers as reference

    backend = reference.load(name).backend
    return lambda text: backend.encode(text, add_special_tokens=False).ids


def gpt2_tiktoken_encoding(folder: Path):
    """tiktoken's "gpt2" encoding built from OpenAI's ``vocab.bpe`` / ``encoder.json`` in
    ``folder`` (the gpt2 artifact), as tiktoken's own registry builds it, reading only the
    local files (``TIKTOKEN_CACHE_DIR`` empty: nothing cached or fetched)."""
    import tiktoken
    import tiktoken.load

    before = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = ""
    try:
        ranks = tiktoken.load.data_gym_to_mergeable_bpe_ranks(str(folder / "merges.txt"), str(folder / "vocab.json"))
    finally:
        if before is None:
            del os.environ["TIKTOKEN_CACHE_DIR"]
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = before
    return tiktoken.Encoding(
        "gpt2", pat_str=TIKTOKEN_GPT2_PATTERN, mergeable_ranks=ranks, special_tokens={"<|endoftext|>": 50256}
    )


def tiktoken_encoding(name: str):
    """tiktoken's ``Encoding`` for cl100k_base, gpt2 or the o200k-style one, from the local artifacts."""
    if name == O200K_STYLE:
        from reference.tokenizers.bytelevel import load_o200k_style
        from scratch.tokenizers import pretrained_path

        return load_o200k_style(pretrained_path("cl100k_base"))
    if name == "cl100k_base":
        from reference.tokenizers.bytelevel import load_cl100k
        from scratch.tokenizers import pretrained_path

        return load_cl100k(pretrained_path(name))
    from scratch.artifacts import fetch

    return gpt2_tiktoken_encoding(fetch("gpt2"))


def tiktoken_encoder(name: str):
    return tiktoken_encoding(name).encode_ordinary


ENCODERS = {
    "gpt2": {"scratch": scratch_encoder, "HF tokenizers": hf_encoder, "tiktoken": tiktoken_encoder},
    "cl100k_base": {"scratch": scratch_encoder, "tiktoken": tiktoken_encoder},
    O200K_STYLE: {"scratch": scratch_encoder, "tiktoken": tiktoken_encoder},
    "llama-3": {"scratch": scratch_encoder, "HF tokenizers": hf_encoder},
    "qwen2": {"scratch": scratch_encoder, "HF tokenizers": hf_encoder},
    "bert-base-uncased": {"scratch": scratch_encoder, "HF tokenizers": hf_encoder},
}


def seconds_of(encode, text: str) -> tuple[float, list[int]]:
    start = time.perf_counter()
    ids = encode(text)
    return time.perf_counter() - start, ids


def memory_of(name: str, impl: str, mb: float) -> float:
    """Peak RSS (MB) above the start while loading the encoder and encoding one text
    (run in a child process, so nothing else is in memory)."""
    text = texts(mb)["English books"][0]
    gc.collect()
    with PeakMemory() as memory:
        ENCODERS[name][impl](name)(text)
    return memory.extra_mb


def speeds_of(name: str, corpora, repeats: int) -> dict[str, dict[str, float]]:
    """MB/s per encoder and text kind, measured round-robin so that the machine's load
    falls on all encoders alike. scratch: "fresh" = a new tokenizer on ``text``, "warm" =
    that tokenizer on ``other`` next; the others run on ``other``. Every encoder's ids
    on ``other`` must agree."""
    encoders = {impl: load(name) for impl, load in ENCODERS[name].items() if impl != "scratch"}
    best: dict[str, dict[str, float]] = {}
    for _ in range(repeats):
        for kind, (text, other) in corpora.items():
            ids_seen = []
            for impl in ENCODERS[name]:
                if impl == "scratch":
                    encode = ENCODERS[name][impl](name)
                    fresh, _ = seconds_of(encode, text)
                    warm, ids = seconds_of(encode, other)
                    timings = {"scratch fresh": (fresh, text), "scratch warm": (warm, other)}
                else:
                    seconds, ids = seconds_of(encoders[impl], other)
                    timings = {impl: (seconds, other)}
                ids_seen.append(ids)
                for label, (seconds, timed) in timings.items():
                    speed = len(timed.encode("utf-8")) / seconds / 1e6
                    slot = best.setdefault(label, {})
                    slot[kind] = max(slot.get(kind, 0.0), speed)
            if any(ids != ids_seen[0] for ids in ids_seen):
                raise AssertionError(f"{name}: the encoders disagree on {kind}")
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--names", nargs="+", default=list(ENCODERS))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "tokenizers_encode.md"))
    parser.add_argument("--memory-of", nargs=2, metavar=("NAME", "ENCODER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_of:  # a child process
        print(json.dumps(memory_of(*args.memory_of, args.mb)))
        return 0

    import tiktoken
    import tokenizers

    corpora = texts(args.mb)
    kinds = list(corpora)
    lines = [
        "# Tokenizer encoding speed: scratch vs Hugging Face tokenizers vs tiktoken",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{os.cpu_count()} cores (shared with other work), Python {platform.python_version()}, "
        f"tokenizers {tokenizers.__version__}, tiktoken {tiktoken.__version__}. One thread each "
        f"(RAYON_NUM_THREADS=1). Each text is {args.mb:g} MB, encoded as one string; MB/s of UTF-8 input, "
        f"best of {args.repeats} rounds, the encoders taking turns within a round. scratch \"fresh\": a new "
        "tokenizer (empty chunk cache) on one text; \"warm\": the same tokenizer on a second text of the same "
        "kind, on which the other encoders are timed too (and all give the same ids). Memory: peak RSS above "
        "the start while loading the tokenizer and encoding once, in a process of its own; for the byte-level "
        "tokenizers scratch's includes about 130 MB of numba/LLVM runtime, loaded once a text has thousands of "
        "new chunks for the compiled merge loop.",
        "",
        "| tokenizer | encoder | " + " | ".join(f"{k} MB/s" for k in kinds) + " | memory |",
        "|---|---|" + "---|" * len(kinds) + "---|",
    ]
    for name in args.names:
        speeds = speeds_of(name, corpora, args.repeats)
        memory = {}
        for impl in ENCODERS[name]:
            command = [sys.executable, __file__, "--memory-of", name, impl, "--mb", str(args.mb)]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            memory[impl] = json.loads(out.strip().splitlines()[-1])
        for label, by_kind in speeds.items():
            impl = label.split(" ")[0] if label.startswith("scratch") else label
            cells = []
            for kind in kinds:
                cell = f"{by_kind[kind]:.2f}"
                if label == "scratch warm":
                    others = [o for o in speeds if not o.startswith("scratch")]
                    ratios = [f"{by_kind[kind] / speeds[o][kind]:.2f}x {o}" for o in others]
                    cell += " (" + ", ".join(ratios) + ")"
                cells.append(cell)
            mem = f"{memory[impl]:.0f} MB" if label != "scratch warm" else ""
            lines.append(f"| {name} | {label} | " + " | ".join(cells) + f" | {mem} |")
            print(lines[-1], flush=True)
    lines += [
        "",
        "Targets (issue 3): scratch at least as fast as HF tokenizers' `encode` and at least 0.5x tiktoken, "
        "single thread. Issue 22: scratch warm at least 1.0x tiktoken on gpt2, cl100k_base and o200k-style "
        "(worst of English and Python source), aiming for 2x.",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
