"""The model stage of the pipeline (scratch/tokenizers/pipeline/models.py) against
Hugging Face ``tokenizers``.

Oracle: the reference model alone in a ``tokenizers.Tokenizer`` (no normalizer, no
pre-tokenizer), so ``encode(word)`` gives that model's ids, tokens and (character)
offsets for one pre-token. Models: small ones trained by ``tokenizers``' own trainers on
English book text plus non-ASCII text, random ones drawn by hypothesis (merge order and
Viterbi tie rules), and the real GPT-2 BPE and all-MiniLM-L6-v2 WordPiece vocabularies.
Hypothesis draws the options and the words.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from functools import lru_cache

import pytest
import tokenizers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import models as ref_models
from tokenizers import pre_tokenizers, trainers

from scratch.artifacts import fetch_file
from scratch.data import data_path
from scratch.tokenizers.bytes_to_unicode import spell
from scratch.tokenizers.pipeline.models import (
    BPE,
    Unigram,
    WordLevel,
    WordPiece,
    byte_token,
    model_from_json,
    serde_json_f64,
)
from scratch.tokenizers.base import MalformedVocabError
from scratch.tokenizers.pipeline.spec import UnsupportedComponentError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

NON_ASCII = (
    "café naïve Straße résumé façade 東京 日本語の文章 😀👍🏽 e\u0301 ñandú Ελληνικά русский язык 한국어 "
    "ﬁnance Ⅻ ½ ٣ क्षि \u00a0 \u3000 İstanbul ǅ"
)
#: characters the trained models have never seen (so: unknown)
UNSEEN = "ᚠᚢᚦ🜁🜂ꙮ𝔘"


@lru_cache(maxsize=None)
def english() -> str:
    with open(data_path("gutenberg", "english.txt"), encoding="utf-8") as f:
        return f.read(200_000)


@lru_cache(maxsize=None)
def corpus_words() -> list[str]:
    return sorted(set(english()[30_000:120_000].split()) | set(NON_ASCII.split()))


@lru_cache(maxsize=None)
def trained(kind: str) -> dict:
    """A small model trained by ``tokenizers`` (its ``tokenizer.json`` model object)."""
    lines = english()[:20_000].splitlines() + NON_ASCII.split() * 3
    model, trainer = {
        "bpe": (ref_models.BPE(unk_token="<unk>"), trainers.BpeTrainer(vocab_size=700, special_tokens=["<unk>"], show_progress=False)),
        "bpe-affixes": (
            ref_models.BPE(unk_token="<unk>", continuing_subword_prefix="##", end_of_word_suffix="</w>"),
            trainers.BpeTrainer(vocab_size=700, special_tokens=["<unk>"], continuing_subword_prefix="##",
                                end_of_word_suffix="</w>", show_progress=False),
        ),
        "wordpiece": (ref_models.WordPiece(unk_token="[UNK]"), trainers.WordPieceTrainer(vocab_size=700, special_tokens=["[UNK]"], show_progress=False)),
        "wordlevel": (ref_models.WordLevel(unk_token="<unk>"), trainers.WordLevelTrainer(vocab_size=700, special_tokens=["<unk>"], show_progress=False)),
        "unigram": (ref_models.Unigram(), trainers.UnigramTrainer(vocab_size=400, special_tokens=["<unk>"], unk_token="<unk>", show_progress=False)),
    }[kind]  # fmt: skip
    tok = tokenizers.Tokenizer(model)
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(lines, trainer)
    return json.loads(tok.to_str())["model"]


def alone(model) -> tokenizers.Tokenizer:
    """A reference model alone in a tokenizer: ``encode`` runs only the model."""
    return tokenizers.Tokenizer(model)


def reference_json(model) -> dict:
    return json.loads(alone(model).to_str())["model"]


def reference_from_json(spec: dict) -> tokenizers.Tokenizer:
    return tokenizers.Tokenizer.from_str(json.dumps({
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": [], "normalizer": None,
        "pre_tokenizer": None, "post_processor": None, "decoder": None, "model": spec,
    }))  # fmt: skip


def assert_same(reference: tokenizers.Tokenizer, ours, word: str) -> None:
    """Same ids, tokens and offsets for one word, or the same failure."""
    try:
        expected = reference.encode(word)
    except Exception:
        with pytest.raises(MalformedVocabError):
            ours.tokenize(word)
        return
    got = ours.tokenize(word)
    assert [t.id for t in got] == expected.ids, word
    assert [t.value for t in got] == expected.tokens, word
    assert [t.offsets for t in got] == expected.offsets, word


def alphabet() -> str:
    sample = english()[:20_000]
    return "".join(sorted(set(sample) - {"\n", "\r"})) + NON_ASCII.replace(" ", "") + UNSEEN


def words() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(corpus_words()),
        st.text(alphabet=alphabet(), min_size=1, max_size=16),
        st.text(min_size=1, max_size=8).filter(lambda w: not any("\ud800" <= c <= "\udfff" for c in w)),
    )


# --- BPE ------------------------------------------------------------------------------


def bpe_parts(kind: str, missing_bytes: frozenset[int] = frozenset(), with_bytes: bool = False):
    spec = trained(kind)
    vocab = dict(spec["vocab"])
    if with_bytes:
        for b in range(256):
            if b not in missing_bytes:
                vocab.setdefault(byte_token(b), len(vocab))
    return vocab, [tuple(m) for m in spec["merges"]], spec


@st.composite
def bpe_options(draw):
    kind = draw(st.sampled_from(["bpe", "bpe-affixes"]))
    byte_fallback = kind == "bpe" and draw(st.booleans())
    options = {
        "unk_token": draw(st.sampled_from(["<unk>", None])),
        "fuse_unk": draw(st.booleans()),
        "byte_fallback": byte_fallback,
        "ignore_merges": draw(st.booleans()),
        "dropout": draw(st.sampled_from([None, 0.0, 1.0])),
    }
    if kind == "bpe-affixes":
        options |= {"continuing_subword_prefix": "##", "end_of_word_suffix": "</w>"}
    missing = frozenset(draw(st.sets(st.sampled_from([0x41, 0xC3, 0xE2, 0xF0, 0xE1, 0x9A]), max_size=2)))
    return kind, options, missing


@SETTINGS
@given(bpe_options(), st.lists(words(), min_size=1, max_size=4))
def test_bpe_matches_tokenizers(drawn, words_):
    kind, options, missing = drawn
    vocab, merges, _ = bpe_parts(kind, missing, options["byte_fallback"])
    reference = ref_models.BPE(vocab, merges, **options)
    ours = BPE(vocab, merges, **options)
    for word in words_:
        assert_same(alone(reference), ours, word)
    assert ours.to_json() == reference_json(reference)


def test_bpe_trained_models_load_and_match():
    for kind in ["bpe", "bpe-affixes"]:
        spec = trained(kind)
        ours, reference = model_from_json(spec), reference_from_json(spec)
        assert ours.to_json() == json.loads(reference.to_str())["model"]
        for word in corpus_words()[::7] + list(UNSEEN):
            assert_same(reference, ours, word)


@st.composite
def random_bpe(draw):
    """A BPE over a tiny alphabet with random merges (repeated pairs too): every rank and
    position tie the merge loop can meet."""
    letters = "abcé"
    vocab = {c: i for i, c in enumerate(letters)}
    merges = []
    for _ in range(draw(st.integers(0, 12))):
        tokens = sorted(vocab)
        left, right = draw(st.sampled_from(tokens)), draw(st.sampled_from(tokens))
        merges.append((left, right))
        vocab.setdefault(left + right, len(vocab))
    word = draw(st.text(alphabet=letters + "x", min_size=1, max_size=14))
    return vocab, merges, word


@SETTINGS
@given(random_bpe(), st.booleans(), st.booleans())
def test_bpe_merge_order_ties_and_duplicates(drawn, ignore_merges, with_unk):
    vocab, merges, word = drawn
    if with_unk:
        vocab = vocab | {"<unk>": len(vocab)}
    options = {"ignore_merges": ignore_merges, "unk_token": "<unk>" if with_unk else None}
    reference = ref_models.BPE(vocab, merges, **options)
    ours = BPE(vocab, merges, **options)
    assert_same(alone(reference), ours, word)
    assert ours.to_json() == reference_json(reference)


@lru_cache(maxsize=None)
def gpt2_parts():
    vocab = json.loads(fetch_file("gpt2", "vocab.json").read_text(encoding="utf-8"))
    lines = fetch_file("gpt2", "merges.txt").read_text(encoding="utf-8").splitlines()
    merges = [tuple(line.split(" ")) for line in lines[1:] if line]
    return vocab, merges


@lru_cache(maxsize=None)
def gpt2_models(ignore_merges: bool):
    vocab, merges = gpt2_parts()
    return alone(ref_models.BPE(vocab, merges, ignore_merges=ignore_merges)), BPE(vocab, merges, ignore_merges=ignore_merges)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(words(), min_size=1, max_size=6), st.booleans(), st.booleans())
def test_bpe_gpt2_vocabulary(words_, leading_space, ignore_merges):
    reference, ours = gpt2_models(ignore_merges)
    for word in words_:
        assert_same(reference, ours, spell((" " * leading_space + word).encode("utf-8")))


def test_gpt2_json_round_trip():
    reference, ours = gpt2_models(False)
    spec = ours.to_json()
    assert spec == json.loads(reference.to_str())["model"]
    loaded = reference_from_json(spec)
    for word in corpus_words()[::50]:
        word = spell(word.encode("utf-8"))
        assert loaded.encode(word).ids == ours.tokenize_ids(word)


def test_bpe_legacy_merge_strings_equal_pairs():
    spec = trained("bpe-affixes")
    legacy = spec | {"merges": ["#version: 0.2"] + [" ".join(m) for m in spec["merges"]]}
    ours, reference = model_from_json(legacy), reference_from_json(legacy)
    assert ours.to_json() == model_from_json(spec).to_json() == json.loads(reference.to_str())["model"]
    for word in corpus_words()[::31]:
        assert_same(reference, ours, word)


def test_bpe_byte_fallback_offsets_are_the_characters():
    vocab, merges, _ = bpe_parts("bpe", with_bytes=True)
    ours = BPE(vocab, merges, unk_token="<unk>", byte_fallback=True)
    tokens = ours.tokenize("a" + UNSEEN[0] + "b")
    assert [t.value for t in tokens[1:4]] == ["<0xE1>", "<0x9A>", "<0xA0>"]
    assert {t.offsets for t in tokens[1:4]} == {(1, 2)}
    assert_same(alone(ref_models.BPE(vocab, merges, unk_token="<unk>", byte_fallback=True)), ours, "a" + UNSEEN[0] + "b")


def test_bpe_dropout_is_reproducible_with_a_seed():
    """Dropout is random (the reference's cannot be reproduced): same seed, same tokens;
    the tokens always spell the word; the results vary, and are never cached."""
    vocab, merges, _ = bpe_parts("bpe")
    text = "extraordinarily"
    runs = [[BPE(vocab, merges, dropout=0.5, seed=seed).tokenize(text) for _ in range(2)] for seed in range(12)]
    for first, second in runs:
        assert first == second
        assert "".join(t.value for t in first) == text
        ends = [sum(len(t.value) for t in first[: i + 1]) for i in range(len(first))]
        assert [t.offsets for t in first] == list(zip([0] + ends[:-1], ends))
    assert len({tuple(t.value for t in run[0]) for run in runs}) > 1
    model = BPE(vocab, merges, dropout=0.5, seed=3)
    assert len({tuple(model.tokenize(text)) for _ in range(20)}) > 1
    assert model_from_json(model.to_json(), seed=3).tokenize(text) == BPE(vocab, merges, dropout=0.5, seed=3).tokenize(text)
    assert model.to_json() == reference_json(ref_models.BPE(vocab, merges, dropout=0.5))


# --- WordPiece, WordLevel -------------------------------------------------------------


@lru_cache(maxsize=None)
def minilm_spec() -> dict:
    return json.loads(fetch_file("all-MiniLM-L6-v2", "tokenizer.json").read_text(encoding="utf-8"))["model"]


@SETTINGS
@given(st.lists(words(), min_size=1, max_size=5), st.sampled_from(["minilm", "trained"]),
       st.one_of(st.integers(0, 12), st.just(100)), st.booleans())  # fmt: skip
def test_wordpiece_matches_tokenizers(words_, source, max_chars, lowercase):
    spec = minilm_spec() if source == "minilm" else trained("wordpiece")
    options = {"unk_token": spec["unk_token"], "max_input_chars_per_word": max_chars,
               "continuing_subword_prefix": spec["continuing_subword_prefix"]}  # fmt: skip
    reference = ref_models.WordPiece(spec["vocab"], **options)
    ours = WordPiece(spec["vocab"], **options)
    for word in words_:
        assert_same(alone(reference), ours, word.lower() if lowercase else word)
    if source == "trained":
        assert ours.to_json() == reference_json(reference)


def test_wordpiece_real_vocabulary_json():
    spec = minilm_spec()
    ours, reference = model_from_json(spec), reference_from_json(spec)
    assert ours.to_json() == json.loads(reference.to_str())["model"]
    assert ours.vocab_size == reference.get_vocab_size() and ours.get_vocab() == reference.get_vocab()
    for word in [w.lower() for w in corpus_words()[::13]] + ["é" * 100, "é" * 101, "x" * 100 + "é"]:
        assert_same(reference, ours, word)


def test_wordpiece_max_input_chars_counts_characters_not_bytes():
    spec = minilm_spec()
    for word, limit in [("café", 4), ("東京", 2), ("naïve", 5), ("café", 3)]:
        options = {"unk_token": "[UNK]", "max_input_chars_per_word": limit}
        ours = WordPiece(spec["vocab"], **options)
        assert_same(alone(ref_models.WordPiece(spec["vocab"], **options)), ours, word)
        if len(word) > limit:
            assert [t.value for t in ours.tokenize(word)] == ["[UNK]"]
    limited = WordPiece(spec["vocab"], unk_token="[UNK]", max_input_chars_per_word=2)
    assert [t.value for t in limited.tokenize("東京")] == ["東", "##京"]  # 2 characters, 6 bytes


@SETTINGS
@given(st.lists(words(), min_size=1, max_size=5), st.sampled_from(["<unk>", "[MISSING]"]))
def test_wordlevel_matches_tokenizers(words_, unk_token):
    vocab = trained("wordlevel")["vocab"]
    reference, ours = ref_models.WordLevel(vocab, unk_token=unk_token), WordLevel(vocab, unk_token=unk_token)
    for word in words_ + ["the", "and"]:
        assert_same(alone(reference), ours, word)
    assert ours.to_json() == reference_json(reference)


# --- Unigram --------------------------------------------------------------------------


def unigram_vocab(with_bytes: bool, missing_bytes: frozenset[int] = frozenset()) -> list[tuple[str, float]]:
    vocab = [tuple(entry) for entry in trained("unigram")["vocab"]]
    if with_bytes:
        vocab += [(byte_token(b), -20.0) for b in range(256) if b not in missing_bytes]
    return vocab


@SETTINGS
@given(st.lists(words(), min_size=1, max_size=4), st.booleans(), st.sampled_from([0, None]),
       st.sets(st.sampled_from([0x41, 0xC3, 0xE1, 0xF0]), max_size=1))  # fmt: skip
def test_unigram_matches_tokenizers(words_, byte_fallback, unk_id, missing):
    vocab = unigram_vocab(byte_fallback, frozenset(missing))
    reference = ref_models.Unigram(vocab, unk_id, byte_fallback)
    ours = Unigram(vocab, unk_id, byte_fallback)
    for word in words_ + ["".join(words_)]:
        assert_same(alone(reference), ours, word)
    assert ours.to_json() == reference_json(reference)


@st.composite
def random_unigram(draw):
    """Pieces over a tiny alphabet with scores from a small set: many exact ties."""
    pieces = draw(st.lists(st.text(alphabet="abé", min_size=1, max_size=3), min_size=1, max_size=12))
    scores = draw(st.lists(st.sampled_from([-1.0, -2.0, -3.0, 0.0]), min_size=len(pieces), max_size=len(pieces)))
    vocab = [("<unk>", draw(st.sampled_from([0.0, -1.0])))] + list(zip(pieces, scores))
    word = draw(st.text(alphabet="abéx", min_size=1, max_size=12))
    return vocab, word


@SETTINGS
@given(random_unigram())
def test_unigram_viterbi_ties_and_unknowns(drawn):
    vocab, word = drawn
    reference, ours = ref_models.Unigram(vocab, 0, False), Unigram(vocab, 0, False)
    assert_same(alone(reference), ours, word)
    assert ours.get_vocab() == alone(reference).get_vocab() and ours.vocab_size == alone(reference).get_vocab_size()


def test_unigram_ties_keep_the_first_candidate():
    """``a + b`` and ``ab`` score the same: the path found first (``ab``, proposed from
    position 0) stays, as in the reference's strict ``>``."""
    vocab = [("<unk>", 0.0), ("a", -1.0), ("b", -1.0), ("ab", -2.0), ("ba", -2.0)]
    for word in ["ab", "aba", "bab", "abab"]:
        assert_same(alone(ref_models.Unigram(vocab, 0, False)), Unigram(vocab, 0, False), word)
    assert [t.value for t in Unigram(vocab, 0, False).tokenize("ab")] == ["ab"]


def test_unigram_trained_json_scores_read_as_tokenizers_reads_them():
    spec = trained("unigram") | {"byte_fallback": True}
    spec["vocab"] = spec["vocab"] + [[byte_token(b), -25.123456789012345] for b in range(256)]
    ours, reference = model_from_json(spec), reference_from_json(spec)
    assert ours.to_json() == json.loads(reference.to_str())["model"]
    for word in corpus_words()[::11] + [UNSEEN, "a" + UNSEEN + "b"]:
        assert_same(reference, ours, word)


def test_serde_json_f64_matches_tokenizers_float_reading():
    rng = random.Random(7)
    texts = [repr(rng.uniform(-30, 0) * 10 ** rng.randint(-9, 3)) for _ in range(1500)]
    texts += ["-1.23456789012345678901234", "123456789012345678901234.5", "18446744073709551615.99",
              "18446744073709551616", "-0.0", "0", "-7", "1e-320", "-12345678901234567890123e-30", "2.5E+3"]  # fmt: skip
    entries = ",".join(f'["p{i}",{t}]' for i, t in enumerate(texts))
    spec_text = '{"type":"Unigram","unk_id":0,"vocab":[["<unk>",0.0],' + entries + '],"byte_fallback":false}'
    full = json.dumps({"version": "1.0", "truncation": None, "padding": None, "added_tokens": [], "normalizer": None,
                       "pre_tokenizer": None, "post_processor": None, "decoder": None, "model": None})  # fmt: skip
    reference = tokenizers.Tokenizer.from_str(full.replace('"model": null', '"model": ' + spec_text))
    scores = [score for _, score in json.loads(reference.to_str())["model"]["vocab"][1:]]
    assert [serde_json_f64(t) for t in texts] == scores
    assert [serde_json_f64(Decimal(t)) for t in texts] == scores
    assert sum(float(t) != s for t, s in zip(texts, scores)) > 50  # the naive reading differs


# --- JSON: round trip and refusals ----------------------------------------------------


@pytest.mark.parametrize("kind", ["bpe", "bpe-affixes", "wordpiece", "wordlevel", "unigram"])
def test_json_round_trip_through_tokenizers(kind):
    ours = model_from_json(trained(kind))
    loaded = reference_from_json(ours.to_json())
    assert json.loads(loaded.to_str())["model"] == ours.to_json() or kind == "unigram"
    for word in corpus_words()[::17] + list(UNSEEN):
        assert loaded.encode(word).ids == ours.tokenize_ids(word)
    reference = reference_from_json(trained(kind))
    for token, id in list(reference.get_vocab().items())[:200]:
        assert ours.token_to_id(token) == reference.token_to_id(token) == id
        assert ours.id_to_token(id) == reference.id_to_token(id)
    assert ours.id_to_token(10**6) is None and ours.token_to_id("\x00never") is None


BASE_BPE = {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]]}


@pytest.mark.parametrize(
    "spec, error, words",
    [
        ({"type": "Transformer"}, UnsupportedComponentError, "Transformer"),
        (BASE_BPE | {"cache_capacity": 10}, UnsupportedComponentError, "cache_capacity"),
        (BASE_BPE | {"merges": [["a", "c"]]}, MalformedVocabError, "merges"),
        (BASE_BPE | {"merges": ["a b c"]}, MalformedVocabError, "merges"),
        (BASE_BPE | {"merges": [["a", "b", "c"]]}, MalformedVocabError, "merges"),
        (BASE_BPE | {"merges": [["b", "a"]]}, MalformedVocabError, "merges"),
        (BASE_BPE | {"vocab": ["a", "b"]}, MalformedVocabError, "vocab"),
        (BASE_BPE | {"vocab": {"a": 0, "b": -1, "ab": 2}}, MalformedVocabError, "vocab"),
        (BASE_BPE | {"vocab": {"a": 0, "b": 0, "ab": 2}}, MalformedVocabError, "vocab"),
        (BASE_BPE | {"dropout": 1.5}, MalformedVocabError, "dropout"),
        ({k: v for k, v in BASE_BPE.items() if k != "merges"}, MalformedVocabError, "merges"),
        ({"type": "WordPiece", "vocab": {"a": 0}, "unk_token": "a", "continuing_subword_prefix": "##"}, MalformedVocabError, "max_input_chars_per_word"),
        ({"type": "WordPiece", "vocab": {"a": 0}, "unk_token": None, "continuing_subword_prefix": "##", "max_input_chars_per_word": 5}, MalformedVocabError, "unk_token"),
        ({"type": "WordLevel", "vocab": {"a": "0"}, "unk_token": "a"}, MalformedVocabError, "vocab"),
        ({"type": "WordLevel", "vocab": {"a": 0}}, MalformedVocabError, "unk_token"),
        ({"type": "Unigram", "vocab": [["a", -1.0]], "unk_id": 1}, MalformedVocabError, "unk_id"),
        ({"type": "Unigram", "vocab": [["a"]], "unk_id": 0}, MalformedVocabError, "vocab"),
        ({"type": "Unigram", "vocab": [], "unk_id": 0}, MalformedVocabError, "unk_id"),
        ({"type": "Unigram", "vocab": [["a", 0.0]], "alpha": 0.1}, UnsupportedComponentError, "alpha"),
    ],
)  # fmt: skip
def test_refused_at_load(spec, error, words):
    with pytest.raises(error, match=words):
        model_from_json(spec)


@pytest.mark.parametrize(
    "legacy",
    [
        {k: v for k, v in BASE_BPE.items() if k != "type"},
        {"vocab": {"a": 0, "##b": 1, "[UNK]": 2}, "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100},
        {"vocab": {"a": 0, "b": 1, "[UNK]": 2}, "unk_token": "[UNK]"},
        {"vocab": [["<unk>", 0.0], ["a", -1.0], ["b", -2.0], ["ab", -1.5]], "unk_id": 0},
    ],
)  # fmt: skip
def test_a_model_without_type_is_read_as_the_reference_reads_it(legacy):
    """Files older than tokenizers 0.9 have no ``"type"``: the reference guesses it from the fields."""
    reference = reference_from_json(legacy)
    ours = model_from_json(legacy)
    assert ours.to_json()["type"] == json.loads(reference.to_str())["model"]["type"]
    for word in ["ab", "ba", "abab", "bc", "c"]:
        assert [t.id for t in ours.tokenize(word)] == reference.encode(word).ids


@pytest.mark.parametrize("affix", [{"continuing_subword_prefix": "##"}, {"end_of_word_suffix": "</w>"},
                                   {"continuing_subword_prefix": "é", "end_of_word_suffix": "_"}])  # fmt: skip
def test_byte_fallback_spells_the_prefix_and_suffix_in_bytes_as_the_reference(affix):
    vocab = {"a": 0, "<unk>": 1, "a</w>": 2, **{f"<0x{b:02X}>": 3 + b for b in range(256)}}
    spec = {"type": "BPE", "unk_token": "<unk>", "byte_fallback": True, "vocab": vocab, "merges": [], **affix}
    ours, reference = model_from_json(spec), reference_from_json(spec)
    for word in ["ab", "aé", "éa", "a b", "xé c", "a", "aa"]:
        expected = reference.encode(word)
        tokens = ours.tokenize(word)
        assert [t.id for t in tokens] == expected.ids
        assert [t.value for t in tokens] == expected.tokens
        assert [t.offsets for t in tokens] == expected.offsets


def test_reference_refuses_the_malformed_ones_too():
    for spec in [BASE_BPE | {"merges": [["a", "c"]]}, BASE_BPE | {"merges": ["a b c"]}, BASE_BPE | {"dropout": 1.5},
                 {"type": "Unigram", "vocab": [["a", -1.0]], "unk_id": 1}, {"type": "WordLevel", "vocab": {"a": 0}}]:  # fmt: skip
        with pytest.raises(Exception):
            reference_from_json(spec)
    assert model_from_json(None) is None


def test_unknown_token_missing_fails_when_needed_like_the_reference():
    vocab = {"a": 0, "b": 1}
    for reference, ours in [
        (ref_models.WordPiece(vocab, unk_token="[UNK]"), WordPiece(vocab, unk_token="[UNK]")),
        (ref_models.WordLevel(vocab, unk_token="<unk>"), WordLevel(vocab, unk_token="<unk>")),
        (ref_models.BPE(vocab, [], unk_token="<unk>"), BPE(vocab, [], unk_token="<unk>")),
        (ref_models.Unigram([("a", -1.0), ("b", -2.0)], None, False), Unigram([("a", -1.0), ("b", -2.0)], None, False)),
    ]:  # fmt: skip
        for word in ["ab", "abz", "z"]:
            assert_same(alone(reference), ours, word)
