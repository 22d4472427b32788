"""word2vec on bad input and faults: clear errors naming the problem, and nothing lost.

Which settings are refused follows gensim 4.4, run here: a value gensim trains a model
with is accepted, a value gensim rejects (or trains nothing or garbage with) is refused up
front with a :class:`TokembError` naming the setting. A run whose loss or vectors stop
being finite stops with an error. A save that fails part-way keeps the previous file; a
damaged file, a bad corpus and an unwritable key are errors that say what and where.
"""

from __future__ import annotations

import errno
import json
import logging
import math
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch.errors import TokembError
from scratch.songs import SongRecommender
from scratch.word2vec import KeyedVectors, Word2Vec
from scratch.word2vec.corpus import CorpusError, line_sentences, lowercase_words
from scratch.word2vec.word2vec_format import UnwritableKeyError
from scratch.word2vec.model_files import ModelFileError
from scratch.word2vec.settings import SettingError, TrainingDivergedError

REPO = Path(__file__).resolve().parents[1]
TINY = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "sat", "on", "a", "log"],
        ["the", "dog", "saw", "the", "cat"]] * 30  # fmt: skip
TINY_SETTINGS = dict(sg=1, vector_size=8, min_count=1, workers=1, epochs=1)


def gensim_word2vec(**params):
    from gensim.models import Word2Vec as GensimWord2Vec

    return GensimWord2Vec(TINY, **{**TINY_SETTINGS, "sg": 1, **params})


# --------------------------------------------------------------------- settings
# gensim raises for these too (nan/inf sample or ns_exponent, seeds outside 32 bits, no epochs, no negatives).
REFUSED_BY_GENSIM = [("sample", math.nan), ("sample", math.inf), ("ns_exponent", math.nan), ("ns_exponent", math.inf),
                     ("seed", -1), ("seed", 2**32), ("epochs", 0), ("negative", 0), ("vector_size", -1)]  # fmt: skip
# gensim runs with these and returns the initial vectors, trains at min_alpha, hangs (window=0: its worker thread
# dies), or trains nothing (workers=0); here they are refused.
REFUSED_HERE = [("alpha", math.inf), ("alpha", math.nan), ("alpha", 0.0), ("alpha", -0.025), ("min_alpha", -1.0),
                ("min_alpha", math.nan), ("window", 0), ("workers", 0), ("negative", -1), ("min_count", -1),
                ("sample", -1e-3), ("vector_size", 0), ("batch_words", 0), ("batch_size", 0), ("sync_every", 0),
                ("max_final_vocab", 0), ("seed", 1.5), ("sg", 2), ("cbow_mean", 2), ("compute_loss", 2),
                ("shrink_windows", "yes"), ("epochs", True), ("negative_sharing", "batch"),
                ("negative_sharing", None)]  # fmt: skip


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # gensim's own overflow warnings on the way to its error
@pytest.mark.parametrize("name,value", REFUSED_BY_GENSIM, ids=str)
def test_settings_gensim_refuses_are_refused_up_front(name, value):
    with pytest.raises(Exception):  # noqa: B017 - gensim raises ValueError, TypeError or OverflowError
        gensim_word2vec(**{name: value})
    with pytest.raises(SettingError, match=name):
        Word2Vec(**{name: value})


@pytest.mark.parametrize("name,value", REFUSED_HERE, ids=str)
def test_settings_out_of_range_are_refused_naming_the_setting(name, value):
    with pytest.raises(SettingError, match=f"{name} must be") as caught:
        Word2Vec(**{name: value})
    assert isinstance(caught.value, TokembError) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize("params", [dict(sg=0), dict(sg=1, hs=1, negative=0), dict(sg=1, hs=1, negative=5)], ids=str)
def test_noise_words_shared_by_a_window_are_refused_where_they_are_not_defined(params):
    """negative_sharing='window' is skip-gram with negative sampling alone: CBOW already shares
    its noise words within a window, hierarchical softmax draws none (and gensim has neither)."""
    from scratch.word2vec.settings import UnsupportedSettingError

    with pytest.raises(UnsupportedSettingError, match="negative_sharing='window' is skip-gram"):
        Word2Vec(negative_sharing="window", **params)
    Word2Vec(negative_sharing="pair", **params)  # the per-pair scheme: every setting as before


@pytest.mark.parametrize("name,value", [("min_count", 0), ("sample", 0), ("ns_exponent", -0.5), ("ns_exponent", 0.0),
                                        ("seed", 0), ("seed", 2**32 - 1)], ids=str)  # fmt: skip
def test_settings_gensim_trains_with_are_accepted(name, value):
    gensim_word2vec(**{name: value})
    model = Word2Vec(TINY, **{**TINY_SETTINGS, name: value})
    assert np.isfinite(model.wv.vectors).all()


def test_min_alpha_above_alpha_trains_at_min_alpha_as_gensim_does_with_a_warning(caplog):
    gensim = gensim_word2vec(alpha=0.01, min_alpha=0.02)
    assert gensim._get_next_alpha(0.5, 0) == 0.02
    with caplog.at_level(logging.WARNING, logger="scratch.word2vec.settings"):
        model = Word2Vec(TINY, **TINY_SETTINGS, alpha=0.01, min_alpha=0.02)
    assert model.epoch_reports[-1].alpha_end == 0.02
    assert "min_alpha=0.02 is larger than alpha=0.01" in caplog.text


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # gensim's own overflow warnings on the way to its error
def test_ns_exponent_whose_noise_table_overflows_is_refused():
    with pytest.raises(Exception):  # noqa: B017 - gensim: "cannot convert float NaN to integer"
        gensim_word2vec(ns_exponent=1000)
    with pytest.raises(SettingError, match="ns_exponent=1000: .* overflows"):
        Word2Vec(TINY, **TINY_SETTINGS, ns_exponent=1000)


def test_cuda_without_cuda_is_a_clear_error():
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    with pytest.raises(TokembError, match="needs CUDA"):
        Word2Vec(sg=1, backend="torch", device="cuda")


# ------------------------------------------------------------------ divergence
@pytest.mark.parametrize("params", [dict(), dict(sg=0), dict(backend="numpy"), dict(compute_loss=False),
                                    dict(backend="torch", batch_size=16)], ids=str)  # fmt: skip
def test_a_learning_rate_that_diverges_stops_training_with_a_clear_error(params):
    with pytest.raises(TrainingDivergedError, match=r"diverged in epoch 1: .*alpha=1000000\.0"):
        Word2Vec(TINY, **{**TINY_SETTINGS, "sample": 0, **params}, alpha=1e6)


# --------------------------------------------------------------- atomic saves
# The writers run in a child process whose file size limit (RLIMIT_FSIZE, SIGXFSZ ignored)
# makes their writes fail part-way with EFBIG, as a full disk makes them fail with ENOSPC.
# (npz files hold timestamps, so each file is compared with itself before the failed save.)
_WRITERS = textwrap.dedent("""
    import json, resource, signal, sys
    from pathlib import Path
    from scratch.word2vec import Word2Vec

    folder = Path(sys.argv[1])
    small = Word2Vec(vector_size=2, min_count=1)
    small.build_vocab([["a", "b"]])
    large = Word2Vec(vector_size=64, min_count=1)
    large.build_vocab([[f"w{i}" for i in range(300)]])
    writers = {
        "kv.npz": lambda m: m.wv.save(folder / "kv.npz"),
        "model.npz": lambda m: m.save(folder / "model.npz"),
        "vectors.txt": lambda m: m.wv.save_word2vec_format(folder / "vectors.txt"),
        "vectors.bin": lambda m: m.wv.save_word2vec_format(folder / "vectors.bin", binary=True),
        "vectors2.txt": lambda m: m.wv.save_word2vec_format(folder / "vectors2.txt", fvocab=folder / "vocab.txt"),
    }
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    outcome = {}
    for name, write in writers.items():
        write(small)
        before = {path.name: path.read_bytes() for path in folder.iterdir()}
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
        try:
            write(large)
            error = None
        except OSError as exc:
            error = exc.errno
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
        after = {path.name: path.read_bytes() for path in folder.iterdir()}
        outcome[name] = {"error": error, "unchanged": after == before}
    print(json.dumps(outcome))
""")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_save_that_fails_part_way_keeps_the_previous_file_and_no_temporary(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", _WRITERS, str(tmp_path)], env=env, capture_output=True, text=True,
                            timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout)
    assert outcome == {name: {"error": errno.EFBIG, "unchanged": True} for name in outcome}, outcome
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*outcome, "vocab.txt"])


# ------------------------------------------------------------- unwritable keys
WHITESPACE = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000"]


@pytest.mark.parametrize("character", WHITESPACE + [""], ids=ascii)
def test_keys_gensim_cannot_read_back_are_refused_before_anything_is_written(tmp_path, character):
    from reference import word2vec as ref

    keys = ["good", f"bad{character}key" if character else ""]  # "": an empty key
    vectors = np.arange(6, dtype=np.float32).reshape(2, 3)
    # gensim writes the key, and its reader does not give it back (or fails).
    gensim_kv = ref.keyed_vectors(vectors, keys)
    gensim_kv.set_vecattr("good", "count", 2)
    gensim_kv.set_vecattr(keys[1], "count", 1)
    gensim_kv.save_word2vec_format(str(tmp_path / "g.txt"), fvocab=str(tmp_path / "g.vocab"))
    try:
        read = type(gensim_kv).load_word2vec_format(str(tmp_path / "g.txt"), fvocab=str(tmp_path / "g.vocab"))
        assert list(read.index_to_key) != keys
    except Exception:  # noqa: BLE001 - a reader that fails is not reading back either
        pass
    kv = KeyedVectors(vectors, keys, counts=[2, 1])
    for binary in (False, True):
        with pytest.raises(UnwritableKeyError, match=re.escape(f"key {keys[1]!r}")):
            kv.save_word2vec_format(tmp_path / "s.bin", binary=binary, fvocab=tmp_path / "s.vocab")
    assert not (tmp_path / "s.bin").exists() and not (tmp_path / "s.vocab").exists()


def test_keys_without_whitespace_still_round_trip_through_gensim(tmp_path):
    from reference import word2vec as ref

    keys = ["zero\u200bwidth", "nul\x00", "ünïcödé", "中文"]  # not whitespace for str.split()
    kv = KeyedVectors(np.eye(4, dtype=np.float32), keys)
    kv.save_word2vec_format(tmp_path / "v.bin", binary=True)
    assert list(ref.load_word2vec_format(tmp_path / "v.bin", binary=True).index_to_key) == keys


# --------------------------------------------------------------- damaged files
@pytest.fixture(scope="module")
def saved_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("saved")
    model = Word2Vec(vector_size=4, min_count=1)
    model.build_vocab(TINY)
    model.save(folder / "model.npz")
    model.wv.save(folder / "kv.npz")
    return {"model": (folder / "model.npz").read_bytes(), "kv": (folder / "kv.npz").read_bytes()}


LOADERS = {
    "model": lambda path: Word2Vec.load(path),
    "kv": lambda path: KeyedVectors.load(path),
    "songs": lambda path: SongRecommender.load(path, data=None),
}


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("damage", ["empty", "cut to 1 byte", "cut in half", "last byte cut", "not a zip"])
def test_a_damaged_npz_is_an_error_naming_the_file(saved_files, tmp_path, loader, damage):
    data = saved_files["kv" if loader == "kv" else "model"]
    damaged = {"empty": b"", "cut to 1 byte": data[:1], "cut in half": data[: len(data) // 2],
               "last byte cut": data[:-1], "not a zip": b"hello world\n" * 10}[damage]  # fmt: skip
    path = tmp_path / "damaged.npz"
    path.write_bytes(damaged)
    with pytest.raises(ModelFileError, match=str(path)):
        LOADERS[loader](path)


@pytest.mark.parametrize("kind", ["kv", "model"])
def test_a_flipped_byte_is_an_error_naming_the_file_or_changes_nothing(saved_files, tmp_path, kind):
    """A flip in the data is caught by the zip's CRC; one in a field nobody reads (a timestamp) is harmless."""
    data = saved_files[kind]
    path = tmp_path / "flipped.npz"
    path.write_bytes(data)
    expected = LOADERS[kind](path)
    expected = expected if kind == "kv" else expected.wv
    errors = 0
    for position in range(0, len(data), 3):
        path.write_bytes(data[:position] + bytes([data[position] ^ 0x5A]) + data[position + 1 :])
        try:
            loaded = LOADERS[kind](path)
        except ModelFileError as exc:
            assert str(path) in str(exc)
            errors += 1
            continue
        loaded = loaded if kind == "kv" else loaded.wv
        assert loaded.index_to_key == expected.index_to_key
        assert np.array_equal(loaded.vectors, expected.vectors)
    assert errors > len(data) // 6


def test_vectors_and_models_given_to_the_other_loader_say_which_loader_to_use(saved_files, tmp_path):
    (tmp_path / "model.npz").write_bytes(saved_files["model"])
    (tmp_path / "kv.npz").write_bytes(saved_files["kv"])
    with pytest.raises(ModelFileError, match=r"Word2Vec.load\(path\).wv"):
        KeyedVectors.load(tmp_path / "model.npz")
    with pytest.raises(ModelFileError, match=r"KeyedVectors.load\(path\)"):
        Word2Vec.load(tmp_path / "kv.npz")


# ---------------------------------------------------------------------- corpora
def test_a_missing_or_empty_corpus_file_is_a_clear_error(tmp_path):
    with pytest.raises(TokembError, match="missing.txt does not exist") as caught:
        Word2Vec(corpus_file=tmp_path / "missing.txt", min_count=1)
    assert isinstance(caught.value, FileNotFoundError)
    for content in ("", "\n\n", " \t\n"):
        (tmp_path / "empty.txt").write_text(content)
        with pytest.raises(CorpusError, match="empty.txt: the corpus is empty"):
            Word2Vec(corpus_file=tmp_path / "empty.txt", min_count=1)


def test_a_corpus_that_is_not_utf8_names_the_file_and_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("one line\nd\xe9j\xe0 vu\n".encode("latin-1"))
    with pytest.raises(CorpusError, match=r"latin1.txt: not UTF-8 text: line 2, byte 10"):
        Word2Vec(corpus_file=path, min_count=1)
    with pytest.raises(TokembError, match="latin1.txt"):
        lowercase_words(path)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", " ", "\n", "\r", "\r\n", "\t", "\x0c", "\x85", "\u2028", "é"]),
                max_size=40).map("".join))  # fmt: skip
def test_corpus_lines_and_words_are_gensims(tmp_path_factory, text):
    from gensim.models.word2vec import LineSentence as GensimLineSentence

    path = tmp_path_factory.mktemp("corpus") / "c.txt"
    path.write_bytes(text.encode("utf-8"))
    assert list(line_sentences(path)) == [s for s in GensimLineSentence(str(path)) if s]


# --------------------------------------------------------------- numba disabled
def test_the_numba_backend_runs_with_numba_jit_disabled():
    """``NUMBA_DISABLE_JIT=1`` runs the loops as Python; they must give the NumPy loop's vectors."""
    script = textwrap.dedent("""
        import json, numpy as np
        from scratch.word2vec import Word2Vec
        sentences = [["a", "b", "c", "d", "a", "b"], ["c", "d", "e", "a"]] * 5
        out = {}
        for sg in (1, 0):
            params = dict(vector_size=4, min_count=1, epochs=1, workers=1, sample=0, sg=sg)
            jit_off = Word2Vec(sentences, **params)
            readable = Word2Vec(sentences, backend="numpy", **params)
            out[sg] = float(np.abs(jit_off.wv.vectors - readable.wv.vectors).max())
        print(json.dumps(out))
    """)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NUMBA_DISABLE_JIT": "1"}
    result = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", script], env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    differences = json.loads(result.stdout)
    assert max(differences.values()) < 1e-6, differences


@pytest.mark.parametrize("backend", ["numba", "torch"])
@pytest.mark.parametrize("compute_loss", [False, True])
def test_vectors_that_grow_without_overflowing_stop_training(backend, compute_loss):
    """With gensim's saturation rule updates stop at saturated scores, so a learning rate far too large
    gives vectors of 1e5..1e13 that stay finite (the issue's torch run: 1e13 without a word). Whether the
    loss is summed or not, training stops once the vectors give observed words probability 0."""
    params = dict(TINY_SETTINGS, sample=0, skip_saturated=True, backend=backend, compute_loss=compute_loss)
    with pytest.raises(TrainingDivergedError, match=r"diverged in epoch 1: (the loss is|the trained vectors score)"):
        Word2Vec(TINY, **params, alpha=30)
    model = Word2Vec(TINY, **params, alpha=0.025)  # a sane rate trains on
    assert np.abs(model.wv.vectors).max() < 10
