"""`tokemb generate PROMPT`: generation with the scratch decoder, streamed.

    tokemb generate "The capital of France is"
    tokemb generate "Once upon a time" --do-sample --temperature 0.8 --top-p 0.9 --seed 1
    tokemb generate "Write an email apologizing to Sarah ..." --chat --max-new-tokens 60
    tokemb generate "Hello" --model /path/to/Phi-3-mini-4k-instruct --chat
    tokemb generate "Hello" --chat --explain      # the book's table: ids, tokens, "Sub" + "ject"

``--model`` takes ``smollm2`` (SmolLM2-135M-Instruct, the cached GGUF), a ``.gguf`` file
(Llama architecture) or a local Hugging Face folder of a ``LlamaForCausalLM`` or
``Phi3ForCausalLM``. The tokenizer is scratch's: the GGUF's own vocabulary, Phi-3's
for a Phi-3 folder, the folder's ``tokenizer.json`` for a byte-level BPE Llama, or
``--tokenizer NAME|PATH``. Everything runs from scratch; no reference library is used.

Decoding is greedy (the most probable token every time, ``do_sample=False``) unless
``--do-sample`` asks to draw tokens (:mod:`scratch.generation.sampling`), with
transformers' defaults (temperature 1, top-k 50, top-p 1) and a seed that makes the
draw repeatable. The speed (new tokens per second) goes to stderr at the end, so that
stdout holds only the text.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .common import CommandLineError, non_negative_int, positive_float

SAMPLING_DEFAULTS = {"temperature": 1.0, "top_k": 50, "top_p": 1.0, "seed": None}  # transformers' do_sample ones

DTYPES = ("auto", "float32", "bfloat16", "float16")


def load_tokenizer(spec: str | None, model_spec: str):
    """The scratch tokenizer for ``--tokenizer`` (any tokenizer argument ``tokemb tokens``
    takes: a name, a folder, a .gguf, a tokenizer.json) or, without it, for the model."""
    from scratch import tokenizers

    from .tokenizers import load_tokenizer as tokenizer_from_argument

    if spec is not None:
        return tokenizer_from_argument(spec)
    path = Path(model_spec)
    if model_spec in tokenizers.PRETRAINED:
        return tokenizers.load(model_spec)
    if path.suffix == ".gguf":
        return tokenizers.from_gguf(path)
    if path.is_dir():
        config = json.loads((path / "config.json").read_text()) if (path / "config.json").is_file() else {}
        if config.get("model_type") == "phi3":
            return tokenizers.load("phi-3")  # Phi-3-mini's vocabulary, from llama.cpp's GGUF
        if (path / "tokenizer.json").is_file():
            from scratch.tokenizers.byte_bpe import from_tokenizer_json

            return from_tokenizer_json(path / "tokenizer.json")
    raise CommandLineError(f"no tokenizer known for model {model_spec!r}: pass --tokenizer NAME|PATH")


def probability(value: str) -> float:
    """An argparse type: a number in (0, 1] (top-p)."""
    number = positive_float(value)
    if number > 1:
        raise argparse.ArgumentTypeError(f"must be a number in (0, 1], got {value!r}")
    return number


def seed_value(value: str) -> int:
    """An argparse type: a seed torch's generator takes, 0 <= seed < 2**63."""
    number = non_negative_int(value)
    if number >= 2**63:
        raise argparse.ArgumentTypeError(f"must be below 2**63, got {value!r}")
    return number


def sampler_for(args: argparse.Namespace):
    """The :class:`Sampler` of ``--do-sample`` and its settings, or None for greedy decoding.
    A sampling setting without ``--do-sample`` is refused: it would change nothing."""
    from scratch.generation.sampling import Sampler

    given = [f"--{name.replace('_', '-')}" for name in SAMPLING_DEFAULTS if getattr(args, name) is not None]
    if not args.do_sample:
        if given:
            raise CommandLineError(f"{', '.join(given)}: only used when sampling; add --do-sample "
                                   "(without it decoding is greedy)")  # fmt: skip
        return None
    settings = {name: default if getattr(args, name) is None else getattr(args, name)
                for name, default in SAMPLING_DEFAULTS.items()}  # fmt: skip
    return Sampler(**settings)


def speed_line(out, sampler) -> str:
    """One line on how fast the answer came (and the seed, to repeat a sampled one)."""
    line = (f"{len(out.ids)} new token{'' if len(out.ids) == 1 else 's'} in "
            f"{out.prefill_seconds + out.decode_seconds:.2f} s: {out.tokens_per_second:.1f} tokens/s "
            f"(prompt: {len(out.prompt_ids)} token{'' if len(out.prompt_ids) == 1 else 's'}, "
            f"{out.prefill_seconds:.2f} s)")  # fmt: skip
    if sampler is not None:
        line += f"; sampled with --seed {sampler.seed}"
    return line


def cmd_generate(args: argparse.Namespace) -> int:
    import torch

    from scratch.errors import TokembError
    from scratch.generation import encode_chat, generate, load, stop_ids
    from scratch.generation.explain import explain

    if args.max_new_tokens < 0:
        raise CommandLineError(f"--max-new-tokens must be >= 0, got {args.max_new_tokens}")
    sampler = sampler_for(args)
    streamed = []
    finished = False

    def show(piece: str) -> None:
        streamed.append(piece)
        print(piece, end="", flush=True)

    try:
        dtype = "auto" if args.dtype == "auto" else getattr(torch, args.dtype)
        model = load(args.model, dtype=dtype)
        tokenizer = load_tokenizer(args.tokenizer, args.model)
        prompt = args.prompt
        eos = list(model.config.eos_token_ids)
        if args.chat:
            prompt = encode_chat(tokenizer, [{"role": "user", "content": args.prompt}])
            eos += [i for i in stop_ids(tokenizer) if i not in eos]  # the end of the assistant's turn
        out = generate(model, tokenizer, prompt, max_new_tokens=args.max_new_tokens, eos=eos, stream=show,
                       sampler=sampler)  # fmt: skip
        finished = True
    except (ValueError, FileNotFoundError) as exc:
        if isinstance(exc, TokembError):
            raise  # tokemb's own errors carry their message to the top-level handler
        raise CommandLineError(str(exc)) from exc  # a missing model, a prompt the tokenizer refuses
    finally:
        if streamed or finished:
            print()  # end the streamed line, also when stopped part-way (Ctrl-C, an error)
    if args.explain:
        print()
        print(explain(tokenizer, out.prompt_ids, out.ids), end="")
    sys.stdout.flush()  # the text first, then the speed, when both go to one terminal
    print(speed_line(out, sampler), file=sys.stderr)
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "generate",
        help="generate text with the scratch decoder (greedy, or sampled), streamed as it comes",
        description="Generation with the from-scratch Llama/Phi-3 decoder and KV cache: greedy by default, "
        "sampled with --do-sample. The speed (tokens/s) is printed to stderr at the end.",
    )
    parser.add_argument("prompt", metavar="PROMPT", help="the text to continue (or the user message with --chat)")
    parser.add_argument("--model", default="smollm2",
                        help="smollm2 (SmolLM2-135M-Instruct), a Llama .gguf file, or a Llama/Phi-3 Hugging "
                             "Face folder")  # fmt: skip
    parser.add_argument("--tokenizer", help="a scratch tokenizer name, .gguf or tokenizer.json (default: the model's)")
    parser.add_argument("--max-new-tokens", type=int, default=40, metavar="N", help="at most N new tokens")
    parser.add_argument("--chat", action="store_true", help="wrap the prompt in the model's chat format")
    parser.add_argument("--explain", action="store_true",
                        help='print the book\'s table: input ids, each token, generated ids, '
                             '"Sub" + "ject"')  # fmt: skip
    parser.add_argument("--dtype", choices=DTYPES, default="auto",
                        help="weights dtype (auto: as stored; GGUF dequantizes to float32) (default: %(default)s)")
    sampling = parser.add_argument_group("sampling", "draw each token at random instead of taking the most "
                                         "probable one; the defaults are transformers' for do_sample=True")
    sampling.add_argument("--do-sample", action="store_true", help="sample (default: greedy decoding)")
    sampling.add_argument("--temperature", type=positive_float, default=None, metavar="T",
                          help="divide the logits by T: below 1 sharper, above 1 flatter (default: 1.0)")
    sampling.add_argument("--top-k", type=non_negative_int, default=None, metavar="K",
                          help="draw only among the K most probable tokens; 0: no limit (default: 50)")
    sampling.add_argument("--top-p", type=probability, default=None, metavar="P",
                          help="draw only among the fewest most probable tokens that hold probability P "
                               "(nucleus sampling); 1: no limit (default: 1.0)")  # fmt: skip
    sampling.add_argument("--seed", type=seed_value, default=None, metavar="N",
                          help="seed of the draw: the same seed gives the same text (default: a new one "
                               "each run, printed at the end)")  # fmt: skip
    parser.set_defaults(func=cmd_generate)
