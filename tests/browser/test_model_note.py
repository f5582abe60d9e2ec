"""The model picker's note names what each model still misreads, with the held-out suite's own
figures (config.json "metrics.behaviour"), computed here independently of the page's code."""

from __future__ import annotations

import re
from typing import Any

from .conftest import Server, open_page

# The categories as the note names them (a substring of each), to find them in the text.
NAMES = {"negated_negative": "(“not bad”)", "negated_positive": "(“not good”)",
         "negation_distance": "negation at a distance", "contrast": "contrast",
         "plain": "plain sentences", "intensity": "degree words", "filler": "neutral filler"}


def expected(behaviour: dict[str, float]) -> list[tuple[str, int]]:
    wrong = sorted(((1 - a, c) for c, a in behaviour.items() if c in NAMES and 1 - a > 0.05),
                   reverse=True)
    return [(c, round(100 * w)) for w, c in wrong[:2]]


def test_the_note_names_each_models_worst_categories(page: Any, server: Server) -> None:
    open_page(page)
    models = page.context.request.get("/api/models").json()["models"]
    shipped = [m for m in models if m["metrics"].get("behaviour")]
    assert {"lstm", "gru"} <= {m["name"] for m in shipped}, "the shipped models carry their suite figures"
    for m in shipped:
        page.select_option("#model", m["name"])
        note = page.inner_text("#model-info")
        assert page.get_attribute("#model-info", "title") == (m.get("description") or "")
        assert f"{m['metrics']['accuracy'] * 100:.1f}% right on held-out reviews" in note, note
        worst = expected(m["metrics"]["behaviour"])
        if not worst:
            assert "every kind of held-out test sentence at least 95% right" in note, note
            continue
        clause = re.search(r"misreads (.*?) \(held-out tests\)", note)
        assert clause, note
        parts = clause.group(1).split(" and ")
        assert len(parts) == len(worst), note
        for part, (category, percent) in zip(parts, worst, strict=True):
            assert part.startswith(f"{percent}% of ") and NAMES[category] in part, (m["name"], note)
