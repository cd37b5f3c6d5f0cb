"""Verifiable credentials: Open Badges 3.0 issuing and verification, issuer keys and DIDs,
revocation status lists, CLR 2.0 transcripts, OB 2.0 export and external badge import.

`core` is the plain-Python credential engine; the rest is the Django app around it."""
