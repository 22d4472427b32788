"""Ground truth: thin adapters over the libraries people use (transformers, tokenizers,
tiktoken, sentencepiece, gensim, sentence-transformers), and the real artifacts.

This package is the only place those libraries are imported. Its adapters give the
reference results the same shape as scratch's, so tests and benchmarks can compare
them directly.
"""
