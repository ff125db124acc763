"""Measure how well the assistant understands held-out patient questions."""
