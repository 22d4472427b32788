"""Added tokens in the pipeline (``scratch/tokenizers/pipeline/added_vocabulary.py``) against
``tokenizers``: the cases the random pipelines found, and ``single_word`` on every code point.

``single_word`` asks Rust's ``regex`` crate whether the character before or after a match
is a word character (``\\w``): in the reference's Unicode version, not Python's (a newly
assigned CJK ideograph such as U+323B0 is a letter to the ``regex`` module, not to it).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import AddedToken, Tokenizer, models

from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer


def pair(added: list[AddedToken]) -> tuple[PipelineTokenizer, Tokenizer]:
    reference = Tokenizer(models.WordLevel({"[UNK]": 0}, unk_token="[UNK]"))
    reference.add_tokens(added)
    return PipelineTokenizer.from_json(json.loads(reference.to_str())), reference


def code_points(first: int, last: int) -> list[str]:
    return [chr(c) for c in range(first, last + 1) if not 0xD800 <= c <= 0xDFFF]


@pytest.mark.parametrize("block", [(0, 0x3FFFF)])
def test_single_word_sees_word_characters_as_the_reference(block):
    """``<t>`` with ``single_word`` after and before every code point of planes 0-3: matched
    exactly where the reference matches it (one [UNK] piece per character otherwise)."""
    ours, reference = pair([AddedToken("<t>", single_word=True, normalized=False)])
    characters = code_points(*block)
    for i in range(0, len(characters), 40_000):
        chunk = characters[i : i + 40_000]
        for text in ("\n".join(c + "<t>" for c in chunk), "\n".join("<t>" + c for c in chunk)):
            assert ours.encode(text) == reference.encode(text).ids


@pytest.mark.parametrize(
    "added, text",
    [
        # an rstrip match that swallows the next token's lstrip whitespace: that token is dropped
        ([AddedToken("<|endoftext|>", rstrip=True, normalized=False), AddedToken("\n", lstrip=True, normalized=False)],
         "a<|endoftext|>\nb"),
        # a match inside the previous one's rstrip is still a piece of its own
        ([AddedToken("<e>", rstrip=True, normalized=False), AddedToken("\n", normalized=False)], "x<e>\ny"),
        ([AddedToken("\n", single_word=True, lstrip=True, rstrip=True, normalized=False)], "a \n b\n\nc"),
        # a newly assigned ideograph next to a single_word token: not a word character to the reference
        ([AddedToken("<|endoftext|>", single_word=True, normalized=False)], "\U000323b0<|endoftext|>"),
    ],
)  # fmt: skip
def test_cases_the_random_pipelines_found(added, text):
    ours, reference = pair(added)
    expected = reference.encode(text)
    got = ours.encode_full(text)
    assert (got.ids, got.tokens, got.offsets) == (expected.ids, expected.tokens, expected.offsets)


WORDS = ["a", "b", "c", "<x>", "<y>", "[UNK]", ""]


@settings(max_examples=300, deadline=None)
@given(
    vocab=st.lists(st.sampled_from(["a", "b", "c", "<y>"]), unique=True).map(lambda ws: ["[UNK]", *ws]),
    added=st.lists(st.tuples(st.sampled_from(WORDS), st.integers(0, 12), st.booleans(), st.booleans()), max_size=6),
    text=st.lists(st.sampled_from(["a", "b", "c", "<x>", "<y>", "[UNK]", " "]), max_size=10).map("".join),
)
def test_added_token_ids_are_the_ones_the_reference_gives_on_load(vocab, added, text):
    """A file's ``added_tokens`` carry ids that the reference does not use: it adds them in the
    file's order, each content taking its known id (an earlier entry's or the model's) or the
    next free id from the model's size. Written ids drawn at random, duplicates and empty
    contents included: ids, decoding tables and encodings equal to the reference's."""
    model = {"type": "WordLevel", "vocab": {w: i for i, w in enumerate(vocab)}, "unk_token": "[UNK]"}
    spec = {"version": "1.0", "truncation": None, "padding": None, "normalizer": None,
            "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": None, "decoder": None, "model": model,
            "added_tokens": [{"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
                              "normalized": normalized, "special": special} for c, i, normalized, special in added]}  # fmt: skip
    reference = Tokenizer.from_str(json.dumps(spec))
    ours = PipelineTokenizer.from_json(spec)
    assert {t.id: t.content for t in ours.added_vocabulary.tokens} == {
        i: t.content for i, t in reference.get_added_tokens_decoder().items()}
    assert ours.get_vocab() == reference.get_vocab(with_added_tokens=True)
    assert ours.encode(text) == reference.encode(text).ids
