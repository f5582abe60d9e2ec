// The gates: one heatmap per gate (units × words) plus the candidate, so a class can see a whole
// sentence of valve settings at once and find the words where they swing (around "but", say).
import {
  View, baseLayout, currentWordTag, esc, fmt, fonts, legend, plotHeight, scaffold, topLayer, unitAxis, visible, wordAxis,
} from "./common.js";

export default class Gates extends View {
  static id = "gates";
  static title = "Gates";
  /** The smallest height that shows the whole view in an embed (it grows with a taller frame). */
  static embedMinHeight = 500;
  static explain =
    "Every gate is a row of valves, one per unit, each set between 0 (shut) and 1 (open) by the word "
    + "and what came before it. Here each gate is a heatmap: units down, words across. Light means "
    + "shut, dark blue open. The forget gate (update gate for a GRU) decides what stays in memory, "
    + "the input gate how much of the candidate is let in, the output gate how much of the memory "
    + "is shown to the next step. The candidate is the new content itself, between −1 and 1 "
    + "(orange negative, purple positive). The black frame is the current word; click any cell to go "
    + "to its word and unit.";

  /** The rows this kind draws: its gates, then the candidate (a plain RNN: its hidden state). */
  rows() {
    const gates = this.facts.viewGates;
    if (!gates.length) return [{ key: "hidden", diverging: true }];
    return [...gates.map((g) => ({ key: g, diverging: false })), { key: "candidate", diverging: true }];
  }

  /** The Plotly chart the page's PNG/SVG download saves, as it is on the screen. */
  imagePlot() {
    return this.plot;
  }

  begin(meta) {
    // Same kind and size as the last text: keep the heatmaps and update their data (newPlot is slow).
    const reuse = this.plotted && this.kind === meta.model.kind && this.H === meta.model.hidden_size;
    this.meta = meta;
    this.kind = meta.model.kind;
    this.H = meta.model.hidden_size;
    this.facts = this.ctx.config.cell(this.kind);
    this.drawn = 0;
    this.t = -1;
    this.spec = this.rows();
    this.z = this.spec.map(() => [...Array(this.H)].map(() => []));
    this.labels = [];             // one hover label per word, shared by every row of every heatmap
    if (reuse) {
      this.caption.textContent = "";
      return;
    }
    this.plotted = false;
    ({ caption: this.caption, plot: this.plot } = scaffold(this.root, Gates.id));
    const { scales, colors } = this.ctx.config;
    const items = [];
    const gated = this.facts.gates.length > 0;
    if (gated) {
      items.push({ gradient: scales.sequential, label: "gate value: 0 shut … 1 open", kind: "bar" });
    }
    items.push({ gradient: scales.diverging,
                 label: gated ? "candidate: −1 … 0 … +1" : "hidden state h: −1 … 0 … +1", kind: "bar" },
               { color: colors.current, label: "current word", kind: "frame" },
               { color: colors.selectedUnit, label: "selected unit", kind: "frame" },
               { color: colors.unknown, label: "grey word with “?”: unknown, read as <unk>", kind: "text" });
    legend(this.root, items);
  }

  addStep(step) {
    const layer = topLayer(step);
    this.spec.forEach((row, k) => {
      const values = this.valuesOf(layer, row.key);
      for (let u = 0; u < this.H; u++) this.z[k][u].push(values[u]);
    });
    this.labels.push(`${step.t + 1} “${esc(step.token)}”${step.known ? "" : " (unknown: read as &lt;unk&gt;)"}`);
  }

  valuesOf(layer, key) {
    if (key === "candidate") return layer.candidate;
    if (key === "hidden") return layer.hidden;
    return layer.gates[key];
  }

  /** Each heatmap's share of the plot area, leaving a line above each for its title (in px, so the
   *  titles never overlap a heatmap whatever the height). */
  domains() {
    const n = this.spec.length;
    const area = Math.max(this.area ?? 400, 1);
    const gap = Math.min(0.2, ((fonts(this.ctx.config).size * 1.6) / area));
    const h = (1 - gap * (n - 1)) / n;
    return this.spec.map((_, k) => [Math.max(0, 1 - (k + 1) * h - k * gap), 1 - k * h - k * gap]);
  }

  traces() {
    const { config } = this.ctx;
    const domains = this.domains();
    const n = this.drawn;
    const x = [...Array(n).keys()];
    const text = [...Array(this.H)].map(() => this.labels.slice(0, n));
    let gateBar = false;
    return this.spec.map((row, k) => {
      const q = config.quantities[row.key];
      const symbol = this.facts.symbol(row.key);
      const showscale = row.diverging || !gateBar;
      if (!row.diverging) gateBar = true;
      const gateRows = domains.filter((_, j) => !this.spec[j].diverging);
      const span = row.diverging ? domains[k] : [Math.min(...gateRows.map((d) => d[0])), Math.max(...gateRows.map((d) => d[1]))];
      return {
        type: "heatmap",
        x,
        y: [...Array(this.H).keys()],
        z: this.z[k].map((r) => r.slice(0, n)),
        text,
        xaxis: "x",
        yaxis: k ? `y${k + 1}` : "y",
        zmin: row.diverging ? -1 : 0,
        zmax: 1,
        colorscale: row.diverging ? config.scales.diverging : config.scales.sequential,
        showscale,
        colorbar: {
          x: 1.01, xanchor: "left", y: (span[0] + span[1]) / 2, len: span[1] - span[0], thickness: 14,
          tickvals: row.diverging ? [-1, 0, 1] : [0, 0.5, 1],
          ticktext: row.diverging ? ["−1", "0", "+1"] : ["0 shut", "0.5", "1 open"],
          title: { text: row.diverging ? esc(q.name) : "gates", side: "right" },
        },
        xgap: this.drawn > 120 ? 0 : 1,
        ygap: this.H > 48 ? 0 : 1,
        hovertemplate: `${esc(q.name)} ${symbol} · unit %{y} · word %{text}<br>value %{z:.4f}<extra></extra>`,
      };
    });
  }

  layout() {
    const { config, store } = this.ctx;
    const f = fonts(config);
    const m = { ...config.sizes.margin, r: 90 + f.tick * 4 };
    const width = this.plot.clientWidth || 800;
    const words = wordAxis(store, width - m.l - m.r, config, Math.max(this.t, 0));
    const height = plotHeight(this.root, this.plot, config);
    const margin = { ...m, t: f.size * 2, b: words.bottom, l: Math.max(m.l, words.left + 4) };
    // The plot area shared by the heatmaps: domains() and the unit labels depend on it.
    this.area = height - margin.t - margin.b;
    const layout = {
      ...baseLayout(config),
      height,
      margin,
      xaxis: {
        anchor: `y${this.spec.length > 1 ? this.spec.length : ""}`,
        range: [-0.5, Math.max(this.meta.tokens.length - 0.5, 0.5)],
        ...words.axis, fixedrange: true,
      },
      annotations: [],
      shapes: this.shapes(Math.max(this.t, 0)),
    };
    this.domains().forEach((domain, k) => {
      const q = config.quantities[this.spec[k].key];
      layout[`yaxis${k ? k + 1 : ""}`] = {
        domain, autorange: "reversed", fixedrange: true,
        ...unitAxis(this.H, store.unit, (domain[1] - domain[0]) * this.area, config),
        showgrid: false, zeroline: false,
      };
      const symbol = this.facts.symbol(this.spec[k].key);
      layout.annotations.push({
        xref: "paper", yref: "paper", x: 0, y: domain[1], yanchor: "bottom", xanchor: "left",
        showarrow: false, align: "left",
        text: `<b>${esc(q.name)} ${symbol}</b>  <span style="color:${config.colors.muted}">${esc(q.article)}</span>`,
      });
    });
    return layout;
  }

  shapes(t) {
    const { config, store } = this.ctx;
    const shapes = [{
      type: "rect", xref: "x", yref: "paper", x0: t - 0.5, x1: t + 0.5, y0: 0, y1: 1,
      line: { color: config.colors.current, width: 2 }, fillcolor: "rgba(0,0,0,0)",
    }];
    this.spec.forEach((_, k) => {
      shapes.push({
        type: "rect", xref: "paper", yref: k ? `y${k + 1}` : "y", x0: 0, x1: 1,
        y0: store.unit - 0.5, y1: store.unit + 0.5, line: { color: config.colors.selectedUnit, width: 1.5 },
        fillcolor: "rgba(0,0,0,0)",
      });
    });
    return shapes;
  }

  draw() {
    this.drawn = this.ctx.store.steps.length;
    const layout = this.layout();
    Plotly.newPlot(this.plot, this.traces(), layout, this.ctx.config.plotly);
    this.plotted = true;
    this.plot.on("plotly_click", (ev) => {
      const p = ev.points && ev.points[0];
      if (!p) return;
      this.ctx.selectUnit(p.y);
      this.ctx.seek(p.x);
    });
  }

  sync() {
    const { store, config } = this.ctx;
    if (!this.plotted) {
      this.draw();
      return;
    }
    if (store.steps.length === this.drawn) return;
    this.drawn = store.steps.length;
    const n = this.drawn;
    const x = [...Array(n).keys()];
    const text = [...Array(this.H)].map(() => this.labels.slice(0, n));
    Plotly.update(this.plot,
      { z: this.z.map((rows) => rows.map((r) => r.slice(0, n))), x: this.spec.map(() => x),
        text: this.spec.map(() => text) },
      this.layout());
  }

  show(t) {
    if (!this.meta || !visible(this.root) || !this.ctx.store.steps[t]) return;
    this.sync();
    this.t = t;
    Plotly.relayout(this.plot, { shapes: this.shapes(t) });
    currentWordTag(this.plot, this.ctx.store, t, this.ctx.config);
    const step = this.ctx.store.steps[t];
    const layer = topLayer(step);
    const u = this.ctx.store.unit;
    const parts = this.spec.map((row) => {
      const q = this.ctx.config.quantities[row.key];
      const symbol = this.facts.symbol(row.key);
      return `${symbol} = ${fmt(this.valuesOf(layer, row.key)[u])}`;
    });
    this.caption.textContent = `Word ${t + 1} of ${this.ctx.store.total}: “${step.token}”. `
      + `Unit ${u}: ${parts.join(", ")}.`;
  }

  selectUnit() {
    if (!this.plotted || !visible(this.root)) return;
    this.show(Math.max(this.t, 0));
  }

  resize() {
    if (!this.plotted || !visible(this.root)) return;
    this.plotted = false;
    this.sync();
    this.show(Math.max(this.t, 0));
  }
}
