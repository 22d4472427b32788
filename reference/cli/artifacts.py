"""`tokemb artifacts list|fetch|clean`: the real pretrained files in the cache.

    tokemb artifacts list             what is cached, sizes, verified or not; the whole cache
    tokemb artifacts fetch NAME...    fetch and verify artifacts (or --all)
    tokemb artifacts clean            remove kept downloads (--derived, --all; --dry-run)

The cache itself (download, build, verify, heal, measure, clean) is :mod:`scratch.artifacts`.
"""

from __future__ import annotations

import argparse
import sys

from scratch.artifacts import (
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
        "derived": "made from artifacts on first use (GloVe tables, compiled tokenizers, ...): "
                   "`tokemb artifacts clean --derived`",
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


def register(commands: argparse._SubParsersAction) -> None:
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
