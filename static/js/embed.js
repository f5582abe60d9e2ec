// The embed page (/embed): one view of one sentence, for an iframe in a tutorial. Same query as the
// app (?text=&model=&view=&step=), plus controls=1 for a small player; no text box, so what the
// author chose is what readers see. Without the player the view plays through once (or opens at
// `step`), and a click on a word still goes to it.

import config from "./config.js";
import { WordStrip, bindTransport } from "./controls.js";
import presets from "./presets.js";
import Session from "./session.js";
import { queryOf, readState } from "./state.js";
import { showMessage } from "./ui.js";
import { VIEWS } from "./views/index.js";

const $ = (id) => document.getElementById(id);
const models = JSON.parse($("models-data").textContent);
const state = readState();
const View = VIEWS.find((V) => V.id === state.view) ?? VIEWS[0];
const model = models.some((m) => m.name === state.model) ? state.model : $("app").dataset.defaultModel;
const text = state.text ?? presets[0].text;
const controls = new URLSearchParams(window.location.search).get("controls") === "1";
document.querySelector(".transport").hidden = !controls;

const root = document.createElement("section");
root.id = `view-${View.id}`;
root.className = "view";
$("views").append(root);
$("embed-view-title").textContent = View.title;
$("embed-model").textContent = model;
$("open-full").href = `/${queryOf({ text, model, view: View.id, step: state.step })}`;

const strip = new WordStrip($("words"), (t) => { session.player.pause(); session.player.seek(t, "seek"); });
let updateTransport = () => {};
const session = new Session({
  views: [View],
  roots: new Map([[View.id, root]]),
  models,
  hooks: {
    onChange(store, reason, step) {
      if (reason === "begin") strip.begin(store.meta.tokens);
      if (reason === "arrived") strip.arrived(step);
      strip.show(store.t);
      updateTransport(store);
    },
    onMessage(err) { showMessage($("message"), err); },
    onState(s) { document.body.dataset.state = s; },
  },
});
updateTransport = bindTransport(session.player, config);
session.setView(View.id);
if (state.present) document.body.classList.add("presenter");
window.addEventListener("resize", () => session.resize());
session.run(text, model, { startAt: state.step ?? null });
window.gatescope = { session, store: session.store, player: session.player };
