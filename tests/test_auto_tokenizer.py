"""scratch.auto.AutoTokenizer against transformers' tokenizers, on every hub id of scratch.auto.hub.

The references are reference.auto.reference_tokenizer(hub_id) (shared with the walkthrough), each
configured with the same published tokenizer_config facts as the hub entry (its docstring says how
each is built). Phi-3's BOS policy is also checked against the ids the book prints.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference.auto import reference_tokenizer
from scratch.artifacts import fetch
from scratch.artifacts import fetch_file
from scratch.auto.hub import HUB
from scratch.auto.tokenizer import AutoTokenizer
from scratch.errors import ModelNotAvailableError

IDS = ["bert-base-uncased", "bert-base-cased", "gpt2", "Xenova/gpt-4", "bigcode/starcoder2-15b",
       "microsoft/Phi-3-mini-4k-instruct", "HuggingFaceTB/SmolLM2-135M-Instruct", "meta-llama/Llama-2-7b-hf",
       "sentence-transformers/all-mpnet-base-v2", "all-MiniLM-L6-v2"]  # fmt: skip


# Local tokenizer.json files (as a user passes a path): the pretrained tokenizers the hub ids
# above do not cover, read from their published files.
FILE_IDS = {"file:llama-3": "tokenizer-json-llama-3", "file:qwen2": "tokenizer-json-qwen2"}

_cache: dict = {}


def pair_of(hub_id: str):
    if hub_id not in _cache:
        name = str(fetch_file(FILE_IDS[hub_id], "tokenizer.json")) if hub_id in FILE_IDS else hub_id
        _cache[hub_id] = (AutoTokenizer.from_pretrained(name), reference_tokenizer(name))
    return _cache[hub_id]


PIECES = list("abc XYZ déjà 日本 🎵 e\u0301 \t\n,.!'0123") + ["<|endoftext|>", "[SEP]", "<s>", "hello", " world", "  "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


def _same(ours, ref):
    assert list(ours.keys()) == list(ref.keys())
    for key in ref.keys():
        a, b = ours[key], ref[key]
        if isinstance(b, torch.Tensor):
            assert a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b), key
        elif isinstance(b, np.ndarray):
            assert a.dtype == b.dtype and a.shape == b.shape, key
            if a.dtype == object:  # a ragged batch: rows of arrays
                assert all(x.dtype == y.dtype and x.tolist() == y.tolist() for x, y in zip(a, b)), key
            else:
                assert a.tolist() == b.tolist(), key
        else:
            assert a == b, key


def _call_both(ours, ref, *args, **kwargs):
    try:
        expected = ref(*args, **kwargs)
    except (Exception, BaseException) as exc:  # refused (tokenizers' panics are BaseExceptions): so must we
        if isinstance(exc, KeyboardInterrupt):
            raise
        with pytest.raises(Exception) as info:
            ours(*args, **kwargs)
        if type(exc) in (ValueError, TypeError):
            assert isinstance(info.value, type(exc))
        return None, None
    return ours(*args, **kwargs), expected


@pytest.mark.parametrize("hub_id", IDS + list(FILE_IDS))
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_call_matches_reference(hub_id, data):
    ours, ref = pair_of(hub_id)
    batched = data.draw(st.booleans(), "batched")
    n = data.draw(st.integers(1, 3), "n") if batched else 1
    texts = [data.draw(TEXT, "text") for _ in range(n)]
    pairs = [data.draw(TEXT, "pair") for _ in range(n)] if data.draw(st.booleans(), "with pair") else None
    has_pad = ref.pad_token is not None
    kwargs = dict(
        padding=data.draw(st.sampled_from([False, True, "longest", "max_length", "do_not_pad"] if has_pad else [False]), "padding"),
        truncation=data.draw(st.sampled_from([None, False, True, "longest_first", "only_first", "only_second", "do_not_truncate"]), "truncation"),
        max_length=data.draw(st.sampled_from([None, 4, 6, 9, 16]), "max_length"),
        stride=data.draw(st.sampled_from([0, 0, 1, 2]), "stride"),
        return_overflowing_tokens=data.draw(st.booleans(), "overflow"),
        return_offsets_mapping=data.draw(st.booleans(), "offsets"),
        return_special_tokens_mask=data.draw(st.booleans(), "special mask"),
        return_length=data.draw(st.booleans(), "length"),
        return_token_type_ids=data.draw(st.sampled_from([None, True, False]), "type ids"),
        return_attention_mask=data.draw(st.sampled_from([None, True, False]), "attention"),
        add_special_tokens=data.draw(st.booleans(), "add special"),
        padding_side=data.draw(st.sampled_from([None, "left", "right"]), "padding side"),
        pad_to_multiple_of=data.draw(st.sampled_from([None, None, 4]), "multiple"),
        return_tensors=data.draw(st.sampled_from([None, "pt", "np"]), "tensors"),
    )  # fmt: skip
    side = data.draw(st.sampled_from(["left", "right"]), "truncation side")
    ours.truncation_side = ref.truncation_side = side
    text = texts if batched else texts[0]
    pair = (pairs if batched else pairs[0]) if pairs else None
    got, expected = _call_both(ours, ref, text, pair, **kwargs)
    if expected is None:
        return
    _same(got, expected)
    for i in range(len(expected["input_ids"]) if (batched or kwargs["return_overflowing_tokens"] or kwargs["return_tensors"]) else 1):
        assert got.tokens(i) == expected.tokens(i)
        assert got.word_ids(i) == expected.word_ids(i)
        assert got.sequence_ids(i) == expected.sequence_ids(i)


@pytest.mark.parametrize("hub_id", IDS + list(FILE_IDS))
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXT, skip=st.booleans())
def test_tokenize_decode_and_convert(hub_id, text, skip):
    ours, ref = pair_of(hub_id)
    assert ours.tokenize(text) == ref.tokenize(text)
    ids = ref.encode(text)
    assert ours.encode(text) == ids
    assert ours.decode(ids, skip_special_tokens=skip) == ref.decode(ids, skip_special_tokens=skip)
    assert ours.decode(torch.tensor(ids)) == ref.decode(torch.tensor(ids))
    assert ours.batch_decode([ids, ids[:2]], skip_special_tokens=skip) == ref.batch_decode([ids, ids[:2]], skip_special_tokens=skip)
    assert ours.convert_ids_to_tokens(ids) == ref.convert_ids_to_tokens(ids)
    assert ours.convert_ids_to_tokens(ids, skip_special_tokens=True) == ref.convert_ids_to_tokens(ids, skip_special_tokens=True)
    tokens = ref.convert_ids_to_tokens(ids)
    assert ours.convert_tokens_to_ids(tokens) == ref.convert_tokens_to_ids(tokens)
    assert ours.convert_tokens_to_string(tokens) == ref.convert_tokens_to_string(tokens)
    for i in ids[:3]:
        assert ours.decode(i) == ref.decode(i)


@pytest.mark.parametrize("hub_id", IDS)
def test_special_tokens_and_vocabulary(hub_id):
    ours, ref = pair_of(hub_id)
    assert ours.special_tokens_map == ref.special_tokens_map
    assert ours.all_special_tokens == ref.all_special_tokens
    assert ours.all_special_ids == ref.all_special_ids
    for name in ("bos", "eos", "unk", "sep", "pad", "cls", "mask"):
        assert getattr(ours, f"{name}_token") == getattr(ref, f"{name}_token")
        assert getattr(ours, f"{name}_token_id") == getattr(ref, f"{name}_token_id")
    assert ours.vocab_size == ref.vocab_size
    assert len(ours) == len(ref)
    assert ours.get_vocab() == ref.get_vocab()
    assert ours.model_max_length == ref.model_max_length
    assert ours.padding_side == ref.padding_side
    assert ours.model_input_names == ref.model_input_names
    assert ours.is_fast and ours.name_or_path == hub_id
    assert ours.convert_tokens_to_ids("certainly-not-a-token-\u2603\u2603") == ref.convert_tokens_to_ids("certainly-not-a-token-\u2603\u2603")
    config = HUB[hub_id].config
    assert ours.add_bos_token == bool(config.add_bos_token) and ours.add_eos_token == bool(config.add_eos_token)
    if config.add_bos_token is not None and ours.bos_token_id is not None:
        assert (ours.encode("a")[:1] == [ours.bos_token_id]) == config.add_bos_token


def test_padding_without_pad_token_is_refused_as_transformers():
    ours, ref = pair_of("gpt2")
    with pytest.raises(ValueError) as expected:
        ref(["a", "b c"], padding=True)
    with pytest.raises(ValueError) as got:
        ours(["a", "b c"], padding=True)
    assert str(got.value) == str(expected.value)
    ours.pad_token = ours.eos_token
    ref.pad_token = ref.eos_token
    try:
        _same(ours(["a", "b c"], padding=True, return_tensors="pt"), ref(["a", "b c"], padding=True, return_tensors="pt"))
    finally:
        ours.pad_token = ref.pad_token = None


def test_ragged_tensors_are_refused_as_transformers():
    ours, ref = pair_of("bert-base-uncased")
    with pytest.raises(ValueError) as expected:
        ref(["a", "b c d"], return_tensors="pt")
    with pytest.raises(ValueError) as got:
        ours(["a", "b c d"], return_tensors="pt")
    assert str(got.value) == str(expected.value)
    _same(ours(["a", "b c d"], return_tensors="np"), ref(["a", "b c d"], return_tensors="np"))


def test_batch_encoding_interface():
    ours, ref = pair_of("bert-base-uncased")
    got, expected = ours("Hello world", "again", return_tensors="pt"), ref("Hello world", "again", return_tensors="pt")
    assert torch.equal(got.input_ids, expected.input_ids)
    assert got.to("cpu") is got and got["attention_mask"].device.type == "cpu"
    assert got.n_sequences == expected.n_sequences == 2
    assert got.is_fast and len(got.encodings) == 1
    for char in range(len("Hello world")):
        assert got.char_to_token(char) == expected.char_to_token(char)
    for token in range(got.input_ids.shape[1]):
        assert got.token_to_chars(token) == expected.token_to_chars(token)
    assert got.word_to_tokens(1) == expected.word_to_tokens(1)
    assert dict(**got).keys() == dict(**expected).keys()


@pytest.mark.parametrize("hub_id", ["microsoft/Phi-3-mini-4k-instruct", "HuggingFaceTB/SmolLM2-135M-Instruct"])
@pytest.mark.parametrize("prompt", [False, True])
def test_apply_chat_template_matches_reference(hub_id, prompt):
    from reference.generation import apply_chat_template

    name = {"microsoft/Phi-3-mini-4k-instruct": "phi-3", "HuggingFaceTB/SmolLM2-135M-Instruct": "smollm2"}[hub_id]
    ours, _ = pair_of(hub_id)
    for messages in ([{"role": "user", "content": "Create a funny joke about chickens."}],
                     [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi 🎵"},
                      {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "déjà vu?"}]):  # fmt: skip
        expected = apply_chat_template(name, messages, add_generation_prompt=prompt)
        out = ours.apply_chat_template(messages, add_generation_prompt=prompt)
        assert out["input_ids"] == expected
        assert ours.apply_chat_template(messages, add_generation_prompt=prompt, return_dict=False) == expected
        tensors = ours.apply_chat_template(messages, add_generation_prompt=prompt, return_tensors="pt")
        assert tensors["input_ids"].tolist() == [expected]


def test_chat_template_refused_without_a_known_format():
    ours, _ = pair_of("gpt2")
    with pytest.raises(ValueError, match="no chat template"):
        ours.apply_chat_template([{"role": "user", "content": "hi"}])


@pytest.mark.parametrize("hub_id", ["microsoft/deberta-base", "microsoft/deberta-v3-xsmall", "google/flan-t5-small",
                                    "facebook/galactica-1.3b", "someone/unknown-model"])  # fmt: skip
def test_unobtainable_ids_are_refused(hub_id):
    with pytest.raises(ModelNotAvailableError, match="cannot be obtained here"):
        AutoTokenizer.from_pretrained(hub_id)


def test_local_folder_and_tokenizer_json_file(tmp_path):
    folder = fetch("all-MiniLM-L6-v2")
    by_folder = AutoTokenizer.from_pretrained(str(folder))
    by_id = AutoTokenizer.from_pretrained("sentence-transformers/all-MiniLM-L6-v2")
    assert by_folder("Hello world") == by_id("Hello world")
    assert by_folder.special_tokens_map == by_id.special_tokens_map and by_folder.model_max_length == 512
    by_file = AutoTokenizer.from_pretrained(folder / "tokenizer.json")
    assert by_file("Hello world")["input_ids"] == by_id("Hello world")["input_ids"]
    assert by_file.model_input_names == ["input_ids", "attention_mask"]


def test_the_chapters_lines():
    tokenizer = AutoTokenizer.from_pretrained("microsoft/Phi-3-mini-4k-instruct")
    _, ref = pair_of("microsoft/Phi-3-mini-4k-instruct")
    prompt = "Write an email apologizing to Sarah for the tragic gardening mishap. Explain how it happened.<|assistant|>"
    input_ids = tokenizer(prompt, return_tensors="pt").input_ids
    assert torch.equal(input_ids, ref(prompt, return_tensors="pt").input_ids)
    assert [tokenizer.decode(i) for i in input_ids[0]] == [ref.decode(i) for i in input_ids[0]]
    bert = AutoTokenizer.from_pretrained("bert-base-uncased")
    tokens = bert("Hello world", return_tensors="pt")
    assert tokens["input_ids"][0].tolist() == [101, 7592, 2088, 102]


BOOK_PROMPT = "Write an email apologizing to Sarah for the tragic gardening mishap. Explain how it happened.<|assistant|>"
#: What the book prints for ``tokenizer(prompt, return_tensors="pt").input_ids`` (ch. 2): no BOS.
BOOK_IDS = [14350, 385, 4876, 27746, 5281, 304, 19235, 363, 278, 25305, 293, 16423, 292, 286, 728, 481, 29889, 12027,
            7420, 920, 372, 9559, 29889, 32001]  # fmt: skip


def test_phi3_gives_the_books_ids_without_bos():
    tokenizer = AutoTokenizer.from_pretrained("microsoft/Phi-3-mini-4k-instruct")
    assert tokenizer(BOOK_PROMPT, return_tensors="pt").input_ids.tolist() == [BOOK_IDS]
    _, ref = pair_of("microsoft/Phi-3-mini-4k-instruct")
    assert ref(BOOK_PROMPT, return_tensors="pt").input_ids.tolist() == [BOOK_IDS]
    assert ref.add_bos_token is False and ref.add_eos_token is False  # configured as the hub entry
    assert tokenizer.encode(BOOK_PROMPT, add_special_tokens=False) == BOOK_IDS
    assert tokenizer.num_special_tokens_to_add() == 0 and tokenizer.num_special_tokens_to_add(pair=True) == 0


@pytest.mark.parametrize("bos", [False, True])
@pytest.mark.parametrize("eos", [False, True])
def test_setting_add_bos_eos_replaces_the_post_processor_as_transformers(bos, eos):
    ours = AutoTokenizer.from_pretrained("microsoft/Phi-3-mini-4k-instruct")
    ref = reference_tokenizer("microsoft/Phi-3-mini-4k-instruct")
    try:
        ours.add_bos_token, ours.add_eos_token = bos, eos
        ref.add_bos_token, ref.add_eos_token = bos, eos
        for args in ((BOOK_PROMPT,), ("déjà vu", "日本 🎵"), (["a", "b c"],)):
            got, expected = ours(*args, return_special_tokens_mask=True), ref(*args, return_special_tokens_mask=True)
            assert dict(got) == dict(expected)
            assert got.sequence_ids(0) == expected.sequence_ids(0)
        assert ours.num_special_tokens_to_add(True) == ref.num_special_tokens_to_add(True)
    finally:
        ref.add_bos_token = ref.add_eos_token = False


def test_llama2_adds_bos_only():
    ours, ref = pair_of("meta-llama/Llama-2-7b-hf")
    assert ours.add_bos_token and not ours.add_eos_token
    assert ours.encode("Hello world")[0] == ours.bos_token_id == 1 and ours.encode("Hello world")[-1] != 2
    assert ours("Hello", "world")["input_ids"] == ref("Hello", "world")["input_ids"]
