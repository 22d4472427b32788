"""`tokemb tokens` and `tokemb tokenizer info`: the chapter's tokenizer comparison and
tokenizer properties, computed with the scratch tokenizers."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .cli import CommandLineError, check_output_folder

# Roles of well-known special tokens, from the models' cards and tokenizer configs.
SPECIAL_TOKEN_ROLES = {
    "[CLS]": "classification token: starts every input; its embedding summarises the text",
    "[SEP]": "separator: ends a sentence or separates a pair of sentences",
    "[PAD]": "padding: fills a batch to equal length, ignored through the attention mask",
    "[UNK]": "unknown: stands for text the vocabulary cannot express",
    "[MASK]": "mask: the token to predict in masked-language-model training",
    "<unk>": "unknown: stands for text the vocabulary cannot express",
    "<s>": "beginning of sequence (BOS)",
    "</s>": "end of sequence (EOS)",
    "<|endoftext|>": "end of text: separates documents; generation stops here",
    "<|user|>": "chat: a user turn begins",
    "<|assistant|>": "chat: the assistant's turn begins (generation prompt)",
    "<|system|>": "chat: a system message begins",
    "<|end|>": "chat: end of a turn",
    "<|im_start|>": "chat (ChatML): a message begins",
    "<|im_end|>": "chat (ChatML): a message ends",
    "<|begin_of_text|>": "beginning of text (BOS)",
    "<|end_of_text|>": "end of text (EOS)",
    "<|eot_id|>": "chat: end of a turn",
    "<|start_header_id|>": "chat: a role header begins",
    "<|end_header_id|>": "chat: a role header ends",
    "<fim_prefix>": "fill-in-the-middle: the code before the gap",
    "<fim_middle>": "fill-in-the-middle: the gap to fill",
    "<fim_suffix>": "fill-in-the-middle: the code after the gap",
    "<fim_pad>": "fill-in-the-middle: padding",
    "<filename>": "repository context: a file name follows",
    "<gh_stars>": "repository context: the repository's star count follows",
    "<issue_start>": "GitHub issue text begins",
    "<jupyter_start>": "Jupyter notebook content begins",
    "<reponame>": "repository context: the repository name follows",
    "<file_sep>": "repository context: separates files",
}


def looks_like_path(spec: str) -> bool:
    """A tokenizer argument names a file or folder when it has a slash or exists;
    otherwise it is a pretrained name."""
    return "/" in spec or os.sep in spec or Path(spec).exists()


def load_tokenizer(spec: str):
    """The scratch tokenizer for a command-line tokenizer argument: a pretrained name,
    a folder (``tokemb train-tokenizer``'s output, or a Hugging Face tokenizer folder), a
    ``.gguf`` file, a ``tokenizer.json`` or a SentencePiece ``.model`` file.

    A missing path, an unknown name or a file of another kind is a :class:`CommandLineError`
    that says which it is."""
    from scratch import tokenizers

    if not looks_like_path(spec):
        if spec not in tokenizers.PRETRAINED:
            raise CommandLineError(f"unknown tokenizer {spec!r}: not a path, and not one of "
                                   f"{', '.join(tokenizers.PRETRAINED)}")  # fmt: skip
        return tokenizers.load(spec)
    path = Path(spec)
    if not path.exists():
        raise CommandLineError(f"tokenizer {spec}: no such file or folder")
    if path.is_dir():
        return tokenizers.from_directory(path)
    if path.suffix == ".gguf":
        return tokenizers.from_gguf(path)
    if path.suffix == ".json":
        return tokenizers.from_tokenizer_json(path)
    if path.suffix == ".model":
        return tokenizers.from_sentencepiece(path)
    raise CommandLineError(f"tokenizer {spec}: not a tokenizer folder, .gguf file, tokenizer.json or "
                           "SentencePiece .model file")  # fmt: skip


def _book_text() -> str:
    from scratch.data import data_path
    from scratch.files import read_text

    return read_text(data_path("book", "comparison_text.txt"))


def cmd_tokens(args: argparse.Namespace) -> int:
    from scratch import tokenizers
    from scratch.files import write_text_atomic
    from scratch.tokenizers import view

    names = list(args.tokenizer or [])
    if args.book:
        text = _book_text()
        names = names or list(tokenizers.PRETRAINED)
    elif args.text is None:
        print("tokemb tokens: give a TEXT, or --book for the chapter's comparison text", file=sys.stderr)
        return 2
    else:
        text = args.text
    names = names or ["bert-base-uncased", "gpt2", "cl100k_base", "phi-3"]
    colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    splits = []
    loaded = [(name, load_tokenizer(name)) for name in names]  # every name checked before any output
    if args.html:
        check_output_folder(args.html, "--html")
    for name, tokenizer in loaded:
        split = view.split(tokenizer, text, name=name)
        splits.append(split)
        print(f"{name}  ({split.summary()})")
        print(view.render_ansi(split, args.ids) if colour else view.render_plain(split, args.ids))
        print()
    if args.html:
        write_text_atomic(args.html, view.render_html(splits))
        print(f"wrote {args.html}")
    return 0


def describe(name: str) -> list[tuple[str, str]]:
    """The chapter's "tokenizer properties" of a scratch tokenizer, as (field, value) rows."""
    from scratch import tokenizers

    tokenizer = load_tokenizer(name)
    rows = []
    if name in tokenizers.PRETRAINED:
        rows.append(("model", tokenizers.PRETRAINED[name].model))
    rows += list(tokenizer.describe().items()) if hasattr(tokenizer, "describe") else []
    rows.append(("vocabulary size", f"{tokenizer.vocab_size:,}"))
    specials = tokenizer.special_tokens
    for content, token_id in sorted(specials.items(), key=lambda kv: kv[1]):
        role = SPECIAL_TOKEN_ROLES.get(content, "")
        if content.startswith("<|placeholder") or (not role and len(specials) > 30):
            continue
        rows.append(("special token", f"{content!s:<22} id {token_id:<7} {role}".rstrip()))
    return rows


def cmd_tokenizer_info(args: argparse.Namespace) -> int:
    rows = describe(args.name)
    print(args.name)
    for field, value in rows:
        print(f"  {field:<16} {value}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    tokens = commands.add_parser("tokens", help="show how tokenizers split a text (the chapter's coloured view)")
    tokens.add_argument("text", nargs="?", help="the text to tokenize")
    tokens.add_argument("--tokenizer", "-t", action="append", metavar="NAME",
                        help="a pretrained name, a tokenizer folder, a .gguf, tokenizer.json or .model file; "
                             "repeatable")  # fmt: skip
    tokens.add_argument("--ids", action="store_true", help="show each token's id")
    tokens.add_argument("--book", action="store_true", help="the chapter's comparison text with every tokenizer")
    tokens.add_argument("--html", metavar="FILE", help="also write a self-contained HTML page")
    tokens.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                        help="colour output (default: when stdout is a terminal)")  # fmt: skip
    tokens.set_defaults(func=cmd_tokens)

    tokenizer = commands.add_parser("tokenizer", help="tokenizer properties")
    actions = tokenizer.add_subparsers(dest="tokenizer_command", metavar="ACTION", required=True)
    info = actions.add_parser("info", help="method, vocabulary, special tokens, normalisation, pre-tokenizer")
    info.add_argument("name", help="a pretrained name, a tokenizer folder, a .gguf, tokenizer.json or .model file")
    info.set_defaults(func=cmd_tokenizer_info)
