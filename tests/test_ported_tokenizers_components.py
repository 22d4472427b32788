"""``tokenizers``' own Python binding tests for the pipeline's components, ported to scratch.

Source: huggingface/tokenizers, ``bindings/python/tests`` (the repository's snapshot at
commit 3ba8ad00; the installed reference is 0.23.3). Each ported test keeps the original's
name (``TestX::test_y`` -> ``test_x_y``), its inputs and its EXPECTED VALUES as the
original publishes them, and runs twice (``side``): once on the reference component (which
shows that the port asks what the original asks) and once on scratch's component built
from the JSON object the reference constructor serialises to (``__getstate__``, or
``Tokenizer.to_str()`` for a whole tokenizer): that object is the component's spec, never
an expected output.

Ported (file: tests):

- ``bindings/test_normalizers.py``: ``TestBertNormalizer::test_instantiate``,
  ``test_strip_accents``, ``test_handle_chinese_chars``, ``test_clean_text``,
  ``test_lowercase``; ``TestSequence::test_instantiate``, ``test_can_make_sequences``;
  ``TestLowercase::test_instantiate``, ``test_lowercase``; ``TestStrip::test_instantiate``,
  ``test_left_strip``, ``test_right_strip``, ``test_full_strip``;
  ``TestPrepend::test_instantiate``, ``test_prepend``.
- ``bindings/test_pre_tokenizers.py``: ``test_instantiate`` of every class (ByteLevel,
  Split, Whitespace, WhitespaceSplit, BertPreTokenizer, Metaspace with its refusal of an
  empty replacement, CharDelimiterSplit with its refusal of an empty delimiter,
  Punctuation, Sequence, Digits, FixedLength, UnicodeScripts);
  ``TestByteLevel::test_has_alphabet``; ``TestSequence::test_bert_like``;
  ``TestFixedLength::test_pre_tokenize_str``.
- ``bindings/test_decoders.py``: ``test_instantiate`` (Metaspace's refusal of an empty
  replacement included) and ``test_decoding`` of ByteLevel, Replace, WordPiece,
  ByteFallback, Fuse, Strip, Metaspace, BPEDecoder, CTC and Sequence.
- ``bindings/test_models.py``: ``TestBPE::test_dropout_zero``, ``TestWordPiece::test_instantiate``
  and ``TestWordLevel::test_instantiate`` (the model is built from its JSON, writes the same
  JSON back and tokenizes as the reference's ``Model.tokenize``: tokens, ids and offsets,
  the reference's UTF-8 byte offsets read as characters).
  ``WordLevel.from_file`` reads GPT-2's ``vocab.json`` in place of RoBERTa's (same format;
  RoBERTa's files are not obtainable here).
- ``bindings/test_processors.py``: ``test_instantiate`` of BertProcessing,
  RobertaProcessing, ByteLevel, TemplateProcessing (tokens with spaces; refusal of
  ``$$``, ``$A:`` and of a special token missing from ``special_tokens``) and Sequence;
  ``TestBertProcessing::test_processing``, ``TestRobertaProcessing::test_processing``,
  ``TestByteLevelProcessing::test_processing`` (GPT-2's vocab and merges in place of
  RoBERTa's: the same merges, so the same tokens and offsets, which is all it checks),
  ``TestTemplateProcessing::test_bert_parity``, ``test_roberta_parity``,
  ``TestSequenceProcessing::test_post_process``. These run through a whole tokenizer, as the
  original does (scratch: ``PipelineTokenizer.encode_full``).
- ``implementations/test_base_tokenizer.py``: ``test_get_set_components`` (the getters:
  each stage is built as the class the reference has).
- ``implementations/test_bert_wordpiece.py``: ``test_basic_encode`` (bert-base-uncased's
  vocab.txt, the very file the original downloads).
- ``implementations/test_byte_level_bpe.py``: ``test_basic_encode``,
  ``test_add_prefix_space``, ``test_lowerspace`` with GPT-2's vocab and merges in place of
  RoBERTa's: tokens and offsets are the original's; the original's ids are RoBERTa's
  numbering of the same tokens, so ids are checked against the reference (same files).
- ``documentation/test_pipeline.py``: the normalizer and pre-tokenizer steps of
  ``TestPipeline::test_pipeline`` (``Sequence([NFD(), StripAccents()])``, ``Whitespace``,
  ``Sequence([Whitespace(), Digits(individual_digits=True)])``).

Beyond the originals (whose examples are ASCII but for a few): every component the ported
tests build, on non-ASCII text (accents, combining marks, CJK, emoji, odd whitespace),
scratch against the reference as oracle (``test_ported_*_on_non_ascii_*``).

Does not apply:

- pickling (every ``test_instantiate``'s ``pickle.loads(pickle.dumps(...))``),
  ``isinstance`` checks of Python wrapper classes and ``test_manual_reload``
  (``X(**json.loads(x.__getstate__()))``): Python-binding surface; what they stand for (the
  component is rebuilt from its state) is what every ported test does with the JSON.
- every ``test_can_modify``, ``test_set_item``, ``test_item_getters_and_setters``,
  ``TestSequenceProcessing::test_items``, the setter half of ``test_get_set_components``:
  attribute getters/setters of the Python objects; scratch's components are built once from
  ``tokenizer.json``.
- ``TestBPE::test_can_modify``, ``TestUnigram::test_can_modify`` / ``test_alpha_zero``:
  getters/setters; Unigram's ``alpha``/``nbest_size`` are sampling options that
  ``tokenizers`` 0.23.3 does not even write to ``tokenizer.json``.
- ``TestCustomNormalizer``, ``TestCustomPreTokenizer`` (incl. ``test_camel_case``):
  components written in Python and called back from Rust.
- ``WordPiece.from_file``/``WordLevel.from_file`` as constructors: scratch builds models from
  ``tokenizer.json``; the files themselves are read here through the reference (ported above).
- ``TestTemplateProcessing.get_t5_squad``: a helper no original test calls.
- ``implementations/*::test_multiprocessing_with_parallelism``: Rust's rayon thread pool
  after ``fork``; scratch has no thread pool.
- ``implementations/*::test_train*``, ``test_sentencepiece.py`` (all training),
  ``bindings/test_trainers.py``, ``documentation/test_tutorial_train_from_iterators.py``:
  training (the trainers' own equivalence suites are ``test_tokenizer_training_*.py``).
- ``implementations/test_char_bpe.py``: needs openai-gpt's vocab and merges, which cannot be
  obtained here (no network; not an artifact).
- ``documentation/test_quicktour.py`` and the rest of ``documentation/test_pipeline.py``:
  need ``tokenizer-wiki.json``/``bert-wiki.json``, trained on wikitext-103 and downloaded
  from the Hub by the original; not obtainable here.
- ``test_serialization.py``: ``repr``/``str`` of the Python objects and Hub downloads.
- ``bindings/test_encoding.py``, ``bindings/test_tokenizer.py``: ported elsewhere (the
  Encoding and tokenizer helpers' modules).
"""

from __future__ import annotations

import json

import pytest
import tokenizers
from tokenizers import decoders as ref_decoders
from tokenizers import models as ref_models
from tokenizers import normalizers as ref_normalizers
from tokenizers import pre_tokenizers as ref_pre_tokenizers
from tokenizers import processors as ref_processors

from scratch.artifacts import fetch_file
from scratch.tokenizers import MalformedVocabError
from scratch.tokenizers.bytes_to_unicode import BYTE_TO_CHAR
from scratch.tokenizers.pipeline import decoders, models, normalizers, post_processors, pre_tokenizers
from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer

SIDES = ("reference", "scratch")


@pytest.fixture(params=SIDES)
def side(request) -> str:
    """Which implementation a ported test runs on: the reference (proof that the port is
    faithful) or scratch (the code under test)."""
    return request.param


def state(component) -> dict:
    """The JSON object a reference component serialises to (what ``tokenizer.json`` holds)."""
    return json.loads(component.__getstate__())


def built(side: str, reference, from_json):
    """The reference component itself, or scratch's built from the reference's JSON."""
    return reference if side == "reference" else from_json(state(reference))


def normalizer(side, reference):
    return built(side, reference, normalizers.normalizer_from_json)


def pre_tokenizer(side, reference):
    return built(side, reference, pre_tokenizers.pre_tokenizer_from_json)


def decoder(side, reference):
    return built(side, reference, decoders.decoder_from_json)


class Encoded:
    """The fields of an encoding that the original tests read, as plain lists."""

    def __init__(self, encoding):
        self.ids = list(encoding.ids)
        self.tokens = list(encoding.tokens)
        self.offsets = [tuple(o) for o in encoding.offsets]
        self.type_ids = list(encoding.type_ids)


def encoder(side: str, reference: tokenizers.Tokenizer):
    """``encode(text, pair=None, add_special_tokens=True)`` of the reference tokenizer, or of
    scratch's :class:`PipelineTokenizer` built from the reference's ``to_str()``."""
    ours = PipelineTokenizer.from_json(json.loads(reference.to_str())) if side == "scratch" else None

    def encode(text: str, pair: str | None = None, add_special_tokens: bool = True) -> Encoded:
        if ours is None:
            return Encoded(reference.encode(text, pair, add_special_tokens=add_special_tokens))
        return Encoded(ours.encode_full(text, pair, add_special_tokens))

    return encode


def assert_instantiates(reference, from_json, base) -> None:
    """The port of ``test_instantiate``: scratch builds the component from the reference's
    JSON, as an instance of the stage's base class, and writes exactly that JSON back."""
    spec = state(reference)
    ours = from_json(spec)
    assert isinstance(ours, base)
    assert type(ours).__name__ == type(reference).__name__
    assert ours.to_json() == spec


@pytest.fixture(scope="module")
def gpt2_files() -> dict[str, str]:
    """GPT-2's vocab.json and merges.txt: RoBERTa's merges, with GPT-2's numbering."""
    return {"vocab": str(fetch_file("gpt2", "vocab.json")), "merges": str(fetch_file("gpt2", "merges.txt"))}


@pytest.fixture(scope="module")
def bert_vocab() -> str:
    """bert-base-uncased's vocab.txt (the original's ``bert_files["vocab"]``)."""
    return str(fetch_file("bert-base-uncased", "vocab.txt"))


# =========================================================================================
# bindings/python/tests/bindings/test_normalizers.py
# =========================================================================================

NORMALIZERS_INSTANTIATED = [
    ref_normalizers.BertNormalizer(),  # TestBertNormalizer::test_instantiate
    ref_normalizers.Sequence([]),  # TestSequence::test_instantiate
    ref_normalizers.Lowercase(),  # TestLowercase::test_instantiate
    ref_normalizers.Strip(),  # TestStrip::test_instantiate
    ref_normalizers.Prepend("▁"),  # TestPrepend::test_instantiate
]


@pytest.mark.parametrize("reference", NORMALIZERS_INSTANTIATED, ids=lambda r: type(r).__name__)
def test_normalizer_instantiate(reference):
    assert_instantiates(reference, normalizers.normalizer_from_json, normalizers.Normalizer)


def bert_normalizer(**options):
    defaults = dict(strip_accents=False, lowercase=False, handle_chinese_chars=False, clean_text=False)
    return ref_normalizers.BertNormalizer(**{**defaults, **options})


def test_bert_normalizer_strip_accents(side):
    assert normalizer(side, bert_normalizer(strip_accents=True)).normalize_str("Héllò") == "Hello"


def test_bert_normalizer_handle_chinese_chars(side):
    assert normalizer(side, bert_normalizer(handle_chinese_chars=True)).normalize_str("你好") == " 你  好 "


def test_bert_normalizer_clean_text(side):
    assert normalizer(side, bert_normalizer(clean_text=True)).normalize_str("\ufeffHello") == "Hello"


def test_bert_normalizer_lowercase(side):
    assert normalizer(side, bert_normalizer(lowercase=True)).normalize_str("Héllò") == "héllò"


def test_normalizer_sequence_can_make_sequences(side):
    sequence = ref_normalizers.Sequence([ref_normalizers.Lowercase(), ref_normalizers.Strip()])
    assert normalizer(side, sequence).normalize_str("  HELLO  ") == "hello"


def test_lowercase_lowercase(side):
    assert normalizer(side, ref_normalizers.Lowercase()).normalize_str("HELLO") == "hello"


@pytest.mark.parametrize(
    "left, right, expected",
    [
        pytest.param(True, False, "hello  ", id="left_strip"),
        pytest.param(False, True, "  hello", id="right_strip"),
        pytest.param(True, True, "hello", id="full_strip"),
    ],
)
def test_strip(side, left, right, expected):
    """TestStrip::test_left_strip, test_right_strip, test_full_strip."""
    assert normalizer(side, ref_normalizers.Strip(left=left, right=right)).normalize_str("  hello  ") == expected


def test_prepend_prepend(side):
    assert normalizer(side, ref_normalizers.Prepend(prepend="▁")).normalize_str("hello") == "▁hello"


# =========================================================================================
# bindings/python/tests/bindings/test_pre_tokenizers.py
# =========================================================================================

PRE_TOKENIZERS_INSTANTIATED = [
    # TestByteLevel::test_instantiate
    ref_pre_tokenizers.ByteLevel(),
    ref_pre_tokenizers.ByteLevel(add_prefix_space=True),
    ref_pre_tokenizers.ByteLevel(add_prefix_space=False),
    # TestSplit::test_instantiate
    ref_pre_tokenizers.Split(pattern=" ", behavior="removed"),
    ref_pre_tokenizers.Split(pattern=" ", behavior="isolated", invert=True),
    ref_pre_tokenizers.Split(" ", "removed", True),
    ref_pre_tokenizers.Whitespace(),  # TestWhitespace
    ref_pre_tokenizers.WhitespaceSplit(),  # TestWhitespaceSplit
    ref_pre_tokenizers.BertPreTokenizer(),  # TestBertPreTokenizer
    # TestMetaspace::test_instantiate
    ref_pre_tokenizers.Metaspace(),
    ref_pre_tokenizers.Metaspace(replacement="-"),
    ref_pre_tokenizers.Metaspace(prepend_scheme="always"),
    # TestCharDelimiterSplit::test_instantiate
    ref_pre_tokenizers.CharDelimiterSplit("-"),
    ref_pre_tokenizers.CharDelimiterSplit(" "),
    # TestPunctuation::test_instantiate
    ref_pre_tokenizers.Punctuation(),
    ref_pre_tokenizers.Punctuation("removed"),
    ref_pre_tokenizers.Sequence([]),  # TestSequence
    # TestDigits::test_instantiate
    ref_pre_tokenizers.Digits(),
    ref_pre_tokenizers.Digits(True),
    ref_pre_tokenizers.Digits(False),
    ref_pre_tokenizers.FixedLength(),  # TestFixedLength
    ref_pre_tokenizers.UnicodeScripts(),  # TestUnicodeScripts
]


@pytest.mark.parametrize("reference", PRE_TOKENIZERS_INSTANTIATED, ids=lambda r: repr(r.__getstate__().decode()))
def test_pre_tokenizer_instantiate(reference):
    assert_instantiates(reference, pre_tokenizers.pre_tokenizer_from_json, pre_tokenizers.PreTokenizer)


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "Metaspace", "replacement": "", "prepend_scheme": "always", "split": True},
        {"type": "CharDelimiterSplit", "delimiter": ""},
    ],
    ids=lambda spec: spec["type"],
)
def test_pre_tokenizer_instantiate_refuses_empty_char(spec):
    """TestMetaspace / TestCharDelimiterSplit::test_instantiate: ``Metaspace(replacement="")``
    and ``CharDelimiterSplit("")`` raise ``ValueError("expected a string of length 1")``. The
    JSON that would describe them is refused by both (the reference's ``from_str`` too)."""
    with pytest.raises(ValueError, match="expected a string of length 1"):
        getattr(ref_pre_tokenizers, spec["type"])("")
    tokenizer = json.loads(tokenizers.Tokenizer(ref_models.BPE()).to_str())
    with pytest.raises(Exception):
        tokenizers.Tokenizer.from_str(json.dumps({**tokenizer, "pre_tokenizer": spec}))
    with pytest.raises(MalformedVocabError, match="one character"):
        pre_tokenizers.pre_tokenizer_from_json(spec)


def test_byte_level_has_alphabet():
    """TestByteLevel::test_has_alphabet: 256 characters, one per byte (scratch's byte table;
    the same characters as the reference's ``ByteLevel.alphabet()``)."""
    alphabet = ref_pre_tokenizers.ByteLevel.alphabet()
    assert isinstance(alphabet, list) and len(alphabet) == 256
    ours = [BYTE_TO_CHAR[b] for b in range(256)]
    assert len(set(ours)) == 256
    assert sorted(ours) == sorted(alphabet)


def test_pre_tokenizer_sequence_bert_like(side):
    sequence = ref_pre_tokenizers.Sequence([ref_pre_tokenizers.WhitespaceSplit(), ref_pre_tokenizers.Punctuation()])
    assert pre_tokenizer(side, sequence).pre_tokenize_str("Hey friend!     How are you?!?") == [
        ("Hey", (0, 3)),
        ("friend", (4, 10)),
        ("!", (10, 11)),
        ("How", (16, 19)),
        ("are", (20, 23)),
        ("you", (24, 27)),
        ("?", (27, 28)),
        ("!", (28, 29)),
        ("?", (29, 30)),
    ]


def test_fixed_length_pre_tokenize_str(side):
    """TestFixedLength::test_pre_tokenize_str (``length = 10`` set by the setter in the
    original: here a FixedLength(length=10) built anew)."""
    assert pre_tokenizer(side, ref_pre_tokenizers.FixedLength(length=5)).pre_tokenize_str("ATCCTGGTACTG") == [
        ("ATCCT", (0, 5)),
        ("GGTAC", (5, 10)),
        ("TG", (10, 12)),
    ]
    assert pre_tokenizer(side, ref_pre_tokenizers.FixedLength(length=10)).pre_tokenize_str("ATCCTGGTACTG") == [
        ("ATCCTGGTAC", (0, 10)),
        ("TG", (10, 12)),
    ]


# =========================================================================================
# bindings/python/tests/bindings/test_decoders.py
# =========================================================================================

DECODERS_INSTANTIATED = [
    ref_decoders.ByteLevel(),
    ref_decoders.Replace("_", " "),
    ref_decoders.WordPiece(),
    ref_decoders.WordPiece(prefix="__"),
    ref_decoders.WordPiece(cleanup=True),
    ref_decoders.ByteFallback(),
    ref_decoders.Fuse(),
    ref_decoders.Strip(left=0, right=0),
    ref_decoders.Strip(content="_", left=0, right=0),
    ref_decoders.Metaspace(),
    ref_decoders.Metaspace(replacement="-"),
    ref_decoders.Metaspace(prepend_scheme="always"),
    ref_decoders.BPEDecoder(),
    ref_decoders.BPEDecoder(suffix="_"),
    ref_decoders.CTC(),
    ref_decoders.CTC(pad_token="[PAD]"),
    ref_decoders.Sequence([]),
    ref_decoders.Sequence([ref_decoders.CTC()]),
]


@pytest.mark.parametrize("reference", DECODERS_INSTANTIATED, ids=lambda r: repr(r.__getstate__().decode()))
def test_decoder_instantiate(reference):
    assert_instantiates(reference, decoders.decoder_from_json, decoders.Decoder)


def test_metaspace_decoder_instantiate_refuses_empty_replacement():
    """TestMetaspace::test_instantiate (decoders): ``Metaspace(replacement="")`` raises; its
    JSON is refused by both."""
    with pytest.raises(ValueError, match="expected a string of length 1"):
        ref_decoders.Metaspace(replacement="")
    spec = {"type": "Metaspace", "replacement": "", "prepend_scheme": "always", "split": True}
    tokenizer = json.loads(tokenizers.Tokenizer(ref_models.BPE()).to_str())
    with pytest.raises(Exception):
        tokenizers.Tokenizer.from_str(json.dumps({**tokenizer, "decoder": spec}))
    with pytest.raises(MalformedVocabError, match="one character"):
        decoders.decoder_from_json(spec)


def test_byte_level_decoding(side):
    assert decoder(side, ref_decoders.ByteLevel()).decode(["My", "Ġname", "Ġis", "ĠJohn"]) == "My name is John"


def test_replace_decoding(side):
    assert decoder(side, ref_decoders.Replace("_", " ")).decode(["My", "_name", "_is", "_John"]) == "My name is John"


def test_wordpiece_decoding(side):
    ours = decoder(side, ref_decoders.WordPiece())
    assert ours.decode(["My", "na", "##me", "is", "Jo", "##hn"]) == "My name is John"
    assert ours.decode(["I", "'m", "Jo", "##hn"]) == "I'm John"
    ours = decoder(side, ref_decoders.WordPiece(prefix="__", cleanup=False))
    assert ours.decode(["My", "na", "__me", "is", "Jo", "__hn"]) == "My name is John"
    assert ours.decode(["I", "'m", "Jo", "__hn"]) == "I 'm John"


def test_byte_fallback_decoding(side):
    ours = decoder(side, ref_decoders.ByteFallback())
    assert ours.decode(["My", " na", "me"]) == "My name"
    assert ours.decode(["<0x61>"]) == "a"
    assert ours.decode(["<0xE5>"]) == "�"
    assert ours.decode(["<0xE5>", "<0x8f>"]) == "��"
    assert ours.decode(["<0xE5>", "<0x8f>", "<0xab>"]) == "叫"
    assert ours.decode(["<0xE5>", "<0x8f>", "a"]) == "��a"
    assert ours.decode(["<0xE5>", "<0x8f>", "<0xab>", "a"]) == "叫a"


def test_fuse_decoding(side):
    assert decoder(side, ref_decoders.Fuse()).decode(["My", " na", "me"]) == "My name"


def test_strip_decoding(side):
    ours = decoder(side, ref_decoders.Strip(content="_", left=1, right=0))
    assert ours.decode(["_My", " na", "me", " _-", "__-"]) == "My name _-_-"


def test_metaspace_decoding(side):
    assert decoder(side, ref_decoders.Metaspace()).decode(["▁My", "▁name", "▁is", "▁John"]) == "My name is John"
    ours = decoder(side, ref_decoders.Metaspace(replacement="-", prepend_scheme="never"))
    assert ours.decode(["-My", "-name", "-is", "-John"]) == " My name is John"


def test_bpe_decoder_decoding(side):
    ours = decoder(side, ref_decoders.BPEDecoder())
    assert ours.decode(["My</w>", "na", "me</w>", "is</w>", "Jo", "hn</w>"]) == "My name is John"
    ours = decoder(side, ref_decoders.BPEDecoder(suffix="_"))
    assert ours.decode(["My_", "na", "me_", "is_", "Jo", "hn_"]) == "My name is John"


def test_ctc_decoder_decoding(side):
    ours = decoder(side, ref_decoders.CTC())
    tokens = ["<pad>", "<pad>", "h", "e", "e", "l", "l", "<pad>", "l", "o", "o", "o", "<pad>"]
    assert ours.decode(tokens) == "hello"
    ours = decoder(side, ref_decoders.CTC(pad_token="[PAD]"))
    tokens = ["[PAD]", "[PAD]", "h", "e", "e", "l", "l", "[PAD]", "l", "o", "o", "o", "[PAD]"]
    assert ours.decode(tokens) == "hello"


def test_sequence_decoder_decoding(side):
    ours = decoder(side, ref_decoders.Sequence([ref_decoders.CTC(), ref_decoders.Metaspace()]))
    assert ours.decode(["▁", "▁", "H", "H", "i", "i", "▁", "y", "o", "u"]) == "Hi you"


# =========================================================================================
# bindings/python/tests/bindings/test_models.py
# =========================================================================================


def tokenized(model, text: str) -> list[tuple[int, str, tuple[int, int]]]:
    """``Model.tokenize`` as (id, token, character offsets), for the reference's model and
    scratch's. The reference's bare model answers in UTF-8 byte offsets (the tokenizer turns
    them into characters later); scratch's in characters: the reference's are converted."""
    tokens = model.tokenize(text)
    if isinstance(model, ref_models.Model):
        data = text.encode("utf-8")
        chars = lambda b: len(data[:b].decode("utf-8"))  # noqa: E731
        return [(t.id, t.value, (chars(t.offsets[0]), chars(t.offsets[1]))) for t in tokens]
    return [(t.id, t.value, tuple(t.offsets)) for t in tokens]


def assert_model_instantiates(reference, words: list[str]) -> None:
    """A model built from the reference's JSON writes the same JSON back and tokenizes
    ``words`` as the reference does."""
    assert_instantiates(reference, models.model_from_json, models.Model)
    ours = models.model_from_json(state(reference))
    for word in words:
        assert tokenized(ours, word) == tokenized(reference, word), word


def test_bpe_dropout_zero():
    """TestBPE::test_dropout_zero: ``BPE(dropout=0.0)`` keeps a dropout of 0.0 (scratch: in
    the JSON it writes back)."""
    reference = ref_models.BPE(dropout=0.0)
    assert reference.dropout == 0.0
    assert_instantiates(reference, models.model_from_json, models.Model)
    assert models.model_from_json(state(reference)).to_json()["dropout"] == 0.0


def test_wordpiece_instantiate(bert_vocab):
    vocab = {"a": 0, "b": 1, "ab": 2}
    assert_instantiates(ref_models.WordPiece(), models.model_from_json, models.Model)
    assert_model_instantiates(ref_models.WordPiece(vocab), ["ab", "a", "b"])
    words = ["hello", "unaffable", "tokenizers", "naïve", "東京", "😀"]
    assert_model_instantiates(ref_models.WordPiece.from_file(bert_vocab), words)
    assert_model_instantiates(ref_models.WordPiece(bert_vocab), words)


def test_wordlevel_instantiate(gpt2_files):
    vocab = {"a": 0, "b": 1, "ab": 2}
    assert_instantiates(ref_models.WordLevel(), models.model_from_json, models.Model)
    reference = ref_models.WordLevel(vocab, unk_token="a")
    assert_model_instantiates(reference, ["ab", "a", "ba"])
    words = ["hello", "Ġhello", "ĠJohn", "naïve"]
    assert_model_instantiates(ref_models.WordLevel.from_file(gpt2_files["vocab"], unk_token="!"), words)
    assert_model_instantiates(ref_models.WordLevel(gpt2_files["vocab"], unk_token="!"), words)


# =========================================================================================
# bindings/python/tests/bindings/test_processors.py
# =========================================================================================


def bert_template() -> ref_processors.TemplateProcessing:
    """TestTemplateProcessing.get_bert."""
    return ref_processors.TemplateProcessing(
        single=["[CLS]", "$0", "[SEP]"],
        pair=["[CLS]", "$A", "[SEP]", "$B:1", "[SEP]:1"],
        special_tokens=[("[CLS]", 1), ("[SEP]", 0)],
    )


def roberta_template() -> ref_processors.TemplateProcessing:
    """TestTemplateProcessing.get_roberta."""
    return ref_processors.TemplateProcessing(
        single="<s> $0 </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 1)],
    )


PROCESSORS_INSTANTIATED = [
    ref_processors.BertProcessing(("[SEP]", 0), ("[CLS]", 1)),
    ref_processors.RobertaProcessing(("</s>", 1), ("<s>", 0)),
    ref_processors.ByteLevel(),
    ref_processors.ByteLevel(trim_offsets=True),
    ref_processors.ByteLevel(add_prefix_space=True),
    bert_template(),
    # "It is absolutely legal to have tokens with spaces in the name"
    ref_processors.TemplateProcessing(
        single=["[ C L S ]", "Token with space"], special_tokens=[("[ C L S ]", 0), ("Token with space", 1)]
    ),
    ref_processors.Sequence([]),
    ref_processors.Sequence([ref_processors.ByteLevel()]),
]


@pytest.mark.parametrize("reference", PROCESSORS_INSTANTIATED, ids=lambda r: repr(r.__getstate__().decode()[:60]))
def test_processor_instantiate(reference):
    assert_instantiates(reference, post_processors.post_processor_from_json, post_processors.PostProcessor)


@pytest.mark.parametrize("single", ["[CLS] $$ [SEP]", "[CLS] $A: [SEP]"])
def test_template_processing_instantiate_refuses_bad_pieces(single):
    """TestTemplateProcessing::test_instantiate: "Sequence identifiers must be well formed"."""
    with pytest.raises(Exception, match="Cannot build Piece"):
        ref_processors.TemplateProcessing(single=single)
    with pytest.raises(MalformedVocabError, match="cannot read"):
        post_processors.TemplateProcessing(single=single)


def test_template_processing_instantiate_refuses_missing_special_tokens():
    """TestTemplateProcessing::test_instantiate: "Special tokens must be provided when used in
    template"."""
    with pytest.raises(Exception, match="Missing SpecialToken\\(s\\) with id\\(s\\)"):
        ref_processors.TemplateProcessing(single=["[CLS]"])
    with pytest.raises(MalformedVocabError, match="missing from special_tokens"):
        post_processors.TemplateProcessing(single=["[CLS]"])


def processing_tokenizer(special: list[str], added: list[str], processor) -> tokenizers.Tokenizer:
    """The original's ``Tokenizer(BPE())`` with special and plain added tokens and ``processor``."""
    tokenizer = tokenizers.Tokenizer(ref_models.BPE())
    tokenizer.add_special_tokens(special)
    tokenizer.add_tokens(added)
    tokenizer.post_processor = processor
    return tokenizer


BERT_PROCESSING = ref_processors.BertProcessing(("[SEP]", 0), ("[CLS]", 1))
ROBERTA_PROCESSING = ref_processors.RobertaProcessing(("</s>", 1), ("<s>", 0))
WORDS = ["my", "name", "is", "john", "pair"]


def test_bert_processing_processing(side):
    encode = encoder(side, processing_tokenizer(["[SEP]", "[CLS]"], WORDS, BERT_PROCESSING))
    output = encode("my name", "pair")
    assert output.tokens == ["[CLS]", "my", "name", "[SEP]", "pair", "[SEP]"]
    assert output.ids == [1, 2, 3, 0, 6, 0]


def test_roberta_processing_processing(side):
    encode = encoder(side, processing_tokenizer(["<s>", "</s>"], WORDS, ROBERTA_PROCESSING))
    output = encode("my name", "pair")
    assert output.tokens == ["<s>", "my", "name", "</s>", "</s>", "pair", "</s>"]
    assert output.ids == [0, 2, 3, 1, 1, 6, 1]


def test_byte_level_processing_processing(side, gpt2_files):
    tokenizer = tokenizers.Tokenizer(ref_models.BPE.from_file(gpt2_files["vocab"], gpt2_files["merges"]))
    tokenizer.pre_tokenizer = ref_pre_tokenizers.ByteLevel(add_prefix_space=True)
    tokens = ["ĠMy", "Ġname", "Ġis", "ĠJohn"]

    # Keeps original offsets
    output = encoder(side, tokenizer)("My name is John")
    assert output.tokens == tokens
    assert output.offsets == [(0, 2), (2, 7), (7, 10), (10, 15)]

    # Trims offsets when activated
    tokenizer.post_processor = ref_processors.ByteLevel(trim_offsets=True, add_prefix_space=True)
    output = encoder(side, tokenizer)("My name is John")
    assert output.tokens == tokens
    assert output.offsets == [(0, 2), (3, 7), (8, 10), (11, 15)]

    # Trims offsets without adding prefix space at first token
    tokenizer.post_processor = ref_processors.ByteLevel(trim_offsets=True, add_prefix_space=False)
    output = encoder(side, tokenizer)("My name is John")
    assert output.tokens == tokens
    assert output.offsets == [(1, 2), (3, 7), (8, 10), (11, 15)]

    # add_prefix_space without trimming offsets has no effect
    tokenizer.post_processor = ref_processors.ByteLevel(trim_offsets=False, add_prefix_space=True)
    output = encoder(side, tokenizer)("My name is John")
    assert output.tokens == tokens
    assert output.offsets == [(0, 2), (2, 7), (7, 10), (10, 15)]


def test_template_processing_bert_parity(side):
    original = encoder(side, processing_tokenizer(["[SEP]", "[CLS]"], WORDS, BERT_PROCESSING))("my name", "pair")
    template = encoder(side, processing_tokenizer(["[SEP]", "[CLS]"], WORDS, bert_template()))("my name", "pair")
    assert original.ids == template.ids


def test_template_processing_roberta_parity(side):
    encode = encoder(side, processing_tokenizer(["<s>", "</s>"], WORDS, ROBERTA_PROCESSING))
    original = encode("my name is john", "pair")
    encode = encoder(side, processing_tokenizer(["<s>", "</s>"], WORDS, roberta_template()))
    template = encode("my name is john", "pair")
    assert original.ids == template.ids


def test_sequence_processing_post_process(side):
    template = ref_processors.TemplateProcessing(
        single=["[CLS]", "$0", "[SEP]"],
        pair=["[CLS]:0", "$A", "[SEP]:0", "$B:1", "[SEP]:1"],
        special_tokens=[("[CLS]", 1), ("[SEP]", 0)],
    )
    words = ["my", "name", "is", "Ġjohn", "pair"]

    # Before the sequence
    encode = encoder(side, processing_tokenizer(["[SEP]", "[CLS]"], words, template))
    original = encode("my name is Ġjohn")
    assert original.ids == [1, 2, 3, 4, 5, 0]
    assert original.type_ids == [0, 0, 0, 0, 0, 0]
    assert original.offsets == [(0, 0), (0, 2), (3, 7), (8, 10), (11, 16), (0, 0)]
    pair = encode("my name is Ġjohn", "pair")
    assert pair.type_ids == [0, 0, 0, 0, 0, 0, 1, 1]
    assert pair.offsets == [(0, 0), (0, 2), (3, 7), (8, 10), (11, 16), (0, 0), (0, 4), (0, 0)]

    sequence = ref_processors.Sequence([ref_processors.ByteLevel(trim_offsets=True), template])
    encode = encoder(side, processing_tokenizer(["[SEP]", "[CLS]"], words, sequence))
    original = encode("my name is Ġjohn")
    assert original.ids == [1, 2, 3, 4, 5, 0]
    assert original.type_ids == [0, 0, 0, 0, 0, 0]
    # Offsets ARE trimmed
    assert original.offsets == [(0, 0), (0, 2), (3, 7), (8, 10), (12, 16), (0, 0)]
    pair = encode("my name is Ġjohn", "pair")
    assert pair.type_ids == [0, 0, 0, 0, 0, 0, 1, 1]
    assert pair.offsets == [(0, 0), (0, 2), (3, 7), (8, 10), (12, 16), (0, 0), (0, 4), (0, 0)]


# =========================================================================================
# bindings/python/tests/implementations/
# =========================================================================================


def test_base_tokenizer_get_set_components():
    """test_base_tokenizer.py::TestBaseTokenizer::test_get_set_components, the getters: each
    stage of the tokenizer is built as the reference's class."""
    reference = tokenizers.Tokenizer(ref_models.BPE())
    reference.normalizer = ref_normalizers.NFC()
    reference.pre_tokenizer = ref_pre_tokenizers.ByteLevel()
    reference.post_processor = ref_processors.BertProcessing(("A", 0), ("B", 1))
    reference.decoder = ref_decoders.ByteLevel()
    ours = PipelineTokenizer.from_json(json.loads(reference.to_str()))
    assert isinstance(ours.model, models.BPE)
    assert isinstance(ours.normalizer, normalizers.NFC)
    assert isinstance(ours.pre_tokenizer, pre_tokenizers.ByteLevel)
    assert isinstance(ours.post_processor, post_processors.BertProcessing)
    assert isinstance(ours.decoder, decoders.ByteLevel)


def test_bert_wordpiece_basic_encode(side, bert_vocab):
    """test_bert_wordpiece.py::TestBertWordPieceTokenizer::test_basic_encode."""
    encode = encoder(side, as_tokenizer(tokenizers.BertWordPieceTokenizer(bert_vocab)))

    # Encode with special tokens by default
    output = encode("My name is John", "pair")
    assert output.ids == [101, 2026, 2171, 2003, 2198, 102, 3940, 102]
    assert output.tokens == ["[CLS]", "my", "name", "is", "john", "[SEP]", "pair", "[SEP]"]
    assert output.offsets == [(0, 0), (0, 2), (3, 7), (8, 10), (11, 15), (0, 0), (0, 4), (0, 0)]
    assert output.type_ids == [0, 0, 0, 0, 0, 0, 1, 1]

    # Can encode without the special tokens
    output = encode("My name is John", "pair", add_special_tokens=False)
    assert output.ids == [2026, 2171, 2003, 2198, 3940]
    assert output.tokens == ["my", "name", "is", "john", "pair"]
    assert output.offsets == [(0, 2), (3, 7), (8, 10), (11, 15), (0, 4)]
    assert output.type_ids == [0, 0, 0, 0, 1]


def as_tokenizer(implementation) -> tokenizers.Tokenizer:
    """The ``tokenizers.Tokenizer`` one of ``tokenizers.implementations``' classes wraps."""
    return tokenizers.Tokenizer.from_str(implementation.to_str())


QUICK_FOX_OFFSETS = [(0, 3), (3, 9), (9, 15), (15, 19), (19, 25), (25, 30), (30, 34), (34, 39), (39, 43)]


def byte_level_bpe(files: dict[str, str], **options) -> tokenizers.Tokenizer:
    return as_tokenizer(tokenizers.ByteLevelBPETokenizer.from_file(files["vocab"], files["merges"], **options))


def assert_ids_as_reference(reference: tokenizers.Tokenizer, text: str, ids: list[int]) -> None:
    """The ids (GPT-2's numbering, where the original has RoBERTa's) equal the reference's."""
    assert ids == reference.encode(text).ids


def test_byte_level_bpe_basic_encode(side, gpt2_files):
    reference = byte_level_bpe(gpt2_files)
    output = encoder(side, reference)("The quick brown fox jumps over the lazy dog")
    assert_ids_as_reference(reference, "The quick brown fox jumps over the lazy dog", output.ids)
    assert output.tokens == ["The", "Ġquick", "Ġbrown", "Ġfox", "Ġjumps", "Ġover", "Ġthe", "Ġlazy", "Ġdog"]
    assert output.offsets == QUICK_FOX_OFFSETS


def test_byte_level_bpe_add_prefix_space(side, gpt2_files):
    reference = byte_level_bpe(gpt2_files, add_prefix_space=True)
    output = encoder(side, reference)("The quick brown fox jumps over the lazy dog")
    assert_ids_as_reference(reference, "The quick brown fox jumps over the lazy dog", output.ids)
    assert output.tokens == ["ĠThe", "Ġquick", "Ġbrown", "Ġfox", "Ġjumps", "Ġover", "Ġthe", "Ġlazy", "Ġdog"]
    assert output.offsets == QUICK_FOX_OFFSETS


def test_byte_level_bpe_lowerspace(side, gpt2_files):
    reference = byte_level_bpe(gpt2_files, add_prefix_space=True, lowercase=True)
    output = encoder(side, reference)("The Quick Brown Fox Jumps Over The Lazy Dog")
    assert_ids_as_reference(reference, "The Quick Brown Fox Jumps Over The Lazy Dog", output.ids)
    assert output.tokens == ["Ġthe", "Ġquick", "Ġbrown", "Ġfox", "Ġjumps", "Ġover", "Ġthe", "Ġlazy", "Ġdog"]


# =========================================================================================
# bindings/python/tests/documentation/test_pipeline.py
# =========================================================================================


def test_pipeline_normalizer_and_pre_tokenizers(side):
    """TestPipeline::test_pipeline: the setup_normalizer, setup_pre_tokenizer and
    combine_pre_tokenizer steps (the rest needs the Hub's tokenizer-wiki.json)."""
    sequence = ref_normalizers.Sequence([ref_normalizers.NFD(), ref_normalizers.StripAccents()])
    assert normalizer(side, sequence).normalize_str("Héllò hôw are ü?") == "Hello how are u?"

    whitespace = pre_tokenizer(side, ref_pre_tokenizers.Whitespace())
    assert whitespace.pre_tokenize_str("Hello! How are you? I'm fine, thank you.") == [
        ("Hello", (0, 5)),
        ("!", (5, 6)),
        ("How", (7, 10)),
        ("are", (11, 14)),
        ("you", (15, 18)),
        ("?", (18, 19)),
        ("I", (20, 21)),
        ("'", (21, 22)),
        ("m", (22, 23)),
        ("fine", (24, 28)),
        (",", (28, 29)),
        ("thank", (30, 35)),
        ("you", (36, 39)),
        (".", (39, 40)),
    ]

    combined = ref_pre_tokenizers.Sequence(
        [ref_pre_tokenizers.Whitespace(), ref_pre_tokenizers.Digits(individual_digits=True)]
    )
    assert pre_tokenizer(side, combined).pre_tokenize_str("Call 911!") == [
        ("Call", (0, 4)),
        ("9", (5, 6)),
        ("1", (6, 7)),
        ("1", (7, 8)),
        ("!", (8, 9)),
    ]


# =========================================================================================
# Beyond the originals' ASCII examples: the components they instantiate, on non-ASCII text
# =========================================================================================

#: accents (composed and combining), CJK, emoji, odd whitespace, a BOM, digits, punctuation
NON_ASCII_TEXTS = [
    "  Héllò hôw are ü?  ",
    "e\u0301te\u0301 naïve Straße",
    "東京で 你好！ 한국어",
    "😀👍🏽 call 911, or ٣٤?",
    "\ufeffa\u3000b\xa0c\td\u2009e\n",
    "ATCCTGGTACTG ﬁnance Ⅻ ½",
]

NORMALIZERS_USED = NORMALIZERS_INSTANTIATED + [
    bert_normalizer(strip_accents=True, lowercase=True, handle_chinese_chars=True, clean_text=True),
    ref_normalizers.Sequence([ref_normalizers.Lowercase(), ref_normalizers.Strip()]),
    ref_normalizers.Strip(left=True, right=False),
    ref_normalizers.Sequence([ref_normalizers.NFD(), ref_normalizers.StripAccents()]),
]

PRE_TOKENIZERS_USED = PRE_TOKENIZERS_INSTANTIATED + [
    ref_pre_tokenizers.Sequence([ref_pre_tokenizers.WhitespaceSplit(), ref_pre_tokenizers.Punctuation()]),
    ref_pre_tokenizers.FixedLength(length=10),
    ref_pre_tokenizers.Sequence([ref_pre_tokenizers.Whitespace(), ref_pre_tokenizers.Digits(individual_digits=True)]),
]

#: token lists for the decoders: byte-level pieces, metaspace pieces, byte fallback, prefixes
DECODER_INPUTS = [
    ["Ġh", "Ã©", "llo", "ĠðŁĺ", "Ģ"],
    ["▁東京", "▁", "é", "▁-", "_x", "__"],
    ["<0xE6>", "<0x9D>", "<0xB1>", "<0xF0>", "<0x9F>", "ü", "<0x20>"],
    ["na", "##ïve", "Jo", "__hn", "é</w>", "_", "'m", " do", "not"],
    ["<pad>", "é", "é", "|", "<pad>", "中", "[PAD]", "中", "文"],
]


@pytest.mark.parametrize("reference", NORMALIZERS_USED, ids=lambda r: repr(r.__getstate__().decode()[:60]))
def test_ported_normalizers_on_non_ascii_text(reference):
    ours = normalizer("scratch", reference)
    for text in NON_ASCII_TEXTS:
        assert ours.normalize_str(text) == reference.normalize_str(text), text


@pytest.mark.parametrize("reference", PRE_TOKENIZERS_USED, ids=lambda r: repr(r.__getstate__().decode()[:60]))
def test_ported_pre_tokenizers_on_non_ascii_text(reference):
    ours = pre_tokenizer("scratch", reference)
    for text in NON_ASCII_TEXTS:
        assert ours.pre_tokenize_str(text) == reference.pre_tokenize_str(text), text


@pytest.mark.parametrize("reference", DECODERS_INSTANTIATED, ids=lambda r: repr(r.__getstate__().decode()[:60]))
def test_ported_decoders_on_non_ascii_tokens(reference):
    ours = decoder("scratch", reference)
    for tokens in DECODER_INPUTS:
        assert ours.decode(tokens) == reference.decode(tokens), tokens
