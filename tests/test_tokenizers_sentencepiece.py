"""SentencePiece BPE with byte fallback (Llama-2, Phi-3) from scratch, proven equal to the
reference: sentencepiece running a model rebuilt from the GGUF, with the Hugging Face
tokenizers' added-token handling and decoder (see ``reference/tokenizers/wordpiece_spm.py``).

Ground truth that does not come from the reference: llama.cpp's llama-spm and phi-3
cases (made with the original Hugging Face tokenizers) and the book's Phi-3 examples.

Round trip: ``decode(encode(x, add_special_tokens=False)) == x`` and
``decode(encode(x), skip_special_tokens=True) == x`` hold for every text that contains
neither an added-token string nor U+2581 (``▁``). They cannot hold otherwise: ``▁`` is
SentencePiece's own space symbol and decodes as ``" "``; an added token is matched in
the text (``"<s>"`` becomes id 1), the text after it gets a dummy prefix of its own (a
space appears on decoding), and Phi-3's ``rstrip`` tokens swallow the whitespace after
them. The tests check that scratch then decodes exactly as the reference does.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import comparison_text, llama_cpp_cases, multilingual, python_source
from tokenizer_checks import CORPORA, assert_bad_input_refused, assert_same_encode_and_decode, assert_same_ids, assert_same_on_corpus, load_pairs

from scratch.artifacts import fetch_file
from scratch import tokenizers
from scratch.tokenizers import MalformedVocabError
from scratch.tokenizers.sentencepiece_bpe import SentencePieceBPE

NAMES = ["llama-2", "phi-3"]
GGUF = {"llama-2": "llama-spm", "phi-3": "phi-3"}
HYPOTHESIS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def pairs():
    """name -> (scratch, reference)."""
    return load_pairs(NAMES)


# ---- published ground truth -----------------------------------------------------------------
CASES = [(name, i) for name in NAMES for i in range(len(llama_cpp_cases(GGUF[name])))]


@pytest.mark.parametrize("name,index", CASES)
def test_llama_cpp_cases(pairs, name, index):
    text, expected = llama_cpp_cases(GGUF[name])[index]
    scratch, ref = pairs[name]
    assert ref.encode(text, add_special_tokens=False) == expected
    assert scratch.encode(text, add_special_tokens=False) == expected
    assert scratch.encode_readable(text) == expected


BOOK_PROMPT = (
    "Write an email apologizing to Sarah for the tragic gardening mishap. Explain how it happened.<|assistant|>"
)
BOOK_IDS = [1, 14350, 385, 4876, 27746, 5281, 304, 19235, 363, 278, 25305, 293, 16423, 292, 286, 728, 481, 29889]
BOOK_IDS += [12027, 7420, 920, 372, 9559, 29889, 32001]


def test_book_phi3_prompt(pairs):
    for tok in pairs["phi-3"]:
        assert tok.encode(BOOK_PROMPT) == BOOK_IDS


def test_book_phi3_decodes(pairs):
    for tok in pairs["phi-3"]:
        assert tok.decode([3323]) == "Sub"
        assert tok.decode([622]) == "ject"
        assert tok.decode([3323, 622]) == "Subject"
        assert tok.decode([29901]) == ":"
        assert [tok.decode([i]) for i in BOOK_IDS[:4]] == ["<s>", "Write", "an", "email"]


def test_phi3_added_tokens_strip_the_whitespace_after_them(pairs):
    """<|user|> (rstrip) swallows "\\n"; <|endoftext|> does not; text after either gets a ▁."""
    for tok in pairs["phi-3"]:
        assert tok.tokenize("<|user|>\nHi<|end|>\n<|assistant|>") == ["<|user|>", "▁Hi", "<|end|>", "<|assistant|>"]
        assert tok.tokenize("<|endoftext|> Hi") == ["<|endoftext|>", "▁", "▁Hi"]
        assert tok.decode(tok.encode("<|user|>\nHi<|end|>\n")) == "<s><|user|> Hi<|end|>"


def test_vocab_size_and_padding_entries(pairs):
    """Phi-3's GGUF pads to 32064 with [PADnnnnn]; the real tokenizer has 32011 entries."""
    for name in NAMES:
        scratch, ref = pairs[name]
        assert scratch.vocab_size == ref.vocab_size
        assert scratch.special_tokens == ref.special_tokens
        for token in ["<s>", "</s>", "<unk>", "▁the", "<0x0A>", "<|user|>", "not a piece"]:
            assert scratch.token_to_id(token) == ref.token_to_id(token)
        for i in [0, 1, 2, 3, 258, 259, 1000, 31999, scratch.vocab_size - 1]:
            assert scratch.id_to_token(i) == ref.id_to_token(i)
    phi3 = pairs["phi-3"][0]
    assert phi3.vocab_size == 32011
    assert phi3.token_to_id("[PAD32011]") is None
    with pytest.raises(ValueError, match="32011"):
        phi3.decode([32011])


# ---- scratch == reference ---------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_comparison_text(pairs, name):
    scratch, ref = pairs[name]
    text = comparison_text()
    assert_same_ids(scratch, ref, text)
    ids = scratch.encode(text)
    assert scratch.decode(ids) == ref.decode(ids)
    assert scratch.decode(ids, skip_special_tokens=True) == text


@pytest.mark.parametrize("corpus", CORPORA)
@pytest.mark.parametrize("name", NAMES)
def test_real_text(pairs, name, corpus):
    """About 1 MB of each corpus, block by block: same ids, same decode, lossless."""
    assert_same_on_corpus(*pairs[name], corpus, lossless=True)


# ---- generated text ---------------------------------------------------------------------------
ADDED = ["<s>", "</s>", "<unk>", "<|endoftext|>", "<|assistant|>", "<|user|>", "<|end|>", "<|system|>"]
ADDED += ["<|placeholder1|>"]
FRAGMENTS = ADDED + [
    "<|assistant|", "<0x41>", "[PAD32011]", "▁", "▁▁", "\r\n", "\t\t\t", "    ", "\n\n\n", " \n ", "\u00a0",
    "\u3000", "\x1c", "\x00", "\ufffd", "\u200b", "\u200d", "👩\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈",
    "🦙", "e\u0301", "İstanbul", "0123456789", "3.14159", "你好世界", "한국어", "\U0010fffd", "don't",
]  # fmt: skip
CHARACTERS = st.characters(exclude_categories=("Cs",))  # anything UTF-8 can encode
TEXTS = st.lists(st.one_of(st.text(CHARACTERS, max_size=12), st.sampled_from(FRAGMENTS)), max_size=10).map("".join)
# Round trips hold for texts without added-token strings and without "▁" itself.
PLAIN_TEXTS = TEXTS.filter(lambda text: "▁" not in text and not any(token in text for token in ADDED))


@HYPOTHESIS
@given(text=TEXTS)
def test_generated_text(pairs, text):
    assert_same_encode_and_decode(pairs, text)


@HYPOTHESIS
@given(text=PLAIN_TEXTS)
def test_round_trip(pairs, text):
    """Lossless: byte fallback keeps every character; the dummy prefix is dropped again."""
    for name in NAMES:
        for tok in pairs[name]:  # scratch, then the reference: both hold it
            assert tok.decode(tok.encode(text, add_special_tokens=False)) == text
            assert tok.decode(tok.encode(text), skip_special_tokens=True) == text


@HYPOTHESIS
@given(ids=st.lists(st.one_of(st.integers(0, 32010), st.integers(3, 258)), max_size=30))
def test_decode_any_ids(pairs, ids):
    """Any ids decode as the reference: byte runs that are not UTF-8 give one U+FFFD per byte."""
    for name in NAMES:
        scratch, ref = pairs[name]
        valid = [i for i in ids if i < scratch.vocab_size]
        assert scratch.decode(valid) == ref.decode(valid)
        assert scratch.decode(valid, skip_special_tokens=True) == ref.decode(valid, skip_special_tokens=True)


def test_where_round_trips_cannot_hold(pairs):
    """U+2581 is SentencePiece's space and comes back as " "; added tokens are matched."""
    for name in NAMES:
        for tok in pairs[name]:
            assert tok.decode(tok.encode("a▁b", add_special_tokens=False)) == "a b"
            assert tok.decode(tok.encode("x<s>y", add_special_tokens=False)) == "x<s> y"
    for tok in pairs["phi-3"]:
        assert tok.decode(tok.encode("x<|end|>\n\ny"), skip_special_tokens=True) == "x y"


def test_invalid_utf8_byte_runs(pairs):
    e2, x82, xac = 3 + 0xE2, 3 + 0x82, 3 + 0xAC  # <0xE2> <0x82> <0xAC> is "€"
    for tok in pairs["llama-2"]:
        assert tok.decode([e2, x82, xac]) == "€"
        assert tok.decode([e2, x82]) == "\ufffd\ufffd"
        assert tok.decode([e2, x82, xac, x82]) == "\ufffd" * 4
        assert tok.decode([e2, 15043, x82]) == "\ufffd Hello\ufffd"


@HYPOTHESIS
@given(text=TEXTS)
def test_fast_path_equals_readable_loop(pairs, text):
    """Heap + chunks + cache (``encode``) against the plain quadratic merge loop."""
    for name in NAMES:
        scratch = pairs[name][0]
        for segment, token in scratch._splitter().split(text):
            if token is None:
                assert scratch._encode_ordinary(segment) == scratch.encode_readable(segment)
                normalized = scratch.normalize(segment)
                assert scratch.bpe_fast(normalized) == scratch.bpe(normalized)


def test_fast_path_on_long_text(pairs):
    """One long segment (the plain loop is quadratic, so a few thousand characters)."""
    scratch = pairs["llama-2"][0]
    text = python_source(2_000) + multilingual(1_000)
    assert scratch._encode_ordinary(text) == scratch.encode_readable(text)


# ---- bad input ----------------------------------------------------------------------------------
def test_non_str_and_unknown_ids(pairs):
    assert_bad_input_refused(pairs["llama-2"][0], [b"bytes", None, 3.5, ["list"]], [1, 32000], -5, 1.0)


def write_llama_gguf(path, tokens, types, scores=None, unknown=0, arch="llama"):
    import gguf

    writer = gguf.GGUFWriter(str(path), arch)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    if scores is not None:
        writer.add_token_scores(scores)
    if unknown is not None:
        writer.add_uint32("tokenizer.ggml.unknown_token_id", unknown)
    writer.add_uint32("tokenizer.ggml.bos_token_id", 1)
    writer.add_uint32("tokenizer.ggml.eos_token_id", 2)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.close()
    return path


def small_vocab():
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [2, 3, 3] + [6] * 256
    for piece in ["▁", "a", "b", "▁a", "ab", "▁ab", "▁b"]:
        tokens.append(piece)
        types.append(1)
    scores = [0.0] * 259 + [-1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0]
    return tokens, types, scores


def test_small_gguf_and_malformed(tmp_path):
    tokens, types, scores = small_vocab()
    tok = tokenizers.from_gguf(write_llama_gguf(tmp_path / "ok.gguf", tokens, types, scores))
    assert isinstance(tok, SentencePieceBPE)
    assert tok.tokenize("ab b c") == ["▁ab", "▁b", "▁", "<0x63>"]
    assert tok.encode("ab")[0] == 1  # BOS by default
    assert tok.decode(tok.encode("ab b c")) == "<s> ab b c"
    with pytest.raises(MalformedVocabError, match="score"):
        tokenizers.from_gguf(write_llama_gguf(tmp_path / "noscores.gguf", tokens, types, None))
    with pytest.raises(MalformedVocabError, match="256"):
        tokenizers.from_gguf(write_llama_gguf(tmp_path / "nobytes.gguf", tokens[:200], types[:200], scores[:200]))
    # no unknown_token_id key: the one token typed "unknown" serves (Baichuan's file); with none, refused
    assert tokenizers.from_gguf(write_llama_gguf(tmp_path / "nounkid.gguf", tokens, types, scores, unknown=None)
                                ).encode("ab") == tok.encode("ab")  # fmt: skip
    with pytest.raises(MalformedVocabError, match="exactly one token of type unknown; 0 found"):
        tokenizers.from_gguf(write_llama_gguf(tmp_path / "nounk.gguf", tokens, [1] + types[1:], scores, unknown=None))
    with pytest.raises(MalformedVocabError, match="twice"):
        tokenizers.from_gguf(write_llama_gguf(tmp_path / "dup.gguf", tokens + ["a"], types + [1], scores + [-9.0]))
    bad_byte = tokens[:3] + ["<0xZZ>"] + tokens[4:]
    with pytest.raises(MalformedVocabError, match="byte piece"):
        tokenizers.from_gguf(write_llama_gguf(tmp_path / "badbyte.gguf", bad_byte, types, scores))
    data = (tmp_path / "ok.gguf").read_bytes()
    (tmp_path / "cut.gguf").write_bytes(data[: len(data) // 3])
    with pytest.raises(MalformedVocabError, match="truncated"):
        tokenizers.from_gguf(tmp_path / "cut.gguf")
    (tmp_path / "empty.gguf").write_bytes(b"")
    with pytest.raises(MalformedVocabError, match="not a GGUF"):
        tokenizers.from_gguf(tmp_path / "empty.gguf")


def test_phi3_flags_come_from_the_architecture(tmp_path):
    """rstrip is set for the phi3 architecture only, as llama.cpp does."""
    tokens, types, scores = small_vocab()
    tokens, types, scores = tokens + ["<|end|>"], types + [3], scores + [0.0]
    plain = tokenizers.from_gguf(write_llama_gguf(tmp_path / "l.gguf", tokens, types, scores))
    phi3 = tokenizers.from_gguf(write_llama_gguf(tmp_path / "p.gguf", tokens, types, scores, arch="phi3"))
    assert plain.tokenize("a<|end|> b") == ["▁a", "<|end|>", "▁", "▁b"]
    assert phi3.tokenize("a<|end|> b") == ["▁a", "<|end|>", "▁b"]
