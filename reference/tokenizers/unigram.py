"""SentencePiece Unigram models (``.model`` files) as sentencepiece runs them, behind
scratch's methods, plus what only Unigram has: n-best lists and sampling.

``sentencepiece.SentencePieceProcessor(model_file=...)``: ``encode`` is its ``encode``
(no BOS/EOS: the processor's defaults), ``decode`` its ``decode``, ``nbest`` its
``nbest_encode(text, nbest_size=n)``, ``sample`` its
``encode(text, enable_sampling=True, alpha=..., nbest_size=...)``, and
``normalize`` its ``normalize``. Training: :func:`train` runs
``sentencepiece.SentencePieceTrainer`` with ``model_type="unigram"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence


class UnigramAdapter:
    """A ``sentencepiece.SentencePieceProcessor`` behind scratch's methods."""

    def __init__(self, path: str | Path, name: str | None = None):
        import sentencepiece

        self.path = Path(path)
        self.name = name or self.path.stem
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(self.path))

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        return list(self.sp.encode(text))

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        return self.sp.decode(list(ids))

    def tokenize(self, text: str) -> list[str]:
        return list(self.sp.encode(text, out_type=str))

    def normalize(self, text: str) -> str:
        return self.sp.normalize(text)

    def nbest(self, text: str, n: int) -> list[list[int]]:
        return [list(ids) for ids in self.sp.nbest_encode(text, nbest_size=n)]

    def sample(self, text: str, alpha: float = 0.1, nbest_size: int = -1) -> list[int]:
        return list(self.sp.encode(text, enable_sampling=True, alpha=alpha, nbest_size=nbest_size))

    @property
    def vocab_size(self) -> int:
        return self.sp.get_piece_size()

    @property
    def special_tokens(self) -> dict[str, int]:
        return {
            self.sp.id_to_piece(i): i
            for i in range(self.sp.get_piece_size())
            if self.sp.is_control(i) or self.sp.is_unknown(i)
        }

    def token_to_id(self, token: str) -> int | None:
        i = self.sp.piece_to_id(token)
        return i if self.sp.id_to_piece(i) == token else None

    def id_to_token(self, id: int) -> str | None:
        return self.sp.id_to_piece(id) if 0 <= id < self.sp.get_piece_size() else None


def load_reference(name: str, path: Path) -> UnigramAdapter:
    """The reference for a ``"sentencepiece-model"`` entry of ``scratch.tokenizers.PRETRAINED``."""
    return UnigramAdapter(path, name)


def train(sentences: Sequence[str], vocab_size: int, model_prefix: str | Path, **options) -> Path:
    """Train a Unigram model with sentencepiece's trainer on ``sentences``; its ``.model`` path."""
    import sentencepiece

    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_prefix=str(model_prefix),
        model_type="unigram",
        vocab_size=vocab_size,
        minloglevel=2,
        **options,
    )
    return Path(f"{model_prefix}.model")
