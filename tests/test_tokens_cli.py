"""`tokemb tokens`, `tokemb decode` and `tokemb tokenizer info` as a user runs them
(``reference/cli/tokenizers.py``), and the text of walkthrough sections 2-4.

Ids, tokens and decoded text are compared with the reference tokenizers
(transformers, tiktoken, sentencepiece), run in the test; offsets with tiktoken's
``decode_with_offsets``; Phi-3's sizes with the published figures (32,011 ids in the
tokenizer, ``shared/REFERENCE_ARTIFACTS.md``; 32,064 embedding rows, the model's
``config.json`` ``vocab_size``)."""

from __future__ import annotations

import io
import json
import sys

import pytest

import reference.tokenizers as reference_tokenizers
from reference.walkthrough import tokenizer_training as walkthrough_tokenizer_training
from reference.walkthrough import tokenizers as walkthrough_tokenizers
from reference.cli import main

from cli_helpers import one_error_line, run

TEXT = "Hello world 🎵\r\nEnglishandCAPITALIZATION ==>=else\ttabs   spaces"


def records(out: str) -> dict[str, dict]:
    return {r["tokenizer"]: r for r in map(json.loads, out.strip().splitlines())}


@pytest.fixture
def stdin(monkeypatch):
    def feed(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))

    return feed


NAMES = ["gpt2", "cl100k_base", "phi-3", "bert-base-uncased"]


def test_json_ids_and_tokens_are_the_references(capsys):
    code, out, _ = run(capsys, "tokens", TEXT, "--json", *[a for n in NAMES for a in ("-t", n)])
    assert code == 0
    found = records(out)
    assert list(found) == NAMES
    for name in NAMES:
        reference = reference_tokenizers.load(name)
        ids = reference.encode(TEXT)
        assert found[name]["ids"] == ids and found[name]["count"] == len(ids)
        assert found[name]["tokens"] == [reference.id_to_token(i) for i in ids]
    assert found["bert-base-uncased"]["byte_spans"] is None  # lower-cased: no exact spans


def test_json_byte_spans_start_where_tiktoken_says(capsys):
    text = "Hello world, it's ==>=else  done\n"  # ASCII: byte offsets are character offsets
    code, out, _ = run(capsys, "tokens", text, "--json", "-t", "cl100k_base")
    record = records(out)["cl100k_base"]
    _, starts = reference_tokenizers.load("cl100k_base").encoding.decode_with_offsets(record["ids"])
    assert [start for start, _ in record["byte_spans"]] == starts
    assert record["byte_spans"][-1][1] == len(text)


def test_stdin_is_read_byte_for_byte(capsys, stdin):
    stdin(TEXT.encode("utf-8"))
    code, out, _ = run(capsys, "tokens", "-", "--json", "-t", "gpt2", "-t", "phi-3")
    assert code == 0
    for name, record in records(out).items():
        assert record["ids"] == reference_tokenizers.load(name).encode(TEXT)


def test_stdin_that_is_not_utf8_is_one_line(capsys, stdin):
    stdin(b"caf\xe9")
    code, _, err = run(capsys, "tokens", "-", "-t", "gpt2")
    assert code == 2 and "standard input is not UTF-8" in one_error_line(err)


def test_file_is_read_byte_for_byte(capsys, tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    code, out, _ = run(capsys, "tokens", "--file", str(path), "--json", "-t", "gpt2")
    ids = records(out)["gpt2"]["ids"]
    reference = reference_tokenizers.load("gpt2")
    assert ids == reference.encode(TEXT) != reference.encode(TEXT.replace("\r\n", "\n"))


def test_count_only_and_in_the_singular(capsys):
    code, out, _ = run(capsys, "tokens", TEXT, "--count", "-t", "gpt2", "-t", "phi-3")
    assert code == 0
    lines = dict(line.split("\t") for line in out.strip().splitlines())
    for name in ["gpt2", "phi-3"]:
        n = len(reference_tokenizers.load(name).encode(TEXT))
        assert lines[name] == f"{n} tokens"
    code, out, _ = run(capsys, "tokens", "hello", "--count", "-t", "gpt2")
    assert out.strip() == "gpt2\t1 token"
    code, out, _ = run(capsys, "tokens", "hello", "-t", "gpt2", "--color", "never")
    assert out.startswith("gpt2  (1 token, ")


@pytest.mark.parametrize("name", ["gpt2", "phi-3", "bert-base-uncased", "cl100k_base"])
def test_decode_is_the_references(capsys, name):
    reference = reference_tokenizers.load(name)
    ids = reference.encode(TEXT)
    code, out, _ = run(capsys, "decode", "-t", name, *map(str, ids))
    assert code == 0 and out == reference.decode(ids) + "\n"
    code, out, _ = run(capsys, "decode", "-t", name, "--skip-special-tokens", "-n", *map(str, ids))
    assert out == reference.decode(ids, skip_special_tokens=True)


def test_html_ids_are_in_the_page(capsys, tmp_path):
    page = tmp_path / "tokens.html"
    code, _, _ = run(capsys, "tokens", "==>=else", "-t", "gpt2", "--ids", "--html", str(page))
    text = page.read_text(encoding="utf-8")
    for token_id in reference_tokenizers.load("gpt2").encode("==>=else"):
        assert f"<span class='id'>{token_id}</span>" in text
    run(capsys, "tokens", "==>=else", "-t", "gpt2", "--html", str(page))
    assert "class='id'" not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "argv, status, wanted",
    [
        (["tokens", "--file", "/no/such/file.txt", "-t", "gpt2"], 1, "/no/such/file.txt: No such file"),
        (["tokens", "-t", "gpt2"], 2, "give a TEXT"),
        (["tokens", "hi", "--file", "x.txt", "-t", "gpt2"], 2, "not TEXT and --file"),
        (["decode", "-t", "gpt2", "50257"], 2, "no token with id 50257"),
        (["decode", "-t", "no-such-tokenizer", "1"], 2, "unknown tokenizer"),
    ],
)
def test_errors_are_one_line(capsys, argv, status, wanted):
    code, _, err = run(capsys, *argv)
    assert code == status and wanted in one_error_line(err)


def test_a_file_that_is_not_utf8_is_one_line(capsys, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"caf\xe9")
    code, _, err = run(capsys, "tokens", "--file", str(path), "-t", "gpt2")
    assert code == 1 and str(path) in one_error_line(err)


def test_json_and_count_together_are_refused(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["tokens", "x", "--json", "--count"])
    assert stopped.value.code == 2


def _info(capsys, name: str) -> dict[str, list[str]]:
    code, out, _ = run(capsys, "tokenizer", "info", name)
    assert code == 0
    rows: dict[str, list[str]] = {}
    for line in out.splitlines()[1:]:
        field, value = line[2:18].strip(), line[19:]
        rows.setdefault(field, []).append(value)
    return rows


def test_info_shows_method_normalisation_and_pre_tokenizer(capsys):
    cl100k = _info(capsys, "cl100k_base")
    pattern = reference_tokenizers.load("cl100k_base").encoding._pat_str
    assert cl100k["pre-tokenizer"] == [f"regex 'cl100k_base': {pattern}"]
    assert cl100k["method"][0].startswith("byte-level BPE")
    qwen2 = _info(capsys, "qwen2")
    assert type(reference_tokenizers.load("qwen2").backend.normalizer).__name__ == "NFC" == qwen2["normalisation"][0]
    bert = _info(capsys, "bert-base-uncased")
    assert bert["method"][0].startswith("WordPiece") and "lower-cased" in bert["normalisation"][0]
    assert "lower-cased" not in _info(capsys, "bert-base-cased")["normalisation"][0]


def test_info_explains_phi3_s_two_vocabulary_sizes(capsys):
    phi3 = _info(capsys, "phi-3")
    size = reference_tokenizers.load("phi-3").vocab_size
    assert size == 32011
    assert phi3["vocabulary size"] == [f"{size:,} (ids 0-31,999 for the model's entries; 11 added tokens after them)"]
    assert phi3["embedding rows"][0].startswith("32,064: the model's embedding matrix is padded")
    assert phi3["method"][0].startswith("SentencePiece BPE") and "\u2581" in phi3["normalisation"][0]
    assert phi3["pre-tokenizer"][0].startswith("none")


def test_walkthrough_sections_2_and_3_say_what_they_show(monkeypatch):
    monkeypatch.setattr(walkthrough_tokenizers, "BOOK_TOKENIZERS", ["gpt2", "phi-3"])
    out = io.StringIO()
    walkthrough_tokenizers.compare_tokenizers(out)
    text = out.getvalue()
    assert text.count("scratch gives the same ids as the real tokenizer") == 2
    assert "identical ids the real" not in text
    out = io.StringIO()
    walkthrough_tokenizers.tokenizer_properties(out)
    text = out.getvalue()
    for field in ["method", "normalisation", "pre-tokenizer", "vocabulary size", "embedding rows"]:
        assert f"  {field:<16} " in text
    assert "32,064" in text and "32,011" in text


@pytest.mark.parametrize(
    "english_counts, wanted",
    [({"python": 80, "english": 83}, "English-trained tokenizer spends MORE tokens (83 vs 80)"),
     ({"python": 90, "english": 83}, "English-trained tokenizer spends fewer tokens (83 vs 90)")],
)  # fmt: skip
def test_section_4_concludes_from_the_numbers(english_counts, wanted):
    counts = {"python": {"python": 60, "english": 110}, "english": english_counts}
    said = walkthrough_tokenizer_training.conclusion(counts)
    assert wanted in said
    assert "code-trained tokenizer spends fewer tokens (60 vs 110)" in said
