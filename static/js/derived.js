// The arithmetic behind the cereal review and the whiteboard, in the browser: the same numbers as
// app/core/derived.py, computed from the streamed gates of the top layer, so the O(T²) memory
// decomposition never travels over the wire.
//
//   LSTM, c₀ = 0:  c_t = Σ_{s≤t} (i_s ⊙ g_s) ⊙ Π_{k=s+1..t} f_k
//   GRU,  h₀ = 0:  h_t = Σ_{s≤t} ((1 − z_s) ⊙ n_s) ⊙ Π_{k=s+1..t} z_k
//
// The term for word s is what word s wrote that is still in the state at step t. A plain RNN has no
// gates, so its state has no such decomposition (hasMemory(kind) is false).

/** Whether this kind of model has the per-word decomposition (LSTM and GRU do, a plain RNN not). */
export function hasMemory(kind) {
  return kind === "lstm" || kind === "gru";
}

/** The state a view follows: the cell state c for an LSTM, the hidden state h otherwise. */
export function stateOf(kind, layer) {
  return kind === "lstm" ? layer.cell : layer.hidden;
}

/** (keep, write) of one step's layer: state_t = keep ⊙ state_{t−1} + write. */
export function memoryTerms(kind, layer) {
  const H = layer.hidden.length;
  const keep = new Float64Array(H);
  const write = new Float64Array(H);
  if (kind === "lstm") {
    const { input: i, forget: f } = layer.gates;
    const g = layer.candidate;
    for (let u = 0; u < H; u++) { keep[u] = f[u]; write[u] = i[u] * g[u]; }
  } else if (kind === "gru") {
    const z = layer.gates.update;
    const n = layer.candidate;
    for (let u = 0; u < H; u++) { keep[u] = z[u]; write[u] = (1 - z[u]) * n[u]; }
  } else {
    throw new Error("a plain RNN has no gates, so its state has no per-word decomposition");
  }
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
  if (kind === "lstm") {
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

// Colours are looked up in a table of 256 steps per scale, made once: views recolour hundreds of
// words or squares on every frame while the player runs.
const TABLES = new WeakMap();

function table(scale) {
  let t = TABLES.get(scale);
  if (!t) {
    t = { fill: [], ink: [] };
    for (let k = 0; k < 256; k++) {
      const rgb = interpolate(scale, k / 255);
      t.fill.push(`rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`);
      t.ink.push(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140 ? "#111" : "#fff");
    }
    TABLES.set(scale, t);
  }
  return t;
}

function step(value, lo, hi) {
  const x = (value - lo) / (hi - lo || 1);
  return Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0.5)));
}

function interpolate(scale, x) {
  let k = 1;
  while (k < scale.length - 1 && scale[k][0] < x) k++;
  const [s0, c0] = scale[k - 1];
  const [s1, c1] = scale[k];
  const w = s1 > s0 ? Math.min(1, Math.max(0, (x - s0) / (s1 - s0))) : 0;
  const a = hexRgb(c0);
  const b = hexRgb(c1);
  return a.map((v, j) => Math.round(v + (b[j] - v) * w));
}

/** The colour of `value` on one of palette.json's scales ([[stop, "#rrggbb"], ...]) over [lo, hi];
 *  values outside the range take the end colours. */
export function scaleColor(scale, value, lo = 0, hi = 1) {
  return table(scale).fill[step(value, lo, hi)];
}

/** Black or white, whichever reads better on a background of this scale colour. */
export function inkOn(scale, value, lo = 0, hi = 1) {
  return table(scale).ink[step(value, lo, hi)];
}

function hexRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
