"""gensim's side of the song recommendations: the same settings, as a train function.

``scratch.songs.evaluate`` takes a train function (playlists, seed -> KeyedVectors);
:func:`gensim_trainer` is gensim's, so the hit rate and tag precision of gensim and of
scratch come out of the very same evaluation code. Both train the book's call,
``Word2Vec(playlists, vector_size=32, window=20, negative=50, min_count=1)``: gensim's
default CBOW, ``sg=0`` (``reference.word2vec.train`` would otherwise default to skip-gram).
``BOOK_SETTINGS`` also holds scratch-only keys (``skip_saturated=True``, which makes
scratch copy what gensim does anyway): :data:`GENSIM_SETTINGS` leaves them out.
"""

from __future__ import annotations

from scratch.songs import BOOK_SETTINGS, SCRATCH_ONLY, SongData, SongRecommender, TrainFunction

from . import word2vec as ref

# The book's settings as gensim takes them: without scratch's own keys.
GENSIM_SETTINGS = {key: value for key, value in BOOK_SETTINGS.items() if key not in SCRATCH_ONLY}


def train_gensim(playlists: list[list[str]], seed: int = 1, workers: int = 2, epochs: int = 5, **overrides):
    """gensim's ``Word2Vec`` on the playlists with the book's settings: CBOW, as the book and scratch."""
    return ref.train(playlists, **{**GENSIM_SETTINGS, "seed": seed, "workers": workers, "epochs": epochs, **overrides})


def gensim_trainer(workers: int = 2, epochs: int = 5, **overrides) -> TrainFunction:
    """A train function for ``scratch.songs.evaluate`` that trains gensim."""

    def train(playlists: list[list[str]], seed: int):
        return train_gensim(playlists, seed=seed, workers=workers, epochs=epochs, **overrides).wv

    return train


def gensim_recommender(data: SongData, seed: int = 1, workers: int = 2, epochs: int = 5) -> SongRecommender:
    """A :class:`SongRecommender` over gensim's vectors (for side-by-side tables)."""
    return SongRecommender(train_gensim(data.playlists, seed=seed, workers=workers, epochs=epochs).wv, data)
