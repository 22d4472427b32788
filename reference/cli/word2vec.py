"""`tokemb similar` and `tokemb word2vec ...`: word vectors from the command line.

    tokemb similar king --vectors glove-50 --topn 11     the book's neighbours of "king"
    tokemb similar king --negative man --positive woman  the analogy king - man + woman (queen)
    tokemb word2vec train --gutenberg --out model.npz    train skip-gram, with a progress line
    tokemb word2vec evaluate model.npz                   analogies, WordSim-353, SimLex-999

``similar`` queries by the word's vector, as the book does
(``model.most_similar([model["king"]], topn=11)``), so the word itself comes first with
similarity 1. With ``--positive``/``--negative`` it asks what gensim's
``most_similar(positive=[...], negative=[...])`` asks: the words nearest to the mean of
the positive unit vectors minus the negative ones, the query words left out (the
analogy "king - man + woman"). Scratch's scores are printed beside gensim's when gensim
is installed. A word that is not in the vocabulary is named, with the casings of it
that are ("'King' ...; did you mean 'king'?": GloVe is lowercased).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scratch.errors import TokembError

from .common import (CommandLineError, check_output_folder, describe, non_negative_float, non_negative_int,
                  positive_float, positive_int, reading)  # fmt: skip


def register(subparsers: argparse._SubParsersAction) -> None:
    similar = subparsers.add_parser("similar", help="nearest neighbours of a word, or analogies (GloVe, or your "
                                    "own vectors)",
                                    description="The nearest neighbours of WORD by its vector, as the book "
                                    "queries (WORD first, similarity 1), or, with --positive/--negative, gensim's "
                                    "most_similar(positive=..., negative=...): 'similar king --negative man "
                                    "--positive woman' is king - man + woman.")  # fmt: skip
    similar.add_argument("word", nargs="?", metavar="WORD",
                         help="the word whose neighbours to show (with --positive/--negative: one more "
                              "positive word)")  # fmt: skip
    similar.add_argument("--positive", nargs="+", default=None, metavar="W",
                         help="words that count positively (gensim's most_similar(positive=...))")  # fmt: skip
    similar.add_argument("--negative", nargs="+", default=None, metavar="W",
                         help="words that count negatively (gensim's most_similar(negative=...))")  # fmt: skip
    similar.add_argument("--vectors", default="glove-50",
                         help="glove-50, a model saved by `tokemb word2vec train` (.npz), or a word2vec-format "
                              "file (.bin = binary)")  # fmt: skip
    similar.add_argument("--topn", type=positive_int, default=10, help="how many neighbours to show")
    similar.add_argument("--no-reference", action="store_true", help="do not compute gensim's scores")
    similar.set_defaults(func=cmd_similar)

    word2vec = subparsers.add_parser("word2vec", help="train and evaluate skip-gram word2vec from scratch")
    actions = word2vec.add_subparsers(dest="word2vec_command", metavar="ACTION", required=True)
    train = actions.add_parser("train", help="train skip-gram with negative sampling")
    source = train.add_mutually_exclusive_group(required=True)
    source.add_argument("--corpus-file", type=Path, help="one sentence per line, words separated by spaces")
    source.add_argument("--gutenberg", action="store_true",
                        help="the gutenberg corpus of the data folder, lowercased to [a-z]+ words")  # fmt: skip
    train.add_argument("--max-words", type=positive_int, default=None,
                       help="use only the first N words (--gutenberg)")  # fmt: skip
    train.add_argument("--out", type=Path, required=True, help="where to save the model (.npz)")
    settings = [
        ("vector-size", positive_int, 100, "dimensions of each word vector"),
        ("window", positive_int, 5, "largest distance between a centre word and a context word"),
        ("min-count", non_negative_int, 5, "drop words seen fewer times than this"),
        ("negative", positive_int, 5, "noise words drawn for each (context, centre) pair"),
        ("epochs", positive_int, 5, "passes over the corpus"),
        ("workers", positive_int, 2, "training threads"),
        ("seed", int, 1, "seed of the initial vectors and of every random draw"),
        ("sample", non_negative_float, 1e-3, "threshold for subsampling frequent words (0: keep every word)"),
        ("alpha", positive_float, 0.025, "initial learning rate, falling linearly to 0.0001"),
    ]
    for name, kind, default, meaning in settings:
        train.add_argument(f"--{name}", type=kind, default=default, help=meaning)
    train.add_argument("--sg", type=int, choices=[0, 1], default=1, help="1: skip-gram (default), 0: CBOW")
    train.add_argument("--backend", choices=["numba", "numpy", "torch"], default="numba",
                       help="numba: compiled Hogwild threads; torch: minibatches on --device")  # fmt: skip
    train.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N (--backend torch)")
    train.add_argument("--batch-size", type=positive_int, default=None,
                       help="pairs per step (--backend torch; default 1024, or 4096 with --negative-sharing window)")
    train.add_argument("--negative-sharing", choices=["pair", "window"], default="pair",
                       help="pair: noise words for every pair (word2vec.c, gensim); window: drawn once per "
                            "centre word, shared by its window (HogBatch; skip-gram)")  # fmt: skip
    train.set_defaults(func=cmd_train)
    evaluate = actions.add_parser("evaluate", help="analogy accuracy and word-similarity correlations")
    evaluate.add_argument("model", help="a model saved by `tokemb word2vec train`, or glove-50")
    evaluate.add_argument("--restrict-vocab", type=positive_int, default=30000,
                          help="answer analogies among the N most frequent words only, as gensim does")  # fmt: skip
    evaluate.set_defaults(func=cmd_evaluate)


def _load_vectors(spec: str, argument: str):
    """GloVe by name, or the vectors in a file; ``argument`` names the command-line argument
    that gave ``spec`` in the error of a missing file."""
    from scratch.word2vec import KeyedVectors, Word2Vec
    from scratch.word2vec.pretrained import GLOVE_ARTIFACTS, load_glove

    if spec in GLOVE_ARTIFACTS:
        return load_glove(spec)
    path = Path(spec)
    if not path.is_file():
        problem = "is a folder, not a file" if path.is_dir() else "no such file"
        raise CommandLineError(f"{argument} {spec!r}: {problem}, and not one of {', '.join(GLOVE_ARTIFACTS)}")
    if path.suffix == ".npz":
        import numpy as np

        with reading(path, "a model or vectors saved by tokemb (.npz)"):
            with np.load(path, allow_pickle=False) as data:
                is_model = "meta" in data.files
            return Word2Vec.load(path).wv if is_model else KeyedVectors.load(path)
    binary = path.suffix == ".bin"
    with reading(path, f"word2vec {'binary' if binary else 'text'} format"):
        return KeyedVectors.load_word2vec_format(path, binary=binary)


def other_casings(kv, word: str, limit: int = 3) -> list[str]:
    """Keys of ``kv`` that are ``word`` in another casing ("king" for "King"), most
    frequent first (the vocabulary's order)."""
    folded = word.casefold()
    found = []
    for key in kv.index_to_key:
        if key.casefold() == folded and key != word:
            found.append(key)
            if len(found) == limit:
                break
    return found


def check_known(kv, words: list[str], vectors: str) -> None:
    """Refuse the first word that ``kv`` does not know, naming the casings of it that it does."""
    for word in words:
        if word in kv:
            continue
        message = f"{word!r} is not in the vocabulary of {vectors}"
        casings = other_casings(kv, word)
        if casings:
            message += f"; did you mean {' or '.join(repr(key) for key in casings)}?"
        raise CommandLineError(message)


def analogy_query(positive: list[str], negative: list[str]) -> str:
    """``king - man + woman`` for positive [king, woman], negative [man]."""
    text = " + ".join(positive[:1])
    text += "".join(f" - {word}" for word in negative)
    text += "".join(f" + {word}" for word in positive[1:])
    return text.removeprefix(" ")


def cmd_similar(args: argparse.Namespace) -> int:
    analogy = bool(args.positive or args.negative)
    if args.word is None and not analogy:
        raise CommandLineError("similar: give a WORD, or --positive/--negative words")
    positive = ([args.word] if args.word is not None else []) + (args.positive or [])
    negative = args.negative or []
    kv = _load_vectors(args.vectors, "--vectors")
    check_known(kv, positive + negative, args.vectors)

    def query(vectors):
        """The same question to scratch's and to gensim's KeyedVectors."""
        if analogy:
            return vectors.most_similar(positive=positive, negative=negative, topn=args.topn)
        return vectors.most_similar([vectors[args.word]], topn=args.topn)

    neighbours = query(kv)
    reference_scores = None
    if not args.no_reference:
        try:
            from reference import word2vec as ref

            gensim_kv = ref.glove(args.vectors) if args.vectors.startswith("glove") else ref.keyed_vectors(
                kv.vectors, kv.index_to_key)  # fmt: skip
            reference_scores = query(gensim_kv)
        except ImportError:
            reference_scores = None
    if analogy:
        print(f"{analogy_query(positive, negative)}:")
    header = f"{'':>3}  {'word':<16} {'scratch':>10}"
    print(header + (f" {'gensim':>10}" if reference_scores is not None else ""))
    for rank, (word, score) in enumerate(neighbours, start=1):
        line = f"{rank:>3}  {word:<16} {score:>10.7f}"
        if reference_scores is not None:
            gensim_word, gensim_score = reference_scores[rank - 1]
            line += f" {gensim_score:>10.7f}" + ("" if gensim_word == word else f"  (gensim: {gensim_word})")
        print(line)
    return 0


def check_device(device: str, backend: str) -> None:
    """Refuse a ``--device`` that cannot run (no CUDA here, a bad name, a CPU-only backend)
    before any data is read: a :class:`CommandLineError` naming the flag."""
    if device == "cpu":
        return
    if backend != "torch":
        raise CommandLineError(f"--device {device}: needs --backend torch; the {backend} backend runs on the CPU")
    from scratch.word2vec.sgns_torch import resolve_device

    try:
        resolve_device(device)
    except (TokembError, ValueError, RuntimeError) as exc:
        raise CommandLineError(f"--device {device}: {describe(exc)}") from exc


def cmd_train(args: argparse.Namespace) -> int:
    from scratch.word2vec import Word2Vec

    if args.backend == "torch" and args.sg == 0:
        raise CommandLineError("--backend torch trains skip-gram only: use --sg 1, or --backend numba for CBOW")
    check_device(args.device, args.backend)
    if args.corpus_file is not None and not args.corpus_file.is_file():
        problem = "is a folder, not a file" if args.corpus_file.is_dir() else "no such file"
        raise CommandLineError(f"--corpus-file {args.corpus_file}: {problem}")
    check_output_folder(args.out, "--out")
    params = dict(vector_size=args.vector_size, window=args.window, min_count=args.min_count, negative=args.negative,
                  epochs=args.epochs, workers=args.workers, seed=args.seed, sample=args.sample, alpha=args.alpha,
                  progress=True, backend=args.backend, device=args.device, batch_size=args.batch_size,
                  sg=args.sg, compute_loss=True, negative_sharing=args.negative_sharing)  # fmt: skip
    if args.gutenberg:
        from scratch.data import data_path
        from scratch.word2vec.corpus import chunk_words, lowercase_words

        sentences = chunk_words(lowercase_words(data_path("gutenberg", "english.txt"), max_words=args.max_words))
        source = dict(sentences=sentences)
    else:
        source = dict(corpus_file=args.corpus_file)
    model = Word2Vec(**source, **params)  # a refused setting or corpus is a TokembError: one line
    model.save(args.out)
    report = model.epoch_reports[-1]
    print(f"saved {args.out}: {len(model.wv)} words x {model.vector_size}; last epoch "
          f"{report.words_per_second:,.0f} words/s, loss {report.loss_per_pair:.4f} per pair")  # fmt: skip
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from scratch.artifacts import fetch

    kv = _load_vectors(args.model, "model")
    data = fetch("gensim-test-data")
    accuracy, sections = kv.evaluate_word_analogies(data / "questions-words.txt", restrict_vocab=args.restrict_vocab)
    scored = len(sections[-1]["correct"]) + len(sections[-1]["incorrect"])
    print(f"analogies (questions-words, restrict_vocab={args.restrict_vocab}): {accuracy:.4f} on {scored} questions")
    for name in ("wordsim353.tsv", "simlex999.txt"):
        result = kv.evaluate_word_pairs(data / name)
        print(f"{name}: Spearman {result.spearman.correlation:.4f} (p {result.spearman.pvalue:.3g}), "
              f"Pearson {result.pearson.statistic:.4f} (p {result.pearson.pvalue:.3g}), "
              f"{result.oov_ratio:.1f}% of pairs out of vocabulary")  # fmt: skip
    return 0
