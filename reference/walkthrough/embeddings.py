"""Walkthrough sections token-embeddings and text-embeddings: token embeddings from a
language model, and text embeddings.

Every vector is computed by scratch (scratch WordPiece tokenizer, scratch BERT/MPNet
encoder, scratch pooling) and printed beside the reference library's (transformers'
``AutoModel``, sentence-transformers' ``SentenceTransformer.encode``) with the largest
difference between the two.
"""

from __future__ import annotations

from typing import TextIO


def _values(vector, n: int = 4) -> str:
    return "[" + ", ".join(f"{v:+.5f}" for v in vector[:n]) + (", ...]" if len(vector) > n else "]")


def _diff(a, b) -> str:
    import numpy as np

    return f"max |scratch - reference| = {float(np.max(np.abs(np.asarray(a) - np.asarray(b)))):.1e}"


def token_embeddings(out: TextIO) -> None:
    import numpy as np

    from reference import embedders as reference
    from scratch.artifacts import fetch
    from scratch.embedders import SentenceEmbedder

    folder = fetch("all-MiniLM-L6-v2")
    embedder = SentenceEmbedder.from_pretrained(folder)
    encoder = embedder.encoder
    out.write(
        "A language model keeps one vector per vocabulary entry: the input embedding matrix.\n"
        "Its layers turn those static vectors into contextual ones, one per token of the input.\n\n"
        f"all-MiniLM-L6-v2: {encoder!r}\n"
        f"input embedding matrix: {tuple(encoder.word_embeddings.shape)} "
        f"(vocabulary x hidden size), read from model.safetensors\n"
    )
    text = "Hello world"
    tokens, hidden = embedder.token_embeddings(text)
    ids = embedder.token_ids(text)
    ref_ids, ref_mask = reference.tokenize(folder, [text])
    theirs = reference.last_hidden_state(folder, ref_ids, ref_mask)
    static = encoder.token_embeddings(ids).numpy()
    out.write(f"\n{text!r} -> token ids {ids} (transformers' tokenizer: {ref_ids[0].tolist()})\n")
    out.write(f"contextual token embeddings: shape [1, {hidden.shape[0]}, {hidden.shape[1]}]"
              f" (transformers' AutoModel: {list(theirs.shape)}); {_diff(hidden, theirs[0])}\n")  # fmt: skip
    out.write(f"token embeddings (lookup): {_diff(static, reference.input_embeddings(folder, ids))} "
              "against get_input_embeddings()\n\n")  # fmt: skip
    out.write(f"  {'token':<8} {'id':>5}  {'static input row':<44} contextual (last hidden state)\n")
    for token, token_id, row, vector in zip(tokens, ids, static, hidden):
        out.write(f"  {token:<8} {token_id:>5}  {_values(row):<44} {_values(vector)}\n")

    out.write("\nThe same word in two contexts: one static vector, two contextual ones.\n")
    bank = []
    for sentence in ["We sat on the river bank.", "I opened a bank account."]:
        tokens, hidden = embedder.token_embeddings(sentence)
        position = tokens.index("bank")
        bank.append((sentence, hidden[position], encoder.token_embeddings([embedder.token_ids(sentence)[position]])))
    (s1, c1, e1), (s2, c2, e2) = bank
    cosine = float(c1 @ c2 / np.linalg.norm(c1) / np.linalg.norm(c2))
    out.write(f"  'bank' in {s1!r} vs {s2!r}:\n"
              f"    static vectors identical: {bool((e1 == e2).all())}\n"
              f"    contextual vectors: cosine {cosine:.3f}\n")  # fmt: skip


def text_embeddings(out: TextIO) -> None:
    from reference import embedders as reference
    from scratch.artifacts import fetch
    from scratch.embedders import SentenceEmbedder, StaticEmbedder, cos_sim, search
    from scratch.word2vec.pretrained import load_glove_folder

    out.write(
        "A text embedding is one vector for a whole text. Sentence-BERT pools the contextual\n"
        "token embeddings (the mean over real tokens) and L2-normalises the result.\n\n"
    )
    folder = fetch("all-mpnet-base-v2")
    embedder = SentenceEmbedder.from_pretrained(folder)
    text = "Best movie ever!"
    vector = embedder.encode(text)
    theirs = reference.encode(folder, text)
    out.write(f"all-mpnet-base-v2: {embedder!r}\n")
    out.write(f"{text!r} -> shape {vector.shape}: {_values(vector, 5)}\n"
              f"SentenceTransformer.encode -> shape {theirs.shape}: {_values(theirs, 5)}\n"
              f"{_diff(vector, theirs)}\n")  # fmt: skip

    sentences = ["Best movie ever!", "I loved this film.", "The weather is cold today.",
                 "What a terrible waste of two hours."]  # fmt: skip
    ours = embedder.encode(sentences)
    similarity = cos_sim(ours[:1], ours)[0]
    reference_vectors = reference.encode(folder, sentences)
    reference_similarity = reference.cos_sim(reference_vectors[:1], reference_vectors)[0]
    out.write("\nCosine similarity to 'Best movie ever!' (scratch | sentence-transformers):\n")
    for sentence, score, ref_score in zip(sentences, similarity, reference_similarity):
        out.write(f"  {score:+.4f} | {ref_score:+.4f}  {sentence}\n")

    out.write("\nFor comparison, the static text embedding: the average of GloVe word vectors.\n")
    glove = StaticEmbedder(load_glove_folder(fetch("glove-6b-50d")))
    static = glove.encode(sentences)
    out.write(f"GloVe average of {text!r}: shape {static[0].shape}: {_values(static[0], 5)}\n")
    for sentence, score in zip(sentences, cos_sim(static[:1], static)[0]):
        out.write(f"  {score:+.4f}  {sentence}\n")

    documents = ["A thrilling film with a great cast.", "Heavy rain is expected this weekend.",
                 "The soup needs more salt.", "The plot of the movie made no sense."]  # fmt: skip
    query = "a film I really enjoyed"
    out.write(f"\nSemantic search for {query!r} (all-mpnet-base-v2, scratch):\n")
    for score, document in search(embedder, query, documents, top_k=len(documents)):
        out.write(f"  {score:+.4f}  {document}\n")
