"""Informal learning: the quick log, the bookmarklet and xAPI statements in."""
