"""The KINDS table is coherent, and it is what the engines, the trace and the loader go by."""

from __future__ import annotations

from string import Formatter

import numpy as np
import pytest

from app.core import KINDS, Kind, cells, kernels
from app.core.cells import LayerWeights
from app.core.weights import ModelConfig, expected_shapes

SYMBOL = {"cell": "c", "hidden": "h"}


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))
def test_every_entry_answers_the_same_questions_consistently(kind: Kind) -> None:
    # the gates come first, in the JSON's order, and every named quantity is one the layer yields
    assert kind.quantities[: len(kind.gates)] == kind.gates
    assert set(kind.gates) <= set(kind.blocks) <= set(kind.quantities)
    assert kind.quantities[-1] == "hidden" and kind.state in kind.quantities
    assert ("candidate" in kind.quantities) == (kind.candidate is not None)
    for gate in (kind.keep, kind.write, kind.read):
        assert gate is None or gate in kind.gates
    assert (kind.keep is None) == (kind.write is None) == (not kind.parts)
    if kind.coupled:
        assert kind.write == kind.keep
    if kind.parts:  # the state is what was kept plus what was written
        assert kind.equation == f"{SYMBOL[kind.state]} = {kind.parts['kept']} + {kind.parts['written']}"
    assert ("read_out" in kind.parts) == (kind.read is not None)
    for heading, shows in kind.board:
        assert shows in kind.parts or shows in kind.quantities
        assert fields(heading) <= set(kind.parts) | {"equation"}
    assert fields(kind.unit_equation) <= set(kind.quantities) | {"before"}


def fields(template: str) -> set[str]:
    """The {names} a format string fills in."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


@pytest.mark.parametrize("name", list(KINDS))
def test_engines_and_loader_follow_the_table(name: str) -> None:
    kind = KINDS[name]
    T, H, E = 3, 2, 4
    G = len(kind.blocks) * H
    rng = np.random.default_rng(0)
    w = LayerWeights(*(rng.normal(0, 1, shape).astype(np.float32) for shape in ((G, E), (G, H), (G,), (G,))))
    x = rng.normal(0, 1, (T, E)).astype(np.float32)
    engines = [cells.LAYERS] + ([kernels.LAYERS] if kernels.LAYERS is not None else [])
    for layers in engines:
        assert set(layers[name](x, w, {})) == set(kind.quantities)
    config = ModelConfig(name="m", kind=name, embedding_dim=E, hidden_size=H, num_layers=1,
                         labels=("a", "b"))
    assert expected_shapes(config, 5)["rnn.weight_hh_l0"] == (G, H)
