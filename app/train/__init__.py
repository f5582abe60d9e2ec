"""Training and data preparation (optional extra `train`: PyTorch is imported lazily)."""
