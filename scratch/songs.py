"""Song recommendations from playlists: the chapter's finale, from scratch.

Each playlist is a sentence and each song a word: word2vec (CBOW, as in the book) learns
a vector per song from the songs played near it, and the songs nearest to a song's vector are
its recommendations (Hands-On Large Language Models, chapter 2, "Embeddings for
recommendation systems").

* **Data**: the ``yes_complete`` playlists of Shuo Chen (Cornell; radio playlists from
  Yes.com, tags from Last.fm), read in their own formats by :func:`load_songs`.
  Playlists of a single song are dropped, as the book does
  (``[s.rstrip().split() for s in lines if len(s.split()) > 1]``). Songs are words as
  strings: the song id as ``str``.
* **Model**: :class:`SongRecommender` over scratch's ``Word2Vec`` with the book's settings
  (:data:`BOOK_SETTINGS`). The book calls ``Word2Vec(playlists, vector_size=32,
  window=20, negative=50, min_count=1)``, which in gensim is CBOW (``sg=0``, gensim's
  default; scratch's default is skip-gram, so ``sg=0`` is spelled out), with the mean
  of the context vectors (``cbow_mean=1``). By default the recommender reproduces what
  gensim does with that call, including gensim's rule of leaving an output song out of
  the update when its score is beyond +-6 (``MAX_EXP`` in ``word2vec_inner.pyx``):
  ``skip_saturated=True``, a scratch-only setting that gensim is never given
  (:data:`SCRATCH_ONLY`). With window 20 and 50 noise songs many scores saturate, and
  the rule changes what is learned. The exact-sigmoid variant (word2vec.c's behaviour)
  is offered as ``skip_saturated=False`` (``SongRecommender.train(data,
  skip_saturated=False)``, ``scratch_trainer(skip_saturated=False)``); it measured
  better tag precision than gensim's rule (``benchmarks/results/songs.md``).
* **Evaluation**: :func:`evaluate` takes a *train function* (playlists, seed -> vectors),
  so the very same code scores scratch and gensim: next-song hit rate at 10 on held-out
  playlist endings, and tag precision at 10, over several seeds.
* **Picture**: :func:`pca_2d` projects vectors to two dimensions (the plot itself is drawn
  by ``reference.songs_plot``, with matplotlib).
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

import numpy as np

from .data import data_path
from .word2vec import Word2Vec
from .errors import TokembError

# The book's call as gensim runs it, for scratch: the call leaves gensim's default CBOW on
# (sg=0, cbow_mean=1), which scratch must be told, since its own default is skip-gram (sg=1);
# skip_saturated=True copies gensim's rule of skipping the update of an output word whose
# score is beyond +-6 (scratch's own default, False, is the exact sigmoid of word2vec.c).
BOOK_SETTINGS = dict(vector_size=32, window=20, negative=50, min_count=1, sg=0, cbow_mean=1, skip_saturated=True)
# Keys of BOOK_SETTINGS that only scratch's Word2Vec takes: gensim's adapter leaves them out.
SCRATCH_ONLY = ("skip_saturated",)
# The book's examples: "Fade To Black" (Metallica), "Billie Jean" (Michael Jackson),
# "California Love" (2Pac).
BOOK_SONGS = ("2172", "3822", "842")
DATASET = "yes_complete"
FILES = ("train.txt", "song_hash.txt", "tags.txt", "tag_hash.txt")
# Broad genre tags of tag_hash.txt, most specific first: a song's "top tag" in the picture.
PLOT_GENRES = ("metal", "hard rock", "rap", "hip-hop", "rnb", "country", "jazz", "christian", "latin", "dance",
               "classic rock", "alternative", "pop", "rock")  # fmt: skip


class DataFormatError(TokembError, ValueError):
    """A data file does not have the expected format; the message names the file and line."""

    def __init__(self, path: str | os.PathLike, line: int | None, problem: str):
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.problem = Path(path), line, problem


# ------------------------------------------------------------------------------ data
class Song(NamedTuple):
    id: str
    title: str
    artist: str


@dataclass
class SongData:
    """The data set: playlists (lists of song ids as str), songs by id, tags by song id."""

    playlists: list[list[str]]
    songs: dict[str, Song]
    tags: dict[str, tuple[str, ...]]  # song id -> tag names; songs without tags are absent
    tag_names: list[str]
    folder: Path | None = None

    @property
    def distinct_songs(self) -> int:
        """How many different songs the playlists hold."""
        return len({song for playlist in self.playlists for song in playlist})

    def song(self, song_id: str | int) -> Song:
        key = str(song_id)
        if key not in self.songs:
            raise KeyError(f"song {key!r} is not in the data set ({len(self.songs):,} songs, ids 0 to "
                           f"{len(self.songs) - 1})")  # fmt: skip
        return self.songs[key]

    def tag_frequencies(self) -> Counter:
        """How many songs carry each tag."""
        return Counter(tag for tags in self.tags.values() for tag in tags)

    def top_tag(self, song_id: str, genres: Sequence[str] | None = None) -> str | None:
        """The first of ``genres`` (default :data:`PLOT_GENRES`, most specific first) that the song
        carries, or None. Last.fm's tags mix genres with "favorites" and "love", and nearly
        every song is "rock" or "pop", so the picture colours by the most specific genre."""
        tags = set(self.tags.get(str(song_id), ()))
        return next((genre for genre in (genres or PLOT_GENRES) if genre in tags), None)


def _lines(path: Path):
    """(line number, text without its line end) for each line of a UTF-8 file."""
    with open(path, encoding="utf-8", newline="\n") as handle:
        for number, line in enumerate(handle, start=1):
            yield number, line.rstrip("\r\n")


def _integers(path: Path, number: int, fields: list[str], what: str) -> list[int]:
    """The fields as non-negative integers (plain ASCII digits), or an error naming the first bad one."""
    for text in fields:
        if not (text.isascii() and text.isdigit()):
            raise DataFormatError(path, number, f"{what}: {text[:40]!r} is not a non-negative integer")
    return [int(text) for text in fields]


def read_playlists(path: str | os.PathLike, min_songs: int = 2) -> list[list[str]]:
    """The playlists of ``train.txt``, each a list of song ids (as str).

    The format (the data set's README): line 1 holds the songs' external ids, line 2 how
    often each appears; from line 3, one playlist a line, song ids separated by spaces
    (each line ends with a space). Playlists with fewer than ``min_songs`` songs are
    dropped (the book keeps those with more than one); empty lines are skipped.
    """
    path = Path(path)
    playlists: list[list[str]] = []
    header: list[int] = []
    for number, line in _lines(path):
        fields = line.split()
        if number == 1:
            header.append(len(fields))
            continue
        if number == 2:
            _integers(path, number, fields, "header line 2 (appearance counts)")
            if len(fields) != header[0]:
                raise DataFormatError(path, number, f"header line 2 has {len(fields)} counts but line 1 has "
                                                    f"{header[0]} song ids")  # fmt: skip
            header.append(len(fields))
            continue
        _integers(path, number, fields, "playlist")
        if len(fields) >= min_songs:
            playlists.append(fields)
    if len(header) < 2:
        raise DataFormatError(path, None, "expected two header lines (song ids, appearance counts) before the "
                                          "playlists; the file is too short")  # fmt: skip
    return playlists


def read_song_hash(path: str | os.PathLike) -> dict[str, Song]:
    """``song_hash.txt``: one song a line, ``id<TAB>title<TAB>artist``; line ``n`` is song ``n - 1``.

    The id has a trailing space in the real file (``"2172 \\tFade To Black\\tMetallica"``),
    which is ignored; ``\\/`` in titles (a JSON escape left by the crawl) is shown as ``/``.
    """
    path = Path(path)
    songs: dict[str, Song] = {}
    for number, line in _lines(path):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise DataFormatError(path, number, f"expected 'id<TAB>title<TAB>artist', got {len(fields)} "
                                                f"tab-separated fields in {line[:60]!r}")  # fmt: skip
        (song_id,) = _integers(path, number, [fields[0].strip() or "?"], "song id")
        if song_id != len(songs):
            raise DataFormatError(path, number, f"song ids must count up from 0 one a line: expected "
                                                f"{len(songs)}, got {song_id}")  # fmt: skip
        title, artist = (text.strip().replace("\\/", "/") for text in fields[1:])
        songs[str(song_id)] = Song(str(song_id), title, artist)
    return songs


def read_tag_hash(path: str | os.PathLike) -> list[str]:
    """``tag_hash.txt``: ``id, name`` a line, ids counting up from 0; returns the names by id."""
    path = Path(path)
    names: list[str] = []
    for number, line in _lines(path):
        if not line.strip():
            continue
        tag_id, comma, name = line.partition(",")
        if not comma or not name.strip():
            raise DataFormatError(path, number, f"expected 'id, name', got {line[:60]!r}")
        (value,) = _integers(path, number, [tag_id.strip() or "?"], "tag id")
        if value != len(names):
            raise DataFormatError(path, number, f"tag ids must count up from 0: expected {len(names)}, got {value}")
        names.append(name.strip())
    return names


def read_tags(path: str | os.PathLike, tag_names: Sequence[str], song_count: int) -> dict[str, tuple[str, ...]]:
    """``tags.txt``: line ``n`` holds the tag ids of song ``n - 1`` separated by spaces, or ``#``.

    It must have one line per song of ``song_hash.txt``. Returns tag names by song id,
    for tagged songs only.
    """
    path = Path(path)
    tags: dict[str, tuple[str, ...]] = {}
    lines = 0
    for number, line in _lines(path):
        lines = number
        if line.strip() == "#":
            continue
        ids = _integers(path, number, line.split(), "tags")
        unknown = [i for i in ids if i >= len(tag_names)]
        if unknown:
            raise DataFormatError(path, number, f"tag id {unknown[0]} is not in tag_hash.txt "
                                                f"({len(tag_names)} tags)")  # fmt: skip
        if ids:
            tags[str(number - 1)] = tuple(tag_names[i] for i in ids)
    if lines != song_count:
        raise DataFormatError(path, None, f"has {lines} lines but song_hash.txt has {song_count} songs; "
                                          "there must be one line of tags (or '#') per song")  # fmt: skip
    return tags


def load_songs(folder: str | os.PathLike | None = None, min_songs: int = 2) -> SongData:
    """Read the whole data set from ``folder`` (default: ``yes_complete`` of the data folder).

    Raises :class:`scratch.data.DataNotFoundError` (saying where to get it) when a file is
    missing, :class:`DataFormatError` (naming file and line) when one is malformed, also
    when a playlist names a song that ``song_hash.txt`` does not have.
    """
    if folder is None:
        paths = {name: data_path(DATASET, name) for name in FILES}
        folder = paths["train.txt"].parent
    else:
        folder = Path(folder)
        paths = {name: folder / name for name in FILES}
        missing = [p for p in paths.values() if not p.exists()]
        if missing:
            from .data import DataNotFoundError

            raise DataNotFoundError(f"{missing[0]} not found: {folder} should hold {', '.join(FILES)}")
    songs = read_song_hash(paths["song_hash.txt"])
    tag_names = read_tag_hash(paths["tag_hash.txt"])
    tags = read_tags(paths["tags.txt"], tag_names, len(songs))
    playlists = read_playlists(paths["train.txt"], min_songs)
    for index, playlist in enumerate(playlists):
        unknown = next((song for song in playlist if song not in songs), None)
        if unknown is not None:
            line = _playlist_line(paths["train.txt"], playlist)
            raise DataFormatError(paths["train.txt"], line, f"song {unknown} is not in song_hash.txt "
                                                            f"({len(songs)} songs)")  # fmt: skip
    return SongData(playlists, songs, tags, tag_names, folder)


def _playlist_line(path: Path, playlist: list[str]) -> int | None:
    """The line of ``path`` that holds ``playlist`` (only for error messages)."""
    for number, line in _lines(path):
        if number > 2 and line.split() == playlist:
            return number
    return None


# ------------------------------------------------------------------- recommending
class Recommendation(NamedTuple):
    id: str
    title: str
    artist: str
    score: float


class Vectors(Protocol):
    """What evaluation and recommendation need from trained vectors (scratch's or gensim's KeyedVectors)."""

    index_to_key: list[str]
    vectors: np.ndarray

    def most_similar(self, positive, topn: int = 10): ...


def train_word2vec(playlists: list[list[str]], seed: int = 1, workers: int = 2, epochs: int = 5,
                   **overrides) -> Word2Vec:  # fmt: skip
    """Scratch ``Word2Vec`` on the playlists with :data:`BOOK_SETTINGS` (``overrides`` win).

    The default reproduces gensim's training of the book's call; ``skip_saturated=False``
    trains the exact-sigmoid variant.
    """
    return Word2Vec(playlists, **{**BOOK_SETTINGS, "seed": seed, "workers": workers, "epochs": epochs, **overrides})


class SongRecommender:
    """Recommend songs by the nearest neighbours of their vectors (cosine similarity).

    ``wv`` is any KeyedVectors keyed by song id: scratch's, or gensim's for comparison.
    ``model`` is the scratch ``Word2Vec`` it came from, kept for :meth:`save`.
    :meth:`train` reproduces gensim's training of the book's call by default;
    ``train(data, skip_saturated=False)`` trains the exact-sigmoid variant.
    """

    def __init__(self, wv: Vectors, data: SongData, model: Word2Vec | None = None):
        self.wv, self.data, self.model = wv, data, model

    @classmethod
    def train(cls, data: SongData, seed: int = 1, workers: int = 2, epochs: int = 5, **overrides) -> SongRecommender:
        model = train_word2vec(data.playlists, seed=seed, workers=workers, epochs=epochs, **overrides)
        return cls(model.wv, data, model)

    def save(self, path: str | os.PathLike) -> None:
        """Save the trained scratch model (``.npz``); the song titles stay in the data folder."""
        if self.model is None:
            raise RuntimeError("only a recommender trained from scratch (with a model) can be saved")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.model.save(path)

    @classmethod
    def load(cls, path: str | os.PathLike, data: SongData) -> SongRecommender:
        model = Word2Vec.load(path)
        return cls(model.wv, data, model)

    def recommend(self, song_id: str | int, topn: int = 5) -> list[Recommendation]:
        """The ``topn`` songs nearest to ``song_id``: the book's ``model.wv.most_similar(positive=str(song_id))``,
        joined with titles and artists. An unknown or untrained song raises ``KeyError`` naming it."""
        key = str(song_id)
        self.data.song(key)  # KeyError if the data set does not have it
        if key not in self.wv:
            raise KeyError(f"song {key!r} has no vector: it is in no playlist the model was trained on")
        rows = []
        for neighbour, score in self.wv.most_similar(positive=key, topn=topn):
            song = self.data.song(neighbour)
            rows.append(Recommendation(song.id, song.title, song.artist, float(score)))
        return rows


def digits_to_tell_apart(scores: Sequence[float], least: int = 4, most: int = 9) -> int:
    """Decimals enough to print different scores differently (at least ``least``, at most
    ``most``): with the book's window and noise count, cosines crowd just below 1, and
    four decimals would print 0.9999 for all of them."""
    distinct = len(set(scores))
    return next((d for d in range(least, most) if len({f"{s:.{d}f}" for s in scores}) == distinct), most)


def format_table(rows: Sequence[Recommendation | Song], title_width: int = 40, artist_width: int = 28) -> str:
    """A plain-text table of id, title, artist (and score, for recommendations, with
    :func:`digits_to_tell_apart` decimals)."""
    scored = bool(rows) and isinstance(rows[0], Recommendation)
    digits = digits_to_tell_apart([row.score for row in rows]) if scored else 0
    head = f"{'id':>6}  {'title':<{title_width}}  {'artist':<{artist_width}}" + ("  score" if scored else "")
    lines = [head]
    for row in rows:
        title, artist = _cut(row.title, title_width), _cut(row.artist, artist_width)
        line = f"{row.id:>6}  {title:<{title_width}}  {artist:<{artist_width}}"
        lines.append(line + (f"  {row.score:.{digits}f}" if scored else ""))
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------- evaluation
def nearest_neighbours(vectors: np.ndarray, rows: np.ndarray, topn: int, batch: int = 512) -> np.ndarray:
    """For each row index in ``rows``, the ``topn`` other rows of highest cosine similarity, best first.

    The batched form of ``most_similar(key, topn)``: the query itself is left out, as
    gensim leaves out the positive keys (ties may come in another order).
    """
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = (vectors / np.where(norms > 0, norms, 1)).astype(np.float32)
    rows = np.asarray(rows, dtype=np.int64)
    result = np.empty((len(rows), topn), dtype=np.int64)
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        scores = unit[chunk] @ unit.T
        scores[np.arange(len(chunk)), chunk] = -np.inf
        best = np.argpartition(-scores, topn, axis=1)[:, :topn]
        order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1, kind="stable")
        result[start : start + len(chunk)] = np.take_along_axis(best, order, axis=1)
    return result


def split_last_songs(playlists: list[list[str]], seed: int, share: float = 0.1):
    """Hold out the last song of a random ``share`` of the playlists.

    Returns (training playlists, held-out (previous song, last song) pairs). The chosen
    playlists stay in training without their last song (dropped if one song is left).
    The choice is ``np.random.default_rng(seed)``'s, so scratch and gensim get the same split.
    """
    chosen = np.random.default_rng(seed).choice(len(playlists), size=round(share * len(playlists)), replace=False)
    held = set(chosen.tolist())
    training, pairs = [], []
    for index, playlist in enumerate(playlists):
        if index in held:
            pairs.append((playlist[-2], playlist[-1]))
            playlist = playlist[:-1]
        if len(playlist) > 1:
            training.append(playlist)
    return training, pairs


def hit_rate(vectors: Vectors, pairs: Sequence[tuple[str, str]], k: int = 10) -> float:
    """Share of (previous, next) pairs whose next song is among the ``k`` nearest neighbours of the previous.

    A pair whose songs the model never saw counts as a miss (the previous song can be
    unseen when its playlist was left with one song and dropped).
    """
    if not pairs:
        return float("nan")
    index = {key: i for i, key in enumerate(vectors.index_to_key)}
    queries = [(index[previous], index.get(following, -1)) for previous, following in pairs if previous in index]
    found = nearest_neighbours(vectors.vectors, np.array([q for q, _ in queries], dtype=np.int64), k)
    return sum(target in row for (_, target), row in zip(queries, found)) / len(pairs)


def tag_precision(vectors: Vectors, tags: dict[str, tuple[str, ...]], queries: int, seed: int, k: int = 10):
    """Mean share of a song's ``k`` neighbours that share a tag with it, and the same for ``k`` random songs.

    Over ``queries`` tagged songs of the vocabulary drawn with ``default_rng(seed)`` from
    the tagged songs sorted by id, so that two models with the same songs are asked about
    the same ones whatever their vocabulary order. Untagged neighbours share nothing.
    Returns (precision, random-neighbour precision, number of query songs).
    """
    keys = vectors.index_to_key
    tag_sets = [frozenset(tags.get(key, ())) for key in keys]
    tagged = np.array(sorted((i for i, t in enumerate(tag_sets) if t), key=lambda i: keys[i]), dtype=np.int64)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(tagged, size=min(queries, len(tagged)), replace=False)
    found = nearest_neighbours(vectors.vectors, chosen, k)
    noise = rng.integers(0, len(keys) - 1, size=(len(chosen), k))
    noise += noise >= chosen[:, None]  # any song but the query itself

    def share(neighbour_rows):
        shared = [[bool(tag_sets[q] & tag_sets[n]) for n in row] for q, row in zip(chosen, neighbour_rows)]
        return float(np.mean(shared))

    return share(found), share(noise), len(chosen)


TrainFunction = Callable[[list[list[str]], int], Vectors]  # (playlists, seed) -> trained KeyedVectors


@dataclass
class SeedResult:
    seed: int
    hit_rate: float
    held_out: int
    tag_precision: float
    random_tag_precision: float
    tag_queries: int
    train_seconds: float


@dataclass
class Evaluation:
    """One implementation's results over seeds, with mean and spread."""

    name: str
    runs: list[SeedResult] = field(default_factory=list)

    def values(self, metric: str) -> list[float]:
        return [getattr(run, metric) for run in self.runs]

    def mean(self, metric: str) -> float:
        return statistics.mean(self.values(metric))

    def stdev(self, metric: str) -> float:
        values = self.values(metric)
        return statistics.stdev(values) if len(values) > 1 else 0.0

    def summary(self) -> str:
        parts = [f"{self.name}: " + ", ".join(
            f"{label} {self.mean(metric):.4f} ± {self.stdev(metric):.4f}"
            for metric, label in [("hit_rate", "HR@10"), ("tag_precision", "tag P@10"),
                                  ("random_tag_precision", "random P@10")])]  # fmt: skip
        run = self.runs[0]
        parts.append(f"  ({len(self.runs)} seeds; {run.held_out:,} held-out playlists, {run.tag_queries:,} tagged "
                     f"query songs each; training {self.mean('train_seconds'):.1f} s a seed)")  # fmt: skip
        return "\n".join(parts)


def agreement_bound(reference: Evaluation, candidate: Evaluation, metric: str) -> float:
    """How far apart two implementations' mean ``metric`` may be and still lie within run-to-run spread.

    Three standard errors of the difference of the means over seeds. Each run's variance
    is the seeds' scatter, but never less than the metric's own sampling noise, the
    binomial ``p (1 - p) / n`` of a share over ``n`` queries (held-out playlists for the
    hit rate, query songs for tag precision): three seeds can agree by chance.
    """
    queries = "held_out" if metric == "hit_rate" else "tag_queries"
    variances = []
    for evaluation in (reference, candidate):
        p, n = evaluation.mean(metric), getattr(evaluation.runs[0], queries)
        variances.append(max(evaluation.stdev(metric) ** 2, p * (1 - p) / n) / len(evaluation.runs))
    return 3 * math.sqrt(sum(variances))


def evaluate(name: str, train: TrainFunction, data: SongData, seeds: Sequence[int] = (1, 2, 3),
             holdout: float = 0.1, tag_queries: int = 2000, k: int = 10, report=None) -> Evaluation:  # fmt: skip
    """Train once per seed on the playlists with their endings held out, and score both metrics.

    ``train(playlists, seed)`` returns trained KeyedVectors (``index_to_key``, ``vectors``):
    pass scratch's (:func:`scratch_trainer`) or gensim's (``reference.songs.gensim_trainer``)
    and the same split, the same queries and the same arithmetic score them.
    ``report(line)`` is called after each seed, if given.
    """
    evaluation = Evaluation(name)
    for seed in seeds:
        training, pairs = split_last_songs(data.playlists, seed, holdout)
        started = time.perf_counter()
        vectors = train(training, seed)
        seconds = time.perf_counter() - started
        precision, random_precision, queries = tag_precision(vectors, data.tags, tag_queries, seed, k)
        result = SeedResult(seed, hit_rate(vectors, pairs, k), len(pairs), precision, random_precision, queries,
                            seconds)  # fmt: skip
        evaluation.runs.append(result)
        if report is not None:
            report(f"{name} seed {seed}: HR@{k} {result.hit_rate:.4f}, tag P@{k} {precision:.4f} "
                   f"(random {random_precision:.4f}), trained in {seconds:.1f} s")  # fmt: skip
    return evaluation


def scratch_trainer(workers: int = 2, epochs: int = 5, **overrides) -> TrainFunction:
    """A :data:`TrainFunction` training scratch's Word2Vec with the book's settings (``overrides`` win,
    e.g. ``skip_saturated=False`` for the exact sigmoid)."""

    def train(playlists: list[list[str]], seed: int) -> Vectors:
        return train_word2vec(playlists, seed=seed, workers=workers, epochs=epochs, **overrides).wv

    return train


def subset(data: SongData, playlists: int) -> SongData:
    """The same data set with only its first ``playlists`` playlists (for quick runs and tests)."""
    return SongData(data.playlists[:playlists], data.songs, data.tags, data.tag_names, data.folder)


# ------------------------------------------------------------------------ picture
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


def tag_overlap(song_id: str, rows: Sequence[Recommendation], data: SongData) -> float:
    """Share of recommended songs that share at least one tag with ``song_id`` (``math.nan`` if none)."""
    own = set(data.tags.get(str(song_id), ()))
    if not rows:
        return math.nan
    return sum(bool(own & set(data.tags.get(row.id, ()))) for row in rows) / len(rows)
