"""Sentence embeddings computed on the CPU with numpy (no torch, no model download)."""
