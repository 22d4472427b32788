"""What the walkthrough and its neighbours print can be trusted: the songs section judges
recommendations by genre (checked here from the data files themselves) with scores one can
tell apart and the book's epochs; the word2vec section explains why the real pairs'
probability falls; the section list carries no noise; loading a reference model shows no
bar of transformers'; the song picture says what it shows and tells genres apart."""

from __future__ import annotations

import inspect
import io
import re
from pathlib import Path

import pytest

from reference import cli, walkthrough
from reference.walkthrough import songs as walkthrough_songs
from reference.songs import GENRE_TAGS
from scratch.songs import digits_to_tell_apart
from scratch.data import data_path
from scratch.songs import BOOK_SONGS, PLOT_GENRES

from cli_helpers import book_songs_subset


def run_section(key: str) -> str:
    out = io.StringIO()
    walkthrough.run(key, out=out)
    return out.getvalue()


def test_walkthrough_list_has_no_built_marks(capsys):
    assert cli.main(["walkthrough", "--list"]) == 0
    out = capsys.readouterr().out
    assert "[built]" not in out
    assert [line.split()[1] for line in out.splitlines()] == walkthrough.section_keys()


# --------------------------------------------------------------------------- songs


def read_tags(folder: Path) -> dict[str, set[str]]:
    """song id -> its tag names, read straight from tags.txt and tag_hash.txt (README's formats)."""
    names = {}
    for line in (folder / "tag_hash.txt").read_text(encoding="utf-8").splitlines():
        number, name = line.split(", ", 1)
        names[number] = name
    tags = {}
    for song, line in enumerate((folder / "tags.txt").read_text(encoding="utf-8").splitlines()):
        if line.strip() != "#":
            tags[str(song)] = {names[t] for t in line.split()}
    return tags


def test_every_genre_tag_is_a_tag_of_the_data_set():
    folder = data_path("yes_complete", "tag_hash.txt").parent
    names = {line.split(", ", 1)[1] for line in (folder / "tag_hash.txt").read_text(encoding="utf-8").splitlines()}
    assert {tag for tags in GENRE_TAGS.values() for tag in tags} <= names
    assert tuple(GENRE_TAGS) == PLOT_GENRES  # the picture's genres, in its order
    for not_a_genre in ("favorites", "love", "awesome", "male vocalists", "80s"):
        assert not any(not_a_genre in tags for tags in GENRE_TAGS.values())


def test_the_songs_section_trains_the_books_epochs():
    """The book's call leaves gensim's epochs at gensim's default."""
    from gensim.models import Word2Vec

    assert walkthrough_songs.EPOCHS == inspect.signature(Word2Vec).parameters["epochs"].default == 5


def test_scores_get_digits_enough_to_tell_them_apart():
    crowded = [0.99991, 0.99994, 0.99992]  # all "0.9999" at four decimals, as the issue saw
    assert digits_to_tell_apart(crowded, least=6) == 6
    assert digits_to_tell_apart([0.9999991, 0.9999994], least=6) == 7
    tied = [0.5, 0.5, 0.25]
    assert digits_to_tell_apart(tied, least=6) == 6


@pytest.fixture(scope="module")
def song_folder(tmp_path_factory) -> Path:
    """The real yes_complete files, with a quarter of the playlists that hold the book's songs
    (so that a one-epoch model trains in seconds)."""
    return book_songs_subset(tmp_path_factory.mktemp("data"), every=4)


def test_songs_section_reports_genre_agreement_computed_from_the_files(song_folder, monkeypatch):
    monkeypatch.setenv("TOKEMB_DATA", str(song_folder.parent))
    monkeypatch.setattr(walkthrough_songs, "EPOCHS", 1)
    text = run_section("songs")
    tags = read_tags(song_folder)

    def genres(song: str) -> list[str]:
        return [g for g, names in GENRE_TAGS.items() if tags.get(song, set()) & set(names)]

    def genre(song: str) -> str | None:
        return (genres(song) or [None])[0]

    assert "epochs=1" in text and "1 epoch:" in text and "1 epochs" not in text
    assert "share a tag" not in text  # any tag ("favorites") is no measure
    blocks = re.findall(r"  (scratch|gensim): genre agreement (\d+)%\n(    .*)\n((?:    .*\n){5})", text)
    assert len(blocks) == 6  # scratch and gensim, three songs
    for number, (_, percent, header, rows) in enumerate(blocks):
        asked = BOOK_SONGS[number // 2]
        ids = [row.split()[0] for row in rows.splitlines()]
        own = genre(asked)
        expected = sum(own in genres(i) for i in ids) / len(ids)
        assert int(percent) == round(100 * expected), (asked, ids)
        column = slice(header.index(f"{own}?"), header.index("cosine"))
        verdicts = [row[column].strip() for row in rows.splitlines()]
        assert verdicts == ["yes" if own in genres(i) else f"no ({genre(i) or 'none'})" for i in ids]
        scores = [row.split()[-1] for row in rows.splitlines()]
        assert all(re.fullmatch(r"-?\d\.\d{6,}", s) for s in scores)
        assert len(set(scores)) > 1
    assert f'"Billie Jean" by Michael Jackson (id 3822; genre {genre("3822")};' in text


# ------------------------------------------------------------------------- word2vec


def test_word2vec_section_explains_the_falling_probability_with_the_margin():
    text = run_section("word2vec")
    rows = {m.group(1): m for m in re.finditer(
        r"  (before training|after training)\s+real ([\d.]+)\s+noise ([\d.]+)\s+margin ([+-][\d.]+)", text)}  # fmt: skip
    assert set(rows) == {"before training", "after training"}
    before, after = rows["before training"], rows["after training"]
    assert before.group(2) == before.group(3) == "0.500" and float(before.group(4)) == 0
    assert float(after.group(2)) < 0.5  # the real pairs' probability falls ...
    assert float(after.group(4)) > 0.2 and float(after.group(2)) > float(after.group(3))  # the margin rises
    assert "the output vectors\n  start at zero" in text and "1/6 = 0.167" in text


# ---------------------------------------------------------------- quiet references


def test_embed_compare_shows_no_bar_of_transformers(capfd):
    assert cli.main(["embed", "Best movie ever!", "--model", "minilm", "--compare"]) == 0
    err = capfd.readouterr().err
    assert "Loading weights" not in err and "it/s" not in err


def test_quiet_transformers_puts_the_settings_back():
    from transformers.utils import logging

    from reference.embedders import quiet_transformers

    bars, verbosity = logging.is_progress_bar_enabled(), logging.get_verbosity()
    with quiet_transformers():
        assert not logging.is_progress_bar_enabled() and logging.get_verbosity() == logging.ERROR
    assert (logging.is_progress_bar_enabled(), logging.get_verbosity()) == (bars, verbosity)


# ---------------------------------------------------------------------- the picture


def test_song_picture_names_its_model_and_tells_genres_apart(song_folder):
    import matplotlib.colors

    from reference.songs_plot import describe_model, genre_styles, song_figure
    from scratch.songs import load_songs, train_word2vec

    data = load_songs(song_folder)
    model = train_word2vec(data.playlists, seed=1, workers=1, epochs=2)
    figure = song_figure(model.wv, data, count=200, model="scratch word2vec (CBOW)", epochs=2)
    assert "scratch word2vec (CBOW) vectors, 2 epochs" in figure.axes[0].get_title()
    assert describe_model(model) == ("scratch word2vec (CBOW, 32-d)", 2)
    styles = genre_styles()
    assert len(set(marker for _, marker in styles.values())) == len(PLOT_GENRES)  # a marker per genre
    for a, b in (("rap", "hip-hop"), ("christian", "rock")):
        colour_a, colour_b = (matplotlib.colors.to_rgb(styles[g][0]) for g in (a, b))
        assert sum(abs(x - y) for x, y in zip(colour_a, colour_b)) > 0.5, (a, b)
