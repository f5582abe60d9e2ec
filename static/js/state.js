// The page's shareable state, mirrored in the URL (after tensorflow/playground's state.ts): the
// sentence, the model, the view, the step, the selected unit, presenter mode, and (for a stacked or
// bidirectional model) the layer and direction the views follow. The controls write
// this one object; it serialises itself, so a copied link shows a class exactly what the teacher saw.

// clamp and edit: the what-if experiment (whatif.js), each a JSON string.
const FIELDS = ["text", "model", "view", "step", "unit", "present", "layer", "direction", "clamp", "edit"];
const WHOLE = new Set(["step", "unit", "layer"]);

function whole(value) {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export class PageState {
  constructor(fields = {}) {
    this.text = undefined;
    this.model = undefined;
    this.view = undefined;
    this.step = undefined;
    this.unit = undefined;
    this.present = false;
    this.layer = undefined;     // undefined: the top layer (and nothing in the URL)
    this.direction = undefined; // undefined: forward
    this.clamp = undefined;
    this.edit = undefined;
    this.set(fields);
  }

  /** The state in an address bar's query; missing fields stay undefined, step and unit whole numbers. */
  static fromQuery(search = window.location.search) {
    const q = new URLSearchParams(search);
    const fields = {};
    for (const key of FIELDS) {
      if (!q.has(key)) continue;
      fields[key] = WHOLE.has(key) ? whole(q.get(key)) : q.get(key);
    }
    fields.present = fields.present === "1";
    return new PageState(fields);
  }

  /** Change some fields (the controls call this); returns this. */
  set(fields) {
    for (const key of FIELDS) if (key in fields) this[key] = fields[key];
    return this;
  }

  /** A copy with some fields changed (the embed snippet, a download). */
  with(fields) {
    return new PageState({ ...this.fields(), ...fields });
  }

  fields() {
    return Object.fromEntries(FIELDS.map((k) => [k, this[k]]));
  }

  /** The query string (fields left out when empty; unit 0 and presenter off are the defaults). */
  query({ only = FIELDS } = {}) {
    const q = new URLSearchParams();
    const keep = new Set(only);
    if (keep.has("text") && this.text) q.set("text", this.text);
    if (keep.has("model") && this.model) q.set("model", this.model);
    if (keep.has("view") && this.view) q.set("view", this.view);
    if (keep.has("step") && Number.isInteger(this.step)) q.set("step", String(this.step));
    if (keep.has("unit") && Number.isInteger(this.unit) && this.unit > 0) q.set("unit", String(this.unit));
    if (keep.has("present") && this.present) q.set("present", "1");
    if (keep.has("layer") && Number.isInteger(this.layer)) q.set("layer", String(this.layer));
    if (keep.has("direction") && this.direction) q.set("direction", this.direction);
    if (keep.has("clamp") && this.clamp) q.set("clamp", this.clamp);
    if (keep.has("edit") && this.edit) q.set("edit", this.edit);
    const s = q.toString();
    return s ? `?${s}` : "";
  }

  /** Replace the address bar's query (no new history entry: stepping is not navigation). */
  writeURL() {
    const url = `${window.location.pathname}${this.query()}`;
    if (url !== `${window.location.pathname}${window.location.search}`) {
      window.history.replaceState(null, "", url);
    }
  }

  /** The full link, for the "copy link" button. */
  link(path = window.location.pathname) {
    return `${window.location.origin}${path}${this.query()}`;
  }
}
