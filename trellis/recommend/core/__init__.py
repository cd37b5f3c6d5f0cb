"""The recommendation engine: plain Python + numpy, no Django (import-linter checks)."""
