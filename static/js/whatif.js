// What if… (after Playground's "change it and watch"): pin a gate — the LSTM's forget gate open (1)
// or shut (0), its input gate shut; the GRU's update gate open or shut — for every word or some, and
// edit one word ("dry" → "wonderful"); then replay. The run the views show is the experiment; the
// unchanged run is kept as a ghost (the Prediction view draws it dashed) and compared in this panel:
// Δ of the prediction at every word, Δ of every lane of the memory. Both live in the URL
// (&clamp=<JSON>&edit=<JSON>), so a link opens the experiment. Clamps use the stream's contract
// (GET /api/trace/stream?clamp=, app/core/clamp.py).
import { labelColor } from "./config.js";
import { stateOf } from "./derived.js";
import { baseLayout, esc, topLayer } from "./views/common.js";

/** The pins a class can choose, per kind of cell. */
const PINS = {
  lstm: [["forget", 1, "forget gate always open (f = 1: keep everything)"],
         ["forget", 0, "forget gate shut (f = 0: erase everything)"], ["input", 0, "input gate shut (i = 0: read nothing)"]],
  gru: [["update", 1, "update gate open (z = 1: keep the old state)"], ["update", 0, "update gate shut (z = 0: take the new one)"]],
};

/** Parse "3, 5-7" (1-based words) into 0-based steps; empty: null (every word). */
export function parseWords(s) {
  const steps = new Set();
  for (const part of String(s).split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = Number(m[2] ?? m[1]);
    for (let k = Math.min(a, b); k <= Math.max(a, b); k++) if (k >= 1) steps.add(k - 1);
  }
  return steps.size ? [...steps].sort((x, y) => x - y) : null;
}

/** The text with the first whole-word occurrence of edit.word replaced by edit.to. */
export function applyEdit(text, edit) {
  if (!edit || !edit.word) return text;
  const quoted = edit.word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`(^|[^\\p{L}\\p{N}])${quoted}(?![\\p{L}\\p{N}])`, "iu");
  return text.replace(re, (_, before) => `${before}${edit.to ?? ""}`);
}

function parseJSON(s) {
  if (!s) return null;
  try { return JSON.parse(s); } catch { return null; }
}

export class WhatIf {
  /** root: the panel's element; ctx: { config, fetchTrace }. */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.clamp = null;
    this.edit = null;
    this.base = null;
  }

  /** Restore from the URL's clamp and edit (JSON strings). */
  restore(clampText, editText) {
    const clamp = parseJSON(clampText);
    this.clamp = Array.isArray(clamp) && clamp.length ? clamp : null;
    const edit = parseJSON(editText);
    this.edit = edit && typeof edit.word === "string" ? { word: edit.word, to: String(edit.to ?? "") } : null;
  }

  get active() { return Boolean(this.clamp || this.edit); }

  /** What the URL holds: { clamp, edit } as JSON strings, or undefined. */
  query() {
    return { clamp: this.clamp ? JSON.stringify(this.clamp) : undefined,
             edit: this.edit ? JSON.stringify(this.edit) : undefined };
  }

  /** The run for `text`: the text to read, the clamp, and the ghost (the unchanged run) if any. */
  async prepare(text, model, gates = []) {
    this.base = text;
    // A pin the model's kind lacks (the LSTM's forget gate on a GRU) is dropped, not sent.
    if (this.clamp) this.clamp = this.clamp.filter((c) => gates.includes(c.gate));
    if (this.clamp && !this.clamp.length) this.clamp = null;
    if (!this.active) return { text, clamp: null, ghost: null };
    let ghost = null;
    try {
      ghost = await this.ctx.fetchTrace(text, model);
    } catch { /* the experiment still runs; the ghost is only for comparison */ }
    return { text: applyEdit(text, this.edit), clamp: this.clamp, ghost };
  }

  /** The panel's form, for a model of `kind` at word t (the current word). */
  build(kind, store, onApply) {
    this.root.replaceChildren();
    const make = (tag, props = {}, parent = this.root) => {
      const el = Object.assign(document.createElement(tag), props);
      parent.append(el);
      return el;
    };
    const form = make("form", { className: "whatif-form" });
    const pins = PINS[kind] ?? [];
    const rowPin = make("label", { className: "whatif-row" }, form);
    rowPin.append("Pin a gate ");
    const pin = make("select", { id: "whatif-pin" }, rowPin);
    make("option", { value: "", textContent: pins.length ? "none" : "none (a plain RNN has no gates)" }, pin);
    pins.forEach(([gate, value, label], k) => make("option", { value: String(k), textContent: label }, pin));
    const now = this.clamp?.[0];
    const chosen = pins.findIndex(([g, v]) => now && now.gate === g && now.value === v);
    pin.value = chosen >= 0 ? String(chosen) : "";
    const rowWords = make("label", { className: "whatif-row" }, form);
    rowWords.append("for words ");
    const words = make("input", { id: "whatif-words", type: "text", placeholder: "all (or e.g. 3, 5-8)",
      value: now?.steps ? now.steps.map((s) => s + 1).join(", ") : "" }, rowWords);
    const rowEdit = make("label", { className: "whatif-row" }, form);
    rowEdit.append("Change the word ");
    const from = make("input", { id: "whatif-from", type: "text", size: 10,
      value: this.edit?.word ?? (store.words?.[store.t] ?? "") }, rowEdit);
    rowEdit.append(" to ");
    const to = make("input", { id: "whatif-to", type: "text", size: 10, value: this.edit?.to ?? "" }, rowEdit);
    const buttons = make("div", { className: "whatif-row" }, form);
    make("button", { id: "whatif-apply", type: "submit", className: "primary", textContent: "Replay the experiment" }, buttons);
    const clear = make("button", { id: "whatif-clear", type: "button", textContent: "Back to the unchanged run" }, buttons);
    this.note = make("p", { className: "whatif-note muted small" }, form);
    this.delta = make("div", { id: "whatif-delta" });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const steps = parseWords(words.value);
      if (steps === undefined) {
        this.note.textContent = "Words are numbers from 1, like 3, 5-8 (or empty for every word).";
        return;
      }
      const p = pins[Number(pin.value)];
      this.clamp = pin.value !== "" && p ? [{ gate: p[0], value: p[1], ...(steps ? { steps } : {}) }] : null;
      this.edit = from.value.trim() && to.value.trim() && from.value.trim() !== to.value.trim()
        ? { word: from.value.trim(), to: to.value.trim() } : null;
      onApply();
    });
    clear.addEventListener("click", () => { this.clamp = null; this.edit = null; onApply(); });
  }

  /** The experiment has been read: Δ of the prediction and of every lane against the ghost. */
  compare(store) {
    if (!this.delta) return;
    const ghost = store.ghost;
    if (!this.active || !ghost || !store.done) {
      Plotly.purge(this.delta);
      this.delta.replaceChildren();
      if (this.note) this.note.textContent = this.active ? "" : "No experiment: the views show the model as trained.";
      return;
    }
    const { config } = this.ctx;
    const kind = store.meta.model.kind;
    const labels = store.meta.model.labels;
    const focus = labels.length === 2 ? labels[1] : labels[0];
    const now = store.steps;
    const was = ghost.steps;
    const shift = now.length - was.length;
    let first = 0;
    while (first < Math.min(now.length, was.length) && now[first].token === was[first].token) first += 1;
    const old = (k) => was[k < first ? k : Math.max(Math.min(first, was.length - 1), k - shift)];
    const dp = now.map((s, k) => s.probs[focus] - old(k).probs[focus]);
    const H = store.meta.model.hidden_size;
    const lanes = [...Array(H).keys()].map((u) => now.map((s, k) => stateOf(kind, topLayer(s))[u]
      - stateOf(kind, topLayer(old(k)))[u]));
    const x = now.map((_, k) => k);
    const words = now.map((s) => esc(s.token));
    const big = Math.max(1e-9, ...lanes.flat().map(Math.abs));
    const data = [
      { type: "bar", x, y: dp, customdata: words, marker: { color: labelColor(focus, 1) }, yaxis: "y",
        hovertemplate: `“%{customdata}”: Δ P(${esc(focus)}) = %{y:.4f}<extra></extra>` },
      { type: "heatmap", x, z: lanes, customdata: lanes.map(() => words), zmin: -big, zmax: big,
        colorscale: [[0, "#0072B2"], [0.5, "#ffffff"], [1, "#D55E00"]], yaxis: "y2", showscale: false,
        hovertemplate: `“%{customdata}”, unit %{y}: Δ ${config.cell(kind).stateSymbol} = %{z:.4f}<extra></extra>` },
    ];
    Plotly.newPlot(this.delta, data, {
      ...baseLayout(config), height: 230, width: Math.max(320, this.root.clientWidth - 30), margin: { l: 56, r: 8, t: 20, b: 56 },
      xaxis: { tickvals: x, ticktext: words, tickangle: -90, tickfont: { size: 9 }, fixedrange: true, anchor: "y2" },
      yaxis: { domain: [0.62, 1], fixedrange: true, title: { text: "Δ P", standoff: 2 } },
      yaxis2: { domain: [0, 0.55], fixedrange: true, title: { text: `Δ ${config.cell(kind).stateSymbol}`, standoff: 2 } },
    }, config.plotly);
    const moved = dp.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    first = dp.findIndex((v, k) => v !== 0 || lanes.some((lane) => lane[k] !== 0));
    const what = [this.clamp ? `${this.clamp[0].gate} gate pinned to ${this.clamp[0].value}` : "",
                  this.edit ? `“${this.edit.word}” → “${this.edit.to}”` : ""].filter(Boolean).join(", ");
    this.note.textContent = `${what}. Against the unchanged run (dashed in the Prediction and Highway views): the answer moves by up to `
      + `${moved.toFixed(4)} in P(${focus}); ${first < 0 ? "nothing changes" : first ? `nothing changes before word ${first + 1}` : "it changes from the first word"}.`
      // The verdict (the model's answer on the whole text) of both runs, as the server computed them.
      + (store.verdict && ghost.verdict ? ` Verdict P(${focus}): ${ghost.verdict[focus].toFixed(4)} → ${store.verdict[focus].toFixed(4)}.` : "");
  }
}
