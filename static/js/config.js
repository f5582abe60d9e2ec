// Every colour, size, duration and word of the page in one module (after poloclub/cnn-explainer):
// names, symbols and colours come from static/palette.json, which the Python figures read too, so a
// forget gate is the same orange in a notebook export and on the page.
import palette from "../palette.json" with { type: "json" };

/** The gates of each kind, in the order the views draw them (the state-changing valve first). */
const GATES = {
  lstm: ["forget", "input", "output"],
  gru: ["update", "reset"],
  rnn: [],
};

/** Which vector is "the highway" (the memory that flows along the words) for each kind. */
const STATE = { lstm: "cell", gru: "hidden", rnn: "hidden" };

/** The gate that decides how much of the old state is kept, and its plain name. */
const KEEP = { lstm: "forget", gru: "update" };

/** Colours for labels that palette.json does not name (models with other label sets). */
const EXTRA_LABEL_COLORS = ["#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

const config = {
  palette,
  quantities: palette.quantities,
  parts: palette.parts,
  kinds: palette.kinds,
  scales: palette.scales,
  gates: GATES,
  state: STATE,
  keep: KEEP,

  /** Player speeds: milliseconds each word stays on screen. */
  speeds: [
    { id: "slow", label: "slow", ms: 1400 },
    { id: "normal", label: "normal", ms: 700 },
    { id: "fast", label: "fast", ms: 250 },
    { id: "fastest", label: "fastest", ms: 40 },
  ],
  defaultSpeed: "normal",
  /** Pause this long on the last word before a replay can start again from the top. */
  endHoldMs: 0,
  /** A "copied" or similar notice stays this long. */
  toastMs: 2200,
  /** Redraws of a chart are coalesced to at most one per animation frame. */

  /** Share of unknown tokens above which the page warns that the model sees mostly <unk>. */
  unknownWarnShare: 0.5,

  sizes: {
    font: 13,
    fontPresenter: 20,
    tickFont: 11,
    tickFontPresenter: 16,
    /** Leave about this many pixels per word label on a time axis before thinning labels. */
    pxPerWordLabel: 34,
    minViewHeight: 420,
    margin: { l: 70, r: 30, t: 34, b: 60 },
    laneHeight: 22,
    selectedLineWidth: 3,
    lineWidth: 1.4,
    markerSize: 8,
  },

  colors: {
    text: "#1b1b1b",
    muted: "#6b6b6b",
    grid: "#e6e6e6",
    background: "#ffffff",
    panel: "#fafafa",
    current: "#000000",
    currentBand: "rgba(0, 0, 0, 0.07)",
    future: "rgba(255, 255, 255, 0.78)",
    selected: "#000000",
    unknown: "#9a9a9a",
    lane: "#7a8b99",
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
