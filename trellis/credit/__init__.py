"""Credit and recertification.

`trellis.credit.rules` is the pure core: credit units, per-jurisdiction rule sets as data and
the engine that turns an educator's completed learning into renewal progress. It imports no
Django and no other app (an import-linter contract keeps it so); the app's models, services and
transcripts will sit beside it and feed it plain records. See docs/credit-rules.md.
"""
