"""What every ``tokemb`` command shares: the errors a command raises for a wrong command
line or an unreadable input file, the argparse types that refuse a bad value before any
work starts, and :func:`describe`, the one-line message of an error.

The command modules (:mod:`reference.cli.tokenizers` ...) import these from here, and
:mod:`reference.cli` imports the command modules, so this module imports none of them:
the package has no import cycle. :mod:`reference.cli` re-exports everything here.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import zipfile
import zlib
from typing import Iterator

from scratch.errors import TokembError


class CommandLineError(TokembError, ValueError):
    """The command line asks for something that cannot be done: exit status 2.

    Raised by the commands for a bad option value, an unknown name or a missing input
    that the user named; the message says which argument and why."""


class InputFileError(TokembError, ValueError):
    """A file named on the command line exists but cannot be read as what the command
    needs (a truncated ``.npz``, a file of another kind); the message names the file."""


# What a damaged file raises while NumPy or a loader reads it: a truncated zip, a short
# member, a corrupt compressed stream, an array of the wrong shape, a missing member.
UNREADABLE_FILE_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error, ValueError, KeyError)


@contextlib.contextmanager
def reading(path: str | os.PathLike, what: str) -> Iterator[None]:
    """Inside, an error of reading a damaged ``path`` becomes one :class:`InputFileError`
    that names the file and what it should have been. ``OSError`` and tokemb's own
    errors pass unchanged (they already name the file)."""
    try:
        yield
    except UNREADABLE_FILE_ERRORS as exc:
        if isinstance(exc, TokembError):
            raise
        raise InputFileError(f"{os.fspath(path)}: cannot be read as {what} ({describe(exc)})") from exc


def check_output_folder(path: str | os.PathLike, option: str) -> None:
    """Refuse, before any work, an output path whose folder does not exist: a
    :class:`CommandLineError` naming the option (rather than an error after a minute of
    training, or one naming a temporary file)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise CommandLineError(f"{option} {os.fspath(path)}: the folder {folder} does not exist")


# ---- argparse types: a wrong value is a usage error before any work starts ---------------
def _number(value: str, kind: type, fits, wanted: str) -> int | float:
    try:
        number = kind(value)
    except ValueError:
        number = None
    if number is None or not fits(number):
        raise argparse.ArgumentTypeError(f"must be {wanted}, got {value!r}")
    return number


def positive_int(value: str) -> int:
    """An integer >= 1 (a count, a size)."""
    return _number(value, int, lambda n: n >= 1, "a positive integer")


def non_negative_int(value: str) -> int:
    """An integer >= 0."""
    return _number(value, int, lambda n: n >= 0, "an integer >= 0")


def positive_float(value: str) -> float:
    """A finite number > 0 (a learning rate)."""
    return _number(value, float, lambda x: math.isfinite(x) and x > 0, "a finite number > 0")


def non_negative_float(value: str) -> float:
    """A finite number >= 0 (a threshold)."""
    return _number(value, float, lambda x: math.isfinite(x) and x >= 0, "a finite number >= 0")


def describe(exc: BaseException) -> str:
    """The one-line message of an error caught at the top: what failed and, for an
    ``OSError``, on which file ("x.html: No such file or directory")."""
    if isinstance(exc, OSError) and not isinstance(exc, TokembError) and exc.strerror:
        if exc.filename is None:
            return exc.strerror
        where = os.fsdecode(exc.filename)
        if exc.filename2 is not None:
            where += f" -> {os.fsdecode(exc.filename2)}"
        return f"{where}: {exc.strerror}"
    if isinstance(exc, KeyError) and len(exc.args) == 1:
        return str(exc.args[0])  # str(KeyError) would quote the message
    return str(exc) or type(exc).__name__
