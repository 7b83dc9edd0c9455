"""Benchmarks at the size of a large school. They print figures; they never assert a time."""
