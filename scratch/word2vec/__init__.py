"""word2vec from scratch: skip-gram and CBOW, negative sampling and hierarchical softmax, proven equal to gensim.

* :mod:`.vocab`          counting, filtering, ordering, subsampling and noise tables
* :mod:`.sgns_numpy`     the SGD step, readable (start here)
* :mod:`.sgns_numba`     the same step and corpus loop, compiled and multi-threaded
* :mod:`.cbow_numpy`     CBOW (``sg=0``, gensim's default): the context words predict together
* :mod:`.cbow_numba`     CBOW compiled, beside it
* :mod:`.huffman`        gensim's Huffman tree of the vocabulary, for hierarchical softmax
* :mod:`.hs_numpy`       hierarchical softmax (``hs=1``): the output layer walking the tree, readable
* :mod:`.hs_numba`       the same, compiled (one corpus loop per architecture applies either layer, or both)
* :mod:`.shared_negatives_numpy` noise words shared by a window (HogBatch): a window as matrix products, readable
* :mod:`.shared_negatives_numba`  the same, compiled and multi-threaded
* :mod:`.sgns_torch`     the step in minibatches on PyTorch (CPU or CUDA), replica synchronisation
* :mod:`.shared_negatives_torch`  the shared-noise window step in batches of windows on PyTorch
* :mod:`.distributed`    data-parallel training across processes/GPUs, started with torchrun
* :mod:`.corpus`         reading text, encoding sentences as ids, streaming a file
* :mod:`.settings`       the settings in one frozen dataclass, checked up front; the errors of bad settings
* :mod:`.trainer`        :class:`Word2Vec`, gensim's API: schedule, threads, loss, save/load
* :mod:`.progress`       an epoch's running totals and its tqdm progress bar
* :mod:`.threads`        how many training threads the cores allow; running jobs on them
* :mod:`.model_files`    tokemb's ``.npz`` files: atomic writes, damaged files named in the error
* :mod:`.keyed_vectors`  :class:`KeyedVectors`: lookups, similarity, neighbours, analogies
* :mod:`.vector_math`    gensim's unit vector and top-n ranking, to the last bit
* :mod:`.evaluation`     analogy accuracy, correlation with human similarity judgements
* :mod:`.significance`   the p-values of those correlations (Student's t through the incomplete beta)
* :mod:`.optimal_transport` the exact earth mover's distance (transportation simplex) under ``wmdistance``
* :mod:`.mapped_arrays`  memory-mapped arrays out of an uncompressed ``.npz`` (``load(mmap="r")``)
* :mod:`.word2vec_format` word2vec.c's text and binary files, read and written as gensim does
* :mod:`.pretrained`     GloVe vectors from the reference artifacts
* :mod:`.downloader`     ``gensim.downloader``'s ``load``/``info`` for the vectors held here
"""

from . import downloader
from .corpus import LineSentence, PathLineSentences
from .keyed_vectors import KeyedVectors
from .trainer import Word2Vec

__all__ = ["KeyedVectors", "LineSentence", "PathLineSentences", "Word2Vec", "downloader"]
