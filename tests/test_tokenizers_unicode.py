"""Every code point, as the references see it.

The character classes of the byte-level pre-tokenizers (``\\p{L}``, ``\\p{N}``, ``\\s``,
and ``char::is_numeric`` for the digit splitter) and BERT's lower case come from
``scratch/tokenizers/unicode_classes.py``, a table generated from the references
(``python -m reference.unicode_tables``), not from the installed ``regex`` module or
Python's ``unicodedata``, whose Unicode versions move on their own. Here:

* the table is what the installed tiktoken and ``tokenizers`` do (a moved reference is
  caught, and the message says how to regenerate): every general category (``\\p{Lu}``,
  ``\\p{Mn}``, ``\\p{Sm}``, ``\\p{Po}`` ...) and their unions, ``\\s``, ``\\d``, ``\\w`` and the
  scripts of real patterns (``\\p{Han}`` ...);
* both compiled paths of the pre-tokenizers (``regex`` and ``re``) match exactly the
  table's members, for every class of ``pretokenizers.CLASSES``, and a split pattern
  using them (GPT-4o's, Tekken's, DeepSeek-V3's ...) cuts hypothesis text with newly
  assigned code points as ``tokenizers``' ``Split`` does;
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
from hypothesis import example, HealthCheck, assume, given, settings
from hypothesis import strategies as st
from text_corpora import blocks
from tokenizer_checks import reference_tok, scratch_tok

import reference.tokenizers as reference
from reference import unicode_tables
from scratch import tokenizers
from scratch.tokenizers import pretokenizers, unicode_classes

BYTE_LEVEL = ["gpt2", "cl100k_base", "llama-3", "qwen2", "starcoder2", "smollm2"]
EVERY_FAMILY = BYTE_LEVEL + ["bert-base-uncased", "bert-base-cased", "llama-2", "phi-3", "botchan-unigram",
                             "kyoto-unigram"]  # fmt: skip
CODE_POINTS = unicode_tables.CODE_POINTS  # all but the surrogates




def members(ranges) -> set[int]:
    return {c for first, last in ranges for c in range(first, last + 1)}


# ---- the table is the references' --------------------------------------------------------------
@functools.cache
def probed() -> dict:
    return unicode_tables.probe()


@pytest.mark.parametrize("table", [*unicode_tables.REGEX_CLASSES, "NUMERIC", "PUNCTUATION_SPLIT"])
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


def spelled(ranges, upto: int = 0x10FFFF) -> str:
    """The code points of ``ranges`` up to ``upto``, in order, as one string (a slice of
    :func:`every_character` per range)."""
    text = every_character()

    def at(c: int) -> int:  # the index of code point c in a text without the surrogates
        return c - 0x800 if c > 0xDFFF else c

    return "".join(text[at(first) : at(min(last, upto)) + 1] for first, last in ranges if first <= upto)


#: Every class of the table, and the negations that patterns use most (every ``\P{..}`` is the
#: ``complement`` of its class, :func:`test_negated_classes_are_the_complements`; these are the
#: slowest to compile, the installed ``regex``'s own members being most of the code points).
EVERY_CLASS = [e for e in pretokenizers.CLASSES if e[1].islower()] + [r"\P{L}", r"\P{Lu}", r"\S", r"\D", r"\W"]


def test_every_class_compiles_to_the_table():
    """Each class of ``pretokenizers.CLASSES``, alone and in a class, on the ``regex`` path
    over every code point and on the ``re`` path over the Basic Multilingual Plane,
    matches exactly the table's code points, whatever the installed ``regex`` module's
    Unicode version (compared as strings: one ``findall`` per class and path)."""
    text, bmp = every_character(), spelled(((0, 0xFFFF),))
    # Outside a class Oniguruma's \w also takes ² ³ ¹ ¼ ½ ¾ (its Latin-1 table), \W leaves them.
    latin1 = {0xB2, 0xB3, 0xB9, 0xBC, 0xBD, 0xBE}
    outside_a_class = {r"\w": lambda cps: cps | latin1, r"\W": lambda cps: cps - latin1}
    for escape in EVERY_CLASS:
        ranges = pretokenizers.CLASSES[escape]
        alone = pretokenizers.code_point_runs(outside_a_class.get(escape, set)(members(ranges))) if escape in outside_a_class else ranges
        assert "".join(pretokenizers.compiled(escape + "+").findall(text)) == spelled(alone), escape
        fast = pretokenizers.compiled(f"[{escape}]+", fast=True)
        assert "".join(fast.findall(bmp)) == spelled(ranges, 0xFFFF), escape
    inside = r"[^\p{Lu}\p{Nd}\p{Han}\p{Zs}]+"
    held = set().union(*(members(pretokenizers.CLASSES[e]) for e in (r"\p{Lu}", r"\p{Nd}", r"\p{Han}", r"\p{Zs}")))
    outside = pretokenizers.code_point_runs(set(CODE_POINTS) - held)
    assert "".join(pretokenizers.compiled(inside).findall(text)) == spelled(outside)
    assert "".join(pretokenizers.compiled(inside, fast=True).findall(bmp)) == spelled(outside, 0xFFFF)


def tiles_every_code_point(ranges) -> bool:
    """Whether ``ranges`` cover U+0000..U+10FFFF but the surrogates, each code point once."""
    start = 0
    for first, last in sorted(ranges):
        if first != start:
            return False
        start = 0xE000 if last == 0xD7FF else last + 1
    return start == 0x110000


def negated(escape: str) -> str:
    """``\\p{X}`` -> ``\\P{X}``, ``\\s`` -> ``\\S`` (and back)."""
    return escape[0] + escape[1].swapcase() + escape[2:]


def test_negated_classes_are_the_complements():
    """``\\P{X}`` (``\\S``, ``\\D``, ``\\W``) is every code point but the surrogates that ``\\p{X}``
    (``\\s`` ...) lacks: together they cover each code point once."""
    for escape, ranges in pretokenizers.CLASSES.items():
        assert negated(negated(escape)) == escape and negated(escape) in pretokenizers.CLASSES, escape
        if escape[1].islower():
            assert tiles_every_code_point(ranges + pretokenizers.CLASSES[negated(escape)]), escape
    assert not tiles_every_code_point(pretokenizers.CLASSES[r"\p{L}"] + pretokenizers.CLASSES[r"\P{Lu}"])


def test_newer_letters_are_not_letters_in_the_case_classes():
    """U+18D80 (Unicode 17) is ``\\p{Lo}`` to the installed ``regex``; to Oniguruma it is
    unassigned: the split patterns read it as ``tokenizers`` does."""
    from tokenizers import Regex
    from tokenizers import pre_tokenizers as hf

    text = "a\U00018d80中\U00018d80B"
    for pattern in (r"\p{Lo}+", r"[\p{Lu}\p{Lo}]+", r"\P{Cn}+", r"\p{Cn}+"):
        want = [piece for piece, _ in hf.Split(Regex(pattern), "isolated").pre_tokenize_str(text)]
        assert pretokenizers.PreTokenizer("probe", pattern).split(text) == want, pattern
    assert regex.fullmatch(r"\p{Lo}", "\U00018d80"), "the installed regex knows U+18D80 (why the tables exist)"


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


# ---- split patterns with every class, against tokenizers' Split ---------------------------------------
#: One or two characters of each class (``ǅ`` Lt, ``ʰ`` Lm, ``Ⅻ`` Nl, ``\u20dd`` Me, ``\u0903`` Mc,
#: U+2028 Zl, U+200C/U+200D in Rust's ``\w`` and not Oniguruma's, kana, Hangul, Han, U+1C89 an
#: upper-case letter of Unicode 16 that this Python does not know ...).
CLASS_SAMPLES = ["A", "z", "ǅ", "ʰ", "中", "\u0301", "\u20dd", "\u0903", "٣", "Ⅻ", "½", "+", "€", "^", "🎵", "_", "—",
                 "(", ")", "«", "»", "!", " ", "\u3000", "\u2028", "\u2029", "\x00", "\u200c", "\u200d", "\ue000",
                 "\u0378", "ア", "ｱ", "ぁ", "한", "ᄀ", "\u1c89", "\U00020000", "'s", "'S", "\n", "\r\n"]  # fmt: skip
#: Characters the installed ``regex`` knows and the references do not (U+18D80 is ``\p{Lo}`` to ``regex``),
#: alone and after a letter (where a wrong class moves a cut).
NEWER = [prefix + c for c in [*NEWER_THAN_THE_REFERENCES.replace(" ", ""), "\U00018d80"] for prefix in ("", "x")]
class_texts = st.lists(
    st.one_of(st.sampled_from(CLASS_SAMPLES), st.sampled_from(NEWER), newly_assigned(),
              st.characters(exclude_categories=["Cs"])),
    max_size=20,
).map("".join)


def reference_split(steps: list[str], text: str) -> list[str]:
    """``tokenizers``' ``Sequence`` of ``Split(pattern, "isolated")``, one per pattern."""
    from tokenizers import Regex
    from tokenizers import pre_tokenizers as hf

    pre = hf.Sequence([hf.Split(Regex(pattern), behavior="isolated") for pattern in steps])
    return [piece for piece, _ in pre.pre_tokenize_str(text)]


#: llama.cpp names whose split needs the general categories (``\p{Lu}``, ``\p{S}`` ...): one of each rule set.
CLASS_PRE_TOKENIZERS = ["gpt-4o", "tekken", "youtu", "deepseek-v3", "spark2_5"]


@pytest.mark.parametrize("name", CLASS_PRE_TOKENIZERS)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=class_texts)
def test_gguf_splits_with_unicode_classes_are_tokenizers(name, text):
    """GPT-4o's, Tekken's, Youtu's and DeepSeek-V3's split rules cut text as ``tokenizers``' ``Split``
    steps do, on both paths (``split_fast`` takes ``re`` for text within U+FFFF)."""
    pre = pretokenizers.for_gguf_pre(name)
    steps = pre._steps()
    assert not any(step.numeric or step.punctuation or step.byte_level for step in steps) and not pre.normalization
    want = reference_split([step.pattern for step in steps], text)
    assert pre.split(text) == want
    assert pre.split_fast(text) == want


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=class_texts, classes=st.lists(st.sampled_from(EVERY_CLASS), min_size=4, max_size=4))
@example(text="½z ²", classes=["\\W", "\\p{Lu}", "\\p{Lu}", "\\p{Lu}"])  # \W outside a class: Oniguruma's Latin-1 \w
@example(text="x¹y", classes=["\\w", "\\p{Lu}", "\\p{Lu}", "\\p{Lu}"])
def test_patterns_with_drawn_classes_split_as_tokenizers(text, classes):
    """A pattern with four drawn classes, alone, together in a class and in a negated class,
    cuts text as ``tokenizers``' ``Split`` does, on both paths. (Not a class beside its own
    negation in a negated class: :func:`test_a_class_beside_its_negation_in_a_negated_class`.)"""
    a, b, c, d = classes
    assume(d != negated(c))
    pattern = f"{a}+|[{b}{c}]+|[^{c}{d}\\n]+"
    pre = pretokenizers.PreTokenizer("probe", pattern)
    want = reference_split([pattern], text)
    assert pre.fast_path
    assert pre.split(text) == want
    assert pre.split_fast(text) == want


@pytest.mark.parametrize("pattern", [r"[^\S\s]+|\p{Lu}+", r"[^\p{L}\P{L}]", r"[^a\d\D]"])
def test_a_class_beside_its_negation_in_a_negated_class_is_refused(pattern):
    """``[^\\S\\s]`` matches nothing in Oniguruma; the ``regex`` module (2026.11.19) matches every
    character with a negated class that holds a class and its negation. No real split pattern
    has one; such a pattern is refused rather than split wrongly."""
    import regex

    assert regex.fullmatch(r"[^\S\s]", "z") is not None  # the regex module's reading: still wrong
    with pytest.raises(pretokenizers.UntranslatablePattern):
        pretokenizers.PreTokenizer("probe", pattern).split("zA b")


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
