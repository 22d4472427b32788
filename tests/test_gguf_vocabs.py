"""Every vocabulary of llama.cpp's test set loads, and gives its ``.out`` ids exactly.

llama.cpp ships ``ggml-vocab-NAME.gguf`` files (tokenizer only) with ``.inp``/``.out``
pairs: test strings and the ids the original Hugging Face tokenizer (``AutoTokenizer``)
gave them. Those ids are the oracle here; nothing is computed by the code under test.
A file whose tokenizer is not built must be refused at load, naming what is missing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import english, llama_cpp_cases, multilingual, python_source

from scratch.artifacts import fetch_file
from scratch.tokenizers import GGUF_MODELS_NOT_BUILT, MalformedVocabError, from_gguf, read_gguf_vocab
from scratch.tokenizers.bytes_to_unicode import spell
from scratch.tokenizers.gguf_vocab import resolve_pre
from scratch.tokenizers.pretokenizers import GGUF_PRE_TOKENIZERS, for_gguf_pre
from scratch.tokenizers.sentencepiece_model import serialize_model

#: Every file with .inp/.out: all cases must be exact.
WITH_CASES = [
    "bert-bge", "command-r", "deepseek-coder", "deepseek-llm", "falcon", "gemma-4", "gpt-2", "llama-bpe",
    "llama-spm", "mpt", "phi-3", "qwen2", "qwen35", "refact", "starcoder",
]  # fmt: skip

#: Files without .inp/.out that load (each proven below against its original tokenizer).
LOADS_WITHOUT_CASES = ["aquila", "baichuan", "gpt-neox", "nomic-bert-moe"]


def gguf(name: str) -> Path:
    return fetch_file("gguf-vocabs", f"ggml-vocab-{name}.gguf")


def test_every_file_of_the_artifact_is_listed_here():
    folder = gguf("gpt-2").parent
    names = {p.name[len("ggml-vocab-") : -len(".gguf")] for p in folder.glob("ggml-vocab-*.gguf")}
    with_cases = {n for n in names if (folder / f"ggml-vocab-{n}.gguf.inp").exists()}
    assert names == set(WITH_CASES) | set(LOADS_WITHOUT_CASES)
    assert with_cases == set(WITH_CASES)


@pytest.mark.parametrize("name", WITH_CASES)
def test_all_cases_exact(name):
    tok = from_gguf(gguf(name))
    cases = llama_cpp_cases(name)
    assert len(cases) >= 46
    wrong = [(text, got, ids) for text, ids in cases if (got := tok.encode(text, add_special_tokens=False)) != ids]
    assert not wrong, f"{name}: {len(wrong)}/{len(cases)} wrong, first: {wrong[0]}"


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


# ---- files without a pre-tokenizer name ('default'): recognised by their vocabulary -------------
def test_gpt_neox_gives_mpts_ids():
    """GPT-NeoX's file has no pre-tokenizer name; its tokens and merges are MPT's (MPT reuses
    GPT-NeoX-20B's tokenizer), so MPT's ``.out`` ids (the original tokenizer's) are its ids."""
    tok = from_gguf(gguf("gpt-neox"))
    wrong = [(text, ids) for text, ids in llama_cpp_cases("mpt") if tok.encode(text, add_special_tokens=False) != ids]
    assert not wrong


@pytest.fixture(scope="module")
def aquila_reference():
    """Aquila-7B's original tokenizer (``GPT2Tokenizer``: GPT-2's ByteLevel split, no normalizer),
    built with ``tokenizers`` from the file's own tokens and merges; control tokens special."""
    from tokenizers import AddedToken, Tokenizer, models, pre_tokenizers

    vocab = read_gguf_vocab(gguf("aquila"))
    hf = Tokenizer(models.BPE({t: i for i, t in enumerate(vocab.tokens)}, [tuple(m.split(" ", 1)) for m in vocab.merges]))
    hf.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    hf.add_special_tokens([AddedToken(t, special=True, normalized=False) for t, k in zip(vocab.tokens, vocab.token_types) if k == 3])
    return hf


@pytest.fixture(scope="module")
def aquila():
    return from_gguf(gguf("aquila"))


def other_files_texts() -> list[str]:
    return [text for name in ("llama-spm", "qwen2", "deepseek-llm", "gemma-4", "mpt") for text, _ in llama_cpp_cases(name)]


def test_aquila_gives_its_original_tokenizers_ids(aquila, aquila_reference):
    texts = [*other_files_texts(), multilingual(100_000), python_source(50_000)]
    wrong = [t for t in texts if aquila.encode(t, add_special_tokens=False) != aquila_reference.encode(t, add_special_tokens=False).ids]
    assert not wrong, wrong[:3]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_aquila_gives_its_original_tokenizers_ids_on_any_text(aquila, aquila_reference, text):
    assert aquila.encode(text, add_special_tokens=False) == aquila_reference.encode(text, add_special_tokens=False).ids


def test_an_unrecognised_default_file_is_refused_naming_llama_cpps_guess():
    vocab = read_gguf_vocab(gguf("aquila"))
    assert resolve_pre(vocab) == "gpt-2"
    vocab.tokens = vocab.tokens[:-1]  # no longer Aquila's vocabulary
    assert resolve_pre(vocab) == "default"
    with pytest.raises(MalformedVocabError) as error:
        for_gguf_pre("default")
    message = str(error.value)
    for part in ("'default'", "split rules", "unknown", "known names: gpt-2", r"[0-9][0-9][0-9]", "pre=..."):
        assert part in message, message


def test_the_rules_can_be_named_for_a_file():
    """``pre=`` overrides the file's name: Aquila split as Falcon gives other ids for ``" 1234"``."""
    path = gguf("aquila")
    assert from_gguf(path, pre="falcon").encode(" 1234", add_special_tokens=False) != from_gguf(path).encode(" 1234", add_special_tokens=False)


# ---- t5 (llama.cpp's UGM): nomic-embed-v2's XLM-RoBERTa unigram ---------------------------------
@pytest.fixture(scope="module")
def nomic():
    return from_gguf(gguf("nomic-bert-moe"))


@pytest.fixture(scope="module")
def nomic_sentencepiece(nomic):
    """sentencepiece itself, running a ``.model`` built from the GGUF's fields."""
    import sentencepiece as spm

    return spm.SentencePieceProcessor(model_proto=serialize_model(nomic.model))


@pytest.fixture(scope="module")
def nomic_xlm_roberta(nomic, tmp_path_factory):
    """The original tokenizer: transformers' ``XLMRobertaTokenizerFast`` converted from the
    sentencepiece model in XLM-R's own order (``<unk> <s> </s>``, then the pieces; Hugging Face
    ids are those + 1, fairseq's offset, with ``<pad>`` at 1 and ``<mask>`` last)."""
    from transformers import XLMRobertaTokenizerFast

    m = nomic.model
    assert m.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and m.pieces[250001] == "<mask>"
    pieces = ["<unk>", "<s>", "</s>", *m.pieces[4:250001]]
    model = dataclasses.replace(
        m, pieces=pieces, scores=[0.0] * 3 + m.scores[4:250001], types=[2, 3, 3] + m.types[4:250001],
        trainer=dataclasses.replace(m.trainer, vocab_size=len(pieces), unk_id=0, bos_id=1, eos_id=2, pad_id=-1),
    )  # fmt: skip
    folder = tmp_path_factory.mktemp("xlmr")
    (folder / "sentencepiece.bpe.model").write_bytes(serialize_model(model))
    return XLMRobertaTokenizerFast.from_pretrained(folder)


NOMIC_EXAMPLES = ["  Hello  world  ", "\tHi\n\nthere ", "<s> a </s>", "x<mask>y", "ﬁ ① Ａ ½", "   ", "", "e\u0301t\u00e9"]


def test_nomic_gives_sentencepieces_and_xlm_robertas_ids(nomic, nomic_sentencepiece, nomic_xlm_roberta):
    """The ids of sentencepiece on the model, and of the Hugging Face tokenizer (specials matched
    in text, ``<s> ... </s>`` around) on llama.cpp's test texts and odd whitespace."""
    for text in [*other_files_texts(), *NOMIC_EXAMPLES]:
        want = nomic_xlm_roberta.encode(text, add_special_tokens=False)
        assert nomic.encode(text, add_special_tokens=False) == want, text
        assert nomic.encode(text) == nomic_xlm_roberta.encode(text), text
        if "<" not in text:  # sentencepiece never matches control pieces in text
            assert nomic_sentencepiece.encode(text) == want, text
    assert nomic.encode("Hello world") == [0, 35378, 8999, 2]


def test_nomic_normalizes_as_sentencepiece_where_tokenizers_differs(nomic, nomic_sentencepiece, nomic_xlm_roberta):
    """``tokenizers``' ``Precompiled`` looks the charsmap up per grapheme cluster, sentencepiece
    by longest byte prefix: Bengali ``বোন`` (its vowel sign written U+09C7 U+09BE) is ``বো ন`` to sentencepiece (and to
    llama.cpp's UGM, and here), ``বে ান`` to the fast tokenizer. Every line of a real multilingual
    text agrees with sentencepiece id for id."""
    text = next(line for line in multilingual(20_000).splitlines() if "\u09ac\u09c7\u09be\u09a8" in line)  # ভাইবোন, ো spelled ে + া
    assert nomic.encode(text, add_special_tokens=False) == nomic_sentencepiece.encode(text)
    assert nomic.encode(text, add_special_tokens=False) != nomic_xlm_roberta.encode(text, add_special_tokens=False)
    lines = multilingual(100_000).splitlines()
    assert [nomic.encode(line, add_special_tokens=False) for line in lines] == [nomic_sentencepiece.encode(line) for line in lines]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_nomic_gives_sentencepieces_ids_on_any_text(nomic, nomic_sentencepiece, text):
    assert nomic.encode(text, add_special_tokens=False) == nomic_sentencepiece.encode(text)


def long_texts() -> list[str]:
    """Whole texts long enough for the best-path score to pass sentencepiece's ``±100000``
    rebasing point several times (about every 30 000 characters)."""
    text = multilingual(100_000)
    return [
        text,
        python_source(40_000) + text[:60_000],
        "\n\n".join(other_files_texts()) * 4,
        english(50_000) + "\t" + text[50_000:] + " \u3000 " + text[:30_000],
    ]


def test_nomic_gives_sentencepieces_ids_on_whole_long_texts(nomic, nomic_sentencepiece):
    """A long text encoded as one string, not line by line: the float scores of the best
    paths are rebased past ``±100000`` as sentencepiece rebases them (at 86 000 characters
    of the multilingual text, ``▁ hash`` and ``▁has h`` tie in floats without it)."""
    for text in long_texts():
        assert nomic.encode(text, add_special_tokens=False) == nomic_sentencepiece.encode(text)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(prefix=st.integers(20_000, 60_000), text=TEXT, middle=TEXT)
def test_nomic_gives_sentencepieces_ids_on_any_text_after_a_long_one(nomic, nomic_sentencepiece, prefix, text, middle):
    """Drawn texts put deep into a long one (after and inside a cut of the multilingual
    text), where the running scores have been rebased."""
    long = multilingual(100_000)
    whole = long[:prefix] + middle + long[prefix : prefix + 20_000] + text
    assert nomic.encode(whole, add_special_tokens=False) == nomic_sentencepiece.encode(whole)


def test_user_defined_pieces_always_win_as_in_sentencepiece(nomic):
    """User-defined pieces (GGUF token type 4) score ``0.1 * (length - 1)`` in sentencepiece
    0.2.3: they win over any split into normal pieces, longer ones first; ``length`` counts
    UTF-8 bytes in the best path and characters in the n-best lattice. Checked on nomic's
    model with some of its pieces (ASCII, Cyrillic, CJK) typed user-defined."""
    import sentencepiece as spm

    from scratch.tokenizers.unigram import UnigramTokenizer

    chosen = ["ation", "ment", "tional", "ности", "ению", "日本", "している"]
    ids = [nomic.model.pieces.index(piece) for piece in chosen]
    types = list(nomic.model.types)
    for i in ids:
        types[i] = 4
    model = dataclasses.replace(nomic.model, types=types)
    scratch = UnigramTokenizer(model, name="nomic-user-defined")
    reference = spm.SentencePieceProcessor(model_proto=serialize_model(model))
    texts = ["nationalisation movement additionally", "возможности применению", "日本語を勉強している日本",
             multilingual(30_000)]  # fmt: skip
    for text in texts:
        want = reference.encode(text)
        assert scratch.encode(text) == want, text
        assert any(i in want for i in ids)
    for text in texts[:3]:
        assert scratch.nbest(text, 8) == reference.nbest_encode(text, nbest_size=8), text


# ---- llama.cpp's whole table ---------------------------------------------------------------
#: Every ``tokenizer_pre`` name llama.cpp's ``llama_vocab::impl::load`` knows (src/llama-vocab.cpp,
#: as vendored by llama-cpp-python 0.3.36), and its model types.
LLAMA_CPP_PRE_NAMES = """
default minicpm5 llama3 llama-v3 llama-bpe falcon3 falcon-h1 pixtral midm-2.0 lfm2 jina-v5-nano deepseek-llm
deepseek-coder deepseek-v3 spark2_5 youtu falcon mpt starcoder gpt-2 phi-2 jina-es jina-de gigachat jina-v2-es
jina-v2-de a.x-4.0 mellum modern-bert jais-2 gemma4 granite-embed-multi-311m sarvam-moe jina-v1-en jina-v2-code
roberta-bpe whitespace refact command-r qwen2 deepseek-r1-qwen kormo f2llmv2 qwen35 stablelm2 olmo dbrx smaug-bpe
poro-chat chatglm-bpe glm4 glm5 viking jais tekken smollm codeshell bloom gpt3-finnish exaone exaone4 exaone-moe
chameleon minerva-7b megrez gpt-4o llama4 kanana2 talkie granite-embed-multi-97m tiny_aya cohere2moe superbpe
trillion granite-docling bailingmoe bailingmoe2 llada-moe seed-coder hunyuan hunyuan-dense hy_v4 joyai-llm kimi-k2
ufakzeka grok-2 afmoe laguna minimax-m2 solar-open mellum2
""".split()
LLAMA_CPP_MODELS = "no_vocab none llama bert gpt2 hybriddna whitespace t5 rwkv test plamo2 gemma4".split()


def test_every_name_of_llama_cpps_table_is_built_or_refused_saying_why():
    from scratch.tokenizers.pretokenizers import GGUF_PRE_NOT_BUILT

    for name in LLAMA_CPP_PRE_NAMES:
        if name in GGUF_PRE_TOKENIZERS:
            assert for_gguf_pre(name) is GGUF_PRE_TOKENIZERS[name]
            continue
        with pytest.raises(MalformedVocabError) as error:
            for_gguf_pre(name)
        assert name == "default" or GGUF_PRE_NOT_BUILT[name] in str(error.value)
    assert set(GGUF_PRE_TOKENIZERS) | set(GGUF_PRE_NOT_BUILT) | {"default"} >= set(LLAMA_CPP_PRE_NAMES)
    assert set(GGUF_MODELS_NOT_BUILT) | {"gpt2", "llama", "bert", "gemma4", "t5"} == set(LLAMA_CPP_MODELS)


def test_every_class_of_every_rule_set_has_a_reference_table():
    """A class without a table of the references' Unicode version would run on the regex
    module's newer tables: a silently different split on newly assigned characters."""
    from scratch.tokenizers.pretokenizers import classes_without_table

    assert {name: classes_without_table(pre) for name, pre in GGUF_PRE_TOKENIZERS.items() if classes_without_table(pre)} == {}


def test_the_table_is_llama_cpps_when_its_source_is_at_hand():
    """The names above are the ones in llama.cpp's source, when the llama-cpp-python sdist
    the artifacts come from is still in the download cache."""
    import re
    import tarfile

    sdists = sorted(gguf("gpt-2").parents[2].glob("downloads/llama-cpp-python-*/*.tar.gz"))
    if not sdists:
        pytest.skip("the llama-cpp-python sdist is not in the download cache")
    with tarfile.open(sdists[-1]) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("vendor/llama.cpp/src/llama-vocab.cpp"))
        source = tar.extractfile(member).read().decode("utf-8")
    names = set(re.findall(r'tokenizer_pre == "([^"]+)"', source))
    assert names == set(LLAMA_CPP_PRE_NAMES)
    assert set(re.findall(r'tokenizer_model == "([^"]+)"', source)) == set(LLAMA_CPP_MODELS)


def reference_steps(pre):
    """``pre``'s steps as ``tokenizers`` pre-tokenizers (Split isolated / Digits) + ByteLevel."""
    from tokenizers import Regex
    from tokenizers import pre_tokenizers as hf

    steps = [hf.Split(Regex(step.pattern), behavior="isolated") for step in pre.before]
    if pre.isolate_digits:
        steps.append(hf.Digits(individual_digits=True))
    steps.append(hf.Split(Regex(pre.pattern), behavior="isolated"))
    steps += [hf.Split(Regex(step.pattern), behavior="isolated") for step in pre.after]
    return hf.Sequence([*steps, hf.ByteLevel(add_prefix_space=False, use_regex=False)])


NEW_NAMES = sorted(n for n, p in GGUF_PRE_TOKENIZERS.items() if not any(s.numeric or s.byte_level for s in (*p.before, *p.after)))
RULE_EXAMPLES = [*EXAMPLES, "IMGIMGABZ <sentinel:12>  x\t\ty", "Hello World I'VE 12345678 ａｂ ｶﾀｶﾅ 한국어 ㄱㄴ …“x”", "camelCaseWord ABCdef"]


def cut_like_tokenizers(pre, text):
    from tokenizers import normalizers

    if pre.normalization:
        text = getattr(normalizers, pre.normalization)().normalize_str(text)
    return [piece for piece, _ in reference_steps(pre).pre_tokenize_str(text)]


@pytest.mark.parametrize("name", NEW_NAMES)
def test_every_rule_set_cuts_like_tokenizers(name):
    """Each name's steps, run by ``tokenizers`` (Oniguruma) as ``Split``s, cut as scratch's do."""
    pre = GGUF_PRE_TOKENIZERS[name]
    for text in RULE_EXAMPLES:
        want = cut_like_tokenizers(pre, text)
        for chunks in (pre.split(text), pre.split_fast(text)):
            assert [spell(c.encode("utf-8")) for c in chunks] == want, text


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(NEW_NAMES), text=TEXT)
def test_every_rule_set_cuts_like_tokenizers_on_any_text(name, text):
    pre = GGUF_PRE_TOKENIZERS[name]
    want = cut_like_tokenizers(pre, text)
    for chunks in (pre.split(text), pre.split_fast(text)):
        assert [spell(c.encode("utf-8")) for c in chunks] == want
