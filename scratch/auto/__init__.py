"""transformers' entry points on scratch: ``from scratch.auto import AutoTokenizer, AutoModel,
AutoModelForCausalLM`` in place of ``from transformers import ...`` runs the chapter's code.

* :mod:`.tokenizer`: ``AutoTokenizer.from_pretrained`` over the tokenizer.json pipeline
  (:mod:`scratch.tokenizers.pipeline`), with transformers' call, padding, truncation, offsets,
  word ids, batch methods and chat template; :mod:`.batch_encoding` its ``BatchEncoding``;
* :mod:`.models`: ``AutoModel`` (an encoder's hidden states) and ``AutoModelForCausalLM``
  (a decoder with ``generate``);
* :mod:`.hub`: which hub ids are known here (there is no model hub) and what is refused.
"""

from .models import AutoModel, AutoModelForCausalLM
from .tokenizer import AutoTokenizer

__all__ = ["AutoModel", "AutoModelForCausalLM", "AutoTokenizer"]
