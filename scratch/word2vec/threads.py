"""Threads that train: how many the machine allows, and running jobs on them.

Training threads each take whole jobs (runs of sentences) and update the shared matrices
without locks (Hogwild, as word2vec.c and gensim): the numba loop and the torch backend
on the CPU both run on :func:`run_jobs`. The torch backend caps its threads at
:func:`usable_cores`, with a warning when more are asked for (:func:`cpu_job_threads`):
beyond the cores, threads only take turns.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence

logger = logging.getLogger(__name__)


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity mask, as ``taskset`` or a container sets it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def cpu_job_threads(workers: int) -> int:
    """How many threads train on the CPU: ``workers``, but never more than :func:`usable_cores` (with a warning)."""
    cores = usable_cores()
    if workers > cores:
        logger.warning("workers=%i asks for more threads than the %i CPU core(s) this process may use: training "
                       "with %i", workers, cores, cores)  # fmt: skip
    return min(workers, cores)


def run_jobs(run: Callable[[int], None], indices: Sequence[int], threads: int) -> None:
    """``run(index)`` for every index, in order in the calling thread, or taken in order by ``threads`` threads.

    The first exception of any thread (Ctrl-C in the calling thread included) stops the
    others after their current job and is raised here.
    """
    if threads <= 1:
        for index in indices:
            run(index)
        return
    lock = threading.Lock()
    pending = iter(indices)
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            while not failures:
                with lock:
                    index = next(pending, None)
                if index is None:
                    return
                run(index)
        except BaseException as exc:  # surfaced in the calling thread below
            failures.append(exc)

    workers = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in workers:
        thread.start()
    try:
        for thread in workers:
            while thread.is_alive():
                thread.join(timeout=0.25)  # a timeout, so that Ctrl-C reaches this thread
    except BaseException as interrupt:
        failures.append(interrupt)
        for thread in workers:
            thread.join()
    if failures:
        raise failures[0]
