"""Shared by the training tests: the shipped model names (stated once, in app.train.data)."""

from __future__ import annotations

from app.train.data import SHIPPED_MODELS as SHIPPED

__all__ = ["SHIPPED"]
