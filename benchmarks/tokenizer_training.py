"""Training speed and memory: scratch ``train_bpe`` against ``tokenizers``' ``BpeTrainer``.

    python benchmarks/tokenizer_training.py [--sizes-mb 10 70] [--vocab-size 32000] [--workers N]

Corpus: the first N MB of ``gutenberg/english.txt`` (data folder), cut into documents at
blank lines, given to both as the same list of strings. Both train byte-level BPE with
GPT-2's pre-tokenizer, min_frequency 2, no special tokens; the reference is configured
by ``reference.tokenizer_training.hf_bpe_tokenizer`` (initial alphabet = the 256 bytes).
One process: for each size the reference then scratch train once; the results are
checked equal (merges and vocabulary). Time is wall time of the whole training
(pre-tokenization and word counting included). Peak memory is the largest memory of the
process *and its child processes* seen during a run (sampled every 20 ms) minus that
just before it; the memory of a process is its proportional set size (PSS, from
``/proc/PID/smaps_rollup``: a page shared by n processes counts 1/n in each), so that
scratch's forked counting workers, which share the parent's pages, are counted once.
The reference uses every core it is given (rayon); scratch counts words in ``--workers``
processes (default: every usable core) and merges in one, in numba-compiled code.
Loading numba and its LLVM JIT costs a process about 120 MB once, whatever the corpus;
``--runtime-loaded`` loads it before any measurement (as ``import tokenizers`` loads the
reference's library before), so that the memory figures are the training's own.
Results: ``benchmarks/results/tokenizer_training.md``.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def tree_pss_bytes(pid: int | str = "self", skip: str = "") -> int:
    """PSS of process ``pid`` plus that of all its descendants but ``skip`` (0 for one that has ended)."""
    if str(pid) == skip:
        return 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            total = next(int(line.split()[1]) for line in f if line.startswith("Pss:")) * 1024
        children = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                children += f.read().split()
    except (OSError, StopIteration):
        return 0
    return total + sum(tree_pss_bytes(child, skip) for child in children)


class PeakMemory:
    """Largest PSS of this process tree above the starting one while the ``with`` block runs.

    The sampling runs in a separate process (this script with ``--sample-memory PID``), not
    in a thread: a sampling thread would wake every 20 ms and take the GIL from scratch's
    pure-Python merge loop (the reference's Rust loop does not need it). The sampler
    leaves itself out of the tree it sums."""

    def __enter__(self):
        self._sampler = subprocess.Popen([sys.executable, __file__, "--sample-memory", str(os.getpid())],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
        self.start = int(self._sampler.stdout.readline())  # the sampler's first reading: it has started
        return self

    def __exit__(self, *exc):
        self._sampler.stdin.close()  # tells it to stop: it answers with the peak
        sampled = int(self._sampler.stdout.readline())
        self._sampler.wait()  # (gone, so that the last reading here leaves it out)
        self.peak = max(sampled, tree_pss_bytes())
        self.extra_mb = (self.peak - self.start) / 2**20


def sample_memory(pid: str) -> None:
    """The sampler process: the tree's PSS now, then, once stdin closes, the peak seen."""
    import select

    me = str(os.getpid())
    tree = lambda: tree_pss_bytes(pid, skip=me)  # noqa: E731
    peak = start = tree()
    print(start, flush=True)
    while not select.select([sys.stdin], [], [], 0.02)[0]:
        peak = max(peak, tree())
    print(max(peak, tree()), flush=True)


def corpus(mb: float) -> list[str]:
    from scratch.data import data_path

    with open(data_path("gutenberg", "english.txt"), encoding="utf-8") as f:
        text = f.read(int(mb * 1_000_000))
    return [d for d in text.split("\n\n") if d]


def run_reference(texts, vocab_size):
    from reference.tokenizer_training import hf_bpe_tokenizer

    with PeakMemory() as memory:
        start = time.perf_counter()
        tok = hf_bpe_tokenizer(texts, vocab_size)
        seconds = time.perf_counter() - start
    model = json.loads(tok.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
    return seconds, memory.extra_mb, merges, model["vocab"]


def run_scratch(texts, vocab_size, workers=None):
    from scratch.tokenizers.train_bpe import train_bpe

    with PeakMemory() as memory:
        start = time.perf_counter()
        result = train_bpe(texts, vocab_size, show_progress=False, workers=workers)
        seconds = time.perf_counter() - start
    return seconds, memory.extra_mb, result.merges, result.vocab


def main() -> int:
    if sys.argv[1:2] == ["--sample-memory"]:
        sample_memory(sys.argv[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes-mb", type=float, nargs="+", default=[10, 70])
    parser.add_argument("--vocab-size", type=int, default=32_000)
    parser.add_argument("--workers", type=int, default=None,
                        help="scratch's word-counting processes (default: every usable core)")  # fmt: skip
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "tokenizer_training.md"))
    parser.add_argument("--runtime-loaded", action="store_true",
                        help="load numba's runtime (a tiny compiled training) before measuring")  # fmt: skip
    args = parser.parse_args()
    if args.runtime_loaded:
        from scratch.tokenizers.train_bpe import train_bpe

        train_bpe(["a b a b"], 258, show_progress=False, workers=1)

    rows = []
    for mb in args.sizes_mb:
        texts = corpus(mb)
        chars = sum(len(t) for t in texts)
        gc.collect()
        ref_s, ref_mb, ref_merges, ref_vocab = run_reference(texts, args.vocab_size)
        gc.collect()
        s_s, s_mb, s_merges, s_vocab = run_scratch(texts, args.vocab_size, args.workers)
        same = s_merges == ref_merges and s_vocab == ref_vocab
        row = dict(mb=mb, chars=chars, vocab=len(s_vocab), ref_s=ref_s, ref_mb=ref_mb, scratch_s=s_s,
                   scratch_mb=s_mb, time_ratio=s_s / ref_s, mem_ratio=s_mb / max(ref_mb, 1e-9), same=same)  # fmt: skip
        rows.append(row)
        print(f"{mb:g} MB ({chars:,} chars) -> {row['vocab']:,} tokens: reference {ref_s:.1f} s, {ref_mb:.0f} MB; "
              f"scratch {s_s:.1f} s, {s_mb:.0f} MB; time x{row['time_ratio']:.2f}, memory x{row['mem_ratio']:.2f}; "
              f"identical merges and vocabulary: {same}", flush=True)  # fmt: skip
        del texts, ref_merges, ref_vocab, s_merges, s_vocab

    import tokenizers

    from scratch.tokenizers.training import usable_cores

    workers = args.workers or usable_cores()
    lines = [
        "# Tokenizer training: scratch train_bpe vs tokenizers' BpeTrainer",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"tokenizers {tokenizers.__version__}. Byte-level BPE, GPT-2 pre-tokenizer, min_frequency 2, "
        f"vocab {args.vocab_size:,}; English books (gutenberg/english.txt), first N MB, documents cut at blank lines. "
        "Time includes pre-tokenization and counting; memory is the peak PSS of the process and its children "
        "above the start of the run. The reference runs on all cores (rayon); scratch counts words in "
        f"{workers} worker process(es) and merges in one. numba's runtime (about 120 MB a process, once) "
        + ("was loaded before the measurements, so it is not in scratch's memory."
           if args.runtime_loaded else "is in scratch's memory (loaded during its run)."),
        "",
        "| corpus | reference time | scratch time | time ratio | reference memory | scratch memory | memory ratio | identical |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['mb']:g} MB | {r['ref_s']:.1f} s | {r['scratch_s']:.1f} s | {r['time_ratio']:.2f}x | "
                     f"{r['ref_mb']:.0f} MB | {r['scratch_mb']:.0f} MB | {r['mem_ratio']:.2f}x | {r['same']} |")  # fmt: skip
    lines += ["", "Target (issue 22): scratch at most 1.0x the reference's time, memory at most the reference's.", ""]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
