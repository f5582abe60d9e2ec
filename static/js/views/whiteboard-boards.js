// The whiteboard's data: the boards each kind shows, their names, the hover arithmetic of a square,
// the grid's shape and every board's values at one step. whiteboard.js draws them.
import config from "../config.js";
import { stateOf, stateParts } from "../derived.js";
import { fmt, topLayer } from "./common.js";

export const SUB = "\u208b\u2081";  // the "₋₁" of c₋₁, h₋₁

// Panels of each kind: key (a field of boardValues), title lines (the second in bold: the move in the
// article's words), and the operator drawn before it.
export const PANELS = {
  lstm: [
    { key: "before", title: ["board before", `c${SUB}`] },
    { key: "erased", op: "\u2212", title: [`erased: (1\u2212f)\u2299c${SUB}`, "selective forget"], move: "erase" },
    { key: "written", op: "+", title: ["read in: i\u2299g", "selective read"], move: "read" },
    { key: "after", op: "=", title: ["board after", "c"] },
    { key: "out", op: "\u2192", title: ["written out: o\u2299tanh(c) = h", "selective write"], move: "write" },
  ],
  gru: [
    { key: "before", title: ["board before", `h${SUB}`] },
    { key: "erased", op: "\u2212", title: [`erased: (1\u2212z)\u2299h${SUB}`, "selective forget"], move: "erase" },
    { key: "written", op: "+", title: ["read in: (1\u2212z)\u2299n", "selective read"], move: "read" },
    { key: "after", op: "=", title: ["board after = output", "h"] },
  ],
  rnn: [
    { key: "before", title: ["board before", `h${SUB}`] },
    { key: "after", op: "\u2192", title: ["board after", `h = tanh(W x + U h${SUB} + b)`], move: "rewrite" },
  ],
};

export const NAMES = {
  before: "board before", erased: "erased", written: "read in", after: "board after", out: "written out",
};

// The hover text of a square after its own value: the whole step's arithmetic for that unit.
export const HOVER = {
  lstm: (v, L, u) => [`board before c${SUB} = ${fmt(v.before[u])}`,
    `f = ${fmt(L.gates.forget[u])} \u2192 erased (1\u2212f)\u00b7c${SUB} = ${fmt(v.erased[u])}`,
    `i = ${fmt(L.gates.input[u])}, g = ${fmt(L.candidate[u])} \u2192 read in i\u00b7g = ${fmt(v.written[u])}`,
    `board after c = ${fmt(v.after[u])}`,
    `o = ${fmt(L.gates.output[u])} \u2192 written out h = o\u00b7tanh(c) = ${fmt(v.out[u])}`],
  gru: (v, L, u) => [`board before h${SUB} = ${fmt(v.before[u])}`,
    `z = ${fmt(L.gates.update[u])} \u2192 erased (1\u2212z)\u00b7h${SUB} = ${fmt(v.erased[u])}`,
    `n = ${fmt(L.candidate[u])} \u2192 read in (1\u2212z)\u00b7n = ${fmt(v.written[u])}`,
    `r = ${fmt(L.gates.reset[u])} (how much of h${SUB} the candidate saw)`,
    `board after h = ${fmt(v.after[u])}`],
  rnn: (v, L, u) => [`board before h${SUB} = ${fmt(v.before[u])}`, `board after h = ${fmt(v.after[u])}`],
};

/** Columns of the grid: square up to 16 units (2 × 2 for the 4-unit model), then twice as tall as
 *  wide (32 units: 8 rows of 4), so five boards side by side keep squares big enough to read. */
export function gridColumns(H) {
  return H <= 16 ? Math.ceil(Math.sqrt(H)) : Math.ceil(Math.sqrt(H / 2));
}

/** Every board of one step (Float64Array(H) each). */
export function boardValues(kind, step, prev) {
  const L = topLayer(step);
  const P = prev ? topLayer(prev) : null;
  const H = L.hidden.length;
  const before = P ? Float64Array.from(stateOf(kind, P)) : new Float64Array(H);
  const after = Float64Array.from(stateOf(kind, L));
  if (!config.cell(kind).memory) return { before, after };
  const parts = stateParts(kind, L, P);
  const v = { before, after, erased: parts.erased, written: parts.written };
  if (parts.read_out) v.out = parts.read_out;
  return v;
}
