"""The step-by-step views of the tokenizers' algorithms (what the playground's Merges page
shows) end where ``encode`` ends, and each step is what the algorithm's rule says.

* byte-level BPE (:meth:`ByteLevelBPE.merge_steps`): every merged pair is in the merge
  table at the rank recorded, no adjacent pair left at the end has a merge, the ranks of
  successive merges never go down (each merged token's rank is above its parts'), and the
  final parts' ids are ``encode``'s ids (checked against the reference library's too);
* SentencePiece BPE (:meth:`SentencePieceBPE.merge_steps`): every merge's score is its
  merged piece's score, and the final pieces' ids are ``encode``'s;
* WordPiece (:meth:`WordPieceTokenizer.longest_matches`): the pieces spell the word, none
  could have been longer, and their ids are ``encode``'s.
"""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from scratch import tokenizers

import reference.tokenizers

WORDS = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_categories=("Cs", "Cc")),
                min_size=1, max_size=24)  # fmt: skip


@lru_cache(maxsize=None)
def load(name: str):
    return tokenizers.load(name)


@lru_cache(maxsize=None)
def load_reference(name: str):
    return reference.tokenizers.load(name)


@settings(max_examples=60, deadline=None)
@given(WORDS)
def test_byte_level_merge_steps_follow_the_ranks_and_end_at_encode(text):
    tok = load("gpt2")
    ids = []
    for chunk in tok.pre_tokenizer.split(text):
        trace = tok.merge_steps(chunk.encode("utf-8"))
        assert b"".join(trace.start) == chunk.encode("utf-8")
        ranks = [step.priority for step in trace.steps]
        assert ranks == sorted(ranks)
        parts = list(trace.start)
        for step in trace.steps:
            assert parts[step.position : step.position + 2] == [step.left, step.right]
            assert tok.merge_ranks[(step.left, step.right)] == step.priority
            parts[step.position : step.position + 2] = [step.left + step.right]
            assert tuple(parts) == step.parts
        assert not any(pair in tok.merge_ranks for pair in zip(trace.final, trace.final[1:]))
        ids += [tok.bytes_to_id[part] for part in trace.final]
    assert ids == tok.encode(text) == load_reference("gpt2").encode(text)


@settings(max_examples=60, deadline=None)
@given(WORDS)
def test_sentencepiece_merge_steps_follow_the_scores_and_end_at_encode(text):
    tok = load("phi-3")
    trace = tok.merge_steps(tok.normalize(text))
    for step in trace.steps:
        assert tok.merge_scores[step.left + step.right] == step.priority
    ids = [i for piece in trace.final for i in tok.piece_to_ids(piece)]
    assert ids == tok.encode(text, add_special_tokens=False)
    assert [tok.bos_id, *ids] == load_reference("phi-3").encode(text)


@settings(max_examples=60, deadline=None)
@given(WORDS)
def test_wordpiece_longest_matches_are_longest_and_end_at_encode(text):
    tok = load("bert-base-uncased")
    ids = []
    for word in tok.words(text):
        if not isinstance(word, str):  # an added token typed in the text ([CLS])
            ids.append(word.id)
            continue
        matches = tok.longest_matches(word)
        if matches[-1].piece is None or len(word) > tok.max_input_chars_per_word:
            ids.append(tok.token_to_id(tok.unk_token))
            continue
        assert "".join(word[m.start : m.end] for m in matches) == word
        for m in matches:
            prefix = tok.continuing_prefix if m.start else ""
            assert m.piece == prefix + word[m.start : m.end]
            longer = [prefix + word[m.start : end] for end in range(m.end + 1, len(word) + 1)]
            assert len(longer) == m.tried and not any(tok.token_to_id(c) is not None for c in longer)
        ids += [tok.token_to_id(m.piece) for m in matches]
    assert ids == tok.encode(text, add_special_tokens=False)
