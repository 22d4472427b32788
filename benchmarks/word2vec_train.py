"""Training speed and quality: scratch ``Word2Vec`` against gensim's, same corpus, one process.

    python benchmarks/word2vec_train.py [--workers 1 2] [--seeds 1] [--extra-seeds 2 3] [--max-words N]

Corpus: ``gutenberg/english.txt`` of the data folder, lowercased to its ``[a-z]+`` words
(12.5 M), cut into sentences of 10,000 words (as gensim's ``Text8Corpus``), given to both
as the same list of lists. Settings: skip-gram, 100 dimensions, window 5, negative 5,
sample 1e-3, min_count 5, 5 epochs, alpha 0.025 -> 0.0001.

For each worker count and seed, gensim then scratch train once (vocabulary building
included in the time). Words/s is raw corpus words x epochs / wall time; words per
CPU-second divides by the process's CPU time instead, which other jobs on a shared machine
disturb less (it also counts the work of every thread). Peak memory is
the largest resident set size seen during a run (sampled every 20 ms) minus the size
just before it. Quality is measured with scratch's evaluators (proven equal to gensim's
on the same vectors by tests/test_keyed_vectors.py): accuracy on the Google analogies
(questions-words, restrict_vocab=30000), Spearman correlation on WordSim-353 and
SimLex-999. ``--extra-seeds`` adds runs at the largest worker count to average quality.
Results: ``benchmarks/results/word2vec_train.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETTINGS = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, epochs=5, alpha=0.025,
                min_alpha=0.0001)  # fmt: skip


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakMemory:
    """Largest resident set size above the starting size while the ``with`` block runs."""

    def __enter__(self):
        self.start = self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())
        self.extra_mb = (self.peak - self.start) / 2**20


def evaluate(kv, data) -> dict:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):  # one small matrix-vector product per question
        accuracy, sections = kv.evaluate_word_analogies(data / "questions-words.txt", restrict_vocab=30000)
        return {
            "analogy": accuracy,
            "analogy_questions": len(sections[-1]["correct"]) + len(sections[-1]["incorrect"]),
            "ws353": kv.evaluate_word_pairs(data / "wordsim353.tsv").spearman,
            "simlex": kv.evaluate_word_pairs(data / "simlex999.txt").spearman,
        }


def run(name: str, sentences, raw_words: int, workers: int, seed: int, data) -> dict:
    from reference import word2vec as ref
    from scratch.word2vec import KeyedVectors, Word2Vec

    with PeakMemory() as memory:
        started, cpu_started = time.perf_counter(), time.process_time()
        if name == "gensim":
            model = ref.train(sentences, workers=workers, seed=seed, compute_loss=True, **SETTINGS)
        else:
            model = Word2Vec(sentences, workers=workers, seed=seed, compute_loss=True, **SETTINGS)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    if name == "gensim":
        counts = [model.wv.get_vecattr(k, "count") for k in model.wv.index_to_key]
        kv = KeyedVectors(model.wv.vectors, model.wv.index_to_key, counts)
    else:
        kv = model.wv
    result = {
        "implementation": name,
        "workers": workers,
        "seed": seed,
        "seconds": seconds,
        "words_per_second": raw_words * SETTINGS["epochs"] / seconds,
        "cpu_seconds": cpu_seconds,
        "words_per_cpu_second": raw_words * SETTINGS["epochs"] / cpu_seconds,
        "peak_extra_mb": memory.extra_mb,
        "vocabulary": len(kv),
        **evaluate(kv, data),
    }
    if name == "scratch":
        result["loss_per_pair_by_epoch"] = [round(r.loss_per_pair, 4) for r in model.epoch_reports]
    print(f"{name:>7} workers={workers} seed={seed}: {seconds:7.1f} s  {result['words_per_second']:>9,.0f} words/s  "
          f"{result['words_per_cpu_second']:>9,.0f} words/CPU-s  "
          f"+{memory.extra_mb:6.0f} MB  analogy {result['analogy']:.4f}  WS-353 {result['ws353']:.4f}  "
          f"SimLex {result['simlex']:.4f}", flush=True)  # fmt: skip
    return result


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def write_report(results: list[dict], meta: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "word2vec_train.json").write_text(json.dumps({"meta": meta, "runs": results}, indent=2) + "\n")
    lines = [
        "# word2vec training: scratch vs gensim",
        "",
        "Written by `python benchmarks/word2vec_train.py " + " ".join(meta["argv"]) + "`.",
        "",
        f"- corpus: {meta['corpus']}: {meta['raw_words']:,} words in {meta['sentences']:,} sentences of 10,000",
        "- settings: skip-gram, " + ", ".join(f"{k}={v}" for k, v in SETTINGS.items()),
        f"- machine: {meta['machine']}, {meta['cpus']} CPUs; load average before {meta['load_before']}, "
        f"after {meta['load_after']} (other jobs shared the CPUs when the load exceeds the worker count)",
        f"- versions: {meta['versions']}",
        "",
        "| implementation | workers | seed | wall s | words/s | CPU s | words/CPU-s | peak extra MB | vocab | "
        "analogy (30k) | WS-353 rho | SimLex rho |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['implementation']} | {r['workers']} | {r['seed']} | {r['seconds']:.1f} | "
                     f"{r['words_per_second']:,.0f} | {r['cpu_seconds']:.1f} | {r['words_per_cpu_second']:,.0f} | "
                     f"{r['peak_extra_mb']:.0f} | {r['vocabulary']:,} | "
                     f"{r['analogy']:.4f} | {r['ws353']:.4f} | {r['simlex']:.4f} |")  # fmt: skip
    lines += ["", "## Ratios (scratch / gensim, same workers and seed)", ""]
    for workers in sorted({r["workers"] for r in results}):
        for seed in sorted({r["seed"] for r in results if r["workers"] == workers}):
            pair = {r["implementation"]: r for r in results if r["workers"] == workers and r["seed"] == seed}
            if len(pair) == 2:
                speed = pair["scratch"]["words_per_second"] / pair["gensim"]["words_per_second"]
                cpu = pair["scratch"]["words_per_cpu_second"] / pair["gensim"]["words_per_cpu_second"]
                memory = f"{pair['scratch']['peak_extra_mb']:.0f} MB vs {pair['gensim']['peak_extra_mb']:.0f} MB"
                lines.append(f"- workers={workers} seed={seed}: scratch is {speed:.2f}x gensim's words/s "
                             f"({cpu:.2f}x per CPU-second); peak extra memory {memory}")  # fmt: skip
    lines += ["", "## Quality (mean over seeds at the largest worker count)", ""]
    top = max(r["workers"] for r in results)
    for metric, bound in [("analogy", 0.01), ("ws353", 0.02), ("simlex", 0.02)]:
        means = {}
        for name in ("gensim", "scratch"):
            values = [r[metric] for r in results if r["implementation"] == name and r["workers"] == top]
            means[name] = statistics.mean(values) if values else float("nan")
        difference = means["scratch"] - means["gensim"]
        verdict = "inside" if abs(difference) <= bound else "OUTSIDE"
        lines.append(f"- {metric}: scratch {means['scratch']:.4f}, gensim {means['gensim']:.4f}, difference "
                     f"{difference:+.4f} ({verdict} the bound of {bound})")  # fmt: skip
    (out_dir / "word2vec_train.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--extra-seeds", type=int, nargs="*", default=[], help="more seeds at the largest workers")
    parser.add_argument("--max-words", type=int, default=None, help="only the first N words (for a quick look)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)

    import gensim
    import numba
    import numpy as np

    from reference.artifacts import fetch
    from scratch.data import data_path
    from scratch.word2vec.corpus import chunk_words, lowercase_words

    data = fetch("gensim-test-data")
    path = data_path("gutenberg", "english.txt")
    words = lowercase_words(path, max_words=args.max_words)
    sentences = chunk_words(words)
    raw_words = len(words)
    del words
    print(f"corpus: {raw_words:,} words, {len(sentences):,} sentences", flush=True)
    meta = {
        "argv": sys.argv[1:] if argv is None else argv,
        "corpus": f"{path.name} lowercased to [a-z]+" + (f", first {args.max_words:,} words" if args.max_words else ""),
        "raw_words": raw_words,
        "sentences": len(sentences),
        "machine": f"{platform.processor() or platform.machine()} ({platform.platform()})",
        "cpus": os.cpu_count(),
        "load_before": load_average(),
        "versions": f"python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}, "
        f"gensim {gensim.__version__}",
    }
    # Compile (or load from numba's cache) before timing anything.
    from scratch.word2vec import Word2Vec

    Word2Vec(sentences[:1], vector_size=8, min_count=1, epochs=1, workers=1)
    results = []
    runs = [(w, s) for w in args.workers for s in args.seeds]
    runs += [(max(args.workers), s) for s in args.extra_seeds]
    for workers, seed in runs:
        for name in ("gensim", "scratch"):
            results.append(run(name, sentences, raw_words, workers, seed, data))
            meta["load_after"] = load_average()
            write_report(results, meta, args.out)
    print(f"wrote {args.out / 'word2vec_train.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
