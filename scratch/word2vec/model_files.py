"""tokemb's ``.npz`` files (KeyedVectors, whole Word2Vec models): written atomically, read with clear errors.

A file is NumPy's ``.npz`` (a zip of ``.npy`` arrays, no pickle); text such as the keys
or the settings is stored as UTF-8 JSON in a ``uint8`` array (:func:`json_array`).

* :func:`write_npz` writes to a temporary file beside the target and renames it over the
  target only when every byte is on disk, so a save that fails part-way (a full disk,
  Ctrl-C) leaves the previous file as it was (:func:`scratch.files.atomic_write`).
* :func:`read_npz` turns what a truncated or corrupt file raises (``BadZipFile``,
  ``EOFError``, a missing array's ``KeyError``, bad JSON, ...) into one
  :class:`ModelFileError` that names the file and says what is wrong with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator

import numpy as np

from ..errors import TokembError
from ..files import atomic_write


class ModelFileError(TokembError, ValueError):
    """A file that should hold tokemb vectors or a model cannot be read; the message names it."""


class NotAModelError(ModelFileError, AttributeError):
    """A tokemb file of another kind (vectors where a whole model is asked for): an ``AttributeError``
    as gensim's ``Word2Vec.load`` raises for a ``KeyedVectors`` file."""


PICKLE_PROTOCOL_MARK = 0x80  # the first byte of a pickle of protocol 2 or later (gensim's save() writes one)


# What a damaged .npz raises while it is opened or read: not a zip (truncated: the zip's
# directory is at its end), a CRC or decompression error, a flipped bit in a zip header
# (an unknown compression method or encryption flag, a size that overflows), an array
# that is not there, an array or JSON text that does not parse.
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, NotImplementedError,
           RuntimeError, OverflowError, struct.error)  # fmt: skip


def write_npz(path: str | os.PathLike, **arrays: np.ndarray) -> None:
    """``np.savez(path, **arrays)``, atomically: on failure ``path`` keeps its previous content."""
    with atomic_write(path, "wb") as out:
        np.savez(out, **arrays)


@contextlib.contextmanager
def read_npz(path: str | os.PathLike, what: str) -> Iterator[np.lib.npyio.NpzFile]:
    """The arrays of the ``.npz`` file ``path``; damage found while the body reads them is a :class:`ModelFileError`.

    ``what`` says what the file should be ("tokemb vectors", "a Word2Vec model") for the
    message. A missing file stays a ``FileNotFoundError`` (it names the path).
    """
    with open(path, "rb") as handle:  # a missing or unreadable file: the OSError names it
        first = handle.read(1)
    if first and first[0] == PICKLE_PROTOCOL_MARK:
        raise ModelFileError(f"{path}: a Python pickle (as gensim's save() writes), not {what}: foreign pickles are "
                             f"not loaded (unpickling runs code from the file). Export the vectors with gensim's "
                             f"model.wv.save_word2vec_format(fname) and read them with "
                             f"KeyedVectors.load_word2vec_format(fname)")  # fmt: skip
    try:
        data = np.load(path, allow_pickle=False)
    except _DAMAGE as exc:
        raise _damaged(path, what, exc) from exc
    with data if isinstance(data, np.lib.npyio.NpzFile) else contextlib.nullcontext():
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ModelFileError(f"{path}: not {what}: it holds a single array (.npy), not a set of arrays (.npz)")
        try:
            yield data
        except TokembError:  # already says what is wrong (a bad setting in a model file names the setting)
            raise
        except (*_DAMAGE, OSError) as exc:  # an OSError once the file is open: a seek to a corrupt offset
            raise _damaged(path, what, exc) from exc


def _damaged(path, what: str, exc: BaseException) -> ModelFileError:
    return ModelFileError(f"{path}: not {what}, or the file is truncated or corrupt ({type(exc).__name__}: {exc})")


def json_array(obj) -> np.ndarray:
    """``obj`` as UTF-8 JSON bytes in a ``uint8`` array, for an ``.npz`` without pickle."""
    return np.frombuffer(json.dumps(obj, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def from_json_array(array: np.ndarray):
    """The object :func:`json_array` stored."""
    return json.loads(array.tobytes().decode("utf-8"))
