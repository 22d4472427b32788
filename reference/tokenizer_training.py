"""The reference trainers, configured like scratch's, returning scratch's shapes.

* :func:`hf_bpe`: ``tokenizers``' ``BpeTrainer`` with ``initial_alphabet =
  ByteLevel.alphabet()`` on a ``BPE`` model whose pre-tokenizer is GPT-2's
  ``ByteLevel(use_regex=True)`` or cl100k's regex (as Llama-3 spells it) in ``Split(regex, "isolated")`` +
  ``ByteLevel(use_regex=False)``; each text is one sequence.
* :func:`hf_wordpiece`: ``WordPieceTrainer`` with BERT's normalizer and pre-tokenizer.
* :func:`spm_bpe`: the ``sentencepiece`` library's BPE trainer.

Each returns ``(merges, vocab)`` / ``vocab`` as plain Python lists and dicts.
"""

from __future__ import annotations

import json
from typing import Sequence


def _byte_level_pre_tokenizer(pretokenizer: str):
    from tokenizers import Regex, pre_tokenizers

    from scratch.tokenizers.pretokenizers import LLAMA3_PATTERN

    if pretokenizer == "gpt2":
        return pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    if pretokenizer == "cl100k":
        return pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ]
        )
    raise ValueError(f"unknown pre-tokenizer {pretokenizer!r}")


def hf_bpe_tokenizer(
    texts: Sequence[str],
    vocab_size: int,
    min_frequency: int = 2,
    special_tokens: Sequence[str] = (),
    pretokenizer: str = "gpt2",
):
    """A trained ``tokenizers.Tokenizer`` (byte-level BPE)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = _byte_level_pre_tokenizer(pretokenizer)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=list(special_tokens),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(texts), trainer=trainer)
    return tok


def hf_bpe(
    texts: Sequence[str],
    vocab_size: int,
    min_frequency: int = 2,
    special_tokens: Sequence[str] = (),
    pretokenizer: str = "gpt2",
) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """``(merges in rank order, vocab)`` of ``BpeTrainer`` on ``texts``."""
    tok = hf_bpe_tokenizer(texts, vocab_size, min_frequency, special_tokens, pretokenizer)
    model = json.loads(tok.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
    return merges, dict(model["vocab"])


def hf_wordpiece(
    texts: Sequence[str],
    vocab_size: int,
    min_frequency: int = 0,
    special_tokens: Sequence[str] = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"),
    lowercase: bool = True,
    limit_alphabet: int | None = None,
) -> dict[str, int]:
    """The vocabulary of ``WordPieceTrainer`` with BERT's normalizer and pre-tokenizer."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    kwargs = {} if limit_alphabet is None else {"limit_alphabet": limit_alphabet}
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=list(special_tokens),
        show_progress=False,
        **kwargs,
    )
    tok.train_from_iterator(list(texts), trainer=trainer)
    return dict(tok.get_vocab(with_added_tokens=True))


def spm_bpe(texts: Sequence[str], vocab_size: int, **options) -> list[tuple[str, float]]:
    """``(piece, score)`` for every piece of a ``sentencepiece`` BPE model trained on ``texts``.

    One sentence per line of each text; byte fallback on; no normalization (identity),
    so that the comparison is about the merge algorithm.
    """
    import io

    import sentencepiece as spm

    sentences = [line for text in texts for line in text.split("\n") if line.strip()]
    model = io.BytesIO()
    settings = dict(
        model_type="bpe",
        vocab_size=vocab_size,
        byte_fallback=True,
        normalization_rule_name="identity",
        character_coverage=1.0,
        max_sentence_length=1 << 20,
        input_sentence_size=0,
        shuffle_input_sentence=False,
        num_threads=1,
        minloglevel=2,
        split_digits=False,
        add_dummy_prefix=True,
        remove_extra_whitespaces=False,
        hard_vocab_limit=True,
    )
    settings.update(options)
    spm.SentencePieceTrainer.train(sentence_iterator=iter(sentences), model_writer=model, **settings)
    proc = spm.SentencePieceProcessor(model_proto=model.getvalue())
    return [(proc.id_to_piece(i), proc.get_score(i)) for i in range(proc.get_piece_size())]
