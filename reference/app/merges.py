"""The playground's Merges page: a word through the tokenizer's own algorithm, step by
step, from scratch's public step functions.

* byte-level BPE (GPT-2, cl100k_base, Llama-3 ...): each pre-tokenized chunk starts as
  its bytes; every step merges the adjacent pair of lowest rank
  (:meth:`ByteLevelBPE.merge_steps`), as tiktoken's educational ``visualise`` prints it;
* SentencePiece BPE (Llama-2, Phi-3): the normalised text (``▁`` for spaces) starts as
  characters; every step merges the pair whose merged piece scores highest
  (:meth:`SentencePieceBPE.merge_steps`);
* WordPiece (BERT): each word of the basic tokenizer, cut by the greedy longest match
  (:meth:`WordPieceTokenizer.longest_matches`): from each start the longest vocabulary
  entry, after how many longer candidates were not in it;
* Unigram (SentencePiece): the Viterbi best path through the lattice of every piece at
  every position (:meth:`UnigramTokenizer.viterbi`): each piece of the path with its
  score, the running total, and how many pieces the lattice offered at its start.

Each block ends with the ids, which the tests compare with ``encode``.
"""

from __future__ import annotations

import html

from .tokens import PageMessage, fetch_message, message_html, scratch_pretrained

MAX_CHUNKS = 12  # a page of steps, not a book: longer texts show their first chunks

SPACE_MARK = "\u2423"  # ␣, how a space shows inside a part


def _shown(part: bytes | str) -> str:
    text = part.decode("utf-8", "backslashreplace") if isinstance(part, bytes) else part
    return text.replace(" ", SPACE_MARK).replace("\n", "\\n").replace("\t", "\\t")


def _chips(parts) -> str:
    return "".join(f"<span class='part'>{html.escape(_shown(p))}</span>" for p in parts)


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]], ids: list[int]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    final = (f"<tr class='final' data-ids='{' '.join(map(str, ids))}'><td colspan='{len(header)}'>"
             f"ids {html.escape(str(ids))}</td></tr>")  # fmt: skip
    return (f"<div class='tokemb-steps'><h4>{html.escape(title)}</h4><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}{final}</tbody></table></div>")  # fmt: skip


def _merge_blocks(trace, title: str, priority: str, ids: list[int]) -> str:
    rows = [("0", "start", "", _chips(trace.start))]
    for n, step in enumerate(trace.steps, start=1):
        value = f"{step.priority:g}" if isinstance(step.priority, float) else str(step.priority)
        pair = f"{html.escape(_shown(step.left))} + {html.escape(_shown(step.right))}"
        rows.append((str(n), pair, value, _chips(step.parts)))
    return _table(title, ("step", "merged pair", priority, "parts after the step"), rows, ids)


def byte_level_blocks(tok, text: str) -> list[str]:
    blocks = []
    for chunk in tok.pre_tokenizer.split(text)[:MAX_CHUNKS]:
        piece = chunk.encode("utf-8")
        trace = tok.merge_steps(piece)
        ids = [tok.bytes_to_id[part] for part in trace.final]
        blocks.append(_merge_blocks(trace, f"chunk {chunk!r}", "rank", ids))
    return blocks


def sentencepiece_bpe_blocks(tok, text: str) -> list[str]:
    normalized = tok.normalize(text)
    trace = tok.merge_steps(normalized)
    ids = [i for piece in trace.final for i in tok.piece_to_ids(piece)]
    return [_merge_blocks(trace, f"normalised text {normalized!r}", "score", ids)]


def wordpiece_blocks(tok, text: str) -> list[str]:
    blocks = []
    words = [w for w in tok.words(text) if isinstance(w, str)]
    for word in words[:MAX_CHUNKS]:
        matches = tok.longest_matches(word)
        rows = []
        for match in matches:
            piece = "no entry: the word is " + tok.unk_token if match.piece is None else match.piece
            rows.append((str(match.start), html.escape(word[match.start:match.end] or word[match.start:]),
                         str(match.tried), html.escape(piece)))  # fmt: skip
        pieces = tok.wordpiece(word)
        ids = [tok.token_to_id(piece) for piece in pieces]
        blocks.append(_table(f"word {word!r}", ("start", "longest match", "longer candidates tried", "piece"),
                             rows, ids))  # fmt: skip
    return blocks


def unigram_blocks(tok, text: str) -> list[str]:
    normalized = tok.normalize(text)
    path = tok.viterbi(normalized)
    rows, total = [], 0.0
    for i, start, end in path:
        score = tok.scores[i]
        total += score
        offered = len(tok.candidates(normalized, start))
        piece = html.escape(_shown(normalized[start:end])) + (" (unknown)" if i == tok.unk_id else "")
        rows.append((str(start), piece, str(i), f"{score:.4f}", f"{total:.4f}", str(offered)))
    ids = [i for i, _, _ in path]
    return [_table(f"best path through {normalized!r}",
                   ("start", "piece", "id", "score", "path score so far", "pieces offered here"), rows, ids)]  # fmt: skip


def steps_page(name: str, text: str, progress=None) -> str:
    """The Merges page for pretrained tokenizer ``name`` and ``text`` (HTML)."""
    from scratch.tokenizers.byte_bpe import ByteLevelBPE
    from scratch.tokenizers.sentencepiece_bpe import SentencePieceBPE
    from scratch.tokenizers.unigram import UnigramTokenizer
    from scratch.tokenizers.wordpiece import WordPieceTokenizer

    if not text.strip():
        return message_html("type a word (or a few) to see the steps")
    if not name:
        return message_html("pick a tokenizer")
    if progress is not None:
        progress(0.0, fetch_message(name))
    try:
        tok = scratch_pretrained(name)
    except (OSError, ValueError, KeyError) as exc:
        return message_html(f"{name}: {exc}")
    families = [(ByteLevelBPE, byte_level_blocks, "byte-level BPE: lowest rank merges first"),
                (SentencePieceBPE, sentencepiece_bpe_blocks, "SentencePiece BPE: highest-scoring merged piece first"),
                (WordPieceTokenizer, wordpiece_blocks, "WordPiece: greedy longest match, word by word"),
                (UnigramTokenizer, unigram_blocks, "Unigram: the Viterbi best path")]  # fmt: skip
    for kind, blocks, what in families:
        if isinstance(tok, kind):
            try:
                shown = blocks(tok, text)
            except (PageMessage, ValueError) as exc:
                return message_html(str(exc))
            return f"<p class='tokemb-family'>{html.escape(name)}: {what}</p>" + "".join(shown)
    return message_html(f"{name} is a {type(tok).__name__}; the Merges page shows byte-level BPE, "
                        "SentencePiece BPE, WordPiece and Unigram")  # fmt: skip
