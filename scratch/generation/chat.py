"""Chat formats: how a conversation becomes the one string an instruction-tuned model reads.

A chat model is still a next-token predictor; what makes it answer is that it was
fine-tuned on conversations written in a fixed format, with special tokens marking who
speaks. Hugging Face ships that format as a Jinja template (``chat_template``) and
``tokenizer.apply_chat_template`` renders it. Here each template is a plain Python
function that writes the same string, character for character:

* **Phi-3** (the template stored with Phi-3-mini-4k-instruct's vocabulary in llama.cpp's
  ``ggml-vocab-phi-3.gguf``)::

      {{ bos_token }}{% for message in messages %}
      {% if message['role'] == 'user' %}{{'<|user|>\\n' + content + '<|end|>\\n<|assistant|>\\n'}}
      {% elif message['role'] == 'assistant' %}{{content + '<|end|>\\n'}}{% endif %}{% endfor %}

  So ``<s><|user|>\\nHi<|end|>\\n<|assistant|>\\n``: the assistant's turn is opened after
  every user message whatever ``add_generation_prompt`` says, and messages with another
  role (``system``) are left out. (A later revision of Phi-3's ``tokenizer_config.json``
  has a ``<|system|>`` turn and drops the ``<s>``; this is the one the artifact carries.)
  Phi-3's chat tokens swallow the whitespace after them (``rstrip``), so the ``\\n`` after
  ``<|user|>`` never becomes a token.
* **SmolLM2** (ChatML with a default system prompt, from the SmolLM2 GGUF)::

      <|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n
      <|im_start|>user\\nHi<|im_end|>\\n<|im_start|>assistant\\n

  The system turn is added when the conversation does not start with one; the last
  line is the generation prompt.

The token ids are then the tokenizer's ``encode(text, add_special_tokens=False)``: the
special-token strings in the text are matched as added tokens, and nothing is added
around them (``apply_chat_template`` does the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

Message = Mapping[str, str]  # {"role": "user" | "assistant" | "system", "content": "..."}

SMOLLM2_SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"


def _check(messages: Sequence[Message]) -> None:
    if isinstance(messages, (str, bytes)) or not messages:
        raise ValueError("a chat is a non-empty list of {'role': ..., 'content': ...} messages")
    for n, m in enumerate(messages):
        if not isinstance(m, Mapping) or not isinstance(m.get("role"), str) or not isinstance(m.get("content"), str):
            raise ValueError(f"message {n} must be a mapping with string 'role' and 'content', got {m!r}")


def phi3_chat(messages: Sequence[Message], add_generation_prompt: bool = True) -> str:
    """Phi-3's chat string (``add_generation_prompt`` has no effect in this template)."""
    _check(messages)
    parts = ["<s>"]
    for m in messages:
        if m["role"] == "user":
            parts.append("<|user|>\n" + m["content"] + "<|end|>\n" + "<|assistant|>\n")
        elif m["role"] == "assistant":
            parts.append(m["content"] + "<|end|>\n")
    return "".join(parts)


def smollm2_chat(messages: Sequence[Message], add_generation_prompt: bool = True) -> str:
    """SmolLM2's ChatML string, with the default system turn when none is given."""
    _check(messages)
    parts = []
    if messages[0]["role"] != "system":
        parts.append(f"<|im_start|>system\n{SMOLLM2_SYSTEM}<|im_end|>\n")
    for m in messages:
        parts.append(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n")
    if add_generation_prompt:
        parts.append("<|im_start|>assistant\n")
    return "".join(parts)


@dataclass(frozen=True)
class ChatFormat:
    name: str
    render: Callable[..., str]
    markers: tuple[str, ...]  # the special tokens that identify a vocabulary using it
    stop: tuple[str, ...]  # the tokens that end the assistant's turn


CHAT_FORMATS = {
    "phi-3": ChatFormat("phi-3", phi3_chat, ("<|user|>", "<|assistant|>", "<|end|>"), ("<|end|>", "<|endoftext|>")),
    "smollm2": ChatFormat("smollm2", smollm2_chat, ("<|im_start|>", "<|im_end|>"), ("<|im_end|>",)),
}


def chat_format_for(tokenizer) -> ChatFormat:
    """The chat format of a tokenizer, recognised by the special tokens in its vocabulary."""
    for fmt in CHAT_FORMATS.values():
        if all(tokenizer.token_to_id(t) is not None for t in fmt.markers):
            return fmt
    raise ValueError(f"{getattr(tokenizer, 'name', tokenizer)}: no known chat format "
                     f"({', '.join(CHAT_FORMATS)}) uses this vocabulary's special tokens")  # fmt: skip


def encode_chat(tokenizer, messages: Sequence[Message], add_generation_prompt: bool = True) -> list[int]:
    """Token ids of a conversation, as ``apply_chat_template(messages, tokenize=True)``."""
    text = chat_format_for(tokenizer).render(messages, add_generation_prompt)
    return tokenizer.encode(text, add_special_tokens=False)


def stop_ids(tokenizer) -> list[int]:
    """The ids that end the assistant's turn in the tokenizer's chat format."""
    fmt = chat_format_for(tokenizer)
    return [tokenizer.token_to_id(t) for t in fmt.stop if tokenizer.token_to_id(t) is not None]
