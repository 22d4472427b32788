"""Every vocabulary of llama.cpp's test set loads, and gives its ``.out`` ids exactly.

llama.cpp ships ``ggml-vocab-NAME.gguf`` files (tokenizer only) with ``.inp``/``.out``
pairs: test strings and the ids the original Hugging Face tokenizer (``AutoTokenizer``)
gave them. Those ids are the oracle here; nothing is computed by the code under test.
A file whose tokenizer is not built must be refused at load, naming what is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import llama_cpp_cases

from scratch.artifacts import fetch_file
from scratch.tokenizers import MalformedVocabError, from_gguf
from scratch.tokenizers.bytes_to_unicode import spell
from scratch.tokenizers.pretokenizers import GGUF_PRE_TOKENIZERS

#: Every file with .inp/.out: all cases must be exact.
WITH_CASES = [
    "bert-bge", "command-r", "deepseek-coder", "deepseek-llm", "falcon", "gemma-4", "gpt-2", "llama-bpe",
    "llama-spm", "mpt", "phi-3", "qwen2", "qwen35", "refact", "starcoder",
]  # fmt: skip

#: Files refused at load, and what the message must say (why).
REFUSED = {
    # no .inp/.out: byte-level BPE whose converter wrote no pre-tokenizer name
    "aquila": ["'default'", "split rules", "unknown", "known names: gpt-2"],
    "gpt-neox": ["'default'", "split rules", "unknown", "known names: gpt-2"],
    # no .inp/.out: SentencePiece unigram with a precompiled charsmap, not built for GGUF
    "nomic-bert-moe": ["'t5'", "not supported", "precompiled"],
}

#: Files without .inp/.out that load.
LOADS_WITHOUT_CASES = ["baichuan"]


def gguf(name: str) -> Path:
    return fetch_file("gguf-vocabs", f"ggml-vocab-{name}.gguf")


def test_every_file_of_the_artifact_is_listed_here():
    folder = gguf("gpt-2").parent
    names = {p.name[len("ggml-vocab-") : -len(".gguf")] for p in folder.glob("ggml-vocab-*.gguf")}
    with_cases = {n for n in names if (folder / f"ggml-vocab-{n}.gguf.inp").exists()}
    assert names == set(WITH_CASES) | set(REFUSED) | set(LOADS_WITHOUT_CASES)
    assert with_cases == set(WITH_CASES)


@pytest.mark.parametrize("name", WITH_CASES)
def test_all_cases_exact(name):
    tok = from_gguf(gguf(name))
    cases = llama_cpp_cases(name)
    assert len(cases) >= 46
    wrong = [(text, got, ids) for text, ids in cases if (got := tok.encode(text, add_special_tokens=False)) != ids]
    assert not wrong, f"{name}: {len(wrong)}/{len(cases)} wrong, first: {wrong[0]}"


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_clearly(name):
    with pytest.raises(MalformedVocabError) as error:
        from_gguf(gguf(name))
    message = str(error.value)
    assert str(gguf(name)) in message
    for part in REFUSED[name]:
        assert part in message, message


def test_baichuan_loads_without_an_unknown_token_id():
    """Baichuan's file has no ``unknown_token_id`` key; its one piece typed unknown (``<unk>``, id 0) is it."""
    tok = from_gguf(gguf("baichuan"))
    ids = tok.encode("Hello world", add_special_tokens=False)
    assert ids and tok.decode(ids) == "Hello world"


def test_mpt_keeps_its_runs_of_spaces():
    """MPT's user-defined tokens are raw runs of 2..24 spaces (ids 50254..50276), matched
    before the split as in the original: ``"  Hello"`` -> ``"  "``, ``"Hello"`` (the ``.out`` ids)."""
    tok = from_gguf(gguf("mpt"))
    assert tok.encode("  Hello", add_special_tokens=False) == [50276, 12092]
    assert tok.encode("   Hello", add_special_tokens=False) == [50275, 12092]


def test_an_unknown_pre_tokenizer_lists_the_known_ones(tmp_path):
    from scratch.tokenizers.pretokenizers import for_gguf_pre

    with pytest.raises(MalformedVocabError) as error:
        for_gguf_pre("no-such-pre")
    assert "'no-such-pre'" in str(error.value)
    assert all(name in str(error.value) for name in GGUF_PRE_TOKENIZERS)


def test_gemma4_decodes_its_cases_back_and_adds_bos():
    """Gemma 4 (character BPE, ``▁`` for spaces, byte fallback): decode gives each case's text
    back, and ``add_bos_token`` puts ``<bos>`` (id 2) in front."""
    tok = from_gguf(gguf("gemma-4"))
    for text, ids in llama_cpp_cases("gemma-4"):
        assert tok.decode(ids) == text
        assert tok.encode(text) == [2, *ids]


# ---- the new split rules, against tokenizers' own pre-tokenizers --------------------------------
def reference_pre_tokenizer(name: str):
    """The original ``tokenizer.json``'s pre-tokenizer, built with ``tokenizers`` itself."""
    from tokenizers import Regex
    from tokenizers import pre_tokenizers as hf

    pre = GGUF_PRE_TOKENIZERS[name]
    split = lambda pattern: hf.Split(Regex(pattern), behavior="isolated")  # noqa: E731
    if name in ("deepseek-llm", "deepseek-coder"):
        steps = [split(s.pattern) for s in pre.before[:-1]]
        steps.append(hf.Digits(individual_digits=name == "deepseek-coder"))
        return hf.Sequence([*steps, hf.ByteLevel(add_prefix_space=False, use_regex=False)])
    if name == "falcon":
        return hf.Sequence([hf.Punctuation("contiguous"), hf.ByteLevel(add_prefix_space=False, use_regex=True),
                            hf.Digits(individual_digits=False), split("[0-9][0-9][0-9]")])  # fmt: skip
    if name == "qwen35":
        return hf.Sequence([split(pre.pattern), hf.ByteLevel(add_prefix_space=False, use_regex=False)])
    raise KeyError(name)


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFFF)
    | st.sampled_from("aZé \n\r\t'1234567½²中한\u0301\u0308.,!?-_¿«$+<=>^`|~\U00010f58"),
    max_size=40,
)

#: Texts where a step's own character classes matter: ``½`` is C2 BD, whose BD is numeric to
#: Falcon's Digits after ByteLevel; U+10F58 (Sogdian punctuation) is ``\p{P}`` to Oniguruma but
#: not punctuation to ``Punctuation``; combining marks stay in Qwen3.5's letter runs.
EXAMPLES = ["ied 4 ½ months", "x\U00010f58\u0300y 1234567", "re\u0301sume\u0301 \u0928\u093f", "中文 한국어!! ...\r\n 12"]


@pytest.mark.parametrize("name", ["deepseek-llm", "deepseek-coder", "falcon", "qwen35"])
@pytest.mark.parametrize("text", EXAMPLES)
def test_new_split_rules_cut_like_tokenizers_on_examples(name, text):
    want = [piece for piece, _ in reference_pre_tokenizer(name).pre_tokenize_str(text)]
    pre = GGUF_PRE_TOKENIZERS[name]
    for chunks in (pre.split(text), pre.split_fast(text)):
        assert [spell(c.encode("utf-8") if isinstance(c, str) else c) for c in chunks] == want


@pytest.mark.parametrize("name", ["deepseek-llm", "deepseek-coder", "falcon", "qwen35"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_new_split_rules_cut_like_tokenizers(name, text):
    """The chunks, spelled as ByteLevel spells them, are the reference pre-tokenizer's pieces."""
    want = [piece for piece, _ in reference_pre_tokenizer(name).pre_tokenize_str(text)]
    pre = GGUF_PRE_TOKENIZERS[name]
    for chunks in (pre.split(text), pre.split_fast(text)):
        assert [spell(c.encode("utf-8") if isinstance(c, str) else c) for c in chunks] == want
