"""`tokemb train-tokenizer`: train a tokenizer from scratch on text files.

    tokemb train-tokenizer --method bpe --vocab-size 8000 books.txt -o my-bpe
    tokemb tokens --tokenizer my-bpe          # compare it with the pretrained ones

Each file is cut into documents at blank lines (each document is pre-tokenized on its
own, as one sequence is in ``tokenizers``). The summary gives the vocabulary size, the
training time, and the compression on the first 200,000 characters of the corpus
(characters and bytes per token).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def read_corpus(paths: list[str]) -> list[str]:
    """The documents of the corpus files (UTF-8; cut at blank lines, ``"\\n\\n"``).

    The text is read byte for byte (:func:`scratch.files.read_text`): ``"\\r\\n"`` and a
    lone ``"\\r"`` stay as they are in the file, as the reference trainers see them. A
    folder is refused (name the files in it); so are a missing file, a file that is not
    UTF-8 (:class:`~scratch.files.TextDecodeError`, with the byte offset) and a corpus
    with no text at all.
    """
    from scratch.files import read_text
    from scratch.tokenizers.base import TrainingError

    texts: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            raise TrainingError(f"corpus {path} is a folder, not a text file: name the files in it (e.g. {path}/*.txt)")
        if not path.exists():
            raise TrainingError(f"corpus file {path} does not exist")
        texts.extend(d for d in read_text(path).split("\n\n") if d)
    if not texts:
        raise TrainingError(f"the corpus is empty: {', '.join(paths)} hold(s) no text")
    return texts


def train_to_folder(method: str, texts: list[str], vocab_size: int, out: Path, *, min_frequency: int | None = None,
                    special_tokens: list[str] | None = None, pretokenizer: str = "gpt2", wordpiece_mode: str = "hf",
                    lowercase: bool = True, show_progress: bool = True, workers: int | None = None) -> Path:  # fmt: skip
    """Train with scratch and write the folder; returns it. ``workers``: bpe's word-counting
    processes (``None``: every usable core)."""
    if method == "bpe":
        from scratch.tokenizers.folders import save_byte_bpe
        from scratch.tokenizers.train_bpe import train_bpe

        result = train_bpe(texts, vocab_size, 2 if min_frequency is None else min_frequency,
                           special_tokens or (), pretokenizer, show_progress, workers)  # fmt: skip
        return save_byte_bpe(result, out)
    if method == "wordpiece":
        from scratch.tokenizers.folders import save_vocab_txt
        from scratch.tokenizers.train_wordpiece import train_wordpiece
        from scratch.tokenizers.wordpiece import BERT_SPECIAL_TOKENS

        vocab = train_wordpiece(texts, vocab_size, min_frequency or 0, special_tokens or BERT_SPECIAL_TOKENS,
                                lowercase, "hf" if wordpiece_mode == "hf" else "likelihood", show_progress)  # fmt: skip
        return save_vocab_txt(vocab, out, lowercase)
    if method == "spm-bpe":
        from scratch.tokenizers.folders import save_spm_bpe
        from scratch.tokenizers.train_spm_bpe import train_spm_bpe

        result = train_spm_bpe(texts, vocab_size, special_tokens=special_tokens or (), show_progress=show_progress)
        return save_spm_bpe(result, out)
    if method == "unigram":
        from scratch.tokenizers.folders import save_unigram
        from scratch.tokenizers.train_unigram import train_unigram

        lines = [line for text in texts for line in text.split("\n") if line.strip()]  # sentencepiece: a line each
        log = (lambda message: print(message, file=sys.stderr)) if show_progress else None
        model = train_unigram(lines, vocab_size, log=log)
        return save_unigram(model, out)  # only now: a failed training leaves no folder behind
    raise ValueError(f"unknown method {method!r}")


def cmd_train_tokenizer(args: argparse.Namespace) -> int:
    from scratch.errors import TokembError
    from scratch.tokenizers.folders import from_directory

    if args.workers is not None and args.method != "bpe":
        print(f"tokemb train-tokenizer: --workers applies to --method bpe only (the {args.method} trainer "
              "counts in one process)", file=sys.stderr)  # fmt: skip
        return 2
    try:
        texts = read_corpus(args.corpus)
    except (TokembError, OSError) as exc:
        print(f"tokemb train-tokenizer: {exc}", file=sys.stderr)
        return 2
    size = sum(len(t) for t in texts)
    print(f"corpus: {len(args.corpus)} file(s), {size:,} characters, {len(texts):,} documents", file=sys.stderr)
    start = time.perf_counter()
    try:
        folder = train_to_folder(args.method, texts, args.vocab_size, Path(args.output),
                                 min_frequency=args.min_frequency, special_tokens=args.special_token,
                                 pretokenizer=args.pretokenizer, wordpiece_mode=args.wordpiece_mode,
                                 lowercase=not args.cased, show_progress=not args.quiet,
                                 workers=args.workers)  # fmt: skip
    except (TokembError, OSError) as exc:
        print(f"tokemb train-tokenizer: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - start
    tok = from_directory(folder)
    sample, n = "", 0
    for t in texts:
        sample += t + "\n\n"
        n += len(t)
        if n > 200_000:
            break
    ids = tok.encode(sample, add_special_tokens=False)
    print(f"method:       {args.method}")
    print(f"vocab size:   {tok.vocab_size:,}")
    print(f"time:         {seconds:.1f} s")
    print(f"compression:  {len(sample) / max(len(ids), 1):.2f} characters/token, "
          f"{len(sample.encode('utf-8')) / max(len(ids), 1):.2f} bytes/token (first {len(sample):,} characters)")  # fmt: skip
    print(f"written to:   {folder} ({', '.join(sorted(p.name for p in folder.iterdir()))})")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("train-tokenizer", help="train a BPE / WordPiece / SentencePiece-BPE / Unigram tokenizer on text files")
    p.add_argument("corpus", nargs="+", metavar="CORPUS", help="UTF-8 text file(s)")
    p.add_argument("--method", choices=["bpe", "wordpiece", "spm-bpe", "unigram"], default="bpe",
                   help="bpe: byte-level BPE (GPT-2); wordpiece: BERT's; spm-bpe and unigram: SentencePiece's")  # fmt: skip
    p.add_argument("--vocab-size", type=int, required=True, metavar="N", help="size of the vocabulary to learn")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the tokenizer files")
    p.add_argument("--min-frequency", type=int, default=None, help="least count of a merged pair (bpe: 2, wordpiece: 0)")
    p.add_argument("--special-token", action="append", metavar="TOKEN", help="a special token (repeatable)")
    p.add_argument("--pretokenizer", choices=["gpt2", "cl100k"], default="gpt2", help="bpe: the split regex")
    p.add_argument("--wordpiece-mode", choices=["hf", "likelihood"], default="hf",
                   help="wordpiece: most frequent pair (as HF's WordPieceTrainer) or the likelihood score")  # fmt: skip
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="bpe: processes that count the words (default: every usable core; 1: no extra process)")  # fmt: skip
    p.add_argument("--cased", action="store_true", help="wordpiece: keep case and accents")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_train_tokenizer)
