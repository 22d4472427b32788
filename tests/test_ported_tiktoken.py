"""tiktoken's own tests (github.com/openai/tiktoken, ``tests/``, tiktoken 0.14), ported to
scratch's tiktoken surface (``scratch.tokenizers.tiktoken_api``).

Each test keeps tiktoken's name (inside a class named after its file, since two files share
names) and tiktoken's expected values, and runs twice: on scratch (``api="scratch"``) and on
tiktoken itself (``api="tiktoken"``, loaded offline from the same artifacts), which proves
the port still tests what tiktoken tests.

Encodings: tiktoken's ``test_helpers.py`` parametrizes over ``ENCODINGS = ["r50k_base",
"cl100k_base"]`` and ``SOME_ENCODINGS = ["cl100k_base"]``. Here ``gpt2`` stands in for
``r50k_base``: tiktoken_ext/openai_public.py gives both the same pattern (``r50k_pat_str``),
the same ``<|endoftext|>`` = 50256 and the same 50,257 tokens, and r50k_base's rank file is
not an artifact here. The same stand-in is used where a test names ``r50k_base``. Hypothesis
runs ``MAX_EXAMPLES`` (tiktoken: ``TIKTOKEN_MAX_EXAMPLES``, default 100) examples.

Ported:

* test_encoding.py: test_simple, test_simple_repeated, test_simple_regex, test_basic_encode
  (its p50k_base line dropped), test_encode_empty, test_encode_surrogate_pairs,
  test_catastrophically_repetitive, test_basic_roundtrip, test_hyp_roundtrip,
  test_single_token_roundtrip, test_special_token, test_hyp_special_ordinary,
  test_batch_encode, test_hyp_batch_roundtrip;
* test_offsets.py: test_hyp_offsets (the valid-id filter reads ``decode_single_token_bytes``
  instead of the private ``_special_tokens``/``_mergeable_ranks``), test_basic_offsets;
* test_misc.py and test_simple_public.py: test_encoding_for_model (for models whose encoding
  is not available here, ``encoding_name_for_model`` is checked against the same expected
  name, and scratch's ``encoding_for_model`` must refuse with ``ModelNotAvailableError``),
  test_optional_blobfile_dependency, test_simple (simple_public's);
* test_pickle.py: test_pickle, its first half (a registered encoding pickles by name).

Not applicable:

* test_encoding.py::test_large_repeated: o200k_base only (its regex's backtracking on 1M "x").
* test_encoding.py::test_encode_bytes, test_hyp_encode_bytes: tiktoken's private
  ``_encode_bytes`` (BPE of bytes that are not UTF-8), not part of the surface.
* test_pickle.py::test_pickle, second half: builds ``tiktoken.Encoding(pat_str=...,
  mergeable_ranks=..., special_tokens=...)``; that constructor is not built here.
* the p50k_base / p50k_edit / o200k_base / o200k_harmony lines: their files are not here.
* test_helpers.py: definitions only (the parametrization below).
* ``src/lib.rs``'s Rust unit tests (``_byte_pair_merge`` internals).
"""

from __future__ import annotations

import functools
import os
import pickle
import subprocess
import sys
import types

import hypothesis
import hypothesis.strategies as st
import pytest
from test_tiktoken_api import reference_encoding

from scratch.errors import ModelNotAvailableError
from scratch.tokenizers import tiktoken_api

MAX_EXAMPLES: int = int(os.environ.get("TIKTOKEN_MAX_EXAMPLES", "100"))
AVAILABLE = ["gpt2", "cl100k_base"]


def _tiktoken_module():
    """tiktoken, its ``get_encoding`` limited to the available encodings, loaded offline."""
    import tiktoken

    for name in AVAILABLE:
        reference_encoding(name)  # registers them, so tiktoken.encoding_for_model finds them loaded
    return types.SimpleNamespace(
        get_encoding=reference_encoding,
        list_encoding_names=lambda: [n for n in tiktoken.list_encoding_names() if n in AVAILABLE],
        encoding_for_model=tiktoken.encoding_for_model,
        encoding_name_for_model=tiktoken.encoding_name_for_model,
        name="tiktoken",
    )


@functools.lru_cache(maxsize=None)
def api_module(which: str):
    return tiktoken_api if which == "scratch" else _tiktoken_module()


@pytest.fixture(params=["scratch", "tiktoken"])
def tiktoken(request):
    """The module under test, named as tiktoken's tests name it."""
    return api_module(request.param)


# tiktoken's ENCODING_FACTORIES / SOME_ENCODING_FACTORIES, with gpt2 for r50k_base
ENCODINGS = ["gpt2", "cl100k_base"]
SOME_ENCODINGS = ["cl100k_base"]


def _get_encoding(api: str, name: str):
    return api_module(api).get_encoding(name)


ENCODING_FACTORIES = [
    pytest.param(functools.partial(_get_encoding, api, name), id=f"{name}-{api}")
    for name in ENCODINGS
    for api in ("scratch", "tiktoken")
]
SOME_ENCODING_FACTORIES = [
    pytest.param(functools.partial(_get_encoding, api, name), id=f"{name}-{api}")
    for name in SOME_ENCODINGS
    for api in ("scratch", "tiktoken")
]


# ==== tests/test_encoding.py ===================================================================
class TestEncoding:
    def test_simple(self, tiktoken):
        enc = tiktoken.get_encoding("gpt2")
        assert enc.encode("hello world") == [31373, 995]
        assert enc.decode([31373, 995]) == "hello world"
        assert enc.encode("hello <|endoftext|>", allowed_special="all") == [31373, 220, 50256]

        enc = tiktoken.get_encoding("cl100k_base")
        assert enc.encode("hello world") == [15339, 1917]
        assert enc.decode([15339, 1917]) == "hello world"
        assert enc.encode("hello <|endoftext|>", allowed_special="all") == [15339, 220, 100257]

        for enc_name in tiktoken.list_encoding_names():
            enc = tiktoken.get_encoding(enc_name)
            for token in range(min(10_000, enc.max_token_value - 1)):
                assert enc.encode_single_token(enc.decode_single_token_bytes(token)) == token

    def test_simple_repeated(self, tiktoken):
        enc = tiktoken.get_encoding("gpt2")
        assert enc.encode("0") == [15]
        assert enc.encode("00") == [405]
        assert enc.encode("000") == [830]
        assert enc.encode("0000") == [2388]
        assert enc.encode("00000") == [20483]
        assert enc.encode("000000") == [10535]
        assert enc.encode("0000000") == [24598]
        assert enc.encode("00000000") == [8269]
        assert enc.encode("000000000") == [10535, 830]
        assert enc.encode("0000000000") == [8269, 405]
        assert enc.encode("00000000000") == [8269, 830]
        assert enc.encode("000000000000") == [8269, 2388]
        assert enc.encode("0000000000000") == [8269, 20483]
        assert enc.encode("00000000000000") == [8269, 10535]
        assert enc.encode("000000000000000") == [8269, 24598]
        assert enc.encode("0000000000000000") == [25645]
        assert enc.encode("00000000000000000") == [8269, 10535, 830]

    def test_simple_regex(self, tiktoken):
        enc = tiktoken.get_encoding("cl100k_base")
        assert enc.encode("rer") == [38149]
        assert enc.encode("'rer") == [2351, 81]
        assert enc.encode("today\n ") == [31213, 198, 220]
        assert enc.encode("today\n \n") == [31213, 27907]
        assert enc.encode("today\n  \n") == [31213, 14211]

    def test_basic_encode(self, tiktoken):
        enc = tiktoken.get_encoding("gpt2")  # tiktoken: r50k_base (and p50k_base, not here)
        assert enc.encode("hello world") == [31373, 995]

        enc = tiktoken.get_encoding("cl100k_base")
        assert enc.encode("hello world") == [15339, 1917]
        assert enc.encode(" \x850") == [220, 126, 227, 15]

    def test_encode_empty(self, tiktoken):
        enc = tiktoken.get_encoding("gpt2")  # tiktoken: r50k_base
        assert enc.encode("") == []

    def test_encode_surrogate_pairs(self, tiktoken):
        enc = tiktoken.get_encoding("cl100k_base")

        assert enc.encode("👍") == [9468, 239, 235]
        # surrogate pair gets converted to codepoint
        assert enc.encode("\ud83d\udc4d") == [9468, 239, 235]

        # lone surrogate just gets replaced
        assert enc.encode("\ud83d") == enc.encode("�")

    @pytest.mark.parametrize("make_enc", ENCODING_FACTORIES)
    def test_catastrophically_repetitive(self, make_enc):
        enc = make_enc()
        for c in ["^", "0", "a", "'s", " ", "\n"]:
            big_value = c * 10_000
            assert big_value == enc.decode(enc.encode(big_value))

            big_value = " " + big_value
            assert big_value == enc.decode(enc.encode(big_value))

            big_value = big_value + "\n"
            assert big_value == enc.decode(enc.encode(big_value))

    # ---- roundtrip
    @pytest.mark.parametrize("make_enc", ENCODING_FACTORIES)
    def test_basic_roundtrip(self, make_enc):
        enc = make_enc()
        for value in (
            "hello",
            "hello ",
            "hello  ",
            " hello",
            " hello ",
            " hello  ",
            "hello world",
            "请考试我的软件！12345",
        ):
            assert value == enc.decode(enc.encode(value))
            assert value == enc.decode(enc.encode_ordinary(value))

    @pytest.mark.parametrize("make_enc", ENCODING_FACTORIES)
    @hypothesis.given(text=st.text())
    @hypothesis.settings(deadline=None, max_examples=MAX_EXAMPLES)
    def test_hyp_roundtrip(self, make_enc, text):
        enc = make_enc()

        assert text == enc.decode(enc.encode(text))

    @pytest.mark.parametrize("make_enc", ENCODING_FACTORIES)
    def test_single_token_roundtrip(self, make_enc):
        enc = make_enc()

        for token in range(enc.n_vocab):
            try:
                token_bytes = enc.decode_single_token_bytes(token)
            except KeyError:
                continue
            assert enc.encode_single_token(token_bytes) == token

    # ---- special tokens
    def test_special_token(self, tiktoken):
        enc = tiktoken.get_encoding("cl100k_base")

        eot = enc.encode_single_token("<|endoftext|>")
        assert eot == enc.eot_token
        fip = enc.encode_single_token("<|fim_prefix|>")
        fim = enc.encode_single_token("<|fim_middle|>")

        text = "<|endoftext|> hello <|fim_prefix|>"
        assert eot not in enc.encode(text, disallowed_special=())
        with pytest.raises(ValueError):
            enc.encode(text)
        with pytest.raises(ValueError):
            enc.encode(text, disallowed_special="all")
        with pytest.raises(ValueError):
            enc.encode(text, disallowed_special={"<|endoftext|>"})
        with pytest.raises(ValueError):
            enc.encode(text, disallowed_special={"<|fim_prefix|>"})

        text = "<|endoftext|> hello <|fim_prefix|> there <|fim_middle|>"
        tokens = enc.encode(text, disallowed_special=())
        assert eot not in tokens
        assert fip not in tokens
        assert fim not in tokens

        tokens = enc.encode(text, allowed_special="all", disallowed_special=())
        assert eot in tokens
        assert fip in tokens
        assert fim in tokens

        tokens = enc.encode(text, allowed_special="all", disallowed_special="all")
        assert eot in tokens
        assert fip in tokens
        assert fim in tokens

        tokens = enc.encode(text, allowed_special={"<|fim_prefix|>"}, disallowed_special=())
        assert eot not in tokens
        assert fip in tokens
        assert fim not in tokens

        tokens = enc.encode(text, allowed_special={"<|endoftext|>"}, disallowed_special=())
        assert eot in tokens
        assert fip not in tokens
        assert fim not in tokens

        tokens = enc.encode(text, allowed_special={"<|fim_middle|>"}, disallowed_special=())
        assert eot not in tokens
        assert fip not in tokens
        assert fim in tokens

    @pytest.mark.parametrize("make_enc", ENCODING_FACTORIES)
    @hypothesis.given(text=st.text())
    @hypothesis.settings(deadline=None, max_examples=MAX_EXAMPLES)
    def test_hyp_special_ordinary(self, make_enc, text: str):
        enc = make_enc()
        assert enc.encode_ordinary(text) == enc.encode(text, disallowed_special=())

    # ---- batch encoding
    @pytest.mark.parametrize("make_enc", ENCODING_FACTORIES)
    def test_batch_encode(self, make_enc):
        enc = make_enc()
        text1 = "hello world"
        text2 = "goodbye world"

        assert enc.encode_batch([text1]) == [enc.encode(text1)]
        assert enc.encode_batch([text1, text2]) == [enc.encode(text1), enc.encode(text2)]

        assert enc.encode_ordinary_batch([text1]) == [enc.encode_ordinary(text1)]
        assert enc.encode_ordinary_batch([text1, text2]) == [
            enc.encode_ordinary(text1),
            enc.encode_ordinary(text2),
        ]

    @pytest.mark.parametrize("make_enc", ENCODING_FACTORIES)
    @hypothesis.given(batch=st.lists(st.text()))
    @hypothesis.settings(deadline=None, max_examples=MAX_EXAMPLES)
    def test_hyp_batch_roundtrip(self, make_enc, batch):
        enc = make_enc()

        encoded = enc.encode_batch(batch, allowed_special="all")
        assert encoded == [enc.encode(t, allowed_special="all") for t in batch]
        decoded = enc.decode_batch(encoded)
        assert decoded == batch


# ==== tests/test_offsets.py ====================================================================
def _common_prefix_len(a, b):
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    return i


def _token_offsets_reference(enc, tokens):
    text = enc.decode(tokens, errors="strict")
    res = []
    for i in range(len(tokens)):
        prefix = enc.decode(tokens[:i], errors="ignore")
        res.append(_common_prefix_len(text, prefix))
    return res


def _has_token(enc, token: int) -> bool:
    """tiktoken's filter reads ``enc._special_tokens`` / ``enc._mergeable_ranks`` (private)."""
    try:
        enc.decode_single_token_bytes(token)
    except KeyError:
        return False
    return True


class TestOffsets:
    @pytest.mark.parametrize("make_enc", SOME_ENCODING_FACTORIES)
    @hypothesis.given(data=st.data())
    @hypothesis.settings(deadline=None, max_examples=MAX_EXAMPLES)
    def test_hyp_offsets(self, make_enc, data):
        enc = make_enc()

        tokens_st = st.lists(
            st.integers(0, enc.n_vocab - 1).filter(lambda x: _has_token(enc, x)),
            min_size=1,
            max_size=20,
        )
        tokens = data.draw(tokens_st)

        # This is a dumb hack to make sure that our tokens are a valid UTF-8 string
        # We could potentially drop this, see the TODO in decode_with_offsets
        tokens = enc.encode(enc.decode(tokens, errors="ignore"), allowed_special="all")
        assert enc.decode_with_offsets(tokens)[1] == _token_offsets_reference(enc, tokens)

    def test_basic_offsets(self, tiktoken):
        enc = tiktoken.get_encoding("cl100k_base")

        prompt = "hello world"
        p, o = enc.decode_with_offsets(enc.encode(prompt))
        assert p == prompt
        assert o == [0, 5]

        prompt = "hello world<|endoftext|> green cow"
        p, o = enc.decode_with_offsets(enc.encode(prompt, allowed_special="all"))
        assert p == prompt
        assert o == [0, 5, 11, 24, 30]

        prompt = "我非常渴望与人工智能一起工作"
        p, o = enc.decode_with_offsets(enc.encode(prompt))
        assert p == prompt
        assert o == [0, 1, 2, 3, 3, 4, 4, 5, 6, 7, 8, 8, 9, 10, 11, 12, 13]

        # contains the interesting tokens b'\xe0\xae\xbf\xe0\xae' and b'\xe0\xaf\x8d\xe0\xae'
        # in which \xe0 is the start of a 3-byte UTF-8 character
        prompt = "நடிகர் சூர்யா"
        p, o = enc.decode_with_offsets(enc.encode(prompt))
        assert p == prompt
        assert o == [0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 8, 8, 9, 9, 10, 11, 12, 12]

        # contains the interesting token b'\xa0\xe9\x99\xa4'
        # in which \xe9 is the start of a 3-byte UTF-8 character and \xa0 is a continuation byte
        prompt = " Ġ除"
        p, o = enc.decode_with_offsets(enc.encode(prompt))
        assert p == prompt
        assert o == [0, 1]


# ==== tests/test_misc.py =======================================================================
def _check_model(tiktoken, model: str, expected: str) -> None:
    """tiktoken's ``assert encoding_for_model(model).name == expected``; for an encoding that is
    not available here, the name from ``encoding_name_for_model`` (scratch must refuse the load)."""
    if expected in AVAILABLE:
        assert tiktoken.encoding_for_model(model).name == expected
        return
    assert tiktoken.encoding_name_for_model(model) == expected
    if tiktoken is tiktoken_api:
        with pytest.raises(ModelNotAvailableError, match=expected):
            tiktoken.encoding_for_model(model)


def _optional_blobfile_dependency(module: str) -> None:
    prog = f"""
import {module}
import sys
assert "blobfile" not in sys.modules
"""
    subprocess.check_call([sys.executable, "-c", prog])


class TestMisc:
    def test_encoding_for_model(self, tiktoken):
        _check_model(tiktoken, "gpt2", "gpt2")
        _check_model(tiktoken, "text-davinci-003", "p50k_base")
        _check_model(tiktoken, "text-davinci-edit-001", "p50k_edit")
        _check_model(tiktoken, "gpt-3.5-turbo-0301", "cl100k_base")
        _check_model(tiktoken, "gpt-4", "cl100k_base")
        _check_model(tiktoken, "gpt-4o", "o200k_base")
        _check_model(tiktoken, "gpt-oss-120b", "o200k_harmony")

    def test_optional_blobfile_dependency(self, tiktoken):
        _optional_blobfile_dependency("scratch.tokenizers.tiktoken_api" if tiktoken is tiktoken_api else "tiktoken")


# ==== tests/test_simple_public.py ==============================================================
class TestSimplePublic:
    def test_simple(self, tiktoken):
        # Note that there are more actual tests, they're just not currently public :-)
        enc = tiktoken.get_encoding("gpt2")
        assert enc.encode("hello world") == [31373, 995]
        assert enc.decode([31373, 995]) == "hello world"
        assert enc.encode("hello <|endoftext|>", allowed_special="all") == [31373, 220, 50256]

        enc = tiktoken.get_encoding("cl100k_base")
        assert enc.encode("hello world") == [15339, 1917]
        assert enc.decode([15339, 1917]) == "hello world"
        assert enc.encode("hello <|endoftext|>", allowed_special="all") == [15339, 220, 100257]

        for enc_name in tiktoken.list_encoding_names():
            enc = tiktoken.get_encoding(enc_name)
            for token in range(10_000):
                assert enc.encode_single_token(enc.decode_single_token_bytes(token)) == token

    def test_encoding_for_model(self, tiktoken):
        _check_model(tiktoken, "gpt2", "gpt2")
        _check_model(tiktoken, "text-davinci-003", "p50k_base")
        _check_model(tiktoken, "text-davinci-edit-001", "p50k_edit")
        _check_model(tiktoken, "gpt-3.5-turbo-0301", "cl100k_base")

    def test_optional_blobfile_dependency(self, tiktoken):
        _optional_blobfile_dependency("scratch.tokenizers.tiktoken_api" if tiktoken is tiktoken_api else "tiktoken")


# ==== tests/test_pickle.py =====================================================================
class TestPickle:
    def test_pickle(self, tiktoken):
        enc_old = tiktoken.get_encoding("gpt2")  # tiktoken: r50k_base
        enc_new = pickle.loads(pickle.dumps(enc_old))
        assert enc_old.encode("hello world") == enc_new.encode("hello world")
        # (the second half builds tiktoken.Encoding(pat_str=..., mergeable_ranks=...): not built here)
