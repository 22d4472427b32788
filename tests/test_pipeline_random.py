"""Random pipelines built with ``tokenizers`` itself, loaded from their ``tokenizer.json`` by
scratch's :class:`~scratch.tokenizers.pipeline.tokenizer.PipelineTokenizer`, and compared
with the reference on random text (issue #18, "How to prove it").

Hypothesis draws every stage and its options (``pipeline_strategies.pipelines``: small models
trained by ``tokenizers``' trainers and real vocabularies, any normalizer, pre-tokenizer,
post-processor and decoder, added tokens with every flag); the reference tokenizer, reloaded
from the JSON string it wrote, is the oracle for every combination:

* ids and tokens, with and without special tokens;
* decoded text of those ids and of random ids, skipping special tokens or not;
* pairs (``encode(a, b)``): ids, tokens, type ids and the special-tokens mask;
* offsets into the original text.

Where the reference raises (a Unigram model without ``unk_id`` meeting an unknown
character), scratch must raise too; where it crashes (a Rust panic), there is nothing to
compare with and the case is only counted (hypothesis ``event``). A tokenizer.json that
scratch refuses at load is a failure, unless the refusal is in :data:`ALLOWED_REFUSALS`.

On failure hypothesis prints the drawn tokenizer.json (vocabulary and merges elided) and the
path of the full file, kept for replay.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, note, reject, settings
from hypothesis import strategies as st

from pipeline_strategies import BASE_NAMES, DrawnPipeline, pipelines, texts_for

#: Substrings of ``UnsupportedComponentError`` messages the issue allows scratch to refuse
#: with. The issue asks for every component and option drawn here, so there is none; a
#: refusal added here must say why (e.g. a ``tokenizers`` option that is random by design).
ALLOWED_REFUSALS: list[str] = []

SETTINGS = dict(
    deadline=None,
    # One bug at a time, without the slow "explain" phase: a failing pipeline is shrunk and
    # printed (each example builds a whole tokenizer, so shrinking several bugs takes minutes).
    report_multiple_bugs=False,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def load_scratch(drawn: DrawnPipeline):
    """scratch's tokenizer for the drawn JSON, saved as a ``tokenizer.json`` file and loaded
    by ``scratch.tokenizers.from_tokenizer_json`` (the pipeline, with the chapter's fast path
    where the file is exactly one of its tokenizers): a failure if refused, unless allowed."""
    from scratch.tokenizers import from_tokenizer_json
    from scratch.tokenizers.pipeline.spec import UnsupportedComponentError

    note(f"tokenizer.json (base model {drawn.base!r}):\n{drawn.summary()}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tokenizer.json"
        path.write_text(drawn.json, encoding="utf-8")
        try:
            return from_tokenizer_json(path)
        except UnsupportedComponentError as exc:
            if any(allowed in str(exc) for allowed in ALLOWED_REFUSALS):
                reject()
            keep_for_replay(drawn)
            pytest.fail(f"scratch refused a tokenizer.json that tokenizers loads: {exc}")
        except Exception:
            keep_for_replay(drawn)
            raise


def keep_for_replay(drawn: DrawnPipeline) -> None:
    """Write the full tokenizer.json of a failing example and note where it is."""
    path = Path(tempfile.gettempdir()) / f"tokemb-pipeline-{hashlib.sha1(drawn.json.encode()).hexdigest()[:12]}.json"
    path.write_text(drawn.json, encoding="utf-8")
    note(f"full tokenizer.json: {path}")


def reference_call(call):
    """``call()``, or the exception the reference raised (a Rust panic included)."""
    try:
        return call()
    except BaseException as exc:  # pyo3's PanicException is a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return exc


def check(drawn: DrawnPipeline, scratch_call, reference_call_, compare) -> None:
    """Run both; equal results by ``compare``, or both raising."""
    expected = reference_call(reference_call_)
    if type(expected).__name__ == "PanicException":
        # A crash of the reference (e.g. the Strip decoder indexing before a token's start
        # when ``left + right`` exceeds its length, decoders/strip.rs; an lstrip added token
        # after a multi-byte space, added_vocabulary.rs): no behaviour to compare with.
        event(f"the reference panicked: {str(expected)[:60]}")
        return
    if isinstance(expected, BaseException):
        note(f"the reference raised {expected!r}")
        with pytest.raises(Exception):
            scratch_call()
        return
    try:
        compare(scratch_call(), expected)
    except Exception:
        keep_for_replay(drawn)
        raise


def _assert_equal(got, expected) -> None:
    assert got == expected


def assert_same_encoding(got, expected, fields=("ids", "tokens")) -> None:
    for name in fields:
        assert getattr(got, name) == getattr(expected, name), name


@pytest.mark.parametrize("base", BASE_NAMES)
@settings(max_examples=14, **SETTINGS)
@given(data=st.data())
def test_random_pipeline_matches_tokenizers(base, data):
    """ids, tokens and decoded text of random text, for random pipelines on each base model."""
    drawn = data.draw(pipelines([base]), label="pipeline")
    tokenizer, reference = load_scratch(drawn), drawn.reference
    for text in data.draw(st.lists(texts_for(drawn), min_size=1, max_size=3), label="texts"):
        for add_special_tokens in (True, False):
            check(
                drawn,
                lambda: tokenizer.encode_full(text, add_special_tokens=add_special_tokens),
                lambda: reference.encode(text, add_special_tokens=add_special_tokens),
                assert_same_encoding,
            )
            ids = reference_call(lambda: reference.encode(text, add_special_tokens=add_special_tokens).ids)
            # ``encode`` (ids only) may take the chapter tokenizers' fast path: the same ids.
            check(drawn, lambda: tokenizer.encode(text, add_special_tokens=add_special_tokens), lambda: ids,
                  _assert_equal)  # fmt: skip
            if isinstance(ids, BaseException):
                continue
            for skip in (True, False):
                check(drawn, lambda: tokenizer.decode(ids, skip_special_tokens=skip),
                      lambda: reference.decode(ids, skip_special_tokens=skip), _assert_equal)  # fmt: skip
    # Decoding any ids, not only those an encoding gives (decoders see odd token sequences).
    size = reference.get_vocab_size(with_added_tokens=True)
    ids = data.draw(st.lists(st.integers(0, size - 1), max_size=12), label="ids")
    ids = [i for i in ids if reference.id_to_token(i) is not None]
    for skip in (True, False):
        check(drawn, lambda: tokenizer.decode(ids, skip_special_tokens=skip),
              lambda: reference.decode(ids, skip_special_tokens=skip), _assert_equal)  # fmt: skip


@settings(max_examples=40, **SETTINGS)
@given(data=st.data())
def test_random_pipeline_pairs_match_tokenizers(data):
    """``encode(a, b)``: the post-processors' pair templates, type ids and special-token masks."""
    drawn = data.draw(pipelines(), label="pipeline")
    tokenizer, reference = load_scratch(drawn), drawn.reference
    first, second = data.draw(texts_for(drawn, max_pieces=5)), data.draw(texts_for(drawn, max_pieces=5))
    for add_special_tokens in (True, False):
        check(
            drawn,
            lambda: tokenizer.encode_full(first, second, add_special_tokens=add_special_tokens),
            lambda: reference.encode(first, second, add_special_tokens=add_special_tokens),
            lambda got, expected: assert_same_encoding(
                got, expected, ("ids", "tokens", "type_ids", "special_tokens_mask")
            ),
        )


@settings(max_examples=40, **SETTINGS)
@given(data=st.data())
def test_random_pipeline_offsets_match_tokenizers(data):
    """Offsets into the original text (through normalizer alignments, pre-tokenizers' trims
    and the post-processors' ``trim_offsets``)."""
    drawn = data.draw(pipelines(), label="pipeline")
    tokenizer, reference = load_scratch(drawn), drawn.reference
    text = data.draw(texts_for(drawn, max_pieces=6))
    model = json.loads(drawn.json)["model"]
    # A BPE byte fallback that spells a subword prefix or suffix in bytes gives the reference
    # offsets past the end of the word (models.BPE's docstring): those are compared on the
    # model alone (test_pipeline_models.py); here only the ids.
    past_the_end = model.get("byte_fallback") and (model.get("continuing_subword_prefix") or model.get("end_of_word_suffix"))
    check(
        drawn,
        lambda: tokenizer.encode_full(text),
        lambda: reference.encode(text),
        lambda got, expected: assert_same_encoding(got, expected, ("ids",) if past_the_end else ("ids", "offsets")),
    )


@settings(max_examples=40, **SETTINGS)
@given(data=st.data())
def test_what_scratch_writes_is_the_same_tokenizer_to_the_reference(data):
    """Round trip: the ``tokenizer.json`` scratch writes for a loaded pipeline (``save``) loads
    in ``tokenizers`` and gives the ids and decoded text of the file it was loaded from."""
    from tokenizers import Tokenizer

    drawn = data.draw(pipelines(), label="pipeline")
    written = Tokenizer.from_str(json.dumps(load_scratch(drawn).to_tokenizer_json()))
    reference = drawn.reference
    for text in data.draw(st.lists(texts_for(drawn), min_size=1, max_size=3), label="texts"):
        for add_special_tokens in (True, False):
            check(drawn, lambda: written.encode(text, add_special_tokens=add_special_tokens).ids,
                  lambda: reference.encode(text, add_special_tokens=add_special_tokens).ids, _assert_equal)  # fmt: skip
        ids = reference_call(lambda: reference.encode(text).ids)
        if not isinstance(ids, BaseException):
            check(drawn, lambda: written.decode(ids, skip_special_tokens=False),
                  lambda: reference.decode(ids, skip_special_tokens=False), _assert_equal)  # fmt: skip
