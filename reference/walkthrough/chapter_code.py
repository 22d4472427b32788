"""Walkthrough section chapter-code: the chapter's own code cells, run twice.

Each cell below is the book's code, written once against the entry points it imports
(``AutoTokenizer``, ``AutoModel``, ``AutoModelForCausalLM``, ``SentenceTransformer``,
``api``). It runs first on the real libraries (transformers, sentence-transformers,
gensim; :mod:`reference.auto` serves the hub ids from tokemb's local artifacts, since no
model hub is reachable) and then with the imports swapped for scratch's::

    from scratch.auto import AutoTokenizer, AutoModel, AutoModelForCausalLM
    from scratch.embedders import SentenceTransformer
    from scratch.word2vec import downloader as api

and the two printouts are shown side by side, each line marked ``=`` where both printed
the same. Where the book names a model whose files cannot be obtained here (Phi-3's
weights, DeBERTa, Flan-T5), the cell says so and uses the nearest model that can be
(SmolLM2-135M-Instruct to generate, all-MiniLM-L6-v2 for contextual embeddings);
scratch's refusal of the book's id is printed first.
"""

from __future__ import annotations

import contextlib
import io
from types import SimpleNamespace
from typing import Callable, TextIO

# The chapter's prompt (Phi-3's chat tag appended, as in the book).
PROMPT = "Write an email apologizing to Sarah for the tragic gardening mishap. Explain how it happened.<|assistant|>"

# The chapter's comparison text (its first lines).
TEXT = """
English and CAPITALIZATION
🎵 鸟
show_tokens False None elif == >= else: two tabs:"		" Three tabs: "			"
12.0*50=600
"""

COLUMN = 37


def scratch_entry_points() -> SimpleNamespace:
    from scratch.auto import AutoModel, AutoModelForCausalLM, AutoTokenizer
    from scratch.embedders import SentenceTransformer
    from scratch.word2vec import downloader as api

    return SimpleNamespace(AutoTokenizer=AutoTokenizer, AutoModel=AutoModel, AutoModelForCausalLM=AutoModelForCausalLM,
                           SentenceTransformer=SentenceTransformer, api=api)  # fmt: skip


def reference_entry_points() -> SimpleNamespace:
    from reference import auto

    return SimpleNamespace(AutoTokenizer=auto.AutoTokenizer, AutoModel=auto.AutoModel,
                           AutoModelForCausalLM=auto.AutoModelForCausalLM,
                           SentenceTransformer=auto.SentenceTransformer, api=auto.api)  # fmt: skip


# ---- the book's cells (print is the cell's own print) -------------------------------------------
def generation_cell(lib, print) -> None:
    tokenizer = lib.AutoTokenizer.from_pretrained("microsoft/Phi-3-mini-4k-instruct")
    input_ids = tokenizer(PROMPT, return_tensors="pt").input_ids
    print(input_ids)
    for id in input_ids[0]:
        print(tokenizer.decode(id))
    print(tokenizer.decode(3323), tokenizer.decode(622), tokenizer.decode([3323, 622]), tokenizer.decode(29901))
    # The book's model is Phi-3-mini; its weights cannot be obtained here: SmolLM2 instead.
    tokenizer = lib.AutoTokenizer.from_pretrained("HuggingFaceTB/SmolLM2-135M-Instruct")
    model = lib.AutoModelForCausalLM.from_pretrained("HuggingFaceTB/SmolLM2-135M-Instruct")
    input_ids = tokenizer(PROMPT.replace("<|assistant|>", ""), return_tensors="pt").input_ids
    generation_output = model.generate(input_ids=input_ids, max_new_tokens=20)
    print(generation_output)
    print(tokenizer.decode(generation_output[0]))


def show_tokens_cell(lib, print) -> None:
    def show_tokens(sentence, tokenizer_name):
        tokenizer = lib.AutoTokenizer.from_pretrained(tokenizer_name)
        token_ids = tokenizer(sentence).input_ids
        print(f"{tokenizer_name}: " + " ".join(f"[{tokenizer.decode(t)}]" for t in token_ids))

    for name in ["bert-base-uncased", "bert-base-cased", "gpt2", "Xenova/gpt-4", "bigcode/starcoder2-15b",
                 "microsoft/Phi-3-mini-4k-instruct"]:  # fmt: skip
        show_tokens(TEXT, name)


def contextual_embeddings_cell(lib, print) -> None:
    # The book: AutoTokenizer "microsoft/deberta-base", AutoModel "microsoft/deberta-v3-xsmall".
    tokenizer = lib.AutoTokenizer.from_pretrained("sentence-transformers/all-MiniLM-L6-v2")
    model = lib.AutoModel.from_pretrained("sentence-transformers/all-MiniLM-L6-v2")
    tokens = tokenizer("Hello world", return_tensors="pt")
    output = model(**tokens)[0]
    print(output.shape)
    for token in tokens["input_ids"][0]:
        print(tokenizer.decode(token))
    print(output[0, :, :3].detach().numpy().round(4))


def sentence_embeddings_cell(lib, print) -> None:
    model = lib.SentenceTransformer("sentence-transformers/all-mpnet-base-v2")
    vector = model.encode("Best movie ever!")
    print(vector.shape)
    print(vector[:4].round(4))


def glove_cell(lib, print) -> None:
    model = lib.api.load("glove-wiki-gigaword-50")
    for word, score in model.most_similar([model["king"]], topn=11):
        print(f"{word} {score:.4f}")


CELLS: list[tuple[str, Callable]] = [
    ("Tokenize a prompt, decode its tokens, generate", generation_cell),
    ("show_tokens: one text through the book's tokenizers", show_tokens_cell),
    ("Contextual token embeddings: AutoModel(**tokens)[0]", contextual_embeddings_cell),
    ("Sentence embeddings: SentenceTransformer.encode", sentence_embeddings_cell),
    ("GloVe: api.load, most_similar", glove_cell),
]

# The book's ids that cannot be obtained here, and what each cell uses instead.
UNOBTAINABLE = [
    ("AutoModelForCausalLM", "microsoft/Phi-3-mini-4k-instruct"),
    ("AutoTokenizer", "microsoft/deberta-base"),
    ("AutoModel", "microsoft/deberta-v3-xsmall"),
    ("AutoTokenizer", "google/flan-t5-small"),
]


def printed_by(cell: Callable, lib) -> list[str]:
    """What ``cell`` prints when run on the entry points ``lib``, line by line."""
    buffer = io.StringIO()

    def cell_print(*values, sep=" ", end="\n"):
        buffer.write(sep.join(str(v) for v in values) + end)

    with contextlib.redirect_stdout(io.StringIO()):  # the libraries' own chatter stays out
        cell(lib, cell_print)
    return buffer.getvalue().splitlines()


def side_by_side(left: list[str], right: list[str], width: int = COLUMN) -> list[str]:
    """Two printouts in two columns, long lines folded, tabs shown as ``\\t``; ``=`` marks a
    line both printed alike."""
    import textwrap

    rows = []
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        mark = "=" if a == b else "≠"
        a, b = a.replace("\t", "\\t"), b.replace("\t", "\\t")  # a tab would break the columns
        a_parts = textwrap.wrap(a, width, drop_whitespace=False) or [""]
        b_parts = textwrap.wrap(b, width, drop_whitespace=False) or [""]
        for j in range(max(len(a_parts), len(b_parts))):
            pa = a_parts[j] if j < len(a_parts) else ""
            pb = b_parts[j] if j < len(b_parts) else ""
            rows.append(f"{pa:<{width}} {mark if j == 0 else ' '} {pb}")
    return rows


def chapter_code(out: TextIO) -> None:
    from scratch.errors import ModelNotAvailableError

    ours, theirs = scratch_entry_points(), reference_entry_points()
    out.write("The chapter's code, run on the real libraries (left) and, with only the imports\n"
              "changed, on scratch (right):\n\n"
              "    from scratch.auto import AutoTokenizer, AutoModel, AutoModelForCausalLM\n"
              "    from scratch.embedders import SentenceTransformer\n"
              "    from scratch.word2vec import downloader as api\n\n"
              "What the book loads but no one can obtain here, and what scratch says of it:\n")  # fmt: skip
    for entry, hub_id in UNOBTAINABLE:
        try:
            getattr(ours, entry).from_pretrained(hub_id)
            out.write(f"  {entry}.from_pretrained({hub_id!r}): loaded\n")
        except ModelNotAvailableError as exc:
            out.write(f"  {entry}.from_pretrained({hub_id!r}):\n    {exc}\n")
    total = same = 0
    for title, cell in CELLS:
        left, right = printed_by(cell, theirs), printed_by(cell, ours)
        total += 1
        same += left == right
        verdict = "the same printout" if left == right else "DIFFERENT printouts"
        out.write(f"\n--- {title}: {verdict}\n")
        out.write(f"{'reference':<{COLUMN}}   scratch\n")
        out.write("\n".join(side_by_side(left, right)) + "\n")
    out.write(f"\n{same} of {total} cells print the same on scratch as on the reference libraries.\n")
