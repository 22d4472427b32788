"""The `tokemb` command line: one CLI over scratch, the references and the artifacts.

    tokemb artifacts list|fetch|clean     the real pretrained files     (artifacts.py)
    tokemb walkthrough [--section S]      the chapter, section by section (walkthrough.py)
    tokemb tokens|decode|tokenizer info   the tokenizers                 (tokenizers.py)
    tokemb similar, tokemb word2vec ...   word vectors                   (word2vec.py)
    tokemb embed|search                   text and token embeddings      (embed.py)
    tokemb train-tokenizer                train a tokenizer              (train_tokenizer.py)
    tokemb generate                       generation                     (generate.py)
    tokemb songs ...                      song recommendations           (songs.py)
    tokemb serve                          the playground in the browser  (serve.py)

Each command module has ``register(commands)``, which adds its parsers, whose defaults set
``func(args) -> int``. They import only light modules at the top; the heavy ones (torch,
numpy, transformers, numba, scratch's models) are imported inside the ``func``s, so that
``tokemb --help`` stays fast. What they share (errors, argparse types, :func:`describe`)
is :mod:`reference.cli.common`, re-exported here.

It lives in ``reference`` because it shows scratch and the reference libraries side by
side; ``scratch`` never imports it.

Errors. A user's mistake or a fault of the machine (a missing file, a full disk, a failed
download, a malformed model) is one line on stderr, ``tokemb: error: <message>``, never a
traceback: :func:`main` catches tokemb's own errors (:class:`scratch.errors.TokembError`)
and ``OSError`` at the top. ``tokemb --debug COMMAND ...`` lets them through with their
traceback. Any other exception is a bug in tokemb and keeps its traceback. A message
that carries detail (pip's last lines after a failed download) continues on indented
lines below the error line. Exit status:

    0    done
    1    the command failed (tokemb's errors, OSError)
    2    the command line is wrong: argparse's usage errors, an argument that is not
         UTF-8, or a :class:`CommandLineError` (a bad value, an unknown name, a missing
         input named on the command line)
    130  interrupted (Ctrl-C): ``tokemb: interrupted``
    141  stdout was closed early (``tokemb walkthrough | head``): quietly, as a program
         killed by SIGPIPE reports itself to the shell (128 + 13)
"""

from __future__ import annotations

import argparse
import os
import sys

from scratch.errors import TokembError

from . import artifacts, embed, generate, serve, songs, tokenizers, train_tokenizer, walkthrough, word2vec
from .common import (
    UNREADABLE_FILE_ERRORS,
    CommandLineError,
    InputFileError,
    check_output_folder,
    describe,
    non_negative_float,
    non_negative_int,
    positive_float,
    positive_int,
    reading,
)

__all__ = [
    "UNREADABLE_FILE_ERRORS",
    "CommandLineError",
    "InputFileError",
    "build_parser",
    "check_output_folder",
    "describe",
    "main",
    "non_negative_float",
    "non_negative_int",
    "positive_float",
    "positive_int",
    "reading",
]

# The command modules, in the order their commands are listed by `tokemb --help`.
COMMANDS = (artifacts, walkthrough, tokenizers, word2vec, embed, train_tokenizer, generate, songs, serve)

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a program stopped by Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Help that shows every option's default ("(default: 5)"), except for flags that take
    no value (``store_true``: off unless given) and options without a default."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.nargs == 0 or action.default is None:  # a flag (store_true ...), or nothing to show
            return action.help or ""
        return super()._get_help_string(action)


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help shows defaults; every subcommand's parser is one
    too (``add_subparsers`` makes parsers of its parent's class), so the commands modules
    get it without asking."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        """An option added without help still shows its default (argparse would show nothing)."""
        action = super().add_argument(*args, **kwargs)
        if action.help is None and action.option_strings and action.default not in (None, argparse.SUPPRESS):
            action.help = "(default: %(default)s)"
        return action


def version() -> str:
    """tokemb's version, from the installed package's metadata."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("tokemb")
    except PackageNotFoundError:
        return "unknown (not installed: pip install -e .)"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tokemb",
        description="Tokens and token embeddings from scratch, beside the reference libraries.",
        epilog="Errors are one line on stderr (exit status 1; 2 for a wrong command line, 130 when "
        "interrupted); --debug shows their traceback.",
    )
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an error instead of its one-line message")  # fmt: skip
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    for module in COMMANDS:
        module.register(commands)
    return parser


def non_utf8_argument(argv: list[str]) -> str | None:
    """A message naming the first argument that is not UTF-8 text, or None when all are.

    On POSIX, Python hands over undecodable bytes of ``argv`` as lone surrogates
    (``tokemb tokens $'\\xff'`` gives ``"\\udcff"``), which no tokenizer, file name or
    print can take; they are refused here, before any command sees them."""
    for position, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raw = os.fsencode(arg) if os.name == "posix" else arg.encode("utf-8", "backslashreplace")
            after = f" (after {ascii(argv[position - 2])})" if position > 1 else ""
            return (f"argument {position}{after} is not UTF-8 text: {raw!r}; "
                    "tokemb takes its arguments (texts, names and paths) as UTF-8")  # fmt: skip
    return None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's final flush of what is still buffered
    does not fail again on the closed pipe ("Exception ignored ... BrokenPipeError")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (tests capturing stdout)
        pass


def main(argv: list[str] | None = None) -> int:
    """Run one ``tokemb`` command; returns the exit status (see the module's docstring)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    problem = non_utf8_argument(argv)
    if problem:
        print(f"tokemb: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    debug = False
    try:
        args = build_parser().parse_args(argv)
        debug = args.debug
        status = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
        return status
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        if debug:
            raise
        print("tokemb: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (TokembError, OSError) as exc:
        if debug:
            raise
        message = describe(exc).replace("\n", "\n  ")
        print(f"tokemb: error: {message}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, CommandLineError) else EXIT_FAILURE

