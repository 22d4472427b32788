"""`tokemb generate PROMPT`: greedy generation with the scratch decoder, streamed.

    tokemb generate "The capital of France is"
    tokemb generate "Write an email apologizing to Sarah ..." --chat --max-new-tokens 60
    tokemb generate "Hello" --model /path/to/Phi-3-mini-4k-instruct --chat
    tokemb generate "Hello" --chat --explain      # the book's table: ids, tokens, "Sub" + "ject"

``--model`` takes ``smollm2`` (SmolLM2-135M-Instruct, the cached GGUF), a ``.gguf`` file
(Llama architecture) or a local Hugging Face folder of a ``LlamaForCausalLM`` or
``Phi3ForCausalLM``. The tokenizer is scratch's: the GGUF's own vocabulary, Phi-3's
for a Phi-3 folder, the folder's ``tokenizer.json`` for a byte-level BPE Llama, or
``--tokenizer NAME|PATH``. Everything runs from scratch; no reference library is used.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .cli import CommandLineError

DTYPES = ("auto", "float32", "bfloat16", "float16")


def load_tokenizer(spec: str | None, model_spec: str):
    """The scratch tokenizer for ``--tokenizer`` (any tokenizer argument ``tokemb tokens``
    takes: a name, a folder, a .gguf, a tokenizer.json) or, without it, for the model."""
    from scratch import tokenizers

    from .commands_tokenizers import load_tokenizer as tokenizer_from_argument

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


def cmd_generate(args: argparse.Namespace) -> int:
    import torch

    from scratch.errors import TokembError
    from scratch.generation import encode_chat, generate, load, stop_ids
    from scratch.generation.explain import explain

    if args.max_new_tokens < 0:
        raise CommandLineError(f"--max-new-tokens must be >= 0, got {args.max_new_tokens}")
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
        out = generate(model, tokenizer, prompt, max_new_tokens=args.max_new_tokens, eos=eos, stream=show)
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
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "generate",
        help="generate text greedily with the scratch decoder, streamed as it comes",
        description="Greedy generation with the from-scratch Llama/Phi-3 decoder and KV cache.",
    )
    parser.add_argument("prompt", metavar="PROMPT", help="the text to continue (or the user message with --chat)")
    parser.add_argument("--model", default="smollm2",
                        help="smollm2 (default), a Llama .gguf file, or a Llama/Phi-3 Hugging Face folder")  # fmt: skip
    parser.add_argument("--tokenizer", help="a scratch tokenizer name, .gguf or tokenizer.json (default: the model's)")
    parser.add_argument("--max-new-tokens", type=int, default=40, metavar="N", help="at most N new tokens (40)")
    parser.add_argument("--chat", action="store_true", help="wrap the prompt in the model's chat format")
    parser.add_argument("--explain", action="store_true",
                        help='print the book\'s table: input ids, each token, generated ids, "Sub" + "ject"')  # fmt: skip
    parser.add_argument("--dtype", choices=DTYPES, default="auto",
                        help="weights dtype (auto: as stored; GGUF dequantizes to float32)")  # fmt: skip
    parser.set_defaults(func=cmd_generate)
