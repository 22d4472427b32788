"""Generate ``scratch/tokenizers/unicode_classes.py``: the character classes of the
reference tokenizers, asked of the references themselves.

    python -m reference.unicode_tables          # rewrite the module
    python -m reference.unicode_tables --check  # exit 1 if it is out of date

Why: ``\\p{L}`` (letters), ``\\p{N}`` (numbers) and ``\\s`` (whitespace) mean whatever
the Unicode version of the regex engine says. The ``regex`` module follows the newest
Unicode (and beyond: its 2026 releases know about 17,000 more letters than Unicode 16),
while the references are frozen at the version they were built with: tiktoken runs
Rust's ``regex`` crate, Hugging Face ``tokenizers`` runs Oniguruma, and
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
* ``tokenizers``: ``pre_tokenizers.Split`` with the complement class (``[^\\p{L}]+``) and
  ``behavior="removed"``: the pieces left are the members.
* ``char::is_numeric``: ``pre_tokenizers.Digits(individual_digits=True)`` on the code
  points joined by ``"a"``: every numeric character becomes a piece of one character.

The two regex engines must agree (they do as of tiktoken 0.14 / tokenizers 0.23, both at
Unicode 16); if a release makes them differ, this script stops and says where, because
the tokenizers would then need a table per engine. ``char::is_numeric`` is a table of its
own, since it already differs (Rust 1.9x's standard library is at Unicode 17).

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

#: name in the generated module -> (the regex class, what it is)
REGEX_CLASSES = {
    "LETTERS": (r"\p{L}", r"``\p{L}``: letters"),
    "NUMBERS": (r"\p{N}", r"``\p{N}``: numbers (digits, letter-like numerals, fractions ...)"),
    "WHITESPACE": (r"\s", r"``\s``: whitespace"),
    "MARKS": (r"\p{M}", r"``\p{M}``: combining marks (Qwen3.5 keeps them with the letters)"),
    "PUNCTUATION": (r"\p{P}", r"``\p{P}``: punctuation (DeepSeek-Coder's split)"),
}


def every_character() -> str:
    return "".join(map(chr, CODE_POINTS))


def tiktoken_members(pattern: str, text: str) -> set[int]:
    """The code points of ``text`` that tiktoken's engine matches with ``pattern``."""
    import tiktoken

    byte_ranks = {bytes([b]): b for b in range(256)}
    probe = tiktoken.Encoding("probe", pat_str=pattern, mergeable_ranks=byte_ranks, special_tokens={})
    return set(map(ord, probe.decode(probe.encode_ordinary(text))))


def tokenizers_members(pattern: str, text: str) -> set[int]:
    """The code points of ``text`` that ``tokenizers``' engine (Oniguruma) matches with ``pattern``."""
    from tokenizers import Regex, pre_tokenizers

    left = pre_tokenizers.Split(Regex(f"[^{pattern}]+"), behavior="removed").pre_tokenize_str(text)
    return {ord(c) for piece, _ in left for c in piece}


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
        rust, onig = tiktoken_members(pattern, text), tokenizers_members(pattern, text)
        if rust != onig:
            only_rust, only_onig = sorted(rust - onig), sorted(onig - rust)
            raise EnginesDisagree(
                f"{pattern}: tiktoken (Rust regex) and tokenizers (Oniguruma) disagree on "
                f"{len(only_rust) + len(only_onig)} code points (only tiktoken: {[hex(c) for c in only_rust[:10]]}, "
                f"only tokenizers: {[hex(c) for c in only_onig[:10]]}); the tables would need one version per engine"
            )
        tables[name] = rust
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
    descriptions = {name: description for name, (_, description) in REGEX_CLASSES.items()}
    descriptions["NUMERIC"] = (
        "``Digits(individual_digits=True)``: Rust's ``char::is_numeric`` (the Rust standard library's Unicode version)"
    )
    head = f'''"""Character classes of the reference tokenizers, as code-point ranges.

GENERATED by ``python -m reference.unicode_tables`` from {", ".join(f"{p} {v}" for p, v in sources.items())}:
do not edit. Rerun it when a reference moves (``tests/test_tokenizers_unicode.py`` notices).

Each class is a tuple of ``(first, last)`` code-point ranges, both ends included; the
surrogates U+D800..U+DFFF are in none (no engine takes them in a string). ``LETTERS``,
``NUMBERS``, ``WHITESPACE``, ``MARKS`` and ``PUNCTUATION`` are what tiktoken's Rust
``regex`` and ``tokenizers``' Oniguruma both match; ``NUMERIC`` and ``PUNCTUATION_SPLIT``
what ``tokenizers``' ``Digits`` and ``Punctuation`` pre-tokenizers isolate (Rust's own
tables). ``LOWERCASE`` maps a code point to the lower case that ``tokenizers``'
``BertNormalizer`` gives it, for every code point it changes.
"""

from __future__ import annotations

#: The references these tables come from.
SOURCES = {sources!r}


def _ranges(text: str) -> tuple[tuple[int, int], ...]:
    """``"0041-005A 00AA"`` -> ``((0x41, 0x5A), (0xAA, 0xAA))``."""
    pairs = (item.partition("-") for item in text.split())
    return tuple((int(first, 16), int(last or first, 16)) for first, _, last in pairs)


def _mapping(text: str) -> dict[int, str]:
    """``"0041:0061 0130:0069+0307"`` -> ``{{0x41: "a", 0x130: "i\\u0307"}}``."""
    pairs = (item.partition(":") for item in text.split())
    return {{int(key, 16): "".join(chr(int(c, 16)) for c in value.split("+")) for key, _, value in pairs}}
'''
    parts = [head]
    descriptions["PUNCTUATION_SPLIT"] = (
        "``Punctuation``: ASCII punctuation and Rust's ``unicode_categories`` punctuation (Falcon's first split)"
    )
    for name in (*REGEX_CLASSES, "NUMERIC", "PUNCTUATION_SPLIT"):
        items = [f"{a:04X}" if a == b else f"{a:04X}-{b:04X}" for a, b in code_point_runs(tables[name])]
        parts.append(f'\n\n#: {descriptions[name]}\n{name} = _ranges(\n    """\n{_wrapped(items, "    ")}\n"""\n)\n')
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
