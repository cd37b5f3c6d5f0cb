"""Recommendations API."""

from ninja import Router

router = Router(tags=["recommend"])
