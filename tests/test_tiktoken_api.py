"""scratch's tiktoken surface (``scratch.tokenizers.tiktoken_api``) against tiktoken itself.

tiktoken is the oracle, on both encodings available here (``gpt2``, ``cl100k_base``), loaded
offline from the artifacts (:func:`reference_encoding`). Hypothesis draws texts with special
tokens (whole, cut, doubled) spliced into non-ASCII text, and the options: ``allowed_special``
and ``disallowed_special`` (``"all"``, empty, subsets, strings that are not special tokens),
errors modes, thread counts, token id lists (valid ids, special ids, ids that cut characters).
A call compares equal when both give the same value, or both raise the same exception type
(and, for the special-token ``ValueError`` and ``KeyError``, the same message).

Also checked: the vocabulary (``n_vocab``, ``max_token_value``, ``eot_token``,
``special_tokens_set``, ``token_byte_values``, ``is_special_token``, every id through
``decode_single_token_bytes`` / ``encode_single_token``), bad ids, the registry and model
table, the refusals, pickling, and the special-token policy of ``scratch.tokenizers.load``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch import tokenizers
from scratch.artifacts import cache_dir, fetch_file
from scratch.errors import ModelNotAvailableError
from scratch.tokenizers import tiktoken_api

ENCODINGS = ["gpt2", "cl100k_base"]

#: The files tiktoken reads for each encoding (tiktoken_ext/openai_public.py): URL -> artifact file.
#: The gpt2 artifact's files are OpenAI's ``vocab.bpe`` and ``encoder.json`` (tiktoken checks
#: their pinned sha256, so a different file would fail to load, not load differently).
_TIKTOKEN_FILES = {
    "gpt2": {
        "https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/vocab.bpe": ("gpt2", "merges.txt"),
        "https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/encoder.json": ("gpt2", "vocab.json"),
    },
    "cl100k_base": {
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken": ("cl100k_base", "cl100k_base.tiktoken"),
    },
}


def reference_encoding(name: str):
    """tiktoken's own encoding ``name``, offline: its files are put in a ``TIKTOKEN_CACHE_DIR``
    under the names tiktoken looks for (``sha1(url)``, tiktoken/load.py ``read_file_cached``)."""
    import tiktoken

    folder = cache_dir() / "derived" / "tiktoken"
    folder.mkdir(parents=True, exist_ok=True)
    for url, (artifact, file) in _TIKTOKEN_FILES[name].items():
        source, target = fetch_file(artifact, file), folder / hashlib.sha1(url.encode()).hexdigest()
        if not target.exists() or target.stat().st_size != Path(source).stat().st_size:
            shutil.copyfile(source, target.with_suffix(".tmp"))
            os.replace(target.with_suffix(".tmp"), target)
    before = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(folder)
    try:
        return tiktoken.get_encoding(name)
    finally:
        if before is None:
            del os.environ["TIKTOKEN_CACHE_DIR"]
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = before


@pytest.fixture(scope="module", params=ENCODINGS)
def pair(request):
    """(scratch's Encoding, tiktoken's Encoding) for one encoding name."""
    return tiktoken_api.get_encoding(request.param), reference_encoding(request.param)


def outcome(call, *args, **kwargs):
    """What a call gives: ("ok", value) or ("raises", exception type[, message])."""
    try:
        value = call(*args, **kwargs)
    except (ValueError, KeyError) as error:
        return ("raises", type(error), str(error))
    except Exception as error:  # the type is what both must agree on
        return ("raises", type(error))
    return ("ok", value.tolist() if hasattr(value, "tolist") else value)


def same(scratch_enc, reference_enc, method: str, *args, **kwargs):
    expected = outcome(getattr(reference_enc, method), *args, **kwargs)
    got = outcome(getattr(scratch_enc, method), *args, **kwargs)
    assert got == expected, (method, args, kwargs)
    return expected


# ---- strategies ----------------------------------------------------------------------------
SPECIALS = ["<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>"]
FRAGMENTS = [
    *SPECIALS,
    "<|endoftext",
    "endoftext|>",
    "<|",
    "|>",
    "<|endoftext|><|endoftext|>",
    "<<|endoftext|>>",
    " <|endoftext|> ",
    "<|notspecial|>",
    "hello world",
    " héllo",
    "naïve café",
    "你好，世界",
    "我非常渴望与人工智能一起工作",
    "நடிகர் சூர்யா",
    "🎵🎶 👍🏽",
    "e\u0301\u0302",
    "\u00a0\u2003\u3000",
    "\r\n\t  \n\n",
    "   ",
    "123456789",
    "'s 'LL 're",
    "def f(x):\n    return x**2\n",
    " Ġ除",
]
text_char = st.characters(blacklist_categories=("Cs",))  # no lone surrogates
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(text_char, max_size=12)), max_size=8).map("".join)


def special_option(name_all: bool = True):
    choices = [
        st.just(set()),
        st.just(frozenset()),
        st.sets(st.sampled_from(SPECIALS + ["<|notspecial|>"]), max_size=3),
        st.frozensets(st.sampled_from(SPECIALS), max_size=3),
    ]
    return st.one_of(st.just("all"), *choices) if name_all else st.one_of(*choices)


disallowed_options = st.one_of(special_option(), st.just(()), st.lists(st.sampled_from(SPECIALS), max_size=2).map(tuple))


# ---- encoding ------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(text=texts, allowed=special_option(), disallowed=disallowed_options)
def test_encode_with_special_options(pair, text, allowed, disallowed):
    enc, ref = pair
    expected = same(enc, ref, "encode", text, allowed_special=allowed, disallowed_special=disallowed)
    same(enc, ref, "encode_to_numpy", text, allowed_special=allowed, disallowed_special=disallowed)
    if expected[0] == "raises" and expected[1] is ValueError:
        assert "disallowed special token" in expected[2]


@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_encode_defaults_and_ordinary(pair, text):
    enc, ref = pair
    same(enc, ref, "encode", text)
    same(enc, ref, "encode_ordinary", text)
    same(enc, ref, "encode", text, disallowed_special=())
    same(enc, ref, "encode", text, allowed_special="all")


@settings(max_examples=40, deadline=None)
@given(
    batch=st.lists(texts, max_size=5),
    allowed=special_option(),
    disallowed=disallowed_options,
    threads=st.sampled_from([1, 2, 8]),
)
def test_batch_encode(pair, batch, allowed, disallowed, threads):
    enc, ref = pair
    same(enc, ref, "encode_batch", batch, num_threads=threads, allowed_special=allowed, disallowed_special=disallowed)
    same(enc, ref, "encode_batch", batch, num_threads=threads)
    same(enc, ref, "encode_ordinary_batch", batch, num_threads=threads)


def test_batches_of_real_text_on_threads_are_tiktokens(pair):
    """Hundreds of book paragraphs and source blocks on 4 threads at once: long enough for
    the whole-text compiled encoder (:mod:`scratch.tokenizers.bytelevel_numba`, which runs
    without the GIL) to be built and used by several threads together; the ids are tiktoken's
    and the same as one thread's."""
    from text_corpora import blocks, english, python_source

    enc, ref = pair
    batch = [block for block in blocks(english(300_000) + python_source(100_000), size=400) if len(block) >= 32][:400]
    assert len(batch) >= 100 and sum(map(len, batch)) > 50_000
    expected = ref.encode_ordinary_batch(batch, num_threads=4)
    assert enc.encode_ordinary_batch(batch, num_threads=4) == expected
    assert enc.encode_batch(batch, num_threads=4, disallowed_special=()) == ref.encode_batch(batch, num_threads=4,
                                                                                               disallowed_special=())
    assert [enc.encode_ordinary(text) for text in batch] == expected


def test_disallowed_message_is_tiktokens(pair):
    enc, ref = pair
    for text in ["hello <|endoftext|>", "x<|fim_middle|>y", "<|endofprompt|>"]:
        if not any(s in ref.special_tokens_set for s in SPECIALS if s in text):
            continue
        assert outcome(enc.encode, text) == outcome(ref.encode, text)
        assert outcome(enc.encode, text)[0] == "raises"
    # a disallowed string that is not a special token is still refused, as tiktoken does
    assert outcome(enc.encode, "a<|foo|>", disallowed_special={"<|foo|>"}) == outcome(
        ref.encode, "a<|foo|>", disallowed_special={"<|foo|>"}
    )


@pytest.mark.parametrize("bad", [5, b"bytes", None])
def test_encode_type_errors(pair, bad):
    enc, ref = pair
    for method in ["encode", "encode_ordinary"]:
        with pytest.raises(TypeError):
            getattr(ref, method)(bad)
        with pytest.raises(TypeError):
            getattr(enc, method)(bad)
    same(enc, ref, "encode", "a<|endoftext|>", allowed_special=["<|endoftext|>"], disallowed_special=())
    same(enc, ref, "encode", "x", allowed_special="bogus")
    same(enc, ref, "encode", "bogus", disallowed_special="bogus")


def test_lone_surrogates_are_replaced_as_tiktoken_does(pair):
    """tiktoken replaces a lone surrogate by U+FFFD (after joining valid pairs), also for gpt2,
    whose ``scratch.tokenizers.load`` tokenizer refuses such text as ``tokenizers`` does."""
    enc, ref = pair
    for text in ["\ud83d\udc4d", "a\ud800b", "\udfff <|endoftext|> \ud83d", "\ud83d"]:
        same(enc, ref, "encode_ordinary", text)
        same(enc, ref, "encode", text, allowed_special="all")
        same(enc, ref, "encode_batch", [text], allowed_special="all")


# ---- decoding ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def id_pair(pair):
    """(scratch, tiktoken, strategy of id lists): ids that have a token (specials included),
    many of them single bytes 0x80..0xFF, which cut characters."""
    enc, ref = pair
    mergeable = sorted(ref._mergeable_ranks.values())
    byte_ids = [ref._mergeable_ranks[bytes([b])] for b in range(128, 256)]
    specials = sorted(ref._special_tokens.values())
    ids = st.lists(st.one_of(st.sampled_from(mergeable), st.sampled_from(specials), st.sampled_from(byte_ids)), max_size=12)
    return enc, ref, ids


@settings(max_examples=150, deadline=None)
@given(data=st.data(), errors=st.sampled_from(["replace", "ignore", "strict", "backslashreplace"]))
def test_decode_methods(id_pair, data, errors):
    enc, ref, id_lists = id_pair
    ids = data.draw(id_lists)
    same(enc, ref, "decode", ids, errors=errors)
    same(enc, ref, "decode", ids)
    same(enc, ref, "decode_bytes", ids)
    same(enc, ref, "decode_tokens_bytes", ids)
    same(enc, ref, "decode_with_offsets", ids)  # strict: a cut character raises in both
    batch = [ids, ids[: len(ids) // 2], []]
    same(enc, ref, "decode_batch", batch, errors=errors, num_threads=2)
    same(enc, ref, "decode_bytes_batch", batch)


@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_decode_with_offsets_of_encoded_text(pair, text):
    """Offsets of real encodings, where tokens cut multi-byte characters (CJK, Tamil, emoji)."""
    enc, ref = pair
    ids = ref.encode(text, allowed_special="all")
    assert enc.decode_with_offsets(ids) == ref.decode_with_offsets(ids)
    assert enc.decode(ids) == text


def test_bad_ids(pair):
    enc, ref = pair
    holes = [i for i in range(ref.n_vocab) if outcome(ref.decode_single_token_bytes, i)[0] == "raises"]
    for ids in [[ref.n_vocab], [10**6], [2**32 - 1], [2**32], [-1], [1, -5], [1.0], ["a"], [True], *[[h] for h in holes[:20]]]:
        for method in ["decode", "decode_bytes", "decode_tokens_bytes", "decode_with_offsets"]:
            same(enc, ref, method, ids)
        same(enc, ref, "decode_single_token_bytes", ids[-1])
        same(enc, ref, "decode_batch", [[0], ids])
    for not_a_sequence in [iter([1, 2]), {1: 2}, 5]:
        same(enc, ref, "decode_bytes", not_a_sequence)
    for tokens in [(1, 2), range(5)]:
        same(enc, ref, "decode", tokens)


# ---- the vocabulary ------------------------------------------------------------------------
def test_vocabulary_attributes(pair):
    enc, ref = pair
    assert (enc.name, repr(enc)) == (ref.name, repr(ref))
    assert enc.n_vocab == ref.n_vocab
    assert enc.max_token_value == ref.max_token_value
    assert enc.eot_token == ref.eot_token
    assert enc.special_tokens_set == ref.special_tokens_set
    assert isinstance(enc.special_tokens_set, set)
    assert enc.token_byte_values() == ref.token_byte_values()
    assert [enc.is_special_token(i) for i in range(ref.n_vocab + 5)] == [ref.is_special_token(i) for i in range(ref.n_vocab + 5)]
    assert outcome(enc.is_special_token, "a")[:2] == outcome(ref.is_special_token, "a")[:2]


def test_every_id_round_trips_as_in_tiktoken(pair):
    enc, ref = pair
    for i in range(ref.n_vocab + 2):
        expected = outcome(ref.decode_single_token_bytes, i)
        assert outcome(enc.decode_single_token_bytes, i) == expected
        if expected[0] == "ok":
            assert enc.encode_single_token(expected[1]) == i
    for text in ["hello", "<|endoftext|>", "hellozzz", b"\xff", b"", "<|fim_prefix|>", 5]:
        same(enc, ref, "encode_single_token", text)


# ---- registry, model table, refusals ---------------------------------------------------------
def test_model_table_is_tiktokens():
    import tiktoken.model

    assert tiktoken_api.MODEL_TO_ENCODING == tiktoken.model.MODEL_TO_ENCODING
    assert list(tiktoken_api.MODEL_PREFIX_TO_ENCODING.items()) == list(tiktoken.model.MODEL_PREFIX_TO_ENCODING.items())


@settings(max_examples=100, deadline=None)
@given(
    model=st.one_of(
        st.sampled_from(sorted(tiktoken_api.MODEL_TO_ENCODING)),
        st.tuples(st.sampled_from(sorted(tiktoken_api.MODEL_PREFIX_TO_ENCODING)), st.text(max_size=6)).map("".join),
        st.text(max_size=10),
    )
)
def test_encoding_for_model(model):
    import tiktoken

    expected = outcome(tiktoken.encoding_name_for_model, model)
    assert outcome(tiktoken_api.encoding_name_for_model, model) == expected
    if expected[0] == "raises":
        assert outcome(tiktoken_api.encoding_for_model, model) == expected
    elif expected[1] in tiktoken_api.AVAILABLE_ENCODINGS:
        assert tiktoken_api.encoding_for_model(model) is tiktoken_api.get_encoding(expected[1])
    else:
        with pytest.raises(ModelNotAvailableError, match="gpt2, cl100k_base"):
            tiktoken_api.encoding_for_model(model)


def test_registry():
    import tiktoken

    assert tiktoken_api.list_encoding_names() == [n for n in tiktoken.list_encoding_names() if n in ("gpt2", "cl100k_base")]
    assert tiktoken_api.get_encoding("gpt2") is tiktoken_api.get_encoding("gpt2")
    assert tiktoken_api.encoding_for_model("gpt-4").name == "cl100k_base"
    assert tiktoken_api.encoding_for_model("gpt2").name == "gpt2"
    for name in ["o200k_base", "p50k_base", "p50k_edit", "r50k_base", "o200k_harmony"]:
        with pytest.raises(ModelNotAvailableError, match="available: gpt2, cl100k_base"):
            tiktoken_api.get_encoding(name)
    with pytest.raises(ModelNotAvailableError, match="o200k_base"):
        tiktoken_api.encoding_for_model("gpt-4o")
    # as tiktoken: a non-string or an unknown name is a ValueError
    for bad in [5, "nope"]:
        with pytest.raises(ValueError):
            tiktoken.get_encoding(bad)
        with pytest.raises(ValueError) as caught:
            tiktoken_api.get_encoding(bad)
        assert not isinstance(caught.value, ModelNotAvailableError)


def test_pickle_by_name(pair):
    enc, _ = pair
    assert pickle.loads(pickle.dumps(enc)) is enc


def test_encode_with_unstable_is_refused(pair):
    enc, _ = pair
    with pytest.raises(tiktoken_api.UnsupportedMethodError, match="encode_with_unstable is not built"):
        enc.encode_with_unstable("hello fanta")
    assert isinstance(tiktoken_api.UnsupportedMethodError("x"), NotImplementedError)


# ---- the two special-token policies -----------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(text=texts)
def test_gpt2_surface_equals_scratch_gpt2_on_ordinary_text(text):
    """tiktoken's ``gpt2`` and ``scratch.tokenizers.load("gpt2")`` (transformers' GPT-2) give the
    same ids on text without ``<|endoftext|>``: the same ranks, the same split."""
    text = text.replace("<|endoftext|>", "<|endoftext>")
    enc, tok = tiktoken_api.get_encoding("gpt2"), _scratch_tokenizer("gpt2")
    assert enc.encode(text) == tok.encode(text) == tok.encode_ordinary(text)


def _scratch_tokenizer(name: str):
    cached = _TOKENIZERS.get(name)
    if cached is None:
        cached = _TOKENIZERS[name] = tokenizers.load(name)
    return cached


_TOKENIZERS: dict = {}


def test_special_token_policies():
    """Through the tiktoken surface both encodings raise on special-token text by default;
    ``load(name).encode`` keeps its reference's policy: gpt2 matches ``<|endoftext|>``
    (transformers), cl100k_base never does (tiktoken's ``encode_ordinary``)."""
    text = "hi <|endoftext|> there"
    gpt2, cl100k = _scratch_tokenizer("gpt2"), _scratch_tokenizer("cl100k_base")
    for name in ENCODINGS:
        with pytest.raises(ValueError, match="disallowed special token '<\\|endoftext\\|>'"):
            tiktoken_api.get_encoding(name).encode(text)
    assert gpt2.encode(text) == tiktoken_api.get_encoding("gpt2").encode(text, allowed_special="all")
    assert 50256 in gpt2.encode(text)
    assert cl100k.encode(text) == tiktoken_api.get_encoding("cl100k_base").encode_ordinary(text)
    assert 100257 not in cl100k.encode(text)
    assert gpt2.encode_ordinary(text) == tiktoken_api.get_encoding("gpt2").encode(text, disallowed_special=())
    assert tiktoken_api.get_encoding("gpt2").eot_token == 50256
    assert tiktoken_api.get_encoding("gpt2").special_tokens_set == {"<|endoftext|>"}
