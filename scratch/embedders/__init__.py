"""Embeddings from language models, from scratch (chapter 2, "Token Embeddings").

* :mod:`.weights`      safetensors weights; token embeddings = rows of the input embedding matrix
* :mod:`.transformer`  the post-LayerNorm Transformer encoder layer BERT and MPNet share
* :mod:`.bert`         BERT (all-MiniLM-L6-v2): word + position + segment embeddings
* :mod:`.mpnet`        MPNet (all-mpnet-base-v2): padding-aware positions, relative position buckets
* :mod:`.models`       ``load_encoder(folder)``: the right encoder for a model folder
* :mod:`.pooling`      mean / CLS / max pooling, L2 normalisation
* :mod:`.sentence_embedder`  ``SentenceEmbedder``: a sentence-transformers folder, encoded like the reference
* :mod:`.static`       averaged word vectors (GloVe, word2vec): the static baseline
* :mod:`.search`       ``cos_sim`` and semantic search
* :mod:`.util`         sentence-transformers' ``util``: ``cos_sim``, ``dot_score``, ``semantic_search``
* :mod:`.sentence_transformer`  ``SentenceTransformer(name).encode(...)``, sentence-transformers' entry point
"""

from .bert import BertModel
from .models import load_encoder
from .mpnet import MPNetModel
from .pooling import Pooling, cls_pooling, l2_normalize, max_pooling, mean_pooling
from .search import cos_sim, search, semantic_search
from .sentence_embedder import SentenceEmbedder
from .sentence_transformer import ModelNotAvailableError, SentenceTransformer
from .static import StaticEmbedder
from .weights import ModelFolderError, input_embeddings, load_weights, lookup
from . import util

__all__ = [
    "BertModel",
    "MPNetModel",
    "ModelFolderError",
    "ModelNotAvailableError",
    "Pooling",
    "SentenceEmbedder",
    "SentenceTransformer",
    "StaticEmbedder",
    "cls_pooling",
    "cos_sim",
    "input_embeddings",
    "l2_normalize",
    "load_encoder",
    "load_weights",
    "lookup",
    "max_pooling",
    "mean_pooling",
    "search",
    "semantic_search",
    "util",
]
