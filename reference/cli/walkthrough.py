"""`tokemb walkthrough`: the chapter, section by section (:mod:`reference.walkthrough`).

    tokemb walkthrough                      every section, in the chapter's order
    tokemb walkthrough --section word2vec   one section
    tokemb walkthrough --list               the sections
"""

from __future__ import annotations

import argparse

from reference import walkthrough


def cmd_walkthrough(args: argparse.Namespace) -> int:
    """List the sections (``--list``), or run them all or the one ``--section`` names."""
    if args.list:
        for number, section in enumerate(walkthrough.SECTIONS, start=1):
            print(f"{number}. {section.key:<22} {section.title}")
        return 0
    walkthrough.run(args.section)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    walk = commands.add_parser("walkthrough", help="the chapter, section by section, scratch beside reference")
    walk.add_argument("--section", choices=walkthrough.section_keys(), help="run one section only")
    walk.add_argument("--list", action="store_true", help="list the sections, in order")
    walk.set_defaults(func=cmd_walkthrough)
