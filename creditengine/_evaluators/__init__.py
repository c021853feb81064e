"""Evaluators: each compiles the IR its own way; chosen by name in ``Engine``."""
