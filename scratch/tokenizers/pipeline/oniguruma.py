r"""Oniguruma's regular expressions, run exactly in Python: the one place where the pipeline
reads a ``tokenizers`` regex.

Hugging Face ``tokenizers`` compiles every regex of a ``tokenizer.json`` (``Split``, the
``Replace`` normalizer and the ``Replace`` decoder, ``ByteLevel``'s GPT-2 pattern) with
Oniguruma in Ruby syntax (``tokenizers/src/utils/onig.rs``, ``SysRegex``) and walks its
matches with the ``onig`` crate's ``find_iter``. Python has ``re`` and ``regex``, which read
much of that syntax alike, some of it otherwise, and have other Unicode tables. So a
pattern goes through three steps here:

1. :func:`translate` rewrites it into Python syntax, or refuses it at load time with
   :class:`.UnsupportedComponentError` naming the construct. Nothing is kept that could
   match differently (the rules are in its docstring, each checked against the reference
   in ``tests/test_pipeline_oniguruma.py``);
2. :class:`OnigPattern` compiles the translation with the references' character classes
   (:func:`..pretokenizers.compiled`, which reads the tables of :mod:`..unicode_classes`):
   on Python's ``re`` with the classes spelled out when the text has no character above
   U+FFFF, on ``regex`` otherwise;
3. :func:`find_iter` walks the matches as the ``onig`` crate does.

The JSON form of a pattern, ``{"String": ...}`` (a literal) or ``{"Regex": ...}``, is read
by :func:`pattern_from_json` and written by :func:`pattern_to_json`; :class:`Regex` marks a
pattern as a regex (``tokenizers.Regex``).
"""

from __future__ import annotations

import re

import regex

from ..base import MalformedVocabError
from ..pretokenizers import CLASSES, UntranslatablePattern, compiled, escape_at
from .spec import UnsupportedComponentError

Span = tuple[int, int]


class Regex:
    """A pattern to be read as a regular expression (``tokenizers.Regex``), not a literal string."""

    def __init__(self, pattern: str):
        self.pattern = pattern

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Regex) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(("Regex", self.pattern))

    def __repr__(self) -> str:
        return f"Regex({self.pattern!r})"


def pattern_from_json(value: object, where: str) -> str | Regex:
    """``{"String": s}`` -> ``s``, ``{"Regex": r}`` -> ``Regex(r)`` (``tokenizers``'
    ``SplitPattern`` / ``ReplacePattern``); anything else is a :class:`.MalformedVocabError`."""
    if not isinstance(value, dict) or len(value) != 1:
        raise MalformedVocabError(f"{where}: the pattern should be {{'String': ...}} or {{'Regex': ...}}, got {value!r:.80}")
    ((kind, text),) = value.items()
    if kind not in ("String", "Regex") or not isinstance(text, str):
        raise MalformedVocabError(f"{where}: the pattern should be {{'String': ...}} or {{'Regex': ...}}, "
                                  f"got the pattern kind {kind!r} with {text!r:.80}")  # fmt: skip
    return Regex(text) if kind == "Regex" else text


def pattern_to_json(pattern: str | Regex) -> dict:
    """What ``tokenizers`` writes for a pattern: ``{"Regex": ...}`` or ``{"String": ...}``."""
    return {"Regex": pattern.pattern} if isinstance(pattern, Regex) else {"String": pattern}


# ---- translation ---------------------------------------------------------------------------------
#: Escapes that mean the same character to Oniguruma, ``re`` and ``regex``.
_SAME_CHARACTER = frozenset("rntfv")
#: Groups that both engines read alike (named groups ``(?<name>`` are checked apart).
_PLAIN_GROUPS = ("(?:", "(?=", "(?!", "(?<=", "(?<!", "(?>")
#: Letter pairs that one character folds to (``ß`` -> ``ss``, ``ﬆ`` -> ``st``, ``ﬀ`` ``ﬁ`` ``ﬂ``):
#: under ``(?i)`` Oniguruma matches that character to the pair, Python does not.
_FOLDED_PAIRS = ("ss", "st", "ff", "fi", "fl")
#: Anchors, spelled so that Python's ``re`` runs them too (the fast path): the start of the
#: text, and Ruby's ``^``: the start of the text or after a ``\n`` that is not the last character.
_TEXT_START = r"(?<!(?s:.))"
#: Ruby's ``\z`` (the end of the text) and ``\Z`` (the end of the text, or before a ``\n``
#: that is its last character: ``regexec.c``, ``OP_END_BUF`` / ``OP_SEMI_END_BUF``).
_TEXT_END = r"(?!(?s:.))"
_TEXT_END_OR_FINAL_NEWLINE = rf"(?=\n?{_TEXT_END})"
_LINE_START = rf"(?:{_TEXT_START}|(?<=\n)(?=(?s:.)))"
#: An interval quantifier as both engines read it: ``{n}``, ``{n,}``, ``{n,m}``, ``{,m}``.
_INTERVAL = re.compile(r"\{(?=\d|,\d)(\d*)(,?)(\d*)\}")


def _caseless(ch: str) -> str:
    """The characters Oniguruma's ``(?i)`` matches to the ASCII character ``ch``, for a class:
    both cases, the Kelvin sign for ``k`` and the long s for ``s`` (spelled out, so that
    Python's own case folding, which differs (``i`` would match ``İ``), is never used)."""
    if not ch.isalpha():
        return ch
    return ch.lower() + ch.upper() + {"k": "\u212a", "s": "\u017f"}.get(ch.lower(), "")


def translate(pattern: str, where: str) -> str:
    r"""``pattern`` (Oniguruma, Ruby syntax, as ``tokenizers``' ``SysRegex`` compiles it) in
    Python syntax for :func:`..pretokenizers.compiled`, or :class:`.UnsupportedComponentError`
    (``where``: the component, e.g. ``"pre_tokenizer Split"``) naming what could match
    otherwise. The rules:

    * **character classes**: the escapes of :data:`..pretokenizers.CLASSES` (``\p{L}``,
      ``\p{Lu}``, ``\p{Zs}``, ``\s``, ``\d``, ``\w``, their negations ...) are kept; they
      are corrected later to the reference's tables (``\w``/``\W`` outside a class as
      Oniguruma reads them there: :data:`..pretokenizers.LATIN1_WORD_OUTSIDE_A_CLASS`). Whatever other class escape there is
      (``\p{Greek}``, ``\pL``, ``\h``, a hex digit in Ruby, ``\b``, ``\R`` ...) has no table
      of the reference's Unicode version or means another thing: refused.
    * **other escapes**: ``\n \r \t \f \v``, ``\uHHHH`` (written as the character) and an
      escaped ASCII symbol (``\.``, ``\\``) are kept. ``\A`` is the start of the text,
      ``\z`` its end, ``\Z`` its end or before a final ``\n`` (Ruby's meaning, not Python's:
      transformers' SentencePiece conversion writes ``\A +| +\z``). The rest is refused:
      ``\G``, ``\K``, ``\xHH``, back-references, ``\k<..>``, octal ...
    * **anchors**: Ruby's ``^`` and ``$`` are *line* anchors, and ``^`` does not match at
      the very end after a final ``\n`` (``regexec.c``, ``OP_BEGIN_LINE``): ``^`` becomes
      :data:`_LINE_START`, ``$`` ``(?m:$)``.
    * **quantifiers**: ``X{n,m}+`` and ``X{n}+`` are not possessive in Ruby syntax but
      ``(?:X{n,m})+``, and ``X{n}?`` is ``(?:X{n})?``, not lazy: refused, as is ``{,}``
      (a literal to Ruby, ``*`` to Python). ``?+ *+ ++`` are possessive in both.
      A quantifier on a quantifier (``a**``) does not compile in Python: refused.
    * **classes**: a nested class is Oniguruma's union (``[^(\\s|[.,!?])]``, BLOOM's split:
      its items join the enclosing class); a negated or empty nested class, a range into or out
      of one, a POSIX class (``[[:alpha:]]``) and set
      operations (``&&`` in Oniguruma; ``--``, ``||``, ``~~`` would be set operations in
      ``regex``'s VERSION1) are refused. A ``]`` first in a class is a literal (``\]``).
    * **groups**: ``(?:``, look-arounds, ``(?>``, named groups ``(?<name>``, comments
      ``(?#..)`` (dropped), ``(?i:``/``(?-i:`` and a leading ``(?i)``. Any other
      (``(?m)`` is Python's ``(?s)`` in Ruby, ``(?x)``, ``(?~..)``, ``a(?i)b`` ...) is refused.
    * **case folding** (``(?i)``): Oniguruma folds case its own way (``(?i:ss)`` matches
      ``ß``, ``(?i:k)`` the Kelvin sign, ``(?i:i)`` not ``İ``), so ASCII letters there are
      spelled out as classes (:func:`_caseless`, ``s`` -> ``[sSſ]``) and Python folds
      nothing. Refused under ``(?i)``: non-ASCII characters, escapes with a letter
      (``\p{L}``, ``\n``), ranges in a class, and any of the pairs ``ss st ff fi fl``.
    """

    def refuse(what: str) -> UnsupportedComponentError:
        return UnsupportedComponentError(f"{where}: the regex {pattern!r}: {what} is not supported "
                                         "(Python would not match it as Oniguruma does)")  # fmt: skip

    out: list[str] = []
    in_class = False
    nested = 0  # open classes inside the class (Oniguruma's union: [a[bc]] is [abc])
    caseless = [False]  # per open group: whether (?i) holds in it
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            escape = escape_at(pattern, i)
            i += len(escape)
            if caseless[-1] and escape[1:2].isalpha():
                raise refuse(f"the escape {escape} under (?i)")
            if escape in CLASSES or escape[1:] in _SAME_CHARACTER:
                out.append(escape)
            elif escape[1:2] == "u" and len(escape) == 6:
                out.append(re.escape(chr(int(escape[2:], 16))))
            elif escape == "\\A" and not in_class:
                out.append(_TEXT_START)
            elif escape == "\\z" and not in_class:
                out.append(_TEXT_END)
            elif escape == "\\Z" and not in_class:
                out.append(_TEXT_END_OR_FINAL_NEWLINE)
            elif len(escape) == 2 and escape[1].isascii() and not escape[1].isalnum():
                out.append(escape)
            else:
                raise refuse(f"the escape {escape}")
            continue
        if caseless[-1] and not ch.isascii():
            raise refuse(f"the non-ASCII {ch!r} under (?i) (Oniguruma's case folding differs)")
        if in_class:
            if ch == "[":
                if pattern.startswith(("[:", "[^", "[]"), i) or pattern[i - 1] == "-":
                    raise refuse("a POSIX class ([:alpha:]), a negated or empty nested class, or a range "
                                 "into a nested class")  # fmt: skip
                nested += 1  # a union: its items join the enclosing class
                i += 1
                continue
            if ch == "]" and nested:
                nested -= 1
                if pattern[i + 1 : i + 2] == "-" and pattern[i + 2 : i + 3] != "]":
                    raise refuse("a range out of a nested class")
                i += 1
                continue
            if pattern.startswith(("&&", "--", "||", "~~"), i):
                raise refuse(f"{pattern[i:i + 2]} in a class (set operations: an intersection in Oniguruma, "
                             "or Python regex's VERSION1 set operations)")  # fmt: skip
            if ch == "-" and caseless[-1] and pattern[i + 1 : i + 2] != "]":
                raise refuse("a range in a class under (?i)")
            if ch == "]":
                in_class = False
            out.append(_caseless(ch) if caseless[-1] else ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
            opening = "[^" if pattern.startswith("[^", i) else "["
            out.append(opening)
            i += len(opening)
            if pattern.startswith("]", i):  # a leading ] is a literal
                out.append("\\]")
                i += 1
            continue
        if ch == "(":
            if pattern.startswith("(?#", i):  # a comment, up to the first unescaped ")"
                i += 3
                while i < len(pattern) and pattern[i] != ")":
                    i += 2 if pattern[i] == "\\" else 1
                i += 1
                continue
            if pattern.startswith(("(?i:", "(?-i:"), i):
                caseless.append(pattern.startswith("(?i:", i))
                out.append("(?:")
                i = pattern.index(":", i) + 1
                continue
            if i == 0 and pattern.startswith("(?i)"):
                caseless[0] = True
                i += 4
                continue
            if pattern.startswith("(?", i) and not pattern.startswith(_PLAIN_GROUPS, i):
                if not re.match(r"\(\?<[A-Za-z_]\w*>", pattern[i:]):
                    raise refuse(f"the group syntax {pattern[i:i + 4]!r}")
            caseless.append(caseless[-1])
            out.append(ch)
        elif ch == ")":
            if len(caseless) > 1:
                caseless.pop()
            out.append(ch)
        elif ch == "^":
            out.append(_LINE_START)
        elif ch == "$":
            out.append("(?m:$)")
        elif pattern.startswith("{,}", i):
            raise refuse("{,} (a literal in Ruby syntax, * in Python)")
        elif ch == "{" and _INTERVAL.match(pattern, i):
            interval = _INTERVAL.match(pattern, i)
            comma, after = interval[2], pattern[interval.end() : interval.end() + 1]
            if after == "+":
                raise refuse("an interval followed by + (X{n,m}+ repeats X{n,m}, it is not possessive)")
            if after == "?" and not comma:
                raise refuse("X{n}? (in Ruby syntax (?:X{n})?, not lazy)")
            out.append(interval[0])
            i = interval.end()
            continue
        elif caseless[-1] and ch.isalpha():
            out.append("[" + _caseless(ch) + "]")
        else:
            out.append(ch)
        i += 1
    if "(?i" in pattern and any(pair in re.sub(r"[\[\]()?:]", "", pattern.lower()) for pair in _FOLDED_PAIRS):
        raise refuse("a letter pair that Oniguruma's case folding matches to one character (ss, st, ff, fi, fl)")
    return "".join(out)


# ---- matching ------------------------------------------------------------------------------------
def find_iter(compiled_pattern: re.Pattern | regex.Pattern, text: str) -> list[Span]:
    """The spans of the successive matches of ``compiled_pattern`` in ``text``, as the ``onig``
    crate's ``find_iter`` (``FindMatches``) gives them: each search starts where the last
    match ended (look-behinds still see the text before), and an empty match right where
    the last match ended is skipped (the search then starts one character further). So
    ``a*`` in ``"baac"`` matches at ``(0,0) (1,3) (4,4)``; Python's ``finditer`` would also
    give ``(3,3)``."""
    spans: list[Span] = []
    position, last_end = 0, None
    while position <= len(text):
        match = compiled_pattern.search(text, position)
        if match is None:
            break
        start, end = match.span()
        if start == end and end == last_end:
            position += 1
            continue
        spans.append((start, end))
        position = last_end = end
    return spans


class OnigPattern:
    """A ``tokenizers`` pattern ready to match: a literal string (``tokenizers`` escapes it
    and compiles it as a regex), or a :class:`Regex`, translated (:func:`translate`) and
    compiled with the references' classes. ``where`` names the component in errors.

    A regex runs on Python's ``re`` with its classes spelled out
    (:func:`..pretokenizers.fast_pattern`) when the text has no character above U+FFFF
    and the translation allows it, else on ``regex``."""

    def __init__(self, pattern: str | Regex, where: str):
        self.pattern = pattern
        if not isinstance(pattern, Regex):
            self.translated, self.fast = re.escape(pattern), None
            self.literal = re.compile(self.translated)
            return
        self.literal = None
        self.translated = translate(pattern.pattern, where)
        try:
            compiled(self.translated)
        except regex.error as error:
            message = f"{where}: the regex {pattern.pattern!r} does not compile in Python: {error}"
            raise UnsupportedComponentError(message) from None
        except UntranslatablePattern as error:
            raise UnsupportedComponentError(f"{where}: the regex {pattern.pattern!r} cannot run exactly: {error}") from None
        try:
            compiled(self.translated, fast=True)
            self.fast = True
        except (UntranslatablePattern, re.error):
            self.fast = False

    def compiled_for(self, text: str) -> re.Pattern | regex.Pattern:
        """The compiled pattern that matches exactly in ``text``."""
        if self.literal is not None:
            return self.literal
        return compiled(self.translated, fast=self.fast and (not text or max(text) <= "\uffff"))

    def find_iter(self, text: str) -> list[Span]:
        """The match spans in ``text``, as ``onig``'s ``find_iter`` (:func:`find_iter`)."""
        return find_iter(self.compiled_for(text), text)

    def __repr__(self) -> str:
        return f"OnigPattern({self.pattern!r})"
