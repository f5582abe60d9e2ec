"""Every example in the page's menu does what its note promises, measured on the models the server
ships (whatever they are today): the page's own presets.js is read in the browser, each example is
read by the model it names with app.core, and its promise is checked on those numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from app.core import Trace, derived
from app.train.directions import margin_parts

from .conftest import Server, open_page


def positive(trace: Trace) -> np.ndarray:
    # Trace.model: a dict today, a typed ModelConfig once issue 13 lands; both name the labels.
    m: Any = trace.model
    labels = list(m["labels"] if isinstance(m, dict) else m.labels)
    return np.asarray(trace.probs, dtype=float)[:, labels.index("positive")]


def positive_verdict(trace: Trace) -> float:
    m: Any = trace.model
    return float(np.asarray(trace.verdict)[list(m.labels).index("positive")])


def word(trace: Trace, token: str) -> int:
    return list(trace.tokens).index(token)


def cereal(tr: Trace, _p: dict[str, Any], _server: Server) -> list[str]:
    held = derived.share(tr)[-1]
    small = max(held[word(tr, "this")], held[word(tr, "of")])
    return [f"“{w}” holds {held[word(tr, w)]:.3f} at the end, not more than “this”/“of” ({small:.3f})"
            for w in ("definitely", "buying", "again") if held[word(tr, w)] <= small]


def movie(tr: Trace, _p: dict[str, Any], _server: Server) -> list[str]:
    p = positive(tr)
    dry, but = word(tr, "dry"), word(tr, "but")
    problems = []
    if int(np.argmin(p[: but + 1])) not in (dry - 1, dry, dry + 1):
        problems.append(f"the dip before “but” is at word {int(np.argmin(p[: but + 1])) + 1}, not at “dry”")
    if p[dry] >= 0.5 or p[-1] <= 0.5:
        problems.append(f"P(positive) at “dry” {p[dry]:.2f}, at the end {p[-1]:.2f}")
    return problems


def negation(tr: Trace, _p: dict[str, Any], _server: Server) -> list[str]:
    # "not" is still on the highway when "bad" arrives: a band a class can see (≥ 5% of the memory).
    held = derived.share(tr)[word(tr, "bad"), word(tr, "not")]
    return [] if held >= 0.05 else [f"“not” holds only {held:.3f} of the memory at “bad”"]


def verdict_first(tr: Trace, _p: dict[str, Any], _server: Server) -> list[str]:
    p = positive(tr)
    return [] if p[0] < 0.5 else [f"the answer after “Awful” is P(positive) = {p[0]:.2f}, not negative"]


def last_line(tr: Trace, _p: dict[str, Any], _server: Server) -> list[str]:
    p = positive(tr)
    return [] if p[-1] < 0.5 < p[0] else [f"P(positive) starts {p[0]:.2f} and ends {p[-1]:.2f}"]


def negation_unit(tr: Trace, p: dict[str, Any], _server: Server) -> list[str]:
    # The unit the example names (and each one its note says does the same) writes a flag at "not"
    # (forget gate shut, input gate open), keeps it to "bad" (forget near 1, input near 0 in
    # between), is erased at "bad" (forget gate shut, cell near 0), and the answer turns positive
    # there. The page opens its view on the first unit.
    q = tr.quantities
    n, b = word(tr, "not"), word(tr, "bad")
    problems = []
    for u in [int(p["unit"]), *p.get("sameUnits", [])]:
        forget, write = np.asarray(q["forget"])[:, 0, u], np.asarray(q["input"])[:, 0, u]
        cell = np.asarray(q["cell"])[:, 0, u]
        if not (forget[n] < 0.1 and write[n] > 0.9):
            problems.append(f"at “not” unit {u}: forget {forget[n]:.2f}, input {write[n]:.2f}")
        if forget[n + 1:b].min() < 0.9 or write[n + 1:b].max() > 0.1 \
                or (np.sign(cell[n + 1:b]) != np.sign(cell[n])).any():
            problems.append(f"unit {u} does not hold its flag: forget {np.round(forget[n + 1:b], 2)}, "
                            f"input {np.round(write[n + 1:b], 2)}, cell {np.round(cell[n:b], 2)}")
        if not (forget[b] < 0.1 and abs(cell[b]) < 0.1):
            problems.append(f"unit {u} at “bad”: forget {forget[b]:.2f}, cell {cell[b]:.2f} (not erased)")
    pos = positive(tr)
    if not (pos[b - 1] < 0.5 < pos[b] and pos[-1] > 0.5):
        problems.append(f"P(positive) before “bad” {pos[b - 1]:.2f}, at it {pos[b]:.2f}, end {pos[-1]:.2f}")
    return problems


def both_readers(tr: Trace, p: dict[str, Any], server: Server) -> list[str]:
    # The bidirectional verdict is right (negative) where the forward reader alone, at the last
    # word, leans positive, and so does the one-way lstm: the backward reader's vote decides.
    model = server.engine(p["model"])
    forward, backward, bias = margin_parts(model, p["text"])
    one_way = float(positive_verdict(server.engine("lstm").trace(p["text"])))
    verdict = float(positive_verdict(tr))
    problems = []
    if not (forward + bias > 0 > forward + backward + bias and verdict < 0.5):
        problems.append(f"forward part {forward + bias:+.2f}, with the backward reader "
                        f"{forward + backward + bias:+.2f}, verdict P(positive) {verdict:.2f}")
    if one_way <= 0.5:
        problems.append(f"the one-way lstm reads it right too (P(positive) {one_way:.2f})")
    return problems


PROMISES: dict[str, Callable[[Trace, dict[str, Any], Server], list[str]]] = {
    "cereal": cereal, "movie": movie, "negation": negation, "verdict-first": verdict_first,
    "last-line": last_line, "negation-unit": negation_unit, "both-readers": both_readers,
}


def test_every_example_shows_what_its_note_promises(page: Any, server: Server) -> None:
    open_page(page)
    presets = page.evaluate("async () => (await import('/static/js/presets.js')).default")
    assert {p["id"] for p in presets} == set(PROMISES), "every example needs a measured promise here"
    models = page.context.request.get("/api/models").json()["models"]
    problems = []
    for p in presets:
        # as the page picks it: the model of that name, else the first of that kind
        name = next((m["name"] for m in models if m["name"] == p["model"]), None) or \
            next(m["name"] for m in models if m["kind"] == p["model"])
        trace = server.engine(name).trace(p["text"])
        problems += [f"{p['id']} on {name}: {msg}" for msg in PROMISES[p["id"]](trace, p, server)]
    # The menu shows each example's note, and picking one reads it with its model.
    page.click("#examples summary")
    page.click("button.preset[data-preset='negation']")
    page.wait_for_function("() => document.body.dataset.state === 'ready'")
    assert page.input_value("#text") == next(p["text"] for p in presets if p["id"] == "negation")
    # An example about one unit opens its view on that unit, and the link keeps both.
    unit_preset = next(p for p in presets if p["id"] == "negation-unit")
    page.click("#examples summary")
    page.click("button.preset[data-preset='negation-unit']")
    page.wait_for_function("() => document.body.dataset.state === 'ready'")
    assert page.input_value("#unit") == str(unit_preset["unit"])
    assert page.get_attribute(f"#tab-{unit_preset['view']}", "aria-selected") == "true"
    assert page.is_visible(f"#view-{unit_preset['view']}")
    assert f"unit={unit_preset['unit']}" in page.url and f"view={unit_preset['view']}" in page.url
    assert not problems, "\n".join(problems)
