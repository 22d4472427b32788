"""How good word vectors are: analogy accuracy and correlation with human similarity judgements.

* :func:`evaluate_word_analogies` is word2vec.c's ``compute-accuracy`` on the Google
  analogy set, answered with the "3CosAdd" offset of ``most_similar``;
* :func:`evaluate_word_pairs` gives the Spearman and Pearson correlations with human
  similarity judgements (WordSim-353, SimLex-999, MEN), with their p-values
  (:mod:`.significance`), as gensim's ``((r, p), (rho, p), oov_ratio)``.

Both read their files and skip what they cannot use as gensim does, and give gensim's
numbers. ``kv`` is a :class:`~.keyed_vectors.KeyedVectors`, whose methods of the same
names call these.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from .significance import PearsonRResult, SpearmanrResult, pearsonr, spearmanr
from .vector_math import unit_vector

logger = logging.getLogger(__name__)


class WordPairsResult(NamedTuple):
    """What gensim's ``evaluate_word_pairs`` returns: ``(pearson, spearman, oov_ratio)``.

    ``pearson`` is ``(r, p-value)`` and ``spearman`` ``(correlation, p-value)``, as SciPy's
    ``pearsonr``/``spearmanr`` results index, so ``result[1][0]`` is Spearman's rho.
    """

    pearson: PearsonRResult
    spearman: SpearmanrResult
    oov_ratio: float  # percent of pairs skipped (or, with dummy4unknown, scored 0) because a word is out of vocabulary


def _uppercase_vocab(kv, restrict_vocab: int, case_insensitive: bool) -> dict[str, int]:
    """The first ``restrict_vocab`` keys, upper-cased; the most frequent spelling wins."""
    keys = kv.index_to_key[:restrict_vocab]
    if case_insensitive:
        return {key.upper(): kv.get_index(key) for key in reversed(keys)}
    return {key: kv.get_index(key) for key in reversed(keys)}


def evaluate_word_analogies(
    kv,
    analogies: str | os.PathLike,
    restrict_vocab: int = 300000,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
    similarity_function: str = "most_similar",
) -> tuple[float, list[dict]]:
    """Accuracy of the vectors ``kv`` on "a is to b as c is to ?" questions (word2vec.c's ``compute-accuracy``).

    The file has sections introduced by ``: name``; each line ``a b c expected``. A
    question is answered by ``most_similar(positive=[b, c], negative=[a], topn=5)``
    over the first ``restrict_vocab`` words, taking the first answer that is not one
    of a, b, c. Questions with a word outside those ``restrict_vocab`` words are
    skipped (or counted wrong with ``dummy4unknown``). Returns (overall accuracy,
    sections), sections being gensim-style dicts with ``correct``/``incorrect`` lists;
    the last is the total.

    ``similarity_function`` is accepted as gensim 4.4.0 accepts it, and like gensim
    (``keyedvectors.py``, ``evaluate_word_analogies``: "TODO: implement 3CosMul") every
    question is answered with 3CosAdd whatever it names; a warning says so when it names
    anything else. gensim's own test (``test_word2vec.py::test_evaluate_word_analogies``)
    requires ``"most_similar_cosmul"`` to give the same sections.
    """
    if similarity_function != "most_similar":
        logger.warning("evaluate_word_analogies(similarity_function=%r): answered with most_similar (3CosAdd), "
                       "as gensim 4.4.0 does; it does not apply similarity_function", similarity_function)  # fmt: skip
    ok_vocab = _uppercase_vocab(kv, restrict_vocab, case_insensitive)
    sections: list[dict] = []
    section = None
    oov = questions = 0
    with open(analogies, "rb") as handle:
        for line_no, raw in enumerate(handle):
            line = raw.decode("utf-8")
            if line.startswith(": "):
                if section:
                    sections.append(section)
                section = {"section": line.lstrip(": ").strip(), "correct": [], "incorrect": []}
                continue
            if not section:
                raise ValueError(f"Missing section header before line #{line_no} in {analogies}")
            words = [w.upper() for w in line.split()] if case_insensitive else line.split()
            if len(words) != 4:
                continue  # gensim skips malformed lines
            a, b, c, expected = words
            questions += 1
            if a not in ok_vocab or b not in ok_vocab or c not in ok_vocab or expected not in ok_vocab:
                oov += 1
                if dummy4unknown:
                    section["incorrect"].append((a, b, c, expected))
                continue
            answers = kv.most_similar(
                positive=[b, c], negative=[a], topn=5, restrict_vocab=restrict_vocab, key_to_index=ok_vocab
            )
            predicted = None
            for word, _ in answers:
                predicted = word.upper() if case_insensitive else word
                if predicted in ok_vocab and predicted not in {a, b, c}:
                    break
            (section["correct"] if predicted == expected else section["incorrect"]).append((a, b, c, expected))
    if section:
        sections.append(section)
    total = {
        "section": "Total accuracy",
        "correct": [q for s in sections for q in s["correct"]],
        "incorrect": [q for s in sections for q in s["incorrect"]],
    }
    sections.append(total)
    scored = len(total["correct"]) + len(total["incorrect"])
    accuracy = len(total["correct"]) / scored if scored else 0.0
    logger.info("analogies: %.1f%% of %i questions answered correctly, %i skipped (OOV)",
                100 * accuracy, scored, oov)  # fmt: skip
    return accuracy, sections


def evaluate_word_pairs(
    kv,
    pairs: str | os.PathLike,
    delimiter: str = "\t",
    encoding: str = "utf8",
    restrict_vocab: int = 300000,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
) -> WordPairsResult:
    """Correlation of the cosine similarities of ``kv``'s vectors with human similarity scores (``a<TAB>b<TAB>score``).

    Lines starting with ``#`` and lines that do not parse are skipped, as in gensim.
    Returns gensim's ``((pearson_r, p), (spearman_rho, p), oov_ratio)``: the statistics and
    two-sided p-values as SciPy computes them (:mod:`.significance`) and the percentage of
    out-of-vocabulary pairs.
    """
    ok_vocab = _uppercase_vocab(kv, restrict_vocab, case_insensitive)
    gold: list[float] = []
    model: list[float] = []
    oov = 0
    with open(pairs, encoding=encoding) as handle:
        for line in handle:
            if not line or line.startswith("#"):
                continue
            fields = line.split(delimiter)
            if case_insensitive:
                fields = [f.upper() for f in fields]
            try:
                a, b, score = fields
                score = float(score)
            except ValueError:
                continue
            if a not in ok_vocab or b not in ok_vocab:
                oov += 1
                if dummy4unknown:
                    model.append(0.0)
                    gold.append(score)
                continue
            gold.append(score)
            model.append(np.dot(unit_vector(kv.vectors[ok_vocab[a]]), unit_vector(kv.vectors[ok_vocab[b]])))
    if not gold:
        raise ValueError(f"No valid similarity judgements found in {pairs}: wrong format or all out of vocabulary")
    oov_ratio = float(oov) / len(gold) * 100 if dummy4unknown else float(oov) / (len(gold) + oov) * 100
    pearson, spearman = pearsonr(gold, model), spearmanr(gold, model)
    logger.info("Pearson correlation coefficient against %s: %.4f", pairs, pearson[0])
    logger.info("Spearman rank-order correlation coefficient against %s: %.4f", pairs, spearman[0])
    logger.info("Pairs with unknown words ratio: %.1f%%", oov_ratio)
    return WordPairsResult(pearson, spearman, oov_ratio)
