"""Trellis: personalised professional learning and verifiable micro-credentials for districts."""
