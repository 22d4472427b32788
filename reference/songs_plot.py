"""The picture of the song space: the most frequent songs' vectors in 2-D, coloured by genre.

The projection (PCA, by SVD) is computed in ``scratch.songs``; each song's genre is its
most specific genre tag (:func:`reference.songs.genre`, the genres of
``scratch.songs.PLOT_GENRES`` with their other spellings). This module only draws them,
with matplotlib's Agg backend (no display needed), and writes a PNG. The title says which
model made the vectors and how many epochs it trained; each genre has its own colour
(tab10, without its grey, which the untagged songs use) *and* its own marker, so that
neighbouring genres (rap and hip-hop, christian and rock) stay apart even where colours
repeat or are hard to tell apart.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from scratch.songs import PLOT_GENRES, SongData, Vectors, frequent_song_projection

from .songs import genre

# One marker per genre of PLOT_GENRES (14), all different, all filled.
MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*", "<", ">", "p", "h", "8", "d")


def genre_styles() -> dict[str, tuple[tuple[float, ...], str]]:
    """(colour, marker) of each genre of ``PLOT_GENRES``: tab10's colours but its grey, in
    turn, and a marker of its own for every genre, so that no two genres look alike."""
    import matplotlib

    tab10 = matplotlib.colormaps["tab10"]
    colours = [tab10(i) for i in range(10) if i != 7]  # 7 is grey: the untagged songs' colour
    return {name: (colours[i % len(colours)], MARKERS[i]) for i, name in enumerate(PLOT_GENRES)}


def song_figure(vectors: Vectors, data: SongData, count: int = 1000, title: str | None = None,
                model: str = "word2vec", epochs: int | None = None):  # fmt: skip
    """The matplotlib figure of the ``count`` most frequent songs. ``model`` and ``epochs``
    name what made the vectors ("scratch word2vec (CBOW)", 5) for the default title."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys, points, _ = frequent_song_projection(vectors, data, count)
    genres = [genre(key, data) for key in keys]
    shown = Counter(genres)
    figure, axes = plt.subplots(figsize=(9, 7), dpi=120)
    untagged = [i for i, g in enumerate(genres) if g is None]
    axes.scatter(points[untagged, 0], points[untagged, 1], s=6, c="lightgrey", label=f"no genre tag ({len(untagged)})")
    for name, (colour, marker) in genre_styles().items():
        rows = [i for i, g in enumerate(genres) if g == name]
        if rows:
            axes.scatter(points[rows, 0], points[rows, 1], s=14, color=colour, marker=marker,
                         label=f"{name} ({shown[name]})")  # fmt: skip
    axes.set_xlabel("principal component 1")
    axes.set_ylabel("principal component 2")
    trained = f", {epochs} epoch{'' if epochs == 1 else 's'}" if epochs is not None else ""
    axes.set_title(title or f"The {len(keys):,} most played songs: {model} vectors{trained}, projected by PCA",
                   fontsize=10)  # fmt: skip
    axes.legend(fontsize=7, markerscale=1.5, loc="best", title="most specific genre tag", title_fontsize=7)
    figure.tight_layout()
    return figure


def describe_model(trained_by) -> tuple[str, int]:
    """(what made the vectors, epochs trained) of a scratch ``Word2Vec`` (a loaded one too:
    its saved epoch reports count the epochs it trained)."""
    kind = "CBOW" if getattr(trained_by, "sg", 1) == 0 else "skip-gram"
    return f"scratch word2vec ({kind}, {trained_by.vector_size}-d)", len(trained_by.epoch_reports)


def plot_songs(vectors: Vectors, data: SongData, out: str | os.PathLike, count: int = 1000,
               title: str | None = None, model: str = "word2vec", epochs: int | None = None,
               trained_by=None) -> Path:  # fmt: skip
    """Write :func:`song_figure` to ``out`` (PNG); returns the path. ``trained_by``, the
    scratch ``Word2Vec`` that made ``vectors``, names the model and its epochs in the title
    (else ``model`` and ``epochs`` do)."""
    import matplotlib.pyplot as plt

    if trained_by is not None:
        model, epochs = describe_model(trained_by)
    figure = song_figure(vectors, data, count, title, model, epochs)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, format="png")
    plt.close(figure)
    return out
