"""Bad input and faults on the tokenizer side (issue #15), each against its reference.

* Every trainer's loop ends: an impossible vocabulary size is refused up front or ends
  the training as the reference does (sentencepiece: "Vocabulary size is smaller than
  required_chars" / "Vocabulary size too high"; ``tokenizers``' trainers stop early).
  Each training runs under an alarm, so a hang fails the test instead of stalling it.
* ``train-tokenizer`` reads the corpus byte for byte (``"\\r\\n"`` and lone ``"\\r"``
  kept), refuses a folder, a missing, empty or non-UTF-8 file with one clear line, and
  a failed training or save leaves no new folder and the previous one byte-identical.
* A lone surrogate is refused by every family whose reference refuses it, with the
  position in the text; tiktoken's families replace it, as tiktoken does.
* A truncated or corrupt GGUF file, ``spm_bpe.json``, ``vocab.json``, ``merges.txt``,
  ``tokenizer.json`` or ``tokenizer.model`` is a ``MalformedVocabError`` naming the file.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizer_checks import time_limit

from reference.cli import main
from reference.tokenizer_training import hf_bpe, hf_wordpiece, spm_bpe
from scratch.errors import TokembError
from scratch.files import TextDecodeError
from scratch.tokenizers import folders
from scratch.tokenizers.base import InvalidTextError, MalformedVocabError, TrainingError
from scratch.tokenizers.folders import save_byte_bpe, save_spm_bpe, save_vocab_txt
from scratch.tokenizers.gguf_vocab import read_gguf_vocab
from scratch.tokenizers.sentencepiece_model import read_model, write_model
from scratch.tokenizers.train_bpe import train_bpe
from scratch.tokenizers.train_spm_bpe import train_spm_bpe
from scratch.tokenizers.train_unigram import train_unigram
from scratch.tokenizers.train_wordpiece import train_wordpiece

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# ---- every trainer's loop ends, as its reference's does -------------------------------------


def _spm_unigram(lines, vocab_size):
    """sentencepiece's Unigram pieces, or the reason it refuses (its message's key words)."""
    import sentencepiece

    model = io.BytesIO()
    try:
        sentencepiece.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=model, model_type="unigram",
                                                 vocab_size=vocab_size, minloglevel=2, normalization_rule_name="identity")  # fmt: skip
    except RuntimeError as exc:
        return "smaller" if "smaller than required_chars" in str(exc) else "too high" if "too high" in str(exc) else str(exc)
    proc = sentencepiece.SentencePieceProcessor(model_proto=model.getvalue())
    return sorted(proc.id_to_piece(i) for i in range(proc.get_piece_size()))


def _outcome(train):
    """The sorted pieces ``train()`` gives, or "smaller" / "too high" when it refuses."""
    try:
        with time_limit(60):
            pieces = train()
    except TrainingError as exc:
        return "smaller" if "smaller than" in str(exc) else "too high" if "too high" in str(exc) else str(exc)
    return sorted(pieces)


@pytest.mark.parametrize("lines", [["hello world"], ["abc abc abc", "abd"], ["aaaa"], ["the cat sat on the mat", "the dog sat"]])
def test_unigram_ends_and_refuses_impossible_sizes_as_sentencepiece(lines):
    """``--vocab-size 5`` on "hello world" used to loop forever (prune() keeps every
    character); now every size gives sentencepiece's pieces or its refusal."""
    for vocab_size in range(4, 25):
        ours = _outcome(lambda: train_unigram(lines, vocab_size).pieces)
        assert ours == _spm_unigram(lines, vocab_size), (lines, vocab_size)


def test_unigram_messages_say_what_to_change():
    with pytest.raises(TrainingError, match=r"vocab_size=5 is smaller than the 8 required characters.*= 11"):
        with time_limit(30):
            train_unigram(["hello world"], 5)
    with pytest.raises(TrainingError, match=r"too high.*at most 11 pieces"):
        with time_limit(30):
            train_unigram(["hello world"], 12)


def _spm_bpe_outcome(texts, vocab_size):
    try:
        return spm_bpe(texts, vocab_size)
    except RuntimeError as exc:
        return "smaller" if "smaller than required_chars" in str(exc) else "too high" if "too high" in str(exc) else str(exc)


def _scratch_spm_bpe_outcome(texts, vocab_size):
    try:
        with time_limit(60):
            result = train_spm_bpe(texts, vocab_size, show_progress=False)
    except TrainingError as exc:
        return "smaller" if "smaller than" in str(exc) else "too high" if "too high" in str(exc) else str(exc)
    return list(zip(result.pieces, result.scores))


@pytest.mark.parametrize("texts", [["hello world"], ["abc abc abc\nabd"], ["aaaa"]])
def test_spm_bpe_goes_on_and_stops_as_sentencepiece(texts):
    """When no pair is left, sentencepiece goes on with the pairs whose count fell to
    zero, then refuses ("Vocabulary size too high"); scratch used to return a smaller
    vocabulary silently."""
    for vocab_size in [*range(258, 290), 300]:
        assert _scratch_spm_bpe_outcome(texts, vocab_size) == _spm_bpe_outcome(texts, vocab_size), (texts, vocab_size)


@FUZZ
@given(st.lists(st.text("ab c\n", min_size=1, max_size=12), min_size=1, max_size=3), st.integers(0, 40))
def test_spm_bpe_at_and_beyond_its_largest_vocabulary(texts, extra):
    if not any(line.strip() for t in texts for line in t.split("\n")):
        return
    vocab_size = 259 + 4 + extra
    assert _scratch_spm_bpe_outcome(texts, vocab_size) == _spm_bpe_outcome(texts, vocab_size)


@pytest.mark.parametrize("texts", [["hello world"], ["aaaa aaaa", "ab"], ["x"]])
def test_bpe_and_wordpiece_stop_early_like_their_trainers(texts):
    """``tokenizers``' trainers stop when no pair is left; so do scratch's, with the same result."""
    with time_limit(60):
        result = train_bpe(texts, 100_000, min_frequency=1, show_progress=False)
    merges, vocab = hf_bpe(texts, 100_000, min_frequency=1)
    assert (result.merges, result.vocab) == (merges, vocab)
    with time_limit(60):
        ours = train_wordpiece(texts, 100_000, method="hf", show_progress=False)
        likelihood = train_wordpiece(texts, 100_000, method="likelihood", show_progress=False)  # no reference: it ends
    # The reference breaks ties in hash order, so only its stopping point is compared.
    assert len(ours) < 100 and len(hf_wordpiece(texts, 100_000)) < 100 and len(likelihood) < 100


def test_cli_unigram_with_a_tiny_vocabulary_ends_with_one_line_and_no_folder(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_bytes(b"hello world\n")
    out = tmp_path / "o"
    with time_limit(60):
        assert main(["train-tokenizer", "--method", "unigram", "--vocab-size", "5", str(corpus), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "smaller than the 8 required characters" in err and "Traceback" not in err
    assert not out.exists()


# ---- the corpus is read byte for byte; bad corpora are named ---------------------------------

CRLF = b"one two\r\nthree\rfour two\r\n\r\nfive\r\r\nsix two one\n\nseven\r\n"


def test_cli_keeps_carriage_returns_and_learns_the_references_merges(tmp_path, capsys):
    """Read in text mode, ``"\\r\\n"`` and ``"\\r"`` became ``"\\n"`` and the merges differed."""
    corpus = tmp_path / "crlf.txt"
    corpus.write_bytes(CRLF * 3)
    texts = [d for d in (CRLF * 3).decode("utf-8").split("\n\n") if d]  # the file's bytes, no translation
    out = tmp_path / "bpe"
    assert main(["train-tokenizer", "--vocab-size", "300", str(corpus), "-o", str(out), "-q"]) == 0
    merges, vocab = hf_bpe(texts, 300)
    assert json.loads((out / "vocab.json").read_text(encoding="utf-8")) == vocab
    assert any("č" in a + b for a, b in merges)  # "\r" (spelled "č") takes part in merges
    assert [tuple(m) for m in json.loads((out / "tokenizer.json").read_text(encoding="utf-8"))["model"]["merges"]] == merges
    out = tmp_path / "spm"
    assert main(["train-tokenizer", "--method", "spm-bpe", "--vocab-size", "290", str(corpus), "-o", str(out), "-q"]) == 0
    ours = json.loads((out / "spm_bpe.json").read_text(encoding="utf-8"))
    assert list(zip(ours["pieces"], ours["scores"])) == spm_bpe(texts, 290)
    assert "\r" in ours["pieces"]


def test_cli_unigram_on_carriage_returns_equals_sentencepiece_from_the_same_file(tmp_path, capsys):
    import sentencepiece

    corpus = tmp_path / "crlf.txt"
    corpus.write_bytes(b"ab\r\ncd ab\rab ab\r\nxy\n")
    sentencepiece.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(tmp_path / "ref"), model_type="unigram",
                                             vocab_size=11, minloglevel=2, normalization_rule_name="identity")  # fmt: skip
    reference = sentencepiece.SentencePieceProcessor(model_file=str(tmp_path / "ref.model"))
    out = tmp_path / "uni"
    assert main(["train-tokenizer", "--method", "unigram", "--vocab-size", "11", str(corpus), "-o", str(out), "-q"]) == 0
    ours = read_model(out / "tokenizer.model")
    assert sorted(ours.pieces) == sorted(reference.id_to_piece(i) for i in range(reference.get_piece_size()))
    assert "\r" in ours.pieces


@pytest.mark.parametrize(
    "content, message",
    [("folder", "is a folder"), (None, "does not exist"), (b"", "empty"), (b"\n\n\n\n", "empty"),
     (b"caf\xe9 latin-1\n", "not UTF-8")],
    ids=["folder", "missing", "empty", "blank-lines", "latin-1"],
)  # fmt: skip
def test_cli_names_a_bad_corpus_in_one_line(tmp_path, capsys, content, message):
    corpus = tmp_path / "corpus"
    if content == "folder":
        corpus.mkdir()
    elif content is not None:
        corpus.write_bytes(content)
    out = tmp_path / "out"
    assert main(["train-tokenizer", "--vocab-size", "300", str(corpus), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert message in err and str(corpus) in err and "Traceback" not in err
    assert not out.exists()


def test_read_corpus_errors_are_tokemb_errors(tmp_path):
    from reference.cli.train_tokenizer import read_corpus

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff")
    with pytest.raises(TextDecodeError, match="bad.txt"):
        read_corpus([str(bad)])
    with pytest.raises(TrainingError, match="is a folder"):
        read_corpus([str(tmp_path)])


# ---- saves are all or nothing -----------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


class Boom(RuntimeError):
    pass


def _fail_on_write(monkeypatch, n: int):
    """Make the ``n``-th text write under scratch.files fail half-way (after part of it is written)."""
    import scratch.files as files

    real = files.atomic_write
    calls = {"n": 0}

    @contextlib.contextmanager
    def failing(path, mode="wb", encoding=None):
        with real(path, mode, encoding) as handle:
            calls["n"] += 1
            if calls["n"] == n:
                handle.write("partial" if "b" not in mode else b"partial")
                raise Boom("disk full")
            yield handle

    monkeypatch.setattr(files, "atomic_write", failing)


@pytest.mark.parametrize("failing_write", [1, 2, 3])
def test_a_failed_bpe_save_keeps_the_previous_folder(tmp_path, monkeypatch, failing_write):
    folder = tmp_path / "tok"
    save_byte_bpe(train_bpe(["hello world hello"], 270, show_progress=False), folder)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = _snapshot(folder)
    _fail_on_write(monkeypatch, failing_write)
    with pytest.raises(Boom):
        save_byte_bpe(train_bpe(["something else entirely"], 280, show_progress=False), folder)
    assert _snapshot(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["tok"]  # no temporary folder left


def test_failed_wordpiece_spm_and_model_saves_keep_the_previous_files(tmp_path, monkeypatch):
    wp, spm, model_path = tmp_path / "wp", tmp_path / "spm", tmp_path / "m" / "tokenizer.model"
    save_vocab_txt(train_wordpiece(["hello world"], 40, show_progress=False), wp)
    save_spm_bpe(train_spm_bpe(["hello world"], 270, show_progress=False), spm)
    model_path.parent.mkdir()
    write_model(train_unigram(["hello world"], 11), model_path)
    before = {p: _snapshot(p) for p in (wp, spm, model_path.parent)}
    _fail_on_write(monkeypatch, 1)
    with pytest.raises(Boom):
        save_vocab_txt(train_wordpiece(["other text"], 40, show_progress=False), wp)
    _fail_on_write(monkeypatch, 1)
    with pytest.raises(Boom):
        save_spm_bpe(train_spm_bpe(["other text"], 270, show_progress=False), spm)
    _fail_on_write(monkeypatch, 1)
    with pytest.raises(Boom):
        write_model(train_unigram(["hello there"], 11), model_path)
    assert {p: _snapshot(p) for p in (wp, spm, model_path.parent)} == before


def test_cli_failed_training_keeps_a_previous_folder(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_bytes(b"hello world\n")
    out = tmp_path / "o"
    assert main(["train-tokenizer", "--method", "unigram", "--vocab-size", "11", str(corpus), "-o", str(out), "-q"]) == 0
    before = _snapshot(out)
    with time_limit(60):
        assert main(["train-tokenizer", "--method", "unigram", "--vocab-size", "40", str(corpus), "-o", str(out), "-q"]) == 2
    assert "too high" in capsys.readouterr().err
    assert _snapshot(out) == before


# ---- lone surrogates: each family as its reference ---------------------------------------------

FAMILIES = ["bert-base-uncased", "gpt2", "cl100k_base", "llama-2", "phi-3", "qwen2", "botchan-unigram"]


@pytest.fixture(scope="module")
def pairs():
    import reference.tokenizers as ref
    import scratch.tokenizers as scr

    return {name: (scr.load(name), ref.load(name)) for name in FAMILIES}


@pytest.mark.parametrize("name", FAMILIES)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.text(st.characters(exclude_categories=["Cs"]), max_size=8),
       surrogate=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
       after=st.text(st.characters(exclude_categories=["Cs"]), max_size=8))  # fmt: skip
def test_a_lone_surrogate_is_refused_or_replaced_as_the_reference_does(pairs, name, before, surrogate, after):
    ours, reference = pairs[name]
    text = before + surrogate + after
    try:
        expected = reference.encode(text)
    except (TypeError, RuntimeError, ValueError, UnicodeError):  # tokenizers: TypeError; sentencepiece: RuntimeError
        expected = None
    if expected is not None:
        assert ours.encode(text) == expected
        return
    with pytest.raises(InvalidTextError) as raised:
        ours.encode(text)
    assert isinstance(raised.value, TokembError) and isinstance(raised.value, ValueError)
    assert f"{surrogate!r} at character {len(before)}" in str(raised.value)


def test_the_refusing_families_are_those_whose_reference_refuses(pairs):
    refused = set()
    for name, (_, reference) in pairs.items():
        try:
            reference.encode("ab\udfffc")
        except Exception:  # noqa: BLE001 - any refusal
            refused.add(name)
    assert refused == set(FAMILIES) - {"cl100k_base"}  # tiktoken replaces it by U+FFFD


# ---- corrupt files ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_gguf():
    from scratch.tokenizers import pretrained_path

    return pretrained_path("llama-2").read_bytes()


def test_a_gguf_file_shorter_than_its_header(tmp_path):
    for size in (0, 3, 4, 8, 23):
        path = tmp_path / f"short{size}.gguf"
        path.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x00" * 16)
        path.write_bytes(path.read_bytes()[:size])
        with pytest.raises(MalformedVocabError, match=rf"short{size}.gguf"):
            read_gguf_vocab(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.one_of(st.integers(0, 4096), st.integers(0, 800_000)))
def test_a_truncated_gguf_is_malformed_not_a_crash(small_gguf, tmp_path_factory, cut):
    path = tmp_path_factory.mktemp("gguf") / "cut.gguf"
    path.write_bytes(small_gguf[:cut])
    try:
        with time_limit(30):
            read_gguf_vocab(path)
    except MalformedVocabError as exc:
        assert "cut.gguf" in str(exc)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.one_of(st.integers(0, 2048), st.integers(0, 700_000)), st.integers(0, 7)), min_size=1, max_size=3))
def test_a_gguf_with_flipped_bits_is_read_or_malformed(small_gguf, tmp_path_factory, flips):
    """One bit flip gave an ``OverflowError``; any flips now give a vocabulary or
    ``MalformedVocabError``, never another exception, a hang or a huge allocation."""
    data = bytearray(small_gguf)
    for position, bit in flips:
        data[position % len(data)] ^= 1 << bit
    path = tmp_path_factory.mktemp("gguf") / "flipped.gguf"
    path.write_bytes(bytes(data))
    try:
        with time_limit(30):
            read_gguf_vocab(path)
    except MalformedVocabError as exc:
        assert "flipped.gguf" in str(exc)


@pytest.fixture(scope="module")
def saved_folders(tmp_path_factory):
    """One folder per kind that ``from_directory`` loads."""
    root = tmp_path_factory.mktemp("saved")
    texts = ["hello world, hello tokens", "the world of tokens"]
    save_byte_bpe(train_bpe(texts, 280, show_progress=False), root / "bpe")
    (root / "bpe-classic").mkdir()
    for name in ("vocab.json", "merges.txt"):
        shutil.copy(root / "bpe" / name, root / "bpe-classic" / name)
    save_spm_bpe(train_spm_bpe(texts, 280, show_progress=False), root / "spm")
    save_vocab_txt(train_wordpiece(texts, 40, show_progress=False), root / "wp")
    (root / "uni").mkdir()
    write_model(train_unigram(texts, 20), root / "uni" / "tokenizer.model")
    return root


CORRUPTIONS = {
    "truncate": lambda data, n: data[: n % (len(data) + 1)],
    "flip": lambda data, n: data[: n % len(data)] + bytes([data[n % len(data)] ^ (1 << (n % 8))]) + data[n % len(data) + 1 :],
    "replace": lambda data, n: data.replace(b'"', b"[", 1 + n % 3) if n % 2 else data.replace(b"0", b"-", 1 + n % 5),
}


@pytest.mark.parametrize("kind, file", [("bpe", "tokenizer.json"), ("bpe-classic", "vocab.json"),
                                        ("bpe-classic", "merges.txt"), ("spm", "spm_bpe.json"),
                                        ("wp", "tokenizer.json"), ("uni", "tokenizer.model")])  # fmt: skip
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=st.sampled_from(sorted(CORRUPTIONS)), n=st.integers(0, 1 << 20))
def test_a_corrupt_tokenizer_file_is_malformed_and_named(saved_folders, tmp_path_factory, kind, file, how, n):
    folder = tmp_path_factory.mktemp("corrupt") / kind
    shutil.copytree(saved_folders / kind, folder)
    data = (folder / file).read_bytes()
    (folder / file).write_bytes(CORRUPTIONS[how](data, n))
    try:
        with time_limit(30):
            folders.from_directory(folder)
    except MalformedVocabError as exc:
        assert file in str(exc)


def test_a_corrupt_spm_bpe_json_names_the_file(saved_folders, tmp_path):
    folder = tmp_path / "spm"
    shutil.copytree(saved_folders / "spm", folder)
    for content in (b"{", b"[]", b'{"pieces": 3}', b'{"pieces": ["a"], "scores": [], "types": []}', b"\xff"):
        (folder / "spm_bpe.json").write_bytes(content)
        with pytest.raises(MalformedVocabError, match="spm_bpe.json"):
            folders.from_directory(folder)
