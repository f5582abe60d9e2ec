// The app page (/): wires the text box, presets, model picker, transport, tabs and views together.
//
// For view authors — what a view can rely on (see the interface at the top of views/cell.js):
//   ctx   = { config, store, selectUnit(u), seek(t), fetchTrace(text, model), models }
//           seek(t): move the player to step t (pauses it) — for views that let a click pick a word;
//           fetchTrace(text, model): a Promise of a whole trace JSON (POST /api/trace), cached;
//           models: the shipped models as the template lists them (name, kind, hidden_size, ...).
//   store = { meta, steps, t, unit, total, done, verdict, model, text }
//           total: the number of steps the trace will have (meta.tokens.length); done: the stream
//           finished; verdict: the model's answer on the whole text ({label: p}, from the stream's
//           "done" event; null before); model: the model's name; text: the text that was read.
//   begin/addStep/selectUnit go to every view; show(t)/resize() only to the visible one, and
//   show(store.t) when its tab opens. show() is also called (once per frame at most) as steps
//   arrive. Presenter mode (body.presenter) calls resize() so a view can enlarge its type.
//   Shared helpers for chart views (escaping for Plotly, word ticks, layout): views/common.js.

import config from "./config.js";
import { buildTabs } from "./controls.js";
import { mountSession } from "./mount.js";
import { bindLensPickers } from "./pickers.js";
import presets from "./presets.js";
import { bindShare } from "./share.js";
import { PageState } from "./state.js";
import { PageError, fetchTrace } from "./stream.js";
import { showMessage, unitReadout } from "./ui.js";
import { fmt } from "./views/common.js";
import { VIEWS } from "./views/index.js";
import { weaknessNote } from "./weakness.js";
import { WhatIf } from "./whatif.js";

const $ = (id) => document.getElementById(id);
const page = document.getElementById("app");
const limits = { chars: Number(page.dataset.maxChars), tokens: Number(page.dataset.maxTokens) };
const models = JSON.parse(document.getElementById("models-data").textContent);

const text = $("text");
const modelPicker = $("model");
const runButton = $("run");

// The one state the controls write; it goes into the URL when the player rests.
const initial = PageState.fromQuery();
// (a shared link's layer and direction stay in it until the trace they apply to has begun).
const state = new PageState({ layer: initial.layer, direction: initial.direction });
let lastWrittenStep = null;

// The what-if panel (whatif.js), a menu beside Examples; its experiment is kept in the URL.
const whatIfBox = document.createElement("details");
whatIfBox.id = "whatif";
whatIfBox.className = "whatif menu";
whatIfBox.innerHTML = '<summary title="Pin a gate or change a word, and replay">What if…</summary>'
  + '<div class="menu-list whatif-panel" role="group" aria-label="What if"></div>';
$("examples").after(whatIfBox);
const whatIf = new WhatIf(whatIfBox.querySelector(".whatif-panel"), { config, fetchTrace });
whatIf.restore(initial.clamp, initial.edit);

const session = mountSession({
  views: VIEWS,
  models,
  tabs: true,
  onChange(store, reason) {
    if (reason === "begin" || reason === "arrived" || reason === "done") {
      $("status").textContent = store.done
        ? `${store.total} words read by ${store.model}.`
        : `Reading… ${store.steps.length} of ${store.total} words`;
    }
    unitReadout($("unit-readout"), store, config);
    if (reason === "begin" || reason === "lens" || reason === "view") updateLens(store);
    if (reason === "unit" || reason === "lens") saveState();
    // The step goes into the URL when the player rests, not on every frame of playback.
    if (!session.player.playing && store.meta && lastWrittenStep !== store.t && store.steps.length) {
      lastWrittenStep = store.t;
      saveState();
    }
    if (reason === "playstate") updateEmbed();
    if (reason === "done") whatIf.compare(store);
  },
  onState() { runButton.disabled = false; },
});
const roots = session.roots;
// A stacked or bidirectional model's layer and direction pickers (pickers.js); hidden otherwise.
const updateLens = bindLensPickers(session, { root: $("lens"), note: $("lens-note") });

const selectTab = buildTabs($("tabs"), VIEWS, (id) => openView(id));

function openView(id) {
  if (!roots.has(id)) id = VIEWS[0].id;
  for (const [vid, root] of roots) root.hidden = vid !== id;
  selectTab(id);
  const V = VIEWS.find((v) => v.id === id);
  $("explain-title").textContent = V.title || V.id;
  $("explain-text").textContent = V.explain || "";
  // A view may add a figure to its explanation (the Gradients view's squashing arithmetic).
  document.getElementById("explain-figure")?.remove();
  if (V.explainFigure) {
    const box = document.createElement("div");
    box.id = "explain-figure";
    $("explain-text").after(box);
    V.explainFigure(box, config);
  }
  session.setView(id);
  saveState();
}

/** What is on the screen now, written into the one state object. */
function currentState() {
  const store = session.store;
  return state.set({
    text: whatIf.base || store.text || text.value,
    ...whatIf.query(),
    model: store.model || modelPicker.value,
    view: session.current,
    step: store.meta ? store.t : undefined,
    unit: store.meta ? store.unit : state.unit,
    present: document.body.classList.contains("presenter"),
    ...lensFields(store),
  });
}

/** The layer and direction for the URL: only for a model that has them to pick. */
function lensFields(store) {
  const m = store.meta?.model;
  if (!m) return {};
  return { layer: m.num_layers > 1 ? store.lens.layer : undefined,
           direction: m.bidirectional ? store.lens.direction : undefined };
}

function saveState() {
  currentState().writeURL();
  updateEmbed();
}

const updateEmbed = bindShare(session, currentState);

function describeModel() {
  const m = models.find((x) => x.name === modelPicker.value);
  if (!m) return;
  const layers = `${m.num_layers} layer${m.num_layers > 1 ? "s" : ""}${m.bidirectional ? ", both ways" : ""}`;
  const parts = [`${m.kind.toUpperCase()}, ${m.hidden_size} units, ${layers}`];
  const acc = m.metrics && (m.metrics.accuracy ?? m.metrics.test_accuracy);
  if (typeof acc === "number") parts.push(`${fmt(acc * 100, 1)}% right on held-out reviews`);
  const weak = weaknessNote(m.metrics);
  if (weak) parts.push(weak);
  // The figures first, on one or two lines; the long description is a hover away.
  $("model-info").textContent = parts.join(" · ");
  $("model-info").title = m.description || "";
}

function countChars() {
  const n = text.value.length;
  const counter = $("char-count");
  counter.textContent = `${n.toLocaleString("en")} / ${limits.chars.toLocaleString("en")} characters`;
  counter.classList.toggle("over", n > limits.chars);
}

/** Check what we can before asking the server, so a person hears about it in plain words. */
function run({ startAt = null } = {}) {
  const value = text.value;
  if (!value.trim()) {
    showMessage($("message"), new PageError("There is nothing to read yet.",
      "Type a sentence in the box, or pick one of the examples below it."));
    return;
  }
  if (value.length > limits.chars) {
    showMessage($("message"), new PageError(
      `This text has ${value.length.toLocaleString("en")} characters; the server reads at most `
        + `${limits.chars.toLocaleString("en")} (and ${limits.tokens.toLocaleString("en")} words).`,
      "Shorten it — a paragraph or two is plenty to watch — and press Run again."));
    return;
  }
  lastWrittenStep = null;
  const model = modelPicker.value;
  const kind = models.find((m) => m.name === model)?.kind;
  whatIf.prepare(value, model, config.cell(kind).gates).then((exp) => {
    whatIfBox.querySelector("summary").textContent = whatIf.active ? "What if… (on)" : "What if…";
    session.run(exp.text, model, { startAt, clamp: exp.clamp, ghost: exp.ghost });
    saveState();
  });
  fold(true);
}

// Once a text has run, the compose area folds to one line so the view gets the screen; clicking
// (or tabbing into) the text opens it again, and leaving the compose area folds it back.
const compose = $("compose");
function fold(on) {
  compose.classList.toggle("folded", on);
  text.rows = on ? 1 : 2;
}
text.addEventListener("focus", () => fold(false));
compose.addEventListener("focusout", (e) => {
  if (session.store.meta && !compose.contains(e.relatedTarget)) fold(true);
});

// Presets: one entry each in the Examples menu; the example's own note says what to look for.
$("presets").replaceChildren(...presets.map((p) => {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "preset";
  b.dataset.preset = p.id;
  const label = document.createElement("span");
  label.className = "preset-label";
  label.textContent = p.label;
  const hint = document.createElement("span");
  hint.className = "preset-hint";
  hint.textContent = p.note;
  b.append(label, hint);
  b.addEventListener("click", () => {
    $("examples").open = false;
    text.value = p.text;
    const pick = models.find((m) => m.name === p.model) ?? models.find((m) => m.kind === p.model);
    if (pick) modelPicker.value = pick.name;
    describeModel();
    countChars();
    $("preset-note").textContent = p.note;
    // An example about one unit opens the view that shows it with that unit selected.
    if (p.unit !== undefined) session.store.unit = p.unit;
    if (p.view) openView(p.view);
    run();
  });
  return b;
}));

runButton.addEventListener("click", () => run());
whatIfBox.addEventListener("toggle", () => {
  if (!whatIfBox.open || !session.store.meta) return;
  whatIf.build(session.store.meta.model.kind, session.store, () => run({ startAt: session.store.t }));
  whatIf.compare(session.store);
});
text.addEventListener("keydown", (e) => {
  // Enter reads the text; Shift+Enter still makes a new line for pasted paragraphs.
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    // Focus leaves the text box, so space, the arrows and P control the player at once.
    text.blur();
    run();
  }
});
text.addEventListener("input", countChars);
modelPicker.addEventListener("change", () => {
  describeModel();
  if (session.store.meta) run();
  else saveState();
});

$("unit").addEventListener("change", (e) => session.selectUnit(Number(e.target.value)));

function setPresenter(on) {
  document.body.classList.toggle("presenter", on);
  $("presenter").setAttribute("aria-pressed", String(on));
  session.resize();
  saveState();
}
$("presenter").addEventListener("click", () => setPresenter(!document.body.classList.contains("presenter")));
document.addEventListener("keydown", (e) => {
  const tag = e.target?.tagName;
  if (tag === "TEXTAREA" || tag === "INPUT" || tag === "SELECT" || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "p" || e.key === "P") setPresenter(!document.body.classList.contains("presenter"));
  if (e.key === "Escape" && document.body.classList.contains("presenter")) setPresenter(false);
});

// Start: a shared link restores its sentence, model, view and step; a first visit reads the
// cereal review so there is something to watch at once.
if (initial.model && models.some((m) => m.name === initial.model)) modelPicker.value = initial.model;
text.value = initial.text ?? presets[0].text;
if (initial.present) setPresenter(true);
describeModel();
countChars();
if (initial.unit !== undefined) session.store.unit = initial.unit;
session.wanted = { layer: initial.layer, direction: initial.direction };
openView(initial.view ?? VIEWS[0].id);
run({ startAt: initial.text !== undefined && initial.step !== undefined ? initial.step : null });
