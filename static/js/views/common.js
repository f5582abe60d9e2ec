// Small helpers every chart view shares: safe text for Plotly, numbers, the word axis, the base
// layout and a redraw that waits for the view to be visible. Views stay free to ignore them.

/**
 * Plotly reads a few HTML-like tags (<b>, <br>, <a>, <span style>) in any text it draws, so a word
 * the user typed must have <, > and & escaped before it reaches a label; Plotly shows the entities
 * back as the characters themselves.
 */
export function esc(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A value as the page shows it everywhere: four decimals, a true minus sign. */
export function fmt(x, digits = 4) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  const s = Number(x).toFixed(digits);
  return s.startsWith("-") ? "\u2212" + s.slice(1) : s;
}

/** The layer every view follows: the top one (the one the prediction head reads). */
export function topLayer(step) {
  return step.layers[step.layers.length - 1];
}

/** A word in quotes for a caption or hover; unknown words say they were read as <unk>. */
export function wordLabel(step) {
  return step.known ? `“${step.token}”` : `“${step.token}” (unknown: read as <unk>)`;
}

/** True when the page is in presenter mode (large type for the back of the room). */
export function presenting() {
  return document.body.classList.contains("presenter");
}

const CHART_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/** Font sizes for the current mode: presenter mode grows with the screen (16 px ticks at 1920 wide). */
export function fonts(config) {
  if (!presenting()) return { size: config.sizes.font, tick: config.sizes.tickFont };
  const w = window.innerWidth;
  const tick = Math.round(Math.min(22, Math.max(config.sizes.tickFontPresenterMin, w / 120)));
  return { size: Math.round(tick * 1.25), tick };
}

let measurer = null;
/** The width in px of `text` in the charts' font at `size` px. */
function textWidth(text, size) {
  measurer ??= document.createElement("canvas").getContext("2d");
  measurer.font = `${size}px ${CHART_FONT}`;
  return measurer.measureText(text).width;
}

/** Which steps moved the prediction most: |change of any label's probability| at each word. */
function swing(steps) {
  return steps.map((s, t) => {
    if (!t || !s.probs || !steps[t - 1].probs) return 0;
    let m = 0;
    for (const [label, p] of Object.entries(s.probs)) m = Math.max(m, Math.abs(p - steps[t - 1].probs[label]));
    return m;
  });
}

/**
 * The word axis of a chart `widthPx` wide: every word is written up to `config.sizes.labelEveryWord`
 * words — flat, flat in two staggered rows, or upright, in smaller type if need be, never skipping.
 * Past that the labels are thinned, always keeping the first, the last, the current word `t` and
 * the words that moved the prediction most. Unknown words are grey with a "?". Returns `axis`
 * (Plotly xaxis fields) and the margins the labels need so none is cut: bottom, left, right.
 */
export function wordAxis(store, widthPx, config, t = 0) {
  const steps = store.steps;
  const tokens = store.words ?? store.meta.tokens;
  const T = tokens.length;
  const big = presenting();
  const base = fonts(config).tick;
  const smallest = big ? config.sizes.tickFontPresenterMin : config.sizes.tickFontMin;
  const labels = tokens.map((tok, s) => {
    const word = tok.length > config.sizes.longestLabel ? tok.slice(0, config.sizes.longestLabel - 1) + "…" : tok;
    return steps[s] && !steps[s].known ? `${word}?` : word;
  });
  const per = widthPx / Math.max(T, 1);
  const gap = 6;
  const fits = (size, k) => labels.every((l, s) => s + k >= T
    || (textWidth(l, size) + textWidth(labels[s + k], size)) / 2 + gap <= k * per);
  let layout = null;
  if (T <= config.sizes.labelEveryWord) {
    for (let size = base; size >= smallest && !layout; size -= 1) {
      if (fits(size, 1)) layout = { size, angle: 0, rows: 1 };
      else if (fits(size, 2)) layout = { size, angle: 0, rows: 2 };
      else if (size * 1.2 <= per) layout = { size, angle: -90, rows: 1 };
    }
  }
  let shown = [...Array(T).keys()];
  if (!layout) {
    // Thinning: as many upright labels as fit, the most telling words first.
    const size = smallest;
    layout = { size, angle: -90, rows: 1 };
    const room = Math.max(1, Math.floor(widthPx / (size * 1.3)));
    const moved = swing(steps);
    // The current word is written by currentWordTag(), so the thinned axis stays put while playing.
    const order = [0, T - 1, ...[...Array(T).keys()].sort((a, b) => (moved[b] ?? 0) - (moved[a] ?? 0))];
    const spacing = (size * 1.3) / per;
    const chosen = [];
    for (const s of order) {
      if (chosen.length >= room) break;
      if (chosen.includes(s) || chosen.some((c) => Math.abs(c - s) < spacing)) continue;
      chosen.push(s);
    }
    shown = chosen.sort((a, b) => a - b);
  }
  const { size, angle, rows } = layout;
  const widest = Math.max(0, ...shown.map((s) => textWidth(labels[s], size)));
  const ticktext = shown.map((s, k) => {
    const word = esc(labels[s]);
    const text = steps[s] && !steps[s].known ? `<span style="color:${config.colors.unknown}">${word}</span>` : word;
    return rows === 2 && k % 2 ? `<br>${text}` : text;
  });
  const line = size * 1.25;
  const upright = angle !== 0;
  const edge = (s) => (upright ? line / 2 : textWidth(labels[s], size) / 2 + 2);
  return {
    axis: { tickvals: shown, ticktext, tickangle: angle, tickfont: { size }, automargin: false },
    bottom: Math.ceil((upright ? widest : line * rows) + 10),
    left: T ? Math.ceil(edge(shown[0]) - per / 2) : 0,
    right: T ? Math.ceil(edge(shown[shown.length - 1]) - per / 2) : 0,
    every: shown.length === T,
  };
}

/**
 * Past `labelEveryWord` words the axis is thinned once for the whole text; the current word is then
 * written by this tag under the axis, moved on every word (no Plotly relayout while playing).
 */
export function currentWordTag(plot, store, t, config) {
  let tag = plot.querySelector(":scope > .current-word");
  const xa = plot._fullLayout?.xaxis;
  if (store.total <= config.sizes.labelEveryWord || !xa || !store.steps[t]) {
    if (tag) tag.hidden = true;
    return;
  }
  if (!tag) {
    tag = document.createElement("span");
    tag.className = "current-word";
    plot.append(tag);
  }
  const ya = plot._fullLayout[xa.anchor === "free" ? "yaxis" : `yaxis${xa.anchor.slice(1)}`] ?? plot._fullLayout.yaxis;
  tag.hidden = false;
  tag.textContent = store.words?.[t] ?? store.meta.tokens[t];
  tag.style.fontSize = `${config.sizes.tickFontMin + 2}px`;
  tag.style.left = `${xa._offset + xa.l2p(t)}px`;
  tag.style.top = `${ya._offset + ya._length + 4}px`;
}

/** Tick labels of the units (a lane, a heatmap row): all of them when they fit, else every k-th and
 *  the selected one, in the mode's type (large in presenter mode). */
export function unitAxis(H, selected, heightPx, config) {
  const size = fonts(config).tick;
  const every = Math.max(1, 2 ** Math.ceil(Math.log2(Math.max(1, (size * 1.3 * H) / Math.max(heightPx, 1)))));
  const tickvals = [...Array(H).keys()].filter((u) => u % every === 0 || u === selected);
  return { tickvals, ticktext: tickvals.map((u) => `unit ${u}`), tickfont: { size } };
}

/** The layout every chart starts from: page fonts, transparent paper, no drag-to-zoom surprises. */
export function baseLayout(config) {
  const f = fonts(config);
  return {
    font: { family: CHART_FONT, size: f.size,
            color: config.colors.text },
    paper_bgcolor: config.colors.background,
    plot_bgcolor: config.colors.background,
    margin: { ...config.sizes.margin },
    hoverlabel: { font: { size: f.size } },
    dragmode: false,
    showlegend: false,
  };
}

/** Make the plot and caption elements a chart view draws into; returns { caption, plot }. */
export function scaffold(root, id) {
  root.replaceChildren();
  const caption = document.createElement("p");
  caption.className = "view-caption";
  caption.id = `${id}-caption`;
  const plot = document.createElement("div");
  plot.className = "view-plot";
  plot.id = `${id}-plot`;
  root.append(caption, plot);
  return { caption, plot };
}

/**
 * scaffold() with the plot split in two: a wide main chart and a narrow side panel beside it
 * (`${id}-${main}`, `${id}-${side}`). Two plots, so the per-word side can be redrawn on every
 * word without replotting the main chart. Returns { caption, plot, main, side }.
 */
export function splitScaffold(root, id, main, side) {
  const { caption, plot } = scaffold(root, id);
  plot.classList.add("split");
  const mainEl = document.createElement("div");
  mainEl.id = `${id}-${main}`;
  mainEl.className = "split-main";
  const sideEl = document.createElement("div");
  sideEl.id = `${id}-${side}`;
  sideEl.className = "split-side";
  plot.append(mainEl, sideEl);
  return { caption, plot, main: mainEl, side: sideEl };
}

/** An HTML legend (swatch + words) under a chart; every colour on the page gets one. */
export function legend(root, items) {
  let box = root.querySelector(":scope > .legend");
  if (!box) {
    box = document.createElement("ul");
    box.className = "legend";
    root.append(box);
  }
  box.replaceChildren(...items.map(({ color, label, kind, gradient }) => {
    const li = document.createElement("li");
    const sw = document.createElement("span");
    sw.className = `swatch ${kind || "box"}`;
    if (kind === "frame") {
      sw.style.borderColor = color;
    } else if (gradient) {
      sw.style.background = `linear-gradient(to right, ${gradient.map(([p, c]) => `${c} ${p * 100}%`).join(", ")})`;
    } else {
      sw.style.background = color;
    }
    const text = document.createElement("span");
    text.textContent = label;
    li.append(sw, text);
    return li;
  }));
  return box;
}

/** The view is on screen (hidden tabs have no layout; Plotly would measure them as 0 × 0). */
export function visible(el) {
  return el.offsetParent !== null && el.clientWidth > 0;
}

/** Available plot height: the panel's height minus the caption and legend. */
export function plotHeight(root, plot, config) {
  const rest = [...root.children].filter((c) => c !== plot).reduce((s, c) => s + c.offsetHeight, 0);
  return Math.max(config.sizes.minViewHeight - rest, root.clientHeight - rest - 8);
}

/** What every view starts from: its root element, the session context, no trace yet. */
export class View {
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.meta = null;
  }
}
