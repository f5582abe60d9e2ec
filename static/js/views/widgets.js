// Small widgets several views share: make() for HTML/SVG elements, and the UnitStrip (one button
// per unit, coloured by a value of that unit; clicking selects the unit everywhere).
import { inkOn, scaleColor } from "../colors.js";

/** Create an element (HTML, or SVG when ns is given), set attributes, append it to parent. */
export function make(tag, attrs = {}, parent = null, ns = null) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k === "cls") node.setAttribute("class", v);
    else node.setAttribute(k, v);
  }
  if (parent) parent.appendChild(node);
  return node;
}

/**
 * A row of small buttons, one per unit, coloured by a value of that unit; clicking one selects the
 * unit everywhere (ctx.selectUnit). Used by the cell and memory views.
 */
export class UnitStrip {
  constructor(parent, ctx, label) {
    this.ctx = ctx;
    this.root = make("div", { cls: "gs-unitstrip", role: "group", "aria-label": label }, parent);
    make("span", { cls: "gs-unitstrip-label", text: label }, this.root);
    this.row = make("span", { cls: "gs-unitstrip-row" }, this.root);
    this.buttons = [];
  }

  draw(H) {
    this.row.replaceChildren();
    this.buttons = [];
    for (let u = 0; u < H; u++) {
      const b = make("button", { type: "button", cls: "gs-unit", "data-unit": String(u),
        "aria-label": `unit ${u}`, text: H <= 8 ? String(u) : "" }, this.row);
      b.addEventListener("click", () => this.ctx.selectUnit(u));
      this.buttons.push(b);
    }
  }

  /** Colour each unit by values[u] on scale over [lo, hi]; describe(u, v) is its hover text. */
  update(values, scale, lo, hi, describe) {
    this.buttons.forEach((b, u) => {
      const v = values ? values[u] : null;
      b.style.background = v === null ? "" : scaleColor(scale, v, lo, hi);
      b.style.color = v === null ? "" : inkOn(scale, v, lo, hi);
      b.title = v === null ? `unit ${u}` : describe(u, v);
    });
  }

  select(u) {
    this.buttons.forEach((b, k) => b.setAttribute("aria-pressed", String(k === u)));
  }
}
