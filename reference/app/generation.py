"""The playground's Generation page: SmolLM2-135M-Instruct continuing a prompt token by
token, from scratch, streamed, each token coloured, with the model's top candidates.

The loop is scratch's own :func:`scratch.generation.generate` (KV cache, streaming
detokenizer, stopping at EOS), not a copy of it. Its ``sampler`` hook, the function that
turns the next-token logits into a token, is where the candidates are read:
:class:`CandidateRecorder` takes the logits, keeps the ``k`` most probable tokens and
their probabilities (the softmax of the logits, what the model predicts before any
sampling filter), and then chooses as ``generate`` would: the highest logit (greedy, its
default) or the given :class:`~scratch.generation.sampling.Sampler`'s draw.

``generate`` runs in a worker thread; each chosen token goes through a queue to the page,
which is redrawn after every token (Gradio streams a generator's yields).
"""

from __future__ import annotations

import functools
import html
import queue
import threading
from dataclasses import dataclass

from scratch.tokenizers.view import BOOK_COLOURS

from .tokens import message_html

MAX_NEW_TOKENS = 64


@dataclass
class Step:
    """One generated token and what the model offered at that step."""

    id: int
    probability: float  # of the chosen token
    candidates: list[tuple[int, float]]  # the k most probable (id, probability), best first


class CandidateRecorder:
    """A ``sampler`` for :func:`scratch.generation.generate` that records the top ``k``
    candidates of every step and chooses like greedy decoding (``int(logits.argmax())``,
    the first of the highest logits) or like ``inner`` (a Sampler) when given."""

    def __init__(self, k: int = 5, inner=None, on_step=None):
        self.k, self.inner, self.on_step = k, inner, on_step
        self.steps: list[Step] = []

    def __call__(self, logits) -> int:
        probabilities = logits.detach().float().softmax(dim=-1).reshape(-1)
        top = probabilities.topk(self.k)
        chosen = int(logits.argmax()) if self.inner is None else self.inner(logits)
        step = Step(chosen, float(probabilities[chosen]),
                    [(int(i), float(p)) for p, i in zip(top.values.tolist(), top.indices.tolist())])  # fmt: skip
        self.steps.append(step)
        if self.on_step is not None:
            self.on_step(step)
        return chosen


@functools.lru_cache(maxsize=None)
def smollm2():
    """The model and its tokenizer (the GGUF's own vocabulary), loaded once."""
    from scratch import tokenizers
    from scratch.generation import load

    return load("smollm2"), tokenizers.load("smollm2")


def _token_text(read, token_id: int) -> str:
    return read(token_id).decode("utf-8", "replace")


def _chip(text: str) -> str:
    """A token's text as its chip shows it: a newline as ↵ (then the line break), nothing as ∅."""
    return text.replace("\n", "\u21b5\n") or "\u2205"


def steps_html(tokenizer, prompt: str, steps: list[Step], done: str = "") -> str:
    """The prompt, then each new token as a chip (hover: its top candidates), and a table
    of every step's candidates."""
    from scratch.tokenizers.view import bytes_reader

    read = bytes_reader(tokenizer)
    chips = []
    for n, step in enumerate(steps):
        r, g, b = BOOK_COLOURS[n % len(BOOK_COLOURS)]
        hover = " · ".join(f"{_token_text(read, i)!r} {p:.1%}" for i, p in step.candidates)
        chips.append(f"<span class='gen-token' data-id='{step.id}' style='background: rgb({r},{g},{b})' "
                     f"title='{html.escape(hover, quote=True)}'>{html.escape(_chip(_token_text(read, step.id)))}</span>")  # fmt: skip
    rows = []
    for n, step in enumerate(steps, 1):
        candidates = ", ".join(f"{html.escape(repr(_token_text(read, i)))} {p:.1%}" for i, p in step.candidates)
        rows.append(f"<tr><td>{n}</td><td>{html.escape(repr(_token_text(read, step.id)))}</td><td>{step.id}</td>"
                    f"<td>{step.probability:.1%}</td><td>{candidates}</td></tr>")  # fmt: skip
    status = f"<p class='gen-status' data-done='{'yes' if done else 'no'}'>{html.escape(done or 'generating ...')}</p>"
    return (f"<div class='tokemb-generation'><p class='gen-text'><span class='gen-prompt'>{html.escape(prompt)}</span>"
            f"{''.join(chips)}</p>{status}<table class='gen-steps'><thead><tr><th>#</th><th>token</th><th>id</th>"
            f"<th>probability</th><th>top candidates</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")  # fmt: skip


def generation_stream(prompt: str, max_new_tokens: int = 20, progress=None):
    """Yield the page's HTML after every new token (greedy decoding), then the final page."""
    from scratch.generation import generate

    from ..cli.common import describe

    if not prompt.strip():
        yield message_html("type a prompt for the model to continue")
        return
    max_new_tokens = max(1, min(int(max_new_tokens), MAX_NEW_TOKENS))
    if progress is not None:
        from scratch.generation.weights import PRETRAINED

        from .tokens import download_message

        progress(0.0, download_message(PRETRAINED["smollm2"][0], "SmolLM2-135M-Instruct"))
    model, tokenizer = smollm2()
    events: queue.Queue = queue.Queue()
    recorder = CandidateRecorder(on_step=events.put)
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["result"] = generate(model, tokenizer, prompt, max_new_tokens=max_new_tokens, sampler=recorder)
        except Exception as exc:  # noqa: BLE001 (shown on the page below)
            outcome["error"] = exc
        events.put(None)

    threading.Thread(target=work, daemon=True).start()
    while events.get() is not None:
        yield steps_html(tokenizer, prompt, recorder.steps)
    if "error" in outcome:
        yield message_html(f"generation failed: {describe(outcome['error'])}")
        return
    result = outcome["result"]
    done = (f"{len(result.ids)} new tokens, {result.tokens_per_second:.1f} tokens/s; stopped by "
            f"{'the end-of-sequence token' if result.stop == 'eos' else 'the token limit'}")  # fmt: skip
    yield steps_html(tokenizer, prompt, recorder.steps, done)
