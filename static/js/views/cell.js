// The cell view: the familiar LSTM (or GRU, or plain RNN) cell diagram with the current step's
// values of the selected unit flowing through it, and that unit's equations filled in with its real
// numbers, in code order. SVG drawn once in begin(); show(t) only changes fills and texts.
import { inkOn, scaleColor, stateOf } from "../derived.js";
import { fmt as fmt4, legend, topLayer, wordLabel } from "./common.js";

const SVG_NS = "http://www.w3.org/2000/svg";

/** Create an element (HTML, or SVG when ns is given), set attributes, append it to parent. */
export function make(tag, attrs = {}, parent = null, ns = null) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k === "cls") node.setAttribute("class", v);
    else node.setAttribute(k, v);
  }
  if (parent) parent.appendChild(node);
  return node;
}

/** A number as the cell diagram writes it: three decimals (the hover has four). */
export function fmt(v, digits = 3) {
  return fmt4(v, digits);
}

/**
 * A row of small buttons, one per unit, coloured by a value of that unit; clicking one selects the
 * unit everywhere (ctx.selectUnit). Used by the cell and memory views.
 */
export class UnitStrip {
  constructor(parent, ctx, label) {
    this.ctx = ctx;
    this.root = make("div", { cls: "gs-unitstrip", role: "group", "aria-label": label }, parent);
    make("span", { cls: "gs-unitstrip-label", text: label }, this.root);
    this.row = make("span", { cls: "gs-unitstrip-row" }, this.root);
    this.buttons = [];
  }

  draw(H) {
    this.row.replaceChildren();
    this.buttons = [];
    for (let u = 0; u < H; u++) {
      const b = make("button", { type: "button", cls: "gs-unit", "data-unit": String(u),
        "aria-label": `unit ${u}`, text: H <= 8 ? String(u) : "" }, this.row);
      b.addEventListener("click", () => this.ctx.selectUnit(u));
      this.buttons.push(b);
    }
  }

  /** Colour each unit by values[u] on scale over [lo, hi]; describe(u, v) is its hover text. */
  update(values, scale, lo, hi, describe) {
    this.buttons.forEach((b, u) => {
      const v = values ? values[u] : null;
      b.style.background = v === null ? "" : scaleColor(scale, v, lo, hi);
      b.style.color = v === null ? "" : inkOn(scale, v, lo, hi);
      b.title = v === null ? `unit ${u}` : describe(u, v);
    });
  }

  select(u) {
    this.buttons.forEach((b, k) => b.setAttribute("aria-pressed", String(k === u)));
  }
}

// ---- the diagrams: nodes (boxes, operators, value ports) and wires, in SVG user units ----------
// kind "gate": a layer box coloured on the sequential scale [0, 1]; "value": a port or a tanh box
// coloured on the diverging scale; range "cell" uses ±cmax (the largest |c| of the trace so far).

const LSTM = {
  width: 760, height: 360,
  nodes: [
    { id: "cprev", type: "value", x: 42, y: 70, label: "c\u208b\u2081", range: "cell" },
    { id: "c", type: "value", x: 712, y: 70, label: "c", range: "cell" },
    { id: "hprev", type: "value", x: 42, y: 290, label: "h\u208b\u2081", range: "signed" },
    { id: "h", type: "value", x: 712, y: 290, label: "h", range: "signed" },
    { id: "f", type: "gate", x: 200, y: 215, label: "f  \u03c3", q: "forget" },
    { id: "i", type: "gate", x: 300, y: 215, label: "i  \u03c3", q: "input" },
    { id: "g", type: "gate", x: 400, y: 215, label: "g  tanh", q: "candidate", range: "signed" },
    { id: "o", type: "gate", x: 520, y: 215, label: "o  \u03c3", q: "output" },
    { id: "kept", type: "op", x: 200, y: 70, label: "\u00d7" },
    { id: "plus", type: "op", x: 360, y: 70, label: "+" },
    { id: "written", type: "op", x: 360, y: 150, label: "\u00d7" },
    { id: "tanhc", type: "value", x: 612, y: 140, label: "tanh", range: "signed", small: true },
    { id: "out", type: "op", x: 612, y: 215, label: "\u00d7" },
  ],
  wires: [
    { pts: [[72, 70], [188, 70]], cls: "highway" }, { pts: [[212, 70], [348, 70]], cls: "highway" },
    { pts: [[372, 70], [682, 70]], cls: "highway" }, { pts: [[612, 70], [612, 124]] },
    { pts: [[612, 156], [612, 203]] }, { pts: [[612, 227], [612, 290], [682, 290]] },
    { pts: [[72, 290], [520, 290]] }, { pts: [[130, 322], [130, 290]] },
    { pts: [[200, 290], [200, 235]] }, { pts: [[300, 290], [300, 235]] },
    { pts: [[400, 290], [400, 235]] }, { pts: [[520, 290], [520, 235]] },
    { pts: [[200, 195], [200, 82]] }, { pts: [[300, 195], [300, 150], [348, 150]] },
    { pts: [[400, 195], [400, 150], [372, 150]] }, { pts: [[360, 138], [360, 82]] },
    { pts: [[552, 215], [600, 215]] },
  ],
  notes: [
    { id: "kept", x: 200, y: 48, anchor: "middle" },
    { id: "erased", x: 192, y: 124, anchor: "end", cls: "erased" },
    { id: "written", x: 372, y: 112, anchor: "start" },
    { id: "tanhc", x: 644, y: 144, anchor: "start" },
    { id: "out", x: 626, y: 258, anchor: "start" },
  ],
  box: [100, 28, 560, 296],
};

const GRU = {
  width: 760, height: 360,
  nodes: [
    { id: "hprev", type: "value", x: 42, y: 70, label: "h\u208b\u2081", range: "signed" },
    { id: "h", type: "value", x: 712, y: 70, label: "h", range: "signed" },
    { id: "r", type: "gate", x: 190, y: 230, label: "r  \u03c3", q: "reset" },
    { id: "z", type: "gate", x: 300, y: 230, label: "z  \u03c3", q: "update" },
    { id: "n", type: "gate", x: 460, y: 230, label: "n  tanh", q: "candidate", range: "signed" },
    { id: "kept", type: "op", x: 420, y: 70, label: "\u00d7" },
    { id: "plus", type: "op", x: 600, y: 70, label: "+" },
    { id: "oneminus", type: "op", x: 532, y: 110, label: "1\u2212" },
    { id: "written", type: "op", x: 600, y: 150, label: "\u00d7" },
  ],
  wires: [
    { pts: [[72, 70], [408, 70]], cls: "highway" }, { pts: [[432, 70], [588, 70]], cls: "highway" },
    { pts: [[612, 70], [682, 70]], cls: "highway" },
    { pts: [[90, 70], [90, 300], [460, 300]] }, { pts: [[130, 330], [130, 300]] },
    { pts: [[190, 300], [190, 250]] }, { pts: [[300, 300], [300, 250]] }, { pts: [[460, 300], [460, 250]] },
    { pts: [[190, 210], [190, 180], [440, 180], [440, 210]], cls: "reset" },
    { pts: [[300, 210], [300, 110], [420, 110], [420, 82]] }, { pts: [[420, 110], [519, 110]] },
    { pts: [[544, 114], [590, 143]] }, { pts: [[460, 210], [460, 150], [588, 150]] },
    { pts: [[600, 138], [600, 82]] },
  ],
  notes: [
    { id: "kept", x: 420, y: 48, anchor: "middle" },
    { id: "erased", x: 108, y: 100, anchor: "start", cls: "erased" },
    { id: "written", x: 622, y: 198, anchor: "middle" },
    { id: "resetnote", x: 200, y: 174, anchor: "start", cls: "reset" },
  ],
  box: [100, 28, 540, 296],
};

const RNN = {
  width: 760, height: 300,
  nodes: [
    { id: "hprev", type: "value", x: 42, y: 150, label: "h\u208b\u2081", range: "signed" },
    { id: "tanh", type: "gate", x: 380, y: 150, label: "h  tanh", q: "hidden", range: "signed" },
    { id: "h", type: "value", x: 712, y: 150, label: "h", range: "signed" },
  ],
  wires: [
    { pts: [[72, 150], [340, 150]] }, { pts: [[130, 240], [130, 150]] },
    { pts: [[420, 150], [682, 150]] },
  ],
  notes: [{ id: "washout", x: 380, y: 100, anchor: "middle" }],
  box: [100, 60, 560, 170],
};

const DIAGRAMS = { lstm: LSTM, gru: GRU, rnn: RNN };

/** Every number the cell view shows, for one unit at one step (prev: the previous step or null). */
export function cellValues(kind, step, prev, u) {
  const L = topLayer(step);
  const P = prev ? topLayer(prev) : null;
  const hprev = P ? P.hidden[u] : 0;
  if (kind === "lstm") {
    const f = L.gates.forget[u], i = L.gates.input[u], o = L.gates.output[u], g = L.candidate[u];
    const cprev = P ? P.cell[u] : 0;
    const c = L.cell[u];
    return { hprev, cprev, f, i, g, o, c, h: L.hidden[u], kept: f * cprev, erased: (1 - f) * cprev,
      written: i * g, tanhc: Math.tanh(c), out: L.hidden[u] };
  }
  if (kind === "gru") {
    const r = L.gates.reset[u], z = L.gates.update[u], n = L.candidate[u];
    return { hprev, r, z, n, h: L.hidden[u], kept: z * hprev, erased: (1 - z) * hprev,
      oneminus: 1 - z, written: (1 - z) * n };
  }
  return { hprev, tanh: L.hidden[u], h: L.hidden[u] };
}

/** A value in an equation: parenthesised when negative, so "0.9·(−0.4)" reads right. */
function factor(v) {
  return v < 0 ? `(${fmt(v)})` : fmt(v);
}

// The equation rows in code order: [step name, formula, numbers, palette quantity]. In the numbers,
// a string is literal text and an array [key, format?] is a live number of cellValues.
const COMBINE = ["combine", "[h\u208b\u2081, x\u209c]",
  ["h\u208b\u2081 = ", ["hprev"], "  joined with the word\u2019s embedding x\u209c"], null];

function equations(kind) {
  if (kind === "lstm") {
    return [
      COMBINE,
      ["forget", "f = \u03c3(W_if x + b_if + W_hf h\u208b\u2081 + b_hf)", [["f"]], "forget"],
      ["candidate", "g = tanh(W_ig x + b_ig + W_hg h\u208b\u2081 + b_hg)", [["g"]], "candidate"],
      ["input", "i = \u03c3(W_ii x + b_ii + W_hi h\u208b\u2081 + b_hi)", [["i"]], "input"],
      ["new cell", "c = f\u00b7c\u208b\u2081 + i\u00b7g",
        [["f"], "\u00b7", ["cprev", factor], " + ", ["i"], "\u00b7", ["g", factor], " = ", ["c"]], "cell"],
      ["output", "o = \u03c3(W_io x + b_io + W_ho h\u208b\u2081 + b_ho)", [["o"]], "output"],
      ["new hidden", "h = o\u00b7tanh(c)", [["o"], "\u00b7tanh(", ["c"], ") = ", ["h"]], "hidden"],
    ];
  }
  if (kind === "gru") {
    return [
      COMBINE,
      ["reset", "r = \u03c3(W_ir x + b_ir + W_hr h\u208b\u2081 + b_hr)", [["r"]], "reset"],
      ["update", "z = \u03c3(W_iz x + b_iz + W_hz h\u208b\u2081 + b_hz)", [["z"]], "update"],
      ["candidate", "n = tanh(W_in x + b_in + r\u2299(W_hn h\u208b\u2081 + b_hn))", [["n"]], "candidate"],
      ["new hidden", "h = (1\u2212z)\u00b7n + z\u00b7h\u208b\u2081",
        ["(1\u2212", ["z"], ")\u00b7", ["n", factor], " + ", ["z"], "\u00b7", ["hprev", factor], " = ", ["h"]],
        "hidden"],
    ];
  }
  return [COMBINE, ["new hidden", "h = tanh(W_ih x + b_ih + W_hh h\u208b\u2081 + b_hh)", [["h"]], "hidden"]];
}

const NAMES = {
  hprev: "h\u208b\u2081 (the hidden state before this word)", cprev: "c\u208b\u2081 (the cell state before this word)",
  f: "f, forget gate", i: "i, input gate", g: "g, candidate", o: "o, output gate", c: "c, cell state",
  h: "h, hidden state", r: "r, reset gate", z: "z, update gate", n: "n, candidate", tanh: "h, hidden state",
  kept: "kept", erased: "erased", written: "written", tanhc: "tanh(c)", out: "h = o\u00b7tanh(c)",
  oneminus: "1 \u2212 z",
};

export default class CellView {
  static id = "cell";
  static title = "Cell";
  static explain =
    "The cell diagram from the articles, running on the real model. The word enters at the bottom " +
    "with the hidden state of the word before; the gates (σ, between 0 and 1) decide how much of the " +
    "old cell state to keep, how much of the new candidate to read in, and how much of the cell to " +
    "write out as the new hidden state. Every box shows the selected unit's value at the current " +
    "word, and the equations beside it are filled in with the same numbers, in the order the code " +
    "runs. A GRU has no separate cell: its hidden state is the highway, with a reset and an update " +
    "gate; a plain RNN is one tanh. Click a unit in the strip to follow it.";

  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.kind = null;
    this.cmax = 1;
    this.t = -1;
    root.classList.add("gs-cell");
  }

  begin(meta) {
    this.pal = this.ctx.config;
    this.kind = meta.model.kind;
    this.H = meta.model.hidden_size;
    this.tokens = meta.tokens;
    this.cmax = 1;
    this.t = -1;
    this.root.replaceChildren();
    this.heading = make("p", { cls: "gs-cell-heading" }, this.root);
    this.strip = new UnitStrip(this.root, this.ctx,
      this.kind === "lstm" ? "units (coloured by c):" : "units (coloured by h):");
    this.strip.draw(this.H);
    const body = make("div", { cls: "gs-cell-body" }, this.root);
    this.drawDiagram(body, DIAGRAMS[this.kind] ?? RNN);
    this.drawEquations(body);
    this.drawLegend();
    this.strip.select(this.unit());
  }

  unit() {
    const u = this.ctx.store.unit ?? 0;
    return u >= 0 && u < this.H ? u : 0;
  }

  drawDiagram(parent, spec) {
    const svg = make("svg", { viewBox: `0 0 ${spec.width} ${spec.height}`, cls: "gs-cell-diagram",
      role: "img", "aria-label": `${this.kind.toUpperCase()} cell diagram` }, parent, SVG_NS);
    this.svg = svg;
    const [bx, by, bw, bh] = spec.box;
    make("rect", { x: bx, y: by, width: bw, height: bh, rx: 14, cls: "gs-cell-frame" }, svg, SVG_NS);
    const defs = make("defs", {}, svg, SVG_NS);
    const marker = make("marker", { id: `gs-arrow-${this.kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5,
      markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, defs, SVG_NS);
    make("path", { d: "M0,0 L10,5 L0,10 z", cls: "gs-arrowhead" }, marker, SVG_NS);
    for (const w of spec.wires) {
      make("polyline", { points: w.pts.map((p) => p.join(",")).join(" "),
        cls: `gs-wire ${w.cls ?? ""}`, "marker-end": `url(#gs-arrow-${this.kind})` }, svg, SVG_NS);
    }
    // the word itself enters at the bottom: always text, never markup
    const [wx, wy] = this.kind === "rnn" ? [130, 262] : [130, this.kind === "gru" ? 346 : 340];
    this.wordText = make("text", { x: wx, y: wy, "text-anchor": "middle", cls: "gs-cell-word" }, svg, SVG_NS);
    this.nodes = {};
    for (const n of spec.nodes) this.nodes[n.id] = this.drawNode(svg, n);
    this.notes = {};
    for (const n of spec.notes) {
      this.notes[n.id] = make("text", { x: n.x, y: n.y, "text-anchor": n.anchor,
        cls: `gs-cell-note ${n.cls ?? ""}` }, svg, SVG_NS);
    }
    make("text", { x: bx + bw / 2, y: by + bh - 8, "text-anchor": "middle", cls: "gs-cell-caption",
      text: this.kind === "rnn" ? "one tanh layer, no gates" : "the highway runs along the top" }, svg, SVG_NS);
  }

  drawNode(svg, n) {
    const g = make("g", { cls: `gs-node gs-node-${n.type}`, "data-node": n.id }, svg, SVG_NS);
    const title = make("title", {}, g, SVG_NS);
    let shape;
    let value = null;
    if (n.type === "op") {
      shape = make("circle", { cx: n.x, cy: n.y, r: 12 }, g, SVG_NS);
      make("text", { x: n.x, y: n.y + 5, "text-anchor": "middle", cls: "gs-op", text: n.label }, g, SVG_NS);
    } else {
      const [w, h] = n.type === "gate" ? [64, 40] : n.small ? [52, 32] : [60, 36];
      shape = make("rect", { x: n.x - w / 2, y: n.y - h / 2, width: w, height: h, rx: 6 }, g, SVG_NS);
      const label = make("text", { x: n.x, y: n.y - h / 2 + 13, "text-anchor": "middle", cls: "gs-node-label",
        text: n.label }, g, SVG_NS);
      value = make("text", { x: n.x, y: n.y + h / 2 - 6, "text-anchor": "middle", cls: "gs-node-value" }, g, SVG_NS);
      this.labelInk = this.labelInk ?? [];
      this.labelInk.push([label, n]);
    }
    return { spec: n, g, shape, title, value };
  }

  drawEquations(parent) {
    const box = make("div", { cls: "gs-equations" }, parent);
    this.eqTitle = make("p", { cls: "gs-eq-title" }, box);
    const list = make("ol", { cls: "gs-eq-list" }, box);
    this.eqRows = [];
    const q = this.pal.quantities;
    for (const [step, formula, parts, key] of equations(this.kind)) {
      const li = make("li", { cls: "gs-eq", "data-step": step }, list);
      make("span", { cls: "gs-eq-step", text: step }, li);
      make("span", { cls: "gs-eq-formula", text: formula }, li);
      const nums = make("span", { cls: "gs-eq-numbers" }, li);
      const live = [];
      for (const part of parts) {
        if (typeof part === "string") {
          make("span", { text: part }, nums);
        } else {
          const [k, shape] = part;
          live.push([make("span", { cls: "gs-num", "data-q": k }, nums), k, shape ?? fmt]);
        }
      }
      make("span", { cls: "gs-eq-article", text: this.bridge(key) }, li);
      this.eqRows.push({ li, live });
    }
  }

  /** The notation bridge: PyTorch's name for a quantity and the articles' name beside it. */
  bridge(key) {
    const q = this.pal.quantities[key];
    if (!q) return "";
    if (this.kind === "lstm" && key === "candidate") {
      return `${q.name} \u2014 new memory content (S\u0303\u209c in the first article)`;
    }
    return `${q.name} \u2014 ${q.article}`;
  }

  drawLegend() {
    const s = this.pal.scales;
    const items = [
      { gradient: s.sequential, label: "gates σ: 0 (shut) → 1 (open)" },
      { gradient: s.diverging, label: "g, n, tanh, h: −1 → +1" },
    ];
    if (this.kind === "lstm") {
      items.push({ gradient: s.diverging, kind: "bar",
        label: `cell state c: −${fmt(this.cmax, 2)} → +${fmt(this.cmax, 2)} (the largest |c| so far)` });
    }
    legend(this.root, items);
  }

  addStep(step) {
    if (this.kind === "lstm") {
      const c = topLayer(step).cell;
      const m = c.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      if (m > this.cmax) { this.cmax = m; this.drawLegend(); }
    }
  }

  show(t) {
    const steps = this.ctx.store.steps;
    if (!this.kind || !steps.length) return;
    t = Math.max(0, Math.min(t ?? 0, steps.length - 1));
    this.t = t;
    this.render();
  }

  render() {
    const t = this.t;
    const steps = this.ctx.store.steps;
    const step = steps[t];
    const prev = t > 0 ? steps[t - 1] : null;
    const u = this.unit();
    const v = cellValues(this.kind, step, prev, u);
    const s = this.pal.scales;
    const word = step.token;
    this.heading.textContent = `Unit ${u} at word ${t + 1} of ${this.tokens.length}: ${wordLabel(step)}`;
    this.wordText.textContent = `x\u209c = \u201c${word}\u201d`;
    for (const [id, node] of Object.entries(this.nodes)) {
      const val = v[id];
      const n = node.spec;
      node.title.textContent = `${NAMES[id] ?? id}, unit ${u}, word \u201c${word}\u201d: ${fmt4(val)}`;
      node.g.dataset.value = val === undefined ? "" : String(val);
      if (n.type === "op") continue;
      const [scale, lo, hi] = this.rangeOf(n);
      node.shape.setAttribute("fill", scaleColor(scale, val, lo, hi));
      const ink = inkOn(scale, val, lo, hi);
      node.value.setAttribute("fill", ink);
      node.value.textContent = fmt(val);
      node.g.querySelector(".gs-node-label").setAttribute("fill", ink);
    }
    const note = (id, text) => { if (this.notes[id]) this.notes[id].textContent = text; };
    if (this.kind === "lstm") {
      note("kept", `kept f\u00b7c\u208b\u2081 = ${fmt(v.kept)}`);
      note("erased", `erased (1\u2212f)\u00b7c\u208b\u2081 = ${fmt(v.erased)}`);
      note("written", `written i\u00b7g = ${fmt(v.written)}`);
      note("tanhc", `tanh(c) = ${fmt(v.tanhc)}`);
      note("out", `o\u00b7tanh(c) = ${fmt(v.out)}`);
    } else if (this.kind === "gru") {
      note("kept", `kept z\u00b7h\u208b\u2081 = ${fmt(v.kept)}`);
      note("erased", `erased (1\u2212z)\u00b7h\u208b\u2081 = ${fmt(v.erased)}`);
      note("written", `written (1\u2212z)\u00b7n = ${fmt(v.written)}`);
      note("resetnote", `r = ${fmt(v.r)} scales h\u208b\u2081\u2019s part of n`);
    } else {
      note("washout", "no gates: the whole state is rewritten at every word");
    }
    for (const row of this.eqRows) {
      for (const [span, key, shape] of row.live) {
        span.textContent = shape(v[key]);
        span.dataset.value = String(v[key]);
        span.title = `${NAMES[key]}: ${fmt4(v[key])}`;
      }
    }
    this.eqTitle.textContent = `Unit ${u}, word \u201c${word}\u201d, in the order the code runs:`;
    const L = topLayer(step);
    const state = stateOf(this.kind, L);
    const [lo, hi] = this.kind === "lstm" ? [-this.cmax, this.cmax] : [-1, 1];
    const sym = this.kind === "lstm" ? "c" : "h";
    this.strip.update(state, s.diverging, lo, hi, (k, x) => `unit ${k}: ${sym} = ${fmt4(x)} (click to follow)`);
    this.strip.select(u);
  }

  rangeOf(n) {
    const s = this.pal.scales;
    if (n.range === "cell") return [s.diverging, -this.cmax, this.cmax];
    if (n.range === "signed") return [s.diverging, -1, 1];
    return [s.sequential, 0, 1];
  }

  selectUnit(u) {
    if (!this.kind) return;
    this.strip.select(this.unit());
    if (this.t >= 0) this.render();
  }

  resize() {}
}
