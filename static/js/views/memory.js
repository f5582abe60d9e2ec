// The memory view (the cereal review): the sentence itself, each word shaded by how much of what it
// wrote is still in the state at the current step — the exact decomposition of derived.js — and, for
// the selected unit, each word's signed part of that unit's state, which sums to the state itself.
import { inkOn, scaleColor } from "../colors.js";
import { hasMemory, stateOf } from "../derived.js";
import { fmt, legend, topLayer, wordLabel } from "./common.js";
import { UnitStrip, make } from "./widgets.js";

function percent(x) {
  return `${(100 * x).toFixed(1)}%`;
}

/**
 * The sentence as a row of word chips, shaded by one number per word. Repainting touches only what
 * changed (a chip's colour, the chips between the old and the new current word), so a 1,000-word
 * review still plays smoothly; a chip's hover text is written when it is pointed at.
 */
class ShadedRow {
  constructor(parent, tokens, attrs, describe, shown = tokens) {
    this.el = make("div", { cls: "gs-sentence", ...attrs }, parent);
    this.words = shown.map((tok, s) => make("span", { cls: "gs-word future", "data-s": String(s), text: tok },
      this.el));
    this.fill = new Array(tokens.length).fill("");
    this.t = -1;
    this.tokens = tokens;
    const hover = (ev) => {
      const w = ev.target.closest(".gs-word");
      if (!w) return;
      const s = Number(w.dataset.s);
      w.title = !this.unread(s, this.t) ? describe(s) : `\u201c${tokens[s]}\u201d: not read yet`;
    };
    this.el.addEventListener("mouseover", hover);
  }

  /** Word s is not read yet at t (the backward reader, `back`, reads from the end: s < t). */
  unread(s, t) {
    return this.back ? s < t : s > t;
  }

  markUnknown(s) {
    this.words[s]?.classList.add("unknown");
  }

  /** Show step t: words 0..t shaded by values[s] on scale over [lo, hi] (values null: not shaded),
   *  the rest marked not read yet. */
  paint(t, values, scale, lo, hi) {
    const prev = this.t;
    const [a, b] = prev < 0 ? [0, this.words.length - 1] : [Math.min(prev, t), Math.max(prev, t)];
    for (let s = a; s <= b; s++) {
      const w = this.words[s];
      w.classList.toggle("future", this.unread(s, t));
      w.classList.toggle("current", s === t);
      if (this.unread(s, t) && this.fill[s]) {
        w.style.background = "";
        w.style.color = "";
        delete w.dataset.value;
        this.fill[s] = "";
      }
    }
    for (let s = this.back ? t : 0; values && s <= (this.back ? this.words.length - 1 : t); s++) {
      const x = values[s];
      const w = this.words[s];
      const c = scaleColor(scale, x, lo, hi);
      if (c !== this.fill[s]) {
        w.style.background = c;
        w.style.color = inkOn(scale, x, lo, hi);
        this.fill[s] = c;
      }
      w.dataset.value = String(x);
    }
    this.t = t;
    // A long text scrolls inside the row: keep the current word in sight.
    const cur = this.words[t];
    if (cur && this.el.scrollHeight > this.el.clientHeight) {
      const top = cur.offsetTop - this.el.offsetTop;
      if (top < this.el.scrollTop || top + cur.offsetHeight > this.el.scrollTop + this.el.clientHeight) {
        this.el.scrollTop = Math.max(0, top - this.el.clientHeight / 2);
      }
    }
  }
}

export default class MemoryView {
  static id = "memory";
  static title = "Memory";
  static explain =
    "The text, word by word. Each word writes something into the memory (the LSTM's cell " +
    "state, the GRU's hidden state) when it is read; after that, every forget gate (GRU: update " +
    "gate) it passes multiplies what is left by a number between 0 and 1. The shading is exactly how " +
    "much of each word's writing is still there at the current word: dark words are remembered, " +
    "pale ones have faded. The second line follows one unit: each word's signed part of that unit's " +
    "state, and those parts add up to the state itself. A plain RNN has no gates, so its memory " +
    "cannot be split this way.";

  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.kind = null;
    this.t = -1;
    root.classList.add("gs-memory");
  }

  /** The ledger of the followed layer and direction (the backward one is built when all words are in). */
  get ledger() {
    return hasMemory(this.kind) ? this.ctx.store.ledger : null;
  }

  begin(meta) {
    this.kind = meta.model.kind;
    this.facts = this.ctx.config.cell(this.kind);
    this.H = meta.model.hidden_size;
    // Hovers and captions name the model's own tokens; the chips show the words as typed.
    this.tokens = meta.tokens;
    this.shown = this.ctx.store.words.length === meta.tokens.length ? this.ctx.store.words : meta.tokens;
    this.t = -1;
    // The backward reader (lens.js) has read the words from the end back to the current one.
    this.back = this.ctx.store.lens?.direction === "reverse";
    this.root.replaceChildren();
    this.caption = make("p", { cls: "gs-memory-line view-caption" }, this.root);
    if (!hasMemory(this.kind)) {
      const note = make("div", { cls: "gs-memory-rnn", role: "note" }, this.root);
      make("p", { text: "A plain RNN has no gates, so there is no exact way to say how much of each " +
        "word is still in its memory: at every word the whole hidden state goes through tanh again, " +
        "mixed with the new word, and older words are washed out a little more each time. That is " +
        "the short-term memory the LSTM and the GRU were built to fix." }, note);
      make("p", { text: "Pick the lstm or gru model to see each word fade as the gates close." }, note);
      this.row = new ShadedRow(this.root, this.tokens, { "aria-label": "the sentence" },
        () => "a plain RNN keeps no per-word record", this.shown);
      this.row.back = this.back;
      legend(this.root, [
        { color: this.ctx.config.colors.current, kind: "frame", label: "outlined: the current word" },
        { color: this.ctx.config.colors.unknown, kind: "frame", label: "grey, dashed: not read yet" },
      ]);
      return;
    }
    const sym = this.facts.stateSymbol;
    this.sym = sym;
    this.row = new ShadedRow(this.root, this.tokens, { "data-row": "all",
      "aria-label": "how much of each word is still in memory" }, (s) => this.describeWord(s), this.shown);
    this.unitCaption = make("p", { cls: "gs-memory-line" }, this.root);
    this.strip = new UnitStrip(this.root, this.ctx, `units (coloured by ${sym}):`);
    this.strip.draw(this.H);
    this.unitRow = new ShadedRow(this.root, this.tokens, { "data-row": "unit",
      "aria-label": "each word's part of the selected unit's state" }, (s) => this.describePart(s), this.shown);
    this.sum = make("p", { cls: "gs-memory-sum" }, this.root);
    this.row.back = this.back;
    this.unitRow.back = this.back;
    this.drawLegend(1, this.unit());
  }

  drawLegend(scaleMax, u) {
    const s = this.ctx.config.scales;
    this.legendKey = `${scaleMax} ${u}`;
    const items = [
      { gradient: s.sequential, kind: "bar", label: "share of what a word wrote still in memory: 0% \u2192 100%" },
      { gradient: s.diverging, kind: "bar", label: `a word\u2019s part of ${this.sym}[${u}]: ` +
        `\u2212${fmt(scaleMax, 3)} \u2192 +${fmt(scaleMax, 3)}` },
      { color: this.ctx.config.colors.current, kind: "frame", label: "outlined: the current word" },
      { color: this.ctx.config.colors.unknown, kind: "frame", label: "grey, dashed: not read yet" },
    ];
    if (this.ctx.store.steps.some((st) => !st.known)) {
      items.push({ color: this.ctx.config.colors.unknown, kind: "line", label: "dotted underline: unknown word, read as <unk>" });
    }
    legend(this.root, items);
  }

  addStep(step) {
    if (!step.known) {
      this.row.markUnknown(step.t);
      this.unitRow?.markUnknown(step.t);
    }
  }

  show(t) {
    const steps = this.ctx.store.steps;
    if (!this.kind || !steps.length) return;
    this.t = Math.max(0, Math.min(t ?? 0, steps.length - 1));
    this.render();
  }

  unit() {
    const u = this.ctx.store.unit ?? 0;
    return u >= 0 && u < this.H ? u : 0;
  }

  render() {
    const t = this.t;
    const step = this.ctx.store.steps[t];
    if (!this.ledger) {
      this.caption.textContent = `At word ${t + 1} of ${this.tokens.length}: ${wordLabel(step)}`;
      this.row.paint(t, null);
      return;
    }
    const state = this.facts.stateName;
    this.caption.textContent = `How much of what each word wrote is still in the ${state}, ` +
      `at word ${t + 1} ${wordLabel(step)} (all units):`;
    this.row.paint(t, this.ledger.retention(t), this.ctx.config.scales.sequential, 0, 1);
    this.renderUnit();
  }

  describeWord(s) {
    const t = this.t;
    const kept = this.ledger.retention(t)[s];
    const share = this.ledger.share(t)[s];
    const state = this.facts.stateName;
    return `\u201c${this.tokens[s]}\u201d (word ${s + 1}): ${percent(kept)} of what it wrote is still in the ` +
      `${state} at word ${t + 1} \u201c${this.tokens[t]}\u201d (retention ${fmt(kept)}); it makes up ` +
      `${percent(share)} of the state now`;
  }

  describePart(s) {
    const u = this.unit();
    const part = this.ledger.contributions(this.t, u)[s];
    const now = stateOf(this.kind, topLayer(this.ctx.store.steps[this.t]))[u];
    return `\u201c${this.tokens[s]}\u201d (word ${s + 1}): ${fmt(part)} of ${this.sym}[${u}] = ${fmt(now)} ` +
      "comes from this word";
  }

  renderUnit() {
    const t = this.t;
    const u = this.unit();
    const layer = topLayer(this.ctx.store.steps[t]);
    const scales = this.ctx.config.scales;
    const parts = this.ledger.contributions(t, u);
    const stateNow = stateOf(this.kind, layer)[u];
    let total = 0;
    let biggest = 0;
    for (const p of parts) { total += p; biggest = Math.max(biggest, Math.abs(p)); }
    const scaleMax = biggest > 0 ? biggest : 1;
    if (`${scaleMax} ${u}` !== this.legendKey) this.drawLegend(scaleMax, u);
    this.unitCaption.textContent = `Unit ${u}: what each word put into ${this.sym}[${u}] that is still there ` +
      `at word ${t + 1}:`;
    this.unitRow.paint(t, parts, scales.diverging, -scaleMax, scaleMax);
    const read = this.back ? this.tokens.length - t : t + 1;
    this.sum.textContent = `Sum of the ${read} parts = ${fmt(total)}; the model\u2019s ${this.sym}[${u}] = ` +
      `${fmt(stateNow)} (they differ only by the rounding of the streamed numbers).`;
    this.sum.dataset.sum = String(total);
    this.sum.dataset.state = String(stateNow);
    const vals = stateOf(this.kind, layer);
    const m = Math.max(1, ...vals.map(Math.abs));
    this.strip.update(vals, scales.diverging, -m, m, (k, x) => `unit ${k}: ${this.sym} = ${fmt(x)} (click to follow)`);
    this.strip.select(u);
  }

  selectUnit() {
    if (!this.ledger) return;
    this.strip.select(this.unit());
    if (this.t >= 0) this.renderUnit();
  }

  resize() {}
}
