"""The pipeline's pre-tokenizers cut text as ``tokenizers`` 0.23.3 does: same pieces, same
character offsets, same ``tokenizer.json`` objects; what cannot be run exactly is refused.

The oracle is the reference itself: each pre-tokenizer drawn here (type and options, and
random ``Sequence``s of them) is written with ``to_json``, loaded by ``tokenizers.Tokenizer``
from that JSON, and both cut the same drawn text.
"""

from __future__ import annotations

import json

import pytest
import tokenizers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import models

from scratch.tokenizers import pretokenizers as patterns
from scratch.tokenizers.base import MalformedVocabError
from scratch.tokenizers.pipeline import pre_tokenizers as pt
from scratch.tokenizers.pipeline.normalized import NormalizedString
from scratch.tokenizers.pipeline.spec import UnsupportedComponentError

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TEXT = st.lists(
    st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFFF)
    | st.sampled_from(list("aZé \n\t\r'1½²٣Ǆ中京ーひカ\u0301.,!?-_¿«ßſKﬆİ🎵\u3000\u00a0x") + ["'s", "'LL", "  ", "123"]),
    max_size=25,
).map("".join)

#: Small regexes covering what the translation (:mod:`.oniguruma`) handles: the reference's
#: classes, anchors (line anchors in Oniguruma), empty matches, look-arounds, (?i) scopes, possessives.
REGEXES = [
    r"\s+", r"\p{L}+", r"\p{N}", r" ?[^\s\p{L}\p{N}]+", r"a|", r"x*", r"(?i:'s|'t|'re|'ll|'d)", r"\s+$",
    r"^\s*\S", r"(?<=a)b", r"[\r\n]+", r"\s+(?!\S)", r"[^\s]+", r".", r"(?:ab)+", r"[]a]", r"\p{P}+",
    r"[\p{L}\p{M}]+", r"ー|京", r"\S+", r"(?i)[kx]", r"\p{N}{1,3}", r"\s++", r"[^\r\n\p{L}\p{N}]?+\p{L}++",
    r"", r"$", r"^", r"\p{Lu}+", r"\d+", r"[-\w]+", r"\w|\W", r"\p{Zs}", r"[\p{P}\p{S}]+", r"(?i:'t)?k",
]  # fmt: skip
BEHAVIOR = st.sampled_from(list(pt.BEHAVIORS))


def _split():
    literal = st.text(alphabet=st.sampled_from(list("a ,é京'\n")), max_size=2)
    pattern = st.one_of(literal, st.sampled_from(REGEXES).map(pt.Regex))
    return st.builds(pt.Split, pattern, BEHAVIOR, st.booleans())


LEAVES = st.one_of(
    st.builds(pt.ByteLevel, st.booleans(), st.booleans(), st.booleans()),
    _split(),
    st.builds(pt.Metaspace, st.sampled_from(["\u2581", "_", " ", "a"]), st.sampled_from(pt.Metaspace.SCHEMES), st.booleans()),
    st.just(pt.Whitespace()),
    st.just(pt.WhitespaceSplit()),
    st.builds(pt.Punctuation, BEHAVIOR),
    st.builds(pt.Digits, st.booleans()),
    st.just(pt.BertPreTokenizer()),
    st.builds(pt.CharDelimiterSplit, st.sampled_from(list("a ,é"))),
    st.just(pt.UnicodeScripts()),
    st.builds(pt.FixedLength, st.integers(1, 6)),
)
PRE_TOKENIZERS = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=3).map(pt.Sequence), max_leaves=4)


def reference(spec: dict):
    """The reference's pre-tokenizer loaded from ``spec``, and what it writes back."""
    tok = tokenizers.Tokenizer(models.WordLevel({"a": 0}, unk_token="a"))
    doc = json.loads(tok.to_str())
    doc["pre_tokenizer"] = spec
    loaded = tokenizers.Tokenizer.from_str(json.dumps(doc))
    return loaded.pre_tokenizer, json.loads(loaded.to_str())["pre_tokenizer"]


@SETTINGS
@given(pre=PRE_TOKENIZERS, text=TEXT)
def test_random_pre_tokenizers_cut_as_the_reference(pre, text):
    spec = pre.to_json()
    ref, written = reference(spec)
    assert written == spec  # to_json is what tokenizers writes
    assert pre.pre_tokenize_str(text) == ref.pre_tokenize_str(text)
    again = pt.pre_tokenizer_from_json(spec)  # JSON round trip
    assert again == pre and again.pre_tokenize_str(text) == ref.pre_tokenize_str(text)


@pytest.mark.parametrize(
    "mine,theirs",
    [
        (pt.ByteLevel(), tokenizers.pre_tokenizers.ByteLevel()),
        (pt.Metaspace(prepend_scheme="first"), tokenizers.pre_tokenizers.Metaspace(prepend_scheme="first")),
        (pt.Split(pt.Regex(r"\s+"), "merged_with_previous", True),
         tokenizers.pre_tokenizers.Split(tokenizers.Regex(r"\s+"), "merged_with_previous", True)),
        (pt.Whitespace(), tokenizers.pre_tokenizers.Whitespace()),
        (pt.FixedLength(), tokenizers.pre_tokenizers.FixedLength()),
    ],
)  # fmt: skip
def test_to_json_matches_the_python_api_of_the_reference(mine, theirs):
    tok = tokenizers.Tokenizer(models.WordLevel({"a": 0}, unk_token="a"))
    tok.pre_tokenizer = theirs
    assert mine.to_json() == json.loads(tok.to_str())["pre_tokenizer"]
    sample = "Hello  wörld, 123 京都 ひらがな 🎵! "
    assert mine.pre_tokenize_str(sample) == theirs.pre_tokenize_str(sample)


def _real_patterns() -> list[str]:
    """The split regexes of real tokenizers: GPT-2, Llama-3, Qwen2, and every pattern of the
    GGUF pre-tokenizer table (DeepSeek, Falcon, Qwen3.5 ...)."""
    found = {patterns.GPT2_PATTERN, patterns.LLAMA3_PATTERN, patterns.QWEN2_PATTERN}
    for pre in patterns.GGUF_PRE_TOKENIZERS.values():
        found.update(step.pattern for step in (*pre.before, *pre.after))
        found.update(p for p in (pre.pattern, patterns.DIGIT_PATTERN if pre.isolate_digits else None) if p)
    return sorted(found)


REAL = _real_patterns()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(REAL) - 1), text=TEXT, behavior=BEHAVIOR)
def test_real_patterns_inside_split_cut_as_the_reference(index, text, behavior):
    mine = pt.Split(pt.Regex(REAL[index]), behavior)
    ref = tokenizers.pre_tokenizers.Split(tokenizers.Regex(REAL[index]), behavior)
    assert mine.pre_tokenize_str(text) == ref.pre_tokenize_str(text)


def test_split_refuses_at_load_what_oniguruma_would_read_otherwise():
    """One case of each stage's route through :mod:`.oniguruma` (every refusal, and why, is in
    ``tests/test_pipeline_oniguruma.py``)."""
    spec = {"type": "Split", "pattern": {"Regex": r"\p{N}{1,3}+"}, "behavior": "Isolated", "invert": False}
    with pytest.raises(UnsupportedComponentError, match="pre_tokenizer Split.*interval"):
        pt.pre_tokenizer_from_json(spec)


@pytest.mark.parametrize(
    "spec,error,what",
    [
        ({"type": "Nope"}, UnsupportedComponentError, "Nope"),
        ({"type": "Whitespace", "foo": 1}, UnsupportedComponentError, "foo"),
        ({"type": "ByteLevel", "add_prefix_space": True}, MalformedVocabError, "trim_offsets"),
        ({"type": "Split", "pattern": {"Regex": "a"}, "behavior": "Isolated"}, MalformedVocabError, "invert"),
        ({"type": "Split", "pattern": {"Glob": "a"}, "behavior": "Isolated", "invert": False}, MalformedVocabError, "pattern"),
        ({"type": "Split", "pattern": {"String": "a"}, "behavior": "Sideways", "invert": False}, MalformedVocabError, "Sideways"),
        ({"type": "Metaspace", "replacement": "xy"}, MalformedVocabError, "one character"),
        ({"type": "Metaspace", "replacement": "x", "add_prefix_space": False}, MalformedVocabError, "prepend_scheme"),
        ({"type": "CharDelimiterSplit", "delimiter": "ab"}, MalformedVocabError, "one character"),
        ({"type": "FixedLength", "length": 0}, UnsupportedComponentError, "length"),
        ({"type": "Sequence", "pretokenizers": [{"type": "Nope"}]}, UnsupportedComponentError, "Nope"),
    ],
)  # fmt: skip
def test_bad_specs_are_refused_naming_the_problem(spec, error, what):
    with pytest.raises(error, match=what):
        pt.pre_tokenizer_from_json(spec)


def test_json_defaults_and_legacy_fields_load_as_the_reference_reads_them():
    for spec in (
        {"type": "Punctuation"},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True},
        {"type": "Metaspace", "replacement": "▁", "add_prefix_space": True, "str_rep": "▁"},
        {"type": "Metaspace", "replacement": "▁", "add_prefix_space": False, "prepend_scheme": "never"},
        {"type": "FixedLength"},
    ):
        ref, written = reference(spec)
        mine = pt.pre_tokenizer_from_json(spec)
        assert mine.to_json() == written
        assert mine.pre_tokenize_str(" a b,c 123456") == ref.pre_tokenize_str(" a b,c 123456")
    assert pt.pre_tokenizer_from_json(None) is None


def test_byte_level_aligns_every_byte_char_with_its_source_char():
    (piece,) = pt.ByteLevel(add_prefix_space=False, use_regex=False).pre_tokenize([NormalizedString("é🎵")])
    assert piece.normalized == "Ã©ðŁİµ"
    assert piece.alignments == [(0, 1)] * 2 + [(1, 2)] * 4


def test_metaspace_first_prepends_only_on_the_piece_at_offset_zero():
    """``first``: the piece whose original span starts at 0 (``offsets_original().0 == 0``)."""
    whole = NormalizedString("ab cd")
    pieces = pt.Metaspace(prepend_scheme="first").pre_tokenize([whole.slice(0, 2), whole.slice(2, 5)])
    assert [(p.normalized, (p.original_start, p.original_end)) for p in pieces] == [("▁ab", (0, 2)), ("▁cd", (2, 5))]
    later = pt.Metaspace(prepend_scheme="first").pre_tokenize([whole.slice(3, 5)])
    assert [p.normalized for p in later] == ["cd"]


@pytest.mark.parametrize("normalizer", [
    tokenizers.normalizers.Strip(left=True, right=False),
    tokenizers.normalizers.Replace(tokenizers.Regex(r"\A +| +\z"), ""),  # transformers' SentencePiece conversion
    tokenizers.normalizers.Sequence([tokenizers.normalizers.Replace(" ", ""), tokenizers.normalizers.Prepend("x")]),
])  # fmt: skip
@pytest.mark.parametrize("added", [[], ["<s>"]])
def test_metaspace_first_after_a_normalizer_that_moves_the_start(normalizer, added):
    """A normalizer that drops the leading spaces moves the piece's original start: the added
    vocabulary slices every normalized piece (``split_with_indices``, even with no added token
    in it), and the slice starts where its first character came from, so ``" 0"`` gets no ``▁``
    (``offsets_original().0`` is 1). Regression: scratch kept 0 and prepended one."""
    from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer

    vocab = {c: i for i, c in enumerate(["<unk>", "▁", "0", "a", "x", "\n", "<s>"])}
    reference = tokenizers.Tokenizer(models.BPE(vocab, [], unk_token="<unk>"))
    reference.normalizer = normalizer
    reference.pre_tokenizer = tokenizers.pre_tokenizers.Metaspace(prepend_scheme="first", split=False)
    reference.add_special_tokens(added)
    ours = PipelineTokenizer.from_json(json.loads(reference.to_str()))
    for text in [" 0", "0", "  a 0", "\n a", " ", "a ", "<s> a", " <s>0", "<s>  0 a"]:
        assert ours.tokenize(text) == reference.encode(text, add_special_tokens=False).tokens, repr(text)


ALL_CHARS = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def test_whitespace_classes_match_the_reference():
    """``\\w`` and ``\\s`` of ``Whitespace`` over every code point, each between ``a`` and a
    space: a word character joins the ``a``, punctuation stands alone, a space vanishes."""
    text = "".join(" a" + c for c in ALL_CHARS)
    mine = [(start, end) for start, end, is_match in pt.regex_matches(pt.whitespace_regex(), text) if is_match]
    assert mine == [offsets for _, offsets in tokenizers.pre_tokenizers.Whitespace().pre_tokenize_str(text)]
    assert pt.Whitespace().pre_tokenize_str(" Hello, wörld_1 !! ") == [
        ("Hello", (1, 6)), (",", (6, 7)), ("wörld_1", (8, 15)), ("!!", (16, 18))]


def test_unicode_scripts_table_matches_the_reference():
    """Every code point: the cuts among the characters grouped by the table's script (a merged or split script would show a cut on one side
    only), and each character after ``a`` and after ``京`` (a character of script "Any" never
    causes a cut)."""
    scripts = {c: pt.script(c) for c in ALL_CHARS}
    by_script = "".join(sorted((c for c in ALL_CHARS if scripts[c] != "Any"), key=lambda c: (scripts[c], c)))
    texts = [by_script, "".join("a" + c for c in ALL_CHARS), "".join("京" + c for c in ALL_CHARS)]
    ref = tokenizers.pre_tokenizers.UnicodeScripts()
    for text in texts:
        expected = [start for _, (start, _) in ref.pre_tokenize_str(text)]
        assert pt.script_cuts(text) == expected
