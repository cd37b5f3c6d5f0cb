"""The educator's credentials and each credential's id URL: the signed JSON for machines, a
human page otherwise, downloads (JSON, VC-JWT, baked PNG and SVG) and the visibility choice."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.credentials import queries
from trellis.credentials.core.artwork import badge_png, badge_svg
from trellis.credentials.core.baking import bake_png, bake_svg
from trellis.credentials.models import IssuedCredential, Visibility
from trellis.credentials.services import lifecycle
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm

JSON_TYPES = ("application/vc+ld+json", "application/ld+json", "application/json", "application/vc")
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def wanted_json_type(request: HttpRequest) -> str | None:
    """The JSON media type to answer with, or None for the human page. `?format=json` wins;
    otherwise the Accept header's most preferred of HTML and the JSON types decides."""
    if request.GET.get("format") == "json":
        return "application/vc+ld+json"
    ranked = []
    for position, item in enumerate(request.headers.get("Accept", "").split(",")):
        media, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, media.strip().lower()))
    for _q, _p, media in sorted(ranked):
        if media in JSON_TYPES:
            return media
        if media in ("text/html", "application/xhtml+xml", "*/*", "text/*"):
            return None
    return None


def _json_response(document: Any, content_type: str, public: bool) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type
    )
    if public:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def _visible(request: HttpRequest, public_id: Any) -> IssuedCredential:
    return queries.get_visible(public_id, request.user, getattr(request, "access", None))


def _file_name(credential: IssuedCredential, ext: str) -> str:
    return f"credential-{credential.public_id}.{ext}"


def linkedin_url(credential: IssuedCredential) -> str:
    return (
        LINKEDIN_ADD
        + "?"
        + urlencode(
            {
                "startTask": "CERTIFICATION_NAME",
                "name": credential.achievement_name,
                "organizationName": credential.issuer.name,
                "issueYear": credential.issued_at.year,
                "issueMonth": credential.issued_at.month,
                "certUrl": credential.document.get("id", ""),
                "certId": str(credential.public_id),
            }
        )
    )


@district_view(Perm.VIEW_OWN_LEARNING)
def my_credentials(request: HttpRequest) -> HttpResponse:
    page = paginate(
        queries.my_credentials(request.access, request.user), request.GET.get("page"), per_page=24
    )
    return render(
        request,
        "credentials/mine.html",
        {
            "page_obj": page,
            "credentials": page.object_list,
            "query_prefix": query_without_page(request),
            "visibility_choices": Visibility.choices,
        },
    )


def _verification(credential: IssuedCredential) -> Any:
    try:
        from trellis.credentials.verification import verify_for_server
    except ImportError:  # pragma: no cover - the verifier ships with the same app
        return None
    return verify_for_server(credential.document)


def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The credential's `id` URL (no login needed for public credentials)."""
    credential = _visible(request, public_id)
    json_type = wanted_json_type(request)
    if json_type is not None:
        response = _json_response(
            credential.document, json_type, credential.visibility == Visibility.PUBLIC
        )
    else:
        subject = credential.document.get("credentialSubject", {})
        achievement = subject.get("achievement", {}) if isinstance(subject, dict) else {}
        is_recipient = request.user.is_authenticated and credential.recipient_id == request.user.pk
        response = render(
            request,
            "credentials/detail.html",
            {
                "credential": credential,
                "achievement": achievement,
                "alignments": achievement.get("alignment", []),
                "criteria": (achievement.get("criteria") or {}).get("narrative", ""),
                "issuer": credential.document.get("issuer", {}),
                "report": _verification(credential),
                "is_recipient": is_recipient,
                "share_url": credential.document.get("id", ""),
                "linkedin_url": linkedin_url(credential),
                "visibility_choices": Visibility.choices,
            },
        )
    patch_vary_headers(response, ["Accept"])
    return response


def _download(content: Any, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def download_json(request: HttpRequest, public_id: Any) -> HttpResponse:
    credential = _visible(request, public_id)
    body = json.dumps(credential.document, ensure_ascii=False, indent=2)
    return _download(body, "application/vc+ld+json", _file_name(credential, "json"))


def download_jwt(request: HttpRequest, public_id: Any) -> HttpResponse:
    credential = _visible(request, public_id)
    if not credential.jwt:
        raise Http404("This credential has no VC-JWT form.")
    return _download(credential.jwt, "application/vc+jwt", _file_name(credential, "jwt"))


def _artwork_args(credential: IssuedCredential) -> tuple[str, str, str]:
    return (
        credential.achievement_name[:120],
        credential.issuer.name[:120],
        str(credential.source_key) or str(credential.public_id),
    )


def download_png(request: HttpRequest, public_id: Any) -> HttpResponse:
    credential = _visible(request, public_id)
    baked = bake_png(badge_png(*_artwork_args(credential)), credential.document)
    return _download(baked, "image/png", _file_name(credential, "png"))


def download_svg(request: HttpRequest, public_id: Any) -> HttpResponse:
    credential = _visible(request, public_id)
    baked = bake_svg(badge_svg(*_artwork_args(credential)), credential.document)
    return _download(baked, "image/svg+xml", _file_name(credential, "svg"))


@require_POST
@district_view(Perm.VIEW_OWN_LEARNING)
def visibility(request: HttpRequest, public_id: Any) -> HttpResponse:
    choice = request.POST.get("visibility", "")
    try:
        credential = lifecycle.set_visibility(request.access, public_id, choice, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("credentials:mine")
    if credential.visibility == Visibility.PUBLIC:
        messages.success(
            request, f"“{credential.achievement_name}” is public: anyone with its link can see it."
        )
    else:
        messages.success(request, f"“{credential.achievement_name}” is private again.")
    target = request.POST.get("next", "")
    if target == "detail":
        return redirect("credentials:detail", public_id=credential.public_id)
    return redirect("credentials:mine")
