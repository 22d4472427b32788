"""Walkthrough sections compare-tokenizers and tokenizer-properties: trained tokenizers compared.

Each tokenizer's split is computed by scratch and checked, id for id, against the real
tokenizer (transformers, tiktoken or sentencepiece) on the same text.
"""

from __future__ import annotations

import sys
from typing import TextIO

# Chapter 2 compares these, in this order (Flan-T5 and Galactica cannot be obtained here).
BOOK_TOKENIZERS = ["bert-base-uncased", "bert-base-cased", "gpt2", "cl100k_base", "starcoder2", "phi-3",
                   "llama-2", "llama-3", "qwen2", "smollm2"]  # fmt: skip

# The chapter's opening prompt, used when the comparison text file is not available.
FALLBACK_TEXT = ("Write an email apologizing to Sarah for the tragic gardening mishap. "
                 "Explain how it happened.")  # fmt: skip


def comparison_text(out: TextIO) -> str:
    from scratch.data import DataNotFoundError, data_path
    from scratch.files import read_text

    try:
        return read_text(data_path("book", "comparison_text.txt"))
    except DataNotFoundError as exc:
        out.write(f"(The chapter's comparison text is not here: {exc}\n Using the chapter's prompt instead.)\n\n")
        return FALLBACK_TEXT


def compare_tokenizers(out: TextIO) -> None:
    import reference.tokenizers as reference_tokenizers
    from scratch import tokenizers
    from scratch.tokenizers import view

    text = comparison_text(out)
    out.write("The text:\n" + text + "\n")
    colour = out is sys.stdout and sys.stdout.isatty()
    for name in BOOK_TOKENIZERS:
        scratch_split = view.split(tokenizers.load(name), text, name=name)
        reference_ids = reference_tokenizers.load(name).encode(text)
        same = "the same ids as" if reference_ids == scratch_split.ids else "DIFFERENT ids from"
        out.write(f"\n{name} ({tokenizers.PRETRAINED[name].model}): {scratch_split.summary()}; "
                  f"scratch gives {same} the real tokenizer\n")  # fmt: skip
        out.write((view.render_ansi(scratch_split) if colour else view.render_plain(scratch_split)) + "\n")


def tokenizer_properties(out: TextIO) -> None:
    from reference.cli.tokenizers import describe

    out.write("A tokenizer is defined by its method, its vocabulary (size and special tokens),\n"
              "its normalisation and pre-tokenization, and the data it was trained on.\n"
              "The vocabulary size is the tokenizer's number of ids; a model's embedding matrix may\n"
              "have more rows (Phi-3's has 32,064, section 1, for a tokenizer of 32,011 ids): rows\n"
              "padded to a multiple of 64, which no text ever produces.\n")  # fmt: skip
    for name in BOOK_TOKENIZERS:
        out.write(f"\n{name}\n")
        for field, value in describe(name):
            out.write(f"  {field:<16} {value}\n")
