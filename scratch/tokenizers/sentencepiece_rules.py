"""SentencePiece's own rules, shared by its tokenizers and trainers here.

* **Whitespace** is the visible character ``▁`` (U+2581, :data:`SPACE`): SentencePiece
  replaces every space by it and puts one in front of the text (the dummy prefix).
* **Meta pieces**: its trainers put ``<unk>``, ``<s>``, ``</s>`` first (:data:`META_PIECES`).
* **Byte fallback**: a character outside the vocabulary is spelled as its UTF-8 bytes,
  one piece ``<0x00>`` ... ``<0xFF>`` per byte (:data:`BYTE_PIECES`,
  :func:`byte_piece_value`); decoding joins a run of them back into text
  (:func:`decode_byte_run`).
* **Valid pieces** (:func:`is_valid_piece`): what a trainer may add to a vocabulary,
  sentencepiece's ``TrainerInterface::IsValidSentencePiece`` (``trainer_interface.cc``)
  with its default settings (``split_by_whitespace``, ``split_by_unicode_script``,
  ``split_by_number``; not ``split_digits``, ``treat_whitespace_as_suffix`` or
  ``allow_whitespace_only_pieces``):

  - 1 to ``max_sentencepiece_length`` (16) characters;
  - no NUL, space or ``▅`` (U+2585, its stand-in for unknown characters), and no
    surrogate. (The source also names the tab, as its pre-tokenization boundary, but the
    library as built lets it through: ``"1\t"`` is a piece, the tab being Common);
  - ``▁`` only as the first character;
  - one Unicode script (:func:`script`) for the other characters. Digits and
    punctuation are the script Common (so ``"a1"`` and ``"ab,"`` are not valid);
    Hiragana, Katakana and ``ー`` (U+30FC) count as Han, so Japanese words can be
    pieces; a combining mark (script Inherited) takes the script of the character before
    it, and at the start of a piece matches any script.

sentencepiece keeps its own table of scripts, made from Unicode 9.0: a character that
Unicode assigned later is Common there. Here the script comes from the ``regex``
module's Unicode tables (newer), limited to the scripts of Unicode 9.0 (:data:`SCRIPTS`;
a character of a later script is Common, as there). The two still differ on the
characters Unicode 10 and later added to older scripts (a new Han ideograph is Han here,
Common there) and on U+0953..U+0954 (Devanagari there, Inherited in current Unicode).
"""

from __future__ import annotations

import functools

import regex

SPACE = "\u2581"  # ▁, SentencePiece's visible space
META_PIECES = ("<unk>", "<s>", "</s>")
BYTE_PIECES = tuple(f"<0x{b:02X}>" for b in range(256))
MAX_PIECE_LENGTH = 16

#: Characters a piece never holds: NUL (the end of a key in its trie), the space (always
#: ``▁`` once normalized) and ``▅`` (U+2585, its stand-in for unknown characters during
#: training; the library also drops every sentence that holds one).
FORBIDDEN = frozenset("\x00 \u2585")

#: The scripts of Unicode 9.0 (the version of sentencepiece's script table), by their
#: property value names.
SCRIPTS = (
    "Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali "
    "Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma "
    "Cham Cherokee Common Coptic Cuneiform Cypriot Cyrillic Deseret Devanagari Duployan Egyptian_Hieroglyphs "
    "Elbasan Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gurmukhi Han Hangul Hanunoo Hatran "
    "Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi "
    "Kannada Katakana Kayah_Li Kharoshthi Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B "
    "Lisu Lycian Lydian Mahajani Malayalam Mandaic Manichaean Marchen Meetei_Mayek Mende_Kikakui "
    "Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean New_Tai_Lue Newa "
    "Nko Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_South_Arabian "
    "Old_Turkic Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi "
    "Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sora_Sompeng Sundanese "
    "Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangut Telugu Thaana Thai "
    "Tibetan Tifinagh Tirhuta Ugaritic Vai Warang_Citi Yi"
).split()
_HEX = frozenset("0123456789abcdefABCDEF")
_SCRIPT = regex.compile("|".join(f"(?P<{name}>\\p{{Script={name}}})" for name in SCRIPTS))


def byte_piece_value(piece: str) -> int | None:
    """The byte of a byte-fallback piece ``<0xNN>`` (either case of hex digits), else None."""
    digits = piece[3:5]
    if len(piece) == 6 and piece.startswith("<0x") and piece.endswith(">") and all(c in _HEX for c in digits):
        return int(digits, 16)
    return None


def decode_byte_run(run: bytes) -> str:
    """A run of byte-fallback bytes: its text, or one U+FFFD per byte if it is not valid UTF-8."""
    try:
        return run.decode("utf-8")
    except UnicodeDecodeError:
        return "\ufffd" * len(run)


@functools.lru_cache(maxsize=None)
def script(ch: str) -> str:
    """The script of ``ch`` as sentencepiece's trainer sees it: Hiragana, Katakana and ``ー``
    are Han; a script that Unicode 9.0 did not have, or no script, is Common."""
    match = _SCRIPT.match(ch)
    name = match.lastgroup if match else "Common"
    return "Han" if name in ("Hiragana", "Katakana") or ch == "\u30fc" else name  # type: ignore[return-value]


def is_valid_piece(piece: str, max_length: int = MAX_PIECE_LENGTH) -> bool:
    """Whether a trainer may make ``piece`` (sentencepiece's ``IsValidSentencePiece``, defaults;
    see the module docstring)."""
    if not piece or len(piece) > max_length:
        return False
    previous = None  # the script so far; None: any (nothing yet, or only combining marks)
    for position, ch in enumerate(piece):
        if ch in FORBIDDEN or "\ud800" <= ch <= "\udfff":
            return False
        if ch == SPACE:
            if position > 0:
                return False
            continue
        current = script(ch)
        if current == "Inherited":
            current = previous
        if current is not None and previous is not None and current != previous:
            return False
        previous = current
    return True
