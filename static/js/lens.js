// Which part of a model the views follow: one layer (a stacked model has several) and one direction
// (a bidirectional model has a forward reader, words 0 … t, and a backward one, words T−1 … t).
// The session projects every step of the trace onto that layer and direction (`project`), so a view
// that reads `topLayer(step)` follows the pickers without knowing about them; what a view must know is
// which word a reader read just before t (`before`) and which words it has read (`readRange`).
//
// Direction "both" (a bidirectional model's highway as two roads) projects onto the forward reader.
// A one-way, one-layer model has nothing to pick: its lens is { layer: 0, direction: "forward" } and
// no picker is shown.

import { MemoryLedger } from "./derived.js";

/** The lens `wanted` made valid for `model` (a trace's model block): the top layer, forward, by default. */
export function lensFor(model, wanted = {}) {
  const top = Math.max(0, (model?.num_layers ?? 1) - 1);
  const layer = Number.isInteger(wanted.layer) && wanted.layer >= 0 && wanted.layer <= top ? wanted.layer : top;
  // "both": the highway as two roads (views/highway-roads.js); the other views follow the forward reader.
  const direction = model?.bidirectional && ["reverse", "both"].includes(wanted.direction) ? wanted.direction : "forward";
  return { layer, direction };
}

/** Whether a model has anything to pick (more than one layer, or two directions). */
export function hasChoices(model) {
  return Boolean(model) && ((model.num_layers ?? 1) > 1 || Boolean(model.bidirectional));
}

/** One step of the trace seen through the lens: `layers` holds the one layer-direction followed. */
export function project(step, lens) {
  const layer = step.layers[Math.min(lens.layer, step.layers.length - 1)];
  const chosen = lens.direction === "reverse" ? layer.reverse : layer;
  return { ...step, layers: [chosen] };
}

/** The step the followed reader read just before word t (null at its first word). */
export function before(store, t) {
  const back = store.lens?.direction === "reverse";
  const k = back ? t + 1 : t - 1;
  return k >= 0 && k < store.steps.length ? store.steps[k] : null;
}

/** The words the followed reader has read at word t: [first, last], inclusive. */
export function readRange(store, t) {
  return store.lens?.direction === "reverse" ? [t, Math.max(t, store.total - 1)] : [0, t];
}

/**
 * The memory ledger of the backward reader, indexed by word: it reads words T−1 … 0, so at word t it
 * holds the words t … T−1 ("still remembered" are the words after t). Built once the whole trace has
 * arrived (the backward reader's first word is the last one). Arrays are T long; words before t are 0.
 */
export class BackwardLedger {
  constructor(kind, layers) {
    this.inner = new MemoryLedger(kind);
    for (let k = layers.length - 1; k >= 0; k--) this.inner.push(layers[k]);
    this.T = layers.length;
    this.written = Float64Array.from({ length: this.T }, (_, s) => this.inner.written[this.T - 1 - s]);
  }

  get length() { return this.T; }

  flip(row) {
    const out = new Float64Array(this.T);
    for (let j = 0; j < row.length; j++) out[this.T - 1 - j] = row[j];
    return out;
  }

  retention(t) { return this.flip(this.inner.retention(this.T - 1 - t)); }

  contributions(t, u) { return this.flip(this.inner.contributions(this.T - 1 - t, u)); }

  share(t) { return this.flip(this.inner.share(this.T - 1 - t)); }
}

/** The explanation panel's note: what the followed reader knows at each word (`view`: the open view;
 *  the prediction view of a bidirectional model says what its answer at a word means instead). */
export function lensNote(model, lens, view = "", bothWays = "") {
  if (!hasChoices(model)) return "";
  if (view === "prediction" && model.bidirectional) return bothWays;
  const parts = [];
  if ((model.num_layers ?? 1) > 1) {
    const top = lens.layer === model.num_layers - 1;
    parts.push(`Showing layer ${lens.layer + 1} of ${model.num_layers}`
      + (lens.layer === 0 ? ", which reads the words' embeddings" : `, which reads layer ${lens.layer}'s states`)
      + (top ? " (the top layer: the one the answer is read from)." : "."));
  }
  if (model.bidirectional && lens.direction === "both") {
    parts.push(view === "highway"
      ? "Both readers: the forward road (top) carries the words up to here, the backward road (below) the "
        + "words from the end back to here; the answer at a word reads both roads where they meet."
      : "Both readers are on the highway as two roads; this view follows the forward reader.");
  } else if (model.bidirectional) {
    parts.push(lens.direction === "reverse"
      ? "The backward reader: it read the sentence from the last word back to this one, so at each word "
        + "it knows this word and every word after it, and nothing before. Its memory runs right to left: "
        + "the words it still remembers are the ones after the current word (in the equations, ₋₁ is "
        + "the word it read before this one: the next word of the sentence)."
      : "The forward reader: at each word it knows this word and every word before it, as a one-way "
        + "model does. The backward reader (pick it above) knows the words after it.");
  }
  return parts.join(" ");
}
