"""`tokemb songs train/recommend/evaluate/plot` and the walkthrough's song section.

They run on a small copy of the real data set: the real song, tag and tag-name files,
and the playlists that hold the book's three songs. The walkthrough is also run with no
data at all, where it must say where to get it.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pytest

from reference import walkthrough
from reference.cli import main
from scratch.songs import SongRecommender, load_songs

from cli_helpers import book_songs_subset


def run_cli(*argv: str, code: int = 0) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(list(argv)) == code, err.getvalue()
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    """A ``yes_complete`` folder with the real files but only the playlists holding the book's songs."""
    return book_songs_subset(tmp_path_factory.mktemp("data"), every=24)  # about 30 playlists


def test_recommend_trains_and_saves_a_model_then_reuses_it(small_data, tmp_path):
    model = tmp_path / "songs.npz"
    out, err = run_cli("songs", "recommend", "2172", "--data", str(small_data), "--model", str(model),
                       "--train-if-missing")  # fmt: skip
    assert "training word2vec" in err and model.exists()
    assert 'Songs like "Fade To Black" by Metallica (id 2172)' in out
    table = out.split("\n\n")[1].splitlines()
    assert table[0].split() == ["id", "title", "artist", "score"] and len(table) == 6
    data = load_songs(small_data)
    expected = SongRecommender.load(model, data).recommend("2172", topn=5)
    assert [line.split()[0] for line in table[1:]] == [row.id for row in expected]

    again, err = run_cli("songs", "recommend", "3822", "--topn", "3", "--data", str(small_data),
                         "--model", str(model))  # fmt: skip
    assert "training" not in err and "Billie Jean" in again


def test_recommend_names_an_unknown_song(small_data, tmp_path):
    _, err = run_cli("songs", "recommend", "123456789", "--data", str(small_data), "--model",
                     str(tmp_path / "none.npz"), code=1)  # fmt: skip
    assert "'123456789' is not in the data set" in err


def test_recommend_with_a_missing_model_trains_nothing(small_data, tmp_path):
    """A mistyped ``--model`` is an error, not a minute of training and a new file there."""
    typo = tmp_path / "TYPO.npz"
    out, err = run_cli("songs", "recommend", "2172", "--data", str(small_data), "--model", str(typo), code=2)
    assert not typo.exists() and out == "" and "training" not in err
    assert err.strip().splitlines() == [f"tokemb: error: no model at {typo}: train it first with "
                                        f"`tokemb songs train --model {typo}` (about a minute), or add "
                                        "--train-if-missing"]  # fmt: skip


def test_recommend_names_a_truncated_model(small_data, tmp_path):
    whole = tmp_path / "whole.npz"
    run_cli("songs", "train", "--data", str(small_data), "--model", str(whole), "--epochs", "1")
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(whole.read_bytes()[:-2000])
    _, err = run_cli("songs", "recommend", "2172", "--data", str(small_data), "--model", str(truncated), code=1)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith(f"tokemb: error: {truncated}")


@pytest.mark.parametrize("where", ["--data", "TOKEMB_DATA"])
def test_recommend_without_the_data_set_says_where_to_get_it(tmp_path, monkeypatch, where):
    missing = tmp_path / "missing-dir"
    if where == "--data":
        argv = ["songs", "recommend", "2172", "--data", str(missing)]
    else:
        monkeypatch.setenv("TOKEMB_DATA", str(tmp_path))
        argv = ["songs", "recommend", "2172"]
    _, err = run_cli(*argv, code=1)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("tokemb: error: ") and "train.txt not found" in err


@pytest.mark.parametrize("flag", ["--topn", "--epochs", "--count"])
def test_counts_must_be_positive(small_data, capsys, flag):
    action = {"--topn": ["recommend", "2172"], "--epochs": ["train"], "--count": ["plot"]}[flag]
    with pytest.raises(SystemExit) as stopped:
        main(["songs", *action, "--data", str(small_data), flag, "0"])
    assert stopped.value.code == 2
    assert f"argument {flag}: must be a positive integer, got '0'" in capsys.readouterr().err


def test_a_model_with_no_other_song_recommends_nothing_and_prints_no_nan(small_data, tmp_path):
    from scratch.word2vec import Word2Vec

    lonely = tmp_path / "lonely.npz"
    Word2Vec([["2172", "2172"]], min_count=1, vector_size=4, epochs=1, workers=1).save(lonely)
    out, _ = run_cli("songs", "recommend", "2172", "--data", str(small_data), "--model", str(lonely))
    assert "no other songs" in out and "nan" not in out


def test_train_evaluate_and_plot(small_data, tmp_path):
    model = tmp_path / "trained.npz"
    out, _ = run_cli("songs", "train", "--data", str(small_data), "--model", str(model), "--epochs", "1")
    assert model.exists() and "songs x 32" in out
    saved = SongRecommender.load(model, load_songs(small_data)).model
    # the book's CBOW call, as gensim trains it (skipping updates of saturated scores)
    assert (saved.sg, saved.cbow_mean, saved.window, saved.negative, saved.skip_saturated) == (0, 1, 20, 50, True)

    out, _ = run_cli("songs", "evaluate", "--data", str(small_data), "--seeds", "1", "2", "--epochs", "1",
                     "--tag-queries", "200", "--playlists", "40")  # fmt: skip
    for name in ("scratch", "gensim"):
        assert f"{name}: HR@10 " in out and f"{name} seed 2:" in out

    picture = tmp_path / "songs.png"
    out, _ = run_cli("songs", "plot", "--data", str(small_data), "--model", str(model), "--out", str(picture),
                     "--count", "300")  # fmt: skip
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "300 most frequent songs" in out


def run_section() -> str:
    out = io.StringIO()
    walkthrough.run("songs", out=out)
    return out.getvalue()


def test_walkthrough_section_says_where_to_get_missing_data(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKEMB_DATA", str(tmp_path))
    text = run_section()
    assert "needs the playlist data set" in text and "TOKEMB_DATA" in text and "Shuo Chen" in text


def test_walkthrough_section_recommends_for_the_books_songs(small_data, monkeypatch):
    monkeypatch.setenv("TOKEMB_DATA", str(small_data.parent))
    text = run_section()
    for title in ("Fade To Black", "Billie Jean", "California Love"):
        assert f'Songs like "{title}' in text
    assert text.count(": genre agreement ") == 6  # scratch and gensim, three songs
    assert "sg=0" in text and "CBOW" in text
