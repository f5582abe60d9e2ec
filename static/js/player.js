// The Player owns time (after tensorflow/playground's Player): which word is current, whether it is
// playing and how fast. Views never keep their own clock; they are told show(t) when t changes.
// While a trace is still streaming, playing waits at the last word that has arrived.

export default class Player {
  /** speeds: [{id, ms}], onChange(t, reason) is called whenever the current step changes. */
  constructor({ speeds, speed, onChange, onPlayState }) {
    this.speeds = speeds;
    this.speed = speeds.find((s) => s.id === speed) ?? speeds[0];
    this.onChange = onChange;
    this.onPlayState = onPlayState ?? (() => {});
    this.t = 0;
    this.available = 0; // steps that have arrived
    this.total = 0;     // steps the trace will have
    this.playing = false;
    this.frame = 0;
    this.last = 0;
    this.elapsed = 0;
    this.tick = this.tick.bind(this);
  }

  /** A new trace of `total` steps starts; nothing has arrived yet. */
  reset(total) {
    this.pause();
    this.total = total;
    this.available = 0;
    this.t = 0;
  }

  /** More steps arrived (n in all). */
  setAvailable(n) {
    this.available = n;
  }

  get last_step() {
    return Math.max(0, this.available - 1);
  }

  /** Go to step t (clamped to the steps that have arrived). */
  seek(t, reason = "seek") {
    const next = Math.min(Math.max(0, Math.round(t)), this.last_step);
    if (next === this.t && reason !== "first") return;
    this.t = next;
    this.elapsed = 0;
    this.onChange(this.t, reason);
  }

  step(delta) {
    this.pause();
    this.seek(this.t + delta, "step");
  }

  home() { this.pause(); this.seek(0, "step"); }

  end() { this.pause(); this.seek(this.last_step, "step"); }

  setSpeed(id) {
    this.speed = this.speeds.find((s) => s.id === id) ?? this.speed;
  }

  play() {
    if (this.playing || this.total === 0) return;
    // Pressing play on the last word replays from the first, as a class expects.
    if (this.t >= this.total - 1 && this.available >= this.total) this.seek(0, "play");
    this.playing = true;
    this.last = performance.now();
    this.elapsed = 0;
    this.frame = requestAnimationFrame(this.tick);
    this.onPlayState(true);
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.onPlayState(false);
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  // One animation frame: advance a word each time `speed.ms` has passed. Runs every frame while
  // playing so the frame rate can be measured, but views only redraw when the word changes.
  tick(now) {
    if (!this.playing) return;
    this.elapsed += now - this.last;
    this.last = now;
    if (this.elapsed >= this.speed.ms) {
      this.elapsed = 0;
      if (this.t < this.available - 1) {
        this.seek(this.t + 1, "play");
      } else if (this.available >= this.total) {
        this.pause();
        return;
      }
    }
    this.frame = requestAnimationFrame(this.tick);
  }
}
