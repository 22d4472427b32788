"""Hugging Face's tokenizer pipeline, from scratch, one module per stage.

Every tokenizer is the same five stages (``tokenizers``' ``Tokenizer``):

1. a **normalizer** (:mod:`.normalizers`) rewrites the text (NFKC, lowercase, ...), keeping
   for each character the span of the original it came from (:mod:`.normalized`);
2. a **pre-tokenizer** (:mod:`.pre_tokenizers`) cuts it into words (pre-tokens);
3. a **model** (:mod:`.models`: BPE, WordPiece, WordLevel, Unigram) turns each word into tokens;
4. a **post-processor** (:mod:`.post_processors`) adds the special tokens (``[CLS] ... [SEP]``);
5. a **decoder** (:mod:`.decoders`) turns tokens back into text.

Added tokens (:mod:`.added_vocabulary`) are cut out of the text before all of it.
:mod:`.tokenizer` puts the stages together and reads and writes ``tokenizer.json``.
"""
