"""gensim's side of the song recommendations: the same settings, as a train function.

``scratch.songs.evaluate`` takes a train function (playlists, seed -> KeyedVectors);
:func:`gensim_trainer` is gensim's, so the hit rate and tag precision of gensim and of
scratch come out of the very same evaluation code. Both train the book's call,
``Word2Vec(playlists, vector_size=32, window=20, negative=50, min_count=1)``: gensim's
default CBOW, ``sg=0`` (``reference.word2vec.train`` would otherwise default to skip-gram).
``BOOK_SETTINGS`` also holds scratch-only keys (``skip_saturated=True``, which makes
scratch copy what gensim does anyway): :data:`GENSIM_SETTINGS` leaves them out.

It also says what a *genre* is in the data set, for judging recommendations
(:data:`GENRE_TAGS`, :func:`genre`, :func:`genre_agreement`).
"""

from __future__ import annotations

from collections.abc import Sequence

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


# Genres among the 250 Last.fm tags of yes_complete/tag_hash.txt, most specific first, each
# with the tags that name it (spellings and sub-genres). The genres and their order are
# scratch.songs.PLOT_GENRES; the song picture (reference.songs_plot) colours by this genre too.
# Left out on purpose: tags that are not genres ("favorites", "love", "male vocalists",
# "80s", "awesome", "chill", "party", "soundtrack", "instrumental" ...). "rock" and "pop" come
# last: nearly every song carries one of them, so they decide only when nothing else does.
GENRE_TAGS: dict[str, tuple[str, ...]] = {
    "metal": ("metal", "heavy metal", "alternative metal"),
    "hard rock": ("hard rock",),
    "rap": ("rap",),
    "hip-hop": ("hip-hop", "hip hop", "hiphop"),
    "rnb": ("rnb", "r&b", "rb", "r and b", "rhythm and blues"),
    "country": ("country", "classic country", "alt-country"),
    "jazz": ("jazz", "smooth jazz", "vocal jazz", "jazz vocal"),
    "christian": ("christian", "christian rock", "gospel", "worship"),
    "latin": ("latin",),
    "dance": ("dance",),
    "classic rock": ("classic rock",),
    "alternative": ("alternative", "alternative rock", "alt rock"),
    "pop": ("pop",),
    "rock": ("rock",),
}


def genres_of(tags: Sequence[str]) -> list[str]:
    """The genres (keys of :data:`GENRE_TAGS`, most specific first) that any of ``tags`` names."""
    carried = set(tags)
    return [name for name, names in GENRE_TAGS.items() if carried.intersection(names)]


def genre(song_id: str, data: SongData) -> str | None:
    """The song's most specific genre, or ``None`` when none of its tags is a genre tag."""
    found = genres_of(data.tags.get(str(song_id), ()))
    return found[0] if found else None


def genre_agreement(song_id: str, recommended: Sequence[str], data: SongData) -> float | None:
    """Share of the ``recommended`` song ids that carry the genre of ``song_id`` (any of
    its tags in :data:`GENRE_TAGS`); ``None`` when the song has no genre or nothing is
    recommended."""
    own = genre(song_id, data)
    if own is None or not recommended:
        return None
    return sum(own in genres_of(data.tags.get(str(r), ())) for r in recommended) / len(recommended)
