"""The walkthrough's first section: tokenize a prompt and generate, token by token.

The chapter opens with Phi-3-mini: tokenize the prompt, generate 20 tokens, look at the
ids, decode them one by one ("Sub" + "ject" = "Subject"). Phi-3-mini's weights (7.6 GB)
are not available here; its tokenizer is (llama.cpp's ``ggml-vocab-phi-3.gguf``), so
the prompt goes through Phi-3's tokenizer, scratch beside the reference, and the
generation runs on a real model of the same family, SmolLM2-135M-Instruct (Llama
architecture), scratch beside transformers. ``tokemb generate --model PATH`` runs
Phi-3-mini itself from a local Hugging Face folder.
"""

from __future__ import annotations

from typing import TextIO

BOOK_PROMPT = "Write an email apologizing to Sarah for the tragic gardening mishap. Explain how it happened."
BOOK_INPUT_IDS = [14350, 385, 4876, 27746, 5281, 304, 19235, 363, 278, 25305, 293, 16423, 292, 286, 728, 481, 29889,
                  12027, 7420, 920, 372, 9559, 29889, 32001]  # fmt: skip  (printed in the book, no <s>)
BOOK_SUBJECT_IDS = [3323, 622]  # the book decodes these apart and together


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _shape(out: TextIO) -> None:
    from scratch.artifacts import fetch_file
    from scratch.tokenizers.gguf_vocab import read_gguf_metadata

    phi3 = read_gguf_metadata(fetch_file("gguf-vocabs", "ggml-vocab-phi-3.gguf"))
    smol = read_gguf_metadata(fetch_file("smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf"))
    rows = [("layers", "block_count"), ("hidden size", "embedding_length"), ("MLP size", "feed_forward_length"),
            ("query heads", "attention.head_count"), ("key/value heads", "attention.head_count_kv"),
            ("rotary dims", "rope.dimension_count"), ("rope theta", "rope.freq_base"),
            ("context", "context_length")]  # fmt: skip
    out.write(f"\n  {'':<16} {'Phi-3-mini':>12} {'SmolLM2-135M':>13}\n")
    for label, key in rows:
        a, b = phi3.get(f"phi3.{key}"), smol.get(f"llama.{key}")
        out.write(f"  {label:<16} {a!s:>12} {b!s:>13}\n")
    sizes = len(phi3["tokenizer.ggml.tokens"]), len(smol["tokenizer.ggml.tokens"])
    out.write(f"  {'vocabulary':<16} {sizes[0]:>12} {sizes[1]:>13}\n")
    out.write("  (Phi-3's vocabulary here counts the rows of its embedding matrix, padded to a multiple of 64;\n"
              "  its tokenizer has 32,011 entries: 32,000 pieces and 11 added tokens. `tokemb tokenizer info\n"
              "  phi-3` shows both.)\n")
    out.write("  Same blocks (RMSNorm, rotary attention, SwiGLU); Phi-3 fuses q/k/v and gate/up into one matrix\n"
              "  each, SmolLM2 shares 3 key/value heads among 9 query heads (grouped-query attention).\n")  # fmt: skip


def generate_section(out: TextIO) -> None:
    import torch

    from reference import generation as ref
    from scratch import tokenizers
    from scratch.generation import encode_chat, generate, load
    from scratch.generation.explain import explain

    # ---- 1. the book's prompt through Phi-3's tokenizer ----------------------------------
    prompt = BOOK_PROMPT + "<|assistant|>"
    phi3, phi3_ref = tokenizers.load("phi-3"), ref.tokenizer("phi-3")
    ids, ref_ids = phi3.encode(prompt), phi3_ref.encode(prompt)
    out.write(f"The book's prompt, through Phi-3-mini's tokenizer:\n  {prompt!r}\n\n")
    out.write(f"  input ids (scratch):   {ids}\n  input ids (reference): {ref_ids}   same: {_yes(ids == ref_ids)}\n")
    out.write(f"  the book printed the same ids without <s> (its tokenizer did not add it): "
              f"{_yes(ids[1:] == BOOK_INPUT_IDS)}\n\n")  # fmt: skip
    out.write(f"  {'id':>7}  {'scratch':<18} reference\n")
    for i in ids:
        out.write(f"  {i:>7}  {phi3.decode([i])!r:<18} {phi3_ref.decode([i])!r}\n")
    a, b = BOOK_SUBJECT_IDS
    out.write(f'\nThe book\'s first generated tokens, decoded alone and together:\n  "{phi3.decode([a])}" + '
              f'"{phi3.decode([b])}" = "{phi3.decode([a, b])}"   (scratch; reference: "{phi3_ref.decode([a])}" + '
              f'"{phi3_ref.decode([b])}" = "{phi3_ref.decode([a, b])}")\n')  # fmt: skip
    _shape(out)

    # ---- 2. a real generation: SmolLM2-135M-Instruct ----------------------------------------
    out.write("\nThe same request to SmolLM2-135M-Instruct, in its chat format, 20 new tokens, greedy.\n")
    smol = tokenizers.load("smollm2")
    messages = [{"role": "user", "content": BOOK_PROMPT}]
    chat_ids = encode_chat(smol, messages)
    out.write(f"  chat ids: scratch = transformers' apply_chat_template: "
              f"{_yes(chat_ids == ref.apply_chat_template('smollm2', messages))}\n")  # fmt: skip
    model = load("smollm2")  # scratch: GGUF dequantized, scratch decoder
    out.write("\n  scratch (tokenizer + decoder + KV-cache loop), streamed:\n  > ")
    result = generate(model, smol, chat_ids, max_new_tokens=20,
                      stream=lambda piece: out.write(piece.replace("\n", "\n  > ")))  # fmt: skip
    out.write("\n")
    reference_model = ref.load_smollm2()
    expected = ref.greedy(reference_model, chat_ids, 20)
    reference_text = ref.tokenizer("smollm2").decode(expected)
    out.write(f"\n  transformers model.generate(do_sample=False): same ids: {_yes(result.ids == expected)}, "
              f"same text: {_yes(result.text == reference_text)}\n")  # fmt: skip
    eager = ref.load_smollm2(attn_implementation="eager")
    full = torch.tensor([chat_ids + result.ids])
    with torch.no_grad():
        fused, theirs, theirs_eager = model(full), reference_model(full).logits, eager(full).logits
        model.attention = "explicit"
        explicit = model(full)
        model.attention = "fused"
    gap = lambda a, b: f"{(a - b).abs().max().item():.1e}"  # noqa: E731
    out.write(f"  largest logit difference over all {full.shape[1]} positions (logits up to "
              f"{theirs.abs().max().item():.0f}):\n"
              f"    scratch fused attention vs transformers' default (SDPA):  {gap(fused, theirs)}\n"
              f"    scratch explicit attention vs transformers' eager:        {gap(explicit, theirs_eager)}\n"
              f"    transformers' SDPA vs its own eager attention:            {gap(theirs, theirs_eager)}\n\n")  # fmt: skip
    explained = explain(smol, chat_ids, result.ids).splitlines()
    out.write("".join(f"  {line}\n" if line else "\n" for line in explained))  # no blank lines of spaces
