"""Memory-mapping one array of an uncompressed ``.npz`` file (``KeyedVectors.load(fname, mmap="r")``).

gensim's ``SaveLoad.save`` stores large arrays in ``.npy`` files beside the pickle, and
``load(fname, mmap="r")`` maps them with ``np.load(..., mmap_mode="r")``, so that several
processes share one copy of the vectors in the page cache. tokemb keeps one ``.npz`` (a
zip of ``.npy`` members); ``np.savez`` stores the members uncompressed, so a member's
``.npy`` bytes lie contiguous in the file and can be mapped where they start:

* the zip's central directory gives the member's local header offset;
* the local header (30 bytes, then the name and an extra field of the lengths it
  declares, which ``np.savez``'s ZIP64 extra makes differ from the central directory's)
  is followed by the member's bytes;
* the ``.npy`` header there gives dtype, shape and order, then the data follows.

A compressed member (``np.savez_compressed``) cannot be mapped and is refused naming it.
"""

from __future__ import annotations

import os
import struct
import zipfile

import numpy as np

from .model_files import ModelFileError

LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zip local file header, 30 bytes
LOCAL_HEADER_SIGNATURE = b"PK\x03\x04"
MMAP_MODES = ("r", "r+", "c")


def map_npz_array(path: str | os.PathLike, name: str, mode: str = "r") -> np.memmap:
    """The array ``name`` of the ``.npz`` file ``path``, memory-mapped with ``mode`` (``"r"``, ``"r+"`` or ``"c"``)."""
    if mode not in MMAP_MODES:
        raise ValueError(f"mmap={mode!r}: use one of {', '.join(map(repr, MMAP_MODES))} (numpy's memmap modes)")
    member = f"{name}.npy"
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(member)
        if info.compress_type != zipfile.ZIP_STORED:
            raise ModelFileError(f"{path}: the array {name!r} is compressed, so it cannot be memory-mapped; "
                                 f"load without mmap, or save it again with KeyedVectors.save")  # fmt: skip
        with open(path, "rb") as handle:
            handle.seek(info.header_offset)
            fields = LOCAL_HEADER.unpack(handle.read(LOCAL_HEADER.size))
            if fields[0] != LOCAL_HEADER_SIGNATURE:
                raise ModelFileError(f"{path}: the zip entry of {name!r} does not start with a local file header")
            name_length, extra_length = fields[-2], fields[-1]
            handle.seek(info.header_offset + LOCAL_HEADER.size + name_length + extra_length)
            version = np.lib.format.read_magic(handle)
            readers = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
            if version not in readers:
                raise ModelFileError(f"{path}: the array {name!r} is in .npy format {version}, which cannot be mapped "
                                     f"here; load without mmap")  # fmt: skip
            shape, fortran_order, dtype = readers[version](handle)
            data_offset = handle.tell()
    except (zipfile.BadZipFile, KeyError, ValueError, struct.error, OSError) as exc:
        if isinstance(exc, (ModelFileError, FileNotFoundError)):
            raise
        raise ModelFileError(f"{path}: cannot memory-map the array {name!r}: the file is not tokemb vectors, "
                             f"or it is truncated or corrupt ({type(exc).__name__}: {exc})") from exc  # fmt: skip
    if dtype.hasobject:
        raise ModelFileError(f"{path}: the array {name!r} holds Python objects; it cannot be memory-mapped")
    order = "F" if fortran_order else "C"
    return np.memmap(path, dtype=dtype, mode=mode, offset=data_offset, shape=shape, order=order)
