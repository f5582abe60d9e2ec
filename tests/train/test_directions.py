"""The split of a bidirectional verdict into its forward and reverse parts adds up to the verdict."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.core import load_model
from app.train.directions import margin_parts
from tests.modeldirs import random_model_dir

VOCAB = ["<unk>", "good", "bad", "movie", "not", "."]


def test_parts_add_up_to_the_last_steps_log_odds(tmp_path: Path) -> None:
    model = load_model(random_model_dir(tmp_path / "bi", "lstm", VOCAB, 4, layers=2,
                                        bidirectional=True, seed=3))
    for text in ["good movie .", "not bad", "movie"]:
        forward, reverse, bias = margin_parts(model, text)
        probs = model.trace(text).probs[-1]
        assert forward + reverse + bias == pytest.approx(float(np.log(probs[1] / probs[0])),
                                                         abs=1e-5)
    # one layer: at the last word the reverse reader has read only that word
    one = load_model(random_model_dir(tmp_path / "one", "lstm", VOCAB, 4, bidirectional=True))
    assert margin_parts(one, "not good movie")[1] == pytest.approx(margin_parts(one, "movie")[1],
                                                                   abs=1e-6)


def test_a_one_way_model_is_refused(tmp_path: Path) -> None:
    model = load_model(random_model_dir(tmp_path / "m", "gru", VOCAB, 3))
    with pytest.raises(ValueError, match="not bidirectional"):
        margin_parts(model, "good")


def test_final_states_parts_add_up_to_the_verdict(tmp_path: Path) -> None:
    """A final-states model: the parts are the head columns on h_forward[T-1] and h_reverse[0],
    and add up to the verdict's log-odds (not the last step's)."""
    model = load_model(random_model_dir(tmp_path / "fs", "gru", VOCAB, 4, layers=2, seed=4,
                                        bidirectional=True, head_input="final_states"))
    for text in ["good movie .", "not bad", "movie"]:
        verdict = model.trace(text).verdict
        assert sum(margin_parts(model, text)) == pytest.approx(
            float(np.log(verdict[1] / verdict[0])), abs=1e-5)
    # the reverse part has read every word: the first one counts, not only the last
    assert margin_parts(model, "not good movie")[1] != pytest.approx(
        margin_parts(model, "good good movie")[1], abs=1e-4)
