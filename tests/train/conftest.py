"""Shared fixtures for the training tests: the shipped model names and the committed test split."""

from __future__ import annotations

SHIPPED = ("lstm", "gru", "rnn", "lstm-tiny")
