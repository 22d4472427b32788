"""Loading speed: ``scratch.tokenizers.load(name)`` against the reference's load of the same
tokenizer, in one process.

    python benchmarks/tokenizers_load.py [--repeats 5] [--names gpt2 cl100k_base ...]

For every name of ``scratch.tokenizers.PRETRAINED``:

* **scratch cold**: the compiled file (``derived/tokenizers/<name>.<key>.npz``) removed, then
  ``load(name)``: the loader reads the artifact's files, builds the tokenizer and writes
  the compiled file. **scratch warm**: ``load(name)`` again, which reads that file. Names
  that are not byte-level BPE have no compiled form: their one load is both.
* **references**, each loading from the artifact cache, nothing downloaded:
  - **tiktoken** (cl100k_base, gpt2): ``tiktoken.get_encoding("cl100k_base")`` with its
    in-process registry emptied first (its rank file is the artifact, placed in
    ``TIKTOKEN_CACHE_DIR`` by ``reference.tokenizers.bytelevel.load_cl100k``); for gpt2,
    ``data_gym_to_mergeable_bpe_ranks`` on the artifact's ``merges.txt`` / ``vocab.json``
    (OpenAI's ``vocab.bpe`` / ``encoder.json``, the same bytes) and ``tiktoken.Encoding``,
    as tiktoken's own ``gpt2`` encoding does.
  - **tokenizers**: ``tokenizers.Tokenizer.from_file`` on the ``tokenizer.json`` of the
    reference tokenizer (``reference.tokenizers.load(name)``, written once to a temporary
    folder before timing): the file a Hugging Face model ships.
  - **sentencepiece**: ``SentencePieceProcessor(model_file=...)`` on the ``.model`` file
    (the artifact for the Unigram names; for llama-2 / phi-3 the model the reference
    adapter derives from the GGUF file).
  - **reference adapter, once**: ``reference.tokenizers.load(name)`` as the test suite
    builds it (for the GGUF names, transformers' GGUF loader and the repairs): one
    timing, not best of several.

Best of ``--repeats`` rounds, the loaders taking turns within a round; all byte-level
loads are checked to give the reference's ids on the chapter's comparison text.
Results: ``benchmarks/results/tokenizers_load.md``.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from tokenizers_encode import gpt2_tiktoken_encoding  # noqa: E402  (tiktoken's GPT-2, as the encode benchmark builds it)

SPM_NAMES = ("llama-2", "phi-3")


# ---- the reference loaders: name -> {label: zero-argument function that loads} --------------------------
def tiktoken_loader(name: str):
    import tiktoken.registry

    if name == "cl100k_base":
        from reference.tokenizers.bytelevel import load_cl100k
        from scratch.tokenizers import pretrained_path

        path = pretrained_path(name)  # outside the timing

        def load():
            tiktoken.registry.ENCODINGS.clear()  # get_encoding would return the one already made
            return load_cl100k(path)

        return load
    from scratch.artifacts import fetch

    folder = fetch("gpt2")  # outside the timing: fetch checks the cache
    return lambda: gpt2_tiktoken_encoding(folder)


def reference_loaders(name: str, folder: Path) -> tuple[dict, float, object]:
    """The timed reference loaders of ``name``, the time the reference adapter took to build
    once, and that adapter (to check ids against)."""
    import reference.tokenizers as reference
    from scratch.tokenizers import PRETRAINED, pretrained_path

    start = time.perf_counter()
    adapter = reference.load(name)
    adapter_seconds = time.perf_counter() - start
    loaders = {}
    if name in ("gpt2", "cl100k_base"):
        loaders["tiktoken"] = tiktoken_loader(name)
    backend = getattr(adapter, "backend", None)
    if backend is not None:
        from tokenizers import Tokenizer

        json_path = folder / f"{name}.tokenizer.json"
        json_path.write_text(backend.to_str(), encoding="utf-8")
        loaders["tokenizers"] = lambda: Tokenizer.from_file(str(json_path))
    if PRETRAINED[name].loader == "sentencepiece-model" or name in SPM_NAMES:
        import sentencepiece

        model = pretrained_path(name) if name not in SPM_NAMES else _derived_spm_model(name)
        loaders["sentencepiece"] = lambda: sentencepiece.SentencePieceProcessor(model_file=str(model))
    return loaders, adapter_seconds, adapter


def _derived_spm_model(name: str) -> Path:
    """The SentencePiece ``.model`` the reference adapter of llama-2 / phi-3 derived from the GGUF."""
    from scratch.artifacts import cache_dir
    from scratch.tokenizers import pretrained_path

    found = sorted((cache_dir() / "derived").glob(f"{pretrained_path(name).stem}.*.spm.model"))
    if not found:
        raise FileNotFoundError(f"no SentencePiece model derived for {name} (load the reference adapter first)")
    return found[-1]


# ---- timing -------------------------------------------------------------------------------------------
def seconds_of(load) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    result = load()
    return time.perf_counter() - start, result


def measure(name: str, repeats: int, folder: Path) -> tuple[dict[str, float], float, str]:
    """Best seconds per loader (scratch cold / warm and each reference), the adapter's one
    load, and whether scratch's ids agree with the reference's on the comparison text."""
    from text_corpora import comparison_text

    from scratch import tokenizers
    from scratch.tokenizers.byte_bpe import ByteLevelBPE

    references, adapter_seconds, adapter = reference_loaders(name, folder)
    compiled = isinstance(tokenizers.load(name), ByteLevelBPE)
    best: dict[str, float] = {}
    tok = None
    for _ in range(repeats):
        timings = {}
        for label, load in references.items():
            timings[label], _ = seconds_of(load)
        if compiled:
            tokenizers.compiled_path(name).unlink(missing_ok=True)
            timings["scratch cold"], _ = seconds_of(lambda: tokenizers.load(name))
            timings["scratch warm"], tok = seconds_of(lambda: tokenizers.load(name))
        else:
            timings["scratch cold"], tok = seconds_of(lambda: tokenizers.load(name))
            timings["scratch warm"] = timings["scratch cold"]
        for label, seconds in timings.items():
            best[label] = min(best.get(label, float("inf")), seconds)
    same = "-"
    if compiled:
        text = comparison_text()
        same = "yes" if tok.encode(text, add_special_tokens=False) == adapter.encode(text, add_special_tokens=False) else "NO"
    return best, adapter_seconds, same


def main() -> int:
    from scratch.tokenizers import PRETRAINED

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--names", nargs="+", default=list(PRETRAINED))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "tokenizers_load.md"))
    args = parser.parse_args()

    import sentencepiece
    import tiktoken
    import tokenizers

    labels = ["tiktoken", "tokenizers", "sentencepiece"]
    lines = [
        "# Loading a pretrained tokenizer: scratch vs tiktoken / tokenizers / sentencepiece",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other work (timings are noisy), Python {platform.python_version()}, "
        f"tiktoken {tiktoken.__version__}, tokenizers {tokenizers.__version__}, sentencepiece "
        f"{sentencepiece.__version__}. Seconds, best of {args.repeats} rounds in one process, the loaders "
        "taking turns within a round. scratch **cold**: the compiled file removed, `load(name)` builds from the "
        "artifact's files and writes it; **warm**: `load(name)` reads the compiled file (names that are not "
        "byte-level BPE have no compiled form: one load, shown in both columns). References: tiktoken's "
        "`get_encoding` (registry emptied) / `Encoding` on GPT-2's ranks; `tokenizers.Tokenizer.from_file` on "
        "the reference's `tokenizer.json`; `SentencePieceProcessor` on the `.model` file. Ratio = scratch warm / "
        "the reference (below 1: scratch loads faster). \"adapter\": the test suite's reference "
        "(`reference.tokenizers.load`, transformers' loaders) timed once. \"same ids\": scratch's warm "
        "tokenizer gives the reference's ids on the chapter's comparison text.",
        "",
        "| tokenizer | scratch cold | scratch warm | " + " | ".join(labels) + " | warm / reference | adapter (once) | same ids |",
        "|---|---|---|" + "---|" * len(labels) + "---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.names:
            best, adapter_seconds, same = measure(name, args.repeats, Path(tmp))
            cells = [f"{best[label]:.3f}" if label in best else "" for label in labels]
            ratios = ", ".join(f"{best['scratch warm'] / best[label]:.2f}x {label}" for label in labels if label in best)
            lines.append(
                f"| {name} | {best['scratch cold']:.3f} | {best['scratch warm']:.3f} | " + " | ".join(cells)
                + f" | {ratios} | {adapter_seconds:.2f} | {same} |"
            )
            print(lines[-1], flush=True)
    lines += [
        "",
        "Target (issue 22): warm load at most 2x tiktoken's for cl100k_base and gpt2, and at most 2x the "
        "reference's load for the other names where feasible.",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
