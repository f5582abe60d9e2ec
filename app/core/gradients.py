"""Exact gradients through time: how strongly each earlier word can still move the prediction.

    connectivity[t, s] = ‖∂ log p_label(t) / ∂ e_s‖₂  for s ≤ t, 0 above the diagonal,

where p_label(t) is the head's softmax at step t and e_s the embedding row read for token s (the
<unk> row for an unknown word; each position is its own input, even where a word repeats). And
the per-step factors of the long product the articles talk about, and the product itself:

    jacobian_norms[t] = ‖∂S_t / ∂S_{t−1}‖₂, the spectral norm (largest singular value),
    product_norms[t]  = ‖∂S_t / ∂S_0‖₂ = ‖J_t ⋯ J_1‖₂,

where S_t is the whole recurrent state after word t, every layer's h (and the LSTM's c too: its
cell path is the point), with the word's input held fixed; t = 0 is taken at the zero initial
state. ‖∂S_t/∂S_s‖ ≤ Π jacobian_norms over the steps s+1..t, the bound the vanishing-gradient
argument is about; the real product can be far smaller than the bound (the factors stretch
different directions), which is why both are given.

All rows at once: one backward sweep from the last word to the first carries the adjoints of every
row t still active (t ≥ s), so a T × T map costs T steps of (rows × G·H) matrix products, about
T²/2 row-steps in all (grad_steps.py). float64 throughout. Clamps act as in the forward pass: a
pinned gate is a constant, so no gradient flows through it.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from . import cells, grad_kernels, grad_steps, kernels
from .clamp import Clamp, build_pins
from .kinds import KINDS
from .tokenizer import UNK

if TYPE_CHECKING:
    from .model import Model

F64 = NDArray[np.float64]
# Where each gate sits in PyTorch's stacked rows (LSTM i f g o, GRU r z n).
GATE_BLOCK = {name: {gate: kind.blocks.index(gate) for gate in kind.gates}
              for name, kind in KINDS.items()}


def _compiled(source: ModuleType, names: tuple[str, ...]) -> ModuleType:
    """A second copy of `source` whose functions `names` numba compiles. A copy, so the numpy
    engine keeps the plain functions; they call one another by their global names, which in the
    copy are the compiled ones. cache=True keeps the machine code beside the source file."""
    assert kernels.numba is not None
    spec = importlib.util.spec_from_file_location(f"{source.__name__}_numba", source.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # numba's cache finds a function's module by its name
    spec.loader.exec_module(module)
    jit = kernels.numba.njit(cache=True, nogil=True, error_model="numpy")
    for name in names:
        setattr(module, name, jit(getattr(module, name)))
    return module


def _compiled_steps() -> ModuleType | None:
    """grad_steps compiled, with grad_kernels' unit-by-unit layer passes in place of its own.
    numba compiles np.dot through SciPy's BLAS: without SciPy the numpy engine runs instead."""
    if kernels.numba is None or importlib.util.find_spec("scipy") is None:
        return None
    steps, loops = _compiled(grad_steps, grad_steps.FUNCTIONS), _compiled(grad_kernels,
                                                                           grad_kernels.FUNCTIONS)
    for name in grad_steps.LAYER.values():
        setattr(steps, name, getattr(loops, name))
    return steps


NUMBA_STEPS = _compiled_steps()


@cache
def _blas() -> Any:
    """BLAS's thread pools, to run these small products on one thread: handing a (200 × 128) by
    (128 × 32) product to two threads costs more than it saves, and on a busy machine the
    hand-offs made all pairs at T = 200 forty times slower (0.8 s instead of 18 ms)."""
    if importlib.util.find_spec("scipy") is not None:  # numba's np.dot: its BLAS, loaded first
        import scipy.linalg.cython_blas  # type: ignore[import-untyped]  # noqa: F401
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return ThreadpoolController()


class LabelError(ValueError):
    """A label the model does not have; the message names the ones it has."""


@dataclass(frozen=True)
class Gradients:
    """What `gradients` computed on one sentence."""

    model: dict[str, Any]  # name, kind, hidden_size, num_layers, labels (as Trace.model)
    text: str
    tokens: list[str]
    known: NDArray[np.bool_]  # (T,) false where the token fell back to <unk>
    label: str
    connectivity: F64  # (T, T): [t, s] = ‖∂ log p_label(t) / ∂ e_s‖₂, 0 for s > t
    jacobian_norms: F64  # (T,): ‖∂S_t / ∂S_{t−1}‖₂ (spectral norm), S = every layer's state
    product_norms: F64  # (T,): ‖∂S_t / ∂S_0‖₂, the norm of the real long product from word 0
    label_probs: F64  # (T,): p_label(t), from the same float64 forward pass

    def to_dict(self) -> dict[str, Any]:
        """The JSON of POST /api/connectivity, at full precision."""
        return {"model": dict(self.model), "text": self.text, "tokens": self.tokens,
                "known": self.known.tolist(), "label": self.label,
                "label_probs": self.label_probs.tolist(), "connectivity": self.connectivity.tolist(),
                "jacobian_norms": self.jacobian_norms.tolist(), "jacobian_norm": "spectral",
                "product_norms": self.product_norms.tolist()}

    def table(self) -> str:
        """One row per word s: how strongly it can still move log p_label at the last word,
        p_label after it, and its step's Jacobian norm (the factor it multiplies the product by)."""
        rows = [["s", "token", f"‖∂ log p({self.label}) at the end / ∂ e_s‖", f"p({self.label})",
                 "‖∂S_s/∂S_s−1‖₂"]]
        last = self.connectivity[-1]
        for s, token in enumerate(self.tokens):
            shown = token if self.known[s] else f"{token} (unknown)"
            rows.append([str(s), shown, f"{last[s]:.3e}", f"{self.label_probs[s]:.3f}",
                         f"{self.jacobian_norms[s]:.3f}" if len(self.jacobian_norms) else ""])
        widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)


def _engine() -> ModuleType:
    """The engine that runs the forward pass runs these too: compiled unless model.py was told to
    use the numpy loops (GATESCOPE_ENGINE=numpy, no numba, or a test's `engine` fixture)."""
    from . import model

    if NUMBA_STEPS is None or model.STEP_LOOPS is cells.LAYERS:
        return grad_steps
    return NUMBA_STEPS


class _Run:
    """The float64 weights, pins and forward pass of one model on one sentence."""

    def __init__(self, model: Model, tokens: Sequence[str],
                 clamp: Sequence[Clamp | Mapping[str, Any]] | None) -> None:
        c = model.config
        self.kind, T, H, L = c.kind, len(tokens), c.hidden_size, c.num_layers
        if T == 0:
            raise ValueError("the text has no words: type at least one word")
        G = len(KINDS[c.kind].blocks) * H
        pins = build_pins(clamp or [], c.kind, T, H, L)
        ids = np.fromiter((model.index.get(tok, -1) for tok in tokens), dtype=np.intp, count=T)
        self.known = ids >= 0
        ids[~self.known] = model.index[UNK]
        free, value = np.ones((L, T, G)), np.zeros((L, T, G))
        for k, layer_pins in enumerate(pins):
            for name, pin in layer_pins.items():
                cols = slice(GATE_BLOCK[c.kind][name] * H, (GATE_BLOCK[c.kind][name] + 1) * H)
                free[k, :, cols][pin.mask] = 0.0
                value[k, :, cols][pin.mask] = pin.value[pin.mask]

        def f64(a: NDArray[Any]) -> F64:
            return np.ascontiguousarray(a, dtype=np.float64)

        ws = model.layers
        self.w_ih0, self.w_hh = f64(ws[0].w_ih), f64(np.stack([w.w_hh for w in ws]))
        self.w_ih_up = f64(np.stack([w.w_ih for w in ws[1:]]) if L > 1 else np.zeros((0, G, H)))
        self.steps = _engine()
        self.coef, self.top = self.steps.forward(
            c.kind, f64(model.embedding[ids]), f64(self.w_ih0.T), f64(self.w_ih_up.transpose(0, 2, 1)),
            f64(self.w_hh.transpose(0, 2, 1)), f64(np.stack([w.b_ih for w in ws])),
            f64(np.stack([w.b_hh for w in ws])), free, value)
        self.T, self.H, self.L = T, H, L
        self.head_w = f64(model.head_weight)
        logits = self.top @ self.head_w.T + model.head_bias.astype(np.float64)  # (T, C)
        logits -= logits.max(axis=1, keepdims=True)
        self.log_probs: F64 = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))

    def back(self, s: int, dh: F64, dc: F64, k0: int) -> F64:
        back = getattr(self.steps, grad_steps.BACK[self.kind])
        out: F64 = back(self.coef[s], self.w_ih0, self.w_ih_up, self.w_hh, dh, dc, k0)
        return out

    def connectivity(self, label: int, targets: NDArray[np.intp]) -> F64:
        """Rows `targets` (sorted, distinct) of the T × T map; the other rows stay 0."""
        # ∂ log p_label / ∂ h_t (top layer) = W[label] − Σ_c p_c W[c]
        head_grad = self.head_w[label] - np.exp(self.log_probs) @ self.head_w  # (T, H)
        rows = self.steps.sweep(grad_steps.KIND_CODE[self.kind], self.coef, self.w_ih0,
                                self.w_ih_up, self.w_hh, head_grad, targets)
        out = np.zeros((self.T, self.T))
        out[targets] = rows
        return out

    def jacobians(self) -> F64:
        """∂S_t/∂S_{t−1} for every t, (T, D, D): one step back from the identity (one row per
        state coordinate) gives the whole Jacobian; S_t = (c⁰, h⁰, c¹, h¹, ...) or (h⁰, h¹, ...)."""
        T, H, L = self.T, self.H, self.L
        parts = 2 if self.kind == "lstm" else 1  # LSTM state blocks per layer: c, h
        D = parts * L * H
        eye = np.eye(H)
        jac = np.empty((T, D, D))
        for t in range(T):
            dh, dc = np.zeros((L, D, H)), np.zeros((L, D, H))
            for k in range(L):
                base = parts * k * H
                if parts == 2:
                    dc[k, base : base + H] = eye
                dh[k, base + (parts - 1) * H : base + parts * H] = eye
            self.back(t, dh, dc, 0)
            # column blocks in the same order as the rows: ∂S_t / ∂(c⁰, h⁰, c¹, ...)_{t−1}
            jac[t] = np.concatenate([b for k in range(L)
                                     for b in ((dc[k], dh[k]) if parts == 2 else (dh[k],))], axis=1)
        return jac


def spectral_norms(jac: F64) -> tuple[F64, F64]:
    """Each step's ‖∂S_t/∂S_{t−1}‖₂, and the norm of their real product ‖∂S_t/∂S_0‖₂ (1 at t = 0):
    the product of the norms only bounds it, because the factors stretch different directions.
    The running product is rescaled at every step (its scale kept as a logarithm), so a product
    that vanishes stays a normal float64 matrix: no denormals, which are slow, and no underflow
    before the norm itself leaves float64's range."""
    T, D = jac.shape[0], jac.shape[1]
    product, log_scale = np.eye(D), np.zeros(T)
    chained = np.empty((T, D, D))
    for t in range(T):
        if t > 0:
            product = jac[t] @ product
            size = float(np.abs(product).max())
            if size > 0:
                product /= size
                log_scale[t] = log_scale[t - 1] + np.log(size)
            else:
                log_scale[t] = -np.inf
        chained[t] = product
    sv = np.linalg.svd(np.concatenate([jac, chained]), compute_uv=False)[:, 0]
    with np.errstate(under="ignore", divide="ignore"):
        products = np.exp(np.log(sv[T:]) + log_scale)
    return sv[:T].astype(np.float64), products.astype(np.float64)


def label_index(labels: Sequence[str], label: str | None, log_probs: F64) -> int:
    """The label's index; None means the label predicted at the last word."""
    if label is None:
        return int(np.argmax(log_probs[-1]))
    if label not in labels:
        raise LabelError(f"label {label!r} is not one of this model's labels: "
                         f"{', '.join(labels)}")
    return list(labels).index(label)


def gradients(model: Model, tokens: Sequence[str], label: str | None = None,
              clamp: Sequence[Clamp | Mapping[str, Any]] | None = None,
              rows: Sequence[int] | None = None, jacobians: bool = True,
              text: str | None = None) -> Gradients:
    """Connectivity (all rows, or only `rows`, e.g. [T − 1]) and the Jacobian norms of the
    tokenized sentence `tokens` (`text`: the sentence as typed, kept for titles and JSON)."""
    model.require_one_direction("connectivity")
    with _blas().limit(limits=1, user_api="blas"):
        return _gradients(model, tokens, label, clamp, rows, jacobians, text)


def _gradients(model: Model, tokens: Sequence[str], label: str | None,
               clamp: Sequence[Clamp | Mapping[str, Any]] | None, rows: Sequence[int] | None,
               jacobians: bool, text: str | None) -> Gradients:
    run = _Run(model, tokens, clamp)
    k = label_index(model.config.labels, label, run.log_probs)
    targets = np.arange(run.T, dtype=np.intp) if rows is None else \
        np.unique(np.asarray([t + run.T if t < 0 else t for t in rows], dtype=np.intp))
    if len(targets) and not (targets[0] >= 0 and targets[-1] < run.T):
        raise ValueError(f"rows must be steps from 0 to {run.T - 1} (or negative, from the end)")
    norms, products = spectral_norms(run.jacobians()) if jacobians else (np.zeros(0), np.zeros(0))
    return Gradients(
        model=model.config.summary(), text=" ".join(tokens) if text is None else text, tokens=list(tokens),
        known=run.known, label=model.config.labels[k],
        connectivity=run.connectivity(k, targets),
        jacobian_norms=norms, product_norms=products,
        label_probs=np.exp(run.log_probs[:, k]),
    )
