"""Generation on a real model: SmolLM2-135M-Instruct, its real weights.

Three ways to generate 32 tokens greedily must give the same ids and text:

1. the reference: transformers' tokenizer + ``model.generate(do_sample=False)``;
2. scratch tokenizer + scratch loop (KV cache) + the transformers model's forward pass;
3. scratch tokenizer + scratch loop + the scratch decoder, its weights dequantized by
   scratch from the GGUF file.

And the scratch decoder's logits equal transformers' to 1e-4 on real text, from the
GGUF and from a Hugging Face folder (Llama's separate q/k/v and gate/up matrices).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from text_corpora import english, python_source

from reference import generation as ref
from scratch import tokenizers
from scratch.generation import Decoder, encode_chat, generate, load, load_hf_folder
from scratch.generation.weights import unpermute_rope_rows

BOOK_PROMPT = "Write an email apologizing to Sarah for the tragic gardening mishap. Explain how it happened."

PROMPTS = {  # name -> (text, as a chat?)
    "book-chat": (BOOK_PROMPT, True),
    "capital": ("The capital of France is", False),  # ends with the end-of-sequence token
    "code": ("def fibonacci(n):\n", False),
}


@pytest.fixture(scope="module", autouse=True)
def single_cpu_thread():
    """One torch thread while these tests run: the machines that run them share two cores,
    and on a busy core a second thread makes every small operation wait for it (a
    generation step goes from ~0.2 s to ~1 s). Both implementations run the same way."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def scratch_tok():
    return tokenizers.load("smollm2")


@pytest.fixture(scope="module")
def ref_tok():
    return ref.tokenizer("smollm2")


@pytest.fixture(scope="module")
def ref_model():
    return ref.load_smollm2()


@pytest.fixture(scope="module")
def scratch_model():
    return load("smollm2")  # scratch: GGUF -> dequantize -> un-permute -> Decoder


def _prompt_ids(tok, name):
    text, chat = PROMPTS[name]
    return encode_chat(tok, [{"role": "user", "content": text}]) if chat else tok.encode(text)


def test_gguf_config_matches_transformers(scratch_model, ref_model):
    c, r = scratch_model.config, ref_model.config
    assert (c.vocab_size, c.hidden_size, c.intermediate_size, c.num_hidden_layers) == (
        r.vocab_size, r.hidden_size, r.intermediate_size, r.num_hidden_layers)  # fmt: skip
    assert (c.num_attention_heads, c.num_key_value_heads, c.head_dim) == (
        r.num_attention_heads, r.num_key_value_heads, r.head_dim)  # fmt: skip
    assert c.rope_theta == r.rope_parameters["rope_theta"] and c.rms_norm_eps == r.rms_norm_eps
    assert c.tie_word_embeddings == r.tie_word_embeddings
    assert list(c.eos_token_ids) == [ref_model.generation_config.eos_token_id]


def test_unpermute_inverts_llama_cpp_and_equals_transformers():
    rng = np.random.default_rng(0)
    for n_head, n_kv in [(9, 9), (9, 3), (4, 2)]:
        rows = n_kv * 8
        w = rng.standard_normal((rows, 5)).astype(np.float32)
        # llama.cpp convert_hf_to_gguf.py, LlamaModel.permute
        permuted = w.reshape(n_kv, 2, rows // n_kv // 2, 5).swapaxes(1, 2).reshape(w.shape)
        assert np.array_equal(unpermute_rope_rows(permuted, n_kv), w)
        assert np.array_equal(unpermute_rope_rows(permuted, n_kv), ref.reverse_permute(permuted, n_head, n_kv))


def test_logits_equal_transformers_on_real_text(scratch_tok, ref_model, scratch_model):
    """Both attention kernels, each against transformers' own version of it: the fused one
    against transformers' default (the same fused kernel), the explicit one against its
    eager attention (the same operations in the same order). transformers' two attentions
    differ from each other by up to ~1e-4 on these logits (of magnitude ~40)."""
    eager = ref.load_smollm2(attn_implementation="eager")
    folder_model = load_hf_folder(ref.smollm2_folder())  # transformers' own float32 weights, Llama layout
    texts = [english(1500, offset=200_000), python_source(1200)]
    for text, model in zip(texts, (scratch_model, folder_model)):
        ids = torch.tensor([scratch_tok.encode(text)[:128]])
        for kernel, reference in (("fused", ref_model), ("explicit", eager)):
            model.attention = kernel
            try:
                with torch.no_grad():
                    expected = reference(ids).logits
                    got = model(ids)
            finally:
                model.attention = "fused"
            assert got.shape == expected.shape
            assert torch.allclose(got, expected, atol=1e-4, rtol=0), (kernel, (got - expected).abs().max())


@pytest.mark.parametrize("name", PROMPTS)
def test_three_ways_of_generating_agree(name, scratch_tok, ref_tok, ref_model, scratch_model):
    text, chat = PROMPTS[name]
    ids = _prompt_ids(scratch_tok, name)
    messages = [{"role": "user", "content": text}]
    expected_ids = ref.apply_chat_template("smollm2", messages) if chat else ref_tok.encode(text)
    assert ids == expected_ids
    expected = ref.greedy(ref_model, expected_ids, 32)
    eos = ref_model.generation_config.eos_token_id
    expected_text = ref_tok.decode(expected[:-1] if expected[-1:] == [eos] else expected)

    for model in (ref_model, scratch_model):
        pieces: list[str] = []
        prompt = ids if chat else text  # a text prompt is encoded by generate itself
        out = generate(model, scratch_tok, prompt, max_new_tokens=32, stream=pieces.append)
        assert out.prompt_ids == expected_ids
        assert out.ids == expected, type(model).__name__
        assert out.text == expected_text
        assert "".join(pieces) == out.text
        assert out.stop == ("eos" if expected[-1] == eos else "length")
        assert len(out.ids) == 32 or out.stop == "eos"


# ---- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["scratch", "transformers"])
def test_bad_input_gets_a_clear_error(which, scratch_tok, ref_model, scratch_model):
    model = scratch_model if which == "scratch" else ref_model
    context = 8192
    with pytest.raises(ValueError, match="exceeds the model's context of 8192"):
        generate(model, scratch_tok, [42] * (context + 1), max_new_tokens=1)
    with pytest.raises(ValueError, match="exceeds the model's context"):
        generate(model, scratch_tok, [42] * (context - 2), max_new_tokens=5)
    with pytest.raises(ValueError, match="max_new_tokens must be an integer >= 0"):
        generate(model, scratch_tok, "Hello", max_new_tokens=-1)
    with pytest.raises(ValueError, match="do not belong together"):  # Phi-3's tokenizer on SmolLM2
        generate(model, tokenizers.load("phi-3"), "Hello", max_new_tokens=2)
    with pytest.raises(ValueError, match="do not belong together"):  # GPT-2's: 50257 > 49152 tokens
        generate(model, tokenizers.load("gpt2"), "Hello", max_new_tokens=2)
    with pytest.raises(ValueError, match="no tokens"):
        generate(model, scratch_tok, "", max_new_tokens=2)
    assert generate(model, scratch_tok, "Hello", max_new_tokens=0).ids == []


def test_decoder_rejects_ids_outside_the_vocabulary(scratch_model):
    with pytest.raises(ValueError, match=r"token ids must be in \[0, 49152\)"):
        scratch_model(torch.tensor([[1, 49152]]))
    assert isinstance(scratch_model, Decoder)


# ---- the command line --------------------------------------------------------------------
def test_cli_streams_the_answer_and_explains_it(capsys, monkeypatch, scratch_tok, ref_tok, ref_model, scratch_model):
    import scratch.generation
    from reference.cli import main

    monkeypatch.setattr(scratch.generation, "load", lambda spec, dtype="auto": scratch_model)  # loaded once already
    assert main(["generate", BOOK_PROMPT, "--chat", "--max-new-tokens", "12", "--explain"]) == 0
    printed = capsys.readouterr().out
    prompt = ref.apply_chat_template("smollm2", [{"role": "user", "content": BOOK_PROMPT}])
    expected = ref.greedy(ref_model, prompt, 12)
    answer = ref_tok.decode(expected)
    assert printed.startswith(answer + "\n")
    assert f"input ids ({len(prompt)}): {prompt}" in printed
    assert f"generated ids ({len(expected)}): {expected}" in printed
    assert "each generated token decoded alone:" in printed


def test_cli_refuses_bad_arguments(capsys):
    from reference.cli import main

    assert main(["generate", "Hello", "--max-new-tokens", "-1"]) == 2
    assert "--max-new-tokens must be >= 0" in capsys.readouterr().err
    assert main(["generate", "Hello", "--model", "/no/such/model"]) == 2
    assert "no model '/no/such/model'" in capsys.readouterr().err
