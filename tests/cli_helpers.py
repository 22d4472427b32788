"""What the command-line suites share: running ``tokemb`` in-process, reading its one error
line, and a small copy of the song data set that a one-epoch model trains on in seconds.

Imported by name like ``text_corpora`` (``tests/`` is on ``sys.path``, see ``conftest.py``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reference.cli import main
from scratch.data import data_path
from scratch.songs import BOOK_SONGS


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """``tokemb argv...`` run in-process: its exit status, stdout and stderr (caught by capsys)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(err: str) -> str:
    """The single ``tokemb: error:`` line of ``err``; fails on a traceback or more lines."""
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tokemb: error: "), err
    return lines[0]


def book_songs_subset(parent: Path, every: int) -> Path:
    """A ``yes_complete`` folder under ``parent`` with the real song, tag and tag-name files and
    every ``every``-th playlist of those that hold the book's songs (the header kept).

    Fails with where to get the data set when it is missing (``scratch.data.data_path``)."""
    source = data_path("yes_complete", "train.txt").parent
    folder = parent / "yes_complete"
    folder.mkdir()
    for name in ("song_hash.txt", "tags.txt", "tag_hash.txt"):
        shutil.copy(source / name, folder / name)
    with open(source / "train.txt", encoding="utf-8") as lines:
        header = [next(lines), next(lines)]
        kept = [line for line in lines if set(line.split()) & set(BOOK_SONGS)]
    (folder / "train.txt").write_text("".join(header + kept[::every]), encoding="utf-8")
    return folder
