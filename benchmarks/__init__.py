"""Benchmarks: ``make bench`` runs ``python -m benchmarks.bench_evaluate``."""
