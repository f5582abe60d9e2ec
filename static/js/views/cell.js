// The cell view — being written (issue 5). Every view module follows this interface:
//
// export default class View {
//   static id = "cell";            // used in the URL (?view=cell) and in element ids
//   static title = "...";          // the tab label
//   static explain = "...";        // a short explanation shown beside the view, plain text
//   constructor(root, ctx)         // root: the HTMLElement this view draws in (it owns it);
//                                  // ctx: { config, store, selectUnit(u) } — config from js/config.js,
//                                  // store: { meta, steps: [], t, unit } (the trace so far; steps are
//                                  // the trace JSON's steps), selectUnit(u) selects a unit everywhere
//   begin(meta)                    // a new trace starts: meta = { model, text, tokens }; clear and draw
//                                  // the empty chart once (Plotly.newPlot)
//   addStep(step)                  // one streamed step arrived (store.steps already holds it); append
//   show(t)                        // the player's current step is t; update (restyle / relayout / animate)
//   selectUnit(u)                  // the selected unit is u (an index into the top layer's units)
//   resize()                       // the container changed size
// }
// Hidden views may defer drawing until show() is first called while visible.
export default class View {
  static id = "cell";
  static title = "Cell";
  static explain = "";
  constructor(root, ctx) { this.root = root; this.ctx = ctx; }
  begin(meta) {}
  addStep(step) {}
  show(t) {}
  selectUnit(u) {}
  resize() {}
}
