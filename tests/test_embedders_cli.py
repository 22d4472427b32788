"""`tokemb embed` and `tokemb search`, run in-process through ``reference.cli.main``."""

from __future__ import annotations

import re

import numpy as np
import pytest

from reference import embedders as ref
from scratch.artifacts import fetch
from reference.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_embed_shows_shapes_values_and_the_token_table(capsys):
    code, out, _ = run(capsys, "embed", "Hello world", "Best movie ever!", "--tokens", "--compare")
    assert code == 0
    assert "text embeddings: shape (2, 384)" in out
    assert "contextual token embeddings: shape [1, 4, 384]" in out
    difference = float(re.search(r"max \|scratch - reference\| = (\S+)", out).group(1))
    assert difference <= 1e-5
    folder = fetch("all-MiniLM-L6-v2")
    ids, _ = ref.tokenize(folder, ["Hello world"])
    tokens = ref.auto_tokenizer(folder).convert_ids_to_tokens(ids[0].tolist())
    table = [line.split()[:3] for line in out.splitlines() if re.match(r"\s+\d+\s+\S+\s+\d+\s+\[", line)]
    assert table[:4] == [[str(i), t, str(n)] for i, (t, n) in enumerate(zip(tokens, ids[0].tolist()))]
    # the printed first values are the reference's, to the printed precision
    first = ref.encode(folder, ["Hello world"])[0][:5]
    printed = re.search(r"'Hello world'\n\s+384 values, norm \S+: \[([^\]]*)", out).group(1)
    assert np.allclose([float(v) for v in printed.split(", ")[:5]], first, atol=1e-5)


def test_embed_mpnet_gives_768_values(capsys):
    code, out, _ = run(capsys, "embed", "Best movie ever!", "--model", "mpnet")
    assert code == 0
    assert "text embeddings: shape (1, 768)" in out and "768 values, norm 1.0000" in out


def test_search_ranks_the_documents_like_sentence_transformers(tmp_path, capsys):
    documents = ["A thrilling film with a great cast.", "Heavy rain is expected this weekend.",
                 "The soup needs more salt.", "The plot of the movie made no sense."]  # fmt: skip
    docs = tmp_path / "docs.txt"
    docs.write_text("\n".join(documents[:2]) + "\n\n" + "\n".join(documents[2:]) + "\n", encoding="utf-8")
    query = "a film I really enjoyed"
    code, out, _ = run(capsys, "search", query, "--docs", str(docs), "--top-k", "3")
    assert code == 0
    rows = [re.match(r"\s+(\d+)\s+(\S+)\s+(.*)$", line) for line in out.splitlines()[2:]]
    folder = fetch("all-MiniLM-L6-v2")
    theirs = ref.semantic_search(ref.encode(folder, [query]), ref.encode(folder, documents), top_k=3)[0]
    assert [r.group(3) for r in rows] == [documents[i] for i, _ in theirs]
    assert np.allclose([float(r.group(2)) for r in rows], [s for _, s in theirs], atol=1e-4)


def test_search_with_glove_averages(tmp_path, capsys):
    docs = tmp_path / "docs.txt"
    docs.write_text("the cat sat\nstocks fell today\n", encoding="utf-8")
    code, out, _ = run(capsys, "search", "kitten", "--docs", str(docs), "--model", "glove")
    assert code == 0 and "model: glove" in out and len(out.splitlines()) == 4


def test_search_and_embed_bad_input(tmp_path, capsys):
    code, _, err = run(capsys, "search", "q", "--docs", str(tmp_path / "missing.txt"))
    assert code == 2 and "no such file" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    code, _, err = run(capsys, "search", "q", "--docs", str(empty))
    assert code == 2 and "no documents" in err
    with pytest.raises(SystemExit):
        main(["embed"])  # no TEXT
    with pytest.raises(SystemExit):
        main(["embed", "x", "--model", "gpt2"])
    with pytest.raises(SystemExit):
        main(["search", "q", "--docs", str(empty), "--top-k", "0"])
