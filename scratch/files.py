"""Reading a user's files exactly, and writing files so that a failure loses nothing.

Two rules hold everywhere in tokemb:

* **Text is read byte for byte.** Python's text mode translates ``"\\r\\n"`` and ``"\\r"``
  into ``"\\n"`` unless told otherwise; a tokenizer trained on the translated text learns
  other merges than the reference learns from the same file. :func:`read_text` and
  :func:`open_text` read UTF-8 with ``newline=""`` (no translation) and name the file and
  the byte offset when it is not UTF-8.
* **Writes are atomic.** A save that fails part-way (a full disk, Ctrl-C, an exception
  while serialising) must not leave a truncated file where the user's good one was.
  :func:`atomic_write` writes to a temporary file beside the target, flushes it to disk
  and only then renames it over the target (``os.replace`` is atomic on POSIX and
  Windows); on failure the temporary file is removed and the target is untouched.
  :func:`atomic_folder` does the same for a folder of files (a tokenizer's folder).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Iterator

from .errors import TokembError


# The process umask, read once (reading it means setting it, which is not thread safe).
_UMASK = os.umask(0)
os.umask(_UMASK)


class TextDecodeError(TokembError, ValueError):
    """A file that should hold UTF-8 text does not; the message names the file and where."""


def read_text(path: str | os.PathLike) -> str:
    """The whole of a UTF-8 text file, line endings kept as they are in the file."""
    with open_text(path) as handle:
        try:
            return handle.read()
        except UnicodeDecodeError as exc:
            raise _decode_error(path, exc) from None


@contextlib.contextmanager
def open_text(path: str | os.PathLike) -> Iterator[IO[str]]:
    """A UTF-8 text file opened for reading without newline translation.

    Iterating over it yields lines that end in ``"\\n"``, ``"\\r\\n"`` or ``"\\r"`` as in
    the file. A decoding error while reading names the file and the byte offset."""
    handle = open(path, encoding="utf-8", newline="")
    try:
        yield handle
    except UnicodeDecodeError as exc:
        raise _decode_error(path, exc) from None
    finally:
        handle.close()


def _decode_error(path, exc: UnicodeDecodeError) -> TextDecodeError:
    return TextDecodeError(f"{path}: not UTF-8 text ({exc.reason} in a chunk read near byte {exc.start})")


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb", encoding: str | None = None) -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing; on success it replaces ``path``.

    >>> with atomic_write("model.npz") as out:   # doctest: +SKIP
    ...     np.savez(out, vectors=vectors)

    If the ``with`` body raises (or the process is interrupted), ``path`` keeps its
    previous content, and the temporary file is removed. The new file gets the usual
    permissions of a newly created file (the process umask), as ``open(path, "w")`` would.
    """
    if "w" not in mode:
        raise ValueError(f"atomic_write: mode must be a writing mode, not {mode!r}")
    target = Path(path)
    descriptor, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(descriptor, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """``Path(path).write_text(text, encoding="utf-8")``, atomically, with no newline translation."""
    with atomic_write(path, "w", encoding="utf-8") as out:
        out.write(text)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    """``Path(path).write_bytes(data)``, atomically."""
    with atomic_write(path, "wb") as out:
        out.write(data)


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary folder beside ``path`` to fill; on success its files go into ``path``.

    Used for a folder of files that belong together (``vocab.json`` + ``merges.txt`` +
    ``tokenizer.json``): a failed save leaves the folder as it was, files the user already
    had in it included, and a folder that did not exist is not created empty. On success
    each new file replaces its namesake in ``path`` (one atomic rename each); other files
    already in ``path`` are kept.
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} exists and is not a folder")
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    try:
        yield staging
        target.mkdir(exist_ok=True)
        for item in sorted(staging.iterdir()):
            if item.is_dir():
                raise IsADirectoryError(f"atomic_folder: {item.name} is a folder; only files are supported")
            os.replace(item, target / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
