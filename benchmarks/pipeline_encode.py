"""Encoding speed of any ``tokenizer.json``: scratch's pipeline against Hugging Face ``tokenizers``.

    python benchmarks/pipeline_encode.py [--kb 200] [--repeats 3] [--files claude llama-2 ...]

For each real ``tokenizer.json`` (the ``tokenizer-json-*`` artifacts and the two
sentence-transformers files), the same text is encoded by:

* **scratch**: ``scratch.tokenizers.from_tokenizer_json(path).encode(text)``: the fast path
  of a specialised tokenizer where the file is exactly one of them (marked "fast"),
  otherwise the general pipeline (every stage in Python, "general");
* **scratch general**: ``encode_full(text, truncate_and_pad=False)``, always the general
  pipeline (offsets included);
* **HF tokenizers**: ``tokenizers.Tokenizer.from_file(path).encode(text)`` (Rust, one thread,
  truncation and padding off).

All must give the same ids. Throughput is UTF-8 bytes in / wall time, best of
``--repeats`` rounds in which the encoders take turns. Results:
``benchmarks/results/pipeline_encode.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

FILES = {
    "minilm": ("all-MiniLM-L6-v2", "tokenizer.json"),
    "mpnet": ("all-mpnet-base-v2", "tokenizer.json"),
    "claude": ("tokenizer-json-claude", "tokenizer.json"),
    "llama-2": ("tokenizer-json-llama-2", "tokenizer.json"),
    "llama-3": ("tokenizer-json-llama-3", "tokenizer.json"),
    "qwen2": ("tokenizer-json-qwen2", "tokenizer.json"),
    "deepseek-v3": ("tokenizer-json-deepseek-v3", "tokenizer.json"),
    "nepali-unigram": ("tokenizer-json-nepali", "unigram.json"),
    "tigrinya": ("tokenizer-json-tigrinya", "tokenizer.json"),
}


def best_seconds(encode, text: str, repeats: int) -> tuple[float, list[int]]:
    best, ids = float("inf"), []
    for _ in range(repeats):
        start = time.perf_counter()
        ids = encode(text)
        best = min(best, time.perf_counter() - start)
    return best, ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kb", type=float, default=200.0, help="KB of English books and of multilingual text")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--files", nargs="+", default=list(FILES), choices=list(FILES))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "pipeline_encode.md"))
    args = parser.parse_args()

    import tokenizers as hf

    from scratch import tokenizers
    from scratch.artifacts import fetch_file
    from text_corpora import english, multilingual

    n = int(args.kb * 1000)
    corpora = {"English books": english(n, offset=300_000), "multilingual": multilingual(n)}
    rows = []
    for name in args.files:
        path = fetch_file(*FILES[name])
        ours = tokenizers.from_tokenizer_json(path)
        reference = hf.Tokenizer.from_file(str(path))
        reference.no_truncation()
        reference.no_padding()
        encoders = {
            "scratch " + ("fast" if ours.fast is not None else "general"): ours.encode,
            "scratch general": lambda t: ours.encode_full(t, truncate_and_pad=False).ids,
            "HF tokenizers": lambda t: reference.encode(t).ids,
        }
        speeds: dict[str, dict[str, float]] = {e: {} for e in encoders}
        for kind, text in corpora.items():
            size = len(text.encode("utf-8")) / 1e6
            results = {e: best_seconds(f, text, args.repeats) for e, f in encoders.items()}
            ids = {e: r[1] for e, r in results.items()}
            if len({tuple(v) for v in ids.values()}) != 1:
                raise SystemExit(f"{name}/{kind}: the encoders disagree")
            for e, (seconds, _) in results.items():
                speeds[e][kind] = size / seconds
        for e, by_kind in speeds.items():
            cells = []
            for kind, mbps in by_kind.items():
                ratio = mbps / speeds["HF tokenizers"][kind]
                cells.append(f"{mbps:.2f}" + ("" if e == "HF tokenizers" else f" ({ratio:.2f}x HF)"))
            rows.append(f"| {name} | {e} | " + " | ".join(cells) + " |")
            print(rows[-1], flush=True)

    header = (
        "# Encoding any tokenizer.json: scratch's pipeline vs Hugging Face tokenizers\n\n"
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{os.cpu_count()} cores (shared), Python {platform.python_version()}, tokenizers {hf.__version__}. "
        f"{args.kb:g} KB of each text, encoded as one string; MB/s of UTF-8 input, best of {args.repeats}; "
        "all encoders give the same ids. \"fast\": the file is exactly one of the chapter's specialised "
        "tokenizers and `encode` runs on it; \"general\": every stage of the pipeline in Python.\n\n"
        "| file | encoder | English books MB/s | multilingual MB/s |\n|---|---|---|---|\n"
    )
    Path(args.out).write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
