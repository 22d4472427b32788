"""Damaged word2vec-format files: what gensim loads loads the same, anything else is a ModelFileError naming the file.

gensim 4 is the oracle. Small files written by gensim itself (text and binary, with
non-ASCII words) are truncated, bit-flipped, overwritten or cut short by hypothesis; each
damaged file is loaded by gensim and by scratch:

* gensim raises (``EOFError``, ``ValueError``, ``UnicodeDecodeError``, ...): scratch
  raises :class:`ModelFileError` whose message names the file and a line or byte;
* gensim loads it: scratch gives the same keys and bit-identical vectors, or refuses
  only where gensim's result is silent garbage (a non-finite value, or a text row with a
  single value that gensim copies into every dimension).

Anything else scratch raises (a raw ``EOFError``, ``UnicodeDecodeError``, ``MemoryError``)
fails the test.
"""

from __future__ import annotations

import logging
import tracemalloc
import warnings

import numpy as np
import pytest
from gensim.models import KeyedVectors as GensimKeyedVectors
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratch.word2vec import KeyedVectors
from scratch.word2vec.model_files import ModelFileError

WORDS = ["the", "β", "naïve", "日本", "x"]
SIZE = 3


@pytest.fixture(scope="module")
def gensim_files(tmp_path_factory):
    """The bytes of a small text and binary word2vec file, as gensim writes them."""
    folder = tmp_path_factory.mktemp("w2v")
    kv = GensimKeyedVectors(SIZE)
    vectors = np.random.default_rng(7).normal(scale=[[0.01, 1.0, 300.0]], size=(len(WORDS), SIZE)).astype(np.float32)
    kv.add_vectors(WORDS, vectors)
    files = {}
    for binary in (False, True):
        path = folder / f"written.{'bin' if binary else 'txt'}"
        kv.save_word2vec_format(str(path), binary=binary)
        files[binary] = path.read_bytes()
    return folder, files


def load_both(path, **options):
    """(gensim's KeyedVectors or its exception, scratch's KeyedVectors or its ModelFileError)."""
    logging.disable(logging.WARNING)  # duplicate words are logged by both
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # gensim's overflow warnings while parsing
            try:
                expected = GensimKeyedVectors.load_word2vec_format(str(path), **options)
            except Exception as exc:  # the oracle's failure, whatever it is
                expected = exc
        try:
            got = KeyedVectors.load_word2vec_format(path, **options)
        except ModelFileError as exc:  # any other exception fails the test
            got = exc
    finally:
        logging.disable(logging.NOTSET)
    return expected, got


def gensim_result_is_garbage(expected, data: bytes, binary: bool, no_header: bool = False) -> bool:
    """gensim loaded non-finite values, or a text row with one value broadcast over every dimension."""
    if not np.isfinite(expected.vectors).all():
        return True
    lines = data.split(b"\n")
    rows = lines if no_header else lines[1 : 1 + int(lines[0].split()[0])]
    return not binary and expected.vector_size != 1 and any(len(row.rstrip().split(b" ")) == 2 for row in rows)


def check_against_gensim(path, data: bytes, binary: bool, **options):
    expected, got = load_both(path, binary=binary, **options)
    if isinstance(expected, Exception):
        assert isinstance(got, ModelFileError), f"gensim raised {expected!r}, scratch loaded the file"
        assert str(path) in str(got) and ("line " in str(got) or "byte " in str(got) or "empty" in str(got))
    elif isinstance(got, ModelFileError):
        garbage = gensim_result_is_garbage(expected, data, binary, options.get("no_header", False))
        assert garbage, f"gensim loads the file, scratch refused: {got}"
    else:
        assert got.index_to_key == expected.index_to_key
        np.testing.assert_array_equal(got.vectors, expected.vectors)
        assert got.vectors.dtype == np.float32


def damaged(data: bytes, damage: str, position: int, value: int) -> bytes:
    position %= len(data)
    if damage == "truncate":
        return data[:position]
    if damage == "flip":
        return data[:position] + bytes([data[position] ^ (1 << (value % 8))]) + data[position + 1 :]
    if damage == "set":
        return data[:position] + bytes([value]) + data[position + 1 :]
    return data[:position] + data[position + 1 :]  # "delete"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["text", "binary", "no header"]),
    damage=st.sampled_from(["truncate", "flip", "set", "delete"]),
    position=st.integers(0, 10_000),
    value=st.integers(0, 255),
    unicode_errors=st.sampled_from(["strict", "replace", "ignore"]),
)
def test_damaged_file_loads_as_gensim_or_is_named(gensim_files, kind, damage, position, value, unicode_errors):
    """Text and binary files as gensim writes them, and the text without its header (GloVe's format)."""
    folder, files = gensim_files
    binary, no_header = kind == "binary", kind == "no header"
    original = files[binary].split(b"\n", 1)[1] if no_header else files[binary]
    data = damaged(original, damage, position, value)
    path = folder / "damaged"
    path.write_bytes(data)
    check_against_gensim(path, data, binary, unicode_errors=unicode_errors, no_header=no_header)


@pytest.mark.parametrize("binary", [False, True])
def test_every_truncation_loads_as_gensim_or_is_named(gensim_files, binary):
    folder, files = gensim_files
    data = files[binary]
    path = folder / "truncated"
    for end in range(len(data) + 1):
        path.write_bytes(data[:end])
        check_against_gensim(path, data[:end], binary)


@pytest.mark.parametrize("binary", [False, True])
def test_declared_count_larger_than_the_rows_present(gensim_files, binary):
    """gensim raises EOFError; scratch too (a ModelFileError that is an EOFError), naming the file and where it ends."""
    folder, files = gensim_files
    data = files[binary].replace(b"5 3\n", b"6 3\n", 1)
    path = folder / "count"
    path.write_bytes(data)
    expected, got = load_both(path, binary=binary)
    assert isinstance(expected, EOFError)
    assert isinstance(got, ModelFileError) and isinstance(got, EOFError)
    where = "line 7: the file ends after 5 of the 6" if not binary else f"byte {len(data)}: the file ends inside row 6"
    assert str(got).startswith(f"{path}: {where}")


@pytest.mark.parametrize("binary", [False, True])
def test_declared_count_smaller_than_the_rows_present_reads_the_first_rows(gensim_files, binary):
    folder, files = gensim_files
    path = folder / "fewer"
    path.write_bytes(files[binary].replace(b"5 3\n", b"2 3\n", 1))
    expected, got = load_both(path, binary=binary)
    assert got.index_to_key == expected.index_to_key == WORDS[:2]
    np.testing.assert_array_equal(got.vectors, expected.vectors)


@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("header", [b"900000000 300\n", b"3000000 100000\n", b"2 99999999999\n"])
def test_huge_declared_count_is_refused_without_allocating_it(tmp_path, binary, header):
    """A corrupt header must not allocate what it declares (gensim: MemoryError or gigabytes of zeros)."""
    path = tmp_path / "huge"
    path.write_bytes(header + b"a 1 2\n")
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match=f"^{path}: (line 2|byte 1?[0-9]): "):
            KeyedVectors.load_word2vec_format(path, binary=binary)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000


@pytest.mark.parametrize(
    "header", [b"", b"\n", b"five 3\n", b"5\n", b"5 3 1\n", b"-1 3\n", b"5 -3\n", b"5 3.0\n", b"\xff 3\n"]
)
def test_bad_header_is_named(gensim_files, header):
    folder, files = gensim_files
    data = header + files[False].split(b"\n", 1)[1]
    path = folder / "header"
    path.write_bytes(data)
    expected, got = load_both(path)
    assert isinstance(expected, Exception)
    assert isinstance(got, ModelFileError) and str(got).startswith(f"{path}: ")


@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("unicode_errors", ["strict", "replace", "ignore"])
def test_bad_utf8_in_a_word_follows_unicode_errors(gensim_files, binary, unicode_errors):
    """A word cut inside a UTF-8 character (word2vec.c does this): refused unless ``unicode_errors`` allows it."""
    folder, files = gensim_files
    data = files[binary].replace("日本".encode(), "日本".encode()[:4], 1)
    path = folder / "utf8"
    path.write_bytes(data)
    expected, got = load_both(path, binary=binary, unicode_errors=unicode_errors)
    if unicode_errors == "strict":
        assert isinstance(expected, UnicodeDecodeError)
        assert isinstance(got, ModelFileError)
        assert f"{path}: {'line 5' if not binary else 'byte'}" in str(got) and "unicode_errors" in str(got)
    else:
        assert got.index_to_key == expected.index_to_key
        assert got.index_to_key[3] == ("日\ufffd" if unicode_errors == "replace" else "日")
        np.testing.assert_array_equal(got.vectors, expected.vectors)


@pytest.mark.parametrize(
    "row, problem",
    [
        (b"b nan 1 2", "nan"),
        (b"b 1 inf 2", "inf"),
        (b"b 1 2 1e39", "inf"),  # beyond float32: gensim stores inf
        (b"b 7", "has 1 value where the header declares 3"),  # gensim stores [7, 7, 7]
        (b"b 1 2", "has 2 values"),
        (b"b 1 2 x", "does not parse"),
        (b"b 1  2", "does not parse"),
    ],
)
def test_bad_text_rows_are_named(tmp_path, row, problem):
    path = tmp_path / "rows.txt"
    path.write_bytes(b"2 3\na 1 2 3\n" + row + b"\n")
    with pytest.raises(ModelFileError, match=f"^{path}: line 3: .*{problem}"):
        KeyedVectors.load_word2vec_format(path)


def test_non_finite_binary_value_is_named(tmp_path):
    path = tmp_path / "nan.bin"
    vectors = np.array([[1, 2], [np.nan, 3]], dtype="<f4")
    path.write_bytes(b"2 2\na " + vectors[0].tobytes() + b"bb " + vectors[1].tobytes())
    with pytest.raises(ModelFileError, match=f"^{path}: byte 14: the vector of 'bb' holds nan"):
        KeyedVectors.load_word2vec_format(path, binary=True)


def test_glove_file_with_a_short_line_is_named(tmp_path):
    path = tmp_path / "glove.txt"
    path.write_bytes(b"a 1 2 3\nb 1 2 3\nc 1\n")
    with pytest.raises(ModelFileError, match=f"^{path}: line 3: the word 'c' has 1 value"):
        KeyedVectors.load_word2vec_format(path, no_header=True)
    path.write_bytes(b"")
    with pytest.raises(ModelFileError, match="empty"):
        KeyedVectors.load_word2vec_format(path, no_header=True)


def test_bad_vocabulary_file_is_named(gensim_files, tmp_path):
    folder, files = gensim_files
    (tmp_path / "v.txt").write_bytes(files[False])
    (tmp_path / "vocab").write_bytes(b"the 10\nbeta\n")
    with pytest.raises(ModelFileError, match="vocab: line 2: expected '<word> <count>'"):
        KeyedVectors.load_word2vec_format(tmp_path / "v.txt", fvocab=tmp_path / "vocab")


@pytest.mark.parametrize("chunk", [1, 5, 17, 64])
def test_binary_rows_split_across_read_chunks(gensim_files, monkeypatch, chunk):
    """The binary format is read in chunks; rows and words cut by a chunk's end read the same."""
    from scratch.word2vec import word2vec_format

    monkeypatch.setattr(word2vec_format, "BINARY_CHUNK_BYTES", chunk)
    folder, files = gensim_files
    path = folder / "chunks.bin"
    for end in (len(files[True]), len(files[True]) - 1, len(files[True]) - 13, 20):
        path.write_bytes(files[True][:end])
        check_against_gensim(path, files[True][:end], binary=True)
