"""Benchmarks, run by hand: see bench/README.md and docs/performance.md."""
