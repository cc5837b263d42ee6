"""Benchmarks (``make bench``): figures printed, never timed assertions in the test suite."""
