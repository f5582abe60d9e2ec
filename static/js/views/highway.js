// The highway: the state that flows along the words (LSTM: the cell state c; GRU and plain RNN:
// the hidden state h), one lane per unit, and — at the current word — what the keep valve kept of
// the old value, what it erased, and what was written in: state = kept + written.
//
// Two plots side by side: the lanes change only when steps arrive (while playing, only their
// shapes move: a cheap relayout), and the small "at this word" plot is the only one restyled on
// every word. One restyle of a plot with the 32 lanes in it would replot them all, every word.
import { stateOf, stateParts } from "../derived.js";
import { baseLayout, esc, fmt, fonts, legend, plotHeight, splitScaffold, topLayer, visible, wordTicks } from "./common.js";

const PARTS = ["erased", "kept", "written"];
const unitTicks = (H, selected) => [...Array(H).keys()].filter((u) => H <= 16 || u % 4 === 0 || u === selected);
const FORMULA = {
  lstm: { erased: "(1−f)·c₋₁", kept: "f·c₋₁", written: "i·g", now: "c" },
  gru: { erased: "(1−z)·h₋₁", kept: "z·h₋₁", written: "(1−z)·n", now: "h" },
};

export default class Highway {
  static id = "highway";
  static title = "Highway";
  static explain =
    "Each lane is one unit of the memory the network carries from word to word — the cell state of "
    + "an LSTM, the hidden state of a GRU or plain RNN. Read left to right: a lane that stays level "
    + "is remembering; a jump is something being written. The colour under a lane is the value it "
    + "carries. On the right, the current word's bookkeeping for every lane: the gate keeps part of "
    + "the old value (blue), erases the rest (orange), and new content is written in (green). The "
    + "black mark is the new value: kept + written. A plain RNN has no gates, so it rewrites every "
    + "lane at every word and what it read early washes out.";

  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.meta = null;
  }

  /** The Plotly chart the page's PNG/SVG download saves, as it is on the screen. */
  imagePlot() {
    return this.lanes;
  }

  begin(meta) {
    const { config } = this.ctx;
    // The same kind and size as the last text: keep the plot and only react() to the new data
    // (a fresh newPlot costs ~150 ms, too slow for the first word to appear at once).
    const reuse = this.meta && this.kind === meta.model.kind && this.H === meta.model.hidden_size && this.drawn >= 0;
    this.meta = meta;
    this.kind = meta.model.kind;
    this.H = meta.model.hidden_size;
    this.drawn = reuse ? 0 : -1; // steps in the lanes plot (-1: not drawn)
    this.maxAbs = 0;      // largest |state| so far: sets the lane scale and the road's colours
    this.t = -1;
    this.partsSvg = null;
    this.robustAt = -1;
    if (reuse) {
      this.caption.textContent = "";
      return;
    }
    ({ caption: this.caption, plot: this.plot, main: this.lanes, side: this.parts } =
      splitScaffold(this.root, Highway.id, "lanes", "parts"));
    const stateName = config.quantities[config.state[this.kind]].name;
    const items = [
      { color: config.colors.lane, label: `${stateName} of a unit, along the words`, kind: "line" },
      { color: config.colors.selected, label: "the selected unit", kind: "line thick" },
      { gradient: config.scales.diverging, label: "lane colour: the value carried (− … 0 … +)", kind: "bar" },
    ];
    if (this.kind === "rnn") {
      items.push({ color: config.colors.unknown, label: "state before this word" },
        { color: config.colors.current, label: "state after this word", kind: "diamond" });
    } else {
      const f = FORMULA[this.kind];
      items.push({ color: config.parts.erased.color, label: `erased ${f.erased}` },
        { color: config.parts.kept.color, label: `kept ${f.kept}` },
        { color: config.parts.written.color, label: `written ${f.written}` },
        { color: config.colors.current, label: "new value = kept + written", kind: "diamond" });
    }
    items.push({ color: "#cccccc", label: "words still to come (faded)" },
      { color: "#999999", kind: "text", label: "values beyond the axis are drawn at its edge; hover for the exact number" });
    legend(this.root, items);
  }

  addStep(step) {
    // Drawing waits for show(): the view may be hidden, and steps arrive faster than frames.
    for (const v of stateOf(this.kind, topLayer(step))) this.maxAbs = Math.max(this.maxAbs, Math.abs(v));
  }

  /**
   * The size a lane is drawn to: the 95th percentile of |state| so far. A trained LSTM keeps a few
   * cells far larger than the rest (|c| of 15 beside 0.5); scaling by the largest would flatten
   * every other lane. Larger values are clipped to the lane's edge; hovers keep the exact number.
   */
  robustScale() {
    if (this.robustAt === this.ctx.store.steps.length) return this.robust;
    const all = [];
    for (const step of this.ctx.store.steps) for (const v of stateOf(this.kind, topLayer(step))) all.push(Math.abs(v));
    all.sort((a, b) => a - b);
    const q = all.length ? all[Math.min(all.length - 1, Math.floor(all.length * 0.95))] : 1;
    this.robust = Math.max(q, this.kind === "lstm" ? 0.05 : 0.05);
    this.robustAt = this.ctx.store.steps.length;
    return this.robust;
  }

  /** The lanes as one trace (lanes separated by gaps: one trace draws far faster than 32). */
  laneData(units) {
    const { steps } = this.ctx.store;
    const r = this.robustScale();
    const scale = 0.45 / r;
    const x = [];
    const y = [];
    const custom = [];
    const words = steps.map((s) => esc(s.token) + (s.known ? "" : " (unknown: read as &lt;unk&gt;)"));
    for (const u of units) {
      for (const step of steps) {
        const v = stateOf(this.kind, topLayer(step))[u];
        x.push(step.t);
        y.push(u - Math.max(-r, Math.min(r, v)) * scale);
        custom.push([v, words[step.t], step.t + 1, u]);
      }
      x.push(null);
      y.push(null);
      custom.push(null);
    }
    return { x, y, customdata: custom };
  }

  laneTraces() {
    const { config, store } = this.ctx;
    const q = config.quantities[config.state[this.kind]];
    const hover = `unit %{customdata[3]} · word %{customdata[2]} “%{customdata[1]}”<br>`
      + `${q.name} ${q.symbol} = %{customdata[0]:.4f}<extra></extra>`;
    const z = [...Array(this.H)].map(() => []);
    for (const step of store.steps) {
      const state = stateOf(this.kind, topLayer(step));
      for (let u = 0; u < this.H; u++) z[u].push(state[u]);
    }
    const m = this.robustScale();
    return [
      { type: "heatmap", x: store.steps.map((s) => s.t), y: [...Array(this.H).keys()], z, zmin: -m, zmax: m,
        colorscale: config.scales.diverging, showscale: false, opacity: 0.6, hoverinfo: "skip", ygap: 2 },
      { type: "scatter", mode: "lines", ...this.laneData([...Array(this.H).keys()]), connectgaps: false,
        line: { color: config.colors.lane, width: config.sizes.lineWidth }, hovertemplate: hover },
      { type: "scatter", mode: "lines", ...this.laneData([store.unit]), connectgaps: false,
        line: { color: config.colors.selected, width: config.sizes.selectedLineWidth }, hovertemplate: hover },
    ];
  }

  laneLayout() {
    const { config, store } = this.ctx;
    const f = fonts(config);
    const width = this.lanes.clientWidth || 700;
    const ticks = wordTicks(this.meta.tokens, store.steps, width - 110, config);
    const q = config.quantities[config.state[this.kind]];
    return {
      ...baseLayout(config),
      margin: { ...config.sizes.margin, r: 8, b: f.tick * 6 },
      height: plotHeight(this.root, this.plot, config),
      xaxis: {
        range: [-0.5, Math.max(this.meta.tokens.length - 0.5, 0.5)], tickvals: ticks.tickvals,
        ticktext: ticks.ticktext, tickangle: -45, tickfont: { size: f.tick }, showgrid: false,
        zeroline: false, fixedrange: true, title: { text: `${esc(q.name)} ${q.symbol} along the words` },
      },
      yaxis: {
        // Every lane is labelled up to 16 units; above that every fourth and the selected one (each
        // label is a text measurement: 32 of them cost ~25 ms of every redraw). Hover names them all.
        range: [this.H - 0.5, -0.6], tickvals: unitTicks(this.H, store.unit),
        ticktext: unitTicks(this.H, store.unit).map((u) => `unit ${u}`),
        tickfont: { size: this.H > 24 ? Math.min(f.tick, 10) : f.tick },
        showgrid: true, gridcolor: config.colors.grid, zeroline: false, fixedrange: true,
      },
      shapes: this.laneShapes(Math.max(this.t, 0)),
      hovermode: "closest",
    };
  }

  laneShapes(t) {
    const { config, store } = this.ctx;
    const T = this.meta.tokens.length;
    const s = [
      { type: "rect", xref: "paper", yref: "y", x0: 0, x1: 1, y0: store.unit - 0.5, y1: store.unit + 0.5,
        fillcolor: "rgba(230, 159, 0, 0.14)", line: { width: 0 }, layer: "below" },
      { type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 1,
        line: { color: config.colors.current, width: 1.5 } },
    ];
    if (t < T - 1) {
      // Words still to come are veiled, not hidden: the road ahead shows, the lanes read up to now.
      s.push({ type: "rect", xref: "x", yref: "paper", x0: t + 0.5, x1: T - 0.5, y0: 0, y1: 1,
               fillcolor: config.colors.future, line: { width: 0 }, layer: "above" });
    }
    return s;
  }

  drawLanes() {
    const { config, store } = this.ctx;
    const first = this.drawn < 0;
    this.drawn = store.steps.length;
    this.scaleAt = this.maxAbs;
    if (first) {
      Plotly.newPlot(this.lanes, this.laneTraces(), this.laneLayout(), config.plotly);
      this.lanes.on("plotly_click", (ev) => {
        const p = ev.points && ev.points[0];
        if (!p || !p.customdata) return;
        this.ctx.selectUnit(p.customdata[3]);
        this.ctx.seek(p.x);
      });
    } else {
      // Plotly.react diffs: only the lane data and the ticks changed.
      Plotly.react(this.lanes, this.laneTraces(), this.laneLayout(), config.plotly);
    }
    this.partsSvg = null; // the lanes' axis may have moved: line the side panel up again
  }

  // ---- the "at this word" plot -------------------------------------------------------------

  partValues(t) {
    const { steps } = this.ctx.store;
    const layer = topLayer(steps[t]);
    if (this.kind === "rnn") {
      return { before: t ? [...topLayer(steps[t - 1]).hidden] : new Array(this.H).fill(0), now: [...layer.hidden] };
    }
    const parts = stateParts(this.kind, layer, t ? topLayer(steps[t - 1]) : null);
    return { erased: [...parts.erased], kept: [...parts.kept], written: [...parts.written],
             now: [...stateOf(this.kind, layer)] };
  }

  // The "at this word" panel is plain SVG, not Plotly: it changes on every word, and moving 130
  // rectangles costs well under a millisecond where a Plotly restyle of the same picture costs ~20.
  // Its lanes line up with the lanes plot's y axis; every bar has its exact value as a tooltip.
  buildParts() {
    const { config } = this.ctx;
    const NS = "http://www.w3.org/2000/svg";
    const el = (tag, attrs = {}) => {
      const n = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
      return n;
    };
    const ya = this.lanes._fullLayout.yaxis;
    const height = this.lanes._fullLayout.height;
    const width = Math.max(this.parts.clientWidth, 160);
    const svg = el("svg", { width, height, class: "parts", role: "img",
                            "aria-label": "What the current word kept, erased and wrote, lane by lane" });
    this.partsScale = { left: 10, right: width - 14, top: ya._offset, ya };
    const names = this.kind === "rnn" ? ["before"] : PARTS;
    const colors = this.kind === "rnn" ? { before: config.colors.unknown }
      : Object.fromEntries(PARTS.map((p) => [p, config.parts[p].color]));
    const laneH = Math.abs(ya.l2p(1) - ya.l2p(0));
    const barH = this.kind === "rnn" ? laneH * 0.5 : laneH * 0.26;
    this.zero = el("line", { stroke: "#888", "stroke-width": 1 });
    this.selBand = el("rect", { fill: "rgba(230, 159, 0, 0.14)", height: laneH });
    svg.append(this.selBand, this.zero);
    this.bars = [];
    this.marks = [];
    for (let u = 0; u < this.H; u++) {
      const yMid = ya._offset + ya.l2p(u);
      names.forEach((name, k) => {
        const off = this.kind === "rnn" ? 0 : (k - 1) * barH;
        const r = el("rect", { y: yMid + off - barH / 2, height: Math.max(barH - 0.5, 1), fill: colors[name] });
        r.dataset.part = name;
        r.dataset.unit = String(u);
        const title = el("title");
        r.append(title);
        r.addEventListener("click", () => this.ctx.selectUnit(u));
        svg.append(r);
        this.bars.push({ r, title, name, u });
      });
      const m = el("path", { fill: config.colors.current, stroke: "#fff", "stroke-width": 1 });
      m.dataset.part = "now";
      m.dataset.unit = String(u);
      const title = el("title");
      m.append(title);
      m.addEventListener("click", () => this.ctx.selectUnit(u));
      svg.append(m);
      this.marks.push({ m, title, u, y: yMid, s: Math.min(laneH * 0.42, 6) });
    }
    this.axisText = [el("text", { "text-anchor": "start" }), el("text", { "text-anchor": "middle" }),
                     el("text", { "text-anchor": "end" }), el("text", { "text-anchor": "middle" })];
    const base = ya._offset + ya._length;
    this.axisText.forEach((n, k) => {
      n.setAttribute("y", String(base + (k === 3 ? 36 : 16)));
      n.setAttribute("font-size", String(fonts(config).tick));
      n.setAttribute("fill", config.colors.text);
      svg.append(n);
    });
    this.axisText[3].textContent = this.kind === "rnn" ? "before → after" : "at this word";
    this.parts.replaceChildren(svg);
    this.partsSvg = { svg, base, width };
  }

  drawParts(t) {
    const { store } = this.ctx;
    if (!this.partsSvg) this.buildParts();
    const { left, right, ya } = this.partsScale;
    // The same clipping as the lanes: a bar longer than the axis ends at its edge.
    const m = Math.max(this.robustScale(), this.kind === "lstm" ? 1 : 0.05) * 1.1;
    const X = (v) => left + ((Math.max(-m, Math.min(m, v)) + m) / (2 * m)) * (right - left);
    const x0 = X(0);
    this.zero.setAttribute("x1", x0);
    this.zero.setAttribute("x2", x0);
    this.zero.setAttribute("y1", ya._offset);
    this.zero.setAttribute("y2", ya._offset + ya._length);
    const laneH = Math.abs(ya.l2p(1) - ya.l2p(0));
    this.selBand.setAttribute("x", 0);
    this.selBand.setAttribute("width", this.partsSvg.width);
    this.selBand.setAttribute("y", ya._offset + ya.l2p(store.unit) - laneH / 2);
    const [a, b, c, d] = this.axisText;
    a.setAttribute("x", left); a.textContent = fmt(-m, 1);
    b.setAttribute("x", x0); b.textContent = "0";
    c.setAttribute("x", right); c.textContent = fmt(m, 1);
    d.setAttribute("x", (left + right) / 2);
    const values = this.partValues(t);
    const step = store.steps[t];
    const word = `word ${t + 1} “${step.token}”`;
    const f = FORMULA[this.kind] ?? { before: "h₋₁", now: "h" };
    for (const { r, title, name, u } of this.bars) {
      const v = values[name][u];
      const x1 = X(v);
      r.setAttribute("x", Math.min(x0, x1));
      r.setAttribute("width", Math.max(Math.abs(x1 - x0), 0.5));
      r.dataset.value = String(v);
      title.textContent = `unit ${u} · ${word} · ${name} ${f[name] ?? ""} = ${fmt(v)}`;
    }
    for (const { m: mark, title, u, y, s } of this.marks) {
      const v = values.now[u];
      const x = X(v);
      mark.setAttribute("d", `M${x} ${y - s}L${x + s} ${y}L${x} ${y + s}L${x - s} ${y}Z`);
      mark.dataset.value = String(v);
      title.textContent = this.kind === "rnn" ? `unit ${u} · after ${word} · h = ${fmt(v)}`
        : `unit ${u} · ${word} · new ${f.now} = kept + written = ${fmt(v)}`;
    }
  }

  // ---- the view interface --------------------------------------------------------------------

  show(t) {
    const { store } = this.ctx;
    if (!this.meta || !visible(this.root) || !store.steps[t]) return;
    if (this.drawn !== store.steps.length || this.scaleAt !== this.maxAbs) {
      this.t = t;
      this.drawLanes();
    } else if (t !== this.t) {
      this.t = t;
      Plotly.relayout(this.lanes, { shapes: this.laneShapes(t) });
    }
    this.drawParts(t);
    this.caption.textContent = this.captionText(t);
  }

  captionText(t) {
    const { store } = this.ctx;
    const step = store.steps[t];
    const head = `Word ${t + 1} of ${store.total}: “${step.token}”${step.known ? "" : " (unknown to the model)"}. `;
    const v = this.partValues(t);
    const sum = (a) => a.reduce((s, x) => s + Math.abs(x), 0);
    if (this.kind === "rnn") {
      const moved = v.now.reduce((s, x, u) => s + Math.abs(x - v.before[u]), 0);
      return head + `No gates: every lane is recomputed. The state moved by ${fmt(moved, 2)} in all `
        + `(it held ${fmt(sum(v.before), 2)}).`;
    }
    const kept = sum(v.kept);
    const erased = sum(v.erased);
    const share = kept + erased > 0 ? Math.round((100 * kept) / (kept + erased)) : 100;
    let top = 0;
    v.written.forEach((x, u) => { if (Math.abs(x) > Math.abs(v.written[top])) top = u; });
    const gate = this.kind === "lstm" ? "forget gate" : "update gate";
    return head + `The ${gate} kept ${share}% of the old memory and erased ${100 - share}%. `
      + `This word wrote most into unit ${top} (${fmt(v.written[top], 2)}).`;
  }

  selectUnit() {
    if (this.drawn < 0 || !this.ctx.store.steps.length) return;
    if (!visible(this.root)) {
      this.scaleAt = NaN; // redraw the lanes when next shown
      return;
    }
    this.drawLanes();
    this.drawParts(Math.max(this.t, 0));
  }

  resize() {
    if (this.drawn < 0 || !visible(this.root)) return;
    Plotly.relayout(this.lanes, this.laneLayout());
    this.partsSvg = null;
    this.drawParts(Math.max(this.t, 0));
  }
}
