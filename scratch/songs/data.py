"""The data set of the songs chapter: playlists, songs and their tags, read in their own formats.

The ``yes_complete`` playlists of Shuo Chen (Cornell; radio playlists from Yes.com, tags
from Last.fm), read by :func:`load_songs`. Playlists of a single song are dropped, as the
book does (``[s.rstrip().split() for s in lines if len(s.split()) > 1]``). Songs are words
as strings: the song id as ``str``. A malformed file is a :class:`DataFormatError` naming
the file and line.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..data import DataNotFoundError, data_path
from ..errors import TokembError

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


def subset(data: SongData, playlists: int) -> SongData:
    """The same data set with only its first ``playlists`` playlists (for quick runs and tests)."""
    return SongData(data.playlists[:playlists], data.songs, data.tags, data.tag_names, data.folder)
