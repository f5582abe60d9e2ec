// The words on the highway: along the word axis, one band per word read so far, as thick as what
// that word wrote that is still in the memory at each step — Σ over units of |contribution of word s
// to c_t| (GRU: to h_t), the exact decomposition of derived.js's MemoryLedger (shared in the store).
// Drawn on a canvas laid over the top of the lanes plot, so both share one word axis; each band is
// labelled with its word at the current step, and a hover gives its numbers.
//
// A plain RNN's state cannot be split into words (it is recomputed at every word): the same place
// says so and shows what it can, how far each word moved the state.
import { stateOf } from "../derived.js";
import { before, readRange } from "../lens.js";
import { fmt, fonts, topLayer } from "./common.js";
import { make } from "./widgets.js";

export default class WordBands {
  /** hw: the Highway view (its lanes plot, kind facts, store); it calls draw(t) after the lanes. */
  constructor(hw) {
    this.hw = hw;
    this.canvas = make("canvas", { cls: "hw-bands", role: "img",
      "aria-label": "The words on the highway: one band per word, as thick as what it still holds" });
    this.tip = make("div", { cls: "hw-tip", role: "tooltip" });
    this.tip.hidden = true;
    this.note = make("p", { cls: "hw-note" });
    this.t = 0;
    this.reset();
    this.canvas.addEventListener("mousemove", (e) => this.hover(e));
    this.canvas.addEventListener("mouseleave", () => { this.tip.hidden = true; });
    this.canvas.addEventListener("click", (e) => {
      const hit = this.hit(e);
      if (hit) this.hw.ctx.seek(hit.s);
    });
  }

  /** A new text: forget the cached columns. */
  reset() {
    this.cache = [];
    this.totals = [];
    this.ymax = 0;
  }

  /** What is drawn at column t': [amount of word s for s ≤ t'] (LSTM/GRU), or |Δstate| (RNN).
   *  A column never changes once its step has arrived, so each is computed once. */
  column(tc) {
    let col = this.cache[tc];
    if (!col) {
      col = this.compute(tc);
      this.cache[tc] = col;
      this.totals[tc] = col.reduce((a, b) => a + b, 0);
      this.ymax = Math.max(this.ymax, this.totals[tc]);
    }
    return col;
  }

  compute(tc) {
    const { ledger, steps } = this.hw.ctx.store;
    if (ledger) {
      // The words the reader has read at tc: 0 … tc forward, tc … T−1 backward (lens.js).
      const row = ledger.retention(tc);
      const [, last] = readRange(this.hw.ctx.store, tc);
      const out = new Float64Array(last + 1);
      for (let s = 0; s <= last; s++) out[s] = row[s] * ledger.written[s];
      return out;
    }
    const now = stateOf(this.hw.kind, topLayer(steps[tc]));
    const prev = before(this.hw.ctx.store, tc);
    const before_ = prev ? stateOf(this.hw.kind, topLayer(prev)) : null;
    let moved = 0;
    for (let u = 0; u < now.length; u++) moved += Math.abs(now[u] - (before_ ? before_[u] : 0));
    return Float64Array.of(moved);
  }

  /** Put the canvas over the band area of the lanes plot (its yaxis2) and size it. */
  place() {
    const full = this.hw.lanes._fullLayout;
    const xa = full.xaxis;
    const ya = full.yaxis2;
    const host = this.hw.lanes;
    if (this.canvas.parentElement !== host) host.append(this.canvas, this.tip);
    if (this.note.parentElement !== host) host.append(this.note);
    const ratio = window.devicePixelRatio || 1;
    this.box = { left: xa._offset, top: ya._offset, width: xa._length, height: ya._length, xa };
    Object.assign(this.canvas.style, { left: `${xa._offset}px`, top: `${ya._offset}px`,
      width: `${xa._length}px`, height: `${ya._length}px` });
    this.canvas.width = Math.round(xa._length * ratio);
    this.canvas.height = Math.round(ya._length * ratio);
    this.ratio = ratio;
    Object.assign(this.note.style, { left: `${xa._offset}px`, top: `${ya._offset}px` });
    const memory = this.hw.facts.memory;
    this.note.hidden = memory;
    this.note.textContent = memory ? "" : "A plain RNN's state cannot be split into words: it is recomputed "
      + "from the word and the whole old state at every word. What it can show is how far each word moved "
      + `it (Σ over units of |${this.hw.facts.stateSymbol} − ${this.hw.facts.stateSymbol}₋₁|).`;
  }

  /** The largest column total of the steps that have arrived: the band area's full height. */
  scale() {
    const n = this.hw.ctx.store.steps.length;
    for (let tc = this.cache.length; tc < n; tc++) this.column(tc);
    return this.ymax || 1;
  }

  /** Draw columns 0..t: word 0 at the bottom, each later word stacked on the earlier ones. */
  draw(t) {
    const { config } = this.hw.ctx;
    this.place();
    this.t = t;
    const { width, height, xa } = this.box;
    const g = this.canvas.getContext("2d");
    g.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    // Room for the band area's title line (a plain RNN: for its note, above its bars).
    const top = this.hw.facts.memory ? fonts(config).size * 1.6 : this.note.offsetHeight + 6;
    const k = (height - top) / this.scale();
    const colors = config.colors.bands;
    const px = (x) => xa.l2p(x);
    const w = Math.max(1, px(1) - px(0));
    const memory = this.hw.facts.memory;
    this.columns = [];
    // The columns of the words read so far: left of t for the forward reader, right of it backward.
    const [first, last] = readRange(this.hw.ctx.store, t);
    for (let tc = first; tc <= Math.min(last, this.hw.ctx.store.steps.length - 1); tc++) {
      const col = this.column(tc);
      const x0 = px(tc) - w / 2;
      let y = height;
      let thin = 0;
      for (let s = 0; s < col.length; s++) {
        const h = col[s] * k;
        // Bands thinner than a pixel are drawn together, in grey: a 1,000-word text stays fast.
        if (h < 0.8 && memory) { thin += h; continue; }
        if (thin) { g.fillStyle = config.colors.bandThin; g.fillRect(x0, y - thin, w, thin); y -= thin; thin = 0; }
        g.fillStyle = memory ? colors[s % colors.length] : config.colors.lane;
        g.fillRect(x0, y - h, memory ? w : w * 0.7, h);
        y -= h;
      }
      if (thin) { g.fillStyle = config.colors.bandThin; g.fillRect(x0, y - thin, w, thin); }
      this.columns[tc] = col;
    }
    const f = fonts(config);
    g.font = `600 ${f.size}px system-ui, sans-serif`;
    g.fillStyle = config.colors.text;
    g.textBaseline = "top";
    if (memory) {
      g.fillText(`the words on the highway: what each word wrote that is still in ${this.hw.facts.stateSymbol}`, 0, 2);
      const back = this.hw.ctx.store.lens?.direction === "reverse";
      this.labels(g, t, k, back ? px(t) - w / 2 - 4 : px(t) + w / 2 + 4, height, f, back);
    }
  }

  /** Each band at the current column that is tall enough gets its word (and amount) beside it. */
  labels(g, t, k, x, height, f, back = false) {
    const { config, store } = this.hw.ctx;
    const col = this.columns[t];
    const words = store.words.length ? store.words : this.hw.meta.tokens;
    let y = height;
    const spots = [];
    for (let s = 0; s < col.length; s++) {
      const h = col[s] * k;
      spots.push({ s, mid: y - h / 2, h, v: col[s] });
      y -= h;
    }
    const size = Math.max(config.sizes.tickFontMin, Math.round(f.tick * 1.05));
    g.font = `${size}px system-ui, sans-serif`;
    g.textBaseline = "middle";
    const taken = [];
    const room = size * 1.15;
    // The largest bands first; a label never overlaps another one.
    for (const sp of [...spots].sort((a, b) => b.v - a.v)) {
      if (sp.h < size * 0.5 && taken.length) continue;
      if (taken.some((m) => Math.abs(m - sp.mid) < room)) continue;
      taken.push(sp.mid);
      const text = `${words[sp.s]} ${fmt(sp.v, 2)}`;
      const tx = back ? Math.max(2, x - g.measureText(text).width)
        : Math.min(x, this.box.width - g.measureText(text).width - 2);
      g.fillStyle = config.colors.background;
      g.fillRect(tx - 2, sp.mid - room / 2, g.measureText(text).width + 4, room);
      g.fillStyle = config.colors.text;
      g.fillText(text, tx, sp.mid);
    }
    this.drawnLabels = taken.length;
  }

  /** The column and band under the pointer, or null. */
  hit(e) {
    if (!this.columns || !this.box) return null;
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const tc = Math.round(this.box.xa.p2l(x));
    const col = this.columns[tc];
    if (!col) return null;
    const top = this.hw.facts.memory ? fonts(this.hw.ctx.config).size * 1.6 : this.note.offsetHeight + 6;
    const k = (this.box.height - top) / this.scale();
    let bottom = this.box.height;
    for (let s = 0; s < col.length; s++) {
      const h = col[s] * k;
      if (y <= bottom && y >= bottom - Math.max(h, 1)) return { tc, s, v: col[s], col };
      bottom -= h;
    }
    return null;
  }

  hover(e) {
    const hit = this.hit(e);
    if (!hit) { this.tip.hidden = true; return; }
    const { store } = this.hw.ctx;
    const tokens = this.hw.meta.tokens;
    const total = this.totals[hit.tc];
    const sym = this.hw.facts.stateSymbol;
    this.tip.textContent = this.hw.facts.memory
      ? `“${tokens[hit.s]}” (word ${hit.s + 1}) still holds ${fmt(hit.v)} of ${sym} at word ${hit.tc + 1} `
        + `“${tokens[hit.tc]}” (Σ over units of |its part|): ${fmt((100 * hit.v) / (total || 1), 1)}% of all `
        + `the words' parts, ${fmt(100 * store.ledger.retention(hit.tc)[hit.s], 1)}% of what it wrote`
      : `word ${hit.tc + 1} “${tokens[hit.tc]}” moved the state by ${fmt(hit.v)} (Σ over units of |${sym} − ${sym}₋₁|)`;
    const r = this.hw.lanes.getBoundingClientRect();
    this.tip.hidden = false;
    this.tip.style.left = `${Math.min(e.clientX - r.left + 12, r.width - 320)}px`;
    this.tip.style.top = `${e.clientY - r.top + 14}px`;
    this.tip.dataset.word = String(hit.s);
    this.tip.dataset.value = String(hit.v);
  }
}
