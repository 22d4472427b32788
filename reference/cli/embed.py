"""`tokemb embed` and `tokemb search`: text and token embeddings, and semantic search,
computed with scratch's SentenceEmbedder (``--compare`` checks them against
sentence-transformers).

    tokemb embed "Hello world" --tokens          # the contextual token table (MiniLM)
    tokemb embed "Best movie ever!" --model mpnet
    tokemb embed "I love it" "I like it" "Tax forms" --matrix   # cosine similarities, a table
    tokemb embed "first text" "second text" --out vectors.npy   # or .json: texts and vectors
    tokemb search "a film I loved" --docs reviews.txt --top-k 3
    tokemb search "a film I loved" --docs reviews.txt --compare # beside sentence-transformers
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .common import CommandLineError, check_output_folder, positive_int

EMBEDDING_MODELS = {"minilm": "all-MiniLM-L6-v2", "mpnet": "all-mpnet-base-v2"}
STATIC_MODELS = {"glove": "glove-6b-50d"}


def _values(vector, n: int = 5) -> str:
    shown = ", ".join(f"{v:+.5f}" for v in vector[:n])
    return f"[{shown}{', ...' if len(vector) > n else ''}]"


def load_embedder(model: str):
    """The scratch embedder for a model key: a SentenceEmbedder, or GloVe averages."""
    from scratch.artifacts import fetch

    if model in STATIC_MODELS:
        from scratch.embedders import StaticEmbedder
        from scratch.word2vec.pretrained import load_glove_folder

        return StaticEmbedder(load_glove_folder(fetch(STATIC_MODELS[model])))
    from scratch.embedders import SentenceEmbedder

    return SentenceEmbedder.from_pretrained(fetch(EMBEDDING_MODELS[model]))


EXPORT_FORMATS = (".npy", ".json")


def check_export_path(path: Path) -> None:
    """Refuse, before any work, an ``--out`` whose format is unknown or whose folder is missing."""
    if path.suffix.lower() not in EXPORT_FORMATS:
        raise CommandLineError(f"--out {path}: the name must end in .npy (a NumPy array) or .json (texts and "
                               "vectors)")  # fmt: skip
    check_output_folder(path, "--out")


def export_vectors(path: Path, texts: list[str], vectors, model: str) -> None:
    """Write the ``[len(texts), dim]`` float32 vectors atomically: ``.npy`` as one array
    (``np.load`` gives it back), ``.json`` as ``{"model", "texts", "vectors"}`` (each
    float32 value written exactly, so that reading it back as float32 gives the same bits)."""
    import numpy as np

    from scratch.files import atomic_write, write_text_atomic

    vectors = np.asarray(vectors, dtype=np.float32)
    if path.suffix.lower() == ".npy":
        with atomic_write(path) as out:
            np.save(out, vectors, allow_pickle=False)
    else:
        document = {"model": model, "texts": list(texts), "vectors": vectors.tolist()}
        write_text_atomic(path, json.dumps(document, ensure_ascii=False) + "\n")


def similarity_table(texts: list[str], vectors) -> str:
    """The cosine similarity of every pair of texts, as a table with numbered rows and
    columns, and the texts listed below by number."""
    from scratch.embedders import cos_sim

    matrix = cos_sim(vectors, vectors)
    labels = [f"[{i}]" for i in range(1, len(texts) + 1)]
    width = max(7, max(len(label) for label in labels))
    lines = [" " * width + "".join(f"{label:>{width + 2}}" for label in labels)]
    for label, row in zip(labels, matrix):
        lines.append(f"{label:<{width}}" + "".join(f"{value:>{width + 2}.4f}" for value in row))
    lines += [""] + [f"{label} {text!r}" for label, text in zip(labels, texts)]
    return "\n".join(lines)


def cmd_embed(args: argparse.Namespace) -> int:
    import numpy as np

    if args.out is not None:
        check_export_path(args.out)
    embedder = load_embedder(args.model)
    print(f"model: {EMBEDDING_MODELS[args.model]}  {embedder!r}")
    vectors = embedder.encode(list(args.texts), batch_size=args.batch_size)
    print(f"text embeddings: shape {tuple(vectors.shape)} (one {vectors.shape[1]}-vector per text)")
    if args.compare:
        from reference import embedders as reference
        from scratch.artifacts import fetch

        theirs = reference.encode(fetch(EMBEDDING_MODELS[args.model]), list(args.texts), batch_size=args.batch_size)
        print(f"sentence-transformers: shape {tuple(theirs.shape)}, max |scratch - reference| = "
              f"{float(np.max(np.abs(vectors - theirs))):.2e}")  # fmt: skip
    for text, vector in zip(args.texts, vectors):
        print(f"\n{text!r}\n  {vector.shape[0]} values, norm {float(np.linalg.norm(vector)):.4f}: {_values(vector)}")
        if args.tokens:
            tokens, hidden = embedder.token_embeddings(text)
            ids = embedder.token_ids(text)
            static = embedder.encoder.token_embeddings(ids).numpy()
            print(f"  contextual token embeddings: shape [1, {hidden.shape[0]}, {hidden.shape[1]}]")
            print(f"  {'#':>3}  {'token':<14} {'id':>6}  {'contextual (first values)':<52} static (input row)")
            for i, (token, token_id) in enumerate(zip(tokens, ids)):
                print(f"  {i:>3}  {token:<14} {token_id:>6}  {_values(hidden[i], 4):<52} {_values(static[i], 3)}")
    if args.matrix:
        print(f"\ncosine similarities ({len(args.texts)} x {len(args.texts)}):")
        print(similarity_table(list(args.texts), vectors))
    if args.out is not None:
        export_vectors(args.out, list(args.texts), vectors, EMBEDDING_MODELS[args.model])
        print(f"\nwrote {args.out}: {vectors.shape[0]} x {vectors.shape[1]} float32")
    return 0


def read_documents(path: Path) -> list[str]:
    """One document per non-blank line."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cmd_search(args: argparse.Namespace) -> int:
    path = Path(args.docs)
    if not path.is_file():
        print(f"tokemb search: no such file {path}", file=sys.stderr)
        return 2
    try:
        documents = read_documents(path)
    except UnicodeDecodeError:
        print(f"tokemb search: {path} is not UTF-8 text", file=sys.stderr)
        return 2
    if not documents:
        print(f"tokemb search: {path} has no documents (one per line)", file=sys.stderr)
        return 2
    if args.compare and args.model not in EMBEDDING_MODELS:
        raise CommandLineError(f"--compare: sentence-transformers has no {args.model!r} model; compare "
                               f"{' or '.join(sorted(EMBEDDING_MODELS))}")  # fmt: skip
    from scratch.embedders import semantic_search

    embedder = load_embedder(args.model)
    top_k = min(args.top_k, len(documents))
    hits = semantic_search(embedder.encode([args.query]), embedder.encode(documents), top_k=top_k)[0]
    print(f"query: {args.query!r}  model: {args.model}  documents: {len(documents)}")
    if not args.compare:
        print(f"{'rank':>4}  {'score':>7}  document")
        for rank, (row, score) in enumerate(hits, start=1):
            print(f"{rank:>4}  {score:>7.4f}  {documents[row]}")
        return 0
    from reference import embedders as reference
    from scratch.artifacts import fetch

    folder = fetch(EMBEDDING_MODELS[args.model])
    theirs = reference.semantic_search(reference.encode(folder, [args.query]), reference.encode(folder, documents),
                                       top_k=top_k)[0]  # fmt: skip
    print(comparison_table(hits, theirs, documents))
    return 0


def comparison_table(ours: list[tuple[int, float]], theirs: list[tuple[int, float]], documents: list[str]) -> str:
    """Scratch's ranking beside sentence-transformers' ``util.semantic_search`` one: the
    score of each and, where the two put different documents at a rank, theirs below;
    then whether the rankings agree and by how much the scores differ."""
    lines = ["scratch beside s-t (sentence-transformers' encode and util.semantic_search):",
             f"{'rank':>4}  {'scratch':>7}  {'s-t':>7}  document"]
    differing = []
    for rank, ((row, score), (their_row, their_score)) in enumerate(zip(ours, theirs), start=1):
        if row == their_row:
            lines.append(f"{rank:>4}  {score:>7.4f}  {their_score:>7.4f}  {documents[row]}")
        else:
            differing.append(rank)
            lines.append(f"{rank:>4}  {score:>7.4f}  {'':>7}  {documents[row]}")
            lines.append(f"{'':>4}  {'':>7}  {their_score:>7.4f}  {documents[their_row]}  (sentence-transformers)")
    their_scores = dict(theirs)
    shared = [abs(score - their_scores[row]) for row, score in ours if row in their_scores]
    largest = f"; largest score difference {max(shared):.1e}" if shared else ""
    if differing:
        lines.append(f"\nthe rankings differ at rank{'s' if len(differing) > 1 else ''} "
                     f"{', '.join(map(str, differing))}{largest}")  # fmt: skip
    else:
        lines.append(f"\nscratch and sentence-transformers (util.semantic_search) rank the same "
                     f"{len(ours)} documents in the same order{largest}")  # fmt: skip
    return "\n".join(lines)


def register(subparsers) -> None:
    embed = subparsers.add_parser("embed", help="text embeddings (and contextual token embeddings) from scratch")
    embed.add_argument("texts", nargs="+", metavar="TEXT", help="texts to embed")
    embed.add_argument("--model", choices=sorted(EMBEDDING_MODELS), default="minilm",
                       help="minilm = all-MiniLM-L6-v2 (384 values), mpnet = all-mpnet-base-v2 (768)")  # fmt: skip
    embed.add_argument("--tokens", action="store_true", help="show each token's contextual embedding")
    embed.add_argument("--compare", action="store_true", help="also run sentence-transformers and show the difference")
    embed.add_argument("--matrix", action="store_true", help="print the cosine similarity of every pair of texts")
    embed.add_argument("--out", type=Path, default=None, metavar="FILE",
                       help="also write the text embeddings to FILE: .npy (one float32 array, a row per text) "
                            "or .json (the texts and their vectors)")  # fmt: skip
    embed.add_argument("--batch-size", type=positive_int, default=32, help="texts encoded together")
    embed.set_defaults(func=cmd_embed)

    search = subparsers.add_parser("search", help="semantic search: rank the lines of a file against a query")
    search.add_argument("query", metavar="QUERY", help="the text to find the nearest documents to")
    search.add_argument("--docs", required=True, metavar="FILE", help="UTF-8 text file, one document per line")
    search.add_argument("--model", choices=sorted(EMBEDDING_MODELS) + sorted(STATIC_MODELS), default="minilm",
                        help="a sentence embedder, or glove (averaged GloVe word vectors, for comparison)")  # fmt: skip
    search.add_argument("--top-k", type=positive_int, default=5, help="how many documents to show")
    search.add_argument("--compare", action="store_true",
                        help="also rank with sentence-transformers (its encode and util.semantic_search) and "
                             "show both rankings and scores")  # fmt: skip
    search.set_defaults(func=cmd_search)
