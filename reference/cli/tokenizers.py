"""`tokemb tokens`, `tokemb decode` and `tokemb tokenizer info`: the chapter's tokenizer
comparison and tokenizer properties, computed with the scratch tokenizers.

``tokens`` takes its text as an argument, from standard input (``-``) or from a file
(``--file``, read byte for byte), and shows it coloured (terminal), plain, as an HTML page
(``--html``), as JSON Lines (``--json``: ids, vocabulary entries, each token's bytes and
their byte spans in the text) or as counts (``--count``). ``decode`` turns ids back into
text. ``tokenizer info`` lists method, normalisation, pre-tokenizer, vocabulary size
(explained) and special tokens."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from scratch.english import plural

from .common import CommandLineError, check_output_folder, non_negative_int

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


def _input_text(args: argparse.Namespace) -> str | None:
    """The text to tokenize: ``--file PATH`` (read byte for byte: line endings kept),
    ``-`` for standard input, the TEXT argument, or the book's text with ``--book``."""
    from scratch.files import read_text

    given = [what for what, on in (("TEXT", args.text is not None), ("--file", args.file is not None),
                                   ("--book", args.book)) if on]  # fmt: skip
    if len(given) > 1:
        raise CommandLineError(f"tokens: give one of TEXT, --file or --book, not {' and '.join(given)}")
    if args.file is not None:
        return read_text(args.file)
    if args.text == "-":
        data = sys.stdin.buffer.read()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CommandLineError(f"standard input is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if args.book:
        return _book_text()
    return args.text


def token_record(split, tokenizer) -> dict:
    """One tokenizer's split as JSON: ids, vocabulary entries, each token's bytes (hex) and
    the byte spans of the tokens in the UTF-8 of the text (None when the tokenizer changes
    the text, e.g. lower-casing, so that no exact span exists). Character offsets as
    Hugging Face's ``offset_mapping`` gives them are not computed by scratch."""
    from scratch.tokenizers import view

    special = set(tokenizer.special_tokens.values())
    spans = view.byte_spans(split.text, split.piece_bytes, [i in special for i in split.ids])
    return {
        "tokenizer": split.name,
        "count": len(split.ids),
        "ids": split.ids,
        "tokens": split.tokens,
        "bytes": [raw.hex() for raw in split.piece_bytes],
        "byte_spans": None if spans is None else [list(span) for span in spans],
    }


def cmd_tokens(args: argparse.Namespace) -> int:
    import json

    from scratch import tokenizers
    from scratch.files import write_text_atomic
    from scratch.tokenizers import view

    text = _input_text(args)
    if text is None:
        raise CommandLineError("tokens: give a TEXT (- for standard input), --file PATH, or --book for the "
                               "chapter's comparison text")  # fmt: skip
    names = list(args.tokenizer or [])
    if args.book:
        names = names or list(tokenizers.PRETRAINED)
    names = names or ["bert-base-uncased", "gpt2", "cl100k_base", "phi-3"]
    colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    loaded = [(name, load_tokenizer(name)) for name in names]  # every name checked before any output
    if args.html:
        check_output_folder(args.html, "--html")
    splits, records = [], []
    for name, tokenizer in loaded:
        split = view.split(tokenizer, text, name=name)
        splits.append(split)
        if args.json:
            records.append(token_record(split, tokenizer))
        elif args.count:
            print(f"{name}\t{plural(len(split.ids), 'token')}")
        else:
            print(f"{name}  ({split.summary()})")
            print(view.render_ansi(split, args.ids) if colour else view.render_plain(split, args.ids))
            print()
    for record in records:  # JSON Lines: one object per tokenizer, one per line
        print(json.dumps(record, ensure_ascii=False))
    if args.html:
        write_text_atomic(args.html, view.render_html(splits, show_ids=args.ids))
        print(f"wrote {args.html}", file=sys.stderr if args.json or args.count else sys.stdout)
    return 0


def cmd_decode(args: argparse.Namespace) -> int:
    """Ids back to text with the scratch tokenizer, as the reference's ``decode``."""
    tokenizer = load_tokenizer(args.tokenizer)
    size = tokenizer.vocab_size
    unknown = [i for i in args.ids if not 0 <= i < size or tokenizer.id_to_token(i) is None]
    if unknown:
        raise CommandLineError(f"decode: {args.tokenizer} has no token with id {', '.join(map(str, unknown[:10]))} "
                               f"(its ids are 0 to {size - 1:,})")  # fmt: skip
    text = tokenizer.decode(args.ids, skip_special_tokens=args.skip_special_tokens)
    sys.stdout.write(text if args.no_newline else text + "\n")
    return 0


def _method_rows(tokenizer) -> list[tuple[str, str]]:
    """Method, normalisation and pre-tokenization of a scratch tokenizer, read from its
    public settings (what the chapter's "tokenizer properties" list)."""
    from scratch.tokenizers.byte_bpe import ByteLevelBPE
    from scratch.tokenizers.sentencepiece_bpe import SentencePieceBPE
    from scratch.tokenizers.unigram import UnigramTokenizer
    from scratch.tokenizers.wordpiece import WordPieceTokenizer

    if isinstance(tokenizer, ByteLevelBPE):
        pre = tokenizer.pre_tokenizer
        method = "byte-level BPE: text as UTF-8 bytes, merged by ranked merge rules; no unknown token"
        if tokenizer.ignore_merges:
            method += " (a chunk that is a whole vocabulary entry is taken as is: ignore_merges)"
        def isolate(step) -> str:
            return f"isolate {step.pattern}" + (" (on the byte spelling)" if step.byte_level else "")

        steps = [isolate(step) for step in pre.before] + (["every digit alone"] if pre.isolate_digits else [])
        if pre.pattern is not None:
            steps.append(f"regex {pre.name!r}: {pre.pattern}")
        steps += [isolate(step) for step in pre.after]
        split = ", then ".join(steps) if pre.pattern is not None else f"{pre.name!r}: " + ", then ".join(steps)
        return [("method", method), ("normalisation", pre.normalization or "none (the text is used as it is)"),
                ("pre-tokenizer", split)]  # fmt: skip
    if isinstance(tokenizer, SentencePieceBPE):
        return [("method", "SentencePiece BPE: scored merges of characters, byte fallback (<0xNN>) "
                           "for characters outside the vocabulary"),
                ("normalisation", "a dummy prefix \u2581 before the text, every space replaced by \u2581 "
                                  "(no Unicode normalisation, no lower-casing)"),
                ("pre-tokenizer", "none: SentencePiece sees the whole text; spaces are the character \u2581")]  # fmt: skip
    if isinstance(tokenizer, UnigramTokenizer):
        spec = tokenizer.model.normalizer
        steps = [f"rules {spec.name!r}" if spec.name else "no rules",
                 "a dummy prefix \u2581" if spec.add_dummy_prefix else "no dummy prefix",
                 "repeated spaces collapsed" if spec.remove_extra_whitespaces else "spaces kept",
                 "spaces as \u2581" if spec.escape_whitespaces else "spaces as they are"]  # fmt: skip
        fallback = "byte fallback (<0xNN>)"
        if not tokenizer.byte_fallback:
            fallback = f"unknown text becomes {tokenizer.unk_surface!r}"
        return [("method", f"SentencePiece Unigram: the most probable split (Viterbi); {fallback}"),
                ("normalisation", ", ".join(steps)),
                ("pre-tokenizer", "none: SentencePiece sees the whole text")]  # fmt: skip
    if isinstance(tokenizer, WordPieceTokenizer):
        cased = "lower-cased, accents stripped" if tokenizer.lowercase else "case and accents kept"
        if tokenizer.strip_accents is not None and tokenizer.lowercase:
            cased = "lower-cased, accents " + ("stripped" if tokenizer.strip_accents else "kept")
        return [("method", f"WordPiece: greedy longest match, continuations marked {tokenizer.continuing_prefix!r}; "
                           f"a word that cannot be spelt becomes {tokenizer.unk_token}"),
                ("normalisation", f"BERT's: control characters removed, whitespace as spaces, "
                                  f"CJK characters spaced, {cased}"),
                ("pre-tokenizer", "BERT's: split on whitespace, every punctuation character alone")]  # fmt: skip
    from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer

    if isinstance(tokenizer, PipelineTokenizer):
        rows = [("method", "tokenizer.json pipeline" + (" (encode on the fast path of a "
                           f"{type(tokenizer.fast).__name__})" if tokenizer.fast is not None else ""))]
        for stage in ("normalizer", "pre_tokenizer", "model", "post_processor", "decoder"):
            component = getattr(tokenizer, stage)
            rows.append((stage.replace("_", "-"), "none" if component is None else _component(component.to_json())))
        return rows
    return [("method", type(tokenizer).__name__)]


def _pipeline_rows(tokenizer) -> list[tuple[str, str]]:
    """A specialised tokenizer as the five stages of ``tokenizer.json`` (what it saves as)."""
    from scratch.tokenizers import NotExpressibleError
    from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer

    if isinstance(tokenizer, PipelineTokenizer):
        return []
    try:
        spec = tokenizer.to_tokenizer_json()
    except NotExpressibleError as exc:
        return [("as tokenizer.json", f"not expressible: {exc}")]
    return [(f"as {stage.replace('_', '-')}", "none" if spec.get(stage) is None else _component(spec[stage]))
            for stage in ("normalizer", "pre_tokenizer", "model", "post_processor", "decoder")]


def _component(spec: dict) -> str:
    """A stage's JSON in one line: its type, its options, Sequences spelled out (no vocabularies)."""
    kind = spec.get("type", "?")
    parts = []
    for key, value in spec.items():
        if key in ("type", "vocab", "merges", "precompiled_charsmap", "special_tokens"):
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) and "type" in v for v in value):
            return f"{kind}: " + " -> ".join(_component(v) for v in value)
        parts.append(f"{key}={json.dumps(value, ensure_ascii=False)}")
    return f"{kind}({', '.join(parts)})" if parts else kind


def _vocabulary_rows(name: str, tokenizer) -> list[tuple[str, str]]:
    """The vocabulary size, and where it comes from: the model's own entries, the added
    tokens after them, unused ids, and (GGUF files) the embedding rows the file pads to."""
    from scratch import tokenizers

    size = tokenizer.vocab_size
    added = {t.id for t in tokenizer.added_tokens}
    has_token = [tokenizer.id_to_token(i) is not None for i in range(size)]
    model_size = max((i for i in range(size) if has_token[i] and i not in added), default=-1) + 1
    unused = has_token.count(False)
    parts = [f"ids 0-{model_size - 1:,} for the model's entries"]
    after = len([i for i in added if i >= model_size])
    if after:
        parts.append(f"{plural(after, 'added token')} after them")
    if unused:
        parts.append(f"{plural(unused, 'id')} unused")
    rows = [("vocabulary size", f"{size:,} ({'; '.join(parts)})")]
    entry = tokenizers.PRETRAINED.get(name)
    if entry is not None and entry.loader == "gguf":
        gguf_path = tokenizers.pretrained_path(name)
    else:
        gguf_path = Path(name) if entry is None and name.endswith(".gguf") else None
    if gguf_path is not None:
        from scratch.tokenizers.gguf_vocab import read_gguf_vocab

        stored = len(read_gguf_vocab(gguf_path).tokens)
        if stored > size:
            rows.append(("embedding rows", f"{stored:,}: the model's embedding matrix is padded to {stored:,} rows "
                                           f"(the GGUF lists them as [PAD{size}] ... [PAD{stored - 1}]); "
                                           f"ids {size:,} and above are no tokens of the tokenizer"))  # fmt: skip
    return rows


def describe(name: str) -> list[tuple[str, str]]:
    """The chapter's "tokenizer properties" of a scratch tokenizer, as (field, value) rows:
    model, method, normalisation, pre-tokenizer, vocabulary size explained, special tokens."""
    from scratch import tokenizers

    tokenizer = load_tokenizer(name)
    rows = []
    if name in tokenizers.PRETRAINED:
        rows.append(("model", tokenizers.PRETRAINED[name].model))
    rows += _method_rows(tokenizer)
    rows += _pipeline_rows(tokenizer)
    rows += _vocabulary_rows(name, tokenizer)
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


def cmd_tokenizer_save(args: argparse.Namespace) -> int:
    """Write a scratch tokenizer as a Hugging Face ``tokenizer.json`` that ``tokenizers`` and
    transformers load and that gives the same ids (or refuse, saying what it cannot express)."""
    check_output_folder(args.out, "OUT")
    written = load_tokenizer(args.name).save(args.out)
    print(f"wrote {written}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    tokens = commands.add_parser("tokens", help="show how tokenizers split a text (the chapter's coloured view)")
    tokens.add_argument("text", nargs="?", help="the text to tokenize; - reads standard input")
    tokens.add_argument("--file", metavar="PATH", help="tokenize this UTF-8 file, byte for byte (line endings kept)")
    tokens.add_argument("--tokenizer", "-t", action="append", metavar="NAME",
                        help="a pretrained name, a tokenizer folder, a .gguf, tokenizer.json or .model file; "
                             "repeatable (default: bert-base-uncased, gpt2, cl100k_base, phi-3)")  # fmt: skip
    tokens.add_argument("--ids", action="store_true", help="show each token's id (also in the --html page)")
    tokens.add_argument("--book", action="store_true", help="the chapter's comparison text with every tokenizer")
    tokens.add_argument("--html", metavar="FILE", help="also write a self-contained HTML page")
    shown = tokens.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true",
                       help="print ids, tokens, bytes and byte spans as JSON Lines (one object per tokenizer, "
                            "one per line)")  # fmt: skip
    shown.add_argument("--count", action="store_true", help="print only the number of tokens per tokenizer")
    tokens.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                        help="colour output (default: auto, when stdout is a terminal)")  # fmt: skip
    tokens.set_defaults(func=cmd_tokens)

    decode = commands.add_parser("decode", help="token ids back to text")
    decode.add_argument("ids", nargs="+", type=non_negative_int, metavar="ID", help="token ids")
    decode.add_argument("--tokenizer", "-t", required=True, metavar="NAME",
                        help="a pretrained name, a tokenizer folder, a .gguf, tokenizer.json or .model file")  # fmt: skip
    decode.add_argument("--skip-special-tokens", action="store_true", help="leave out special tokens such as <s>")
    decode.add_argument("-n", "--no-newline", action="store_true", help="do not end the output with a newline")
    decode.set_defaults(func=cmd_decode)

    tokenizer = commands.add_parser("tokenizer", help="tokenizer properties")
    actions = tokenizer.add_subparsers(dest="tokenizer_command", metavar="ACTION", required=True)
    info = actions.add_parser("info", help="method, normalisation, pre-tokenizer, vocabulary, special tokens")
    info.add_argument("name", help="a pretrained name, a tokenizer folder, a .gguf, tokenizer.json or .model file")
    info.set_defaults(func=cmd_tokenizer_info)
    save = actions.add_parser("save", help="write it as a tokenizer.json (loads in tokenizers and transformers)")
    save.add_argument("name", help="a pretrained name, a tokenizer folder, a .gguf, tokenizer.json or .model file")
    save.add_argument("out", metavar="OUT", help="the tokenizer.json to write (a folder: its tokenizer.json)")
    save.set_defaults(func=cmd_tokenizer_save)
