"""Every code point, as the references see it.

The character classes of the byte-level pre-tokenizers (``\\p{L}``, ``\\p{N}``, ``\\s``,
and ``char::is_numeric`` for the digit splitter) and BERT's lower case come from
``scratch/tokenizers/unicode_classes.py``, a table generated from the references
(``python -m reference.unicode_tables``), not from the installed ``regex`` module or
Python's ``unicodedata``, whose Unicode versions move on their own. Here:

* the table is what the installed tiktoken and ``tokenizers`` do (a moved reference is
  caught, and the message says how to regenerate);
* both compiled paths of the pre-tokenizers (``regex`` and ``re``) match exactly the
  table's members;
* all 1,114,112 code points but the 2,048 surrogates, each in several contexts, are cut
  into the reference pre-tokenizer's chunks, and give the references' ids (every code
  point of the planes where anything is assigned, a sample of the empty planes), in
  every byte-level tokenizer. (Surrogates are not text: tiktoken replaces a lone one by
  U+FFFD and ``tokenizers`` refuses it; that is tested with the tokenizers' error
  handling, ``test_lone_surrogates``.)
* hypothesis text with unassigned code points and code points assigned in Unicode 15,
  16, 17 and later (what the newest ``regex`` knows and this Python's ``unicodedata``
  does not) gives the references' ids in every tokenizer family.
"""

from __future__ import annotations

import functools
import unicodedata

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import blocks

import reference.tokenizers as reference
from reference import unicode_tables
from scratch import tokenizers
from scratch.tokenizers import pretokenizers, unicode_classes

BYTE_LEVEL = ["gpt2", "cl100k_base", "llama-3", "qwen2", "starcoder2", "smollm2"]
EVERY_FAMILY = BYTE_LEVEL + ["bert-base-uncased", "bert-base-cased", "llama-2", "phi-3", "botchan-unigram",
                             "kyoto-unigram"]  # fmt: skip
CODE_POINTS = unicode_tables.CODE_POINTS  # all but the surrogates


@functools.cache
def scratch_tok(name: str):
    return tokenizers.load(name)


@functools.cache
def reference_tok(name: str):
    return reference.load(name)


def members(ranges) -> set[int]:
    return {c for first, last in ranges for c in range(first, last + 1)}


# ---- the table is the references' --------------------------------------------------------------
@functools.cache
def probed() -> dict:
    return unicode_tables.probe()


@pytest.mark.parametrize("table", ["LETTERS", "NUMBERS", "WHITESPACE", "MARKS", "PUNCTUATION", "NUMERIC", "PUNCTUATION_SPLIT"])
def test_class_table_is_what_the_references_do(table):
    """The generated ranges equal what tiktoken's and ``tokenizers``' engines match now."""
    generated = members(getattr(unicode_classes, table))
    now = probed()[table]
    assert generated == now, (
        f"{table}: the references now differ from scratch/tokenizers/unicode_classes.py on "
        f"{len(generated ^ now)} code points (first: {hex(min(generated ^ now))}); "
        "rerun python -m reference.unicode_tables"
    )


def test_lowercase_table_is_what_the_reference_does():
    assert unicode_classes.LOWERCASE == probed()["LOWERCASE"], "rerun python -m reference.unicode_tables"


def test_the_classes_are_unicode_16s_and_the_digits_unicode_17s():
    """A reading of the table, with values from the Unicode Character Database: the
    engines are at Unicode 16 (U+1C89, CYRILLIC CAPITAL LETTER TJE, 16.0, is a letter;
    U+A7CE, LATIN CAPITAL LETTER PHARYNGEAL VOICED FRICATIVE, 17.0, is not), while
    ``char::is_numeric`` knows Unicode 17's digits (U+11DE0..U+11DE9, TOLONG SIKI)."""
    letters, numbers, numeric = (members(getattr(unicode_classes, t)) for t in ("LETTERS", "NUMBERS", "NUMERIC"))
    assert 0x1C89 in letters and 0xA7CE not in letters and 0x0558 not in letters
    assert 0x11DE0 not in numbers and set(range(0x11DE0, 0x11DEA)) <= numeric
    assert members(unicode_classes.WHITESPACE) == {*range(9, 14), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                                                    0x2028, 0x2029, 0x202F, 0x205F, 0x3000}  # fmt: skip


def test_the_generated_module_is_what_the_generator_writes():
    """``--check`` agrees that the module is up to date (same tables, same reference versions)."""
    assert unicode_tables.main(["--check"]) == 0


# ---- both compiled paths match exactly the table's members ------------------------------------------
def every_character() -> str:
    return unicode_tables.every_character()


@pytest.mark.parametrize("escape", [r"\p{L}", r"\p{N}", r"\s", r"\p{M}", r"\p{P}", "digits"])
def test_compiled_classes_match_the_table(escape):
    """The ``regex`` path (whatever the installed ``regex`` module's Unicode version) and the
    ``re`` path (Basic Multilingual Plane) match exactly the table's code points, alone,
    negated, and inside a negated class with the others."""
    digits = escape == "digits"
    escape = r"\p{N}" if digits else escape
    classes = pretokenizers.DIGIT_CLASSES if digits else pretokenizers.CLASSES
    text = every_character()
    bmp = text[: 0xD800] + text[0xD800 : 0x10000 - 0x800]
    others = [e for e in (r"\p{L}", r"\p{N}", r"\s") if e != escape][:2]
    for fast, sample in ((False, text), (True, bmp)):
        everything = {ord(c) for c in sample}

        def matched(pattern: str) -> set[int]:
            return {ord(c) for run in pretokenizers.compiled(pattern, fast, digits).findall(sample) for c in run}

        def table(e: str) -> set[int]:
            return members(classes[e]) & everything

        assert matched(escape + "+") == matched(f"[{escape}]+") == table(escape)
        if escape == r"\s":
            assert matched(r"\S+") == everything - table(escape)
        outside = everything - table(escape) - table(others[0]) - table(others[1])
        assert matched(f"[^{escape}{''.join(others)}]+") == outside


def test_regex_path_corrects_an_installed_regex_that_knows_more_or_less(monkeypatch):
    """The correction subtracts what the installed ``regex`` has in excess and adds what it
    lacks: here a pretended installed ``\\p{L}`` that has U+0378 and ``$`` too many and
    ``b`` and U+4E00 too few; the pattern subtracts the first two and adds the others to
    the real ``\\p{L}``."""
    wanted = members(pretokenizers.CLASSES[r"\p{L}"])
    pretended = frozenset(wanted - {ord("b"), 0x4E00} | {0x0378, ord("$")})
    monkeypatch.setattr(pretokenizers, "_installed_class", lambda escape: pretended)
    items = pretokenizers._regex_items.__wrapped__(r"\p{L}", pretokenizers.CLASSES[r"\p{L}"])
    real = {ord(c) for c in regex.findall(r"\p{L}", every_character())}
    for pattern, expected in ((f"[{items}]", real - {0x0378, ord("$")} | {ord("b"), 0x4E00}),
                              (f"[^{items}]", set(CODE_POINTS) - (real | {ord("b"), 0x4E00}))):  # fmt: skip
        assert {ord(c) for c in regex.findall("(?V1-f)" + pattern, every_character())} == expected


def test_regex_path_is_the_plain_pattern_when_regex_agrees(monkeypatch):
    """With an installed ``regex`` whose classes are the references', nothing is rewritten."""
    monkeypatch.setattr(pretokenizers, "_regex_items", lambda escape, ranges: escape)
    assert pretokenizers.regex_pattern(pretokenizers.GPT2_PATTERN) == pretokenizers.GPT2_PATTERN


# ---- every code point, in contexts, in every byte-level tokenizer ----------------------------------
#: Each code point after a letter, after a digit, after a space and before an apostrophe,
#: after an apostrophe (the contractions, with case folding) and before a newline: enough
#: to tell a letter, a number, whitespace and anything else apart in every pattern.
CONTEXT = "a{c}1{c} {c}'{c}\n"

#: Letters and numbers that the regex module of late 2026 knows and the references do not.
NEWER_THAN_THE_REFERENCES = "\u0558 \u208f \ua7dd \uab6c \U0003d000 \U00011de0 \U000323b0"


@pytest.mark.parametrize("name", BYTE_LEVEL)
@pytest.mark.parametrize("text", ["\u0558<s", NEWER_THAN_THE_REFERENCES, "x \U00011de0 1\U00011de0"])
def test_characters_newer_than_the_references(name, text):
    """The examples of issue 15 (cl100k_base on ``"\\u0558<s"`` gave other ids)."""
    assert scratch_tok(name).encode(text) == reference_tok(name).encode(text)


def reference_chunks(name: str, text: str) -> list[str]:
    """The chunks the reference's pre-tokenizer cuts ``text`` into (after its normalizer).
    tiktoken has no call that shows its chunks, so cl100k_base's come from its pattern in
    ``tokenizers``' engine, whose classes equal tiktoken's (the table tests above)."""
    from tokenizers import Regex
    from tokenizers import pre_tokenizers as hf

    if name == "cl100k_base":
        pre, normalized = hf.Split(Regex(pretokenizers.CL100K_PATTERN), behavior="isolated"), text
    else:
        backend = reference_tok(name).backend
        normalized = backend.normalizer.normalize_str(text) if backend.normalizer else text
        pre = backend.pre_tokenizer
    return [normalized[start:end] for _, (start, end) in pre.pre_tokenize_str(normalized)]


def every_code_point_in_context(step_in_empty_planes: int = 1) -> list[str]:
    """:data:`CONTEXT` around every code point, in blocks; in planes 4-13 and 15-16 (unassigned
    and private use in every Unicode version so far: 786,432 code points) every
    ``step_in_empty_planes``-th code point only."""
    def wanted(c: int) -> bool:
        return c < 0x40000 or 0xE0000 <= c < 0xF0000 or c % step_in_empty_planes == 0

    return blocks("".join(CONTEXT.format(c=chr(c)) for c in CODE_POINTS if wanted(c)), 200_000)


@pytest.mark.parametrize("name", BYTE_LEVEL)
def test_every_code_point_is_cut_like_the_reference(name):
    """The pre-tokenizer's chunks of all 1,112,064 non-surrogate code points in :data:`CONTEXT`
    equal the reference pre-tokenizer's. (Ids alone would miss most misclassified characters:
    BPE rarely merges across the boundary a wrong class moves.)"""
    pre = scratch_tok(name).pre_tokenizer
    for block in every_code_point_in_context():
        got, want = pre.split(block), reference_chunks(name, block)
        if got != want:
            i = next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))
            pytest.fail(f"{name}: chunk {i} of a block differs: scratch {got[max(0, i - 3) : i + 3]}, "
                        f"reference {want[max(0, i - 3) : i + 3]}")  # fmt: skip


@pytest.mark.parametrize("name", BYTE_LEVEL)
def test_every_code_point_gives_the_references_ids(name):
    """The ids of every code point of planes 0-3 and 14 (all assigned ones) in :data:`CONTEXT`,
    and of every 61st in the empty planes, equal the reference's (``encode`` with the
    ``re`` fast path for blocks within U+FFFF and the ``regex`` path for the others)."""
    s, r = scratch_tok(name), reference_tok(name)
    for block in every_code_point_in_context(step_in_empty_planes=61):
        got, want = s.encode(block, add_special_tokens=False), r.encode(block, add_special_tokens=False)
        if got != want:
            i = next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))
            near = r.decode(want[max(0, i - 8) : i + 8])
            pytest.fail(f"{name}: differs at token {i} of a block, near {near!r}: "
                        f"scratch {got[max(0, i - 4) : i + 4]}, reference {want[max(0, i - 4) : i + 4]}")  # fmt: skip


# ---- hypothesis: every family, with unassigned and newly assigned code points ----------------------
@functools.cache
def newly_assigned_runs() -> list[tuple[int, int]]:
    """Runs of code points that the installed ``regex`` module calls assigned and this
    Python's ``unicodedata`` does not: Unicode 15, 16, 17 and later on Python 3.11."""
    text = every_character()
    unassigned_here = "".join(c for c in text if unicodedata.category(c) == "Cn")
    runs = regex.findall(r"\P{Cn}+", unassigned_here)
    return pretokenizers.code_point_runs({ord(c) for run in runs for c in run})


def newly_assigned() -> st.SearchStrategy[str]:
    """A code point from a run of :func:`newly_assigned_runs`, every run equally likely."""
    runs = newly_assigned_runs()
    return st.sampled_from(runs).flatmap(lambda run: st.integers(*run)).map(chr) if runs else st.nothing()


FRAGMENTS = [" ", "  ", "a", "A", "1", "12", "'", "'s", "\n", "\r\n", "\t", ".", "é", "e\u0301", "你",
             "\u00a0", "\u3000", "[UNK]", "<s>", "<|endoftext|>", "\ufffd", "\x00", "\u200d", "🎵"]  # fmt: skip
unicode_texts = st.lists(
    st.one_of(
        st.characters(exclude_categories=["Cs"]),  # any category, unassigned (Cn) included
        st.characters(categories=["Cn"]),
        newly_assigned(),
        st.sampled_from(FRAGMENTS),
        st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=6),
    ),
    max_size=16,
).map("".join)


@pytest.mark.parametrize("name", EVERY_FAMILY)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=unicode_texts)
def test_hypothesis_with_new_and_unassigned_code_points(name, text):
    assert scratch_tok(name).encode(text) == reference_tok(name).encode(text), text


def test_newly_assigned_runs_hold_the_known_examples():
    """The strategy's source has what it is for (checked against the Unicode data)."""
    runs = newly_assigned_runs()
    for c in (0x1FAE9, 0x1C89, 0xA7CB, 0x10D50, 0x16EA0, 0x11DE0, 0x323B0):  # Unicode 15, 16 and 17
        if unicodedata.category(chr(c)) == "Cn":  # (all of them on Python 3.11)
            assert any(first <= c <= last for first, last in runs), hex(c)


# ---- BERT's normalizer on every code point ----------------------------------------------------------
@pytest.mark.parametrize("lowercase", [True, False])
def test_bert_normalizer_on_every_code_point(lowercase):
    """Cleaning, CJK spacing, accent stripping and lower-casing of every code point but the
    surrogates, unassigned ones and those this Python does not know included (Unicode 15,
    16 and 17 letters that have a lower case: U+1C89, U+A7CB, Garay U+10D50.., ...), equal
    the reference's, on both of scratch's paths. (The characters this Python knows are
    also checked by ``test_tokenizers_wordpiece.py``.)"""
    from reference.tokenizers.wordpiece_spm import bert_basic_tokenizer

    from scratch.tokenizers import bert_normalizer

    separator = "|"  # punctuation: a word of its own, never changed
    characters = [chr(c) for c in CODE_POINTS if chr(c) != separator]
    ref_normalize, ref_pre_tokenize = bert_basic_tokenizer(lowercase=lowercase)
    fast = bert_normalizer.BasicTokenizer(lowercase=lowercase)
    for i in range(0, len(characters), 50_000):
        part = characters[i : i + 50_000]
        text = separator.join(part)
        ours = bert_normalizer.normalize(text, lowercase=lowercase).split(separator)
        theirs = ref_normalize(text).split(separator)
        different = [(f"U+{ord(ch):04X}", a, b) for ch, a, b in zip(part, ours, theirs) if a != b]
        assert len(ours) == len(theirs) and not different, different[:20]
        words = " ".join("a" + ch for ch in part)
        assert fast.words(words) == ref_pre_tokenize(ref_normalize(words))
