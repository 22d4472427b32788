"""The picture of the songs: their vectors projected to two dimensions, coloured by genre.

:func:`frequent_song_projection` gives the points (PCA by SVD, :func:`pca_2d`) and each
song's genre; ``reference.songs_plot`` draws them with matplotlib.
"""

from __future__ import annotations

import numpy as np

from .data import SongData
from .recommender import Vectors


def most_frequent_songs(vectors: Vectors, count: int) -> list[str]:
    """The ``count`` most frequent songs: the first keys, since word2vec orders its vocabulary by count."""
    return list(vectors.index_to_key[:count])


def pca_2d(vectors: np.ndarray) -> np.ndarray:
    """Project rows onto their first two principal components (SVD of the centred matrix).

    Signs are fixed so that the largest coordinate of each component is positive, which
    makes the picture the same from run to run of the SVD.
    """
    centred = np.asarray(vectors, dtype=np.float64) - np.mean(vectors, axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:2]
    signs = np.sign(components[np.arange(2), np.argmax(np.abs(components), axis=1)])
    return centred @ (components * signs[:, None]).T


def frequent_song_projection(vectors: Vectors, data: SongData, count: int = 1000):
    """(song ids, 2-D points, top tags) of the ``count`` most frequent songs, for the picture."""
    keys = most_frequent_songs(vectors, count)
    index = {key: i for i, key in enumerate(vectors.index_to_key)}
    points = pca_2d(vectors.vectors[[index[key] for key in keys]])
    return keys, points, [data.top_tag(key) for key in keys]
