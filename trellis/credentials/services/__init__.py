"""Writes about credentials: issuer keys, issuing, status changes, imports and batches."""
