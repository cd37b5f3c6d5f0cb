"""Writes of educator voice. Callers use `from trellis.voice import services` and the names below."""

from trellis.voice.services.requests import (
    REQUEST_TRANSITIONS,
    create_request,
    set_request_status,
    toggle_vote,
    unvote,
    update_request,
    vote,
    withdraw_request,
)
from trellis.voice.services.volunteering import (
    VOLUNTEER_TRANSITIONS,
    offer_to_volunteer,
    set_offer_status,
    withdraw_offer,
)

__all__ = [
    "REQUEST_TRANSITIONS",
    "VOLUNTEER_TRANSITIONS",
    "create_request",
    "offer_to_volunteer",
    "set_offer_status",
    "set_request_status",
    "toggle_vote",
    "unvote",
    "update_request",
    "vote",
    "withdraw_offer",
    "withdraw_request",
]
