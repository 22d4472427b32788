"""A text embedder that reads a sentence-transformers folder and encodes like
``SentenceTransformer.encode``, end to end on scratch parts.

A sentence-transformers model (Reimers and Gurevych 2019, "Sentence-BERT") is a
pipeline of modules listed in ``modules.json``:

1. ``Transformer``: a tokenizer and an encoder (here: the scratch WordPiece tokenizer
   and the scratch BERT/MPNet encoder), texts cut to ``max_seq_length`` tokens
   (``sentence_bert_config.json``);
2. ``Pooling``: token embeddings -> one vector (``1_Pooling/config.json``);
3. ``Normalize`` (optional): L2 normalisation.

``encode`` processes texts as the reference does, so the output matches it row for row:

* texts are sorted by length in characters, longest first (``np.argsort`` of the
  negated lengths), so each batch holds texts of similar length and little padding;
* each batch of ``batch_size`` texts is tokenized, every text cut to
  ``max_seq_length`` tokens *including* its ``[CLS]``/``[SEP]`` (the tokens after the
  first ``max_seq_length - 2`` are dropped, the closing special token kept: the
  tokenizer's ``longest_first`` truncation of a single text), and padded on the right
  to the batch's longest with the padding token, attention mask 0 there;
* the encoder, pooling and normalisation run on the batch; the rows are put back in
  the input order and returned as one float32 ``[n, dim]`` array (a single string
  gives one ``[dim]`` vector).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from .models import load_encoder
from .pooling import Pooling, l2_normalize
from .transformer import Encoder
from .weights import ModelFolderError, read_json

def _token_content(value) -> str | None:
    """A special token as written in tokenizer_config.json: a string or ``{"content": ...}``."""
    if isinstance(value, dict):
        return value.get("content")
    return value if isinstance(value, str) else None


def default_tokenizer(folder: Path):
    """The scratch WordPiece tokenizer of ``folder/tokenizer.json`` (``vocab.txt`` if absent)."""
    from scratch.tokenizers import wordpiece

    if (folder / "tokenizer.json").is_file():
        return wordpiece.from_tokenizer_json(folder / "tokenizer.json")
    if (folder / "vocab.txt").is_file():
        config = read_json(folder / "tokenizer_config.json") if (folder / "tokenizer_config.json").is_file() else {}
        return wordpiece.from_vocab_file(folder / "vocab.txt", lowercase=bool(config.get("do_lower_case", True)))
    raise ModelFolderError(f"{folder}: no tokenizer.json or vocab.txt")


class SentenceEmbedder:
    """Tokenizer + encoder + pooling (+ normalisation): texts in, one vector per text out."""

    def __init__(self, tokenizer, encoder: Encoder, pooling: Pooling, *, max_seq_length: int,
                 pad_token_id: int, normalize: bool = True, do_lower_case: bool = False):  # fmt: skip
        if not 2 <= max_seq_length <= encoder.max_positions:
            raise ValueError(f"max_seq_length {max_seq_length} must lie in 2..{encoder.max_positions}")
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.pooling = pooling
        self.max_seq_length = max_seq_length
        self.pad_token_id = pad_token_id
        self.normalize = normalize
        self.do_lower_case = do_lower_case

    @property
    def dimension(self) -> int:
        return len(self.pooling.modes) * self.encoder.hidden_size

    def __repr__(self) -> str:
        return (f"SentenceEmbedder({self.encoder!r}, max_seq_length={self.max_seq_length}, "
                f"pooling={'+'.join(self.pooling.modes)}, normalize={self.normalize}, "
                f"dim={self.dimension})")  # fmt: skip

    # -- loading ------------------------------------------------------------------------
    @classmethod
    def from_pretrained(cls, path: str | Path, tokenizer=None) -> SentenceEmbedder:
        """Read a sentence-transformers folder: ``modules.json``, the Transformer module's
        config, weights, tokenizer and ``sentence_bert_config.json``, the Pooling config,
        and whether a Normalize module follows. ``tokenizer`` replaces the scratch one."""
        folder = Path(path)
        if not folder.is_dir():
            raise ModelFolderError(f"{folder}: not a folder")
        if not (folder / "modules.json").is_file():
            raise ModelFolderError(f"{folder}: not a sentence-transformers model folder (no modules.json)")
        modules = read_json(folder / "modules.json")
        if not isinstance(modules, list) or not all(isinstance(m, dict) and isinstance(m.get("type"), str)
                                                    for m in modules):  # fmt: skip
            raise ModelFolderError(f"{folder / 'modules.json'}: expected a list of {{'type': ..., 'path': ...}}")
        # "sentence_transformers.models.Pooling" (or a newer module path): the class name decides.
        kinds = [m["type"].rsplit(".", 1)[-1] if m["type"].startswith("sentence_transformers.") else m["type"]
                 for m in modules]  # fmt: skip
        if kinds[:2] != ["Transformer", "Pooling"] or kinds[2:] not in ([], ["Normalize"]):
            raise ModelFolderError(f"{folder}: modules {kinds} are not supported; "
                                   "expected Transformer, Pooling and optionally Normalize")  # fmt: skip
        transformer = folder / modules[0].get("path", "")
        pooling = Pooling.from_config(folder / modules[1].get("path", "") / "config.json")

        encoder = load_encoder(transformer)
        st_config = read_json(transformer / "sentence_bert_config.json") if (
            transformer / "sentence_bert_config.json").is_file() else {}  # fmt: skip
        tok_config = read_json(transformer / "tokenizer_config.json") if (
            transformer / "tokenizer_config.json").is_file() else {}  # fmt: skip
        max_seq_length = st_config.get("max_seq_length") or min(
            int(tok_config.get("model_max_length", encoder.max_positions)), encoder.max_positions)
        if tokenizer is None:
            tokenizer = default_tokenizer(transformer)
        pad_token = _token_content(tok_config.get("pad_token"))
        pad_token_id = tokenizer.token_to_id(pad_token) if pad_token else None
        if pad_token_id is None:
            pad_token_id = encoder.pad_token_id
        return cls(tokenizer, encoder, pooling, max_seq_length=int(max_seq_length), pad_token_id=pad_token_id,
                   normalize=len(modules) == 3, do_lower_case=bool(st_config.get("do_lower_case", False)))  # fmt: skip

    # -- tokens -----------------------------------------------------------------------------
    def token_ids(self, text: str) -> list[int]:
        """The ids of ``text`` with special tokens, cut to ``max_seq_length``."""
        ids = self.tokenizer.encode(text.lower() if self.do_lower_case else text, add_special_tokens=True)
        if len(ids) > self.max_seq_length:  # keep the closing [SEP] / </s>
            ids = ids[: self.max_seq_length - 1] + ids[-1:]
        return ids

    def batch(self, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """``(input_ids, attention_mask)``, ``[B, T]``, right-padded to the longest text."""
        rows = [self.token_ids(t) for t in texts]
        T = max(len(r) for r in rows)
        input_ids = torch.full((len(rows), T), self.pad_token_id, dtype=torch.long)
        attention_mask = torch.zeros((len(rows), T), dtype=torch.long)
        for i, r in enumerate(rows):
            input_ids[i, : len(r)] = torch.tensor(r, dtype=torch.long)
            attention_mask[i, : len(r)] = 1
        return input_ids, attention_mask

    def token_embeddings(self, text: str) -> tuple[list[str], np.ndarray]:
        """The tokens of ``text`` and their contextual embeddings, ``[T, hidden]``."""
        _check_texts([text])
        input_ids, attention_mask = self.batch([text])
        hidden = self.encoder(input_ids, attention_mask)[0]
        return [self.tokenizer.id_to_token(int(i)) for i in input_ids[0]], hidden.numpy()

    # -- text embeddings ------------------------------------------------------------------
    def encode(self, texts: str | Sequence[str], batch_size: int = 32,
               normalize_embeddings: bool | None = None) -> np.ndarray:  # fmt: skip
        """One embedding per text, float32 ``[len(texts), dim]`` (``[dim]`` for one string).

        ``normalize_embeddings``: ``None`` follows the model folder (L2-normalised when
        ``modules.json`` ends with Normalize, as the reference always does); ``True``
        normalises and ``False`` returns the pooled vectors unnormalised whatever the
        folder says. (The reference's ``normalize_embeddings=False`` keeps a Normalize
        module; here ``False`` means "no normalisation".)
        """
        single = isinstance(texts, str)
        texts = [texts] if single else texts
        _check_texts(texts)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        normalize = self.normalize if normalize_embeddings is None else bool(normalize_embeddings)

        order = np.argsort([-len(t) for t in texts])  # longest first, as the reference sorts
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            chosen = order[start : start + batch_size]
            input_ids, attention_mask = self.batch([texts[i] for i in chosen])
            with torch.inference_mode():
                vectors = self.pooling(self.encoder(input_ids, attention_mask), attention_mask)
                if normalize:
                    vectors = l2_normalize(vectors)
            out[chosen] = vectors.numpy()
        return out[0] if single else out


def _check_texts(texts) -> None:
    """Texts must be a non-empty sequence of strings; say which item is not."""
    if not isinstance(texts, (list, tuple)):
        raise TypeError(f"texts must be a string or a list of strings, got {type(texts).__name__}")
    if len(texts) == 0:
        raise ValueError("texts is empty: give at least one text to embed")
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"texts[{i}] is {type(t).__name__} ({t!r:.40}), not a string")
