"""Frozen copies of earlier engine models, measured as baselines by bench/eval_matching.py."""
