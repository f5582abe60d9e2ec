"""Each shipped model loads, traces, and still scores what its model card says (numpy engine)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.core import load_model
from app.core.examples import CEREAL
from app.core.model import SHIPPED_DIR
from app.train.data import OTHER_FILE, TEST_FILE, read_jsonl
from app.train.evaluate import accuracy

from .conftest import SHIPPED


@pytest.fixture(scope="module")
def test_rows() -> list[dict[str, object]]:
    return read_jsonl(TEST_FILE)


@pytest.mark.parametrize("name", SHIPPED)
def test_loads_and_traces(name: str) -> None:
    model = load_model(name)
    assert model.config.labels == ("negative", "positive")
    assert model.config.num_layers == (2 if name == "lstm-2" else 1)
    assert model.config.bidirectional == (name == "bilstm")
    assert model.config.description
    trace = model.trace(CEREAL)
    assert trace.probs.shape == (len(trace.tokens), 2)
    assert np.allclose(trace.probs.sum(axis=1), 1.0, atol=1e-5)
    assert trace.known.mean() > 0.9  # ordinary English is in the vocabulary


@pytest.mark.parametrize("name", SHIPPED)
def test_accuracy_matches_model_card(name: str, test_rows: list[dict[str, object]]) -> None:
    model = load_model(name)
    card = model.config.metrics
    assert card["n"] == len(test_rows)
    acc, n = accuracy(model, test_rows)
    assert n == len(test_rows)
    assert acc >= card["accuracy"] - 0.005, f"{name}: {acc:.4f} < model card {card['accuracy']}"


def test_sizes() -> None:
    sizes = {name: load_model(name).config.hidden_size for name in SHIPPED}
    # the two-layer and the bidirectional LSTM: the main one's size (per layer, per direction)
    assert sizes["lstm"] == sizes["gru"] == sizes["rnn"] == sizes["lstm-2"] == sizes["bilstm"]
    assert 16 <= sizes["lstm"] <= 32
    assert sizes["lstm-tiny"] == 4
    assert {load_model(name).config.kind for name in SHIPPED} == {"lstm", "gru", "rnn"}


def test_models_folder_under_35_mb() -> None:
    # Issue 1 asked for under 25 MB with four models; each carries its own 5 MB float16
    # embedding (51,557 words), so the six of issue 17 need about 32 MB.
    total = sum(p.stat().st_size for p in Path(SHIPPED_DIR).rglob("*") if p.is_file())
    assert total < 35 * 1024 * 1024, f"models/ holds {total / 2**20:.1f} MB"


def test_model_card_lists_every_model() -> None:
    card = (Path(SHIPPED_DIR) / "README.md").read_text(encoding="utf-8")
    for name in SHIPPED:
        config = json.loads((Path(SHIPPED_DIR) / name / "config.json").read_text(encoding="utf-8"))
        assert f"`{name}`" in card
        assert f"{config['metrics']['accuracy']:.1%}" in card, f"{name}'s accuracy is not in the card"


def test_committed_split_files_exist() -> None:
    assert TEST_FILE.is_file() and OTHER_FILE.is_file()


@pytest.mark.parametrize("name", SHIPPED)
def test_behaviour_figures_match_config(name: str) -> None:
    """config.json's per-category figures are what the numpy engine scores on the held-out suite
    (the page's model note reads them), to within one sentence per category."""
    from app.train.behaviour import evaluate_model

    model = load_model(name)
    stated, n = model.config.metrics["behaviour"], model.config.metrics["behaviour_n"]
    measured = evaluate_model(model, "heldout")
    assert set(stated) == set(measured)
    for category, figures in measured.items():
        assert figures["n"] == n[category]
        assert abs(figures["accuracy"] - stated[category]) <= 1.01 / figures["n"], category


@pytest.mark.parametrize("name", ["lstm", "gru", "lstm-2", "bilstm"])
def test_gated_models_read_negation(name: str) -> None:
    """The issue's targets on the held-out suite, which the 32-unit gated models reach
    (models/README.md, *Targets*; `lstm-tiny` does not and is reported as it is). The figures are
    config.json's, which test_behaviour_figures_match_config recomputes with the engine."""
    stated = load_model(name).config.metrics["behaviour"]
    assert stated["plain"] >= 0.95 and stated["negation"] >= 0.8 and stated["contrast"] >= 0.8


@pytest.mark.parametrize("name", SHIPPED)
def test_every_model_reads_the_issues_sentences(name: str) -> None:
    """The issue's own three sentences, with and without a full stop, by every shipped model's
    verdict (the plain RNN and the four-unit LSTM included)."""
    model = load_model(name)
    pos = list(model.config.labels).index("positive")
    for end in ("", "."):
        assert model.trace("not bad at all" + end).verdict[pos] > 0.5
        assert model.trace("I did not love it" + end).verdict[pos] < 0.5
        assert model.trace("I don't think this movie was good" + end).verdict[pos] < 0.5
