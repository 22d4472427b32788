"""`tokemb embed` and `tokemb search`: text and token embeddings, and semantic search,
computed with scratch's SentenceEmbedder (``--compare`` checks them against
sentence-transformers).

    tokemb embed "Hello world" --tokens          # the contextual token table (MiniLM)
    tokemb embed "Best movie ever!" --model mpnet
    tokemb search "a film I loved" --docs reviews.txt --top-k 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import positive_int

EMBEDDING_MODELS = {"minilm": "all-MiniLM-L6-v2", "mpnet": "all-mpnet-base-v2"}
STATIC_MODELS = {"glove": "glove-6b-50d"}


def _values(vector, n: int = 5) -> str:
    shown = ", ".join(f"{v:+.5f}" for v in vector[:n])
    return f"[{shown}{', ...' if len(vector) > n else ''}]"


def load_embedder(model: str):
    """The scratch embedder for a model key: a SentenceEmbedder, or GloVe averages."""
    from reference.artifacts import fetch

    if model in STATIC_MODELS:
        from scratch.embedders import StaticEmbedder
        from scratch.word2vec.pretrained import load_glove_folder

        return StaticEmbedder(load_glove_folder(fetch(STATIC_MODELS[model])))
    from scratch.embedders import SentenceEmbedder

    return SentenceEmbedder.from_pretrained(fetch(EMBEDDING_MODELS[model]))


def cmd_embed(args: argparse.Namespace) -> int:
    import numpy as np

    embedder = load_embedder(args.model)
    print(f"model: {EMBEDDING_MODELS[args.model]}  {embedder!r}")
    vectors = embedder.encode(list(args.texts), batch_size=args.batch_size)
    print(f"text embeddings: shape {tuple(vectors.shape)} (one {vectors.shape[1]}-vector per text)")
    if args.compare:
        from reference import embedders as reference
        from reference.artifacts import fetch

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
    from scratch.embedders import search

    embedder = load_embedder(args.model)
    hits = search(embedder, args.query, documents, top_k=min(args.top_k, len(documents)))
    print(f"query: {args.query!r}  model: {args.model}  documents: {len(documents)}")
    print(f"{'rank':>4}  {'score':>7}  document")
    for rank, (score, document) in enumerate(hits, start=1):
        print(f"{rank:>4}  {score:>7.4f}  {document}")
    return 0


def register(subparsers) -> None:
    embed = subparsers.add_parser("embed", help="text embeddings (and contextual token embeddings) from scratch")
    embed.add_argument("texts", nargs="+", metavar="TEXT", help="texts to embed")
    embed.add_argument("--model", choices=sorted(EMBEDDING_MODELS), default="minilm",
                       help="minilm = all-MiniLM-L6-v2 (384 values), mpnet = all-mpnet-base-v2 (768)")  # fmt: skip
    embed.add_argument("--tokens", action="store_true", help="show each token's contextual embedding")
    embed.add_argument("--compare", action="store_true", help="also run sentence-transformers and show the difference")
    embed.add_argument("--batch-size", type=positive_int, default=32)
    embed.set_defaults(func=cmd_embed)

    search = subparsers.add_parser("search", help="semantic search: rank the lines of a file against a query")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--docs", required=True, metavar="FILE", help="UTF-8 text file, one document per line")
    search.add_argument("--model", choices=sorted(EMBEDDING_MODELS) + sorted(STATIC_MODELS), default="minilm",
                        help="a sentence embedder, or glove (averaged GloVe word vectors, for comparison)")  # fmt: skip
    search.add_argument("--top-k", type=positive_int, default=5)
    search.set_defaults(func=cmd_search)
