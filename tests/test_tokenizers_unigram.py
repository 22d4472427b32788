"""SentencePiece Unigram from scratch (``scratch/tokenizers/unigram.py`` and
``sentencepiece_model.py``), proven equal to sentencepiece itself
(``reference/tokenizers/unigram.py``) on the real Unigram models that ship with the
sentencepiece sources: ``botchan_en_unigram_1000.model`` (English, the ``nfkc`` rules)
and ``kyoto_ja_unigram_8000.model`` (Japanese), plus a model trained here by
sentencepiece with byte fallback, user-defined symbols and ``nmt_nfkc``.

Every expected value comes from sentencepiece, run in the test.
"""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import english, multilingual

import reference.tokenizers as reference_tokenizers
from reference.tokenizers.unigram import UnigramAdapter, train
from scratch import tokenizers
from scratch.tokenizers import MalformedVocabError
from scratch.tokenizers.sentencepiece_model import parse_model, read_model
from scratch.tokenizers.unigram import UnigramTokenizer, from_sentencepiece

NAMES = ["botchan-unigram", "kyoto-unigram"]
HYPOTHESIS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                      HealthCheck.function_scoped_fixture])  # fmt: skip
# Any text sentencepiece accepts: every code point but the surrogates (not UTF-8).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
WORDY = st.text(st.sampled_from(list("abcdefghij klmnopqrstuvwxyz ,.the ΩЖ日本語のテキスト、。 ")), max_size=40)


@pytest.fixture(scope="module")
def pairs():
    """name -> (scratch, reference)."""
    return {name: (tokenizers.load(name), reference_tokenizers.load(name)) for name in NAMES}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """(scratch, reference) for a Unigram model that sentencepiece trains here with byte
    fallback, user-defined symbols and its default ``nmt_nfkc`` rules."""
    folder = tmp_path_factory.mktemp("unigram")
    sentences = english(200_000).splitlines()
    path = train([s for s in sentences if s.strip()], 600, folder / "fallback", byte_fallback=True,
                 user_defined_symbols=["<sep>", "tokemb"])  # fmt: skip
    return from_sentencepiece(path), UnigramAdapter(path)


def _lines(text: str, limit: int) -> list[str]:
    return [line for line in text.splitlines() if line.strip()][:limit]


def japanese() -> str:
    """The Japanese lines of ``multilingual()`` (Wikipedia-style prose and CPython's
    cjkencodings samples): lines where over a fifth of the characters are kana."""
    lines = multilingual(10_000_000).splitlines()
    return "\n".join(line for line in lines if sum("\u3040" <= c <= "\u30ff" for c in line) > 0.2 * max(1, len(line)))


# ---- the .model reader ---------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_reader_gives_the_pieces_scores_types_and_specs(name):
    """Pieces, scores and types as sentencepiece's own protobuf module reads them."""
    from sentencepiece import sentencepiece_model_pb2

    path = tokenizers.pretrained_path(name)
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(path.read_bytes())
    model = read_model(path)
    assert model.pieces == [p.piece for p in proto.pieces]
    assert model.scores == [p.score for p in proto.pieces]
    assert model.types == [p.type for p in proto.pieces]
    assert model.trainer.model_type == "unigram" and model.trainer.vocab_size == proto.trainer_spec.vocab_size
    assert model.trainer.byte_fallback == proto.trainer_spec.byte_fallback
    spec = model.normalizer
    assert spec.name == proto.normalizer_spec.name
    assert spec.precompiled_charsmap == proto.normalizer_spec.precompiled_charsmap
    assert (spec.add_dummy_prefix, spec.remove_extra_whitespaces, spec.escape_whitespaces) == (
        proto.normalizer_spec.add_dummy_prefix,
        proto.normalizer_spec.remove_extra_whitespaces,
        proto.normalizer_spec.escape_whitespaces,
    )


def test_vocabulary_equals_sentencepiece(pairs):
    for scratch, reference in pairs.values():
        assert scratch.vocab_size == reference.vocab_size
        for i in range(scratch.vocab_size):
            assert scratch.id_to_token(i) == reference.id_to_token(i)
            assert scratch.token_to_id(reference.id_to_token(i)) == i
        assert scratch.id_to_token(scratch.vocab_size) is None


# ---- normalisation ---------------------------------------------------------------------------
def test_normalization_equals_sentencepiece(pairs, trained):
    text = english(20_000) + multilingual(60_000) + "  a\u3000b\t\tc\u00a0ｄ①  ﬁ  \n  "
    for scratch, reference in [*pairs.values(), trained]:
        for line in text.splitlines():
            assert scratch.normalize(line) == reference.normalize(line), line


@HYPOTHESIS
@given(text=TEXT)
def test_normalization_equals_sentencepiece_on_any_text(pairs, trained, text):
    for scratch, reference in [*pairs.values(), trained]:
        assert scratch.normalize(text) == reference.normalize(text)


# ---- encoding --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, corpus",
    [("botchan-unigram", "english"), ("kyoto-unigram", "japanese"), ("botchan-unigram", "mixed"), ("kyoto-unigram", "mixed")],
)
def test_ids_equal_sentencepiece_on_real_text(pairs, name, corpus):
    scratch, reference = pairs[name]
    text = {"english": english(60_000), "japanese": japanese(), "mixed": multilingual(40_000)}[corpus]
    assert scratch.encode(text) == reference.encode(text)
    for line in _lines(text, 200):
        assert scratch.encode(line) == reference.encode(line), line


def test_japanese_text_is_japanese():
    text = japanese()
    assert len(text) > 20_000
    assert sum("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text) > 0.5 * len(text)


@HYPOTHESIS
@given(text=TEXT)
def test_ids_equal_sentencepiece_on_any_text(pairs, trained, text):
    for scratch, reference in [*pairs.values(), trained]:
        assert scratch.encode(text) == reference.encode(text)


@HYPOTHESIS
@given(text=WORDY)
def test_ids_equal_sentencepiece_on_wordy_text(pairs, trained, text):
    for scratch, reference in [*pairs.values(), trained]:
        assert scratch.encode(text) == reference.encode(text)


def test_byte_fallback_and_user_defined_symbols(trained):
    """Unknown characters become their UTF-8 bytes; user-defined symbols always win."""
    scratch, reference = trained
    text = "tokemb<sep>Ωmega 🦙 café " + multilingual(20_000)
    ids = scratch.encode(text)
    assert ids == reference.encode(text)
    assert scratch.token_to_id("<0xF0>") in ids and scratch.token_to_id("<sep>") in ids
    assert scratch.unk_id not in ids
    assert scratch.decode(ids) == reference.decode(ids)


def test_unknown_characters_without_byte_fallback(pairs):
    """A run of characters outside the vocabulary is one ``<unk>``, decoded as `` ⁇ ``."""
    scratch, reference = pairs["botchan-unigram"]
    for text in ["ΩΩ a ΩΩΩ", "xΩ🦙y", "🦙"]:
        assert scratch.encode(text) == reference.encode(text)
        assert scratch.decode(scratch.encode(text)) == reference.decode(reference.encode(text))
    assert scratch.encode("🦙") == [scratch.unk_id] or scratch.encode("🦙")[-1] == scratch.unk_id


# ---- decoding --------------------------------------------------------------------------------
def test_decode_of_encode_equals_sentencepiece(pairs, trained):
    text = english(20_000) + multilingual(40_000)
    for scratch, reference in [*pairs.values(), trained]:
        for line in _lines(text, 300):
            assert scratch.decode(scratch.encode(line)) == reference.decode(reference.encode(line))


@HYPOTHESIS
@given(text=TEXT)
def test_decode_of_encode_equals_sentencepiece_on_any_text(pairs, trained, text):
    for scratch, reference in [*pairs.values(), trained]:
        assert scratch.decode(scratch.encode(text)) == reference.decode(reference.encode(text))


@HYPOTHESIS
@given(data=st.data())
def test_decode_of_any_ids_equals_sentencepiece(pairs, trained, data):
    """Any id sequence, with control pieces, <unk>, stray bytes and leading ``▁`` pieces."""
    for scratch, reference in [*pairs.values(), trained]:
        ids = data.draw(st.lists(st.integers(0, scratch.vocab_size - 1), max_size=12))
        assert scratch.decode(ids) == reference.decode(ids)


def test_decode_rejects_unknown_ids(pairs):
    scratch, _ = pairs["botchan-unigram"]
    with pytest.raises(ValueError, match="unknown token id"):
        scratch.decode([5, 1000])


# ---- n-best ----------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 2, 7, 30, 100])
def test_nbest_equals_sentencepiece(pairs, n):
    for name, (scratch, reference) in pairs.items():
        text = english(8_000) if name == "botchan-unigram" else japanese()
        for line in _lines(text, 80):
            assert scratch.nbest(line, n) == reference.nbest(line, n), line


@HYPOTHESIS
@given(text=WORDY, n=st.integers(1, 12))
def test_nbest_equals_sentencepiece_on_any_text(pairs, text, n):
    for scratch, reference in pairs.values():
        assert scratch.nbest(text, n) == reference.nbest(text, n)


# ---- sampling (subword regularisation) -------------------------------------------------------
def _exact_distribution(tokenizer: UnigramTokenizer, text: str, alpha: float) -> dict[tuple, float]:
    """P(segmentation) ∝ p(segmentation) ** alpha over every segmentation (enumerated by n-best)."""
    paths = tokenizer._nbest_paths(tokenizer.normalize(text), 1024)
    assert len(paths) < 1024, "text too long to enumerate"
    weights = {tuple(i for i, _, _ in path): math.exp(alpha * score) for path, score in paths}
    total = sum(weights.values())
    return {k: w / total for k, w in weights.items()}


@pytest.mark.parametrize("alpha", [0.1, 0.2])
def test_sample_frequencies_follow_the_model_like_sentencepiece(pairs, alpha):
    """Scratch's and sentencepiece's sample frequencies (3000 draws each) are both close
    to the exact distribution ``p ** alpha / Z`` over the 52 segmentations of the text:
    total variation distance under 0.08 (sampling noise is about 0.04 at alpha 0.1),
    while the exact distributions for ``alpha`` and ``1.5 alpha`` are over 0.2 apart."""
    scratch, reference = pairs["botchan-unigram"]
    text = "the morning"
    exact = _exact_distribution(scratch, text, alpha)
    other = _exact_distribution(scratch, text, 1.5 * alpha)
    assert 0.5 * sum(abs(exact[k] - other[k]) for k in exact) > 0.2
    rng = random.Random(1)
    n = 3000
    ours = Counter(tuple(scratch.sample(text, alpha, rng=rng)) for _ in range(n))
    theirs = Counter(tuple(reference.sample(text, alpha)) for _ in range(n))
    for counts in (ours, theirs):
        assert set(counts) <= set(exact)
        distance = 0.5 * sum(abs(counts[k] / n - p) for k, p in exact.items())
        assert distance < 0.08, distance


def test_sample_from_nbest_follows_the_model_like_sentencepiece(pairs):
    scratch, reference = pairs["kyoto-unigram"]
    text, alpha, nbest = "東京都の大学", 0.5, 5
    paths = scratch._nbest_paths(scratch.normalize(text), nbest)
    weights = {tuple(i for i, _, _ in p): math.exp(alpha * s) for p, s in paths}
    exact = {k: w / sum(weights.values()) for k, w in weights.items()}
    rng = random.Random(2)
    n = 3000
    ours = Counter(tuple(scratch.sample(text, alpha, nbest_size=nbest, rng=rng)) for _ in range(n))
    theirs = Counter(tuple(reference.sample(text, alpha, nbest_size=nbest)) for _ in range(n))
    for counts in (ours, theirs):
        assert set(counts) <= set(exact)
        assert 0.5 * sum(abs(counts[k] / n - p) for k, p in exact.items()) < 0.06


@HYPOTHESIS
@given(text=WORDY, alpha=st.floats(0.0, 2.0))
def test_every_sample_is_a_segmentation_of_the_text(pairs, text, alpha):
    """The pieces of a sample spell the normalised text (no unknowns in these texts' pieces
    that could hide characters: those are checked by length)."""
    for scratch, _ in pairs.values():
        ids = scratch.sample(text, alpha, rng=random.Random(0))
        normalized = scratch.normalize(text)
        pieces = [scratch.id_to_token(i) for i in ids]
        if scratch.unk_id not in ids:
            assert "".join(pieces) == normalized
        assert scratch.decode(ids) == scratch.decode(scratch.encode(text)) or scratch.unk_id in ids


def test_large_alpha_concentrates_on_the_best_segmentation(pairs):
    for scratch, _ in pairs.values():
        for line in _lines(english(3_000), 10):
            rng = random.Random(3)
            assert scratch.sample(line, alpha=1000.0, rng=rng) == scratch.encode(line)
        assert scratch.sample("the morning", alpha=0.1, nbest_size=1) == scratch.encode("the morning")


# ---- bad input ---------------------------------------------------------------------------------
def test_truncated_model_file_is_a_clear_error(tmp_path):
    data = tokenizers.pretrained_path("botchan-unigram").read_bytes()
    for cut in (len(data) // 2, len(data) - 3, 7):
        bad = tmp_path / f"cut{cut}.model"
        bad.write_bytes(data[:cut])
        with pytest.raises(MalformedVocabError, match="cut"):
            from_sentencepiece(bad)


def test_non_sentencepiece_files_are_clear_errors(tmp_path):
    cases = {
        "text.model": b"this is not a sentencepiece model\n",
        "empty.model": b"",
        "noise.model": bytes(random.Random(0).randrange(256) for _ in range(1000)),
        "json.model": b'{"model": {"type": "Unigram"}}',
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(MalformedVocabError, match=name):
            tokenizers.from_sentencepiece(path)
    with pytest.raises(FileNotFoundError):
        tokenizers.from_sentencepiece(tmp_path / "missing.model")


def test_bpe_model_is_refused_clearly():
    from scratch.artifacts import fetch_file

    path = fetch_file("sentencepiece-models", "botchan_en_bpe_1000.model")
    assert read_model(path).trainer.model_type == "bpe"
    with pytest.raises(MalformedVocabError, match="bpe model, not unigram"):
        from_sentencepiece(path)


def test_unsupported_model_options_are_refused_clearly():
    model = read_model(tokenizers.pretrained_path("botchan-unigram"))
    model.trainer.treat_whitespace_as_suffix = True
    with pytest.raises(MalformedVocabError, match="treat_whitespace_as_suffix"):
        UnigramTokenizer(model)


def test_parse_model_rejects_duplicate_pieces():
    piece = b"\x0a\x01a\x15\x00\x00\x80\xbf"  # piece "a", score -1.0
    unk = b"\x0a\x05<unk>\x18\x02"
    data = b"".join(b"\x0a" + bytes([len(p)]) + p for p in (unk, piece, piece))
    with pytest.raises(MalformedVocabError, match="appears twice"):
        parse_model(data)
    assert parse_model(b"\x0a" + bytes([len(unk)]) + unk + b"\x0a" + bytes([len(piece)]) + piece).pieces == ["<unk>", "a"]


# ---- the shared API and the view ---------------------------------------------------------------
def test_load_and_from_sentencepiece_join_the_api(pairs):
    scratch, reference = pairs["kyoto-unigram"]
    assert isinstance(scratch, UnigramTokenizer) and scratch.name == "kyoto-unigram"
    other = tokenizers.from_sentencepiece(tokenizers.pretrained_path("kyoto-unigram"))
    text = "京都大学の図書館で本を読む。"
    assert other.encode(text) == scratch.encode(text) == reference.encode(text)
    assert scratch.tokenize(text) == reference.tokenize(text)
    assert scratch.special_tokens == reference.special_tokens == {"<unk>": 0, "<s>": 1, "</s>": 2}
    assert scratch.encode(text, add_special_tokens=False) == scratch.encode(text)
    for spelt in ["<s>", "a </s> b", "<unk>"]:  # control pieces are not matched in the text
        assert scratch.encode(spelt) == reference.encode(spelt)


def test_view_shows_unigram_tokenizers(pairs):
    from scratch.tokenizers import view

    scratch, reference = pairs["botchan-unigram"]
    text = "I have no idea, he said."
    shown = view.split(scratch, text)
    assert shown.ids == reference.encode(text)
    assert shown.pieces == [reference.decode([i]) for i in shown.ids]
    assert " | ".join(shown.pieces) in view.render_plain(shown)
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "reference.cli", "tokens", text, "-t", "botchan-unigram", "-t", "kyoto-unigram", "--color", "never"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "botchan-unigram" in result.stdout and "kyoto-unigram" in result.stdout
    assert " | ".join(shown.pieces) in result.stdout
