"""The model's verdict on the page (the trace's "verdict"): for a bidirectional model whose head
reads the final states (t-bigru-fs) a diamond past the last word in the Prediction and Compare
views, with its value in the caption; for a last-output model (t-bilstm) the last word's answer."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .conftest import SCREENSHOTS, open_page

TEXT = "The first half was dry but the second half really picked up the pace ."


def api_trace(page: Any, model: str) -> dict[str, Any]:
    trace: dict[str, Any] = page.context.request.post(
        "/api/trace", data={"text": TEXT, "model": model}).json()
    return trace


def shown(label: str, p: float) -> str:
    return f"{label} {p:.4f}"


def test_a_final_states_verdict_is_shown_apart_from_the_line(page: Any) -> None:
    trace = api_trace(page, "t-bigru-fs")
    verdict, labels = trace["verdict"], trace["model"]["labels"]
    assert trace["model"]["head_input"] == "final_states"
    assert verdict != trace["steps"][-1]["probs"]  # else the page could not show it apart
    T = len(trace["steps"])
    open_page(page, f"?text={quote(TEXT)}&model=t-bigru-fs&view=prediction&step={T - 1}")
    assert page.evaluate("() => window.gatescope.store.verdict") == verdict
    marks = page.evaluate("""() => document.getElementById('prediction-lines').data
        .filter((d) => d.marker && d.marker.symbol === 'diamond').map((d) => [d.x[0], d.y[0]])""")
    assert [y for _, y in marks] == [verdict[label] for label in labels]
    assert all(x > T - 1 for x, _ in marks)  # past the last word: it is no word's answer
    caption = page.text_content("#prediction-caption")
    head, said = caption.split("◆ Verdict (both readers, whole sentence): ")
    assert all(shown(label, trace["steps"][-1]["probs"][label]) in head for label in labels)
    assert all(shown(label, verdict[label]) in said for label in labels)
    assert "joins the forward reader at the last word with the backward reader at the first word" \
        in page.text_content("#lens-note")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "verdict-final-states-prediction.png"))

    page.click("#tab-compare")
    page.wait_for_selector("#compare-plot .xtick", timeout=15_000)
    focus = labels[1]
    marks = page.evaluate("""() => document.getElementById('compare-plot').data
        .filter((d) => d.marker && d.marker.symbol === 'diamond').map((d) => d.y[0])""")
    assert marks == [verdict[focus]]
    assert f"t-bigru-fs {verdict[focus] * 100:.1f}% ◆" in page.text_content("#compare-caption")
    page.screenshot(path=str(SCREENSHOTS / "verdict-final-states-compare.png"))


def test_a_last_output_verdict_is_the_last_words_answer(page: Any) -> None:
    trace = api_trace(page, "t-bilstm")
    verdict, labels = trace["verdict"], trace["model"]["labels"]
    assert verdict == trace["steps"][-1]["probs"]
    T = len(trace["steps"])
    open_page(page, f"?text={quote(TEXT)}&model=t-bilstm&view=prediction&step={T - 1}")
    caption = page.text_content("#prediction-caption")
    assert caption.startswith("The model’s verdict, at the last word")
    assert all(shown(label, verdict[label]) in caption for label in labels)
    assert not page.evaluate("""() => document.getElementById('prediction-lines').data
        .some((d) => d.marker && d.marker.symbol === 'diamond')""")
