"""Informal learning API."""

from ninja import Router

router = Router(tags=["informal"])
