"""The real tokenizers (transformers, tiktoken, sentencepiece), built from the artifacts,
behind the same methods as scratch's: ``encode``, ``decode``, ``tokenize``,
``vocab_size``, ``special_tokens``, ``token_to_id``, ``id_to_token``.

``load(name)`` takes the names of ``scratch.tokenizers.PRETRAINED``.
"""

from __future__ import annotations

from scratch.tokenizers import PRETRAINED, pretrained_path


def load(name: str):
    """The reference tokenizer for ``name``, wrapped to scratch's interface."""
    if name not in PRETRAINED:
        raise KeyError(f"unknown tokenizer {name!r}; known: {', '.join(PRETRAINED)}")
    path = pretrained_path(name)
    loader = PRETRAINED[name].loader
    if loader == "sentencepiece-model":
        from .unigram import load_reference
    elif loader.startswith("wordpiece") or name in ("llama-2", "phi-3"):
        from .wordpiece_spm import load_reference
    else:
        from .bytelevel import load_reference
    return load_reference(name, path)
