"""The pipeline's post-processors (scratch/tokenizers/pipeline/post_processors.py) against
``tokenizers``.

Oracle: a ``tokenizers.Tokenizer`` with the reference post-processor. Scratch's
``process`` gets the encodings the same tokenizer gives without a post-processor
(``encode(a)``, ``encode(b)``), and must return what the reference's ``encode(a)`` /
``encode(a, b)`` returns: ids, tokens, offsets, type ids, special-tokens mask and word ids,
with and without special tokens. Hypothesis draws the post-processor (every type, their
options, templates with multi-token special tokens, Sequences of them) and the text; the
models are GPT-2's byte-level BPE (tokens with ``Ġ``) and a WordLevel model over pieces
that keep their whitespace (so offset trimming meets real, and odd, whitespace).
``to_json`` must be what the reference writes; ``post_processor_from_json`` reads it back.
"""

from __future__ import annotations

import json

import pytest
import tokenizers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_corpora import multilingual
from tokenizers import pre_tokenizers
from tokenizers import processors as ref

from scratch.artifacts import fetch_file
from scratch.tokenizers import MalformedVocabError
from scratch.tokenizers.pipeline import post_processors as ours
from scratch.tokenizers.pipeline.encoding import Encoding
from scratch.tokenizers.pipeline.post_processors import PostProcessingError, post_processor_from_json
from scratch.tokenizers.pipeline.spec import UnsupportedComponentError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- text and models ------------------------------------------------------------------------

# accents, CJK, emoji, combining marks, odd whitespace (U+001C is whitespace to Python only,
# U+0085 and U+3000 to Rust too)
ALPHABET = st.sampled_from(list("ab cd  .,'") + ["é", "e\u0301", "中文", "🎵", "\u3000", "\xa0", "\t", "\n", "\x1c", "\x85", "\u2009", "Ġ"])
# text where most pieces begin or end with whitespace, Rust's or not (U+001C..U+001F)
SPACY = st.sampled_from([" ", "  ", "\x1c", "\x1f", "\u3000", "\x85", "\t", "a", "é"])
TEXT = st.one_of(st.lists(ALPHABET, max_size=14), st.lists(SPACY, max_size=10)).map("".join)


@pytest.fixture(scope="module")
def gpt2():
    vocab = json.loads(fetch_file("gpt2", "vocab.json").read_text(encoding="utf-8"))
    lines = fetch_file("gpt2", "merges.txt").read_text(encoding="utf-8").splitlines()
    merges = [tuple(line.split(" ")) for line in lines[1:] if line]
    return tokenizers.Tokenizer(tokenizers.models.BPE(vocab, merges))


def word_level(texts: list[str]) -> tokenizers.Tokenizer:
    """A WordLevel tokenizer whose tokens are the pieces of ``texts`` with their whitespace."""
    split = pre_tokenizers.Split(tokenizers.Regex(r"\s*\S+\s*|\s+"), behavior="isolated")
    pieces = {piece for text in texts for piece, _ in split.pre_tokenize_str(text)}
    vocab = {"[UNK]": 0, **{piece: i for i, piece in enumerate(sorted(pieces), start=1)}}
    tok = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = split
    return tok


def scratch_encoding(encoding) -> Encoding:
    return Encoding(list(encoding.ids), list(encoding.tokens), list(encoding.offsets), list(encoding.type_ids),
                    list(encoding.special_tokens_mask), list(encoding.word_ids))  # fmt: skip


def fields(encoding) -> dict:
    return {name: list(getattr(encoding, name)) for name in ("ids", "tokens", "offsets", "type_ids", "special_tokens_mask", "word_ids")}


# ---- post-processors: (scratch, reference) pairs ---------------------------------------------

NAMES = st.sampled_from(["[CLS]", "[SEP]", "<s>", "</s>", "<|im_start|>", "é", "X"])
TOKEN_TEXT = st.sampled_from(["[CLS]", "Ġ", "ĠĠa", " a ", "a\u3000", "\x1c", "中", ""])
IDS = st.integers(0, 2**32 - 1)
TOKEN_AND_ID = st.tuples(NAMES, IDS)


@st.composite
def special_token_spec(draw, name: str):
    """One special token as the Python API takes it: (token, id), (id, token) or a dict."""
    form = draw(st.sampled_from(["tuple", "reversed", "dict"]))
    if form == "dict":
        n = draw(st.integers(1, 3))
        return {"id": name, "ids": draw(st.lists(IDS, min_size=n, max_size=n)), "tokens": draw(st.lists(TOKEN_TEXT, min_size=n, max_size=n))}
    id = draw(IDS)
    return (name, id) if form == "tuple" else (id, name)


def piece_text(sequence: str | None, name: str, type_id: int | None) -> str:
    return (f"${sequence}" if sequence is not None else name) + ("" if type_id is None else f":{type_id}")


@st.composite
def template_pair(draw):
    type_ids = st.one_of(st.none(), st.integers(0, 3))
    sequence_a = st.sampled_from(["A", "a", "", "0", "1", "2"])
    single = draw(st.lists(st.one_of(
        st.tuples(sequence_a, st.just(""), type_ids), st.tuples(st.none(), NAMES, type_ids)), max_size=5))
    pair = draw(st.lists(st.one_of(st.tuples(st.sampled_from(["A", "B", "b"]), st.just(""), type_ids),
                                   st.tuples(st.none(), NAMES, type_ids)), max_size=6))  # fmt: skip
    pair += [("A", "", draw(type_ids)), ("B", "", draw(type_ids))]  # the reference requires both
    pair = draw(st.permutations(pair))
    single_texts = [piece_text(*p) for p in single]
    pair_texts = [piece_text(*p) for p in pair]
    names = sorted({name for sequence, name, _ in single + pair if sequence is None})
    specials = [draw(special_token_spec(name)) for name in names]
    as_string = draw(st.booleans())  # "a b c" or ["a", "b", "c"]
    args = {"single": " ".join(single_texts) if as_string else single_texts,
            "pair": " ".join(pair_texts) if as_string else pair_texts, "special_tokens": specials}
    if not single and as_string:
        del args["single"]  # the default, "$0" (an empty string would be one piece: "")
    return ours.TemplateProcessing(**args), ref.TemplateProcessing(**args)


def _both(build_ours, build_ref):
    return lambda *args: (build_ours(*args), build_ref(*args))


LEAF = st.one_of(
    st.builds(_both(ours.BertProcessing, ref.BertProcessing), TOKEN_AND_ID, TOKEN_AND_ID),
    st.builds(_both(ours.RobertaProcessing, ref.RobertaProcessing), TOKEN_AND_ID, TOKEN_AND_ID, st.booleans(), st.booleans()),
    st.builds(lambda prefix, trim: (ours.ByteLevel(prefix, trim), ref.ByteLevel(add_prefix_space=prefix, trim_offsets=trim)),
              st.booleans(), st.booleans()),
    template_pair(),
)
PROCESSOR = st.one_of(LEAF, st.lists(LEAF, max_size=3).map(
    lambda pairs: (ours.Sequence([o for o, _ in pairs]), ref.Sequence([r for _, r in pairs]))))


def assert_processes_as_the_reference(tok, pair, a: str, b: str | None, add_special_tokens: bool) -> None:
    scratch, reference = pair
    tok.post_processor = None
    sequence = scratch_encoding(tok.encode(a, add_special_tokens=False))
    second = None if b is None else scratch_encoding(tok.encode(b, add_special_tokens=False))
    tok.post_processor = reference
    try:
        expected = fields(tok.encode(a, b, add_special_tokens=add_special_tokens))
    except BaseException as error:  # a pyo3_runtime.PanicException: TemplateProcessing given 3+ encodings
        if type(error).__name__ != "PanicException":
            raise
        with pytest.raises(PostProcessingError):
            scratch.process(sequence, second, add_special_tokens)
        return
    before = fields(sequence)
    assert fields(scratch.process(sequence, second, add_special_tokens)) == expected
    assert fields(sequence) == before  # the input is not changed
    assert scratch.added_tokens(b is not None) == tok.num_special_tokens_to_add(b is not None)


# ---- the oracle tests ---------------------------------------------------------------------------


@SETTINGS
@given(pair=PROCESSOR, a=TEXT, b=st.one_of(st.none(), TEXT), add=st.booleans(), prefix=st.booleans())
def test_byte_level_bpe_encodings_process_as_the_reference(gpt2, pair, a, b, add, prefix):
    gpt2.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=prefix)
    assert_processes_as_the_reference(gpt2, pair, a, b, add)


@SETTINGS
@given(pair=PROCESSOR, a=TEXT, b=st.one_of(st.none(), TEXT), add=st.booleans())
def test_tokens_with_whitespace_process_as_the_reference(pair, a, b, add):
    tok = word_level([a] if b is None else [a, b])
    assert_processes_as_the_reference(tok, pair, a, b, add)


CHAINED = st.lists(LEAF, min_size=2, max_size=3).map(
    lambda pairs: (ours.Sequence([o for o, _ in pairs]), ref.Sequence([r for _, r in pairs])))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=CHAINED, a=TEXT, b=st.one_of(st.none(), TEXT), add=st.booleans(), prefix=st.one_of(st.none(), st.booleans()))
def test_chained_processors_process_as_the_reference(gpt2, pair, a, b, add, prefix):
    """Each processor after another: offsets trimmed after special tokens were added (a
    first token at index 1 but offset 0), special tokens unmarked by a later Bert or
    Roberta, a template given the 3+ encodings of an earlier template (the reference panics)."""
    if prefix is None:
        tok = word_level([a] if b is None else [a, b])
    else:
        tok = gpt2
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=prefix)
    assert_processes_as_the_reference(tok, pair, a, b, add)


ADDERS = LEAF.filter(lambda pair: pair[0].added_tokens(False) > 0)
TRIMMERS = st.one_of(
    st.builds(_both(ours.RobertaProcessing, ref.RobertaProcessing), TOKEN_AND_ID, TOKEN_AND_ID, st.just(True), st.booleans()),
    st.builds(lambda prefix: (ours.ByteLevel(prefix, True), ref.ByteLevel(add_prefix_space=prefix, trim_offsets=True)),
              st.booleans()),
)


@SETTINGS
@given(adder=ADDERS, trimmer=TRIMMERS, a=TEXT, b=st.one_of(st.none(), TEXT), prefix=st.booleans())
def test_offsets_trimmed_after_special_tokens_as_the_reference(gpt2, adder, trimmer, a, b, prefix):
    """A token at index 1 (after a special token) but at offset 0 counts as the first one:
    the prefix space the pre-tokenizer added stays in its offsets."""
    gpt2.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=prefix)
    pair = (ours.Sequence([adder[0], trimmer[0]]), ref.Sequence([adder[1], trimmer[1]]))
    assert_processes_as_the_reference(gpt2, pair, a, b, True)


_HOLDER = tokenizers.Tokenizer(tokenizers.models.WordLevel({"[UNK]": 0}, unk_token="[UNK]"))


def reference_document(processor) -> dict:
    _HOLDER.post_processor = processor
    return json.loads(_HOLDER.to_str())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=PROCESSOR)
def test_json_is_the_references_and_reads_back(pair):
    scratch, reference = pair
    document = reference_document(reference)
    written = document["post_processor"]
    assert scratch.to_json() == written
    loaded = post_processor_from_json(written)
    assert loaded.to_json() == written and loaded == scratch
    document["post_processor"] = scratch.to_json()  # what scratch writes, the reference reads alike
    assert json.loads(tokenizers.Tokenizer.from_str(json.dumps(document)).to_str())["post_processor"] == written


@pytest.mark.parametrize("name", ["all-MiniLM-L6-v2", "all-mpnet-base-v2"])
def test_real_post_processors(name):
    """The post-processors of real tokenizer.json files (TemplateProcessing, RobertaProcessing
    with add_prefix_space false), on multilingual text, as sequences and as pairs."""
    path = fetch_file(name, "tokenizer.json")
    written = json.loads(path.read_text(encoding="utf-8"))["post_processor"]
    processor = post_processor_from_json(written)
    assert processor.to_json() == written
    tok = tokenizers.Tokenizer.from_file(str(path))
    tok.no_padding()  # padding and truncation are the tokenizer's steps, not the post-processor's
    tok.no_truncation()
    reference = tok.post_processor
    lines = [line for line in multilingual(20_000).splitlines() if line.strip()][:80]
    for first, second in zip(lines, lines[1:] + [None]):
        for add in (True, False):
            assert_processes_as_the_reference(tok, (processor, reference), first, second, add)
            assert_processes_as_the_reference(tok, (processor, reference), first, None, add)


def test_trim_offsets_example():
    """RoBERTa trims the space of "Ġworld" off its offsets, keeps the added prefix space."""
    encoding = Encoding([1, 2], ["ĠHello", "Ġworld"], [(0, 5), (5, 11)], [0, 0], [0, 0], [0, 1])
    processed = ours.RobertaProcessing(("</s>", 2), ("<s>", 0)).process(encoding)
    assert processed.tokens == ["<s>", "ĠHello", "Ġworld", "</s>"]
    assert processed.offsets == [(0, 0), (0, 5), (6, 11), (0, 0)]
    assert processed.special_tokens_mask == [1, 0, 0, 1] and processed.word_ids == [None, 0, 1, None]


# ---- refusals ---------------------------------------------------------------------------------

MALFORMED = [
    {"type": "BertProcessing", "sep": ["[SEP]"], "cls": ["[CLS]", 1]},
    {"type": "BertProcessing", "sep": ["[SEP]", -1], "cls": ["[CLS]", 1]},
    {"type": "BertProcessing", "cls": ["[CLS]", 1]},
    {"type": "ByteLevel", "trim_offsets": True},  # add_prefix_space is required
    {"type": "TemplateProcessing", "single": "[CLS] $A", "pair": "$A $B", "special_tokens": {}},
    {"type": "TemplateProcessing", "single": [{"Sequence": {"id": "C", "type_id": 0}}], "pair": [], "special_tokens": {}},
    {"type": "TemplateProcessing", "single": [], "special_tokens": {}},
    {"type": "Sequence", "processors": [{"type": "Nope"}]},
    {"type": "Nope"},
]

PANICS_WHEN_ENCODING = [  # the reference loads these, then panics on encode: refused at load here
    {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}],
     "pair": [{"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {}},
    {"type": "TemplateProcessing", "single": [{"Sequence": {"id": "B", "type_id": 0}}],
     "pair": [{"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {}},
    {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}], "pair": [],
     "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [1, 2], "tokens": ["[CLS]"]}}},
]  # fmt: skip


@pytest.mark.parametrize("spec", MALFORMED, ids=lambda spec: json.dumps(spec, ensure_ascii=False)[:60])
def test_what_the_reference_refuses_is_refused(spec):
    document = reference_document(ref.ByteLevel())
    document["post_processor"] = spec
    with pytest.raises(Exception):
        tokenizers.Tokenizer.from_str(json.dumps(document))
    with pytest.raises(MalformedVocabError):
        post_processor_from_json(spec)


@pytest.mark.parametrize("spec", PANICS_WHEN_ENCODING, ids=str)
def test_templates_the_reference_cannot_encode_are_refused_at_load(spec):
    with pytest.raises(MalformedVocabError):
        post_processor_from_json(spec)


@pytest.mark.parametrize("spec", [
    {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "strip": 1},
    {"type": "Nope"},
])  # fmt: skip
def test_unknown_types_and_options_are_unsupported(spec):
    with pytest.raises(UnsupportedComponentError, match=f"post-processor {spec['type']}"):
        post_processor_from_json(spec)


@pytest.mark.parametrize("spec", [
    {"type": "RobertaProcessing", "sep": ["x", 1], "cls": ["y", 2]},
    {"type": "BertProcessing", "sep": ["x", 1], "cls": ["y", 2], "trim_offsets": False, "add_prefix_space": True},
    {"type": "BertProcessing", "sep": ["x", 1], "cls": ["y", 2], "trim_offsets": False},
    {"type": "RobertaProcessing", "sep": ["x", 1], "cls": ["y", 2], "trim_offsets": "yes", "add_prefix_space": True},
])  # fmt: skip
def test_bert_and_roberta_are_told_apart_by_their_fields_as_the_reference_does(spec):
    document = reference_document(ref.ByteLevel())
    document["post_processor"] = spec
    read_by_reference = json.loads(tokenizers.Tokenizer.from_str(json.dumps(document)).to_str())["post_processor"]
    assert post_processor_from_json(spec).to_json() == read_by_reference
