"""The pipeline's one reading of ``tokenizers``' regexes (scratch/tokenizers/pipeline/oniguruma.py).

``tokenizers`` compiles the regexes of ``Split``, of the ``Replace`` normalizer and of the
``Replace`` decoder with Oniguruma (Ruby syntax) and walks them with ``onig``'s
``find_iter``. The oracle is the reference itself, through all three stages:

* a pattern that is accepted matches as the reference on hypothesis text (the
  normalizer's ``Replace`` shows every match, empty ones included);
* every escape of ``pretokenizers.CLASSES`` is accepted and matches as the reference on
  a sample of all code points, and the translation reads ``CLASSES`` when it runs (an
  escape added there becomes accepted);
* what is refused is refused at load by all three stages, naming the construct, and for
  each kind of refusal the reference shows that Python's reading would differ.
"""

from __future__ import annotations

import json

import pytest
import regex
import tokenizers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import Regex, decoders, normalizers, pre_tokenizers

from scratch.tokenizers import pretokenizers
from scratch.tokenizers.base import MalformedVocabError
from scratch.tokenizers.pipeline import decoders as our_decoders
from scratch.tokenizers.pipeline import normalizers as our_normalizers
from scratch.tokenizers.pipeline import oniguruma
from scratch.tokenizers.pipeline import pre_tokenizers as our_pre_tokenizers
from scratch.tokenizers.pipeline.spec import UnsupportedComponentError

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TEXT = st.lists(
    st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFFF)
    | st.sampled_from(list("aAbZé \n\t\r'1½²٣Ǆ中京ーひカ\u0301.,!?-_¿«ßſKkﬆİıSs🎵\u3000\u00a0\u2009x{}[]^$"))
    | st.sampled_from(["'s", "'LL", "  ", "123", "\n\n", "ss", "ab", "aab"]),
    max_size=25,
).map("".join)

#: Patterns the translation accepts, one or more for each of its rules.
ACCEPTED = [
    # the reference's classes, inside and outside [...], negated
    r"\p{L}+", r"\p{Lu}\p{Ll}*", r"\p{Zs}", r"[\p{S}\p{P}]+", r"\d+", r"[-\w]+", r"\W", r"\D\d", r"[^\s\p{L}]+",
    r"\P{L}+", r"[\S]+", r"\p{Lt}|\p{Lm}|\p{Lo}", r"\p{Han}+", r" ?\d+\.|\. ?| ?[-\w]+|[#+]\s+",
    # escapes
    r"[\u00AD\u200B\u200C\u200D\u2060\uFEFF]", r"\u002E|\u005b", r"[\u0041-\u005A]+", r"\.\\\-", r"[\]\[]", r"\t|\n",
    # anchors: Ruby's line anchors, \A
    r"^", r"$", r"^\s*\S", r"\s+$", r"\Aa", r"^a|b$", r"(?<=\n)x",
    # \z (the end), \Z (the end or before a final \n): transformers' SentencePiece conversion
    r"\A +| +\z", r"a\z", r"\s\z", r"a\Z", r"\n\Z", r"a\n?\Z", r"[a\n]\Z", r"\Z", r"\z",
    # empty matches, look-arounds, groups
    r"a*", r"", r"x|", r"(?=b)", r"\s*", r"(?<=a)b", r"(?<!a)b", r"(?>a+)b", r"(?<word>a)b", r"(?:ab)+",
    r"a(?#[comment)b", r"(?#a\)b)c",
    # quantifiers
    r"a{2}", r"a{2,}", r"a{,2}", r"a{1,2}?", r"a{2,3}", r"a?+b", r"a*+", r"a++", r"a{}", r"[]a]+", r"[^]a]+",
    # nested classes: a union (BLOOM's split)
    r" ?[^(\s|[.,!?…。，、।۔،])]+", r"[a[bc]]+", r"[^a[\d\s]x]+", r"[[a-c]x]+",
    # case folding, ASCII only
    r"(?i)[kx]", r"(?i:'s|'t|'re|'ll|'d)", r"(?i:i)", r"(?i)k", r"(?i:s)", r"(?i:a)b(?-i:c)", r"(?i:[^k])",
]  # fmt: skip
BEHAVIORS = st.sampled_from(list(our_pre_tokenizers.BEHAVIORS))


def reference_replace(pattern: str, text: str) -> str:
    return normalizers.Replace(Regex(pattern), "|").normalize_str(text)


@SETTINGS
@given(index=st.integers(0, len(ACCEPTED) - 1), text=TEXT, behavior=BEHAVIORS)
def test_accepted_patterns_match_as_the_reference_in_every_stage(index, text, behavior):
    pattern = ACCEPTED[index]
    mine = our_normalizers.Replace(oniguruma.Regex(pattern), "|")
    assert mine.normalize_str(text) == reference_replace(pattern, text)
    tokens = [text, text[:3], ""]
    theirs = decoders.Replace(Regex(pattern), "|")
    assert our_decoders.Replace(oniguruma.Regex(pattern), "|").decode_chain(tokens) == [theirs.decode([t]) for t in tokens]
    split = our_pre_tokenizers.Split(oniguruma.Regex(pattern), behavior)
    assert split.pre_tokenize_str(text) == pre_tokenizers.Split(Regex(pattern), behavior).pre_tokenize_str(text)


@pytest.mark.parametrize("pattern", ["a*", "", "^", "$", "(?=b)", r"\s*", r"^\s*", r"\A", r"\z", r"\Z", r"\n?\Z"])
@pytest.mark.parametrize("text", ["baac", "a\nb\n", "", "ab b", "bb", "\n", "🎵a"])
def test_empty_matches_as_onig_find_iter_gives_them(pattern, text):
    """``find_iter`` skips an empty match right after the last match (``a*`` in ``"baac"``:
    ``(0,0) (1,3) (4,4)``; Python's ``finditer`` would add ``(3,3)``); ``^`` does not match
    after a final newline. Both ``Replace`` stages, and the literal (String) pattern too."""
    for ours in (oniguruma.Regex(pattern), pattern) if pattern in ("", "a*") else (oniguruma.Regex(pattern),):
        theirs = Regex(pattern) if isinstance(ours, oniguruma.Regex) else pattern
        expected = normalizers.Replace(theirs, "-").normalize_str(text)
        assert our_normalizers.Replace(ours, "-").normalize_str(text) == expected
        assert our_decoders.Replace(ours, "-").decode([text]) == decoders.Replace(theirs, "-").decode([text])


def test_find_iter_skips_the_empty_match_after_a_match():
    compiled = regex.compile("a*")
    assert oniguruma.find_iter(compiled, "baac") == [(0, 0), (1, 3), (4, 4)]
    assert [m.span() for m in compiled.finditer("baac")] == [(0, 0), (1, 3), (3, 3), (4, 4)]


# ---- the character classes ---------------------------------------------------------------------
#: A sample of all code points: all below U+0800 (Oniguruma answers some of them from other
#: tables, see ``pretokenizers.LATIN1_WORD_OUTSIDE_A_CLASS``), every 61st, and the first of each class's ranges.
CLASS_SAMPLE = "".join(
    sorted({chr(c) for c in [*range(0x800), *range(0x800, 0x110000, 61)] if not 0xD800 <= c < 0xE000}
           | {chr(first) for ranges in pretokenizers.CLASSES.values() for first, _ in ranges if not 0xD800 <= first < 0xE000})
)  # fmt: skip


@pytest.mark.parametrize("escape", sorted(pretokenizers.CLASSES))
def test_every_class_of_the_tables_is_accepted_and_exact(escape):
    """Each escape :data:`..pretokenizers.CLASSES` knows, alone and inside a class, matches the
    reference's members (on the regex path and, for text without astral characters, the re path)."""
    bmp = "".join(c for c in CLASS_SAMPLE if c <= "\uffff")
    for pattern in (escape + "+", f"[{escape}x]+"):
        for text in (CLASS_SAMPLE, bmp):
            mine = our_normalizers.Replace(oniguruma.Regex(pattern), "|")
            assert mine.normalize_str(text) == reference_replace(pattern, text), pattern


def test_the_translation_reads_the_classes_when_it_runs(monkeypatch):
    """A class escape is accepted exactly when :data:`..pretokenizers.CLASSES` has a table for it."""
    with pytest.raises(UnsupportedComponentError, match=r"\\p\{Greek\}"):
        oniguruma.translate(r"\p{Greek}+", "test")
    monkeypatch.setitem(pretokenizers.CLASSES, r"\p{Greek}", ((0x370, 0x3FF),))
    assert oniguruma.translate(r"\p{Greek}+", "test") == r"\p{Greek}+"


def test_real_files_patterns_are_accepted():
    """The regexes of the real files that needed the new tables: mon's ``\\p{Zs}`` Replace,
    pgn's ``\\d``/``\\w`` Split, DeepSeek-V3/V4's ``\\p{S}`` Split."""
    for pattern in (r"\p{Zs}", r" ?\d+\.|\. ?| ?[-\w]+|[#+]\s+",
                    r"[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"):  # fmt: skip
        assert oniguruma.OnigPattern(oniguruma.Regex(pattern), "test").fast


# ---- refusals ------------------------------------------------------------------------------------
#: (pattern, a word of the refusal). Each kind is refused because Oniguruma reads it otherwise
#: (see test_python_would_read_the_refused_kinds_otherwise) or because no table of the
#: reference's Unicode version exists for it.
REFUSED = [
    (r"\p{Greek}+", r"\p{Greek}"), (r"\pL", r"\p"), (r"\p{^L}", r"\p{^L}"), (r"\bx", r"\b"), (r"\h", r"\h"),
    (r"\R", r"\R"), (r"\x41", r"\x"), (r"\G", r"\G"), (r"(a)\1", r"\1"),
    (r"\k<x>", r"\k"), (r"\u{e9}", r"\u"), (r"[\A]", r"\A"),
    (r"[a[^bc]]", "nested"), (r"[a-[bc]]", "nested"), (r"[[b]-z]", "nested"), (r"[a[]]", "nested"), (r"[a-z&&[^c]]", "intersection"), (r"[[:alpha:]]", "POSIX"), (r"[a&&b]", "set operations"),
    (r"[!--]", "--"), (r"[a||b]", "||"), (r"[a~~b]", "~~"),
    (r"(?m).", "(?m)"), (r"(?x) a", "(?x)"), (r"(?s).", "(?s)"), (r"a(?i)b", "group syntax"), (r"(?~ab)", "group syntax"),
    (r"(?P<x>a)", "group syntax"), (r"(?|a)", "group syntax"),
    (r"\p{N}{1,3}+", "interval"), (r"a{2}+", "{n,m}+"), (r"a{2}?", "X{n}?"), (r"a{,}", "{,}"), (r"a**", "compile"),
    (r"(?i:ss)", "pair"), (r"(?i)straße", "non-ASCII"), (r"(?i:é)", "non-ASCII"), (r"(?i:[a-z])", "range"),
    (r"(?i:\p{L})", "under"), (r"(?i)\n", "under"), (r"(?i)ff", "pair"), (r"(?i)fi|fl", "pair"),
    (r"[^\S\s]", "negation"), (r"[^a\p{L}\P{L}]", "negation"),
]  # fmt: skip


def _specs(pattern: str) -> dict[str, tuple]:
    """stage -> (its from_json, the JSON object of a component using ``pattern``)."""
    return {
        "pre_tokenizer Split": (our_pre_tokenizers.pre_tokenizer_from_json,
                                {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated", "invert": False}),
        "normalizer Replace": (our_normalizers.normalizer_from_json,
                               {"type": "Replace", "pattern": {"Regex": pattern}, "content": ""}),
        "decoder Replace": (our_decoders.decoder_from_json, {"type": "Replace", "pattern": {"Regex": pattern}, "content": ""}),
    }  # fmt: skip


@pytest.mark.parametrize("pattern,what", REFUSED)
def test_refused_at_load_by_every_stage_naming_the_construct(pattern, what):
    for stage, (from_json, spec) in _specs(pattern).items():
        with pytest.raises(UnsupportedComponentError) as error:
            from_json(spec)
        assert what in str(error.value) and stage in str(error.value)


#: (pattern, text): the reference's matches differ from what Python's ``regex`` finds with the
#: pattern as it is written, for each kind of refusal of a construct Python also has.
READ_OTHERWISE = [
    (r"\p{N}{1,3}+", "12345"),  # (\p{N}{1,3})+ in Ruby syntax, possessive in Python
    (r"a{2}?", "a aa aaa"),  # (?:a{2})? in Ruby syntax, lazy in Python
    (r"a{,}", "aaa a{,}"),  # a literal in Ruby syntax, a* in Python
    (r"a\Z", "a\n"),  # Ruby's \Z also matches before a final newline
    (r"(?i:ss)", "ß"), (r"(?i)st", "ﬆ"), (r"(?i)ff", "ﬀ"),  # Oniguruma folds one character to the pair
    (r"(?i:i)", "İ"),  # Python's case folding would match İ; ASCII letters are spelled out instead (accepted)
    (r"(?m)a.b", "a\nb"),  # (?m) is dot-all in Ruby
    (r"[a-c&&b-d]+", "abcd"),  # an intersection in Oniguruma
    (r"\h+", "aF9g"),  # a hex digit in Ruby, horizontal space in Python's regex
    (r"^b", "a\nb"),  # a line anchor in Ruby (accepted, translated)
    (r"^", "a\n"),  # ... that does not match after a final newline, as Python's MULTILINE ^ does
    (r"[^\S\s]", "ab"),  # nothing to Oniguruma, anything to the regex module (2026.11.19)
]  # fmt: skip


def _python_replace(pattern: str, text: str) -> str:
    spans = oniguruma.find_iter(regex.compile(pattern, regex.MULTILINE if pattern == "^" else 0), text)
    out, done = [], 0
    for start, end in spans:
        out += [text[done:start], "|"]
        done = end
    return "".join(out) + text[done:]


@pytest.mark.parametrize("pattern,text", READ_OTHERWISE)
def test_python_would_read_the_refused_kinds_otherwise(pattern, text):
    """Why each kind is refused (or translated): the reference differs from Python's own reading."""
    assert reference_replace(pattern, text) != _python_replace(pattern, text)
    try:
        ours = our_normalizers.Replace(oniguruma.Regex(pattern), "|")
    except UnsupportedComponentError:
        return
    assert ours.normalize_str(text) == reference_replace(pattern, text)


def test_cl100k_pattern_is_refused_because_onig_reads_it_otherwise():
    """tiktoken's ``\\p{N}{1,3}+`` is possessive for Python but ``(\\p{N}{1,3})+`` for Oniguruma."""
    ref = pre_tokenizers.Split(Regex(pretokenizers.CL100K_PATTERN), "isolated")
    assert ref.pre_tokenize_str("12345") == [("12345", (0, 5))]  # one piece: not possessive
    with pytest.raises(UnsupportedComponentError, match="interval"):
        our_pre_tokenizers.Split(oniguruma.Regex(pretokenizers.CL100K_PATTERN), "isolated")


# ---- the JSON form -------------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", [{"Glob": "a"}, {"Regex": 1}, {}, {"String": "a", "Regex": "b"}, ["a"]])
def test_malformed_patterns_are_refused_as_the_reference_refuses_them(pattern):
    document = json.loads(tokenizers.Tokenizer(tokenizers.models.WordLevel({"a": 0}, unk_token="a")).to_str())
    document["pre_tokenizer"] = {"type": "Split", "pattern": pattern, "behavior": "Isolated", "invert": False}
    with pytest.raises(Exception):
        tokenizers.Tokenizer.from_str(json.dumps(document))
    with pytest.raises(MalformedVocabError, match="pattern"):
        oniguruma.pattern_from_json(pattern, "test")
    for _, (from_json, spec) in _specs("a").items():
        with pytest.raises(MalformedVocabError, match="pattern"):
            from_json({**spec, "pattern": pattern})


def test_pattern_json_round_trip():
    for pattern in ("a b", oniguruma.Regex(r"\s+")):
        assert oniguruma.pattern_from_json(oniguruma.pattern_to_json(pattern), "test") == pattern
    assert oniguruma.pattern_to_json(oniguruma.Regex("x")) == {"Regex": "x"}
    assert oniguruma.pattern_to_json("x") == {"String": "x"}
