"""gatescope's engine, numpy only (numba compiles the step loops where installed): tokenize, load a
model directory, trace every gate of every step."""

from .clamp import Clamp, ClampError
from .kinds import KINDS, Kind
from .model import Model, UnknownModelError, load_model
from .tokenizer import UNK, tokenize
from .trace import Trace
from .weights import ModelConfig, ModelFormatError

__all__ = [
    "KINDS", "UNK", "Clamp", "ClampError", "Kind", "Model", "ModelConfig", "ModelFormatError", "Trace",
    "UnknownModelError", "load_model", "tokenize",
]
