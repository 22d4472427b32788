"""Real text for the tokenizer equivalence suites: English books, Python source and
multilingual text, each cut to a requested size at line boundaries.

* English: ``gutenberg/english.txt`` under ``TOKEMB_DATA`` (fails with a message saying
  where to get it when missing).
* Python source: the standard library's own ``.py`` files, from this interpreter.
* Multilingual: the ``multilingual-text`` artifact (chatterbot-corpus dialogues in 28
  languages) plus the UTF-8 CJK samples in CPython's ``test/cjkencodings``, and the
  chapter's comparison text with its emoji.
"""

from __future__ import annotations

import sysconfig
from functools import lru_cache
from pathlib import Path

from scratch.artifacts import fetch_file
from scratch.data import data_path, python_stdlib_source


def _cut(text: str, n_chars: int) -> str:
    if len(text) <= n_chars:
        return text
    end = text.rfind("\n", 0, n_chars)
    return text[: end + 1 if end > 0 else n_chars]


@lru_cache(maxsize=None)
def _english_full() -> str:
    with open(data_path("gutenberg", "english.txt"), encoding="utf-8") as f:
        return f.read(40_000_000)


def english(n_chars: int = 1_000_000, offset: int = 0) -> str:
    """English book text, ``n_chars`` long, starting near ``offset``."""
    text = _english_full()
    start = text.find("\n", offset) + 1 if offset else 0
    return _cut(text[start:], n_chars)


@lru_cache(maxsize=None)
def _python_full() -> str:
    return python_stdlib_source(4_000_000)


def python_source(n_chars: int = 1_000_000) -> str:
    """Python standard-library source code (indentation, tabs, operators, docstrings)."""
    return _cut(_python_full(), n_chars)


@lru_cache(maxsize=None)
def _multilingual_full() -> str:
    text = fetch_file("multilingual-text", "multilingual.txt").read_text(encoding="utf-8")
    cjk = Path(sysconfig.get_paths()["stdlib"]) / "test" / "cjkencodings"
    samples = [p.read_text(encoding="utf-8") for p in sorted(cjk.glob("*-utf8.txt"))] if cjk.is_dir() else []
    return text + "\n".join(samples)


def multilingual(n_chars: int = 1_000_000) -> str:
    """Dialogues in 28 languages (Cyrillic, Arabic script, Devanagari, Han, Hangul ...)."""
    return _cut(_multilingual_full(), n_chars)


def comparison_text() -> str:
    """The chapter's tokenizer-comparison text, byte for byte (``book/comparison_text.txt``)."""
    return data_path("book", "comparison_text.txt").read_text(encoding="utf-8")


def blocks(text: str, size: int = 20_000) -> list[str]:
    """``text`` in pieces of about ``size`` characters, each cut after a line end."""
    out, start = [], 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        out.append(text[start:end])
        start = end
    return out


def llama_cpp_cases(gguf_name: str) -> list[tuple[str, list[int]]]:
    """The (text, ids) cases of llama.cpp's ``ggml-vocab-NAME.gguf.inp/.out`` files.

    ``.inp`` holds the test strings separated by lines ``__ggml_vocab_test__``; line i
    of ``.out`` holds the ids the original Hugging Face tokenizer produced for string i
    (encoded without special tokens).
    """
    inp = fetch_file("gguf-vocabs", f"ggml-vocab-{gguf_name}.gguf.inp").read_text(encoding="utf-8")
    out = fetch_file("gguf-vocabs", f"ggml-vocab-{gguf_name}.gguf.out").read_text(encoding="utf-8")
    separator = "\n__ggml_vocab_test__\n"
    if inp.endswith(separator):  # most files end with a separator; gemma-4's does not
        inp = inp[: -len(separator)]
    texts = inp.split(separator)
    ids = [[int(x) for x in line.split()] for line in out.rstrip("\n").split("\n")]
    if len(texts) != len(ids):
        raise ValueError(f"ggml-vocab-{gguf_name}: {len(texts)} test strings but {len(ids)} id lines")
    return list(zip(texts, ids))
