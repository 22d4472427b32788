"""Text generation from scratch, as chapter 2 opens: tokenize a prompt, generate token by
token, decode the tokens as they come.

    >>> from scratch import tokenizers
    >>> from scratch.generation import load, generate
    >>> model, tok = load("smollm2"), tokenizers.load("smollm2")
    >>> out = generate(model, tok, "The capital of France is", max_new_tokens=8, stream=print)

* :mod:`.decoder`: a Llama / Phi-3 decoder-only transformer in plain torch operations
  (RMSNorm, rotary positions, grouped-query attention with a KV cache, SwiGLU);
* :mod:`.weights`: its weights from a GGUF file (dequantized) or a Hugging Face folder;
* :mod:`.loop`: greedy generation with a KV cache, for this decoder or a transformers model;
* :mod:`.streaming`: text out as tokens arrive, never half a character;
* :mod:`.chat`: the chat formats of Phi-3 and SmolLM2.
"""

from .chat import CHAT_FORMATS, chat_format_for, encode_chat, phi3_chat, smollm2_chat, stop_ids
from .decoder import Decoder, DecoderConfig, KVCache, LongRope
from .loop import Generation, check_tokenizer_fits, generate
from .streaming import StreamingDetokenizer, stream_text
from .weights import WeightsError, load, load_gguf, load_hf_folder

__all__ = [
    "CHAT_FORMATS",
    "Decoder",
    "DecoderConfig",
    "Generation",
    "KVCache",
    "LongRope",
    "StreamingDetokenizer",
    "WeightsError",
    "chat_format_for",
    "check_tokenizer_fits",
    "encode_chat",
    "generate",
    "load",
    "load_gguf",
    "load_hf_folder",
    "phi3_chat",
    "smollm2_chat",
    "stop_ids",
    "stream_text",
]
