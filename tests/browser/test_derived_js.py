"""static/js/derived.js computes in the browser what app/core/derived.py computes on the server: the
memory decomposition of the cereal review, from the streamed (rounded) gates of the top layer."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.core import KINDS, ModelConfig, Trace
from app.core.derived import memory_contributions, retention, share

from .conftest import Server, open_page

pytestmark = pytest.mark.browser

CEREAL = ("Amazing! This box of cereal gave me a perfectly balanced breakfast, as all things should be. "
          "I only ate half but will definitely be buying again!")

# The page's own streamed steps go through derived.js's MemoryLedger, as the memory view does.
LEDGER_JS = """async (unit) => {
  const { MemoryLedger } = await import('/static/js/derived.js');
  const s = window.gatescope.store;
  const ledger = new MemoryLedger(s.meta.model.kind);
  for (const step of s.steps) ledger.push(step.layers[step.layers.length - 1]);
  const T = s.steps.length;
  const rows = [], unitRows = [], shares = [];
  for (let t = 0; t < T; t++) {
    rows.push(Array.from(ledger.retention(t)));
    unitRows.push(Array.from(ledger.contributions(t, unit)));
    shares.push(Array.from(ledger.share(t)));
  }
  return { rows, unitRows, shares, steps: s.steps, model: s.meta.model, tokens: s.meta.tokens };
}"""


def square(rows: list[list[float]]) -> np.ndarray:
    """Lower-triangular rows (row t has t + 1 entries) as a (T, T) array, zeros above."""
    T = len(rows)
    out = np.zeros((T, T))
    for t, row in enumerate(rows):
        out[t, : len(row)] = row
    return out


def wire_trace(got: dict[str, Any]) -> Trace:
    """The trace as the page received it (values rounded to 4 decimals), top layer only."""
    steps = got["steps"]

    def stack(get: Any) -> np.ndarray:
        return np.array([[get(s["layers"][-1])] for s in steps], dtype=np.float64)  # (T, 1, H)

    m = got["model"]
    kind = KINDS[m["kind"]]
    quantities = {name: stack(lambda L, n=name: L["gates"][n] if n in kind.gates else L[n])
                  for name in kind.quantities}
    config = ModelConfig(name=m["name"], kind=m["kind"], embedding_dim=1, hidden_size=m["hidden_size"],
                         num_layers=m["num_layers"], labels=tuple(m["labels"]))
    return Trace(model=config, text="", tokens=got["tokens"],
                 known=np.array([s["known"] for s in steps]), quantities=quantities,
                 probs=np.zeros((len(steps), 2)))


@pytest.mark.parametrize("model", ["lstm", "gru"])
def test_memory_decomposition_in_the_browser_equals_app_core(page: Any, server: Server, model: str) -> None:
    open_page(page, f"?text={CEREAL}&model={model}&view=memory&step=0")
    unit = 5
    got = page.evaluate(LEDGER_JS, unit)
    trace = server.engine(model).trace(CEREAL)
    T = len(trace)
    assert len(got["rows"]) == T

    # 1. The arithmetic is the same: fed the very numbers the page received, app.core gives what
    # derived.js gives, to float64 precision.
    wire = wire_trace(got)
    np.testing.assert_allclose(square(got["rows"]), retention(wire), rtol=0, atol=1e-9)
    np.testing.assert_allclose(square(got["unitRows"]), memory_contributions(wire)[:, :, unit],
                               rtol=0, atol=1e-9)
    np.testing.assert_allclose(square(got["shares"]), share(wire), rtol=0, atol=1e-9)

    # 2. Against the engine's exact (unrounded) trace. Every streamed input carries a rounding error
    # of at most 5e-5. A retention value is a product of at most T keep factors in [0, 1] (error at
    # most T · 5e-5 ≈ 1.5e-3 for these 30 words, and far less in practice, the errors being of both
    # signs), divided by what the word wrote; the contributions add the error of i·g (≤ 1e-4).
    # 2e-3 covers both and still fails on any real mistake (a missed or an extra factor changes
    # these values by 1e-2 or more, as the check below on a shifted product shows).
    exact = retention(trace)
    np.testing.assert_allclose(square(got["rows"]), exact, rtol=0, atol=2e-3)
    np.testing.assert_allclose(square(got["unitRows"]), memory_contributions(trace)[:, :, unit],
                               rtol=0, atol=2e-3)
    shifted = np.zeros_like(exact)
    shifted[1:, :] = exact[:-1, :]  # one step late: the mistake an off-by-one would make
    assert np.abs(shifted - exact).max() > 1e-2

    # The decomposition is exact: summed over the words, a unit's parts are its state.
    state = (trace.cell if model == "lstm" else trace.hidden)[:, -1, unit]
    np.testing.assert_allclose(square(got["unitRows"]).sum(axis=1), state, rtol=0, atol=2e-3)


def test_a_plain_rnn_has_no_decomposition(page: Any) -> None:
    open_page(page, "?text=the+movie+was+good&model=rnn&view=memory&step=0")
    message = page.evaluate("""async () => {
      const { MemoryLedger, hasMemory } = await import('/static/js/derived.js');
      try { new MemoryLedger('rnn'); return 'made'; } catch (e) { return hasMemory('rnn') + ' ' + e.message; }
    }""")
    assert message.startswith("false") and "no per-word memory decomposition" in message
