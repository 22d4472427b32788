"""tiktoken's public surface on scratch's byte-level BPE: change one import and tiktoken code runs.

    >>> from scratch.tokenizers import tiktoken_api as tiktoken
    >>> enc = tiktoken.get_encoding("cl100k_base")       # or tiktoken.encoding_for_model("gpt-4")
    >>> enc.encode("hello world")
    [15339, 1917]
    >>> enc.encode("hello <|endoftext|>", allowed_special="all")
    [15339, 220, 100257]
    >>> enc.decode_with_offsets(enc.encode("hello world"))
    ('hello world', [0, 5])

The encodings are the two of tiktoken's registry (``tiktoken_ext/openai_public.py``) whose
files tokemb has: ``gpt2`` (OpenAI's GPT-2 ``encoder.json`` + ``vocab.bpe``, the same files
as the ``gpt2`` artifact's ``vocab.json`` + ``merges.txt``, byte for byte: tiktoken's pinned
sha256 hashes match) and ``cl100k_base``. Each :class:`Encoding` wraps the scratch
:class:`~.byte_bpe.ByteLevelBPE` that ``scratch.tokenizers.load(name)`` builds, so the ids
are scratch's; the tests prove them equal to tiktoken's. The other names of tiktoken's
registry (``r50k_base``, ``p50k_base``, ``p50k_edit``, ``o200k_base``, ``o200k_harmony``) are
refused with :class:`~scratch.errors.ModelNotAvailableError` naming what is available, and so
are the models that use them in :func:`encoding_for_model`.

**Special-token policy.** Through this surface the policy is tiktoken's, for both encodings
(``Encoding.encode`` in tiktoken/core.py and ``CoreBPE::encode`` in src/lib.rs):

* ``encode(text)`` raises ``ValueError`` when the text holds the text of a special token
  (``disallowed_special="all"`` by default), with tiktoken's message;
* ``allowed_special`` (a set, or ``"all"``) names the special tokens matched in the text: each
  match becomes its id, and the text between matches is encoded on its own (no chunk crosses
  a special token);
* ``disallowed_special=()`` turns the check off: special-token text not allowed is ordinary
  text; ``encode_ordinary`` never matches any.

``scratch.tokenizers.load(name).encode`` keeps the policy of that name's reference instead:
``gpt2`` matches ``<|endoftext|>`` in user text, as transformers' ``GPT2Tokenizer(Fast)``
does with its added token, and ``cl100k_base`` never matches, as tiktoken's
``encode_ordinary`` (what the comparisons of chapter 2 use).

Other behaviour matched (tiktoken 0.14, tiktoken/core.py and src/py.rs):

* text with lone surrogates is encoded with each one replaced by U+FFFD (after joining valid
  surrogate pairs), as ``encode``'s ``UnicodeEncodeError`` fallback does, for both encodings;
* ``decode_bytes`` and ``decode`` raise ``KeyError("Invalid token for decoding: N")`` for an id
  with no token (cl100k_base has holes at 100256 and 100261..100275);
  ``decode_single_token_bytes`` and ``encode_single_token`` raise ``KeyError`` naming the id or
  bytes; an id below 0 or at least 2**32 raises ``OverflowError`` (tiktoken's ``u32`` conversion),
  a non-integer ``TypeError``;
* ``decode_with_offsets`` gives each token's start as a character index (a token that starts
  inside a character gets that character's index) and decodes strictly;
* ``token_byte_values()`` lists the mergeable tokens' bytes, sorted (special tokens excluded);
  ``n_vocab`` is ``max_token_value + 1``;
* the batch methods run on a ``ThreadPoolExecutor(num_threads)``, like tiktoken's;
* a registered encoding pickles by name.

Not built: ``encode_with_unstable`` (tiktoken's completion search over every token that
extends the unstable tail; it raises :class:`UnsupportedMethodError`), the constructor from
``pat_str``/``mergeable_ranks``/``special_tokens`` (an :class:`Encoding` is made from a loaded
:class:`~.byte_bpe.ByteLevelBPE`), and tiktoken's private helpers (``_encode_bytes``,
``_encode_single_piece``, ``_encode_only_native_bpe``).
"""

from __future__ import annotations

import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import AbstractSet, Collection, Literal, Mapping, NoReturn, Sequence

import numpy as np
import regex

from scratch.errors import ModelNotAvailableError, TokembError

from .byte_bpe import ByteLevelBPE

#: The encodings of tiktoken's registry, in its order (``ENCODING_CONSTRUCTORS`` in
#: tiktoken_ext/openai_public.py), and whether tokemb has their files.
_REGISTRY = ["gpt2", "r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base", "o200k_harmony"]
AVAILABLE_ENCODINGS = ("gpt2", "cl100k_base")

#: tiktoken's model name -> encoding table (``MODEL_TO_ENCODING`` in tiktoken/model.py, 0.14).
MODEL_TO_ENCODING: dict[str, str] = {
    **dict.fromkeys(["o1", "o3", "o4-mini", "gpt-5", "gpt-4.1", "gpt-4o"], "o200k_base"),
    **dict.fromkeys(
        [
            "gpt-4", "gpt-3.5-turbo", "gpt-3.5", "gpt-35-turbo", "davinci-002", "babbage-002",
            "text-embedding-ada-002", "text-embedding-3-small", "text-embedding-3-large",
        ],
        "cl100k_base",
    ),
    **dict.fromkeys(
        [
            "text-davinci-003", "text-davinci-002", "code-davinci-002", "code-davinci-001",
            "code-cushman-002", "code-cushman-001", "davinci-codex", "cushman-codex",
        ],
        "p50k_base",
    ),
    **dict.fromkeys(["text-davinci-edit-001", "code-davinci-edit-001"], "p50k_edit"),
    **dict.fromkeys(
        [
            "text-davinci-001", "text-curie-001", "text-babbage-001", "text-ada-001",
            "davinci", "curie", "babbage", "ada",
            "text-similarity-davinci-001", "text-similarity-curie-001", "text-similarity-babbage-001",
            "text-similarity-ada-001", "text-search-davinci-doc-001", "text-search-curie-doc-001",
            "text-search-babbage-doc-001", "text-search-ada-doc-001", "code-search-babbage-code-001",
            "code-search-ada-code-001",
        ],
        "r50k_base",
    ),
    "gpt2": "gpt2",
    "gpt-2": "gpt2",
}

#: Model name prefixes, tried in this order when the name is not in :data:`MODEL_TO_ENCODING`
#: (``MODEL_PREFIX_TO_ENCODING`` in tiktoken/model.py).
MODEL_PREFIX_TO_ENCODING: dict[str, str] = {
    **dict.fromkeys(
        ["o1-", "o3-", "o4-mini-", "gpt-5", "gpt-4.5-", "gpt-4.1-", "chatgpt-4o-", "gpt-4o-"], "o200k_base"
    ),
    **dict.fromkeys(["gpt-4-", "gpt-3.5-turbo-", "gpt-35-turbo-"], "cl100k_base"),
    "gpt-oss-": "o200k_harmony",
    "ft:gpt-4o": "o200k_base",
    **dict.fromkeys(["ft:gpt-4", "ft:gpt-3.5-turbo", "ft:davinci-002", "ft:babbage-002"], "cl100k_base"),
}

_U32 = 1 << 32  # tiktoken's ids are Rust u32s


class UnsupportedMethodError(TokembError, NotImplementedError):
    """A tiktoken method this surface does not build; the message says which and why."""


class Encoding:
    """tiktoken's ``Encoding`` (tiktoken/core.py) on a scratch :class:`~.byte_bpe.ByteLevelBPE`.

    ``tokenizer``'s special added tokens are the encoding's special tokens; its other tokens
    are the mergeable ones (tiktoken's ``mergeable_ranks``: a token's id is its rank).
    """

    def __init__(self, name: str, tokenizer: ByteLevelBPE):
        self.name = name
        self._tokenizer = tokenizer
        self._special_tokens: dict[str, int] = dict(tokenizer.special_tokens)
        special_ids = set(self._special_tokens.values())
        self._special_token_values = special_ids
        self._mergeable = {data: id for data, id in tokenizer.bytes_to_id.items() if id not in special_ids}
        self._special_by_bytes = {content.encode("utf-8"): id for content, id in self._special_tokens.items()}
        self.max_token_value = max(max(self._mergeable.values()), max(special_ids, default=0))
        # id -> bytes, None where an id has no token
        self._decoder: list[bytes | None] = [None] * (self.max_token_value + 1)
        for data, id in (*self._mergeable.items(), *self._special_by_bytes.items()):
            self._decoder[id] = data

    def __repr__(self) -> str:
        return f"<Encoding {self.name!r}>"

    def __reduce__(self):
        """A registered encoding pickles as its name, as tiktoken's ``__getstate__`` does."""
        return (get_encoding, (self.name,))

    # ---- encoding ------------------------------------------------------------------------
    def encode_ordinary(self, text: str) -> list[int]:
        """The ids of ``text`` with special-token text encoded as ordinary text."""
        if not isinstance(text, str):
            raise TypeError(f"'{type(text).__name__}' object is not an instance of 'str'")
        return self._tokenizer.encode_ordinary(_replace_lone_surrogates(text))

    def encode(
        self,
        text: str,
        *,
        allowed_special: Literal["all"] | AbstractSet[str] = set(),  # noqa: B006 (as tiktoken)
        disallowed_special: Literal["all"] | Collection[str] = "all",
    ) -> list[int]:
        """The ids of ``text``; special tokens as ``allowed_special`` and ``disallowed_special`` say.

        ``disallowed_special`` ("all": every special token not allowed) is checked first: a
        match in the text raises ``ValueError``. Then each match of an allowed special token
        becomes its id and the text between matches is encoded as by :meth:`encode_ordinary`.
        """
        allowed, disallowed = self._special_sets(allowed_special, disallowed_special)
        if disallowed:
            self._refuse_disallowed(text, frozenset(disallowed))
        return self._encode_allowed(text, allowed)

    def encode_to_numpy(
        self,
        text: str,
        *,
        allowed_special: Literal["all"] | AbstractSet[str] = set(),  # noqa: B006
        disallowed_special: Literal["all"] | Collection[str] = "all",
    ) -> np.ndarray:
        """:meth:`encode` as a ``uint32`` array, as tiktoken returns it."""
        ids = self.encode(text, allowed_special=allowed_special, disallowed_special=disallowed_special)
        return np.array(ids, dtype=np.uint32)

    def encode_ordinary_batch(self, text: list[str], *, num_threads: int = 8) -> list[list[int]]:
        """:meth:`encode_ordinary` of each text, in order."""
        with ThreadPoolExecutor(num_threads) as pool:
            return list(pool.map(self.encode_ordinary, text))

    def encode_batch(
        self,
        text: list[str],
        *,
        num_threads: int = 8,
        allowed_special: Literal["all"] | AbstractSet[str] = set(),  # noqa: B006
        disallowed_special: Literal["all"] | Collection[str] = "all",
    ) -> list[list[int]]:
        """:meth:`encode` of each text, in order; the first text with disallowed special-token
        text raises its ``ValueError``."""
        allowed, disallowed = self._special_sets(allowed_special, disallowed_special)
        encode = functools.partial(self.encode, allowed_special=allowed, disallowed_special=frozenset(disallowed))
        with ThreadPoolExecutor(num_threads) as pool:
            return list(pool.map(encode, text))

    def encode_with_unstable(self, text: str, **kwargs) -> NoReturn:
        """Not built: tiktoken's search for the completions of the text's unstable last tokens."""
        raise UnsupportedMethodError(
            "encode_with_unstable is not built in scratch's tiktoken surface (tiktoken itself calls the API "
            "unstable); use encode, or encode_ordinary on the text without its last word"
        )

    def encode_single_token(self, text_or_bytes: str | bytes) -> int:
        """The id of the one token whose text (or bytes) this is, special tokens included;
        ``KeyError`` naming the bytes when there is none."""
        data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
        if not isinstance(data, bytes):
            raise TypeError(f"'{type(data).__name__}' object is not an instance of 'bytes'")
        id = self._mergeable.get(data)
        if id is None:
            id = self._special_by_bytes.get(data)
        if id is None:
            raise KeyError(data)
        return id

    # ---- decoding ------------------------------------------------------------------------
    def decode_bytes(self, tokens: Sequence[int]) -> bytes:
        """The tokens' bytes joined."""
        decoder = self._decoder
        parts = []
        for id in _as_ids(tokens):
            data = decoder[id] if id < len(decoder) else None
            if data is None:
                raise KeyError(f"Invalid token for decoding: {id}")
            parts.append(data)
        return b"".join(parts)

    def decode(self, tokens: Sequence[int], errors: str = "replace") -> str:
        """:meth:`decode_bytes` as UTF-8 text; ``errors`` as in ``bytes.decode`` (by default a
        cut character becomes U+FFFD)."""
        return self.decode_bytes(tokens).decode("utf-8", errors=errors)

    def decode_single_token_bytes(self, token: int) -> bytes:
        """The bytes of one token (special tokens included); ``KeyError`` for an id with none."""
        (id,) = _as_ids((token,))
        data = self._decoder[id] if id < len(self._decoder) else None
        if data is None:
            raise KeyError(str(id))
        return data

    def decode_tokens_bytes(self, tokens: Sequence[int]) -> list[bytes]:
        """The bytes of each token."""
        return [self.decode_single_token_bytes(token) for token in tokens]

    def decode_with_offsets(self, tokens: Sequence[int]) -> tuple[str, list[int]]:
        """The text (decoded strictly: ``UnicodeDecodeError`` when it is not UTF-8) and, for
        each token, the index of the character where it starts.

        A character starts at each byte that is not a UTF-8 continuation byte
        (``0b10xxxxxx``); a token's offset counts the characters started before it, less one
        when its first byte continues a character begun in an earlier token (never below 0).
        """
        pieces = self.decode_tokens_bytes(tokens)
        offsets = []
        started = 0  # characters started so far
        for piece in pieces:
            continues = _is_continuation(piece[0])
            offsets.append(max(0, started - continues))
            started += sum(not _is_continuation(b) for b in piece)
        return b"".join(pieces).decode("utf-8", errors="strict"), offsets

    def decode_batch(
        self, batch: Sequence[Sequence[int]], *, errors: str = "replace", num_threads: int = 8
    ) -> list[str]:
        """:meth:`decode` of each id list, in order."""
        with ThreadPoolExecutor(num_threads) as pool:
            return list(pool.map(functools.partial(self.decode, errors=errors), batch))

    def decode_bytes_batch(self, batch: Sequence[Sequence[int]], *, num_threads: int = 8) -> list[bytes]:
        """:meth:`decode_bytes` of each id list, in order."""
        with ThreadPoolExecutor(num_threads) as pool:
            return list(pool.map(self.decode_bytes, batch))

    # ---- the vocabulary ------------------------------------------------------------------
    def token_byte_values(self) -> list[bytes]:
        """The bytes of every mergeable (not special) token, sorted."""
        return sorted(self._mergeable)

    @property
    def eot_token(self) -> int:
        return self._special_tokens["<|endoftext|>"]

    @functools.cached_property
    def special_tokens_set(self) -> set[str]:
        return set(self._special_tokens)

    def is_special_token(self, token: int) -> bool:
        assert isinstance(token, int)  # tiktoken asserts the same
        return token in self._special_token_values

    @property
    def n_vocab(self) -> int:
        """``max_token_value + 1`` (ids with no token included, as tiktoken counts)."""
        return self.max_token_value + 1

    # ---- helpers ---------------------------------------------------------------------------
    def _special_sets(self, allowed_special, disallowed_special):
        """``allowed_special`` and ``disallowed_special`` with ``"all"`` resolved as tiktoken
        resolves them (the disallowed default is every special token not allowed)."""
        if allowed_special == "all":
            allowed_special = self.special_tokens_set
        if disallowed_special == "all":
            disallowed_special = self.special_tokens_set - allowed_special
        return allowed_special, disallowed_special

    def _refuse_disallowed(self, text: str, disallowed: frozenset[str]) -> None:
        found = _alternation(disallowed).search(text)
        if found:
            raise ValueError(
                f"Encountered text corresponding to disallowed special token {found.group()!r}.\n"
                "If you want this text to be encoded as a special token, "
                f"pass it to `allowed_special`, e.g. `allowed_special={{{found.group()!r}, ...}}`.\n"
                "If you want this text to be encoded as normal text, disable the check for this token "
                f"by passing `disallowed_special=(enc.special_tokens_set - {{{found.group()!r}}})`.\n"
                "To disable this check for all special tokens, pass `disallowed_special=()`.\n"
            )

    def _encode_allowed(self, text: str, allowed: AbstractSet[str]) -> list[int]:
        """Allowed special tokens matched, the text between them encoded ordinarily.

        tiktoken's ``CoreBPE::encode`` finds the leftmost match of any special token and
        takes it only when allowed; no special token of these encodings contains the start
        of another, so searching for the allowed ones alone finds the same matches.
        """
        if not isinstance(text, str):
            raise TypeError(f"'{type(text).__name__}' object is not an instance of 'str'")
        if not isinstance(allowed, AbstractSet):  # tiktoken's binding takes a set only
            raise TypeError(f"'{type(allowed).__name__}' object is not an instance of 'set'")
        text = _replace_lone_surrogates(text)
        matched = frozenset(allowed).intersection(self._special_tokens)
        if not matched:
            return self._tokenizer.encode_ordinary(text)
        ids: list[int] = []
        position = 0
        for found in _alternation(matched).finditer(text):
            ids += self._tokenizer.encode_ordinary(text[position : found.start()])
            ids.append(self._special_tokens[found.group()])
            position = found.end()
        ids += self._tokenizer.encode_ordinary(text[position:])
        return ids


def _is_continuation(byte: int) -> bool:
    return 0x80 <= byte < 0xC0


def _replace_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD and each surrogate pair joined into
    its character, as tiktoken's ``encode`` fallback (a UTF-16 round trip with ``"replace"``)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _as_ids(tokens: Sequence[int]) -> list[int]:
    """Token ids as Python ints, converted as tiktoken's binding converts them to ``u32``."""
    if isinstance(tokens, (str, bytes, Mapping)) or not (hasattr(tokens, "__getitem__") and hasattr(tokens, "__len__")):
        raise TypeError(f"'{type(tokens).__name__}' object is not an instance of 'Sequence'")
    ids = []
    for token in tokens:
        id = token.__index__() if hasattr(token, "__index__") else None
        if id is None:
            raise TypeError(f"'{type(token).__name__}' object cannot be interpreted as an integer")
        if not 0 <= id < _U32:
            raise OverflowError("out of range integral type conversion attempted")
        ids.append(id)
    return ids


@functools.lru_cache(maxsize=128)
def _alternation(tokens: frozenset[str]) -> regex.Pattern:
    """A pattern matching any of ``tokens`` literally (longest first where one is a prefix of another)."""
    return regex.compile("|".join(regex.escape(t) for t in sorted(tokens, key=lambda t: (-len(t), t))))


# ---- the registry ------------------------------------------------------------------------------
_lock = threading.RLock()
_ENCODINGS: dict[str, Encoding] = {}


def get_encoding(encoding_name: str) -> Encoding:
    """The encoding ``encoding_name`` (``"gpt2"`` or ``"cl100k_base"``), built once per process.

    As tiktoken's ``get_encoding`` (tiktoken/registry.py): a non-string is a ``ValueError`` and
    so is an unknown name; a name of tiktoken's registry whose files tokemb does not have is a
    :class:`~scratch.errors.ModelNotAvailableError` (a ``ValueError``) naming the available ones.
    """
    if not isinstance(encoding_name, str):
        raise ValueError(f"Expected a string in get_encoding, got {type(encoding_name)}")
    with _lock:
        if encoding_name in _ENCODINGS:
            return _ENCODINGS[encoding_name]
        if encoding_name not in AVAILABLE_ENCODINGS:
            available = ", ".join(AVAILABLE_ENCODINGS)
            if encoding_name in _REGISTRY:
                raise ModelNotAvailableError(
                    f"tiktoken encoding {encoding_name!r} is not available here (its rank file is not one of "
                    f"tokemb's artifacts); available: {available}"
                    + ("; 'gpt2' has the same vocabulary and split rules as r50k_base" if encoding_name == "r50k_base" else "")
                )
            raise ValueError(f"Unknown encoding {encoding_name}.\nAvailable encodings: {available}")
        from . import load  # the package imports this module only on demand: no cycle at import time

        tokenizer = load(encoding_name)
        if not isinstance(tokenizer, ByteLevelBPE):  # pragma: no cover - the registry says byte-level BPE
            raise TypeError(f"{encoding_name}: expected a byte-level BPE, got {type(tokenizer).__name__}")
        encoding = _ENCODINGS[encoding_name] = Encoding(encoding_name, tokenizer)
        return encoding


def list_encoding_names() -> list[str]:
    """The encodings :func:`get_encoding` gives here (tiktoken lists its whole registry)."""
    return list(AVAILABLE_ENCODINGS)


def encoding_name_for_model(model_name: str) -> str:
    """The encoding tiktoken uses for ``model_name`` (exact name, then prefix), any encoding of
    tiktoken's registry; ``KeyError`` with tiktoken's message for an unknown model."""
    if model_name in MODEL_TO_ENCODING:
        return MODEL_TO_ENCODING[model_name]
    for prefix, name in MODEL_PREFIX_TO_ENCODING.items():
        if model_name.startswith(prefix):
            return name
    raise KeyError(
        f"Could not automatically map {model_name} to a tokeniser. "
        "Please use `tiktoken.get_encoding` to explicitly get the tokeniser you expect."
    ) from None


def encoding_for_model(model_name: str) -> Encoding:
    """:func:`get_encoding` of :func:`encoding_name_for_model`; a model whose encoding is not
    available here is a :class:`~scratch.errors.ModelNotAvailableError` naming both."""
    name = encoding_name_for_model(model_name)
    if name not in AVAILABLE_ENCODINGS:
        raise ModelNotAvailableError(
            f"model {model_name!r} uses tiktoken encoding {name!r}, which is not available here; "
            f"available: {', '.join(AVAILABLE_ENCODINGS)}"
        )
    return get_encoding(name)


__all__ = [
    "AVAILABLE_ENCODINGS",
    "Encoding",
    "MODEL_PREFIX_TO_ENCODING",
    "MODEL_TO_ENCODING",
    "UnsupportedMethodError",
    "encoding_for_model",
    "encoding_name_for_model",
    "get_encoding",
    "list_encoding_names",
]
