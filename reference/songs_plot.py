"""The picture of the song space: the most frequent songs' vectors in 2-D, coloured by genre.

The projection (PCA, by SVD) and the genre ("top tag") of each song are computed in
``scratch.songs``; this module only draws them, with matplotlib's Agg backend (no
display needed), and writes a PNG.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from scratch.songs import PLOT_GENRES, SongData, Vectors, frequent_song_projection


def plot_songs(vectors: Vectors, data: SongData, out: str | os.PathLike, count: int = 1000,
               title: str | None = None) -> Path:  # fmt: skip
    """Write a scatter plot of the ``count`` most frequent songs to ``out`` (PNG); returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys, points, genres = frequent_song_projection(vectors, data, count)
    shown = Counter(genres)
    figure, axes = plt.subplots(figsize=(9, 7), dpi=120)
    untagged = [i for i, genre in enumerate(genres) if genre is None]
    axes.scatter(points[untagged, 0], points[untagged, 1], s=6, c="lightgrey", label=f"no genre tag ({len(untagged)})")
    colours = plt.get_cmap("tab20")
    for number, genre in enumerate(PLOT_GENRES):
        rows = [i for i, g in enumerate(genres) if g == genre]
        if rows:
            axes.scatter(points[rows, 0], points[rows, 1], s=9, color=colours(number),
                         label=f"{genre} ({shown[genre]})")  # fmt: skip
    axes.set_xlabel("principal component 1")
    axes.set_ylabel("principal component 2")
    axes.set_title(title or f"The {len(keys):,} most played songs, word2vec vectors projected by PCA")
    axes.legend(fontsize=7, markerscale=2, loc="best", title="most specific genre tag", title_fontsize=7)
    figure.tight_layout()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, format="png")
    plt.close(figure)
    return out
