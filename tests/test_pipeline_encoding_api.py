"""The pipeline's ``Encoding`` and batch/truncation/padding API against ``tokenizers`` 0.23.3.

Oracle: ``tokenizers.Tokenizer`` loaded from the same ``tokenizer.json``. For each tokenizer,
hypothesis draws a batch (texts and pairs, with non-ASCII text and the file's added tokens
mixed in), ``add_special_tokens``, a truncation (max_length, stride, every strategy, both
directions, or none) and a padding (fixed length or batch longest, pad_to_multiple_of, both
directions, or none). The reference runs ``encode_batch`` with them enabled
(``enable_truncation`` / ``enable_padding``), scratch runs ``encode_batch_full``; every field
of every encoding must be equal, the overflowing pieces recursively (ids, tokens, offsets,
type ids, special-tokens mask, attention mask, word ids, sequence ids, n_sequences), and so
must every lookup method (``char_to_token``, ``char_to_word``, ``token_to_chars``,
``token_to_word``, ``token_to_sequence``, ``word_to_tokens``, ``word_to_chars``) at every
position around the drawn text, each sequence index. Where the reference raises (``only_second``
without a pair, a sequence too short for ``only_*``, a stride too large, at ``enable_truncation``
or when it encodes), scratch must raise too. Then the ``Encoding`` methods themselves
(``truncate``, ``pad``, ``merge``) are applied with drawn arguments to equal encodings on
both sides and compared again.

Tokenizers: the real files all-MiniLM-L6-v2 and all-mpnet-base-v2 (BERT template, RoBERTa
processing), tokenizer-json-llama-3, -qwen2, -llama-2, -deepseek-v3 (ByteLevel + template,
ByteLevel only, Metaspace-like + template, many added tokens), and the chapter's pretrained
tokenizers written as tokenizer.json (``scratch.tokenizers.load(name).to_tokenizer_json()``),
read by both sides.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

import pytest
import tokenizers
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import scratch.tokenizers as scratch_tokenizers
from scratch.artifacts import fetch_file
from scratch.tokenizers.pipeline.encoding import Encoding
from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer
from scratch.tokenizers.pipeline.truncation import Padding, Truncation

os.environ.setdefault("RUST_BACKTRACE", "0")  # the reference's panics print less

REAL_FILES = {
    "minilm": ("all-MiniLM-L6-v2", "tokenizer.json"),
    "mpnet": ("all-mpnet-base-v2", "tokenizer.json"),
    "llama-3": ("tokenizer-json-llama-3", "tokenizer.json"),
    "qwen2": ("tokenizer-json-qwen2", "tokenizer.json"),
    "llama-2": ("tokenizer-json-llama-2", "tokenizer.json"),
    "deepseek-v3": ("tokenizer-json-deepseek-v3", "tokenizer.json"),
}

# The chapter's pretrained tokenizers that write a tokenizer.json. Left out, because
# ``to_tokenizer_json`` refuses them (NotExpressibleError; their own suites cover them):
#   cl100k_base: tiktoken never matches its special tokens in text, a tokenizer.json would;
#   botchan-unigram, kyoto-unigram: tokenizers' Unigram matches SentencePiece's control and
#   user-defined pieces differently, so no tokenizer.json gives SentencePiece's ids.
CHAPTER = ["bert-base-uncased", "bert-base-cased", "gpt2", "llama-2", "phi-3", "starcoder2", "qwen2", "llama-3", "smollm2"]
REFUSED = {"cl100k_base", "botchan-unigram", "kyoto-unigram"}


def _swapped_template(spec: dict) -> dict:
    """A template giving type id 1 to the first sequence and 0 to the second."""
    for piece in spec["post_processor"]["pair"] + spec["post_processor"]["single"]:
        (body,) = piece.values()
        body["type_id"] = 1 - body["type_id"]
    return spec


def _bert_processing(spec: dict) -> dict:
    spec["post_processor"] = {"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]}
    return spec


def _byte_level_then_roberta(spec: dict) -> dict:
    eot = ["<|endoftext|>", 50256]
    spec["post_processor"] = {"type": "Sequence", "processors": [
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        {"type": "RobertaProcessing", "sep": eot, "cls": eot, "trim_offsets": True, "add_prefix_space": False},
    ]}  # fmt: skip
    return spec


def _byte_level_trimming(spec: dict) -> dict:
    spec["post_processor"] = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
    return spec


# Post-processors no file above has, on a real vocabulary: (base, change to its tokenizer.json).
VARIANTS = {
    "minilm-bert-processing": ("file:minilm", _bert_processing),
    "minilm-swapped-template": ("file:minilm", _swapped_template),
    "gpt2-byte-level-trimming": ("chapter:gpt2", _byte_level_trimming),
    "gpt2-byte-level-then-roberta": ("chapter:gpt2", _byte_level_then_roberta),
}

NAMES = [f"file:{n}" for n in REAL_FILES] + [f"chapter:{n}" for n in CHAPTER] + [f"variant:{n}" for n in VARIANTS]

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_the_chapter_list_is_every_pretrained_tokenizer_but_the_refused():
    assert set(CHAPTER) | REFUSED == set(scratch_tokenizers.PRETRAINED)


@lru_cache(maxsize=None)
def loaded(name: str) -> tuple[PipelineTokenizer, tokenizers.Tokenizer, tuple[str, ...]]:
    """(scratch, reference, a few of its added tokens), truncation and padding off on both."""
    text = tokenizer_json(name)
    key = name.split(":")[1]
    reference = tokenizers.Tokenizer.from_str(text)
    reference.no_truncation()
    reference.no_padding()
    ours = PipelineTokenizer.from_json(json.loads(text), name=key)
    ours.no_truncation()
    ours.no_padding()
    added = sorted(t.content for t in reference.get_added_tokens_decoder().values())
    return ours, reference, tuple(added[:: max(1, len(added) // 6)])


def tokenizer_json(name: str) -> str:
    kind, key = name.split(":")
    if kind == "file":
        return fetch_file(*REAL_FILES[key]).read_text(encoding="utf-8")
    if kind == "chapter":
        return json.dumps(scratch_tokenizers.load(key).to_tokenizer_json())
    base, change = VARIANTS[key]
    return json.dumps(change(json.loads(tokenizer_json(base))))


# ---- drawing ---------------------------------------------------------------------------------

PIECES = ["hello", " world", "café", "東京", "🎵", "e\u0301", "\u3000", "\t", "\n", "  ", "don't", "123", ".", " the",
          "Ġ", "naïve", "ß", "\u00a0", "x"]  # fmt: skip


def texts(added: tuple[str, ...]):
    pieces = st.sampled_from(PIECES + list(added)) if added else st.sampled_from(PIECES)
    return st.lists(pieces, max_size=9).map("".join)


def inputs(added: tuple[str, ...]):
    one = st.one_of(texts(added), st.tuples(texts(added), texts(added)))
    return st.lists(one, min_size=1, max_size=3)


TRUNCATION = st.one_of(
    st.none(),
    st.fixed_dictionaries({
        "max_length": st.integers(0, 18),
        "stride": st.integers(0, 4),
        "strategy": st.sampled_from(["longest_first", "only_first", "only_second"]),
        "direction": st.sampled_from(["left", "right"]),
    }),
)  # fmt: skip
PADDING = st.one_of(
    st.none(),
    st.fixed_dictionaries({
        "direction": st.sampled_from(["left", "right"]),
        "pad_id": st.integers(0, 5),
        "pad_type_id": st.integers(0, 2),
        "pad_token": st.sampled_from(["[PAD]", "<pad>", "é"]),
        "length": st.one_of(st.none(), st.integers(0, 24)),
        "pad_to_multiple_of": st.one_of(st.none(), st.integers(1, 8)),
    }),
)  # fmt: skip


# ---- comparing -------------------------------------------------------------------------------

FIELDS = ("ids", "tokens", "offsets", "type_ids", "special_tokens_mask", "attention_mask", "word_ids", "sequence_ids")


def assert_same_encoding(got: Encoding, expected, where: str = "encoding") -> None:
    """Every field, the lookups, and the overflowing pieces recursively."""
    for name in FIELDS:
        assert list(getattr(got, name)) == list(getattr(expected, name)), f"{where}.{name}"
    assert got.n_sequences == expected.n_sequences, f"{where}.n_sequences"
    assert len(got) == len(expected), f"{where}: len"
    assert_same_lookups(got, expected, where)
    assert len(got.overflowing) == len(expected.overflowing), f"{where}: number of overflowing pieces"
    for i, (mine, theirs) in enumerate(zip(got.overflowing, expected.overflowing)):
        assert_same_encoding(mine, theirs, f"{where}.overflowing[{i}]")


def assert_same_lookups(got: Encoding, expected, where: str) -> None:
    n_chars = max((end for _, end in expected.offsets), default=0)
    n_words = max((w for w in expected.word_ids if w is not None), default=-1) + 1
    for token in range(len(expected) + 2):
        for method in ("token_to_chars", "token_to_word", "token_to_sequence"):
            assert getattr(got, method)(token) == getattr(expected, method)(token), f"{where}.{method}({token})"
    for sequence in range(3):
        for pos in range(n_chars + 2):
            for method in ("char_to_token", "char_to_word"):
                assert getattr(got, method)(pos, sequence) == getattr(expected, method)(pos, sequence), (
                    f"{where}.{method}({pos}, {sequence})")  # fmt: skip
        for word in range(n_words + 2):
            for method in ("word_to_tokens", "word_to_chars"):
                assert getattr(got, method)(word, sequence) == getattr(expected, method)(word, sequence), (
                    f"{where}.{method}({word}, {sequence})")  # fmt: skip


def reference_batch(reference, batch, add_special_tokens, truncation, padding):
    """The reference's encodings, or ``(stage, exception)`` where it raised: at ``"enable"``
    (``enable_truncation`` refuses the settings) or at ``"encode"``. Settings restored after."""
    stage = "enable"
    try:
        if truncation is not None:
            reference.enable_truncation(**truncation)
        if padding is not None:
            reference.enable_padding(**padding)
        stage = "encode"
        return reference.encode_batch(batch, add_special_tokens=add_special_tokens)
    except BaseException as exc:  # a Rust panic is a BaseException (pyo3_runtime.PanicException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return stage, exc
    finally:
        reference.no_truncation()
        reference.no_padding()


@pytest.mark.parametrize("name", NAMES)
def test_encode_batch_as_the_reference(name):
    ours, reference, added = loaded(name)

    @SETTINGS
    @given(batch=inputs(added), add_special_tokens=st.booleans(), truncation=TRUNCATION, padding=PADDING)
    def check(batch, add_special_tokens, truncation, padding):
        expected = reference_batch(reference, batch, add_special_tokens, truncation, padding)
        truncation_settings = Truncation.from_arguments(**truncation) if truncation else None
        padding_settings = Padding.from_arguments(**padding) if padding else None
        if isinstance(expected, tuple):
            stage, exc = expected
            note(f"the reference raised at {stage}: {exc!r:.200}")
            with pytest.raises(ValueError):
                if stage == "enable":  # the state API refuses a stride too large as the reference does
                    ours.enable_truncation(**truncation)
                else:
                    ours.encode_batch_full(batch, add_special_tokens, truncation_settings, padding_settings)
            return
        got = ours.encode_batch_full(batch, add_special_tokens, truncation_settings, padding_settings)
        assert len(got) == len(expected)
        for i, (mine, theirs) in enumerate(zip(got, expected)):
            assert_same_encoding(mine, theirs, f"batch[{i}]")

    check()


@pytest.mark.parametrize("name", ["file:minilm", "file:mpnet", "file:llama-3", "chapter:gpt2", "chapter:llama-2"])
def test_state_api_and_encode_full_as_the_reference(name):
    """``enable_truncation`` / ``enable_padding`` then ``encode_full`` (``Tokenizer.encode``
    with the settings on), and the settings read back as the reference's dicts."""
    ours, reference, added = loaded(name)

    @SETTINGS
    @given(pair=st.tuples(texts(added), st.one_of(st.none(), texts(added))), add_special_tokens=st.booleans(),
           truncation=TRUNCATION, padding=PADDING)  # fmt: skip
    def check(pair, add_special_tokens, truncation, padding):
        try:
            try:
                if truncation is not None:
                    reference.enable_truncation(**truncation)
                if padding is not None:
                    reference.enable_padding(**padding)
                expected = reference.encode(*pair, add_special_tokens=add_special_tokens)
            except BaseException as exc:
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                expected = exc
            truncation_dict, padding_dict = reference.truncation, reference.padding
        finally:
            reference.no_truncation()
            reference.no_padding()
        try:
            if isinstance(expected, BaseException):
                with pytest.raises(Exception):
                    if truncation is not None:
                        ours.enable_truncation(**truncation)
                    if padding is not None:
                        ours.enable_padding(**padding)
                    ours.encode_full(*pair, add_special_tokens=add_special_tokens)
                return
            if truncation is not None:
                ours.enable_truncation(**truncation)
            if padding is not None:
                ours.enable_padding(**padding)
            assert (ours.truncation and ours.truncation.as_dict()) == truncation_dict
            assert (ours.padding and ours.padding.as_dict()) == padding_dict
            assert_same_encoding(ours.encode_full(*pair, add_special_tokens=add_special_tokens), expected)
        finally:
            ours.no_truncation()
            ours.no_padding()

    check()


@pytest.mark.parametrize("name", ["file:minilm", "file:mpnet", "file:llama-3", "chapter:bert-base-cased", "chapter:phi-3"])
def test_encoding_methods_as_the_reference(name):
    """``Encoding.truncate``, ``pad`` and ``merge`` with drawn arguments, applied to equal
    encodings (a text or a pair, with special tokens) on both sides."""
    ours, reference, added = loaded(name)

    @SETTINGS
    @given(
        firsts=st.lists(st.tuples(texts(added), st.one_of(st.none(), texts(added))), min_size=1, max_size=3),
        truncate=st.one_of(st.none(), st.tuples(st.integers(0, 12), st.integers(0, 4), st.sampled_from(["left", "right"]))),
        pad=st.one_of(st.none(), st.tuples(st.integers(0, 20), st.sampled_from(["left", "right"]), st.integers(0, 9),
                                           st.integers(0, 3), st.sampled_from(["[PAD]", "<p>"]))),
        growing_offsets=st.booleans(),
    )  # fmt: skip
    def check(firsts, truncate, pad, growing_offsets):
        got = [ours.encode_full(a, b) for a, b in firsts]
        expected = [reference.encode(a, b) for a, b in firsts]
        for mine, theirs in zip(got, expected):
            assert_same_encoding(mine, theirs)
        if truncate is not None:
            max_length, stride, direction = truncate
            for mine, theirs in zip(got, expected):
                try:
                    theirs.truncate(max_length, stride=stride, direction=direction)
                except BaseException as exc:  # stride >= max_length: the reference panics
                    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                        raise
                    with pytest.raises(ValueError):
                        mine.truncate(max_length, stride=stride, direction=direction)
                    return
                mine.truncate(max_length, stride=stride, direction=direction)
                assert_same_encoding(mine, theirs, "truncated")
        if pad is not None:
            length, direction, pad_id, pad_type_id, pad_token = pad
            for mine, theirs in zip(got, expected):
                theirs.pad(length, direction=direction, pad_id=pad_id, pad_type_id=pad_type_id, pad_token=pad_token)
                mine.pad(length, direction=direction, pad_id=pad_id, pad_type_id=pad_type_id, pad_token=pad_token)
                assert_same_encoding(mine, theirs, "padded")
        assert_same_encoding(Encoding.merge(got, growing_offsets), tokenizers.Encoding.merge(expected, growing_offsets), "merged")

    check()


def test_errors_as_the_reference():
    """Arguments the reference refuses are refused (the same exception class where it
    raises one; where it panics, a ``ValueError``)."""
    ours, reference, _ = loaded("file:minilm")
    for kwargs in ({"strategy": "longest"}, {"direction": "up"}, {"stride": 127}):
        with pytest.raises(ValueError):
            reference.enable_truncation(128, **kwargs)
        with pytest.raises(ValueError):
            ours.enable_truncation(128, **kwargs)
    with pytest.raises(ValueError):
        reference.enable_padding(direction="up")
    with pytest.raises(ValueError):
        ours.enable_padding(direction="up")
    with pytest.raises(OverflowError):
        reference.enable_truncation(-1)
    with pytest.raises(OverflowError):
        ours.enable_truncation(-1)
    expected, got = reference.encode("a b c"), ours.encode_full("a b c")
    for method, args in (("char_to_token", (-1,)), ("token_to_chars", (-1,)), ("word_to_tokens", (0, -1))):
        with pytest.raises(OverflowError):
            getattr(expected, method)(*args)
        with pytest.raises(OverflowError):
            getattr(got, method)(*args)
    for method in ("pad", "truncate"):
        with pytest.raises(ValueError):
            getattr(expected, method)(3, direction="up")
        with pytest.raises(ValueError):
            getattr(got, method)(3, direction="up")
    # only_second without a pair, and a first sequence too short for only_first
    for strategy, args in (("only_second", ("a b c d e f g h",)), ("only_first", ("a", "b c d e f g h i j k"))):
        try:
            reference.enable_truncation(5, strategy=strategy)
            with pytest.raises(Exception, match="Truncation error"):
                reference.encode(*args)
        finally:
            reference.no_truncation()
        with pytest.raises(ValueError, match="Truncation error"):
            batch = [args if len(args) == 2 else args[0]]
            ours.encode_batch_full(batch, truncation=Truncation.from_arguments(5, strategy=strategy))
    with pytest.raises(TypeError):
        ours.encode_batch_full("not a list")
    with pytest.raises(TypeError):
        ours.encode_batch_full([("a", "b", "c")])


def test_words_is_a_deprecated_alias():
    ours, reference, _ = loaded("file:minilm")
    expected, got = reference.encode("hello world"), ours.encode_full("hello world")
    with pytest.deprecated_call():
        assert got.words == expected.word_ids


@pytest.mark.parametrize("name", ["file:mpnet", "variant:minilm-swapped-template", "variant:minilm-bert-processing",
                                  "variant:gpt2-byte-level-then-roberta", "file:llama-3"])
def test_overflowing_pieces_keep_their_type_ids_and_ranges(name):
    """Fixed cases for what random batches rarely reach: a template (or ``RobertaProcessing``
    without special tokens) sets the type ids of a sequence but not of its overflowing pieces;
    pairs whose both sequences overflow make nested pieces."""
    ours, reference, _ = loaded(name)
    batch = [("one two three four five six seven eight nine ten eleven twelve",
              "thirteen is the one after twelve and before fourteen, then comes fifteen")]
    for add_special_tokens in (True, False):
        for strategy in ("longest_first", "only_first", "only_second"):
            for direction in ("left", "right"):
                truncation = {"max_length": 24, "stride": 2, "strategy": strategy, "direction": direction}
                padding = {"direction": "left", "pad_to_multiple_of": 4}
                expected = reference_batch(reference, batch, add_special_tokens, truncation, padding)
                assert not isinstance(expected, tuple), expected
                got = ours.encode_batch_full(batch, add_special_tokens, Truncation.from_arguments(**truncation),
                                             Padding.from_arguments(**padding))  # fmt: skip
                assert len(got[0].overflowing) > 0
                assert_same_encoding(got[0], expected[0])
