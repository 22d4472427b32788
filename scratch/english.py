"""Small helpers for the English that tokemb prints."""

from __future__ import annotations


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``"1 token"``, ``"2 tokens"``, ``"1,024 tokens"``, ``plural(2, "entry", "entries")``."""
    return f"{count:,} {noun if count == 1 else plural_form or noun + 's'}"
