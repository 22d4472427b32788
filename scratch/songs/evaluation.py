"""How good the song vectors are: the same code scores scratch's and gensim's.

:func:`evaluate` takes a *train function* (playlists, seed -> vectors), so that the very
same split, queries and arithmetic score every implementation: the next-song hit rate at
10 on held-out playlist endings (:func:`hit_rate`), and tag precision at 10
(:func:`tag_precision`: the share of a song's nearest songs that share a Last.fm tag with
it), over several seeds; :func:`agreement_bound` says how far two implementations may
differ and still agree within run-to-run spread.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .data import SongData
from .recommender import Recommendation, Vectors, train_word2vec


def nearest_neighbours(vectors: np.ndarray, rows: np.ndarray, topn: int, batch: int = 512) -> np.ndarray:
    """For each row index in ``rows``, the ``topn`` other rows of highest cosine similarity, best first.

    The batched form of ``most_similar(key, topn)``: the query itself is left out, as
    gensim leaves out the positive keys (ties may come in another order).
    """
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = (vectors / np.where(norms > 0, norms, 1)).astype(np.float32)
    rows = np.asarray(rows, dtype=np.int64)
    result = np.empty((len(rows), topn), dtype=np.int64)
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        scores = unit[chunk] @ unit.T
        scores[np.arange(len(chunk)), chunk] = -np.inf
        best = np.argpartition(-scores, topn, axis=1)[:, :topn]
        order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1, kind="stable")
        result[start : start + len(chunk)] = np.take_along_axis(best, order, axis=1)
    return result


def split_last_songs(playlists: list[list[str]], seed: int, share: float = 0.1):
    """Hold out the last song of a random ``share`` of the playlists.

    Returns (training playlists, held-out (previous song, last song) pairs). The chosen
    playlists stay in training without their last song (dropped if one song is left).
    The choice is ``np.random.default_rng(seed)``'s, so scratch and gensim get the same split.
    """
    chosen = np.random.default_rng(seed).choice(len(playlists), size=round(share * len(playlists)), replace=False)
    held = set(chosen.tolist())
    training, pairs = [], []
    for index, playlist in enumerate(playlists):
        if index in held:
            pairs.append((playlist[-2], playlist[-1]))
            playlist = playlist[:-1]
        if len(playlist) > 1:
            training.append(playlist)
    return training, pairs


def hit_rate(vectors: Vectors, pairs: Sequence[tuple[str, str]], k: int = 10) -> float:
    """Share of (previous, next) pairs whose next song is among the ``k`` nearest neighbours of the previous.

    A pair whose songs the model never saw counts as a miss (the previous song can be
    unseen when its playlist was left with one song and dropped).
    """
    if not pairs:
        return float("nan")
    index = {key: i for i, key in enumerate(vectors.index_to_key)}
    queries = [(index[previous], index.get(following, -1)) for previous, following in pairs if previous in index]
    found = nearest_neighbours(vectors.vectors, np.array([q for q, _ in queries], dtype=np.int64), k)
    return sum(target in row for (_, target), row in zip(queries, found)) / len(pairs)


def tag_precision(vectors: Vectors, tags: dict[str, tuple[str, ...]], queries: int, seed: int, k: int = 10):
    """Mean share of a song's ``k`` neighbours that share a tag with it, and the same for ``k`` random songs.

    Over ``queries`` tagged songs of the vocabulary drawn with ``default_rng(seed)`` from
    the tagged songs sorted by id, so that two models with the same songs are asked about
    the same ones whatever their vocabulary order. Untagged neighbours share nothing.
    Returns (precision, random-neighbour precision, number of query songs).
    """
    keys = vectors.index_to_key
    tag_sets = [frozenset(tags.get(key, ())) for key in keys]
    tagged = np.array(sorted((i for i, t in enumerate(tag_sets) if t), key=lambda i: keys[i]), dtype=np.int64)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(tagged, size=min(queries, len(tagged)), replace=False)
    found = nearest_neighbours(vectors.vectors, chosen, k)
    noise = rng.integers(0, len(keys) - 1, size=(len(chosen), k))
    noise += noise >= chosen[:, None]  # any song but the query itself

    def share(neighbour_rows):
        shared = [[bool(tag_sets[q] & tag_sets[n]) for n in row] for q, row in zip(chosen, neighbour_rows)]
        return float(np.mean(shared))

    return share(found), share(noise), len(chosen)


TrainFunction = Callable[[list[list[str]], int], Vectors]  # (playlists, seed) -> trained KeyedVectors


@dataclass
class SeedResult:
    seed: int
    hit_rate: float
    held_out: int
    tag_precision: float
    random_tag_precision: float
    tag_queries: int
    train_seconds: float


@dataclass
class Evaluation:
    """One implementation's results over seeds, with mean and spread."""

    name: str
    runs: list[SeedResult] = field(default_factory=list)

    def values(self, metric: str) -> list[float]:
        return [getattr(run, metric) for run in self.runs]

    def mean(self, metric: str) -> float:
        return statistics.mean(self.values(metric))

    def stdev(self, metric: str) -> float:
        values = self.values(metric)
        return statistics.stdev(values) if len(values) > 1 else 0.0

    def summary(self) -> str:
        parts = [f"{self.name}: " + ", ".join(
            f"{label} {self.mean(metric):.4f} ± {self.stdev(metric):.4f}"
            for metric, label in [("hit_rate", "HR@10"), ("tag_precision", "tag P@10"),
                                  ("random_tag_precision", "random P@10")])]  # fmt: skip
        run = self.runs[0]
        parts.append(f"  ({len(self.runs)} seeds; {run.held_out:,} held-out playlists, {run.tag_queries:,} tagged "
                     f"query songs each; training {self.mean('train_seconds'):.1f} s a seed)")  # fmt: skip
        return "\n".join(parts)


def agreement_bound(reference: Evaluation, candidate: Evaluation, metric: str) -> float:
    """How far apart two implementations' mean ``metric`` may be and still lie within run-to-run spread.

    Three standard errors of the difference of the means over seeds. Each run's variance
    is the seeds' scatter, but never less than the metric's own sampling noise, the
    binomial ``p (1 - p) / n`` of a share over ``n`` queries (held-out playlists for the
    hit rate, query songs for tag precision): three seeds can agree by chance.
    """
    queries = "held_out" if metric == "hit_rate" else "tag_queries"
    variances = []
    for evaluation in (reference, candidate):
        p, n = evaluation.mean(metric), getattr(evaluation.runs[0], queries)
        variances.append(max(evaluation.stdev(metric) ** 2, p * (1 - p) / n) / len(evaluation.runs))
    return 3 * math.sqrt(sum(variances))


def evaluate(name: str, train: TrainFunction, data: SongData, seeds: Sequence[int] = (1, 2, 3),
             holdout: float = 0.1, tag_queries: int = 2000, k: int = 10, report=None) -> Evaluation:  # fmt: skip
    """Train once per seed on the playlists with their endings held out, and score both metrics.

    ``train(playlists, seed)`` returns trained KeyedVectors (``index_to_key``, ``vectors``):
    pass scratch's (:func:`scratch_trainer`) or gensim's (``reference.songs.gensim_trainer``)
    and the same split, the same queries and the same arithmetic score them.
    ``report(line)`` is called after each seed, if given.
    """
    evaluation = Evaluation(name)
    for seed in seeds:
        training, pairs = split_last_songs(data.playlists, seed, holdout)
        started = time.perf_counter()
        vectors = train(training, seed)
        seconds = time.perf_counter() - started
        precision, random_precision, queries = tag_precision(vectors, data.tags, tag_queries, seed, k)
        result = SeedResult(seed, hit_rate(vectors, pairs, k), len(pairs), precision, random_precision, queries,
                            seconds)  # fmt: skip
        evaluation.runs.append(result)
        if report is not None:
            report(f"{name} seed {seed}: HR@{k} {result.hit_rate:.4f}, tag P@{k} {precision:.4f} "
                   f"(random {random_precision:.4f}), trained in {seconds:.1f} s")  # fmt: skip
    return evaluation


def scratch_trainer(workers: int = 2, epochs: int = 5, **overrides) -> TrainFunction:
    """A :data:`TrainFunction` training scratch's Word2Vec with the book's settings (``overrides`` win,
    e.g. ``skip_saturated=False`` for the exact sigmoid)."""

    def train(playlists: list[list[str]], seed: int) -> Vectors:
        return train_word2vec(playlists, seed=seed, workers=workers, epochs=epochs, **overrides).wv

    return train


def tag_overlap(song_id: str, rows: Sequence[Recommendation], data: SongData) -> float:
    """Share of recommended songs that share at least one tag with ``song_id`` (``math.nan`` if none)."""
    own = set(data.tags.get(str(song_id), ()))
    if not rows:
        return math.nan
    return sum(bool(own & set(data.tags.get(row.id, ()))) for row in rows) / len(rows)
