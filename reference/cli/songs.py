"""`tokemb songs ...`: song recommendations from playlists, from scratch.

    tokemb songs train                 train on the playlists with the book's settings, save the model
    tokemb songs recommend 2172        the 5 songs nearest to "Fade To Black" (after `songs train`)
    tokemb songs recommend "fade to black"              the same song, by its title
    tokemb songs recommend "Billie Jean" --artist jackson   a title several artists share
    tokemb songs evaluate              next-song hit rate and tag precision, scratch beside gensim
    tokemb songs plot --out songs.png  the most frequent songs in 2-D, coloured by genre

The data set is ``yes_complete`` of the data folder (``TOKEMB_DATA``), or ``--data DIR``.
The model is saved under the artifact cache (``songs/word2vec.npz``), or ``--model PATH``.
``recommend`` and ``plot`` use a model that ``songs train`` saved; a missing model is an
error (a mistyped ``--model`` must not start a minute of training and leave a new file
there) unless ``--train-if-missing`` asks for it.

A song is named by its id or by its title: a title that matches one song exactly
(ignoring case) names it, else one that holds the words given (``"fade to"``); several
candidates are listed with their ids and artists (``--artist`` narrows them down).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scratch.english import plural

from .common import CommandLineError, check_output_folder, positive_int, reading


def default_model_path() -> Path:
    from scratch.artifacts import cache_dir

    return cache_dir() / "songs" / "word2vec.npz"


def register(subparsers: argparse._SubParsersAction) -> None:
    songs = subparsers.add_parser("songs", help="recommend songs with word2vec trained on playlists")
    actions = songs.add_subparsers(dest="songs_command", metavar="ACTION", required=True)

    def common(parser: argparse.ArgumentParser, model: bool = True) -> None:
        parser.add_argument("--data", type=Path, default=None,
                            help="the yes_complete folder (default: yes_complete of $TOKEMB_DATA)")  # fmt: skip
        if model:
            parser.add_argument("--model", type=Path, default=None,
                                help=f"the saved model (default: {default_model_path()})")  # fmt: skip

    def uses_model(parser: argparse.ArgumentParser) -> None:
        common(parser)
        parser.add_argument("--train-if-missing", action="store_true",
                            help="train and save the model (about a minute) when there is none yet")  # fmt: skip

    def training(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--epochs", type=positive_int, default=5, help="passes over the playlists")
        parser.add_argument("--workers", type=positive_int, default=2, help="training threads")

    train = actions.add_parser("train", help="train word2vec on the playlists with the book's settings (CBOW, "
                                             "vector_size 32, window 20, negative 50, min_count 1) and save "
                                             "it")  # fmt: skip
    common(train)
    training(train)
    train.add_argument("--seed", type=int, default=1, help="random seed of the initial vectors and the sampling")
    train.set_defaults(func=cmd_train)

    recommend = actions.add_parser("recommend", help="the songs nearest to a song")
    recommend.add_argument("song", metavar="SONG",
                           help='a song id of song_hash.txt (2172) or a title ("Fade To Black"; case does not '
                                "matter, and a part of a title finds the titles holding it)")  # fmt: skip
    recommend.add_argument("--artist", default=None,
                           help="with a title: only songs whose artist holds this text (case does not matter)")
    recommend.add_argument("--topn", type=positive_int, default=5, help="how many songs to recommend")
    uses_model(recommend)
    recommend.set_defaults(func=cmd_recommend)

    evaluate = actions.add_parser("evaluate", help="hit rate at 10 and tag precision at 10, scratch and gensim",
                                  description="Both train the book's CBOW once per seed on all playlists (on two "
                                  "busy cores about 45 s a seed for scratch, 90 s for gensim): use --playlists "
                                  "and --epochs for a quick look.")  # fmt: skip
    common(evaluate, model=False)
    training(evaluate)
    evaluate.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3],
                          help="train once per seed; the results are averaged")  # fmt: skip
    evaluate.add_argument("--playlists", type=positive_int, default=None, help="use only the first N playlists")
    evaluate.add_argument("--tag-queries", type=positive_int, default=2000, help="songs asked for tag precision")
    evaluate.add_argument("--no-reference", action="store_true", help="evaluate scratch only, not gensim")
    evaluate.set_defaults(func=cmd_evaluate)

    plot = actions.add_parser("plot", help="PNG of the most frequent songs' vectors in 2-D (PCA)")
    uses_model(plot)
    plot.add_argument("--out", type=Path, default=Path("songs.png"), help="the PNG file to write")
    plot.add_argument("--count", type=positive_int, default=1000, help="how many of the most frequent songs")
    plot.set_defaults(func=cmd_plot)


def _data(args: argparse.Namespace):
    from scratch.songs import load_songs

    return load_songs(args.data)


def _train_and_save(data, path: Path, seed: int = 1, workers: int = 2, epochs: int = 5):
    from scratch.songs import SongRecommender

    check_output_folder(path, "--model")
    print(f"training word2vec on {len(data.playlists):,} playlists ({data.distinct_songs:,} songs)...",
          file=sys.stderr, flush=True)  # fmt: skip
    recommender = SongRecommender.train(data, seed=seed, workers=workers, epochs=epochs, progress=True)
    recommender.save(path)
    print(f"saved {path}", file=sys.stderr)
    return recommender


def _recommender(args: argparse.Namespace, data):
    """The saved model; a missing one is an error unless ``--train-if-missing`` asks to
    train and save it."""
    from scratch.songs import SongRecommender

    path = args.model or default_model_path()
    if path.is_file():
        with reading(path, "a songs model saved by `tokemb songs train` (.npz)"):
            return SongRecommender.load(path, data)
    if path.exists():
        raise CommandLineError(f"--model {path}: is a folder, not a model file")
    if not args.train_if_missing:
        model = "" if args.model is None else f" --model {path}"
        raise CommandLineError(f"no model at {path}: train it first with `tokemb songs train{model}` "
                               "(about a minute), or add --train-if-missing")  # fmt: skip
    return _train_and_save(data, path)


def cmd_train(args: argparse.Namespace) -> int:
    data = _data(args)
    recommender = _train_and_save(data, args.model or default_model_path(), args.seed, args.workers, args.epochs)
    report = recommender.model.epoch_reports[-1]
    print(f"{len(recommender.wv):,} songs x {recommender.model.vector_size}; last epoch "
          f"{report.words_per_second:,.0f} songs/s, loss {report.loss_per_pair:.4f} per pair")  # fmt: skip
    return 0


def songs_titled(data, title: str, artist: str | None = None) -> list:
    """The songs a title names, ignoring case: those whose title is ``title``, or, when
    none is, those whose title holds it; with ``artist``, only those whose artist holds
    that. In the data set's order (by id)."""
    wanted = title.casefold().strip()
    songs = list(data.songs.values())
    if artist is not None:
        songs = [song for song in songs if artist.casefold().strip() in song.artist.casefold()]
    exact = [song for song in songs if song.title.casefold() == wanted]
    return exact or [song for song in songs if wanted in song.title.casefold()]


MAX_CANDIDATES = 20  # listed when a title is ambiguous


def find_song(data, query: str, artist: str | None = None):
    """The song ``query`` names: an id of the data set (unless ``--artist`` is given), or
    a title (:func:`songs_titled`). None found, or several, is a :class:`CommandLineError`;
    several are listed with their ids and artists."""
    from scratch.songs import format_table

    if query.strip().isdigit() and artist is None:
        return data.song(query.strip())  # a KeyError names an id outside the data set
    found = songs_titled(data, query, artist)
    by = "" if artist is None else f" by an artist matching {artist!r}"
    if not found:
        raise CommandLineError(f"no song titled {query!r} (nor holding it in its title){by} in the data set "
                               f"({len(data.songs):,} songs)")  # fmt: skip
    if len(found) == 1:
        return found[0]
    shown = "\n".join(line.rstrip() for line in format_table(found[:MAX_CANDIDATES]).splitlines())
    more = f"\n... and {len(found) - MAX_CANDIDATES:,} more" if len(found) > MAX_CANDIDATES else ""
    hint = "give the id of one" + ("" if artist else ", or narrow them down with --artist")
    raise CommandLineError(f"{query!r}{by} names {len(found):,} songs; {hint}:\n{shown}{more}")


def cmd_recommend(args: argparse.Namespace) -> int:
    from scratch.songs import format_table, tag_overlap

    data = _data(args)
    try:
        song = find_song(data, args.song, args.artist)
        recommender = _recommender(args, data)
        rows = recommender.recommend(song.id, topn=args.topn)
    except KeyError as exc:
        print(f"tokemb: error: {exc.args[0]}", file=sys.stderr)
        return 1
    print(f'Songs like "{song.title}" by {song.artist} (id {song.id}):\n')
    if not rows:  # the model knows no other song: no table, and no share of nothing
        print("The model has no other songs to recommend.")
        return 0
    print(format_table(rows))
    if song.id in data.tags:
        print(f"\n{tag_overlap(song.id, rows, data):.0%} of them share a Last.fm tag with it.")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from scratch.songs import evaluate, scratch_trainer, subset

    data = _data(args)
    if args.playlists:
        data = subset(data, args.playlists)
    print(f"{len(data.playlists):,} playlists; the last song of 10% held out; seeds {args.seeds}; "
          f"{plural(args.epochs, 'epoch')}, {plural(args.workers, 'worker')}", flush=True)  # fmt: skip
    settings = dict(seeds=args.seeds, tag_queries=args.tag_queries, report=print)
    results = [evaluate("scratch", scratch_trainer(args.workers, args.epochs), data, **settings)]
    if not args.no_reference:
        from reference.songs import gensim_trainer

        results.append(evaluate("gensim", gensim_trainer(args.workers, args.epochs), data, **settings))
    print()
    for result in results:
        print(result.summary())
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    from reference.songs_plot import plot_songs

    check_output_folder(args.out, "--out")
    data = _data(args)
    recommender = _recommender(args, data)
    path = plot_songs(recommender.wv, data, args.out, count=args.count, trained_by=recommender.model)
    print(f"wrote {path}: the {min(args.count, len(recommender.wv)):,} most frequent songs")
    return 0
