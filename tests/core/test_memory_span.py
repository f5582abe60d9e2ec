"""The memory-span figures (static/memory_span.json, the model card's table) reproduced from the
shipped models; and the one-trace shortcut checked against separate traces of each prefix."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.core import load_model
from app.core.memory_span import neutral_tokens
from app.train import memory_span as command

from ..api.conftest import shipped_names


@pytest.fixture(scope="module")
def fresh() -> dict:
    if not set(command.MODELS) <= set(shipped_names()):
        pytest.skip("the shipped models are not all there")
    return command.compute()


def test_committed_figures_are_what_the_shipped_models_give(fresh: dict) -> None:
    committed = json.loads(command.JSON_PATH.read_text(encoding="utf-8"))
    assert committed == fresh, "stale: run python -m app.train.memory_span after retraining"
    card = command.CARD.read_text(encoding="utf-8")
    assert command.table(fresh) in card
    assert command.main(["--check"]) == 0


def test_every_k_is_the_model_reading_that_prefix(fresh: dict) -> None:
    neutral = neutral_tokens()
    assert len(neutral) == 100 and fresh["k"] == list(range(101))
    for name in command.MODELS:
        model = load_model(name)
        curves = fresh["models"][name]["openings"]
        for opening, curve in curves.items():
            head = curve["tokens"]
            label = model.config.labels.index(curve["label"])
            for k in (0, 7, 100):
                p = model.trace_tokens(head + neutral[:k]).probs[-1, label]
                assert abs(p - curve["prob"][k]) <= 1e-4, (name, opening, k)
            prob = np.asarray(curve["prob"])
            kept = curve["kept_until"]
            assert (prob[: kept + 1] > 0.5).all() and (kept == 100 or prob[kept + 1] <= 0.5)
        c = fresh["models"][name]["contrast"]
        pos = curves["Amazing!"]["prob"][50]
        neg = 1 - curves["Awful."]["prob"][50]
        # the probabilities are stored to 4 decimals: about 1e-3 of log-odds, whatever the contrast
        assert abs(c[50] - (np.log(pos / (1 - pos)) - np.log(neg / (1 - neg)))) < 1e-2 * abs(c[50]) + 2e-3
