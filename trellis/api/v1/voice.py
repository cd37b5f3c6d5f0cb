"""Educator voice API."""

from ninja import Router

router = Router(tags=["voice"])
