"""The playground's Embeddings page: text embeddings and word vectors, scratch beside the
references.

* **Similarity heatmap**: a few sentences through scratch's ``SentenceEmbedder``
  (all-MiniLM-L6-v2 or all-mpnet-base-v2, as ``tokemb embed``), the cosine similarity of
  every pair as a coloured table, and how far scratch is from sentence-transformers on
  the same folder: the largest difference of a vector value and of a similarity.
* **GloVe neighbours and analogies**: ``king`` or ``king - man + woman`` on GloVe 6B 50d
  with scratch's ``KeyedVectors.most_similar``, gensim's words and scores beside.
* **2-D projection**: chosen words' GloVe vectors on their first two principal components
  (:func:`scratch.songs.picture.pca_2d`, the song picture's projection), drawn as SVG.
"""

from __future__ import annotations

import functools
import html

import regex

from .tokens import PageMessage, download_message, message_html

DEFAULT_SENTENCES = "I love this movie\nWhat a great film\nThe tax form is due in April\nTaxes are filed every spring"


@functools.lru_cache(maxsize=None)
def embedder(model: str):
    from ..cli.embed import load_embedder

    return load_embedder(model)


@functools.lru_cache(maxsize=None)
def glove():
    from scratch.word2vec.pretrained import load_glove

    return load_glove("glove-50")


@functools.lru_cache(maxsize=None)
def glove_reference():
    from reference import word2vec

    return word2vec.glove("glove-50")


def glove_message() -> str:
    from scratch.word2vec.pretrained import GLOVE_ARTIFACTS

    return download_message(GLOVE_ARTIFACTS["glove-50"], "GloVe 6B 50d")


def _cell_colour(value: float) -> str:
    """White at 0, deep blue at 1, red for negative similarities."""
    strength = min(1.0, abs(value))
    fade = int(255 - 175 * strength)
    return f"rgb({fade},{fade},255)" if value >= 0 else f"rgb(255,{fade},{fade})"


def heatmap_page(sentences_text: str, model: str, progress=None) -> str:
    """The cosine similarity table of the sentences (one per line) and scratch's distance
    from sentence-transformers."""
    import numpy as np

    from scratch.artifacts import fetch
    from scratch.embedders import cos_sim

    from reference import embedders as reference

    from ..cli.embed import EMBEDDING_MODELS

    sentences = [line.strip() for line in sentences_text.splitlines() if line.strip()]
    if len(sentences) < 2:
        return message_html("give at least two sentences, one per line")
    if len(sentences) > 20:
        return message_html(f"{len(sentences)} sentences: the heatmap takes at most 20")
    if model not in EMBEDDING_MODELS:
        return message_html(f"unknown model {model!r}: one of {', '.join(EMBEDDING_MODELS)}")
    if progress is not None:
        progress(0.1, download_message(EMBEDDING_MODELS[model], EMBEDDING_MODELS[model]))
    ours = embedder(model).encode(sentences)
    if progress is not None:
        progress(0.5, "sentence-transformers on the same folder")
    theirs = reference.encode(fetch(EMBEDDING_MODELS[model]), sentences)
    matrix, their_matrix = cos_sim(ours, ours), cos_sim(theirs, theirs)
    head = "".join(f"<th title='{html.escape(s, quote=True)}'>[{n}]</th>" for n, s in enumerate(sentences, 1))
    rows = []
    for n, (sentence, row) in enumerate(zip(sentences, matrix), 1):
        cells = "".join(f"<td class='sim' data-value='{float(v)!r}' style='background:{_cell_colour(float(v))}'>"
                        f"{float(v):.3f}</td>" for v in row)  # fmt: skip
        rows.append(f"<tr><th>[{n}] {html.escape(sentence)}</th>{cells}</tr>")
    vector_gap = float(np.max(np.abs(ours - theirs)))
    similarity_gap = float(np.max(np.abs(matrix - their_matrix)))
    return (f"<table class='tokemb-heatmap'><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}"
            f"</tbody></table><p class='tokemb-gap' data-vector-gap='{vector_gap!r}' "
            f"data-similarity-gap='{similarity_gap!r}'>scratch vs sentence-transformers: largest difference "
            f"{vector_gap:.2e} in a vector value, {similarity_gap:.2e} in a similarity "
            f"({EMBEDDING_MODELS[model]}, {ours.shape[1]} dimensions)</p>")  # fmt: skip


def parse_query(query: str) -> tuple[list[str], list[str]]:
    """``king - man + woman`` -> (positive [king, woman], negative [man]); ``king`` -> ([king], [])."""
    tokens = regex.findall(r"[+-]|[^\s+-]+", query.strip())
    if not tokens:
        raise PageMessage("type a word, or an analogy such as king - man + woman")
    positive, negative, sign = [], [], "+"
    for token in tokens:
        if token in "+-":
            sign = token
            continue
        (positive if sign == "+" else negative).append(token)
        sign = "+"
    if not positive:
        raise PageMessage(f"{query!r}: an analogy needs a word to start from (king - man + woman)")
    return positive, negative


def neighbours_page(query: str, topn: int = 10, progress=None) -> str:
    """Scratch's nearest GloVe words for a word or an analogy, gensim's beside."""
    from ..cli.word2vec import analogy_query, check_known

    try:
        positive, negative = parse_query(query)
        if progress is not None:
            progress(0.1, glove_message())
        kv = glove()
        try:
            check_known(kv, positive + negative, "glove-50")
        except ValueError as exc:
            raise PageMessage(str(exc)) from None
    except PageMessage as exc:
        return message_html(str(exc))
    topn = max(1, min(int(topn), 50))
    ours = kv.most_similar(positive=positive, negative=negative, topn=topn)
    theirs = glove_reference().most_similar(positive=positive, negative=negative, topn=topn)
    rows = []
    for rank, ((word, score), (gensim_word, gensim_score)) in enumerate(zip(ours, theirs), 1):
        same = "" if gensim_word == word else f" ({html.escape(gensim_word)})"
        rows.append(f"<tr class='neighbour' data-word='{html.escape(word, quote=True)}'><td>{rank}</td>"
                    f"<td>{html.escape(word)}</td><td>{score:.4f}</td><td>{gensim_score:.4f}{same}</td></tr>")  # fmt: skip
    title = html.escape(analogy_query(positive, negative))
    return (f"<table class='tokemb-neighbours'><caption>{title}</caption><thead><tr><th>#</th><th>word</th>"
            f"<th>scratch</th><th>gensim</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")  # fmt: skip


def projection_page(words_text: str, progress=None) -> str:
    """Chosen words' GloVe vectors on their first two principal components, as SVG."""
    from scratch.songs.picture import pca_2d

    from ..cli.word2vec import check_known

    words = list(dict.fromkeys(regex.findall(r"[^\s,]+", words_text)))
    if len(words) < 3:
        return message_html("give at least three words (separated by spaces or commas)")
    if progress is not None:
        progress(0.1, glove_message())
    kv = glove()
    try:
        check_known(kv, words, "glove-50")
    except ValueError as exc:
        return message_html(str(exc))
    points = pca_2d(kv[words])
    width, height, margin = 640, 420, 60
    low, high = points.min(axis=0), points.max(axis=0)
    span = [h - l if h > l else 1.0 for l, h in zip(low, high)]

    def place(point) -> tuple[float, float]:
        x = margin + (point[0] - low[0]) / span[0] * (width - 2 * margin)
        y = height - margin - (point[1] - low[1]) / span[1] * (height - 2 * margin)
        return x, y

    marks = []
    for word, point in zip(words, points):
        x, y = place(point)
        marks.append(f"<g class='point' data-word='{html.escape(word, quote=True)}'><circle cx='{x:.1f}' "
                     f"cy='{y:.1f}' r='4' fill='#3060c0'/><text x='{x + 6:.1f}' y='{y - 6:.1f}' "
                     f"font-size='14'>{html.escape(word)}</text></g>")  # fmt: skip
    return (f"<svg class='tokemb-projection' width='{width}' height='{height}' viewBox='0 0 {width} {height}' "
            f"xmlns='http://www.w3.org/2000/svg'><rect width='100%' height='100%' fill='#fafafa' "
            f"stroke='#ccc'/>{''.join(marks)}</svg><p>first two principal components of the words' "
            f"50-dimensional GloVe vectors</p>")  # fmt: skip
