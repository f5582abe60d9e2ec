// The arithmetic behind the cereal review and the whiteboard, in the browser: the same numbers as
// app/core/derived.py, computed from the streamed gates of the top layer, so the O(T²) memory
// decomposition never travels over the wire.
//
//   LSTM, c₀ = 0:  c_t = Σ_{s≤t} (i_s ⊙ g_s) ⊙ Π_{k=s+1..t} f_k
//   GRU,  h₀ = 0:  h_t = Σ_{s≤t} ((1 − z_s) ⊙ n_s) ⊙ Π_{k=s+1..t} z_k
//
// The term for word s is what word s wrote that is still in the state at step t. A plain RNN has no
// gates, so its state has no such decomposition (hasMemory(kind) is false). Which gate keeps and which
// lets the candidate in is palette.json's "cells" block, read through config.js.

import config from "./config.js";

/** Whether this kind of model has the per-word decomposition (LSTM and GRU do, a plain RNN not). */
export function hasMemory(kind) {
  return config.cell(kind).memory;
}

/** The state a view follows: the cell state c for an LSTM, the hidden state h otherwise. */
export function stateOf(kind, layer) {
  return layer[config.cell(kind).state];
}

/** (keep, write) of one step's layer: state_t = keep ⊙ state_{t−1} + write. */
export function memoryTerms(kind, layer) {
  const facts = config.cell(kind);
  if (!facts.memory) throw new Error("a plain RNN has no gates, so its state has no per-word decomposition");
  const H = layer.hidden.length;
  const keep = Float64Array.from(layer.gates[facts.keep]);
  const write = new Float64Array(H);
  const gate = layer.gates[facts.write.gate];
  const cand = layer.candidate;
  for (let u = 0; u < H; u++) write[u] = (facts.write.complement ? 1 - gate[u] : gate[u]) * cand[u];
  return { keep, write };
}

/**
 * One step split as the whiteboard tells it (LSTM: kept = f⊙c₋₁, erased = (1−f)⊙c₋₁,
 * written = i⊙g, read_out = o⊙tanh(c) = h; GRU: kept = z⊙h₋₁, erased = (1−z)⊙h₋₁,
 * written = (1−z)⊙n). `prev` is the previous step's layer, or null at t = 0 (zero state).
 */
export function stateParts(kind, layer, prev) {
  const { keep, write } = memoryTerms(kind, layer);
  const H = keep.length;
  const before = prev ? stateOf(kind, prev) : null;
  const parts = {
    kept: new Float64Array(H), erased: new Float64Array(H), written: write,
  };
  for (let u = 0; u < H; u++) {
    const old = before ? before[u] : 0;
    parts.kept[u] = keep[u] * old;
    parts.erased[u] = (1 - keep[u]) * old;
  }
  if (config.cell(kind).gates.includes("output")) {
    parts.read_out = new Float64Array(H);
    for (let u = 0; u < H; u++) parts.read_out[u] = layer.gates.output[u] * Math.tanh(layer.cell[u]);
  }
  return parts;
}

/**
 * The memory ledger of one trace, filled step by step as the stream arrives.
 *
 * push(layer) costs O(t·H): the running contributions of every earlier word are multiplied by this
 * step's keep valve, then one row of retention is stored (T²/2 numbers in all, never T²·H).
 */
export class MemoryLedger {
  constructor(kind) {
    if (!hasMemory(kind)) throw new Error(`a ${kind} model has no per-word memory decomposition`);
    this.kind = kind;
    this.keeps = [];      // keep_t, Float64Array(H)
    this.writes = [];     // write_t, Float64Array(H)
    this.written = [];    // Σ_units |write_s|: what word s wrote when it was read
    this.running = [];    // contrib[t_last, s], Float64Array(H) for every s ≤ t_last
    this.rows = [];       // retention[t], Float64Array(t + 1)
  }

  get length() { return this.rows.length; }

  /** Append one step (the top layer's dict of that step's trace JSON). */
  push(layer) {
    const { keep, write } = memoryTerms(this.kind, layer);
    const t = this.rows.length;
    const H = keep.length;
    const row = new Float64Array(t + 1);
    for (let s = 0; s < t; s++) {
      const c = this.running[s];
      let sum = 0;
      for (let u = 0; u < H; u++) { c[u] *= keep[u]; sum += Math.abs(c[u]); }
      row[s] = this.written[s] > 0 ? sum / this.written[s] : 0;
    }
    let total = 0;
    for (let u = 0; u < H; u++) total += Math.abs(write[u]);
    this.keeps.push(keep);
    this.writes.push(write);
    this.written.push(total);
    this.running.push(Float64Array.from(write));
    row[t] = total > 0 ? 1 : 0;
    this.rows.push(row);
  }

  /** retention[t][s], s ≤ t: the share of what word s wrote that is still in the state at step t. */
  retention(t) {
    return this.rows[t];
  }

  /** contrib[t][s][u] for one unit, s ≤ t: what word s wrote that is still in unit u at step t.
   *  Summed over s it gives that unit's state (c_t[u] for an LSTM, h_t[u] for a GRU). */
  contributions(t, u) {
    const out = new Float64Array(t + 1);
    let carried = 1;  // Π_{k=s+1..t} keep_k[u], built from t backwards
    for (let s = t; s >= 0; s--) {
      out[s] = this.writes[s][u] * carried;
      carried *= this.keeps[s][u];
    }
    return out;
  }

  /** share[t][s]: word s's part of the state at step t, Σ_u|contrib[t,s,u]| / Σ_s Σ_u|contrib|. */
  share(t) {
    const row = this.rows[t];
    const abs = row.map((r, s) => r * this.written[s]);
    const total = abs.reduce((a, b) => a + b, 0);
    return abs.map((a) => (total > 0 ? a / total : 0));
  }
}
