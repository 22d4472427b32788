"""The token view (``scratch/tokenizers/view.py``): each token's bytes, and the HTML page.

The bytes the view shows for a token are checked for **every token of every pretrained
tokenizer** against the reference's own idea of that token's bytes, read from the
reference libraries directly (never from scratch):

* byte-level BPE: tiktoken's ``decode_single_token_bytes`` (cl100k_base), or the
  transformers vocabulary read back through ``bytes_to_unicode`` (GPT-2, StarCoder2,
  Qwen2, Llama-3, SmolLM2);
* SentencePiece (Llama-2, Phi-3, the Unigram models): sentencepiece's ``id_to_piece``
  with ``▁`` read as a space, a byte piece (``is_byte``) as its byte;
* WordPiece (BERT): the transformers vocabulary entry without the ``##`` that the
  Hugging Face WordPiece decoder removes;
* added and special tokens: their text, as the references' ``decode`` writes it.
"""

from __future__ import annotations

import html.parser

import pytest

import reference.tokenizers as reference_tokenizers
from reference.tokenizers.bytelevel import TiktokenAdapter
from reference.tokenizers.unigram import UnigramAdapter
from reference.tokenizers.wordpiece_spm import SentencePieceAdapter
from scratch import tokenizers
from scratch.tokenizers import view

NAMES = list(tokenizers.PRETRAINED)


def reference_token_bytes(reference) -> dict[int, bytes]:
    """id -> the bytes of that token, from the reference library alone."""
    if isinstance(reference, TiktokenAdapter):
        encoding = reference.encoding
        found = {}
        for i in range(encoding.n_vocab):
            try:
                found[i] = encoding.decode_single_token_bytes(i)
            except KeyError:  # cl100k_base has unused ids
                pass
        return found
    if isinstance(reference, (SentencePieceAdapter, UnigramAdapter)):
        sp = reference.sp
        added = getattr(reference, "added", {})
        found = {i: content.encode("utf-8") for i, (content, _) in added.items()}
        for i in range(sp.get_piece_size()):
            if i in found:
                continue
            piece = sp.id_to_piece(i)
            if sp.is_byte(i):
                found[i] = bytes([int(piece[3:5], 16)])
            elif sp.is_control(i) or sp.is_unknown(i):
                found[i] = piece.encode("utf-8")
            else:
                found[i] = piece.replace("\u2581", " ").encode("utf-8")
        return found
    # transformers tokenizers (BERT, GPT-2 and the GGUF byte-level ones)
    backend = reference.backend
    added = {i: t.content.encode("utf-8") for i, t in backend.get_added_tokens_decoder().items()}
    vocab = backend.get_vocab(with_added_tokens=False)
    if backend.model.__class__.__name__ == "WordPiece":
        prefix = backend.model.continuing_subword_prefix
        return {**{i: t.removeprefix(prefix).encode("utf-8") for t, i in vocab.items()}, **added}
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    byte_of = {c: b for b, c in bytes_to_unicode().items()}
    return {**{i: bytes(byte_of[c] for c in t) for t, i in vocab.items()}, **added}


@pytest.mark.parametrize("name", NAMES)
def test_every_token_shows_its_own_bytes(name):
    scratch = tokenizers.load(name)
    expected = reference_token_bytes(reference_tokenizers.load(name))
    shown = view.vocabulary_bytes(scratch)
    got = {i: data for i, data in enumerate(shown) if data is not None}
    assert got.keys() == expected.keys(), sorted(got.keys() ^ expected.keys())[:20]
    wrong = [(i, got[i], expected[i]) for i in expected if got[i] != expected[i]]
    assert not wrong, f"{len(wrong)} tokens differ, e.g. {wrong[:5]}"


def test_the_issue_s_phi3_tokens():
    """The three tokens the issue found wrong: an emoji's byte-fallback pieces, the lone
    ``▁`` (29871) and ``▁world``; gpt2's `` world`` for comparison."""
    phi3 = view.split(tokenizers.load("phi-3"), "Hello world \U0001f3b5")
    assert phi3.ids[-5:-4] == [29871] and phi3.piece_bytes[-5] == b" "
    assert b"".join(phi3.piece_bytes[-4:]) == "\U0001f3b5".encode("utf-8")
    assert phi3.piece_bytes[2] == b" world"
    assert view.split(tokenizers.load("gpt2"), "Hello world").piece_bytes[1] == b" world"
    page = view.render_html([phi3])
    assert "bytes ef bf bd" not in page and "bytes f0'" in page and "bytes 20'" in page


def test_unknown_ids_are_refused():
    for name in ["gpt2", "phi-3", "bert-base-uncased", "botchan-unigram"]:
        tok = tokenizers.load(name)
        with pytest.raises(ValueError, match="unknown token id"):
            view.token_bytes(tok, tok.vocab_size + 5)


@pytest.mark.parametrize("name", ["gpt2", "cl100k_base", "llama-3", "phi-3", "llama-2"])
def test_byte_spans_cover_the_text(name):
    """Byte-level and SentencePiece tokens spell the text; each span holds the token's bytes
    (without a dummy-prefix space); the ids are the reference's."""
    text = "Hello world, naïve café 🎵 x  = 1\n"
    split = view.split(tokenizers.load(name), text)
    assert split.ids == reference_tokenizers.load(name).encode(text)
    special = set(tokenizers.load(name).special_tokens.values())
    spans = view.byte_spans(text, split.piece_bytes, [i in special for i in split.ids])
    assert spans is not None
    data = text.encode("utf-8")
    assert spans[-1][1] == len(data)
    for (start, end), raw, token_id in zip(spans, split.piece_bytes, split.ids):
        assert data[start:end] in (raw, raw[1:]) or (token_id in special and start == end)


def test_byte_spans_are_none_when_the_text_changes():
    text = "Hello World"
    split = view.split(tokenizers.load("bert-base-uncased"), text)
    assert view.byte_spans(text, split.piece_bytes, [True, False, False, True]) is None


class _Chips(html.parser.HTMLParser):
    """The chips of a rendered page: (text, title) per ``span.tok``, and ids shown in them."""

    def __init__(self):
        super().__init__()
        self.chips: list[list[str]] = []
        self.ids: list[str] = []
        self.style = ""
        self._where: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        cls = attrs.get("class", "")
        self._where.append(tag if tag != "span" else cls)
        if tag == "span" and cls == "tok":
            self.chips.append(["", attrs.get("title", "")])

    def handle_endtag(self, tag):
        self._where.pop()

    def handle_data(self, data):
        if self._where and self._where[-1] == "style":
            self.style += data
        elif self._where and self._where[-1] == "id":
            self.ids.append(data)
        elif self._where and self._where[-1] == "tok":
            self.chips[-1][0] += data


def _css_rule(css: str, selector: str) -> dict[str, str]:
    body = css.split(selector + " {", 1)[1].split("}", 1)[0]
    return {k.strip(): v.strip() for k, v in (item.split(":", 1) for item in body.split(";") if ":" in item)}


def test_html_chips_are_separated_and_show_ids_when_asked():
    text = "EnglishandCAPITALIZATION ==>=else"
    splits = [view.split(tokenizers.load(n), text, name=n) for n in ["gpt2", "phi-3"]]
    plain, with_ids = _Chips(), _Chips()
    plain.feed(view.render_html(splits))
    with_ids.feed(view.render_html(splits, show_ids=True))
    rule = _css_rule(plain.style, ".tok")
    margin = rule["margin"].split()
    assert int(margin[1].removesuffix("px")) >= 2  # a gap to the right of every chip
    assert rule["border"].startswith("1px solid")
    assert rule["display"] == "inline-block"
    assert len(plain.chips) == sum(len(s.ids) for s in splits)
    assert plain.ids == []
    assert with_ids.ids == [str(i) for s in splits for i in s.ids]
    for (chip_text, title), token_id in zip(with_ids.chips, [i for s in splits for i in s.ids]):
        assert title.startswith(f"id {token_id} ")
    # every token of "==>=else" is a chip of its own
    assert [c[0] for c in plain.chips[: len(splits[0].ids)]] == splits[0].pieces


def test_a_token_that_decodes_to_nothing_shows_its_space():
    split = view.split(tokenizers.load("phi-3"), "a \U0001f3b5")
    chips = _Chips()
    chips.feed(view.render_html([split]))
    assert split.pieces[2] == "" and chips.chips[2][0] == " "
    assert "\u2205" not in "".join(c[0] for c in chips.chips)


def test_summary_counts_in_the_singular():
    split = view.split(tokenizers.load("gpt2"), "hello")
    assert split.summary().startswith("1 token, ")
    assert view.plural(2, "token") == "2 tokens" and view.plural(1_000, "id") == "1,000 ids"
