"""Data-parallel word2vec with ``torch.distributed``, one process per CPU group or GPU.

    torchrun --standalone --nproc_per_node 2 -m scratch.word2vec.distributed \\
        --corpus-file corpus.txt --out model.npz --device cpu          # gloo, two processes
    torchrun --nproc_per_node 8 -m scratch.word2vec.distributed \\
        --corpus-file corpus.txt --out model.npz --device cuda         # NCCL, one GPU each

``torchrun`` starts the processes and sets ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK`` and
the rendezvous address; :func:`init_process_group` joins them with the gloo backend on
the CPU and NCCL on GPUs (process ``LOCAL_RANK`` takes GPU ``LOCAL_RANK``).

Every process reads the whole corpus file once to count it, so all build the same
vocabulary and, from the same seed, the same initial vectors. Each then trains only its
share of the jobs (rank ``r`` of ``W``: jobs ``r, r + W, ...``; a job is a run of
consecutive sentences) and every ``sync_every`` jobs the ranks combine their changes to
the rows any of them touched: a row takes the mean change of the ranks that changed it
(:class:`scratch.word2vec.sgns_torch.ReplicaSync`). Since
jobs are dealt out in turn, the ranks move through the corpus together, and the
learning rate of each job, taken from its position in the corpus, is what one process
would use at that point. The job seeds are those of one process too: with the same
seed, the ranks together draw exactly the pairs and noise words of a one-process run.

Rank 0 saves the model (the replicas are identical after the last synchronisation);
``--save-replicas`` makes every rank save its own copy, ``<out>.rank<r>.npz``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import torch
import torch.distributed as dist

from .sgns_torch import DEFAULT_SYNC_EVERY
from .trainer import Word2Vec


def init_process_group(device: str) -> tuple[int, int, str]:
    """Join the process group torchrun describes; returns (rank, world size, this process's device)."""
    missing = [name for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")
               if name not in os.environ]  # fmt: skip
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not set: start this module with torchrun, e.g. "
                           f"`torchrun --standalone --nproc_per_node 2 -m scratch.word2vec.distributed ...`")
    local_rank = int(os.environ["LOCAL_RANK"])
    if device.startswith("cuda"):
        device = f"cuda:{local_rank}"
        torch.cuda.set_device(local_rank)
        dist.init_process_group(backend="nccl", device_id=torch.device(device))
    else:
        dist.init_process_group(backend="gloo")
    return dist.get_rank(), dist.get_world_size(), device


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="data-parallel skip-gram word2vec; start with torchrun")
    parser.add_argument("--corpus-file", type=Path, required=True, help="one sentence per line, words split on spaces")
    parser.add_argument("--out", type=Path, required=True, help="where rank 0 saves the model (.npz)")
    parser.add_argument("--device", default="cpu", help="cpu (gloo) or cuda (NCCL, one GPU per process)")
    parser.add_argument("--vector-size", type=int, default=100)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--negative", type=int, default=5)
    parser.add_argument("--sample", type=float, default=1e-3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--alpha", type=float, default=0.025)
    parser.add_argument("--min-alpha", type=float, default=0.0001)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=None,
                        help="pairs per step (default: 1024 per pair, 4096 shared by a window)")
    parser.add_argument("--negative-sharing", choices=["pair", "window"], default="pair",
                        help="noise words per pair (word2vec.c) or shared by each window (HogBatch)")  # fmt: skip
    parser.add_argument("--batch-words", type=int, default=10_000, help="raw words per job")
    parser.add_argument("--sync-every", type=int, default=DEFAULT_SYNC_EVERY, help="jobs per rank between syncs")
    parser.add_argument("--threads", type=int, default=1,
                        help="training threads per process on the CPU, each running whole jobs")  # fmt: skip
    parser.add_argument("--save-replicas", action="store_true", help="every rank saves <out>.rank<r>.npz")
    parser.add_argument("--progress", action="store_true", help="rank 0 prints words/s and loss")
    args = parser.parse_args(argv)

    rank, world, device = init_process_group(args.device)
    try:
        model = Word2Vec(corpus_file=args.corpus_file, sg=1, vector_size=args.vector_size, window=args.window,
                         min_count=args.min_count, negative=args.negative, sample=args.sample, epochs=args.epochs,
                         alpha=args.alpha, min_alpha=args.min_alpha, seed=args.seed, workers=args.threads,
                         batch_words=args.batch_words, backend="torch", device=device, batch_size=args.batch_size,
                         sync_every=args.sync_every, progress=args.progress and rank == 0,
                         negative_sharing=args.negative_sharing, compute_loss=True)  # fmt: skip
        if rank == 0:
            model.save(args.out)
            for report in model.epoch_reports:
                print(f"epoch {report.epoch}: {report.words_per_second:,.0f} words/s over {world} processes, "
                      f"{report.pairs:,} pairs, loss/pair {report.loss_per_pair:.4f}", flush=True)
            rows = model.sync_rows
            if rows:
                mean = sum(rows) / len(rows)
                print(f"{len(rows)} synchronisations of {mean:,.0f} rows on average (max {max(rows):,} of "
                      f"{len(model.wv):,}): {8 * model.vector_size * mean / 2**20:.1f} MB of both matrices each",
                      flush=True)  # fmt: skip
        if args.save_replicas:
            model.save(args.out.with_name(f"{args.out.stem}.rank{rank}{args.out.suffix}"))
        dist.barrier()
    finally:
        dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
