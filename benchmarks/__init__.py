"""Benchmarks: accuracy against baselines, latency under load, resources (`make bench`)."""
