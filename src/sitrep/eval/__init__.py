"""Scorers for the public benchmarks in `../shared/data` (reached through `sitrep eval`).

`common` holds the shared P/R/F1 record; each task has its own module (`time`, …).
"""
