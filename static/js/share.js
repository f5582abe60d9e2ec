// Sharing what is on the screen: the <iframe> snippet of the current view, and downloads — PNG/SVG
// of the view, the trace as JSON or CSV, and one self-contained HTML page (the files
// `gatescope export` writes, made by the server's app.figures).

import { queryOf } from "./state.js";
import { refused } from "./stream.js";

/** Frame heights that fit each embedded view with its word strip (and the player, when shown). */
const EMBED_HEIGHT = {
  highway: 560, gates: 640, cell: 740, memory: 400, whiteboard: 660, prediction: 440, compare: 500,
};
const PLAYER_HEIGHT = 50;

/** The <iframe> a tutorial author pastes: the current sentence, model, view and word. */
export function embedSnippet(state, { controls = true, origin = window.location.origin } = {}) {
  const query = queryOf({ text: state.text, model: state.model, view: state.view, step: state.step });
  const src = `${origin}/embed${query}${controls ? `${query ? "&" : "?"}controls=1` : ""}`;
  const height = (EMBED_HEIGHT[state.view] ?? 520) + (controls ? PLAYER_HEIGHT : 0);
  const attr = (s) => s.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
  return `<iframe src="${attr(src)}" title="gatescope: the ${attr(state.view)} view" width="100%" `
    + `height="${height}" style="border: 0" loading="lazy"></iframe>`;
}

/** GET /api/export (the files the CLI writes); a refusal becomes a PageError with its detail. */
async function fetchExport(state, format, models, step) {
  const q = new URLSearchParams({ text: state.text, model: models.join(","), view: state.view, format });
  if (step !== undefined) q.set("step", String(step));
  const response = await fetch(`/api/export?${q}`);
  if (!response.ok) throw await refused(response);
  return response;
}

function save(href, filename) {
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}

/** Ask the server for a file (html, json or csv) and save it under the name the server gives. */
export async function downloadFile(state, format, models) {
  const response = await fetchExport(state, format, models);
  const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "");
  const url = URL.createObjectURL(await response.blob());
  save(url, name ? name[1] : `gatescope.${format}`);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * PNG or SVG of the current view at the current word. A view drawn with Plotly is exported as it
 * is on the screen (view.imagePlot()); the others (the cell diagram, the memory text, the
 * whiteboard) as the same view of app.figures, which the server builds and plotly.js draws here.
 */
export async function downloadImage(view, state, format, models) {
  const step = state.step ?? 0;
  const filename = `gatescope-${state.model}-${state.view}-word${step + 1}`;
  const scale = format === "png" ? 2 : 1;
  const plot = typeof view.imagePlot === "function" ? view.imagePlot() : null;
  if (plot && plot.data) {
    await window.Plotly.downloadImage(plot, {
      format, filename, width: plot.clientWidth || 1000, height: plot.clientHeight || 600, scale,
    });
    return;
  }
  const figure = await (await fetchExport(state, "figure", models, step)).json();
  const url = await window.Plotly.toImage(figure, {
    format, width: figure.layout.width || 1100, height: figure.layout.height || 600, scale,
  });
  save(url, `${filename}.${format}`);
}
