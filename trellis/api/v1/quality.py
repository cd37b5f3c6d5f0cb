"""Quality API."""

from ninja import Router

router = Router(tags=["quality"])
