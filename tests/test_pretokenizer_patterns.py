"""A pre-tokenizer pattern that Python's ``re`` would read otherwise runs on ``regex`` only.

``PreTokenizer.split_fast`` rewrites every class with a table of the references
(``\\p{L}``, ``\\p{Lu}``, ``\\p{Han}``, ``\\P{L}``, ``\\d``, ``\\w``, ``\\s``, ``[\\S]`` ...:
``pretokenizers.CLASSES``) for Python's ``re``. Anything else ``re`` has no exact
equivalent for (``\\b``, POSIX classes, ``\\x41`` ...) used to reach ``re`` as it was: a
``re.error: bad escape`` at encode time, or a silently different split. Now the pre-tokenizer decides at construction that
such a pattern runs on the ``regex`` path only; the fast path and the ``regex`` path
give the same chunks on every text, and neither raises.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratch.tokenizers.pretokenizers import PreTokenizer, UntranslatablePattern, fast_pattern

#: (pattern, whether re can run it exactly). Each is a real-world kind of split regex:
#: Mistral's Tekken / GPT-4o's cased-letter runs, Kimi's Han runs, punctuation runs ...
PATTERNS = [
    (r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|\p{N}| ?[^\s\p{L}\p{N}]+|\s+""", True),
    (r"""\p{Han}+|[^\p{Han}\s]+|\s+""", True),
    (r"""\P{L}+|\p{L}+""", True),
    (r"""\d+|\w+|\s+|.""", True),
    (r"""\b\w+\b|\W""", False),
    (r"""[\S]+|\s+""", True),
    (r"""[[:alpha:]]+|[^[:alpha:]]+""", False),
    (r"""\x41+|.""", False),
    (r"""\s?\p{P}+|[\p{L}\p{M}]+|\p{N}|\s+|.""", True),
    (r"""'s|'t| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""", True),
    (r"""[\r\n]|\.\.\.|\t+|[^\r\n]""", True),
]

SAMPLE = (
    "Hello WORLD, I'm Élodie: naïve café — 1234 ½ ² ٣ 𝟙; Ünïcödé ǅungla ʰ ὈΔΥΣΣΕΎΣ\n"
    "中文字符和日本語のテキスト 한국어 e\u0301 a\u0308\u0323 \t\r\n  x==y? ¿qué? «quote» [a-z] 🎵"
)

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFFF)
    | st.sampled_from("aZé \n\t'1½Ǆ中\u0301.,!?-_¿«"),
    max_size=40,
)


@pytest.mark.parametrize("pattern,translatable", PATTERNS)
def test_fast_path_is_decided_at_construction(pattern, translatable):
    pre = PreTokenizer("probe", pattern)
    assert pre.fast_path is translatable
    if not translatable:
        with pytest.raises(UntranslatablePattern):
            fast_pattern(pattern)


@pytest.mark.parametrize("pattern,translatable", PATTERNS)
def test_fast_and_regex_paths_agree_on_a_sample(pattern, translatable):
    pre = PreTokenizer("probe", pattern)
    for text in (SAMPLE, SAMPLE.replace("🎵", ""), ""):
        assert pre.split_fast(text) == pre.split(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, index=st.integers(0, len(PATTERNS) - 1))
def test_fast_and_regex_paths_agree_on_any_text(text, index):
    pre = PreTokenizer("probe", PATTERNS[index][0])
    assert pre.split_fast(text) == pre.split(text)


def test_syntax_only_regex_knows_turns_the_fast_path_off_instead_of_raising():
    """A branch reset ``(?|...)`` is ``regex`` syntax that ``re`` rejects: found at the first use, the fast
    path is turned off and the text goes to the ``regex`` path, without a ``re.error``."""
    pre = PreTokenizer("probe", r"(?|\p{L}+)|\s+|.")
    assert pre.split_fast("ab cd!") == pre.split("ab cd!") == ["ab", " ", "cd", "!"]
    assert pre.fast_path is False


@pytest.mark.parametrize("pattern", [r"(\p{L})+|(\s)+|.", r"(?:(\p{Lu})\p{Ll}*)|\p{N}+|[^\p{L}\p{N}]"])
def test_capturing_groups_give_the_matches_not_the_groups(pattern):
    """A split regex with capturing groups (``findall`` would return the groups' text)
    cuts as ``tokenizers``' ``Split(pattern, "isolated")`` does."""
    from tokenizers import Regex
    from tokenizers.pre_tokenizers import Split

    text = "Hello World 42 ok!"
    want = [piece for piece, _ in Split(Regex(pattern), behavior="isolated").pre_tokenize_str(text)]
    pre = PreTokenizer("probe", pattern)
    assert pre.split(text) == pre.split_fast(text) == want
