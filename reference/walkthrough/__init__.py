"""`tokemb walkthrough`: chapter 2 of Hands-On Large Language Models, section by section,
each result computed from scratch and printed beside the reference library's.

Each section is a function that prints, in the module of its part of the chapter
(:mod:`.generation`, :mod:`.tokenizers`, :mod:`.tokenizer_training`, :mod:`.embeddings`,
:mod:`.word2vec`, :mod:`.songs`; :mod:`.chapter_code` runs the book's own cells with the
imports swapped), listed in :data:`SECTIONS`. Sections run in the
chapter's order; ``--section`` picks one.

Before the first section, :func:`run` says what the chosen sections will download from
PyPI and derive, and how big it is (nothing, once the cache holds it); every download,
build and derivation then announces itself on stderr as it starts, so a first run is
never silent for minutes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Callable, TextIO

from . import chapter_code, embeddings, generation, songs, tokenizer_training, tokenizers, word2vec


# The artifacts the tokenizer sections load (scratch and the reference): the book's tokenizers.
TOKENIZER_ARTIFACTS = ("bert-base-uncased", "bert-base-cased", "gpt2", "cl100k_base", "gguf-vocabs",
                       "smollm2-135m-instruct")  # fmt: skip


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    run: Callable[[TextIO], None]
    artifacts: tuple[str, ...] = ()  # what it fetches (for the plan announced up front)
    derives: tuple[str, ...] = ()  # what it derives on first use, in words (idem)


SPM_MODELS = "the SentencePiece models of Phi-3 and Llama-2 from their GGUF files (about 1 MB, seconds)"
SECTIONS: list[Section] = [
    Section("generate", "Tokenize a prompt and generate, token by token", run=generation.generate_section,
            artifacts=("gguf-vocabs", "smollm2-135m-instruct"),
            derives=("SmolLM2's float32 Hugging Face folder, made by transformers from the GGUF (about 540 MB, "
                     "20-80 s)", SPM_MODELS)),
    Section("compare-tokenizers", "Comparing trained LLM tokenizers", run=tokenizers.compare_tokenizers,
            artifacts=TOKENIZER_ARTIFACTS, derives=(SPM_MODELS,)),
    Section("tokenizer-properties", "Tokenizer properties: method, vocabulary, special tokens, domain",
            run=tokenizers.tokenizer_properties, artifacts=TOKENIZER_ARTIFACTS, derives=(SPM_MODELS,)),
    Section("tokenizer-domain", "The domain of the data: English-trained vs code-trained BPE",
            run=tokenizer_training.domain_of_the_data, artifacts=TOKENIZER_ARTIFACTS),
    Section("token-embeddings", "Token embeddings and contextual word embeddings from a language model",
            run=embeddings.token_embeddings, artifacts=("all-MiniLM-L6-v2",)),
    Section("text-embeddings", "Text embeddings (for sentences and whole documents)",
            run=embeddings.text_embeddings, artifacts=("all-mpnet-base-v2", "glove-6b-50d")),
    Section("word-embeddings", "Word embeddings beyond LLMs: pretrained GloVe vectors",
            run=word2vec.word_embeddings, artifacts=("glove-6b-50d",)),
    Section("word2vec", "The word2vec algorithm and contrastive training", run=word2vec.word2vec,
            artifacts=("gensim-test-data",)),
    Section("songs", "Embeddings for recommendation systems: songs from playlists", run=songs.songs),
    Section("chapter-code", "The chapter's own code with the imports swapped for scratch's",
            run=chapter_code.chapter_code,
            artifacts=(*TOKENIZER_ARTIFACTS, "all-MiniLM-L6-v2", "all-mpnet-base-v2", "glove-6b-50d"),
            derives=("SmolLM2's float32 Hugging Face folder, made by transformers from the GGUF (about 540 MB, "
                     "20-80 s)", SPM_MODELS)),
]


def section_keys() -> list[str]:
    """The sections' keys, in the chapter's order (what ``--section`` takes)."""
    return [s.key for s in SECTIONS]


def first_run_plan(sections: list[Section]) -> str | None:
    """What running ``sections`` will download and derive, or ``None`` when the cache
    already holds every artifact they fetch (derived files are then assumed made too)."""
    from scratch.artifacts import describe_plan

    names = list(dict.fromkeys(name for section in sections for name in section.artifacts))
    downloads = describe_plan(names)
    if downloads is None:
        return None
    derived = list(dict.fromkeys(what for section in sections for what in section.derives))
    lines = ["First run: the walkthrough needs files that are not in the cache yet.", downloads]
    if derived:
        lines.append("Then, on first use, it derives:")
        lines += [f"  {what}" for what in derived]
    lines.append("Each step is announced below as it starts (`tokemb artifacts list` shows the cache).")
    return "\n".join(lines)


def run(only: str | None = None, out: TextIO | None = None, progress: TextIO | None = None) -> None:
    """Print the walkthrough (on ``out``, default stdout), or only the section ``only``;
    what a first run downloads is said up front on ``progress`` (default stderr)."""
    out, progress = out or sys.stdout, progress or sys.stderr
    chosen = [s for s in SECTIONS if only in (None, s.key)]
    if not chosen:
        raise SystemExit(f"tokemb walkthrough: unknown section {only!r}; sections: {', '.join(section_keys())}")
    plan = first_run_plan(chosen)
    if plan:
        progress.write(plan + "\n")
        progress.flush()
    for number, section in enumerate(SECTIONS, start=1):
        if section not in chosen:
            continue
        out.write(f"\n{'=' * 78}\n{number}. {section.title}  [{section.key}]\n{'=' * 78}\n")
        out.flush()  # the header shows before the section's own progress lines on stderr
        section.run(out)
        out.flush()
