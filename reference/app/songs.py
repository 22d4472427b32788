"""The playground's Songs page: a song's recommendations from word2vec trained on playlists
(the chapter's last section), as ``tokemb songs recommend`` gives them.

The playlists are the ``yes_complete`` data set of the data folder (``TOKEMB_DATA``); the
model is the one ``tokemb songs train`` saved (or any path typed on the page). Without
the data, or without a model, the page says what is missing and how to get it; the
"Train" button trains the book's model (about a minute) and saves it atomically there.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

from .tokens import message_html


@functools.lru_cache(maxsize=1)
def song_data():
    from scratch.songs import load_songs

    return load_songs()


def default_model() -> str:
    from ..cli.songs import default_model_path

    return str(default_model_path())


def _data_or_message():
    from scratch.errors import TokembError

    from ..cli.common import describe

    try:
        return song_data(), None
    except (TokembError, OSError) as exc:
        return None, message_html(f"the playlist data is not here: {describe(exc)}")


def recommend_page(query: str, topn: int = 5, model_path: str = "", progress=None) -> str:
    """The songs nearest to the song ``query`` names (an id or a title), as a table."""
    from scratch.errors import TokembError
    from scratch.songs import SongRecommender, tag_overlap

    from ..cli.common import describe, reading
    from ..cli.songs import find_song

    if not query.strip():
        return message_html("type a song title (or a part of one) or its id")
    if progress is not None:
        progress(0.1, "reading the playlists")
    data, problem = _data_or_message()
    if problem:
        return problem
    path = Path(model_path.strip() or default_model()).expanduser()
    if not path.is_file():
        return message_html(f"no songs model at {path}: train it with `tokemb songs train` (about a minute) "
                            "or with the Train button below")  # fmt: skip
    try:
        song = find_song(data, query)
        with reading(path, "a songs model saved by `tokemb songs train` (.npz)"):
            recommender = SongRecommender.load(path, data)
        rows = recommender.recommend(song.id, topn=max(1, min(int(topn), 50)))
    except (TokembError, OSError, KeyError, ValueError) as exc:
        return message_html(describe(exc))
    body = "".join(f"<tr class='song' data-id='{row.id}'><td>{n}</td><td>{html.escape(row.title)}</td>"
                   f"<td>{html.escape(row.artist)}</td><td>{row.score:.4f}</td></tr>"
                   for n, row in enumerate(rows, 1))  # fmt: skip
    shared = ""
    if song.id in data.tags and rows:
        shared = f"<p>{tag_overlap(song.id, rows, data):.0%} of them share a Last.fm tag with it.</p>"
    return (f"<div class='tokemb-songs'><p>Songs like <b>{html.escape(song.title)}</b> by "
            f"{html.escape(song.artist)} (id {song.id}):</p><table><thead><tr><th>#</th><th>title</th>"
            f"<th>artist</th><th>similarity</th></tr></thead><tbody>{body}</tbody></table>{shared}</div>")  # fmt: skip


def train_page(model_path: str = "", progress=None) -> str:
    """Train the book's model on all playlists and save it at ``model_path``."""
    from scratch.songs import SongRecommender

    from ..cli.common import describe

    data, problem = _data_or_message()
    if problem:
        return problem
    path = Path(model_path.strip() or default_model()).expanduser()
    if path.is_dir():
        return message_html(f"{path} is a folder: give the model file to write (.npz)")
    if progress is not None:
        progress(0.2, f"training word2vec on {len(data.playlists):,} playlists (about a minute)")
    recommender = SongRecommender.train(data)
    try:
        recommender.save(path)
    except OSError as exc:
        return message_html(describe(exc))
    return f"<p class='tokemb-songs'>saved {html.escape(str(path))}</p>"
