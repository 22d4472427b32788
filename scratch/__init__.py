"""tokemb's from-scratch implementations: tokenizers, word2vec, embedders, generation.

Everything here imports only the standard library, numpy, numba, regex, torch and
file-format readers (safetensors, gguf). The one tokemb module it may use is
``reference.artifacts``, the standard-library-only fetcher that finds the real
pretrained files in the cache; never the reference libraries themselves.
"""
