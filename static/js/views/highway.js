// The highway: the state that flows along the words (LSTM: the cell state c; GRU and plain RNN:
// the hidden state h). On top, the words it carries (highway-words.js): one band per word read so
// far, as thick as what that word still holds. Below, one lane per unit and — at the current word —
// what the keep valve kept of the old value, what it erased, and what was written in.
//
// The lanes plot changes only when steps arrive (while playing, only its shapes move: a cheap
// relayout); the bands canvas and the "at this word" SVG are the only things redrawn every word.
import { stateOf } from "../derived.js";
import {
  View, baseLayout, currentWordTag, esc, fmt, legend, plotHeight, splitScaffold, topLayer, unitAxis, visible, wordAxis,
} from "./common.js";
import PartsPanel, { captionOf } from "./highway-parts.js";
import Roads from "./highway-roads.js";
import WordBands from "./highway-words.js";

export default class Highway extends View {
  static id = "highway";
  static title = "Highway";
  /** The smallest height that shows the whole view in an embed (it grows with a taller frame). */
  static embedMinHeight = 460;
  static explain =
    "The memory the network carries from word to word — the cell state of an LSTM, the hidden state "
    + "of a GRU — is exactly a sum of what each word wrote, each part shrunk by every forget (GRU: "
    + "update) gate it has passed since. The bands on top are those parts: one per word, as thick as "
    + "what that word still holds (summed over units), labelled at the current word. Words that wrote "
    + "a lot stay thick; the rest thin out as the gates close. Below, each lane is one unit of the "
    + "memory. Read left to right: a lane that stays level "
    + "is remembering; a jump is something being written. The colour under a lane is the value it "
    + "carries. On the right, the current word's bookkeeping for every lane: the gate keeps part of "
    + "the old value (blue), erases the rest (orange), and new content is written in (green). The "
    + "black mark is the new value: kept + written. A plain RNN has no gates, so it rewrites every "
    + "lane at every word and what it read early washes out.";

  /** The Plotly chart the page's PNG/SVG download saves, as it is on the screen. */
  imagePlot() {
    return this.roads ? this.roads.plot : this.lanes;
  }

  /** The download also holds the words' bands (a canvas, not Plotly), where they are on the screen. */
  imageExtras(figure) {
    if (this.roads) return;
    const ya = this.lanes._fullLayout.yaxis2;
    figure.layout.images = [{ source: this.bands.canvas.toDataURL("image/png"), xref: "paper", yref: "paper",
      x: 0, y: ya.domain[1], sizex: 1, sizey: ya.domain[1] - ya.domain[0], sizing: "stretch",
      xanchor: "left", yanchor: "top", layer: "above" }];
  }

  begin(meta) {
    const { config } = this.ctx;
    // Both directions of a bidirectional model: two roads (highway-roads.js) instead of the lanes.
    this.roads = this.ctx.store.lens?.direction === "both" && config.cell(meta.model.kind).memory
      ? new Roads(this.root, this.ctx) : null;
    if (this.roads) {
      this.meta = null; // the next text draws the lanes afresh
      return;
    }
    // The same kind and size as the last text: keep the plot and only react() to the new data
    // (a fresh newPlot costs ~150 ms, too slow for the first word to appear at once).
    const reuse = this.meta && this.kind === meta.model.kind && this.H === meta.model.hidden_size && this.drawn >= 0;
    this.meta = meta;
    this.kind = meta.model.kind;
    this.H = meta.model.hidden_size;
    this.facts = config.cell(this.kind);
    // The formula of each bar of the "at this word" panel (palette.json's parts of this kind).
    this.formula = this.facts.memory ? { ...this.facts.parts, now: this.facts.stateSymbol }
      : { before: `${this.facts.stateSymbol}₋₁`, now: this.facts.stateSymbol };
    this.drawn = reuse ? 0 : -1; // steps in the lanes plot (-1: not drawn)
    this.maxAbs = 0;      // largest |state| so far: sets the lane scale and the road's colours
    this.t = -1;
    this.robustAt = -1;
    this.bands?.reset();
    if (reuse) {
      this.caption.textContent = "";
      return;
    }
    ({ caption: this.caption, plot: this.plot, main: this.lanes, side: this.parts } =
      splitScaffold(this.root, Highway.id, "lanes", "parts"));
    this.panel = new PartsPanel(this, this.parts);
    this.bands = new WordBands(this);
    const stateName = config.quantities[config.cell(this.kind).state].name;
    const items = [
      { color: this.facts.memory ? config.colors.bands[0] : config.colors.lane, label: this.facts.memory
        ? "a band per word: what it wrote still in memory (Σ|part| over units)" : "how far a word moved the state" },
      { color: config.colors.lane, label: `${stateName} of a unit, along the words`, kind: "line" },
      { color: config.colors.selected, label: "the selected unit", kind: "line thick" },
      { gradient: config.scales.diverging, label: "lane colour: the value carried (− … 0 … +)", kind: "bar" },
    ];
    if (!this.facts.memory) {
      items.push({ color: config.colors.unknown, label: "state before this word" },
        { color: config.colors.current, label: "state after this word", kind: "diamond" });
    } else {
      const f = this.formula;
      items.push({ color: config.parts.erased.color, label: `erased ${f.erased}` },
        { color: config.parts.kept.color, label: `kept ${f.kept}` },
        { color: config.parts.written.color, label: `written ${f.written}` },
        { color: config.colors.current, label: "new value = kept + written", kind: "diamond" });
    }
    const back = this.ctx.store.lens?.direction === "reverse";
    items.push({ color: config.colors.fadedSwatch, label: back ? "words the backward reader has not reached (faded)"
      : "words still to come (faded)" },
      { color: config.colors.note, kind: "text", label: "hover for exact numbers" });
    legend(this.root, items);
  }

  addStep(step) {
    // Drawing waits for show(): the view may be hidden, and steps arrive faster than frames.
    if (!this.roads) for (const v of stateOf(this.kind, topLayer(step))) this.maxAbs = Math.max(this.maxAbs, Math.abs(v));
  }

  /**
   * The size a lane is drawn to: the 95th percentile of |state| so far. A trained LSTM keeps a few
   * cells far larger than the rest (|c| of 15 beside 0.5); scaling by the largest would flatten
   * every other lane. Larger values are clipped to the lane's edge; hovers keep the exact number.
   */
  robustScale() {
    if (this.robustAt === this.ctx.store.steps.length) return this.robust;
    const all = [];
    for (const step of this.ctx.store.steps) for (const v of stateOf(this.kind, topLayer(step))) all.push(Math.abs(v));
    all.sort((a, b) => a - b);
    const q = all.length ? all[Math.min(all.length - 1, Math.floor(all.length * 0.95))] : 1;
    this.robust = Math.max(q, 0.05);
    this.robustAt = this.ctx.store.steps.length;
    return this.robust;
  }

  /** The lanes as one trace (lanes separated by gaps: one trace draws far faster than 32). */
  laneData(units, steps = this.ctx.store.steps) {
    const r = this.robustScale();
    const scale = 0.45 / r;
    const x = [];
    const y = [];
    const custom = [];
    const words = steps.map((s) => esc(s.token) + (s.known ? "" : " (unknown: read as &lt;unk&gt;)"));
    for (const u of units) {
      for (const step of steps) {
        const v = stateOf(this.kind, topLayer(step))[u];
        x.push(step.t);
        y.push(u - Math.max(-r, Math.min(r, v)) * scale);
        custom.push([v, words[step.t], step.t + 1, u]);
      }
      x.push(null);
      y.push(null);
      custom.push(null);
    }
    return { x, y, customdata: custom };
  }

  laneTraces() {
    const { config, store } = this.ctx;
    const q = config.quantities[config.cell(this.kind).state];
    const hover = `unit %{customdata[3]} · word %{customdata[2]} “%{customdata[1]}”<br>`
      + `${q.name} ${q.symbol} = %{customdata[0]:.4f}<extra></extra>`;
    const z = [...Array(this.H)].map(() => []);
    for (const step of store.steps) {
      const state = stateOf(this.kind, topLayer(step));
      for (let u = 0; u < this.H; u++) z[u].push(state[u]);
    }
    const m = this.robustScale();
    return [
      // The heatmap under the lines answers a hover or a click anywhere on a lane, not only near its line.
      { type: "heatmap", x: store.steps.map((s) => s.t), y: [...Array(this.H).keys()], z, zmin: -m, zmax: m,
        colorscale: config.scales.diverging, showscale: false, opacity: 0.6, ygap: 2,
        // The words of the hover are added once the stream is done (a text per cell on every frame
        // of a 1,000-word stream would slow it down); until then the hover gives unit and value.
        ...(store.done ? { text: [...Array(this.H)].map(() => store.steps.map((s) => `word ${s.t + 1} “${esc(s.token)}”`)),
          hovertemplate: `unit %{y} · %{text}<br>${q.name} ${q.symbol} = %{z:.4f}<extra></extra>` }
          : { hovertemplate: `unit %{y}<br>${q.name} ${q.symbol} = %{z:.4f}<extra></extra>` }) },
      { type: "scatter", mode: "lines", name: `${q.name} ${q.symbol} of each unit`,
        ...this.laneData([...Array(this.H).keys()]), connectgaps: false,
        line: { color: config.colors.lane, width: config.sizes.lineWidth }, hovertemplate: hover },
      { type: "scatter", mode: "lines", name: `unit ${store.unit} (selected)`,
        ...this.laneData([store.unit]), connectgaps: false,
        line: { color: config.colors.selected, width: config.sizes.selectedLineWidth }, hovertemplate: hover },
      // Keeps the band area's axis in the layout (Plotly drops an axis no trace uses).
      { type: "scatter", mode: "markers", x: [0], y: [-1], yaxis: "y2", hoverinfo: "skip", name: "",
        marker: { opacity: 0 } },
      // A what-if experiment (whatif.js): the selected unit's lane in the unchanged run, dashed.
      ...(store.ghost?.steps?.length ? [{ type: "scatter", mode: "lines", name: `unit ${store.unit}, unchanged run`,
        ...this.laneData([store.unit], store.ghost.steps), connectgaps: false, opacity: 0.6, hovertemplate: `unchanged run · ${hover}`,
        line: { color: config.colors.selectedUnit, width: config.sizes.selectedLineWidth, dash: "dash" } }] : []),
    ];
  }

  laneLayout() {
    const { config, store } = this.ctx;
    const m = { ...config.sizes.margin, r: 8, t: 8 };
    const width = this.lanes.clientWidth || 700;
    const words = wordAxis(store, width - m.l - m.r, config, Math.max(this.t, 0));
    const height = plotHeight(this.root, this.plot, config);
    const margin = { ...m, b: words.bottom, l: Math.max(m.l, words.left + 4), r: Math.max(m.r, words.right + 4) };
    // The words' bands take the top of the plot (a plain RNN's "how far it moved" less), the lanes the rest.
    const split = this.facts.memory ? 0.5 : 0.3;
    const lanesPx = (height - margin.t - margin.b) * (1 - split - 0.04);
    return {
      ...baseLayout(config),
      margin,
      height,
      xaxis: {
        range: [-0.5, Math.max(this.meta.tokens.length - 0.5, 0.5)], ...words.axis, showgrid: false,
        zeroline: false, fixedrange: true, anchor: "y",
      },
      yaxis: {
        // Lanes are labelled as densely as their type allows (each label is a text measurement:
        // 32 of them cost ~25 ms of every redraw); the hover names every one.
        domain: [0, 1 - split - 0.04], range: [this.H - 0.5, -0.6], ...unitAxis(this.H, store.unit, lanesPx, config),
        showgrid: true, gridcolor: config.colors.grid, zeroline: false, fixedrange: true,
      },
      // The band area: an empty axis the words' canvas is laid over.
      yaxis2: { domain: [1 - split, 1], range: [0, 1], visible: false, fixedrange: true },
      shapes: this.laneShapes(Math.max(this.t, 0)),
      hovermode: "closest",
    };
  }

  laneShapes(t) {
    const { config, store } = this.ctx;
    const T = this.meta.tokens.length;
    const s = [
      { type: "rect", xref: "paper", yref: "y", x0: 0, x1: 1, y0: store.unit - 0.5, y1: store.unit + 0.5,
        fillcolor: config.colors.selectedUnitBand, line: { width: 0 }, layer: "below" },
      { type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 1,
        line: { color: config.colors.current, width: 1.5 } },
    ];
    // Words still to come are veiled, not hidden: the road ahead shows, the lanes read up to now
    // (the backward reader's road ahead is on the left: it reads from the last word).
    const [x0, x1] = store.lens?.direction === "reverse" ? [-0.5, t - 0.5] : [t + 0.5, T - 0.5];
    if (x1 > x0) {
      s.push({ type: "rect", xref: "x", yref: "paper", x0, x1, y0: 0, y1: 1,
               fillcolor: config.colors.future, line: { width: 0 }, layer: "above" });
    }
    return s;
  }

  drawLanes() {
    const { config, store } = this.ctx;
    const first = this.drawn < 0;
    this.drawn = store.steps.length;
    this.scaleAt = this.maxAbs;
    this.wordsDrawn = store.done; // the lanes' hover names the words once the stream is done
    if (first) {
      Plotly.newPlot(this.lanes, this.laneTraces(), this.laneLayout(), config.plotly);
      this.lanes.on("plotly_click", (ev) => {
        const p = ev.points && ev.points[0];
        if (!p) return;
        // A line point carries its unit in customdata; a heatmap cell is at (word, unit).
        this.ctx.selectUnit(p.customdata ? p.customdata[3] : p.y);
        this.ctx.seek(p.x);
      });
    } else {
      // Plotly.react diffs: only the lane data and the ticks changed.
      Plotly.react(this.lanes, this.laneTraces(), this.laneLayout(), config.plotly);
    }
    this.panel.invalidate(); // the lanes' axis may have moved: line the side panel up again
  }

  // ---- the view interface --------------------------------------------------------------------

  show(t) {
    const { store } = this.ctx;
    if (this.roads) return this.roads.show(t);
    if (!this.meta || !visible(this.root) || !store.steps[t]) return;
    if (this.drawn !== store.steps.length || this.scaleAt !== this.maxAbs || this.wordsDrawn !== store.done) {
      this.t = t;
      this.drawLanes();
    } else if (t !== this.t) {
      this.t = t;
      Plotly.relayout(this.lanes, { shapes: this.laneShapes(t) });
    }
    currentWordTag(this.lanes, store, t, this.ctx.config);
    this.panel.draw(t);
    this.bands.draw(t);
    this.caption.textContent = captionOf(this, t);
  }

  selectUnit() {
    if (this.roads || this.drawn < 0 || !this.ctx.store.steps.length) return;
    if (!visible(this.root)) {
      this.scaleAt = NaN; // redraw the lanes when next shown
      return;
    }
    this.drawLanes();
    this.panel.draw(Math.max(this.t, 0));
  }

  resize() {
    if (this.roads) return this.roads.resize();
    if (this.drawn < 0 || !visible(this.root)) return;
    Plotly.relayout(this.lanes, this.laneLayout());
    this.panel.invalidate();
    this.panel.draw(Math.max(this.t, 0));
    this.bands.draw(Math.max(this.t, 0));
  }
}
