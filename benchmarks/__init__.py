"""Runnable benchmarks (`make bench`); each prints one JSON object per line. See BENCHMARKS.md."""
