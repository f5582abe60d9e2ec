// Every colour, size, duration and word of the page in one module (after poloclub/cnn-explainer):
// names, symbols and colours come from static/palette.json, which the Python figures read too, so a
// forget gate is the same orange in a notebook export and on the page.
import palette from "../palette.json" with { type: "json" };

/**
 * What a kind of cell has, from palette.json's "cells" block (the same facts as app/core's KINDS):
 * its gates (PyTorch's order, and the order the views draw them: the keep valve first), the state
 * that carries memory, the keep gate, the candidate's symbol and the parts of one step. Views ask
 * this instead of testing the kind.
 */
function cellFacts(kind) {
  const c = palette.cells[kind] ?? palette.cells.rnn;
  const q = palette.quantities;
  const state = q[c.state];
  const keep = c.keep ? q[c.keep] : null;
  return {
    kind,
    gates: c.gates,
    viewGates: c.keep ? [c.keep, ...c.gates.filter((g) => g !== c.keep)] : [],
    state: c.state,
    stateName: state.name,
    stateSymbol: state.symbol,
    keep: c.keep,
    keepName: keep ? keep.name : null,
    keepSymbol: keep ? keep.symbol : null,
    candidate: c.candidate,
    write: c.write,
    parts: c.parts,
    /** Gated kinds split their state into one part per word read (a plain RNN cannot). */
    memory: c.keep !== null,
    /** The symbol of a quantity in this kind (the GRU's candidate is n, not g). */
    symbol: (name) => (name === "candidate" && c.candidate ? c.candidate : (q[name]?.symbol ?? name)),
  };
}
const CELLS = Object.fromEntries(Object.keys(palette.cells).filter((k) => !k.startsWith("_"))
  .map((k) => [k, cellFacts(k)]));

/** Colours for labels that palette.json does not name (models with other label sets). */
const EXTRA_LABEL_COLORS = ["#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

const config = {
  quantities: palette.quantities,
  parts: palette.parts,
  kinds: palette.kinds,
  scales: palette.scales,
  /** The facts of one kind of cell (see cellFacts); an unknown kind reads as a plain RNN. */
  cell: (kind) => CELLS[kind] ?? cellFacts(kind),

  /** Player speeds: milliseconds each word stays on screen. */
  speeds: [
    { id: "slow", label: "slow", ms: 1400 },
    { id: "normal", label: "normal", ms: 700 },
    { id: "fast", label: "fast", ms: 250 },
    { id: "fastest", label: "fastest", ms: 40 },
  ],
  defaultSpeed: "normal",
  /** A "copied" or similar notice stays this long. */
  toastMs: 2200,
  /** Share of unknown tokens above which the page warns that the model sees mostly <unk>. */
  unknownWarnShare: 0.5,

  sizes: {
    font: 13,
    tickFont: 12,
    /** Word labels shrink down to this size before they are thinned (presenter mode: larger). */
    tickFontMin: 9,
    tickFontPresenterMin: 14,
    /** Up to this many words every word of a sentence is written on a word axis. */
    labelEveryWord: 60,
    /** A word label longer than this is shortened with "…". */
    longestLabel: 16,
    minViewHeight: 160,
    margin: { l: 70, r: 30, t: 34, b: 60 },
    selectedLineWidth: 3,
    lineWidth: 1.4,
  },

  colors: {
    text: "#1b1b1b",
    muted: "#6b6b6b",
    grid: "#e6e6e6",
    background: "#ffffff",
    current: "#000000",
    future: "rgba(255, 255, 255, 0.78)",
    selected: "#000000",
    unknown: "#9a9a9a",
    lane: "#7a8b99",
    /** The selected unit's frame and band in the charts. */
    selectedUnit: "#E69F00",
    selectedUnitBand: "rgba(230, 159, 0, 0.14)",
    /** Legend swatch of the veil over words still to come. */
    fadedSwatch: "#cccccc",
    note: "#999999",
    /** Reference lines: zero, the 50% line. */
    reference: "#999999",
    /** Text on a dark or a light colour-scale background. */
    inkOnLight: "#111111",
    inkOnDark: "#ffffff",
    outline: "#ffffff",
    /** The words' bands on the highway, in turn (pale Okabe-Ito tints), and the ones under a pixel. */
    bands: ["#9ecae1", "#fdbf80", "#a6dba0", "#d9b3cf", "#f6e58d", "#b3d4e8", "#f4b6a0", "#c7e9c0"],
    bandThin: "#d0d0d0",
  },

  /** Plotly's per-chart options: no logo, no edit links to outside sites, only useful buttons. */
  plotly: {
    displaylogo: false,
    responsive: false,
    showLink: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d", "toggleSpikelines"],
    toImageButtonOptions: { format: "png", scale: 2 },
  },
};

/** The colour of a label: palette.json's if it names it, otherwise a fixed colour-blind-safe pick. */
export function labelColor(label, index) {
  return palette.labels[label] ?? EXTRA_LABEL_COLORS[index % EXTRA_LABEL_COLORS.length];
}

export default config;
