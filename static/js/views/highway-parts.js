// The highway's "at this word" panel: for every lane, what the keep valve kept of the old value,
// what it erased and what was written in (state = kept + written), beside the lanes plot.
import { stateOf, stateParts } from "../derived.js";
import { before } from "../lens.js";
import { fmt, fonts, topLayer } from "./common.js";

const PARTS = ["erased", "kept", "written"];

export default class PartsPanel {
  /** hw: the Highway view (its lanes plot, kind, size and scale); el: the element to draw into. */
  constructor(hw, el) {
    this.hw = hw;
    this.el = el;
    this.partsSvg = null;
  }

  /** The lanes' axis moved: line the panel up again on the next draw. */
  invalidate() {
    this.partsSvg = null;
  }

  values(t) {
    const { steps } = this.hw.ctx.store;
    const layer = topLayer(steps[t]);
    const prev = before(this.hw.ctx.store, t);
    if (!this.hw.facts.memory) {
      return { before: prev ? [...topLayer(prev).hidden] : new Array(this.hw.H).fill(0), now: [...layer.hidden] };
    }
    const parts = stateParts(this.hw.kind, layer, prev ? topLayer(prev) : null);
    return { erased: [...parts.erased], kept: [...parts.kept], written: [...parts.written],
             now: [...stateOf(this.hw.kind, layer)] };
  }

  // The "at this word" panel is plain SVG, not Plotly: it changes on every word, and moving 130
  // rectangles costs well under a millisecond where a Plotly restyle of the same picture costs ~20.
  // Its lanes line up with the lanes plot's y axis; every bar has its exact value as a tooltip.
  build() {
    const { config } = this.hw.ctx;
    const NS = "http://www.w3.org/2000/svg";
    const el = (tag, attrs = {}) => {
      const n = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
      return n;
    };
    const ya = this.hw.lanes._fullLayout.yaxis;
    const height = this.hw.lanes._fullLayout.height;
    const width = Math.max(this.el.clientWidth, 160);
    const svg = el("svg", { width, height, class: "parts", role: "img",
                            "aria-label": "What the current word kept, erased and wrote, lane by lane" });
    this.partsScale = { left: 10, right: width - 14, top: ya._offset, ya };
    const names = !this.hw.facts.memory ? ["before"] : PARTS;
    const colors = !this.hw.facts.memory ? { before: config.colors.unknown }
      : Object.fromEntries(PARTS.map((p) => [p, config.parts[p].color]));
    const laneH = Math.abs(ya.l2p(1) - ya.l2p(0));
    const barH = !this.hw.facts.memory ? laneH * 0.5 : laneH * 0.26;
    this.zero = el("line", { stroke: config.colors.reference, "stroke-width": 1 });
    this.selBand = el("rect", { fill: config.colors.selectedUnitBand, height: laneH });
    svg.append(this.selBand, this.zero);
    this.bars = [];
    this.marks = [];
    for (let u = 0; u < this.hw.H; u++) {
      const yMid = ya._offset + ya.l2p(u);
      names.forEach((name, k) => {
        const off = !this.hw.facts.memory ? 0 : (k - 1) * barH;
        const r = el("rect", { y: yMid + off - barH / 2, height: Math.max(barH - 0.5, 1), fill: colors[name] });
        r.dataset.part = name;
        r.dataset.unit = String(u);
        const title = el("title");
        r.append(title);
        r.addEventListener("click", () => this.hw.ctx.selectUnit(u));
        svg.append(r);
        this.bars.push({ r, title, name, u });
      });
      const m = el("path", { fill: config.colors.current, stroke: config.colors.outline, "stroke-width": 1 });
      m.dataset.part = "now";
      m.dataset.unit = String(u);
      const title = el("title");
      m.append(title);
      m.addEventListener("click", () => this.hw.ctx.selectUnit(u));
      svg.append(m);
      this.marks.push({ m, title, u, y: yMid, s: Math.min(laneH * 0.42, 6) });
    }
    this.axisText = [el("text", { "text-anchor": "start" }), el("text", { "text-anchor": "middle" }),
                     el("text", { "text-anchor": "end" }), el("text", { "text-anchor": "middle" })];
    const base = ya._offset + ya._length;
    this.axisText.forEach((n, k) => {
      n.setAttribute("y", String(base + (k === 3 ? 36 : 16)));
      n.setAttribute("font-size", String(fonts(config).tick));
      n.setAttribute("fill", config.colors.text);
      svg.append(n);
    });
    this.axisText[3].textContent = !this.hw.facts.memory ? "before → after" : "at this word";
    this.el.replaceChildren(svg);
    this.partsSvg = { svg, base, width };
  }

  draw(t) {
    const { store } = this.hw.ctx;
    if (!this.partsSvg) this.build();
    const { left, right, ya } = this.partsScale;
    // The same clipping as the lanes: a bar longer than the axis ends at its edge.
    const m = Math.max(this.hw.robustScale(), this.hw.facts.state === "cell" ? 1 : 0.05) * 1.1;
    const X = (v) => left + ((Math.max(-m, Math.min(m, v)) + m) / (2 * m)) * (right - left);
    const x0 = X(0);
    this.zero.setAttribute("x1", x0);
    this.zero.setAttribute("x2", x0);
    this.zero.setAttribute("y1", ya._offset);
    this.zero.setAttribute("y2", ya._offset + ya._length);
    const laneH = Math.abs(ya.l2p(1) - ya.l2p(0));
    this.selBand.setAttribute("x", 0);
    this.selBand.setAttribute("width", this.partsSvg.width);
    this.selBand.setAttribute("y", ya._offset + ya.l2p(store.unit) - laneH / 2);
    const [a, b, c, d] = this.axisText;
    a.setAttribute("x", left); a.textContent = fmt(-m, 1);
    b.setAttribute("x", x0); b.textContent = "0";
    c.setAttribute("x", right); c.textContent = fmt(m, 1);
    d.setAttribute("x", (left + right) / 2);
    const values = this.values(t);
    const step = store.steps[t];
    const word = `word ${t + 1} “${step.token}”`;
    const f = this.hw.formula;
    for (const { r, title, name, u } of this.bars) {
      const v = values[name][u];
      const x1 = X(v);
      r.setAttribute("x", Math.min(x0, x1));
      r.setAttribute("width", Math.max(Math.abs(x1 - x0), 0.5));
      r.dataset.value = String(v);
      title.textContent = `unit ${u} · ${word} · ${name} ${f[name] ?? ""} = ${fmt(v)}`;
    }
    for (const { m: mark, title, u, y, s } of this.marks) {
      const v = values.now[u];
      const x = X(v);
      mark.setAttribute("d", `M${x} ${y - s}L${x + s} ${y}L${x} ${y + s}L${x - s} ${y}Z`);
      mark.dataset.value = String(v);
      title.textContent = !this.hw.facts.memory ? `unit ${u} · after ${word} · h = ${fmt(v)}`
        : `unit ${u} · ${word} · new ${f.now} = kept + written = ${fmt(v)}`;
    }
  }
}

/** The highway's caption at word t: what the keep valve kept, and the words that hold most now. */
export function captionOf(hw, t) {
  const { store } = hw.ctx;
  const step = store.steps[t];
  const head = `Word ${t + 1} of ${store.total}: “${step.token}”${step.known ? "" : " (unknown to the model)"}. `;
  const v = hw.panel.values(t);
  const sum = (a) => a.reduce((s, x) => s + Math.abs(x), 0);
  if (!hw.facts.memory) {
    const moved = v.now.reduce((s, x, u) => s + Math.abs(x - v.before[u]), 0);
    return head + `No gates: every lane is recomputed. The state moved by ${fmt(moved, 2)} in all `
      + `(it held ${fmt(sum(v.before), 2)}).`;
  }
  const kept = sum(v.kept);
  const erased = sum(v.erased);
  let top = 0;
  v.written.forEach((x, u) => { if (Math.abs(x) > Math.abs(v.written[top])) top = u; });
  const wrote = `This word wrote most into unit ${top} (${fmt(v.written[top], 2)}).`;
  // The first word finds an empty memory: there is nothing to keep or erase yet.
  if (t === 0 || kept + erased === 0) return head + `The memory starts empty, so nothing is kept or erased. ${wrote}`;
  const share = Math.round((100 * kept) / (kept + erased));
  return head + `The ${hw.facts.keepName} kept ${share}% of the old memory and erased ${100 - share}%. `
    + `${wrote} ${heldText(hw, t)}`;
}

/** The words that hold most of the memory now, from the ledger. */
function heldText(hw, t) {
  const { ledger } = hw.ctx.store;
  if (!ledger) return "";
  const share = ledger.share(t);
  const order = [...share.keys()].sort((a, b) => share[b] - share[a]).slice(0, 3);
  const words = hw.ctx.store.words;
  return `Most held now: ${order.map((s) => `“${words[s] ?? hw.meta.tokens[s]}” ${Math.round(100 * share[s])}%`).join(", ")}.`;
}
