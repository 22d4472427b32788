"""gensim's Huffman tree over the vocabulary: each word's path for hierarchical softmax.

Hierarchical softmax (Morin & Bengio 2005; Mikolov et al. 2013, ``hs=1``) replaces the
output layer's ``V``-way softmax by a walk down a binary tree whose leaves are the words:
the probability of a word is the product, along the path from the root to its leaf, of
the probability of each turn taken. word2vec.c and gensim use a Huffman tree built on the
word counts, so frequent words get short paths and a step costs ``O(log V)`` on average.

For each word the tree gives

* ``point``: the inner nodes on its path, root first, numbered ``0 .. V - 2`` (each has an
  output vector, a row of ``syn1``);
* ``code``: the turn taken at each of them, ``0`` to the first child merged, ``1`` to the
  second. The turn is the label the node's logistic unit learns to predict: ``1 - code``.

The tree is exactly gensim's (``gensim/models/word2vec.py``: ``_build_heap`` and
``_assign_binary_codes``). The ``V`` leaves are indexed ``0 .. V - 1`` in vocabulary order,
the inner node made by the ``i``-th merge gets index ``V + i`` (its row of ``syn1`` is
``i``). Each merge pops the two nodes of smallest count from a binary heap, the first
popped becoming the left child (code 0), and pushes their sum. gensim's heap items
compare by count *alone* (``Heapitem.__lt__``), so which of several equal counts comes
out first is decided by the heap's layout, not by the index: we use the same heap (the
standard library's ``heapq``) with the same comparison, so ties fall the same way. A
vocabulary of a few thousand words has many ties (every word seen ``min_count`` times).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class HuffmanTree:
    """Every word's code and points, one word after another (the form the compiled loops take).

    Word ``w``'s code is ``codes[starts[w]:starts[w + 1]]`` and its points the same slice of
    ``points``; :meth:`code` and :meth:`point` return them.
    """

    codes: np.ndarray  # uint8: the turns, 0 or 1
    points: np.ndarray  # uint32: the inner nodes (rows of syn1), root first
    starts: np.ndarray  # int64, one more than there are words

    def code(self, word: int) -> np.ndarray:
        return self.codes[self.starts[word] : self.starts[word + 1]]

    def point(self, word: int) -> np.ndarray:
        return self.points[self.starts[word] : self.starts[word + 1]]

    @property
    def max_depth(self) -> int:
        """The longest path (gensim logs it as the tree's "maximum node depth")."""
        return int(np.diff(self.starts).max(initial=0))


class _HeapNode:
    """A node in gensim's heap: ordered by count alone, as gensim's ``Heapitem.__lt__``."""

    __slots__ = ("count", "index")

    def __init__(self, count: int, index: int):
        self.count, self.index = count, index

    def __lt__(self, other: _HeapNode) -> bool:
        return self.count < other.count


def merge_order(counts: np.ndarray) -> np.ndarray:
    """The children of each inner node: ``children[i] = (left, right)`` for inner node ``V + i``.

    Leaves are ``0 .. V - 1``; the root is the last inner node, ``2V - 2``. The merges are
    gensim's: the standard library's binary heap (``heapq``), compared by count alone, so
    that equal counts come out in the order the heap's layout gives, as in gensim.
    """
    n_words = len(counts)
    heap = [_HeapNode(int(count), index) for index, count in enumerate(counts)]
    heapq.heapify(heap)
    children = np.empty((max(n_words - 1, 0), 2), dtype=np.int64)
    for i in range(n_words - 1):
        left, right = heapq.heappop(heap), heapq.heappop(heap)
        children[i] = left.index, right.index
        heapq.heappush(heap, _HeapNode(left.count + right.count, n_words + i))
    return children


def _climb(parent: np.ndarray, n_words: int):
    """For each level: (the words still below the root, the nodes they are at), then one step up."""
    node = np.arange(n_words)
    climbing = np.flatnonzero(parent[node] >= 0) if n_words else node
    while len(climbing):
        yield climbing, node[climbing]
        node[climbing] = parent[node[climbing]]
        climbing = climbing[parent[node[climbing]] >= 0]


def huffman_tree(counts: np.ndarray) -> HuffmanTree:
    """gensim's Huffman codes and points for words with these counts (in vocabulary order).

    A vocabulary of one word has an empty path (no inner node), as in gensim; an empty
    vocabulary gives an empty tree.
    """
    n_words = len(counts)
    children = merge_order(counts)
    parent = np.full(max(2 * n_words - 1, 0), -1, dtype=np.int64)  # the root has none
    parent[children.ravel()] = np.repeat(np.arange(n_words, 2 * n_words - 1), 2)
    turn = np.zeros(len(parent), dtype=np.uint8)
    turn[children[:, 1]] = 1  # the second node merged is the right child
    # Climb from every leaf to the root at once, one level per pass: first to measure the
    # paths, then to fill each one from its end (the root comes first in a path).
    lengths = np.zeros(n_words, dtype=np.int64)
    for climbing, node in _climb(parent, n_words):
        lengths[climbing] += 1
    starts = np.zeros(n_words + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    codes = np.empty(starts[-1], dtype=np.uint8)
    points = np.empty(starts[-1], dtype=np.uint32)
    position = starts[1:].copy()
    for climbing, node in _climb(parent, n_words):
        position[climbing] -= 1
        codes[position[climbing]] = turn[node]
        points[position[climbing]] = parent[node] - n_words
    return HuffmanTree(codes, points, starts)


def huffman_codes(counts: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each word's code (uint8) and points (uint32), as gensim's ``get_vecattr(word, "code")``
    and ``get_vecattr(word, "point")`` after ``build_vocab`` with ``hs=1``."""
    tree = huffman_tree(counts)
    words = range(len(tree.starts) - 1)
    return [tree.code(w) for w in words], [tree.point(w) for w in words]
