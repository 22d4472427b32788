"""The chapter's hub ids served by the real libraries from tokemb's local artifacts.

No model hub is reachable here, so ``transformers.AutoTokenizer.from_pretrained(
"bert-base-uncased")`` cannot run as the book writes it. These stand-ins take the same
ids and return the real libraries' own objects, built from the artifacts that scratch
reads too (:mod:`reference.tokenizers`, :mod:`reference.generation`,
:mod:`reference.embedders`), configured with each hub repository's published
``tokenizer_config.json`` facts (:data:`scratch.auto.hub.HUB`: the facts are
inputs, the same for both sides; every output is the library's). The walkthrough's
chapter-code section runs the book's cells on these and on :mod:`scratch.auto`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from scratch.errors import ModelNotAvailableError

SENTENCE_TRANSFORMERS = {"sentence-transformers/all-mpnet-base-v2": "all-mpnet-base-v2",
                         "sentence-transformers/all-MiniLM-L6-v2": "all-MiniLM-L6-v2"}  # fmt: skip
CAUSAL_LMS = {"HuggingFaceTB/SmolLM2-135M-Instruct"}


def _artifact_folder(hub_id: str):
    from scratch.artifacts import fetch

    name = SENTENCE_TRANSFORMERS.get(hub_id) or SENTENCE_TRANSFORMERS.get(f"sentence-transformers/{hub_id}")
    if name is None:
        raise ModelNotAvailableError(f"{hub_id!r}: no local artifact holds this model")
    return fetch(name)


class AutoTokenizer:
    @staticmethod
    def from_pretrained(hub_id: str, **kwargs):
        return reference_tokenizer(hub_id)


class AutoModel:
    @staticmethod
    def from_pretrained(hub_id: str, **kwargs):
        from reference.embedders import auto_model

        return auto_model(_artifact_folder(hub_id))


class AutoModelForCausalLM:
    @staticmethod
    def from_pretrained(hub_id: str, **kwargs):
        if hub_id not in CAUSAL_LMS:
            raise ModelNotAvailableError(f"{hub_id!r}: no local artifact holds this model")
        from reference.generation import load_smollm2

        return load_smollm2()


def SentenceTransformer(hub_id: str):  # noqa: N802 (the reference's class name)
    from reference.embedders import sentence_transformer

    return sentence_transformer(_artifact_folder(hub_id))


def _load_vectors(name: str):
    if name != "glove-wiki-gigaword-50":
        raise ModelNotAvailableError(f"{name!r}: no local artifact holds these vectors")
    from reference.word2vec import glove

    return glove("glove-50")


api = SimpleNamespace(load=_load_vectors)


def _cl100k_tokenizer(config):
    """Xenova/gpt-4: transformers' ``TikTokenConverter`` on cl100k_base.tiktoken (what made
    Xenova/gpt-4's tokenizer.json), with cl100k's own ids for the special tokens."""
    import json

    import tokenizers
    from transformers import PreTrainedTokenizerFast
    from transformers.convert_slow_tokenizer import TikTokenConverter

    from scratch.artifacts import fetch_file
    from scratch.auto.tokenizer import CL100K_PATTERN
    from scratch.tokenizers.byte_bpe import CL100K_SPECIAL_TOKENS

    ids = CL100K_SPECIAL_TOKENS  # tiktoken's ids (tiktoken_ext/openai_public.py)
    backend = TikTokenConverter(vocab_file=str(fetch_file("cl100k_base", "cl100k_base.tiktoken")),
                                pattern=CL100K_PATTERN, extra_special_tokens=list(ids)).converted()  # fmt: skip
    # the converter numbers the special tokens after the ranks; in the published file (as in
    # tiktoken) they have cl100k's ids, also in the model's vocabulary so tokenizers keeps them
    spec = json.loads(backend.to_str())
    for token in spec["added_tokens"]:
        token["id"] = ids[token["content"]]
    spec["model"]["vocab"].update(ids)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizers.Tokenizer.from_str(json.dumps(spec)),
                                   model_max_length=config.model_max_length, **config.special_tokens())  # fmt: skip


def _flags(config) -> dict:
    """The published ``add_bos_token`` / ``add_eos_token``, only where given (transformers
    replaces the post-processor exactly when one is given)."""
    return {k: getattr(config, k) for k in ("add_bos_token", "add_eos_token") if getattr(config, k) is not None}


@lru_cache(maxsize=None)
def reference_tokenizer(hub_id: str):
    """transformers' tokenizer for a hub id of :data:`scratch.auto.hub.HUB` (or the path of a
    ``tokenizer.json``: ``PreTrainedTokenizerFast(tokenizer_file=)``), from the same local
    artifacts, configured with the same published ``tokenizer_config.json`` facts (inputs, the
    same for both sides):

    * bert-base-uncased / -cased: ``BertTokenizerFast`` over the artifact's vocab.txt;
    * gpt2: ``GPT2TokenizerFast.from_pretrained`` on the artifact folder (vocab.json + merges.txt);
    * the sentence-transformers folders: ``AutoTokenizer.from_pretrained`` on the folder;
    * SmolLM2: transformers' GGUF tokenizer (:func:`reference.generation.tokenizer`, a copy),
      only the tokenizer (no model weights are read);
    * Xenova/gpt-4: transformers' ``TikTokenConverter`` on cl100k_base (:func:`_cl100k_tokenizer`);
    * Llama-2: ``PreTrainedTokenizerFast(tokenizer_file=)`` on the published tokenizer.json;
    * Phi-3 and StarCoder2: ``PreTrainedTokenizerFast`` over ``tokenizers`` reading the
      tokenizer.json scratch writes for them, taken before ``scratch.auto`` touches its
      post-processor, with the published flags handed to transformers, so that transformers
      itself decides the BOS/EOS (weaker for the vocabulary: tests/test_tokenizer_json_save.py
      proves those files against the real references). transformers 5's own
      ``LlamaTokenizerFast`` over the SentencePiece model derived from Phi-3's GGUF gives the
      book's ids but is not Phi-3's published tokenizer: it always builds a ``Metaspace``
      pre-tokenizer with no normalizer (``legacy`` has no effect in transformers 5), where the
      published file is the legacy ``Prepend``/``Replace`` normalizer: " hello  world" gives
      [22172, 259, 11526] there and [29871, 22172, 29871, 3186] in the real one.

    Cached: each id's object is made once and shared (the walkthrough and the tests)."""
    import copy
    import json

    import tokenizers
    import transformers
    from transformers import PreTrainedTokenizerFast

    from scratch.artifacts import fetch, fetch_file
    from scratch.auto.hub import HUB

    from .embedders import quiet_transformers

    if hub_id not in HUB and Path(hub_id).is_file():  # a local tokenizer.json, as transformers reads one
        with quiet_transformers():
            return PreTrainedTokenizerFast(tokenizer_file=hub_id)
    if hub_id not in HUB:
        raise ModelNotAvailableError(f"{hub_id!r}: no reference tokenizer for this id")
    entry = HUB[hub_id]
    config = entry.config
    with quiet_transformers():
        if entry.source in ("bert-base-uncased", "bert-base-cased"):
            return transformers.BertTokenizerFast(vocab=str(fetch(entry.source) / "vocab.txt"),
                                                  do_lower_case=entry.source.endswith("uncased"),
                                                  model_max_length=config.model_max_length)  # fmt: skip
        if entry.source == "gpt2":
            return transformers.GPT2TokenizerFast.from_pretrained(str(fetch("gpt2")),
                                                                  model_max_length=config.model_max_length)  # fmt: skip
        if entry.kind == "folder":
            return transformers.AutoTokenizer.from_pretrained(str(fetch(entry.source)))
        if entry.source == "smollm2":
            from reference.generation import tokenizer

            ref = copy.deepcopy(tokenizer("smollm2").tokenizer)
            ref.model_max_length = config.model_max_length
            return ref
        if entry.kind == "tiktoken":
            return _cl100k_tokenizer(config)
        if entry.kind == "file":
            return PreTrainedTokenizerFast(tokenizer_file=str(fetch_file(entry.source, "tokenizer.json")),
                                           padding_side=config.padding_side, **config.special_tokens(),
                                           **_flags(config))  # fmt: skip
        from scratch import tokenizers as scratch_tokenizers
        from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer

        spec = PipelineTokenizer.of(scratch_tokenizers.load(entry.source)).to_json()
        return PreTrainedTokenizerFast(tokenizer_object=tokenizers.Tokenizer.from_str(json.dumps(spec)),
                                       model_max_length=config.model_max_length, padding_side=config.padding_side,
                                       **config.special_tokens(), **_flags(config))  # fmt: skip
