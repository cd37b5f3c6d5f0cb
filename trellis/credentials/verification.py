"""Verifying credentials on this server: the pure core verifier, with keys, DID documents and
status lists that THIS server publishes served straight from the database.

Other servers' documents are refused unless TRELLIS_VERIFIER_FETCH is on (production only):
then an https GET with a 5 second timeout and a 1 MB cap fetches them. Tests never fetch."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from trellis.credentials.core.errors import CredentialError, KeyProblem
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.core.verify import VerificationReport, verify
from trellis.credentials.models import (
    IssuedCredential,
    KeyStatus,
    SigningKey,
    StatusList,
    Visibility,
)
from trellis.credentials.services import issuing, keys, status
from trellis.districts.models import District

FETCH_TIMEOUT_SECONDS = 5
FETCH_MAX_BYTES = 1024 * 1024
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DID_PATH = re.compile(r"^/districts/(?P<slug>[-a-zA-Z0-9_]+)/did\.json$")


class NotOurs(CredentialError):
    """A URL this server does not publish (and fetching others is off)."""


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def is_our_url(url: str) -> bool:
    ours, theirs = urlsplit(site_url()), urlsplit(url)
    return (theirs.scheme, theirs.netloc) == (ours.scheme, ours.netloc)


def _uuid_in(path: str) -> uuid.UUID | None:
    found = _UUID.findall(path)
    return uuid.UUID(found[-1]) if found else None


def _own_status_list(url: str) -> dict[str, Any] | None:
    public_id = _uuid_in(urlsplit(url).path)
    status_list = (
        StatusList.objects.filter(public_id=public_id).select_related("issuer").first()
        if public_id
        else None
    )
    if (
        status_list is None
        or status.list_url(status_list) != url
        or not status_list.signed_credential
    ):
        return None
    return status_list.signed_credential


def _own_did_document(url: str) -> dict[str, Any] | None:
    match = _DID_PATH.match(urlsplit(url).path)
    if match is None or not keys.uses_did_web():
        return None
    district = District.objects.filter(slug=match["slug"]).first()
    return keys.did_document(district) if district is not None else None


def own_document(url: str) -> dict[str, Any] | None:
    """The document this server publishes at `url`, from the database; None when there is none."""
    if not is_our_url(url):
        return None
    return _own_status_list(url) or _own_did_document(url)


def _fetch_remote(url: str) -> dict[str, Any]:
    if urlsplit(url).scheme != "https":
        raise NotOurs(f"Only https documents are fetched, not {url}.")
    request = urllib.request.Request(  # noqa: S310 (https only, checked above)
        url, headers={"Accept": "application/json, application/ld+json, application/did+json"}
    )
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        body = response.read(FETCH_MAX_BYTES + 1)
    if len(body) > FETCH_MAX_BYTES:
        raise NotOurs(f"{url} returned more than 1 MB.")
    try:
        document = json.loads(body)
    except ValueError as error:
        raise NotOurs(f"{url} did not return JSON.") from error
    if not isinstance(document, dict):
        raise NotOurs(f"{url} did not return a JSON object.")
    return document


def fetching_enabled() -> bool:
    """The TRELLIS_VERIFIER_FETCH setting (from the environment variable of that name)."""
    return bool(getattr(settings, "TRELLIS_VERIFIER_FETCH", False))


def fetch_document(url: str) -> dict[str, Any]:
    """Our own published document, or (only with TRELLIS_VERIFIER_FETCH) a remote one."""
    document = own_document(url)
    if document is not None:
        return document
    if is_our_url(url):
        raise NotOurs(f"This server publishes nothing at {url}.")
    if fetching_enabled():
        return _fetch_remote(url)
    raise NotOurs(f"{url} is on another server, and this verifier does not fetch from the network.")


class ServerKeyResolver(KeyResolver):
    """Resolves keys like the core resolver, and refuses keys this server has revoked (a
    did:key stays decodable offline after we stop trusting it)."""

    def __call__(self, method_id: str):  # type: ignore[no-untyped-def]
        key = super().__call__(method_id)
        fragment = method_id.split("#", 1)[-1]
        revoked = SigningKey.objects.filter(
            public_key_multibase=fragment, status=KeyStatus.REVOKED
        ).first()
        if revoked is not None:
            when = revoked.revoked_at.date().isoformat() if revoked.revoked_at else "earlier"
            raise KeyProblem(
                f"The issuer revoked the signing key {fragment} on {when}; "
                "what it signed is no longer trusted."
            )
        return key


def verify_for_server(data: Any, *, now: dt.datetime | None = None) -> VerificationReport:
    """Verify with this server's keys and status lists; nothing else is fetched unless the
    TRELLIS_VERIFIER_FETCH setting is on."""
    return verify(
        data,
        resolver=ServerKeyResolver(fetch=fetch_document),
        now=now or timezone.now(),
        fetch_status_list=fetch_document,
    )


def public_credential(url: str) -> IssuedCredential | None:
    """The public credential this server issued with the id `url` (None for others' URLs,
    private credentials and unknown ids)."""
    if not isinstance(url, str) or not is_our_url(url.strip()):
        return None
    public_id = _uuid_in(urlsplit(url.strip()).path)
    if public_id is None:
        return None
    credential = IssuedCredential.objects.filter(
        public_id=public_id, visibility=Visibility.PUBLIC
    ).first()
    if credential is None or issuing.credential_url(credential.public_id) != url.strip():
        return None
    return credential
