"""xAPI 1.0.3 statement checks and the mapping to informal entries: plain Python, no Django."""
