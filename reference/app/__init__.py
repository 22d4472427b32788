"""``tokemb serve``: the playground, a local web app where scratch and the references are
seen side by side.

Pages (one module each, with what they compute kept free of the web toolkit, so that it
reads, and is tested, as plain Python; :mod:`.ui` lays them out):

* **Tokens** (:mod:`.tokens`): a text through any pretrained tokenizer, a trained folder,
  a ``tokenizer.json``, a ``.model`` or a GGUF file; the coloured split with ids on
  hover, the count, characters per token, and whether scratch's ids are the reference's.

Why Gradio: it is the toolkit the ecosystem's demos are written in (Hugging Face Spaces),
so readers know it, and it gives text boxes, progress bars, tabs and streaming from
plain Python functions with no JavaScript to write. It is an optional extra
(``pip install -e '.[app]'``), imported only by :func:`serve` and :mod:`.ui`, so the
rest of tokemb, and ``tokemb --help``, never load it.

Offline by construction (:func:`serve`): Gradio's analytics and version check are off
(``GRADIO_ANALYTICS_ENABLED=False``, ``analytics_enabled=False``), the theme uses the
system's fonts only (no Google Fonts, no bundled web fonts), there is no share link
(``share=False``: no tunnel), no server-side rendering (no Node process), no MCP server,
and the app listens on 127.0.0.1 unless told otherwise. Gradio's front end is served
from the installed package; ``tests/test_app.py`` checks in a real browser that the page
asks no other host for anything.
"""

from __future__ import annotations

import os

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def offline_environment() -> None:
    """Gradio's switches for telemetry and update checks, off before it is imported."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def launch_options(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> dict:
    """The keyword arguments of ``Blocks.launch`` that keep the app local and offline."""
    from .ui import CSS, theme

    return dict(server_name=host, server_port=port, share=False, inbrowser=False, ssr_mode=False,
                mcp_server=False, pwa=False, enable_monitoring=False, footer_links=[], quiet=True,
                show_error=False, theme=theme(), css=CSS)  # fmt: skip


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT):
    """Start the playground at ``http://host:port`` and return once it listens, with the
    Blocks object: ``.block_thread()`` waits until Ctrl-C, ``.close()`` stops it."""
    offline_environment()
    from .ui import build

    app = build()
    app.queue(default_concurrency_limit=1)  # one model computation at a time
    app.launch(prevent_thread_lock=True, **launch_options(host, port))
    return app
