// The Gradients view's Plotly figures, built from the API's numbers as they are (4 significant
// digits): the reach of the current word and the chain of Jacobian factors (one word axis), the
// T × T map and the memory span, and the squashing figure of the explanation panel.
import { squashing } from "../squashing.js";
import { baseLayout, esc, fonts } from "./common.js";

const DASH = ["solid", "dash"];
const title = (text, y, x = 0) => ({ xref: "paper", yref: "paper", x, y, xanchor: "left", yanchor: "bottom",
                                     showarrow: false, text: `<b>${text}</b>` });

/** Positive values' log10 range over every s ≤ t of every model, padded: a y range that stays put. */
export function logRange(grads) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const g of grads) {
    g.connectivity.forEach((row, t) => {
      for (let s = 0; s <= t; s++) {
        if (row[s] > 0) { lo = Math.min(lo, row[s]); hi = Math.max(hi, row[s]); }
      }
    });
    for (const v of g.product_norms.concat(g.jacobian_norms)) if (v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (!Number.isFinite(lo)) return [-3, 1];
  return [Math.floor(Math.log10(lo) - 0.2), Math.ceil(Math.log10(hi) + 0.2)];
}

/** Row t of one model's map: the earlier words s = 0 … t, with the word and the distance back. */
export function reachRow(g, t, words) {
  const row = g.connectivity[t] ?? [];
  const x = [...Array(t + 1).keys()];
  return { x, y: x.map((s) => row[s]), customdata: x.map((s) => [esc(words[s] ?? ""), t - s]) };
}

/** Left: the reach at the current word (top) and the chain of factors and their product (bottom). */
export function reachFigure({ grads, names, t, words, label, axis, height, width, config }) {
  const data = [];
  const dots = words.length > 80 ? 0 : 6; // past 80 words the dots would hide the lines
  grads.forEach((g, k) => {
    const color = config.kinds[g.model.kind];
    data.push({ type: "scatter", mode: "lines+markers", name: names[k], ...reachRow(g, t, words),
                line: { color, width: 3 }, marker: { size: dots, color }, yaxis: "y",
                hovertemplate: `${esc(names[k])}: from “%{customdata[0]}”, %{customdata[1]} words back<br>`
                  + `‖∂ log p(${esc(label)}) / ∂ e‖ = %{y:.4g}<extra></extra>` });
  });
  grads.forEach((g, k) => {
    const color = config.kinds[g.model.kind];
    const x = g.jacobian_norms.map((_, s) => s);
    const cd = x.map((s) => esc(words[s] ?? ""));
    data.push({ type: "scatter", mode: "markers", name: `${names[k]} factor`, x: x.slice(1),
                y: g.jacobian_norms.slice(1), customdata: cd.slice(1), yaxis: "y2",
                marker: { symbol: "circle-open", size: dots ? 8 : 3, color, line: { width: dots ? 2 : 1, color } },
                hovertemplate: `${esc(names[k])} at “%{customdata}”: factor ‖∂S_t/∂S_t−1‖ = %{y:.4g}<extra></extra>` });
    data.push({ type: "scatter", mode: "lines", name: `${names[k]} product`, x, y: g.product_norms,
                customdata: cd, yaxis: "y2", line: { color, width: 3 },
                hovertemplate: `${esc(names[k])} at “%{customdata}”: product ‖∂S_t/∂S_0‖ = %{y:.4g}<extra></extra>` });
  });
  const range = logRange(grads);
  const dtick = Math.max(1, Math.ceil((range[1] - range[0]) / 6));
  const m = config.sizes.margin;
  const T = words.length;
  return {
    data,
    layout: {
      ...baseLayout(config),
      height, width,
      margin: { ...m, t: 26, b: axis.bottom, l: Math.max(m.l, axis.left + 4), r: Math.max(12, axis.right + 4) },
      xaxis: { anchor: "y2", range: [-0.5, Math.max(T - 0.5, 0.5)], ...axis.axis, fixedrange: true, showgrid: false },
      yaxis: { domain: [0.5, 1], type: "log", range, dtick, exponentformat: "power", fixedrange: true,
               gridcolor: config.colors.grid },
      yaxis2: { domain: [0, 0.36], type: "log", range, dtick, exponentformat: "power", fixedrange: true,
                gridcolor: config.colors.grid },
      annotations: [
        title(`each earlier word's pull on log p(${esc(label)}) at the current word`, 1),
        title("chain: factors ‖∂S_t/∂S_t−1‖ (rings), product from word 1 (line)", 0.36),
      ],
      shapes: reachShapes(t, T, config),
      hovermode: "closest",
    },
  };
}

export function reachShapes(t, T, config) {
  return [
    { type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 1, line: { color: config.colors.current, width: 2 } },
    { type: "rect", xref: "x", yref: "paper", x0: t + 0.5, x1: Math.max(T - 0.5, t + 0.5), y0: 0.5, y1: 1,
      fillcolor: config.colors.future, line: { width: 0 }, layer: "above" },
    { type: "line", xref: "paper", yref: "y2", x0: 0, x1: 1, y0: 1, y1: 1,
      line: { color: config.colors.reference, width: 1, dash: "dot" } },
  ];
}

/** Right: the T × T map of the chosen model (log colour) and the memory span of the shipped models. */
export function mapFigure({ g, name, words, span, t, height, width, config }) {
  const T = words.length;
  const z = g.connectivity.map((row, r) => row.map((v, s) => (s <= r && v > 0 ? Math.log10(v) : null)));
  // Past 200 words a hover text per cell (T² strings) would cost more than the map: numbers only.
  const named = T <= 200;
  const text = named ? g.connectivity.map((row, r) => row.map((v, s) => (s <= r
    ? `at “${esc(words[r])}” from “${esc(words[s])}”: ${Number(v).toPrecision(4)}` : ""))) : undefined;
  const tick = fonts(config).tick;
  const data = [{ type: "heatmap", z, text, colorscale: "Viridis", xaxis: "x", yaxis: "y", hoverongaps: false,
                  colorbar: { thickness: 10, len: 0.5, y: 1, yanchor: "top", x: 1, title: { text: "log₁₀", side: "top" },
                              tickfont: { size: tick } },
                  customdata: named ? undefined : g.connectivity,
                  hovertemplate: named ? "%{text}<extra></extra>"
                    : "at word index %{y} from %{x}: %{customdata:.4g}<extra></extra>" }];
  Object.entries(span.models).forEach(([mname, m]) => {
    Object.entries(m.openings).forEach(([opening, curve], k) => {
      data.push({ type: "scatter", mode: "lines", x: span.k, y: curve.prob, xaxis: "x2", yaxis: "y2",
                  name: `${mname}: ${opening}`, customdata: span.k.map(() => [mname, opening]),
                  line: { color: config.kinds[m.kind] ?? config.colors.lane, width: 2.5, dash: DASH[k % 2] },
                  hovertemplate: `${esc(mname)}: “${esc(opening)}” + %{x} neutral words → p(${esc(curve.label)}) = `
                    + "%{y:.4g}<br>click to open this text<extra></extra>" });
    });
  });
  return {
    data,
    layout: {
      ...baseLayout(config),
      height, width,
      margin: { l: 58, r: 44, t: 26, b: 42 },
      xaxis: { domain: [0, 0.92], range: [-0.5, T - 0.5], showticklabels: false, fixedrange: true,
               title: { text: "earlier word s →", standoff: 2, font: { size: tick } }, anchor: "y" },
      yaxis: { domain: [0.5, 1], range: [T - 0.5, -0.5], showticklabels: false, fixedrange: true,
               title: { text: "word t ↓", standoff: 2, font: { size: tick } } },
      xaxis2: { anchor: "y2", domain: [0, 1], range: [0, span.k[span.k.length - 1]], fixedrange: true,
                title: { text: "k neutral words after the opening", standoff: 4, font: { size: tick } } },
      yaxis2: { domain: [0, 0.3], range: [0, 1.02], tickformat: ".0%", fixedrange: true, gridcolor: config.colors.grid },
      annotations: [title(`the map of ${esc(name)}: row t, column s`, 1),
                    title("memory span: p(the opening's label)", 0.3)],
      shapes: mapShapes(t, T, config),
      hovermode: "closest",
    },
  };
}

export function mapShapes(t, T, config) {
  return [
    { type: "rect", xref: "x", yref: "y", x0: -0.5, x1: t + 0.5, y0: t - 0.5, y1: t + 0.5,
      line: { color: config.colors.selectedUnit, width: 2 } },
    { type: "line", xref: "x2", yref: "y2", x0: 0, x1: 100, y0: 0.5, y1: 0.5,
      line: { color: config.colors.reference, width: 1, dash: "dot" } },
  ];
}

/** The explanation panel's figure: ×3 again and again, through tanh, through a sigmoid gate. */
export function drawSquashing(box, config) {
  const d = squashing();
  const p = document.createElement("p");
  p.className = "small";
  p.textContent = `Why tanh and σ: start at ${d.multiplied[0]} and multiply by ${d.weight} at every step — `
    + `after ${d.step.length - 1} steps it is ${d.multiplied[d.multiplied.length - 1].toLocaleString("en")}. `
    + `Through tanh it stays in [−1, 1] (${d.tanh[d.tanh.length - 1].toFixed(4)}); a sigmoid gate `
    + `multiplies by σ(2.2) = ${d.gate.toFixed(4)}, so what it keeps only shrinks, slowly.`;
  const plot = document.createElement("div");
  plot.id = "squashing-plot";
  box.append(p, plot);
  const series = [["multiplied", `×${d.weight}`, config.quantities.forget?.color ?? "#D55E00"],
                  ["tanh", `tanh(×${d.weight})`, config.kinds.lstm], ["gated", `× σ = ${d.gate.toFixed(2)}`, "#009E73"]];
  const data = series.map(([key, name, color]) => ({
    type: "scatter", mode: "lines+markers", name, x: d.step, y: d[key], line: { color, width: 2 },
    marker: { size: 4 }, hovertemplate: `${name}, step %{x}: %{y:.6g}<extra></extra>`,
  }));
  Plotly.newPlot(plot, data, {
    ...baseLayout(config), height: 190, margin: { l: 44, r: 8, t: 8, b: 30 }, showlegend: true,
    legend: { orientation: "h", y: -0.25, font: { size: 11 } },
    xaxis: { title: { text: "step", standoff: 0 }, fixedrange: true },
    yaxis: { type: "log", exponentformat: "power", fixedrange: true, gridcolor: config.colors.grid },
  }, config.plotly);
}
