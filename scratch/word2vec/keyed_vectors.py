"""Word vectors and the questions asked of them: lookups, neighbours, analogies, similarity.

:class:`KeyedVectors` is a vocabulary (``index_to_key``, ``key_to_index``) and a matrix
(``vectors``, one row per key). Its methods follow gensim's ``KeyedVectors`` one for
one, and compute in the same order and precision, so that on the same vectors they give
gensim's answers to the last bit:

* cosine similarity is computed as gensim does: float32 rows divided by float32 norms
  (``np.linalg.norm(vectors, axis=1)``), the query vector normalised in float64
  (gensim's ``matutils.unitvec``) and cast back to float32, one float32 matrix-vector
  product;
* ``most_similar(positive, negative)`` is the "3CosAdd" vector offset of Mikolov,
  Yih and Zweig 2013 ("Linguistic Regularities in Continuous Space Word
  Representations"): normalise each input, add the positives, subtract the negatives,
  normalise, rank by cosine, leave out the inputs;
* ``evaluate_word_analogies`` and ``evaluate_word_pairs`` score the vectors against
  analogy questions and human similarity judgements (:mod:`.evaluation`);
* ``save_word2vec_format``/``load_word2vec_format`` write and read word2vec.c's text
  and binary formats, byte for byte as gensim does (:mod:`.word2vec_format`);
  ``save``/``load`` tokemb's own ``.npz`` files (:mod:`.model_files`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence

import numpy as np

from . import evaluation
from .model_files import ModelFileError, from_json_array, json_array, read_npz, write_npz
from .vector_math import top_indices, unit_vector
from .word2vec_format import read_vocab_counts, read_word2vec_format, write_word2vec_format

logger = logging.getLogger(__name__)

REAL = np.float32
Key = str | int | np.integer


class KeyedVectors:
    """A set of vectors addressed by key (usually a word): gensim's ``KeyedVectors``.

    >>> kv = KeyedVectors(np.eye(3, dtype=np.float32), ["a", "b", "c"])
    >>> kv.similarity("a", "b")
    0.0
    """

    def __init__(self, vectors: np.ndarray, keys: Sequence[str], counts: Sequence[int] | None = None):
        vectors = np.ascontiguousarray(vectors, dtype=REAL)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be a 2-D array (keys x dimensions), got shape {vectors.shape}")
        if len(keys) != len(vectors):
            raise ValueError(f"{len(keys)} keys for {len(vectors)} vectors")
        self.vectors = vectors
        self.index_to_key: list[str] = list(keys)
        self.key_to_index: dict[str, int] = {}
        for index, key in enumerate(self.index_to_key):
            self.key_to_index.setdefault(key, index)
        if len(self.key_to_index) != len(self.index_to_key):
            raise ValueError("keys must be unique")
        self.counts = None if counts is None else np.asarray(counts, dtype=np.int64)
        self.norms: np.ndarray | None = None

    # ----------------------------------------------------------------- lookup
    @property
    def vector_size(self) -> int:
        return self.vectors.shape[1]

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, key: Key) -> bool:
        return self.has_index_for(key)

    def __repr__(self) -> str:
        return f"KeyedVectors<vector_size={self.vector_size}, {len(self)} keys>"

    def has_index_for(self, key: Key) -> bool:
        return self.get_index(key, -1) >= 0

    def get_index(self, key: Key, default: int | None = None) -> int:
        """The row of ``key``; an int in range is its own index (as in gensim)."""
        index = self.key_to_index.get(key, -1) if isinstance(key, str) else -1
        if index >= 0:
            return index
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool) and 0 <= key < len(self.index_to_key):
            return int(key)
        if default is not None:
            return default
        raise KeyError(f"Key '{key}' not present in vocabulary")

    def fill_norms(self, force: bool = False) -> None:
        """Cache every row's L2 norm (float32, as gensim)."""
        if self.norms is None or force:
            self.norms = np.linalg.norm(self.vectors, axis=1)

    def get_vector(self, key: Key, norm: bool = False) -> np.ndarray:
        """The vector of ``key`` (read-only), unit length if ``norm``."""
        index = self.get_index(key)
        if norm:
            self.fill_norms()
            result = self.vectors[index] / self.norms[index]
        else:
            result = self.vectors[index]
        result.setflags(write=False)
        return result

    def __getitem__(self, key_or_keys: Key | Iterable[Key]) -> np.ndarray:
        if isinstance(key_or_keys, (str, int, np.integer)):
            return self.get_vector(key_or_keys)
        return np.vstack([self.get_vector(key) for key in key_or_keys])

    def get_normed_vectors(self) -> np.ndarray:
        self.fill_norms()
        return self.vectors / self.norms[..., np.newaxis]

    def get_vecattr(self, key: Key, attr: str) -> int:
        """gensim compatibility: only ``"count"`` is stored."""
        if attr != "count" or self.counts is None:
            raise KeyError(f"attribute {attr!r} is not stored in these vectors")
        return int(self.counts[self.get_index(key)])

    # ------------------------------------------------------------- similarity
    def get_mean_vector(
        self,
        keys: Sequence[Key | np.ndarray] | np.ndarray,
        weights: Sequence[float] | np.ndarray | None = None,
        pre_normalize: bool = True,
        post_normalize: bool = False,
        ignore_missing: bool = True,
        key_to_index: dict[str, int] | None = None,
    ) -> np.ndarray:
        """Weighted mean of the keys' (unit, if ``pre_normalize``) vectors; raw vectors are used as given.

        The arithmetic is gensim's: a float32 accumulator, float64 weights, the division
        by the total absolute weight in the weights' precision. ``key_to_index`` looks the
        keys up in another mapping (the analogy evaluation uses upper-cased keys).
        """
        if len(keys) == 0:
            raise ValueError("cannot compute mean with no input")
        if isinstance(weights, list):
            weights = np.array(weights, dtype=self.vectors.dtype)
        if weights is None:
            weights = np.ones(len(keys), dtype=self.vectors.dtype)
        if len(keys) != weights.shape[0]:
            raise ValueError("keys and weights array must have same number of elements")
        lookup = self.key_to_index if key_to_index is None else key_to_index
        mean = np.zeros(self.vector_size, self.vectors.dtype)
        total_weight = 0
        for weight, key in zip(weights, keys):
            if isinstance(key, np.ndarray):
                mean += weight * key
                total_weight += abs(weight)
            elif isinstance(key, str) and key in lookup or not isinstance(key, str) and self.has_index_for(key):
                index = lookup[key] if isinstance(key, str) else self.get_index(key)
                mean += weight * self._row(index, normalized=pre_normalize)
                total_weight += abs(weight)
            elif not ignore_missing:
                raise KeyError(f"Key '{key}' not present in vocabulary")
        if total_weight > 0:
            mean = mean / total_weight
        if post_normalize:
            mean = unit_vector(mean).astype(REAL)
        return mean

    def _row(self, index: int, normalized: bool) -> np.ndarray:
        if not normalized:
            return self.vectors[index]
        self.fill_norms()
        return self.vectors[index] / self.norms[index]

    def most_similar(
        self,
        positive: Key | np.ndarray | Sequence = None,
        negative: Key | np.ndarray | Sequence = None,
        topn: int | None = 10,
        restrict_vocab: int | None = None,
        key_to_index: dict[str, int] | None = None,
    ) -> list[tuple[str, float]] | np.ndarray:
        """The ``topn`` keys nearest (by cosine) to the mean of ``positive`` minus ``negative``.

        Items may be keys, raw vectors (as the book passes ``model["king"]``), or
        ``(item, weight)`` pairs. Input keys are left out of the answer; raw vectors are
        not, which is why the book's query by vector lists "king" itself first. With
        ``topn=None`` the cosine with every key is returned. ``restrict_vocab`` searches
        only the first (most frequent) keys.
        """
        if isinstance(topn, int) and topn < 1:
            return []
        positive = _as_list(positive)
        negative = _as_list(negative)
        if not positive and not negative:
            raise ValueError("most_similar needs at least one positive or negative key or vector")
        lookup = self.key_to_index if key_to_index is None else key_to_index
        self.fill_norms()
        end = restrict_vocab if restrict_vocab else len(self.vectors)

        keys: list = []
        weight = np.concatenate((np.ones(len(positive)), -1.0 * np.ones(len(negative))))
        for i, item in enumerate(positive + negative):
            if isinstance(item, (str, int, np.integer, np.ndarray)):
                keys.append(item)
            else:
                keys.append(item[0])
                weight[i] = item[1]
        for key in keys:
            if isinstance(key, str) and key not in lookup:
                raise KeyError(f"Key '{key}' not present in vocabulary")
        mean = self.get_mean_vector(
            keys, weight, pre_normalize=True, post_normalize=True, ignore_missing=False, key_to_index=lookup
        )
        input_indices = [
            lookup[key] if isinstance(key, str) else self.get_index(key)
            for key in keys
            if isinstance(key, (str, int, np.integer))
        ]
        scores = np.dot(self.vectors[0:end], mean) / self.norms[0:end]
        if not topn:
            return scores
        best = top_indices(scores, topn + len(input_indices))
        result = [(self.index_to_key[i], float(scores[i])) for i in best if i not in input_indices]
        return result[:topn]

    def similar_by_key(self, key: Key, topn: int = 10, restrict_vocab: int | None = None):
        return self.most_similar(positive=[key], topn=topn, restrict_vocab=restrict_vocab)

    similar_by_word = similar_by_key

    def similar_by_vector(self, vector: np.ndarray, topn: int = 10, restrict_vocab: int | None = None):
        return self.most_similar(positive=[vector], topn=topn, restrict_vocab=restrict_vocab)

    def similarity(self, key1: Key, key2: Key) -> float:
        """Cosine similarity of two keys (a float32 value, as gensim returns)."""
        return np.dot(unit_vector(self[key1]), unit_vector(self[key2]))

    def distance(self, key1: Key, key2: Key) -> float:
        return 1 - self.similarity(key1, key2)

    def rank_by_centrality(self, words: Sequence[str], use_norm: bool = True) -> list[tuple[float, str]]:
        """Words sorted by cosine to the normalised mean of all of them, most central first."""
        self.fill_norms()
        used = [word for word in words if word in self]
        if len(used) != len(words):
            logger.warning("vectors for words %s are not present in the model, ignoring these words",
                           set(words) - set(used))  # fmt: skip
        if not used:
            raise ValueError("cannot select a word from an empty list")
        vectors = np.vstack([self.get_vector(word, norm=use_norm) for word in used]).astype(REAL)
        mean = self.get_mean_vector(vectors, post_normalize=True)
        scores = np.dot(vectors, mean)
        return sorted(zip(scores, used), reverse=True)

    def doesnt_match(self, words: Sequence[str]) -> str:
        """The word furthest from the mean of the others (gensim: the least central one)."""
        return self.rank_by_centrality(words)[-1][1]

    # ------------------------------------------------------------ evaluations
    # The evaluations take the vectors as their first argument, so the functions of
    # .evaluation serve as methods as they are (gensim's names and parameters).
    evaluate_word_analogies = evaluation.evaluate_word_analogies
    evaluate_word_pairs = evaluation.evaluate_word_pairs

    # ------------------------------------------------------------------ files
    def save_word2vec_format(
        self, path: str | os.PathLike, binary: bool = False, write_header: bool = True, fvocab: str | None = None
    ) -> None:
        """Write word2vec.c's text or binary format, most frequent words first when counts are known
        (:func:`.word2vec_format.write_word2vec_format`: a key the format cannot hold is refused,
        and the files are replaced atomically)."""
        write_word2vec_format(path, self.index_to_key, self.vectors, self.counts, binary, write_header, fvocab)

    @classmethod
    def load_word2vec_format(
        cls,
        path: str | os.PathLike,
        binary: bool = False,
        limit: int | None = None,
        no_header: bool = False,
        encoding: str = "utf8",
        unicode_errors: str = "strict",
        fvocab: str | None = None,
    ) -> KeyedVectors:
        """Read word2vec.c's text or binary format (and GloVe's header-less text with ``no_header``).

        What gensim loads loads the same (a repeated word keeps its first vector); a
        truncated or corrupt file is a :class:`ModelFileError` naming it and the line or
        byte offset of the damage (:mod:`.word2vec_format`).
        """
        counts_by_word = None if fvocab is None else read_vocab_counts(fvocab, encoding, unicode_errors)
        keys, vectors = read_word2vec_format(path, binary, limit, no_header, encoding, unicode_errors)
        counts = None
        if counts_by_word is not None:
            counts = [counts_by_word.get(word, 0) for word in keys]
        return cls(vectors, keys, counts)

    # ----------------------------------------------------------- tokemb files
    def save(self, path: str | os.PathLike) -> None:
        """Save to a ``.npz`` file (no pickle): vectors, keys as JSON, counts if any.

        The file is replaced atomically: a save that fails part-way keeps the previous file."""
        arrays = {"vectors": self.vectors, "keys": json_array(self.index_to_key)}
        if self.counts is not None:
            arrays["counts"] = self.counts
        write_npz(path, **arrays)

    @classmethod
    def load(cls, path: str | os.PathLike) -> KeyedVectors:
        """Load vectors written by :meth:`save`; a damaged file is a :class:`ModelFileError` naming it."""
        with read_npz(path, "tokemb vectors (KeyedVectors.save)") as data:
            if "keys" not in data.files and "meta" in data.files:
                raise ModelFileError(f"{path}: a whole Word2Vec model (Word2Vec.save), not KeyedVectors: "
                                     f"load it with Word2Vec.load(path).wv")  # fmt: skip
            counts = data["counts"] if "counts" in data.files else None
            return cls(data["vectors"], from_json_array(data["keys"]), counts)


def _as_list(value) -> list:
    """A single key or vector becomes a one-item list; a 2-D array a list of rows (as gensim)."""
    if value is None:
        return []
    if isinstance(value, (str, int, np.integer)) or (isinstance(value, np.ndarray) and value.ndim == 1):
        return [value]
    if isinstance(value, np.ndarray) and value.ndim == 2:
        return list(value)
    return list(value)

