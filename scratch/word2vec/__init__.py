"""word2vec from scratch: skip-gram with negative sampling, proven equal to gensim.

* :mod:`.vocab`          counting, filtering, ordering, subsampling and noise tables
* :mod:`.sgns_numpy`     the SGD step, readable (start here)
* :mod:`.sgns_numba`     the same step and corpus loop, compiled and multi-threaded
* :mod:`.corpus`         reading text, encoding sentences as ids, streaming a file
* :mod:`.trainer`        :class:`Word2Vec`, gensim's API: schedule, threads, loss, save/load
* :mod:`.keyed_vectors`  :class:`KeyedVectors`: similarity, analogies, evaluations, file formats
* :mod:`.pretrained`     GloVe vectors from the reference artifacts
"""

from .corpus import LineSentence
from .keyed_vectors import KeyedVectors
from .trainer import Word2Vec

__all__ = ["KeyedVectors", "LineSentence", "Word2Vec"]
