"""word2vec.c's text and binary formats, read as gensim's ``load_word2vec_format`` reads them
and written as its ``save_word2vec_format`` writes them (:func:`write_word2vec_format`).

A file is a header line ``"<words> <dimensions>"`` followed by one row per word: in the
text format ``word v1 v2 ...`` on a line, in the binary format ``word `` followed by
``dimensions`` little-endian float32 (word2vec.c adds a newline after each vector, gensim
does not; both are read). GloVe's text files have no header (``no_header``): every line
is a row, and the first row gives the dimensions.

What loads, loads exactly as in gensim 4: the same line splitting (at ``\\n`` only, bytes
stripped of trailing ASCII whitespace, then decoded and split at single spaces), the same
number parser (NumPy's float32 conversion), ``unicode_errors`` applied to each text line
and each binary word, rows beyond the declared count ignored, a repeated word keeping its
first vector. Everything else is a :class:`~.model_files.ModelFileError` that names the
file and the line (text) or byte offset (binary) where the damage is:

* a header that is not two non-negative integers, or that declares more rows than the
  bytes after it can hold (checked before anything is allocated, so a corrupt count
  cannot ask for terabytes);
* a file that ends before the declared number of rows (gensim: ``EOFError``; here
  :class:`TruncatedFileError`, which is both);
* a row with another number of values than the header says, or a value that is not a
  number (gensim: ``ValueError``), or bytes that are not valid in ``encoding`` with
  ``unicode_errors="strict"`` (gensim: ``UnicodeDecodeError``; here
  :class:`UndecodableFileError`, which is both);
* two cases gensim loads without a word, refused here because the result is silent
  garbage: a text row with a single value, which gensim copies into every dimension
  (NumPy broadcasting), and values that are not finite (``nan``, ``inf``, a number
  beyond float32's range), which make every similarity with that word NaN.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Sequence

import numpy as np

from ..english import plural
from ..errors import TokembError
from ..files import atomic_write
from .model_files import ModelFileError

logger = logging.getLogger(__name__)

REAL = np.float32
BINARY_CHUNK_BYTES = 1 << 20  # the binary format is read in chunks of this size (gensim: 100 KiB)


def read_word2vec_format(path: str | os.PathLike, binary: bool = False, limit: int | None = None,
                         no_header: bool = False, encoding: str = "utf8", unicode_errors: str = "strict",
                         datatype: type = REAL, binary_chunk_size: int = BINARY_CHUNK_BYTES,
                         ) -> tuple[list[str], np.ndarray]:  # fmt: skip
    """The keys and the ``(len(keys), dimensions)`` vectors of a word2vec-format file.

    ``limit`` reads only the first rows (``None`` or ``0``: all, as gensim's ``if limit``).
    ``datatype`` is the vectors' dtype: text values are parsed straight into it and
    binary float32 values cast to it, as gensim's ``_word2vec_line_to_vector`` and
    ``_add_bytes_to_kv`` do. ``binary_chunk_size`` is how many bytes the binary format is
    read at a time (gensim's ``_load_word2vec_format`` parameter of that name).
    Damage is a :class:`ModelFileError` naming ``path`` and where (see the module docstring).
    """
    if no_header and binary:
        raise NotImplementedError("no_header only available for text-format files")
    with open(path, "rb") as handle:
        file_bytes = os.fstat(handle.fileno()).st_size
        if no_header:
            count, size = _count_rows(handle, path, limit, encoding, unicode_errors)
            handle.seek(0)
            first_line = 1
        else:
            count, size = _parse_header(path, handle.readline(), encoding)
            first_line = 2
        if limit:
            count = min(count, limit)
        start = handle.tell()
        if binary:
            rows = _binary_rows(handle, path, count, size, encoding, unicode_errors, start, datatype,
                                binary_chunk_size)
            needed = count * (4 * size + 1)  # a word may be empty; the space and the floats may not
        else:
            rows = _text_rows(handle, path, count, size, encoding, unicode_errors, first_line, datatype)
            needed = count * (2 * size + 1) - 1  # " v" per value, a newline between rows
        if needed > file_bytes - start:
            # The file cannot hold the rows it promises: find the first that is missing or
            # damaged without allocating room for them all, and name it.
            for _ in rows:
                pass
            raise TruncatedFileError(f"{path}: the header declares {count} words of {size} dimensions, which take at "
                                     f"least {needed} bytes, but only {file_bytes - start} follow it")  # fmt: skip
        keys: list[str] = []
        seen: set[str] = set()
        try:
            vectors = np.empty((count, size), dtype=datatype)
        except (ValueError, MemoryError):  # no rows, but more dimensions than NumPy can index
            raise ModelFileError(f"{path}: line 1: the header declares {size} dimensions, more than can be "
                                 f"allocated") from None  # fmt: skip
        for word, vector in rows:
            if word in seen:
                logger.warning("duplicate word '%s' in %s, ignoring all but first", word, path)
                continue
            seen.add(word)
            vectors[len(keys)] = vector
            keys.append(word)
    return keys, vectors[: len(keys)]


@contextlib.contextmanager
def word2vec_rows(path: str | os.PathLike, binary: bool = False, encoding: str = "utf8",
                  unicode_errors: str = "strict", datatype: type = REAL,
                  ) -> Iterator[tuple[int, Iterator[tuple[str, np.ndarray]]]]:  # fmt: skip
    """``with word2vec_rows(path) as (dimensions, rows)``: the header's dimensions, then every ``(word, vector)`` row.

    Rows come in file order, a repeated word every time it appears, as gensim's
    ``KeyedVectors.intersect_word2vec_format`` reads them: in the binary format the number
    of rows the header declares, in the text format every line after the header (gensim
    does not use the count there). Damage is a :class:`ModelFileError` naming the file and
    where, as in :func:`read_word2vec_format`; nothing is allocated for the whole file.
    """
    with open(path, "rb") as handle:
        count, size = _parse_header(path, handle.readline(), encoding)
        start = handle.tell()
        if binary:
            rows = _binary_rows(handle, path, count, size, encoding, unicode_errors, start, datatype,
                                BINARY_CHUNK_BYTES)  # fmt: skip
        else:
            lines = sum(1 for _ in handle)  # what gensim's ``for line in fin`` visits
            handle.seek(start)
            rows = _text_rows(handle, path, lines, size, encoding, unicode_errors, 2, datatype)
        yield size, rows


def read_vocab_counts(fvocab: str | os.PathLike, encoding: str, unicode_errors: str) -> dict[str, int]:
    """word2vec.c's ``-save-vocab`` file: ``word count`` per line, as gensim reads it (``fvocab``)."""
    counts: dict[str, int] = {}
    with open(fvocab, "rb") as lines:
        for line_no, line in enumerate(lines, start=1):
            fields = _decode(fvocab, line, encoding, unicode_errors, f"line {line_no}").strip().split()
            try:
                word, count = fields
                counts[word] = int(count)
            except ValueError:
                raise ModelFileError(f"{fvocab}: line {line_no}: expected '<word> <count>', "
                                     f"got {line[:80]!r}") from None  # fmt: skip
    return counts


class TruncatedFileError(ModelFileError, EOFError):
    """A word2vec-format file that ends before the rows its header declares.

    Both a :class:`ModelFileError` naming the file and where it ends, and the ``EOFError``
    gensim raises in that case (``_word2vec_read_text`` and ``_word2vec_read_binary`` in
    ``gensim/models/keyedvectors.py``: "unexpected end of input; is count incorrect or file
    otherwise damaged?").
    """


class UndecodableFileError(ModelFileError, UnicodeDecodeError):
    """Bytes of a word2vec-format or vocabulary file that are not valid in the encoding (``unicode_errors="strict"``).

    Both a :class:`ModelFileError` naming the file and where, and the ``UnicodeDecodeError``
    gensim raises in that case (its ``encoding``, ``object``, ``start``, ``end``, ``reason``).
    """

    def __init__(self, message: str, cause: UnicodeDecodeError):
        UnicodeDecodeError.__init__(self, cause.encoding, cause.object, cause.start, cause.end, cause.reason)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _decode(path, data: bytes, encoding: str, unicode_errors: str, where: str) -> str:
    try:
        return data.decode(encoding, errors=unicode_errors)
    except UnicodeDecodeError as exc:
        raise UndecodableFileError(f"{path}: {where}: bytes {data[exc.start : exc.end + 8]!r} are not valid {encoding} "
                                   f"({exc.reason}); the file is corrupt, or pass unicode_errors='replace' "
                                   f"(or 'ignore') to load it anyway, as gensim allows", exc) from None  # fmt: skip


def _parse_header(path, line: bytes, encoding: str) -> tuple[int, int]:
    """``(words, dimensions)`` from the header line, parsed as gensim parses it (``int`` of each field)."""
    fields = _decode(path, line, encoding, "strict", "line 1 (the header)").split()
    if not line:
        raise ModelFileError(f"{path}: the file is empty: no header, no vectors")
    try:
        count, size = (int(field) for field in fields)
    except ValueError:
        raise ModelFileError(f"{path}: line 1: the header should be '<number of words> <dimensions>', got "
                             f"{line[:80]!r}; pass no_header=True for a file without it (GloVe)") from None  # fmt: skip
    if count < 0 or size < 0:
        raise ModelFileError(f"{path}: line 1: the header declares {count} words of {size} dimensions; "
                             f"neither can be negative")  # fmt: skip
    return count, size


def _split_text_row(path, line: bytes, line_no: int, encoding: str, unicode_errors: str) -> tuple[str, list[str]]:
    """The word and the value fields of a text row, split as gensim splits them."""
    parts = _decode(path, line.rstrip(), encoding, unicode_errors, f"line {line_no}").split(" ")
    return parts[0], parts[1:]


def _to_vector(path, fields: list[str] | bytes, word: str, where: str, datatype: type) -> np.ndarray:
    """Text fields or little-endian float32 bytes as a ``datatype`` vector; non-numbers, non-finite values refused."""
    try:
        with np.errstate(over="ignore"):  # a value beyond the dtype's range becomes inf: refused just below
            vector = np.frombuffer(fields, dtype="<f4").astype(datatype) if isinstance(fields, bytes) else \
                np.array(fields, dtype=datatype)  # the same parse as gensim's datatype(field)  # fmt: skip
    except ValueError as exc:
        raise ModelFileError(f"{path}: {where}: the vector of {word!r} does not parse: {exc}") from None
    if not np.isfinite(vector).all():
        bad = float(vector[~np.isfinite(vector)][0])
        raise ModelFileError(f"{path}: {where}: the vector of {word!r} holds {bad} (not a finite float32 number); "
                             f"the file is corrupt")  # fmt: skip
    return vector


def _count_rows(handle, path, limit, encoding, unicode_errors) -> tuple[int, int]:
    """``(rows, dimensions)`` of a file without header: its lines, and the values on its first line.

    As gensim, a line with no values does not fix the dimensions; the next line is asked.
    """
    count, size = 0, 0
    while count != limit:
        line = handle.readline()
        if not line:
            break
        if not size:
            _, fields = _split_text_row(path, line, count + 1, encoding, unicode_errors)
            size = len(fields)
        count += 1
    if count == 0:
        raise ModelFileError(f"{path}: the file is empty: no vectors to load")
    return count, size


def _text_rows(handle, path, count, size, encoding, unicode_errors, first_line,
               datatype) -> Iterator[tuple[str, np.ndarray]]:  # fmt: skip
    for index in range(count):
        line_no = first_line + index
        line = handle.readline()
        if not line:
            raise TruncatedFileError(f"{path}: line {line_no}: the file ends after {index} of the {count} vectors it "
                                     f"declares; it is truncated, or its word count is wrong")  # fmt: skip
        word, fields = _split_text_row(path, line, line_no, encoding, unicode_errors)
        if len(fields) != size:
            raise ModelFileError(f"{path}: line {line_no}: the word {word!r} has {plural(len(fields), 'value')} "
                                 f"where the header declares {size}")  # fmt: skip
        yield word, _to_vector(path, fields, word, f"line {line_no}", datatype)


def _binary_rows(handle, path, count, size, encoding, unicode_errors, offset, datatype,
                 chunk_bytes) -> Iterator[tuple[str, np.ndarray]]:  # fmt: skip
    """Rows of the binary format, read ``chunk_bytes`` at a time; the first row starts at byte ``offset``."""
    vector_bytes = 4 * size
    buffer = b""  # bytes read and not yet used from buffer[position:]; buffer[0] is at file offset ``offset``
    position = 0
    at_end = False
    for index in range(count):
        space = buffer.find(b" ", position)
        while space < 0 or len(buffer) - (space + 1) < vector_bytes:
            if at_end:
                raise TruncatedFileError(f"{path}: byte {offset + position}: the file ends inside row {index + 1} "
                                         f"of the {count} it declares; it is truncated, or its count is wrong")  # fmt: skip
            chunk = handle.read(chunk_bytes)
            at_end = len(chunk) < chunk_bytes
            searched = (len(buffer) if space < 0 else space) - position  # no space before it: not searched again
            buffer, offset, position = buffer[position:] + chunk, offset + position, 0
            space = buffer.find(b" ", searched)
        where = f"byte {offset + position}"
        # word2vec.c writes a newline after each vector, gensim does not: strip it as gensim does.
        word = _decode(path, buffer[position:space], encoding, unicode_errors, where).lstrip("\n")
        position = space + 1 + vector_bytes
        yield word, _to_vector(path, buffer[space + 1 : position], word, where, datatype)


class UnwritableKeyError(TokembError, ValueError):
    """A key that the word2vec file format cannot hold (it would split into two words, or vanish)."""


def check_writable_key(key: str | int) -> None:
    """Refuse a key that would corrupt a word2vec-format file: empty, or containing whitespace.

    The format separates a key from its numbers by a space and entries by newlines;
    word2vec.c reads words up to a space, tab or newline (and drops carriage returns),
    gensim reads ``fvocab`` lines with ``str.split()``, which also splits on every other
    Unicode space and line separator (``\\x0b``, ``\\x1c``, ``\\x85``, ``\\u2028``, ``\\u3000``, ...).
    gensim writes such keys anyway and the file no longer reads back as written.
    """
    text = str(key)
    if text.split() != [text]:
        problem = "is empty" if not text else "contains whitespace"
        raise UnwritableKeyError(f"key {text!r} {problem}: the word2vec format separates words by whitespace, so "
                                 f"the file would not read back; rename or drop the key before saving")  # fmt: skip


def write_word2vec_format(path: str | os.PathLike, keys: Sequence, vectors: np.ndarray,
                          counts: Sequence[int] | None = None, binary: bool = False, write_header: bool = True,
                          fvocab: str | os.PathLike | None = None, total_vec: int | None = None,
                          prefix: str = "", append: bool = False) -> None:  # fmt: skip
    """Write ``vectors`` (row ``i`` is ``keys[i]``) in word2vec.c's format as gensim's ``save_word2vec_format`` does.

    A ``"total_vec dim"`` header (``total_vec`` defaults to the number of keys), then
    ``prefix + key v1 v2 ...`` lines (text) or ``prefix + key `` followed by ``dim``
    little-endian float32 (binary, no separator, as gensim). Keys in descending order of
    ``counts`` when given (ties in their order: gensim's ``sort_attr``), else in their
    order; ``fvocab`` also writes ``key count`` lines. A key the format cannot hold
    (:func:`check_writable_key`) is refused before anything is written. The files are
    replaced atomically, so a failed save keeps the previous ones; with ``append`` they
    are opened for appending instead (gensim's ``"ab"`` mode), and a failed save may leave
    part of its rows behind.
    """
    if fvocab is not None and counts is None:
        raise ValueError("Cannot store vocabulary with 'count' because that attribute does not exist")
    order = range(len(keys)) if counts is None else sorted(range(len(keys)), key=lambda index: -counts[index])
    for index in order:
        check_writable_key(f"{prefix}{keys[index]}")
    with contextlib.ExitStack() as files:  # both files are replaced only when both are written
        opener = (lambda name: open(name, "ab")) if append else (lambda name: atomic_write(name, "wb"))  # noqa: E731
        out = files.enter_context(opener(path))
        if fvocab is not None:
            vocab_out = files.enter_context(opener(fvocab))
            for index in order:
                vocab_out.write(f"{prefix}{keys[index]} {counts[index]}\n".encode("utf8"))
        if write_header:
            out.write(f"{len(keys) if total_vec is None else total_vec} {vectors.shape[1]}\n".encode("utf8"))
        for index in order:
            vector = vectors[index]
            if binary:
                out.write(f"{prefix}{keys[index]} ".encode("utf8") + vector.astype("<f4").tobytes())
            else:
                out.write(f"{prefix}{keys[index]} {' '.join(str(value) for value in vector)}\n".encode("utf8"))
