"""Loading the pretrained byte-level tokenizers fast (issue 22): the merge table built on
ids (tiktoken's ranks turned into merges without spelling them out), and the compiled
form kept in the artifact cache (``derived/tokenizers/<name>.<key>.npz``).

Proven here: a compiled tokenizer is the readable build (``load(name, compiled=False)``,
the loaders run on the files) in every part that shows: vocabulary, merges, added tokens,
pre-tokenizer, switches, and the ids of real text; tiktoken's merges are every cut of
every token (computed here, independently, from the rank file); a compiled file that is
corrupted, of another format, or made from other sources is refused by name and, through
``load``, built again, never used.
"""

from __future__ import annotations

import functools
import json
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from text_corpora import comparison_text, english, multilingual, python_source

import scratch.tokenizers as tokenizers_module
from scratch import tokenizers
from scratch.artifacts import fetch_file
from scratch.tokenizers import AddedToken, MalformedVocabError, pretokenizers
from scratch.tokenizers.byte_bpe import (
    COMPILED_FORMAT,
    ByteLevelBPE,
    CompiledTokenizerError,
    IdMerges,
    compiled_arrays,
    load_compiled,
    read_tiktoken_ranks,
    save_compiled,
)
from scratch.tokenizers.bytes_to_unicode import BYTE_TO_CHAR, spell, unspell, unspell_all

BYTE_LEVEL = ["gpt2", "cl100k_base", "starcoder2", "qwen2", "llama-3", "smollm2"]
KEY = "test-key"


@functools.cache
def readable(name: str) -> ByteLevelBPE:
    """The tokenizer built by its loader from the artifact's files, no compiled file involved."""
    return tokenizers.load(name, compiled=False)


@functools.cache
def sample_text() -> str:
    """Real text of several kinds, small enough that encoding stays on the Python merge path."""
    return "\n".join([comparison_text(), english(6000, offset=50_000), python_source(6000), multilingual(4000)])


def assert_same_tokenizer(ours: ByteLevelBPE, theirs: ByteLevelBPE) -> None:
    assert ours.name == theirs.name
    assert ours.pieces == theirs.pieces
    assert ours.vocab_size == theirs.vocab_size
    assert ours.added_tokens == theirs.added_tokens
    assert ours.special_tokens == theirs.special_tokens
    assert ours.pre_tokenizer == theirs.pre_tokenizer
    assert (ours.ignore_merges, ours.bos_id, ours.match_added_tokens, ours.replace_surrogates) == (
        theirs.ignore_merges, theirs.bos_id, theirs.match_added_tokens, theirs.replace_surrogates)  # fmt: skip
    assert ours.merge_ranks == theirs.merge_ranks
    assert [ours.token_bytes(i) for i in range(0, ours.vocab_size, 97) if ours.pieces[i] is not None] == [
        theirs.token_bytes(i) for i in range(0, theirs.vocab_size, 97) if theirs.pieces[i] is not None
    ]
    text = sample_text()
    ids = theirs.encode(text)
    assert ours.encode(text) == ids
    assert ours.decode(ids) == theirs.decode(ids)


# ---- the compiled form is the readable build ---------------------------------------------------------
@pytest.mark.parametrize("name", BYTE_LEVEL)
def test_compiled_tokenizer_is_the_readable_build(name, tmp_path):
    path = tmp_path / f"{name}.npz"
    save_compiled(readable(name), path, KEY)
    assert_same_tokenizer(load_compiled(path, KEY), readable(name))


def test_load_builds_the_compiled_file_once_then_reads_it(tmp_path, monkeypatch, capfd):
    target = tmp_path / "gpt2.0123456789abcdef.npz"
    older = tmp_path / "gpt2.fedcba9876543210.npz"  # a compiled file of other sources
    older.write_bytes(b"old")
    monkeypatch.setattr(tokenizers_module, "compiled_path", lambda name: target)
    built = tokenizers.load("gpt2")  # cold: built from the files, then written
    assert target.is_file() and not older.exists()
    assert_same_tokenizer(built, readable("gpt2"))
    written = target.stat().st_mtime_ns
    warm = tokenizers.load("gpt2")
    assert target.stat().st_mtime_ns == written  # read, not written again
    assert_same_tokenizer(warm, readable("gpt2"))
    assert "building" not in capfd.readouterr().err


def test_the_key_names_the_sources_and_the_format():
    paths = {name: tokenizers.compiled_path(name) for name in BYTE_LEVEL}
    assert len(set(paths.values())) == len(BYTE_LEVEL)
    for name, path in paths.items():
        assert path.parent.name == "tokenizers" and path.parent.parent.name == "derived"
        assert path.name.startswith(f"{name}.") and path.suffix == ".npz"
    assert COMPILED_FORMAT >= 1


# ---- a compiled file that is not what was written is refused, and load builds anew ---------------------
@functools.cache
def gpt2_arrays() -> dict[str, np.ndarray]:
    return compiled_arrays(readable("gpt2"), KEY)


def write_npz(path, arrays) -> None:
    with open(path, "wb") as out:
        np.savez(out, **arrays)


def test_compiled_file_with_a_flipped_byte_is_refused(tmp_path):
    path = tmp_path / "gpt2.npz"
    save_compiled(readable("gpt2"), path, KEY)
    data = bytearray(path.read_bytes())
    for at in (len(data) // 3, len(data) // 2, 2 * len(data) // 3):  # inside the arrays
        changed = bytearray(data)
        changed[at] ^= 0x01
        path.write_bytes(bytes(changed))
        with pytest.raises(CompiledTokenizerError, match="gpt2.npz"):
            load_compiled(path, KEY)


def test_compiled_file_changed_consistently_is_caught_by_its_digest(tmp_path):
    """A valid .npz whose merges were changed (the zip's own checksums are right) is refused."""
    arrays = dict(gpt2_arrays())
    values = arrays["values"].copy()
    values[[0, 1]] = values[[1, 0]]  # two merges swap ranks
    arrays["values"] = values
    path = tmp_path / "gpt2.npz"
    write_npz(path, arrays)
    with pytest.raises(CompiledTokenizerError, match="does not match its sha256 digest"):
        load_compiled(path, KEY)


def test_compiled_file_of_other_sources_or_format_is_stale(tmp_path):
    path = tmp_path / "gpt2.npz"
    save_compiled(readable("gpt2"), path, KEY)
    with pytest.raises(CompiledTokenizerError, match="stale"):
        load_compiled(path, "another-key")
    arrays = dict(gpt2_arrays())
    meta = json.loads(arrays["meta"].tobytes())
    meta["format"] = COMPILED_FORMAT + 1
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    write_npz(path, arrays)
    with pytest.raises(CompiledTokenizerError, match=f"format {COMPILED_FORMAT + 1}, not {COMPILED_FORMAT}"):
        load_compiled(path, KEY)


@pytest.mark.parametrize("content", [b"", b"not a zip file at all", b"PK\x03\x04 truncated"])
def test_compiled_file_that_is_not_one_is_refused(tmp_path, content):
    path = tmp_path / "gpt2.npz"
    path.write_bytes(content)
    with pytest.raises(CompiledTokenizerError, match="not a readable compiled tokenizer"):
        load_compiled(path, KEY)


def test_compiled_file_missing_an_array_is_refused(tmp_path):
    path = tmp_path / "gpt2.npz"
    write_npz(path, {k: v for k, v in gpt2_arrays().items() if k != "keys"})
    with pytest.raises(CompiledTokenizerError, match="not a readable compiled tokenizer"):
        load_compiled(path, KEY)


def test_load_rebuilds_a_corrupted_compiled_file(tmp_path, monkeypatch, capfd):
    target = tmp_path / "gpt2.0123456789abcdef.npz"
    monkeypatch.setattr(tokenizers_module, "compiled_path", lambda name: target)
    tokenizers.load("gpt2")
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    tok = tokenizers.load("gpt2")
    assert "building gpt2 from its files again" in capfd.readouterr().err
    assert_same_tokenizer(tok, readable("gpt2"))
    with zipfile.ZipFile(target) as archive:  # written again, whole
        assert archive.testzip() is None
    assert_same_tokenizer(tokenizers.load("gpt2"), readable("gpt2"))
    assert "building" not in capfd.readouterr().err


def test_load_rebuilds_a_compiled_file_of_other_sources(tmp_path, monkeypatch, capfd):
    target = tmp_path / "gpt2.0123456789abcdef.npz"
    save_compiled(readable("gpt2"), target, "made from other files")
    monkeypatch.setattr(tokenizers_module, "compiled_path", lambda name: target)
    tok = tokenizers.load("gpt2")
    assert "stale" in capfd.readouterr().err
    assert_same_tokenizer(tok, readable("gpt2"))


def test_load_without_compiling_leaves_the_cache_alone(tmp_path, monkeypatch):
    target = tmp_path / "gpt2.0123456789abcdef.npz"
    monkeypatch.setattr(tokenizers_module, "compiled_path", lambda name: target)
    tokenizers.load("gpt2", compiled=False)
    assert not target.exists()


# ---- tiktoken's merges straight from the ranks -----------------------------------------------------------
def test_tiktoken_merges_are_every_cut_of_every_token():
    """Independently: a tiktoken token of rank r cut anywhere into two tokens is the merge of
    those two at rank r (tiktoken merges the pair whose concatenation ranks lowest)."""
    ranks = read_tiktoken_ranks(fetch_file("cl100k_base", "cl100k_base.tiktoken"))
    expected = {
        (data[:cut], data[cut:]): rank
        for data, rank in ranks.items()
        for cut in range(1, len(data))
        if data[:cut] in ranks and data[cut:] in ranks
    }
    assert readable("cl100k_base").merge_ranks == expected
    assert tokenizers.load("cl100k_base").merge_ranks == expected


def test_string_merges_made_lazily_give_the_same_tokenizer_json(tmp_path):
    path = tmp_path / "gpt2.npz"
    save_compiled(readable("gpt2"), path, KEY)
    assert load_compiled(path, KEY).to_tokenizer_json() == readable("gpt2").to_tokenizer_json()


def test_merges_on_ids_that_name_no_token_are_refused():
    tokens = [BYTE_TO_CHAR[b] for b in range(256)] + ["ab", None]
    ids = {c: i for i, c in enumerate(tokens)}
    a, b = ids[BYTE_TO_CHAR[ord("a")]], ids[BYTE_TO_CHAR[ord("b")]]
    ok = ByteLevelBPE(tokens, IdMerges.of([a], [b], [0], [256]), pretokenizers.GPT2)
    assert ok.encode("ab") == [256] and ok.merge_ranks == {(b"a", b"b"): 0}
    for merges, what in [
        (IdMerges.of([a], [b], [0], [257]), "merged id 257"),  # a hole
        (IdMerges.of([a], [300], [0], [256]), "right id 300"),  # past the end
        (IdMerges.of([-1], [b], [0], [256]), "left id -1"),
    ]:
        with pytest.raises(MalformedVocabError, match=what):
            ByteLevelBPE(tokens, merges, pretokenizers.GPT2)
    with pytest.raises(MalformedVocabError, match="merged id 257"):  # an added token is not the model's
        ByteLevelBPE(tokens, IdMerges.of([a], [b], [0], [257]), pretokenizers.GPT2, [AddedToken("<x>", 257)])
    with pytest.raises(MalformedVocabError, match="ranks must be"):
        ByteLevelBPE(tokens, IdMerges.of([a], [b], [-3], [256]), pretokenizers.GPT2)


# ---- unspelling a whole vocabulary at once ------------------------------------------------------------------
spelled = st.binary(max_size=8).map(spell)
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), spelled, st.text(max_size=6)), max_size=20))
def test_unspell_all_is_unspell_of_each(tokens):
    assert unspell_all(tokens) == [None if t is None else unspell(t) for t in tokens]
