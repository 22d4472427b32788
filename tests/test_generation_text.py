"""Text in and out of generation: the streaming detokenizer and the chat formats.

Streaming: for any id sequence, the pieces joined equal ``decode`` of the whole, and
nothing emitted is ever contradicted by a later token (each emitted prefix stays a
prefix of the decoding of every longer sequence). Sequences are drawn to be hard: byte
fallback bytes, byte-level tokens that cut a character, special tokens, and real text
with emoji and accents cut into tokens.

Chat formats: scratch's rendering + tokenizer equals transformers' ``apply_chat_template``
with the template stored in each model's GGUF file.
"""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import generation as ref
from scratch import tokenizers
from scratch.generation import StreamingDetokenizer, encode_chat, phi3_chat, smollm2_chat, stream_text

NAMES = ["smollm2", "phi-3"]
TEXTS = ["Hello world 🦙🎵!", "naïve café, Ünïcödé — 日本語のテキスト", "emoji 👩‍👩‍👧 flags 🇫🇷 and 𝔘𝔫𝔦",
         "  leading spaces\n\ttabs", "Subject: Apology\n\nDear Sarah,"]  # fmt: skip


@lru_cache(maxsize=None)
def tok(name):
    return tokenizers.load(name)


@lru_cache(maxsize=None)
def hard_ids(name) -> tuple[list[int], ...]:
    """Id pools that make streaming hard, per tokenizer."""
    t = tok(name)
    special = sorted(t.special_tokens.values())
    if name == "phi-3":
        partial = [t.token_to_id(f"<0x{b:02X}>") for b in range(256)]  # byte fallback
    else:  # byte-level tokens that are not whole characters
        partial = [i for i in range(t.vocab_size) if "\ufffd" in t.decode([i])]
    from_text = sorted({i for text in TEXTS for i in t.encode(text, add_special_tokens=False)})
    return partial, special, from_text


def id_sequences(name):
    partial, special, from_text = hard_ids(name)
    one = st.one_of(
        st.sampled_from(partial),
        st.sampled_from(partial),
        st.sampled_from(special),
        st.sampled_from(from_text),
        st.integers(0, tok(name).vocab_size - 1),
    )
    real = st.sampled_from(TEXTS).map(lambda text: tok(name).encode(text))
    real_then_more = st.tuples(real, st.lists(one, max_size=6)).map(lambda pair: pair[0] + pair[1])
    return st.one_of(st.lists(one, max_size=24), real, real_then_more)


def _check_stream(name, ids, skip):
    t = tok(name)
    stream = StreamingDetokenizer(t, skip_special_tokens=skip)
    emitted = ""
    for n, i in enumerate(ids):
        emitted += stream.push(i)
        for m in range(n + 1, len(ids) + 1):  # no later token changes what was emitted
            assert t.decode(ids[:m], skip_special_tokens=skip).startswith(emitted), (ids, n, m, emitted)
    emitted += stream.finish()
    assert emitted == t.decode(ids, skip_special_tokens=skip) == stream.text


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_streamed_text_joins_to_decode(name, data):
    ids = data.draw(id_sequences(name))
    _check_stream(name, ids, skip=data.draw(st.booleans()))


@pytest.mark.parametrize("name", NAMES)
def test_stream_equals_the_reference_decode_on_real_text(name):
    reference = ref.tokenizer(name)
    for text in TEXTS:
        ids = tok(name).encode(text)
        assert "".join(stream_text(tok(name), ids)) == reference.decode(ids)
        assert "".join(stream_text(tok(name), ids, True)) == reference.decode(ids, skip_special_tokens=True)


def test_an_emoji_cut_by_byte_level_tokens_comes_out_whole():
    t = tok("smollm2")
    ids = t.encode("🎵 ok")
    pieces = stream_text(t, ids)
    assert "".join(pieces) == "🎵 ok" and "\ufffd" not in "".join(pieces)
    assert len(ids) > 2 and pieces[0] == ""  # the first token is only part of the emoji


def test_byte_fallback_runs_are_held_until_they_end():
    t = tok("phi-3")
    c3, a9 = t.token_to_id("<0xC3>"), t.token_to_id("<0xA9>")
    stream = StreamingDetokenizer(t)
    # "é" is C3 A9, but a third byte could still turn the whole run into U+FFFD
    assert [stream.push(i) for i in (c3, a9)] == ["", ""]
    assert stream.push(a9) == ""
    ok = t.token_to_id("▁ok")
    assert stream.push(ok) == "\ufffd\ufffd\ufffd ok" == t.decode([c3, a9, a9, ok])


def test_sentencepiece_leading_space_is_dropped_once():
    t = tok("phi-3")
    ids = t.encode("Hello world", add_special_tokens=False)
    assert stream_text(t, ids) == ["Hello", " world", ""]
    assert "".join(stream_text(t, [1, *ids])) == t.decode([1, *ids])


def test_finished_stream_refuses_more_tokens():
    stream = StreamingDetokenizer(tok("smollm2"))
    stream.finish()
    with pytest.raises(RuntimeError, match="finished"):
        stream.push(42)


def test_unknown_ids_are_refused():
    with pytest.raises(ValueError, match="unknown token id"):
        StreamingDetokenizer(tok("phi-3")).push(32050)  # a padding row of the embedding matrix, not a token


# ---- chat formats ----------------------------------------------------------------------------
CONVERSATIONS = [
    [{"role": "user", "content": "Write an email apologizing to Sarah for the tragic gardening mishap."}],
    [{"role": "system", "content": "You answer in French."}, {"role": "user", "content": "Hi!"}],
    [
        {"role": "user", "content": "  What is 2+2?\n"},
        {"role": "assistant", "content": "4, of course.  "},
        {"role": "user", "content": "naïve 🦙 <b>bold</b>\n\nthanks"},
    ],
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("conversation", range(len(CONVERSATIONS)))
@pytest.mark.parametrize("add_generation_prompt", [True, False])
def test_chat_format_equals_apply_chat_template(name, conversation, add_generation_prompt):
    messages = CONVERSATIONS[conversation]
    expected = ref.apply_chat_template(name, messages, add_generation_prompt)
    assert encode_chat(tok(name), messages, add_generation_prompt) == expected


def test_chat_strings():
    msgs = [{"role": "user", "content": "Hi"}]
    assert phi3_chat(msgs) == "<s><|user|>\nHi<|end|>\n<|assistant|>\n"
    assert smollm2_chat(msgs).endswith("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    with pytest.raises(ValueError, match="non-empty list"):
        phi3_chat("Hi")
    with pytest.raises(ValueError, match="no known chat format"):
        encode_chat(tokenizers.load("gpt2"), msgs)
