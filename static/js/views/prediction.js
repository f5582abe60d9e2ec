// The prediction: what the classifier head would answer if the text stopped at each word, so a class
// sees the verdict swing — the movie review should start negative and turn after "but".
import { labelColor } from "../config.js";
import {
  View, baseLayout, currentWordTag, esc, fmt, fonts, legend, plotHeight, splitScaffold, visible, wordAxis,
} from "./common.js";

/**
 * What a bidirectional model's answer at a word means (the explanation panel shows it, lens.js):
 * the head reads both readers there — the forward one has read the words up to it, the backward one
 * the words from the end back to it — so every point rests on the whole sentence, split at that
 * word; it is not "the answer if the text ended here". The model's verdict is the trace's `verdict`:
 * the last point for a model trained on the last step ("head_input" "last_output"), else the head on
 * both readers' final states, drawn as a diamond past the last word.
 */
export function bothWays(model) {
  return "This model reads both ways: at word t the forward reader has read words 1 to t, the backward "
    + "reader the words from the end back to t. The line at a word is the head on both readers there, "
    + "not the answer if the text ended here. "
    + (ownVerdict(model)
      ? "Its verdict (◆ after the last word) joins the forward reader at the last word with the backward "
        + "reader at the first word: both have read every word."
      : "It was trained on the last word’s answer: that one is the model’s verdict.")
    + " (Read from the top layer, whatever the pickers show.)";
}

/** The verdict is not a point of the line: a bidirectional model whose head reads the final states. */
export function ownVerdict(model) {
  return Boolean(model?.bidirectional) && model?.head_input === "final_states";
}

export const VERDICT_NAME = "verdict: both readers, whole sentence";

export default class Prediction extends View {
  static id = "prediction";
  static title = "Prediction";
  /** The smallest height that shows the whole view in an embed (it grows with a taller frame). */
  static embedMinHeight = 340;
  static explain =
    "After every word the model's head reads the hidden state and answers: how likely is each label "
    + "if the text ended here? The lines show that answer word by word; the bars on the right are the "
    + "answer at the current word. Watch where it swings: those are the words that changed the "
    + "network's mind. The model's verdict on the whole text is the last point (or a ◆ after it).";

  /** The Plotly chart the page's PNG/SVG download saves, as it is on the screen. */
  imagePlot() {
    return this.lines;
  }

  begin(meta) {
    // Same labels as the last text: keep the plots and react() to the new data (newPlot is slow).
    const reuse = this.plotted && JSON.stringify(this.labels) === JSON.stringify(meta.model.labels);
    this.meta = meta;
    this.labels = meta.model.labels;
    this.drawn = 0;
    this.t = -1;
    this.verdictDrawn = false;
    if (reuse) {
      this.fresh = true;
      this.caption.textContent = "";
      this.drawLegend(); // a what-if run adds its ghost's entry
      return;
    }
    this.plotted = false;
    // The lines and the "at this word" bars are two plots: only the small one is restyled on
    // every word (restyling a plot replots all of its traces).
    ({ caption: this.caption, plot: this.plot, main: this.lines, side: this.now } =
      splitScaffold(this.root, Prediction.id, "lines", "now"));
    this.nowDrawn = false;
    this.drawLegend();
  }

  drawLegend() {
    legend(this.root, [
      ...this.labels.map((l, k) => ({ color: labelColor(l, k), label: `probability of “${l}”`, kind: "line" })),
      { color: this.ctx.config.colors.current, label: "current word", kind: "line" },
      ...(ownVerdict(this.meta.model) ? [{ color: this.ctx.config.colors.current, label: VERDICT_NAME, kind: "diamond" }] : []),
      { color: this.ctx.config.colors.unknown, label: "grey word with “?”: unknown, read as <unk>", kind: "text" },
      ...(this.ctx.store.ghost ? [{ color: this.ctx.config.colors.reference, label: "dashed: the run without the what-if", kind: "line" }] : []),
    ]);
  }

  addStep() {}

  series(steps) {
    return this.labels.map((label) => ({
      x: steps.map((s) => s.t),
      y: steps.map((s) => s.probs[label]),
      customdata: steps.map((s) => [s.t + 1, esc(s.token) + (s.known ? "" : " (unknown)")]),
    }));
  }

  traces() {
    const { steps } = this.ctx.store;
    const lines = this.series(steps).map((d, k) => ({
      type: "scatter", mode: "lines+markers", name: this.labels[k], ...d, xaxis: "x", yaxis: "y",
      line: { color: labelColor(this.labels[k], k), width: 2.5 },
      marker: { size: steps.length > 80 ? 0 : 5, color: labelColor(this.labels[k], k) },
      hovertemplate: `after word %{customdata[0]} “%{customdata[1]}”<br>${esc(this.labels[k])}: %{y:.4f}<extra></extra>`,
    }));
    // A what-if experiment (whatif.js): the unchanged run, dashed and faint, under the pinned one.
    const ghost = this.ctx.store.ghost;
    if (ghost?.steps) {
      ghost.steps.length && this.labels.forEach((label, k) => lines.push({
        type: "scatter", mode: "lines", name: `${label} (unchanged)`, xaxis: "x", yaxis: "y",
        x: ghost.steps.map((s) => s.t), y: ghost.steps.map((s) => s.probs[label]), opacity: 0.45,
        line: { color: labelColor(label, k), width: 2, dash: "dash" },
        hovertemplate: `unchanged run, word %{x}: ${esc(label)} %{y:.4f}<extra></extra>`,
      }));
    }
    // The verdict of a final-states model: a diamond just past the last word (it is no word's answer).
    const verdict = this.ctx.store.verdict;
    this.verdictDrawn = Boolean(verdict) && ownVerdict(this.meta.model);
    if (this.verdictDrawn) {
      const x = this.meta.tokens.length - 1 + 0.3;
      this.labels.forEach((label, k) => lines.push({
        type: "scatter", mode: "markers", name: `verdict (${label})`, xaxis: "x", yaxis: "y",
        x: [x], y: [verdict[label]], cliponaxis: false,
        marker: { symbol: "diamond", size: 13, color: labelColor(label, k), line: { color: "#222", width: 1.5 } },
        hovertemplate: `${VERDICT_NAME}<br>${esc(label)}: %{y:.4f}<extra></extra>`,
      }));
    }
    return lines;
  }

  // The "at this word" bars are plain HTML, not Plotly: they change on every word, and a Plotly
  // react of even this small chart costs ~16 ms a word while the player runs.
  drawNow(t) {
    const probs = this.labels.map((l) => this.ctx.store.steps[t].probs[l]);
    if (!this.nowDrawn) {
      this.now.replaceChildren();
      const box = document.createElement("div");
      box.className = "now-bars";
      const title = document.createElement("p");
      title.className = "now-title";
      title.textContent = "at this word";
      this.nowRows = this.labels.map((label, k) => {
        const row = document.createElement("div");
        row.className = "now-row";
        const name = document.createElement("span");
        name.className = "now-label";
        name.textContent = label;
        const track = document.createElement("span");
        track.className = "now-track";
        const bar = document.createElement("span");
        bar.className = "now-bar";
        bar.style.background = labelColor(label, k);
        const value = document.createElement("span");
        value.className = "now-value";
        track.append(bar);
        row.append(name, track, value);
        box.append(row);
        return { row, bar, value, label };
      });
      box.append(title);
      this.now.append(box);
      this.nowDrawn = true;
    }
    this.nowRows.forEach(({ row, bar, value, label }, k) => {
      bar.style.width = `${(100 * probs[k]).toFixed(2)}%`;
      value.textContent = fmt(probs[k], 3);
      row.title = `${label}: ${fmt(probs[k])}`;
      row.dataset.value = String(probs[k]);
    });
  }

  layout() {
    const { config, store } = this.ctx;
    const m = config.sizes.margin;
    const width = this.lines.clientWidth || 600;
    const words = wordAxis(store, width - m.l - m.r, config, Math.max(this.t, 0));
    this.axisBottom = words.bottom;
    const shapes = this.shapes(Math.max(this.t, 0));
    return {
      ...baseLayout(config),
      margin: { ...m, b: words.bottom, l: Math.max(m.l, words.left + 4), r: Math.max(m.r, words.right + 4) },
      height: plotHeight(this.root, this.plot, config),
      xaxis: {
        range: [-0.5, Math.max(this.meta.tokens.length - 0.5, 0.5)],
        ...words.axis, fixedrange: true, showgrid: false,
      },
      yaxis: { range: [-0.02, 1.02], title: { text: "probability" }, fixedrange: true,
               tickformat: ".0%", gridcolor: config.colors.grid, zeroline: false },
      shapes,
      annotations: this.verdictNote(),
    };
  }

  /** "verdict" written over a final-states model's diamonds (none before the stream is done). */
  verdictNote() {
    const verdict = this.ctx.store.verdict;
    if (!verdict || !ownVerdict(this.meta.model)) return [];
    return [{ x: this.meta.tokens.length - 1 + 0.3, y: Math.max(...this.labels.map((l) => verdict[l])),
              xref: "x", yref: "y", yshift: 12, yanchor: "bottom", showarrow: false, text: "verdict",
              font: { size: fonts(this.ctx.config).tick } }];
  }

  shapes(t) {
    const { config } = this.ctx;
    const s = [{ type: "line", xref: "x", yref: "y", x0: t, x1: t, y0: 0, y1: 1,
                 line: { color: config.colors.current, width: 2 } }];
    if (this.labels.length === 2) {
      s.push({ type: "line", xref: "x", yref: "y", x0: -0.5, x1: this.meta.tokens.length - 0.5,
               y0: 0.5, y1: 0.5, line: { color: config.colors.reference, width: 1, dash: "dot" } });
    }
    return s;
  }

  draw() {
    this.drawn = this.ctx.store.steps.length;
    Plotly.newPlot(this.lines, this.traces(), this.layout(), this.ctx.config.plotly);
    this.plotted = true;
    this.lines.on("plotly_click", (ev) => {
      const p = ev.points && ev.points[0];
      if (p) this.ctx.seek(p.x);
    });
  }

  sync() {
    const { store, config } = this.ctx;
    if (!this.plotted) {
      this.draw();
      return;
    }
    const verdictDue = !this.verdictDrawn && Boolean(store.verdict) && ownVerdict(this.meta.model);
    if (store.steps.length === this.drawn && !verdictDue) return;
    if (this.fresh || verdictDue) {
      this.fresh = false;
      this.drawn = store.steps.length;
      Plotly.react(this.lines, this.traces(), this.layout(), config.plotly);
      return;
    }
    const fresh = this.series(store.steps.slice(this.drawn));
    const idx = this.labels.map((_, k) => k);
    Plotly.extendTraces(this.lines, {
      x: fresh.map((d) => d.x), y: fresh.map((d) => d.y), customdata: fresh.map((d) => d.customdata),
    }, idx);
    this.drawn = store.steps.length;
    Plotly.relayout(this.lines, this.layout());
  }

  show(t) {
    if (!this.meta || !visible(this.root) || !this.ctx.store.steps[t]) return;
    this.sync();
    this.t = t;
    const step = this.ctx.store.steps[t];
    const probs = this.labels.map((l) => step.probs[l]);
    Plotly.relayout(this.lines, { shapes: this.shapes(t) });
    currentWordTag(this.lines, this.ctx.store, t, this.ctx.config);
    this.drawNow(t);
    const { store } = this.ctx;
    const last = t === store.total - 1 && store.done;
    const both = Boolean(this.meta.model.bidirectional);
    const own = ownVerdict(this.meta.model);
    const T = store.total;
    // A bidirectional answer at t reads both readers there (words 1…t+1 and T…t+1): see bothWays().
    const head = last && !own ? (both ? "The model’s verdict, at the last word" : "Final answer")
      : (both ? `At word ${t + 1}, both readers (words 1–${t + 1} and ${T}–${t + 1})` : `After word ${t + 1}`);
    // The verdict the server sent (the trace's own, not recomputed here); for a last-output model it is
    // the last word's answer, so the last caption reads it.
    const answer = last && !own && store.verdict ? this.labels.map((l) => store.verdict[l]) : probs;
    this.caption.textContent = `${head} “${step.token}”: ${sayAnswer(this.labels, answer)}`;
    if (own && store.verdict) {
      this.caption.textContent += ` ◆ Verdict (both readers, whole sentence): `
        + sayAnswer(this.labels, this.labels.map((l) => store.verdict[l]));
    }
  }

  selectUnit() {}

  resize() {
    if (!this.plotted || !visible(this.root)) return;
    Plotly.relayout(this.lines, this.layout());
    this.nowDrawn = false;
    this.show(Math.max(this.t, 0));
  }
}

/** "positive (87.3%). negative 0.1270 · positive 0.8730": the top label, then every label's value. */
function sayAnswer(labels, probs) {
  let best = 0;
  probs.forEach((p, k) => { if (p > probs[best]) best = k; });
  return `${labels[best]} (${fmt(probs[best] * 100, 1)}%). ` + labels.map((l, k) => `${l} ${fmt(probs[k], 4)}`).join(" · ");
}
