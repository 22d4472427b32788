"""Phi-3's architecture, proven on its own shape: a ``Phi3ForCausalLM`` from a small
``Phi3Config`` (Phi-3's vocabulary of 32064, a few layers, seeded random weights),
saved as a Hugging Face folder and loaded by scratch (fused ``qkv_proj`` and
``gate_up_proj``). Prompts are tokenized by the scratch Phi-3 tokenizer, the book's
prompt among them.

Three variants, each able to catch its own mistake: Phi-3-mini-4k's plain rotary
embeddings, Phi-3-mini-128k's "longrope" (sequences cross the original context, so the
long factors switch in mid-generation), and a sliding window shorter than the prompts.
"""

from __future__ import annotations

import pytest
import torch

from reference import generation as ref
from scratch import tokenizers
from scratch.generation import encode_chat, generate, load, load_hf_folder
from test_generation import single_cpu_thread  # noqa: F401  (autouse: one torch thread)

BOOK_PROMPT = "Write an email apologizing to Sarah for the tragic gardening mishap. Explain how it happened.<|assistant|>"

VARIANTS = {
    "rope": {},
    "longrope": {"long_rope": True},
    "sliding-window": {"sliding_window": 8, "num_kv_heads": 4, "num_layers": 3},
}


@pytest.fixture(scope="module")
def tok():
    return tokenizers.load("phi-3")


@pytest.fixture(scope="module", params=list(VARIANTS))
def models(request, tmp_path_factory):
    reference = ref.tiny_phi3(seed=7, init_std=0.1, **VARIANTS[request.param])
    folder = tmp_path_factory.mktemp(f"phi3-{request.param}")
    reference.save_pretrained(str(folder))
    return reference, load(str(folder))


def _prompts(tok) -> list[list[int]]:
    return [
        tok.encode(BOOK_PROMPT),
        encode_chat(tok, [{"role": "user", "content": "Tell me a joke about llamas 🦙, please."}]),
        tok.encode("naïve café: 日本語のテキスト"),
    ]


def test_book_prompt_gives_the_books_ids(tok):
    # The ids printed in the book (chapter 2, "Downloading and running an LLM"); the book's
    # tokenizer did not add <s>, the GGUF vocabulary's does.
    book = [14350, 385, 4876, 27746, 5281, 304, 19235, 363, 278, 25305, 293, 16423, 292, 286, 728, 481, 29889,
            12027, 7420, 920, 372, 9559, 29889, 32001]  # fmt: skip
    assert tok.encode(BOOK_PROMPT, add_special_tokens=False) == book
    assert tok.encode(BOOK_PROMPT) == [1, *book]
    assert (tok.decode([3323]), tok.decode([622]), tok.decode([3323, 622])) == ("Sub", "ject", "Subject")


def test_config_is_read_from_the_folder(models):
    reference, scratch = models
    r, c = reference.config, scratch.config
    assert c.architecture == "phi3" and c.vocab_size == 32064
    assert (c.num_attention_heads, c.num_key_value_heads, c.head_dim) == (
        r.num_attention_heads, r.num_key_value_heads, r.hidden_size // r.num_attention_heads)  # fmt: skip
    assert c.sliding_window == r.sliding_window
    assert (c.long_rope is not None) == (r.rope_parameters["rope_type"] == "longrope")


@pytest.mark.parametrize("kernel", ["fused", "explicit"])
def test_logits_equal_transformers(models, tok, kernel):
    reference, scratch = models
    scratch.attention = kernel
    for ids in _prompts(tok):
        x = torch.tensor([ids])
        with torch.no_grad():
            expected = reference(x).logits
        got = scratch(x)
        assert torch.allclose(got, expected, atol=1e-4, rtol=0), (got - expected).abs().max()


@pytest.mark.parametrize("kernel", ["fused", "explicit"])
def test_greedy_generation_equals_generate(models, tok, kernel):
    reference, scratch = models
    scratch.attention = kernel
    for ids in _prompts(tok):
        expected = ref.greedy(reference, ids, 32)
        assert generate(scratch, tok, ids, max_new_tokens=32, eos=None).ids == expected
        if kernel == "fused":  # the scratch loop around transformers' own forward pass
            assert generate(reference, tok, ids, max_new_tokens=32, eos=None).ids == expected


def test_tokenizer_of_another_model_is_refused(models):
    _, scratch = models
    with pytest.raises(ValueError, match="do not belong together"):  # SmolLM2's 49152 tokens > 32064
        generate(scratch, tokenizers.load("smollm2"), "Hello", max_new_tokens=2)
    with pytest.raises(ValueError, match="do not belong together"):  # Llama-2's vocabulary has no id 32000
        generate(scratch, tokenizers.load("llama-2"), "Hello", max_new_tokens=2)


def test_phi3_folder_errors_are_clear(tmp_path):
    with pytest.raises(Exception, match="config.json"):
        load_hf_folder(tmp_path)
    with pytest.raises(FileNotFoundError, match="no model"):
        load(str(tmp_path / "nothing-here"))
