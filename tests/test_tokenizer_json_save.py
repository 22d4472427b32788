"""Saving scratch tokenizers as ``tokenizer.json``: the reference loads what we write and
gives the same ids and the same decoded text.

For every pretrained tokenizer and every llama.cpp vocabulary that loads: ``save``, then
``tokenizers.Tokenizer.from_file`` and transformers' ``PreTrainedTokenizerFast`` on the
file, both compared with the scratch tokenizer (the oracle is the reference library
running what we wrote) on a few thousand characters of each shared corpus, the llama.cpp
test strings and hypothesis text. Tokenizers that ``tokenizers`` cannot reproduce exactly
are refused, saying why, and nothing is written.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
import tokenizers as hf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import english, llama_cpp_cases, multilingual, python_source
from transformers import PreTrainedTokenizerFast

from scratch import tokenizers
from scratch.artifacts import fetch_file
from scratch.tokenizers import pretokenizers
from scratch.tokenizers.folders import from_directory, save_byte_bpe, save_spm_bpe, save_unigram, save_vocab_txt
from scratch.tokenizers.tokenizer_json import NotExpressibleError, oniguruma_pattern
from scratch.tokenizers.train_bpe import train_bpe
from scratch.tokenizers.train_spm_bpe import train_spm_bpe
from scratch.tokenizers.train_unigram import train_unigram
from scratch.tokenizers.train_wordpiece import train_wordpiece

#: Pretrained tokenizers that save; the others are refused (see REFUSED).
SAVED = ["bert-base-uncased", "bert-base-cased", "gpt2", "llama-2", "phi-3", "starcoder2", "qwen2", "llama-3", "smollm2"]
#: name -> what the refusal must say
REFUSED = {
    "cl100k_base": ["never matched in the text", "encode_ordinary"],
    "botchan-unigram": ["Unigram", "control", "' ⁇ '"],
    "kyoto-unigram": ["Unigram", "control", "' ⁇ '"],
}
#: llama.cpp vocabularies that load (tests/test_gguf_vocabs.py): all save.
GGUF = [
    "baichuan", "bert-bge", "command-r", "deepseek-coder", "deepseek-llm", "falcon", "gemma-4", "gpt-2",
    "llama-bpe", "llama-spm", "mpt", "phi-3", "qwen2", "qwen35", "refact", "starcoder",
]  # fmt: skip
WITH_CASES = set(GGUF) - {"baichuan"}

TEXT = english(1500) + python_source(1200) + multilingual(2000) + "\n  spaces   and\ttabs \u00a0 🦙 e\u0301 12345678 x\n\n\n"


def test_every_pretrained_name_is_covered():
    assert set(SAVED) | set(REFUSED) == set(tokenizers.PRETRAINED)


@lru_cache(maxsize=None)
def scratch_tokenizer(name: str):
    if name in tokenizers.PRETRAINED:
        return tokenizers.load(name)
    return tokenizers.from_gguf(fetch_file("gguf-vocabs", f"ggml-vocab-{name}.gguf"))


@lru_cache(maxsize=None)
def saved(name: str, folder: Path) -> tuple[Path, hf.Tokenizer]:
    """The scratch tokenizer saved under ``folder``, and the reference loaded from the file."""
    path = scratch_tokenizer(name).save(folder / f"{name}.json")
    return path, hf.Tokenizer.from_file(str(path))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("saved")


def assert_same(ours, theirs: hf.Tokenizer, text: str) -> None:
    """Ids with and without special tokens, tokens, and decoded text with and without them."""
    for add in (True, False):
        ids = ours.encode(text, add_special_tokens=add)
        got = theirs.encode(text, add_special_tokens=add).ids
        assert got == ids, f"{text[:60]!r} (add_special_tokens={add}): first difference at {_first_difference(ids, got)}"
    for skip in (False, True):
        assert theirs.decode(ids, skip_special_tokens=skip) == ours.decode(ids, skip_special_tokens=skip)


def _first_difference(a: list[int], b: list[int]) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def check_saved(name: str, folder: Path, cases: list[str]) -> None:
    ours = scratch_tokenizer(name)
    path, theirs = saved(name, folder)
    json.loads(path.read_text(encoding="utf-8"))  # plain JSON, UTF-8
    for text in [TEXT, *cases]:
        assert_same(ours, theirs, text)
    fast = PreTrainedTokenizerFast(tokenizer_file=str(path))
    ids = ours.encode(TEXT)
    assert fast(TEXT)["input_ids"] == ids
    assert fast.decode(ids) == ours.decode(ids)
    for token in ours.added_tokens:  # every added token kept its id and its flags
        assert theirs.token_to_id(token.content) == token.id
        entry = theirs.get_added_tokens_decoder()[token.id]
        assert (entry.content, entry.special, entry.lstrip, entry.rstrip, entry.single_word) == (
            token.content, token.special, token.lstrip, token.rstrip, token.single_word)  # fmt: skip


@pytest.mark.parametrize("name", SAVED)
def test_pretrained_saves_and_the_reference_agrees(name, folder):
    check_saved(name, folder, [])


@pytest.mark.parametrize("name", GGUF)
def test_gguf_vocabulary_saves_and_the_reference_agrees(name, folder):
    cases = [text for text, _ in llama_cpp_cases(name)] if name in WITH_CASES else []
    check_saved(f"{name}", folder, cases)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_saying_why_and_nothing_written(name, tmp_path):
    target = tmp_path / "tokenizer.json"
    target.write_text("before", encoding="utf-8")
    with pytest.raises(NotExpressibleError) as error:
        tokenizers.load(name).save(target)
    for part in [name, *REFUSED[name]]:
        assert part in str(error.value)
    assert target.read_text(encoding="utf-8") == "before"


def test_save_into_a_folder_writes_its_tokenizer_json(tmp_path):
    path = scratch_tokenizer("gpt2").save(tmp_path)
    assert path == tmp_path / "tokenizer.json"
    assert hf.Tokenizer.from_file(str(path)).encode("Hello world").ids == [15496, 995]


# ---- hypothesis text -----------------------------------------------------------------------
#: One of each kind (byte-level with each way of splitting, WordPiece, SentencePiece BPE, character BPE).
HYPOTHESIS_NAMES = ["gpt2", "bert-base-uncased", "llama-2", "phi-3", "qwen2", "smollm2", "mpt", "falcon",
                    "deepseek-llm", "deepseek-coder", "gemma-4", "bert-bge", "qwen35"]  # fmt: skip
PIECES = ["<s>", "</s>", "<|endoftext|>", "<|user|>", "[CLS]", "[MASK]", "  ", "   ", "\n", "\t", "'s", "'LL",
          "123", "١٢٣", "½", "²", "¿Qué?", "über", "e\u0301", "日本語", "한국어", "🦙", "👩‍💻", "\u00a0", "\u3000",
          "▁", "<0x41>", "<unk>", "##ing", "Ġ", "http://x.y/z?a=1", "Ⅻ", "ﬁ", "Å", "\r\n"]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(st.characters(exclude_categories=("Cs",)), max_size=8)),
                 max_size=12).map("".join)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(HYPOTHESIS_NAMES), text=texts)
def test_hypothesis_text_gives_the_same_ids(folder, name, text):
    _, theirs = saved(name, folder)
    assert_same(scratch_tokenizer(name), theirs, text)


# ---- trained tokenizers ----------------------------------------------------------------------
TRAIN = [english(40_000, offset=1_000_000), python_source(10_000), multilingual(15_000)]


def hf_of(folder: Path) -> hf.Tokenizer:
    return hf.Tokenizer.from_file(str(folder / "tokenizer.json"))


@pytest.mark.parametrize("pretokenizer", ["gpt2", "cl100k"])
def test_trained_byte_level_bpe(tmp_path, pretokenizer):
    result = train_bpe(TRAIN, 600, special_tokens=["<|endoftext|>", "<pad>"], pretokenizer=pretokenizer, show_progress=False)
    folder = save_byte_bpe(result, tmp_path / "bpe")
    ours = from_directory(folder)
    for text in [TEXT, "a<|endoftext|>b <pad>"]:
        assert_same(ours, hf_of(folder), text)


def test_trained_wordpiece(tmp_path):
    folder = save_vocab_txt(train_wordpiece(TRAIN[:2], 1500, show_progress=False), tmp_path / "wp", lowercase=True)
    assert_same(from_directory(folder), hf_of(folder), TEXT + " [MASK] [CLS]")


def test_trained_sentencepiece_bpe_folder_gets_a_tokenizer_json(tmp_path):
    folder = save_spm_bpe(train_spm_bpe(TRAIN[:2], 1200, special_tokens=["<sep>"], show_progress=False), tmp_path / "spm")
    ours = from_directory(folder)  # from spm_bpe.json, which comes first
    for text in [TEXT, "a<sep>b <s> </s>", "   x  "]:
        assert_same(ours, hf_of(folder), text)


@settings(max_examples=50, deadline=None)
@given(text=texts)
def test_trained_sentencepiece_bpe_on_hypothesis_text(text):
    ours, theirs = _trained_spm()
    assert_same(ours, theirs, text)


@lru_cache(maxsize=None)
def _trained_spm():
    from scratch.tokenizers.folders import spm_bpe_tokenizer

    result = train_spm_bpe(TRAIN[:2], 1000, show_progress=False)
    ours = spm_bpe_tokenizer(result.pieces, result.scores, result.types, "spm")
    return ours, hf.Tokenizer.from_str(json.dumps(ours.to_tokenizer_json()))


def test_trained_unigram_folder_has_its_model_and_no_wrong_tokenizer_json(tmp_path):
    folder = save_unigram(train_unigram([line for line in TRAIN[0].split("\n") if line.strip()], 300), tmp_path / "uni")
    assert (folder / "tokenizer.model").is_file()
    assert not (folder / "tokenizer.json").exists()  # refused: tokenizers' Unigram would give other ids
    assert from_directory(folder).encode("hello world")


# ---- the regex spelling for Oniguruma ----------------------------------------------------------
def test_cl100k_pattern_needs_and_gets_the_oniguruma_spelling():
    """tiktoken's ``\\p{N}{1,3}+`` is possessive; Oniguruma reads it as ``(\\p{N}{1,3})+``."""
    translated = oniguruma_pattern(pretokenizers.CL100K_PATTERN)
    assert r"(?>\p{N}{1,3})" in translated
    split = lambda pattern: hf.pre_tokenizers.Split(hf.Regex(pattern), "isolated")  # noqa: E731
    text = "12345678 and 1234\n"
    ours = pretokenizers.CL100K.split(text)
    assert [p for p, _ in split(translated).pre_tokenize_str(text)] == ours
    assert [p for p, _ in split(pretokenizers.CL100K_PATTERN).pre_tokenize_str(text)] != ours


@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_cl100k_split_in_oniguruma_spelling_matches(text):
    split = hf.pre_tokenizers.Split(hf.Regex(oniguruma_pattern(pretokenizers.CL100K_PATTERN)), "isolated")
    assert [p for p, _ in split.pre_tokenize_str(text)] == pretokenizers.CL100K.split(text)


@pytest.mark.parametrize(
    "pattern, expected",
    [(r"\p{N}{1,3}+", r"(?>\p{N}{1,3})"), (r"(ab){2}+c", r"(?>(ab){2})c"), (r"[x\]]{1,}+", r"(?>[x\]]{1,})"),
     (r"a++b?+", r"a++b?+"), (pretokenizers.LLAMA3_PATTERN, pretokenizers.LLAMA3_PATTERN)],
)  # fmt: skip
def test_oniguruma_pattern(pattern, expected):
    assert oniguruma_pattern(pattern) == expected
