"""Word vectors and what is done with them: neighbours, analogies, similarity benchmarks, files.

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
* ``evaluate_word_analogies`` is word2vec.c's ``compute-accuracy`` on the Google
  analogy set, ``evaluate_word_pairs`` the Spearman and Pearson correlations with human
  similarity judgements (WordSim-353, SimLex-999, MEN);
* ``save_word2vec_format``/``load_word2vec_format`` read and write word2vec.c's text
  and binary formats, byte for byte as gensim does.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from ..errors import TokembError
from ..files import atomic_write
from .model_files import ModelFileError, from_json_array, json_array, read_npz, write_npz
from .word2vec_format import read_vocab_counts, read_word2vec_format

logger = logging.getLogger(__name__)

REAL = np.float32
Key = str | int | np.integer


class UnwritableKeyError(TokembError, ValueError):
    """A key that the word2vec file format cannot hold (it would split into two words, or vanish)."""


def check_writable_key(key: Key) -> None:
    """Refuse a key that would corrupt a word2vec-format file: empty, or containing whitespace.

    The format separates a key from its numbers by a space and entries by newlines;
    word2vec.c reads words up to a space, tab or newline (and drops carriage returns),
    gensim reads ``fvocab`` lines with ``str.split()``, which also splits on every other
    Unicode space and line separator (``\\x0b``, ``\\x1c``, ``\\x85``, ``\\u2028``, ``\\u3000``, ...).
    gensim writes such keys anyway and the file no longer reads back as written.
    """
    text = str(key)
    if text.split() != [text]:
        problem = "is empty" if not text else "contains whitespace"
        raise UnwritableKeyError(f"key {text!r} {problem}: the word2vec format separates words by whitespace, so "
                                 f"the file would not read back; rename or drop the key before saving")  # fmt: skip


class WordPairsResult(NamedTuple):
    """Correlations of model cosine similarities with human judgements."""

    pearson: float
    spearman: float
    oov_ratio: float  # percent of pairs skipped because a word is out of vocabulary
    pairs: int  # pairs scored


def unit_vector(vector: np.ndarray) -> np.ndarray:
    """``vector / ||vector||``, scaled in float64 and returned in the input's dtype (gensim's ``unitvec``).

    gensim takes the norm with BLAS ``dnrm2``, which is correctly rounded; ``math.hypot``
    is too. A zero vector is returned unchanged.
    """
    length = math.hypot(*vector.astype(np.float64)) if vector.size else 0.0
    if length > 0.0:
        return (vector.astype(np.float64) * (1.0 / length)).astype(vector.dtype)
    return vector


def top_indices(scores: np.ndarray, topn: int) -> np.ndarray:
    """Indices of the ``topn`` largest scores, largest first (gensim's ``matutils.argsort``).

    A partial partition picks the candidates, then a sort orders them; using the same two
    numpy calls as gensim keeps even tied scores in the same order.
    """
    negated = -scores
    if topn >= negated.size:
        return np.argsort(negated)[:topn]
    candidates = np.argpartition(negated, topn)[:topn]
    return candidates.take(np.argsort(negated.take(candidates)))


def rank_data(values: Sequence[float]) -> np.ndarray:
    """Ranks 1..n, ties sharing their average rank (what Spearman's rho needs)."""
    values = np.asarray(values, dtype=np.float64)
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    sorted_values = values[order]
    start = 0
    while start < len(values):
        end = start
        while end + 1 < len(values) and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2.0 + 1.0
        start = end + 1
    return ranks


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson's correlation coefficient."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    dx, dy = x - x.mean(), y - y.mean()
    return float(np.dot(dx, dy) / math.sqrt(np.dot(dx, dx) * np.dot(dy, dy)))


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation: Pearson's r of the ranks."""
    return pearson(rank_data(x), rank_data(y))


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
    def _uppercase_vocab(self, restrict_vocab: int, case_insensitive: bool) -> dict[str, int]:
        """The first ``restrict_vocab`` keys, upper-cased; the most frequent spelling wins."""
        keys = self.index_to_key[:restrict_vocab]
        if case_insensitive:
            return {key.upper(): self.get_index(key) for key in reversed(keys)}
        return {key: self.get_index(key) for key in reversed(keys)}

    def evaluate_word_analogies(
        self,
        analogies: str | os.PathLike,
        restrict_vocab: int = 300000,
        case_insensitive: bool = True,
        dummy4unknown: bool = False,
    ) -> tuple[float, list[dict]]:
        """Accuracy on "a is to b as c is to ?" questions (word2vec.c's ``compute-accuracy``).

        The file has sections introduced by ``: name``; each line ``a b c expected``. A
        question is answered by ``most_similar(positive=[b, c], negative=[a], topn=5)``
        over the first ``restrict_vocab`` words, taking the first answer that is not one
        of a, b, c. Questions with a word outside those ``restrict_vocab`` words are
        skipped (or counted wrong with ``dummy4unknown``). Returns (overall accuracy,
        sections), sections being gensim-style dicts with ``correct``/``incorrect`` lists;
        the last is the total.
        """
        ok_vocab = self._uppercase_vocab(restrict_vocab, case_insensitive)
        sections: list[dict] = []
        section = None
        oov = questions = 0
        with open(analogies, "rb") as handle:
            for line_no, raw in enumerate(handle):
                line = raw.decode("utf-8")
                if line.startswith(": "):
                    if section:
                        sections.append(section)
                    section = {"section": line.lstrip(": ").strip(), "correct": [], "incorrect": []}
                    continue
                if not section:
                    raise ValueError(f"Missing section header before line #{line_no} in {analogies}")
                words = [w.upper() for w in line.split()] if case_insensitive else line.split()
                if len(words) != 4:
                    continue  # gensim skips malformed lines
                a, b, c, expected = words
                questions += 1
                if a not in ok_vocab or b not in ok_vocab or c not in ok_vocab or expected not in ok_vocab:
                    oov += 1
                    if dummy4unknown:
                        section["incorrect"].append((a, b, c, expected))
                    continue
                answers = self.most_similar(
                    positive=[b, c], negative=[a], topn=5, restrict_vocab=restrict_vocab, key_to_index=ok_vocab
                )
                predicted = None
                for word, _ in answers:
                    predicted = word.upper() if case_insensitive else word
                    if predicted in ok_vocab and predicted not in {a, b, c}:
                        break
                (section["correct"] if predicted == expected else section["incorrect"]).append((a, b, c, expected))
        if section:
            sections.append(section)
        total = {
            "section": "Total accuracy",
            "correct": [q for s in sections for q in s["correct"]],
            "incorrect": [q for s in sections for q in s["incorrect"]],
        }
        sections.append(total)
        scored = len(total["correct"]) + len(total["incorrect"])
        accuracy = len(total["correct"]) / scored if scored else 0.0
        logger.info("analogies: %.1f%% of %i questions answered correctly, %i skipped (OOV)",
                    100 * accuracy, scored, oov)  # fmt: skip
        return accuracy, sections

    def evaluate_word_pairs(
        self,
        pairs: str | os.PathLike,
        delimiter: str = "\t",
        encoding: str = "utf8",
        restrict_vocab: int = 300000,
        case_insensitive: bool = True,
        dummy4unknown: bool = False,
    ) -> WordPairsResult:
        """Correlation of cosine similarity with human similarity scores (lines ``a<TAB>b<TAB>score``).

        Lines starting with ``#`` and lines that do not parse are skipped, as in gensim.
        Returns Pearson's r, Spearman's rho, the percentage of out-of-vocabulary pairs and
        the number of pairs scored (gensim returns the same numbers plus p-values).
        """
        ok_vocab = self._uppercase_vocab(restrict_vocab, case_insensitive)
        gold: list[float] = []
        model: list[float] = []
        oov = 0
        with open(pairs, encoding=encoding) as handle:
            for line in handle:
                if not line or line.startswith("#"):
                    continue
                fields = line.split(delimiter)
                if case_insensitive:
                    fields = [f.upper() for f in fields]
                try:
                    a, b, score = fields
                    score = float(score)
                except ValueError:
                    continue
                if a not in ok_vocab or b not in ok_vocab:
                    oov += 1
                    if dummy4unknown:
                        model.append(0.0)
                        gold.append(score)
                    continue
                gold.append(score)
                model.append(np.dot(unit_vector(self.vectors[ok_vocab[a]]), unit_vector(self.vectors[ok_vocab[b]])))
        if not gold:
            raise ValueError(f"No valid similarity judgements found in {pairs}: wrong format or all out of vocabulary")
        oov_ratio = float(oov) / len(gold) * 100 if dummy4unknown else float(oov) / (len(gold) + oov) * 100
        return WordPairsResult(pearson(gold, model), spearman(gold, model), oov_ratio, len(gold))

    # ------------------------------------------------------------------ files
    def _storage_order(self) -> list[str]:
        if self.counts is None:
            return list(self.index_to_key)
        return sorted(self.key_to_index, key=lambda key: -self.counts[self.key_to_index[key]])

    def save_word2vec_format(
        self, path: str | os.PathLike, binary: bool = False, write_header: bool = True, fvocab: str | None = None
    ) -> None:
        """Write word2vec.c's format: a ``"count dim"`` header, then ``word v1 v2 ...`` lines (text)
        or ``word `` followed by ``dim`` little-endian float32 (binary, no separator, as gensim).

        Most frequent words first when counts are known; ``fvocab`` also writes ``word count`` lines.
        A key the format cannot hold (:func:`check_writable_key`) is refused before anything
        is written; the files are replaced atomically, so a failed save keeps the previous ones.
        """
        order = self._storage_order()
        if fvocab is not None and self.counts is None:
            raise ValueError("cannot write a vocabulary file: these vectors have no counts")
        for key in order:
            check_writable_key(key)
        with contextlib.ExitStack() as files:  # both files are replaced only when both are written
            out = files.enter_context(atomic_write(path, "wb"))
            if fvocab is not None:
                vocab_out = files.enter_context(atomic_write(fvocab, "wb"))
                for key in order:
                    vocab_out.write(f"{key} {self.get_vecattr(key, 'count')}\n".encode("utf8"))
            if write_header:
                out.write(f"{len(self)} {self.vector_size}\n".encode("utf8"))
            for key in order:
                vector = self.vectors[self.key_to_index[key]]
                if binary:
                    out.write(f"{key} ".encode("utf8") + vector.astype("<f4").tobytes())
                else:
                    out.write(f"{key} {' '.join(str(value) for value in vector)}\n".encode("utf8"))

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

