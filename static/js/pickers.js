// The layer and direction pickers (lens.js): shown only for a model with something to pick — more
// than one layer, or a bidirectional one — so a one-way, one-layer model's page is unchanged.
// Every view follows the pick through the session; the URL keeps it (&layer=&direction=).

import { hasMemory } from "./derived.js";
import { hasChoices, lensNote } from "./lens.js";
import { bothWays } from "./views/prediction.js";

function option(value, label, selected) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  o.selected = selected;
  return o;
}

/**
 * Bind the pickers in `root` (an element holding a layer and a direction <select>) and the
 * explanation line `note` to `session`. onPick() is called after the views have followed a pick.
 * Returns update(store), to call when a trace begins or the lens changes.
 */
export function bindLensPickers(session, { root, note, onPick = () => {} }) {
  const layer = root.querySelector("#layer");
  const direction = root.querySelector("#direction");
  layer.addEventListener("change", () => {
    session.setLens({ layer: Number(layer.value) });
    onPick();
  });
  direction.addEventListener("change", () => {
    session.setLens({ direction: direction.value });
    onPick();
  });
  // Called when a trace begins, the lens changes or another view opens.
  return function update(store) {
    const model = store.meta?.model;
    root.hidden = !hasChoices(model);
    note.textContent = model ? lensNote(model, store.lens, session.current, bothWays(model)) : "";
    note.hidden = !note.textContent;
    if (!hasChoices(model)) return;
    const L = model.num_layers;
    layer.parentElement.hidden = L < 2;
    layer.replaceChildren(...Array.from({ length: L }, (_, k) => option(String(k),
      `${k + 1}${k === L - 1 ? " (top)" : ""}`, k === store.lens.layer)));
    direction.parentElement.hidden = !model.bidirectional;
    direction.replaceChildren(
      option("forward", "forward →", store.lens.direction === "forward"),
      option("reverse", "backward ←", store.lens.direction === "reverse"),
      // Two roads need the per-word decomposition (a plain RNN has none).
      ...(hasMemory(model.kind) ? [option("both", "both ⇄ (highway)", store.lens.direction === "both")] : []));
  };
}
