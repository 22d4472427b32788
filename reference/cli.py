"""The `tokemb` command line: one CLI over scratch, the references and the artifacts.

    tokemb artifacts list             what is cached, sizes, verified or not; the whole cache
    tokemb artifacts fetch NAME...    fetch and verify artifacts (or --all)
    tokemb artifacts clean            remove kept downloads (--derived, --all; --dry-run)
    tokemb walkthrough [--section S]  the chapter, from scratch beside the references

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
import contextlib
import importlib
import math
import os
import sys
import zipfile
import zlib
from typing import Iterator

from scratch.errors import TokembError

from . import walkthrough
from .artifacts import (
    ARTIFACTS,
    ArtifactError,
    artifact_dir,
    cache_dir,
    cache_usage,
    clean,
    describe_plan,
    fetch,
    file_states,
    human_size,
    size_on_disk,
)

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a program stopped by Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE


class CommandLineError(TokembError, ValueError):
    """The command line asks for something that cannot be done: exit status 2.

    Raised by the commands for a bad option value, an unknown name or a missing input
    that the user named; the message says which argument and why."""


class InputFileError(TokembError, ValueError):
    """A file named on the command line exists but cannot be read as what the command
    needs (a truncated ``.npz``, a file of another kind); the message names the file."""


@contextlib.contextmanager
def refused_as_usage_error() -> Iterator[None]:
    """Inside, a plain ``ValueError`` (or ``FileNotFoundError``) is the library refusing a
    value or a path taken from the command line: it becomes a :class:`CommandLineError`
    with the same message. tokemb's own errors pass unchanged."""
    try:
        yield
    except (ValueError, FileNotFoundError) as exc:
        if isinstance(exc, TokembError):
            raise
        raise CommandLineError(describe(exc)) from exc


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


# Modules that add their own subcommands: each has ``register(subparsers)``, which adds
# parsers whose defaults set ``func(args) -> int``. Keep heavy imports inside the ``func``s
# so that ``tokemb --help`` stays fast.
COMMAND_MODULES: list[str] = [
    "reference.commands_tokenizers",
    "reference.commands_word2vec",
    "reference.commands_embed",
    "reference.commands_train_tokenizer",
    "reference.commands_generate",
    "reference.commands_songs",
]


def _artifact_status(name: str, rehash: bool) -> str:
    states = file_states(name, rehash=rehash)
    if all(s.ok is False and not s.path.exists() for s in states):
        return "not fetched"
    if all(s.ok for s in states):
        return "verified"
    if any(not s.path.exists() for s in states):
        return "incomplete"
    if any(s.ok is False for s in states):
        return "BAD HASH"
    return "changed since verified"


def cmd_artifacts_list(args: argparse.Namespace) -> int:
    """Each artifact (size, status, source, and the size of its kept download), then what
    the whole cache holds, folder by folder: artifacts/, downloads/, derived/ and the rest."""
    usage = cache_usage()
    print(f"cache: {usage.root}")
    width = max(len(n) for n in ARTIFACTS)
    print(f"{'name':<{width}}  {'size':>9}  {'download':>9}  {'status':<22}  source")
    for name, artifact in ARTIFACTS.items():
        status = _artifact_status(name, args.check)
        size = human_size(size_on_disk(name)) if status != "not fetched" else "-"
        kept = [usage.downloads.get(p.spec.replace("==", "-")) for p in artifact.packages]
        download = human_size(sum(k for k in kept if k is not None)) if any(k is not None for k in kept) else "-"
        source = " + ".join(p.spec for p in artifact.packages)
        if len(artifact.packages) > 2:
            source = f"{artifact.packages[0].spec} + {len(artifact.packages) - 1} more"
        print(f"{name:<{width}}  {size:>9}  {download:>9}  {status:<22}  {source}")
        if args.verbose:
            print(f"{'':<{width}}  {artifact.summary}")
            print(f"{'':<{width}}  {artifact_dir(name)}")
    print(f"\nthe whole cache, {human_size(usage.total)}:")
    notes = {
        "artifacts": "the verified files",
        "downloads": "packages pip saved, needed only to rebuild: `tokemb artifacts clean --downloads`",
        "derived": "made from artifacts on first use: `tokemb artifacts clean --derived`",
        "locks": "lock files (empty)",
    }
    for folder, size in usage.folders.items():
        print(f"  {folder + '/':<12} {human_size(size):>9}  {notes.get(folder, '')}".rstrip())
        if args.verbose and folder == "derived":
            for entry, entry_size in usage.derived.items():
                print(f"    {entry:<40} {human_size(entry_size):>9}")
    return 0


def cmd_artifacts_clean(args: argparse.Namespace) -> int:
    """Remove kept downloads (the default), derived files, or everything but the locks."""
    downloads = args.downloads or not (args.derived or args.all)
    removals = clean(downloads=downloads, derived=args.derived, everything=args.all, dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    for removal in removals:
        print(f"{verb} {human_size(removal.size):>9}  {removal.path}  ({removal.why})")
    total = sum(r.size for r in removals)
    if not removals:
        print(f"nothing to remove in {cache_dir()}")
    elif args.dry_run:
        print(f"would free {human_size(total)} ({len(removals)} item(s)); run without --dry-run to remove them")
    else:
        print(f"freed {human_size(total)} ({len(removals)} item(s))")
    return 0


def cmd_artifacts_fetch(args: argparse.Namespace) -> int:
    names = list(ARTIFACTS) if args.all else args.names
    if not names:
        print("tokemb artifacts fetch: name one or more artifacts, or --all. Known: " + ", ".join(ARTIFACTS))
        return 2
    unknown = [n for n in names if n not in ARTIFACTS]
    if unknown:
        print(f"tokemb artifacts fetch: unknown artifact(s) {', '.join(unknown)}; known: {', '.join(ARTIFACTS)}",
              file=sys.stderr)  # fmt: skip
        return 2
    plan = describe_plan(names)
    if plan:
        print(plan, file=sys.stderr, flush=True)
    failed = 0
    for name in names:
        try:
            folder = fetch(name, progress=True, rehash=args.check)
        except ArtifactError as exc:
            print(f"{name}: FAILED: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{name}: verified, {human_size(size_on_disk(name))} in {folder}")
    return 1 if failed else 0


def cmd_walkthrough(args: argparse.Namespace) -> int:
    if args.list:
        for number, section in enumerate(walkthrough.SECTIONS, start=1):
            print(f"{number}. {section.key:<22} {section.title}")
        return 0
    walkthrough.run(args.section)
    return 0


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

    artifacts = commands.add_parser("artifacts", help="the real pretrained files: list, fetch, verify")
    artifact_commands = artifacts.add_subparsers(dest="artifacts_command", metavar="ACTION", required=True)
    listing = artifact_commands.add_parser(
        "list", help="what is cached, sizes, verified or not, and the size of the whole cache")
    listing.add_argument("--check", action="store_true", help="rehash every cached file")
    listing.add_argument("-v", "--verbose", action="store_true",
                         help="show what each artifact is and where, and each derived file")  # fmt: skip
    listing.set_defaults(func=cmd_artifacts_list)
    fetching = artifact_commands.add_parser("fetch", help="download, build and verify artifacts")
    fetching.add_argument("names", nargs="*", metavar="NAME", help=f"one of: {', '.join(ARTIFACTS)}")
    fetching.add_argument("--all", action="store_true", help="every artifact in the registry")
    fetching.add_argument("--check", action="store_true", help="rehash files that are already cached")
    fetching.set_defaults(func=cmd_artifacts_fetch)
    cleaning = artifact_commands.add_parser(
        "clean", help="remove what the cache keeps but no longer needs (kept downloads by default)",
        description="Remove kept downloads (the default: pip's archives, needed only to rebuild an artifact), "
        "derived files (--derived: made again from the artifacts on first use), or everything but the lock "
        "files (--all: the artifacts too). --dry-run lists what would go and how much it frees.")
    cleaning.add_argument("--downloads", action="store_true", help="the packages pip saved (the default)")
    cleaning.add_argument("--derived", action="store_true",
                          help="files derived from artifacts (SmolLM2's float32 folder, SentencePiece models)")
    cleaning.add_argument("--all", action="store_true",
                          help="everything in the cache but the lock files: artifacts, downloads, derived, songs")
    cleaning.add_argument("-n", "--dry-run", action="store_true", help="list what would be removed; remove nothing")
    cleaning.set_defaults(func=cmd_artifacts_clean)

    walk = commands.add_parser("walkthrough", help="the chapter, section by section, scratch beside reference")
    walk.add_argument("--section", choices=walkthrough.section_keys(), help="run one section only")
    walk.add_argument("--list", action="store_true", help="list the sections and whether they are built")
    walk.set_defaults(func=cmd_walkthrough)

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(commands)
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


if __name__ == "__main__":
    # `python -m reference.cli`: run the module the commands import, not this __main__ copy,
    # so that there is one CommandLineError class, and the exit status sees it
    from reference import cli

    sys.exit(cli.main())
