// Gradients: why gates exist. For the current word, how strongly each earlier word can still move
// the prediction (‖∂ log p(label) / ∂ e_s‖, exact, from POST /api/connectivity), for an LSTM, a GRU
// and a plain RNN on the same sentence and the same label; the chain of Jacobian factors whose
// product carries it back; the chosen model's whole T × T map; the measured memory span.
import { PageState } from "../state.js";
import { mapFigure, mapShapes, reachFigure, reachRow, reachShapes, drawSquashing } from "./gradients-charts.js";
import { fetchConnectivity, lastLabel, memorySpan, pickModels, spanText } from "./gradients-data.js";
import { View, legend, plotHeight, splitScaffold, visible, wordAxis } from "./common.js";

const short = (v) => (v === undefined || v === null ? "–" : Number(v).toExponential(1).replace("e+", "e").replace("-", "\u2212"));

export default class Gradients extends View {
  static id = "gradients";
  static title = "Gradients";
  static embedMinHeight = 560;
  static explain =
    "Training moves each weight by a step proportional to its gradient. If a far word's gradient is "
    + "0.001 while a near word's is 2.1, the far word barely counts: 2.1 − 0.001 = 2.0999, and the "
    + "network never learns what that word should have meant. By the chain rule the gradient from "
    + "word s reaches word t through one Jacobian ∂S/∂S per word in between, multiplied together "
    + "(bottom left: each step's factor, and the size of the real product from the first word). "
    + "Factors below 1 make the product vanish with distance, above 1 it can explode. A plain RNN "
    + "passes everything through tanh(W·h) at every word; the LSTM's cell path multiplies by its "
    + "forget gate instead, the GRU's by its update gate, which can stay near 1. Top left: at the "
    + "current word, each earlier word's ‖∂ log p / ∂ e‖ (log scale) for the three models, same text, "
    + "same label. Right: the chosen model's whole map, and the memory span measured on the shipped "
    + "models — a strong opening, then k neutral words; click a curve to open that text. These are "
    + "the models' real numbers: on short texts the RNN often holds up too.";

  /** The explanation panel's squashing figure (real arithmetic, squashing.js). */
  static explainFigure(box, config) {
    drawSquashing(box, config);
  }

  constructor(root, ctx) {
    super(root, ctx);
    this.run = 0;
  }

  imagePlot() {
    return this.left;
  }

  begin(meta) {
    this.meta = meta;
    this.run += 1;
    this.grads = null;
    this.loading = false;
    this.plotted = false;
    this.t = -1;
    ({ caption: this.caption, plot: this.plot, main: this.left, side: this.right } =
      splitScaffold(this.root, Gradients.id, "reach", "map"));
    this.plot.classList.add("gs-grad");
    this.open = document.createElement("p");
    this.open.className = "gs-grad-open small";
    this.caption.textContent = "The gradients appear once the whole text has been read.";
    const { config } = this.ctx;
    legend(this.root, [
      ...["lstm", "gru", "rnn"].map((k) => ({ color: config.kinds[k], label: k.toUpperCase(), kind: "line" })),
      { color: config.colors.current, label: "current word", kind: "line" },
      { color: config.colors.selectedUnit, label: "its row in the map", kind: "frame" },
      { color: config.colors.reference, label: "span: solid “Amazing!”, dashed “Awful.”", kind: "line" },
    ]);
  }

  addStep() {}

  selectUnit() {}

  async load() {
    const run = this.run;
    this.loading = true;
    const { store, models } = this.ctx;
    const current = models.find((m) => m.name === store.model) ?? { name: store.model, kind: this.meta.model.kind };
    const picks = pickModels(models, current);
    this.label = lastLabel(store.steps, this.meta.model.labels);
    const clamp = store.clamp ?? null;
    const asks = picks.map((m) => fetchConnectivity({ text: store.text, model: m.name, label: this.label,
      clamp: m.name === store.model ? clamp : null }));
    const results = await Promise.allSettled([...asks, memorySpan()]);
    if (run !== this.run) return;
    this.loading = false;
    const spanResult = results.pop();
    this.span = spanResult.status === "fulfilled" ? spanResult.value : null;
    this.grads = [];
    this.failed = [];
    results.forEach((r, k) => {
      if (r.status === "fulfilled") this.grads.push(r.value);
      else this.failed.push(`${picks[k].name}: ${r.reason?.message ?? r.reason}`);
    });
    this.names = this.grads.map((g) => (g.model.name === g.model.kind ? g.model.kind.toUpperCase()
      : `${g.model.name} (${g.model.kind.toUpperCase()})`));
    this.own = this.grads.find((g) => g.model.name === store.model) ?? this.grads[0];
    this.show(store.t);
  }

  sizes() {
    const height = plotHeight(this.root, this.plot, this.ctx.config);
    return { height, left: this.left.clientWidth || 600, right: this.right.clientWidth || 400 };
  }

  draw() {
    const { config, store } = this.ctx;
    const t = Math.max(this.t, 0);
    const words = store.words ?? this.meta.tokens;
    const { height, left, right } = this.sizes();
    const m = config.sizes.margin;
    const axis = wordAxis(store, left - m.l - 12, config, t);
    const reach = reachFigure({ grads: this.grads, names: this.names, t, words, label: this.label, axis,
                                height, width: left, config });
    Plotly.newPlot(this.left, reach.data, reach.layout, config.plotly);
    this.left.on("plotly_click", (ev) => {
      const p = ev.points?.[0];
      if (p && p.data.yaxis === "y2") this.ctx.seek(p.x);
    });
    this.right.replaceChildren();
    const mapEl = document.createElement("div");
    mapEl.id = "gradients-map-plot";
    this.right.append(mapEl, this.open);
    this.mapEl = mapEl;
    if (this.own && this.span) {
      const fig = mapFigure({ g: this.own, name: this.own.model.name, words, span: this.span, t,
                              height: height - 24, width: right, config });
      Plotly.newPlot(mapEl, fig.data, fig.layout, config.plotly);
      mapEl.on("plotly_click", (ev) => {
        const p = ev.points?.[0];
        if (!p) return;
        if (p.data.type === "heatmap") this.ctx.seek(p.y);
        else window.location.assign(this.spanLink(p.data.customdata[0][0], p.data.customdata[0][1], p.x));
      });
    }
    this.writeOpenLinks();
    this.plotted = true;
  }

  /** A link that opens "opening + k neutral words" on the page with `model`, playing. */
  spanLink(model, opening, k) {
    return new PageState({ text: spanText(this.span, opening, k), model, view: "prediction" }).query() || "/";
  }

  writeOpenLinks() {
    if (!this.span) return;
    const kind = this.meta.model.kind;
    const names = Object.keys(this.span.models);
    const own = names.find((n) => this.span.models[n].kind === kind) ?? names[0];
    this.open.replaceChildren("Open and play: ");
    for (const [opening, k] of [["Awful.", 40], ["Amazing!", 40]]) {
      const a = document.createElement("a");
      a.href = `/${this.spanLink(own, opening, k)}`;
      a.className = "gs-grad-link";
      a.textContent = `“${opening}” + ${k} neutral words (${own})`;
      this.open.append(a, " ");
    }
  }

  show(t) {
    if (!this.meta || !visible(this.root)) return;
    const { store } = this.ctx;
    if (!store.done) {
      this.caption.textContent = "The gradients appear once the whole text has been read.";
      return;
    }
    if (!this.grads) {
      if (!this.loading) {
        this.caption.textContent = "Asking the server for the exact gradients of LSTM, GRU and RNN…";
        this.load();
      }
      return;
    }
    if (!this.grads.length) {
      this.caption.textContent = `The gradients could not be computed: ${this.failed.join("; ")}.`;
      return;
    }
    if (!this.plotted) this.draw();
    this.t = t;
    const words = store.words ?? this.meta.tokens;
    const T = words.length;
    const rows = this.grads.map((g) => reachRow(g, t, words));
    Plotly.restyle(this.left, { x: rows.map((r) => r.x), y: rows.map((r) => r.y),
                                customdata: rows.map((r) => r.customdata) }, rows.map((_, k) => k));
    Plotly.relayout(this.left, { shapes: reachShapes(t, T, this.ctx.config) });
    if (this.mapEl?.data) Plotly.relayout(this.mapEl, { shapes: mapShapes(t, T, this.ctx.config) });
    const first = this.grads.map((g, k) => `${this.names[k]} ${short(g.connectivity[t][0])}`);
    let text = `At word ${t + 1} “${words[t]}”, the first word “${words[0]}” (${t} back) moves `
      + `log p(${this.label}) by ${first.join(" · ")}.`;
    if (this.grads.length < 3) text += " Not every kind is loaded on this server.";
    if (this.meta.model.bidirectional) {
      text += ` ${this.meta.model.name} reads both ways; exact gradients are for one-way models, so these are the one-way models'.`;
    }
    if (this.failed.length) text += ` Failed: ${this.failed.join("; ")}.`;
    this.caption.textContent = text;
  }

  resize() {
    if (!this.plotted || !visible(this.root)) return;
    this.plotted = false;
    this.show(Math.max(this.t, 0));
  }
}
