// Small pieces of page chrome: the message box, the toast and the selected unit's read-out. All
// text goes in through textContent: nothing a user typed is ever parsed as HTML.

import { fmt, topLayer } from "./views/common.js";

/** Show a PageError (message + what to do) in the message box, or hide the box for null. */
export function showMessage(box, err) {
  if (!err) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.dataset.kind = err.kind || "error";
  // The server's details end without a full stop ("…: shorten it"); the hint is a new sentence.
  const message = String(err.message ?? "");
  box.querySelector(".message-title").textContent = /[.!?…]$/.test(message.trim()) || !err.hint
    ? message : `${message}.`;
  box.querySelector(".message-hint").textContent = err.hint || "";
  box.querySelector(".message-close").onclick = () => { box.hidden = true; };
}

let toastTimer = 0;
/** A short notice that goes away by itself. */
export function toast(box, text, ms) {
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, ms);
}

/** The selected unit's every value at the current step, with the palette's names and symbols. */
export function unitReadout(root, store, config) {
  const step = store.steps[store.t];
  const picker = document.getElementById("unit");
  if (!step || !store.meta) {
    root.replaceChildren();
    return;
  }
  const H = store.meta.model.hidden_size;
  picker.max = String(H - 1);
  if (document.activeElement !== picker) picker.value = String(store.unit);
  const layer = topLayer(step);
  const rows = [];
  for (const [name, values] of Object.entries(layer.gates)) rows.push([name, values]);
  if (layer.candidate) rows.push(["candidate", layer.candidate]);
  if (layer.cell) rows.push(["cell", layer.cell]);
  rows.push(["hidden", layer.hidden]);
  const u = store.unit;
  root.replaceChildren(...rows.map(([name, values]) => {
    const q = config.quantities[name] ?? { symbol: name, name, color: config.colors.text };
    const tr = document.createElement("tr");
    const sym = document.createElement("th");
    sym.scope = "row";
    const dot = document.createElement("span");
    dot.className = "dot";
    dot.style.background = q.color;
    const symbol = config.cell(store.meta.model.kind).symbol(name);
    sym.append(dot, document.createTextNode(` ${symbol}`));
    const label = document.createElement("td");
    label.textContent = q.name;
    const value = document.createElement("td");
    value.className = "num";
    value.textContent = fmt(values[u]);
    value.dataset.quantity = name;
    tr.append(sym, label, value);
    return tr;
  }));
}
