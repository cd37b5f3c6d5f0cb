"""Writes for quality: the rubric, vetting, proposals and reviews (one module each)."""
