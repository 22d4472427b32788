"""scratch.auto's AutoModel and AutoModelForCausalLM against transformers' own, on the real models.

* ``AutoModel`` on all-MiniLM-L6-v2 (BERT) and all-mpnet-base-v2 (MPNet): the output of
  ``model(**tokens)`` (``[0]`` / ``last_hidden_state``, ``[1]`` / ``pooler_output``) equals
  transformers' ``AutoModel`` on the same folder to 1e-5 (float32, as tests/test_embedders.py),
  on padded batches of drawn texts, text pairs (token_type_ids) included;
* ``AutoModelForCausalLM`` on SmolLM2-135M-Instruct: logits equal transformers' model
  (float32, 1e-4 as tests/test_generation.py) on a left-padded batch; ``generate`` gives
  transformers' ids exactly: greedy (stopping at SmolLM2's EOS), sampled after the same
  ``torch.manual_seed`` with temperature / top-k / top-p, and batched with left padding
  (a finished row filled with the pad id). The reference model is transformers' float32
  ``LlamaForCausalLM`` from the same GGUF artifact (``reference.generation.load_smollm2``);
  it is also loaded by scratch as a local folder;
* ids whose weights cannot be obtained here, and options not implemented, are refused.

Models load once per module. The tokenizer is transformers' (the oracle's input), so these
tests hold the models alone; ``AutoTokenizer`` has its own tests.
"""

from __future__ import annotations

import functools
import warnings

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import embedders as ref_embedders
from reference import generation as ref_generation
from scratch import tokenizers
from scratch.artifacts import fetch
from scratch.auto.models import AutoModel, AutoModelForCausalLM
from scratch.errors import ModelNotAvailableError
from scratch.generation import encode_chat

TOLERANCE = 1e-5  # float32 hidden states, as tests/test_embedders.py
LOGIT_TOLERANCE = 1e-4  # float32 logits, as tests/test_generation.py
ENCODERS = {"minilm": "sentence-transformers/all-MiniLM-L6-v2", "mpnet": "all-mpnet-base-v2"}
SMOLLM2 = "HuggingFaceTB/SmolLM2-135M-Instruct"

# Text with accents, CJK, emoji, combining marks and odd whitespace (no lone surrogates).
TEXT = st.text(st.sampled_from(list("abcdefghij klmnop.,!?'-") + list("éüçñ東京語🙂👍\u0301\u00a0\t\n")),
               min_size=0, max_size=60)  # fmt: skip


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module", params=list(ENCODERS))
def encoders(request):
    """(scratch model, transformers model, transformers tokenizer) for each encoder, loaded once."""
    name = ENCODERS[request.param]
    folder = fetch(name.split("/")[-1])
    return request.param, AutoModel.from_pretrained(name), ref_embedders.auto_model(folder), \
        ref_embedders.auto_tokenizer(folder)  # fmt: skip


@pytest.fixture(scope="module")
def smollm2():
    """(scratch model, transformers model), SmolLM2-135M-Instruct in float32."""
    return AutoModelForCausalLM.from_pretrained(SMOLLM2), ref_generation.load_smollm2()


# Prompt ids are only inputs here (both models get the same): scratch's SmolLM2 tokenizer and
# chat format make them quickly (tests/test_generation*.py hold those equal to transformers').
@functools.lru_cache(maxsize=1)
def smollm2_tokenizer():
    return tokenizers.load("smollm2")


def chat(question: str) -> list[int]:
    return encode_chat(smollm2_tokenizer(), [{"role": "user", "content": question}], "smollm2")


def plain(text: str) -> list[int]:
    return smollm2_tokenizer().encode(text)


YES_NO = "Answer yes or no: is the sky blue?"  # SmolLM2 answers "Yes." and its EOS: 3 tokens


def padded(rows: list[list[int]], pad: int = 2, side: str = "left") -> tuple[torch.Tensor, torch.Tensor]:
    """``(input_ids, attention_mask)``, padded on the left as tokenizers do for decoder-only
    models (or on the right, which transformers runs too, with a warning)."""
    width = max(map(len, rows))

    def fill(row: list[int], value: int) -> list[int]:
        extra = [value] * (width - len(row))
        return extra + row if side == "left" else row + extra

    return torch.tensor([fill(r, pad) for r in rows]), torch.tensor([fill([1] * len(r), 0) for r in rows])


# ------------------------------------------------------------------ AutoModel


def _assert_same_output(ours, theirs) -> None:
    assert ours.last_hidden_state.shape == theirs.last_hidden_state.shape
    assert float((ours.last_hidden_state - theirs.last_hidden_state).abs().max()) <= TOLERANCE
    assert float((ours.pooler_output - theirs.pooler_output).abs().max()) <= TOLERANCE
    assert ours[0] is ours.last_hidden_state and ours[1] is ours.pooler_output


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXT, min_size=1, max_size=3), pairs=st.booleans())
def test_automodel_equals_transformers_on_padded_batches(encoders, texts, pairs):
    key, ours, theirs, tokenizer = encoders
    second = [t[::-1] for t in texts] if pairs else None  # a pair gives token_type_ids 1 on BERT
    tokens = tokenizer(texts, second, padding=True, truncation=True, max_length=32, return_tensors="pt")
    assert ("token_type_ids" in tokens) == (key == "minilm")
    with torch.no_grad():
        expected = theirs(**tokens)
    _assert_same_output(ours(**tokens), expected)


def test_automodel_chapter_code(encoders):
    """The chapter's cell: ``model(**tokenizer("Hello world", return_tensors="pt"))[0]``."""
    key, ours, theirs, tokenizer = encoders
    tokens = tokenizer("Hello world", return_tensors="pt")
    model = ours.eval().to("cpu")
    assert model is ours and model.device == torch.device("cpu")
    with torch.no_grad():
        output = model(**tokens)[0]
        expected = theirs(**tokens)[0]
    assert output.shape == (1, 4, theirs.config.hidden_size)  # [CLS] hello world [SEP]
    assert float((output - expected).abs().max()) <= TOLERANCE
    for field in ("hidden_size", "model_type", "vocab_size", "num_hidden_layers"):
        assert getattr(model.config, field) == getattr(theirs.config, field)
    as_tuple = model(**tokens, return_dict=False)
    assert isinstance(as_tuple, tuple) and len(as_tuple) == 2 and torch.equal(as_tuple[0], output)
    assert model(**tokens).hidden_states is None  # declared but unset, as transformers' ModelOutput


def test_automodel_local_folder_and_options():
    folder = fetch("all-MiniLM-L6-v2")
    model = AutoModel.from_pretrained(folder, torch_dtype="auto", device_map="cpu", attn_implementation="eager")
    reference = AutoModel.from_pretrained("all-MiniLM-L6-v2")
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]])
    mask = (ids != 0).long()
    written_out, fused = model(input_ids=ids, attention_mask=mask), reference(input_ids=ids, attention_mask=mask)
    real = mask.bool()  # a padded position's vector (never used) differs more, the formulas rounding otherwise
    assert float((written_out[0][real] - fused[0][real]).abs().max()) <= TOLERANCE
    with pytest.raises(TypeError, match="output_loading_info"):
        AutoModel.from_pretrained(folder, output_loading_info=True)
    with pytest.raises(ValueError, match="float32"):
        AutoModel.from_pretrained(folder, torch_dtype=torch.float16)


# ------------------------------------------------------------------ AutoModelForCausalLM: logits


def test_causal_logits_equal_transformers_on_a_left_padded_batch(smollm2):
    ours, theirs = smollm2
    ids, mask = padded([plain("The capital of France is"), chat("Hi")])
    with torch.no_grad():
        expected = theirs(input_ids=ids, attention_mask=mask).logits
    got = ours(input_ids=ids, attention_mask=mask).logits
    real = mask.bool()
    assert got.shape == expected.shape
    assert float((got[real] - expected[real]).abs().max()) <= LOGIT_TOLERANCE  # padded positions are never used
    # right padding: every position counts (the last one's logits choose a row's next token)
    ids, mask = padded([plain("The capital of France is"), chat("Hi")], side="right")
    with torch.no_grad():
        expected = theirs(input_ids=ids, attention_mask=mask).logits
    assert float((ours(input_ids=ids, attention_mask=mask).logits - expected).abs().max()) <= LOGIT_TOLERANCE


def test_local_folder_is_transformers_model(smollm2):
    """The folder transformers wrote from the GGUF (config.json, generation_config.json,
    model.safetensors), loaded by scratch, gives transformers' logits and generation settings."""
    _, theirs = smollm2
    folder = ref_generation.smollm2_folder()
    model = AutoModelForCausalLM.from_pretrained(folder, torch_dtype="auto")
    ids = torch.tensor([plain("Once upon a time")])
    with torch.no_grad():
        expected = theirs(input_ids=ids).logits
    assert float((model(input_ids=ids).logits - expected).abs().max()) <= LOGIT_TOLERANCE
    for field in ("eos_token_id", "pad_token_id", "bos_token_id"):
        assert getattr(model.generation_config, field) == getattr(theirs.generation_config, field)
    assert model.config.hidden_size == theirs.config.hidden_size and model.config.model_type == "llama"


# ------------------------------------------------------------------ generate


def test_greedy_generate_equals_transformers(smollm2):
    """The chapter's ``model.generate(input_ids=input_ids, max_new_tokens=...)``, and ``max_length``."""
    ours, theirs = smollm2
    ids = torch.tensor([plain("The capital of France is")])
    expected = theirs.generate(input_ids=ids, max_new_tokens=4)
    assert torch.equal(ours.generate(input_ids=ids, max_new_tokens=4), expected)
    assert torch.equal(ours.generate(ids, max_length=ids.shape[1] + 4), expected)


def test_greedy_generate_stops_at_the_models_eos(smollm2):
    ours, theirs = smollm2
    ids = torch.tensor([chat(YES_NO)])
    expected = theirs.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=6)
    got = ours.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=6)
    assert torch.equal(got, expected)
    assert got.shape[1] < ids.shape[1] + 6 and int(got[0, -1]) == 2  # <|im_end|>, kept as transformers keeps it


def test_batched_generate_with_left_padding_equals_transformers(smollm2):
    """Positions from the mask, padded keys hidden, the finished row filled with the pad id."""
    ours, theirs = smollm2
    ids, mask = padded([chat(YES_NO), plain("The capital of France is")])
    expected = theirs.generate(input_ids=ids, attention_mask=mask, max_new_tokens=5)
    got = ours.generate(input_ids=ids, attention_mask=mask, max_new_tokens=5)
    assert torch.equal(got, expected)
    assert got[0, -2:].tolist() == [2, 2]  # finished after 3 tokens, then the pad id


@pytest.mark.parametrize("seed, options", [
    (0, {}),  # transformers' defaults: temperature 1, top-k 50
    (1, {"temperature": 0.7}),
    (2, {"top_k": 5, "top_p": 0.9}),
    (3, {"temperature": 1.5, "top_p": 0.6, "top_k": 0}),
])  # fmt: skip
def test_sampling_equals_transformers_for_the_same_seed(smollm2, seed, options):
    ours, theirs = smollm2
    ids = torch.tensor([plain("Once upon a time")])
    torch.manual_seed(seed)
    expected = theirs.generate(input_ids=ids, do_sample=True, max_new_tokens=4, **options)
    torch.manual_seed(seed)
    assert torch.equal(ours.generate(input_ids=ids, do_sample=True, max_new_tokens=4, **options), expected)


PROMPTS = ["Once upon a time", "The capital of France is", "Café, 東京 and 🙂:"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31 - 1), temperature=st.floats(0.3, 2.0), top_k=st.sampled_from([None, 0, 1, 5, 50]),
       top_p=st.one_of(st.none(), st.floats(0.2, 1.0)),
       prompts=st.lists(st.sampled_from(PROMPTS), min_size=1, max_size=2), new_tokens=st.integers(1, 3), side=st.sampled_from(["left", "left", "right"]))  # fmt: skip
def test_drawn_sampling_settings_and_padded_batches_equal_transformers(smollm2, seed, temperature, top_k, top_p,
                                                                       prompts, new_tokens, side):  # fmt: skip
    """Options drawn (None: the warper is skipped, as transformers skips it), prompts padded
    (on the right too: transformers warns and continues after the padding; so does scratch)."""
    ours, theirs = smollm2
    ids, mask = padded([plain(p) for p in prompts], side=side)
    options = dict(input_ids=ids, attention_mask=mask, do_sample=True, max_new_tokens=new_tokens,
                   temperature=temperature, top_k=top_k, top_p=top_p)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # right padding
        torch.manual_seed(seed)
        expected = theirs.generate(**options)
        torch.manual_seed(seed)
        assert torch.equal(ours.generate(**options), expected)


def test_greedy_ignores_sampling_options_as_transformers_does(smollm2):
    ours, theirs = smollm2
    ids = torch.tensor([plain("The capital of France is")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = theirs.generate(input_ids=ids, max_new_tokens=2, temperature=0.3, top_k=3)
        assert torch.equal(ours.generate(input_ids=ids, max_new_tokens=2, temperature=0.3, top_k=3), expected)


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize("name", ["microsoft/Phi-3-mini-4k-instruct", "microsoft/deberta-base",
                                  "microsoft/deberta-v3-xsmall", "google/flan-t5-small", "google/flan-t5-base",
                                  "facebook/galactica-1.3b", "bert-base-uncased", "bert-base-cased",
                                  "no-such-org/no-such-model"])  # fmt: skip
def test_unobtainable_ids_are_refused_saying_what_to_use(name):
    for auto in (AutoModel, AutoModelForCausalLM):
        with pytest.raises(ModelNotAvailableError, match="cannot be obtained here") as caught:
            auto.from_pretrained(name, device_map="cuda", torch_dtype="auto", trust_remote_code=False)
        message = str(caught.value)
        assert name in message and SMOLLM2 in message and "all-MiniLM-L6-v2" in message
        assert isinstance(caught.value, ValueError)


def test_wrong_kind_of_model_is_refused():
    with pytest.raises(ModelNotAvailableError, match="AutoModelForCausalLM"):
        AutoModel.from_pretrained(SMOLLM2)
    with pytest.raises(ModelNotAvailableError, match="AutoModel"):
        AutoModelForCausalLM.from_pretrained("all-MiniLM-L6-v2")
    with pytest.raises(TypeError, match="from_pretrained"):
        AutoModelForCausalLM(None)


def test_unsupported_options_are_refused(smollm2):
    ours, theirs = smollm2
    ids = torch.tensor([plain("Hello")])
    with pytest.raises(TypeError, match="quantization_config"):
        AutoModelForCausalLM.from_pretrained(SMOLLM2, quantization_config={})
    with pytest.raises(TypeError, match="streamer"):
        ours.generate(input_ids=ids, max_new_tokens=2, streamer=object())
    with pytest.raises(TypeError, match="generation_config"):
        ours.generate(input_ids=ids, generation_config={})
    for option in ({"num_beams": 2}, {"repetition_penalty": 1.2}, {"num_return_sequences": 2}):
        with pytest.raises(ValueError, match=next(iter(option))):
            ours.generate(input_ids=ids, max_new_tokens=2, **option)
    # the same settings that transformers itself refuses
    for options in ({"max_new_tokens": 0}, {"max_length": 1},
                    {"do_sample": True, "temperature": 0.0, "max_new_tokens": 2},
                    {"do_sample": True, "top_k": -1, "max_new_tokens": 2}):  # fmt: skip
        with pytest.raises(ValueError):
            theirs.generate(input_ids=ids, **options)
        with pytest.raises(ValueError):
            ours.generate(input_ids=ids, **options)


# ------------------------------------------------------------------ a local Phi-3 folder


@pytest.mark.parametrize("variant", [{"long_rope": True}, {"sliding_window": 8}])
def test_local_phi3_folder_generates_as_transformers(tmp_path, variant):
    """A small random Phi3ForCausalLM saved by transformers: LongRoPE's switch to its long
    factors (at 24 positions: the cache is dropped and the sequence run again) and the
    sliding window, on one prompt and on a left-padded batch."""
    reference = ref_generation.tiny_phi3(seed=3, init_std=0.1, **variant)
    reference.save_pretrained(str(tmp_path))
    model = AutoModelForCausalLM.from_pretrained(tmp_path)
    generator = torch.Generator().manual_seed(0)
    rows = [torch.randint(3, 32000, (n,), generator=generator).tolist() for n in (20, 14)]
    for ids, mask in (padded(rows[:1], pad=32000), padded(rows, pad=32000)):
        expected = reference.generate(input_ids=ids, attention_mask=mask, max_new_tokens=8, do_sample=False)
        assert torch.equal(model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=8), expected)
