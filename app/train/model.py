"""The trained network (PyTorch): embedding (GloVe + learnt correction) -> recurrent layers (one
way or bidirectional) -> linear head on the last step's output or on the final states, and the
padded batches it reads. Imported only when training."""

from __future__ import annotations

import random

import numpy as np
import torch
from torch import nn

Example = tuple[list[int], int, float]  # token ids, label, target P(positive)
Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]  # ids, lengths, labels, targets


class Sentiment(nn.Module):
    """Embedding (GloVe + learnt correction) -> `layers` recurrent layers -> linear head on the
    top layer's last step's output (head_input "last_output": cat(h_forward[T-1],
    h_reverse[T-1]) when bidirectional, PyTorch's output[T-1]) or on its final states
    ("final_states": cat(h_n[-2], h_n[-1]) = cat(h_forward[T-1], h_reverse[0])); either is what
    the numpy engine reports as the verdict (Trace.verdict)."""

    def __init__(self, kind: str, hidden: int, n_labels: int, glove_init: np.ndarray,
                 trainable_rows: np.ndarray, freeze: bool, dropout: float, layers: int = 1,
                 bidirectional: bool = False, head_input: str = "last_output") -> None:
        super().__init__()
        emb_dim = glove_init.shape[1]
        # vocabulary order puts the words seen in training first: only they get a correction
        n_trainable = int(trainable_rows.sum())
        if not trainable_rows[:n_trainable].all():
            raise ValueError("the words seen in training must come first in the vocabulary")
        self.register_buffer("base", torch.from_numpy(glove_init.astype(np.float32)))
        self.delta = nn.Parameter(torch.zeros(n_trainable, emb_dim), requires_grad=not freeze)
        rnn_cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind]
        # dropout between stacked layers too (PyTorch warns if asked for it with one layer)
        self.rnn = rnn_cls(emb_dim, hidden, num_layers=layers, batch_first=True,
                           bidirectional=bidirectional, dropout=dropout if layers > 1 else 0.0)
        self.bidirectional = bidirectional
        self.final_states = bidirectional and head_input == "final_states"  # one-way: the same
        self.head = nn.Linear(hidden * (2 if bidirectional else 1), n_labels)
        self.drop = nn.Dropout(dropout)
        if kind == "lstm":  # forget-gate bias 1: remember by default (every layer, direction)
            with torch.no_grad():
                for name, value in self.rnn.named_parameters():
                    if name.startswith("bias_"):
                        value[hidden:2 * hidden].fill_(0.5)

    def embedding_weight(self) -> torch.Tensor:
        n = self.delta.shape[0]
        return torch.cat([self.base[:n] + self.delta, self.base[n:]])

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        x = self.drop(nn.functional.embedding(ids, self.embedding_weight()))
        # Padding comes after each sentence, so the output at its last real token is exactly
        # the state the numpy engine ends on (and 4x faster on a CPU than a packed sequence).
        rows = torch.arange(ids.shape[0])
        if self.final_states:
            # h_n of a packed sequence: each reader stops at each sentence's own end (the forward
            # one at its last real token, the reverse one at its first after starting at the last)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True,
                                                       enforce_sorted=False)
            h_n = self.rnn(packed)[1]
            h_n = h_n[0] if isinstance(h_n, tuple) else h_n  # an LSTM's is (h_n, c_n)
            last = torch.cat([h_n[-2], h_n[-1]], dim=-1)  # (B, 2H): the top layer's two readers
        elif self.bidirectional and self.rnn.num_layers > 1:
            # the reverse reader must start at each sentence's own last word, not the padding
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True,
                                                       enforce_sorted=False)
            out = nn.utils.rnn.pad_packed_sequence(self.rnn(packed)[0], batch_first=True)[0]
            last = out[rows, lengths - 1]
        elif self.bidirectional:
            # one layer: at T-1 the reverse reader has read only word T-1, from a zero state, so
            # running it on that word alone is exact, and far cheaper than a packed sequence
            H = self.rnn.hidden_size
            forward = self.rnn(x)[0][rows, lengths - 1, :H]
            reverse = self.rnn(x[rows, lengths - 1].unsqueeze(1))[0][:, 0, H:]
            last = torch.cat([forward, reverse], dim=-1)
        else:
            last = self.rnn(x)[0][rows, lengths - 1]
        return self.head(self.drop(last))  # type: ignore[no-any-return]

    def export_state(self) -> dict[str, torch.Tensor]:
        """The state_dict of plain nn.Embedding "embedding" + rnn + head (the served format)."""
        state = {"embedding.weight": self.embedding_weight().detach().to(torch.float16)}
        for k, v in self.rnn.state_dict().items():
            state[f"rnn.{k}"] = v.detach().float().contiguous()
        for k, v in self.head.state_dict().items():
            state[f"head.{k}"] = v.detach().float().contiguous()
        return state


def batches(examples: list[Example], batch_size: int, shuffle: bool,
            rng: random.Random, word_dropout: float = 0.0) -> list[Batch]:
    """Padded (ids, lengths, labels) batches; when shuffling, sentences of like length go together."""
    order = list(range(len(examples)))
    if shuffle:
        rng.shuffle(order)
        # sort within chunks of 50 batches by length, so padding stays small; then shuffle batches
        chunk = batch_size * 50
        order = [i for s in range(0, len(order), chunk)
                 for i in sorted(order[s:s + chunk], key=lambda i: len(examples[i][0]))]
    groups = [order[s:s + batch_size] for s in range(0, len(order), batch_size)]
    if shuffle:
        rng.shuffle(groups)
    out = []
    for group in groups:
        seqs = [examples[i][0] for i in group]
        if word_dropout > 0:
            seqs = [[0 if rng.random() < word_dropout else t for t in s] for s in seqs]
        lengths = torch.tensor([len(s) for s in seqs])
        ids = torch.zeros(len(seqs), int(lengths.max()), dtype=torch.long)
        for j, s in enumerate(seqs):
            ids[j, :len(s)] = torch.tensor(s)
        out.append((ids, lengths, torch.tensor([examples[i][1] for i in group]),
                    torch.tensor([examples[i][2] for i in group])))
    return out


def accuracy_on(model: nn.Module, batches_: list[Batch]) -> float:
    """Share of right top labels, in eval mode (no dropout)."""
    model.eval()
    hits = n = 0
    with torch.no_grad():
        for ids, lengths, labels, _ in batches_:
            hits += int((model(ids, lengths).argmax(-1) == labels).sum())
            n += len(labels)
    model.train()
    return hits / max(n, 1)


def soft_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Cross-entropy against a target P(positive) (the second label)."""
    logp = torch.log_softmax(logits, dim=-1)
    return -(targets * logp[:, 1] + (1 - targets) * logp[:, 0]).mean()


__all__ = ["Batch", "Example", "Sentiment", "accuracy_on", "batches", "soft_loss"]
