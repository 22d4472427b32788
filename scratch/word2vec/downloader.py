"""``gensim.downloader``'s surface for the vectors that can be obtained here.

The chapter writes ``import gensim.downloader as api`` and
``model = api.load("glove-wiki-gigaword-50")``; with
``from scratch.word2vec import downloader as api`` the same line returns scratch's
:class:`~scratch.word2vec.KeyedVectors` holding the same 400,000 x 50 GloVe vectors
(tokemb's ``glove-6b-50d`` artifact, loaded by :mod:`.pretrained`), so
``model.most_similar([model["king"]], topn=11)`` gives gensim's answer.

gensim-data (github.com/RaRe-Technologies/gensim-data) lists many more corpora and
models; their files cannot be obtained here, so :func:`load` and :func:`info` refuse them
with :class:`DataNotAvailableError` naming what is available. :func:`info` is gensim's
shape reduced to what is known offline: ``info()`` gives ``{"corpora": {}, "models":
{name: {...}}}``, ``info(name)`` the one entry, ``info(name_only=True)`` the names.
"""

from __future__ import annotations

from scratch.errors import TokembError

from .keyed_vectors import KeyedVectors
from .pretrained import GLOVE_ARTIFACTS, load_glove

# gensim-data's entry for each model available here (the fields of its list.json that hold here).
MODELS = {
    "glove-wiki-gigaword-50": {
        "num_records": 400000,
        "base_dataset": "Wikipedia 2014 + Gigaword 5 (6B tokens, uncased)",
        "description": "Pre-trained vectors based on Wikipedia 2014 + Gigaword, 5.6B tokens, 400K vocab, uncased "
                       "(https://nlp.stanford.edu/projects/glove/).",  # fmt: skip
        "parameters": {"dimension": 50},
        "license": "http://opendatacommons.org/licenses/pddl/",
        "artifact": GLOVE_ARTIFACTS["glove-wiki-gigaword-50"],
    },
}


class DataNotAvailableError(TokembError, ValueError):
    """A gensim-data name whose files cannot be obtained here."""


def _check(name: str) -> None:
    if name not in MODELS:
        raise DataNotAvailableError(
            f"{name!r}: the files of this gensim-data corpus or model cannot be obtained here "
            f"(there is no gensim-data download); available: {', '.join(MODELS)}")


def info(name: str | None = None, show_only_latest: bool = True, name_only: bool = False):
    """What is available: gensim-data's ``info`` for the models held here."""
    if name is not None:
        _check(name)
        return dict(MODELS[name])
    if name_only:
        return {"corpora": [], "models": list(MODELS)}
    return {"corpora": {}, "models": {key: dict(value) for key, value in MODELS.items()}}


def load(name: str, return_path: bool = False) -> KeyedVectors | str:
    """The vectors ``name`` as :class:`KeyedVectors` (``return_path``: the folder holding
    their files, ``vectors.npy`` and ``words.txt``, instead)."""
    _check(name)
    if return_path:
        from scratch.artifacts import fetch  # standard library only; imported when needed

        return str(fetch(MODELS[name]["artifact"]))
    return load_glove(name)


__all__ = ["DataNotAvailableError", "info", "load"]
