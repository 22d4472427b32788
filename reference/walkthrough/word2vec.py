"""Walkthrough sections word-embeddings and word2vec: pretrained GloVe vectors, and word2vec itself.

Everything printed is computed by scratch.word2vec and, beside it, by gensim on the same
input. Only the repository is needed: GloVe and the small corpora come from tokemb's
artifact cache (fetched from PyPI), not from the shared data folder.
"""

from __future__ import annotations

import time
from typing import TextIO

# The book's example sentence for skip-gram training examples (chapter 2, "The word2vec
# algorithm and contrastive training"), from Frank Herbert's Dune.
BOOK_SENTENCE = "Thou shalt not make a machine in the likeness of a human mind"
BOOK_WINDOW = 2  # the book's figure slides a window of two words on each side


def word_embeddings(out: TextIO) -> None:
    from reference import word2vec as ref
    from scratch.word2vec.pretrained import load_glove

    out.write('The book loads GloVe (glove-wiki-gigaword-50) and asks for the neighbours of "king":\n'
              '    model.most_similar([model["king"]], topn=11)\n'
              "Scratch reads the same 400,000 x 50 vectors (tokemb artifact glove-6b-50d);\n"
              "gensim is given the very same arrays.\n\n")  # fmt: skip
    scratch, gensim = load_glove("glove-50"), ref.glove("glove-50")
    out.write(f"vocabulary {len(scratch):,} words, {scratch.vector_size} dimensions; "
              f'"king" starts [{", ".join(f"{x:.4f}" for x in scratch["king"][:5])}, ...]\n\n')  # fmt: skip
    _side_by_side(out, scratch.most_similar([scratch["king"]], topn=11),
                  gensim.most_similar([gensim["king"]], topn=11))  # fmt: skip

    out.write("\nVector arithmetic, king - man + woman (3CosAdd, inputs left out):\n")
    query = dict(positive=["king", "woman"], negative=["man"], topn=5)
    _side_by_side(out, scratch.most_similar(**query), gensim.most_similar(**query))

    out.write("\nCosine similarities:\n")
    for a, b in [("king", "queen"), ("cat", "dog"), ("cat", "democracy")]:
        mine, theirs = scratch.similarity(a, b), gensim.similarity(a, b)
        out.write(f"  {a:>6} ~ {b:<10} scratch {mine:.7f}  gensim {theirs:.7f}  {_same(mine == theirs)}\n")
    words = "breakfast cereal dinner lunch".split()
    out.write(f"\nWhich of {words} does not match? scratch: {scratch.doesnt_match(words)!r}, "
              f"gensim: {gensim.doesnt_match(words)!r}\n")  # fmt: skip


def word2vec(out: TextIO) -> None:
    import numpy as np

    from reference import word2vec as ref
    from scratch.artifacts import fetch
    from scratch.word2vec import Word2Vec, sgns_numpy
    from scratch.word2vec.corpus import lowercase_sentences

    data = fetch("gensim-test-data")
    lee = lowercase_sentences(data / "lee_background.cor")
    book = BOOK_SENTENCE.lower().split()
    corpus = lee + [book] * 5  # so that every word of the sentence is in the vocabulary

    out.write("Skip-gram turns running text into training examples. A window slides over the sentence;\n"
              "each (neighbour, word) pair inside it is a positive example (target 1). For each of them,\n"
              "word2vec draws random 'noise' words from the vocabulary, in proportion to count ** 0.75, as\n"
              "negative examples (target 0): the model learns to tell real neighbours from noise\n"
              "(contrastive training; Mikolov et al. 2013).\n\n")  # fmt: skip
    model = Word2Vec(sg=1, vector_size=50, window=BOOK_WINDOW, min_count=1, negative=2, seed=1, workers=1)
    model.build_vocab(corpus)
    vocab = model.vocabulary
    ids = [vocab.key_to_index[w] for w in book]
    rng = sgns_numpy.RandomStream(2024)
    out.write(f'"{BOOK_SENTENCE}", window {BOOK_WINDOW}, 2 noise words per pair, noise drawn from the\n'
              "Lee news corpus' vocabulary (pairs and noise words come from scratch.word2vec.sgns_numpy,\n"
              "the code that trains):\n\n")  # fmt: skip
    out.write(f"  {'word':<10} {'neighbour':<10} target   {'noise word':<12} target\n")
    for number, (context, center) in enumerate(sgns_numpy.skipgram_pairs(ids, BOOK_WINDOW, rng=None)):
        noise = sgns_numpy.noise_words(vocab.cum_table, 2, rng)
        for k, n in enumerate(noise):
            left = f"{vocab.index_to_key[center]:<10} {vocab.index_to_key[context]:<10} 1" if k == 0 else " " * 23
            out.write(f"  {left}        {vocab.index_to_key[n]:<12} 0\n")
        if number == 7:
            out.write("  ... (one row per pair of the sentence)\n")
            break

    out.write("\nTraining skip-gram with negative sampling on the Lee news corpus, lowercased "
              f"({sum(len(s) for s in lee):,} words),\nscratch beside gensim, same settings:\n")  # fmt: skip
    params = dict(sg=1, vector_size=50, window=5, min_count=2, negative=5, epochs=10, workers=2, seed=1)
    gensim_vocab = ref.vocabulary(lee, vector_size=50, min_count=2, seed=1)
    Word2Vec(lee[:5], sg=1, vector_size=8, min_count=1, epochs=1, workers=1)  # compile (or load) the numba code first
    started = time.perf_counter()
    scratch_model = Word2Vec(lee, compute_loss=True, **params)
    scratch_seconds = time.perf_counter() - started
    started = time.perf_counter()
    gensim_model = ref.train(lee, compute_loss=True, **params)
    gensim_seconds = time.perf_counter() - started
    same_vocab = scratch_model.wv.index_to_key == gensim_vocab.index_to_key and np.array_equal(
        scratch_model.vocabulary.counts, gensim_vocab.counts)  # fmt: skip
    same_init = np.array_equal(_initial(lee), gensim_vocab.vectors)
    out.write(f"  vocabulary: {len(scratch_model.wv):,} words, {_same(same_vocab)} order and counts as gensim; "
              f"initial vectors {_same(same_init)}\n")  # fmt: skip
    out.write(f"  time: scratch {scratch_seconds:.2f} s, gensim {gensim_seconds:.2f} s\n")
    out.write("  loss per (word, neighbour) pair, each epoch (scratch computes the true loss):\n    ")
    out.write(" ".join(f"{r.loss_per_pair:.3f}" for r in scratch_model.epoch_reports) + "\n")
    gensim_loss = gensim_model.get_latest_training_loss()
    out.write(f"  gensim's get_latest_training_loss(): {gensim_loss:.1f} (a float32 running total over\n"
              "  all epochs, clobbered by concurrent workers, without pairs scored beyond +-6; see gensim\n"
              "  issue #2617)\n")  # fmt: skip

    out.write("\nContrastive training at work. For the (neighbour, word) pairs training sees (subsampled,\n"
              "reduced windows), and as many (neighbour, noise word) pairs: the mean probability\n"
              "sigmoid(input vector of the neighbour . output vector of the word) of each, the mean margin\n"
              "(the real pair's score minus its noise pair's, before the sigmoid), and how often the real\n"
              "word outscores the noise word:\n")  # fmt: skip
    key = scratch_model.wv.key_to_index
    rng = sgns_numpy.RandomStream(7)
    pairs = []
    for sentence in lee[:200]:
        ids = np.array([key[w] for w in sentence if w in key])
        kept = sgns_numpy.subsample(ids, scratch_model.vocabulary.sample_int, rng)
        pairs += list(sgns_numpy.skipgram_pairs(kept, params["window"], rng))
    noise = [(context, rng.noise_word(scratch_model.vocabulary.cum_table)) for context, _ in pairs]
    before = Word2Vec(vector_size=50, min_count=2, seed=1)
    before.build_vocab(lee)
    for label, state in (("before training", before), ("after training", scratch_model)):
        real, fake = _scores(state, pairs), _scores(state, noise)
        verdict = (f"real > noise in {np.mean(real > fake):.0%} of {len(pairs):,} pairs" if np.any(real != fake)
                   else "(every pair scores 0: the output vectors start at zero)")  # fmt: skip
        out.write(f"  {label:<16} real {_sigmoid(real).mean():.3f}   noise {_sigmoid(fake).mean():.3f}   "
                  f"margin {np.mean(real - fake):+.2f}   {verdict}\n")  # fmt: skip
    k = params["negative"]
    out.write(f"  Why the real pairs' probability falls: before training every score is 0 (the output vectors\n"
              f"  start at zero), so every pair gets exactly 0.5. Training shows {k} noise pairs for each real one,\n"
              f"  so the probabilities settle near that mix's share of real pairs, 1/{k + 1} = {1 / (k + 1):.3f}, "
              "not near 1.\n  What training raises is the margin: a real neighbour now scores above a noise "
              "word, the\n  ranking the vectors are used for (on this small corpus, in most pairs rather than "
              "all).\n\n")  # fmt: skip

    out.write("Nearest neighbours in each model (different random streams, so similar, not identical):\n")
    for word in ("police", "australia", "minister"):
        mine = ", ".join(w for w, _ in scratch_model.wv.most_similar(word, topn=6))
        theirs = ", ".join(w for w, _ in gensim_model.wv.most_similar(word, topn=6))
        out.write(f"  {word}\n    scratch: {mine}\n    gensim:  {theirs}\n")
    _torch_backend(out, lee, params)
    out.write("\nOn the 12.5M-word gutenberg corpus, `python benchmarks/word2vec_train.py` compares speed and\n"
              "quality (analogies, WordSim-353, SimLex-999) in full; see benchmarks/results/word2vec_train.md\n"
              "and, for the PyTorch backend, benchmarks/results/word2vec_torch.md.\n")


def _torch_backend(out: TextIO, lee, params: dict) -> None:
    """The same model trained in minibatches with PyTorch (on a GPU when there is one)."""
    import torch

    from scratch.word2vec import Word2Vec

    device = "cuda" if torch.cuda.is_available() else "cpu"
    out.write(f"\nThe same model on PyTorch (backend='torch', device='{device}'): each job's (neighbour, word)\n"
              "pairs and noise words become index tensors, and each step updates 1024 pairs at once, only\n"
              "the rows they touch (scratch.word2vec.sgns_torch). The GPU path, and data parallelism with\n"
              "torchrun, are in the README.\n")  # fmt: skip
    started = time.perf_counter()
    model = Word2Vec(lee, **(params | {"workers": 1}), backend="torch", device=device, compute_loss=True)
    seconds = time.perf_counter() - started
    out.write(f"  time: {seconds:.2f} s; loss per pair, each epoch:\n    "
              + " ".join(f"{r.loss_per_pair:.3f}" for r in model.epoch_reports) + "\n")
    out.write(f"  police: {', '.join(w for w, _ in model.wv.most_similar('police', topn=6))}\n")


def _scores(model, pairs):
    """syn0[context] . syn1neg[word] for each (context, word) pair: the score whose sigmoid is the
    model's P(neighbour)."""
    import numpy as np

    contexts = np.array([c for c, _ in pairs])
    words = np.array([w for _, w in pairs])
    return np.sum(model.wv.vectors[contexts].astype(np.float64) * model.syn1neg[words], axis=1)


def _sigmoid(scores):
    import numpy as np

    return 1 / (1 + np.exp(-scores))


def _initial(sentences):
    from scratch.word2vec import Word2Vec

    model = Word2Vec(vector_size=50, min_count=2, seed=1)
    model.build_vocab(sentences)
    return model.wv.vectors


def _same(flag: bool) -> str:
    return "same" if flag else "DIFFERENT"


def _side_by_side(out: TextIO, scratch: list[tuple[str, float]], gensim: list[tuple[str, float]]) -> None:
    out.write(f"  {'':>2}  {'scratch':<24} {'gensim':<24}\n")
    for rank, ((word, score), (other, other_score)) in enumerate(zip(scratch, gensim), start=1):
        mark = "" if (word, score) == (other, other_score) else "   <- differs"
        out.write(f"  {rank:>2}  {word:<12} {score:.7f}   {other:<12} {other_score:.7f}{mark}\n")
