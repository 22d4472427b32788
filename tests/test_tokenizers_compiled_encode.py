"""The whole-text compiled encoder of byte-level BPE (``scratch/tokenizers/bytelevel_numba.py``).

* its scanner cuts exactly as the ``regex`` split (``PreTokenizer.split``, the readable
  path) for GPT-2's, cl100k_base's, o200k_base's and Llama-3's patterns (o200k_base's: the
  very string of tiktoken's registry): on hypothesis texts made of the cases the
  patterns treat apart (contractions in any case, ``ſ``, spaces before letters, numbers and
  symbols, runs of whitespace with and without newlines, the end of the text, numbers of
  other scripts, marks, emoji, astral and unassigned code points), and on every code point;
* its ids equal the readable path (``encode_readable``) and the references (tiktoken's
  cl100k_base, transformers' GPT-2 and Llama-3, and "o200k-style": tiktoken with cl100k_base's ranks and
  o200k_base's pattern, as o200k_base's ranks are not obtainable here) on real text and on
  drawn text, and ``encode`` (added
  tokens, lone surrogates) gives the references' ids when the compiled path is taken;
* a vocabulary that lacks bytes, and one where a token's bytes merge into other tokens
  (``ignore_merges`` off), give what the readable loop gives;
* any other pre-tokenizer (another pattern, or the same pattern with another step) is not
  taken by the scanner;
* the merge hash table reads back what it was given.
"""

from __future__ import annotations

import functools
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import english, multilingual, python_source
from tokenizer_checks import reference_tok, scratch_tok

import reference.tokenizers as reference
from reference.tokenizers.bytelevel import load_o200k_style, o200k_pattern
from scratch import tokenizers
from scratch.tokenizers import InvalidTextError, bytelevel_numba, pretokenizers
from scratch.tokenizers.bpe_merge_numba import NO_MERGE, lookup, pair_table
from scratch.tokenizers.byte_bpe import ByteLevelBPE, from_tiktoken

O200K_STYLE = "o200k-style"  # cl100k_base's ranks, o200k_base's pattern (load_o200k_style)
NAMES = ["gpt2", "cl100k_base", O200K_STYLE, "llama-3"]
PRE_TOKENIZERS = {"gpt2": pretokenizers.GPT2, "cl100k_base": pretokenizers.CL100K, O200K_STYLE: pretokenizers.O200K,
                  "llama-3": pretokenizers.LLAMA3}  # fmt: skip
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def o200k_style() -> tuple:
    """(scratch's, tiktoken's) o200k-style encoding."""
    path = tokenizers.pretrained_path("cl100k_base")
    return from_tiktoken(path, pretokenizers.O200K, {}), load_o200k_style(path)


def scratch_of(name: str):
    return o200k_style()[0] if name == O200K_STYLE else scratch_tok(name)


def reference_ids(name: str, text: str, add_special_tokens: bool = False) -> list[int]:
    """The reference's ids (tiktoken's ``encode_ordinary`` for the o200k-style encoding)."""
    if name == O200K_STYLE:
        return o200k_style()[1].encode_ordinary(text)
    return reference_tok(name).encode(text, add_special_tokens=add_special_tokens)


@functools.cache
def encoder(name: str) -> bytelevel_numba.CompiledEncoder:
    return bytelevel_numba.CompiledEncoder(scratch_of(name), 1024)


# Pieces the two patterns treat apart; drawn texts are runs of them and of any characters.
PIECES = [
    "'s", "'S", "'t", "'T", "'m", "'M", "'d", "'D", "'re", "'RE", "'Re", "'ve", "'VE", "'ll", "'LL", "'lL", "'ſ",
    "'x", "''", "'", "' s", "'\n", " '", "don't", "I'M",
    " ", "  ", "   ", "\t", "\n", "\r\n", "\r", "\n\n", " \n ", "\t\n", "\x0b", "\x0c", "\x1c", "\x85", "\xa0",
    "\u2028", "\u3000", "\u200b", "\u200d",
    "a", "Z", "ab", "ſ", "é", "e\u0301", "\u0301", "ß", "Ж", "ω", "中文", "한", "ا", "ก", "\u0e31",
    "1", "12", "1234", "1234567", "½", "²", "٣", "Ⅻ", "\u0661\u0662\u0663\u0664", "\U00011de0",
    ".", "!!", "...", "()", "->", "#", "$", "_", "-", "€", "\x00", "\x7f", "\x1b[0m",
    "🎵", "👍🏽", "👨\u200d👩", "\U0001d400", "\U000e0041", "\U0003d000", "\U00040000", "\U0010ffff", "\ue000",
    "\ua7ce", "\u0558", "\uab6c",
]  # fmt: skip
texts = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(max_size=6),
        st.text(alphabet=" \t\n\r'sSlLdDmMtTvVeErR1a.", max_size=12),
    ),
    max_size=16,
).map("".join)


# ---- the scanner ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(text=texts)
def test_scanner_cuts_as_the_regex_split(name, text):
    pre = PRE_TOKENIZERS[name]
    assert bytelevel_numba.split(text, bytelevel_numba.scanner_of(pre)) == pre.split(text)


EXAMPLES = [
    "x'ſa 'ſt 'S 'sa 'Sa 'lla 'LLa 'rea 'vE", "a   b", "a \t\n b", "  \n\n  x", "x  ", "\n", " \r\n", "!!\r\n\r\nx",
    " !!\n a", "1234567 ٣٤٥٦ ½½½½", "'x' ' '", "e\u0301e \u0301", "🎵🎵 🎵a",
    "CamelCaseWord iPhone ABCdef abcDEF HELLO's HeLLo'S", "ǅungla ǅ Ǆǅǆ", "ʰello Aʰb ʰA", "\u0301\u0301A a\u0301B",
    "a/b//\n\r\n/ x", " \u0301x !\u0301", "\t\n\tx  \n", "x'ſ Xſ'S", "x \n  ", "\n \n\t",
]  # fmt: skip


@pytest.mark.parametrize("text", EXAMPLES)
@pytest.mark.parametrize("name", NAMES)
def test_scanner_examples(name, text):
    """Cases drawn text reaches seldom (``'ſ`` is a contraction to cl100k's ``(?i)``, so ``'ſa``
    is ``'ſ`` + ``a``, not the letter run ``'ſa``)."""
    pre = PRE_TOKENIZERS[name]
    assert bytelevel_numba.split(text, bytelevel_numba.scanner_of(pre)) == pre.split(text)
    assert encoder(name).encode(text) == reference_ids(name, text)


@pytest.mark.parametrize("name", NAMES)
def test_scanner_on_every_code_point(name):
    """Every code point but the surrogates, after a space, a letter, a digit, an apostrophe
    and itself, and before a newline (o200k_base's: also after an upper-case letter and
    before a lower-case one): the class table is the ``regex`` path's, code point for code
    point (the classes decide every branch of the patterns)."""
    pre = PRE_TOKENIZERS[name]
    scanner = bytelevel_numba.scanner_of(pre)
    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    template = " {0}a{0}A{0}1{0}'{0}{0}b\n" if name == O200K_STYLE else " {0}a{0}1{0}'{0}{0}\n"
    for start in range(0, len(points), 100_000):
        text = "".join(template.format(c) for c in points[start : start + 100_000])
        assert bytelevel_numba.split(text, scanner) == pre.split(text)


def test_class_table_of_a_few_code_points():
    """Independent of the generated tables: what Unicode says of a few characters."""
    table = bytelevel_numba.class_table()
    expected = {"a": "LETTER", "ſ": "LETTER", "中": "LETTER", "1": "NUMBER", "½": "NUMBER", "Ⅻ": "NUMBER",
                " ": "SPACE", "\n": "SPACE", "\u3000": "SPACE", "\x85": "SPACE", ".": "OTHER", "\u0301": "OTHER",
                "🎵": "OTHER", "\x00": "OTHER"}  # fmt: skip
    assert {c: ["OTHER", "LETTER", "NUMBER", "SPACE"][table[ord(c)]] for c in expected} == expected
    assert table.shape == (0x110000,) and not table.flags.writeable
    # o200k_base's: letters by case (Lu, Lt | Ll | Lm, Lo), marks apart
    cases = bytelevel_numba.case_class_table()
    B = bytelevel_numba
    expected = {"A": B.UPPER, "Ж": B.UPPER, "ǅ": B.UPPER, "a": B.LOWER, "ſ": B.LOWER, "ß": B.LOWER, "ʰ": B.CASELESS,
                "中": B.CASELESS, "ا": B.CASELESS, "\u0301": B.MARK, "\u0e31": B.MARK, "\u0903": B.MARK, "1": B.NUMBER,
                " ": B.SPACE, ".": B.OTHER, "🎵": B.OTHER}  # fmt: skip
    assert {c: cases[ord(c)] for c in expected} == expected
    assert cases.shape == (0x110000,) and not cases.flags.writeable


def test_o200k_pattern_is_tiktokens():
    assert pretokenizers.O200K.pattern == o200k_pattern()


# ---- the ids -----------------------------------------------------------------------------------------
CORPORA = {"english": english, "python_source": python_source, "multilingual": multilingual}


@pytest.mark.parametrize("corpus", list(CORPORA))
@pytest.mark.parametrize("name", NAMES)
def test_real_text_ids(name, corpus):
    """The compiled encoder == the readable path == the reference on 60k characters; and
    ``encode`` of the whole text (which takes the compiled path) == the reference."""
    text = CORPORA[corpus](60_000)
    tok = scratch_of(name)
    want = reference_ids(name, text)
    assert encoder(name).encode(text) == want
    assert tok.encode_readable(text[:20_000]) == encoder(name).encode(text[:20_000])
    assert tok._compiled_encoder(len(text)) is not None
    assert tok.encode(text, add_special_tokens=False) == want


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_drawn_text_ids(name, text):
    want = reference_ids(name, text)
    assert encoder(name).encode(text) == scratch_of(name).encode_readable(text) == want


@pytest.mark.parametrize("name", NAMES)
def test_encode_through_the_compiled_path(name):
    """Added tokens, long chunks (merged by ``merge_long``), lone surrogates: ``encode`` on
    a text long enough for the compiled path gives the reference's ids (cl100k_base:
    tiktoken's ``encode_ordinary``, where ``<|endoftext|>`` is text; GPT-2: the special
    token), and a lone surrogate is replaced (tiktoken) or refused (GPT-2) as before."""
    tok = scratch_of(name)
    text = english(30_000) + "<|endoftext|>" + "x" * 3000 + " " + "=" * 1500 + "\n" * 2000 + "é" * 1100
    assert tok._compiled_encoder(len(text)) is not None
    assert tok.encode(text) == reference_ids(name, text, add_special_tokens=True)
    with_surrogate = text + "\ud800 and more"
    if tok.replace_surrogates:
        assert tok.encode(with_surrogate) == reference_ids(name, with_surrogate, add_special_tokens=True)
    else:
        with pytest.raises(InvalidTextError, match="surrogate"):
            tok.encode(with_surrogate)


def small_tokenizer(ignore_merges: bool) -> ByteLevelBPE:
    """Every byte but 0xF1 and 0xC3, and ``ab``, ``bc``, ``abc``, ``Ġa``: merges ``a b``
    (rank 0), ``b c`` (1), ``a bc`` (2), ``Ġ a`` (3). ``abc``'s own bytes merge into ``ab`` +
    ``c``: without ``ignore_merges`` the chunk ``abc`` is those two tokens, with it ``abc``."""
    from scratch.tokenizers.bytes_to_unicode import spell

    tokens = [spell(bytes([b])) for b in range(256) if b not in (0xF1, 0xC3)] + ["ab", "bc", "abc", "Ġa"]
    merges = [("a", "b"), ("b", "c"), ("a", "bc"), ("Ġ", "a")]
    return ByteLevelBPE(tokens, merges, pretokenizers.GPT2, ignore_merges=ignore_merges, name="small")


small_texts = st.lists(st.sampled_from(["a", "b", "c", "abc", " abc", " a", "abcabc", "é", "\U00040000", " ", "1"]),
                       max_size=12).map("".join)  # fmt: skip


@pytest.mark.parametrize("ignore_merges", [False, True])
@settings(max_examples=100, deadline=None)
@given(text=small_texts)
def test_small_vocabulary_lacking_bytes(ignore_merges, text):
    tok = small_tokenizer(ignore_merges)
    assert bytelevel_numba.CompiledEncoder(tok, 1024).encode(text) == tok.encode_readable(text)


def test_small_vocabulary_whole_token_rule():
    """Independent of the readable loop: the ids worked out by hand."""
    for ignore_merges, want in ((False, [254, ord("c")]), (True, [256])):  # (ab is 254, abc 256)
        tok = small_tokenizer(ignore_merges)
        assert bytelevel_numba.CompiledEncoder(tok, 1024).encode("abc") == want
    # "é" is C3 A9: C3 has no token and is dropped; A9 (below the missing bytes) is id 0xA9
    assert bytelevel_numba.CompiledEncoder(small_tokenizer(False), 1024).encode("é") == [0xA9]


# ---- what the compiled path does not take ----------------------------------------------------
@pytest.mark.parametrize(
    "pre",
    [
        pretokenizers.QWEN2,  # (NFC)
        pretokenizers.STARCODER,  # (GPT-2's pattern, digits first)
        pretokenizers.MPT,  # (GPT-2's pattern, NFC)
        pretokenizers.PreTokenizer("almost gpt-2", pretokenizers.GPT2_PATTERN.removesuffix(r"|\s+")),
        pretokenizers.PreTokenizer("gpt-2 after", pretokenizers.GPT2_PATTERN, after=(pretokenizers.Isolate("a"),)),
    ],
    ids=lambda p: p.name,
)
def test_other_pre_tokenizers_fall_back(pre):
    assert bytelevel_numba.scanner_of(pre) is None
    tok = ByteLevelBPE([chr(c) for c in range(33, 127)], [], pre, name="other")
    with pytest.raises(ValueError, match="no compiled scanner"):
        bytelevel_numba.CompiledEncoder(tok, 1024)
    assert tok._compiled_encoder(100_000) is None
    text = "Hello world, 12 rooms " * 2000
    assert tok.encode(text) == tok.encode_readable(text)


def test_scanner_recognises_the_known_pre_tokenizers():
    assert bytelevel_numba.scanner_of(pretokenizers.GPT2) == bytelevel_numba.GPT2
    assert bytelevel_numba.scanner_of(pretokenizers.CL100K) == bytelevel_numba.CL100K
    assert bytelevel_numba.scanner_of(pretokenizers.PreTokenizer("mine", pretokenizers.CL100K_PATTERN)) == 2
    assert bytelevel_numba.scanner_of(pretokenizers.O200K) == bytelevel_numba.O200K
    assert bytelevel_numba.scanner_of(pretokenizers.LLAMA3) == bytelevel_numba.LLAMA3
    assert bytelevel_numba.scanner_of(pretokenizers.for_gguf_pre("gpt-4o")) == bytelevel_numba.O200K


# ---- the merge hash table ------------------------------------------------------------------------
def test_pair_table_reads_back_what_it_was_given():
    rng = random.Random(0)
    keys = [rng.randrange(1 << 40) for _ in range(5000)] + [7, 7]
    values = list(range(len(keys)))
    table_keys, table_values = pair_table(np.array(keys), np.array(values))
    want = dict(zip(keys, values))  # (a later duplicate wins)
    assert all(lookup(table_keys, table_values, k) == v for k, v in want.items())
    absent = [k for k in (rng.randrange(1 << 40) for _ in range(2000)) if k not in want]
    assert all(lookup(table_keys, table_values, k) == NO_MERGE for k in absent)
    with pytest.raises(ValueError, match="non-negative"):
        pair_table(np.array([-3]), np.array([1]))
