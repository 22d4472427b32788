"""transformers' own tokenizer tests, ported to scratch.auto.AutoTokenizer.

Source: github huggingface/transformers, tests/test_tokenization_common.py (``TokenizerTesterMixin``),
tests/models/bert/test_tokenization_bert.py, tests/models/gpt2/test_tokenization_gpt2.py,
tests/models/llama/test_tokenization_llama.py. Names are kept; expected values are the published
ones where the test's files are ones we have: the toy BERT vocabulary and toy GPT-2 vocabulary and
merges those tests write in ``setUp`` (here turned into a ``tokenizer.json`` folder by transformers'
own ``BertTokenizerFast`` / ``GPT2TokenizerFast.save_pretrained``, then read by scratch),
bert-base-uncased, gpt2, and Llama-2 (``hf-internal-testing/llama-tokenizer`` is Llama-2's
tokenizer). The common mixin's tests check relations (truncated == ids[:-n], overflow ==
ids[-(n + stride):], ...); they run here on the chapter's bert-base-uncased and gpt2 (the
``tokenizers_list`` / ``get_tokenizers`` of those classes).

Ported:
* common: test_number_of_added_tokens, test_special_tokens_mask, test_special_tokens_mask_input_pairs,
  test_maximum_encoding_length_single_input, test_maximum_encoding_length_pair_input (the
  ``only_first``/``only_second`` truncation and overflow with stride parts), test_right_and_left_padding,
  test_right_and_left_truncation, test_padding_to_max_length, test_padding_to_multiple_of,
  test_batch_encode_plus_batch_sequence_length, test_batch_encode_plus_padding, test_call,
  test_get_vocab, test_conversion_reversible, test_sequence_ids, test_offsets_mapping,
  test_batch_encode_dynamic_overflowing, test_internal_consistency, test_padding_side_in_kwargs,
  test_truncation_side_in_kwargs, test_tokenizers_common_properties;
* bert: test_full_tokenizer, test_clean_text, test_sequence_builders (adapted: the published
  ``[101] + a + [102] + b + [102]`` checked through pair encoding, ``build_inputs_with_special_tokens``
  is not built), test_offsets_with_special_characters (uncased expectation),
  test_change_tokenize_chinese_chars (the ``tokenize_chinese_chars=True`` half);
* gpt2: test_full_tokenizer, test_padding (no pad token: ValueError), test_add_bos_token_slow and
  test_special_tokens_mask_input_pairs_and_bos_token (adapted: BOS ``<|endoftext|>``, since ``$$$``
  would have to be added to the vocabulary);
* llama: test_simple_encode_decode, test_no_differences_showcase, test_fast_special_tokens.

Not applicable (one line each):
* the slow (Python) tokenizer classes and slow-vs-fast comparisons, BasicTokenizer / WordpieceTokenizer
  / _is_whitespace / _is_control / _is_punctuation unit tests: there is only the one tokenizer here;
* save_pretrained / from_pretrained round trips, pickling, test_tokenizer_fast_store_full_signature:
  no saving is built;
* add_tokens / add_special_tokens / test_encode_decode_with_spaces / test_added_tokens_do_lower_case /
  test_tokenize_special_tokens / split_special_tokens: adding tokens is not built (refused);
* test_pretokenized_inputs and everything ``is_split_into_words``: refused here;
* prepare_for_model / build_inputs_with_special_tokens / get_special_tokens_mask /
  create_token_type_ids_from_sequences / truncate_sequences: slow-tokenizer helpers, not built;
* test_change_tokenize_chinese_chars' ``tokenize_chinese_chars=False`` half, do_lower_case /
  strip_accents variations: config options of the class constructor, not of a tokenizer.json;
* seq2seq (prepare_seq2seq_batch, text_target), TF/Flax/ONNX, Trainer, chat-template tests of other
  models, sentencepiece subword sampling: not part of the chapter;
* llama tests on tiny-random-llama / legacy-vs-non-legacy conversion / sp_model: no such files here.
"""

from __future__ import annotations

import json

import pytest

from scratch.artifacts import fetch
from scratch.auto import AutoTokenizer

# ---- the toy files of the BERT and GPT-2 tests' setUp -----------------------------------------------
BERT_VOCAB = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "want", "##want", "##ed", "wa", "un", "runn", "##ing", ",",
              "low", "lowest"]  # fmt: skip
GPT2_VOCAB = ["l", "o", "w", "e", "r", "s", "t", "i", "d", "n", "\u0120", "\u0120l", "\u0120n", "\u0120lo", "\u0120low",
              "er", "\u0120lowest", "\u0120newer", "\u0120wider", "<unk>", "<|endoftext|>"]  # fmt: skip
GPT2_MERGES = ["#version: 0.2", "\u0120 l", "\u0120l o", "\u0120lo w", "e r", ""]


@pytest.fixture(scope="module")
def toy_bert(tmp_path_factory):
    """The BERT test's vocabulary as a tokenizer folder (written by transformers' BertTokenizerFast)."""
    import transformers

    folder = tmp_path_factory.mktemp("toy-bert")
    (folder / "vocab.txt").write_text("".join(x + "\n" for x in BERT_VOCAB), encoding="utf-8")
    transformers.BertTokenizerFast(vocab=str(folder / "vocab.txt"), do_lower_case=True).save_pretrained(folder / "out")
    return AutoTokenizer.from_pretrained(folder / "out")


@pytest.fixture(scope="module")
def toy_gpt2_folder(tmp_path_factory):
    """The GPT-2 test's vocabulary and merges as a tokenizer folder (``add_prefix_space=True``,
    ``unk_token="<unk>"`` as the test's from_pretrained_kwargs and special_tokens_map)."""
    import transformers

    folder = tmp_path_factory.mktemp("toy-gpt2")
    (folder / "vocab.json").write_text(json.dumps(dict(zip(GPT2_VOCAB, range(len(GPT2_VOCAB))))), encoding="utf-8")
    (folder / "merges.txt").write_text("\n".join(GPT2_MERGES), encoding="utf-8")
    for prefix in (True, False):
        transformers.GPT2TokenizerFast.from_pretrained(str(folder), add_prefix_space=prefix,
                                                       unk_token="<unk>").save_pretrained(folder / f"out-{prefix}")  # fmt: skip
    return folder / "out-True"


@pytest.fixture(scope="module")
def toy_gpt2(toy_gpt2_folder):
    return AutoTokenizer.from_pretrained(toy_gpt2_folder)


@pytest.fixture(scope="module")
def toy_gpt2_no_prefix(toy_gpt2_folder):
    """The mixin's ``get_rust_tokenizer()`` of the GPT-2 test: without ``add_prefix_space``."""
    return AutoTokenizer.from_pretrained(toy_gpt2_folder.parent / "out-False")


_loaded: dict = {}


def get_tokenizer(hub_id: str):
    """A fresh tokenizer each call (tests change their sides and tokens), loaded once."""
    import copy

    if hub_id not in _loaded:
        _loaded[hub_id] = AutoTokenizer.from_pretrained(hub_id)
    return copy.deepcopy(_loaded[hub_id])


def with_pad_token(tokenizer):
    """The mixin's ``_check_no_pad_token_padding``: padding without a pad token is a ValueError,
    then a pad token is set (here the EOS token: adding ``[PAD]`` is not built)."""
    if tokenizer.pad_token is None:
        with pytest.raises(ValueError):
            tokenizer("Sequence", padding=True, max_length=8)
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


COMMON = ["bert-base-uncased", "gpt2"]


# ---- tests/models/bert/test_tokenization_bert.py -----------------------------------------------------
def test_full_tokenizer_bert(toy_bert):
    tokens = toy_bert.tokenize("UNwant\u00e9d,running")
    assert tokens == ["un", "##want", "##ed", ",", "runn", "##ing"]
    assert toy_bert.convert_tokens_to_ids(tokens) == [9, 6, 7, 12, 10, 11]


def test_clean_text(toy_bert):
    # Example taken from the issue https://github.com/huggingface/tokenizers/issues/340
    assert [toy_bert.tokenize(t) for t in ["Test", "\xad", "test"]] == [["[UNK]"], [], ["[UNK]"]]


def test_sequence_builders():
    tokenizer = get_tokenizer("bert-base-uncased")
    text = tokenizer.encode("sequence builders", add_special_tokens=False)
    text_2 = tokenizer.encode("multi-sequence build", add_special_tokens=False)
    assert tokenizer.encode("sequence builders") == [101] + text + [102]
    assert tokenizer.encode("sequence builders", "multi-sequence build") == [101] + text + [102] + text_2 + [102]


def test_offsets_with_special_characters():
    tokenizer_r = get_tokenizer("bert-base-uncased")
    sentence = f"A, naïve {tokenizer_r.mask_token} AllenNLP sentence."
    tokens = tokenizer_r(sentence, return_attention_mask=False, return_token_type_ids=False,
                         return_offsets_mapping=True, add_special_tokens=True)  # fmt: skip
    expected_results = [((0, 0), tokenizer_r.cls_token), ((0, 1), "a"), ((1, 2), ","), ((3, 8), "naive"),
                        ((9, 15), tokenizer_r.mask_token), ((16, 21), "allen"), ((21, 23), "##nl"), ((23, 24), "##p"),
                        ((25, 33), "sentence"), ((33, 34), "."), ((0, 0), tokenizer_r.sep_token)]  # fmt: skip
    assert [e[1] for e in expected_results] == tokenizer_r.convert_ids_to_tokens(tokens["input_ids"])
    assert [e[0] for e in expected_results] == tokens["offset_mapping"]


def test_change_tokenize_chinese_chars():
    list_of_commun_chinese_char = ["的", "人", "有"]
    tokenizer_r = get_tokenizer("bert-base-uncased")
    ids = tokenizer_r.encode("".join(list_of_commun_chinese_char), add_special_tokens=False)
    # it is expected that each Chinese character is not preceded by "##"
    assert tokenizer_r.convert_ids_to_tokens(ids) == list_of_commun_chinese_char


# ---- tests/models/gpt2/test_tokenization_gpt2.py -----------------------------------------------------
def test_full_tokenizer_gpt2(toy_gpt2):
    tokens = toy_gpt2.tokenize("lower newer")
    assert tokens == ["\u0120low", "er", "\u0120", "n", "e", "w", "er"]
    assert toy_gpt2.convert_tokens_to_ids(tokens + [toy_gpt2.unk_token]) == [14, 15, 10, 9, 3, 2, 15, 19]


def test_padding(max_length=15):
    tokenizer_r = get_tokenizer("gpt2")
    s = "This is a simple input"
    s2 = ["This is a simple input 1", "This is a simple input 2"]
    p = ("This is a simple input", "This is a pair")
    p2 = [("This is a simple input 1", "This is a simple input 2"), ("This is a simple pair 1", "This is a simple pair 2")]
    for args in ((s,), (s2,), p, ([a for a, _ in p2], [b for _, b in p2])):
        with pytest.raises(ValueError):
            tokenizer_r.encode(*args, max_length=max_length, padding="max_length")
        with pytest.raises(ValueError):
            tokenizer_r(*args, max_length=max_length, padding="max_length")


def test_add_bos_token_slow(toy_gpt2_folder):
    bos_token = "<|endoftext|>"
    tokenizer = AutoTokenizer.from_pretrained(toy_gpt2_folder, bos_token=bos_token, add_bos_token=True)
    s = "This is a simple input"
    s2 = ["This is a simple input 1", "This is a simple input 2"]
    bos_token_id = tokenizer.bos_token_id
    out_s, out_s2 = tokenizer(s), tokenizer(s2)
    assert out_s.input_ids[0] == bos_token_id
    assert all(o[0] == bos_token_id for o in out_s2.input_ids)
    assert tokenizer.decode(out_s.input_ids).startswith(bos_token)
    assert all(d.startswith(bos_token) for d in tokenizer.batch_decode(out_s2.input_ids))


def test_special_tokens_mask_input_pairs_and_bos_token(toy_gpt2_folder):
    tokenizer = AutoTokenizer.from_pretrained(toy_gpt2_folder, bos_token="<|endoftext|>", add_bos_token=True)
    sequence_0, sequence_1 = "Encode this.", "This one too please."
    encoded_sequence = tokenizer.encode(sequence_0, add_special_tokens=False)
    encoded_sequence += tokenizer.encode(sequence_1, add_special_tokens=False)
    encoded_sequence_dict = tokenizer(sequence_0, sequence_1, add_special_tokens=True, return_special_tokens_mask=True)
    encoded_sequence_w_special = encoded_sequence_dict["input_ids"]
    special_tokens_mask = encoded_sequence_dict["special_tokens_mask"]
    assert len(special_tokens_mask) == len(encoded_sequence_w_special)
    filtered = [x for i, x in enumerate(encoded_sequence_w_special) if not special_tokens_mask[i]]
    assert encoded_sequence == filtered
    assert sum(special_tokens_mask) == 2  # a BOS before each sequence


# ---- tests/models/llama/test_tokenization_llama.py (hf-internal-testing/llama-tokenizer = Llama-2's) ----
LLAMA = "meta-llama/Llama-2-7b-hf"


def test_simple_encode_decode():
    rust_tokenizer = get_tokenizer(LLAMA)
    assert rust_tokenizer.encode("This is a test") == [1, 910, 338, 263, 1243]
    assert rust_tokenizer.decode([1, 910, 338, 263, 1243], skip_special_tokens=True) == "This is a test"
    # bytefallback showcase
    ids = [1, 29871, 30486, 31704, 30210, 30848, 235, 179, 158, 30392]
    assert rust_tokenizer.encode("生活的真谛是") == ids
    assert rust_tokenizer.decode(ids, skip_special_tokens=True) == "生活的真谛是"
    # Inner spaces showcase
    assert rust_tokenizer.encode("Hi  Hello") == [1, 6324, 29871, 15043]
    assert rust_tokenizer.decode([1, 6324, 29871, 15043], skip_special_tokens=True) == "Hi  Hello"
    assert rust_tokenizer.encode("Hi   Hello") == [1, 6324, 259, 15043]
    assert rust_tokenizer.decode([1, 6324, 259, 15043], skip_special_tokens=True) == "Hi   Hello"
    assert rust_tokenizer.encode("") == [1]
    assert rust_tokenizer.encode(" ") == [1, 259]
    assert rust_tokenizer.encode("  ") == [1, 1678]
    assert rust_tokenizer.encode(" Hello") == [1, 29871, 15043]


def test_no_differences_showcase():
    rust_tokenizer = get_tokenizer(LLAMA)
    assert rust_tokenizer.encode("") == [1]
    assert rust_tokenizer.encode(" ") == [1, 259]
    assert rust_tokenizer.encode("  ") == [1, 1678]
    assert rust_tokenizer.encode(" Hello") == [1, 29871, 15043]
    assert rust_tokenizer.encode("<s>") == [1, 1]


def test_fast_special_tokens():
    fast_tokenizer = get_tokenizer(LLAMA)
    assert fast_tokenizer.encode("A sample test", add_special_tokens=True) == [1, 319, 4559, 1243]
    fast_tokenizer.add_eos_token = True
    assert fast_tokenizer.encode("A sample test", add_special_tokens=True) == [1, 319, 4559, 1243, 2]
    fast_tokenizer.add_eos_token = False
    assert fast_tokenizer.encode("A sample test", add_special_tokens=True) == [1, 319, 4559, 1243]
    fast_tokenizer = AutoTokenizer.from_pretrained(LLAMA, add_eos_token=True, add_bos_token=False)
    assert fast_tokenizer.encode("A sample test", add_special_tokens=True) == [319, 4559, 1243, 2]


@pytest.mark.parametrize("side", ["left", "right"])
def test_padding_side_in_kwargs(side):
    assert AutoTokenizer.from_pretrained(LLAMA, padding_side=side).padding_side == side


@pytest.mark.parametrize("side", ["left", "right"])
def test_truncation_side_in_kwargs(side):
    assert AutoTokenizer.from_pretrained(LLAMA, truncation_side=side).truncation_side == side


# ---- tests/test_tokenization_common.py (TokenizerTesterMixin) ----------------------------------------
@pytest.mark.parametrize("hub_id", COMMON)
def test_tokenizers_common_properties(hub_id):
    tokenizer = get_tokenizer(hub_id)
    for attr in ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]:
        assert hasattr(tokenizer, attr) and hasattr(tokenizer, attr + "_id")
    for attr in ["model_max_length", "padding_side", "truncation_side"]:
        assert hasattr(tokenizer, attr)


@pytest.mark.parametrize("hub_id", COMMON)
def test_number_of_added_tokens(hub_id):
    tokenizer = get_tokenizer(hub_id)
    seq_0, seq_1 = "Test this method.", "With these inputs."
    sequences = tokenizer.encode(seq_0, seq_1, add_special_tokens=False)
    attached_sequences = tokenizer.encode(seq_0, seq_1, add_special_tokens=True)
    # Method is implemented (e.g. not GPT-2)
    if len(attached_sequences) != 2:
        assert tokenizer.num_special_tokens_to_add(pair=True) == len(attached_sequences) - len(sequences)


@pytest.mark.parametrize("hub_id", COMMON)
def test_special_tokens_mask(hub_id):
    tokenizer = get_tokenizer(hub_id)
    sequence_0 = "Encode this."
    encoded_sequence = tokenizer.encode(sequence_0, add_special_tokens=False)
    encoded_sequence_dict = tokenizer(sequence_0, add_special_tokens=True, return_special_tokens_mask=True)
    encoded_sequence_w_special = encoded_sequence_dict["input_ids"]
    special_tokens_mask = encoded_sequence_dict["special_tokens_mask"]
    assert len(special_tokens_mask) == len(encoded_sequence_w_special)
    filtered = [x for i, x in enumerate(encoded_sequence_w_special) if not special_tokens_mask[i]]
    assert encoded_sequence == filtered


@pytest.mark.parametrize("hub_id", COMMON)
def test_special_tokens_mask_input_pairs(hub_id):
    tokenizer = get_tokenizer(hub_id)
    sequence_0, sequence_1 = "Encode this.", "This one too please."
    encoded_sequence = tokenizer.encode(sequence_0, add_special_tokens=False)
    encoded_sequence += tokenizer.encode(sequence_1, add_special_tokens=False)
    encoded_sequence_dict = tokenizer(sequence_0, sequence_1, add_special_tokens=True, return_special_tokens_mask=True)
    encoded_sequence_w_special = encoded_sequence_dict["input_ids"]
    special_tokens_mask = encoded_sequence_dict["special_tokens_mask"]
    assert len(special_tokens_mask) == len(encoded_sequence_w_special)
    filtered = [x for i, x in enumerate(encoded_sequence_w_special) if not special_tokens_mask[i]]
    assert encoded_sequence == filtered


@pytest.mark.parametrize("hub_id", COMMON)
def test_maximum_encoding_length_single_input(hub_id):
    tokenizer = get_tokenizer(hub_id)
    seq_0 = "This is a sentence to be encoded."
    stride = 2
    sequence = tokenizer.encode(seq_0, add_special_tokens=False)
    total_length = len(sequence)
    assert total_length > 4, "Issue with the testing sequence, please update it, it's too short"
    # Test with max model input length
    model_max_length = tokenizer.model_max_length
    assert model_max_length == {"bert-base-uncased": 512, "gpt2": 1024}[hub_id]
    seq_1 = seq_0 * model_max_length
    sequence1 = tokenizer(seq_1, add_special_tokens=False)
    assert len(sequence1["input_ids"]) > model_max_length
    for padding_state in [True, "longest", False, "do_not_pad"]:
        for truncation_state in [True, "longest_first", "only_first"]:
            if padding_state in (True, "longest"):
                with_pad_token(tokenizer)
            output = tokenizer(seq_1, padding=padding_state, truncation=truncation_state)
            assert len(output["input_ids"]) == model_max_length
            output = tokenizer([seq_1], padding=padding_state, truncation=truncation_state)
            assert len(output["input_ids"][0]) == model_max_length
        # Simple with no truncation: no truncation, a warning
        output = tokenizer(seq_1, padding=padding_state, truncation=False)
        assert len(output["input_ids"]) != model_max_length
    # Overflowing tokens
    information = tokenizer(seq_0, max_length=total_length - 2, add_special_tokens=False, stride=stride,
                            truncation="longest_first", return_overflowing_tokens=True)  # fmt: skip
    truncated_sequence = information["input_ids"][0]
    overflowing_tokens = information["input_ids"][1]
    assert len(information["input_ids"]) == 2
    assert len(truncated_sequence) == total_length - 2
    assert truncated_sequence == sequence[:-2]
    assert len(overflowing_tokens) == 2 + stride
    assert overflowing_tokens == sequence[-(2 + stride):]


@pytest.mark.parametrize("hub_id", COMMON)
def test_maximum_encoding_length_pair_input(hub_id):
    tokenizer = get_tokenizer(hub_id)
    stride = 2
    seq_0 = "This is a sentence to be encoded."
    seq_1 = "This is another sentence to be encoded."
    ids_0 = tokenizer.encode(seq_0, add_special_tokens=False)
    ids_1 = tokenizer.encode(seq_1, add_special_tokens=False)
    sequence = tokenizer.encode(seq_0, seq_1, add_special_tokens=False)
    truncated_first_sequence = ids_0[:-2] + ids_1
    truncated_second_sequence = ids_0 + ids_1[:-2]
    for strategy, expected in (("only_first", truncated_first_sequence), ("only_second", truncated_second_sequence)):
        out = tokenizer(seq_0, seq_1, max_length=len(sequence) - 2, add_special_tokens=False, truncation=strategy)
        assert out["input_ids"] == expected
    # Overflowing tokens, only_second with a stride: the second row keeps the first sequence
    information = tokenizer(seq_0, seq_1, max_length=len(sequence) - 2, add_special_tokens=False, stride=stride,
                            truncation="only_second", return_overflowing_tokens=True)  # fmt: skip
    assert information["input_ids"][0] == truncated_second_sequence
    assert information["input_ids"][1] == ids_0 + ids_1[-(2 + stride):]
    information = tokenizer(seq_0, seq_1, max_length=len(sequence) - 2, add_special_tokens=False, stride=stride,
                            truncation="only_first", return_overflowing_tokens=True)  # fmt: skip
    assert information["input_ids"][0] == truncated_first_sequence
    assert information["input_ids"][1] == ids_0[-(2 + stride):] + ids_1
    # a pair cannot be cut below its special tokens and the other sequence: refused as the reference
    with pytest.raises(Exception):
        tokenizer(seq_0, seq_1, max_length=len(ids_0) - 1, truncation="only_first")


@pytest.mark.parametrize("hub_id", COMMON)
def test_right_and_left_padding(hub_id):
    tokenizer = with_pad_token(get_tokenizer(hub_id))
    sequence, padding_size = "Sequence", 10
    padding_idx = tokenizer.pad_token_id
    for side in ("right", "left"):
        tokenizer.padding_side = side
        encoded_sequence = tokenizer.encode(sequence)
        sequence_length = len(encoded_sequence)
        padded_sequence = tokenizer.encode(sequence, max_length=sequence_length + padding_size, padding="max_length")
        assert len(padded_sequence) == sequence_length + padding_size
        pad = [padding_idx] * padding_size
        assert padded_sequence == (encoded_sequence + pad if side == "right" else pad + encoded_sequence)
    # RIGHT & LEFT PADDING - Check that nothing is done for 'longest' and 'no_padding'
    encoded_sequence = tokenizer.encode(sequence)
    for side in ("right", "left"):
        tokenizer.padding_side = side
        for padding in (True, "longest", False):
            assert tokenizer.encode(sequence, padding=padding) == encoded_sequence


@pytest.mark.parametrize("hub_id", COMMON)
def test_right_and_left_truncation(hub_id):
    tokenizer = get_tokenizer(hub_id)
    sequence = "This is a test sequence"
    truncation_size = 3
    tokenizer.truncation_side = "right"
    encoded_sequence = tokenizer.encode(sequence, add_special_tokens=False)
    sequence_length = len(encoded_sequence)
    truncated_sequence = tokenizer.encode(sequence, max_length=sequence_length - truncation_size, truncation=True,
                                          add_special_tokens=False)  # fmt: skip
    assert sequence_length == len(truncated_sequence) + truncation_size
    assert encoded_sequence[:-truncation_size] == truncated_sequence
    tokenizer.truncation_side = "left"
    truncated_sequence = tokenizer.encode(sequence, max_length=sequence_length - truncation_size, truncation=True,
                                          add_special_tokens=False)  # fmt: skip
    assert sequence_length == len(truncated_sequence) + truncation_size
    assert encoded_sequence[truncation_size:] == truncated_sequence
    for side in ("right", "left"):
        tokenizer.truncation_side = side
        for truncation in ("longest_first", False):
            assert tokenizer.encode(sequence, truncation=truncation, add_special_tokens=False) == encoded_sequence


@pytest.mark.parametrize("hub_id", COMMON)
def test_padding_to_max_length(hub_id):
    tokenizer = with_pad_token(get_tokenizer(hub_id))
    sequence, padding_size = "Sequence", 10
    padding_idx = tokenizer.pad_token_id
    tokenizer.padding_side = "right"
    encoded_sequence = tokenizer.encode(sequence)
    sequence_length = len(encoded_sequence)
    padded_sequence = tokenizer.encode(sequence, max_length=sequence_length + padding_size, padding="max_length")
    assert sequence_length + padding_size == len(padded_sequence)
    assert encoded_sequence + [padding_idx] * padding_size == padded_sequence
    # Check that nothing is done when a maximum length is not specified
    assert tokenizer.encode(sequence, padding=True) == encoded_sequence


@pytest.mark.parametrize("hub_id", COMMON)
def test_padding_to_multiple_of(hub_id):
    tokenizer = with_pad_token(get_tokenizer(hub_id))
    empty_tokens = tokenizer("", padding=True, pad_to_multiple_of=8)
    normal_tokens = tokenizer("This is a sample input", padding=True, pad_to_multiple_of=8)
    for tokens in (empty_tokens, normal_tokens):
        for key, value in tokens.items():
            assert len(value) % 8 == 0, f"BatchEncoding.{key} is not multiple of 8"
    normal_tokens = tokenizer("This", pad_to_multiple_of=8)
    for key, value in normal_tokens.items():
        assert len(value) % 8 != 0, f"BatchEncoding.{key} is multiple of 8"
    # Should also work with truncation
    normal_tokens = tokenizer("This", padding=True, truncation=True, pad_to_multiple_of=8)
    for key, value in normal_tokens.items():
        assert len(value) % 8 == 0, f"BatchEncoding.{key} is not multiple of 8"
    # truncation to something which is not a multiple of pad_to_multiple_of raises an error
    with pytest.raises(ValueError):
        tokenizer("This", padding=True, truncation=True, max_length=12, pad_to_multiple_of=8)


@pytest.mark.parametrize("hub_id", COMMON)
def test_batch_encode_plus_batch_sequence_length(hub_id):
    tokenizer = with_pad_token(get_tokenizer(hub_id))
    sequences = ["Testing batch encode plus", "Testing batch encode plus with different sequence lengths",
                 "Testing batch encode plus with different sequence lengths correctly pads"]  # fmt: skip
    # Test that the model is provided with the same input as with encode_plus
    encoded_sequences = [tokenizer(sequence) for sequence in sequences]
    encoded_sequences_batch = tokenizer(sequences, padding=False)
    assert [dict(e) for e in encoded_sequences] == [
        {key: encoded_sequences_batch[key][i] for key in encoded_sequences_batch} for i in range(len(sequences))]
    maximum_length = len(max([encoded["input_ids"] for encoded in encoded_sequences], key=len))
    encoded_padded = [tokenizer(s, max_length=maximum_length, padding="max_length") for s in sequences]
    batch_padded = tokenizer(sequences, padding=True)
    assert [dict(e) for e in encoded_padded] == [
        {key: batch_padded[key][i] for key in batch_padded} for i in range(len(sequences))]
    # check 'longest' is insensitive to a max length
    assert dict(tokenizer(sequences, padding=True)) == dict(tokenizer(sequences, max_length=maximum_length + 10,
                                                                      padding="longest"))  # fmt: skip
    # check 'no_padding' is insensitive to a max length
    assert dict(tokenizer(sequences, padding=False)) == dict(tokenizer(sequences, max_length=maximum_length + 10,
                                                                       padding=False))  # fmt: skip


@pytest.mark.parametrize("hub_id", COMMON)
@pytest.mark.parametrize("side", ["right", "left"])
def test_batch_encode_plus_padding(hub_id, side):
    tokenizer = with_pad_token(get_tokenizer(hub_id))
    tokenizer.padding_side = side
    sequences = ["Testing batch encode plus", "Testing batch encode plus with different sequence lengths",
                 "Testing batch encode plus with different sequence lengths correctly pads"]  # fmt: skip
    max_length = 100
    encoded_sequences = [tokenizer(s, max_length=max_length, padding="max_length") for s in sequences]
    batch = tokenizer(sequences, max_length=max_length, padding="max_length")
    assert [dict(e) for e in encoded_sequences] == [{key: batch[key][i] for key in batch} for i in range(len(sequences))]


@pytest.mark.parametrize("hub_id", COMMON)
def test_call(hub_id):
    tokenizer = get_tokenizer(hub_id)
    sequences = ["Testing batch encode plus", "Testing batch encode plus with different sequence lengths",
                 "Testing batch encode plus with different sequence lengths correctly pads"]  # fmt: skip
    # Test not batched
    assert tokenizer(sequences[0])["input_ids"] == tokenizer.encode(sequences[0])
    # Test not batched pairs
    assert tokenizer(sequences[0], sequences[1])["input_ids"] == tokenizer.encode(sequences[0], sequences[1])
    # Test batched
    assert tokenizer(sequences)["input_ids"] == [tokenizer.encode(s) for s in sequences]
    # Test batched pairs
    assert tokenizer(sequences, sequences)["input_ids"] == [tokenizer.encode(s, s) for s in sequences]


@pytest.mark.parametrize("hub_id", COMMON)
def test_get_vocab(hub_id):
    tokenizer = get_tokenizer(hub_id)
    vocab_dict = tokenizer.get_vocab()
    assert isinstance(vocab_dict, dict)
    assert len(tokenizer) >= len(vocab_dict)
    vocab = [tokenizer.convert_ids_to_tokens(i) for i in range(len(tokenizer))]
    assert len(vocab) == len(tokenizer)


@pytest.mark.parametrize("hub_id", COMMON)
def test_conversion_reversible(hub_id):
    tokenizer = get_tokenizer(hub_id)
    for word, ind in tokenizer.get_vocab().items():
        if word == tokenizer.unk_token:
            continue
        assert tokenizer.convert_tokens_to_ids(word) == ind
        assert tokenizer.convert_ids_to_tokens(ind) == word


@pytest.mark.parametrize("hub_id", COMMON)
def test_sequence_ids(hub_id):
    tokenizer = get_tokenizer(hub_id)
    seq_0, seq_1 = "Test this method.", "With these inputs."
    # We want to have sequence 0 and sequence 1 are tagged respectively with 0 and 1 token_ids
    # (regardless of whether the model use token type ids)
    output = tokenizer(seq_0)
    assert 0 in output.sequence_ids()
    output = tokenizer(seq_0, seq_1)
    assert 0 in output.sequence_ids() and 1 in output.sequence_ids()
    if tokenizer.num_special_tokens_to_add(pair=True):
        assert None in output.sequence_ids()


@pytest.mark.parametrize("hub_id", COMMON)
def test_offsets_mapping(hub_id):
    tokenizer_r = get_tokenizer(hub_id)
    text, pair = "Wonderful no inspiration example with subtoken", "Along with an awesome pair"
    # No pair
    tokens_with_offsets = tokenizer_r(text, return_special_tokens_mask=True, return_offsets_mapping=True,
                                      add_special_tokens=True)  # fmt: skip
    added_tokens = tokenizer_r.num_special_tokens_to_add(False)
    offsets = tokens_with_offsets["offset_mapping"]
    # Assert there is the same number of tokens and offsets
    assert len(offsets) == len(tokens_with_offsets["input_ids"])
    # Assert there is online added_tokens special_tokens
    assert sum(tokens_with_offsets["special_tokens_mask"]) == added_tokens
    # Pairs
    tokens_with_offsets = tokenizer_r(text, pair, return_special_tokens_mask=True, return_offsets_mapping=True,
                                      add_special_tokens=True)  # fmt: skip
    added_tokens = tokenizer_r.num_special_tokens_to_add(True)
    offsets = tokens_with_offsets["offset_mapping"]
    assert len(offsets) == len(tokens_with_offsets["input_ids"])
    assert sum(tokens_with_offsets["special_tokens_mask"]) == added_tokens


@pytest.mark.parametrize("hub_id", COMMON)
def test_batch_encode_dynamic_overflowing(hub_id):
    """When calling batch_encode with multiple sequence it can return different number of
    overflowing encoding for each sequence: [Sequence 1: [Encoding 1, Encoding 2], Sequence 2:
    [Encoding 1], Sequence 3: [Encoding 1, Encoding 2, ... Encoding N]]; this needs to be
    padded so that it can represented as a tensor."""
    tokenizer = with_pad_token(get_tokenizer(hub_id))
    returned_tensor = "pt"
    # Single example
    tokens = tokenizer("HuggingFace is solving NLP one commit at a time", max_length=6, padding=True, truncation=True,
                       return_tensors=returned_tensor, return_overflowing_tokens=True)  # fmt: skip
    for key in filter(lambda x: "overflow_to_sample_mapping" not in x, tokens.keys()):
        assert len(tokens[key].shape) == 2
    # Batch of examples; for these 2 examples, 3 training examples will be created
    tokens = tokenizer(["HuggingFace is solving NLP one commit at a time", "Very tiny input"], max_length=6,
                       padding=True, truncation="only_first", return_tensors=returned_tensor,
                       return_overflowing_tokens=True)  # fmt: skip
    for key in filter(lambda x: "overflow_to_sample_mapping" not in x, tokens.keys()):
        assert len(tokens[key].shape) == 2
        assert tokens[key].shape[-1] == 6


@pytest.mark.parametrize("input_text, output_text", [("UNwant\u00e9d,running", "unwanted, running"),
                                                     ("lower newer", "lower newer")])  # fmt: skip
def test_internal_consistency(input_text, output_text, toy_bert, toy_gpt2_no_prefix):
    tokenizer = toy_bert if input_text.startswith("UN") else toy_gpt2_no_prefix
    tokens = tokenizer.tokenize(input_text)
    ids = tokenizer.convert_tokens_to_ids(tokens)
    ids_2 = tokenizer.encode(input_text, add_special_tokens=False)
    assert ids == ids_2
    tokens_2 = tokenizer.convert_ids_to_tokens(ids)
    assert len(tokens_2) != 0
    text_2 = tokenizer.decode(ids)
    assert isinstance(text_2, str)
    assert text_2 == output_text
