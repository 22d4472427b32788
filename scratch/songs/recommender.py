"""Recommending songs: the book's word2vec on the playlists, and the nearest songs to a song.

:class:`SongRecommender` runs scratch's ``Word2Vec`` with the book's settings
(:data:`BOOK_SETTINGS`). The book calls ``Word2Vec(playlists, vector_size=32, window=20,
negative=50, min_count=1)``, which in gensim is CBOW (``sg=0``, gensim's default and scratch's;
``sg=0`` is spelled out all the same), with the mean of the context vectors
(``cbow_mean=1``). By default the recommender reproduces what gensim does with that call,
including gensim's rule of leaving an output song out of the update when its score is
beyond +-6 (``MAX_EXP`` in ``word2vec_inner.pyx``): ``skip_saturated=True``, a
scratch-only setting that gensim is never given (:data:`SCRATCH_ONLY`). With window 20 and
50 noise songs many scores saturate, and the rule changes what is learned. The
exact-sigmoid variant (word2vec.c's behaviour) is offered as ``skip_saturated=False``
(``SongRecommender.train(data, skip_saturated=False)``); it measured better tag precision
than gensim's rule (``benchmarks/results/songs.md``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

import numpy as np

from ..word2vec import Word2Vec
from .data import Song, SongData

# The book's call as gensim runs it, for scratch: the call leaves gensim's default CBOW on
# (sg=0, cbow_mean=1), scratch's default too, spelled out so that the settings say what is trained;
# skip_saturated=True copies gensim's rule of skipping the update of an output word whose
# score is beyond +-6 (scratch's own default, False, is the exact sigmoid of word2vec.c).
BOOK_SETTINGS = dict(vector_size=32, window=20, negative=50, min_count=1, sg=0, cbow_mean=1, skip_saturated=True)
# Keys of BOOK_SETTINGS that only scratch's Word2Vec takes: gensim's adapter leaves them out.
SCRATCH_ONLY = ("skip_saturated",)
# The book's examples: "Fade To Black" (Metallica), "Billie Jean" (Michael Jackson),
# "California Love" (2Pac).
BOOK_SONGS = ("2172", "3822", "842")


class Recommendation(NamedTuple):
    id: str
    title: str
    artist: str
    score: float


class Vectors(Protocol):
    """What evaluation and recommendation need from trained vectors (scratch's or gensim's KeyedVectors)."""

    index_to_key: list[str]
    vectors: np.ndarray

    def most_similar(self, positive, topn: int = 10): ...


def train_word2vec(playlists: list[list[str]], seed: int = 1, workers: int = 2, epochs: int = 5,
                   **overrides) -> Word2Vec:  # fmt: skip
    """Scratch ``Word2Vec`` on the playlists with :data:`BOOK_SETTINGS` (``overrides`` win).

    The default reproduces gensim's training of the book's call; ``skip_saturated=False``
    trains the exact-sigmoid variant.
    """
    # compute_loss: the CLI prints the last epoch's loss (gensim's default, kept by Word2Vec, is False)
    return Word2Vec(playlists, **{**BOOK_SETTINGS, "seed": seed, "workers": workers, "epochs": epochs,
                                  "compute_loss": True, **overrides})  # fmt: skip


class SongRecommender:
    """Recommend songs by the nearest neighbours of their vectors (cosine similarity).

    ``wv`` is any KeyedVectors keyed by song id: scratch's, or gensim's for comparison.
    ``model`` is the scratch ``Word2Vec`` it came from, kept for :meth:`save`.
    :meth:`train` reproduces gensim's training of the book's call by default;
    ``train(data, skip_saturated=False)`` trains the exact-sigmoid variant.
    """

    def __init__(self, wv: Vectors, data: SongData, model: Word2Vec | None = None):
        self.wv, self.data, self.model = wv, data, model

    @classmethod
    def train(cls, data: SongData, seed: int = 1, workers: int = 2, epochs: int = 5, **overrides) -> SongRecommender:
        model = train_word2vec(data.playlists, seed=seed, workers=workers, epochs=epochs, **overrides)
        return cls(model.wv, data, model)

    def save(self, path: str | os.PathLike) -> None:
        """Save the trained scratch model (``.npz``); the song titles stay in the data folder."""
        if self.model is None:
            raise RuntimeError("only a recommender trained from scratch (with a model) can be saved")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.model.save(path)

    @classmethod
    def load(cls, path: str | os.PathLike, data: SongData) -> SongRecommender:
        model = Word2Vec.load(path)
        return cls(model.wv, data, model)

    def recommend(self, song_id: str | int, topn: int = 5) -> list[Recommendation]:
        """The ``topn`` songs nearest to ``song_id``: the book's ``model.wv.most_similar(positive=str(song_id))``,
        joined with titles and artists. An unknown or untrained song raises ``KeyError`` naming it."""
        key = str(song_id)
        self.data.song(key)  # KeyError if the data set does not have it
        if key not in self.wv:
            raise KeyError(f"song {key!r} has no vector: it is in no playlist the model was trained on")
        rows = []
        for neighbour, score in self.wv.most_similar(positive=key, topn=topn):
            song = self.data.song(neighbour)
            rows.append(Recommendation(song.id, song.title, song.artist, float(score)))
        return rows


def digits_to_tell_apart(scores: Sequence[float], least: int = 4, most: int = 9) -> int:
    """Decimals enough to print different scores differently (at least ``least``, at most
    ``most``): with the book's window and noise count, cosines crowd just below 1, and
    four decimals would print 0.9999 for all of them."""
    distinct = len(set(scores))
    return next((d for d in range(least, most) if len({f"{s:.{d}f}" for s in scores}) == distinct), most)


def format_table(rows: Sequence[Recommendation | Song], title_width: int = 40, artist_width: int = 28) -> str:
    """A plain-text table of id, title, artist (and score, for recommendations, with
    :func:`digits_to_tell_apart` decimals)."""
    scored = bool(rows) and isinstance(rows[0], Recommendation)
    digits = digits_to_tell_apart([row.score for row in rows]) if scored else 0
    head = f"{'id':>6}  {'title':<{title_width}}  {'artist':<{artist_width}}" + ("  score" if scored else "")
    lines = [head]
    for row in rows:
        title, artist = _cut(row.title, title_width), _cut(row.artist, artist_width)
        line = f"{row.id:>6}  {title:<{title_width}}  {artist:<{artist_width}}"
        lines.append(line + (f"  {row.score:.{digits}f}" if scored else ""))
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
