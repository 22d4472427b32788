"""Statistically equal to gensim: same corpus, same hyperparameters, a few seeds each.

Vectors trained with different random streams differ, so the comparison is of quality:
analogy accuracy (Google questions-words, restrict_vocab=30000) within 1 point of
gensim's mean, WordSim-353 and SimLex-999 Spearman correlations within 0.02. Both noise
schemes are held to it: per pair (gensim's) and shared by a window (``negative_sharing="window"``).
The shared scheme is another algorithm, so it is held to gensim's quality from below only: on
these 2 M words it scores higher than gensim (measured: WS-353 0.220 against 0.163 over six seeds,
analogies 0.064 against 0.060, SimLex 0.179 against 0.180).

To keep CI fast the test trains on the first 2 M words of the gutenberg corpus for 3
epochs (``benchmarks/word2vec_train.py`` runs the full 12.5 M-word comparison). On this
corpus one run's WordSim-353 correlation varies by about 0.013 from seed to seed, so the
word-pair correlations are averaged over six seeds (the difference of two six-seed means
then has a spread of about 0.0075, and the 0.02 bound sits 2.7 spreads out). Analogy
accuracy varies by about 0.3 points a run and its evaluation is the slow part, so it is
averaged over the first three seeds. Both models are evaluated with scratch's
evaluators, which tests/test_keyed_vectors.py proves equal to gensim's on the same vectors.
"""

from __future__ import annotations

import functools
import statistics

import pytest

from reference import word2vec as ref
from scratch.artifacts import fetch
from scratch.data import data_path
from scratch.word2vec import KeyedVectors, Word2Vec
from scratch.word2vec.corpus import chunk_words, lowercase_words

QUALITY_WORDS = 2_000_000
SEEDS = (1, 2, 3, 4, 5, 6)
ANALOGY_SEEDS = SEEDS[:3]
SETTINGS = dict(sg=1, vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, epochs=3, workers=2)


def quality(kv: KeyedVectors, data, analogies: bool) -> dict[str, float]:
    from threadpoolctl import threadpool_limits  # installed with the reference libraries

    # One BLAS thread: a matrix-vector product per question is too small to share, and
    # on a busy machine BLAS threads waiting for each other make evaluation 10x slower.
    with threadpool_limits(limits=1, user_api="blas"):
        scores = {
            "ws353": kv.evaluate_word_pairs(data / "wordsim353.tsv").spearman.correlation,
            "simlex": kv.evaluate_word_pairs(data / "simlex999.txt").spearman.correlation,
        }
        if analogies:
            scores["analogy"] = kv.evaluate_word_analogies(data / "questions-words.txt", restrict_vocab=30000)[0]
    return scores


@functools.cache
def quality_corpus() -> list[list[str]]:
    """The first QUALITY_WORDS words of gutenberg, in sentences of 10,000 (shared with the torch suite)."""
    return chunk_words(lowercase_words(data_path("gutenberg", "english.txt"), max_words=QUALITY_WORDS))


@functools.cache
def gensim_scores() -> tuple[dict[str, float], ...]:
    """gensim's quality on :func:`quality_corpus` for each of SEEDS (analogies for ANALOGY_SEEDS),
    computed once per test session: tests/test_word2vec_torch.py compares with the same runs."""
    data = fetch("gensim-test-data")
    runs = []
    for seed in SEEDS:
        gensim_wv = ref.train(quality_corpus(), seed=seed, **SETTINGS).wv
        gensim_kv = KeyedVectors(gensim_wv.vectors, gensim_wv.index_to_key)
        runs.append(quality(gensim_kv, data, analogies=seed in ANALOGY_SEEDS))
    return tuple(runs)


@pytest.fixture(scope="module", params=["pair", "window"])
def scores(request):
    """gensim's runs and scratch's (numba backend), with noise words drawn per pair (word2vec.c's
    scheme) or shared by each center word's window (``negative_sharing="window"``, HogBatch)."""
    data = fetch("gensim-test-data")
    results = {"gensim": list(gensim_scores()), "scratch": [], "negative_sharing": request.param}
    # the shared scheme, held from below only and measured well above that bound, is trained on
    # the first three seeds (the analogy seeds): enough to catch a loss of quality, and 30 s less
    for seed in SEEDS if request.param == "pair" else ANALOGY_SEEDS:
        scratch_kv = Word2Vec(quality_corpus(), seed=seed, negative_sharing=request.param, **SETTINGS).wv
        results["scratch"].append(quality(scratch_kv, data, analogies=seed in ANALOGY_SEEDS))
    return results


def mean(runs: list[dict[str, float]], metric: str) -> float:
    return statistics.mean(run[metric] for run in runs if metric in run)


@pytest.mark.parametrize("metric,bound", [("analogy", 0.01), ("ws353", 0.02), ("simlex", 0.02)])
def test_quality_matches_gensim(scores, metric, bound):
    gensim_mean, scratch_mean = mean(scores["gensim"], metric), mean(scores["scratch"], metric)
    for name in ("gensim", "scratch"):
        runs = [round(run[metric], 4) for run in scores[name] if metric in run]
        print(f"{metric} {name}: {runs}, mean {mean(scores[name], metric):.4f}")
    if scores["negative_sharing"] == "pair":  # gensim's algorithm: its quality, neither better nor worse
        assert abs(scratch_mean - gensim_mean) <= bound
    else:  # another algorithm (HogBatch): at least gensim's quality, less the bound
        assert scratch_mean >= gensim_mean - bound


def test_the_comparison_is_not_vacuous(scores):
    """Both learned something: untrained vectors score ~0 on all three."""
    for name in ("gensim", "scratch"):
        assert mean(scores[name], "analogy") > 0.03
        assert mean(scores[name], "ws353") > 0.08
        assert mean(scores[name], "simlex") > 0.08
