// Squashing in real arithmetic, exactly as app/core/squashing.py computes it (a browser test checks
// that the two agree number for number): why a recurrence goes through tanh, and a gate through σ.

/** σ(x) written through tanh, as app/core/squashing.py does (the same rounding). */
export function sigmoid(x) {
  return 0.5 * (1.0 + Math.tanh(0.5 * x));
}

/**
 * Step k = 0 … steps of three recurrences from the same start value:
 * multiplied: x_k = weight · x_{k−1};  tanh: y_k = tanh(weight · y_{k−1});
 * gated: z_k = σ(gatePreactivation) · z_{k−1}, the gate's value in `gate`.
 */
export function squashing({ start = 0.5, weight = 3.0, steps = 10, gatePreactivation = 2.2 } = {}) {
  if (!Number.isInteger(steps) || steps < 0 || steps > 1000) {
    throw new RangeError(`steps must be from 0 to 1000, got ${steps}`);
  }
  const gate = sigmoid(gatePreactivation);
  const multiplied = [start];
  const squashed = [start];
  const gated = [start];
  for (let k = 0; k < steps; k++) {
    multiplied.push(weight * multiplied[k]);
    squashed.push(Math.tanh(weight * squashed[k]));
    gated.push(gate * gated[k]);
  }
  return { step: [...Array(steps + 1).keys()], weight, gate, multiplied, tanh: squashed, gated };
}
