"""Corpora for word2vec: reading text into sentences, and encoding sentences as word ids.

Training never looks at strings. Before the first epoch the corpus is encoded once
(:func:`encode_sentences`): each sentence becomes a run of vocabulary ids in one flat
int32 array, words outside the vocabulary already removed (gensim drops them too,
before windows are taken, so the window reaches across them), and ``sentence_starts``
marks where each sentence begins. Every epoch then walks these arrays.

* For an iterable of sentences the encoded corpus is held in memory: 4 bytes a word.
* For a ``corpus_file`` it is written to a temporary file and memory-mapped, so the
  corpus is streamed and never held in memory (:class:`EncodedCorpus` owns that file).

Sentences longer than :data:`MAX_SENTENCE_LENGTH` words are cut into pieces of that
length, as gensim's ``LineSentence`` and word2vec.c do (gensim's in-memory path instead
drops the words past 10,000).
"""

from __future__ import annotations

import bz2
import gzip
import itertools
import os
import re
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from typing import BinaryIO
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import TokembError
from ..files import open_text

MAX_SENTENCE_LENGTH = 10_000  # gensim's MAX_WORDS_IN_BATCH, word2vec.c's MAX_SENTENCE_LENGTH is 1000
_FLUSH_WORDS = 1 << 20  # write encoded ids to disk in blocks of this many
_WORD = re.compile(r"[a-z]+")


class CorpusError(TokembError, ValueError):
    """A corpus that cannot be trained on (empty, not UTF-8, ...); the message names the file if there is one."""


class EmptyCorpusError(CorpusError, RuntimeError):
    """A corpus without a single word (a ``RuntimeError`` too: gensim's "you must first build vocabulary")."""


class CorpusNotFoundError(TokembError, FileNotFoundError):
    """A corpus file that is not there (or is a folder)."""


COMPRESSED_SUFFIXES = {".bz2": bz2.open, ".gz": gzip.open}  # what gensim's utils.open (smart_open) unpacks here


def check_corpus_file(path: str | os.PathLike) -> Path:
    """``path`` as a ``Path``, or :class:`CorpusNotFoundError` when it is missing or not a file."""
    path = Path(path)
    if not path.is_file():
        problem = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise CorpusNotFoundError(f"corpus file {path} {problem}")
    return path


def check_training_file(path: str | os.PathLike) -> Path:
    """A ``corpus_file`` to train on: a plain text file (:func:`check_corpus_file`), not compressed.

    gensim's ``_check_corpus_sanity`` refuses compressed files there with a ``TypeError``
    (its streamed loop reads plain text); so does this (use ``LineSentence`` for them).
    """
    suffix = Path(path).suffix.lower()
    if suffix in COMPRESSED_SUFFIXES:
        raise TypeError(f"corpus_file={str(path)!r} is compressed ({suffix}): training from compressed files is not "
                        f"supported with corpus_file (as in gensim); decompress it or pass "
                        f"LineSentence(path) as the sentences")  # fmt: skip
    return check_corpus_file(path)


def open_lines(path: str | os.PathLike) -> BinaryIO:
    """``path`` opened for reading bytes, unpacked on the fly when it ends in ``.bz2`` or ``.gz``."""
    path = check_corpus_file(path)
    return COMPRESSED_SUFFIXES.get(path.suffix.lower(), open)(path, "rb")


def split_lines(lines: Iterable[bytes | str], name, max_sentence_length: int, limit: int | None) -> Iterator[list[str]]:
    """The first ``limit`` lines (all if ``None``) as sentences: words split on whitespace, cut
    into pieces of ``max_sentence_length``; an empty line gives no sentence. Bytes are decoded as
    UTF-8 (an error names ``name``, the line and the byte offset)."""
    offset = 0
    for line_number, raw in enumerate(itertools.islice(lines, limit), start=1):
        if isinstance(raw, str):
            words = raw.split()
        else:
            try:
                words = raw.decode("utf-8").split()
            except UnicodeDecodeError as exc:
                raise CorpusError(f"{name}: not UTF-8 text: line {line_number}, byte {offset + exc.start} "
                                  f"({exc.reason})") from None  # fmt: skip
            offset += len(raw)
        for start in range(0, len(words), max_sentence_length):
            yield words[start : start + max_sentence_length]


def line_sentences(
    path: str | os.PathLike, max_sentence_length: int = MAX_SENTENCE_LENGTH, limit: int | None = None
) -> Iterator[list[str]]:
    """One sentence per line, words split on whitespace: gensim's ``LineSentence``.

    Long lines are cut into pieces of ``max_sentence_length`` words; empty lines give no
    sentence; ``limit`` reads only the first lines. Lines end at ``\\n`` only: the file is
    read in binary (unpacked if ``.bz2``/``.gz``) and each line decoded, as gensim does. A
    line that is not UTF-8 is a :class:`CorpusError` naming the file, the line and the byte offset.
    """
    with open_lines(path) as handle:
        yield from split_lines(handle, path, max_sentence_length, limit)


class LineSentence:
    """A re-iterable :func:`line_sentences`: gensim's class of the same name (``word2vec.LineSentence``).

    ``source`` is a path (plain, ``.bz2`` or ``.gz``) or an open file object (text or
    binary, e.g. ``bz2.BZ2File``), which, as in gensim, is rewound (``seek(0)``) at each
    pass; ``limit`` reads only the first ``limit`` lines.
    """

    def __init__(self, source, max_sentence_length: int = MAX_SENTENCE_LENGTH, limit: int | None = None):
        self.source = source if hasattr(source, "seek") else Path(source)
        self.max_sentence_length = max_sentence_length
        self.limit = limit

    @property
    def path(self) -> Path | None:
        """The file read, when the source is a path."""
        return None if hasattr(self.source, "seek") else self.source

    def __iter__(self) -> Iterator[list[str]]:
        if self.path is None:
            self.source.seek(0)
            name = getattr(self.source, "name", repr(self.source))
            return split_lines(self.source, name, self.max_sentence_length, self.limit)
        return line_sentences(self.path, self.max_sentence_length, self.limit)


class PathLineSentences:
    """Every file of a folder, in file-name order, as :class:`LineSentence` reads one: gensim's ``PathLineSentences``.

    ``source`` is a folder (not read recursively: every entry of it is read as a file,
    ``.bz2``/``.gz`` unpacked) or a single file. Anything else is a ``ValueError``, as in gensim.
    """

    def __init__(self, source: str | os.PathLike, max_sentence_length: int = MAX_SENTENCE_LENGTH,
                 limit: int | None = None):  # fmt: skip
        self.source = source
        self.max_sentence_length = max_sentence_length
        self.limit = limit
        if os.path.isfile(source):
            self.input_files = [Path(source)]
        elif os.path.isdir(source):
            self.input_files = sorted(Path(source) / name for name in os.listdir(source))
        else:
            raise ValueError(f"input is neither a file nor a path: {source!r}")

    def __iter__(self) -> Iterator[list[str]]:
        for path in self.input_files:
            yield from line_sentences(path, self.max_sentence_length, self.limit)


def lowercase_words(path: str | os.PathLike, max_words: int | None = None) -> list[str]:
    """The text of ``path`` lowercased and reduced to its ``[a-z]+`` runs (how text8 was made)."""
    words: list[str] = []
    with open_text(check_corpus_file(path)) as handle:
        while max_words is None or len(words) < max_words:
            block = handle.read(1 << 22)
            if not block:
                break
            # Finish the line so that no word is cut in two at the block boundary.
            words.extend(_WORD.findall((block + handle.readline()).lower()))
    return words[:max_words] if max_words is not None else words


def lowercase_sentences(path: str | os.PathLike) -> list[list[str]]:
    """One sentence per line of ``path``, lowercased and reduced to its ``[a-z]+`` words."""
    with open_text(check_corpus_file(path)) as handle:
        return [words for line in handle if (words := _WORD.findall(line.lower()))]


def chunk_words(words: list[str], sentence_length: int = MAX_SENTENCE_LENGTH) -> list[list[str]]:
    """Cut a word stream into sentences of ``sentence_length`` words (gensim's ``Text8Corpus``)."""
    return [words[i : i + sentence_length] for i in range(0, len(words), sentence_length)]


@dataclass
class EncodedCorpus:
    """A corpus as vocabulary ids: sentence ``s`` is ``tokens[sentence_starts[s]:sentence_starts[s + 1]]``.

    ``raw_lengths[s]`` is the sentence's length before out-of-vocabulary words were
    removed: progress and the learning rate count raw words, as gensim does.
    """

    tokens: np.ndarray  # int32, in memory or memory-mapped
    sentence_starts: np.ndarray  # int64, one more than there are sentences
    raw_lengths: np.ndarray  # int64
    _temporary: Path | None = field(default=None, repr=False)

    @property
    def raw_words(self) -> int:
        return int(self.raw_lengths.sum())

    def __len__(self) -> int:
        return len(self.raw_lengths)

    def batches(self, batch_words: int) -> list[tuple[int, int, int]]:
        """Consecutive sentences grouped into jobs of at most ``batch_words`` raw words.

        A job is ``(first sentence, end sentence, raw words before it)``; a longer
        sentence is a job of its own. This is gensim's ``_job_producer`` batching.
        """
        jobs = []
        first, size, before = 0, 0, 0
        for s, length in enumerate(self.raw_lengths.tolist()):
            if size + length > batch_words and s > first:
                jobs.append((first, s, before))
                before += size
                first, size = s, 0
            size += length
        if len(self.raw_lengths) > first:
            jobs.append((first, len(self.raw_lengths), before))
        return jobs

    def close(self) -> None:
        """Delete the temporary file of a streamed corpus."""
        if self._temporary is not None:
            self.tokens = np.zeros(0, dtype=np.int32)
            try:
                self._temporary.unlink()
            except FileNotFoundError:
                pass
            self._temporary = None

    def __del__(self) -> None:
        self.close()


def encode_sentences(
    sentences: Iterable[list[str]], key_to_index: dict[str, int], to_disk: bool = False
) -> EncodedCorpus:
    """Encode sentences as vocabulary ids (in memory, or in a memory-mapped temporary file)."""
    get = key_to_index.get
    starts = array("q", [0])
    raw_lengths = array("q")
    block = array("i")
    written = 0
    temporary = None
    handle = None
    if to_disk:
        descriptor, name = tempfile.mkstemp(prefix="tokemb-word2vec-", suffix=".int32")
        temporary = Path(name)
        handle = os.fdopen(descriptor, "wb")
    try:
        for sentence in sentences:
            for start in range(0, len(sentence), MAX_SENTENCE_LENGTH):
                piece = sentence[start : start + MAX_SENTENCE_LENGTH]
                block.extend([index for index in map(get, piece) if index is not None])
                raw_lengths.append(len(piece))
                starts.append(written + len(block))
            if handle is not None and len(block) >= _FLUSH_WORDS:
                block.tofile(handle)
                written += len(block)
                block = array("i")
        if handle is not None:
            block.tofile(handle)
            written += len(block)
            handle.close()
            if written:
                tokens = np.memmap(temporary, dtype=np.int32, mode="r", shape=(written,))
            else:
                tokens = np.zeros(0, np.int32)
        else:
            tokens = np.frombuffer(block, dtype=np.int32) if len(block) else np.zeros(0, np.int32)
    except BaseException:
        if handle is not None:
            handle.close()
            temporary.unlink()
        raise
    return EncodedCorpus(
        tokens=tokens,
        sentence_starts=np.frombuffer(starts, dtype=np.int64),
        raw_lengths=np.frombuffer(raw_lengths, dtype=np.int64),
        _temporary=temporary,
    )
