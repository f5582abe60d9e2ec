// Compare: the same sentence read by an LSTM, a GRU and a plain RNN, on one timeline. The gated
// models change their memory a little at a time; the plain RNN rewrites all of it at every word.
import { stateOf } from "../derived.js";
import { VERDICT_NAME, ownVerdict } from "./prediction.js";
import {
  View, baseLayout, currentWordTag, esc, fmt, legend, plotHeight, scaffold, topLayer, visible, wordAxis,
} from "./common.js";

const KINDS = ["lstm", "gru", "rnn"];

/** Mean over units of |a − b| (b missing: the zero initial state). */
function meanChange(a, b) {
  let s = 0;
  for (let u = 0; u < a.length; u++) s += Math.abs(a[u] - (b ? b[u] : 0));
  return s / a.length;
}

function mean(a) {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}

export default class Compare extends View {
  static id = "compare";
  static title = "Compare";
  /** The smallest height that shows the whole view in an embed (it grows with a taller frame). */
  static embedMinHeight = 480;
  static explain =
    "The same text read by three networks trained on the same reviews: an LSTM, a GRU and a plain "
    + "RNN. Top: each one's answer after every word. Middle: how wide the keep valve is on average "
    + "(the LSTM's forget gate, the GRU's update gate; the plain RNN has none). Bottom: how much of "
    + "the memory changed at each word. The gated networks change a little at a time and carry the "
    + "rest along; the plain RNN recomputes its whole state at every word, which is why what it read "
    + "early washes out.";

  constructor(root, ctx) {
    super(root, ctx);
    this.run = 0;
  }

  /** One model per kind: the current one for its own kind, else the plainly named one. */
  pick() {
    const { models, store } = this.ctx;
    const current = models.find((m) => m.name === store.model) ?? { name: store.model, kind: this.meta.model.kind };
    return KINDS.map((kind) => {
      if (current.kind === kind) return current;
      const same = models.filter((m) => m.kind === kind);
      return same.find((m) => m.name === kind)
        ?? same.find((m) => m.hidden_size === current.hidden_size) ?? same[0] ?? null;
    }).filter(Boolean);
  }

  /** The Plotly chart the page's PNG/SVG download saves, as it is on the screen. */
  imagePlot() {
    return this.plot;
  }

  begin(meta) {
    this.meta = meta;
    this.run += 1;
    this.traces = null;
    this.loading = false;
    this.plotted = false;
    this.t = -1;
    ({ caption: this.caption, plot: this.plot } = scaffold(this.root, Compare.id));
    const labels = meta.model.labels;
    this.focus = labels.length === 2 ? labels[1] : labels[0];
    this.caption.textContent = "The comparison appears once the whole text has been read.";
    this.drawLegend(false);
  }

  drawLegend(verdicts) {
    legend(this.root, [
      ...KINDS.map((k) => ({ color: this.ctx.config.kinds[k], label: k.toUpperCase(), kind: "line" })),
      { color: this.ctx.config.colors.current, label: "current word", kind: "line" },
      ...(verdicts ? [{ color: this.ctx.config.colors.current, label: VERDICT_NAME, kind: "diamond" }] : []),
    ]);
  }

  addStep() {}

  async load() {
    const run = this.run;
    this.loading = true;
    const { store } = this.ctx;
    const picks = this.pick();
    const results = await Promise.allSettled(picks.map((m) => (m.name === store.model
      ? Promise.resolve({ model: this.meta.model, tokens: this.meta.tokens, steps: store.steps, verdict: store.verdict })
      : this.ctx.fetchTrace(store.text, m.name))));
    if (run !== this.run) return;
    this.loading = false;
    this.traces = [];
    this.failed = [];
    results.forEach((r, k) => {
      if (r.status === "fulfilled") this.traces.push(r.value);
      else this.failed.push(`${picks[k].name}: ${r.reason?.message ?? r.reason}`);
    });
    this.show(this.ctx.store.t);
  }

  rowsOf(trace) {
    const kind = trace.model.kind;
    const steps = trace.steps;
    const keepGate = this.ctx.config.cell(kind).keep;
    return {
      prob: steps.map((s) => s.probs[this.focus] ?? null),
      verdict: trace.verdict?.[this.focus] ?? null, // the model's answer on the whole text
      keep: keepGate ? steps.map((s) => mean(topLayer(s).gates[keepGate])) : null,
      change: steps.map((s, t) => meanChange(stateOf(kind, topLayer(s)), t ? stateOf(kind, topLayer(steps[t - 1])) : null)),
    };
  }

  draw() {
    const { config, store } = this.ctx;
    const data = [];
    this.rows = this.traces.map((tr) => this.rowsOf(tr));
    const x = this.meta.tokens.map((_, t) => t);
    const words = store.steps.map((s) => `${s.t + 1} “${esc(s.token)}”`);
    this.traces.forEach((tr, k) => {
      const kind = tr.model.kind;
      const name = `${esc(tr.model.name)} (${kind.toUpperCase()})`;
      const line = { color: config.kinds[kind], width: 2.5 };
      const rows = this.rows[k];
      data.push({ type: "scatter", mode: "lines", x, y: rows.prob, line, name, customdata: words,
                  yaxis: "y", hovertemplate: `${name} · after word %{customdata}<br>P(${esc(this.focus)}) = %{y:.4f}<extra></extra>` });
      if (ownVerdict(tr.model) && rows.verdict !== null) { // no point of its line: a diamond past the last word
        data.push({ type: "scatter", mode: "markers", x: [x.length - 1 + 0.3], y: [rows.verdict], name, yaxis: "y",
                    cliponaxis: false, marker: { symbol: "diamond", size: 12, color: config.kinds[kind], line: { color: "#222", width: 1.5 } },
                    hovertemplate: `${name} · ${VERDICT_NAME}<br>P(${esc(this.focus)}) = %{y:.4f}<extra></extra>` });
      }
      if (rows.keep) {
        const gate = config.quantities[config.cell(kind).keep];
        data.push({ type: "scatter", mode: "lines", x, y: rows.keep, line, name, customdata: words, yaxis: "y2",
                    hovertemplate: `${name} · word %{customdata}<br>mean ${gate.name} ${gate.symbol} = %{y:.4f}<extra></extra>` });
      }
      data.push({ type: "scatter", mode: "lines", x, y: rows.change, line, name, customdata: words, yaxis: "y3",
                  hovertemplate: `${name} · word %{customdata}<br>mean |change of memory| = %{y:.4f}<extra></extra>` });
    });
    const m = config.sizes.margin;
    const width = this.plot.clientWidth || 800;
    const axis = wordAxis(store, width - m.l - m.r, config, Math.max(this.t, 0));
    const layout = {
      ...baseLayout(config),
      margin: { ...m, b: axis.bottom, l: Math.max(m.l, axis.left + 4), r: Math.max(m.r, axis.right + 4) },
      height: plotHeight(this.root, this.plot, config),
      xaxis: { anchor: "y3", range: [-0.5, Math.max(x.length - 0.5, 0.5)], ...axis.axis, fixedrange: true },
      yaxis: { domain: [0.7, 1], range: [-0.02, 1.02], tickformat: ".0%", fixedrange: true,
               title: { text: `P(${esc(this.focus)})` }, gridcolor: config.colors.grid },
      yaxis2: { domain: [0.37, 0.63], range: [-0.02, 1.02], fixedrange: true,
                title: { text: "keep valve" }, gridcolor: config.colors.grid },
      yaxis3: { domain: [0, 0.3], rangemode: "tozero", fixedrange: true,
                title: { text: "change" }, gridcolor: config.colors.grid },
      annotations: [
        ["y", 1, `answer after each word: probability of “${esc(this.focus)}”`],
        ["y2", 0.63, "mean keep valve: LSTM forget gate f, GRU update gate z (the RNN has none)"],
        ["y3", 0.3, "how much the memory changed at this word (mean over units)"],
      ].map(([, y, text]) => ({ xref: "paper", yref: "paper", x: 0, y, yanchor: "bottom", xanchor: "left",
                                 showarrow: false, text: `<b>${text}</b>` })),
      shapes: this.shapes(Math.max(this.t, 0)),
      hovermode: "x unified",
    };
    Plotly.newPlot(this.plot, data, layout, config.plotly);
    this.plotted = true;
    this.drawLegend(this.traces.some((tr) => ownVerdict(tr.model)));
    this.plot.on("plotly_click", (ev) => {
      const p = ev.points && ev.points[0];
      if (p) this.ctx.seek(p.x);
    });
  }

  shapes(t) {
    return [{ type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 1,
              line: { color: this.ctx.config.colors.current, width: 2 } }];
  }

  show(t) {
    if (!this.meta || !visible(this.root)) return;
    const { store } = this.ctx;
    if (!store.done) {
      this.caption.textContent = "The comparison appears once the whole text has been read.";
      return;
    }
    if (!this.traces) {
      if (!this.loading) {
        this.caption.textContent = "Asking the other models to read the same text…";
        this.load();
      }
      return;
    }
    if (!this.plotted) this.draw();
    this.t = t;
    Plotly.relayout(this.plot, { shapes: this.shapes(t) });
    currentWordTag(this.plot, this.ctx.store, t, this.ctx.config);
    const step = store.steps[t];
    const parts = this.traces.map((tr, k) => `${tr.model.name} ${fmt(this.rows[k].prob[t] * 100, 1)}%`);
    let text = `After word ${t + 1} “${step.token}”, P(${this.focus}): ${parts.join(" · ")}.`;
    if (t === store.total - 1 && this.traces.some((tr) => ownVerdict(tr.model))) {
      // A final-states model's verdict is not its line's last point: say each model's verdict.
      text += ` Verdicts: ${this.traces.map((tr, k) => `${tr.model.name} ${fmt(this.rows[k].verdict * 100, 1)}%`
        + (ownVerdict(tr.model) ? " ◆" : "")).join(" · ")}.`;
    }
    const missing = KINDS.filter((k) => !this.traces.some((tr) => tr.model.kind === k));
    if (missing.length) text += ` No ${missing.join(" or ").toUpperCase()} model is loaded on this server.`;
    if (this.failed.length) text += ` Could not read it with ${this.failed.join("; ")}.`;
    this.caption.textContent = text;
  }

  selectUnit() {}

  resize() {
    if (!this.plotted || !visible(this.root)) return;
    this.plotted = false;
    this.show(Math.max(this.t, 0));
  }
}
