"""What users of the reference libraries expect from the command line (issue #16):
analogies and a casing hint in ``similar``, exported vectors and a similarity matrix in
``embed``, ``search --compare`` beside sentence-transformers, songs found by title.
(``generate``'s sampling options are tested in ``test_sampling.py``.)

Every command runs in-process through ``reference.cli.main``. The expected values come
from the references (gensim's ``most_similar``, sentence-transformers' ``encode`` and
``util.semantic_search``), from NumPy, or from the data set's own files, never from the
command under test.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from reference import embedders as reference_embedders
from reference import word2vec as reference_word2vec
from scratch.artifacts import fetch
from reference.cli import main
from scratch.embedders import SentenceEmbedder
from scratch.word2vec import KeyedVectors

from cli_helpers import book_songs_subset, one_error_line, run


def table_rows(out: str) -> list[list[str]]:
    """The rows under the ``word scratch [gensim]`` header of ``tokemb similar``."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["word", "scratch"])
    return [line.split() for line in lines[start + 1:] if line.strip()]


# ---- similar: analogies, as gensim's most_similar(positive=, negative=) -------------------
@pytest.fixture(scope="module")
def gensim_glove():
    return reference_word2vec.glove("glove-50")


@pytest.mark.parametrize("argv, positive, negative", [
    (["king", "--negative", "man", "--positive", "woman"], ["king", "woman"], ["man"]),
    (["--positive", "paris", "germany", "--negative", "france"], ["paris", "germany"], ["france"]),
    (["--negative", "good"], [], ["good"]),
])  # fmt: skip
def test_similar_analogies_equal_gensims_most_similar(capsys, gensim_glove, argv, positive, negative):
    code, out, _ = run(capsys, "similar", *argv, "--vectors", "glove-50", "--topn", "5")
    assert code == 0
    expected = gensim_glove.most_similar(positive=positive, negative=negative, topn=5)
    rows = table_rows(out)
    assert [row[1] for row in rows] == [word for word, _ in expected]
    assert [float(row[2]) for row in rows] == pytest.approx([score for _, score in expected], abs=1e-6)  # scratch
    assert [float(row[3]) for row in rows] == pytest.approx([score for _, score in expected], abs=1e-6)  # gensim
    if positive == ["king", "woman"]:
        assert out.startswith("king - man + woman:") and rows[0][1] == "queen"


def test_similar_by_word_still_queries_by_its_vector(capsys, gensim_glove):
    """Without --positive/--negative the book's query stays: the word itself first."""
    code, out, _ = run(capsys, "similar", "king", "--topn", "3", "--no-reference")
    assert code == 0
    expected = gensim_glove.most_similar([gensim_glove["king"]], topn=3)
    assert [row[1] for row in table_rows(out)] == [word for word, _ in expected] and expected[0][0] == "king"


@pytest.fixture(scope="module")
def cased_vectors(tmp_path_factory):
    """Vectors whose keys come in several casings, saved as tokemb saves them."""
    path = tmp_path_factory.mktemp("vectors") / "cased.npz"
    keys = ["paris", "london", "Paris", "PARIS", "rome", "Apple"]
    KeyedVectors(np.random.default_rng(0).normal(size=(len(keys), 8)).astype(np.float32), keys).save(path)
    return path


@pytest.mark.parametrize("argv, hint", [
    (["King", "--vectors", "glove-50"], "'King' is not in the vocabulary of glove-50; did you mean 'king'?"),
    (["pArIs", "--vectors", "{cased}"], "did you mean 'paris' or 'Paris' or 'PARIS'?"),
    (["rome", "--negative", "London", "--vectors", "{cased}"], "'London' is not in the vocabulary of {cased}; "
                                                               "did you mean 'london'?"),
    (["apple", "--vectors", "{cased}"], "did you mean 'Apple'?"),
])  # fmt: skip
def test_an_unknown_word_names_the_casings_that_are_known(capsys, cased_vectors, argv, hint):
    argv = [arg.replace("{cased}", str(cased_vectors)) for arg in argv]
    code, out, err = run(capsys, "similar", *argv, "--no-reference")
    assert code == 2 and out == ""
    assert one_error_line(err).endswith(hint.replace("{cased}", str(cased_vectors)))


def test_an_unknown_word_without_another_casing_gets_no_hint(capsys, cased_vectors):
    code, _, err = run(capsys, "similar", "berlin", "--vectors", str(cased_vectors), "--no-reference")
    assert code == 2 and one_error_line(err).endswith(f"'berlin' is not in the vocabulary of {cased_vectors}")


def test_similar_needs_a_word(capsys):
    code, _, err = run(capsys, "similar")
    assert code == 2 and "give a WORD, or --positive/--negative" in one_error_line(err)


# ---- embed: --out and --matrix ---------------------------------------------------------------
TEXTS = ["I love this movie", "This film is wonderful", "The tax form is due on Monday", "Ünïcode ✓ 😀"]


@pytest.fixture(scope="module")
def minilm_vectors():
    """Scratch's embeddings of TEXTS, computed here, not by the command."""
    return SentenceEmbedder.from_pretrained(fetch("all-MiniLM-L6-v2")).encode(TEXTS)


def test_embed_out_npy_round_trips_scratchs_embeddings(capsys, tmp_path, minilm_vectors):
    path = tmp_path / "vectors.npy"
    code, out, _ = run(capsys, "embed", *TEXTS, "--out", str(path))
    assert code == 0 and f"wrote {path}: 4 x 384 float32" in out
    saved = np.load(path, allow_pickle=False)
    assert saved.dtype == np.float32 and np.array_equal(saved, minilm_vectors)
    assert [p.name for p in tmp_path.iterdir()] == ["vectors.npy"]  # no temporary file left


def test_embed_out_json_round_trips_texts_and_exact_values(capsys, tmp_path, minilm_vectors):
    path = tmp_path / "vectors.json"
    assert run(capsys, "embed", *TEXTS, "--out", str(path))[0] == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["model"] == "all-MiniLM-L6-v2" and document["texts"] == TEXTS
    assert np.array_equal(np.asarray(document["vectors"], dtype=np.float32), minilm_vectors)


@pytest.mark.parametrize("name", ["vectors.txt", "vectors", "missing-folder/vectors.npy"])
def test_embed_out_refuses_an_unknown_format_or_folder_before_any_work(capsys, tmp_path, monkeypatch, name):
    from reference.cli import embed as commands_embed

    monkeypatch.setattr(commands_embed, "load_embedder", lambda model: pytest.fail("the model was loaded"))
    code, _, err = run(capsys, "embed", "hello", "--out", str(tmp_path / name))
    assert code == 2 and "--out" in one_error_line(err)
    assert list(tmp_path.iterdir()) == []


def test_embed_matrix_is_the_cosine_of_every_pair(capsys, minilm_vectors):
    code, out, _ = run(capsys, "embed", *TEXTS, "--matrix")
    assert code == 0
    lines = out[out.index("cosine similarities (4 x 4):"):].splitlines()
    assert lines[1].split() == ["[1]", "[2]", "[3]", "[4]"]
    printed = np.array([[float(value) for value in line.split()[1:]] for line in lines[2:6]])
    unit = minilm_vectors.astype(np.float64) / np.linalg.norm(minilm_vectors.astype(np.float64), axis=1,
                                                                keepdims=True)  # fmt: skip
    np.testing.assert_allclose(printed, unit @ unit.T, atol=5.1e-5)  # printed with 4 decimals
    assert lines[7:11] == [f"[{i}] {text!r}" for i, text in enumerate(TEXTS, start=1)]


# ---- search --compare --------------------------------------------------------------------------
DOCUMENTS = ["I loved this film", "The tax form is due", "A wonderful movie", "Bad weather today",
             "The cat sat on the mat", "Best picture of the year"]  # fmt: skip


def test_search_compare_shows_both_rankings_and_that_they_agree(capsys, tmp_path):
    docs = tmp_path / "docs.txt"
    docs.write_text("\n".join(DOCUMENTS) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "search", "a great movie", "--docs", str(docs), "--top-k", "4", "--compare")
    assert code == 0
    folder = fetch("all-MiniLM-L6-v2")
    query, documents = (reference_embedders.encode(folder, texts) for texts in (["a great movie"], DOCUMENTS))
    expected = reference_embedders.semantic_search(query, documents, top_k=4)[0]
    lines = out.splitlines()
    header = lines.index(next(line for line in lines if line.split()[:3] == ["rank", "scratch", "s-t"]))
    rows = [line.split(maxsplit=3) for line in lines[header + 1: header + 5]]
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]
    assert [row[3] for row in rows] == [DOCUMENTS[i] for i, _ in expected]
    assert [row[2] for row in rows] == [f"{score:.4f}" for _, score in expected]  # sentence-transformers' column
    assert [float(row[1]) for row in rows] == pytest.approx([score for _, score in expected], abs=1e-4)
    assert "rank the same 4 documents in the same order" in out


def test_search_compare_names_where_the_rankings_differ():
    from reference.cli.embed import comparison_table

    table = comparison_table([(0, 0.9), (1, 0.5)], [(0, 0.9), (2, 0.6)], ["a", "b", "c"])
    assert "the rankings differ at rank 2" in table
    assert "0.6000  c  (sentence-transformers)" in table


def test_search_compare_refuses_glove(capsys, tmp_path):
    docs = tmp_path / "docs.txt"
    docs.write_text("one\ntwo\n", encoding="utf-8")
    code, _, err = run(capsys, "search", "one", "--docs", str(docs), "--model", "glove", "--compare")
    assert code == 2 and "--compare" in one_error_line(err)


# ---- songs recommend by title -------------------------------------------------------------------
@pytest.fixture(scope="module")
def songs_folder(tmp_path_factory):
    """The real song, tag and tag-name files with a few playlists that hold the book's songs."""
    return book_songs_subset(tmp_path_factory.mktemp("songs"), every=48)


@pytest.fixture(scope="module")
def songs_model(songs_folder, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "songs.npz"
    assert main(["songs", "train", "--data", str(songs_folder), "--model", str(path), "--epochs", "1",
                 "--workers", "1"]) == 0  # fmt: skip
    return path


def titled(folder, title: str) -> list[tuple[str, str]]:
    """``(id, artist)`` of every song whose title is ``title`` (ignoring case), read from
    ``song_hash.txt`` here."""
    found = []
    for line in (folder / "song_hash.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and fields[1].strip().casefold() == title.casefold():
            found.append((fields[0].strip(), fields[2].strip()))
    return found


@pytest.mark.parametrize("query", ["Fade To Black", "fade to black", "FADE TO BLACK", "ade To Bla"])
def test_recommend_by_title_equals_recommend_by_id(capsys, songs_folder, songs_model, query):
    assert titled(songs_folder, "Fade To Black") == [("2172", "Metallica")]
    options = ["--data", str(songs_folder), "--model", str(songs_model)]
    by_id = run(capsys, "songs", "recommend", "2172", *options)
    by_title = run(capsys, "songs", "recommend", query, *options)
    assert by_title == by_id and by_id[0] == 0
    assert 'Songs like "Fade To Black" by Metallica (id 2172)' in by_title[1]


def test_an_ambiguous_title_lists_the_candidates_with_ids_and_artists(capsys, songs_folder, songs_model):
    candidates = titled(songs_folder, "Billie Jean")
    assert len(candidates) > 1 and ("3822", "Michael Jackson") in candidates
    options = ["--data", str(songs_folder), "--model", str(songs_model)]
    code, out, err = run(capsys, "songs", "recommend", "billie jean", *options)
    assert code == 2 and out == "" and "Traceback" not in err
    first, *listed = err.strip().splitlines()
    assert first == f"tokemb: error: 'billie jean' names {len(candidates)} songs; give the id of one, or narrow " \
                    "them down with --artist:"
    rows = [line.split(maxsplit=1) for line in listed[1:]]  # after the id/title/artist header
    assert [(song_id, rest.split("Billie Jean")[1].strip()) for song_id, rest in rows] == candidates

    code, out, _ = run(capsys, "songs", "recommend", "Billie Jean", "--artist", "michael jackson", *options)
    assert code == 0 and 'Songs like "Billie Jean" by Michael Jackson (id 3822)' in out


def test_a_title_not_found_is_one_line(capsys, songs_folder, songs_model):
    code, out, err = run(capsys, "songs", "recommend", "No Such Song Title Anywhere", "--data", str(songs_folder),
                         "--model", str(songs_model))  # fmt: skip
    assert code == 2 and out == ""
    assert one_error_line(err).startswith("tokemb: error: no song titled 'No Such Song Title Anywhere'")
