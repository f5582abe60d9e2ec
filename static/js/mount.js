// One trace on a page, assembled: a panel per view, the Session, the word strip and the transport,
// and the resize handling. The app (/) and the embed page (/embed) both start here and add only
// their own chrome through `onChange`.

import config from "./config.js";
import { WordStrip, bindTransport } from "./controls.js";
import Session from "./session.js";
import { showMessage } from "./ui.js";

const $ = (id) => document.getElementById(id);

/**
 * Mount `views` (view classes) into #views with the model list `models`. onChange(store, reason,
 * step) is called after the strip and the transport have followed a change. Returns the Session.
 */
export function mountSession({ views, models, onChange = () => {}, onState = () => {}, tabs = false }) {
  const roots = new Map();
  for (const V of views) {
    const root = document.createElement("section");
    root.id = `view-${V.id}`;
    root.className = "view";
    if (tabs) {
      root.setAttribute("role", "tabpanel");
      root.setAttribute("aria-labelledby", `tab-${V.id}`);
      root.hidden = true;
    }
    $("views").append(root);
    roots.set(V.id, root);
  }
  let updateTransport = () => {};
  const strip = new WordStrip($("words"), (t) => { session.player.pause(); session.player.seek(t, "seek"); });
  const session = new Session({
    views,
    roots,
    models,
    hooks: {
      onChange(store, reason, step) {
        if (reason === "begin") strip.begin(store.words, store.glued);
        if (reason === "arrived") strip.arrived(step);
        strip.show(store.t);
        updateTransport(store);
        onChange(store, reason, step);
      },
      onMessage(err) { showMessage($("message"), err); },
      onState(s) {
        document.body.dataset.state = s;
        onState(s);
      },
    },
  });
  session.roots = roots;
  updateTransport = bindTransport(session.player, config);
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => session.resize(), 120);
  });
  // For the browser tests and the benchmark: the live objects, read-only by convention.
  window.gatescope = { session, store: session.store, player: session.player };
  return session;
}
