"""scratch's ``Word2Vec`` as a gensim drop-in (issue #20), with gensim 4.4.0 as the oracle.

Vocabularies built with ``trim_rule``, ``max_vocab_size``, ``sorted_vocab``, ``null_word``,
``max_final_vocab``, grown with ``build_vocab(update=True)`` or made by
``build_vocab_from_freq`` must equal gensim's: the same words in the same order, the same
counts, subsampling thresholds, noise table and initial vectors, and the same
``prepare_vocab`` report. Then gensim's defaults, the meaning of ``get_latest_training_loss``,
``vectors_lockf``, the errors gensim raises, ``predict_output_word``, the sentence readers
and ``save``/``load`` with gensim's keywords.
"""

from __future__ import annotations

import bz2
import gzip
import inspect
import itertools
import logging
import pickle

import numpy as np
import pytest
from gensim import utils as gensim_utils
from gensim.models import Word2Vec as GensimWord2Vec
from gensim.models import word2vec as gensim_word2vec
from gensim.models.callbacks import CallbackAny2Vec
from gensim.test.utils import lee_corpus_list
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratch.word2vec import LineSentence, PathLineSentences, Word2Vec, sgns_numba
from scratch.word2vec.model_files import ModelFileError
from scratch.word2vec.settings import UnsupportedSettingError
from scratch.word2vec.vocab import RULE_DEFAULT, RULE_DISCARD, RULE_KEEP

WORDS = ["the", "cat", "sat", "mat", "café", "naïve", "東京", "日本語", "🙂", "e\u0301t\u00e9", "a\u00a0b", "zebra",
         "ß", "Ωmega", "x", "yy"]  # fmt: skip
SENTENCES = st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=12), min_size=1, max_size=25)
SMALL = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "sat", "on", "a", "log"], ["the", "dog", "café"]]


@pytest.fixture(scope="module")
def lee():
    return lee_corpus_list


def rule(word: str, count: int, min_count: int) -> int:
    """A trim_rule using all three answers, deterministic (the same for gensim and scratch)."""
    if len(word) % 3 == 0:
        return RULE_DISCARD
    if len(word) % 3 == 1 and count == 1:
        return RULE_KEEP
    return RULE_DEFAULT


assert (RULE_DEFAULT, RULE_DISCARD, RULE_KEEP) == (gensim_utils.RULE_DEFAULT, gensim_utils.RULE_DISCARD,
                                                   gensim_utils.RULE_KEEP)  # fmt: skip


def assert_same_vocabulary(ours: Word2Vec, theirs: GensimWord2Vec) -> None:
    assert ours.wv.index_to_key == theirs.wv.index_to_key
    if not len(theirs.wv):
        return
    np.testing.assert_array_equal(ours.vocabulary.counts, theirs.wv.expandos["count"])
    expected_sample_int = theirs.wv.expandos.get("sample_int", np.zeros(len(theirs.wv), np.uint32))  # none set: 0
    np.testing.assert_array_equal(ours.vocabulary.sample_int, expected_sample_int)
    np.testing.assert_array_equal(ours.cum_table, theirs.cum_table)
    np.testing.assert_array_equal(ours.wv.vectors, theirs.wv.vectors)
    np.testing.assert_array_equal(ours.syn1neg, theirs.syn1neg)
    assert (ours.corpus_count, ours.corpus_total_words) == (theirs.corpus_count, theirs.corpus_total_words)
    assert ours.effective_min_count == theirs.effective_min_count


VOCAB_OPTIONS = st.fixed_dictionaries({
    "min_count": st.integers(0, 3),
    "max_vocab_size": st.none() | st.integers(2, 10),
    "max_final_vocab": st.none() | st.integers(1, 8),
    "sorted_vocab": st.sampled_from([0, 1]),
    "null_word": st.sampled_from([0, 1]),
    "sample": st.sampled_from([0, 1e-3, 0.1, 3.0]),
    "seed": st.integers(0, 2**32 - 1),
})  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sentences=SENTENCES, options=VOCAB_OPTIONS, use_rule=st.booleans())
def test_vocabulary_equals_gensims(sentences, options, use_rule):
    trim_rule = rule if use_rule else None
    ours = Word2Vec(vector_size=6, **options)
    theirs = GensimWord2Vec(vector_size=6, **options)
    ours_scan = ours.scan_vocab(sentences, trim_rule=trim_rule, allow_empty=True)
    assert ours_scan == theirs.scan_vocab(sentences, trim_rule=trim_rule)
    assert ours.raw_vocab == dict(theirs.raw_vocab) and list(ours.raw_vocab) == list(theirs.raw_vocab)
    report = ours.prepare_vocab(trim_rule=trim_rule)
    assert report == theirs.prepare_vocab(trim_rule=trim_rule)
    if sum(map(len, sentences)):  # (scratch refuses a corpus without a word: EmptyCorpusError)
        ours.build_vocab(sentences, trim_rule=trim_rule)
        theirs.build_vocab(sentences, trim_rule=trim_rule)
        assert_same_vocabulary(ours, theirs)
        assert ours.estimate_memory() == theirs.estimate_memory()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=SENTENCES, second=SENTENCES, options=VOCAB_OPTIONS.map(lambda o: {**o, "null_word": 0}),
       use_rule=st.booleans())  # fmt: skip
def test_online_vocabulary_growth_equals_gensims(first, second, options, use_rule):
    if not sum(map(len, first)):
        first = [*first, ["the", "cat"]]
    trim_rule = rule if use_rule else None
    ours, theirs = Word2Vec(vector_size=5, **options), GensimWord2Vec(vector_size=5, **options)
    ours.build_vocab(first)
    theirs.build_vocab(first)
    if not len(theirs.wv):
        with pytest.raises(RuntimeError):
            ours.build_vocab(second, update=True)
        return
    ours.syn1neg += 0.5  # trained output rows must be kept as they are
    theirs.syn1neg += 0.5
    ours.build_vocab(second, update=True, trim_rule=trim_rule)
    theirs.build_vocab(second, update=True, trim_rule=trim_rule)
    assert_same_vocabulary(ours, theirs)


@settings(max_examples=60, deadline=None)
@given(freq=st.dictionaries(st.sampled_from(WORDS), st.integers(1, 50), min_size=1),
       more=st.dictionaries(st.sampled_from(WORDS), st.integers(1, 50)), corpus_count=st.none() | st.integers(0, 9),
       min_count=st.integers(0, 4), use_rule=st.booleans())  # fmt: skip
def test_build_vocab_from_freq_equals_gensims(freq, more, corpus_count, min_count, use_rule):
    trim_rule = rule if use_rule else None
    ours, theirs = Word2Vec(vector_size=4, min_count=min_count), GensimWord2Vec(vector_size=4, min_count=min_count)
    ours.build_vocab_from_freq(freq, corpus_count=corpus_count, trim_rule=trim_rule)
    theirs.build_vocab_from_freq(freq, corpus_count=corpus_count, trim_rule=trim_rule)
    assert_same_vocabulary(ours, theirs)
    if len(theirs.wv):
        ours.build_vocab_from_freq(more, update=True)
        theirs.build_vocab_from_freq(more, update=True)
        assert_same_vocabulary(ours, theirs)


def test_defaults_are_gensims():
    """Every keyword of gensim's ``Word2Vec`` is accepted, in gensim's order, with gensim's default."""
    ours = inspect.signature(Word2Vec).parameters
    theirs = inspect.signature(GensimWord2Vec).parameters
    not_here = {"hashfxn", "comment"}  # gensim's seeded_vector hash and a free-text note: not used for training
    assert [name for name in theirs if name not in not_here] == [name for name in ours if name in theirs]
    different = {name for name in theirs if name not in not_here and ours[name].default != theirs[name].default}
    assert different == set()  # compute_loss=False too: a drop-in takes gensim's defaults
    assert Word2Vec().sg == 0 and GensimWord2Vec().sg == 0
    for method in ("build_vocab", "train", "scan_vocab", "prepare_vocab", "build_vocab_from_freq", "predict_output_word",
                   "estimate_memory", "reset_from"):  # fmt: skip
        ours_names = list(inspect.signature(getattr(Word2Vec, method)).parameters)
        theirs_names = [n for n in inspect.signature(getattr(GensimWord2Vec, method)).parameters if n != "kwargs"]
        assert ours_names[: len(theirs_names)] == theirs_names, method


# ------------------------------------------------------------------- loss
def _recorded_losses(model_class, epochs=3, **params):
    seen = []

    class Recorder(CallbackAny2Vec):
        def on_epoch_end(self, model):
            seen.append(model.get_latest_training_loss())

    model = model_class(SMALL * 20, vector_size=8, min_count=1, workers=1, epochs=epochs, compute_loss=True,
                        callbacks=[Recorder()], **params)  # fmt: skip
    first_total = model.get_latest_training_loss()
    model.train(SMALL * 20, total_examples=model.corpus_count, epochs=1, compute_loss=True, callbacks=[Recorder()])
    return model, seen, first_total


@pytest.mark.parametrize("sg", [0, 1])
def test_latest_training_loss_is_the_running_total_of_the_last_train_call(sg):
    """gensim's meaning (checked on gensim too): a running total over one train() call, reset by the next."""
    for model_class in (GensimWord2Vec, Word2Vec):
        model, seen, first_total = _recorded_losses(model_class, sg=sg)
        assert 0 < seen[0] < seen[1] < seen[2] == first_total  # grows over the epochs of a call
        assert 0 < seen[3] < seen[2]  # the second call starts again from 0
    assert seen == list(itertools.accumulate(model.epoch_losses[:3])) + [model.epoch_losses[3]]


def test_loss_does_not_saturate_in_float32():
    """gensim #2735: a float32 total stops growing at 2**27; the float64 total keeps adding every epoch."""
    model = Word2Vec(vector_size=4, min_count=1, workers=2, sg=1, alpha=0.025)
    model.build_vocab(SMALL)
    model.running_training_loss = 0.0
    epoch_loss = np.float64(2.0**27)
    assert np.float32(np.float32(epoch_loss) + np.float32(3.0)) == np.float32(epoch_loss)  # where gensim stalls
    model.train(SMALL * 50, total_examples=150, epochs=4)
    assert model.get_latest_training_loss() == sum(model.epoch_losses[-4:])
    assert isinstance(model.get_latest_training_loss(), float)


# ----------------------------------------------------------------- locking
@pytest.mark.parametrize("sg", [0, 1])
def test_a_row_locked_with_zero_does_not_move(lee, sg):
    model = Word2Vec(vector_size=8, min_count=2, sg=sg, workers=2, epochs=2)
    model.build_vocab(lee[:200])
    assert model.wv.vectors_lockf.shape == (1,) and model.wv.vectors_lockf[0] == 1.0
    before = model.wv.vectors.copy()
    model.wv.vectors_lockf = np.ones(len(model.wv), dtype=np.float32)
    model.wv.vectors_lockf[[0, 3]] = 0.0
    model.train(lee[:200], total_examples=model.corpus_count, epochs=model.epochs)
    np.testing.assert_array_equal(model.wv.vectors[[0, 3]], before[[0, 3]])
    assert not np.allclose(model.wv.vectors[[1, 2]], before[[1, 2]])


@pytest.mark.parametrize("sg", [0, 1])
def test_locks_of_one_train_bit_identically_and_half_locks_scale(lee, sg):
    params = dict(vector_size=8, min_count=2, sg=sg, workers=1, epochs=1, seed=3)
    free = Word2Vec(lee[:100], **params)
    locked = Word2Vec(vector_size=8, min_count=2, sg=sg, workers=1, epochs=1, seed=3)
    locked.build_vocab(lee[:100])
    locked.wv.vectors_lockf = np.ones(len(locked.wv), dtype=np.float32)
    locked.wv.vectors_lockf[-1] = 0.5  # not all ones: the loop gets the array and reads 1.0 for the others
    locked.train(lee[:100], total_examples=locked.corpus_count, epochs=1)
    assert not np.array_equal(free.wv.vectors[-1], locked.wv.vectors[-1]) or locked.vocabulary.counts[-1] == 0
    vocab = free.vocabulary
    tokens = np.array([vocab.key_to_index[w] for s in lee[:20] for w in s if w in vocab.key_to_index], np.int32)
    starts = np.array([0, len(tokens)], dtype=np.int64)
    outputs = []
    for lockf in (None, np.ones(1, np.float32), np.ones(len(vocab), np.float32)):
        syn0, syn1neg = free.wv.vectors.copy(), free.syn1neg.copy()
        extra = {} if lockf is None else {"lockf": lockf}
        sgns_numba.train_sentences(tokens, starts, syn0, syn1neg, vocab.sample_int, vocab.cum_table,
                                   sgns_numba.noise_guide(vocab.cum_table), 3, 4, 0.025, 12345, True, True, True,
                                   **extra)  # fmt: skip
        outputs.append(syn0)
    np.testing.assert_array_equal(outputs[0], outputs[1])
    np.testing.assert_array_equal(outputs[0], outputs[2])


@pytest.mark.parametrize("hs, negative", [(0, 5), (1, 0), (1, 3)])
def test_the_numpy_backend_honours_locks_and_torch_refuses_them(hs, negative):
    model = Word2Vec(vector_size=4, min_count=1, backend="numpy", hs=hs, negative=negative)
    model.build_vocab(SMALL)
    model.wv.vectors_lockf = np.zeros(1, dtype=np.float32)
    before = model.wv.vectors.copy()
    model.train(SMALL, total_examples=3, epochs=1)
    np.testing.assert_array_equal(model.wv.vectors, before)
    torch_model = Word2Vec(vector_size=4, min_count=1, backend="torch", sg=1)
    torch_model.build_vocab(SMALL)
    torch_model.wv.vectors_lockf = np.zeros(1, dtype=np.float32)
    with pytest.raises(UnsupportedSettingError, match="vectors_lockf"):
        torch_model.train(SMALL, total_examples=3, epochs=1)


# ------------------------------------------------------------------ errors
def test_errors_are_gensims(tmp_path, caplog):
    with pytest.raises(RuntimeError):
        Word2Vec([])
    with pytest.raises(RuntimeError):
        Word2Vec(SMALL, min_count=100)
    with pytest.raises(RuntimeError):
        Word2Vec().train(SMALL, total_examples=3, epochs=1)
    model = Word2Vec(vector_size=2, min_count=1)
    model.build_vocab(SMALL)
    theirs = GensimWord2Vec(vector_size=2, min_count=1)
    theirs.build_vocab(SMALL)
    for kwargs in (dict(total_examples=3), dict(epochs=1), dict()):
        with pytest.raises(ValueError):
            model.train(SMALL, **kwargs)
        with pytest.raises(ValueError):
            theirs.train(SMALL, **kwargs)
    with pytest.raises(ValueError):
        Word2Vec(SMALL, min_count=1, hs=0, negative=0)
    with pytest.raises(UnsupportedSettingError, match="hs=1"):  # not built on torch
        Word2Vec(SMALL, min_count=1, hs=1, negative=0, sg=1, backend="torch")
    with caplog.at_level(logging.WARNING):
        model = Word2Vec(min_count=1)
        model.build_vocab(["human", "machine"])  # a bare string is its characters, with gensim's warning
    assert "Each 'sentences' item should be a list of words" in caplog.text
    theirs = GensimWord2Vec(min_count=1)
    theirs.build_vocab(["human", "machine"])
    assert model.wv.index_to_key == theirs.wv.index_to_key
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        model.train(["human"], total_examples=1, epochs=1)
        model.alpha = 0.5
        model.train(["human"], total_examples=1, epochs=1)
    assert "Effective 'alpha' higher than previous training cycles" in caplog.text
    model.save(tmp_path / "m.npz")
    with pytest.raises(AttributeError):
        model.load(tmp_path / "m.npz")
    with pytest.raises(TypeError):
        Word2Vec(corpus_file=str(tmp_path / "c.txt.bz2"))


def test_score_and_predict_output_word_refuse_as_gensim():
    """score needs hs=1, predict_output_word negative sampling: gensim's RuntimeErrors."""
    with pytest.raises(RuntimeError, match="hierarchical softmax"):
        Word2Vec(SMALL, min_count=1).score(SMALL)
    with pytest.raises(RuntimeError, match="build vocabulary"):
        Word2Vec(hs=1).score(SMALL)
    with pytest.raises(RuntimeError, match="negative sampling"):
        Word2Vec(SMALL, min_count=1, hs=1, negative=0).predict_output_word(["the"])


def test_gensim_pickles_are_refused_and_vectors_only_files_are_attribute_errors(tmp_path):
    theirs = GensimWord2Vec(SMALL, min_count=1, vector_size=4)
    theirs.save(str(tmp_path / "gensim.model"))
    with pytest.raises(ModelFileError, match="foreign pickles are not loaded"):
        Word2Vec.load(tmp_path / "gensim.model")
    (tmp_path / "plain.pkl").write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(ModelFileError, match="pickle"):
        Word2Vec.load(fname=tmp_path / "plain.pkl")
    ours = Word2Vec(SMALL, min_count=1, vector_size=4)
    ours.wv.save(tmp_path / "kv.npz")
    with pytest.raises(AttributeError):
        Word2Vec.load(tmp_path / "kv.npz")


def test_save_and_load_with_gensims_keywords_keep_locks_and_loss(tmp_path):
    model = Word2Vec(SMALL * 5, min_count=1, vector_size=4, workers=1, compute_loss=True)
    model.wv.vectors_lockf = np.full(len(model.wv), 0.5, dtype=np.float32)
    model.save(fname=tmp_path / "m.npz", sep_limit=0)
    loaded = Word2Vec.load(fname=tmp_path / "m.npz", mmap="r")
    np.testing.assert_array_equal(loaded.wv.vectors_lockf, model.wv.vectors_lockf)
    assert loaded.get_latest_training_loss() == model.get_latest_training_loss() > 0
    loaded.build_vocab([["brand", "new", "words", "the"]], update=True)
    loaded.train([["brand", "new", "words", "the"]], total_examples=1, epochs=loaded.epochs)
    assert len(loaded.wv) == len(model.wv) + 3


# ------------------------------------------------------- using the model
def test_predict_output_word_equals_gensims_on_the_same_weights():
    ours = Word2Vec(SMALL * 10, min_count=1, vector_size=6, workers=1)
    theirs = GensimWord2Vec(SMALL * 10, min_count=1, vector_size=6, workers=1)
    theirs.wv.vectors[:] = ours.wv.vectors
    theirs.syn1neg[:] = ours.syn1neg
    for context in (["cat", "sat"], ["the"], [0, "dog"], ["nope", "café"]):
        for topn in (1, 3, 100):
            got, expected = ours.predict_output_word(context, topn=topn), theirs.predict_output_word(context, topn)
            assert [w for w, _ in got] == [w for w, _ in expected]
            np.testing.assert_array_equal([p for _, p in got], [p for _, p in expected])
    assert ours.predict_output_word(["nope"]) is None


def test_reset_from_shares_the_vocabulary_and_starts_fresh():
    model, other = Word2Vec(SMALL, min_count=1), Word2Vec([["x", "y", "x"]], min_count=1)
    model.reset_from(other)
    assert model.wv.key_to_index == other.wv.key_to_index
    assert model.corpus_count == other.corpus_count
    assert not model.syn1neg.any()


# ---------------------------------------------------------- the readers
def test_line_sentence_reads_paths_compressed_files_and_file_objects(tmp_path):
    text = "le café est là\n\n東京 🙂 e\u0301t\u00e9\u3000x\n" + " ".join(["w"] * 25) + "\n"
    plain, packed, zipped = tmp_path / "c.txt", tmp_path / "c.txt.bz2", tmp_path / "c.txt.gz"
    plain.write_bytes(text.encode())
    packed.write_bytes(bz2.compress(text.encode()))
    zipped.write_bytes(gzip.compress(text.encode()))
    expected = list(gensim_word2vec.LineSentence(str(plain), max_sentence_length=10))
    for source in (plain, packed, zipped):
        assert list(LineSentence(source, max_sentence_length=10)) == expected
    with open(plain, "rb") as handle:
        sentences = LineSentence(handle, max_sentence_length=10)
        assert list(sentences) == expected and list(sentences) == expected  # rewound at each pass
    with bz2.BZ2File(packed) as handle:
        assert list(LineSentence(handle, 10, limit=2)) == list(gensim_word2vec.LineSentence(str(plain), 10, limit=2))
    (tmp_path / "more.txt").write_text("a b\nc\n", encoding="utf-8")
    assert list(PathLineSentences(tmp_path)) == list(gensim_word2vec.PathLineSentences(str(tmp_path)))
    with pytest.raises(ValueError, match="neither a file nor a path"):
        PathLineSentences(tmp_path / "missing")
