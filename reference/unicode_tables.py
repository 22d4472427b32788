"""Generate ``scratch/tokenizers/unicode_classes.py``: the character classes of the
reference tokenizers, asked of the references themselves.

    python -m reference.unicode_tables          # rewrite the module
    python -m reference.unicode_tables --check  # exit 1 if it is out of date

Why: ``\\p{L}`` (letters), ``\\p{N}`` (numbers), ``\\s`` (whitespace) and every other
Unicode class of a split pattern (``\\p{Lu}``, ``\\p{Mn}``, ``\\p{Sm}``, ``\\p{Po}``, ``\\d``,
``\\w``, ``\\p{Han}`` ...) mean whatever the Unicode version of the regex engine says.
The ``regex`` module follows the newest Unicode (and beyond: its 2026 releases know
about 17,000 more letters than Unicode 16, U+18D80 is ``\\p{Lo}`` to it), while the
references are frozen at the version they were built with: tiktoken runs Rust's
``regex`` crate, Hugging Face ``tokenizers`` runs Oniguruma, and
``Digits(individual_digits=True)`` asks Rust's ``char::is_numeric`` (the Rust standard
library's Unicode version, which moves with the compiler). A byte-level tokenizer whose
classes come from the installed ``regex`` gives other ids than the reference on text
with the characters the versions disagree on. So scratch takes its classes from a
generated table, and this script is the only place that knows how they were obtained.

How each engine is asked, over all 1,114,112 code points but the 2,048 surrogates
(U+D800..U+DFFF, which neither engine accepts in a string):

* tiktoken: an ``Encoding`` whose pattern is the class alone and whose ranks are the 256
  single bytes; ``encode_ordinary`` keeps only the matched characters, and ``decode``
  gives them back.
* ``tokenizers``: a ``normalizers.Replace`` of the complement class's runs (``[^\\p{L}]+``)
  by nothing: what is left are the members (``Replace`` compiles its ``Regex`` as ``Split``
  does).
* ``char::is_numeric``: ``pre_tokenizers.Digits(individual_digits=True)`` on the code
  points joined by ``"a"``: every numeric character becomes a piece of one character.

Every general category is a table (``UPPERCASE_LETTERS`` = ``\\p{Lu}`` ...), and so are the
scripts real patterns use (``HAN`` ...); a class that holds others whole is written as
their union and what it has besides (``LETTERS`` = ``\\p{Lu}`` | ... | ``\\p{Lo}``;
``WORD`` = ``\\w`` = letters | marks | ``\\p{Nd}`` | ``\\p{Pc}`` | the others Oniguruma has),
after checking that it does hold them. The two regex engines must agree on every class
(they do as of tiktoken 0.14 / tokenizers 0.23, both at Unicode 16); if a release makes
them differ, this script stops and says where, because the tokenizers would then need a
table per engine. Only ``\\w`` is asked of Oniguruma alone (:data:`ONIGURUMA_ONLY`): no
tiktoken pattern uses it, and Rust's already differs (it also holds U+200C/U+200D).
``char::is_numeric`` is a table of its own, since it already differs (Rust 1.9x's
standard library is at Unicode 17).

BERT's normalizer (``tokenizers``' ``BertNormalizer``) lower-cases with Rust's
``char::to_lowercase``; Python's ``str.lower`` follows the interpreter's Unicode version
(14.0 on Python 3.11), so the table also holds the reference's lower case of every code
point that has one.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "scratch" / "tokenizers" / "unicode_classes.py"

#: Every code point a string handed to the engines can hold: all but the surrogates.
CODE_POINTS = [*range(0xD800), *range(0xE000, 0x110000)]

#: The general categories, each a table of its own (they do not overlap): name in the generated
#: module -> (the regex class, what it is). Surrogates (``Cs``) are in no string, so in no table.
CATEGORIES = {
    "UPPERCASE_LETTERS": (r"\p{Lu}", "upper-case letters"),
    "LOWERCASE_LETTERS": (r"\p{Ll}", "lower-case letters"),
    "TITLECASE_LETTERS": (r"\p{Lt}", "title-case letters (``ǅ``)"),
    "MODIFIER_LETTERS": (r"\p{Lm}", "modifier letters (``ʰ``)"),
    "OTHER_LETTERS": (r"\p{Lo}", "other letters (CJK, Arabic, Hebrew, kana ...)"),
    "NONSPACING_MARKS": (r"\p{Mn}", "non-spacing marks (combining accents)"),
    "SPACING_MARKS": (r"\p{Mc}", "spacing combining marks"),
    "ENCLOSING_MARKS": (r"\p{Me}", "enclosing marks"),
    "DECIMAL_NUMBERS": (r"\p{Nd}", "decimal digits"),
    "LETTER_NUMBERS": (r"\p{Nl}", "letter-like numerals (``Ⅻ``)"),
    "OTHER_NUMBERS": (r"\p{No}", "other numbers (``½ ²``)"),
    "MATH_SYMBOLS": (r"\p{Sm}", "mathematical symbols"),
    "CURRENCY_SYMBOLS": (r"\p{Sc}", "currency symbols"),
    "MODIFIER_SYMBOLS": (r"\p{Sk}", "modifier symbols (``^ ` ¨``)"),
    "OTHER_SYMBOLS": (r"\p{So}", "other symbols (emoji ...)"),
    "CONNECTOR_PUNCTUATION": (r"\p{Pc}", "connector punctuation (``_``)"),
    "DASH_PUNCTUATION": (r"\p{Pd}", "dashes"),
    "OPEN_PUNCTUATION": (r"\p{Ps}", "opening brackets"),
    "CLOSE_PUNCTUATION": (r"\p{Pe}", "closing brackets"),
    "INITIAL_PUNCTUATION": (r"\p{Pi}", "initial quotes"),
    "FINAL_PUNCTUATION": (r"\p{Pf}", "final quotes"),
    "OTHER_PUNCTUATION": (r"\p{Po}", "other punctuation"),
    "SPACE_SEPARATORS": (r"\p{Zs}", "space separators"),
    "LINE_SEPARATORS": (r"\p{Zl}", "the line separator"),
    "PARAGRAPH_SEPARATORS": (r"\p{Zp}", "the paragraph separator"),
    "CONTROLS": (r"\p{Cc}", "control characters"),
    "FORMATS": (r"\p{Cf}", "format characters (``U+200D``, ``U+FEFF`` ...)"),
    "PRIVATE_USE": (r"\p{Co}", "private use"),
    "UNASSIGNED": (r"\p{Cn}", "unassigned code points"),
}

#: The classes that hold other tables whole: name -> (the regex class, what it is, the tables
#: it holds). The generated module writes each as the union of those tables and of the ranges
#: it has besides (none for the categories' unions), or as ranges alone if it lacks any of them.
UNIONS = {
    "LETTERS": (r"\p{L}", "letters", ("UPPERCASE_LETTERS", "LOWERCASE_LETTERS", "TITLECASE_LETTERS",
                                        "MODIFIER_LETTERS", "OTHER_LETTERS")),
    "MARKS": (r"\p{M}", "combining marks (Qwen3.5 keeps them with the letters)",
              ("NONSPACING_MARKS", "SPACING_MARKS", "ENCLOSING_MARKS")),
    "NUMBERS": (r"\p{N}", "numbers (digits, letter-like numerals, fractions ...)",
                ("DECIMAL_NUMBERS", "LETTER_NUMBERS", "OTHER_NUMBERS")),
    "SYMBOLS": (r"\p{S}", "symbols", ("MATH_SYMBOLS", "CURRENCY_SYMBOLS", "MODIFIER_SYMBOLS", "OTHER_SYMBOLS")),
    "PUNCTUATION": (r"\p{P}", "punctuation (DeepSeek-Coder's split)",
                    ("CONNECTOR_PUNCTUATION", "DASH_PUNCTUATION", "OPEN_PUNCTUATION", "CLOSE_PUNCTUATION",
                     "INITIAL_PUNCTUATION", "FINAL_PUNCTUATION", "OTHER_PUNCTUATION")),
    "SEPARATORS": (r"\p{Z}", "separators", ("SPACE_SEPARATORS", "LINE_SEPARATORS", "PARAGRAPH_SEPARATORS")),
    "OTHERS": (r"\p{C}", "controls, formats, private use and unassigned (surrogates aside)",
               ("CONTROLS", "FORMATS", "PRIVATE_USE", "UNASSIGNED")),
    "WHITESPACE": (r"\s", "whitespace", ("SPACE_SEPARATORS", "LINE_SEPARATORS", "PARAGRAPH_SEPARATORS")),
    "DIGITS": (r"\d", "digits", ("DECIMAL_NUMBERS",)),
    "WORD": (r"\w", "word characters", ("LETTERS", "MARKS", "DECIMAL_NUMBERS", "CONNECTOR_PUNCTUATION")),
}  # fmt: skip

#: The scripts that real split patterns use (Kimi-K2's ``\p{Han}`` ...): name -> (class, what it is).
SCRIPTS = {
    "HAN": (r"\p{Han}", "the Han script (CJK ideographs)"),
    "HIRAGANA": (r"\p{Hiragana}", "the Hiragana script"),
    "KATAKANA": (r"\p{Katakana}", "the Katakana script"),
    "HANGUL": (r"\p{Hangul}", "the Hangul script"),
}

#: Every class asked of the regex engines: name -> (the regex class, what it is).
REGEX_CLASSES = {
    **CATEGORIES,
    **{name: (pattern, description) for name, (pattern, description, _) in UNIONS.items()},
    **SCRIPTS,
}

#: Classes asked of ``tokenizers``' engine alone: no tiktoken pattern uses them, and Rust's
#: ``regex`` reads them otherwise (its ``\w`` also holds U+200C/U+200D, Join_Control).
ONIGURUMA_ONLY = frozenset({"WORD"})


def every_character() -> str:
    return "".join(map(chr, CODE_POINTS))


def tiktoken_members(pattern: str, text: str) -> set[int]:
    """The code points of ``text`` that tiktoken's engine matches with ``pattern``."""
    import tiktoken

    byte_ranks = {bytes([b]): b for b in range(256)}
    probe = tiktoken.Encoding("probe", pat_str=pattern, mergeable_ranks=byte_ranks, special_tokens={})
    return set(map(ord, probe.decode(probe.encode_ordinary(text))))


def tokenizers_members(pattern: str, text: str) -> set[int]:
    """The code points of ``text`` that ``tokenizers``' engine (Oniguruma) matches with ``pattern``:
    a ``Replace`` normalizer removes the runs of the complement class (``[^\\p{L}]+``), and what is
    left are the members. (``Replace`` and ``Split`` compile their ``Regex`` alike, with
    ``tokenizers``' ``SysRegex``; ``Replace`` is ten times faster on all code points, since it
    builds no ``PreTokenizedString``.)"""
    from tokenizers import Regex, normalizers

    return set(map(ord, normalizers.Replace(Regex(f"[^{pattern}]+"), "").normalize_str(text)))


def rust_numeric(code_points: list[int]) -> set[int]:
    """The code points that ``Digits(individual_digits=True)`` isolates (``char::is_numeric``)."""
    from tokenizers import pre_tokenizers

    separator = "a"  # a letter: never numeric, and it keeps every other character apart
    text = separator.join(map(chr, code_points))
    pieces = pre_tokenizers.Digits(individual_digits=True).pre_tokenize_str(text)
    return {ord(piece) for piece, _ in pieces if len(piece) == 1 and piece != separator}


def reference_lowercase(code_points: list[int]) -> dict[int, str]:
    """code point -> its lower case in ``BertNormalizer(lowercase=True)``, where that differs."""
    from tokenizers import normalizers

    lower = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False,
                                       lowercase=True)  # fmt: skip
    separator = "\x00"  # its own lower case, and in no other's
    others = [c for c in code_points if c != 0]
    lowered = lower.normalize_str(separator.join(map(chr, others))).split(separator)
    if len(lowered) != len(others):
        raise RuntimeError("the lower case of some code point holds U+0000: the probe needs another separator")
    return {c: low for c, low in zip(others, lowered) if low != chr(c)}


def rust_punctuation(code_points: list[int]) -> set[int]:
    """The code points that ``pre_tokenizers.Punctuation`` isolates (ASCII punctuation and
    Rust's ``unicode_categories`` punctuation, a Unicode version of its own)."""
    from tokenizers import pre_tokenizers

    separator = "a"
    text = separator.join(map(chr, code_points))
    pieces = pre_tokenizers.Punctuation("isolated").pre_tokenize_str(text)
    return {ord(piece) for piece, _ in pieces if len(piece) == 1 and piece != separator}


class EnginesDisagree(RuntimeError):
    pass


def probe() -> dict[str, object]:
    """Every table, from the installed references."""
    text = every_character()
    tables: dict[str, object] = {}
    for name, (pattern, _) in REGEX_CLASSES.items():
        onig = tokenizers_members(pattern, text)
        rust = onig if name in ONIGURUMA_ONLY else tiktoken_members(pattern, text)
        if rust != onig:
            only_rust, only_onig = sorted(rust - onig), sorted(onig - rust)
            raise EnginesDisagree(
                f"{pattern}: tiktoken (Rust regex) and tokenizers (Oniguruma) disagree on "
                f"{len(only_rust) + len(only_onig)} code points (only tiktoken: {[hex(c) for c in only_rust[:10]]}, "
                f"only tokenizers: {[hex(c) for c in only_onig[:10]]}); the tables would need one version per engine"
            )
        tables[name] = onig
    tables["NUMERIC"] = rust_numeric(CODE_POINTS)
    tables["PUNCTUATION_SPLIT"] = rust_punctuation(CODE_POINTS)
    tables["LOWERCASE"] = reference_lowercase(CODE_POINTS)
    return tables


def _wrapped(items: list[str], indent: str = "", width: int = 100) -> str:
    lines, line = [], indent
    for item in items:
        if len(line) + len(item) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += item + " "
    lines.append(line.rstrip())
    return "\n".join(lines)


def render(tables: dict[str, object]) -> str:
    """The source of the generated module."""
    from scratch.tokenizers.pretokenizers import code_point_runs  # the runs the pre-tokenizers also build

    sources = {p: version(p) for p in ("tiktoken", "tokenizers")}
    head = f'''"""Character classes of the reference tokenizers, as code-point ranges.

GENERATED by ``python -m reference.unicode_tables`` from {", ".join(f"{p} {v}" for p, v in sources.items())}:
do not edit. Rerun it when a reference moves (``tests/test_tokenizers_unicode.py`` notices).

Each class is a tuple of ``(first, last)`` code-point ranges, both ends included; the
surrogates U+D800..U+DFFF are in none (no engine takes them in a string). The general
categories (``UPPERCASE_LETTERS`` is ``\\\\p{{Lu}}`` ...), their unions (``LETTERS`` ...),
``WHITESPACE`` (``\\\\s``), ``DIGITS`` (``\\\\d``) and the scripts (``HAN`` ...) are what
tiktoken's Rust ``regex`` and ``tokenizers``' Oniguruma both match; ``WORD`` (``\\\\w``) is
Oniguruma's. ``NUMERIC`` and ``PUNCTUATION_SPLIT`` are what ``tokenizers``' ``Digits`` and
``Punctuation`` pre-tokenizers isolate (Rust's own tables). ``LOWERCASE`` maps a code
point to the lower case that ``tokenizers``' ``BertNormalizer`` gives it, for every code
point it changes. :func:`complement` gives a negated class (``\\\\P{{Lu}}``, ``\\\\S`` ...).
"""

from __future__ import annotations

#: The references these tables come from.
SOURCES = {sources!r}


def _ranges(text: str) -> tuple[tuple[int, int], ...]:
    """``"0041-005A 00AA"`` -> ``((0x41, 0x5A), (0xAA, 0xAA))``."""
    pairs = (item.partition("-") for item in text.split())
    return tuple((int(first, 16), int(last or first, 16)) for first, _, last in pairs)


def _union(*tables: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """The ranges of all ``tables`` together, sorted, touching ones merged."""
    runs: list[tuple[int, int]] = []
    for first, last in sorted(r for table in tables for r in table):
        if runs and first <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(runs[-1][1], last))
        else:
            runs.append((first, last))
    return tuple(runs)


def complement(table: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Every code point but the surrogates that ``table`` lacks: ``\\\\P{{..}}`` of its ``\\\\p{{..}}``."""
    runs, start = [], 0
    for first, last in _union(table, ((0xD800, 0xDFFF),)):
        if first > start:
            runs.append((start, first - 1))
        start = last + 1
    return tuple(runs + [(start, 0x10FFFF)] if start <= 0x10FFFF else runs)


def _mapping(text: str) -> dict[int, str]:
    """``"0041:0061 0130:0069+0307"`` -> ``{{0x41: "a", 0x130: "i\\u0307"}}``."""
    pairs = (item.partition(":") for item in text.split())
    return {{int(key, 16): "".join(chr(int(c, 16)) for c in value.split("+")) for key, _, value in pairs}}
'''

    def ranges(code_points: set[int], nested: bool = False) -> str:
        items = [f"{a:04X}" if a == b else f"{a:04X}-{b:04X}" for a, b in code_point_runs(code_points)]
        if nested:  # an argument of _union
            return f'    _ranges(\n        """\n{_wrapped(items, "        ")}\n        """\n    ),\n'
        return f'_ranges(\n    """\n{_wrapped(items, "    ")}\n"""\n)'

    def union(names: list[str], besides: set[int]) -> str:
        return f"_union(\n{_wrapped([n + ',' for n in names], '    ')}\n{ranges(besides, True) if besides else ''})"

    def table(name: str, pattern: str, description: str, source: str) -> str:
        return f"\n\n#: ``{pattern}``: {description}\n{name} = {source}\n"

    everything = set(CODE_POINTS)
    parts = [head, "\n\n# ---- the general categories ----"]
    for name, (pattern, description) in CATEGORIES.items():
        source = ranges(tables[name])
        if name == "UNASSIGNED":  # the longest list: written as what no other category has, if it is that
            others = [n for n in CATEGORIES if n != name]
            if tables[name] == everything - set().union(*(tables[n] for n in others)):
                source = f"complement({union(others, set())})"
        parts.append(table(name, pattern, description, source))
    parts.append("\n\n# ---- the classes that hold others whole ----")
    for name, (pattern, description, held) in UNIONS.items():
        members = tables[name]
        held_members = [tables[h] for h in held]
        if all(h <= members for h in held_members):
            source = union(list(held), members - set().union(*held_members))
        else:
            source = ranges(members)  # (a release where it lacks some of them: spelled out)
        parts.append(table(name, pattern, description, source))
    parts.append("\n\n# ---- scripts ----")
    for name, (pattern, description) in SCRIPTS.items():
        parts.append(table(name, pattern, description, ranges(tables[name])))
    parts.append("\n\n# ---- the pre-tokenizers' own tables (Rust's standard library and crates) ----")
    parts.append(table("NUMERIC", "Digits(individual_digits=True)",
                       "Rust's ``char::is_numeric`` (the Rust standard library's Unicode version)",
                       ranges(tables["NUMERIC"])))  # fmt: skip
    parts.append(table("PUNCTUATION_SPLIT", "Punctuation", "ASCII punctuation and Rust's ``unicode_categories`` "
                       "punctuation (Falcon's first split)", ranges(tables["PUNCTUATION_SPLIT"])))  # fmt: skip
    lowercase = tables["LOWERCASE"]
    items = [f"{c:04X}:" + "+".join(f"{ord(x):04X}" for x in low) for c, low in sorted(lowercase.items())]
    parts.append(
        "\n\n#: code point -> its lower case in ``BertNormalizer`` (Rust's ``char::to_lowercase``), where that\n"
        "#: is not the code point itself\n"
        f'LOWERCASE = _mapping(\n    """\n{_wrapped(items, "    ")}\n"""\n)\n'
    )
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the module is up to date")
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    try:
        source = render(probe())
    except EnginesDisagree as exc:
        print(f"unicode_tables: {exc}", file=sys.stderr)
        return 1
    current = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
    if args.check:
        verdict = "up to date" if current == source else "OUT OF DATE: rerun python -m reference.unicode_tables"
        print(f"{args.out}: {verdict}")
        return 0 if current == source else 1
    if current == source:
        print(f"{args.out}: already up to date")
        return 0
    from scratch.files import write_text_atomic

    write_text_atomic(args.out, source)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
