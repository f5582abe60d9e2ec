// The highway: the state that flows along the words (LSTM: the cell state c; GRU and plain RNN:
// the hidden state h), one lane per unit, and — at the current word — what the keep valve kept of
// the old value, what it erased, and what was written in: state = kept + written.
import { stateOf, stateParts } from "../derived.js";
import {
  baseLayout, esc, fmt, fonts, legend, plotHeight, scaffold, topLayer, visible, wordTicks,
} from "./common.js";

const PARTS = ["erased", "kept", "written"];

export default class Highway {
  static id = "highway";
  static title = "Highway";
  static explain =
    "Each lane is one unit of the memory the network carries from word to word — the cell state of "
    + "an LSTM, the hidden state of a GRU or plain RNN. Read left to right: a lane that stays level "
    + "is remembering; a jump is something being written. On the right, the current word's "
    + "bookkeeping for every lane: the gate keeps part of the old value (blue), erases the rest "
    + "(orange), and new content is written in (green). The black mark is the new value: kept + "
    + "written. A plain RNN has no gates, so it rewrites every lane at every word and early words "
    + "wash out.";

  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.meta = null;
  }

  begin(meta) {
    this.meta = meta;
    this.kind = meta.model.kind;
    this.H = meta.model.hidden_size;
    this.drawn = 0;        // steps already in the lanes
    this.maxAbs = 0;       // largest |state| so far: sets the lane scale
    this.partsMax = 0;     // largest |part| so far: sets the right panel's axis
    this.scale = 0;        // lane scale in use
    this.plotted = false;
    this.t = -1;
    ({ caption: this.caption, plot: this.plot } = scaffold(this.root, Highway.id));
    const q = this.ctx.config.quantities;
    const stateName = q[this.ctx.config.state[this.kind]].name;
    const items = [{ color: this.ctx.config.colors.lane, label: `${stateName} of a unit, along the words`, kind: "line" },
      { color: this.ctx.config.colors.selected, label: "the selected unit", kind: "line thick" },
      { gradient: this.ctx.config.scales.diverging, label: "lane colour: the value carried (− … 0 … +)", kind: "bar" }];
    if (this.kind === "rnn") {
      items.push({ color: this.ctx.config.colors.unknown, label: "state before this word" },
        { color: this.ctx.config.colors.current, label: "state after this word", kind: "diamond" });
    } else {
      const p = this.ctx.config.parts;
      const keep = this.kind === "lstm" ? "f·c₋₁" : "z·h₋₁";
      const erase = this.kind === "lstm" ? "(1−f)·c₋₁" : "(1−z)·h₋₁";
      const write = this.kind === "lstm" ? "i·g" : "(1−z)·n";
      items.push({ color: p.erased.color, label: `erased ${erase}` },
        { color: p.kept.color, label: `kept ${keep}` },
        { color: p.written.color, label: `written ${write}` },
        { color: this.ctx.config.colors.current, label: "new value = kept + written", kind: "diamond" });
    }
    items.push({ color: "#cccccc", label: "words still to come (faded)" });
    legend(this.root, items);
  }

  addStep(step) {
    // Drawing waits for show(): the view may be hidden, and steps arrive faster than frames.
    const state = stateOf(this.kind, topLayer(step));
    for (const v of state) this.maxAbs = Math.max(this.maxAbs, Math.abs(v));
  }

  /** The road under the lanes: each lane painted by what it carries (diverging, symmetric about 0). */
  roadTrace(steps) {
    const { config } = this.ctx;
    const z = [...Array(this.H)].map(() => []);
    for (const step of steps) {
      const state = stateOf(this.kind, topLayer(step));
      for (let u = 0; u < this.H; u++) z[u].push(state[u]);
    }
    const m = this.kind === "lstm" ? Math.max(this.maxAbs, 1e-6) : 1;
    return {
      type: "heatmap", x: steps.map((s) => s.t), y: [...Array(this.H).keys()], z, xaxis: "x", yaxis: "y",
      zmin: -m, zmax: m, colorscale: config.scales.diverging, showscale: false, opacity: 0.6,
      hoverinfo: "skip", xgap: 0, ygap: 2,
    };
  }

  /** y of a state value in lane u: lanes are one unit apart, a value at most ±0.45 of a lane. */
  laneY(u, v) {
    return u - v * this.scale;
  }

  laneTrace(u, steps) {
    const x = [];
    const y = [];
    const custom = [];
    for (const step of steps) {
      const v = stateOf(this.kind, topLayer(step))[u];
      x.push(step.t);
      y.push(this.laneY(u, v));
      custom.push([v, esc(step.token) + (step.known ? "" : " (unknown: read as &lt;unk&gt;)"), step.t + 1]);
    }
    const sel = u === this.ctx.store.unit;
    const sizes = this.ctx.config.sizes;
    const name = this.ctx.config.quantities[this.ctx.config.state[this.kind]];
    return {
      type: "scatter", mode: "lines", x, y, customdata: custom, xaxis: "x", yaxis: "y",
      line: { color: sel ? this.ctx.config.colors.selected : this.ctx.config.colors.lane,
              width: sel ? sizes.selectedLineWidth : sizes.lineWidth, shape: "linear" },
      hovertemplate: `unit ${u} · word %{customdata[2]} “%{customdata[1]}”<br>`
        + `${name.name} ${name.symbol} = %{customdata[0]:.4f}<extra></extra>`,
    };
  }

  // The right panel: bars for the current word, one group per lane.
  partTraces() {
    const colors = this.ctx.config.parts;
    const units = [...Array(this.H).keys()];
    const base = { type: "bar", orientation: "h", y: units, xaxis: "x2", yaxis: "y", width: 0.26 };
    if (this.kind === "rnn") {
      return [
        { ...base, name: "before", x: units.map(() => 0), offset: -0.3, customdata: units.map(() => [0, ""]),
          marker: { color: this.ctx.config.colors.unknown },
          hovertemplate: "unit %{y} · before %{customdata[1]}<br>h₋₁ = %{x:.4f}<extra></extra>" },
        { type: "scatter", mode: "markers", name: "now", x: units.map(() => 0), y: units, xaxis: "x2", yaxis: "y",
          customdata: units.map(() => ""),
          marker: { symbol: "diamond", size: this.ctx.config.sizes.markerSize, color: this.ctx.config.colors.current },
          hovertemplate: "unit %{y} · after %{customdata}<br>h = %{x:.4f}<extra></extra>" },
      ];
    }
    const formula = this.kind === "lstm"
      ? { erased: "(1−f)·c₋₁", kept: "f·c₋₁", written: "i·g", now: "c" }
      : { erased: "(1−z)·h₋₁", kept: "z·h₋₁", written: "(1−z)·n", now: "h" };
    const traces = PARTS.map((part, k) => ({
      ...base, name: part, x: units.map(() => 0), offset: -0.39 + k * 0.26, customdata: units.map(() => ""),
      marker: { color: colors[part].color },
      hovertemplate: `unit %{y} · %{customdata}<br>${part} ${formula[part]} = %{x:.4f}<extra></extra>`,
    }));
    traces.push({
      type: "scatter", mode: "markers", name: "new value", x: units.map(() => 0), y: units, xaxis: "x2",
      yaxis: "y", customdata: units.map(() => ""),
      marker: { symbol: "diamond", size: this.ctx.config.sizes.markerSize, color: this.ctx.config.colors.current,
                line: { color: "#ffffff", width: 1 } },
      hovertemplate: `unit %{y} · %{customdata}<br>new ${formula.now} = kept + written = %{x:.4f}<extra></extra>`,
    });
    return traces;
  }

  layout() {
    const { config, store } = this.ctx;
    const width = this.plot.clientWidth || 800;
    const f = fonts(config);
    const ticks = wordTicks(this.meta.tokens, store.steps, width * 0.72, config);
    const q = config.quantities[config.state[this.kind]];
    return {
      ...baseLayout(config),
      margin: { ...config.sizes.margin, b: f.tick * 6 },
      height: plotHeight(this.root, this.plot, config),
      bargap: 0,
      xaxis: {
        domain: [0, 0.72], range: [-0.5, Math.max(this.meta.tokens.length - 0.5, 0.5)],
        tickvals: ticks.tickvals, ticktext: ticks.ticktext, tickangle: -45, tickfont: { size: f.tick },
        showgrid: false, zeroline: false, fixedrange: true,
        title: { text: `${esc(q.name)} ${q.symbol} along the words` },
      },
      yaxis: {
        range: [this.H - 0.5, -0.6], tickvals: [...Array(this.H).keys()],
        ticktext: [...Array(this.H).keys()].map((u) => `unit ${u}`),
        tickfont: { size: this.H > 24 ? Math.min(f.tick, 10) : f.tick },
        showgrid: true, gridcolor: config.colors.grid, zeroline: false, fixedrange: true,
      },
      xaxis2: {
        domain: [0.76, 1], anchor: "y", zeroline: true, zerolinecolor: "#888", zerolinewidth: 1,
        showgrid: true, gridcolor: config.colors.grid, fixedrange: true, tickfont: { size: f.tick },
        range: this.partsRange(),
        title: { text: this.kind === "rnn" ? "this word: before → after" : "at this word" },
      },
      shapes: this.shapes(Math.max(this.t, 0)),
      hovermode: "closest",
    };
  }

  partsRange() {
    const m = Math.max(this.partsMax, 0.05) * 1.08;
    return [-m, m];
  }

  shapes(t) {
    const { config, store } = this.ctx;
    const T = this.meta.tokens.length;
    const s = [
      // The selected unit's lane, across both panels.
      { type: "rect", xref: "paper", yref: "y", x0: 0, x1: 1, y0: store.unit - 0.5, y1: store.unit + 0.5,
        fillcolor: "rgba(230, 159, 0, 0.12)", line: { width: 0 }, layer: "below" },
      // The current word.
      { type: "rect", xref: "x", yref: "paper", x0: t - 0.5, x1: t + 0.5, y0: 0, y1: 1,
        fillcolor: config.colors.currentBand, line: { width: 0 }, layer: "below" },
      { type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 1,
        line: { color: config.colors.current, width: 1.5 } },
    ];
    if (t < T - 1) {
      // Words still to come are veiled, not hidden: a class can see the road ahead but reads
      // the lanes up to the current word.
      s.push({ type: "rect", xref: "x", yref: "paper", x0: t + 0.5, x1: T - 0.5, y0: 0, y1: 1,
               fillcolor: config.colors.future, line: { width: 0 }, layer: "above" });
    }
    return s;
  }

  draw() {
    const { store, config } = this.ctx;
    this.scale = 0.45 / Math.max(this.maxAbs, 1e-6);
    if (this.kind !== "rnn") {
      // Bound the right panel by every step so far, so its axis does not jump while playing.
      for (let t = this.drawn; t < store.steps.length; t++) this.growParts(t);
    } else {
      this.partsMax = Math.max(this.maxAbs, this.partsMax);
    }
    const lanes = [...Array(this.H).keys()].map((u) => this.laneTrace(u, store.steps));
    this.road = this.roadTrace(store.steps);
    this.drawn = store.steps.length;
    this.maxAtDraw = this.maxAbs;
    this.selected = store.unit;
    Plotly.newPlot(this.plot, [this.road, ...lanes, ...this.partTraces()], this.layout(), config.plotly);
    this.plotted = true;
    this.plot.on("plotly_click", (ev) => this.clicked(ev));
  }

  growParts(t) {
    const { store } = this.ctx;
    const step = store.steps[t];
    const parts = stateParts(this.kind, topLayer(step), t ? topLayer(store.steps[t - 1]) : null);
    for (const part of PARTS) for (const v of parts[part]) this.partsMax = Math.max(this.partsMax, Math.abs(v));
  }

  clicked(ev) {
    const p = ev.points && ev.points[0];
    if (!p) return;
    if (p.data.xaxis === "x2") this.ctx.selectUnit(p.y);
    else if (p.curveNumber >= 1 && p.curveNumber <= this.H) this.ctx.selectUnit(p.curveNumber - 1);
    if (p.data.xaxis === "x" && Number.isInteger(p.x)) this.ctx.seek(p.x);
  }

  /** Bring the lanes up to the steps that have arrived: append, or redraw if the scale grew. */
  sync() {
    const { store } = this.ctx;
    if (!this.plotted || this.maxAbs > this.maxAtDraw * 1.0001) {
      this.draw();
      return;
    }
    if (store.steps.length === this.drawn) return;
    const fresh = store.steps.slice(this.drawn);
    if (this.kind !== "rnn") for (let t = this.drawn; t < store.steps.length; t++) this.growParts(t);
    const update = { x: [], y: [], customdata: [] };
    const units = [...Array(this.H).keys()];
    for (const u of units) {
      const tr = this.laneTrace(u, fresh);
      update.x.push(tr.x);
      update.y.push(tr.y);
      update.customdata.push(tr.customdata);
    }
    Plotly.extendTraces(this.plot, update, units.map((u) => u + 1));
    const road = this.roadTrace(fresh);
    road.z.forEach((row, u) => this.road.z[u].push(...row));
    this.road.x.push(...road.x);
    Plotly.restyle(this.plot, { z: [this.road.z], x: [this.road.x] }, [0]);
    this.drawn = store.steps.length;
    const ticks = wordTicks(this.meta.tokens, store.steps, (this.plot.clientWidth || 800) * 0.72, this.ctx.config);
    Plotly.relayout(this.plot, { "xaxis.ticktext": ticks.ticktext, "xaxis.tickvals": ticks.tickvals,
                                 "xaxis2.range": this.partsRange() });
  }

  show(t) {
    if (!this.meta || !visible(this.root) || !this.ctx.store.steps[t]) return;
    this.sync();
    this.t = t;
    const { store } = this.ctx;
    const step = store.steps[t];
    const layer = topLayer(step);
    const word = esc(step.token);
    const idx = [];
    const data = { x: [], customdata: [] };
    const first = this.H + 1; // after the road and the lanes
    if (this.kind === "rnn") {
      const before = t ? topLayer(store.steps[t - 1]).hidden : new Array(this.H).fill(0);
      const beforeWord = t ? `“${esc(store.steps[t - 1].token)}”` : "the start (zero state)";
      data.x.push([...before], [...layer.hidden]);
      data.customdata.push(before.map(() => [0, beforeWord]), layer.hidden.map(() => `“${word}”`));
      idx.push(first, first + 1);
    } else {
      const parts = stateParts(this.kind, layer, t ? topLayer(store.steps[t - 1]) : null);
      const label = `word ${t + 1} “${word}”`;
      PARTS.forEach((part, k) => {
        data.x.push([...parts[part]]);
        data.customdata.push(new Array(this.H).fill(label));
        idx.push(first + k);
      });
      data.x.push([...stateOf(this.kind, layer)]);
      data.customdata.push(new Array(this.H).fill(label));
      idx.push(first + 3);
    }
    Plotly.update(this.plot, data, { shapes: this.shapes(t) }, idx);
    this.caption.textContent = this.captionText(t);
  }

  captionText(t) {
    const { store } = this.ctx;
    const step = store.steps[t];
    const layer = topLayer(step);
    const head = `Word ${t + 1} of ${store.total}: “${step.token}”${step.known ? "" : " (unknown to the model)"}. `;
    if (this.kind === "rnn") {
      const before = t ? topLayer(store.steps[t - 1]).hidden : null;
      let changed = 0;
      let size = 0;
      for (let u = 0; u < this.H; u++) {
        changed += Math.abs(layer.hidden[u] - (before ? before[u] : 0));
        size += Math.abs(before ? before[u] : 0);
      }
      return head + `No gates: every lane is recomputed. The state moved by ${fmt(changed, 2)} in all `
        + `(it held ${fmt(size, 2)}).`;
    }
    const parts = stateParts(this.kind, layer, t ? topLayer(store.steps[t - 1]) : null);
    const sum = (a) => a.reduce((s, v) => s + Math.abs(v), 0);
    const kept = sum(parts.kept);
    const erased = sum(parts.erased);
    const share = kept + erased > 0 ? Math.round((100 * kept) / (kept + erased)) : 100;
    const gate = this.kind === "lstm" ? "forget gate" : "update gate";
    let top = 0;
    parts.written.forEach((v, u) => { if (Math.abs(v) > Math.abs(parts.written[top])) top = u; });
    return head + `The ${gate} kept ${share}% of the old memory and erased ${100 - share}%. `
      + `This word wrote most into unit ${top} (${fmt(parts.written[top], 2)}).`;
  }

  selectUnit(u) {
    if (!this.plotted) return;
    const prev = this.selected ?? null;
    this.selected = u;
    if (!visible(this.root)) {
      this.plotted = false; // restyle on a hidden plot misplaces it: redraw when next shown
      return;
    }
    const { config } = this.ctx;
    const units = [...new Set([prev, u].filter((x) => x !== null && x < this.H))];
    Plotly.restyle(this.plot, {
      "line.color": units.map((k) => (k === u ? config.colors.selected : config.colors.lane)),
      "line.width": units.map((k) => (k === u ? config.sizes.selectedLineWidth : config.sizes.lineWidth)),
    }, units.map((k) => k + 1));
    Plotly.relayout(this.plot, { shapes: this.shapes(Math.max(this.t, 0)) });
  }

  resize() {
    if (!this.plotted || !visible(this.root)) return;
    Plotly.relayout(this.plot, this.layout());
    Plotly.Plots.resize(this.plot);
  }
}
