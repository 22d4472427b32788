"""Byte-level BPE training: scratch's train_bpe against tokenizers' BpeTrainer.

Exact merges (in order) and vocabulary on real corpora, on tie-heavy toy corpora, the
readable recount loop against the fast one, the readable merge loop (``merge_loop``)
against the compiled one that ``train_bpe`` runs (``merge_loop_compiled``), the saved
folder loaded by scratch and by tokenizers/transformers, round trips, and clear errors
on bad input.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from text_corpora import english, multilingual, python_source

from reference.tokenizer_training import hf_bpe, hf_bpe_tokenizer
from scratch.tokenizers.base import TrainingError
from scratch.tokenizers.folders import from_directory, save_byte_bpe
from scratch.tokenizers.train_bpe import BYTE_TO_CHAR, count_words, initial_vocab, merge_loop, train_bpe, train_bpe_naive
from scratch.tokenizers.train_bpe_numba import merge_loop_compiled


def _docs(text: str) -> list[str]:
    return text.split("\n\n")


def _assert_same(result, reference) -> None:
    merges, vocab = reference
    first = next((i for i, (x, y) in enumerate(zip(merges, result.merges)) if x != y), None)
    assert first is None, f"merge {first} differs: reference {merges[first]}, scratch {result.merges[first]}"
    assert len(result.merges) == len(merges)
    assert result.vocab == vocab


CASES = [
    # corpus, n_chars, vocab_size, pre-tokenizer, special tokens
    ("english", 200_000, 300, "gpt2", ()),
    ("english", 400_000, 5_000, "gpt2", ("<|endoftext|>",)),
    ("python", 400_000, 3_000, "gpt2", ()),
    ("python", 300_000, 2_000, "cl100k", ("<pad>", "<eos>")),
    ("multilingual", 400_000, 4_000, "gpt2", ()),
    ("multilingual", 300_000, 1_500, "cl100k", ()),
]
CORPORA = {"english": english, "python": python_source, "multilingual": multilingual}


@pytest.mark.parametrize("corpus,n_chars,vocab_size,pre,specials", CASES)
def test_train_bpe_equals_bpe_trainer_on_real_text(corpus, n_chars, vocab_size, pre, specials):
    texts = _docs(CORPORA[corpus](n_chars))
    result = train_bpe(texts, vocab_size, special_tokens=specials, pretokenizer=pre, show_progress=False)
    _assert_same(result, hf_bpe(texts, vocab_size, special_tokens=specials, pretokenizer=pre))
    assert len(result.vocab) == vocab_size


def test_train_bpe_equals_bpe_trainer_at_30k():
    """The larger case: 30,000 tokens from 1.2 MB of Python + English, pairs seen once included."""
    texts = _docs(python_source(600_000)) + _docs(english(600_000, offset=5_000_000))
    result = train_bpe(texts, 30_000, min_frequency=1, show_progress=False)
    _assert_same(result, hf_bpe(texts, 30_000, min_frequency=1))
    assert len(result.vocab) == 30_000


def test_min_frequency_stops_training_like_the_reference():
    texts = _docs(english(100_000, offset=1_000_000))
    for min_frequency in (1, 5, 50):
        result = train_bpe(texts, 20_000, min_frequency=min_frequency, show_progress=False)
        _assert_same(result, hf_bpe(texts, 20_000, min_frequency=min_frequency))


# Tiny alphabets make many pairs tie on count, and words that re-create a token through
# another pair ("ab"+"c" and "a"+"bc"): the reference's tie-breaking and lazy queue decide.
tie_texts = st.lists(st.text(alphabet="aabbc é\n", min_size=1, max_size=30), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=tie_texts, extra=st.integers(1, 40), min_frequency=st.integers(0, 3))
def test_ties_are_broken_like_the_reference(texts, extra, min_frequency):
    specials = ("<s>",)
    vocab_size = 257 + extra
    result = train_bpe(texts, vocab_size, min_frequency, specials, show_progress=False)
    _assert_same(result, hf_bpe(texts, vocab_size, min_frequency, specials))


def test_hand_made_ties():
    # "ab", "bc", "cd" all occur 4 times: the smallest (left id, right id) goes first,
    # ids following the code points ('a' < 'b' < 'c'), so ab, then ...
    texts = ["abcd abcd dcba dcba", "cdab cdab"]
    result = train_bpe(texts, 270, min_frequency=1, show_progress=False)
    _assert_same(result, hf_bpe(texts, 270, min_frequency=1))


@settings(max_examples=100, deadline=None)
@given(texts=tie_texts, extra=st.integers(1, 30))
def test_readable_and_fast_versions_agree(texts, extra):
    naive = train_bpe_naive(texts, 256 + extra, min_frequency=1)
    # Where a merge re-creates an existing token the reference's lazy queue (which the
    # fast version follows) can split that merge in two; the recount loop cannot.
    assume(len(naive.merges) == len(naive.vocab) - 256)
    fast = train_bpe(texts, 256 + extra, min_frequency=1, show_progress=False)
    assert fast.merges == naive.merges
    assert fast.vocab == naive.vocab


def readable_and_compiled(texts, vocab_size, min_frequency, specials, pretokenizer="gpt2"):
    """(merges, tokens, token ids) of the readable ``merge_loop`` and of ``merge_loop_compiled``
    from the same word counts and starting vocabulary."""
    counts = count_words(texts, pretokenizer, workers=1)
    start = initial_vocab(vocab_size, specials)
    outcomes = []
    for loop in ("readable", "compiled"):
        tokens, token_id = list(start), {t: i for i, t in enumerate(start)}
        if loop == "readable":
            byte_id = [token_id[BYTE_TO_CHAR[b]] for b in range(256)]
            words = [[byte_id[b] for b in w.encode("utf-8")] for w in counts]
            merges = merge_loop(words, list(counts.values()), tokens, token_id, vocab_size, min_frequency)
        else:
            words = [w.encode("utf-8") for w in counts]
            lengths = np.array([len(w) for w in words], dtype=np.int64)
            counted = np.array(list(counts.values()), dtype=np.int64)
            merges = merge_loop_compiled(b"".join(words), lengths, counted, tokens, token_id, vocab_size, min_frequency)
        outcomes.append((merges, tokens, token_id))
    return outcomes


# special tokens a merge can make again ("ab", "<s>": byte spellings) and one it cannot ("a b": a real space)
SPECIALS = st.sampled_from([(), ("<s>",), ("ab",), ("a b", "bb"), ("Ġa", "aa", "<|endoftext|>")])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=tie_texts, extra=st.integers(1, 60), min_frequency=st.integers(0, 3), specials=SPECIALS)
def test_compiled_merge_loop_equals_the_readable_one(texts, extra, min_frequency, specials):
    vocab_size = 256 + len(specials) + extra
    readable, compiled = readable_and_compiled(texts, vocab_size, min_frequency, specials)
    assert compiled == readable


@pytest.mark.parametrize("corpus,pre", [("english", "gpt2"), ("multilingual", "cl100k")])
def test_compiled_merge_loop_equals_the_readable_one_on_real_text(corpus, pre):
    texts = _docs(CORPORA[corpus](300_000))
    readable, compiled = readable_and_compiled(texts, 4_000, 2, ("<|endoftext|>",), pre)
    assert len(readable[0]) > 3_000
    assert compiled == readable


def test_readable_version_on_real_text():
    texts = _docs(python_source(20_000))
    naive = train_bpe_naive(texts, 400)
    assert len(naive.merges) == len(naive.vocab) - 256
    _assert_same(naive, hf_bpe(texts, 400))


# ---- saving, loading, round trips -----------------------------------------------------


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    texts = _docs(python_source(150_000)) + _docs(english(150_000, offset=2_000_000))
    specials = ("<|endoftext|>", "<pad>")
    folder = tmp_path_factory.mktemp("bpe")
    save_byte_bpe(train_bpe(texts, 1_500, special_tokens=specials, show_progress=False), folder)
    reference = hf_bpe_tokenizer(texts, 1_500, special_tokens=specials)
    return folder, reference


SAMPLES = [
    "def f(x):\n        return x ** 2  # square\n",
    "The quick brown fox jumps over the lazy dog.",
    "emoji 🎵 and CJK 你好, Привет <|endoftext|> done",
    "  \t\n\n  trailing   spaces   ",
]


def test_saved_folder_loads_in_scratch_tokenizers_and_transformers(trained):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    from scratch.tokenizers.byte_bpe import from_vocab_merges

    folder, reference = trained
    scratch_tok = from_directory(folder)
    scratch_files = from_vocab_merges(folder / "vocab.json", folder / "merges.txt")
    hf_json = Tokenizer.from_file(str(folder / "tokenizer.json"))
    hf_files = Tokenizer(models.BPE.from_file(str(folder / "vocab.json"), str(folder / "merges.txt")))
    hf_files.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    fast = PreTrainedTokenizerFast(tokenizer_file=str(folder / "tokenizer.json"))
    for text in SAMPLES:
        expected = reference.encode(text).ids
        assert scratch_tok.encode(text) == expected
        assert hf_json.encode(text).ids == expected
        assert fast.encode(text) == expected
        assert scratch_files.encode(text) == expected
        plain = text.replace("<|endoftext|>", "")
        assert hf_files.encode(plain).ids == reference.encode(plain).ids


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_round_trip_any_string(trained, text):
    folder, reference = trained
    tok = from_directory(folder)
    ids = tok.encode(text)
    assert tok.decode(ids) == text
    assert ids == reference.encode(text).ids


# ---- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("trainer", [train_bpe, train_bpe_naive])
def test_bad_input_gives_clear_errors(trainer):
    kw = {"show_progress": False} if trainer is train_bpe else {}
    with pytest.raises(TrainingError, match="empty"):
        trainer([], 300, **kw)
    with pytest.raises(TrainingError, match="empty"):
        trainer(["", ""], 300, **kw)
    with pytest.raises(TrainingError, match="smaller than the alphabet"):
        trainer(["some text"], 257, special_tokens=["<a>", "<b>"], **kw)
    with pytest.raises(TrainingError, match="more than once"):
        trainer(["some text"], 300, special_tokens=["<a>", "<a>"], **kw)
    with pytest.raises(TrainingError, match="collide"):
        trainer(["some text"], 300, special_tokens=["a"], **kw)
    with pytest.raises(TrainingError, match="pre-tokenizer"):
        trainer(["some text"], 300, pretokenizer="bert", **kw)
