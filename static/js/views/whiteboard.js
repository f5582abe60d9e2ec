// The whiteboard view: the state vector laid out as a fixed grid, one square per unit, and each step
// written as arithmetic on whole boards, in the first article's words —
//   LSTM: board c₋₁ − erased (1−f)⊙c₋₁ + read in i⊙g = board c, written out h = o⊙tanh(c);
//   GRU:  board h₋₁ − erased (1−z)⊙h₋₁ + read in (1−z)⊙n = board h (no output gate);
//   RNN:  board h₋₁ → board h, rewritten whole by tanh.
// Plain HTML squares, built once in begin(); show(t) only recolours them (five Plotly heatmaps
// took 30–60 ms a frame, too slow for the player).
import { inkOn, scaleColor } from "../colors.js";
import { before } from "../lens.js";
import { fmt, legend, topLayer, wordLabel } from "./common.js";
import { HOVER, NAMES, PANELS, boardValues, gridColumns } from "./whiteboard-boards.js";
import { make } from "./widgets.js";

export default class WhiteboardView {
  static id = "whiteboard";
  static title = "Whiteboard";
  /** The smallest height that shows the whole view in an embed (it grows with a taller frame). */
  static embedMinHeight = 520;
  static explain =
    "A whiteboard has a fixed size: write everything on it and it soon becomes a mess. The LSTM " +
    "keeps its board (the cell state, one square per unit) clean with three moves at every word. " +
    "Selective forget: the forget gate erases part of each square. Selective read: the input gate " +
    "lets only part of the new candidate onto the board. Selective write: the output gate lets only " +
    "part of the board out as the hidden state, which is what the rest of the network sees. The " +
    "boards are that arithmetic, square by square: before − erased + read in = after. A GRU does " +
    "the same with one update gate and no output gate; a plain RNN rewrites its whole board at " +
    "every word. Point at a square for its numbers; click it to follow that unit.";

  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.kind = null;
    this.t = -1;
    this.timers = [];
    root.classList.add("gs-whiteboard");
  }

  begin(meta) {
    this.kind = meta.model.kind;
    this.facts = this.ctx.config.cell(this.kind);
    // The LSTM's cell state is not squashed: its colour scale follows the largest |c| so far.
    this.unbounded = this.facts.state === "cell";
    this.H = meta.model.hidden_size;
    this.tokens = meta.tokens;
    this.cols = gridColumns(this.H);
    this.panels = PANELS[this.kind] ?? PANELS.rnn;
    this.range = 1;
    this.t = -1;
    this.values = null;
    this.clearTimers();
    this.root.replaceChildren();
    this.caption = make("p", { cls: "gs-wb-caption view-caption", id: "whiteboard-caption" }, this.root);
    this.fitted = -1;
    const boards = make("div", { cls: "gs-wb-boards", id: "whiteboard-boards", role: "group",
      "aria-label": "the board before, what was erased and read in, the board after" }, this.root);
    this.boards = boards;
    this.squares = {};
    this.panelEls = {};
    for (const p of this.panels) {
      if (p.op) make("span", { cls: "gs-wb-op", "aria-hidden": "true", text: p.op }, boards);
      const fig = make("figure", { cls: `gs-wb-panel ${p.move ?? ""}`, "data-panel": p.key }, boards);
      const cap = make("figcaption", {}, fig);
      make("span", { text: p.title[0] }, cap);
      make("span", { cls: p.move ? "gs-wb-move-name" : "", text: p.title[1] }, cap);
      const grid = make("div", { cls: "gs-wb-grid" }, fig);
      grid.style.gridTemplateColumns = `repeat(${this.cols}, 1fr)`;
      this.squares[p.key] = [];
      for (let u = 0; u < this.H; u++) {
        const sq = make("button", { type: "button", cls: "gs-wb-sq", "data-unit": String(u),
          "aria-label": `unit ${u}` }, grid);
        this.squares[p.key].push(sq);
      }
      grid.addEventListener("click", (ev) => {
        const sq = ev.target.closest(".gs-wb-sq");
        if (sq) this.ctx.selectUnit(Number(sq.dataset.unit));
      });
      // The hover text is written when a square is pointed at, not on every frame.
      const describe = (ev) => {
        const sq = ev.target.closest(".gs-wb-sq");
        if (sq) sq.title = this.describe(p, Number(sq.dataset.unit));
      };
      grid.addEventListener("mouseover", describe);
      grid.addEventListener("focusin", describe);
      this.panelEls[p.key] = fig;
    }
    this.moves = make("div", { cls: "gs-wb-moves" }, this.root);
    const names = !this.facts.memory
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
    const sym = this.facts.stateSymbol;
    legend(this.root, [
      { gradient: s.diverging, kind: "bar", label: `value in a square: \u2212${fmt(this.range, 2)} \u2192 ` +
        `+${fmt(this.range, 2)}` + (this.unbounded ? ` (the largest |${sym}| so far), white = 0` : ", white = 0") },
      { color: this.ctx.config.colors.selected, kind: "frame", label: "outlined: the selected unit" },
    ]);
  }

  addStep(step) {
    if (!this.unbounded) return;
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

  /** Boards as wide as the view's height allows: the squares keep their shape and nothing of the view
   *  falls below the window (the caption, the moves and the legend keep their own lines). */
  fit() {
    const rest = () => [...this.root.children].filter((el) => el !== this.boards)
      .reduce((s, el) => s + el.offsetHeight, 0);
    const key = `${this.root.clientHeight} ${rest()}`;
    if (key === this.fitted || !this.root.clientHeight) return;
    // First a guess from the grid's shape, then scaled by what the browser actually laid out
    // (gaps, padding, titles that wrap onto more lines at a narrower width).
    const rows = Math.ceil(this.H / this.cols);
    const free = this.root.clientHeight - rest() - 24;
    const captionOf = () => Math.max(...Object.values(this.panelEls).map((f) => f.querySelector("figcaption").offsetHeight));
    let width = Math.max(60, ((free - captionOf() - 12) * this.cols) / rows);
    for (let k = 0; k < 4; k++) {
      for (const fig of Object.values(this.panelEls)) fig.style.maxWidth = `min(13em, ${Math.floor(width)}px)`;
      const h = this.boards.offsetHeight;
      if (h <= free) break;
      const caption = captionOf();
      width = Math.max(60, width * ((free - caption) / Math.max(h - caption, 1)) * 0.97);
    }
    this.fitted = `${this.root.clientHeight} ${rest()}`;
  }

  render() {
    const steps = this.ctx.store.steps;
    const step = steps[this.t];
    const v = boardValues(this.kind, step, before(this.ctx.store, this.t));
    this.values = v;
    this.caption.textContent = `Word ${this.t + 1} of ${this.tokens.length}: ${wordLabel(step)} \u2014 ` +
      `the ${this.facts.stateName} ${this.facts.stateSymbol} as a board of ` +
      `${this.H} squares, one per unit`;
    const scale = this.ctx.config.scales.diverging;
    const lo = -this.range;
    const hi = this.range;
    for (const p of this.panels) {
      const values = v[p.key];
      this.squares[p.key].forEach((sq, u) => {
        const x = values[u];
        sq.style.background = scaleColor(scale, x, lo, hi);
        sq.style.color = inkOn(scale, x, lo, hi);
        sq.textContent = fmt(x, 2);
        sq.dataset.value = String(x);
        sq.removeAttribute("title");
      });
    }
    this.markSelected();
    this.describeMoves();
    this.fit();
  }

  markSelected() {
    const u = this.unit();
    for (const list of Object.values(this.squares)) {
      list.forEach((sq, k) => sq.setAttribute("aria-pressed", String(k === u)));
    }
  }

  /** The hover text of one square: its panel's value, then the whole step's arithmetic for that unit. */
  describe(panel, u) {
    const v = this.values;
    if (!v) return `unit ${u}`;
    const step = this.ctx.store.steps[this.t];
    const L = topLayer(step);
    const head = [`${NAMES[panel.key]}: ${fmt(v[panel.key][u])}`, `unit ${u}, word ${wordLabel(step)}`];
    return [...head, ...(HOVER[this.kind] ?? HOVER.rnn)(v, L, u)].join("\n");
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
    if (!this.facts.memory) {
      set("rewrite", "a plain RNN has no gates: every square is overwritten by tanh of the new word " +
        "and the old board together, so nothing is kept on purpose.");
      return;
    }
    const e = top(v.erased);
    const w = top(v.written);
    const keep = [this.facts.keepSymbol, L.gates[this.facts.keep]];
    set("erase", `${fmt(e.total, 3)} wiped off in all (sum of |erased|); most from unit ${e.best} ` +
      `(${keep[0]} = ${fmt(keep[1][e.best], 3)})`);
    // The gate that lets the candidate in (LSTM: i; GRU: 1 − z), from palette.json's cells block.
    const { gate, complement } = this.facts.write;
    const open = L.gates[gate][w.best];
    const sym = this.ctx.config.quantities[gate].symbol;
    const why = `${complement ? `1\u2212${sym}` : sym} = ${fmt(complement ? 1 - open : open, 3)}, `
      + `${this.facts.candidate} = ${fmt(L.candidate[w.best], 3)}`;
    set("read", `${fmt(w.total, 3)} read onto the board in all (sum of |read in|); most into unit ${w.best} (${why})`);
    if (v.out) {
      const o = top(v.out);
      set("write", `the output gate lets ${fmt(o.total, 3)} out in all (sum of |h|); most from unit ${o.best} ` +
        `(o = ${fmt(L.gates.output[o.best], 3)})`);
    } else {
      set("write", "a GRU has no output gate: the whole board h is what it writes out.");
    }
  }

  /** Light the moves one after another (erase → read → write) when the player advances a word. */
  sequence() {
    this.clearTimers();
    const ids = Object.keys(this.moveBoxes);
    const lit = (id) => [this.moveBoxes[id].parentElement,
      ...this.panels.filter((p) => p.move === id).map((p) => this.panelEls[p.key])];
    const speed = this.ctx.config.speeds.find((s) => s.id === this.ctx.config.defaultSpeed);
    const each = Math.min(300, (speed ? speed.ms : 700) / (ids.length + 1));
    const all = ids.flatMap(lit);
    ids.forEach((id, k) => {
      this.timers.push(setTimeout(() => {
        const on = lit(id);
        all.forEach((el) => el.classList.toggle("active", on.includes(el)));
      }, k * each));
    });
    this.timers.push(setTimeout(() => all.forEach((el) => el.classList.remove("active")), ids.length * each));
  }

  clearTimers() {
    this.timers.forEach(clearTimeout);
    this.timers = [];
  }

  selectUnit() {
    if (this.kind) this.markSelected();
  }

  resize() {
    if (this.kind && this.t >= 0) this.render();
  }
}
