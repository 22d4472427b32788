"""The real WordPiece (BERT) and SentencePiece (Llama-2, Phi-3) tokenizers, behind
scratch's methods.

* **bert-base-uncased / bert-base-cased**: transformers' ``BertTokenizer.from_pretrained``
  on the artifact folder (``do_lower_case`` False for the cased one; transformers 5
  ignores ``vocab_file=``, so the folder is what it reads). Encoding and decoding are
  transformers', i.e. Hugging Face ``tokenizers``' ``BertNormalizer``,
  ``BertPreTokenizer``, ``WordPiece`` and the ``WordPiece`` decoder.
* **tokenizer.json files** (:func:`load_tokenizer_json`): ``tokenizers.Tokenizer.from_file``,
  with the stored truncation and padding switched off.
* **llama-2 / phi-3**: no original ``tokenizer.model`` or ``tokenizer.json`` can be
  fetched here, so the real tokenizer is rebuilt from its parts:

  - the SentencePiece model: a ``.model`` file made from the GGUF's pieces, scores and
    types with sentencepiece's own protobuf (BPE, byte fallback, identity
    normalization, dummy prefix on, extra whitespace kept), run by
    ``sentencepiece.SentencePieceProcessor``. It reproduces all 46 llama.cpp cases of
    both files, which were made with the original Hugging Face tokenizers. It is
    cached under ``scratch.artifacts.cache_dir()/derived/``.
  - added tokens: the Hugging Face tokenizers cut ``<unk>``, ``<s>``, ``</s>`` (and
    Phi-3's 11 chat tokens) out of the raw text before the model runs, and the model
    then sees each piece between them separately, each with its dummy prefix (their
    ``tokenizer.json`` normalizer ``Prepend("▁")``, ``Replace(" ", "▁")``). This
    adapter does that cutting with ``tokenizers``' own ``AddedVocabulary`` (a
    ``tokenizers.Tokenizer`` holding only the added tokens), with the flags of the
    published configs: Phi-3's ``tokenizer_config.json`` gives 32001-32010 and
    ``</s>`` ``rstrip=True`` and ``</s>`` ``special=False``; ``<unk>``, ``<s>``,
    ``<|endoftext|>`` have no strip (see also huggingface/transformers#30590 and
    microsoft/onnxruntime-genai#1248 on Phi-3's rstrip, and llama.cpp's
    ``llama-vocab.cpp``, which sets the same flags for phi-3).
  - decoding: ``tokenizers``' decoders as in those files,
    ``Replace("▁", " ")``, ``ByteFallback``, ``Fuse``, ``Strip(" ", 1, 0)``, run on the
    token strings (special tokens included unless skipped), which is what
    ``LlamaTokenizerFast.decode`` does.

  Not used: transformers' GGUF loader (``gguf_file=``) gets 15/46 llama-spm cases
  wrong (it rebuilds a Metaspace pre-tokenizer that does not add the dummy prefix in
  front of a leading space) and loses Phi-3's ``rstrip`` flags.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from scratch.tokenizers.gguf_vocab import BYTE, CONTROL, USER_DEFINED, read_gguf_vocab

SPM_MODELS = {"llama-2", "phi-3"}


class TokenizersAdapter:
    """A ``tokenizers.Tokenizer`` behind scratch's methods."""

    def __init__(self, backend, name: str):
        self.backend = backend
        self.name = name

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        return list(self.backend.encode(text, add_special_tokens=add_special_tokens).ids)

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        return self.backend.decode(list(ids), skip_special_tokens=skip_special_tokens)

    def tokenize(self, text: str) -> list[str]:
        return [self.id_to_token(i) for i in self.encode(text, add_special_tokens=False)]

    @property
    def vocab_size(self) -> int:
        return self.backend.get_vocab_size(with_added_tokens=True)

    @property
    def special_tokens(self) -> dict[str, int]:
        return {t.content: i for i, t in self.backend.get_added_tokens_decoder().items() if t.special}

    def token_to_id(self, token: str) -> int | None:
        return self.backend.token_to_id(token)

    def id_to_token(self, id: int) -> str | None:
        return self.backend.id_to_token(id)


class TransformersAdapter(TokenizersAdapter):
    """A transformers tokenizer: encode/decode through transformers itself."""

    def __init__(self, tokenizer, name: str):
        super().__init__(tokenizer.backend_tokenizer, name)
        self.tokenizer = tokenizer

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=add_special_tokens)["input_ids"])

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        return self.tokenizer.decode(list(ids), skip_special_tokens=skip_special_tokens)

    @property
    def vocab_size(self) -> int:
        return len(self.tokenizer)


def load_bert(path: Path, lowercase: bool, name: str) -> TransformersAdapter:
    from transformers import BertTokenizer

    folder = Path(path).parent if Path(path).is_file() else Path(path)
    return TransformersAdapter(BertTokenizer.from_pretrained(str(folder), do_lower_case=lowercase), name)


def load_tokenizer_json(path: str | Path) -> TokenizersAdapter:
    """The reference for a ``tokenizer.json`` file (as scratch's ``from_tokenizer_json``)."""
    from tokenizers import Tokenizer

    backend = Tokenizer.from_file(str(path))
    backend.no_truncation()
    backend.no_padding()
    return TokenizersAdapter(backend, Path(path).parent.name)


def bert_basic_tokenizer(lowercase: bool):
    """``tokenizers``' ``BertNormalizer`` and ``BertPreTokenizer`` as two functions on strings
    (what BertTokenizer runs before WordPiece), to check scratch's character classes."""
    from tokenizers import normalizers, pre_tokenizers

    normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=lowercase
    )
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()

    def pre_tokenize(text: str) -> list[str]:
        return [word for word, _ in pre_tokenizer.pre_tokenize_str(text)]

    return normalizer.normalize_str, pre_tokenize


# ---- SentencePiece (Llama-2, Phi-3) ---------------------------------------------------------
def _added_token_flags(name: str, content: str, token_type: int) -> dict:
    """``special``/``rstrip`` of an added token in the model's published tokenizer config."""
    if name == "phi-3":
        return {
            "special": content != "</s>",
            "rstrip": content not in ("<unk>", "<s>", "<|endoftext|>"),
        }
    return {"special": token_type != USER_DEFINED, "rstrip": False}


def build_sentencepiece_model(gguf_path: Path, n_pieces: int) -> bytes:
    """A serialized SentencePiece BPE ``ModelProto`` from the first ``n_pieces`` GGUF pieces."""
    from sentencepiece import sentencepiece_model_pb2 as pb

    vocab = read_gguf_vocab(gguf_path)
    model = pb.ModelProto()
    spec = model.trainer_spec
    spec.model_type = pb.TrainerSpec.BPE
    spec.vocab_size = n_pieces
    spec.byte_fallback = True
    spec.unk_id = vocab.special_ids["unknown"]
    spec.bos_id = vocab.special_ids.get("bos", -1)
    spec.eos_id = vocab.special_ids.get("eos", -1) if vocab.special_ids.get("eos", -1) < n_pieces else -1
    spec.pad_id = -1
    norm = model.normalizer_spec
    norm.name = "identity"
    norm.add_dummy_prefix = True
    norm.remove_extra_whitespaces = False
    norm.escape_whitespaces = True
    kinds = pb.ModelProto.SentencePiece
    for i in range(n_pieces):
        piece = model.pieces.add()
        piece.piece = vocab.tokens[i]
        piece.score = vocab.scores[i]
        kind = vocab.token_types[i]
        if i == spec.unk_id:
            piece.type = kinds.UNKNOWN
        elif kind == BYTE:
            piece.type = kinds.BYTE
        elif kind in (CONTROL, USER_DEFINED):
            piece.type = kinds.CONTROL  # added tokens: cut out before the model runs
        else:
            piece.type = kinds.NORMAL
    return model.SerializeToString()


def _cached_model(gguf_path: Path, n_pieces: int) -> Path:
    from scratch.artifacts import cache_dir, say

    target = cache_dir() / "derived" / f"{gguf_path.stem}.{n_pieces}.spm.model"
    if not target.is_file() or target.stat().st_mtime < gguf_path.stat().st_mtime:
        say(f"deriving a SentencePiece model ({n_pieces} pieces) from {gguf_path.name} into {target} ...")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(build_sentencepiece_model(gguf_path, n_pieces))
        tmp.replace(target)
    return target


class SentencePieceAdapter:
    """Llama-2 / Phi-3 as their Hugging Face tokenizers behave, from sentencepiece + tokenizers parts."""

    def __init__(self, name: str, gguf_path: Path):
        import sentencepiece
        from tokenizers import AddedToken, Tokenizer, decoders
        from tokenizers.models import WordLevel

        self.name = name
        vocab = read_gguf_vocab(gguf_path)
        # The SentencePiece model is every piece before the first added token past the
        # byte and normal pieces (32000 for both models).
        n_pieces = max(i for i, t in enumerate(vocab.token_types) if t in (1, BYTE)) + 1
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(_cached_model(gguf_path, n_pieces)))
        self.n_pieces = n_pieces
        # The added tokens: the three SentencePiece control pieces and those after the model.
        self.added: dict[int, tuple[str, dict]] = {}
        for i, (token, kind) in enumerate(zip(vocab.tokens, vocab.token_types)):
            if token == f"[PAD{i}]":  # GGUF padding of the embedding matrix, not a token
                break
            if i == vocab.special_ids["unknown"] or kind in (CONTROL, USER_DEFINED):
                self.added[i] = (token, _added_token_flags(name, token, kind))
        self._content_to_id = {content: i for i, (content, _) in self.added.items()}
        self.size = max(max(self.added) + 1, n_pieces)
        # tokenizers' AddedVocabulary does the cutting: a model that maps any text
        # between added tokens to one placeholder token, whose offsets we read.
        self._splitter = Tokenizer(WordLevel({"\x00text": 0}, unk_token="\x00text"))
        self._splitter.add_tokens(
            [AddedToken(content, normalized=False, **flags) for content, flags in self.added.values()]
        )
        self._splitter_ids = {self._splitter.token_to_id(content): i for i, (content, _) in self.added.items()}
        self._decoder = decoders.Sequence(
            [decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)]
        )
        self.bos_id = vocab.special_ids.get("bos")
        self.eos_id = vocab.special_ids.get("eos")
        self.add_bos = True if vocab.add_bos is None else vocab.add_bos
        self.add_eos = bool(vocab.add_eos)

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        ids: list[int] = []
        split = self._splitter.encode(text, add_special_tokens=False)
        for token_id, (start, end) in zip(split.ids, split.offsets):
            if token_id == 0:
                ids.extend(self.sp.encode(text[start:end]))
            else:
                ids.append(self._splitter_ids[token_id])
        if add_special_tokens:
            ids = ([self.bos_id] if self.add_bos else []) + ids + ([self.eos_id] if self.add_eos else [])
        return ids

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        tokens = []
        for i in ids:
            if i in self.added:
                content, flags = self.added[i]
                if not (skip_special_tokens and flags["special"]):
                    tokens.append(content)
            else:
                tokens.append(self.sp.id_to_piece(i))
        return self._decoder.decode(tokens)

    def tokenize(self, text: str) -> list[str]:
        return [self.id_to_token(i) for i in self.encode(text, add_special_tokens=False)]

    @property
    def vocab_size(self) -> int:
        return self.size

    @property
    def special_tokens(self) -> dict[str, int]:
        return {content: i for i, (content, flags) in self.added.items() if flags["special"]}

    def token_to_id(self, token: str) -> int | None:
        if token in self._content_to_id:
            return self._content_to_id[token]
        i = self.sp.piece_to_id(token)
        return i if self.sp.id_to_piece(i) == token else None

    def id_to_token(self, id: int) -> str | None:
        if id in self.added:
            return self.added[id][0]
        return self.sp.id_to_piece(id) if 0 <= id < self.n_pieces else None


def load_reference(name: str, path: Path):
    """The reference tokenizer ``name`` (a name of ``scratch.tokenizers.PRETRAINED``) from its file."""
    if name in ("bert-base-uncased", "bert-base-cased"):
        return load_bert(path, lowercase=name == "bert-base-uncased", name=name)
    if name in SPM_MODELS:
        return SentencePieceAdapter(name, Path(path))
    raise KeyError(f"{name!r} is not a WordPiece or SentencePiece tokenizer")
