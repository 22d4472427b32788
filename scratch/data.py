"""Where the data sets too large for the repository are found.

One setting, ``TOKEMB_DATA``, points at the data folder; by default it is
``../shared/data`` next to the repository. Everything that reads data also accepts an
explicit path, so this module only supplies defaults and clear errors:

* ``yes_complete/``  the book's playlist data set (Shuo Chen, Cornell; Yes.com playlists)
* ``gutenberg/english.txt``  186 public-domain English books, 70 MB
* ``book/comparison_text.txt``  the chapter's tokenizer-comparison text
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path
from .errors import TokembError

REPO_ROOT = Path(__file__).resolve().parents[1]

# What each known data set is, and where a user gets it.
DATASETS = {
    "yes_complete": "the book's playlist data set (yes_complete: train.txt, song_hash.txt, tags.txt, "
    "tag_hash.txt), from Shuo Chen's 'Playlist Dataset' page at Cornell (www.cs.cornell.edu/~shuochen/lme/)",
    "gutenberg": "gutenberg/english.txt: public-domain English books from Project Gutenberg, one document per "
    "blank-line-separated block (the repository rcdm-uga/Gutenberg_Text has them)",
    "book": "book/comparison_text.txt: the tokenizer-comparison text of chapter 2's notebook "
    "(Hands-On Large Language Models, github.com/HandsOnLLM/Hands-On-Large-Language-Models)",
}


class DataNotFoundError(TokembError, FileNotFoundError):
    """A data file is missing; the message says what it is and where to get it."""


def data_root() -> Path:
    """``$TOKEMB_DATA`` if set, else ``../shared/data`` next to the repository."""
    env = os.environ.get("TOKEMB_DATA")
    return Path(env).expanduser() if env else REPO_ROOT.parent / "shared" / "data"


def data_path(*parts: str) -> Path:
    """The path of a data file under :func:`data_root`, or :class:`DataNotFoundError`.

    >>> data_path("yes_complete", "train.txt")  # doctest: +SKIP
    PosixPath('.../shared/data/yes_complete/train.txt')
    """
    path = data_root().joinpath(*parts)
    if not path.exists():
        what = DATASETS.get(parts[0], "a tokemb data file") if parts else "the data folder"
        raise DataNotFoundError(
            f"{path} not found. It is {what}. Put it under {data_root()} "
            f"or point the TOKEMB_DATA environment variable at the folder that holds it."
        )
    return path


def python_stdlib_source(min_chars: int) -> str:
    """The standard library's own ``.py`` files, in name order, joined until at least
    ``min_chars`` long (or all of them): real Python source that every install has.
    Files that are not UTF-8 or cannot be read are passed over."""
    parts, size = [], 0
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py")):
        try:
            source = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        parts.append(source)
        size += len(source)
        if size > min_chars:
            break
    return "".join(parts)
