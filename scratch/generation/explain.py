"""The book's look inside generation: the ids going in, each token on its own, the ids
coming out, and how two tokens make one word ("Sub" + "ject" = "Subject").

Chapter 2 prints ``input_ids``, then ``tokenizer.decode(id)`` for each of them, then
the generated ids, and finally decodes 3323 and 622 apart and together. :func:`explain`
writes the same for any tokenizer and generation: a word of the answer made of several
tokens is found and shown piece by piece.
"""

from __future__ import annotations

from typing import Sequence


def split_word(tokenizer, ids: Sequence[int]) -> list[int] | None:
    """The ids of the first word in ``ids`` made of two or more tokens: a token that
    starts a word (letters after a space, or at the start) and the tokens that continue
    it (letters, no space in front).

    Spaces are judged on each token's text *in context* (what it adds to the decoded
    sequence): alone, SentencePiece's ``▁Sub`` decodes to ``"Sub"``, no space.
    """
    texts = [tokenizer.decode(list(ids[:k])) for k in range(len(ids) + 1)]
    pieces = [after[len(before) :] if after.startswith(before) else "" for before, after in zip(texts, texts[1:])]
    n = 0
    while n < len(ids):
        word = pieces[n].lstrip()
        starts_word = n == 0 or pieces[n] != word or not pieces[n - 1][-1:].isalpha()
        if word.isalpha() and starts_word:
            end = n + 1
            while end < len(ids) and pieces[end].isalpha():
                end += 1
            if end - n >= 2:
                return list(ids[n:end])
            n = end
        else:
            n += 1
    return None


def explain(tokenizer, prompt_ids: Sequence[int], generated_ids: Sequence[int]) -> str:
    """The book's table for one generation, as text."""
    lines = [f"input ids ({len(prompt_ids)}): {list(prompt_ids)}", "", "each input token decoded alone:"]
    lines += [f"  {i:>7}  {tokenizer.decode([i])!r}" for i in prompt_ids]
    lines += ["", f"generated ids ({len(generated_ids)}): {list(generated_ids)}", ""]
    lines += ["each generated token decoded alone:"]
    lines += [f"  {i:>7}  {tokenizer.decode([i])!r}" for i in generated_ids]
    word = split_word(tokenizer, generated_ids)
    lines.append("")
    if word is None:
        lines.append("no word of the answer is split across tokens")
    else:
        parts = " + ".join(f'"{tokenizer.decode([i]).strip()}"' for i in word)
        lines.append(f"{parts} = \"{tokenizer.decode(word).strip()}\"   (ids {word})")
    return "\n".join(lines) + "\n"
