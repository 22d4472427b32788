"""Training speed and quality: scratch ``Word2Vec`` against gensim's, same corpus, one process.

    python benchmarks/word2vec_train.py [--workers 1 2] [--seeds 1] [--extra-seeds 2 3] [--max-words N]
    python benchmarks/word2vec_train.py --implementations gensim scratch-torch --device cpu|cuda [--batch-size B]
    python benchmarks/word2vec_train.py --scaling --device cpu|cuda      # torch backend vs corpus and vocabulary size

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

``scratch-window`` and ``scratch-torch-window`` are the same with ``negative_sharing="window"``
(noise words drawn once per center word and shared by its window: Ji et al. 2016's HogBatch).
``scratch-torch`` is ``Word2Vec(backend="torch", device=--device, batch_size=--batch-size)``
(``workers`` torch threads on the CPU); runs that include it write
``benchmarks/results/word2vec_torch.md`` and ``.json`` instead. On a GPU, peak memory is
also reported as the peak of ``torch.cuda.max_memory_allocated``. ``--scaling`` trains the
torch backend (one seed, no gensim) at three corpus sizes with min_count 5, and on the
largest at three min_count values (three vocabulary sizes), recording words/s and peak
memory; it adds a section to the torch report.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# "-window": negative_sharing="window" (noise words shared by each center word's window, issue 21)
IMPLEMENTATIONS = ["gensim", "scratch", "scratch-window", "scratch-torch", "scratch-torch-window"]
SETTINGS = dict(sg=1, vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, epochs=5, alpha=0.025,
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
            "ws353": kv.evaluate_word_pairs(data / "wordsim353.tsv").spearman.correlation,
            "simlex": kv.evaluate_word_pairs(data / "simlex999.txt").spearman.correlation,
        }


def run(name: str, sentences, raw_words: int, workers: int, seed: int, data, torch_options=None,
        settings=None, evaluate_quality: bool = True, torch_threads: int | None = None) -> dict:
    from reference import word2vec as ref
    from scratch.word2vec import KeyedVectors, Word2Vec

    settings = settings or SETTINGS
    torch_options = torch_options or {}
    on_torch = name.startswith("scratch-torch")
    cuda = torch_options.get("device", "cpu").startswith("cuda") and on_torch
    sharing = {"negative_sharing": "window"} if name.endswith("-window") else {}
    if cuda:
        import torch

        torch.cuda.reset_peak_memory_stats()
    with PeakMemory() as memory:
        started, cpu_started = time.perf_counter(), time.process_time()
        if name == "gensim":
            model = ref.train(sentences, workers=workers, seed=seed, compute_loss=True, **settings)
        elif on_torch:
            model = Word2Vec(sentences, workers=torch_threads or workers, seed=seed, compute_loss=True,
                             backend="torch", **torch_options, **sharing, **settings)  # fmt: skip
        else:
            model = Word2Vec(sentences, workers=workers, seed=seed, compute_loss=True, **sharing, **settings)
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
        "words_per_second": raw_words * settings["epochs"] / seconds,
        "cpu_seconds": cpu_seconds,
        "words_per_cpu_second": raw_words * settings["epochs"] / cpu_seconds,
        "peak_extra_mb": memory.extra_mb,
        "vocabulary": len(kv),
    }
    if evaluate_quality:
        result.update(evaluate(kv, data))
    if on_torch:
        result.update(device=torch_options.get("device", "cpu"), batch_size=model.batch_size,
                      batch_words=torch_options.get("batch_words"),
                      torch_threads=torch_threads or workers)  # fmt: skip
        if cuda:
            result["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
    if name != "gensim":
        result["loss_per_pair_by_epoch"] = [round(r.loss_per_pair, 4) for r in model.epoch_reports]
        result["pairs_per_second"] = sum(r.pairs for r in model.epoch_reports) / seconds
    quality = (f"  analogy {result['analogy']:.4f}  WS-353 {result['ws353']:.4f}  SimLex {result['simlex']:.4f}"
               if evaluate_quality else "")  # fmt: skip
    print(f"{name:>7} workers={workers} seed={seed}: {seconds:7.1f} s  {result['words_per_second']:>9,.0f} words/s  "
          f"{result['words_per_cpu_second']:>9,.0f} words/CPU-s  +{memory.extra_mb:6.0f} MB{quality}",
          flush=True)  # fmt: skip
    return result


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def write_report(results: list[dict], meta: dict, out_dir: Path, stem: str = "word2vec_train",
                 scaling: list[dict] | None = None, step_costs: list[dict] | None = None) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {"meta": meta, "runs": results} | ({"scaling": scaling} if scaling is not None else {})
    payload |= {"step_costs": step_costs} if step_costs is not None else {}
    (out_dir / f"{stem}.json").write_text(json.dumps(payload, indent=2) + "\n")
    others = [name for name in dict.fromkeys(r["implementation"] for r in results) if name != "gensim"]
    torch_runs = [r for r in results if r["implementation"].startswith("scratch-torch")]
    title = "scratch vs gensim" if others == ["scratch"] else " and ".join(others or ["scratch-torch"]) + " vs gensim"
    lines = [
        f"# word2vec training: {title}",
        "",
        "Written by `python benchmarks/word2vec_train.py " + " ".join(meta["argv"]) + "`.",
        "",
    ]
    if meta.get("device_note"):
        lines += [f"**Device: {meta['device_note']}**", ""]
    if "corpus" in meta:  # absent when the report holds only step costs
        lines += [
            f"- corpus: {meta['corpus']}: {meta['raw_words']:,} words in {meta['sentences']:,} sentences of 10,000",
            "- settings: skip-gram, " + ", ".join(f"{k}={v}" for k, v in SETTINGS.items()),
            f"- machine: {meta['machine']}, {meta['cpus']} CPUs; load average before {meta['load_before']}, "
            f"after {meta.get('load_after', '?')} (other jobs shared the CPUs when the load exceeds the worker "
            "count)",
            f"- versions: {meta['versions']}",
        ]
    for name in dict.fromkeys(r["implementation"] for r in torch_runs):
        first = next(r for r in torch_runs if r["implementation"] == name)
        lines.append(f"- {name}: device {first['device']}, batch_size {first['batch_size']} "
                     f"pairs per step, jobs of {first['batch_words']:,} raw words, "
                     f"{first.get('torch_threads', first['workers'])} torch thread(s) on the CPU "
                     f"(the table's `workers` are gensim's threads)")  # fmt: skip
    if results:
        lines += [
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
    for other in others:
        lines += ["", f"## Ratios ({other} / gensim, same workers and seed)", ""]
        for workers in sorted({r["workers"] for r in results}):
            for seed in sorted({r["seed"] for r in results if r["workers"] == workers}):
                pair = {r["implementation"]: r for r in results if r["workers"] == workers and r["seed"] == seed}
                if "gensim" in pair and other in pair:
                    speed = pair[other]["words_per_second"] / pair["gensim"]["words_per_second"]
                    cpu = pair[other]["words_per_cpu_second"] / pair["gensim"]["words_per_cpu_second"]
                    memory = f"{pair[other]['peak_extra_mb']:.0f} MB vs {pair['gensim']['peak_extra_mb']:.0f} MB"
                    lines.append(f"- workers={workers} seed={seed}: {other} is {speed:.2f}x gensim's words/s "
                                 f"({cpu:.2f}x per CPU-second); peak extra memory {memory}")  # fmt: skip
    lines += ["", "## Quality (mean over seeds at the largest worker count)", ""] if results else []
    top = max((r["workers"] for r in results), default=0)
    for other in others:
        for metric, bound in [("analogy", 0.01), ("ws353", 0.02), ("simlex", 0.02)]:
            means = {}
            for name in ("gensim", other):
                values = [r[metric] for r in results if r["implementation"] == name and r["workers"] == top]
                means[name] = statistics.mean(values) if values else float("nan")
            difference = means[other] - means["gensim"]
            verdict = (f"inside the bound of {bound}" if abs(difference) <= bound
                       else f"ABOVE the bound of {bound}: better than gensim" if difference > 0
                       else f"OUTSIDE the bound of {bound}")  # fmt: skip
            label = metric if others == ["scratch"] else f"{other} {metric}"
            lines.append(f"- {label}: {other} {means[other]:.4f}, gensim {means['gensim']:.4f}, difference "
                         f"{difference:+.4f} ({verdict})")  # fmt: skip
    if scaling:
        lines += scaling_section(scaling)
    if step_costs:
        lines += step_costs_section(step_costs, results)
    if torch_runs or scaling or step_costs:
        lines += TORCH_NOTES
    (out_dir / f"{stem}.md").write_text("\n".join(lines) + "\n")


def scaling_section(scaling: list[dict]) -> list[str]:
    lines = [
        "",
        "## Scaling of the torch backend with corpus and vocabulary size",
        "",
        f"One seed, no quality evaluation, {scaling[0]['epochs']} epoch(s), device {scaling[0]['device']}, "
        f"batch_size {scaling[0]['batch_size']}, {scaling[0].get('torch_threads', scaling[0]['workers'])} torch "
        "threads; first N words of the same "
        "corpus; other settings as above, `min_count` as stated. Peak extra MB is the "
        "process's resident-set growth (on a GPU also the peak of `torch.cuda.max_memory_allocated`). The two "
        "matrices take 2 x vocab x 100 x 4 bytes.",
        "",
        "| device | corpus words | min_count | vocab | matrices MB | wall s | words/s | pairs/s | peak extra MB | "
        "peak GPU MB | load average after |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in scaling:
        matrices = 2 * r["vocabulary"] * SETTINGS["vector_size"] * 4 / 2**20
        gpu = f"{r['peak_gpu_mb']:.0f}" if "peak_gpu_mb" in r else "-"
        lines.append(f"| {r['device']} | {r['raw_words']:,} | {r['min_count']} | {r['vocabulary']:,} | "
                     f"{matrices:.0f} | {r['seconds']:.1f} | {r['words_per_second']:,.0f} | "
                     f"{r.get('pairs_per_second', float('nan')):,.0f} | {r['peak_extra_mb']:.0f} | "
                     f"{gpu} | {r.get('load_after', '?')} |")  # fmt: skip
    return lines


def measure_step_costs(device: str, threads: int, vocab_size: int, batch_sizes: list[int],
                       seconds_each: float = 3.0, negative_sharing: str = "pair") -> list[dict]:
    """Time one torch step alone, at several batch sizes (pairs per step), on the device:
    ``sgns_step`` (``negative_sharing="pair"``) or the shared-noise ``window_step`` ("window":
    ``batch // (2 * window)`` full windows of ``2 * window`` context words each).

    The indices are synthetic: contexts, centers and noise words all drawn from the noise
    distribution of Zipf counts (count ~ 1 / rank) over ``vocab_size`` words, so frequent
    rows repeat within a step as they do in training. The smallest step (one pair, or one
    window) measures the step's fixed cost: the Python and dispatch work of its operations
    (on a GPU, the kernel launches), which no batch size removes.
    """
    import numpy as np
    import torch

    from scratch.word2vec.sgns_torch import MAX_REPEATS, resolve_device, sgns_step
    from scratch.word2vec.shared_negatives_torch import window_step
    from scratch.word2vec.vocab import noise_cum_table

    device = resolve_device(device)
    threads_before = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(threads)
    generator = torch.Generator(device=device).manual_seed(0)
    counts = (1e7 / np.arange(1, vocab_size + 1)).astype(np.int64) + 1
    cum_table = torch.from_numpy(noise_cum_table(counts).astype(np.int64)).to(device)
    syn0 = (torch.rand(vocab_size, SETTINGS["vector_size"], generator=generator, device=device) - 0.5) / 100
    syn1neg = torch.zeros_like(syn0)

    def draw(*shape):
        values = torch.randint(0, int(cum_table[-1]), shape, generator=generator, device=device)
        return torch.searchsorted(cum_table, values)

    def synchronize():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    rows = []
    span = 2 * SETTINGS["window"]
    for batch in batch_sizes:
        if negative_sharing == "window":
            windows = max(1, batch // span)
            batch = windows * span
            contexts, valid = draw(windows, span), torch.ones(windows, span, dtype=torch.bool, device=device)
            arguments = (contexts, valid, draw(windows), draw(windows, SETTINGS["negative"]))

            def step():
                window_step(syn0, syn1neg, *arguments, 0.001, True, MAX_REPEATS)
        else:
            arguments = (draw(batch), draw(batch), draw(batch, SETTINGS["negative"]))

            def step():
                sgns_step(syn0, syn1neg, *arguments, 0.001, True, MAX_REPEATS)
        for _ in range(3):  # warm up
            step()
        synchronize()
        steps, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds_each:
            step()
            steps += 1
        synchronize()
        seconds = time.perf_counter() - started
        rows.append({"device": str(device), "threads": threads if device.type == "cpu" else None,
                     "vocabulary": vocab_size, "batch_size": batch, "steps": steps, "negative_sharing": negative_sharing,
                     "us_per_step": seconds / steps * 1e6, "pairs_per_second": batch * steps / seconds})  # fmt: skip
        print(f"{negative_sharing} step of {batch:>6,} pairs on {device}: {rows[-1]['us_per_step']:9.1f} us, "
              f"{rows[-1]['pairs_per_second']:>12,.0f} pairs/s", flush=True)  # fmt: skip
    torch.set_num_threads(threads_before)
    return rows


def step_costs_section(step_costs: list[dict], results: list[dict]) -> list[str]:
    first = step_costs[0]
    threads = f", {first['threads']} torch thread(s)" if first["threads"] else ""
    lines = [
        "",
        "## Cost of one torch step against its batch size",
        "",
        f"One step alone (no example building): `sgns_step` (noise words per pair) and `window_step` (shared "
        f"by a window of {2 * SETTINGS['window']} context words, full windows), {first['vocabulary']:,}-word "
        f"vocabulary, Zipf-distributed "
        f"indices, negative={SETTINGS['negative']}, vector_size={SETTINGS['vector_size']}, on {first['device']}"
        f"{threads} (`--step-costs`). The smallest step of each kind (one pair, one window) is its fixed cost. ",
    ]
    torch_runs = [r for r in results if r["implementation"] == "scratch-torch" and r.get("pairs_per_second")]
    if torch_runs:
        per_word = statistics.mean(r["pairs_per_second"] / r["words_per_second"] for r in torch_runs)
        lines[-1] += (f"The last column divides pairs/s by the {per_word:.2f} pairs per raw word of the full-corpus "
                      f"runs above: the words/s that the steps alone would allow, a ceiling for training.")  # fmt: skip
    else:
        per_word = None
    lines += ["", "| device | noise words | pairs per step | us per step | pairs/s | words/s ceiling |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for r in step_costs:
        ceiling = f"{r['pairs_per_second'] / per_word:,.0f}" if per_word else "-"
        sharing = {"pair": "per pair (`sgns_step`)", "window": "shared by a window (`window_step`)"}
        lines.append(f"| {r['device']} | {sharing[r.get('negative_sharing', 'pair')]} | {r['batch_size']:,} | "
                     f"{r['us_per_step']:,.1f} | {r['pairs_per_second']:,.0f} | {ceiling} |")  # fmt: skip
    return lines


TORCH_NOTES = [
    "",
    "## How the torch backend scales (reading the measurements)",
    "",
    "- **What the table shows, and why**: the work is per (context, center) pair, not per raw word. A larger "
    "corpus (or a lower min_count) keeps more of its words in the vocabulary and, with subsampling relative "
    "to the corpus size, more pairs per raw word; words/s then falls while pairs/s stays roughly level. "
    "Time is otherwise linear in pairs x epochs: every job costs the same wherever it lies in the corpus. "
    "These CPU figures were taken on 2 cores shared with other jobs (see the load averages), so only "
    "differences of more than ~20 % mean anything. With 2 torch threads on 2 cores that other jobs were "
    "also using, a 250,000-word run took 162 s instead of ~2.5 s (OpenMP threads spin-waiting for a "
    "descheduled partner), so the scaling table was measured with one thread; on a busy machine give the "
    "torch backend fewer `workers` than free cores.",
    "- **Memory**: the two matrices, 2 x vocab x vector_size x 4 bytes (the `matrices MB` column; one more copy "
    "of both on every rank when training data-parallel: the state at the last synchronisation), plus the "
    "encoded corpus, 4 bytes a word (in memory for a list of sentences, memory-mapped for a `corpus_file`), "
    "plus one job's index tensors and one step's gathered rows: a few MB, independent of corpus and "
    "vocabulary. The measured RSS growth is small and noisy here because the allocator reuses memory from "
    "the earlier runs of the same process; on a GPU `torch.cuda.max_memory_allocated` is the exact figure. "
    "A step touches batch_size x (2 + negative) rows whatever the vocabulary, so a larger vocabulary costs "
    "speed only through cache misses on the row gathers.",
    "- **Multi-GPU (NCCL, `torchrun -m scratch.word2vec.distributed --device cuda`)**: per synchronisation each "
    "rank all-reduces a 4-byte count per word (4 x vocab bytes) and the touched rows of both matrices "
    "(rows x 2 x vector_size x 4 bytes; on this corpus at most 42k rows = 34 MB. Plan for all of it: in the "
    "2-process gloo run on 300,000 words, every synchronisation touched the whole 4,417-word vocabulary, "
    "because the noise words alone cover most rows). A ring all-reduce moves about twice that "
    "per GPU: <= 68 MB, ~0.2 ms at the ~400 GB/s of NVLink 4, against ~4 jobs x 10,000 words of compute "
    "between syncs (~10-20 ms at a few million words/s). Communication is then ~1-2 % of the time, so 8 GPUs "
    "in one NVLink node should reach ~7x one GPU; across nodes on 100 Gb/s Ethernet a full 34 MB sync takes "
    "~6 ms, so `sync_every` must grow (e.g. to 16-32 jobs) to stay near linear, at the price of staler "
    "updates. Not measured: this session had no GPU; only the gloo path on one CPU machine is tested.",
    "- **The fixed cost of a step, and what it means for a GPU**: the one-pair row of the step-cost table is "
    "what a step costs whatever its size: the Python and dispatch work of its ~35 tensor operations (0.37 ms "
    "on this CPU; 0.17 ms when the loss and the repeat cap are left out). On a GPU every one of those "
    "operations is also a kernel launch, so the host spends about that much per step while the GPU waits or "
    "not. An estimate, not a measurement: gensim's 2-worker 280k words/s times 20 is 5.5 M words/s, at "
    "4.4 pairs per raw word (the full-corpus runs above) 24 M pairs/s, which at 4096 pairs a step leaves "
    "0.17 ms per step. With a host as fast as this CPU the loop would stop near 11 M pairs/s (~9x gensim) "
    "at 4096 pairs a step and need 16384 (held-out loss 2.719 against 2.696 at 1024) to clear 20x. Fewer "
    "launches per step (capturing the step in a CUDA graph, or fusing it with torch.compile) is the next "
    "thing to try if the GPU run shows a launch-bound loop (GPU utilisation well below 100 %).",
    "- **The shared-noise window step (issue 21) and a GPU**: the step-cost table's `window_step` rows are one "
    "step of full windows (10 context words, 5 shared noise words). Its fixed cost (one window) is about the "
    "per-pair step's (0.17 ms against 0.14 ms on this CPU), but a step of ~1,000 pairs costs half as much "
    "(0.49 ms against 0.97 ms) and one of ~4,000 pairs a fifth (1.5 ms against 6.8 ms): three batched matrix "
    "products instead of a gather, multiply and sum per pair. An estimate, not a measurement: on a GPU the "
    "host pays the fixed cost per step while the device does the rest, so the loop is capped near "
    "`pairs per step / 0.17 ms`: 6 M pairs/s at 1024 (at 4.4 pairs per raw word, 1.4 M words/s, about 3x "
    "gensim's 2-worker 420k), 24 M pairs/s at 4096 (5.4 M words/s, ~13x), 96 M pairs/s at 16384 (~50x, "
    "if the device keeps up). 20x gensim (8.4 M words/s, 37 M pairs/s) needs about 6,500 pairs a step, or a "
    "smaller fixed cost (a CUDA graph of the step: its shapes are fixed per span and it never reads back "
    "to the host). What holds larger steps back is training, not speed: on the full corpus with two CPU "
    "threads, 4096 pairs a step trained once (1.36x gensim's words/s, quality inside the bounds) and "
    "diverged once, with the output-row cap at 64 pairs (`WINDOW_MAX_REPEATS`; 256 and 128 diverged at "
    "4096 with one thread). Larger steps need a better-founded damping of repeated rows before a GPU can "
    "use them; jobs of 100,000 words keep the per-job preparation (`job_windows`, a few ms) off the path.",
    "- **To measure on a GPU** (one H100: target >= 20x gensim's 2-worker words/s, analogy within 1 point): "
    "`python benchmarks/word2vec_train.py --implementations gensim scratch-torch --workers 2 --device cuda "
    "--batch-size 4096 --batch-words 100000`, then `--step-costs --device cuda` and `--scaling --device cuda "
    "--batch-size 4096 --batch-words 100000`. Larger jobs matter on a GPU: each job and each step is a few dozen kernel "
    "launches, so 10,000-word jobs would leave the GPU waiting on Python. Larger steps run faster but "
    "train worse (held-out loss per pair after one epoch on 1 M words: 2.696 at 1024 pairs a step, 2.701 at "
    "4096, 2.719 at 16384, against 2.686 for the numba loop; see `scratch/word2vec/sgns_torch.py`), so check "
    "the analogy score when raising --batch-size.",
]


def device_note(device: str) -> str:
    import torch

    if device.startswith("cuda"):
        return f"{torch.cuda.get_device_name(device)} (CUDA {torch.version.cuda}), torch {torch.__version__}"
    return (f"CPU only (torch {torch.__version__}). No GPU was lent to the session that ran this, so the "
            f"torch backend's CUDA throughput, and the H100 target of 20x gensim's 2-worker words/s, are not "
            f"measured here")  # fmt: skip


def merged_report(out_dir: Path, stem: str, meta: dict, results: list[dict], *,
                  scaling: list[dict] | None = None, step_costs: list[dict] | None = None) -> tuple:
    """``write_report``'s arguments, keeping the parts of an earlier torch report (runs, scaling,
    step costs) that this invocation does not measure."""
    path = out_dir / f"{stem}.json"
    if stem == "word2vec_torch" and path.exists():
        previous = json.loads(path.read_text())
        if not results:
            meta, results = previous.get("meta", meta), previous.get("runs", [])
        scaling = previous.get("scaling") if scaling is None else scaling
        step_costs = previous.get("step_costs") if step_costs is None else step_costs
    return results, meta, out_dir, stem, scaling, step_costs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--extra-seeds", type=int, nargs="*", default=[], help="more seeds at the largest workers")
    parser.add_argument("--max-words", type=int, default=None, help="only the first N words (for a quick look)")
    parser.add_argument("--implementations", nargs="+", default=["gensim", "scratch"],
                        choices=IMPLEMENTATIONS)  # fmt: skip
    parser.add_argument("--device", default="cpu", help="scratch-torch's device: cpu or cuda")
    parser.add_argument("--batch-size", type=int, default=None, help="scratch-torch's pairs per step (default: Word2Vec's, 1024 per pair, 4096 shared by a window)")
    parser.add_argument("--batch-words", type=int, default=10_000,
                        help="scratch-torch's raw words per job (100000 on a GPU: fewer, larger jobs)")  # fmt: skip
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="scratch-torch's torch threads on the CPU (default: the run's --workers)")
    parser.add_argument("--scaling", action="store_true", help="measure the torch backend at several sizes instead")
    parser.add_argument("--scaling-words", type=int, nargs="+", default=[1_000_000, 3_000_000, 10_000_000])
    parser.add_argument("--scaling-min-counts", type=int, nargs="+", default=[1, 5, 50])
    parser.add_argument("--scaling-epochs", type=int, default=1)
    parser.add_argument("--step-costs", action="store_true",
                        help="time the torch step alone at several batch sizes instead")  # fmt: skip
    parser.add_argument("--step-batch-sizes", type=int, nargs="+", default=[1, 64, 1024, 4096, 16384, 65536])
    parser.add_argument("--step-vocabulary", type=int, default=42_332, help="the full corpus's, at min_count 5")
    parser.add_argument("--step-seconds", type=float, default=3.0, help="time spent at each batch size")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)

    import gensim
    import numba
    import numpy as np

    from scratch.artifacts import fetch
    from scratch.data import data_path
    from scratch.word2vec.corpus import chunk_words, lowercase_words

    if args.step_costs:
        from scratch.word2vec.sgns_torch import resolve_device

        resolve_device(args.device)  # a clear error before any work when CUDA is asked for and missing
        rows = [row for sharing in ("pair", "window")
                for row in measure_step_costs(args.device, args.torch_threads or 1, args.step_vocabulary,
                                              args.step_batch_sizes, args.step_seconds, sharing)]  # fmt: skip
        meta = {"argv": sys.argv[1:] if argv is None else argv, "device_note": device_note(args.device)}
        write_report(*merged_report(args.out, "word2vec_torch", meta, [], step_costs=rows))
        print(f"wrote {args.out / 'word2vec_torch.md'}")
        return 0
    uses_torch = args.scaling or any(name.startswith("scratch-torch") for name in args.implementations)
    stem = "word2vec_torch" if uses_torch else "word2vec_train"
    torch_options = {"device": args.device, "batch_size": args.batch_size,  # None: each scheme's default
                     "batch_words": args.batch_words}  # fmt: skip
    data = fetch("gensim-test-data")
    path = data_path("gutenberg", "english.txt")
    max_words = max(args.scaling_words) if args.scaling else args.max_words
    words = lowercase_words(path, max_words=max_words)
    sentences = chunk_words(words)
    raw_words = len(words)
    del words
    print(f"corpus: {raw_words:,} words, {len(sentences):,} sentences", flush=True)
    meta = {
        "argv": sys.argv[1:] if argv is None else argv,
        "corpus": f"{path.name} lowercased to [a-z]+" + (f", first {max_words:,} words" if max_words else ""),
        "raw_words": raw_words,
        "sentences": len(sentences),
        "machine": f"{platform.processor() or platform.machine()} ({platform.platform()})",
        "cpus": os.cpu_count(),
        "load_before": load_average(),
        "versions": f"python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}, "
        f"gensim {gensim.__version__}",
    }
    if uses_torch:
        meta["device_note"] = device_note(args.device)
    # Compile (or load from numba's cache) before timing anything.
    from scratch.word2vec import Word2Vec

    Word2Vec(sentences[:1], vector_size=8, min_count=1, epochs=1, workers=1, sg=1)
    if uses_torch:
        Word2Vec(sentences[:1], vector_size=8, min_count=1, epochs=1, workers=1, sg=1, backend="torch",
                 **torch_options)  # fmt: skip
    results, scaling = [], None
    if args.scaling:
        scaling = []
        sizes = [(n, 5) for n in sorted(args.scaling_words)]
        sizes += [(max(args.scaling_words), m) for m in args.scaling_min_counts if m != 5]
        for n_words, min_count in sizes:
            subset = sentences[: math.ceil(n_words / 10_000)]
            settings = SETTINGS | {"min_count": min_count, "epochs": args.scaling_epochs}
            result = run("scratch-torch", subset, sum(map(len, subset)), max(args.workers), args.seeds[0], data,
                         torch_options, settings, evaluate_quality=False, torch_threads=args.torch_threads)  # fmt: skip
            scaling.append(result | {"raw_words": sum(map(len, subset)), "min_count": min_count,
                                     "epochs": args.scaling_epochs, "load_after": load_average()})  # fmt: skip
            meta["load_after"] = load_average()
            write_report(*merged_report(args.out, stem, meta, [], scaling=scaling))
    else:
        runs = [(w, s) for w in args.workers for s in args.seeds]
        runs += [(max(args.workers), s) for s in args.extra_seeds]
        for workers, seed in runs:
            for name in args.implementations:
                results.append(run(name, sentences, raw_words, workers, seed, data, torch_options,
                                   torch_threads=args.torch_threads))  # fmt: skip
                meta["load_after"] = load_average()
                write_report(*merged_report(args.out, stem, meta, results))
    print(f"wrote {args.out / (stem + '.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
