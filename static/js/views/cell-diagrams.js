// The cell view's data: the diagram of each kind (nodes, wires, notes in SVG user units), the values
// of one unit at one step, and the equation rows in code order. cell.js only draws them.
import { fmt as fmt4, topLayer } from "./common.js";

/** A number as the cell diagram writes it: three decimals (the hover has four). */
export function fmt(v, digits = 3) {
  return fmt4(v, digits);
}

// The diagrams: nodes (boxes, operators, value ports) and wires, in SVG user units ----------
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
    { id: "kept", x: 200, y: 48, anchor: "middle", text: (v) => `kept f\u00b7c\u208b\u2081 = ${fmt(v.kept)}` },
    { id: "erased", x: 192, y: 124, anchor: "end", cls: "erased",
      text: (v) => `erased (1\u2212f)\u00b7c\u208b\u2081 = ${fmt(v.erased)}` },
    { id: "written", x: 372, y: 112, anchor: "start", text: (v) => `written i\u00b7g = ${fmt(v.written)}` },
    { id: "tanhc", x: 644, y: 144, anchor: "start", text: (v) => `tanh(c) = ${fmt(v.tanhc)}` },
    { id: "out", x: 626, y: 258, anchor: "start", text: (v) => `o\u00b7tanh(c) = ${fmt(v.out)}` },
  ],
  box: [100, 28, 560, 296],
  word: [130, 340],
  bridge: { candidate: "new memory content (S\u0303\u209c in the first article)" },
  caption: "the highway runs along the top",
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
    { id: "kept", x: 420, y: 48, anchor: "middle", text: (v) => `kept z\u00b7h\u208b\u2081 = ${fmt(v.kept)}` },
    { id: "erased", x: 108, y: 100, anchor: "start", cls: "erased",
      text: (v) => `erased (1\u2212z)\u00b7h\u208b\u2081 = ${fmt(v.erased)}` },
    { id: "written", x: 622, y: 198, anchor: "middle", text: (v) => `written (1\u2212z)\u00b7n = ${fmt(v.written)}` },
    { id: "resetnote", x: 200, y: 174, anchor: "start", cls: "reset",
      text: (v) => `r = ${fmt(v.r)} scales h\u208b\u2081\u2019s part of n` },
  ],
  box: [100, 28, 540, 296],
  word: [130, 346],
  caption: "the highway runs along the top",
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
  notes: [{ id: "washout", x: 380, y: 100, anchor: "middle",
    text: () => "no gates: the whole state is rewritten at every word" }],
  box: [100, 60, 560, 170],
  word: [130, 262],
  caption: "one tanh layer, no gates",
};

export const DIAGRAMS = { lstm: LSTM, gru: GRU, rnn: RNN };

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

export function equations(kind) {
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

export const NAMES = {
  hprev: "h\u208b\u2081 (the hidden state before this word)", cprev: "c\u208b\u2081 (the cell state before this word)",
  f: "f, forget gate", i: "i, input gate", g: "g, candidate", o: "o, output gate", c: "c, cell state",
  h: "h, hidden state", r: "r, reset gate", z: "z, update gate", n: "n, candidate", tanh: "h, hidden state",
  kept: "kept", erased: "erased", written: "written", tanhc: "tanh(c)", out: "h = o\u00b7tanh(c)",
  oneminus: "1 \u2212 z",
};
