"""PyTorch twins: random Embedding + LSTM/GRU/RNN + Linear models, their model directories, and a
step-by-step re-computation that keeps every intermediate (the reference the engine must match)."""

from __future__ import annotations

import numpy as np

from tests.modeldirs import random_state_dict, write_model_dir

__all__ = ["random_state_dict", "torch_final_states_probs", "torch_reference", "write_model_dir"]


def torch_reference(kind: str, sd: dict[str, np.ndarray], ids: list[int]) -> dict[str, np.ndarray]:
    """Re-compute the model step by step in PyTorch, keeping every intermediate, (T, L, H) each
    (a bidirectional model's reverse direction as "reverse.<name>", indexed by token position);
    also checks that the re-computation equals nn.LSTM/GRU/RNN's own fused forward."""
    import torch

    t = {key: torch.from_numpy(value) for key, value in sd.items()}
    L = sum(1 for key in sd if key.startswith("rnn.weight_hh_l") and not key.endswith("_reverse"))
    bidirectional = "rnn.weight_hh_l0_reverse" in sd
    H = sd["rnn.weight_hh_l0"].shape[1]
    E = sd["embedding.weight"].shape[1]
    x = t["embedding.weight"][torch.tensor(ids)]  # (T, E)
    T = x.shape[0]
    out: dict[str, list[list[torch.Tensor]]] = {}

    def keep(name: str, value: torch.Tensor, k: int) -> None:
        out.setdefault(name, [[] for _ in range(L)])[k].append(value)

    for k in range(L):
        outputs = []
        for suffix, prefix, order in (("", "", range(T)), ("_reverse", "reverse.", range(T - 1, -1, -1))
                                      )[:2 if bidirectional else 1]:
            W_ih, W_hh = t[f"rnn.weight_ih_l{k}{suffix}"], t[f"rnn.weight_hh_l{k}{suffix}"]
            b_ih, b_hh = t[f"rnn.bias_ih_l{k}{suffix}"], t[f"rnn.bias_hh_l{k}{suffix}"]
            h = torch.zeros(H)
            c = torch.zeros(H)
            hs: dict[int, torch.Tensor] = {}
            steps: dict[str, dict[int, torch.Tensor]] = {}
            for step in order:
                gi = W_ih @ x[step] + b_ih
                gh = W_hh @ h + b_hh
                if kind == "lstm":
                    i, f, g, o = (gi + gh).chunk(4)
                    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
                    c = f * c + i * g
                    h = o * torch.tanh(c)
                    values = {"input": i, "forget": f, "candidate": g, "output": o, "cell": c}
                elif kind == "gru":
                    i_r, i_z, i_n = gi.chunk(3)
                    h_r, h_z, h_n = gh.chunk(3)
                    r = torch.sigmoid(i_r + h_r)
                    z = torch.sigmoid(i_z + h_z)
                    n = torch.tanh(i_n + r * h_n)
                    h = (1 - z) * n + z * h
                    values = {"reset": r, "update": z, "candidate": n}
                else:
                    h = torch.tanh(gi + gh)
                    values = {}
                values["hidden"] = h
                for name, v in values.items():
                    steps.setdefault(name, {})[step] = v
                hs[step] = h
            for name, by_step in steps.items():  # in token order, whichever way it was read
                for step in range(T):
                    keep(prefix + name, by_step[step], k)
            outputs.append(torch.stack([hs[step] for step in range(T)]))
        x = torch.cat(outputs, dim=1)  # (T, D·H): the next layer reads both directions

    # The fused module must agree with the step-by-step re-computation.
    module_cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
    module = module_cls(E, H, num_layers=L, bidirectional=bidirectional)
    module.load_state_dict({key[4:]: value for key, value in t.items() if key.startswith("rnn.")})
    with torch.no_grad():
        fused, _ = module(t["embedding.weight"][torch.tensor(ids)][:, None, :])
    np.testing.assert_allclose(fused[:, 0].numpy(), x.numpy(), atol=1e-5)

    result = {name: torch.stack([torch.stack(v) for v in per_layer], dim=1).numpy()
              for name, per_layer in out.items()}
    logits = x @ t["head.weight"].T + t["head.bias"]
    result["probs"] = torch.softmax(logits, dim=-1).numpy()
    return result


def torch_final_states_probs(kind: str, sd: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    """(C,) softmax(head(cat(h_n[-2], h_n[-1]))) of PyTorch's fused bidirectional module: the head
    on the top layer's final states, as PyTorch code usually reads a bidirectional RNN."""
    import torch

    t = {key: torch.from_numpy(value) for key, value in sd.items()}
    L = sum(1 for key in sd if key.startswith("rnn.weight_hh_l") and not key.endswith("_reverse"))
    H, E = sd["rnn.weight_hh_l0"].shape[1], sd["embedding.weight"].shape[1]
    module_cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
    module = module_cls(E, H, num_layers=L, bidirectional=True)
    module.load_state_dict({key[4:]: value for key, value in t.items() if key.startswith("rnn.")})
    with torch.no_grad():
        _, h_n = module(t["embedding.weight"][torch.tensor(ids)][:, None, :])
        h_n = h_n[0] if kind == "lstm" else h_n  # an LSTM returns (h_n, c_n)
        final = torch.cat([h_n[-2, 0], h_n[-1, 0]])  # (2H,) the top layer's forward, reverse
        return torch.softmax(final @ t["head.weight"].T + t["head.bias"], dim=-1).numpy()
