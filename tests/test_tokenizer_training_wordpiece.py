"""WordPiece training: the HF mode against tokenizers' WordPieceTrainer, the likelihood
mode on properties and on examples worked by hand from the definition."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from text_corpora import english, multilingual, python_source

from reference.tokenizer_training import hf_wordpiece
from scratch.tokenizers.base import TrainingError
from scratch.tokenizers.folders import from_directory, save_vocab_txt
from scratch.tokenizers.train_wordpiece import count_words, train_wordpiece
from scratch.tokenizers.wordpiece import BERT_SPECIAL_TOKENS


def _fixed_continuations(texts, lowercase=True):
    """BERT's specials + every ``##c`` piece, sorted.

    WordPieceTrainer gives the ``##c`` pieces ids in the order of a Rust ``HashMap`` of
    words, which changes from run to run, and those ids break ties between pairs of equal
    count: two runs of the reference on the same text differ in a few tokens. Listing the
    ``##c`` pieces as special tokens fixes their ids, and the reference becomes
    deterministic (scratch gives them ids in order of first appearance otherwise).
    """
    pieces = sorted({"##" + c for w in count_words(texts, lowercase) for c in w[1:]})
    return list(BERT_SPECIAL_TOKENS) + pieces


@pytest.mark.parametrize(
    "corpus,n_chars,vocab_size,lowercase",
    [(english, 300_000, 3_000, True), (python_source, 200_000, 2_000, False), (multilingual, 200_000, 3_000, True)],
)
def test_hf_mode_equals_wordpiece_trainer(corpus, n_chars, vocab_size, lowercase):
    texts = corpus(n_chars).split("\n\n")
    specials = _fixed_continuations(texts, lowercase)
    expected = hf_wordpiece(texts, vocab_size, special_tokens=specials, lowercase=lowercase)
    got = train_wordpiece(texts, vocab_size, special_tokens=specials, lowercase=lowercase, method="hf", show_progress=False)
    assert got == expected


def test_hf_mode_with_default_specials_is_the_reference_under_one_of_its_hash_orders():
    """With BERT's specials alone, WordPieceTrainer numbers the ``##c`` pieces in the order
    of a Rust ``HashMap`` (a new order each run) and those ids break ties, so two runs of it
    differ in a few tokens, sometimes a dozen. Scratch numbers them in order of first
    appearance: one of the orders the reference can draw. Handing the reference exactly
    scratch's numbering (specials, alphabet and ``##c`` pieces listed as special tokens, in
    scratch's id order) makes it deterministic, and it must then give scratch's vocabulary,
    id for id."""
    texts = english(200_000, offset=3_000_000).split("\n\n")
    got = train_wordpiece(texts, 2_000, method="hf", show_progress=False)
    alphabet = sorted({c for w in count_words(texts) for c in w})
    continuations = {"##" + c for w in count_words(texts) for c in w[1:]}
    initial = sorted(got, key=got.get)[: len(BERT_SPECIAL_TOKENS) + len(alphabet) + len(continuations)]
    assert initial[: len(BERT_SPECIAL_TOKENS) + len(alphabet)] == list(BERT_SPECIAL_TOKENS) + alphabet
    assert set(initial[len(BERT_SPECIAL_TOKENS) + len(alphabet) :]) == continuations
    assert got == hf_wordpiece(texts, 2_000, special_tokens=initial)


# ---- the likelihood criterion, by hand ---------------------------------------------------
#
# "ab ab ab ac cb": words ab x3, ac, cb. Ids: a=0 b=1 c=2, ##b=3, ##c=4 (first appearance).
# Segmentation a ##b (x3), a ##c, c ##b; piece counts a=4, ##b=4, ##c=1, c=1.
#   score(a, ##b) = 3 / (4 * 4) = 0.1875
#   score(a, ##c) = 1 / (4 * 1) = 0.25   <- tie with (c, ##b) on score and count;
#   score(c, ##b) = 1 / (1 * 4) = 0.25      the smaller ids (0, 4) < (2, 3) win: "ac"
# then a=3, ##b=4, ac=1, c=1: score(a, ##b) = 3/12 = 0.25 = score(c, ##b) = 1/4, and the
# higher pair count wins: "ab"; then ##b=1: score(c, ##b) = 1/(1*1): "cb".
# Frequency (the HF mode) takes "ab" (3 times) first, then the tie (a, ##c) < (c, ##b).
HAND = ["ab ab ab ac cb"]


def test_likelihood_by_hand():
    vocab = train_wordpiece(HAND, 8, special_tokens=(), show_progress=False)
    assert sorted(vocab, key=vocab.get) == ["a", "b", "c", "##b", "##c", "ac", "ab", "cb"]


def test_frequency_by_hand():
    vocab = train_wordpiece(HAND, 8, special_tokens=(), method="hf", show_progress=False)
    assert sorted(vocab, key=vocab.get) == ["a", "b", "c", "##b", "##c", "ab", "ac", "cb"]


def test_likelihood_prefers_faithful_pairs_to_frequent_ones():
    # "th" is frequent, but t and h are everywhere; "qu" is rarer, and q is always followed by u.
    text = " ".join(["the", "that", "this", "then", "with", "hat", "tea", "hot"] * 20 + ["quiz", "quay"] * 5)
    alphabet = len(set(text.replace(" ", ""))) + len({c for w in text.split() for c in w[1:]})
    likelihood = train_wordpiece([text], alphabet + 1, special_tokens=(), show_progress=False)
    frequency = train_wordpiece([text], alphabet + 1, special_tokens=(), method="hf", show_progress=False)
    assert max(likelihood, key=likelihood.get) == "qu"
    assert max(frequency, key=frequency.get) == "th"


words = st.lists(st.text(alphabet="abcdé", min_size=1, max_size=8), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(words=words, extra=st.integers(0, 25))
def test_likelihood_properties(words, extra):
    text = " ".join(words)
    counts = count_words([text])
    alphabet = sorted({c for w in counts for c in w})
    continuations = {"##" + c for w in counts for c in w[1:]}
    size = len(BERT_SPECIAL_TOKENS) + len(alphabet) + extra
    vocab = train_wordpiece([text], size, show_progress=False)
    ordered = sorted(vocab, key=vocab.get)
    # ids 0..n-1, specials first, then the alphabet, all continuations, never over size
    assert sorted(vocab.values()) == list(range(len(vocab))) and len(vocab) <= max(size, len(vocab))
    assert ordered[: len(BERT_SPECIAL_TOKENS)] == list(BERT_SPECIAL_TOKENS)
    assert ordered[len(BERT_SPECIAL_TOKENS) : len(BERT_SPECIAL_TOKENS) + len(alphabet)] == alphabet
    assert continuations <= set(vocab)
    # every other piece joins two earlier pieces
    start = len(BERT_SPECIAL_TOKENS) + len(alphabet) + len(continuations)
    for i, piece in enumerate(ordered[start:], start):
        earlier = set(ordered[:i])
        body, prefix = (piece[2:], "##") if piece.startswith("##") else (piece, "")
        assert any(prefix + body[:k] in earlier and "##" + body[k:] in earlier for k in range(1, len(body)))
    # the first join has the best score, computed here from the definition
    if len(ordered) > start:
        pieces = Counter()
        pairs = Counter()
        for w, n in counts.items():
            seg = [w[0]] + ["##" + c for c in w[1:]]
            for p in seg:
                pieces[p] += n
            for a, b in zip(seg, seg[1:]):
                pairs[a, b] += n
        best = max(c / (pieces[a] * pieces[b]) for (a, b), c in pairs.items())
        first = ordered[start]
        assert any(
            c / (pieces[a] * pieces[b]) == best and a + b.removeprefix("##") == first for (a, b), c in pairs.items()
        )


@settings(max_examples=60, deadline=None)
@given(words=words, extra=st.integers(0, 25), min_frequency=st.integers(0, 3))
def test_readable_and_incremental_likelihood_loops_agree(words, extra, min_frequency):
    text = " ".join(words)
    size = len(BERT_SPECIAL_TOKENS) + len(set(text.replace(" ", ""))) + extra
    fast = train_wordpiece([text], size, min_frequency, show_progress=False)
    assert fast == train_wordpiece([text], size, min_frequency, show_progress=False, readable=True)


def test_readable_and_incremental_likelihood_loops_agree_on_real_text():
    texts = multilingual(15_000).split("\n\n") + python_source(10_000).split("\n\n")
    size = len(_fixed_continuations(texts)) + len({c for w in count_words(texts) for c in w}) + 400
    fast = train_wordpiece(texts, size, show_progress=False)
    assert len(fast) == size
    assert fast == train_wordpiece(texts, size, show_progress=False, readable=True)


def test_trained_vocabulary_loads_in_scratch_and_tokenizers(tmp_path):
    from tokenizers import Tokenizer

    texts = english(100_000, offset=4_000_000).split("\n\n")
    vocab = train_wordpiece(texts, 1_200, show_progress=False)
    save_vocab_txt(vocab, tmp_path)
    scratch_tok = from_directory(tmp_path)
    reference = Tokenizer.from_file(str(tmp_path / "tokenizer.json"))
    for text in ["The quick brown fox, unbelievably, jumped!", "Ünïcödé and 你好 words", texts[3][:300]]:
        assert scratch_tok.encode(text) == reference.encode(text).ids
    assert (tmp_path / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1] == sorted(vocab, key=vocab.get)


@pytest.mark.parametrize("method", ["likelihood", "hf"])
def test_bad_input_gives_clear_errors(method):
    with pytest.raises(TrainingError, match="empty"):
        train_wordpiece([], 100, method=method, show_progress=False)
    with pytest.raises(TrainingError, match="empty"):
        train_wordpiece(["   ", ""], 100, method=method, show_progress=False)
    with pytest.raises(TrainingError, match="smaller than the alphabet"):
        train_wordpiece(["abcdef"], 8, method=method, show_progress=False)
    with pytest.raises(TrainingError, match="more than once"):
        train_wordpiece(["abc"], 100, special_tokens=["[UNK]", "[UNK]"], method=method, show_progress=False)
    with pytest.raises(TrainingError, match="collide"):
        train_wordpiece(["abc"], 100, special_tokens=["[UNK]", "a"], method=method, show_progress=False)
    with pytest.raises(TrainingError, match="unknown method"):
        train_wordpiece(["abc"], 100, method="unigram", show_progress=False)
