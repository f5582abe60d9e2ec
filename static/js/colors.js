// Colours of values on palette.json's scales, for the views that paint HTML or SVG themselves (the
// cell diagram, the whiteboard, the memory words, the unit strips). Ink colours from config.js.
import config from "./config.js";

// Colours are looked up in a table of 256 steps per scale, made once: views recolour hundreds of
// words or squares on every frame while the player runs.
const TABLES = new WeakMap();

function table(scale) {
  let t = TABLES.get(scale);
  if (!t) {
    t = { fill: [], ink: [] };
    for (let k = 0; k < 256; k++) {
      const rgb = interpolate(scale, k / 255);
      t.fill.push(`rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`);
      t.ink.push(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140 ? config.colors.inkOnLight : config.colors.inkOnDark);
    }
    TABLES.set(scale, t);
  }
  return t;
}

function step(value, lo, hi) {
  const x = (value - lo) / (hi - lo || 1);
  return Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0.5)));
}

function interpolate(scale, x) {
  let k = 1;
  while (k < scale.length - 1 && scale[k][0] < x) k++;
  const [s0, c0] = scale[k - 1];
  const [s1, c1] = scale[k];
  const w = s1 > s0 ? Math.min(1, Math.max(0, (x - s0) / (s1 - s0))) : 0;
  const a = hexRgb(c0);
  const b = hexRgb(c1);
  return a.map((v, j) => Math.round(v + (b[j] - v) * w));
}

/** The colour of `value` on one of palette.json's scales ([[stop, "#rrggbb"], ...]) over [lo, hi];
 *  values outside the range take the end colours. */
export function scaleColor(scale, value, lo = 0, hi = 1) {
  return table(scale).fill[step(value, lo, hi)];
}

/** Black or white, whichever reads better on a background of this scale colour. */
export function inkOn(scale, value, lo = 0, hi = 1) {
  return table(scale).ink[step(value, lo, hi)];
}

function hexRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
