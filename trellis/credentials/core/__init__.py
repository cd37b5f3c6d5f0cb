"""The credential core: JSON-LD (offline), canonicalization, keys, proofs, documents, status lists
and verification. Plain Python with no Django import, so it can be tested and reused on its own."""
