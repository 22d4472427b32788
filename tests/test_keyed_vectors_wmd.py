"""The Word Mover's Distance and the exact earth mover's distance under it, against gensim and POT.

* :mod:`scratch.word2vec.optimal_transport` against POT's ``ot.emd2`` (the solver gensim
  calls): hypothesis draws histograms (with empty bins) and cost matrices, continuous and
  small-integer ones (many ties: degenerate pivots, where Bland's rule takes over).
  Both solve the same linear program in float64, so the optima agree to rounding:
  ``1e-9`` relative, or ``1e-9 * max|C| * mass`` absolute for optima near zero.
* ``KeyedVectors.wmdistance`` against gensim's on GloVe-like random vectors (non-ASCII
  keys, documents with repeats and out-of-vocabulary words, ``norm`` drawn), and on real
  vectors and documents from gensim's test data (``lee_fasttext.vec``, ``lee.cor``).
"""

from __future__ import annotations

import logging
from fractions import Fraction

import gensim.models
import numpy as np
import ot
import pytest
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratch.word2vec import KeyedVectors
from scratch.word2vec.optimal_transport import (
    TransportError,
    earth_movers_distance,
    exact_masses,
    northwest_corner,
    optimal_transport_plan,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def close(ours: float, theirs: float, scale: float) -> None:
    assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-9 * scale)


@st.composite
def problems(draw, max_size: int = 12):
    """Histograms ``a``, ``b`` (equal mass, some bins empty) and a cost matrix, continuous or small integers."""
    n, m = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    integer = draw(st.booleans())  # integer masses and costs: ties everywhere (degenerate pivots)
    empty = draw(st.floats(0.0, 0.6))
    a = (rng.integers(1, 4, n) if integer else rng.random(n)) * (rng.random(n) >= empty)
    b = (rng.integers(1, 4, m) if integer else rng.random(m)) * (rng.random(m) >= empty)
    a[rng.integers(n)] += 1  # never all empty
    b[rng.integers(m)] += 1
    mass = draw(st.sampled_from([1.0, 3.5, 1e-3]))
    cost = rng.integers(0, 4, (n, m)).astype(np.float64) if integer else rng.random((n, m)) * draw(
        st.sampled_from([1.0, 1e3, 1e-4]))  # fmt: skip
    return a / a.sum() * mass, b / b.sum() * mass, cost


@SETTINGS
@given(problems())
def test_earth_movers_distance_equals_pot(problem):
    a, b, cost = problem
    expected = ot.emd2(a, b, cost)
    got = earth_movers_distance(a, b, cost)
    assert isinstance(got, float)
    close(got, expected, cost.max() * a.sum())


@settings(max_examples=25, deadline=None)
@given(problems(max_size=40))
def test_earth_movers_distance_equals_pot_on_larger_problems(problem):
    a, b, cost = problem
    close(earth_movers_distance(a, b, cost), ot.emd2(a, b, cost), cost.max() * a.sum())


@SETTINGS
@given(problems())
def test_the_plan_is_feasible_and_costs_the_distance(problem):
    """The plan moves ``a`` onto ``b`` exactly (to rounding), only forwards, at the distance's cost."""
    a, b, cost = problem
    plan = optimal_transport_plan(a, b, cost)
    assert (plan >= 0).all()
    np.testing.assert_allclose(plan.sum(axis=1), a, rtol=1e-12, atol=1e-15 * a.sum())
    np.testing.assert_allclose(plan.sum(axis=0), b, rtol=1e-12, atol=1e-15 * a.sum())
    assert earth_movers_distance(a, b, cost) == float(np.sum(plan * cost))
    assert float(np.sum(ot.emd(a, b, cost) * cost)) == pytest.approx(np.sum(plan * cost), rel=1e-9,
                                                                      abs=1e-9 * cost.max() * a.sum())  # fmt: skip


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 10), seed=st.integers(0, 2**32 - 1))
def test_identical_histograms_cost_exactly_zero(n, seed):
    """Zero on the diagonal, positive elsewhere: ``0.0`` exactly, as POT gives (gensim's identical documents)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 5, n) / 7
    points = rng.normal(size=(n, 3))
    cost = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1))
    assert ot.emd2(a, a, cost) == 0.0
    assert earth_movers_distance(a, a, cost) == 0.0


def test_northwest_corner_is_a_spanning_staircase():
    flow = northwest_corner([2, 1, 1], [1, 1, 2])
    assert flow == {(0, 0): 1, (0, 1): 1, (1, 1): 0, (1, 2): 1, (2, 2): 1}  # (1, 1) carries 0: degenerate, kept


def test_masses_become_exact_integers():
    sources, sinks, denominator = exact_masses(np.array([0.1, 0.2, 0.7]), np.array([0.5, 0.5]))
    assert [value / denominator for value in sources[:2] + sinks] == [0.1, 0.2, 0.5, 0.5]  # each float exactly
    # the floats 0.1, 0.2, 0.7 sum to 1 - 2**-55 exactly: the lighter side's largest mass takes the difference
    assert Fraction(sources[2], denominator) == Fraction(0.7) + Fraction(1, 2**55) == 1 - Fraction(0.1) - Fraction(0.2)
    assert sum(sources) == sum(sinks)


@SETTINGS
@given(problems(), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_integer_masses_are_solved_exactly(problem, total, seed):
    """Counts (gensim's bag-of-words numerators) give POT's distance on the same counts as floats."""
    a, b, cost = problem
    rng = np.random.default_rng(seed)
    counts_a, counts_b = rng.multinomial(total, a / a.sum()), rng.multinomial(total, b / b.sum())
    expected = ot.emd2(counts_a.astype(float), counts_b.astype(float), cost)
    close(earth_movers_distance(counts_a, counts_b, cost), expected, cost.max() * total)
    with pytest.raises(TransportError, match="same sum"):
        earth_movers_distance(counts_a + 1, counts_b, cost)


def test_bad_problems_are_refused():
    with pytest.raises(TransportError, match="same sum"):
        earth_movers_distance([0.5, 0.5], [0.5, 0.4], np.ones((2, 2)))
    with pytest.raises(AssertionError, match="same sum"):  # POT: the same check, an AssertionError
        ot.emd2(np.array([0.5, 0.5]), np.array([0.5, 0.4]), np.ones((2, 2)))
    with pytest.raises(TransportError, match="shape"):
        earth_movers_distance([0.5, 0.5], [1.0], np.ones((2, 2)))
    with pytest.raises(TransportError, match="non-negative"):
        earth_movers_distance([1.5, -0.5], [1.0], np.ones((2, 1)))
    with pytest.raises(TransportError, match="non-finite"):
        earth_movers_distance([1.0], [1.0], [[np.nan]])


# ------------------------------------------------------------------ wmdistance
WORDS = ["café", "naïve", "東京", "日本語", "🙂", "e\u0301", "straße", "war", "peace", "Ωmega", "x", "ℕ",
         "a\u3000b"]  # fmt: skip


def both(words, vectors):
    ours = KeyedVectors.from_vectors(vectors, words)
    theirs = gensim.models.KeyedVectors(vectors.shape[1])
    theirs.add_vectors(list(words), vectors.copy())
    return ours, theirs


DOCUMENT = st.lists(st.sampled_from(WORDS + ["oov", "ünknown"]), max_size=12)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), dim=st.integers(1, 50), document1=DOCUMENT, document2=DOCUMENT,
       norm=st.booleans())  # fmt: skip
def test_wmdistance_equals_gensim_on_random_vectors(seed, dim, document1, document2, norm):
    """GloVe-like vectors (normal, float32, a few scales) and documents with repeats and unknown words."""
    rng = np.random.default_rng(seed)
    vectors = (rng.normal(size=(len(WORDS), dim)) * rng.choice([0.1, 1.0, 10.0])).astype(np.float32)
    ours, theirs = both(WORDS, vectors)
    expected = theirs.wmdistance(document1, document2, norm=norm)
    got = ours.wmdistance(document1, document2, norm=norm)
    if expected == float("inf"):
        assert got == expected
    else:  # gensim's histograms are rounded to float64: an exact 0 may come out as ulp x distance there
        close(got, expected, 2.0 if norm else 2.0 * float(np.linalg.norm(vectors, axis=1).max()))


def test_wmdistance_special_cases_equal_gensim():
    vectors = np.random.default_rng(0).normal(size=(len(WORDS), 4)).astype(np.float32)
    ours, theirs = both(WORDS, vectors)
    for document1, document2 in ((["café"], ["café", "café"]),  # one word in all: 0
                                 (["x", "peace"], ["peace", "x"]),  # identical bags: 0 from the transport
                                 (["oov"], ["café"]), ([], ["café"]), ([], [])):  # nothing known: inf  # fmt: skip
        expected = theirs.wmdistance(document1, document2)
        assert ours.wmdistance(document1, document2) == expected
        assert expected in (0.0, float("inf"))
    # one dimension: unit vectors are +1 or -1, so the best plan costs 0 in exact arithmetic; the float64
    # histograms 10/12 vs 4/6 + 1/6 differ by an ulp, which POT's tolerance and the exact counts here both ignore
    ours, theirs = both(["p", "q", "r"], np.array([[1.0], [-1.0], [2.0]], dtype=np.float32))
    document1, document2 = ["p"] * 10 + ["q"] * 2, ["p"] * 4 + ["q", "r"]
    assert ours.wmdistance(document1, document2) == theirs.wmdistance(document1, document2) == 0.0
    same = np.ones((2, 3), dtype=np.float32)  # every distance zero: gensim gives up with inf
    ours, theirs = both(["p", "q"], same)
    assert ours.wmdistance(["p"], ["q"]) == theirs.wmdistance(["p"], ["q"]) == float("inf")


def test_wmdistance_logs_as_gensim(caplog):
    vectors = np.random.default_rng(1).normal(size=(len(WORDS), 4)).astype(np.float32)
    ours, theirs = both(WORDS, vectors)
    for documents in ((["café", "oov", "ünknown"], ["war", "oov"]), (["oov"], ["war"])):
        messages = []
        for kv in (theirs, ours):
            caplog.clear()
            with caplog.at_level(logging.INFO):
                kv.wmdistance(*documents)
            messages.append([(record.levelname, record.getMessage()) for record in caplog.records
                             if "OOV" in record.getMessage() or "vocabulary" in record.getMessage()])  # fmt: skip
        assert messages[0] == messages[1] != []


@pytest.fixture(scope="module")
def lee_vectors():
    path = datapath("lee_fasttext.vec")
    return KeyedVectors.load_word2vec_format(path), gensim.models.KeyedVectors.load_word2vec_format(path)


@pytest.fixture(scope="module")
def lee_documents():
    with open(datapath("lee.cor"), encoding="latin-1") as lines:  # a £ sign in Latin-1
        return [simple_preprocess(line) for line in lines]


@pytest.mark.parametrize("pair", [(0, 1), (2, 3), (4, 30), (10, 11), (5, 5)])
@pytest.mark.parametrize("norm", [True, False])
def test_wmdistance_equals_gensim_on_real_documents(lee_vectors, lee_documents, pair, norm):
    """Real 10-dimensional fastText vectors and news articles of 50-200 words (gensim's test data)."""
    ours, theirs = lee_vectors
    document1, document2 = (lee_documents[index] for index in pair)
    expected = theirs.wmdistance(document1, document2, norm=norm)
    got = ours.wmdistance(document1, document2, norm=norm)
    if pair[0] == pair[1]:
        assert got == expected == 0.0
    else:
        close(got, expected, 0.0)
        close(ours.wmdistance(document2, document1, norm=norm), got, 0.0)  # symmetric
