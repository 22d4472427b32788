"""Hypothesis strategies that draw a whole Hugging Face tokenizer, built with ``tokenizers``.

:func:`pipelines` draws one complete ``tokenizers.Tokenizer``: a model (small BPE,
WordPiece, WordLevel and Unigram models trained here by ``tokenizers``' own trainers on a
little real text, or the real GPT-2, MiniLM and SentencePiece vocabularies) with drawn
options, a normalizer, a pre-tokenizer, a post-processor, a decoder (each ``None``, one
component or a ``Sequence``, either the family's natural choice or any other) and added
tokens with drawn flags. Everything is built through ``tokenizers``' Python API, saved
with ``Tokenizer.to_str()`` and loaded back with ``Tokenizer.from_str``: the reloaded
tokenizer is the oracle, and its JSON is what the code under test loads.

A combination ``tokenizers`` itself refuses (a constructor or ``from_str`` raising) is
rejected (hypothesis ``reject``) and counted in :data:`REJECTED`; nothing else is filtered.

:func:`texts_for` draws text for one drawn tokenizer: non-ASCII (accents, combining marks,
CJK, emoji, odd whitespace), corpus words, vocabulary pieces and the added tokens' contents.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from hypothesis import event, reject
from hypothesis import strategies as st
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

import text_corpora
from scratch.artifacts import fetch_file
from scratch.tokenizers.sentencepiece_model import read_model

#: Combinations ``tokenizers`` refused while drawing, by reason (the first line of its error).
REJECTED: Counter[str] = Counter()

# ---------------------------------------------------------------------------------------
# Base models: trained once per session on a little real text, or real vocabularies.
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def training_lines() -> tuple[str, ...]:
    """About 100 KB of English book text and 30 KB of multilingual dialogue, by line."""
    text = text_corpora.english(100_000) + text_corpora.multilingual(30_000)
    return tuple(line for line in text.splitlines() if line.strip())


@lru_cache(maxsize=None)
def corpus_words() -> tuple[str, ...]:
    """A few hundred distinct words of the training text (for drawing realistic text)."""
    words = sorted({w for line in training_lines()[::7] for w in line.split()})
    return tuple(words[:: max(1, len(words) // 400)])


def _trained(model: models.Model, pre_tokenizer, trainer, normalizer=None) -> dict:
    tokenizer = Tokenizer(model)
    if normalizer is not None:
        tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.train_from_iterator(training_lines(), trainer)
    return json.loads(tokenizer.to_str())["model"]


SPECIALS = ["<unk>", "<s>", "</s>", "<pad>", "[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]


def _train_bpe_bytelevel() -> dict:
    trainer = trainers.BpeTrainer(
        vocab_size=700, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=["<|endoftext|>"], show_progress=False,
    )  # fmt: skip
    return _trained(models.BPE(), pre_tokenizers.ByteLevel(add_prefix_space=False), trainer)


def _train_bpe_metaspace() -> dict:
    trainer = trainers.BpeTrainer(vocab_size=900, limit_alphabet=400, special_tokens=["<unk>", "<s>", "</s>"],
                                  show_progress=False)  # fmt: skip
    return _trained(models.BPE(unk_token="<unk>"), pre_tokenizers.Metaspace(), trainer)


def _train_bpe_prefix() -> dict:
    trainer = trainers.BpeTrainer(vocab_size=800, limit_alphabet=300, continuing_subword_prefix="##",
                                  special_tokens=["[UNK]"], show_progress=False)  # fmt: skip
    return _trained(models.BPE(unk_token="[UNK]"), pre_tokenizers.Whitespace(), trainer)


def _train_bpe_suffix() -> dict:
    trainer = trainers.BpeTrainer(vocab_size=800, limit_alphabet=300, end_of_word_suffix="</w>",
                                  special_tokens=["<unk>"], show_progress=False)  # fmt: skip
    return _trained(models.BPE(unk_token="<unk>"), pre_tokenizers.WhitespaceSplit(), trainer)


def _train_wordpiece() -> dict:
    trainer = trainers.WordPieceTrainer(vocab_size=800, limit_alphabet=300,
                                        special_tokens=["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"],
                                        show_progress=False)  # fmt: skip
    return _trained(models.WordPiece(unk_token="[UNK]"), pre_tokenizers.BertPreTokenizer(), trainer,
                    normalizers.BertNormalizer())  # fmt: skip


def _train_wordlevel() -> dict:
    trainer = trainers.WordLevelTrainer(vocab_size=1500, special_tokens=["[UNK]"], show_progress=False)
    return _trained(models.WordLevel(unk_token="[UNK]"), pre_tokenizers.Whitespace(), trainer)


def _train_unigram() -> dict:
    trainer = trainers.UnigramTrainer(vocab_size=2000, unk_token="<unk>", special_tokens=["<unk>", "<s>", "</s>"],
                                      show_progress=False)  # fmt: skip
    return _trained(models.Unigram(), pre_tokenizers.Metaspace(), trainer)


def _real_gpt2() -> dict:
    model = models.BPE.from_file(str(fetch_file("gpt2", "vocab.json")), str(fetch_file("gpt2", "merges.txt")))
    return json.loads(Tokenizer(model).to_str())["model"]


def _real_minilm() -> dict:
    return json.loads(fetch_file("all-MiniLM-L6-v2", "tokenizer.json").read_text(encoding="utf-8"))["model"]


def _real_sentencepiece_unigram(name: str) -> dict:
    """A SentencePiece unigram model as ``tokenizers`` holds one: ``[piece, score]`` rows."""
    spm = read_model(fetch_file("sentencepiece-models", name))
    unk_id = spm.types.index(2)  # sentencepiece's piece type 2 is UNKNOWN
    return {"type": "Unigram", "unk_id": unk_id, "vocab": [[p, s] for p, s in zip(spm.pieces, spm.scores)],
            "byte_fallback": False}  # fmt: skip


@dataclass(frozen=True)
class Base:
    """A base model and the family of components that naturally go with it."""

    name: str
    make: Callable[[], dict]
    family: str  # "bytelevel", "metaspace", "wordpiece", "prefix", "suffix", "whitespace"


BASES = [
    Base("bpe-bytelevel", _train_bpe_bytelevel, "bytelevel"),
    Base("bpe-metaspace", _train_bpe_metaspace, "metaspace"),
    Base("bpe-prefix", _train_bpe_prefix, "prefix"),
    Base("bpe-suffix", _train_bpe_suffix, "suffix"),
    Base("wordpiece", _train_wordpiece, "wordpiece"),
    Base("wordlevel", _train_wordlevel, "whitespace"),
    Base("unigram", _train_unigram, "metaspace"),
    Base("gpt2", _real_gpt2, "bytelevel"),
    Base("all-MiniLM-L6-v2", _real_minilm, "wordpiece"),
    Base("botchan-unigram", lambda: _real_sentencepiece_unigram("botchan_en_unigram_1000.model"), "metaspace"),
    Base("kyoto-unigram", lambda: _real_sentencepiece_unigram("kyoto_ja_unigram_8000.model"), "metaspace"),
]


@lru_cache(maxsize=None)
def base_model(name: str) -> dict:
    """The JSON object of base model ``name`` (built once; callers copy before editing)."""
    return next(b for b in BASES if b.name == name).make()


@lru_cache(maxsize=None)
def charsmaps() -> tuple[bytes, ...]:
    """The real SentencePiece ``precompiled_charsmap``s (nmt_nfkc and nfkc)."""
    names = ["botchan_en_bpe_1000.model", "botchan_en_unigram_1000.model"]
    return tuple(read_model(fetch_file("sentencepiece-models", n)).normalizer.precompiled_charsmap for n in names)


# ---------------------------------------------------------------------------------------
# Models: options drawn by editing the base model's JSON.
# ---------------------------------------------------------------------------------------

BYTE_PIECES = [f"<0x{b:02X}>" for b in range(256)]


def _with_tokens(vocab: dict[str, int], tokens: list[str]) -> dict[str, int]:
    """``vocab`` plus each of ``tokens`` it lacks, with the next free ids."""
    vocab = dict(vocab)
    next_id = max(vocab.values(), default=-1) + 1
    for token in tokens:
        if token not in vocab:
            vocab[token] = next_id
            next_id += 1
    return vocab


@st.composite
def bpe_options(draw, spec: dict) -> dict:
    spec = dict(spec)
    spec["unk_token"] = draw(st.sampled_from([None, "<unk>", "[UNK]", spec["unk_token"]]))
    # continuing_subword_prefix stays the trained one: tokenizers strips it from every merge's
    # second part to name the merged token, so another prefix makes the merges inconsistent.
    spec["end_of_word_suffix"] = draw(st.sampled_from([spec["end_of_word_suffix"], None, "</w>"]))
    spec["fuse_unk"] = draw(st.booleans())
    spec["byte_fallback"] = draw(st.booleans())
    spec["ignore_merges"] = draw(st.booleans())
    spec["dropout"] = draw(st.sampled_from([None, None, 0.0, 1.0]))  # the deterministic ones
    extra = [spec["unk_token"]] if spec["unk_token"] else []  # an unk_token outside the vocab is an error
    if spec["byte_fallback"] and draw(st.booleans()):
        extra += BYTE_PIECES
    spec["vocab"] = _with_tokens(spec["vocab"], extra)
    return spec


@st.composite
def wordpiece_options(draw, spec: dict) -> dict:
    spec = dict(spec)
    spec["unk_token"] = draw(st.sampled_from(["[UNK]", "<unk>"]))
    spec["continuing_subword_prefix"] = draw(st.sampled_from(["##", "##", "@@"]))
    spec["max_input_chars_per_word"] = draw(st.sampled_from([100, 100, 12, 4]))
    spec["vocab"] = _with_tokens(spec["vocab"], [spec["unk_token"]])
    return spec


@st.composite
def wordlevel_options(draw, spec: dict) -> dict:
    spec = dict(spec)
    spec["unk_token"] = draw(st.sampled_from(["[UNK]", "<unk>"]))
    spec["vocab"] = _with_tokens(spec["vocab"], [spec["unk_token"]])
    return spec


@st.composite
def unigram_options(draw, spec: dict) -> dict:
    spec = dict(spec)
    spec["byte_fallback"] = draw(st.booleans())
    if spec["byte_fallback"] and draw(st.booleans()):
        known = {piece for piece, _ in spec["vocab"]}
        score = draw(st.sampled_from([0.0, min(s for _, s in spec["vocab"]) - 1.0]))
        spec["vocab"] = spec["vocab"] + [[p, score] for p in BYTE_PIECES if p not in known]
    if draw(st.integers(0, 5)) == 0:
        spec["unk_id"] = None  # unknown text is then an error (the test expects one from both)
    return spec


MODEL_OPTIONS = {"BPE": bpe_options, "WordPiece": wordpiece_options, "WordLevel": wordlevel_options,
                 "Unigram": unigram_options}  # fmt: skip


# ---------------------------------------------------------------------------------------
# Normalizers
# ---------------------------------------------------------------------------------------

REPLACE_PATTERNS = [  # (pattern, content) pairs seen in real tokenizer.json files, and a few more
    (" ", "▁"), ("``", '"'), ("''", '"'), ("\n", " "), ("a", "aa"), ("ab", ""),
    (Regex(" {2,}"), " "), (Regex(r"\s+"), " "), (Regex("[0-9]"), "0"), (Regex(r"\p{Mn}"), ""),
    (Regex("[\u2018\u2019]"), "'"), (Regex("(th|Th)e"), "X"),
]  # fmt: skip


def leaf_normalizers() -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from([normalizers.NFC, normalizers.NFD, normalizers.NFKC, normalizers.NFKD, normalizers.Lowercase,
                         normalizers.StripAccents, normalizers.ByteLevel, normalizers.Nmt]).map(lambda make: make()),
        st.builds(normalizers.Strip, left=st.booleans(), right=st.booleans()),
        st.sampled_from(REPLACE_PATTERNS).map(lambda pc: normalizers.Replace(*pc)),
        st.builds(normalizers.Prepend, st.sampled_from(["▁", " ", "X", "ab"])),
        st.builds(normalizers.BertNormalizer, clean_text=st.booleans(), handle_chinese_chars=st.booleans(),
                  strip_accents=st.sampled_from([None, True, False]), lowercase=st.booleans()),
        st.integers(0, 1).map(lambda i: normalizers.Precompiled(charsmaps()[i])),
    )  # fmt: skip


def sequences(leaves: st.SearchStrategy, sequence: Callable) -> st.SearchStrategy:
    """A ``Sequence`` of 0-3 leaves, sometimes with a nested ``Sequence`` inside."""
    items = st.one_of(leaves, leaves, st.lists(leaves, max_size=2).map(sequence))
    return st.lists(items, max_size=3).map(sequence)


def any_normalizer() -> st.SearchStrategy:
    leaves = leaf_normalizers()
    return st.one_of(st.none(), leaves, sequences(leaves, normalizers.Sequence))


NATURAL_NORMALIZERS = {
    "bytelevel": lambda: st.sampled_from([None, normalizers.NFC()]),
    "metaspace": lambda: st.one_of(
        st.none(),
        st.integers(0, 1).map(lambda i: normalizers.Precompiled(charsmaps()[i])),
        st.just(normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])),
        st.just(normalizers.Sequence([normalizers.Nmt(), normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])),
    ),
    "wordpiece": lambda: st.builds(normalizers.BertNormalizer, strip_accents=st.sampled_from([None, False]),
                                   lowercase=st.booleans()),
    "prefix": lambda: st.sampled_from([None, normalizers.Lowercase()]),
    "suffix": lambda: st.sampled_from([None, normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents()])]),
    "whitespace": lambda: st.sampled_from([None, normalizers.Lowercase()]),
}  # fmt: skip


# ---------------------------------------------------------------------------------------
# Pre-tokenizers
# ---------------------------------------------------------------------------------------

GPT2_PATTERN = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")  # fmt: skip
QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                 r"|\s*[\r\n]+|\s+(?!\S)|\s+")  # fmt: skip
O200K_PATTERN = (
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
    r"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
    r"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
SPLIT_PATTERNS = [
    Regex(GPT2_PATTERN), Regex(LLAMA3_PATTERN), Regex(QWEN2_PATTERN), Regex(O200K_PATTERN),
    Regex(r"\p{N}"), Regex(r"\p{N}{1,3}"), Regex("[0-9]+"), Regex(r"\s+"), Regex(r"\w+"), Regex(r"\p{P}"),
    Regex("[A-Z][a-z]*"), Regex(r"\d"), " ", "-", "the", "\n", "ab",
]  # fmt: skip
BEHAVIOURS = ["removed", "isolated", "merged_with_previous", "merged_with_next", "contiguous"]


def leaf_pre_tokenizers() -> st.SearchStrategy:
    return st.one_of(
        st.builds(pre_tokenizers.ByteLevel, add_prefix_space=st.booleans(), trim_offsets=st.booleans(),
                  use_regex=st.booleans()),
        st.builds(pre_tokenizers.Split, st.sampled_from(SPLIT_PATTERNS), st.sampled_from(BEHAVIOURS),
                  invert=st.booleans()),
        metaspaces(pre_tokenizers.Metaspace),
        st.sampled_from([pre_tokenizers.Whitespace, pre_tokenizers.WhitespaceSplit, pre_tokenizers.BertPreTokenizer,
                         pre_tokenizers.UnicodeScripts]).map(lambda make: make()),
        st.builds(pre_tokenizers.Punctuation, st.sampled_from(BEHAVIOURS)),
        st.builds(pre_tokenizers.Digits, individual_digits=st.booleans()),
        st.builds(pre_tokenizers.CharDelimiterSplit, st.sampled_from([" ", "-", "▁", "a", "\n", "é"])),
        st.builds(pre_tokenizers.FixedLength, length=st.integers(1, 6)),
    )  # fmt: skip


def metaspaces(make) -> st.SearchStrategy:
    """A ``Metaspace`` pre-tokenizer or decoder with drawn options."""
    return st.builds(make, replacement=st.sampled_from(["▁", "▁", "_", " "]),
                     prepend_scheme=st.sampled_from(["always", "first", "never"]), split=st.booleans())  # fmt: skip


def any_pre_tokenizer() -> st.SearchStrategy:
    leaves = leaf_pre_tokenizers()
    return st.one_of(st.none(), leaves, sequences(leaves, pre_tokenizers.Sequence))


NATURAL_PRE_TOKENIZERS = {
    "bytelevel": lambda: st.one_of(
        st.builds(pre_tokenizers.ByteLevel, add_prefix_space=st.booleans(), trim_offsets=st.booleans()),
        st.sampled_from([GPT2_PATTERN, LLAMA3_PATTERN, O200K_PATTERN]).map(lambda p: pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(p), "isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])),
        st.just(pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True),
                                         pre_tokenizers.ByteLevel(add_prefix_space=False)])),
    ),
    "metaspace": lambda: st.one_of(st.none(), metaspaces(pre_tokenizers.Metaspace)),
    "wordpiece": lambda: st.just(pre_tokenizers.BertPreTokenizer()),
    "prefix": lambda: st.sampled_from([pre_tokenizers.Whitespace(), pre_tokenizers.WhitespaceSplit()]),
    "suffix": lambda: st.sampled_from([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Whitespace()]),
    "whitespace": lambda: st.sampled_from([pre_tokenizers.Whitespace(), pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation()])]),
}  # fmt: skip


# ---------------------------------------------------------------------------------------
# Decoders
# ---------------------------------------------------------------------------------------

DECODER_REPLACES = [("▁", " "), ("_", " "), ("Ġ", " "), (Regex(" {2,}"), " "), ("a", "")]


def leaf_decoders() -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from([decoders.ByteLevel, decoders.ByteFallback, decoders.Fuse]).map(lambda make: make()),
        metaspaces(decoders.Metaspace),
        st.builds(decoders.WordPiece, prefix=st.sampled_from(["##", "@@"]), cleanup=st.booleans()),
        st.builds(decoders.BPEDecoder, suffix=st.sampled_from(["</w>", "_", ""])),
        st.builds(decoders.Strip, content=st.sampled_from([" ", "▁", "a"]), left=st.integers(0, 2),
                  right=st.integers(0, 2)),
        st.sampled_from(DECODER_REPLACES).map(lambda pc: decoders.Replace(*pc)),
        st.builds(decoders.CTC, pad_token=st.sampled_from(["<pad>", "[PAD]", "a"]),
                  word_delimiter_token=st.sampled_from(["|", "▁", "Ġ"]), cleanup=st.booleans()),
    )  # fmt: skip


def any_decoder() -> st.SearchStrategy:
    leaves = leaf_decoders()
    return st.one_of(st.none(), leaves, sequences(leaves, decoders.Sequence))


NATURAL_DECODERS = {
    "bytelevel": lambda: st.just(decoders.ByteLevel()),
    "metaspace": lambda: st.one_of(
        metaspaces(decoders.Metaspace),
        st.just(decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                   decoders.Strip(" ", 1, 0)])),
    ),
    "wordpiece": lambda: st.builds(decoders.WordPiece, cleanup=st.booleans()),
    "prefix": lambda: st.builds(decoders.WordPiece, cleanup=st.booleans()),
    "suffix": lambda: st.just(decoders.BPEDecoder()),
    "whitespace": lambda: st.none(),
}  # fmt: skip


# ---------------------------------------------------------------------------------------
# Post-processors (built once the special tokens they name have ids)
# ---------------------------------------------------------------------------------------

SPECIAL_PAIRS = [("[CLS]", "[SEP]"), ("<s>", "</s>"), ("<|bos|>", "<|eos|>")]


def _template(single: str, pair: str) -> Callable[[str, str, dict], processors.PostProcessor]:
    def make(cls: str, sep: str, ids: dict) -> processors.PostProcessor:
        specials = [(t, ids[t]) for t in (cls, sep)]
        return processors.TemplateProcessing(single=single.format(c=cls, s=sep), pair=pair.format(c=cls, s=sep),
                                             special_tokens=specials)  # fmt: skip

    return make


TEMPLATES = [
    _template("{c} $A {s}", "{c} $A {s} $B:1 {s}:1"),
    _template("{c} $A {s}", "{c} $A {s} {s} $B {s}"),
    _template("{c}:1 $A:0", "{c}:1 $A:0 {c}:1 $B:2"),
    _template("$A {s}", "$A {s} $B:1 {s}:1"),
    _template("$A", "$A $B:1"),
    _template("$0 {s}", "{c} $A:0 $B:1 {s}:1"),
]


@st.composite
def post_processor_makers(draw) -> tuple[str, str, Callable] | None:
    """``None``, or ``(cls, sep, make)`` where ``make(cls, sep, ids)`` builds the processor."""
    kind = draw(st.sampled_from([None, None, "template", "bert", "roberta", "bytelevel", "sequence"]))
    if kind is None:
        return None
    cls, sep = draw(st.sampled_from(SPECIAL_PAIRS))
    if kind == "template":
        return cls, sep, draw(st.sampled_from(TEMPLATES))
    if kind == "bert":
        return cls, sep, lambda c, s, ids: processors.BertProcessing((s, ids[s]), (c, ids[c]))
    trim, prefix, regex = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    if kind == "roberta":
        return cls, sep, lambda c, s, ids: processors.RobertaProcessing((s, ids[s]), (c, ids[c]), trim, prefix)
    byte_level = processors.ByteLevel(trim_offsets=trim, add_prefix_space=prefix, use_regex=regex)
    if kind == "bytelevel":
        return cls, sep, lambda c, s, ids: byte_level
    first = draw(st.sampled_from(TEMPLATES))
    return cls, sep, lambda c, s, ids: processors.Sequence([byte_level, first(c, s, ids)])


# ---------------------------------------------------------------------------------------
# Added tokens
# ---------------------------------------------------------------------------------------

NEW_TOKEN_CONTENTS = ["<|endoftext|>", "[NEW]", "<mask>", " hello", "hello", "ab", "é", "\n", "  ", "日本",
                      "the", "The", "<0x41>", "▁the", "##s", "🤗", "a b", "'s", "[UNK]", "<s>"]  # fmt: skip


@st.composite
def added_tokens(draw, vocab_pieces: tuple[str, ...]) -> list[tuple[AddedToken, bool]]:
    """0-4 ``(AddedToken, through add_special_tokens)``: some already in the vocab, some new."""
    contents = st.one_of(st.sampled_from(NEW_TOKEN_CONTENTS), st.sampled_from(vocab_pieces))
    out = []
    for content in draw(st.lists(contents, max_size=4, unique=True)):
        token = AddedToken(content, single_word=draw(st.booleans()), lstrip=draw(st.booleans()),
                           rstrip=draw(st.booleans()), normalized=draw(st.booleans()), special=draw(st.booleans()))
        out.append((token, draw(st.booleans())))
    return out


# ---------------------------------------------------------------------------------------
# The whole tokenizer
# ---------------------------------------------------------------------------------------


class DrawnPipeline:
    """A drawn tokenizer: the reference (reloaded from ``json``), the JSON, and drawing aids."""

    def __init__(self, reference: Tokenizer, json: str, base: str, added_contents: list[str],
                 vocab_pieces: tuple[str, ...]):  # fmt: skip
        self.reference = reference
        self.json = json
        self.base = base
        self.added_contents = added_contents  # what texts_for mixes into the text
        self.vocab_pieces = vocab_pieces

    def __repr__(self) -> str:  # hypothesis prints each draw: the JSON goes in a note instead
        return f"DrawnPipeline(base={self.base!r}, json=<{len(self.json)} characters>)"

    def summary(self) -> str:
        """The JSON with the model's vocabulary and merges elided (for hypothesis' ``note``)."""
        doc = json.loads(self.json)
        model = doc["model"]
        for key in ("vocab", "merges"):
            if key in model:
                model[key] = f"<{len(model[key])} entries of base model {self.base!r}>"
        return json.dumps(doc, ensure_ascii=False, indent=1)


def vocab_pieces(model: dict) -> tuple[str, ...]:
    """About 150 pieces of the model's vocabulary, spread over it."""
    vocab = model["vocab"]
    pieces = [row[0] for row in vocab] if isinstance(vocab, list) else sorted(vocab, key=vocab.__getitem__)
    return tuple(pieces[:: max(1, len(pieces) // 150)])


def _refused(reason: Exception) -> None:
    first_line = (str(reason).splitlines() or [type(reason).__name__])[0][:120]
    REJECTED[first_line] += 1
    event(f"rejected by tokenizers: {first_line}")
    reject()


def _stage(draw, natural: dict, family: str, anything: Callable[[], st.SearchStrategy]):
    """The family's natural component half of the time, any component otherwise."""
    return draw(natural[family]() if draw(st.booleans()) else anything())


BASE_NAMES = [b.name for b in BASES]


@st.composite
def pipelines(draw, bases: list[str] | None = None) -> DrawnPipeline:
    """A complete ``tokenizers.Tokenizer`` with drawn components, options and added tokens,
    on one of the base models named in ``bases`` (all by default)."""
    base = draw(st.sampled_from([b for b in BASES if bases is None or b.name in bases]))
    spec = base_model(base.name)
    model = draw(MODEL_OPTIONS[spec["type"]](spec))
    normalizer = _stage(draw, NATURAL_NORMALIZERS, base.family, any_normalizer)
    pre_tokenizer = _stage(draw, NATURAL_PRE_TOKENIZERS, base.family, any_pre_tokenizer)
    decoder = _stage(draw, NATURAL_DECODERS, base.family, any_decoder)
    pieces = vocab_pieces(model)
    added = draw(added_tokens(pieces))
    post = draw(post_processor_makers())
    try:
        doc = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [], "normalizer": None,
               "pre_tokenizer": None, "model": model, "post_processor": None, "decoder": None}  # fmt: skip
        tokenizer = Tokenizer.from_str(json.dumps(doc))
        for stage, component in (("normalizer", normalizer), ("pre_tokenizer", pre_tokenizer), ("decoder", decoder)):
            if component is not None:
                setattr(tokenizer, stage, component)
        for token, as_special in added:
            (tokenizer.add_special_tokens if as_special else tokenizer.add_tokens)([token])
        if post is not None:
            cls, sep, make = post
            tokenizer.add_special_tokens([cls, sep])
            tokenizer.post_processor = make(cls, sep, {t: tokenizer.token_to_id(t) for t in (cls, sep)})
        text = tokenizer.to_str()
        reference = Tokenizer.from_str(text)
    except BaseException as error:  # tokenizers refuses this combination (an error, or a Rust panic)
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        _refused(error)
    event(f"base model: {base.name}")
    contents = [t.content for t, _ in added] + (list(post[:2]) if post else [])
    return DrawnPipeline(reference, text, base.name, contents, pieces)


# ---------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------

SAMPLES = [
    "Hello", "hello", "HELLO", " world", "don't", "I'll", "naïve café", "Ünïcödé", "e\u0301", "ﬁ", "Ⅻ", "①②",
    "ß", "İstanbul", "ǅ", "日本語", "中文字", "한국어", "Здравствуй", "مرحبا", "नमस्ते", "🤗", "👍🏽", "👨\u200d👩\u200d👧",
    "\u00a0", "\u3000", "\u2009", "\t", "\n", "\r\n", "  ", "   ", "123", "4567890", "3.14", "¼", "٣", "$", "!!", "...",
    "--", "``", "''", "'s", "<s>", "[UNK]", "##", "▁", "Ġ", "</w>", "_", "|", "<0x41>", "\x00", "\u200b", "\ufeff",
]  # fmt: skip

ANY_CHARACTER = st.characters(blacklist_categories=("Cs",))  # never a lone surrogate


def texts_for(drawn: DrawnPipeline, max_pieces: int = 10) -> st.SearchStrategy[str]:
    """Text mixing odd Unicode, corpus words, vocabulary pieces and the added tokens' contents."""
    fragments = [st.sampled_from(SAMPLES), st.text(ANY_CHARACTER, max_size=6), st.sampled_from(corpus_words()),
                 st.sampled_from(drawn.vocab_pieces)]  # fmt: skip
    if drawn.added_contents:
        fragments.append(st.sampled_from(drawn.added_contents))
    separators = st.sampled_from(["", "", " ", " ", "  ", "\n"])
    pieces = st.lists(st.tuples(st.one_of(*fragments), separators), max_size=max_pieces)
    return pieces.map(lambda ps: "".join(f + s for f, s in ps))
