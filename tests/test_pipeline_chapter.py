"""The chapter's tokenizers are instances of the pipeline, and the fast paths agree with it.

* Every pretrained tokenizer that a ``tokenizer.json`` can describe becomes, through
  :meth:`PipelineTokenizer.of`, the five stages; run on the pipeline's general path
  (``encode_full``: normalizer, pre-tokenizer, model, post-processor, each from
  :mod:`scratch.tokenizers.pipeline`), it gives the ids the specialised tokenizer gives.
  (``tests/test_tokenizer_json_save.py`` proves the same JSON gives those ids in ``tokenizers``.)
* ``from_tokenizer_json`` hands ``encode`` to a specialised tokenizer only when that
  tokenizer describes itself as the same stages; those files give the same ids on both paths.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratch import tokenizers
from scratch.artifacts import fetch_file
from scratch.tokenizers.pipeline.tokenizer import PipelineTokenizer
from text_corpora import comparison_text, english, multilingual, python_source

#: Pretrained tokenizers a tokenizer.json cannot describe (``tokemb tokenizer save`` says why).
NOT_EXPRESSIBLE = {"cl100k_base", "botchan-unigram", "kyoto-unigram"}
EXPRESSIBLE = [name for name in tokenizers.PRETRAINED if name not in NOT_EXPRESSIBLE]


def texts() -> list[str]:
    return [english(3000, offset=200_000), python_source(3000), multilingual(4000), comparison_text()]


@pytest.fixture(scope="module", params=EXPRESSIBLE)
def chapter_pair(request):
    tok = tokenizers.load(request.param)
    return tok, PipelineTokenizer.of(tok)


def test_every_chapter_tokenizer_runs_as_the_five_stages(chapter_pair):
    tok, pipeline = chapter_pair
    for text in texts():
        for add_special_tokens in (True, False):
            general = pipeline.encode_full(text, add_special_tokens=add_special_tokens).ids
            assert general == tok.encode(text, add_special_tokens=add_special_tokens), tok.name
        ids = tok.encode(text)
        for skip in (True, False):
            assert pipeline.decode(ids, skip_special_tokens=skip) == tok.decode(ids, skip_special_tokens=skip)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=60))
def test_the_two_paths_agree_on_any_text(chapter_pair, text):
    tok, pipeline = chapter_pair
    assert pipeline.encode_full(text).ids == tok.encode(text)


def test_the_ones_a_tokenizer_json_cannot_describe_say_why():
    for name in NOT_EXPRESSIBLE:
        with pytest.raises(tokenizers.NotExpressibleError):
            tokenizers.load(name).to_tokenizer_json()


FAST_FILES = [("all-MiniLM-L6-v2", "tokenizer.json"), ("all-mpnet-base-v2", "tokenizer.json"),
              ("tokenizer-json-llama-3", "tokenizer.json"), ("tokenizer-json-qwen2", "tokenizer.json")]  # fmt: skip


@pytest.mark.parametrize("artifact, member", FAST_FILES)
def test_files_on_a_fast_path_give_the_general_paths_ids(artifact, member):
    tok = tokenizers.from_tokenizer_json(fetch_file(artifact, member))
    assert tok.fast is not None, f"{artifact}: expected a fast path for this file"
    for text in texts():
        for add_special_tokens in (True, False):
            general = tok.encode_full(text, add_special_tokens=add_special_tokens, truncate_and_pad=False).ids
            assert tok.encode(text, add_special_tokens=add_special_tokens) == general


def test_a_file_the_fast_loader_half_understands_stays_on_the_general_path(tmp_path):
    """MiniLM's file with a template adding [SEP] twice: the WordPiece loader reads only the
    template's first and last token, so it must not be the fast path here."""
    import json

    from tokenizers import Tokenizer

    spec = json.loads(fetch_file("all-MiniLM-L6-v2", "tokenizer.json").read_text(encoding="utf-8"))
    spec["post_processor"]["single"].append({"SpecialToken": {"id": "[SEP]", "type_id": 0}})
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    tok = tokenizers.from_tokenizer_json(path)
    assert tok.fast is None
    reference = Tokenizer.from_file(str(path))
    reference.no_padding()
    assert tok.encode("hello world") == reference.encode("hello world").ids
