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

/** Font sizes for the current mode. */
export function fonts(config) {
  const big = presenting();
  return {
    size: big ? config.sizes.fontPresenter : config.sizes.font,
    tick: big ? config.sizes.tickFontPresenter : config.sizes.tickFont,
  };
}

/**
 * Tick values and labels for a time axis of words: every word when they fit, else every k-th.
 * Unknown words are grey with a "?" so a reader sees at once which words the model could not read.
 */
export function wordTicks(tokens, steps, widthPx, config) {
  const T = tokens.length;
  // Labels are tilted, so their width on the axis grows with the type size, not the word length.
  const per = config.sizes.pxPerWordLabel * (fonts(config).tick / config.sizes.tickFont);
  const fit = Math.max(1, Math.floor(widthPx / per));
  const every = Math.max(1, Math.ceil(T / fit));
  const tickvals = [];
  const ticktext = [];
  for (let t = 0; t < T; t += every) {
    tickvals.push(t);
    const known = steps[t] ? steps[t].known : true;
    const word = esc(tokens[t].length > 12 ? tokens[t].slice(0, 11) + "…" : tokens[t]);
    ticktext.push(known ? word : `<span style="color:${config.colors.unknown}">${word}?</span>`);
  }
  return { tickvals, ticktext };
}

/** The layout every chart starts from: page fonts, transparent paper, no drag-to-zoom surprises. */
export function baseLayout(config) {
  const f = fonts(config);
  return {
    font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: f.size,
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
