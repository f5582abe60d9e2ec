// The page's controls: the transport (play/pause, step, speed, scrubber), the words strip, the
// keyboard, the tabs. They only call the Player and the Session and show their state; they hold none.

function el(tag, props = {}, text = "") {
  const node = document.createElement(tag);
  Object.assign(node, props);
  if (text) node.textContent = text;
  return node;
}

/** Bind the transport bar and the keyboard to a Player. Returns update(), called on every change. */
export function bindTransport(player, config) {
  const $ = (id) => document.getElementById(id);
  const play = $("play");
  const scrub = $("scrub");
  const speed = $("speed");
  const position = $("position");

  speed.replaceChildren(...config.speeds.map((s) => el("option", { value: s.id }, s.label)));
  speed.value = player.speed.id;
  speed.addEventListener("change", () => player.setSpeed(speed.value));
  play.addEventListener("click", () => player.toggle());
  $("back").addEventListener("click", () => player.step(-1));
  $("forward").addEventListener("click", () => player.step(1));
  $("home").addEventListener("click", () => player.home());
  $("end").addEventListener("click", () => player.end());
  scrub.addEventListener("input", () => { player.pause(); player.seek(Number(scrub.value), "scrub"); });

  // Keys work anywhere except while typing; the page's own buttons do not also react to space.
  document.addEventListener("keydown", (e) => {
    const tag = e.target?.tagName;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && e.target.type !== "range")) return;
    const keys = {
      " ": () => player.toggle(),
      ArrowLeft: () => player.step(-1),
      ArrowRight: () => player.step(1),
      Home: () => player.home(),
      End: () => player.end(),
    };
    const act = keys[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  });

  return function update(store) {
    const total = store.total;
    scrub.max = String(Math.max(0, total - 1));
    scrub.value = String(store.t);
    scrub.disabled = total === 0;
    play.textContent = player.playing ? "❚❚ Pause" : "▶ Play";
    play.setAttribute("aria-pressed", String(player.playing));
    const step = store.steps[store.t];
    position.textContent = step
      ? `word ${store.t + 1} of ${total}: “${step.token}”${step.known ? "" : " (unknown)"}`
      : (total ? `reading… 0 of ${total}` : "no words yet");
  };
}

/** The sentence as the model read it, one button per token; clicking a word goes to it. */
export class WordStrip {
  constructor(root, onPick) {
    this.root = root;
    this.buttons = [];
    this.current = -1;
    root.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-t]");
      if (b) onPick(Number(b.dataset.t));
    });
  }

  /** words: the tokens as typed; glued[t]: no space before word t in the text (the "n't" of "can't"). */
  begin(words, glued = []) {
    this.current = -1;
    this.root.scrollLeft = 0;
    this.buttons = words.map((word, t) => el("button", {
      type: "button", className: `word pending${glued[t] ? " glued" : ""}`, title: `word ${t + 1}`,
    }, word));
    this.buttons.forEach((b, t) => { b.dataset.t = String(t); });
    this.root.replaceChildren(...this.buttons);
  }

  /** A step arrived: the word is now readable; unknown words are marked, with the reason. */
  arrived(step) {
    const b = this.buttons[step.t];
    if (!b) return;
    b.classList.remove("pending");
    if (!step.known) {
      b.classList.add("unk");
      b.title = `word ${step.t + 1}: not in this model's vocabulary, so it was read as <unk>`;
    }
  }

  show(t) {
    if (t === this.current) return;
    this.buttons[this.current]?.classList.remove("current");
    this.buttons[this.current]?.removeAttribute("aria-current");
    const b = this.buttons[t];
    this.current = t;
    if (!b) return;
    b.classList.add("current");
    b.setAttribute("aria-current", "step");
    // Keep the current word in sight inside the one-row strip without scrolling the page itself.
    const left = b.offsetLeft - this.root.offsetLeft;
    if (left < this.root.scrollLeft || left + b.offsetWidth > this.root.scrollLeft + this.root.clientWidth) {
      this.root.scrollLeft = Math.max(0, left - this.root.clientWidth / 3);
    }
  }
}

/** The tab bar of the views; onPick(id) when a tab is chosen. */
export function buildTabs(nav, views, onPick) {
  const tabs = views.map((V) => {
    const b = el("button", {
      type: "button", id: `tab-${V.id}`, className: "tab", role: "tab",
    }, V.title || V.id);
    b.setAttribute("role", "tab");
    b.setAttribute("aria-controls", `view-${V.id}`);
    b.addEventListener("click", () => onPick(V.id));
    return b;
  });
  nav.replaceChildren(...tabs);
  return (id) => {
    for (const b of tabs) {
      const on = b.id === `tab-${id}`;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
    }
  };
}
