"""`tokemb walkthrough`: chapter 2 of Hands-On Large Language Models, section by section,
each result computed from scratch and printed beside the reference library's.

Each section is a function that prints; a section whose issue has not landed yet says
so plainly instead of pretending. Sections run in the chapter's order; ``--section``
picks one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Callable, TextIO

from . import walkthrough_embeddings as _embeddings
from . import walkthrough_generation as _generation
from . import walkthrough_songs as _songs
from . import walkthrough_tokenizer_training as _tokenizer_training
from . import walkthrough_tokenizers as _tokenizers
from . import walkthrough_word2vec as _word2vec


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    issue: int  # the tracker issue that builds it
    run: Callable[[TextIO], None] | None = None


SECTIONS: list[Section] = [
    Section("generate", "Tokenize a prompt and generate, token by token", issue=6, run=_generation.generate_section),
    Section("compare-tokenizers", "Comparing trained LLM tokenizers", issue=3, run=_tokenizers.compare_tokenizers),
    Section(
        "tokenizer-properties",
        "Tokenizer properties: method, vocabulary, special tokens, domain",
        issue=3,
        run=_tokenizers.tokenizer_properties,
    ),
    Section("tokenizer-domain", "The domain of the data: English-trained vs code-trained BPE", issue=7,
            run=_tokenizer_training.domain_of_the_data),
    Section("token-embeddings", "Token embeddings and contextual word embeddings from a language model", issue=5,
            run=_embeddings.token_embeddings),
    Section("text-embeddings", "Text embeddings (for sentences and whole documents)", issue=5,
            run=_embeddings.text_embeddings),
    Section("word-embeddings", "Word embeddings beyond LLMs: pretrained GloVe vectors", issue=4,
            run=_word2vec.word_embeddings),
    Section("word2vec", "The word2vec algorithm and contrastive training", issue=4, run=_word2vec.word2vec),
    Section("songs", "Embeddings for recommendation systems: songs from playlists", issue=8, run=_songs.songs),
]


def section_keys() -> list[str]:
    return [s.key for s in SECTIONS]


def run(only: str | None = None, out: TextIO = sys.stdout) -> None:
    """Print the walkthrough, or only the section ``only``."""
    chosen = [s for s in SECTIONS if only in (None, s.key)]
    if not chosen:
        raise SystemExit(f"tokemb walkthrough: unknown section {only!r}; sections: {', '.join(section_keys())}")
    for number, section in enumerate(SECTIONS, start=1):
        if section not in chosen:
            continue
        out.write(f"\n{'=' * 78}\n{number}. {section.title}  [{section.key}]\n{'=' * 78}\n")
        if section.run is None:
            out.write(f"Not built yet: this section arrives with issue #{section.issue}.\n")
        else:
            section.run(out)
        out.flush()
