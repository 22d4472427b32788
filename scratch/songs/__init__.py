"""Song recommendations from playlists: the chapter's finale, from scratch.

Each playlist is a sentence and each song a word: word2vec (CBOW, as in the book) learns
a vector per song from the songs played near it, and the songs nearest to a song's vector are
its recommendations (Hands-On Large Language Models, chapter 2, "Embeddings for
recommendation systems"). Four modules, one concept each:

* :mod:`.data`: the ``yes_complete`` playlists of Shuo Chen (Cornell; radio playlists
  from Yes.com, tags from Last.fm), read in their own formats (:func:`load_songs`,
  :class:`SongData`, :class:`DataFormatError`);
* :mod:`.recommender`: :class:`SongRecommender` over scratch's ``Word2Vec`` with the
  book's settings (:data:`BOOK_SETTINGS`, gensim's training of the book's call by
  default), and the tables it prints (:func:`format_table`);
* :mod:`.evaluation`: :func:`evaluate` takes a *train function* (playlists, seed ->
  vectors), so the very same code scores scratch and gensim: next-song hit rate at 10 on
  held-out playlist endings, and tag precision at 10, over several seeds;
* :mod:`.picture`: :func:`pca_2d` projects vectors to two dimensions (the plot itself is
  drawn by ``reference.songs_plot``, with matplotlib).

The names below are importable from ``scratch.songs`` itself.
"""

from __future__ import annotations

from .data import (
    DATASET,
    FILES,
    PLOT_GENRES,
    DataFormatError,
    Song,
    SongData,
    load_songs,
    read_playlists,
    read_song_hash,
    read_tag_hash,
    read_tags,
    subset,
)
from .evaluation import (
    Evaluation,
    SeedResult,
    TrainFunction,
    agreement_bound,
    evaluate,
    hit_rate,
    nearest_neighbours,
    scratch_trainer,
    split_last_songs,
    tag_overlap,
    tag_precision,
)
from .picture import frequent_song_projection, most_frequent_songs, pca_2d
from .recommender import (
    BOOK_SETTINGS,
    BOOK_SONGS,
    SCRATCH_ONLY,
    Recommendation,
    SongRecommender,
    Vectors,
    digits_to_tell_apart,
    format_table,
    train_word2vec,
)

__all__ = [
    "BOOK_SETTINGS", "BOOK_SONGS", "DATASET", "FILES", "PLOT_GENRES", "SCRATCH_ONLY", "DataFormatError",
    "Evaluation", "Recommendation", "SeedResult", "Song", "SongData", "SongRecommender", "TrainFunction", "Vectors",
    "agreement_bound", "digits_to_tell_apart", "evaluate", "format_table", "frequent_song_projection", "hit_rate",
    "load_songs", "most_frequent_songs", "nearest_neighbours", "pca_2d", "read_playlists", "read_song_hash",
    "read_tag_hash", "read_tags", "scratch_trainer", "split_last_songs", "subset", "tag_overlap", "tag_precision",
    "train_word2vec",
]  # fmt: skip
