// The cell view: the familiar LSTM (or GRU, or plain RNN) cell diagram with the current step's
// values of the selected unit flowing through it, and that unit's equations filled in with its real
// numbers, in code order. SVG drawn once in begin(); show(t) only changes fills and texts.
import { inkOn, scaleColor } from "../colors.js";
import { stateOf } from "../derived.js";
import { before } from "../lens.js";
import { DIAGRAMS, NAMES, cellValues, equations, fmt } from "./cell-diagrams.js";
import { fmt as fmt4, legend, topLayer, wordLabel } from "./common.js";
import { UnitStrip, make } from "./widgets.js";

const SVG_NS = "http://www.w3.org/2000/svg";

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
    this.facts = this.pal.cell(this.kind);
    this.spec = DIAGRAMS[this.kind] ?? DIAGRAMS.rnn;
    // The LSTM's cell state is not squashed: its colour scale follows the largest |c| so far.
    this.unbounded = this.facts.state === "cell";
    this.H = meta.model.hidden_size;
    this.tokens = meta.tokens;
    this.cmax = 1;
    this.t = -1;
    this.root.replaceChildren();
    this.heading = make("p", { cls: "gs-cell-heading" }, this.root);
    this.strip = new UnitStrip(this.root, this.ctx,
      `units (coloured by ${this.facts.stateSymbol}):`);
    this.strip.draw(this.H);
    const body = make("div", { cls: "gs-cell-body" }, this.root);
    this.drawDiagram(body, this.spec);
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
    const [wx, wy] = spec.word;
    this.wordText = make("text", { x: wx, y: wy, "text-anchor": "middle", cls: "gs-cell-word" }, svg, SVG_NS);
    this.nodes = {};
    for (const n of spec.nodes) this.nodes[n.id] = this.drawNode(svg, n);
    this.notes = {};
    for (const n of spec.notes) {
      this.notes[n.id] = make("text", { x: n.x, y: n.y, "text-anchor": n.anchor,
        cls: `gs-cell-note ${n.cls ?? ""}` }, svg, SVG_NS);
    }
    make("text", { x: bx + bw / 2, y: by + bh - 8, "text-anchor": "middle", cls: "gs-cell-caption",
      text: spec.caption }, svg, SVG_NS);
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
      make("text", { x: n.x, y: n.y - h / 2 + 13, "text-anchor": "middle", cls: "gs-node-label",
        text: n.label }, g, SVG_NS);
      value = make("text", { x: n.x, y: n.y + h / 2 - 6, "text-anchor": "middle", cls: "gs-node-value" }, g, SVG_NS);
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
    return `${q.name} \u2014 ${this.spec.bridge?.[key] ?? q.article}`;
  }

  drawLegend() {
    const s = this.pal.scales;
    const items = [
      { gradient: s.sequential, label: "gates σ: 0 (shut) → 1 (open)" },
      { gradient: s.diverging, label: "g, n, tanh, h: −1 → +1" },
    ];
    if (this.unbounded) {
      items.push({ gradient: s.diverging, kind: "bar",
        label: `cell state c: −${fmt(this.cmax, 2)} → +${fmt(this.cmax, 2)} (the largest |c| so far)` });
    }
    legend(this.root, items);
  }

  addStep(step) {
    if (this.unbounded) {
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
    const prev = before(this.ctx.store, t);
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
    for (const n of this.spec.notes) this.notes[n.id].textContent = n.text(v);
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
    const [lo, hi] = this.unbounded ? [-this.cmax, this.cmax] : [-1, 1];
    const sym = this.facts.stateSymbol;
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
