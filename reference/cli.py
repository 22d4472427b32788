"""The `tokemb` command line: one CLI over scratch, the references and the artifacts.

    tokemb artifacts list             what is cached, sizes, verified or not
    tokemb artifacts fetch NAME...    fetch and verify artifacts (or --all)
    tokemb walkthrough [--section S]  the chapter, from scratch beside the references

It lives in ``reference`` because it shows scratch and the reference libraries side by
side; ``scratch`` never imports it.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import walkthrough
from .artifacts import ARTIFACTS, ArtifactError, artifact_dir, cache_dir, fetch, file_states, size_on_disk


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


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


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
    print(f"cache: {cache_dir()}")
    width = max(len(n) for n in ARTIFACTS)
    print(f"{'name':<{width}}  {'size':>9}  {'status':<22}  source")
    for name, artifact in ARTIFACTS.items():
        status = _artifact_status(name, args.check)
        size = _human(size_on_disk(name)) if status != "not fetched" else "-"
        source = " + ".join(p.spec for p in artifact.packages)
        if len(artifact.packages) > 2:
            source = f"{artifact.packages[0].spec} + {len(artifact.packages) - 1} more"
        print(f"{name:<{width}}  {size:>9}  {status:<22}  {source}")
        if args.verbose:
            print(f"{'':<{width}}  {artifact.summary}")
            print(f"{'':<{width}}  {artifact_dir(name)}")
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
    failed = 0
    for name in names:
        try:
            folder = fetch(name, progress=True, rehash=args.check)
        except ArtifactError as exc:
            print(f"{name}: FAILED: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{name}: verified, {_human(size_on_disk(name))} in {folder}")
    return 1 if failed else 0


def cmd_walkthrough(args: argparse.Namespace) -> int:
    if args.list:
        for number, section in enumerate(walkthrough.SECTIONS, start=1):
            built = "built" if section.run else f"not built yet (issue #{section.issue})"
            print(f"{number}. {section.key:<22} {section.title}  [{built}]")
        return 0
    walkthrough.run(args.section)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokemb",
        description="Tokens and token embeddings from scratch, beside the reference libraries.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    artifacts = commands.add_parser("artifacts", help="the real pretrained files: list, fetch, verify")
    artifact_commands = artifacts.add_subparsers(dest="artifacts_command", metavar="ACTION", required=True)
    listing = artifact_commands.add_parser("list", help="what is cached, sizes, verified or not")
    listing.add_argument("--check", action="store_true", help="rehash every cached file")
    listing.add_argument("-v", "--verbose", action="store_true", help="show what each artifact is and where")
    listing.set_defaults(func=cmd_artifacts_list)
    fetching = artifact_commands.add_parser("fetch", help="download, build and verify artifacts")
    fetching.add_argument("names", nargs="*", metavar="NAME", help=f"one of: {', '.join(ARTIFACTS)}")
    fetching.add_argument("--all", action="store_true", help="every artifact in the registry")
    fetching.add_argument("--check", action="store_true", help="rehash files that are already cached")
    fetching.set_defaults(func=cmd_artifacts_fetch)

    walk = commands.add_parser("walkthrough", help="the chapter, section by section, scratch beside reference")
    walk.add_argument("--section", choices=walkthrough.section_keys(), help="run one section only")
    walk.add_argument("--list", action="store_true", help="list the sections and whether they are built")
    walk.set_defaults(func=cmd_walkthrough)

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
