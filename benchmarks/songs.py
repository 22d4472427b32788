"""Song recommendations: training time and quality of scratch ``Word2Vec`` against gensim's.

    python benchmarks/songs.py [--workers 2] [--seeds 1 2 3] [--exact-seeds 1 2 3] [--playlists N]

Data: the ``yes_complete`` playlists of the data folder (11,088 playlists of more than
one song, 1.89 M song plays), given to both as the same list of lists of song ids.
Settings: the book's call, ``Word2Vec(playlists, vector_size=32, window=20, negative=50,
min_count=1)``, which is gensim's default CBOW (``sg=0``, ``cbow_mean=1``); scratch
and gensim both train exactly that (``scratch.songs.recommender.BOOK_SETTINGS``), 5
epochs (gensim's default), 2 workers. Three rows:

- ``gensim``: gensim 4.4 (``reference.songs``, without scratch-only keys);
- ``scratch``: scratch with ``BOOK_SETTINGS`` as they are, ``skip_saturated=True``:
  gensim's rule of skipping the update of an output word whose score is beyond +-6;
- ``scratch exact sigmoid``: scratch with ``skip_saturated=False`` (word2vec.c's rule).

1. Training: each trains once on the playlists (seed 1), vocabulary building included in
   the time; wall and CPU seconds and peak extra memory, measured as in
   ``word2vec_train.py``.
2. Evaluation (``scratch.songs.evaluation.evaluate``, the same code for all): for each
   seed, hold out the last song of a random 10% of the playlists, train on the rest, and
   score the next-song hit rate at 10 and the tag precision at 10 (2,000 tagged query
   songs, with 10 random songs as the baseline). "Within spread" uses
   ``scratch.songs.evaluation.agreement_bound``: three standard errors of the difference
   of means.

Results: ``benchmarks/results/songs.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from word2vec_train import PeakMemory, load_average  # noqa: E402  (the shared measuring helpers)

EXACT = "scratch exact sigmoid"
METRICS = [("hit_rate", "HR@10"), ("tag_precision", "tag P@10"), ("random_tag_precision", "random-neighbour P@10")]


# The rows: name -> (trains scratch?, settings over BOOK_SETTINGS).
VARIANTS = {"gensim": (False, {}), "scratch": (True, {}), EXACT: (True, {"skip_saturated": False})}


def time_training(name: str, playlists, workers: int, seed: int, epochs: int, plays: int) -> dict:
    from reference.songs import train_gensim
    from scratch.songs.recommender import train_word2vec

    is_scratch, overrides = VARIANTS[name]
    train = train_word2vec if is_scratch else train_gensim
    load_before = load_average()
    with PeakMemory() as memory:
        started, cpu_started = time.perf_counter(), time.process_time()
        model = train(playlists, seed=seed, workers=workers, epochs=epochs, **overrides)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    result = {"implementation": name, "plays": plays, "epochs": epochs, "workers": workers, "seed": seed,
              "seconds": seconds, "cpu_seconds": cpu_seconds,
              "plays_per_second": plays * epochs / seconds, "peak_extra_mb": memory.extra_mb,
              "vocabulary": len(model.wv), "load_before": load_before, "load_after": load_average()}  # fmt: skip
    print(f"{name:>21} workers={workers}: {seconds:6.1f} s wall, {cpu_seconds:6.1f} s CPU, "
          f"{result['plays_per_second']:>10,.0f} plays/s, +{memory.extra_mb:.0f} MB", flush=True)  # fmt: skip
    return result


def write_report(meta: dict, timings: list[dict], evaluations: dict, out_dir: Path) -> None:
    from scratch.songs.evaluation import agreement_bound

    runs = {name: [vars(run) for run in evaluation.runs] for name, evaluation in evaluations.items()}
    (out_dir / "songs.json").write_text(json.dumps({"meta": meta, "training": timings, "evaluation": runs},
                                                   indent=2) + "\n")  # fmt: skip
    lines = [
        "# Song recommendations: scratch vs gensim",
        "",
        "Written by `python benchmarks/songs.py " + " ".join(meta["argv"]) + "`.",
        "",
        f"- data: {meta['data']}",
        f"- settings: {meta['settings']}",
        f"- machine: {meta['machine']}, {meta['cpus']} CPUs; load average before {meta['load_before']}, "
        f"after {meta.get('load_after', '?')} (other jobs shared the CPUs when the load exceeds the worker count)",
        f"- versions: {meta['versions']}",
        "",
        "## Training, one run each",
        "",
        "| implementation | plays | epochs | workers | seed | wall s | CPU s | plays/s | peak extra MB | songs | "
        "load average before / after |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in timings:
        lines.append(f"| {r['implementation']} | {r['plays']:,} | {r['epochs']} | {r['workers']} | {r['seed']} | "
                     f"{r['seconds']:.1f} | "
                     f"{r['cpu_seconds']:.1f} | {r['plays_per_second']:,.0f} | {r['peak_extra_mb']:.0f} | "
                     f"{r['vocabulary']:,} | {r['load_before']} / {r['load_after']} |")  # fmt: skip
    by_name = {r["implementation"]: r for r in timings}
    if "gensim" in by_name and "scratch" in by_name:
        lines.append("")
        for name in ("scratch", EXACT):
            if name in by_name:
                speed = by_name["gensim"]["seconds"] / by_name[name]["seconds"]
                cpu = by_name["gensim"]["cpu_seconds"] / by_name[name]["cpu_seconds"]
                lines.append(f"- {name}: {speed:.2f}x gensim's speed (wall time), {cpu:.2f}x per CPU-second")
        lines += ["", "The issue's reference point: gensim about 34 s with 2 workers on an unshared machine; wall "
                  "time here grows with the load average above."]  # fmt: skip
    if evaluations:
        lines += ["", "## Evaluation (same code, same splits and query songs for all)", "",
                  "| implementation | seed | held-out playlists | HR@10 | tag query songs | tag P@10 | "
                  "random-neighbour P@10 | train s |", "|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for name, evaluation in evaluations.items():
            for run in evaluation.runs:
                lines.append(f"| {name} | {run.seed} | {run.held_out:,} | {run.hit_rate:.4f} | {run.tag_queries:,} | "
                             f"{run.tag_precision:.4f} | {run.random_tag_precision:.4f} | "
                             f"{run.train_seconds:.1f} |")  # fmt: skip
        lines += ["", "Mean ± standard deviation over seeds:", ""]
        for name, evaluation in evaluations.items():
            lines.append(f"- {name}: " + ", ".join(f"{label} {evaluation.mean(metric):.4f} ± "
                                                   f"{evaluation.stdev(metric):.4f}" for metric, label in METRICS))
        if "gensim" in evaluations and len(evaluations) > 1:
            gensim = evaluations["gensim"]
            lines += ["", "Against gensim (difference of means; bound: three standard errors):", ""]
            for name, evaluation in evaluations.items():
                if name == "gensim":
                    continue
                for metric, label in METRICS[:2]:
                    difference = evaluation.mean(metric) - gensim.mean(metric)
                    bound = agreement_bound(gensim, evaluation, metric)
                    verdict = "within" if abs(difference) <= bound else "OUTSIDE"
                    lines.append(f"- {name}, {label}: {difference:+.4f}, {verdict} the spread (bound {bound:.4f}; "
                                 f"{len(evaluation.runs)} seeds against {len(gensim.runs)})")  # fmt: skip
    (out_dir / "songs.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3], help="evaluation seeds (none: skip)")
    parser.add_argument("--exact-seeds", type=int, nargs="*", default=None,
                        help="evaluation seeds of the exact-sigmoid variant (default: --seeds; none: skip)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--playlists", type=int, default=None, help="only the first N playlists (a quick look)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)

    import gensim
    import numba
    import numpy as np

    from reference.songs import gensim_trainer
    from scratch.songs.data import load_songs, subset
    from scratch.songs.evaluation import evaluate, scratch_trainer
    from scratch.songs.recommender import BOOK_SETTINGS, train_word2vec

    data = load_songs()
    if args.playlists:
        data = subset(data, args.playlists)
    plays = sum(map(len, data.playlists))
    meta = {
        "argv": sys.argv[1:] if argv is None else argv,
        "data": f"yes_complete/train.txt: {len(data.playlists):,} playlists of more than one song, "
        f"{data.distinct_songs:,} songs, {plays:,} plays",
        "settings": ", ".join(f"{k}={v}" for k, v in BOOK_SETTINGS.items()) + f", epochs={args.epochs}, "
        f"workers={args.workers} (gensim is given them without skip_saturated, which is scratch's copy of its "
        "rule; the exact-sigmoid row sets skip_saturated=False)",
        "machine": f"{platform.processor() or platform.machine()} ({platform.platform()})",
        "cpus": os.cpu_count(),
        "load_before": load_average(),
        "versions": f"python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}, "
        f"gensim {gensim.__version__}",
    }
    print(meta["data"], flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    train_word2vec(data.playlists[:2], workers=1, epochs=1)  # compile (or load) the numba code before timing
    timings = []
    for name in VARIANTS:
        timings.append(time_training(name, data.playlists, args.workers, 1, args.epochs, plays))
        meta["load_after"] = load_average()
        write_report(meta, timings, {}, args.out)
    evaluations = {}
    trainers = {"gensim": (gensim_trainer(args.workers, args.epochs), args.seeds),
                "scratch": (scratch_trainer(args.workers, args.epochs), args.seeds),
                EXACT: (scratch_trainer(args.workers, args.epochs, skip_saturated=False),
                        args.seeds if args.exact_seeds is None else args.exact_seeds)}  # fmt: skip
    for name, (trainer, seeds) in trainers.items():
        if seeds:
            evaluations[name] = evaluate(name, trainer, data, seeds=seeds, report=print)
            meta["load_after"] = load_average()
            write_report(meta, timings, evaluations, args.out)
    print(f"wrote {args.out / 'songs.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
