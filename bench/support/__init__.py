"""Helpers of the benchmarks that are no benchmark themselves (servers they start)."""
