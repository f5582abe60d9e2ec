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

const session = mountSession({ views: [View], models });
session.setView(View.id);
if (asked.present) document.body.classList.add("presenter");
if (asked.unit !== undefined) session.store.unit = asked.unit;
session.run(text, model, { startAt: asked.step ?? null });
