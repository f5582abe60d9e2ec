// The page's shareable state, mirrored in the URL (after tensorflow/playground's state.ts): the
// sentence, the model, the view, the step and presenter mode. Nothing else is kept in the URL, so a
// copied link shows a class exactly what the teacher saw.

const KEYS = ["text", "model", "view", "step", "present"];

/** Read the state from the address bar; missing fields are undefined, step is a whole number. */
export function readState(search = window.location.search) {
  const q = new URLSearchParams(search);
  const state = {};
  for (const key of KEYS) {
    if (q.has(key)) state[key] = q.get(key);
  }
  if (state.step !== undefined) {
    const n = Number.parseInt(state.step, 10);
    state.step = Number.isFinite(n) && n >= 0 ? n : undefined;
  }
  state.present = state.present === "1";
  return state;
}

/** The query string for a state (fields left out when empty). */
export function queryOf(state) {
  const q = new URLSearchParams();
  if (state.text) q.set("text", state.text);
  if (state.model) q.set("model", state.model);
  if (state.view) q.set("view", state.view);
  if (Number.isInteger(state.step)) q.set("step", String(state.step));
  if (state.present) q.set("present", "1");
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Replace the address bar's query (no new history entry: stepping is not navigation). */
export function writeState(state) {
  const url = `${window.location.pathname}${queryOf(state)}`;
  if (url !== `${window.location.pathname}${window.location.search}`) {
    window.history.replaceState(null, "", url);
  }
}

/** The full link for a state, for the "copy link" button. */
export function linkOf(state, path = window.location.pathname) {
  return `${window.location.origin}${path}${queryOf(state)}`;
}
