// The embed page (/embed): one view of one sentence, for an iframe in a tutorial. Same query as the
// app (?text=&model=&view=&step=&unit=), plus controls=1 for a small player; no text box, so what
// the author chose is what readers see. Without the player the view plays through once (or opens at
// `step`), and a click on a word still goes to it.

import { mountSession } from "./mount.js";
import presets from "./presets.js";
import { PageState } from "./state.js";
import { VIEWS } from "./views/index.js";

const $ = (id) => document.getElementById(id);
const models = JSON.parse($("models-data").textContent);
const asked = PageState.fromQuery();
const View = VIEWS.find((V) => V.id === asked.view) ?? VIEWS[0];
const model = models.some((m) => m.name === asked.model) ? asked.model : $("app").dataset.defaultModel;
const text = asked.text ?? presets[0].text;
const controls = new URLSearchParams(window.location.search).get("controls") === "1";
document.querySelector(".transport").hidden = !controls;

$("embed-view-title").textContent = View.title;
$("embed-model").textContent = model;
const shown = new PageState({ text, model, view: View.id, step: asked.step, unit: asked.unit });
$("open-full").href = `/${shown.query()}`;

// The frame's content height, posted to the page around it (the README shows the few lines that let
// an iframe size itself): the chrome, plus the view's own height — a chart view's smallest
// comfortable height (it grows with a taller frame), an HTML view's natural height.
const root = () => document.getElementById(`view-${View.id}`);
function contentHeight() {
  const app = $("app");
  const view = root();
  const top = app.getBoundingClientRect().top;
  const above = view.getBoundingClientRect().top - top;
  const last = view.lastElementChild;
  const natural = last ? last.getBoundingClientRect().bottom - view.getBoundingClientRect().top : 0;
  // A chart view fills whatever height it is given (so its natural height is the frame's): its minimum.
  const own = View.embedMinHeight ?? natural;
  return Math.ceil(above + own + parseFloat(getComputedStyle(app).paddingBottom) + 16);
}
let posted = 0;
let pending = 0;
function postHeight() {
  if (pending) return;
  pending = requestAnimationFrame(() => {
    pending = 0;
    const height = contentHeight();
    document.body.dataset.contentHeight = String(height);
    if (height !== posted && window.parent !== window) {
      posted = height;
      window.parent.postMessage({ type: "gatescope:height", view: View.id, height }, "*");
    }
  });
}

const session = mountSession({ views: [View], models, onChange: postHeight });
window.addEventListener("resize", postHeight);
session.setView(View.id);
if (View.embedMinHeight) root().style.minHeight = `${View.embedMinHeight}px`;
if (asked.present) document.body.classList.add("presenter");
if (asked.unit !== undefined) session.store.unit = asked.unit;
session.run(text, model, { startAt: asked.step ?? null });
