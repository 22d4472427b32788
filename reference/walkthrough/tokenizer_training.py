"""Walkthrough section "the domain of the data": the same BPE trainer, the same
vocabulary size, two corpora (English books, Python source), two different tokenizers."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

VOCAB_SIZE = 2_000
CORPUS_CHARS = 1_200_000

PYTHON_FUNCTION = '''def mean(values):
    """The arithmetic mean of a list of numbers."""
    if not values:
        raise ValueError("mean of an empty list")
    total = 0
    for value in values:
        total += value
    return total / len(values)
'''

ENGLISH_PARAGRAPH = (
    "It was a bright cold day in April, and the clocks were striking thirteen. The old house "
    "at the end of the lane had stood empty for many years, and nobody in the village could "
    "remember who had lived there last."
)


def english_corpus(n_chars: int = CORPUS_CHARS) -> tuple[str, str]:
    """English books from the data folder, or Python's own English documentation without it."""
    from scratch.data import DataNotFoundError, data_path

    try:
        with open(data_path("gutenberg", "english.txt"), encoding="utf-8") as f:
            return f.read(n_chars), "English books (gutenberg/english.txt)"
    except DataNotFoundError:
        import pydoc_data.topics

        text = "\n\n".join(pydoc_data.topics.topics.values())[:n_chars]
        return text, "English prose from Python's own help pages (pydoc_data; gutenberg/english.txt not found)"


def python_corpus(n_chars: int = CORPUS_CHARS) -> tuple[str, str]:
    """The standard library's own ``.py`` files."""
    from scratch.data import python_stdlib_source

    return python_stdlib_source(n_chars)[:n_chars], "Python source (the standard library's .py files)"


def _show(out: TextIO, tok, text: str) -> int:
    """Write the split of ``text``; return its number of tokens."""
    from scratch.tokenizers.bytes_to_unicode import unspell
    from scratch.english import plural

    ids = tok.encode(text)
    pieces = [unspell(tok.id_to_token(i)).decode("utf-8", "replace") for i in ids]
    shown = "|".join(p.replace("\n", "\\n") for p in pieces)
    out.write(f"    {plural(len(ids), 'token')}, {len(ids) / len(text):.3f} tokens per character\n")
    out.write(f"    {shown}\n")
    return len(ids)


def conclusion(counts: dict[str, dict[str, int]]) -> str:
    """What the token counts show. ``counts[text][tokenizer]``, both keyed "python" and
    "english": each text is compared between the tokenizer trained on its own kind of
    text and the other one, and the sentence follows the numbers, so that a stand-in
    corpus that reverses a result is reported as it is, not as the book's finding."""
    kinds = {"python": ("code", "the Python function"), "english": ("English", "the English paragraph")}
    sentences = []
    for text, (label, what) in kinds.items():
        other = "english" if text == "python" else "python"
        own, theirs = counts[text][text], counts[text][other]
        if own < theirs:
            verdict = f"fewer tokens ({own} vs {theirs})"
        elif own > theirs:
            verdict = f"MORE tokens ({own} vs {theirs}): here, training on this kind of text did not pay off"
        else:
            verdict = f"as many tokens ({own})"
        sentences.append(f"on {what}, the {label}-trained tokenizer spends {verdict}")
    text = "; ".join(sentences)
    return text[0].upper() + text[1:] + "."


def domain_of_the_data(out: TextIO) -> None:
    import tempfile

    from scratch.tokenizers.train_bpe import train_bpe
    from scratch.tokenizers.folders import from_directory, save_byte_bpe

    out.write(f"The same byte-level BPE trainer, the same vocabulary size ({VOCAB_SIZE:,}), trained on\n"
              "two kinds of text. What it learns to keep whole is what its data repeats.\n")  # fmt: skip
    tokenizers = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, (text, source) in {"english": english_corpus(), "python": python_corpus()}.items():
            start = time.perf_counter()
            result = train_bpe(text.split("\n\n"), VOCAB_SIZE, show_progress=False)
            tokenizers[label] = from_directory(save_byte_bpe(result, Path(tmp) / f"bpe-{label}"))
            out.write(f"\n  {label}-trained: {len(text):,} characters of {source}; "
                      f"{time.perf_counter() - start:.1f} s\n")  # fmt: skip
            long = sorted((t for t in result.vocab if t.strip("Ġ") == "" and len(t) > 1), key=len)[-1:]
            out.write(f"    longest run of spaces in its vocabulary: {len(long[0]) if long else 1}\n")
    counts: dict[str, dict[str, int]] = {}
    for key, name, text in [("python", "an indented Python function", PYTHON_FUNCTION),
                            ("english", "an English paragraph", ENGLISH_PARAGRAPH)]:  # fmt: skip
        out.write(f"\n{name} ({len(text)} characters):\n")
        counts[key] = {}
        for label, tok in tokenizers.items():
            out.write(f"  {label}-trained tokenizer:\n")
            counts[key][label] = _show(out, tok, text)
    out.write("\n" + conclusion(counts) + "\n")
