"""tokemb's from-scratch implementations: tokenizers, word2vec, embedders, generation.

Everything here imports only the standard library, numpy, numba, regex, torch and
file-format readers (safetensors, gguf), never the reference libraries, and never
tokemb's own ``reference`` package: scratch is the bottom layer. The real pretrained
files it is proven on are found by :mod:`scratch.artifacts`, the standard-library-only
fetcher and cache.
"""
