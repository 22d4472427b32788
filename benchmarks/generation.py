"""Tokens per second of greedy generation: the scratch decoder + scratch loop against
transformers' ``LlamaForCausalLM.generate(do_sample=False)``, SmolLM2-135M-Instruct on
the CPU, same prompt, one process.

    python benchmarks/generation.py [--new-tokens 64] [--threads 1,2] [--runs 1]

Both models hold the same float32 weights (scratch's dequantized from the GGUF file,
transformers' from its own GGUF load, saved once as a folder). The prompt is the book's
request in SmolLM2's chat format; generation does not stop at the end-of-turn token, so
both produce exactly ``--new-tokens`` tokens (and the ids are checked to be equal). Each
implementation is warmed up with a short generation, then timed ``--runs`` times,
alternating scratch and transformers; tokens/s is new tokens over wall time,
prefill included. This is repeated for each torch thread count of ``--threads``: on a
machine whose cores are busy with other work, a second thread makes each small operation
wait (tens of microseconds become milliseconds), which hurts an implementation in
proportion to its number of small multi-threaded operations, so both counts are shown.
Results go to ``benchmarks/results/generation.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

BOOK_PROMPT = "Write an email apologizing to Sarah for the tragic gardening mishap. Explain how it happened."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--threads", default="1,2", help="torch thread counts to measure, comma-separated")
    parser.add_argument("--runs", type=int, default=1, help="timed runs of each implementation (alternating)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "generation.md")
    args = parser.parse_args(argv)

    import torch

    from reference import generation as ref
    from scratch import tokenizers
    from scratch.generation import encode_chat, generate, load

    tok = tokenizers.load("smollm2")
    prompt = encode_chat(tok, [{"role": "user", "content": BOOK_PROMPT}])
    scratch_model = load("smollm2")
    hf_model = ref.load_smollm2()
    hf_model.generation_config.eos_token_id = None  # run the full length, as the scratch loop with eos=None

    runs = {
        "scratch": lambda n: generate(scratch_model, tok, prompt, max_new_tokens=n, eos=None).ids,
        "transformers": lambda n: ref.greedy(hf_model, prompt, n),
    }
    lines = [
        "# Greedy generation: scratch decoder vs transformers (SmolLM2-135M-Instruct, CPU)",
        "",
        f"Prompt: the book's request in SmolLM2's chat format ({len(prompt)} tokens); {args.new_tokens} new tokens "
        f"(no stop at end of turn); torch {torch.__version__}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs visible. {args.runs} timed run(s) per implementation and thread count, alternating, "
        "after a warm-up; tokens/s from the median.",
        "",
        "| threads | implementation | seconds per run | tokens/s | scratch / transformers | same ids | load avg |",
        "|---:|---|---:|---:|---:|---|---:|",
    ]
    all_same = True
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        for fn in runs.values():
            fn(4)  # warm-up
        times: dict[str, list[float]] = {name: [] for name in runs}
        outputs: dict[str, list[int]] = {}
        for _ in range(args.runs):
            for name, fn in runs.items():
                start = time.perf_counter()
                outputs[name] = fn(args.new_tokens)
                times[name].append(time.perf_counter() - start)
        same = outputs["scratch"] == outputs["transformers"]
        all_same &= same
        rate = {name: args.new_tokens / statistics.median(t) for name, t in times.items()}
        ratio = rate["scratch"] / rate["transformers"]
        load1 = os.getloadavg()[0]
        for name in runs:
            seconds = " / ".join(f"{t:.1f}" for t in times[name])
            shown = f"**{ratio:.2f}x**" if name == "scratch" else ""
            lines.append(f"| {threads} | {name} | {seconds} | {rate[name]:.2f} | {shown} | {'yes' if same else 'NO'} "
                         f"| {load1:.1f} |")  # fmt: skip
        print(lines[-2], lines[-1], sep="\n", flush=True)
    lines += ["", "Target: scratch / transformers >= 0.8x.", ""]
    report = "\n".join(lines)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
