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
* ``most_similar_cosmul`` is the "3CosMul" objective of Levy and Goldberg 2014
  ("Linguistic Regularities in Sparse and Explicit Word Representations");
* ``save_word2vec_format``/``load_word2vec_format`` write and read word2vec.c's text
  and binary formats, byte for byte as gensim does (:mod:`.word2vec_format`);
  ``save``/``load`` tokemb's own ``.npz`` files (:mod:`.model_files`), the vectors
  memory-mapped with ``mmap="r"`` (:mod:`.mapped_arrays`);
* ``wmdistance`` is the Word Mover's Distance of Kusner et al. 2015, with the exact
  earth mover's distance of :mod:`.optimal_transport` where gensim calls POT.

Growing and editing follow gensim too: ``KeyedVectors(vector_size, count)`` preallocates
rows that ``add_vector`` fills, ``add_vectors``/``kv[keys] = vectors`` append or replace,
``set_vecattr``/``get_vecattr`` keep per-key attributes (``expandos``, ``"count"`` among
them) and ``sort_by_descending_frequency`` reorders by count.
"""

from __future__ import annotations

import logging
import numbers
import os
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from . import evaluation
from .mapped_arrays import map_npz_array
from .model_files import ModelFileError, from_json_array, json_array, read_npz, write_npz
from .optimal_transport import earth_movers_distance
from .vector_math import cosine_similarities, pseudorandom_weak_vector, top_indices, unit_vector
from .word2vec_format import (
    BINARY_CHUNK_BYTES,
    read_vocab_counts,
    read_word2vec_format,
    word2vec_rows,
    write_word2vec_format,
)

logger = logging.getLogger(__name__)

REAL = np.float32
Key = str | int | np.integer
KEY_TYPES = (str, int, np.integer)  # what is looked up as a key (gensim's _KEY_TYPES)

__all__ = ["REAL", "KeyedVectors", "pseudorandom_weak_vector"]


class KeyedVectors:
    """A set of vectors addressed by key (usually a word): gensim's ``KeyedVectors``.

    ``KeyedVectors(vector_size, count=0, dtype=np.float32)`` is gensim's constructor: an
    empty set of ``vector_size``-dimensional vectors with ``count`` rows preallocated
    (filled by :meth:`add_vector`). :meth:`from_vectors` builds one from a matrix and its
    keys. scratch's earlier form, ``KeyedVectors(vectors, keys, counts=None)`` (a 2-D array
    first), is still accepted and means ``from_vectors(vectors, keys, counts)``.

    >>> kv = KeyedVectors.from_vectors(np.eye(3, dtype=np.float32), ["a", "b", "c"])
    >>> kv.similarity("a", "b")
    0.0
    """

    def __init__(self, vector_size, count=0, dtype=np.float32, mapfile_path=None, *, counts=None):
        if not isinstance(vector_size, numbers.Integral):
            # scratch's earlier constructor, KeyedVectors(vectors, keys, counts=None): the positions
            # of gensim's count and dtype hold the keys and the counts
            keys, counts = count, (dtype if counts is None and dtype is not np.float32 else counts)
            self._fill(vector_size, keys, counts)
            return
        if counts is not None:
            raise TypeError("counts= goes with KeyedVectors(vectors, keys, counts) or from_vectors, "
                            "not with KeyedVectors(vector_size)")  # fmt: skip
        self.vector_size = int(vector_size)
        self.index_to_key: list = [None] * count
        self.next_index = 0  # where add_vector puts the next key (gensim's next_index)
        self.key_to_index: dict = {}
        self.vectors = np.zeros((count, self.vector_size), dtype=dtype)
        self.norms: np.ndarray | None = None
        self.expandos: dict[str, np.ndarray] = {}
        self.mapfile_path = mapfile_path

    @classmethod
    def from_vectors(cls, vectors: np.ndarray, keys: Sequence, counts: Sequence[int] | None = None) -> KeyedVectors:
        """KeyedVectors holding ``vectors`` (float32, row ``i`` is ``keys[i]``), with ``"count"`` attributes if given.

        scratch's earlier constructor, under a name: what ``KeyedVectors(vectors, keys, counts)`` does."""
        kv = cls.__new__(cls)
        kv._fill(vectors, keys, counts)
        return kv

    def _fill(self, vectors, keys, counts) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=REAL)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be a 2-D array (keys x dimensions), got shape {vectors.shape}")
        if len(keys) != len(vectors):
            raise ValueError(f"{len(keys)} keys for {len(vectors)} vectors")
        self.vector_size = vectors.shape[1]
        self.vectors = vectors
        self.index_to_key = list(keys)
        self.next_index = len(self.index_to_key)
        self.key_to_index = {}
        for index, key in enumerate(self.index_to_key):
            self.key_to_index.setdefault(key, index)
        if len(self.key_to_index) != len(self.index_to_key):
            raise ValueError("keys must be unique")
        self.norms = None
        self.expandos = {} if counts is None else {"count": np.asarray(counts, dtype=np.int64)}
        self.mapfile_path = None

    # ----------------------------------------------------------------- lookup
    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, key: Key) -> bool:
        return self.has_index_for(key)

    def __str__(self) -> str:
        return f"{type(self).__name__}<vector_size={self.vector_size}, {len(self)} keys>"

    __repr__ = __str__

    def has_index_for(self, key: Key) -> bool:
        return self.get_index(key, -1) >= 0

    def get_index(self, key: Key, default: int | None = None) -> int:
        """The row of ``key``; an int in range that is not itself a key is its own index (as in gensim)."""
        index = self.key_to_index.get(key, -1)
        if index >= 0:
            return index
        if isinstance(key, (int, np.integer)) and 0 <= key < len(self.index_to_key):
            return key
        if default is not None:
            return default
        raise KeyError(f"Key '{key}' not present")

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
        if isinstance(key_or_keys, KEY_TYPES):
            return self.get_vector(key_or_keys)
        return np.vstack([self.get_vector(key) for key in key_or_keys])

    def get_normed_vectors(self) -> np.ndarray:
        self.fill_norms()
        return self.vectors / self.norms[..., np.newaxis]

    def init_sims(self, replace: bool = False) -> None:
        """gensim 3's name for :meth:`fill_norms` (deprecated there too); ``replace`` also unit-normalises every vector."""
        warnings.warn("init_sims() is deprecated (as in gensim 4): call fill_norms(), or unit_normalize_all() for "
                      "replace=True", DeprecationWarning, stacklevel=2)  # fmt: skip
        self.fill_norms()
        if replace:
            self.unit_normalize_all()

    def unit_normalize_all(self) -> None:
        """Scale every vector to unit length in place (training cannot sensibly continue after it)."""
        self.fill_norms()
        self.vectors /= self.norms[..., np.newaxis]
        self.norms = np.ones((len(self.vectors),))

    # ------------------------------------------------------- per-key attributes
    @property
    def counts(self) -> np.ndarray | None:
        """The ``"count"`` attribute of every key (``None`` if not stored): scratch's earlier name for it."""
        return self.expandos.get("count")

    def allocate_vecattrs(self, attrs: Iterable[str] | None = None, types: Iterable | None = None) -> None:
        """Make the attribute arrays as long as ``index_to_key`` (gensim's ``allocate_vecattrs``).

        A new attribute gets a zero array of its type (``int`` as int64, ``str`` as object);
        an existing one keeps its values and dtype, and a value type it cannot hold is a
        ``TypeError``, as in gensim.
        """
        if attrs is None:
            attrs = list(self.expandos)
            types = [self.expandos[attr].dtype for attr in attrs]
        size = len(self.index_to_key)
        for attr, kind in zip(attrs, types):
            kind = np.int64 if kind is int else object if kind is str else kind
            if attr not in self.expandos:
                self.expandos[attr] = np.zeros(size, dtype=kind)
                continue
            previous = self.expandos[attr]
            if not np.issubdtype(kind, previous.dtype):
                raise TypeError(f"Can't allocate type {kind} for attribute {attr}, "
                                f"conflicts with its existing type {previous.dtype}")  # fmt: skip
            if len(previous) != size:
                grown = np.zeros(size, dtype=previous.dtype)
                kept = min(len(previous), size)
                grown[:kept] = previous[:kept]
                self.expandos[attr] = grown

    def set_vecattr(self, key: Key, attr: str, val) -> None:
        """Store ``val`` as ``key``'s attribute ``attr`` (its array is made on first use, typed by ``val``)."""
        self.allocate_vecattrs(attrs=[attr], types=[type(val)])
        self.expandos[attr][self.get_index(key)] = val

    def get_vecattr(self, key: Key, attr: str):
        """``key``'s attribute ``attr`` (a ``KeyError`` if the key or the attribute is missing, as in gensim)."""
        return self.expandos[attr][self.get_index(key)]

    def sort_by_descending_frequency(self) -> None:
        """Reorder keys (and vectors, attributes) by descending ``"count"``; ties keep their order.

        gensim's ``sort_by_descending_frequency``: ``np.lexsort((-indices, -counts))``, which
        puts, among equal counts, the *later* key first.
        """
        if not len(self):
            return
        counts = np.asarray(self.expandos["count"], dtype=np.int64)
        order = np.lexsort((-np.arange(len(counts)), -counts))
        self.index_to_key = [self.index_to_key[index] for index in order]
        self.allocate_vecattrs()
        for attr in self.expandos:
            self.expandos[attr] = self.expandos[attr][order]
        if len(self.vectors):
            logger.warning("sorting after vectors have been allocated is expensive & error-prone")
            self.vectors = self.vectors[order]
        self.key_to_index = {key: index for index, key in enumerate(self.index_to_key)}
        self.norms = None

    # ------------------------------------------------------------- adding keys
    def add_vector(self, key: Key, vector: np.ndarray) -> int:
        """Put ``key`` in the next preallocated row, or append it; returns its index (gensim's ``add_vector``)."""
        target = self.next_index
        if target >= len(self) or self.index_to_key[target] is not None:
            target = len(self)
            warnings.warn("Adding single vectors to a KeyedVectors which grows by one each time can be costly. "
                          "Consider adding in batches or preallocating to the required size.", UserWarning)  # fmt: skip
            self.add_vectors([key], [vector])
            self.allocate_vecattrs()
            self.next_index = target + 1
        else:
            self.index_to_key[target] = key
            self.key_to_index[key] = target
            self.vectors[target] = vector
            self.next_index += 1
        self.norms = None
        return target

    def add_vectors(self, keys: Key | Sequence[Key], weights, extras: dict | None = None,
                    replace: bool = False) -> None:  # fmt: skip
        """Append the new ``keys`` with their vectors; keys already present keep their vector unless ``replace``.

        gensim's ``add_vectors``: ``weights`` is one vector (for a single key), a list of
        vectors or a 2-D array, cast to the vectors' dtype. ``extras`` (per-key attribute
        arrays) is refused: gensim's own handling of it does not work (it iterates the
        dict as pairs).
        """
        if extras:
            raise NotImplementedError("add_vectors(extras=...) is not supported (gensim 4.4.0's fails on it "
                                      "too); add the keys, then set_vecattr each attribute")  # fmt: skip
        if isinstance(keys, KEY_TYPES):
            keys = [keys]
            weights = np.array(weights).reshape(1, -1)
        elif isinstance(weights, list):
            weights = np.array(weights)
        weights = np.asarray(weights)
        if weights.ndim != 2 or weights.shape != (len(keys), self.vector_size):
            raise ValueError(f"{len(keys)} keys need a ({len(keys)}, {self.vector_size}) array of vectors, "
                             f"got shape {weights.shape}")  # fmt: skip
        present = np.array([key in self.key_to_index for key in keys], dtype=bool)
        for index in np.nonzero(~present)[0]:
            self.key_to_index[keys[index]] = len(self.index_to_key)
            self.index_to_key.append(keys[index])
        self.vectors = np.vstack((self.vectors, weights[~present].astype(self.vectors.dtype)))
        if replace:
            rows = [self.get_index(keys[index]) for index in np.nonzero(present)[0]]
            self.vectors[rows] = weights[present]
        self.allocate_vecattrs()
        self.norms = None

    def resize_vectors(self, seed: int = 0) -> None:
        """Make ``vectors`` one row per key: new rows random, kept rows (and columns) as they were.

        gensim's ``resize_vectors`` (its ``prep_vectors``): if the shape is already right,
        nothing changes; otherwise a ``(len(index_to_key), vector_size)`` float32 array is
        drawn uniform in ``[-1, 1) / vector_size`` from ``np.random.default_rng(seed)`` and
        the old vectors copied over its top-left corner (fewer rows or columns than there
        are is a ``ValueError``, as gensim's copy fails then). Attribute arrays grow to
        match; the cached norms are reset.
        """
        target = (len(self.index_to_key), self.vector_size)
        if self.vectors.shape != target:
            fresh = np.random.default_rng(seed=seed).random(target, dtype=REAL)  # [0, 1)
            fresh *= 2.0
            fresh -= 1.0
            fresh /= self.vector_size
            rows, cols = self.vectors.shape
            if rows > target[0] or cols > target[1]:
                raise ValueError(f"resize_vectors only grows: vectors of shape {self.vectors.shape} do not fit "
                                 f"{target} (gensim fails here too)")  # fmt: skip
            fresh[:rows, :cols] = self.vectors
            self.vectors = fresh
        self.allocate_vecattrs()
        self.norms = None

    def __setitem__(self, keys: Key | list[Key], weights) -> None:
        """``kv[key] = vector`` or ``kv[keys] = vectors``: add, replacing vectors of keys present."""
        if not isinstance(keys, list):
            keys = [keys]
            weights = np.asarray(weights).reshape(1, -1)
        self.add_vectors(keys, weights, replace=True)

    def vectors_for_all(self, keys: Iterable[Key], allow_inference: bool = True,
                        copy_vecattrs: bool = False) -> KeyedVectors:  # fmt: skip
        """A new KeyedVectors with the vectors of ``keys`` that are present, each once, in the order given.

        As gensim: the new vectors get made-up descending counts (``len - index``) unless
        ``copy_vecattrs`` copies every attribute of the originals.
        """
        vocab, seen = [], set()
        for key in keys:
            if key not in seen:
                seen.add(key)
                if key in (self if allow_inference else self.key_to_index):
                    vocab.append(key)
        kv = KeyedVectors(self.vector_size, len(vocab), dtype=self.vectors.dtype)
        for index, key in enumerate(vocab):
            kv.add_vector(key, self[key])
            kv.set_vecattr(key, "count", len(vocab) - index)
            if copy_vecattrs:
                for attr in self.expandos:
                    kv.set_vecattr(key, attr, self.get_vecattr(key, attr))
        return kv

    # ------------------------------------------------------------- similarity
    def get_mean_vector(
        self,
        keys: Sequence[Key | np.ndarray] | np.ndarray,
        weights: Sequence[float] | np.ndarray | None = None,
        pre_normalize: bool = True,
        post_normalize: bool = False,
        ignore_missing: bool = True,
        *,
        key_to_index: dict[str, int] | None = None,
    ) -> np.ndarray:
        """Weighted mean of the keys' (unit, if ``pre_normalize``) vectors; raw vectors are used as given.

        The arithmetic is gensim's: an accumulator in the vectors' dtype, the weights'
        precision, the division by the total absolute weight. ``key_to_index`` looks str
        keys up in another mapping (the analogy evaluation uses upper-cased keys, where
        gensim swaps its ``key_to_index`` for the duration).
        """
        if len(keys) == 0:
            raise ValueError("cannot compute mean with no input")
        if isinstance(weights, list):
            weights = np.array(weights, dtype=self.vectors.dtype)
        if weights is None:
            weights = np.ones(len(keys), dtype=self.vectors.dtype)
        if len(keys) != weights.shape[0]:
            raise ValueError("keys and weights array must have same number of elements")
        mean = np.zeros(self.vector_size, self.vectors.dtype)
        total_weight = 0
        for weight, key in zip(weights, keys):
            if isinstance(key, np.ndarray):
                mean += weight * key
                total_weight += abs(weight)
                continue
            index = self._lookup(key, key_to_index)
            if index >= 0:
                mean += weight * self._row(index, normalized=pre_normalize)
                total_weight += abs(weight)
            elif not ignore_missing:
                raise KeyError(f"Key '{key}' not present in vocabulary")
        if total_weight > 0:
            mean = mean / total_weight
        if post_normalize:
            mean = unit_vector(mean).astype(REAL)
        return mean

    def _lookup(self, key: Key, key_to_index: dict | None) -> int:
        """The row of ``key`` (``-1`` if absent), through ``key_to_index`` instead of this vocabulary if given."""
        if key_to_index is None:
            return self.get_index(key, -1)
        index = key_to_index.get(key, -1)
        if index < 0 and isinstance(key, (int, np.integer)) and 0 <= key < len(self.index_to_key):
            return int(key)
        return index

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
        clip_start: int = 0,
        clip_end: int | None = None,
        restrict_vocab: int | None = None,
        indexer=None,
        *,
        key_to_index: dict[str, int] | None = None,
    ) -> list[tuple[str, float]] | np.ndarray:
        """The ``topn`` keys nearest (by cosine) to the mean of ``positive`` minus ``negative``.

        Items may be keys, raw vectors (as the book passes ``model["king"]``), or
        ``(item, weight)`` pairs. Input keys are left out of the answer; raw vectors are
        not, which is why the book's query by vector lists "king" itself first. With
        ``topn=None`` the cosine with every key (in ``clip_start:clip_end``) is returned;
        any integer ``topn`` below 1 (``numbers.Integral``, so ``np.uint8(0)`` too) gives
        ``[]``. ``restrict_vocab`` searches only the first (most frequent) keys, and
        overrides the clip range. An approximate-neighbour ``indexer`` is not supported.
        """
        if indexer is not None:
            raise NotImplementedError("most_similar(indexer=...): approximate-neighbour indexers (Annoy, NMSLIB) "
                                      "are not supported here; the search is exact")  # fmt: skip
        if isinstance(topn, numbers.Integral) and topn < 1:
            return []
        positive = _as_list(positive)
        negative = _as_list(negative)
        self.fill_norms()
        clip_end = clip_end or len(self.vectors)
        if restrict_vocab:
            clip_start, clip_end = 0, restrict_vocab

        keys: list = []
        weight = np.concatenate((np.ones(len(positive)), -1.0 * np.ones(len(negative))))
        for i, item in enumerate(positive + negative):
            if isinstance(item, (*KEY_TYPES, np.ndarray)):
                keys.append(item)
            else:
                keys.append(item[0])
                weight[i] = item[1]
        mean = self.get_mean_vector(keys, weight, pre_normalize=True, post_normalize=True, ignore_missing=False,
                                    key_to_index=key_to_index)  # fmt: skip
        input_indices = [
            self._lookup(key, key_to_index)
            for key in keys
            if isinstance(key, KEY_TYPES) and self._lookup(key, key_to_index) >= 0
        ]
        scores = np.dot(self.vectors[clip_start:clip_end], mean) / self.norms[clip_start:clip_end]
        if not topn:
            return scores
        best = top_indices(scores, topn + len(input_indices))
        result = [
            (self.index_to_key[i + clip_start], float(scores[i])) for i in best if i + clip_start not in input_indices
        ]
        return result[:topn]

    def most_similar_cosmul(
        self,
        positive: Key | np.ndarray | Sequence = None,
        negative: Key | np.ndarray | Sequence = None,
        topn: int | None = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]] | np.ndarray:
        """The ``topn`` keys by "3CosMul" (Levy and Goldberg 2014, equation 4): a product of shifted cosines.

        Each cosine is mapped to ``[0, 1]`` as ``(1 + cos) / 2`` (the paper's footnote 7);
        a key's score is the product over ``positive`` divided by the product over
        ``negative`` plus ``1e-6``. Items are str keys or raw vectors; input keys are left out
        of the answer. With one positive item the ranking is :meth:`most_similar`'s.

        As gensim 4.4.0 (``keyedvectors.py``, ``most_similar_cosmul``): every key is scored,
        ``restrict_vocab`` is accepted and not applied (a warning says so), and with no
        negative the denominator is the float64 ``1 + 1e-6``, so the scores are float64.
        An int item, which gensim would use as a number rather than a key, is refused.
        """
        if isinstance(topn, numbers.Integral) and topn < 1:
            return []
        if restrict_vocab is not None:
            logger.warning("most_similar_cosmul(restrict_vocab=%s) scores every key, as gensim 4.4.0 does "
                           "(it does not apply restrict_vocab there)", restrict_vocab)  # fmt: skip
        positive = _as_list(positive)
        negative = _as_list(negative)
        for item in positive + negative:
            if not isinstance(item, (str, np.ndarray)):
                raise TypeError(f"most_similar_cosmul takes str keys or vectors, got {item!r} "
                                f"({type(item).__name__})")  # fmt: skip
        self.fill_norms()
        input_indices = {self.get_index(key) for key in positive + negative
                         if isinstance(key, str) and key in self.key_to_index}  # fmt: skip
        positive = [self.get_vector(key, norm=True) if isinstance(key, str) else key for key in positive]
        negative = [self.get_vector(key, norm=True) if isinstance(key, str) else key for key in negative]
        if not positive:
            raise ValueError("cannot compute similarity with no input")
        positive_cosines = [(1 + np.dot(self.vectors, term) / self.norms) / 2 for term in positive]
        negative_cosines = [(1 + np.dot(self.vectors, term) / self.norms) / 2 for term in negative]
        scores = np.prod(positive_cosines, axis=0) / (np.prod(negative_cosines, axis=0) + 0.000001)
        if not topn:
            return scores
        best = top_indices(scores, topn + len(input_indices))
        return [(self.index_to_key[i], float(scores[i])) for i in best if i not in input_indices][:topn]

    def similar_by_key(self, key: Key, topn: int | None = 10, restrict_vocab: int | None = None):
        return self.most_similar(positive=[key], topn=topn, restrict_vocab=restrict_vocab)

    similar_by_word = similar_by_key

    def similar_by_vector(self, vector: np.ndarray, topn: int | None = 10, restrict_vocab: int | None = None):
        return self.most_similar(positive=[vector], topn=topn, restrict_vocab=restrict_vocab)

    def similarity(self, w1: Key, w2: Key) -> float:
        """Cosine similarity of two keys (a float32 value, as gensim returns)."""
        return np.dot(unit_vector(self[w1]), unit_vector(self[w2]))

    def distance(self, w1: Key, w2: Key) -> float:
        return 1 - self.similarity(w1, w2)

    def n_similarity(self, ws1: Sequence[Key], ws2: Sequence[Key]) -> float:
        """Cosine similarity of the means of two sets of keys (raw vectors, missing keys skipped, as gensim)."""
        if not (len(ws1) and len(ws2)):
            raise ZeroDivisionError("At least one of the passed list is empty.")
        mean1 = self.get_mean_vector(ws1, pre_normalize=False)
        mean2 = self.get_mean_vector(ws2, pre_normalize=False)
        return np.dot(unit_vector(mean1), unit_vector(mean2))

    cosine_similarities = staticmethod(cosine_similarities)

    def distances(self, word_or_vector: Key | np.ndarray, other_words: Sequence[Key] = ()) -> np.ndarray:
        """Cosine distances from a key or vector to ``other_words`` (to every key if empty)."""
        vector = self.get_vector(word_or_vector) if isinstance(word_or_vector, KEY_TYPES) else word_or_vector
        if not other_words:
            others = self.vectors
        else:
            others = self.vectors[[self.get_index(word) for word in other_words]]
        return 1 - cosine_similarities(vector, others)

    def closer_than(self, key1: Key, key2: Key) -> list:
        """Every key (but ``key1``) closer to ``key1`` than ``key2`` is, in index order."""
        all_distances = self.distances(key1)
        index1, index2 = self.get_index(key1), self.get_index(key2)
        closer = np.where(all_distances < all_distances[index2])[0]
        return [self.index_to_key[index] for index in closer if index != index1]

    def rank(self, key1: Key, key2: Key) -> int:
        """``key2``'s rank among ``key1``'s neighbours by distance (1: the nearest)."""
        return len(self.closer_than(key1, key2)) + 1

    def most_similar_to_given(self, key1: Key, keys_list: Sequence[Key]) -> Key:
        """The key of ``keys_list`` most similar to ``key1`` (the first of equals)."""
        return keys_list[np.argmax([self.similarity(key1, key) for key in keys_list])]

    def relative_cosine_similarity(self, wa: Key, wb: Key, topn: int = 10) -> float:
        """``similarity(wa, wb)`` over the sum of ``wa``'s ``topn`` nearest similarities.

        Equation (1) of Leeuwenberg et al. 2016, "A Minimally Supervised Approach for
        Synonym Extraction with Word Embeddings"; above 0.10 (``topn=10``) the pair is
        more similar than an arbitrary one.
        """
        sims = self.similar_by_word(wa, topn)
        if not sims:
            raise ValueError("Cannot calculate relative cosine similarity without any similar words.")
        return float(self.similarity(wa, wb)) / (sum(sim for _, sim in sims))

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

    def wmdistance(self, document1: Sequence[Key], document2: Sequence[Key], norm: bool = True) -> float:
        """Word Mover's Distance (Kusner et al. 2015, "From Word Embeddings To Document Distances").

        gensim's ``KeyedVectors.wmdistance`` step for step: words missing from the vectors
        are dropped (logged); if a document is left empty the distance is ``inf`` (with
        gensim's warning); if both hold one and the same word it is ``0.0``. Otherwise each
        document is its normalised bag of words (count / length, kept exact: the counts
        over a common total) and the distance is the least cost of moving one onto the other at the Euclidean distance between the
        words' vectors (unit length when ``norm``), the exact earth mover's distance of
        :mod:`.optimal_transport` (gensim: POT's ``ot.emd2``). As in gensim, if every
        distance between the two documents' words sums below ``1e-8`` the result is ``inf``.
        The distances are taken in float64 from the float32 vectors (gensim: SciPy's
        ``cdist``); the sums may round in another order, so results agree to ~1e-15.
        """
        kept1 = [token for token in document1 if token in self]
        kept2 = [token for token in document2 if token in self]
        dropped1, dropped2 = len(document1) - len(kept1), len(document2) - len(kept2)
        if dropped1 > 0 or dropped2 > 0:
            logger.info("Removed %d and %d OOV words from document 1 and 2 (respectively).", dropped1, dropped2)
        if not kept1 or not kept2:
            logger.warning("At least one of the documents had no words that were in the vocabulary.")
            return float("inf")
        words1, counts1 = _bag_of_words(kept1)
        words2, counts2 = _bag_of_words(kept2)
        if len(set(words1) | set(words2)) == 1:
            return 0.0  # both documents repeat a single word
        vectors1 = np.array([self.get_vector(word, norm=norm) for word in words1], dtype=np.float64)
        vectors2 = np.array([self.get_vector(word, norm=norm) for word in words2], dtype=np.float64)
        differences = vectors1[:, np.newaxis, :] - vectors2[np.newaxis, :, :]
        distances = np.sqrt(np.einsum("ijk,ijk->ij", differences, differences))
        if abs(np.sum(distances)) < 1e-8:
            logger.info("The distance matrix is all zeros. Aborting (returning inf).")
            return float("inf")
        # gensim's histograms are count / length; over the common total length1 * length2 they are
        # integers, so the transport is solved for the exact histograms, not their float64 roundings
        total = len(kept1) * len(kept2)
        return earth_movers_distance(counts1 * len(kept2), counts2 * len(kept1), distances) / total

    # ------------------------------------------------------------ evaluations
    # The evaluations take the vectors as their first argument, so the functions of
    # .evaluation serve as methods as they are (gensim's names and parameters).
    evaluate_word_analogies = evaluation.evaluate_word_analogies
    evaluate_word_pairs = evaluation.evaluate_word_pairs

    # ------------------------------------------------------------------ files
    def save_word2vec_format(
        self,
        fname: str | os.PathLike,
        fvocab: str | os.PathLike | None = None,
        binary: bool = False,
        total_vec: int | None = None,
        write_header: bool = True,
        prefix: str = "",
        append: bool = False,
        sort_attr: str = "count",
    ) -> None:
        """Write word2vec.c's text or binary format, as gensim's ``save_word2vec_format`` (same parameters).

        Keys go in descending order of the attribute ``sort_attr`` when it is stored (most
        frequent first), else in index order; ``fvocab`` also writes ``key count`` lines and
        needs that attribute. A key the format cannot hold is refused, and the files are
        replaced atomically (:func:`.word2vec_format.write_word2vec_format`).
        """
        values = self.expandos.get(sort_attr)
        if values is None:
            if fvocab is not None:
                raise ValueError(f"Cannot store vocabulary with '{sort_attr}' because that attribute does not exist")
            logger.warning("attribute %s not present in %s; will store in internal index_to_key order",
                           sort_attr, self)  # fmt: skip
        if (len(self.index_to_key), self.vector_size) != self.vectors.shape:
            raise ValueError(f"{len(self.index_to_key)} keys but vectors of shape {self.vectors.shape}: "
                             f"fill the preallocated rows (add_vector) before saving")  # fmt: skip
        write_word2vec_format(fname, self.index_to_key, self.vectors, values, binary, write_header, fvocab,
                              total_vec, prefix, append)  # fmt: skip

    @classmethod
    def load_word2vec_format(
        cls,
        fname: str | os.PathLike,
        fvocab: str | os.PathLike | None = None,
        binary: bool = False,
        encoding: str = "utf8",
        unicode_errors: str = "strict",
        limit: int | None = None,
        datatype: type = REAL,
        no_header: bool = False,
        *,
        binary_chunk_size: int = BINARY_CHUNK_BYTES,
    ) -> KeyedVectors:
        """Read word2vec.c's text or binary format (and GloVe's header-less text with ``no_header``).

        gensim's parameters in gensim's order. What gensim loads loads the same (a repeated
        word keeps its first vector); a truncated or corrupt file is a :class:`ModelFileError`
        naming it and the line or byte offset of the damage (:mod:`.word2vec_format`). Each
        key gets a ``"count"``: from ``fvocab`` (0 for a word missing there), else made up
        as gensim does, descending from the number of rows read (``rows - index``).
        """
        counts_by_word = None if fvocab is None else read_vocab_counts(fvocab, encoding, unicode_errors)
        keys, vectors = read_word2vec_format(fname, binary, limit, no_header, encoding, unicode_errors, datatype,
                                             binary_chunk_size)  # fmt: skip
        kv = cls(vectors.shape[1], 0, dtype=vectors.dtype)
        kv._fill_rows(vectors, keys)
        if counts_by_word is None:
            declared = len(keys)
            counts = [declared - index for index in range(len(keys))]
        else:
            counts = [counts_by_word.get(word, 0) for word in keys]
        kv.expandos["count"] = np.asarray(counts, dtype=np.int64)
        return kv

    def _fill_rows(self, vectors: np.ndarray, keys: list) -> None:
        self.vectors = vectors
        self.index_to_key = keys
        self.next_index = len(keys)
        self.key_to_index = {key: index for index, key in enumerate(keys)}

    def intersect_word2vec_format(self, fname: str | os.PathLike, lockf: float = 0.0, binary: bool = False,
                                  encoding: str = "utf8", unicode_errors: str = "strict") -> None:  # fmt: skip
        """Take the vectors of a word2vec-format file for the keys present here, and lock them with ``lockf``.

        gensim's ``KeyedVectors.intersect_word2vec_format``: no key is added; each key
        that is also in the file gets the file's vector (a word repeated in the file: its
        last vector, in the text format every line after the header, as gensim reads
        them: :func:`.word2vec_format.word2vec_rows`) and the lock factor ``lockf`` in
        ``vectors_lockf`` (0.0 keeps it fixed in further training, 1.0 lets it train). A
        file of other dimensions is a ``ValueError``, as in gensim.

        Where gensim fails, this works: gensim indexes ``vectors_lockf`` as it finds it,
        which after training is one factor for all rows (an ``IndexError``, or, when only
        the first key matches, every row locked); it is missing on vectors that were never
        trained (an ``AttributeError``). Here a missing or single factor is first spread
        to one per key (gensim's documentation asks the user to do that by hand). The
        binary format is read as gensim meant to (gensim 4.4.0's own call fails under
        NumPy 2: ``np.fromstring`` in binary mode was removed). The cached norms are reset
        (gensim keeps stale ones).
        """
        logger.info("loading projection weights from %s", fname)
        with word2vec_rows(fname, binary, encoding, unicode_errors) as (size, rows):
            if size != self.vector_size:
                raise ValueError(f"incompatible vector size {size} in file {fname}")
            factors = np.asarray(getattr(self, "vectors_lockf", np.ones(1, dtype=REAL)), dtype=REAL)
            if factors.size == 1:
                factors = np.full(len(self), factors.reshape(-1)[0], dtype=REAL)
            elif factors.shape != (len(self),):
                raise ValueError(f"vectors_lockf has shape {factors.shape}: give one factor for all keys or one "
                                 f"per key ({len(self)})")  # fmt: skip
            self.vectors_lockf = factors
            overlap = 0
            for word, vector in rows:
                index = self.key_to_index.get(word)
                if index is not None:
                    overlap += 1
                    self.vectors[index] = vector
                    self.vectors_lockf[index] = lockf
        self.norms = None
        logger.info("merged %d vectors into %s matrix from %s", overlap, self.vectors.shape, fname)

    # ----------------------------------------------------------- tokemb files
    def save(self, fname: str | os.PathLike, separately=None, sep_limit: int = 10 * 1024**2, ignore=frozenset(),
             pickle_protocol: int | None = None) -> None:  # fmt: skip
        """Save to a ``.npz`` file (no pickle): the vectors, the keys as JSON, every attribute array.

        gensim's parameters are accepted: ``sep_limit``, ``separately`` and
        ``pickle_protocol`` decide which arrays gensim pickles apart from the object; here
        every array is stored uncompressed in the one ``.npz`` (so :meth:`load` can map the
        vectors with ``mmap="r"``), so they change nothing. ``ignore`` (attributes to leave
        out) is refused. The file is replaced atomically: a save that fails part-way keeps
        the previous file.
        """
        if ignore:
            raise NotImplementedError(f"save(ignore={set(ignore)!r}): every attribute is saved here")
        for key in self.index_to_key:
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeError(f"cannot save key {key!r} ({type(key).__name__}): keys must be str or int")
        arrays = {"vectors": self.vectors, "keys": json_array(self.index_to_key)}
        for attr, values in self.expandos.items():
            if values.dtype == object:
                raise TypeError(f"cannot save attribute {attr!r}: it holds Python objects (no pickle here)")
            arrays[f"attr.{attr}"] = values
        write_npz(fname, **arrays)

    @classmethod
    def load(cls, fname: str | os.PathLike, mmap: str | None = None) -> KeyedVectors:
        """Load vectors written by :meth:`save`; a damaged file is a :class:`ModelFileError` naming it.

        ``mmap="r"`` (or ``"r+"``, ``"c"``) maps the vectors from the file instead of reading
        them (:func:`.mapped_arrays.map_npz_array`), as gensim maps arrays saved apart. A file
        written by gensim's pickle-based ``save`` is refused: loading it would run foreign code.
        """
        _refuse_pickle(fname)
        with read_npz(fname, "tokemb vectors (KeyedVectors.save)") as data:
            if "keys" not in data.files and "meta" in data.files:
                raise ModelFileError(f"{fname}: a whole Word2Vec model (Word2Vec.save), not KeyedVectors: "
                                     f"load it with Word2Vec.load(path).wv")  # fmt: skip
            keys = from_json_array(data["keys"])
            vectors = data["vectors"] if mmap is None else map_npz_array(fname, "vectors", mmap)
            if "counts" in data.files:  # written by tokemb before attributes were stored by name
                expandos = {"count": data["counts"]}
            else:
                expandos = {name[len("attr."):]: data[name] for name in data.files if name.startswith("attr.")}
        kv = cls(vectors.shape[1], 0, dtype=vectors.dtype)
        kv._fill_rows(vectors, keys)
        kv.expandos = expandos
        return kv


def _refuse_pickle(fname: str | os.PathLike) -> None:
    """A pickle (gensim's ``save`` writes one) is refused with a message saying so and what to do instead."""
    try:
        with open(fname, "rb") as handle:
            first = handle.read(1)
    except IsADirectoryError:
        return  # np.load's own error names it
    if first == b"\x80":
        raise ModelFileError(f"{fname}: a Python pickle, as gensim's KeyedVectors.save writes; it is not loaded "
                             f"here, since unpickling runs code from the file. Convert it with gensim: "
                             f"KeyedVectors.load(path).save_word2vec_format(out, binary=True), then "
                             f"load_word2vec_format(out, binary=True)")  # fmt: skip


def _bag_of_words(document: list) -> tuple[list, np.ndarray]:
    """The distinct words of ``document`` in first-seen order, and how often each occurs."""
    counts = Counter(document)
    return list(counts), np.array(list(counts.values()), dtype=np.int64)


def _as_list(value) -> list:
    """A single key or vector becomes a one-item list; a 2-D array a list of rows (gensim's ``_ensure_list``)."""
    if value is None:
        return []
    if isinstance(value, KEY_TYPES) or (isinstance(value, np.ndarray) and value.ndim == 1):
        return [value]
    if isinstance(value, np.ndarray) and value.ndim == 2:
        return list(value)
    return list(value)
