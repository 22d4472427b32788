"""Which encoder a model folder holds: ``config.json``'s ``model_type`` picks the class."""

from __future__ import annotations

from pathlib import Path

from .bert import BertModel
from .mpnet import MPNetModel
from .transformer import Encoder
from .weights import ModelFolderError, load_weights, read_json

ENCODERS: dict[str, type[Encoder]] = {"bert": BertModel, "mpnet": MPNetModel}


def load_encoder(folder: str | Path) -> Encoder:
    """The encoder in ``folder`` (``config.json`` + ``model.safetensors``), BERT or MPNet."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelFolderError(f"{folder}: not a folder")
    config = read_json(folder / "config.json")
    model_type = config.get("model_type")
    if model_type not in ENCODERS:
        raise ModelFolderError(f"{folder}: model_type {model_type!r} is not supported; "
                               f"supported: {', '.join(ENCODERS)}")  # fmt: skip
    return ENCODERS[model_type](config, load_weights(folder))
