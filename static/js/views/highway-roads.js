// A bidirectional model's highway as two roads, one running each way (the page's twin of
// app/figures/roads.py). The forward road (top): at word t, what each word s ≤ t still holds in the
// forward reader's memory. The backward road (below): at word t, what each word s ≥ t still holds in
// the backward reader's, which has read the sentence from the last word back to t. At word t the head
// reads both roads where they meet; the forward road is drawn up to t, the backward road from t on.
//
// The amounts are the memory ledgers' (derived.js, lens.js): Σ over units of |what word s left|.
import { baseLayout, currentWordTag, esc, legend, plotHeight, scaffold, visible, wordAxis } from "./common.js";

export default class Roads {
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    ({ caption: this.caption, plot: this.plot } = scaffold(root, "highway"));
    this.plot.classList.add("roads");
    this.drawn = false;
    this.t = -1;
    const { config } = ctx;
    legend(root, [
      { color: config.colors.bands[0], label: "a band per word: what it wrote still in that reader's memory (Σ|part| over units)" },
      { color: config.colors.current, label: "the current word: where the head reads both roads", kind: "line" },
    ]);
  }

  /** amount[tc][s] of one road: what word s still holds at column tc (0 where it was not read). */
  amounts(ledger) {
    const T = this.ctx.store.total;
    return Array.from({ length: T }, (_, tc) => {
      const row = ledger.retention(tc);
      return Array.from({ length: T }, (_, s) => (row[s] ?? 0) * ledger.written[s]);
    });
  }

  /** Word s's band on one road at word t: only the columns where that reader has read s and the
   *  road is drawn (a band with no points there, rather than blanks that Plotly's stacking would
   *  ramp down to zero on the next column). */
  series(amount, s, t, forward) {
    const x = [];
    const [a, b] = forward ? [s, t] : [t, s];
    for (let tc = a; tc <= b; tc++) x.push(tc);
    return { x, y: x.map((tc) => amount[tc][s]) };
  }

  traces(t) {
    const { store, config } = this.ctx;
    const T = store.total;
    const words = store.words.length === T ? store.words : store.meta.tokens;
    const out = [];
    for (const [road, forward] of [[this.forward, true], [this.backward, false]]) {
      for (let s = 0; s < T; s++) {
        const color = config.colors.bands[s % config.colors.bands.length];
        out.push({ type: "scatter", mode: "lines", ...this.series(road, s, t, forward),
          stackgroup: forward ? "forward" : "backward", yaxis: forward ? "y" : "y2", line: { width: 0.5, color },
          fillcolor: color, name: esc(words[s]), hovertemplate: `${esc(words[s])}: %{y:.3f}<extra></extra>` });
      }
    }
    return out;
  }

  layout(t) {
    const { store, config } = this.ctx;
    const T = store.total;
    const m = { ...config.sizes.margin, r: 12, t: 30 };
    const width = this.plot.clientWidth || 700;
    const axis = wordAxis(store, width - m.l - m.r, config, Math.max(t, 0));
    const ymax = Math.max(1e-9, ...this.totals) * 1.05;
    const title = (text, y) => ({ text, xref: "paper", yref: "paper", x: 0, y, xanchor: "left", yanchor: "bottom",
      showarrow: false, font: { size: baseLayout(config).font.size } });
    return {
      ...baseLayout(config),
      height: plotHeight(this.root, this.plot, config),
      margin: { ...m, b: axis.bottom, l: Math.max(m.l, axis.left + 4), r: Math.max(m.r, axis.right + 4) },
      xaxis: { range: [-0.5, T - 0.5], ...axis.axis, showgrid: false, zeroline: false, fixedrange: true, anchor: "y2" },
      yaxis: { domain: [0.55, 0.93], range: [0, ymax], fixedrange: true, title: { text: "Σ|part|" } },
      yaxis2: { domain: [0, 0.38], range: [0, ymax], fixedrange: true, title: { text: "Σ|part|" } },
      annotations: [title("forward road → : the words up to here, read left to right", 0.94),
        title("backward road ← : the words from the end back to here, read right to left", 0.39)],
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 0.93,
        line: { color: config.colors.current, width: 1.5 } }],
      hovermode: "closest",
    };
  }

  show(t) {
    const { store, config } = this.ctx;
    if (!visible(this.root) || !store.ledger || !store.backLedger || !store.steps[t]) return;
    if (!this.drawn) {
      this.forward = this.amounts(store.ledger);
      this.backward = this.amounts(store.backLedger);
      this.totals = [...this.forward, ...this.backward].map((col) => col.reduce((a, b) => a + b, 0));
      Plotly.newPlot(this.plot, this.traces(t), this.layout(t), config.plotly);
      this.plot.on("plotly_click", (ev) => { if (ev.points?.[0]) this.ctx.seek(ev.points[0].x); });
      this.drawn = true;
    } else if (t !== this.t) {
      Plotly.react(this.plot, this.traces(t), this.layout(t), config.plotly);
    }
    this.t = t;
    currentWordTag(this.plot, store, t, config);
    const T = store.total;
    this.caption.textContent = `At word ${t + 1} of ${T} “${store.steps[t].token}”: the forward reader has read `
      + `words 1–${t + 1}, the backward reader words ${T}–${t + 1}; the answer here reads both.`;
  }

  resize() {
    if (!this.drawn || !visible(this.root)) return;
    Plotly.relayout(this.plot, this.layout(Math.max(this.t, 0)));
  }
}
