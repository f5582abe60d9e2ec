"""Read and check a model directory: config.json, model.safetensors, vocab.txt. Never unpickles."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from safetensors import SafetensorError
from safetensors.numpy import load_file

from . import files
from .cells import LayerWeights
from .files import UnreadableFileError, finite_only, name_problem, parse_json
from .kinds import KINDS
from .tokenizer import UNK

log = logging.getLogger("gatescope")
# Sizes past these are no model this tool can draw; the bound also keeps a hostile config from
# making the loader count to a billion before the tensors disagree with it.
MAX_LAYERS, MAX_WIDTH, MAX_LABELS = 16, 65_536, 1000
# The directions a layer can read in, and PyTorch's suffix of each one's tensor names.
DIRECTIONS = ("forward", "reverse")
DIRECTION_SUFFIXES = ("", "_reverse")
# What the head reads for the model's answer on the whole text (its verdict): the top layer's
# output at the last word (PyTorch's head(output[T-1])), or PyTorch's final states h_n of both
# directions, cat(h_forward[T-1], h_reverse[0]). One-way models: the same vector either way.
HEAD_INPUTS = ("last_output", "final_states")


class ModelFormatError(ValueError):
    """A model directory that cannot be served; the message names the file, key or field."""


@dataclass(frozen=True)
class ModelConfig:
    """config.json: what the tensors are and how to read the head's outputs."""

    name: str
    kind: str
    embedding_dim: int
    hidden_size: int
    num_layers: int
    labels: tuple[str, ...]
    description: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    bidirectional: bool = False  # PyTorch's bidirectional=True: a second RNN reads T−1 … 0
    head_input: str = "last_output"  # one of HEAD_INPUTS: what the head reads for the verdict

    @property
    def direction_count(self) -> int:
        """1, or 2 for a bidirectional model (each layer's output and the head are 2H wide)."""
        return 2 if self.bidirectional else 1

    @property
    def verdict_from_final_states(self) -> bool:
        """True when the verdict is not probs[T-1]: a bidirectional model whose head reads
        PyTorch's final states (for a one-way model both head inputs are the same vector)."""
        return self.bidirectional and self.head_input == "final_states"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "embedding_dim": self.embedding_dim,
            "hidden_size": self.hidden_size, "num_layers": self.num_layers,
            "bidirectional": self.bidirectional, "head_input": self.head_input,
            "labels": list(self.labels), "description": self.description,
            "metrics": self.metrics,
        }

    def summary(self) -> dict[str, Any]:
        """The model block of the trace JSON: name, kind, hidden_size, num_layers, labels,
        "bidirectional": true for a bidirectional model only, and "head_input" when it is not
        the default "last_output" (a one-way, last-output model block keeps its bytes)."""
        brief: dict[str, Any] = {"name": self.name, "kind": self.kind,
                                 "hidden_size": self.hidden_size, "num_layers": self.num_layers,
                                 "labels": list(self.labels)}
        if self.bidirectional:
            brief["bidirectional"] = True
        if self.head_input != HEAD_INPUTS[0]:
            brief["head_input"] = self.head_input
        return brief


def _positive_int(raw: dict[str, Any], key: str, most: int = MAX_WIDTH) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ModelFormatError(f"config.json: {key!r} must be a positive whole number, "
                               f"got {str(value)[:40]!r}")
    if value > most:
        raise ModelFormatError(f"config.json: {key!r} is {value:,}, over the limit of {most:,}")
    return value


def _read(path: Path, limit: int) -> bytes:
    try:
        return files.read_capped(path, limit)
    except FileNotFoundError:
        raise ModelFormatError(f"{path.name} is missing from {path.parent.name}/") from None
    except UnreadableFileError as exc:
        raise ModelFormatError(str(exc)) from None


def read_config(path: Path, default_name: str) -> ModelConfig:
    """Parse and check config.json."""
    data = _read(path, files.MAX_CONFIG_BYTES)
    try:
        raw = parse_json(data.decode("utf-8-sig"), "config.json")
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ModelFormatError(f"config.json is not valid UTF-8 JSON: {exc}") from None
    except UnreadableFileError as exc:
        raise ModelFormatError(str(exc)) from None
    if not isinstance(raw, dict):
        raise ModelFormatError("config.json must hold a JSON object")
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:  # a list or dict is not hashable
        raise ModelFormatError(f"config.json: 'kind' must be one of {list(KINDS)}, got {kind!r}")
    labels = raw.get("labels")
    if (not isinstance(labels, list) or not 2 <= len(labels) <= MAX_LABELS
            or not all(isinstance(x, str) and x for x in labels) or len(set(labels)) != len(labels)):
        raise ModelFormatError("config.json: 'labels' must list at least two distinct names, "
                               f"got {str(labels)[:80]!r}")
    name = raw.get("name", default_name)
    problem = name_problem(name)
    if problem is not None:
        raise ModelFormatError(f"config.json: 'name' {str(name)[:60]!r} {problem}")
    metrics, dropped = finite_only(raw.get("metrics", {}))
    if dropped:
        log.warning("model %r: config.json's metrics hold NaN or infinite numbers; "
                    "those entries are left out", name)
    bidirectional = raw.get("bidirectional", False)
    if not isinstance(bidirectional, bool):
        raise ModelFormatError(f"config.json: 'bidirectional' must be true or false, "
                               f"got {bidirectional!r}")
    head_input = raw.get("head_input", HEAD_INPUTS[0])
    if not isinstance(head_input, str) or head_input not in HEAD_INPUTS:
        raise ModelFormatError(f"config.json: 'head_input' must be \"last_output\" (the head reads "
                               "output[T-1]) or \"final_states\" (it reads h_n of both directions), "
                               f"got {str(head_input)[:40]!r}")
    return ModelConfig(
        name=name,
        kind=kind,
        embedding_dim=_positive_int(raw, "embedding_dim"),
        hidden_size=_positive_int(raw, "hidden_size"),
        num_layers=_positive_int(raw, "num_layers", MAX_LAYERS),
        labels=tuple(labels),
        description=str(raw.get("description", "")),
        metrics=metrics if isinstance(metrics, dict) else {},
        bidirectional=bidirectional,
        head_input=head_input,
    )


def read_vocab(path: Path) -> list[str]:
    """Parse vocab.txt: one token a line, line i is embedding row i, "<unk>" present, no repeats,
    no empty line. A leading byte-order mark (Windows editors write one) is not part of a token."""
    data = _read(path, files.MAX_VOCAB_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ModelFormatError(f"vocab.txt is not valid UTF-8: {exc}") from None
    tokens = text.split("\n")
    if tokens and tokens[-1] == "":
        tokens.pop()  # the final newline ends the last line; it does not start an empty token
    tokens = [t[:-1] if t.endswith("\r") else t for t in tokens]
    if not tokens:
        raise ModelFormatError("vocab.txt is empty: it needs one token a line, including <unk>")
    seen: dict[str, int] = {}
    for i, token in enumerate(tokens):
        if not token:
            raise ModelFormatError(f"vocab.txt: line {i + 1} is empty: every line must hold a "
                                   "token (line i is embedding row i)")
        if token in seen:
            raise ModelFormatError(f"vocab.txt: token {token!r} appears twice "
                                   f"(lines {seen[token] + 1} and {i + 1})")
        seen[token] = i
    if UNK not in seen:
        raise ModelFormatError(f"vocab.txt has no {UNK!r} line: unknown words need a row")
    return tokens


def expected_shapes(config: ModelConfig, vocab_size: int) -> dict[str, tuple[int, ...]]:
    """Every tensor name and shape a PyTorch Embedding + LSTM/GRU/RNN + Linear state_dict holds.

    A bidirectional model has each layer's tensors twice, the second set ending in "_reverse";
    layer k > 0 then reads both directions of layer k − 1 (2H wide), and so does the head.
    """
    H, E, G = config.hidden_size, config.embedding_dim, len(KINDS[config.kind].blocks)
    D = config.direction_count
    shapes: dict[str, tuple[int, ...]] = {"embedding.weight": (vocab_size, E)}
    for k in range(config.num_layers):
        for suffix in DIRECTION_SUFFIXES[:D]:
            shapes[f"rnn.weight_ih_l{k}{suffix}"] = (G * H, E if k == 0 else D * H)
            shapes[f"rnn.weight_hh_l{k}{suffix}"] = (G * H, H)
            shapes[f"rnn.bias_ih_l{k}{suffix}"] = (G * H,)
            shapes[f"rnn.bias_hh_l{k}{suffix}"] = (G * H,)
    shapes["head.weight"] = (len(config.labels), D * H)
    shapes["head.bias"] = (len(config.labels),)
    return shapes


def check_directions(tensors: Mapping[str, Any], config: ModelConfig, vocab_size: int) -> None:
    """A file with "_reverse" tensors under a one-way config: say whether it is a whole
    bidirectional RNN (then config.json should say so) or only part of one."""
    reverse = sorted(key for key in tensors if key.endswith("_reverse"))
    if not reverse or config.bidirectional:
        return  # a bidirectional config missing a reverse tensor is a missing key, named as such
    both = expected_shapes(replace(config, bidirectional=True), vocab_size)
    absent = sorted(key for key in both if key.endswith("_reverse") and key not in tensors)
    if absent:
        raise ModelFormatError(f"model.safetensors holds only part of a bidirectional RNN: it has "
                               f"{reverse[0]!r} but not {absent[0]!r}; save every direction's "
                               "tensors (PyTorch's bidirectional=True state_dict) or none")
    raise ModelFormatError(f"model.safetensors holds a bidirectional RNN (key {reverse[0]!r}) "
                           "but config.json does not say so: add \"bidirectional\": true")


def read_tensors(path: Path, config: ModelConfig, vocab_size: int) -> dict[str, NDArray[np.float32]]:
    """Load model.safetensors and check every key, shape and value against the config."""
    try:
        files.check_regular(path, files.MAX_TENSOR_BYTES)
    except FileNotFoundError:
        raise ModelFormatError(f"model.safetensors is missing from {path.parent.name}/") from None
    except UnreadableFileError as exc:
        raise ModelFormatError(str(exc)) from None
    try:
        tensors = load_file(str(path))
    except (SafetensorError, OSError, ValueError, TypeError) as exc:
        raise ModelFormatError(f"model.safetensors cannot be read as safetensors: {exc}") from None
    check_directions(tensors, config, vocab_size)
    expected = expected_shapes(config, vocab_size)
    what = f"{config.num_layers}-layer {'bidirectional ' if config.bidirectional else ''}{config.kind}"
    missing = sorted(set(expected) - set(tensors))
    if missing:
        raise ModelFormatError(f"model.safetensors is missing key {missing[0]!r} "
                               f"(expected shape {list(expected[missing[0]])}, for a {what})")
    unexpected = sorted(set(tensors) - set(expected))
    if unexpected:
        raise ModelFormatError(f"model.safetensors has unexpected key {unexpected[0]!r}: "
                               f"config.json says a {what}")
    checked: dict[str, NDArray[np.float32]] = {}
    for key, shape in expected.items():
        array = tensors[key]
        if tuple(array.shape) != shape:
            raise ModelFormatError(f"model.safetensors: {key!r} has shape {list(array.shape)}, "
                                   f"expected {list(shape)} from config.json and vocab.txt")
        if not np.issubdtype(array.dtype, np.floating):
            raise ModelFormatError(f"model.safetensors: {key!r} has dtype {array.dtype}, "
                                   "expected floating point")
        array = np.ascontiguousarray(array, dtype=np.float32)
        if not np.isfinite(array).all():
            raise ModelFormatError(f"model.safetensors: {key!r} holds NaN or infinite values")
        checked[key] = array
    return checked


def layer_weights(tensors: dict[str, NDArray[np.float32]], k: int,
                  direction: str = "forward") -> LayerWeights:
    """The four tensors of recurrent layer k in one direction, looked up by their PyTorch names."""
    suffix = DIRECTION_SUFFIXES[DIRECTIONS.index(direction)]
    return LayerWeights(
        w_ih=tensors[f"rnn.weight_ih_l{k}{suffix}"],
        w_hh=tensors[f"rnn.weight_hh_l{k}{suffix}"],
        b_ih=tensors[f"rnn.bias_ih_l{k}{suffix}"],
        b_hh=tensors[f"rnn.bias_hh_l{k}{suffix}"],
    )
