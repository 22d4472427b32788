"""Walkthrough section: embeddings for recommendation systems, songs from playlists.

The chapter's finale: each playlist is a sentence, each song a word. Scratch's word2vec
and gensim's train with the book's settings on the same playlists, and each recommends
songs like the book's three examples. The data set comes from the data folder
(``TOKEMB_DATA``); without it the section says where to get it.

Both train the book's call, ``Word2Vec(playlists, vector_size=32, window=20, negative=50,
min_count=1)``, which is gensim's default CBOW (``sg=0``) for gensim's default 5 epochs.
That makes this the walkthrough's longest section: measured on two cores shared with other
work (load 4.5), scratch 117 s and gensim 113 s, about 4 minutes in all (one epoch, which
earlier versions trained, left "Billie Jean" beside a jazz saxophonist).

Recommendations are judged by *genre*: the share of the five recommended songs that carry
the asked song's most specific genre tag (:data:`reference.songs.GENRE_TAGS`), not any
tag, since Last.fm's tags include "favorites" and "love", which nearly every song shares.
"""

from __future__ import annotations

import time
from typing import TextIO

from scratch.english import plural

EPOCHS = 5  # the book's: gensim's default, which the book's call leaves as it is
TOPN = 5


def songs(out: TextIO) -> None:
    from reference.songs import GENRE_TAGS, genre, genre_agreement, genres_of, train_gensim
    from scratch.data import DataNotFoundError
    from scratch.songs import (BOOK_SETTINGS, BOOK_SONGS, Song, SongRecommender, digits_to_tell_apart, format_table,
                               load_songs)

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
              "window=20,\nnegative=50, min_count=1), is gensim's default CBOW (sg=0) for gensim's default "
              f"{plural(EPOCHS, 'epoch')}:\neach song is predicted from the mean of the songs around it. "
              "Scratch and gensim run exactly that\n(skip_saturated=True: scratch, as gensim does, skips the update "
              "of a song whose score is beyond +-6).\nThis takes a few minutes (measured: about 2 per model on "
              "two busy cores).\n")  # fmt: skip
    started = time.perf_counter()
    scratch = SongRecommender.train(data, seed=1, workers=2, epochs=EPOCHS)
    scratch_seconds = time.perf_counter() - started
    started = time.perf_counter()
    gensim = SongRecommender(train_gensim(data.playlists, seed=1, workers=2, epochs=EPOCHS).wv, data)
    gensim_seconds = time.perf_counter() - started
    out.write(f"  scratch {scratch_seconds:.1f} s, gensim {gensim_seconds:.1f} s\n")

    out.write("\nA song's genre is its most specific genre tag, in this order: " + ", ".join(GENRE_TAGS) + ";\n"
              "spellings and sub-genres such as r&b, hip hop, smooth jazz count as their genre\n"
              "(reference.songs.GENRE_TAGS). 'Genre agreement' is the share of the recommendations that\n"
              "carry the asked song's genre among their tags; the table says yes, or no and the song's own genre.\n")
    for song_id in BOOK_SONGS:
        song = data.song(song_id)
        own = genre(song_id, data)
        others = ", ".join(genres_of(data.tags.get(song_id, ()))[1:]) or "none"
        out.write(f'\nSongs like "{song.title}" by {song.artist} (id {song_id}; genre {own or "none"}; '
                  f"other genre tags: {others}):\n")  # fmt: skip
        for name, recommender in (("scratch", scratch), ("gensim", gensim)):
            rows = recommender.recommend(song_id, topn=TOPN)
            agreement = genre_agreement(song_id, [row.id for row in rows], data)
            share = "n/a (no genre tag)" if agreement is None else f"{agreement:.0%}"
            out.write(f"  {name}: genre agreement {share}\n")
            head, *lines = format_table([Song(row.id, row.title, row.artist) for row in rows]).splitlines()
            digits = digits_to_tell_apart([row.score for row in rows], least=6)
            out.write(f"    {head}  {(own or 'genre') + '?':<16}  cosine\n")
            for line, row in zip(lines, rows):
                carries = own is not None and own in genres_of(data.tags.get(row.id, ()))
                verdict = "yes" if carries else f"no ({genre(row.id, data) or 'none'})"
                out.write(f"    {line}  {verdict:<16}  {row.score:.{digits}f}\n")
    out.write("\nWith window 20 and 50 noise songs the vectors of songs played together end up nearly\n"
              "parallel, so cosines sit close to 1 and differ in the third decimal or later.\n"
              "The two models start from different random streams, so their neighbours differ song by song;\n"
              "whether they are equally good is measured on held-out playlists by `tokemb songs evaluate`\n"
              "(next-song hit rate and tag precision, scratch beside gensim) and benchmarks/songs.py;\n"
              "`tokemb songs plot` draws the song space.\n")  # fmt: skip
