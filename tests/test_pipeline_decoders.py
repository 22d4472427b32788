"""The pipeline's decoders (scratch/tokenizers/pipeline/decoders.py) against ``tokenizers``.

Oracle: ``tokenizers.decoders.X(...).decode(tokens)`` with the same options. Hypothesis
draws the decoder (every type, and Sequences of them) with its options, and the tokens:
real GPT-2 (byte-level) and MiniLM (WordPiece) vocabulary entries, ``<0xXX>`` byte tokens
(and near misses), ``▁``-pieces and arbitrary text with non-ASCII characters and odd
whitespace. Where the reference panics (``Strip`` past a token's start) scratch must
raise. ``to_json`` must be what the reference writes, and ``decoder_from_json`` of that
must decode alike.
"""

from __future__ import annotations

import json

import pytest
import tokenizers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import decoders as ref

from scratch.artifacts import fetch_file
from scratch.tokenizers import MalformedVocabError
from scratch.tokenizers.pipeline import decoders as ours
from scratch.tokenizers.pipeline.decoders import DecodingError, decoder_from_json
from scratch.tokenizers.pipeline.spec import UnsupportedComponentError

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- tokens ---------------------------------------------------------------------------------

GPT2_TOKENS = sorted(json.loads(fetch_file("gpt2", "vocab.json").read_text(encoding="utf-8")))
MINILM_TOKENS = sorted(json.loads(fetch_file("all-MiniLM-L6-v2", "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"])
# accents, CJK, emoji, combining marks, odd whitespace (U+001C is whitespace to Python only)
ALPHABET = st.sampled_from(list("aab ..,!?'|#<>0xEF+▁Ġ") + ["é", "e\u0301", "中", "🎵", "\u3000", "\xa0", "\t", "\n", "\x1c", "\u2009", "ÿ", "</w>", "<pad>", " n't", " do not"])
TEXT = st.lists(ALPHABET, max_size=6).map("".join)
BYTE_TOKENS = st.one_of(
    st.integers(0, 255).map(lambda b: f"<0x{b:02X}>"),
    st.integers(0, 255).map(lambda b: f"<0x{b:02x}>"),
    st.sampled_from(["<0x+F>", "<0xé>", "<0xZZ>", "<0xA>", "<0x100>", "<0X41>", "<0x 1>", "<0x-1>"]),
)
TOKEN = st.one_of(
    st.sampled_from(GPT2_TOKENS),
    st.sampled_from(MINILM_TOKENS),
    BYTE_TOKENS,
    TEXT.map(lambda t: "▁" + t),
    TEXT,
)
TOKENS = st.lists(TOKEN, max_size=12)

# ---- decoders: (scratch, reference) pairs -----------------------------------------------------

SHORT = st.sampled_from(["", " ", "▁", "##", "</w>", "|", "<pad>", "a", "Ġ", "é", "中", "🎵", "\u3000", " .", "ab",
                         "a.", "(", "[", "\\", "*", "#", "&", "~", "-", "$", "^", " ' "])  # fmt: skip
ONE_CHAR = st.sampled_from([" ", "▁", "a", "é", "🎵", "\u3000", "Ġ", "#"])
# Regexes that Oniguruma and ``regex`` (with the references' classes) read alike; with
# empty matches and anchors, whose iteration differs from Python's finditer.
REGEXES = st.sampled_from(["▁", " ", "a+", "a*", r"\s+", r"\s*", r"\p{L}+", "[0-9a-f]", "^▁", "▁$", "(?<=a)b", "", r"\p{N}", "x|", ".",
                          r"\p{Zs}", r"\w+", r"\d"])


@st.composite
def replace_pair(draw):
    content = draw(SHORT)
    if draw(st.booleans()):
        pattern = draw(REGEXES)
        return ours.Replace(ours.Regex(pattern), content), ref.Replace(tokenizers.Regex(pattern), content)
    pattern = draw(SHORT)
    return ours.Replace(pattern, content), ref.Replace(pattern, content)


@st.composite
def strip_pair(draw):
    content, left, right = draw(ONE_CHAR), draw(st.integers(0, 4)), draw(st.integers(0, 4))
    return ours.Strip(content, left, right), ref.Strip(content, left, right)


@st.composite
def metaspace_pair(draw):
    replacement, scheme, split = draw(ONE_CHAR), draw(st.sampled_from(["always", "first", "never"])), draw(st.booleans())
    return ours.Metaspace(replacement, scheme, split), ref.Metaspace(replacement, scheme, split)


def _pair(build_ours, build_ref):
    return lambda *args: (build_ours(*args), build_ref(*args))


LEAF = st.one_of(
    st.just((ours.ByteLevel(), ref.ByteLevel())),
    metaspace_pair(),
    st.builds(_pair(ours.WordPiece, ref.WordPiece), SHORT, st.booleans()),
    st.builds(_pair(ours.BPEDecoder, ref.BPEDecoder), SHORT),
    st.just((ours.ByteFallback(), ref.ByteFallback())),
    st.just((ours.Fuse(), ref.Fuse())),
    strip_pair(),
    replace_pair(),
    st.builds(_pair(ours.CTC, ref.CTC), SHORT, SHORT, st.booleans()),
)
SEQUENCE = st.lists(LEAF, max_size=4).map(
    lambda pairs: (ours.Sequence([o for o, _ in pairs]), ref.Sequence([r for _, r in pairs])))
DECODER = st.one_of(LEAF, SEQUENCE, st.lists(st.one_of(LEAF, SEQUENCE), max_size=3).map(
    lambda pairs: (ours.Sequence([o for o, _ in pairs]), ref.Sequence([r for _, r in pairs]))))


def reference_decode(decoder, tokens: list[str]) -> str | None:
    """The reference's text, or None where it panics (a ``pyo3_runtime.PanicException``)."""
    try:
        return decoder.decode(tokens)
    except BaseException as error:  # PanicException derives from BaseException
        if type(error).__name__ != "PanicException":
            raise
        return None


def assert_same_decode(pair, tokens: list[str]) -> None:
    scratch, reference = pair
    expected = reference_decode(reference, tokens)
    if expected is None:
        with pytest.raises(DecodingError):
            scratch.decode(tokens)
    else:
        assert scratch.decode(tokens) == expected, (scratch, tokens)


_HOLDER = tokenizers.Tokenizer(tokenizers.models.WordLevel({"[UNK]": 0}, unk_token="[UNK]"))


def reference_json(decoder) -> dict:
    """The object the reference writes for ``decoder`` in tokenizer.json."""
    _HOLDER.decoder = decoder
    return json.loads(_HOLDER.to_str())["decoder"]


# ---- the oracle tests ---------------------------------------------------------------------------


@SETTINGS
@given(pair=LEAF, tokens=TOKENS)
def test_each_decoder_decodes_as_the_reference(pair, tokens):
    assert_same_decode(pair, tokens)


@SETTINGS
@given(pair=DECODER, tokens=TOKENS)
def test_sequences_decode_as_the_reference(pair, tokens):
    assert_same_decode(pair, tokens)


@settings(max_examples=150, deadline=None)
@given(pair=DECODER, tokens=TOKENS)
def test_json_is_the_references_and_reads_back(pair, tokens):
    scratch, reference = pair
    written = reference_json(reference)
    assert scratch.to_json() == written
    loaded = decoder_from_json(written)
    assert loaded.to_json() == written
    assert_same_decode((loaded, reference), tokens)
    # and what scratch writes, the reference reads as the same decoder
    _HOLDER.decoder = ref.Fuse()
    document = json.loads(_HOLDER.to_str())
    document["decoder"] = scratch.to_json()
    assert json.loads(tokenizers.Tokenizer.from_str(json.dumps(document)).to_str())["decoder"] == written


@SETTINGS
@given(data=st.lists(st.binary(min_size=1, max_size=4), max_size=8))
def test_byte_level_invalid_utf8_is_replaced_as_rust_does(data):
    """Byte strings cut anywhere (the stand-in spelling of any bytes): U+FFFD per maximal
    invalid subsequence, as Rust's from_utf8_lossy."""
    from scratch.tokenizers.bytes_to_unicode import spell

    tokens = [spell(chunk) for chunk in data]
    assert ours.ByteLevel().decode(tokens) == ref.ByteLevel().decode(tokens)
    byte_tokens = [f"<0x{b:02X}>" for chunk in data for b in chunk]
    assert ours.ByteFallback().decode(byte_tokens) == ref.ByteFallback().decode(byte_tokens)


def test_real_decoders_read_and_write_back():
    """The decoders of real tokenizer.json files, and Llama-2's (spelled here)."""
    documents = [json.loads(fetch_file(name, "tokenizer.json").read_text(encoding="utf-8"))["decoder"]
                 for name in ("all-MiniLM-L6-v2", "all-mpnet-base-v2")]  # fmt: skip
    documents.append({"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"},
        {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]})  # fmt: skip
    tokens = ["▁Hello", "<0xE2>", "<0x82>", "<0xAC>", "##s", "▁wor", "ld", ",", "▁don", "'t"]
    for document in documents:
        decoder = decoder_from_json(document)
        assert decoder.to_json() == document
        _HOLDER.decoder = ref.Fuse()
        full = json.loads(_HOLDER.to_str())
        full["decoder"] = document
        assert decoder.decode(tokens) == tokenizers.Tokenizer.from_str(json.dumps(full)).decoder.decode(tokens)
    assert decoder_from_json(None) is None


# ---- refusals ---------------------------------------------------------------------------------

MALFORMED = [
    {"type": "ByteLevel"},  # add_prefix_space and trim_offsets are required
    {"type": "WordPiece", "prefix": "##"},
    {"type": "WordPiece", "prefix": 3, "cleanup": True},
    {"type": "Metaspace", "replacement": "ab"},
    {"type": "Metaspace", "replacement": "▁", "add_prefix_space": False},  # the default scheme is "always"
    {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "sometimes"},
    {"type": "Strip", "content": "ab", "start": 1, "stop": 0},
    {"type": "Strip", "content": " ", "start": -1, "stop": 0},
    {"type": "Strip", "content": " ", "start": True, "stop": 0},
    {"type": "Replace", "pattern": {"Regex": "("}, "content": ""},
    {"type": "Replace", "pattern": {"Glob": "*"}, "content": ""},
    {"type": "Replace", "pattern": "▁", "content": " "},
    {"type": "CTC", "pad_token": "<pad>", "word_delimiter_token": "|"},
    {"type": "BPEDecoder"},
    {"type": "Sequence", "decoders": [{"type": "Nope"}]},
    {"type": "Nope"},
    {"decoders": []},
]


@pytest.mark.parametrize("spec", MALFORMED, ids=lambda spec: json.dumps(spec, ensure_ascii=False))
def test_what_the_reference_refuses_is_refused(spec):
    _HOLDER.decoder = ref.Fuse()
    document = json.loads(_HOLDER.to_str())
    document["decoder"] = spec
    with pytest.raises(Exception):
        tokenizers.Tokenizer.from_str(json.dumps(document))
    with pytest.raises(MalformedVocabError):
        decoder_from_json(spec)


@pytest.mark.parametrize("spec", [
    {"type": "Fuse", "strip": True},
    {"type": "WordPiece", "prefix": "##", "cleanup": True, "lowercase": True},
    {"type": "Nope"},
    {"type": "ByteFallback", "fallback": "?"},
])  # fmt: skip
def test_unknown_types_and_options_are_unsupported(spec):
    with pytest.raises(UnsupportedComponentError, match=f"decoder {spec['type']}"):
        decoder_from_json(spec)


def test_legacy_metaspace_fields_are_read():
    legacy = {"type": "Metaspace", "replacement": "▁", "add_prefix_space": True, "str_rep": "▁"}
    assert decoder_from_json(legacy).to_json() == {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True}
    never = {"type": "Metaspace", "replacement": "▁", "add_prefix_space": False, "prepend_scheme": "never"}
    assert decoder_from_json(never).decode(["▁a", "▁b"]) == ref.Metaspace(prepend_scheme="never").decode(["▁a", "▁b"])
