"""Bitstring Status Lists: race-free index allocation and signing the published list credential.

Lock order, so concurrent issuing, revoking and suspending cannot deadlock: a status list row is
always the last lock taken. Issuing locks the issuer, then its open list (`allocate`); revoking,
suspending and lifting lock the credential, then its list (`set_entry`); key rotation and profile
edits lock the issuer or its keys and never a list. The PostgreSQL thread tests in
credentials/tests/test_concurrency_pg.py run issuing and revoking against each other."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from trellis.credentials.core import statuslist
from trellis.credentials.core.dataintegrity import sign
from trellis.credentials.core.documents import date_time_z
from trellis.credentials.models import (
    IssuerProfile,
    KeyStatus,
    SigningKey,
    StatusList,
    StatusPurpose,
)
from trellis.credentials.services import keys


def list_size() -> int:
    return int(getattr(settings, "CREDENTIAL_STATUS_LIST_SIZE", statuslist.MIN_SIZE))


def list_url(status_list: StatusList) -> str:
    path = reverse("credentials:status_list", args=[status_list.public_id])
    return settings.SITE_URL.rstrip("/") + path


def _list_issuer(status_list: StatusList) -> str:
    signed = status_list.signed_credential or {}
    return signed.get("issuer", "") if isinstance(signed.get("issuer"), str) else ""


def _signing_key(status_list: StatusList, now: dt.datetime) -> SigningKey:
    """The key to (re-)sign a list with. A did:web issuer keeps one id, so the active key. A
    did:key issuer's id is the key itself: a list first signed by a key that has since been
    retired keeps being signed by that key, so it still matches the credentials using it."""
    issuer = status_list.issuer
    signed_by = _list_issuer(status_list)
    if not keys.uses_did_web() and signed_by.startswith("did:key:"):
        key = (
            issuer.keys.filter(public_key_multibase=signed_by.removeprefix("did:key:"))
            .exclude(status=KeyStatus.REVOKED)
            .first()
        )
        if key is not None:
            return key
    return keys.active_key(issuer, now=now)


def sign_list(status_list: StatusList, *, now: dt.datetime) -> StatusList:
    """(Re-)sign the list's BitstringStatusListCredential (see _signing_key for the key)."""
    issuer = status_list.issuer
    key = _signing_key(status_list, now)
    document = statuslist.status_list_credential(
        id=list_url(status_list),
        issuer_id=keys.issuer_id(issuer, key),
        purpose=status_list.purpose,
        bits=bytes(status_list.bits),
        valid_from=date_time_z(now),
    )
    status_list.signed_credential = sign(
        document,
        private_key=keys.private_key(key),
        verification_method=keys.verification_method(issuer, key),
        created=date_time_z(now),
    )
    status_list.signed_at = now
    status_list.save(update_fields=["bits", "signed_credential", "signed_at", "updated_at"])
    return status_list


def allocate(
    issuer: IssuerProfile, purpose: StatusPurpose, *, now: dt.datetime
) -> tuple[StatusList, int]:
    """The next free index of the issuer's open list for `purpose`, under a row lock so two
    issuers never get the same one; a new (signed) list when the open one is full. Call inside a
    transaction.

    The issuer's row is locked first: locking only the open list cannot stop two calls from
    each opening a new list when there is none yet or the open one is full, and every list
    opened that way stays nearly empty, which weakens the herd privacy lists exist for."""
    IssuerProfile.objects.select_for_update().only("pk").get(pk=issuer.pk)
    current = (
        StatusList.objects.select_for_update()
        .filter(issuer=issuer, purpose=purpose)
        .order_by("-created_at", "-id")
        .first()
    )
    active_id = keys.issuer_id(issuer, keys.active_key(issuer, now=now))
    if (
        current is None
        or current.next_index >= current.size
        or _list_issuer(current) != active_id  # the issuer id changed: a did:key rotation
    ):
        size = list_size()
        current = StatusList.objects.create(
            issuer=issuer, purpose=purpose, size=size, bits=statuslist.new_bits(size)
        )
        sign_list(current, now=now)
        current = StatusList.objects.select_for_update().get(pk=current.pk)
    index = current.next_index
    current.next_index = index + 1
    current.save(update_fields=["next_index", "updated_at"])
    return current, index


def set_entry(status_list_id: int, index: int, value: bool, *, now: dt.datetime) -> StatusList:
    """Flip one entry and re-sign the list (inside the caller's transaction, under a lock)."""
    status_list = StatusList.objects.select_for_update().get(pk=status_list_id)
    status_list.bits = statuslist.set_bit(bytes(status_list.bits), index, value)
    return sign_list(status_list, now=now)
