"""Walkthrough section: embeddings for recommendation systems, songs from playlists.

The chapter's finale: each playlist is a sentence, each song a word. Scratch's word2vec
and gensim's train with the book's settings on the same playlists, and each recommends
songs like the book's three examples. The data set comes from the data folder
(``TOKEMB_DATA``); without it the section says where to get it.

Both train the book's call, gensim's default CBOW (``sg=0``), on all playlists for one
epoch: about 30 s for the whole section on two busy cores (measured: scratch 12 s, gensim
16 to 23 s). ``tokemb songs train`` trains for the book's five epochs.
"""

from __future__ import annotations

import time
from typing import TextIO

EPOCHS = 1  # the book's five epochs take about five times as long; `tokemb songs train` runs them


def songs(out: TextIO) -> None:
    from reference.songs import train_gensim
    from scratch.data import DataNotFoundError
    from scratch.songs import BOOK_SETTINGS, BOOK_SONGS, SongRecommender, format_table, load_songs, tag_overlap

    try:
        data = load_songs()
    except DataNotFoundError as exc:
        out.write(f"This section needs the playlist data set, which is not here:\n  {exc}\n")
        return
    out.write(f"The yes_complete playlists (radio stations' playlists from Yes.com, tags from Last.fm):\n"
              f"{len(data.playlists):,} playlists of more than one song, {data.distinct_songs:,} distinct songs, "
              f"{len(data.tags):,} songs with tags.\n"
              f"Each playlist is a sentence and each song id a word; the first playlist starts "
              f"{' '.join(data.playlists[0][:8])} ...\n\n")  # fmt: skip
    settings = ", ".join(f"{k}={v}" for k, v in BOOK_SETTINGS.items())
    out.write(f"Training word2vec with the book's settings ({settings}, epochs={EPOCHS}, workers=2)\n"
              f"on all {len(data.playlists):,} playlists. The book's call, Word2Vec(playlists, vector_size=32, "
              "window=20,\nnegative=50, min_count=1), is gensim's default CBOW (sg=0): each song is predicted from "
              "the mean\nof the songs around it. Scratch and gensim run exactly that (skip_saturated=True: scratch, as "
              "gensim does,\nskips the update of a song whose score is beyond +-6); `tokemb songs train` runs the "
              "book's 5 epochs.\n")  # fmt: skip
    started = time.perf_counter()
    scratch = SongRecommender.train(data, seed=1, workers=2, epochs=EPOCHS)
    scratch_seconds = time.perf_counter() - started
    started = time.perf_counter()
    gensim = SongRecommender(train_gensim(data.playlists, seed=1, workers=2, epochs=EPOCHS).wv, data)
    gensim_seconds = time.perf_counter() - started
    out.write(f"  scratch {scratch_seconds:.1f} s, gensim {gensim_seconds:.1f} s\n")

    for song_id in BOOK_SONGS:
        song = data.song(song_id)
        tags = ", ".join(data.tags.get(song_id, ())[:6]) or "no tags"
        out.write(f'\nSongs like "{song.title}" by {song.artist} (id {song_id}; tags: {tags}):\n')
        for name, recommender in (("scratch", scratch), ("gensim", gensim)):
            rows = recommender.recommend(song_id, topn=5)
            out.write(f"  {name}, {tag_overlap(song_id, rows, data):.0%} of them share a tag with it:\n")
            out.write("".join(f"    {line}\n" for line in format_table(rows).splitlines()))
    out.write("\nThe two models start from different random streams, so their neighbours differ song by song;\n"
              "whether they are equally good is measured on held-out playlists by `tokemb songs evaluate`\n"
              "(next-song hit rate and tag precision, scratch beside gensim) and benchmarks/songs.py;\n"
              "`tokemb songs plot` draws the song space.\n")  # fmt: skip
