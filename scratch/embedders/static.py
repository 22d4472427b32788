"""Static text embeddings: the average of pretrained word vectors, for comparison.

Before contextual models, the simplest text embedding was the mean of the word vectors
(word2vec: Mikolov et al. 2013; GloVe: Pennington, Socher and Manning 2014) of its words.
Every occurrence of a word gets the same vector wherever it stands, so "bank" in "river
bank" and in "bank account" contribute the same thing; the text vector also ignores word
order. Sentence-BERT's paper (Reimers and Gurevych 2019, table 1) uses "Avg. GloVe
embeddings" as its baseline.

Any word-vector store works that answers ``word in vectors`` and ``vectors[word]`` (a
1-D array): scratch's ``KeyedVectors``, gensim's, or a dict.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np
import regex

WORD = regex.compile(r"\w+(?:'\w+)*")  # runs of letters/digits, inner apostrophes kept


class WordVectors(Protocol):
    def __contains__(self, word: str) -> bool: ...

    def __getitem__(self, word: str) -> np.ndarray: ...


def words(text: str, lowercase: bool = True) -> list[str]:
    """The words of ``text``: maximal runs of word characters (GloVe 6B is lower-cased)."""
    return WORD.findall(text.lower() if lowercase else text)


class StaticEmbedder:
    """Text -> mean of the vectors of its in-vocabulary words.

    Words missing from the vocabulary are skipped; a text with no known word gets the
    zero vector (its cosine with anything is then 0).
    """

    def __init__(self, vectors: WordVectors, lowercase: bool = True):
        if not (hasattr(vectors, "__contains__") and hasattr(vectors, "__getitem__")):
            raise TypeError("vectors must support `word in vectors` and `vectors[word]`")
        self.vectors = vectors
        self.lowercase = lowercase
        self.dimension = self._dimension()

    def _dimension(self) -> int:
        size = getattr(self.vectors, "vector_size", None)
        if size is None:  # a plain mapping: look at one vector
            size = len(next(iter(self.vectors.values()))) if hasattr(self.vectors, "values") else None
        if size is None:
            raise TypeError("cannot tell the vector size: give vectors with .vector_size or .values()")
        return int(size)

    def known_words(self, text: str) -> list[str]:
        return [w for w in words(text, self.lowercase) if w in self.vectors]

    def word_vector(self, word: str) -> np.ndarray:
        """The one vector of ``word``, whatever its context."""
        key = word.lower() if self.lowercase else word
        if key not in self.vectors:
            raise KeyError(f"{word!r} is not in the vocabulary")
        return np.asarray(self.vectors[key], dtype=np.float32)

    def encode(self, texts: str | Sequence[str]) -> np.ndarray:
        """``[len(texts), dim]`` float32 means (``[dim]`` for a single string)."""
        single = isinstance(texts, str)
        texts = [texts] if single else texts
        if not isinstance(texts, (list, tuple)) or not texts:
            raise ValueError("texts must be a string or a non-empty list of strings")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] is {type(text).__name__}, not a string")
            known = self.known_words(text)
            if known:
                out[i] = np.mean([np.asarray(self.vectors[w], dtype=np.float32) for w in known], axis=0)
        return out[0] if single else out
