// Sharing what is on the screen: the copy-link button, the <iframe> snippet of the current view,
// and downloads — PNG/SVG of the view, the trace as JSON or CSV, and one self-contained HTML page
// (the files `gatescope export` writes, made by the server's app.figures).

import config from "./config.js";
import { PageError, refused } from "./stream.js";
import { showMessage, toast } from "./ui.js";

/**
 * Frame heights that show each embedded view whole with its title, word strip and player: the
 * content height /embed reports, measured at 700 and 1,000 px wide on a 26-word review (the larger
 * of the two, plus room for a longer text; tests/browser/test_embed.py checks them). Without the
 * player the frame needs PLAYER_HEIGHT less. /embed also posts its height to the page around it.
 */
const EMBED_HEIGHT = {
  highway: 640, gates: 680, cell: 1010, memory: 740, whiteboard: 700, prediction: 520, compare: 660,
};
const PLAYER_HEIGHT = 50;

/** The <iframe> a tutorial author pastes: the current sentence, model, view and word. */
export function embedSnippet(state, { controls = true, origin = window.location.origin } = {}) {
  const query = state.query({ only: ["text", "model", "view", "step", "unit"] });
  const src = `${origin}/embed${query}${controls ? `${query ? "&" : "?"}controls=1` : ""}`;
  const height = (EMBED_HEIGHT[state.view] ?? 700) - (controls ? 0 : PLAYER_HEIGHT);
  const attr = (s) => s.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
  return `<iframe src="${attr(src)}" title="gatescope: the ${attr(state.view)} view" width="100%" `
    + `height="${height}" style="border: 0" loading="lazy"></iframe>`;
}

/** GET /api/export (the files the CLI writes); a refusal becomes a PageError with its detail. */
async function fetchExport(state, format, models, step) {
  // The server draws the views above (app.figures); the trace's JSON and CSV do not depend on the view.
  const drawn = state.view in EMBED_HEIGHT;
  if (!drawn && format !== "json" && format !== "csv") {
    throw new PageError(`The ${state.view} view has no HTML page to download yet.`,
                        "Download it as PNG or SVG, or the trace as JSON or CSV.");
  }
  const view = drawn ? state.view : "highway";
  const q = new URLSearchParams({ text: state.text, model: models.join(","), view, format });
  if (step !== undefined) q.set("step", String(step));
  // The backward reader of a bidirectional model (the layer and direction pickers, lens.js).
  if (state.direction === "reverse" && (format === "html" || format === "figure")) q.set("direction", "reverse");
  if (state.direction === "both" && state.view === "highway" && format === "html") q.set("direction", "both");
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

/** Plotly's text escaping (it reads a few HTML tags in any text it draws). */
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * The figure an image download saves: the chart as it is on the screen, with a title (model, view,
 * word, text) and a legend naming every line (one entry per name), and whatever the view adds
 * (view.imageExtras: the highway's word bands, drawn on a canvas).
 */
export function imageFigure(view, state, store) {
  const plot = view.imagePlot();
  const data = plot.data.map((trace) => ({ ...trace }));
  const seen = new Set();
  for (const trace of data) {
    const named = trace.name && trace.type !== "heatmap" && trace.showlegend !== false && !seen.has(trace.name);
    trace.showlegend = Boolean(named);
    if (named) seen.add(trace.name);
  }
  const layout = JSON.parse(JSON.stringify(plot.layout));
  const step = state.step ?? 0;
  const word = store.words?.[step] ?? store.meta?.tokens[step] ?? "";
  const text = state.text.length > 110 ? `${state.text.slice(0, 109)}…` : state.text;
  const top = layout.margin?.t ?? 30;
  layout.margin = { ...layout.margin, t: top + 64 };
  layout.title = { x: 0.01, xanchor: "left", y: 0.99, yanchor: "top", font: { size: 15 },
    text: `<b>gatescope · ${esc(state.model)}${Number.isInteger(state.layer) ? ` · layer ${state.layer + 1}` : ""}`
      + `${state.direction === "reverse" ? " · backward reader" : ""} · ${esc(view.constructor.title ?? state.view)}</b> · `
      + `word ${step + 1} “${esc(word)}”<br><span style="font-size:12px">${esc(text)}</span>` };
  layout.showlegend = seen.size > 0;
  layout.legend = { orientation: "h", x: 0, xanchor: "left", y: 1, yanchor: "bottom" };
  const figure = { data, layout };
  view.imageExtras?.(figure);
  return figure;
}

/**
 * PNG or SVG of the current view at the current word. A view drawn with Plotly is exported as it
 * is on the screen, with a title and a legend (imageFigure); the others (the cell diagram, the
 * memory text, the whiteboard) as the same view of app.figures, which the server builds and
 * plotly.js draws here.
 */
export async function downloadImage(view, state, format, models, store) {
  const step = state.step ?? 0;
  const filename = `gatescope-${state.model}-${state.view}-word${step + 1}`;
  const scale = format === "png" ? 2 : 1;
  const plot = typeof view.imagePlot === "function" ? view.imagePlot() : null;
  if (plot && plot.data) {
    const figure = imageFigure(view, state, store);
    await window.Plotly.downloadImage(figure, {
      format, filename, width: plot.clientWidth || 1000, height: (plot.clientHeight || 600) + 64, scale,
    });
    return;
  }
  const figure = await (await fetchExport(state, "figure", models, step)).json();
  const url = await window.Plotly.toImage(figure, {
    format, width: figure.layout.width || 1100, height: figure.layout.height || 600, scale,
  });
  save(url, `${filename}.${format}`);
}

const $ = (id) => document.getElementById(id);

/** Copy `text` to the clipboard, or select `field` and say so when there is no clipboard. */
async function copy(text, field, done, fallback) {
  try {
    await navigator.clipboard.writeText(text);
    toast($("toast"), done, config.toastMs);
  } catch {
    // No clipboard (a page served over plain http to another machine): select the text instead.
    field.hidden = false;
    field.select();
    toast($("toast"), fallback, config.toastMs);
  }
}

/**
 * Wire the copy-link button, the embed box and the download menu of the app page. `state()` gives
 * the PageState of what is on the screen. Returns updateEmbed(), to call when the screen changes.
 */
export function bindShare(session, state) {
  $("copy-link").addEventListener("click", () => {
    const link = state().link();
    $("link").value = link;
    copy(link, $("link"), "Link copied: it opens this sentence, model, view, word and unit.",
         "Copy the selected link (Ctrl+C).");
  });

  // Embed: the <iframe> snippet of what is on the screen now, kept current while it is open.
  function updateEmbed() {
    if ($("embed-box").hidden) return;
    // While playing, the frame plays from the start too; paused, it opens at the word on screen.
    const playing = session.player.playing || !session.store.meta;
    const s = state().with({ step: playing ? undefined : session.store.t });
    $("embed-code").value = embedSnippet(s, { controls: $("embed-controls").checked });
  }
  $("embed").addEventListener("click", () => {
    const box = $("embed-box");
    box.hidden = !box.hidden;
    $("embed").setAttribute("aria-expanded", String(!box.hidden));
    updateEmbed();
    if (!box.hidden) $("embed-code").select();
  });
  $("embed-controls").addEventListener("change", updateEmbed);
  $("embed-copy").addEventListener("click", () => {
    updateEmbed();
    const field = $("embed-code");
    copy(field.value, field, "Embed code copied: paste it into your page's HTML.", "Copy the selected code (Ctrl+C).");
  });

  // Downloads: images of the view at the current word; the trace and the HTML page from the server.
  $("download").addEventListener("click", async (e) => {
    const format = e.target?.dataset?.download;
    if (!format) return;
    $("download").open = false;
    const store = session.store;
    if (!store.meta || !store.done) {
      toast($("toast"), "Wait until the model has read the whole text, then download.", config.toastMs);
      return;
    }
    const s = state().with({ text: store.text, model: store.model });
    // The compare view holds several models: its files hold all of them.
    const view = session.view;
    const models = typeof view.pick === "function" ? view.pick().map((m) => m.name) : [store.model];
    toast($("toast"), `Preparing the ${format.toUpperCase()} file…`, config.toastMs);
    try {
      if (format === "png" || format === "svg") await downloadImage(view, s, format, models, store);
      else await downloadFile(s, format, format === "html" ? models : [store.model]);
    } catch (err) {
      // A refusal carries the server's detail and advice; anything else is a lost connection.
      const hint = err instanceof PageError ? err.hint : "Check that the server is still running, then try again.";
      showMessage($("message"), new PageError(`The ${format.toUpperCase()} download failed: ${err.message}`, hint));
    }
  });
  return updateEmbed;
}
