"""The ``tokenizer.json`` pipelines of the model hub's tokenizer families, built by transformers'
own converters, against ``tokenizers`` itself.

Most ``tokenizer.json`` files on the hub were written by ``transformers.convert_slow_tokenizer``:
one ``*Converter`` class per model family turns a slow tokenizer's vocabulary files into the
``tokenizers`` pipeline. Run on the vocabulary files the project has, those converters build
exactly the pipelines the hub's files carry (with other vocabularies), so scratch's
``from_tokenizer_json`` meets here the files a reviewer would bring. Each family is built once,
saved with ``Tokenizer.save``, loaded by scratch and by ``tokenizers.Tokenizer.from_file``, and
compared on the shared corpora and on random text with the family's special tokens mixed in:
ids (with and without special tokens), tokens, decoded text (special tokens skipped or kept)
and pairs (ids and type ids).

The converters read a slow tokenizer (transformers 5 no longer ships most of them): a
:class:`SlowTokenizer` stands in, holding what they read (the vocabulary file, the vocabulary,
the merges, the special tokens and the options). Special tokens are then added as the hub files
have them (``[MASK]``/``<mask>`` with ``lstrip``, language codes, ``<extra_id_n>`` ...).

Vocabularies: the SentencePiece models of ``sentencepiece-models`` (botchan unigram and BPE,
kyoto Japanese unigram), some re-laid out as the family's own model is (``<pad>``, ``</s>``,
``<unk>`` first for T5/Pegasus, Gemma's ``<pad> <eos> <bos> <unk>``, Llama's 256 ``<0xNN>``
byte pieces with ``byte_fallback``, user-defined pieces); GPT-2's ``vocab.json``/``merges.txt``;
BERT's ``vocab.txt`` (uncased, cased) and MPNet's. The ``</w>`` BPE families (OpenAI-GPT,
HerBERT, CLIP) need a vocabulary with end-of-word suffixes that the project does not have: a
small one is trained here with ``tokenizers``' own BPE trainer (``end_of_word_suffix="</w>"``).

Families covered (converter, vocabulary):

* SentencePiece: T5 / UDOP, ALBERT (lowercased, accents stripped), FNet (= ALBERT, accents
  kept), XLNet, CamemBERT, XLM-RoBERTa, BigBird, Pegasus, MBart, MBart-50, Barthez, Reformer /
  BertGeneration, DeBERTa-v2 (with and without ``split_by_punct``), RemBERT, NLLB,
  SeamlessM4T, XGLM, Llama (``legacy`` true and false, byte fallback), CodeLlama, Gemma (byte
  fallback), and ``SpmConverter.build_tokenizer_from_spm_proto`` (transformers 5's generic
  SentencePiece conversion: unigram and BPE, ``legacy`` true and false, user-defined pieces);
* byte-level BPE (GPT-2 files): GPT-2 / CodeGen (with and without ``add_bos_token``),
  RoBERTa / BART / Longformer / LED / MVP, Blenderbot (``add_prefix_space``), DeBERTa (v1),
  Whisper, Qwen2, MarkupLM;
* ``</w>`` BPE (trained vocabulary): OpenAI-GPT, HerBERT, CLIP;
* transformers 5's own classes (:data:`TRANSFORMERS_5`: T5, Llama, Gemma, XLM-R, CamemBERT,
  XLNet, BigBird, MBart, MBart-50, NLLB, Barthez, Reformer, DeBERTa-v2, RemBERT, SeamlessM4T,
  XGLM, CodeLlama, FNet, UDOP, LayoutXLM), loaded with ``from_pretrained`` from a folder
  holding the SentencePiece model: the pipelines their ``save_pretrained`` writes today;
* WordPiece (BERT / MPNet files): BERT uncased and cased (= DistilBERT, ELECTRA, LayoutLM,
  ConvBERT, MobileBERT, SqueezeBERT, LXMERT, DPR), with and without
  ``tokenize_chinese_chars``, ``strip_accents`` true; Funnel (``[CLS]`` type id 2); MPNet;
  LayoutLMv2 / LayoutXLM-style; Splinter (``[QUESTION]``).

Left out (a converter needs what the project lacks): RoFormer (a custom Jieba pre-tokenizer,
which ``tokenizers`` cannot save), M2M-100 and Marian (no converter: they stay slow-only), CTRL
(no converter), Moshi / Helium / Parakeet / Canary / OmniASR (SentencePiece models with options
ours lack), the tiktoken and Mistral ``tekken`` conversions (no such files here).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sentencepiece import sentencepiece_model_pb2 as model_pb2
from text_corpora import comparison_text, english, multilingual, python_source
from tokenizer_checks import first_difference
from tokenizers import AddedToken, Tokenizer, models, pre_tokenizers, processors, trainers
import transformers.convert_slow_tokenizer as conv
from transformers.tokenization_utils_base import generate_merges

from scratch.artifacts import fetch_file
from scratch.tokenizers import from_tokenizer_json

SPM = "sentencepiece-models"


# ---- the slow tokenizer the converters read ---------------------------------------------------
class SlowTokenizer:
    """What a converter reads from a transformers slow tokenizer: ``vocab_file``, ``vocab`` /
    ``encoder``, ``bpe_ranks``, the special tokens (``cls_token`` ...; ``*_token_id`` looked up
    in :attr:`ids`), ``convert_tokens_to_ids`` and the options (``do_lower_case`` ...)."""

    def __init__(self, vocab_file: str | None = None, vocab: dict | None = None, merges=(), **options):
        self.vocab_file = vocab_file
        self.vocab = self.encoder = dict(vocab or {})
        self.bpe_ranks = {tuple(m): i for i, m in enumerate(merges)}
        self.ids = dict(self.vocab)
        self.unk_token = None
        for name, value in options.items():
            setattr(self, name, value)

    def __getattr__(self, name):  # cls_token_id ... from cls_token
        if name.endswith("_token_id"):
            return self.convert_tokens_to_ids(getattr(self, name[: -len("_id")]))
        raise AttributeError(name)

    def convert_tokens_to_ids(self, token):
        return self.ids.get(token, self.ids.get(self.unk_token))

    def convert_ids_to_tokens(self, ids):
        inverse = {i: t for t, i in self.ids.items()}
        return [inverse[i] for i in ids] if isinstance(ids, list) else inverse[ids]


class BasicTokenizer:
    def __init__(self, do_lower_case=True, tokenize_chinese_chars=True, strip_accents=None):
        self.do_lower_case = do_lower_case
        self.tokenize_chinese_chars = tokenize_chinese_chars
        self.strip_accents = strip_accents


class MergesFromScores:
    """transformers 4's ``SentencePieceExtractor.extract(vocab_scores)`` (transformers 5 changed
    its signature, which breaks the BPE branch of ``SpmConverter.tokenizer``): the vocabulary and
    the merges ranked by piece score, with transformers' own ``generate_merges``."""

    def __init__(self, model_file: str):
        self.proto = read_proto(model_file)

    def extract(self, vocab_scores=None):
        vocab = {p.piece: i for i, p in enumerate(self.proto.pieces)}
        return vocab, generate_merges(vocab, vocab_scores)


# ---- SentencePiece models, re-laid out as the families' own ------------------------------------
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, BYTE = 1, 2, 3, 4, 6


def read_proto(path) -> model_pb2.ModelProto:
    proto = model_pb2.ModelProto()
    proto.ParseFromString(Path(path).read_bytes())
    return proto


def relaid(source: str, head: tuple[str, ...], unk: str = "<unk>", byte_pieces: bool = False,
           user_defined: tuple[str, ...] = ()) -> str:  # fmt: skip
    """A copy of the ``source`` model whose first pieces are ``head`` (control pieces, ``unk`` the
    unknown one), then ``user_defined`` pieces, the 256 ``<0xNN>`` byte pieces (and
    ``byte_fallback``) if asked, then the source's normal pieces. Written once, its path returned."""
    name = "".join(c if c.isalnum() else "_" for c in f"{Path(source).stem}-{'-'.join(head)}-{byte_pieces}-{len(user_defined)}")
    path = work_dir() / f"{name}.model"
    if path.exists():
        return str(path)
    proto = read_proto(fetch_file(SPM, source))
    normal = [(p.piece, p.score) for p in proto.pieces if p.type == NORMAL]
    del proto.pieces[:]
    for piece in head:
        proto.pieces.add(piece=piece, score=0.0, type=UNKNOWN if piece == unk else CONTROL)
    for piece in user_defined:
        proto.pieces.add(piece=piece, score=0.0, type=USER_DEFINED)
    if byte_pieces:
        for b in range(256):
            proto.pieces.add(piece=f"<0x{b:02X}>", score=0.0, type=BYTE)
        proto.trainer_spec.byte_fallback = True
    for piece, score in normal:
        proto.pieces.add(piece=piece, score=score, type=NORMAL)
    proto.trainer_spec.unk_id = head.index(unk)
    for attr, token in (("bos_id", "<s>"), ("eos_id", "</s>"), ("pad_id", "<pad>")):
        setattr(proto.trainer_spec, attr, head.index(token) if token in head else -1)
    path.write_bytes(proto.SerializeToString())
    return str(path)


@lru_cache(maxsize=None)
def work_dir() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="converted-tokenizer-json-"))


# ---- vocabularies of the other families --------------------------------------------------------
@lru_cache(maxsize=None)
def gpt2_files() -> tuple[dict, list]:
    vocab = json.loads(fetch_file("gpt2", "vocab.json").read_text(encoding="utf-8"))
    lines = fetch_file("gpt2", "merges.txt").read_text(encoding="utf-8").splitlines()
    merges = [tuple(line.split(" ")) for line in lines if line and not line.startswith("#version")]
    return vocab, merges


@lru_cache(maxsize=None)
def wordpiece_vocab(artifact: str) -> dict:
    lines = fetch_file(artifact, "vocab.txt").read_text(encoding="utf-8").splitlines()
    return {token: i for i, token in enumerate(lines)}


@lru_cache(maxsize=None)
def end_of_word_bpe() -> tuple[dict, list]:
    """A small BPE with ``</w>`` suffixes (OpenAI-GPT's / CLIP's / HerBERT's kind), trained by
    ``tokenizers`` on lowercased English and multilingual text."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", end_of_word_suffix="</w>"))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.BpeTrainer(vocab_size=3000, special_tokens=["<unk>"], end_of_word_suffix="</w>",
                                  show_progress=False)  # fmt: skip
    text = (english(150_000, offset=500_000) + multilingual(60_000)).lower()
    tok.train_from_iterator(text.splitlines(), trainer)
    spec = json.loads(tok.to_str())["model"]
    return spec["vocab"], [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in spec["merges"]]


# ---- the families ---------------------------------------------------------------------------------
def special(content: str, **flags) -> AddedToken:
    return AddedToken(content, special=True, normalized=flags.pop("normalized", False), **flags)


def mask(content: str) -> AddedToken:  # as RoBERTa / ALBERT / XLM-R ... declare their mask token
    return special(content, lstrip=True)


@dataclass
class Family:
    converter: type
    slow: dict  # SlowTokenizer's arguments
    specials: list = field(default_factory=list)  # AddedToken (special) or str (a plain added token)
    post_processor: object = None  # set after conversion (e.g. Llama's, from LlamaTokenizerFast)


BOTCHAN_UNIGRAM = "botchan_en_unigram_1000.model"
BOTCHAN_BPE = "botchan_en_bpe_1000.model"
KYOTO = "kyoto_ja_unigram_8000.model"
MBART_CODES = ["ar_AR", "cs_CZ", "de_DE", "en_XX", "es_XX", "fr_XX", "ja_XX", "zh_CN"]


def spm_family(converter, model, head=None, unk="<unk>", byte_pieces=False, specials=(), **options) -> Family:
    def slow():
        path = relaid(model, head, unk, byte_pieces) if head else str(fetch_file(SPM, model))
        return {"vocab_file": path, "unk_token": unk, **options}

    return Family(converter, slow, list(specials))


def llama_template(bos="<s>"):
    return processors.TemplateProcessing(single=f"{bos}:0 $A:0", pair=f"{bos}:0 $A:0 {bos}:1 $B:1",
                                         special_tokens=[(bos, 1)])  # fmt: skip


class LlamaBPE(conv.LlamaConverter):
    SpmExtractor = MergesFromScores


class CodeLlamaBPE(conv.LlamaConverter):
    SpmExtractor = MergesFromScores


class GemmaBPE(conv.GemmaConverter):
    SpmExtractor = MergesFromScores


class SpmGeneric:
    """``SpmConverter.build_tokenizer_from_spm_proto``: transformers 5's conversion of a bare
    SentencePiece model, following the model's own normalizer spec."""

    def __init__(self, slow):
        self.slow = slow
        self.proto = read_proto(slow.vocab_file)

    def vocab(self, proto):
        return [(p.piece, p.score) for p in proto.pieces]

    def converted(self):
        pieces = [(p.piece, p.score) for p in self.proto.pieces]
        vocab = {p: i for i, (p, _) in enumerate(pieces)} if self.slow.bpe else pieces
        return conv.SpmConverter.build_tokenizer_from_spm_proto(self.proto, vocab, legacy=self.slow.legacy)


def families() -> dict[str, Family]:
    t5_head = ("<pad>", "</s>", "<unk>")
    four = ("<s>", "<pad>", "</s>", "<unk>")
    bert_head = ("[PAD]", "[CLS]", "[SEP]", "[UNK]")
    user = ("<user_a>", "[[math]]", "▁custom")
    fam = {
        "t5": spm_family(conv.T5Converter, BOTCHAN_UNIGRAM, t5_head, _extra_ids=100,
                         specials=[special("<pad>"), special("</s>"), special("<unk>")]
                         + [special(f"<extra_id_{i}>") for i in range(99, -1, -1)]),
        "t5-ja": spm_family(conv.T5Converter, KYOTO, t5_head, _extra_ids=3,
                            specials=[special("</s>"), special("<extra_id_0>")]),
        "udop": spm_family(conv.UdopConverter, BOTCHAN_UNIGRAM, t5_head, specials=[special("</s>")]),
        "albert": spm_family(conv.AlbertConverter, BOTCHAN_UNIGRAM, ("<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"),
                             keep_accents=False, do_lower_case=True,
                             specials=[special("[CLS]"), special("[SEP]"), special("<unk>"), special("<pad>"), mask("[MASK]")]),
        "fnet": spm_family(conv.AlbertConverter, KYOTO, ("<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"),
                           keep_accents=True, do_lower_case=False,
                           specials=[special("[CLS]"), special("[SEP]"), mask("[MASK]")]),
        "xlnet": spm_family(conv.XLNetConverter, BOTCHAN_UNIGRAM, ("<unk>", "<s>", "</s>", "<cls>", "<sep>", "<pad>", "<mask>", "<eod>", "<eop>"),
                            keep_accents=False, do_lower_case=False, add_prefix_space=True,
                            specials=[special("<s>"), special("</s>"), special("<unk>"), special("<sep>"), special("<pad>"),
                                      special("<cls>"), mask("<mask>"), special("<eop>"), special("<eod>")]),
        "camembert": spm_family(conv.CamembertConverter, BOTCHAN_UNIGRAM,
                                specials=[special("<s>NOTUSED"), special("<pad>"), special("</s>NOTUSED"), special("<unk>"),
                                          special("<unk>NOTUSED"), special("<s>"), special("</s>"), mask("<mask>")]),
        "xlm-roberta": spm_family(conv.XLMRobertaConverter, KYOTO,
                                  specials=[special("<s>"), special("<pad>"), special("</s>"), special("<unk>"), mask("<mask>")]),
        "bigbird": spm_family(conv.BigBirdConverter, BOTCHAN_UNIGRAM, ("<pad>", "<s>", "</s>", "<unk>", "[SEP]", "[MASK]", "[CLS]"),
                              specials=[special("<unk>"), special("<s>"), special("</s>"), special("<pad>"), special("[SEP]"),
                                        mask("[MASK]"), special("[CLS]")]),
        "pegasus": spm_family(conv.PegasusConverter, BOTCHAN_UNIGRAM, ("<pad>", "</s>", "<unk>"), offset=103,
                              pad_token="<pad>", eos_token="</s>", mask_token="<mask_2>", mask_token_sent="<mask_1>",
                              mask_token_id=3,
                              specials=[special("<pad>"), special("</s>"), special("<mask_1>"), special("<mask_2>")]
                              + [special(f"<unk_{i}>") for i in range(2, 103)]),
        "mbart": spm_family(conv.MBartConverter, BOTCHAN_UNIGRAM,
                            specials=[special("<s>"), special("<pad>"), special("</s>"), special("<unk>")]
                            + [special(c) for c in MBART_CODES] + [mask("<mask>")]),
        "mbart50": spm_family(conv.MBart50Converter, KYOTO,
                              specials=[special("<s>"), special("</s>"), special("<unk>")]
                              + [special(c) for c in MBART_CODES] + [mask("<mask>")]),
        "barthez": spm_family(conv.BarthezConverter, BOTCHAN_UNIGRAM, four,
                              specials=[special("<s>"), special("<pad>"), special("</s>"), special("<unk>"), mask("<mask>")]),
        "reformer": spm_family(conv.ReformerConverter, BOTCHAN_UNIGRAM, specials=[special("</s>"), special("<unk>")]),
        "deberta-v2": spm_family(conv.DebertaV2Converter, BOTCHAN_UNIGRAM, bert_head, unk="[UNK]",
                                 split_by_punct=False, do_lower_case=False,
                                 specials=[special("[PAD]"), special("[CLS]"), special("[SEP]"), special("[UNK]"), special("[MASK]")]),
        "deberta-v2-punct-lower": spm_family(conv.DebertaV2Converter, KYOTO, bert_head, unk="[UNK]",
                                             split_by_punct=True, do_lower_case=True,
                                             specials=[special("[CLS]"), special("[SEP]"), special("[MASK]")]),
        "rembert": spm_family(conv.RemBertConverter, BOTCHAN_UNIGRAM, ("<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"),
                              keep_accents=True, do_lower_case=False,
                              specials=[special("[CLS]"), special("[SEP]"), mask("[MASK]")]),
        "nllb": spm_family(conv.NllbConverter, BOTCHAN_UNIGRAM,
                           specials=[special("<s>"), special("<pad>"), special("</s>"), special("<unk>"),
                                     special("eng_Latn"), special("fra_Latn"), special("zho_Hans"), mask("<mask>")]),
        "seamless-m4t": spm_family(conv.SeamlessM4TConverter, BOTCHAN_UNIGRAM,
                                   specials=[special("<pad>"), special("<unk>"), special("<s>"), special("</s>"),
                                             special("__eng__"), special("__fra__")]),
        "xglm": spm_family(conv.XGLMConverter, BOTCHAN_UNIGRAM,
                           specials=[special("<s>"), special("</s>"), special("<unk>"), special("<pad>")]),
        "llama-legacy": spm_family(LlamaBPE, BOTCHAN_BPE, ("<unk>", "<s>", "</s>"), byte_pieces=True, legacy=True,
                                   specials=[special("<unk>"), special("<s>"), special("</s>")]),
        "llama": spm_family(LlamaBPE, BOTCHAN_BPE, ("<unk>", "<s>", "</s>"), byte_pieces=True, legacy=False,
                            add_prefix_space=True,
                            specials=[special("<unk>"), special("<s>"), special("</s>")]),
        "llama-no-prefix": spm_family(LlamaBPE, BOTCHAN_BPE, ("<unk>", "<s>", "</s>"), byte_pieces=True, legacy=False,
                                      add_prefix_space=False, specials=[special("<s>"), special("</s>")]),
        "codellama": spm_family(CodeLlamaBPE, BOTCHAN_BPE, ("<unk>", "<s>", "</s>"), byte_pieces=True, legacy=True,
                                specials=[special("<unk>"), special("<s>"), special("</s>"), special("▁<PRE>"),
                                          special("▁<MID>"), special("▁<SUF>"), special("▁<EOT>")]),
        "gemma": spm_family(GemmaBPE, BOTCHAN_BPE, ("<pad>", "<eos>", "<bos>", "<unk>"), byte_pieces=True,
                            pad_token="<pad>", eos_token="<eos>", bos_token="<bos>",
                            specials=[special("<pad>"), special("<eos>"), special("<bos>"), special("<unk>"),
                                      special("<start_of_turn>"), special("<end_of_turn>"), "<mask>"]),
    }
    for name in ("llama", "llama-legacy", "codellama"):
        fam[name].post_processor = llama_template()
    fam["gemma"].post_processor = llama_template("<bos>")
    for model, bpe in ((BOTCHAN_UNIGRAM, False), (BOTCHAN_BPE, True), (KYOTO, False)):
        for legacy in (True, False):
            name = f"spm-{Path(model).stem.split('_', 2)[-1]}-{'legacy' if legacy else 'first'}"

            def slow(model=model, bpe=bpe, legacy=legacy):
                path = relaid(model, ("<unk>", "<s>", "</s>"), byte_pieces=bpe, user_defined=user)
                return {"vocab_file": path, "bpe": bpe, "legacy": legacy}

            fam[name] = Family(SpmGeneric, slow, [special("<s>"), special("</s>")])

    # byte-level BPE on GPT-2's files
    def gpt2(**options):
        return lambda: {"vocab": gpt2_files()[0], "merges": gpt2_files()[1], "unk_token": "<|endoftext|>", **options}

    roberta_specials = [special("<s>"), special("<pad>"), special("</s>"), special("<unk>"), mask("<mask>")]
    roberta = dict(cls_token="<s>", sep_token="</s>", bos_token="<s>", eos_token="</s>")
    fam.update({
        "gpt2": Family(conv.GPT2Converter, gpt2(), [special("<|endoftext|>")]),
        "gpt2-bos": Family(conv.GPT2Converter, gpt2(add_bos_token=True, bos_token="<|endoftext|>", add_prefix_space=True),
                           [special("<|endoftext|>")]),
        "roberta": Family(conv.RobertaConverter, gpt2(add_prefix_space=False, **roberta), roberta_specials),
        "roberta-prefix": Family(conv.RobertaConverter, gpt2(add_prefix_space=True, **roberta), roberta_specials),
        "blenderbot": Family(conv.BlenderbotConverter, gpt2(add_prefix_space=True, eos_token="</s>"),
                             [special("<s>"), special("</s>"), special("<unk>"), special("<pad>"), mask("<mask>")]),
        "deberta": Family(conv.DebertaConverter, gpt2(add_prefix_space=False),
                          [special("[PAD]"), special("[CLS]"), special("[SEP]"), special("[UNK]"), mask("[MASK]")]),
        "whisper": Family(conv.WhisperConverter,
                          gpt2(add_prefix_space=False, eos_token="<|endoftext|>",
                               prefix_tokens=[50257, 50258, 50261, 50265]),
                          [special("<|endoftext|>"), special("<|startoftranscript|>"), special("<|en|>"), special("<|fr|>"),
                           special("<|translate|>"), special("<|transcribe|>"), special("<|startoflm|>"),
                           special("<|startofprev|>"), special("<|nospeech|>"), special("<|notimestamps|>"),
                           "<|0.00|>", "<|0.02|>"]),
        "qwen2": Family(conv.Qwen2Converter, gpt2(),
                        [special("<|endoftext|>"), special("<|im_start|>"), special("<|im_end|>"),
                         "<tool_call>", "</tool_call>"]),
        "markuplm": Family(conv.MarkupLMConverter, gpt2(add_prefix_space=False, cls_token="<s>", sep_token="</s>",
                                                         unk_token="<unk>"), roberta_specials),
    })

    # </w> BPE, trained here
    def eow(**options):
        return lambda: {"vocab": end_of_word_bpe()[0], "merges": end_of_word_bpe()[1], "unk_token": "<unk>", **options}

    fam.update({
        "openai-gpt": Family(conv.OpenAIGPTConverter, eow(), []),
        "herbert": Family(conv.HerbertConverter, eow(cls_token="<s>", sep_token="</s>"),
                          [special("<s>"), special("<pad>"), special("</s>"), mask("<mask>")]),
        "clip": Family(conv.CLIPConverter, eow(bos_token="<|startoftext|>", eos_token="<|endoftext|>"),
                       [special("<|startoftext|>", normalized=True), special("<|endoftext|>")]),
    })

    # WordPiece on BERT's and MPNet's files
    def bert(artifact, lower, chinese=True, strip=None, **options):
        return lambda: {"vocab": wordpiece_vocab(artifact), "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]",
                        "basic_tokenizer": BasicTokenizer(lower, chinese, strip), **options}  # fmt: skip

    bert_specials = [special("[PAD]"), special("[UNK]"), special("[CLS]"), special("[SEP]"), special("[MASK]")]
    fam.update({
        "bert-uncased": Family(conv.BertConverter, bert("bert-base-uncased", True), bert_specials),
        "bert-cased": Family(conv.BertConverter, bert("bert-base-cased", False), bert_specials),
        "bert-cased-no-chinese": Family(conv.BertConverter, bert("bert-base-cased", False, chinese=False), bert_specials),
        "bert-cased-strip-accents": Family(conv.BertConverter, bert("bert-base-cased", False, strip=True), bert_specials),
        "bert-uncased-keep-accents": Family(conv.BertConverter, bert("bert-base-uncased", True, strip=False), bert_specials),
        "funnel": Family(conv.FunnelConverter, bert("bert-base-uncased", True), bert_specials + [special("<cls>")]),
        "mpnet": Family(conv.MPNetConverter,
                        lambda: {"vocab": wordpiece_vocab("all-mpnet-base-v2"), "unk_token": "[UNK]", "cls_token": "<s>",
                                 "sep_token": "</s>", "basic_tokenizer": BasicTokenizer(True, True, None)},
                        [special("<s>"), special("<pad>"), special("</s>"), special("[UNK]"), mask("<mask>")]),
        "layoutlmv2": Family(conv.LayoutLMv2Converter, bert("bert-base-uncased", True), bert_specials),
        "splinter": Family(conv.SplinterConverter, bert("bert-base-cased", False, question_token="[QUESTION]",
                                                        padding_side="right"),
                           bert_specials + [special("[QUESTION]")]),
    })
    return fam


FAMILIES = families()

#: transformers 5's own tokenizer classes (``TokenizersBackend``), which build their pipeline
#: from a folder holding a bare SentencePiece model: what their ``save_pretrained`` writes.
#: Left out: ALBERT and Pegasus (their transformers 5 conversion fails on such a folder),
#: Marian and M2M-100 (need their JSON vocabularies), Siglip, PLBart, SpeechT5 (no fast
#: tokenizer in transformers 5).
TRANSFORMERS_5 = {
    f"transformers5-{cls.lower().removesuffix('tokenizer')}-{Path(model).stem.split('_')[-2]}": (cls, model)
    for cls in ["T5Tokenizer", "LlamaTokenizer", "GemmaTokenizer", "XLMRobertaTokenizer", "CamembertTokenizer",
                "XLNetTokenizer", "BigBirdTokenizer", "MBartTokenizer", "MBart50Tokenizer", "NllbTokenizer",
                "BarthezTokenizer", "ReformerTokenizer", "DebertaV2Tokenizer", "RemBertTokenizer",
                "SeamlessM4TTokenizer", "XGLMTokenizer", "CodeLlamaTokenizer", "FNetTokenizer", "UdopTokenizer",
                "LayoutXLMTokenizer"]
    for model in ([BOTCHAN_UNIGRAM, BOTCHAN_BPE] if cls in ("LlamaTokenizer", "GemmaTokenizer", "NllbTokenizer") else [BOTCHAN_UNIGRAM])
}  # fmt: skip


def built_by_transformers_5(name: str) -> Path:
    import shutil
    import warnings

    import transformers

    cls, model = TRANSFORMERS_5[name]
    folder = work_dir() / name
    folder.mkdir(exist_ok=True)
    for file_name in ("spiece.model", "tokenizer.model", "sentencepiece.bpe.model"):
        shutil.copy(fetch_file(SPM, model), folder / file_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tokenizer = getattr(transformers, cls).from_pretrained(str(folder))
    path = work_dir() / f"{name}.json"
    tokenizer.backend_tokenizer.save(str(path))
    return path


@lru_cache(maxsize=None)
def built(name: str) -> Path:
    """The family's ``tokenizer.json``, as its converter builds it (special tokens added as the
    hub files have them), saved once."""
    if name in TRANSFORMERS_5:
        return built_by_transformers_5(name)
    family = FAMILIES[name]
    slow = SlowTokenizer(**family.slow())
    converter = family.converter(slow)
    if hasattr(converter, "proto"):  # SentencePiece: ids as the converter lays the vocabulary out
        slow.ids = {p.piece: i for i, p in enumerate(converter.proto.pieces)}
        vocab = {}
        for piece, _ in converter.vocab(converter.proto):
            vocab.setdefault(piece, len(vocab))
        slow.ids = vocab
    # special tokens missing from the vocabulary get the next ids, in order (as add_special_tokens)
    for token in family.specials:
        slow.ids.setdefault(str(token), len(slow.ids))
    tokenizer = converter.converted()
    tokenizer.add_special_tokens([t for t in family.specials if isinstance(t, AddedToken)])
    tokenizer.add_tokens([t for t in family.specials if isinstance(t, str)])
    if family.post_processor is not None:
        tokenizer.post_processor = family.post_processor
    for token in family.specials:  # the converter's post-processor used these ids
        assert tokenizer.token_to_id(str(token)) == slow.ids[str(token)], (name, str(token))
    path = work_dir() / f"{name}.json"
    tokenizer.save(str(path))
    return path


@lru_cache(maxsize=None)
def loaded(name: str):
    path = built(name)
    ref = Tokenizer.from_file(str(path))
    ref.no_truncation()
    ref.no_padding()
    return from_tokenizer_json(path), ref


def assert_same(ours, ref, text: str, pair: str | None = None) -> None:
    """ids (with and without special tokens), tokens, decoded text (special tokens kept and
    skipped) and, for a pair, ids and type ids all equal the reference's."""
    for add in (True, False):
        theirs = ref.encode(text, add_special_tokens=add).ids
        mine = ours.encode(text, add_special_tokens=add)
        assert mine == theirs, f"add_special_tokens={add}, {text[:60]!r}: {first_difference(mine, theirs, ref)}"
    assert ours.tokenize(text) == ref.encode(text, add_special_tokens=False).tokens, f"tokens of {text[:60]!r}"
    ids = ref.encode(text).ids
    for skip in (False, True):
        assert ours.decode(ids, skip_special_tokens=skip) == ref.decode(ids, skip_special_tokens=skip), (
            f"decode(skip_special_tokens={skip}) of {text[:60]!r}"
        )
    if pair is not None:
        theirs = ref.encode(text, pair)
        mine = ours.encode_full(text, pair, add_special_tokens=True, truncate_and_pad=False)
        assert mine.ids == theirs.ids, f"pair {text[:40]!r}, {pair[:40]!r}: {first_difference(mine.ids, theirs.ids, ref)}"
        assert mine.type_ids == theirs.type_ids, f"type ids of the pair {text[:40]!r}, {pair[:40]!r}"


CORPORA = {
    "english": lambda: english(2000),
    "python": lambda: python_source(2000),
    "multilingual": lambda: multilingual(3000),
    "comparison": comparison_text,
}


@pytest.mark.parametrize("name", [*FAMILIES, *TRANSFORMERS_5])
def test_scratch_loads_the_converted_file_with_the_same_vocabulary(name):
    ours, ref = loaded(name)
    assert ours.vocab_size == ref.get_vocab_size(with_added_tokens=True)
    vocab = ref.get_vocab(with_added_tokens=True)
    for token in sorted(vocab, key=vocab.get)[:: max(1, len(vocab) // 300)]:
        assert ours.token_to_id(token) == vocab[token], token


@pytest.mark.parametrize("corpus", list(CORPORA))
@pytest.mark.parametrize("name", [*FAMILIES, *TRANSFORMERS_5])
def test_same_encoding_on_the_corpora(name, corpus):
    ours, ref = loaded(name)
    text = CORPORA[corpus]()
    assert_same(ours, ref, text)
    lines = [line for line in text.splitlines() if line.strip()][:12]
    for first, second in zip(lines, lines[1:] + [""]):  # short inputs and pairs: starts and ends matter
        assert_same(ours, ref, first, second)


_CHARS = st.characters(blacklist_categories=("Cs",))
_PIECES = st.one_of(
    st.text(_CHARS, max_size=10),
    st.text(st.sampled_from("aé 東\n\t\u3000\u00a0\u200b🎵̃1.,'`▁"), max_size=8),
    st.sampled_from(["  ", " ", "\n\n", "'s", "``quoted''", "123,456", "Hello", " world", "▁x"]),
)


@pytest.mark.parametrize("name", [*FAMILIES, *TRANSFORMERS_5])
def test_same_encoding_on_random_text_with_the_special_tokens(name):
    ours, ref = loaded(name)
    contents = sorted(t.content for t in ref.get_added_tokens_decoder().values())
    added = contents[:: max(1, len(contents) // 24)] or ["<none>"]  # at most ~24, spread over them
    text = st.lists(st.one_of(_PIECES, st.sampled_from(added)), max_size=6).map("".join)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text, st.one_of(st.none(), text))
    def check(first, second):
        assert_same(ours, ref, first, second)

    check()
