"""`tokemb serve`: the playground in the browser (:mod:`reference.app`).

    tokemb serve                       http://127.0.0.1:7860
    tokemb serve --port 8000 --host 0.0.0.0

It needs the ``app`` extra (Gradio: ``pip install -e '.[app]'``); without it the command
says so. Everything runs on this machine: no share link, no analytics, nothing fetched
from another host (the artifacts a page needs come from the cache, or from PyPI on first
use, as for every command)."""

from __future__ import annotations

import argparse
import importlib.util

from .common import CommandLineError


def port_number(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1 to 65535)")
    return number


def cmd_serve(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("gradio") is None:
        raise CommandLineError("serve needs Gradio, which is not installed: pip install -e '.[app]'")
    from reference.app import serve

    app = serve(args.host, args.port)
    print(f"tokemb playground at http://{args.host}:{args.port} (Ctrl-C stops it)", flush=True)
    app.block_thread()
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    from reference.app import DEFAULT_HOST, DEFAULT_PORT

    serve = subparsers.add_parser("serve", help="the playground: tokens, merges and more in the browser (local, offline)")
    serve.add_argument("--port", type=port_number, default=DEFAULT_PORT, help="the port to listen on")
    serve.add_argument("--host", default=DEFAULT_HOST,
                       help="the address to listen on (0.0.0.0 opens it to the network)")  # fmt: skip
    serve.set_defaults(func=cmd_serve)
