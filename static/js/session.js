// One trace on the page: the store every view reads, the Player, the views, and the stream that
// fills them. Shared by the app (/) and the embed page (/embed); both only add their own chrome.
//
// Calls to views: begin(meta), addStep(step) and selectUnit(u) go to every view; show(t) and
// resize() only to the visible view (and show(store.t) to a view when its tab opens). show() is
// also called, at most once per animation frame, when new steps arrive — a view that draws lazily
// in show() therefore stays current while the trace streams.

import config from "./config.js";
import { MemoryLedger, hasMemory } from "./derived.js";
import { BackwardLedger, lensFor, project } from "./lens.js";
import Player from "./player.js";
import { PageError, fetchTrace, streamTrace } from "./stream.js";
import { surfaceWords } from "./words.js";

export default class Session {
  /**
   * views: the view classes; roots: id -> element; models: the template's model list.
   * hooks: onChange(store, reason), onMessage(err | null), onState(state).
   */
  constructor({ views, roots, models, hooks }) {
    this.hooks = hooks;
    // words: the tokens as typed (words.js); ledger: the per-word memory decomposition of the
    // followed layer and direction (derived.js, lens.js), filled once here for every view that shows
    // it (null for a plain RNN). lens: the layer and direction the views follow; steps: the trace's
    // steps seen through it (lens.js project); raw: the steps as they arrived; verdict: the model's
    // answer on the whole text, from the stream's "done" event (label -> probability).
    this.store = { meta: null, steps: [], t: 0, unit: 0, total: 0, done: false, verdict: null, model: null, text: "",
                   words: [], glued: [], ledger: null, lens: { layer: 0, direction: "forward" }, raw: [] };
    this.wanted = {}; // the lens asked for (URL, pickers); made valid for each model at its meta
    this.ctx = {
      config,
      store: this.store,
      models,
      selectUnit: (u) => this.selectUnit(u),
      seek: (t) => { this.player.pause(); this.player.seek(t, "seek"); },
      fetchTrace,
    };
    this.views = new Map(views.map((V) => [V.id, new V(roots.get(V.id), this.ctx)]));
    this.current = views[0].id;
    this.pending = 0;
    this.abort = null;
    this.player = new Player({
      speeds: config.speeds,
      speed: config.defaultSpeed,
      onChange: (t, reason) => {
        this.store.t = t;
        // The first word is drawn once the network chunk that brought it has been read, with
        // every step in it (a short text arrives whole in one chunk): one Plotly redraw, not
        // one per step, and without waiting for the next animation frame.
        if (reason === "first") this.scheduleShow({ soon: true });
        else this.refresh(reason);
      },
      onPlayState: () => this.hooks.onChange(this.store, "playstate"),
    });
  }

  get view() {
    return this.views.get(this.current);
  }

  /** Show one view (the others stay drawn but are not updated until they are opened again). */
  setView(id) {
    if (!this.views.has(id)) return;
    this.current = id;
    if (this.store.meta) {
      this.safely(this.view, "show", this.store.t);
      // Its size or type may have changed while it was hidden (window resized, presenter mode).
      this.safely(this.view, "resize");
    }
    this.hooks.onChange(this.store, "view");
  }

  selectUnit(u) {
    const H = this.store.meta ? this.store.meta.model.hidden_size : 0;
    if (!Number.isInteger(u) || u < 0 || u >= H) return;
    this.store.unit = u;
    for (const v of this.views.values()) this.safely(v, "selectUnit", u);
    this.hooks.onChange(this.store, "unit");
  }

  resize() {
    if (this.store.meta) this.safely(this.view, "resize");
  }

  /** The ledger of the lens: forward, filled as steps arrive; backward, built once all have. */
  freshLedger() {
    const { meta, lens } = this.store;
    if (!hasMemory(meta.model.kind)) return null;
    return lens.direction === "reverse" ? null : new MemoryLedger(meta.model.kind);
  }

  /** Follow another layer or direction: the steps are projected again and every view starts over. */
  setLens(wanted) {
    this.wanted = { ...this.wanted, ...wanted };
    const store = this.store;
    if (!store.meta) return;
    const lens = lensFor(store.meta.model, this.wanted);
    if (lens.layer === store.lens.layer && lens.direction === store.lens.direction) return;
    store.lens = lens;
    const raw = store.raw;
    store.steps = [];
    store.backLedger = null;
    store.ledger = this.freshLedger();
    for (const v of this.views.values()) this.safely(v, "begin", store.meta);
    store.raw = [];
    for (const step of raw) this.arrive(step);
    this.refresh("lens");
  }

  /** One step through the lens into the store, the ledger and every view. */
  deliver(step) {
    const store = this.store;
    const seen = project(step, store.lens);
    store.steps.push(seen);
    if (store.lens.direction !== "reverse") store.ledger?.push(seen.layers[0]);
    for (const v of this.views.values()) this.safely(v, "addStep", seen);
  }

  /** A raw step has arrived: the steps the lens can show now (the backward reader's: all at the end). */
  arrive(step) {
    const store = this.store;
    store.raw.push(step);
    if (store.lens.direction !== "reverse") {
      this.deliver(step);
      // Both directions: the backward reader's ledger too, for the highway's second road.
      if (store.lens.direction === "both" && store.raw.length === store.total && hasMemory(store.meta.model.kind)) {
        const back = { ...store.lens, direction: "reverse" };
        store.backLedger = new BackwardLedger(store.meta.model.kind, store.raw.map((s) => project(s, back).layers[0]));
      }
      return [store.steps[store.steps.length - 1]];
    }
    if (store.raw.length < store.total) return [];
    if (hasMemory(store.meta.model.kind)) {
      store.ledger = new BackwardLedger(store.meta.model.kind, store.raw.map((s) => project(s, store.lens).layers[0]));
    }
    for (const s of store.raw) this.deliver(s);
    return store.steps;
  }

  // A view that throws must not take the page down with it: the others keep drawing, and the
  // error reaches the console (where the browser tests look for it).
  safely(view, method, ...args) {
    try {
      view[method](...args);
    } catch (err) {
      console.error(`view ${view.constructor.id}.${method}:`, err);
    }
  }

  refresh(reason) {
    if (this.store.meta && this.store.steps.length) {
      this.safely(this.view, "show", this.store.t);
      // When the visible view last drew, and how much: read by bench/browser.py.
      this.lastShow = { at: performance.now(), steps: this.store.steps.length, text: this.store.text };
    }
    this.hooks.onChange(this.store, reason);
  }

  // Steps can arrive faster than the screen refreshes: draw once per frame, whatever arrived.
  // soon: draw as soon as the current task (the stream reader dispatching a chunk) is done.
  scheduleShow({ soon = false } = {}) {
    if (this.pending) return;
    const draw = () => {
      this.pending = 0;
      this.refresh("steps");
    };
    if (soon) {
      this.pending = -1;
      queueMicrotask(draw);
    } else {
      this.pending = requestAnimationFrame(draw);
    }
  }

  /**
   * Read `text` with `model`. startAt: a step to open paused (a shared link); otherwise the player
   * plays from the first word as soon as it has arrived.
   */
  async run(text, model, { startAt = null, clamp = null, ghost = null } = {}) {
    this.abort?.abort();
    const controller = new AbortController();
    this.abort = controller;
    this.player.reset(0);
    this.hooks.onMessage(null);
    this.hooks.onState("streaming");
    const store = this.store;
    // A what-if experiment (whatif.js): the clamp the stream applies, and the unchanged run.
    store.clamp = clamp;
    store.ghost = ghost;
    let started = false;
    let arrived = 0; // steps of this run (the store still holds the last run's until meta)
    try {
      await streamTrace({ text, model, clamp }, {
        onMeta: (meta) => {
          const surface = surfaceWords(text, meta.tokens);
          Object.assign(store, {
            meta, steps: [], t: 0, total: meta.tokens.length, done: false, verdict: null, model: meta.model.name, text,
            words: surface.map((w) => w.word), glued: surface.map((w) => w.glued),
            lens: lensFor(meta.model, this.wanted), raw: [], backLedger: null,
          });
          store.ledger = this.freshLedger();
          const unitGone = store.unit >= meta.model.hidden_size;
          if (unitGone) store.unit = 0;
          this.player.reset(store.total);
          for (const v of this.views.values()) this.safely(v, "begin", meta);
          // Views read store.unit when they draw; tell them only if the selection had to change.
          if (unitGone) for (const v of this.views.values()) this.safely(v, "selectUnit", store.unit);
          this.hooks.onChange(store, "begin");
        },
        onStep: (raw) => {
          arrived += 1;
          const shown = this.arrive(raw);
          if (!shown.length) return;
          this.player.setAvailable(store.steps.length);
          for (const step of shown) this.hooks.onChange(store, "arrived", step);
          if (!started && (startAt === null || store.steps.length > Math.min(startAt, store.total - 1))) {
            started = true;
            if (startAt === null) {
              this.player.seek(0, "first");
              this.player.play();
            } else {
              this.player.seek(Math.min(startAt, store.total - 1), "first");
            }
          } else {
            this.scheduleShow();
          }
        },
        onDone: (done) => {
          store.verdict = done.verdict; // the model's answer on the whole text (label -> probability)
          store.done = true;
        },
      }, controller.signal);
      if (controller !== this.abort) return;
      if (store.total === 0) {
        throw new PageError("There are no words in this text for the model to read.",
                            "Type a sentence with some words in it, or pick an example.");
      }
      this.hooks.onState("ready");
      this.refresh("done");
      this.warnUnknown();
    } catch (err) {
      if (controller.signal.aborted) return;
      if (err instanceof PageError && err.kind === "connection" && arrived) {
        err.message = `The connection to the server was lost after ${arrived} of ${store.total} words.`;
        err.hint = "What arrived is still shown. Check that the server is running, then press Run again.";
      }
      if (!(err instanceof PageError)) console.error(err);
      this.hooks.onState(arrived ? "partial" : "error");
      this.hooks.onMessage(err instanceof PageError ? err : new PageError(String(err)));
    }
  }

  warnUnknown() {
    const steps = this.store.steps;
    const unknown = steps.filter((s) => !s.known).length;
    if (steps.length && unknown / steps.length > config.unknownWarnShare) {
      this.hooks.onMessage(new PageError(
        `${unknown} of ${steps.length} words are not in this model's vocabulary, so it read them all as `
          + "the same placeholder, <unk> (grey, with a “?”). Its gates can say little about this text.",
        "Try everyday English words — a short review works best — or pick one of the examples.",
        { kind: "warning" },
      ));
    }
  }
}
