"""PyTorch twins: random Embedding + LSTM/GRU/RNN + Linear models, their model directories, and a
step-by-step re-computation that keeps every intermediate (the reference the engine must match)."""

from __future__ import annotations

import numpy as np

from tests.modeldirs import random_state_dict, write_model_dir

__all__ = ["random_state_dict", "torch_reference", "write_model_dir"]


def torch_reference(kind: str, sd: dict[str, np.ndarray], ids: list[int]) -> dict[str, np.ndarray]:
    """Re-compute the model step by step in PyTorch, keeping every intermediate, (T, L, H) each;
    also checks that the re-computation equals nn.LSTM/GRU/RNN's own fused forward."""
    import torch

    t = {key: torch.from_numpy(value) for key, value in sd.items()}
    L = sum(1 for key in sd if key.startswith("rnn.weight_hh_l"))
    H = sd["rnn.weight_hh_l0"].shape[1]
    E = sd["embedding.weight"].shape[1]
    x = t["embedding.weight"][torch.tensor(ids)]  # (T, E)
    out: dict[str, list[list[torch.Tensor]]] = {}

    def keep(name: str, value: torch.Tensor, k: int) -> None:
        out.setdefault(name, [[] for _ in range(L)])[k].append(value)

    for k in range(L):
        W_ih, W_hh = t[f"rnn.weight_ih_l{k}"], t[f"rnn.weight_hh_l{k}"]
        b_ih, b_hh = t[f"rnn.bias_ih_l{k}"], t[f"rnn.bias_hh_l{k}"]
        h = torch.zeros(H)
        c = torch.zeros(H)
        hs = []
        for step in range(x.shape[0]):
            gi = W_ih @ x[step] + b_ih
            gh = W_hh @ h + b_hh
            if kind == "lstm":
                i, f, g, o = (gi + gh).chunk(4)
                i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
                c = f * c + i * g
                h = o * torch.tanh(c)
                for name, v in (("input", i), ("forget", f), ("candidate", g), ("output", o),
                                ("cell", c)):
                    keep(name, v, k)
            elif kind == "gru":
                i_r, i_z, i_n = gi.chunk(3)
                h_r, h_z, h_n = gh.chunk(3)
                r = torch.sigmoid(i_r + h_r)
                z = torch.sigmoid(i_z + h_z)
                n = torch.tanh(i_n + r * h_n)
                h = (1 - z) * n + z * h
                for name, v in (("reset", r), ("update", z), ("candidate", n)):
                    keep(name, v, k)
            else:
                h = torch.tanh(gi + gh)
            keep("hidden", h, k)
            hs.append(h)
        x = torch.stack(hs)

    # The fused module must agree with the step-by-step re-computation.
    module_cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
    module = module_cls(E, H, num_layers=L)
    module.load_state_dict({key[4:]: value for key, value in t.items() if key.startswith("rnn.")})
    with torch.no_grad():
        fused, _ = module(t["embedding.weight"][torch.tensor(ids)][:, None, :])
    np.testing.assert_allclose(fused[:, 0].numpy(), x.numpy(), atol=1e-5)

    result = {name: torch.stack([torch.stack(v) for v in per_layer], dim=1).numpy()
              for name, per_layer in out.items()}
    logits = x @ t["head.weight"].T + t["head.bias"]
    result["probs"] = torch.softmax(logits, dim=-1).numpy()
    return result
