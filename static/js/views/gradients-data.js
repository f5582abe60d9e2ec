// What the Gradients view asks the server for: POST /api/connectivity (exact gradients through time,
// app/core/gradients.py) for one model of each kind, and the committed memory-span measure
// (static/memory_span.json, written by `python -m app.train.memory_span`).
import { refused } from "../stream.js";

export const KINDS = ["lstm", "gru", "rnn"];

/** One model per kind: the current one for its own kind, else the plainly named one (as Compare).
 *  Exact gradients are for one-way models (the server refuses a bidirectional one), so a bidirectional
 *  current model is stood in for by a one-way model of its kind. */
export function pickModels(models, current) {
  return KINDS.map((kind) => {
    if (current.kind === kind && !current.bidirectional) return current;
    const same = models.filter((m) => m.kind === kind && !m.bidirectional);
    return same.find((m) => m.name === kind)
      ?? same.find((m) => m.hidden_size === current.hidden_size) ?? same[0] ?? null;
  }).filter(Boolean);
}

const cache = new Map();

/**
 * The gradients of `text` read by `model` for `label` (and the what-if's clamp, if any), cached for
 * the page's lifetime: {tokens, label, label_probs, connectivity [T][T], jacobian_norms [T],
 * product_norms [T], ...} — every number to 4 significant digits, as the API sends them.
 */
export function fetchConnectivity({ text, model, label, clamp }) {
  const body = { text, model, label };
  if (clamp && clamp.length) body.clamp = clamp;
  const key = JSON.stringify(body);
  if (!cache.has(key)) {
    const p = (async () => {
      const res = await fetch("/api/connectivity", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: key,
      });
      if (!res.ok) throw await refused(res);
      return res.json();
    })();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return cache.get(key);
}

let span = null;
/** static/memory_span.json, read once. */
export function memorySpan() {
  span ??= fetch("/static/memory_span.json").then((r) => {
    if (!r.ok) throw new Error(`memory_span.json: ${r.status}`);
    return r.json();
  });
  return span;
}

/** The text of "opening + k neutral words", to open on the page. */
export function spanText(data, opening, k) {
  return [opening, ...data.neutral_tokens.slice(0, k)].join(" ");
}

/** The label the model predicts at the last word: the one all three requests share. */
export function lastLabel(steps, labels) {
  const probs = steps[steps.length - 1].probs;
  return labels.reduce((best, l) => (probs[l] > probs[best] ? l : best), labels[0]);
}
