// The whiteboard view: the state vector laid out as a fixed grid, one cell per unit, and each step
// written as arithmetic on whole boards, in the first article's words —
//   LSTM: board c₋₁ − erased (1−f)⊙c₋₁ + read in i⊙g = board c, written out h = o⊙tanh(c);
//   GRU:  board h₋₁ − erased (1−z)⊙h₋₁ + read in (1−z)⊙n = board h (no output gate);
//   RNN:  board h₋₁ → board h, rewritten whole by tanh.
// One Plotly figure of small heatmaps, drawn once (newPlot) and then updated (react).
import { stateOf, stateParts } from "../derived.js";
import { make } from "./cell.js";
import { baseLayout, esc, fmt, fonts, legend, topLayer, visible, wordLabel } from "./common.js";

const SUB = "\u208b\u2081";  // the "₋₁" of c₋₁, h₋₁

// Panels of each kind: key (a field of boardValues), title, and the operator drawn before it.
const PANELS = {
  lstm: [
    { key: "before", title: `board before<br>c${SUB}` },
    { key: "erased", op: "\u2212", title: `erased: (1\u2212f)\u2299c${SUB}<br><b>selective forget</b>` },
    { key: "written", op: "+", title: "read in: i\u2299g<br><b>selective read</b>" },
    { key: "after", op: "=", title: "board after<br>c" },
    { key: "out", op: "\u2192", title: "written out: o\u2299tanh(c) = h<br><b>selective write</b>" },
  ],
  gru: [
    { key: "before", title: `board before<br>h${SUB}` },
    { key: "erased", op: "\u2212", title: `erased: (1\u2212z)\u2299h${SUB}<br><b>selective forget</b>` },
    { key: "written", op: "+", title: "read in: (1\u2212z)\u2299n<br><b>selective read</b>" },
    { key: "after", op: "=", title: "board after = output<br>h" },
  ],
  rnn: [
    { key: "before", title: `board before<br>h${SUB}` },
    { key: "after", op: "\u2192", title: `board after<br>h = tanh(W x + U h${SUB} + b)` },
  ],
};

/** Columns of the grid: square up to 16 units (2 × 2 for the 4-unit model), then twice as tall as
 *  wide (32 units: 8 rows of 4), so five boards side by side keep squares big enough to read. */
export function gridColumns(H) {
  return H <= 16 ? Math.ceil(Math.sqrt(H)) : Math.ceil(Math.sqrt(H / 2));
}

/** Every board of one step (Float64Array(H) each) and the gates behind them. */
export function boardValues(kind, step, prev) {
  const L = topLayer(step);
  const P = prev ? topLayer(prev) : null;
  const H = L.hidden.length;
  const before = P ? Float64Array.from(stateOf(kind, P)) : new Float64Array(H);
  const after = Float64Array.from(stateOf(kind, L));
  if (kind === "rnn") return { before, after };
  const parts = stateParts(kind, L, P);
  const v = { before, after, erased: parts.erased, written: parts.written };
  if (kind === "lstm") v.out = parts.read_out;
  return v;
}

export default class WhiteboardView {
  static id = "whiteboard";
  static title = "Whiteboard";
  static explain =
    "A whiteboard has a fixed size: write everything on it and it soon becomes a mess. The LSTM " +
    "keeps its board (the cell state, one square per unit) clean with three moves at every word. " +
    "Selective forget: the forget gate erases part of each square. Selective read: the input gate " +
    "lets only part of the new candidate onto the board. Selective write: the output gate lets only " +
    "part of the board out as the hidden state, which is what the rest of the network sees. The " +
    "boards below are that arithmetic, square by square: before − erased + read in = after. A GRU " +
    "does the same with one update gate and no output gate; a plain RNN rewrites its whole board at " +
    "every word. Click a square to follow that unit.";

  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.kind = null;
    this.drawn = false;
    this.t = -1;
    this.timers = [];
    root.classList.add("gs-whiteboard");
  }

  begin(meta) {
    this.kind = meta.model.kind;
    this.H = meta.model.hidden_size;
    this.tokens = meta.tokens;
    this.cols = gridColumns(this.H);
    this.rows = Math.ceil(this.H / this.cols);
    this.panels = PANELS[this.kind] ?? PANELS.rnn;
    this.range = 1;
    this.t = -1;
    this.clearTimers();
    if (this.drawn) window.Plotly.purge(this.plot);
    this.drawn = false;
    this.root.replaceChildren();
    this.caption = make("p", { cls: "gs-wb-caption view-caption", id: "whiteboard-caption" }, this.root);
    this.plot = make("div", { cls: "gs-wb-plot", id: "whiteboard-plot" }, this.root);
    this.moves = make("div", { cls: "gs-wb-moves", "aria-live": "off" }, this.root);
    const names = this.kind === "rnn"
      ? [["rewrite", "no selective moves"]]
      : [["erase", "selective forget"], ["read", "selective read"], ["write", "selective write"]];
    this.moveBoxes = Object.fromEntries(names.map(([id, name]) => {
      const box = make("div", { cls: `gs-wb-move ${id}`, "data-move": id }, this.moves);
      make("strong", { text: `${name}: ` }, box);
      return [id, make("span", { cls: "gs-wb-move-text" }, box)];
    }));
    this.drawLegend();
  }

  drawLegend() {
    const s = this.ctx.config.scales;
    const sym = this.kind === "lstm" ? "c" : "h";
    legend(this.root, [
      { gradient: s.diverging, kind: "bar", label: `value in a square: \u2212${fmt(this.range, 2)} \u2192 +${fmt(this.range, 2)}` +
        (this.kind === "lstm" ? ` (the largest |${sym}| so far), white = 0` : ", white = 0") },
      { color: this.ctx.config.colors.selected, kind: "frame", label: "outlined: the selected unit" },
    ]);
  }

  addStep(step) {
    if (this.kind !== "lstm") return;
    const m = topLayer(step).cell.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    if (m > this.range) {
      this.range = m;
      this.drawLegend();
    }
  }

  unit() {
    const u = this.ctx.store.unit ?? 0;
    return u >= 0 && u < this.H ? u : 0;
  }

  show(t) {
    const steps = this.ctx.store.steps;
    if (!this.kind || !steps.length) return;
    const next = Math.max(0, Math.min(t ?? 0, steps.length - 1));
    const advanced = next === this.t + 1;
    this.t = next;
    this.render();
    if (advanced) this.sequence();
  }

  /** A grid (rows × cols) of one board, null where the grid has more squares than units. */
  grid(values) {
    const z = [];
    for (let r = 0; r < this.rows; r++) {
      const row = [];
      for (let c = 0; c < this.cols; c++) {
        const u = r * this.cols + c;
        row.push(u < this.H ? values[u] : null);
      }
      z.push(row);
    }
    return z;
  }

  /** The hover text of every square: the unit, the panel, and the whole step's arithmetic for it. */
  hover(panel, v, step) {
    const L = topLayer(step);
    const lines = (u) => {
      const head = `unit ${u} \u00b7 word ${esc(wordLabel(step))}`;
      if (this.kind === "lstm") {
        const g = L.gates;
        return [head, `board before c${SUB} = ${fmt(v.before[u])}`,
          `f = ${fmt(g.forget[u])} \u2192 erased (1\u2212f)\u00b7c${SUB} = ${fmt(v.erased[u])}`,
          `i = ${fmt(g.input[u])}, g = ${fmt(L.candidate[u])} \u2192 read in i\u00b7g = ${fmt(v.written[u])}`,
          `board after c = ${fmt(v.after[u])}`,
          `o = ${fmt(g.output[u])} \u2192 written out h = o\u00b7tanh(c) = ${fmt(v.out[u])}`];
      }
      if (this.kind === "gru") {
        const g = L.gates;
        return [head, `board before h${SUB} = ${fmt(v.before[u])}`,
          `z = ${fmt(g.update[u])} \u2192 erased (1\u2212z)\u00b7h${SUB} = ${fmt(v.erased[u])}`,
          `n = ${fmt(L.candidate[u])} \u2192 read in (1\u2212z)\u00b7n = ${fmt(v.written[u])}`,
          `r = ${fmt(g.reset[u])} (how much of h${SUB} the candidate saw)`,
          `board after h = ${fmt(v.after[u])}`];
      }
      return [head, `board before h${SUB} = ${fmt(v.before[u])}`, `board after h = ${fmt(v.after[u])}`];
    };
    const text = [];
    for (let r = 0; r < this.rows; r++) {
      const row = [];
      for (let c = 0; c < this.cols; c++) {
        const u = r * this.cols + c;
        row.push(u < this.H ? [`<b>${panel.title.split("<br>")[0]}: ${fmt(v[panel.key][u])}</b>`,
          ...lines(u)].join("<br>") : "");
      }
      text.push(row);
    }
    return text;
  }

  figure() {
    const steps = this.ctx.store.steps;
    const step = steps[this.t];
    const prev = this.t > 0 ? steps[this.t - 1] : null;
    const v = boardValues(this.kind, step, prev);
    this.values = v;
    const cfg = this.ctx.config;
    const n = this.panels.length;
    const gap = 0.045;
    const w = (1 - gap * 4) / 5;  // five panel slots for every kind, so a square is the same size
    const left = (1 - n * w - (n - 1) * gap) / 2;
    const units = this.grid([...Array(this.H).keys()]);
    const small = this.side(w) >= 2.6 * fonts(cfg).size;  // room for a number in each square
    const data = [];
    const layout = { ...baseLayout(cfg), margin: { l: 10, r: 10, t: 4 * fonts(cfg).size + 12, b: 10 },
      annotations: [], shapes: [] };
    const u = this.unit();
    const size = fonts(cfg).size;
    const ur = Math.floor(u / this.cols);
    const uc = u % this.cols;
    this.panels.forEach((p, k) => {
      const ax = k ? String(k + 1) : "";
      const x0 = left + k * (w + gap);
      data.push({
        type: "heatmap", xaxis: `x${ax}`, yaxis: `y${ax}`, z: this.grid(v[p.key]),
        customdata: units, text: this.hover(p, v, step), hovertemplate: "%{text}<extra></extra>",
        colorscale: cfg.scales.diverging, zmin: -this.range, zmax: this.range, showscale: false,
        xgap: 3, ygap: 3, hoverongaps: false, name: p.key,
        ...(small ? { texttemplate: "%{z:.2f}", textfont: { size } } : {}),
      });
      layout[`xaxis${ax}`] = { domain: [x0, x0 + w], visible: false, fixedrange: true,
        range: [-0.5, this.cols - 0.5], constrain: "domain" };
      layout[`yaxis${ax}`] = { domain: [0, 1], visible: false, fixedrange: true, autorange: false,
        range: [this.rows - 0.5, -0.5], scaleanchor: `x${ax}`, anchor: `x${ax}`, constrain: "domain",
        constraintoward: "top" };
      layout.annotations.push({ text: p.title, xref: "paper", yref: "paper", x: x0 + w / 2, y: 1,
        xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: size - 1 } });
      if (p.op) {
        layout.annotations.push({ text: `<b>${p.op}</b>`, xref: "paper", yref: "paper", x: x0 - gap / 2,
          xanchor: "center", y: 0.5, showarrow: false, font: { size: size + 9 } });
      }
      layout.shapes.push({ type: "rect", xref: `x${ax}`, yref: `y${ax}`, x0: uc - 0.5, x1: uc + 0.5,
        y0: ur - 0.5, y1: ur + 0.5, line: { color: cfg.colors.selected, width: 3 } });
    });
    layout.height = this.height(w);
    return { data, layout };
  }

  /** The side of one square in pixels, for panels w of the plot's width wide. */
  side(w) {
    return (((this.plot.clientWidth || 900) - 20) * w) / this.cols;
  }

  /** Square cells: the figure's height follows its width. */
  height(w) {
    return Math.round(Math.max(120, this.side(w) * this.rows + 4 * fonts(this.ctx.config).size + 22));
  }

  render() {
    if (!visible(this.root)) return;  // drawn when the tab opens (show is called again then)
    const steps = this.ctx.store.steps;
    const step = steps[this.t];
    this.caption.textContent = `Word ${this.t + 1} of ${this.tokens.length}: ${wordLabel(step)} \u2014 ` +
      (this.kind === "lstm" ? "the cell state c as a board of " : "the hidden state h as a board of ") +
      `${this.H} squares, one per unit`;
    const { data, layout } = this.figure();
    const Plotly = window.Plotly;
    if (!this.drawn) {
      Plotly.newPlot(this.plot, data, layout, { ...this.ctx.config.plotly, displayModeBar: false });
      this.plot.on("plotly_click", (ev) => {
        const pt = ev.points && ev.points[0];
        if (pt && Number.isInteger(pt.customdata)) this.ctx.selectUnit(pt.customdata);
      });
      this.drawn = true;
    } else {
      Plotly.react(this.plot, data, layout, { ...this.ctx.config.plotly, displayModeBar: false });
    }
    this.describeMoves();
  }

  /** The three moves of this step in words, with the unit that moved most in each. */
  describeMoves() {
    const v = this.values;
    const L = topLayer(this.ctx.store.steps[this.t]);
    const top = (arr) => {
      let best = 0;
      let total = 0;
      arr.forEach((x, u) => { total += Math.abs(x); if (Math.abs(x) > Math.abs(arr[best])) best = u; });
      return { best, total };
    };
    const set = (id, text) => { if (this.moveBoxes[id]) this.moveBoxes[id].textContent = text; };
    if (this.kind === "rnn") {
      set("rewrite", "a plain RNN has no gates: every square is overwritten by tanh of the new word " +
        "and the old board together, so nothing is kept on purpose.");
      return;
    }
    const keep = this.kind === "lstm" ? "f" : "z";
    const e = top(v.erased);
    const w = top(v.written);
    set("erase", `${fmt(e.total, 3)} wiped off in all (sum of |erased|); most from unit ${e.best} ` +
      `(${keep} = ${fmt(this.kind === "lstm" ? L.gates.forget[e.best] : L.gates.update[e.best], 3)})`);
    set("read", `${fmt(w.total, 3)} read onto the board in all (sum of |read in|); most into unit ${w.best}`);
    if (this.kind === "lstm") {
      const o = top(v.out);
      set("write", `the output gate lets ${fmt(o.total, 3)} out in all (sum of |h|); most from unit ${o.best} ` +
        `(o = ${fmt(L.gates.output[o.best], 3)})`);
    } else {
      set("write", "a GRU has no output gate: the whole board h is what it writes out.");
    }
  }

  /** Light the three moves one after another (erase → read → write) when the player advances. */
  sequence() {
    this.clearTimers();
    const ids = Object.keys(this.moveBoxes);
    const boxes = ids.map((id) => this.moveBoxes[id].parentElement);
    const speed = this.ctx.config.speeds.find((s) => s.id === this.ctx.config.defaultSpeed);
    const each = Math.min(300, (speed ? speed.ms : 700) / (ids.length + 1));
    boxes.forEach((b, k) => {
      this.timers.push(setTimeout(() => {
        boxes.forEach((o) => o.classList.toggle("active", o === b));
      }, k * each));
    });
    this.timers.push(setTimeout(() => boxes.forEach((o) => o.classList.remove("active")), ids.length * each));
  }

  clearTimers() {
    this.timers.forEach(clearTimeout);
    this.timers = [];
  }

  selectUnit() {
    if (this.drawn && this.t >= 0) this.render();
  }

  resize() {
    if (this.t >= 0) this.render();
  }
}
