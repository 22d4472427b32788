"""Sampling from scratch (scratch.generation.sampling) against transformers' logits warpers.

The oracles are transformers' ``TemperatureLogitsWarper``, ``TopKLogitsWarper`` and
``TopPLogitsWarper``, the filters ``model.generate(do_sample=True)`` applies, in that
order. On random logits both must keep the same tokens and give them the same
probabilities. Logits are drawn as distinct multiples of 1/4 for top-p, where the
reference breaks ties among equal probabilities by its sort order; top-k keeps every
tie with the k-th logit, so its logits may repeat.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from transformers import LogitsProcessorList, TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

from scratch import tokenizers
from scratch.generation.loop import generate
from scratch.generation.sampling import (Sampler, SamplingSettingsError, apply_temperature, top_k_filter,
                                         top_p_filter)  # fmt: skip

EXAMPLES = settings(max_examples=60, deadline=None)

# Rows of logits: distinct quarter steps (distinct probabilities), or any floats, ties included.
distinct_rows = st.lists(st.integers(-160, 160), min_size=1, max_size=80, unique=True).map(
    lambda values: torch.tensor([values], dtype=torch.float32) / 4
)
any_rows = st.lists(st.floats(-30, 30, width=32), min_size=1, max_size=80).map(
    lambda values: torch.tensor([values], dtype=torch.float32)
)
temperatures = st.floats(0.05, 5.0)
top_ps = st.floats(0.01, 1.0, exclude_min=False)


def reference_warpers(temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0) -> LogitsProcessorList:
    """The warpers ``model.generate(do_sample=True, ...)`` applies, in its order; as there,
    top-k 0 and top-p 1 add none (a top-p warper at 1 would still drop tokens whose
    probability underflows to 0, which generate never asks it to)."""
    warpers = [TemperatureLogitsWarper(temperature)]
    if top_k:
        warpers.append(TopKLogitsWarper(top_k))
    if top_p < 1.0:
        warpers.append(TopPLogitsWarper(top_p))
    return LogitsProcessorList(warpers)


def assert_same_distribution(ours: torch.Tensor, theirs: torch.Tensor) -> None:
    """The same kept tokens (finite logits) and the same probabilities within float32 rounding."""
    assert torch.equal(torch.isfinite(ours), torch.isfinite(theirs)), (ours, theirs)
    torch.testing.assert_close(ours.softmax(-1), theirs.softmax(-1), rtol=1e-5, atol=1e-7)


@EXAMPLES
@given(any_rows, temperatures)
def test_temperature_equals_transformers(logits, temperature):
    expected = TemperatureLogitsWarper(temperature)(None, logits.clone())
    assert_same_distribution(apply_temperature(logits, temperature), expected)


@EXAMPLES
@given(any_rows, st.integers(0, 90))
def test_top_k_equals_transformers(logits, k):
    expected = reference_warpers(top_k=k)(None, logits.clone())
    ours = top_k_filter(logits, k)
    assert_same_distribution(ours, expected)
    assert int(torch.isfinite(ours).sum()) >= min(max(k, 1), logits.shape[-1]) if k else True


@EXAMPLES
@given(distinct_rows, top_ps)
def test_top_p_equals_transformers(logits, p):
    ours = top_p_filter(logits, p)
    assert_same_distribution(ours, reference_warpers(top_p=p)(None, logits.clone()))
    # the definition: the most probable tokens, at least one, holding at least p of the mass,
    # and the smallest such set (without its least probable token it holds less than p)
    original = logits.softmax(-1)[0].double()
    kept = torch.isfinite(ours[0])
    assert kept.any()
    if not kept.all():
        assert original[kept].min() > original[~kept].max()
        assert float(original[kept].sum()) >= p - 1e-6
    if kept.sum() > 1:
        assert float(original[kept].sum() - original[kept].min()) < p + 1e-6


@EXAMPLES
@given(distinct_rows, temperatures, st.integers(0, 90), top_ps)
def test_the_whole_chain_equals_transformers_order(logits, temperature, k, p):
    expected = reference_warpers(temperature, k, p)(None, logits.clone())
    sampler = Sampler(temperature=temperature, top_k=k, top_p=p, seed=0)
    assert_same_distribution(sampler.filtered_logits(logits), expected)


def test_a_seed_repeats_its_draws_and_draws_only_kept_tokens():
    logits = torch.randn(200, generator=torch.Generator().manual_seed(0))
    draws = [Sampler(top_k=5, seed=7) for _ in range(2)]
    first, second = ([sampler(logits) for _ in range(50)] for sampler in draws)
    assert first == second
    assert set(first) <= set(torch.topk(logits, 5).indices.tolist())
    other = Sampler(top_k=5, seed=8)
    assert [other(logits) for _ in range(50)] != first


def test_draws_follow_the_probabilities():
    """10,000 draws from a known distribution: each share within 4 standard errors."""
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    sampler = Sampler(top_k=0, seed=3)
    counts = torch.bincount(torch.tensor([sampler(logits) for _ in range(10_000)]), minlength=4).double() / 10_000
    expected = torch.tensor([0.5, 0.3, 0.15, 0.05], dtype=torch.float64)
    assert torch.all((counts - expected).abs() <= 4 * torch.sqrt(expected * (1 - expected) / 10_000))


def test_no_seed_draws_one_and_keeps_it():
    sampler = Sampler()
    assert isinstance(sampler.seed, int) and 0 <= sampler.seed < 2**63
    logits = torch.randn(100)
    again = Sampler(seed=sampler.seed)
    assert [sampler(logits) for _ in range(20)] == [again(logits) for _ in range(20)]


@pytest.mark.parametrize("setting", [dict(temperature=0), dict(temperature=-1.0), dict(temperature=math.inf),
                                     dict(top_k=-1), dict(top_k=2.5), dict(top_p=0), dict(top_p=1.5),
                                     dict(seed=-1), dict(seed=2**63)])  # fmt: skip
def test_bad_settings_are_refused(setting):
    with pytest.raises(SamplingSettingsError, match=next(iter(setting))):
        Sampler(**setting)


# ---- in the generation loop: a stand-in model whose logits are a fixed table -------------
class TableModel:
    """A transformers-shaped causal LM whose next-token logits depend only on the last id
    (a fixed random bigram table of rank 8: cheap, deterministic, and the loop cannot tell
    it apart from a real model)."""

    def __init__(self, vocab_size: int, seed: int = 0):
        generator = torch.Generator().manual_seed(seed)
        self.embed = torch.randn(vocab_size, 8, generator=generator)
        self.unembed = torch.randn(8, vocab_size, generator=generator)
        self.config = SimpleNamespace(vocab_size=vocab_size, max_position_embeddings=4096, eos_token_id=None)

    def next_logits(self, last_id: int) -> torch.Tensor:
        return self.embed[last_id] @ self.unembed

    def __call__(self, input_ids, past_key_values=None, use_cache=True, logits_to_keep=1):
        return SimpleNamespace(logits=self.next_logits(int(input_ids[0, -1]))[None, None], past_key_values=None)


@pytest.fixture(scope="module")
def tokenizer():
    return tokenizers.load("gpt2")


@pytest.fixture(scope="module")
def model(tokenizer):
    return TableModel(tokenizer.vocab_size)


def test_a_seed_repeats_a_generation_and_greedy_is_unchanged(tokenizer, model):
    def sampled(seed):
        return generate(model, tokenizer, "Hello", max_new_tokens=12, eos=None,
                        sampler=Sampler(temperature=1.5, top_k=0, seed=seed)).ids  # fmt: skip

    assert sampled(11) == sampled(11)
    assert sampled(11) != sampled(12)
    greedy = generate(model, tokenizer, "Hello", max_new_tokens=12, eos=None)
    expected, last = [], tokenizer.encode("Hello")[-1]
    for _ in range(12):
        last = int(model.next_logits(last).argmax())
        expected.append(last)
    assert greedy.ids == expected
    # top-k 1 keeps only the best token: sampling is greedy then, whatever the seed
    assert generate(model, tokenizer, "Hello", max_new_tokens=12, eos=None, sampler=Sampler(top_k=1)).ids == expected


def test_generation_reports_its_speed(tokenizer, model):
    out = generate(model, tokenizer, "Hello", max_new_tokens=5, eos=None)
    assert out.prefill_seconds > 0 and out.decode_seconds > 0
    assert out.tokens_per_second == pytest.approx(5 / (out.prefill_seconds + out.decode_seconds))


# ---- tokemb generate: --do-sample and its settings, the speed line -----------------------
class ChatModel(TableModel):
    """The stand-in model with what ``tokemb generate`` reads of a scratch Decoder."""

    def __init__(self, vocab_size: int):
        super().__init__(vocab_size)
        self.config.eos_token_ids = ()  # never stops early: every run gives max_new_tokens tokens


@pytest.fixture
def cli_model(monkeypatch, tokenizer):
    import scratch.generation

    model = ChatModel(tokenizer.vocab_size)
    monkeypatch.setattr(scratch.generation, "load", lambda spec, dtype="auto": model)
    return model


def run_generate(capsys, *argv: str) -> tuple[int, str, str]:
    from reference.cli import main

    code = main(["generate", "Hello", "--tokenizer", "gpt2", "--max-new-tokens", "10", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def expected_sample(model, tokenizer, seed: int, temperature: float = 1.0, top_k: int = 50, top_p: float = 1.0):
    """The text transformers' warpers and a ``torch.multinomial`` draw seeded with ``seed``
    give for the stand-in model's logits (the oracle of the command's sampling)."""
    warpers = reference_warpers(temperature, top_k, top_p)
    generator = torch.Generator().manual_seed(seed)
    last, ids = tokenizer.encode("Hello")[-1], []
    for _ in range(10):
        probabilities = warpers(None, model.next_logits(last)[None]).softmax(-1)
        last = int(torch.multinomial(probabilities, 1, generator=generator))
        ids.append(last)
    return tokenizer.decode(ids)


@pytest.mark.parametrize("settings", [dict(), dict(temperature=0.7), dict(top_k=5), dict(top_p=0.9),
                                      dict(temperature=1.3, top_k=0, top_p=0.8)])  # fmt: skip
def test_cli_samples_as_transformers_warpers_and_a_seeded_draw(capsys, cli_model, tokenizer, settings):
    flags = [part for name, value in settings.items() for part in (f"--{name.replace('_', '-')}", str(value))]
    code, out, err = run_generate(capsys, "--do-sample", "--seed", "5", *flags)
    assert code == 0
    assert out == expected_sample(cli_model, tokenizer, 5, **settings) + "\n"
    assert run_generate(capsys, "--do-sample", "--seed", "5", *flags)[1] == out  # the seed repeats the text
    assert "10 new tokens in " in err and " tokens/s " in err and "--seed 5" in err


def test_cli_is_greedy_by_default_and_prints_the_speed(capsys, cli_model, tokenizer):
    code, out, err = run_generate(capsys)
    expected, last = [], tokenizer.encode("Hello")[-1]
    for _ in range(10):
        last = int(cli_model.next_logits(last).argmax())
        expected.append(last)
    assert code == 0 and out == tokenizer.decode(expected) + "\n"
    assert err.startswith("10 new tokens in ") and "tokens/s (prompt: 1 token, " in err and "seed" not in err


def test_cli_without_a_seed_prints_the_one_it_drew(capsys, cli_model):
    _, out, err = run_generate(capsys, "--do-sample")
    seed = err.split("--seed ")[1].split()[0]
    assert run_generate(capsys, "--do-sample", "--seed", seed)[1] == out


@pytest.mark.parametrize("argv, message", [
    (["--temperature", "0.5"], "--temperature: only used when sampling; add --do-sample"),
    (["--top-k", "3", "--seed", "1"], "--top-k, --seed: only used when sampling"),
    (["--do-sample", "--temperature", "0"], "--temperature: must be a finite number > 0"),
    (["--do-sample", "--top-p", "1.5"], "--top-p: must be a number in (0, 1]"),
    (["--do-sample", "--top-k", "-1"], "--top-k: must be an integer >= 0"),
    (["--do-sample", "--seed", str(2**63)], "--seed: must be below 2**63"),
])  # fmt: skip
def test_cli_refuses_bad_sampling_settings_up_front(capsys, monkeypatch, argv, message):
    import scratch.generation

    monkeypatch.setattr(scratch.generation, "load", lambda *a, **k: pytest.fail("the model was loaded"))
    from reference.cli import main

    try:
        code = main(["generate", "Hello", *argv])
    except SystemExit as stopped:  # argparse's refusal
        code = stopped.code
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
