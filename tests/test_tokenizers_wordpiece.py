"""WordPiece (BERT) from scratch, proven equal to transformers' BertTokenizer.

Ground truth: llama.cpp's bert-bge cases (made with the original Hugging Face
tokenizer of bge-small-en-v1.5, which uses bert-base-uncased's vocabulary), the
book's rendering of its comparison text, and the reference run in the test.

Unicode: scratch classifies characters with Python's ``unicodedata`` corrected to the
Unicode 8.0 tables the reference uses (``bert_normalizer``) and lower-cases them by the
table generated from the reference (``unicode_classes.LOWERCASE``); the every-code-point
tests in ``test_tokenizers_unicode.py`` check all code points, unassigned ones included.
"""

from __future__ import annotations

import struct
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import comparison_text, english, llama_cpp_cases, multilingual
from tokenizer_checks import CORPORA, assert_bad_input_refused, assert_same_encode_and_decode, assert_same_ids, assert_same_on_corpus, load_pairs

from scratch.artifacts import fetch_file
from reference.tokenizers.wordpiece_spm import bert_basic_tokenizer, load_tokenizer_json
from scratch import tokenizers
from scratch.tokenizers import MalformedVocabError, bert_normalizer
from scratch.tokenizers.wordpiece import from_tokenizer_json, from_vocab_file

NAMES = ["bert-base-uncased", "bert-base-cased"]
HYPOTHESIS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def pairs():
    """name -> (scratch, reference)."""
    return load_pairs(NAMES)


@pytest.fixture(scope="module")
def bge():
    return tokenizers.from_gguf(fetch_file("gguf-vocabs", "ggml-vocab-bert-bge.gguf"))


@pytest.fixture(scope="module")
def json_pairs():
    """tokenizer.json files of sentence-transformers models: (scratch, reference)."""
    out = {}
    for artifact in ("all-MiniLM-L6-v2", "all-mpnet-base-v2"):
        path = fetch_file(artifact, "tokenizer.json")
        out[artifact] = (tokenizers.from_tokenizer_json(path), load_tokenizer_json(path))  # the public dispatcher
    return out


# ---- published ground truth ---------------------------------------------------------------
BGE_CASES = llama_cpp_cases("bert-bge")


@pytest.mark.parametrize("index", range(len(BGE_CASES)))
def test_llama_cpp_cases(pairs, bge, index):
    text, expected = BGE_CASES[index]
    scratch, ref = pairs["bert-base-uncased"]
    assert ref.encode(text, add_special_tokens=False) == expected
    assert scratch.encode(text, add_special_tokens=False) == expected
    assert bge.encode(text, add_special_tokens=False) == expected


def test_book_comparison_text_uncased(pairs):
    expected = (
        '[CLS] english and capital ##ization [UNK] [UNK] show _ token ##s false none eli ##f = = > = else : '
        'two tab ##s : " " three tab ##s : " " 12 . 0 * 50 = 600 [SEP]'
    )
    for tok in pairs["bert-base-uncased"]:
        assert " ".join(tok.id_to_token(i) for i in tok.encode(comparison_text())) == expected


def test_hello_my_dog_cased(pairs):
    for tok in pairs["bert-base-cased"]:
        assert tok.encode("Hello, my dog is cute") == [101, 8667, 117, 1139, 3676, 1110, 10509, 102]


def test_tokenize_shows_continuation_pieces(pairs):
    scratch, ref = pairs["bert-base-uncased"]
    assert scratch.tokenize("Capitalization matters") == ref.tokenize("Capitalization matters")
    assert scratch.tokenize("Capitalization matters") == ["capital", "##ization", "matters"]


def test_vocabulary_interface(pairs):
    for name in NAMES:
        scratch, ref = pairs[name]
        assert scratch.vocab_size == ref.vocab_size
        assert scratch.special_tokens == ref.special_tokens
        for token in ["[CLS]", "[MASK]", "the", "##s", "not-a-piece"]:
            assert scratch.token_to_id(token) == ref.token_to_id(token)
        for i in [0, 100, 101, 999, 2000, ref.vocab_size - 1]:
            assert scratch.id_to_token(i) == ref.id_to_token(i)


# ---- scratch == reference -------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_comparison_text(pairs, name):
    scratch, ref = pairs[name]
    assert_same_ids(scratch, ref, comparison_text())
    ids = ref.encode(comparison_text())
    assert scratch.decode(ids) == ref.decode(ids)
    assert scratch.decode(ids, skip_special_tokens=True) == ref.decode(ids, skip_special_tokens=True)


@pytest.mark.parametrize("corpus", CORPORA)
@pytest.mark.parametrize("name", NAMES)
def test_real_text(pairs, name, corpus):
    """About 1 MB of each corpus, block by block; decode of the reference ids too."""
    assert_same_on_corpus(*pairs[name], corpus, lossless=False)


def test_gguf_vocabulary_equals_vocab_txt(pairs, bge):
    """bge-small's GGUF, converted back from ▁-style pieces, is bert-base-uncased's vocab.txt."""
    scratch = pairs["bert-base-uncased"][0]
    assert bge.vocab == scratch.vocab
    assert bge.special_tokens == scratch.special_tokens
    text = english(100_000, offset=5_000_000)
    assert bge.encode(text) == scratch.encode(text)


# ---- generated text -------------------------------------------------------------------------
FRAGMENTS = [
    "[MASK]", "[CLS]", "[SEP]", "[UNK]", "[PAD]", "[mask]", "[unused0]", "##", "##s", "<s>", "</s>",
    "<mask>", "<unk>", "<UNK>", "\r\n", "\t\t\t", "    ", "\n\n", "\u00a0", "\u3000", "\x1c", "\x00",
    "\ufffd", "\u200b", "\u200d", "👩\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈", "e\u0301", "Å", "İstanbul",
    "ΣΑΣ", "straße", "0123456789", "3.14159", "你好世界", "日本語", "한국어", "\U0002b820", "\u0e01\u0e34",
    "a" * 101, "x" * 100, "don't", "U.S.A.", "$100", "^_^", "`code`", "¿Qué?", "«»", "…",
]  # fmt: skip
# Characters this Python's unicodedata knows (not Cn) and that can be encoded (not Cs).
KNOWN_CHARACTERS = st.characters(exclude_categories=("Cs", "Cn"))
TEXTS = st.lists(st.one_of(st.text(KNOWN_CHARACTERS, max_size=12), st.sampled_from(FRAGMENTS)), max_size=10).map(
    "".join
)


@HYPOTHESIS
@given(text=TEXTS)
def test_generated_text(pairs, text):
    assert_same_encode_and_decode(pairs, text)


@HYPOTHESIS
@given(ids=st.lists(st.integers(0, 28995), max_size=30))
def test_decode_any_ids(pairs, ids):
    """Any id sequence decodes as the reference does (the ## gluing and cleanup rules)."""
    for name in NAMES:
        scratch, ref = pairs[name]
        assert scratch.decode(ids) == ref.decode(ids)
        assert scratch.decode(ids, skip_special_tokens=True) == ref.decode(ids, skip_special_tokens=True)


@HYPOTHESIS
@given(text=TEXTS)
def test_cached_path_equals_readable_path(pairs, text):
    """The word cache of ``_encode_ordinary`` beside the plain greedy loop."""
    scratch = pairs["bert-base-uncased"][0]
    readable = [scratch.piece_ids[p] for word in scratch.words(text) for p in scratch.wordpiece(word)]
    assert scratch._encode_ordinary(text) == readable
    assert scratch._encode_ordinary(text) == readable  # second time from the cache


def test_every_code_point_is_classified_as_the_reference_does():
    """Cleaning, CJK spacing, accent stripping, lowercasing and punctuation splitting of every
    character this Python knows equal the reference's (its Unicode 8.0 categories included)."""
    known = [chr(cp) for cp in range(0x110000) if unicodedata.category(chr(cp)) not in ("Cs", "Cn") and cp != 0x7C]
    text = "".join(ch + "|" for ch in known)
    ref_normalize, ref_pre_tokenize = bert_basic_tokenizer(lowercase=True)
    ours, theirs = bert_normalizer.normalize(text, lowercase=True).split("|"), ref_normalize(text).split("|")
    different = [(f"U+{ord(ch):04X}", a, b) for ch, a, b in zip(known, ours, theirs) if a != b]
    assert len(ours) == len(theirs) and not different, different[:20]
    # Punctuation and whitespace: "a" + ch is one word, two words or just "a".
    groups = [" ".join("a" + ch for ch in known[i : i + 5000]) for i in range(0, len(known), 5000)]
    for group in groups:
        assert bert_normalizer.pre_tokenize(group) == ref_pre_tokenize(group)


FLAG_COMBINATIONS = [
    dict(lowercase=True), dict(lowercase=False), dict(lowercase=True, strip_accents=False),
    dict(lowercase=False, strip_accents=True), dict(lowercase=True, clean_text=False),
    dict(lowercase=False, handle_chinese_chars=False), dict(lowercase=True, clean_text=False, handle_chinese_chars=False),
]  # fmt: skip


@HYPOTHESIS
@given(text=TEXTS)
def test_fast_basic_tokenizer_equals_readable_steps(text):
    """The translate-table ``BasicTokenizer`` gives the words of ``pre_tokenize(normalize(...))``."""
    for flags in FLAG_COMBINATIONS:
        readable = bert_normalizer.pre_tokenize(bert_normalizer.normalize(text, **flags))
        assert bert_normalizer.BasicTokenizer(**flags).words(text) == readable, flags


@pytest.mark.parametrize("flags", FLAG_COMBINATIONS[:2], ids=str)
def test_fast_basic_tokenizer_on_every_code_point(flags):
    """Every character this Python knows, on both paths, with BERT's uncased and cased flags."""
    known = "".join(chr(cp) for cp in range(0x110000) if unicodedata.category(chr(cp)) not in ("Cs", "Cn"))
    fast = bert_normalizer.BasicTokenizer(**flags)
    for i in range(0, len(known), 4000):
        chunk = known[i : i + 4000]
        text = "x\u0301".join(chunk)  # each character after a letter and a combining mark
        assert fast.words(text) == bert_normalizer.pre_tokenize(bert_normalizer.normalize(text, **flags))


def test_unicode8_table_is_minimal():
    """Every entry of the Unicode-8.0 table changes what this Python's unicodedata says."""
    for start, end in zip(bert_normalizer._NEW_STARTS, bert_normalizer._NEW_ENDS):
        for cp in range(start, end + 1):
            category = unicodedata.category(chr(cp))
            assert category == "Cf" or category == "Mn" or category.startswith("P"), hex(cp)


# ---- tokenizer.json (sentence-transformers) -----------------------------------------------------
JSON_FRAGMENTS = ["<mask>", " <mask>", "<s>", "</s>", "<pad>", "<unk>", "<UNK>", "[UNK]", "[MASK]", "[CLS]"]


@pytest.mark.parametrize("artifact", ["all-MiniLM-L6-v2", "all-mpnet-base-v2"])
def test_tokenizer_json(json_pairs, artifact):
    scratch, ref = json_pairs[artifact]
    assert scratch.vocab_size == ref.vocab_size
    assert scratch.special_tokens == ref.special_tokens
    texts = [comparison_text(), english(100_000, offset=1_000_000), multilingual(50_000)]
    texts += [f"Hello{f}world {f} x{f.upper()}y" for f in JSON_FRAGMENTS]
    for text in texts:
        ids = assert_same_ids(scratch, ref, text)
        assert scratch.decode(ids) == ref.decode(ids)
        assert scratch.decode(ids, skip_special_tokens=True) == ref.decode(ids, skip_special_tokens=True)


@settings(max_examples=100, deadline=None)
@given(parts=st.lists(st.one_of(st.text(KNOWN_CHARACTERS, max_size=8), st.sampled_from(JSON_FRAGMENTS)), max_size=8))
def test_tokenizer_json_generated(json_pairs, parts):
    text = " ".join(parts) if len(parts) % 2 else "".join(parts)
    for scratch, ref in json_pairs.values():
        ids = assert_same_ids(scratch, ref, text)
        assert scratch.decode(ids) == ref.decode(ids)


# ---- bad input -------------------------------------------------------------------------------
def test_non_str_and_unknown_ids(pairs):
    assert_bad_input_refused(pairs["bert-base-uncased"][0], [b"bytes", None, 42, ["list"]], [101, 30522], -1, "hello")


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_vocab_txt(tmp_path):
    good = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n##s\n"
    tok = from_vocab_file(write(tmp_path / "ok.txt", good), lowercase=True)
    assert tok.encode("Hellos") == [2, 5, 6, 3]
    cases = {
        "empty": ("", "empty"),
        "duplicate": (good + "hello\n", "'hello' appears twice"),
        "no_unk": (good.replace("[UNK]\n", ""), "unknown token '\\[UNK\\]'"),
        "no_cls": (good.replace("[CLS]\n", ""), "'\\[CLS\\]'"),
        "blank_line": (good.replace("hello\n", "\n"), "empty"),
    }
    for name, (text, message) in cases.items():
        with pytest.raises(MalformedVocabError, match=message):
            from_vocab_file(write(tmp_path / f"{name}.txt", text), lowercase=True)
    (tmp_path / "latin1.txt").write_bytes(good.encode() + "caf\xe9\n".encode("latin-1"))
    with pytest.raises(MalformedVocabError, match="UTF-8"):
        from_vocab_file(tmp_path / "latin1.txt", lowercase=True)
    with pytest.raises(FileNotFoundError):
        from_vocab_file(tmp_path / "missing.txt", lowercase=True)


def write_bert_gguf(path, tokens, types, specials):
    import gguf

    writer = gguf.GGUFWriter(str(path), "bert")
    writer.add_tokenizer_model("bert")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    for key, value in specials.items():
        writer.add_uint32(f"tokenizer.ggml.{key}_token_id", value)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.close()
    return path


def test_gguf_roundtrip_and_malformed(tmp_path):
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "\u2581hello", "s"]
    types = [3, 3, 3, 3, 3, 1, 1]
    specials = {"unknown": 1, "cls": 2, "seperator": 3, "padding": 0, "mask": 4}
    tok = tokenizers.from_gguf(write_bert_gguf(tmp_path / "ok.gguf", tokens, types, specials))
    assert tok.tokenize("HELLOS [MASK]") == ["hello", "##s", "[MASK]"]
    without_cls = {k: v for k, v in specials.items() if k != "cls"}
    with pytest.raises(MalformedVocabError, match="cls"):
        tokenizers.from_gguf(write_bert_gguf(tmp_path / "nocls.gguf", tokens, types, without_cls))
    with pytest.raises(MalformedVocabError, match="twice"):
        tokenizers.from_gguf(write_bert_gguf(tmp_path / "dup.gguf", tokens + ["s"], types + [1], specials))
    with pytest.raises(MalformedVocabError, match="unknown_token_id 99 is not one of the 7 token ids"):
        tokenizers.from_gguf(write_bert_gguf(tmp_path / "far.gguf", tokens, types, {**specials, "unknown": 99}))
    (tmp_path / "junk.gguf").write_bytes(b"not a gguf file at all")
    with pytest.raises(MalformedVocabError, match="not a GGUF"):
        tokenizers.from_gguf(tmp_path / "junk.gguf")
    data = (tmp_path / "ok.gguf").read_bytes()
    (tmp_path / "cut.gguf").write_bytes(data[: len(data) // 2])
    with pytest.raises(MalformedVocabError, match="truncated"):
        tokenizers.from_gguf(tmp_path / "cut.gguf")
    assert struct.unpack_from("<I", data, 4)[0] in (2, 3)


def test_malformed_tokenizer_json(tmp_path):
    with pytest.raises(MalformedVocabError, match="WordPiece"):
        from_tokenizer_json(write(tmp_path / "bpe.json", '{"model": {"type": "BPE", "vocab": {}}}'))
    with pytest.raises(MalformedVocabError):
        from_tokenizer_json(write(tmp_path / "broken.json", '{"model": '))
