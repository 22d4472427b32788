"""``tokenizers``' own Python binding tests of the Encoding and of encode / truncation /
padding, ported to the pipeline (``PipelineTokenizer``, ``Encoding``).

Source: huggingface/tokenizers, ``bindings/python/tests/bindings/``. The test names and the
expected values are the originals'. The tokenizers are built from ``tokenizer.json`` dicts
equal to what the originals' constructors give (``test_the_dicts_are_the_originals_tokenizers``
compares them with ``tokenizers``' own ``to_str``). Calls map as: ``Tokenizer.encode(a, b)`` ->
``encode_full(a, b)``; ``encode_batch(inputs)`` -> ``encode_batch_full(inputs, truncation=
tokenizer.truncation, padding=tokenizer.padding)``; ``tokenizer.truncation`` /
``tokenizer.padding`` (dicts) -> ``.truncation.as_dict()`` / ``.padding.as_dict()``.

Ported from ``test_encoding.py`` (``TestEncoding``, all of it): test_sequence_ids,
test_n_sequences, test_word_to_tokens, test_word_to_chars, test_token_to_sequence,
test_token_to_chars, test_token_to_word, test_char_to_token, test_char_to_word,
test_truncation, test_invalid_truncate_direction. ``bert_files["vocab"]`` is
bert-base-uncased's vocab.txt, the ``bert-base-uncased`` artifact here (the same file).

Ported from ``test_tokenizer.py`` (``TestTokenizer``):

* test_encode: all but pickling the Encoding and the pre-tokenized input (below);
* test_encode_formats: every non-pre-tokenized input (lists and tuples of texts and of
  pairs) and the malformed inputs that are not pre-tokenized (TypeError; the reference's
  message names its own Rust types, so only the class is compared);
* test_encode_add_special_tokens: ``roberta_files`` (roberta-base's vocab.json and
  merges.txt, from the hub) cannot be downloaded here: GPT-2's vocab.json and merges.txt
  (the ``gpt2`` artifact, the byte-level BPE RoBERTa's was trained from) stand in; the
  original expected tokens still hold, and are checked against ``tokenizers`` running the
  same tokenizer.json as well;
* test_truncation, test_padding, test_post_process: all of them.

Not ported (does not apply):

* pickling / ``copy`` of Encoding and Tokenizer: a Python-object feature, not behaviour;
* ``is_pretokenized`` inputs (test_encode, test_encode_formats): the pipeline encodes text;
* numpy arrays as batches (test_encode_formats): the batch API takes lists and tuples;
* TestAddedToken, test_add_tokens*, test_add_special_tokens, setters of components
  (``tokenizer.post_processor = ...``), test_setting_to_none: Python-object setters; the
  added-token behaviour itself is test_pipeline_added_tokens.py's;
* test_decode*, test_get_vocab*, DecodeStream: decoding, not the Encoding
  (test_tokenizer_json_real.py / test_pipeline_decoders.py);
* test_encode_special_tokens (t5-base), test_splitting (llama-new-metaspace),
  test_from_pretrained*: files from the hub, and ``encode_special_tokens`` is not built;
* test_unigram_byte_fallback: the Unigram model (test_pipeline_models.py);
* multiprocessing / multithreading / weakref / repr / TestAsyncTokenizer: the Python
  binding's concurrency and object model (the async tests compare async with sync calls).
"""

from __future__ import annotations

import json

import pytest
import tokenizers

from scratch.artifacts import fetch_file
from scratch.tokenizers.pipeline.encoding import Encoding
from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer


def _added(content: str, id: int, special: bool, normalized: bool) -> dict:
    return {"id": id, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": normalized, "special": special}  # fmt: skip


def _empty_bpe() -> dict:
    return {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
            "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
            "vocab": {}, "merges": []}  # fmt: skip


def _tokenizer_json(model: dict, added_tokens=(), normalizer=None, pre_tokenizer=None, post_processor=None,
                    decoder=None) -> dict:  # fmt: skip
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": list(added_tokens),
            "normalizer": normalizer, "pre_tokenizer": pre_tokenizer, "post_processor": post_processor,
            "decoder": decoder, "model": model}  # fmt: skip


def bpe_with_added_words() -> dict:
    """``Tokenizer(BPE())`` then ``add_tokens(["my", "name", "is", "john", "pair"])``."""
    words = ["my", "name", "is", "john", "pair"]
    return _tokenizer_json(_empty_bpe(), [_added(w, i, special=False, normalized=True) for i, w in enumerate(words)])


def bert_word_piece() -> dict:
    """``BertWordPieceTokenizer(bert_files["vocab"])``."""
    lines = fetch_file("bert-base-uncased", "vocab.txt").read_text(encoding="utf-8").splitlines()
    vocab = {token: i for i, token in enumerate(lines)}
    specials = [_added(t, vocab[t], special=True, normalized=False) for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")]
    model = {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
             "max_input_chars_per_word": 100, "vocab": vocab}  # fmt: skip
    return _tokenizer_json(
        model, specials,
        normalizer={"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None,
                    "lowercase": True},
        pre_tokenizer={"type": "BertPreTokenizer"},
        post_processor={"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]},
        decoder={"type": "WordPiece", "prefix": "##", "cleanup": True},
    )  # fmt: skip


def roberta_like() -> dict:
    """``Tokenizer(BPE(vocab, merges))``, ``add_special_tokens(["<s>", "</s>"])``,
    ``ByteLevel(add_prefix_space=True)`` and ``RobertaProcessing`` (GPT-2's files)."""
    vocab = json.loads(fetch_file("gpt2", "vocab.json").read_text(encoding="utf-8"))
    lines = fetch_file("gpt2", "merges.txt").read_text(encoding="utf-8").splitlines()
    merges = [line.split(" ") for line in lines[1:] if line]
    model = {**_empty_bpe(), "vocab": vocab, "merges": merges}
    s, end = len(vocab), len(vocab) + 1
    return _tokenizer_json(
        model, [_added("<s>", s, special=True, normalized=False), _added("</s>", end, special=True, normalized=False)],
        pre_tokenizer={"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        post_processor={"type": "RobertaProcessing", "sep": ["</s>", end], "cls": ["<s>", s], "trim_offsets": True,
                        "add_prefix_space": True},
    )  # fmt: skip


def _normalized(spec: dict) -> dict:
    """A tokenizer.json as ``tokenizers`` writes it, for comparing (merges as pairs, in either form)."""
    return json.loads(tokenizers.Tokenizer.from_str(json.dumps(spec)).to_str())


def test_the_dicts_are_the_originals_tokenizers():
    from tokenizers import BertWordPieceTokenizer, Tokenizer
    from tokenizers.models import BPE
    from tokenizers.pre_tokenizers import ByteLevel
    from tokenizers.processors import RobertaProcessing

    original = Tokenizer(BPE())
    original.add_tokens(["my", "name", "is", "john", "pair"])
    assert json.loads(original.to_str()) == _normalized(bpe_with_added_words())

    original = BertWordPieceTokenizer(str(fetch_file("bert-base-uncased", "vocab.txt")))
    assert json.loads(original.to_str()) == _normalized(bert_word_piece())

    original = Tokenizer(BPE.from_file(str(fetch_file("gpt2", "vocab.json")), str(fetch_file("gpt2", "merges.txt"))))
    original.add_special_tokens(["<s>", "</s>"])
    original.pre_tokenizer = ByteLevel(add_prefix_space=True)
    original.post_processor = RobertaProcessing(("</s>", original.token_to_id("</s>")), ("<s>", original.token_to_id("<s>")))
    assert json.loads(original.to_str()) == _normalized(roberta_like())


def load(spec: dict) -> PipelineTokenizer:
    return PipelineTokenizer.from_json(spec)


def encode_batch(tokenizer: PipelineTokenizer, inputs, add_special_tokens: bool = True) -> list[Encoding]:
    """``Tokenizer.encode_batch``: the tokenizer's own truncation and padding."""
    return tokenizer.encode_batch_full(inputs, add_special_tokens, tokenizer.truncation, tokenizer.padding)


# ---- test_encoding.py ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def encodings():  # the original's class-scoped fixture of TestEncoding
    tokenizer = load(bert_word_piece())
    single_encoding = tokenizer.encode_full("I love HuggingFace")
    pair_encoding = tokenizer.encode_full("I love HuggingFace", "Do you?")
    return single_encoding, pair_encoding


class TestEncoding:
    def test_sequence_ids(self, encodings):
        single, pair = encodings

        assert single.sequence_ids == [None, 0, 0, 0, 0, None]
        assert pair.sequence_ids == [None, 0, 0, 0, 0, None, 1, 1, 1, None]

    def test_n_sequences(self, encodings):
        single, pair = encodings
        assert single.n_sequences == 1
        assert pair.n_sequences == 2

    def test_word_to_tokens(self, encodings):
        single, pair = encodings

        assert single.tokens == ["[CLS]", "i", "love", "hugging", "##face", "[SEP]"]
        assert single.word_to_tokens(0) == (1, 2)

        assert pair.tokens == ["[CLS]", "i", "love", "hugging", "##face", "[SEP]", "do", "you", "?", "[SEP]"]
        assert pair.word_to_tokens(0) == (1, 2)
        assert pair.word_to_tokens(0, 0) == (1, 2)
        assert pair.word_to_tokens(6, 0) is None
        assert pair.word_to_tokens(0, 1) == (6, 7)

    def test_word_to_chars(self, encodings):
        single, pair = encodings

        assert single.word_to_chars(2) == (7, 18)
        assert pair.word_to_chars(2) == (7, 18)
        assert pair.word_to_chars(2, 0) == (7, 18)
        assert pair.word_to_chars(2, 1) == (6, 7)

    def test_token_to_sequence(self, encodings):
        single, pair = encodings

        assert single.token_to_sequence(2) == 0
        assert pair.token_to_sequence(2) == 0
        assert pair.token_to_sequence(0) is None
        assert pair.token_to_sequence(5) is None
        assert pair.token_to_sequence(6) == 1
        assert pair.token_to_sequence(8) == 1
        assert pair.token_to_sequence(9) is None
        assert pair.token_to_sequence(1200) is None

    def test_token_to_chars(self, encodings):
        single, pair = encodings

        assert single.token_to_chars(0) is None
        assert single.token_to_chars(2) == (2, 6)
        assert pair.token_to_chars(2) == (2, 6)
        assert pair.token_to_chars(5) is None
        assert pair.token_to_chars(6) == (0, 2)

    def test_token_to_word(self, encodings):
        single, pair = encodings

        assert single.token_to_word(0) is None
        assert single.token_to_word(1) == 0
        assert single.token_to_word(4) == 2
        assert pair.token_to_word(1) == 0
        assert pair.token_to_word(4) == 2
        assert pair.token_to_word(5) is None
        assert pair.token_to_word(6) == 0
        assert pair.token_to_word(7) == 1

    def test_char_to_token(self, encodings):
        single, pair = encodings

        assert single.char_to_token(0) == 1
        assert pair.char_to_token(0) == 1
        assert pair.char_to_token(0, 0) == 1
        assert pair.char_to_token(1, 0) is None
        assert pair.char_to_token(0, 1) == 6
        assert pair.char_to_token(2, 1) is None

    def test_char_to_word(self, encodings):
        single, pair = encodings

        assert single.char_to_word(0) == 0
        assert single.char_to_word(1) is None
        assert pair.char_to_word(2) == 1
        assert pair.char_to_word(2, 0) == 1
        assert pair.char_to_word(2, 1) is None
        assert pair.char_to_word(3, 1) == 1

    def test_truncation(self, encodings):
        single, _ = encodings
        single = single.clone()  # the original truncates the class fixture in place
        single.truncate(2, 1, "right")
        assert single.tokens == ["[CLS]", "i"]
        assert single.overflowing[0].tokens == ["i", "love"]

    def test_invalid_truncate_direction(self, encodings):
        single, _ = encodings
        with pytest.raises(ValueError) as excinfo:
            single.truncate(2, 1, "not_a_direction")
        assert "Invalid truncation direction value : not_a_direction" == str(excinfo.value)


# ---- test_tokenizer.py ---------------------------------------------------------------------------


class TestTokenizer:
    def test_encode(self):
        tokenizer = load(bpe_with_added_words())

        # Can encode single sequence
        output = tokenizer.encode_full("my name is john")
        assert output.tokens == ["my", "name", "is", "john"]
        assert type(output.ids) == list
        assert type(output.type_ids) == list
        assert type(output.offsets) == list
        with pytest.warns(DeprecationWarning):
            assert type(output.words) == list
        assert type(output.word_ids) == list
        assert type(output.special_tokens_mask) == list
        assert type(output.attention_mask) == list
        assert type(output.overflowing) == list

        # Can encode a pair of sequences
        output = tokenizer.encode_full("my name is john", "pair")
        assert output.tokens == ["my", "name", "is", "john", "pair"]

        # Can encode a batch with both a single sequence and a pair of sequences
        output = encode_batch(tokenizer, ["my name is john", ("my name is john", "pair")])
        assert len(output) == 2

    def test_encode_formats(self):
        tokenizer = load(bert_word_piece())

        # Encode
        output = tokenizer.encode_full("my name is john")
        assert output.tokens == ["[CLS]", "my", "name", "is", "john", "[SEP]"]
        output = tokenizer.encode_full("my name is john", "pair")
        assert output.tokens == ["[CLS]", "my", "name", "is", "john", "[SEP]", "pair", "[SEP]"]

        # Encode batch
        result_single = [
            ["[CLS]", "my", "name", "is", "john", "[SEP]"],
            ["[CLS]", "my", "name", "is", "georges", "[SEP]"],
        ]
        result_pair = [
            ["[CLS]", "my", "name", "is", "john", "[SEP]", "pair", "[SEP]"],
            ["[CLS]", "my", "name", "is", "georges", "[SEP]", "pair", "[SEP]"],
        ]

        def format(encodings):
            return [e.tokens for e in encodings]

        def test_single(input):
            output = encode_batch(tokenizer, input)
            assert format(output) == result_single

        def test_pair(input):
            output = encode_batch(tokenizer, input)
            assert format(output) == result_pair

        # Classic inputs

        # Lists
        test_single(["My name is John", "My name is Georges"])
        test_pair([("my name is john", "pair"), ("my name is georges", "pair")])
        test_pair([["my name is john", "pair"], ["my name is georges", "pair"]])

        # Tuples
        test_single(("My name is John", "My name is Georges"))
        test_pair((("My name is John", "pair"), ("My name is Georges", "pair")))

        # Mal formed
        with pytest.raises(TypeError):
            tokenizer.encode_full([["my", "name"]])  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            tokenizer.encode_full("My name is john", [["pair"]])  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            tokenizer.encode_full("my name is john", ["pair"])  # type: ignore[arg-type]

    @pytest.mark.parametrize("side", ["scratch", "tokenizers"])
    def test_encode_add_special_tokens(self, side):
        spec = roberta_like()
        if side == "tokenizers":  # the stand-in files keep the original expected values
            tokenizer = tokenizers.Tokenizer.from_str(json.dumps(spec))
            encode = tokenizer.encode
        else:
            encode = load(spec).encode_full

        # Can encode with special tokens
        output_with_specials = encode("My name is John", add_special_tokens=True)
        assert output_with_specials.tokens == ["<s>", "ĠMy", "Ġname", "Ġis", "ĠJohn", "</s>"]

        # Can encode without special tokens
        output_without_specials = encode("My name is John", add_special_tokens=False)
        assert output_without_specials.tokens == ["ĠMy", "Ġname", "Ġis", "ĠJohn"]

    def test_truncation(self):
        tokenizer = load(bpe_with_added_words())
        tokenizer.enable_truncation(2)

        # Can truncate single sequences
        output = tokenizer.encode_full("my name is john")
        assert output.tokens == ["my", "name"]

        # Can truncate pair sequences as well
        output = tokenizer.encode_full("my name is john", "pair")
        assert output.tokens == ["my", "pair"]

        # Can get the params and give them to enable_truncation
        trunc = tokenizer.truncation.as_dict()
        tokenizer.enable_truncation(**trunc)

        # Left truncation direction
        tokenizer.enable_truncation(2, direction="left")
        output = tokenizer.encode_full("my name is john")
        assert output.tokens == ["is", "john"]

        output = tokenizer.encode_full("my name is john", "pair")
        assert output.tokens == ["john", "pair"]

    def test_padding(self):
        tokenizer = load(bpe_with_added_words())

        # By default it does nothing when encoding single sequence
        tokenizer.enable_padding()
        output = tokenizer.encode_full("my name")
        assert output.tokens == ["my", "name"]

        # Can pad to the longest in a batch
        output = encode_batch(tokenizer, ["my name", "my name is john"])
        assert all([len(encoding) == 4 for encoding in output])

        # Can pad to the specified length otherwise
        tokenizer.enable_padding(length=4)
        output = tokenizer.encode_full("my name")
        assert output.tokens == ["my", "name", "[PAD]", "[PAD]"]
        output = tokenizer.encode_full("my name", "pair")
        assert output.tokens == ["my", "name", "pair", "[PAD]"]

        # Can get the params and give them to enable_padding
        padding = tokenizer.padding.as_dict()
        tokenizer.enable_padding(**padding)

    def test_post_process(self):
        tokenizer = load(bpe_with_added_words())
        tokenizer.enable_truncation(2)
        tokenizer.enable_padding(length=4)

        encoding = tokenizer.encode_full("my name is john")
        pair_encoding = tokenizer.encode_full("pair")

        # Can post process a single encoding
        output = tokenizer.post_process(encoding)
        assert output.tokens == ["my", "name", "[PAD]", "[PAD]"]

        # Can post process a pair of encodings
        output = tokenizer.post_process(encoding, pair_encoding)
        assert output.tokens == ["my", "pair", "[PAD]", "[PAD]"]
