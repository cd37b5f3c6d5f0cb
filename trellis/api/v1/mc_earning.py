"""API routes; see api.py."""

from ninja import Router

router = Router()
