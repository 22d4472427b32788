"""The pipeline's normalizers against ``tokenizers`` 0.23.3's, the oracle for every case.

* every code point through NFD/NFKD/NFC/NFKC, StripAccents and Lowercase (the Unicode
  tables of the reference's crates, not Python's ``unicodedata``), and every combining
  mark's reordering;
* hypothesis draws text and normalizers with their options (and Sequences of them):
  same normalized text, and the same original span for every normalized character
  (the reference's alignments read through ``PreTokenizedString.get_splits``);
* JSON: ``to_json`` is what ``tokenizers`` writes, ``normalizer_from_json`` of it behaves
  the same;
* ``Precompiled`` with the charsmaps of real SentencePiece models;
* what is refused, and why.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import PreTokenizedString, Regex, Tokenizer
from tokenizers import normalizers as ref
from tokenizers.models import WordLevel

from scratch.tokenizers.base import MalformedVocabError
from scratch.tokenizers.pipeline import normalizers as ours
from scratch.tokenizers.pipeline.normalized import NormalizedString
from scratch.tokenizers.pipeline.spec import UnsupportedComponentError
from scratch.tokenizers.sentencepiece_model import read_model

SPM_MODELS = sorted((Path.home() / ".cache/tokemb/artifacts/sentencepiece-models").glob("*.model"))
#: Every code point of the planes where anything is assigned (0-3 and 14; planes 4-13 are
#: empty, 15-16 private use), but NUL and the surrogates.
CODE_POINTS = [c for c in [*range(1, 0x32400), *range(0xE0000, 0xE1000)] if not 0xD800 <= c <= 0xDFFF]

# ---- text -------------------------------------------------------------------------------
#: Characters where normalizers differ: accents and marks (some assigned after Unicode 12),
#: compatibility forms, Hangul jamo, CJK, odd whitespace and controls, the characters of
#: the correction tables, emoji sequences.
INTERESTING = (
    "aAeEiIsSzZ ßİıΣσςǅǈ" "éèêëÉçñøÅåẞ" "\u0300\u0301\u0308\u0316\u0327\u0334\u0345\u05b0\u0903\u1ac1\u1dfa"
    "\u07fd\u0898\u1715\U00011938\U00011935\U00011930\U0001e130\U00016ff0\u1cf2\u1cf7"
    "ﬁ①½²™㎏Ⅻｶﾞ㋿\ua7f2\U00010781\U0001fbf5\U0001f16c" "\u1100\u1161\u11a8한국"
    "中文字你好\u3000\u00a0\u2003\t\n\r\x0b\x1c\x00\x01\x7f\x8f\u200b\u200d\ufeff\ufffd\u2581\u2028"
    "🎵👍🏽👨‍👩‍👧🇫🇷❤️" "0123٣.,!?-'\"()[]{}"
)
texts = st.text(st.one_of(st.sampled_from(INTERESTING), st.characters(blacklist_categories=("Cs",))), max_size=30)

#: Replace patterns that never match the empty string (an empty match at the start makes
#: the reference panic in its later transforms; tested apart below).
REGEXES = [r"a+", r"\s+", r"[éè]", r"\p{L}\p{M}*", r"(?<=a)b", r" {2,}", r"^ +", r"\p{N}+$", r"[^\p{L}\s]",
           r"\p{P}", r"(?:ab|b)c?", r"\u00e9|e\u0301", r"[\p{M}]+", r"\S+", r"\p{Zs}", r"\d+", r"\w+", r"\p{Lu}\p{S}?",
           r"(?i)[ac]?k"]  # fmt: skip
STRINGS = ["a", "ab", " ", "é", "\u0301", "中", "  ", "ﬁ"]


@st.composite
def normalizer_pairs(draw, depth: int = 0):
    """(ours, reference) built with the same drawn options."""
    kind = draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD", "Lowercase", "StripAccents", "Nmt", "ByteLevel",
                                 "Strip", "Prepend", "Replace", "BertNormalizer", "Sequence"]))  # fmt: skip
    if kind == "Sequence":
        if depth >= 1:
            kind = "NFKC"
        else:
            parts = draw(st.lists(normalizer_pairs(depth + 1), max_size=4))
            return ours.Sequence(p[0] for p in parts), ref.Sequence([p[1] for p in parts])
    if kind == "Strip":
        left, right = draw(st.booleans()), draw(st.booleans())
        return ours.Strip(left, right), ref.Strip(left, right)
    if kind == "Prepend":
        text = draw(st.sampled_from(["▁", "_", "ab", "é", "中 "]))
        return ours.Prepend(text), ref.Prepend(text)
    if kind == "Replace":
        content = draw(st.sampled_from(["", "X", "▁", "  ", "é\u0301"]))
        if draw(st.booleans()):
            pattern = draw(st.sampled_from(REGEXES))
            return ours.Replace(ours.Regex(pattern), content), ref.Replace(Regex(pattern), content)
        pattern = draw(st.sampled_from(STRINGS))
        return ours.Replace(pattern, content), ref.Replace(pattern, content)
    if kind == "BertNormalizer":
        options = dict(clean_text=draw(st.booleans()), handle_chinese_chars=draw(st.booleans()),
                       strip_accents=draw(st.sampled_from([None, True, False])), lowercase=draw(st.booleans()))  # fmt: skip
        return ours.BertNormalizer(**options), ref.BertNormalizer(**options)
    return getattr(ours, kind)(), getattr(ref, kind)()


def reference_alignments(normalizer, text: str) -> list[tuple[str, tuple[int, int]]]:
    """Each normalized character of the reference with its original span (in characters)."""
    pieces = PreTokenizedString(text)
    pieces.normalize(normalizer.normalize)
    pieces.split(lambda i, s: s.split(Regex(r"[\s\S]"), "isolated"))
    return [(piece, offsets) for piece, offsets, _ in pieces.get_splits(offset_referential="original", offset_type="char")]


def our_alignments(normalizer, text: str) -> list[tuple[str, tuple[int, int]]]:
    s = NormalizedString(text)
    normalizer.normalize(s)
    return list(zip(s.normalized, s.alignments))


def reference_json(normalizer) -> dict:
    tokenizer = Tokenizer(WordLevel({"[UNK]": 0}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizer
    return json.loads(tokenizer.to_str())["normalizer"]


# ---- every code point ---------------------------------------------------------------------
@pytest.mark.parametrize("form", ["NFD", "NFKD", "NFC", "NFKC", "StripAccents", "Lowercase"])
def test_every_code_point(form):
    """Each code point alone (joined by NUL, which every one of them leaves alone)."""
    text = "\x00".join(map(chr, CODE_POINTS))
    expected = getattr(ref, form)().normalize_str(text).split("\x00")
    got = getattr(ours, form)().normalize_str(text).split("\x00")
    wrong = [(hex(c), e, g) for c, e, g in zip(CODE_POINTS, expected, got) if e != g]
    assert len(got) == len(expected) and not wrong[:20]


def test_combining_classes_reorder_as_the_reference():
    """Every combining mark (Python's or the table's), before and after marks of class 1 and 230."""
    marks = [c for c in CODE_POINTS if unicodedata.combining(chr(c)) or ours.combining_class(chr(c))]
    probes = [f"a{chr(c)}\u0334" for c in marks] + [f"a\U0001d1aa{chr(c)}" for c in marks]
    probes += [f"a\u0316{chr(c)}\u0301" for c in range(0x1ABF, 0x1ACF)]
    for form in ["NFD", "NFC"]:
        text = "\x00".join(probes)
        assert getattr(ours, form)().normalize_str(text) == getattr(ref, form)().normalize_str(text)


# ---- hypothesis: text, options, sequences -------------------------------------------------
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=normalizer_pairs(), text=texts)
def test_random_normalizers_match_the_reference(pair, text):
    mine, theirs = pair
    assert mine.normalize_str(text) == theirs.normalize_str(text)
    assert our_alignments(mine, text) == reference_alignments(theirs, text)


@settings(max_examples=150, deadline=None)
@given(pair=normalizer_pairs())
def test_json_is_what_tokenizers_writes(pair):
    mine, theirs = pair
    written = reference_json(theirs)
    assert mine.to_json() == written
    rebuilt = ours.normalizer_from_json(written)
    assert rebuilt == mine
    sample = "Héllo  WORLD ﬁ① 中文 e\u0301 \t!"
    assert rebuilt.normalize_str(sample) == theirs.normalize_str(sample)
    # what we write, the reference loads and runs the same
    loaded = Tokenizer.from_str(json.dumps({**json.loads(Tokenizer(WordLevel({"[UNK]": 0}, unk_token="[UNK]")).to_str()),
                                            "normalizer": mine.to_json()}))  # fmt: skip
    assert loaded.normalizer.normalize_str(sample) == theirs.normalize_str(sample)


# ---- Precompiled ----------------------------------------------------------------------------
def _charsmaps() -> list[bytes]:
    maps = [read_model(p).normalizer.precompiled_charsmap for p in SPM_MODELS]
    return [m for m in maps if m]


CHARSMAPS = _charsmaps()


@pytest.mark.skipif(not CHARSMAPS, reason="no SentencePiece model with a charsmap in the artifacts")
@settings(max_examples=200, deadline=None)
@given(index=st.integers(0, 10), text=texts)
def test_precompiled_real_charsmaps(index, text):
    charsmap = CHARSMAPS[index % len(CHARSMAPS)]
    mine, theirs = ours.Precompiled(charsmap), ref.Precompiled(charsmap)
    assert mine.normalize_str(text) == theirs.normalize_str(text)
    assert our_alignments(mine, text) == reference_alignments(theirs, text)


@pytest.mark.skipif(not CHARSMAPS, reason="no SentencePiece model with a charsmap in the artifacts")
def test_precompiled_json_round_trip_and_every_bmp_character():
    charsmap = CHARSMAPS[0]
    theirs = ref.Precompiled(charsmap)
    written = reference_json(theirs)
    mine = ours.normalizer_from_json(written)
    assert mine.to_json() == written
    text = "\x00".join(chr(c) for c in CODE_POINTS if c < 0x10000 or c % 7 == 0)
    assert mine.normalize_str(text) == theirs.normalize_str(text)


# ---- refused ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "spec, words",
    [
        ({"type": "Uppercase"}, "Uppercase"),
        ({"type": "NFC", "form": "x"}, "form"),
        ({"type": "Strip", "strip_left": True, "strip_right": True, "both": 1}, "both"),
        # (one regex: every refusal of tokenizers/pipeline/oniguruma.py is in test_pipeline_oniguruma.py)
        ({"type": "Replace", "pattern": {"Regex": r"a{2}+"}, "content": ""}, "{n,m}+"),
        ({"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Foo"}]}, "Foo"),
    ],
)
def test_unsupported_is_refused_naming_it(spec, words):
    with pytest.raises(UnsupportedComponentError, match="normalizer") as error:
        ours.normalizer_from_json(spec)
    assert words in str(error.value)


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "Strip", "strip_left": "yes", "strip_right": True},
        {"type": "Precompiled", "precompiled_charsmap": "not base64!"},
        {"type": "Precompiled", "precompiled_charsmap": ""},
        {"type": "Sequence", "normalizers": [1]},
        {"type": "Replace", "pattern": {"Glob": "a"}, "content": ""},
        {"normalizers": []},
    ],
)
def test_malformed_is_an_error(spec):
    with pytest.raises(MalformedVocabError):
        ours.normalizer_from_json(spec)


def test_none_is_no_normalizer():
    assert ours.normalizer_from_json(None) is None
